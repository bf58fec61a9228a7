/*
 * One repository's history as a discrete-event simulation. Events are new
 * changes (a direct push to the default branch, a pull request from a
 * branch or a fork, a dependabot/renovate bump, a github-actions changelog
 * commit); open pull requests have their own next action (a fix push after
 * a red build or a review, a merge — merge commit or squash — by a
 * maintainer, or closing). The earliest pending action runs next, so time
 * only moves forward and several pull requests can be open at once, each
 * branched from main as it was when it was opened.
 *
 * Every push that CI sees becomes a build (world_run.c); the simulation
 * stops when the repository has its share of the world's builds.
 */
#include "world/world_internal.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include <stdlib.h>
#include <string.h>

enum act { ACT_FIX, ACT_MERGE, ACT_CLOSE };
enum ev { EV_PUSH, EV_PR, EV_FORK_PR, EV_BOT_BUMP, EV_BOT_CHANGELOG };

struct wpr {
	int number;
	struct wperson *author, *merger;
	int fork, bot;
	char *branch, *title;
	struct wbranch b;
	git_oid base_sha;
	struct wop *ops;
	size_t nops;
	int64_t next;
	enum act act;
	int fixes, last_failed;
	struct wchange pending; /* changes since the PR's last build */
};

struct sim {
	struct wrepo *r;
	struct wpr **prs;
	size_t nprs, cap;
	uint8_t dirty[WORLD_MAX_PATHS];
	struct wperson web;     /* "GitHub": the committer of web merges and bot commits */
	double mean_gap;        /* usec between new events */
	double pr_share, squash_p;
	int64_t next_event;
	enum ev next_kind;
	struct wperson *next_author;
	int tags;
};

static int64_t sec(double s)
{
	return (int64_t)(s * USEC_PER_SEC);
}

static void schedule_event(struct sim *s, int64_t after)
{
	struct wrepo *r = s->r;
	int64_t t = after + (int64_t)wr_exp(&r->rng, s->mean_gap) + sec(60);
	double u = wr_unit(&r->rng);
	if (u < 0.06) {
		s->next_kind = EV_BOT_BUMP;
		s->next_author = world_people_bot(r, WB_DEPENDABOT);
		/* Dependabot opens its pull requests early in the (UTC) morning. */
		t = t - t % USEC_PER_DAY + USEC_PER_DAY + sec(5 * 3600 + wr_range(&r->rng, 0, 3000));
	} else if (u < 0.08 && world_people_bot(r, WB_ACTIONS)) {
		s->next_kind = EV_BOT_CHANGELOG;
		s->next_author = world_people_bot(r, WB_ACTIONS);
	} else {
		s->next_author = world_people_pick(r, t, 1);
		s->next_kind = s->next_author->external ? EV_FORK_PR
			       : wr_chance(&r->rng, s->pr_share) ? EV_PR
								  : EV_PUSH;
		t = world_people_adjust(s->next_author, &r->rng, t);
	}
	s->next_event = t;
}

static void clear_dirty(struct sim *s)
{
	memset(s->dirty, 0, sizeof(s->dirty));
}

/* One commit of kind by a on branch b at t; ops/ch accumulate; returns the message (caller frees). */
static int commit(struct sim *s, struct wbranch *b, struct wperson *a, int64_t t, int kind, struct wop **ops,
		  size_t *nops, struct wchange *ch, char **msg, struct err *e)
{
	struct wrepo *r = s->r;
	struct wop *tmp = NULL;
	size_t ntmp = 0;
	int rc;
	clear_dirty(s);
	*msg = world_code_edit(r, &b->m, a, kind, ops ? ops : &tmp, ops ? nops : &ntmp, s->dirty, ch);
	rc = world_git_commit(r, b, s->dirty, NULL, a, t, a->bot ? &s->web : a, t, *msg, e);
	a->commits++;
	if (b == &r->main)
		r->main_commits++;
	free(tmp);
	return rc;
}

struct bctx {
	const char *event, *branch;
	struct wbranch *br;
	struct wperson *actor, *author;
	const struct wperson *committer;
	int64_t commit_time;
	const char *message;
	struct wpr *pr;
	const struct wchange *ch;
	int author_commits, merge;
};

/* Builds what was pushed; returns the conclusion's failure flag through *failed. */
static int build(struct sim *s, const struct bctx *c, int *failed, struct err *e)
{
	struct wrepo *r = s->r;
	struct wbuild b = { 0 };
	struct wfeat f = { 0 };
	int64_t local = c->commit_time + (int64_t)c->author->tz_min * 60 * USEC_PER_SEC;
	int rc;
	b.created = c->commit_time + sec(5 + wr_range(&r->rng, 0, 115));
	if (b.created <= r->last_created)
		b.created = r->last_created + sec(1 + wr_range(&r->rng, 0, 30));
	r->last_created = b.created;
	b.event = c->event;
	b.branch = c->branch;
	b.head = c->br->tip;
	b.tree = c->br->tree;
	b.actor = c->actor;
	b.author = c->author;
	b.committer = c->committer;
	b.commit_time = c->commit_time;
	b.message = c->message;
	b.model = &c->br->m;
	b.change = c->ch;
	b.base_branch = r->default_branch;
	if (c->pr) {
		b.pr = c->pr->number;
		b.pr_branch_repo = c->pr->fork ? c->pr->author->login : NULL;
		b.base_sha = c->pr->base_sha;
	}
	f.src_churn = c->ch->src_churn;
	f.test_churn = c->ch->test_churn;
	f.tests_changed = c->ch->test_churn > 0;
	f.deps_changed = c->ch->deps_changed;
	f.author_commits = c->author_commits;
	/* A pull request's first build follows main's state; later ones its own previous build. */
	f.prev_failed = c->pr && c->pr->last_failed >= 0 ? c->pr->last_failed : r->main_failed;
	f.repo_prev_failed = r->last_failed;
	f.fork = c->pr && c->pr->fork;
	f.bot = c->actor->bot != WB_NONE;
	f.merge = c->merge;
	f.local_hour = utc_hour(local);
	f.weekend = utc_weekday(local) >= 5;
	f.skill = c->author->skill;
	f.repo_base = r->base;
	world_outcome_draw(r, &f, &c->br->m, c->ch, r->n_jobs, &b.oc);
	if ((rc = world_run_emit(r, &b, e)))
		return rc;
	/* A cancelled build says nothing about the code: the branch keeps its state. */
	*failed = !strcmp(b.oc.conclusion, "cancelled") ? -1 : strcmp(b.oc.conclusion, "success") != 0;
	if (*failed >= 0)
		r->last_failed = *failed;
	return 0;
}

static void pr_free(struct wpr *p)
{
	world_model_release(&p->b.m);
	free(p->branch);
	free(p->title);
	free(p->ops);
	free(p);
}

static void pr_schedule(struct sim *s, struct wpr *p, int64_t after, int failed)
{
	struct wrepo *r = s->r;
	if (failed < 0 || (failed && !p->bot && p->fixes < 4 && wr_chance(&r->rng, 0.85))) {
		p->act = ACT_FIX;
		p->next = world_people_adjust(p->author, &r->rng, after + sec(600) + (int64_t)wr_exp(&r->rng, sec(3 * 3600)));
	} else if (!failed && !p->bot && p->fixes < 2 && wr_chance(&r->rng, 0.25)) {
		p->act = ACT_FIX; /* review comments */
		p->next = world_people_adjust(p->author, &r->rng, after + sec(1800) + (int64_t)wr_exp(&r->rng, sec(8 * 3600)));
	} else if (!failed && wr_chance(&r->rng, p->fork ? 0.7 : 0.92)) {
		p->act = ACT_MERGE;
		p->merger = world_people_maintainer(r, after);
		p->next = world_people_adjust(p->merger, &r->rng, after + sec(1200) + (int64_t)wr_exp(&r->rng, sec(20 * 3600)));
	} else {
		p->act = ACT_CLOSE;
		p->next = after + sec(3600) + (int64_t)wr_exp(&r->rng, sec(48 * 3600));
	}
}

static int pr_refs(struct sim *s, struct wpr *p, struct err *e)
{
	char ref[300];
	int rc;
	snprintf(ref, sizeof(ref), "refs/pull/%d/head", p->number);
	rc = git_writer_ref(s->r->git, ref, &p->b.tip, e);
	if (!rc && !p->fork) {
		snprintf(ref, sizeof(ref), "refs/heads/%s", p->branch);
		rc = git_writer_ref(s->r->git, ref, &p->b.tip, e);
	}
	return rc;
}

/* Builds a push to the default branch; main's outcome (when it has one) is what the next build follows. */
static int build_main(struct sim *s, const struct bctx *c, struct err *e)
{
	int failed = 0, rc = build(s, c, &failed, e);
	if (!rc && failed >= 0)
		s->r->main_failed = failed;
	return rc;
}

/* Builds the PR's pending changes as a pull_request run, then schedules its next step. */
static int pr_build(struct sim *s, struct wpr *p, const char *msg, int64_t t, int author_commits, struct err *e)
{
	struct bctx c = { "pull_request", p->branch, &p->b, p->author, p->author, p->bot ? &s->web : p->author, t,
			  msg, p, &p->pending, author_commits, 0 };
	int failed = 0, rc = pr_refs(s, p, e);
	if (!rc)
		rc = build(s, &c, &failed, e);
	if (rc)
		return rc;
	if (failed >= 0)
		p->last_failed = failed;
	memset(&p->pending, 0, sizeof(p->pending));
	pr_schedule(s, p, s->r->last_created, failed);
	return 0;
}

static char *branch_name(struct sim *s, struct wperson *a, int fork, const char *msg)
{
	struct wrepo *r = s->r;
	const char *w1 = world_words[rng_below(&r->rng, world_n_words)];
	const char *w2 = r->modules.v[rng_below(&r->rng, r->modules.n)];
	if (a->bot) {
		char dep[128] = "", to[32] = "";
		char *b;
		sscanf(msg, "Bump %127s from %*s to %31s", dep, to);
		for (char *q = dep; *q; q++)
			if (*q == ':')
				*q = '-';
		b = a->bot == WB_RENOVATE ? xasprintf("renovate/%s-%s", strchr(dep, '-') ? strchr(dep, '-') + 1 : dep, to)
					  : xasprintf("dependabot/%s/%s-%s", r->lang == WL_PYTHON ? "pip" : "maven", dep, to);
		return b;
	}
	if (fork)
		return wr_chance(&r->rng, 0.4) ? xasprintf("patch-%d", wr_range(&r->rng, 1, 4)) : xasprintf("%s-%s", w1, w2);
	switch (wr_range(&r->rng, 0, 2)) {
	case 0:
		return xasprintf("feature/%s-%s", w1, w2);
	case 1:
		return xasprintf("fix/%s-%s", w2, w1);
	default:
		return xasprintf("%s/%s-%s", a->login, w1, w2);
	}
}

static int open_pr(struct sim *s, struct wperson *a, int fork, int64_t t, struct err *e)
{
	struct wrepo *r = s->r;
	struct wpr *p = xcalloc(1, sizeof(*p));
	int ncommits = a->bot ? 1 : wr_chance(&r->rng, 0.55) ? 1 : wr_chance(&r->rng, 0.7) ? 2 : 3;
	int before = a->commits, rc = 0;
	char *msg = NULL;
	p->author = a;
	p->fork = fork;
	p->bot = a->bot != WB_NONE;
	p->last_failed = -1;
	r->next_pr += 1 + (wr_chance(&r->rng, 0.3) ? wr_range(&r->rng, 1, 3) : 0);
	p->number = r->next_pr;
	world_model_copy(&p->b.m, &r->main.m);
	p->b.tip = p->base_sha = r->main.tip;
	p->b.tree = r->main.tree;
	p->b.has_tip = 1;
	for (int i = 0; i < ncommits && !rc; i++) {
		free(msg);
		if (i)
			t += sec(300) + (int64_t)wr_exp(&r->rng, sec(1800));
		rc = commit(s, &p->b, a, t, p->bot ? 2 : 0, &p->ops, &p->nops, &p->pending, &msg, e);
		if (!i && !rc) {
			p->title = xstrdup(msg);
			p->title[strcspn(p->title, "\n")] = 0;
			p->branch = branch_name(s, a, fork, msg);
		}
	}
	xgrow((void **)&s->prs, &s->cap, s->nprs + 1, sizeof(*s->prs));
	s->prs[s->nprs++] = p;
	r->sum->pull_requests++;
	if (!rc)
		rc = pr_build(s, p, msg, t, before, e);
	free(msg);
	return rc;
}

static int push_main(struct sim *s, struct wperson *a, int64_t t, int kind, struct err *e)
{
	struct wrepo *r = s->r;
	struct wchange ch = { 0 };
	int n = kind ? 1 : wr_chance(&r->rng, 0.6) ? 1 : wr_chance(&r->rng, 0.75) ? 2 : 3;
	int before = a->commits, rc = 0;
	char *msg = NULL;
	for (int i = 0; i < n && !rc; i++) {
		free(msg);
		if (i)
			t += sec(300) + (int64_t)wr_exp(&r->rng, sec(2400));
		rc = commit(s, &r->main, a, t, kind, NULL, NULL, &ch, &msg, e);
	}
	if (!rc) {
		struct bctx c = { "push", r->default_branch, &r->main, a, a, a->bot ? &s->web : a, t, msg, NULL, &ch,
				  before, 0 };
		rc = build_main(s, &c, e);
	}
	free(msg);
	return rc;
}

static int merge_pr(struct sim *s, struct wpr *p, struct err *e)
{
	struct wrepo *r = s->r;
	struct wchange ch = { 0 };
	int squash = wr_chance(&r->rng, s->squash_p), rc;
	struct wperson *author = squash ? p->author : p->merger;
	int before = author->commits;
	char *msg;
	clear_dirty(s);
	for (size_t i = 0; i < p->nops; i++)
		world_code_account(r, &p->ops[i], world_model_apply(r, &r->main.m, &p->ops[i], s->dirty), &ch);
	if (squash)
		msg = xasprintf("%s (#%d)", p->title, p->number);
	else
		msg = xasprintf("Merge pull request #%d from %s/%s\n\n%s", p->number, p->fork ? p->author->login : r->owner,
				p->branch, p->title);
	rc = world_git_commit(r, &r->main, s->dirty, squash ? NULL : &p->b.tip, author, p->next, &s->web, p->next, msg, e);
	author->commits++;
	r->main_commits++;
	if (!rc) {
		struct bctx c = { "push", r->default_branch, &r->main, p->merger, author, &s->web, p->next, msg, NULL, &ch,
				  before, 1 };
		rc = build_main(s, &c, e);
	}
	free(msg);
	return rc;
}

static int pr_act(struct sim *s, size_t i, struct err *e)
{
	struct wrepo *r = s->r;
	struct wpr *p = s->prs[i];
	char ref[300];
	int rc = 0;
	if (p->act == ACT_FIX) {
		int before = p->author->commits;
		char *msg = NULL;
		p->fixes++;
		rc = commit(s, &p->b, p->author, p->next, wr_chance(&r->rng, 0.7) ? 1 : 0, &p->ops, &p->nops, &p->pending,
			    &msg, e);
		if (!rc)
			rc = pr_build(s, p, msg, p->next, before, e);
		free(msg);
		return rc;
	}
	if (p->act == ACT_MERGE)
		rc = merge_pr(s, p, e);
	/* Most merged branches are deleted; refs/pull/N/head stays, as on GitHub. */
	if (!rc && !p->fork && wr_chance(&r->rng, p->act == ACT_MERGE ? 0.8 : 0.5)) {
		snprintf(ref, sizeof(ref), "refs/heads/%s", p->branch);
		git_writer_unref(r->git, ref);
	}
	pr_free(p);
	s->prs[i] = s->prs[--s->nprs];
	return rc;
}

static int initial_commit(struct sim *s, struct err *e)
{
	struct wrepo *r = s->r;
	struct wperson *lead = &r->people[0];
	struct wchange ch = { 0 };
	int failed = 0, rc;
	for (size_t i = 0; i < r->npaths; i++)
		s->dirty[i] = i < r->main.m.n && r->main.m.f[i].exists;
	/* The initial import is not a change anyone could have broken: no churn for the model. */
	rc = world_git_commit(r, &r->main, s->dirty, NULL, lead, r->start, lead, r->start, "Initial commit", e);
	lead->commits++;
	r->main_commits++;
	if (!rc) {
		struct bctx c = { "push", r->default_branch, &r->main, lead, lead, lead, r->start, "Initial commit", NULL,
				  &ch, 0, 0 };
		rc = build(s, &c, &failed, e);
	}
	r->main_failed = failed > 0;
	return rc;
}

static int step(struct sim *s, struct err *e)
{
	struct wrepo *r = s->r;
	size_t best = s->nprs;
	int64_t t = s->next_event;
	for (size_t i = 0; i < s->nprs; i++)
		if (s->prs[i]->next < t)
			t = s->prs[i]->next, best = i;
	if (best < s->nprs)
		return pr_act(s, best, e);
	{
		enum ev kind = s->next_kind;
		struct wperson *a = s->next_author;
		int rc;
		schedule_event(s, t);
		if (kind == EV_PUSH)
			rc = push_main(s, a, t, 0, e);
		else if (kind == EV_BOT_CHANGELOG)
			rc = push_main(s, a, t, 3, e);
		else
			rc = open_pr(s, a, kind == EV_FORK_PR, t, e);
		if (!rc && r->main_commits / 30 > s->tags) {
			char tag[64];
			s->tags++;
			snprintf(tag, sizeof(tag), "refs/tags/v0.%d.0", s->tags);
			rc = git_writer_ref(r->git, tag, &r->main.tip, e);
		}
		return rc;
	}
}

int world_sim_repo(struct wrepo *r, struct err *e)
{
	struct sim s = { .r = r };
	char ref[300];
	int rc;
	s.web = (struct wperson){ .name = "GitHub", .email = "noreply@github.com", .login = "web-flow" };
	s.mean_gap = (double)r->span / (r->target_builds / 1.9 + 1);
	s.pr_share = 0.35 + 0.35 * wr_unit(&r->rng);
	s.squash_p = wr_chance(&r->rng, 0.5) ? 0.8 : 0.1;
	rc = initial_commit(&s, e);
	schedule_event(&s, r->start + sec(3600));
	while (!rc && r->run_number < r->target_builds)
		rc = step(&s, e);
	if (!rc) {
		snprintf(ref, sizeof(ref), "refs/heads/%s", r->default_branch);
		rc = git_writer_ref(r->git, ref, &r->main.tip, e);
	}
	for (size_t i = 0; i < s.nprs; i++)
		pr_free(s.prs[i]);
	free(s.prs);
	return rc;
}
