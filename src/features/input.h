/*
 * What the feature engine reads: plain C structs that the pipeline fills from
 * the warehouse (raw_build_runs, raw_repositories), the repository's history
 * index (git/history.h) and the build's parsed logs (logs/logs.h). The
 * features layer never opens the database; everything it knows about a build
 * comes through struct feat_input.
 *
 * Ownership: every pointer here is borrowed. The engine copies what it puts
 * into a feature vector and keeps nothing after feat_compute() returns, except
 * the per-session cache derived from `history` and `git` (see engine.h: the
 * caller must keep those alive and unchanged while a session uses them).
 *
 * Times are int64 microseconds UTC (core/utc.h); FEAT_TIME_UNKNOWN marks an
 * unknown time. Durations in seconds are < 0 when unknown.
 *
 * Conclusions use GitHub's vocabulary for every provider (ci/provider.h):
 * success | failure | timed_out | startup_failure count as outcomes (the last
 * three as failed); cancelled, skipped, neutral, action_required, stale and
 * NULL (not completed) are not outcomes and history features ignore them.
 */
#ifndef FEATURES_INPUT_H
#define FEATURES_INPUT_H
#include <stddef.h>
#include <stdint.h>
#include "core/buf.h"

struct git_history;
struct logs_result;

#define FEAT_TIME_UNKNOWN INT64_MIN

/* The build being described (one raw_build_runs row). */
struct feat_build {
	int64_t id;                   /* warehouse id (raw_build_runs.id) */
	const char *ci_run_id;        /* the provider's run id */
	int64_t build_number;         /* 0 when unknown */
	const char *commit_sha;       /* 40 hex digits, the commit the CI reports */
	const char *branch;           /* may be NULL */
	const char *event;            /* push, pull_request, schedule, ...; may be NULL */
	const char *provider;         /* github_actions | circleci | travis | local */
	const char *actor_login;      /* may be NULL */
	int actor_is_bot;
	const char *author_name;      /* head commit author as the CI reports it; may be NULL */
	const char *author_email;     /* may be NULL */
	const int64_t *pr_numbers;    /* pull requests the build belongs to */
	size_t n_pr_numbers;
	const char *status;           /* queued | in_progress | completed */
	const char *conclusion;       /* see above; NULL while not completed */
	int64_t created_at, started_at, completed_at;
	double duration_sec;          /* < 0 when unknown */
	int64_t run_attempt;          /* 1 for the first attempt */
	int64_t jobs_count;
	const char *const *job_ids;   /* the build's job ids (TravisTorrent's tr_jobs); may be NULL */
	size_t n_job_ids;
};

/* The repository (one raw_repositories row). */
struct feat_repo {
	const char *full_name;        /* owner/name */
	const char *main_language;    /* as the provider says ("Python"); may be NULL */
	const char *default_branch;   /* may be NULL */
	const char *provider;
};

/*
 * One build of the same repository as the warehouse knows it, for the
 * history, author and prev_log features and for "built by an earlier build"
 * in the git walk. Every build of the repository belongs here (not only the
 * scenario's), the described build itself and later ones included: the
 * engine picks, per build, only what was known at its start.
 */
struct feat_hist_build {
	int64_t id;
	const char *ci_run_id;        /* the provider's run id; may be NULL */
	const char *commit_sha;
	const char *branch;
	int64_t started_at;           /* FEAT_TIME_UNKNOWN: created_at is used */
	int64_t created_at;
	int64_t completed_at;         /* FEAT_TIME_UNKNOWN while running */
	const char *conclusion;
	double duration_sec;          /* < 0 when unknown */
	const char *author_email;     /* head commit author; may be NULL */
	const char *actor_login;      /* may be NULL; identifies the author when the e-mail is absent */
	int64_t pr_number;            /* first pull request of the build, 0 for none */
	const struct logs_result *log; /* aggregated job logs, NULL when missing */
};

/* All builds of the repository, sorted by started_at (then id). */
struct feat_history {
	const struct feat_hist_build *builds;
	size_t n;
};

/* A pull-request comment: its kind and when it was made. */
enum feat_comment_kind {
	FEAT_COMMENT_ISSUE = 1,  /* discussion comment on the PR (GitHub issue comment) */
	FEAT_COMMENT_REVIEW = 2, /* review comment on the PR's diff */
	FEAT_COMMENT_COMMIT = 3, /* comment on one of the PR's commits */
};
struct feat_pr_comment {
	int64_t created_at;
	int kind;                     /* enum feat_comment_kind */
};

/* The pull request of a PR build, as fetched from the provider. */
struct feat_pr {
	int64_t number;
	int64_t created_at;           /* FEAT_TIME_UNKNOWN when unknown */
	const char *body;             /* the description as fetched (may have been edited since); may be NULL */
	int has_comments;             /* 0 when comments were not fetched: pr comment features are null */
	const struct feat_pr_comment *comments;
	size_t n_comments;
};

/* Everything about one build. Only `build` is required. */
struct feat_input {
	const struct feat_build *build;
	const struct feat_repo *repo;         /* NULL: repo_full_name/language null, vector partial */
	const struct feat_history *history;   /* NULL: history/author features null, vector partial */
	const struct git_history *git;        /* NULL when the mirror is missing: git/repo/team/devops null */
	const struct logs_result *log;        /* this build's aggregated logs; NULL when missing */
	const struct feat_pr *pr;             /* NULL when not fetched (or not a PR build) */
};

/*
 * extractor_configs of feature_config. lang_mask is derived from
 * source_languages (bit 1 << enum git_lang; 0 = every language).
 */
struct feat_config {
	int lookback_days;                /* default 90 */
	struct strvec test_frameworks;    /* lower-case; empty = every framework */
	struct strvec source_languages;   /* lower-case canonical names; empty = every language */
	uint64_t lang_mask;
	int travistorrent;                /* output_config.naming is travistorrent: TravisTorrent's
					     semantics for the columns that carry its names */
};

#endif
