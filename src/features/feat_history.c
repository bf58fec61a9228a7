/*
 * history_*: the repository's earlier builds, point in time. A build's
 * history is the warehouse builds of the same repository that FINISHED
 * (completed_at) before it STARTED, with an outcome (success, or failure /
 * timed_out / startup_failure); cancelled and skipped builds say nothing
 * about pass or fail and are left out. "Previous build" is the one of them
 * that finished last — the latest result anyone could see when the build
 * started — and "last N" counts back from it in completion order. Builds
 * still running at the start, and builds that finish later even though they
 * started earlier, are not in the history.
 */
#include "features/families_internal.h"
#include "core/utc.h"
#include <strings.h>

static const struct feat_def prev_defs[] = {
	{ "history_prev_build_id", FEAT_STRING, "id",
	  "The CI provider's id of the previous build (the last to finish before this one started).",
	  FEAT_PRE_BUILD, 1, NULL, "tr_prev_build",
	  "TravisTorrent's is the previous build on the same branch by number; ciminer's is the last build of the "
	  "repository to finish before this one started." },
	{ "history_prev_build_result", FEAT_STRING, "",
	  "Conclusion of the previous build (success, failure, timed_out, startup_failure).", FEAT_PRE_BUILD, 1,
	  NULL, NULL, NULL },
	{ "history_prev_outcome", FEAT_INT, "",
	  "Outcome of the previous build as the label encodes it: 1 failed, 0 passed (the Parrot baseline's "
	  "prediction).",
	  FEAT_PRE_BUILD, 1, NULL, NULL, NULL },
	{ "history_prev_build_duration_sec", FEAT_FLOAT, "seconds", "How long the previous build ran.", FEAT_PRE_BUILD, 1,
	  "tr_prev_build_duration", NULL, NULL },
	{ "history_days_since_prev_build", FEAT_FLOAT, "days",
	  "Days from the previous build's completion to this build's start.", FEAT_PRE_BUILD, 1, NULL, NULL, NULL },
	{ "history_prev_same_committer", FEAT_BOOL, "",
	  "Whether the previous build's commit has the same author (e-mail, else actor login) as this one's.",
	  FEAT_PRE_BUILD, 1, NULL, NULL, NULL },
};

static int same_person(const struct feat_build *b, const struct feat_hist_build *p)
{
	if (b->author_email && *b->author_email && p->author_email && *p->author_email)
		return strcasecmp(b->author_email, p->author_email) == 0;
	if (b->actor_login && *b->actor_login && p->actor_login && *p->actor_login)
		return strcasecmp(b->actor_login, p->actor_login) == 0;
	return -1;
}

static int prev_compute(struct feat_run *r, void *state, struct feat_value *out)
{
	struct feat_st_prev *st = state;
	const struct feat_cache *c = r->cache;
	st->ndone = feat_cache_done_before(c, r->start);
	st->prev = st->ndone ? c->done[st->ndone - 1] : FEAT_NONE;
	if (st->prev == FEAT_NONE)
		return 0;
	const struct feat_hist_build *p = &r->in->history->builds[st->prev];
	feat_set_str(&out[0], p->ci_run_id);
	feat_set_str(&out[1], p->conclusion);
	feat_set_int(&out[2], feat_outcome_of(p->conclusion));
	double sec = feat_run_seconds(p->duration_sec, p->started_at, p->completed_at); /* p finished: completed_at known */
	if (sec >= 0)
		feat_set_float(&out[3], sec);
	feat_set_float(&out[4], feat_days(p->completed_at, r->start));
	int same = same_person(r->in->build, p);
	if (same >= 0)
		feat_set_bool(&out[5], same);
	return 0;
}

const struct feat_node feat_node_history_prev = {
	"history_prev", "history", FEAT_IN_HISTORY, NULL, prev_defs, FEAT_N(prev_defs), sizeof(struct feat_st_prev),
	NULL, prev_compute,
};

static const struct feat_def rate_defs[] = {
	{ "history_builds_count", FEAT_INT, "count", "Builds of the repository that finished before this one started.",
	  FEAT_PRE_BUILD, 1, NULL, NULL, NULL },
	{ "history_fail_rate", FEAT_FLOAT, "ratio", "Share of failed builds among all builds finished before the start.",
	  FEAT_PRE_BUILD, 1, NULL, NULL, NULL },
	{ "history_fail_rate_5", FEAT_FLOAT, "ratio", "Share of failed builds among the last 5 finished before the start.",
	  FEAT_PRE_BUILD, 1, NULL, NULL, NULL },
	{ "history_fail_rate_10", FEAT_FLOAT, "ratio",
	  "Share of failed builds among the last 10 finished before the start.", FEAT_PRE_BUILD, 1, NULL, NULL, NULL },
	{ "history_success_rate_5", FEAT_FLOAT, "ratio",
	  "Share of passed builds among the last 5 finished before the start.", FEAT_PRE_BUILD, 1,
	  "tr_success_rate_last_5", NULL, NULL },
	{ "history_fail_streak", FEAT_INT, "count",
	  "Consecutive failed builds, counting back from the previous build (0 when it passed).", FEAT_PRE_BUILD, 1,
	  NULL, NULL, NULL },
};

/* Failure share among done[from..to) (null when empty). */
static void fail_share(struct feat_value *out, const struct feat_cache *c, size_t from, size_t to, int success)
{
	if (to <= from)
		return;
	double fails = (double)(c->fail_prefix[to] - c->fail_prefix[from]);
	double n = (double)(to - from);
	feat_set_float(out, success ? (n - fails) / n : fails / n);
}

static int rate_compute(struct feat_run *r, void *state, struct feat_value *out)
{
	const struct feat_st_prev *p = r->deps[0];
	const struct feat_cache *c = r->cache;
	size_t k = p->ndone;
	feat_set_int(&out[0], (int64_t)k);
	fail_share(&out[1], c, 0, k, 0);
	fail_share(&out[2], c, k > 5 ? k - 5 : 0, k, 0);
	fail_share(&out[3], c, k > 10 ? k - 10 : 0, k, 0);
	fail_share(&out[4], c, k > 5 ? k - 5 : 0, k, 1);
	feat_set_int(&out[5], k ? c->streak[k - 1] : 0);
	return 0;
}

static const char *const rate_deps[] = { "history_prev", NULL };

const struct feat_node feat_node_history_rates = {
	"history_rates", "history", FEAT_IN_HISTORY, rate_deps, rate_defs, FEAT_N(rate_defs), 0, NULL, rate_compute,
};
