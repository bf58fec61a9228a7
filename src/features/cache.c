/*
 * The per-session derived data of cache.h. Built in O(n log n) over the
 * repository's warehouse builds (plus O(commits) for the git part) the first
 * time a session sees a history, then read by every build's features.
 */
#include "features/cache.h"
#include "features/feature.h"
#include "core/xalloc.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

void feat_cache_init(struct feat_cache *c)
{
	memset(c, 0, sizeof(*c));
}

static void release_history(struct feat_cache *c)
{
	free(c->done);
	free(c->done_time);
	free(c->fail_prefix);
	free(c->streak);
	strmap_clear(&c->author_ids, NULL);
	free(c->author_of);
	for (size_t i = 0; i < c->nauthors; i++) {
		free(c->authors[i].pos);
		free(c->authors[i].fails);
	}
	free(c->authors);
	c->done = NULL;
	c->done_time = NULL;
	c->fail_prefix = c->streak = NULL;
	c->ndone = 0;
	c->author_of = NULL;
	c->authors = NULL;
	c->nauthors = 0;
	c->hist_ready = 0;
}

static void release_git(struct feat_cache *c)
{
	free(c->commit_of);
	free(c->first_start);
	free(c->code_churn);
	for (uint32_t i = 0; i < c->nteam; i++)
		free(c->team[i].c);
	free(c->team);
	c->team = NULL;
	c->nteam = 0;
	c->commit_of = NULL;
	c->first_start = NULL;
	c->code_churn = NULL;
	c->git_ready = 0;
}

void feat_cache_release(struct feat_cache *c)
{
	release_history(c);
	release_git(c);
	git_history_diffsum_release(&c->sum);
	free(c->walk);
	feat_cache_init(c);
}

int64_t feat_hist_start(const struct feat_hist_build *b)
{
	return b->started_at != FEAT_TIME_UNKNOWN ? b->started_at : b->created_at;
}

char *feat_author_key(const char *email, const char *login)
{
	if (email && *email) {
		char *k = xstrdup(email);
		for (char *p = k; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		return k;
	}
	if (login && *login)
		return xasprintf("login:%s", login);
	return NULL;
}

/*
 * qsort_r comparator: done builds by (completed_at, start, position in the
 * history). The last tie-break is the caller's order (started_at, then a
 * provider-stable key), not the warehouse id, which depends on the order in
 * which validation happened to insert the runs.
 */
static int by_completion(const void *a, const void *b, void *arg)
{
	const struct feat_hist_build *hb = arg;
	const struct feat_hist_build *x = &hb[*(const uint32_t *)a], *y = &hb[*(const uint32_t *)b];
	if (x->completed_at != y->completed_at)
		return x->completed_at < y->completed_at ? -1 : 1;
	int64_t sx = feat_hist_start(x), sy = feat_hist_start(y);
	if (sx != sy)
		return sx < sy ? -1 : 1;
	return x < y ? -1 : x > y;
}

static void build_authors(struct feat_cache *c)
{
	const struct feat_hist_build *hb = c->hist_builds;
	c->author_of = xmalloc((c->hist_n ? c->hist_n : 1) * sizeof(uint32_t));
	size_t cap = 0;
	for (size_t i = 0; i < c->hist_n; i++) {
		c->author_of[i] = FEAT_NONE;
		char *key = feat_author_key(hb[i].author_email, hb[i].actor_login);
		if (!key)
			continue;
		uintptr_t id = (uintptr_t)strmap_get(&c->author_ids, key);
		if (!id) {
			xgrow((void **)&c->authors, &cap, c->nauthors + 1, sizeof(*c->authors));
			memset(&c->authors[c->nauthors], 0, sizeof(*c->authors));
			id = ++c->nauthors;
			strmap_put(&c->author_ids, key, (void *)id);
		}
		c->author_of[i] = (uint32_t)(id - 1);
		free(key);
	}
	for (size_t k = 0; k < c->ndone; k++) {
		uint32_t a = c->author_of[c->done[k]];
		if (a == FEAT_NONE)
			continue;
		struct feat_author_list *al = &c->authors[a];
		size_t pcap = al->cap;
		xgrow((void **)&al->pos, &pcap, al->n + 1, sizeof(uint32_t));
		al->cap = (uint32_t)pcap;
		al->pos[al->n++] = (uint32_t)k;
	}
	for (size_t a = 0; a < c->nauthors; a++) {
		struct feat_author_list *al = &c->authors[a];
		al->fails = xmalloc((al->n + 1) * sizeof(uint32_t));
		al->fails[0] = 0;
		for (uint32_t k = 0; k < al->n; k++)
			al->fails[k + 1] = al->fails[k] +
					   (feat_outcome_of(hb[c->done[al->pos[k]]].conclusion) == 1);
	}
}

void feat_cache_sync_history(struct feat_cache *c, const struct feat_history *hist)
{
	if (c->hist_ready && c->hist == hist && c->hist_builds == hist->builds && c->hist_n == hist->n)
		return;
	release_history(c);
	release_git(c); /* indexed by history build */
	c->hist = hist;
	c->hist_builds = hist->builds;
	c->hist_n = hist->n;
	size_t n = hist->n ? hist->n : 1;
	c->done = xmalloc(n * sizeof(uint32_t));
	for (size_t i = 0; i < hist->n; i++)
		if (hist->builds[i].completed_at != FEAT_TIME_UNKNOWN && feat_outcome_of(hist->builds[i].conclusion) >= 0)
			c->done[c->ndone++] = (uint32_t)i;
	qsort_r(c->done, c->ndone, sizeof(uint32_t), by_completion, (void *)hist->builds);
	c->done_time = xmalloc(n * sizeof(int64_t));
	c->fail_prefix = xmalloc((n + 1) * sizeof(uint32_t));
	c->streak = xmalloc(n * sizeof(uint32_t));
	c->fail_prefix[0] = 0;
	for (size_t k = 0; k < c->ndone; k++) {
		const struct feat_hist_build *b = &hist->builds[c->done[k]];
		int failed = feat_outcome_of(b->conclusion) == 1;
		c->done_time[k] = b->completed_at;
		c->fail_prefix[k + 1] = c->fail_prefix[k] + (uint32_t)failed;
		c->streak[k] = failed ? (k ? c->streak[k - 1] : 0) + 1 : 0;
	}
	build_authors(c);
	c->hist_ready = 1;
}

static int by_commit_time(const void *a, const void *b, void *arg)
{
	const struct git_history *h = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	int64_t tx = git_history_commit(h, x)->commit_time, ty = git_history_commit(h, y)->commit_time;
	if (tx != ty)
		return tx < ty ? -1 : 1;
	return x < y ? -1 : x > y;
}

void feat_cache_sync_git(struct feat_cache *c, const struct git_history *git)
{
	uint32_t count = git_history_count(git);
	if (c->git_ready && c->git == git && c->git_count == count)
		return;
	release_git(c);
	c->git = git;
	c->git_count = count;
	size_t n = c->hist_n ? c->hist_n : 1;
	c->commit_of = xmalloc(n * sizeof(uint32_t));
	c->code_churn = xmalloc(n * sizeof(int64_t));
	c->first_start = xmalloc((count ? count : 1) * sizeof(int64_t));
	for (uint32_t k = 0; k < count; k++)
		c->first_start[k] = INT64_MAX;
	for (size_t i = 0; i < c->hist_n; i++) {
		const struct feat_hist_build *b = &c->hist_builds[i];
		uint32_t ci = b->commit_sha ? git_history_find_hex(git, b->commit_sha) : GIT_HISTORY_NONE;
		c->commit_of[i] = ci == GIT_HISTORY_NONE ? FEAT_NONE : ci;
		c->code_churn[i] = -1;
		int64_t s = feat_hist_start(b);
		if (ci != GIT_HISTORY_NONE && s != FEAT_TIME_UNKNOWN && s < c->first_start[ci])
			c->first_start[ci] = s;
	}
	uint32_t *by_time = xmalloc((count ? count : 1) * sizeof(uint32_t));
	for (uint32_t k = 0; k < count; k++)
		by_time[k] = k;
	qsort_r(by_time, count, sizeof(uint32_t), by_commit_time, (void *)git);
	/* Per-identity committed commits, in time order since by_time is. */
	uint32_t web = git_history_ident_find(git, FEAT_WEB_FLOW_EMAIL);
	c->nteam = git_history_ident_count(git);
	c->team = xcalloc(c->nteam ? c->nteam : 1, sizeof(*c->team));
	for (uint32_t k = 0; k < count; k++) {
		const struct git_history_commit *cm = git_history_commit(git, by_time[k]);
		uint32_t who = cm->committer == web ? cm->author : cm->committer;
		if (who == web || who >= c->nteam)
			continue;
		struct feat_commit_list *l = &c->team[who];
		size_t cap = l->cap;
		xgrow((void **)&l->c, &cap, l->n + 1, sizeof(uint32_t));
		l->cap = (uint32_t)cap;
		l->c[l->n++] = by_time[k];
	}
	free(by_time);
	c->git_ready = 1;
}

size_t feat_cache_done_before(const struct feat_cache *c, int64_t t)
{
	size_t lo = 0, hi = c->ndone;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->done_time[mid] < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

uint32_t feat_cache_author(const struct feat_cache *c, const char *email, const char *login)
{
	char *key = feat_author_key(email, login);
	if (!key)
		return FEAT_NONE;
	uintptr_t id = (uintptr_t)strmap_get(&c->author_ids, key);
	free(key);
	return id ? (uint32_t)(id - 1) : FEAT_NONE;
}

/* First k with pos[k] >= x. */
static uint32_t pos_lower(const struct feat_author_list *al, size_t x)
{
	uint32_t lo = 0, hi = al->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (al->pos[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void feat_cache_author_counts(const struct feat_cache *c, uint32_t author, size_t from, size_t to, uint32_t *n,
			      uint32_t *fails)
{
	*n = *fails = 0;
	if (author == FEAT_NONE || author >= c->nauthors || from >= to)
		return;
	const struct feat_author_list *al = &c->authors[author];
	uint32_t a = pos_lower(al, from), b = pos_lower(al, to);
	*n = b - a;
	*fails = al->fails[b] - al->fails[a];
}

size_t feat_cache_walk(struct feat_cache *c, uint32_t trigger, int64_t start, int *status, uint32_t *prev)
{
	const struct git_history *h = c->git;
	size_t n = 0;
	*prev = GIT_HISTORY_NONE;
	uint32_t cur = trigger;
	for (;;) {
		xgrow((void **)&c->walk, &c->walk_cap, n + 1, sizeof(uint32_t));
		c->walk[n++] = cur;
		uint32_t np = 0;
		const uint32_t *parents = git_history_parents(h, cur, &np);
		if (np > 1) {
			*status = GIT_HISTORY_MERGE_FOUND;
			return n;
		}
		if (np == 0) {
			*status = GIT_HISTORY_NO_PREVIOUS_BUILD;
			return n;
		}
		uint32_t next = parents[0];
		if (c->first_start[next] < start) {
			*status = GIT_HISTORY_BUILD_FOUND;
			*prev = next;
			return n;
		}
		cur = next;
	}
}

int64_t feat_cache_code_churn(struct feat_cache *c, struct git_history_view *v, size_t i, uint64_t lang_mask)
{
	if (c->code_churn[i] != -1)
		return c->code_churn[i];
	uint32_t trig = c->commit_of[i];
	int64_t s = feat_hist_start(&c->hist_builds[i]);
	if (trig == FEAT_NONE || s == FEAT_TIME_UNKNOWN) {
		c->code_churn[i] = -2;
		return -2;
	}
	int status;
	uint32_t prev;
	size_t n = feat_cache_walk(c, trig, s, &status, &prev);
	git_history_diff_sum(&c->sum, v, c->walk, n, lang_mask);
	c->code_churn[i] = (int64_t)(c->sum.src_churn + c->sum.test_churn);
	return c->code_churn[i];
}
