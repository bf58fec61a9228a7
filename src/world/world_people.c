/*
 * The people of a generated repository: a core team that pushes and merges,
 * external contributors who send pull requests from forks, and the bots that
 * real repositories have (dependabot or renovate, github-actions). Each human
 * has habits that the failure model and the history show: commit size,
 * test-writing propensity, care (skill), working hours in their own time
 * zone, late-night and weekend work, and a join date (new authors appear
 * over the months, and their first builds fail more often).
 */
#include "world/world_internal.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const int time_zones[] = { -480, -420, -300, -240, -180, 0, 60, 60, 120, 120, 180, 330, 480, 540 };

static char *lower_dup(const char *s)
{
	char *t = xstrdup(s);
	for (char *p = t; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return t;
}

static int name_taken(const struct wrepo *r, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(r->people[i].name, name))
			return 1;
	return 0;
}

static void make_human(struct wrepo *r, struct wperson *p, size_t n_before, int external)
{
	struct rng *g = &r->rng;
	const char *first, *last;
	char *full, *lf, *ll;
	do {
		first = world_first_names[rng_below(g, world_n_first_names)];
		last = world_last_names[rng_below(g, world_n_last_names)];
		full = xasprintf("%s %s", first, last);
		if (!name_taken(r, n_before, full))
			break;
		free(full);
	} while (1);
	lf = lower_dup(first);
	ll = lower_dup(last);
	p->name = full;
	switch (wr_range(g, 0, 3)) {
	case 0:
		p->login = xasprintf("%s%s", lf, ll);
		break;
	case 1:
		p->login = xasprintf("%c%s", lf[0], ll);
		break;
	case 2:
		p->login = xasprintf("%s-%s", lf, ll);
		break;
	default:
		p->login = xasprintf("%s%d", lf, wr_range(g, 7, 99));
		break;
	}
	p->gh_id = 1000000 + wr_range(g, 0, 90000000);
	if (external)
		p->email = wr_chance(g, 0.5) ? xasprintf("%lld+%s@users.noreply.github.com", (long long)p->gh_id, p->login)
					     : xasprintf("%s.%s@gmail.com", lf, ll);
	else
		p->email = xasprintf("%s.%s@%s.io", lf, ll, r->owner);
	free(lf);
	free(ll);
	p->external = external;
	p->tz_min = time_zones[rng_below(g, sizeof(time_zones) / sizeof(time_zones[0]))];
	p->start_hour = wr_range(g, 7, 11);
	p->day_hours = wr_range(g, 7, 10);
	p->night_p = wr_chance(g, 0.2) ? 0.35 + 0.3 * wr_unit(g) : 0.02 + 0.1 * wr_unit(g);
	p->weekend_p = wr_chance(g, 0.25) ? 0.3 + 0.3 * wr_unit(g) : 0.02 + 0.08 * wr_unit(g);
	p->size_mu = log(1.0 + 7.0 * wr_unit(g) * wr_unit(g)) + 0.2; /* most commits small, a few big-bang authors */
	p->test_p = 0.05 + 0.8 * wr_unit(g);
	p->skill = 0.35 * wr_normal(g);
	p->activity = external ? 0.12 + 0.25 * wr_unit(g) : exp(0.6 * wr_normal(g));
}

static void make_bot(struct wperson *p, enum wbot kind)
{
	static const struct {
		const char *login;
		long long id;
	} bots[] = {
		[WB_DEPENDABOT] = { "dependabot[bot]", 49699333 },
		[WB_RENOVATE] = { "renovate[bot]", 29139614 },
		[WB_ACTIONS] = { "github-actions[bot]", 41898282 },
	};
	p->bot = kind;
	p->login = xstrdup(bots[kind].login);
	p->name = xstrdup(bots[kind].login);
	p->gh_id = bots[kind].id;
	p->email = xasprintf("%lld+%s@users.noreply.github.com", bots[kind].id, bots[kind].login);
	p->start_hour = 0;
	p->day_hours = 24;
	p->night_p = p->weekend_p = 1;
	p->size_mu = 0;
}

void world_people_make(struct wrepo *r)
{
	struct rng *g = &r->rng;
	int core = wr_range(g, 3, 7), ext = wr_range(g, 2, 5);
	if (core + ext > 12)
		ext = 12 - core;
	r->people = xcalloc((size_t)(core + ext + 2), sizeof(*r->people));
	for (int i = 0; i < core + ext; i++) {
		struct wperson *p = &r->people[r->npeople];
		make_human(r, p, r->npeople, i >= core);
		/* The lead and one early member are there from the start; others join over the first 60%. */
		if (i < 2)
			p->joined = r->start;
		else if (i < core)
			p->joined = r->start + (int64_t)(wr_unit(g) * 0.6 * (double)r->span);
		else
			p->joined = r->start + (int64_t)(wr_unit(g) * 0.85 * (double)r->span);
		p->maintainer = i == 0 || (i == 1 && core >= 5);
		if (p->maintainer)
			p->skill -= 0.3, p->activity += 0.5;
		r->npeople++;
	}
	make_bot(&r->people[r->npeople++], r->lang == WL_JAVA && r->idx % 4 == 3 ? WB_RENOVATE : WB_DEPENDABOT);
	if (r->idx % 2 == 0)
		make_bot(&r->people[r->npeople++], WB_ACTIONS);
}

void world_people_free(struct wrepo *r)
{
	for (size_t i = 0; i < r->npeople; i++) {
		free(r->people[i].name);
		free(r->people[i].email);
		free(r->people[i].login);
	}
	free(r->people);
	r->people = NULL;
	r->npeople = 0;
}

int64_t world_people_adjust(const struct wperson *p, struct rng *g, int64_t t)
{
	const int64_t hour = 3600 * USEC_PER_SEC, tz = (int64_t)p->tz_min * 60 * USEC_PER_SEC;
	if (p->bot)
		return t;
	for (int k = 0; k < 4; k++) {
		int64_t local = t + tz;
		int64_t day0 = local - local % USEC_PER_DAY;
		int h = utc_hour(local), wd = utc_weekday(local);
		int in_hours = h >= p->start_hour && h < p->start_hour + p->day_hours;
		if (wd >= 5 && !wr_chance(g, p->weekend_p)) {
			/* To Monday morning. */
			t = day0 + (int64_t)(7 - wd) * USEC_PER_DAY + p->start_hour * hour - tz +
			    (int64_t)(wr_unit(g) * 3 * (double)hour);
			continue;
		}
		if (in_hours || wr_chance(g, p->night_p))
			return t;
		/* Before the day starts: later this morning; after it ends: tomorrow morning. */
		t = day0 + (h < p->start_hour ? 0 : USEC_PER_DAY) + p->start_hour * hour - tz +
		    (int64_t)(wr_unit(g) * 2.5 * (double)hour);
	}
	return t;
}

struct wperson *world_people_pick(struct wrepo *r, int64_t t, int external_ok)
{
	double total = 0, x;
	for (size_t i = 0; i < r->npeople; i++) {
		const struct wperson *p = &r->people[i];
		if (!p->bot && p->joined <= t && (external_ok || !p->external))
			total += p->activity;
	}
	x = wr_unit(&r->rng) * total;
	for (size_t i = 0; i < r->npeople; i++) {
		struct wperson *p = &r->people[i];
		if (p->bot || p->joined > t || (!external_ok && p->external))
			continue;
		if (x < p->activity)
			return p;
		x -= p->activity;
	}
	return &r->people[0]; /* rounding: the lead, who is always there */
}

struct wperson *world_people_maintainer(struct wrepo *r, int64_t t)
{
	int n = 0;
	(void)t;
	for (size_t i = 0; i < r->npeople; i++)
		n += r->people[i].maintainer;
	n = wr_range(&r->rng, 0, n - 1);
	for (size_t i = 0; i < r->npeople; i++)
		if (r->people[i].maintainer && n-- == 0)
			return &r->people[i];
	return &r->people[0];
}

struct wperson *world_people_bot(struct wrepo *r, enum wbot kind)
{
	for (size_t i = 0; i < r->npeople; i++)
		if (r->people[i].bot == kind || (kind == WB_DEPENDABOT && r->people[i].bot == WB_RENOVATE))
			return &r->people[i];
	return NULL;
}
