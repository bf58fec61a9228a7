/*
 * author_*: the person behind the build's commit, point in time.
 *
 * From the warehouse (author = the head commit's author e-mail, lower-cased,
 * else the actor login): how many of their builds finished before this one
 * started and how many of those failed, overall and in the lookback window.
 * From the history index (author = the trigger commit's author identity):
 * when they first authored a commit in the trigger commit's history — never
 * in later history or other branches — and how much of the touched files'
 * history is theirs.
 */
#include "features/families_internal.h"

static const struct feat_def hist_defs[] = {
	{ "author_experience", FEAT_INT, "count",
	  "Builds by the same author that finished before this one started.", FEAT_PRE_BUILD, 1, NULL, NULL, NULL },
	{ "author_fail_rate", FEAT_FLOAT, "ratio",
	  "Share of failed builds among the author's builds finished before the start (null for none).",
	  FEAT_PRE_BUILD, 1, NULL, NULL, NULL },
	{ "author_recent_builds", FEAT_INT, "count",
	  "The author's builds that finished in the lookback window before the start.", FEAT_PRE_BUILD, 1, NULL, NULL,
	  NULL },
	{ "author_fail_rate_recent", FEAT_FLOAT, "ratio",
	  "Share of failed builds among the author's builds finished in the lookback window before the start.",
	  FEAT_PRE_BUILD, 1, NULL, NULL, NULL },
};

static int hist_compute(struct feat_run *r, void *state, struct feat_value *out)
{
	const struct feat_st_prev *p = r->deps[0];
	const struct feat_cache *c = r->cache;
	const struct feat_build *b = r->in->build;
	if (!(b->author_email && *b->author_email) && !(b->actor_login && *b->actor_login))
		return 0; /* nobody to describe */
	uint32_t author = feat_cache_author(c, b->author_email, b->actor_login);
	uint32_t n, fails, rn, rfails;
	feat_cache_author_counts(c, author, 0, p->ndone, &n, &fails);
	size_t from = feat_cache_done_before(c, feat_lookback_from(r));
	feat_cache_author_counts(c, author, from, p->ndone, &rn, &rfails);
	feat_set_int(&out[0], n);
	if (n)
		feat_set_float(&out[1], (double)fails / n);
	feat_set_int(&out[2], rn);
	if (rn)
		feat_set_float(&out[3], (double)rfails / rn);
	return 0;
}

static const char *const hist_deps[] = { "history_prev", NULL };

const struct feat_node feat_node_author_history = {
	"author_history", "author", FEAT_IN_HISTORY, hist_deps, hist_defs, FEAT_N(hist_defs), 0, NULL, hist_compute,
};

static const struct feat_def git_defs[] = {
	{ "author_is_new", FEAT_BOOL, "",
	  "Whether the trigger commit's author first authored a commit in its history less than lookback_days before "
	  "the build's start.",
	  FEAT_PRE_BUILD, 1, NULL, NULL, NULL },
	{ "author_days_since_first_commit", FEAT_FLOAT, "days",
	  "Days from the author's first commit in the trigger commit's history to the build's start.", FEAT_PRE_BUILD,
	  1, NULL, NULL, NULL },
	{ "author_commits_recent", FEAT_INT, "count",
	  "Commits the author made in the lookback window before the start, in the trigger commit's history.",
	  FEAT_PRE_BUILD, 1, NULL, NULL, NULL },
};

static int git_compute(struct feat_run *r, void *state, struct feat_value *out)
{
	uint32_t author = git_history_commit(r->in->git, r->trigger)->author;
	int64_t first = git_history_author_first_time(r->view, author);
	if (first != INT64_MIN) {
		feat_set_bool(&out[0], r->start - first < r->start - feat_lookback_from(r));
		feat_set_float(&out[1], feat_days(first, r->start));
	}
	feat_set_int(&out[2], git_history_author_commits(r->view, author, feat_lookback_from(r), r->start));
	return 0;
}

const struct feat_node feat_node_author_git = {
	"author_git", "author", FEAT_IN_GIT, NULL, git_defs, FEAT_N(git_defs), 0, NULL, git_compute,
};

static const struct feat_def own_defs[] = {
	{ "author_ownership", FEAT_FLOAT, "ratio",
	  "Share of the earlier commits on the touched files (the trigger commit's history, built commits excluded) "
	  "that the trigger commit's author made (null when the files have no earlier commits).",
	  FEAT_PRE_BUILD, 1, NULL, NULL, NULL },
};

static int own_compute(struct feat_run *r, void *state, struct feat_value *out)
{
	const struct feat_st_built *b = r->deps[0];
	const struct feat_st_diff *d = r->deps[1];
	uint32_t author = git_history_commit(r->in->git, r->trigger)->author;
	uint32_t mine = 0;
	uint32_t n = git_history_file_commits(r->view, d->sum.paths, d->sum.npaths, INT64_MIN, INT64_MAX, b->commits,
					      b->n, author, &mine);
	if (n)
		feat_set_float(&out[0], (double)mine / n);
	return 0;
}

static const char *const own_deps[] = { "git_built", "git_diff", NULL };

const struct feat_node feat_node_author_ownership = {
	"author_ownership", "author", FEAT_IN_GIT | FEAT_IN_HISTORY, own_deps, own_defs, FEAT_N(own_defs), 0, NULL,
	own_compute,
};
