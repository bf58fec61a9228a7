/*
 * Per-session data derived once from a repository's warehouse history and
 * git index, so that each build's history, author and git-walk features are
 * binary searches and prefix sums instead of scans:
 *
 *  - "done": the builds that finished with an outcome (feat_outcome_of >= 0),
 *    ordered by completion time; "finished before t" is a prefix of it, and
 *    failure counts over any range of it are prefix-sum differences.
 *  - per-author positions in "done" (author = lower-cased e-mail, else the
 *    actor login), for author fail rates and experience.
 *  - per commit, the earliest start of any warehouse build of it, so that
 *    "built by a build that started before t" (the built-commits walk) is one
 *    comparison for any t, whatever order the builds are processed in.
 *  - per warehouse build, its code churn (memoised on first use).
 *  - per identity, the commits it committed (the author standing in for
 *    GitHub's web-flow) in commit-time order, so that an identity's first
 *    commit in a time window is a binary search away (the team features).
 *
 * Internal to src/features/. The cache borrows the history and git index it
 * was built from; feat_cache_sync_* rebuild it when those change (pointer or
 * size).
 */
#ifndef FEATURES_CACHE_H
#define FEATURES_CACHE_H
#include <stddef.h>
#include <stdint.h>
#include "core/buf.h"
#include "features/input.h"
#include "git/history.h"

#define FEAT_NONE UINT32_MAX

struct feat_author_list {
	uint32_t *pos;   /* positions in done[], ascending */
	uint32_t *fails; /* fails[k] = failures among pos[0..k) (n + 1 entries) */
	uint32_t n, cap;
};

struct feat_commit_list {
	uint32_t *c;
	uint32_t n, cap;
};

/* GitHub's web interface commits merges and squashes as this identity. */
#define FEAT_WEB_FLOW_EMAIL "noreply@github.com"

struct feat_cache {
	/* the key */
	const struct feat_history *hist;
	const struct feat_hist_build *hist_builds;
	size_t hist_n;
	int hist_ready;
	const struct git_history *git;
	uint32_t git_count;
	int git_ready;

	uint32_t *done;         /* history indexes of finished outcome builds, by completed_at */
	int64_t *done_time;     /* their completed_at */
	uint32_t *fail_prefix;  /* failures among done[0..k), ndone + 1 entries */
	uint32_t *streak;       /* consecutive failures ending at done[k] */
	size_t ndone;

	struct strmap author_ids;        /* author key -> id + 1 */
	uint32_t *author_of;             /* per history build: author id or FEAT_NONE */
	struct feat_author_list *authors;
	size_t nauthors;

	uint32_t *commit_of;    /* per history build: commit index or FEAT_NONE */
	int64_t *first_start;   /* per commit: earliest start of a build of it, INT64_MAX for none */
	int64_t *code_churn;    /* per history build: -1 not computed, -2 unknown */
	struct feat_commit_list *team; /* per identity: commits it committed (or authored when
	                                  GitHub's web-flow committed them), by commit time */
	uint32_t nteam;
	struct git_history_diffsum sum; /* scratch for code_churn */
	uint32_t *walk;
	size_t walk_cap;
};

void feat_cache_init(struct feat_cache *c);
void feat_cache_release(struct feat_cache *c);

/* Start of a warehouse build: started_at, else created_at. */
int64_t feat_hist_start(const struct feat_hist_build *b);

/* Rebuilds the history part when hist differs from the cached one. */
void feat_cache_sync_history(struct feat_cache *c, const struct feat_history *hist);
/* Rebuilds the git part (commit of each build, first starts) when git or the history changed. */
void feat_cache_sync_git(struct feat_cache *c, const struct git_history *git);

/* Number of done builds that completed before t (they are done[0..k)). */
size_t feat_cache_done_before(const struct feat_cache *c, int64_t t);
/* The author id of a key made from an e-mail and a login (FEAT_NONE when unknown). */
uint32_t feat_cache_author(const struct feat_cache *c, const char *email, const char *login);
/* Builds of author among done[from..to) and how many of them failed. */
void feat_cache_author_counts(const struct feat_cache *c, uint32_t author, size_t from, size_t to, uint32_t *n,
			      uint32_t *fails);
/* The author key ("e-mail" lower-cased, else "login:<login>"); NULL when both are absent. Caller frees. */
char *feat_author_key(const char *email, const char *login);

/*
 * Built commits of a build that started at `start` with commit `trigger`
 * (TravisTorrent's rule, see git/history.h git_history_built_commits), where
 * "built by an earlier build" means a warehouse build of the commit started
 * before `start`. Fills c->walk (trigger first) and returns the count; status
 * and prev as git_history_built.
 */
size_t feat_cache_walk(struct feat_cache *c, uint32_t trigger, int64_t start, int *status, uint32_t *prev);

/* Code churn (source + test lines added and deleted over its built commits) of
 * warehouse build i, as of its own start; -2 when its commit is not indexed.
 * Uses v as scratch only. Memoised. */
int64_t feat_cache_code_churn(struct feat_cache *c, struct git_history_view *v, size_t i, uint64_t lang_mask);

#endif
