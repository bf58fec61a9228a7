/*
 * CI providers behind one interface (docs/ci.md; docs/architecture.md,
 * Conventions: interfaces).
 *
 * A struct ci_provider is opened for one kind ("github_actions", "circleci",
 * "travis", "local") and answers four questions in a provider-neutral shape:
 *
 *   ci_repo_get()     does this repository exist; its id, default branch,
 *                     main language, private flag and raw metadata
 *   ci_run_get()      one build (a GitHub workflow run, a CircleCI pipeline,
 *                     a Travis build) by its id, normalised to struct ci_run
 *   ci_runs_lookup()  many builds of one repository at once, as economically
 *                     as the provider allows (GitHub: pages of the run list
 *                     narrowed by creation time, matched locally, with single
 *                     look-ups only for the rest; see docs/ci.md)
 *   ci_jobs_list()    a build's jobs
 *   ci_jobs_fill()    the jobs of many builds of one repository at once, as
 *                     economically as the provider allows (GitHub: GraphQL,
 *                     the check runs of 100 workflow runs per request)
 *   ci_logs_fetch()   job logs streamed into caller-given sinks, N in flight
 *
 * Ownership: every struct filled by these functions (ci_repo, ci_run,
 * ci_job) owns its strings; release it with the matching _release(). Strings
 * that the provider does not know are NULL; times that it does not know are
 * CI_TIME_UNKNOWN. Times are int64 microseconds UTC (core/utc.h).
 *
 * Errors (docs/architecture.md, "Error model and exit status"): functions return 0 or a negative code and fill the
 * struct err. The codes a caller acts on have names:
 *   CI_ERR_NOT_FOUND     404: the repository/build/job does not exist (or is
 *                        not visible to the token) — a permanent answer
 *   CI_ERR_GONE          410: the resource existed but expired (GitHub logs
 *                        after their retention) — permanent, "missing resource"
 *   CI_ERR_RATE_LIMITED  every credential is exhausted beyond the longest
 *                        wait the client accepts — transient
 *   CI_ERR_TRANSIENT     network failure, timeout or 5xx after the retries —
 *                        transient (retry the job later)
 *   CI_ERR_PERMANENT     any other refusal (401, 403 without a limit, a
 *                        malformed answer) — retrying will not help
 * ci_err_is_transient() / ci_err_is_missing() classify any returned code.
 *
 * Threading: a provider (and its HTTP client) is used by one thread at a time.
 */
#ifndef CI_PROVIDER_H
#define CI_PROVIDER_H
#include <stddef.h>
#include <stdint.h>
#include "ci/http.h"
#include "core/err.h"

#define CI_TIME_UNKNOWN INT64_MIN

enum ci_err_code {
	CI_ERR_NOT_FOUND = ERR_NOT_FOUND,
	CI_ERR_RATE_LIMITED = ERR_RATE_LIMITED,
	CI_ERR_TRANSIENT = ERR_NETWORK,
	CI_ERR_PERMANENT = ERR_PERMANENT,
	/* Not in core/err.h; err_code_name() calls it "internal", ci_err_name() "gone". */
	CI_ERR_GONE = -40,
};
/* 1 for codes worth retrying later: CI_ERR_TRANSIENT, ERR_TIMEOUT, CI_ERR_RATE_LIMITED. */
int ci_err_is_transient(int code);
/* 1 for CI_ERR_NOT_FOUND and CI_ERR_GONE (the specification's missing_resource). */
int ci_err_is_missing(int code);
/* Stable short name: "not_found", "gone", "rate_limited", "network", ... */
const char *ci_err_name(int code);

/* Provider kinds as spelled in CSV files and scenario configurations. */
#define CI_GITHUB "github_actions"
#define CI_CIRCLECI "circleci"
#define CI_TRAVIS "travis"
#define CI_LOCAL "local"

/* The form of a kind's build ids (ci_build_id_valid). */
enum ci_id_form {
	CI_ID_DECIMAL, /* a positive decimal integer: GitHub run ids, Travis build ids */
	CI_ID_UUID,    /* 8-4-4-4-12 hex digits: CircleCI pipeline ids */
};

struct ci_provider;
struct ci_provider_ops;
/*
 * The registration table of providers (provider.c), one line per kind, in the
 * order messages, help and docs list them; the one place that names them all.
 * Adding a provider: its ci_<kind>.c (ops with setup), one line of ci_kinds[],
 * and its ops' extern below (docs/architecture.md, "Files to touch").
 */
struct ci_kind {
	const char *kind;                  /* as spelled in CSV files and scenarios */
	const struct ci_provider_ops *ops;
	enum ci_id_form id_form;
	const char *env;                   /* the environment variables it reads, space-separated (docs) */
};
extern const struct ci_kind ci_kinds[];
extern const size_t ci_nkinds;
/* The line of kind, or NULL. */
const struct ci_kind *ci_kind_find(const char *kind);
/* 1 when kind is a line of ci_kinds[]. */
int ci_kind_valid(const char *kind);
/* "github_actions, circleci, travis or local" (last_sep " or "), from the table; caller frees. */
char *ci_kinds_join(const char *sep, const char *last_sep);
/* What an id of form looks like, for messages: "a positive whole number", "a pipeline UUID". */
const char *ci_id_form_doc(enum ci_id_form form);
/* 1 when the provider serves pull requests itself (its ops have prs_get); 0 for CircleCI and Travis,
 * whose repositories' pull requests live at GitHub. */
int ci_provider_has_prs(const struct ci_provider *p);

/*
 * Row hygiene for the importer (no network):
 * ci_build_id_valid(): GitHub and Travis ids are positive decimal integers
 * (at most 19 digits, no sign, no leading zero); CircleCI pipeline ids are
 * UUIDs (8-4-4-4-12 hex digits); local archives take GitHub-style ids. Returns
 * 1/0; an unknown kind is 0.
 * ci_repo_name_valid(): "owner/name" with GitHub's characters: owner 1-39 of
 * [A-Za-z0-9-] not starting or ending with '-'; name 1-100 of [A-Za-z0-9._-],
 * not "." or "..". Returns 1/0; when 0 and why != NULL, *why is a static
 * reason ("owner has a character GitHub does not allow").
 */
int ci_build_id_valid(const char *kind, const char *id);
int ci_repo_name_valid(const char *name, const char **why);

/*
 * Bot detection: actor type "Bot", a login ending in "[bot]", or one of the
 * usual automation accounts (dependabot, dependabot-preview, renovate,
 * renovate-bot, github-actions, greenkeeper(io-bot), snyk-bot, pyup-bot,
 * imgbot, allcontributors, mergify, codecov-io, semantic-release-bot,
 * depfu, whitesource-bolt..., and logins ending in "-bot" or "_bot"),
 * compared case-insensitively. type may be NULL.
 */
int ci_is_bot(const char *login, const char *type);

struct ci_repo {
	char *full_name;      /* "owner/name" as the provider spells it */
	int64_t id;           /* provider's numeric id (GitHub repository id), 0 when none */
	char *default_branch;
	char *language;       /* main language, e.g. "Python"; NULL when unknown */
	int is_private;
	char *git_url;        /* clone URL: CIMINER_GIT_URL/<owner>/<name>.git, or the archive's */
	char *raw_json;       /* the provider's payload, compact JSON */
};
#define CI_REPO_INIT { 0 }
void ci_repo_release(struct ci_repo *r);

struct ci_job {
	char *id;             /* GitHub/Travis job id; CircleCI job number (the one its logs need) */
	char *run_id;         /* ci_run_id of the build */
	char *name;
	char *status;         /* queued | in_progress | completed */
	char *conclusion;     /* GitHub vocabulary (see struct ci_run); NULL while not completed */
	int64_t started_at, completed_at;
	char *runner;         /* runner name / queue; NULL when unknown */
	char *steps_json;     /* the steps as the provider gives them (JSON array), or NULL */
	char *raw_json;
};
#define CI_JOB_INIT { 0 }
void ci_job_release(struct ci_job *j);
void ci_jobs_free(struct ci_job *jobs, size_t n);

struct ci_run {
	char *ci_run_id;      /* GitHub run id / CircleCI pipeline UUID / Travis build id */
	char *repo_full_name;
	int64_t build_number; /* run_number / pipeline number / build number; 0 when unknown */
	char *workflow_name;
	char *branch;
	char *commit_sha;
	char *commit_message;
	char *author_name, *author_email; /* of the head commit; NULL when unknown */
	char *event;          /* push, pull_request, schedule, workflow_dispatch, api, ... */
	char *actor_login;
	int actor_is_bot;     /* ci_is_bot(actor) */
	int64_t *pr_numbers;  /* pull requests the build belongs to */
	size_t n_pr;
	/* Status and conclusion in GitHub's vocabulary for every provider:
	 * status queued | in_progress | completed; conclusion success | failure |
	 * cancelled | skipped | timed_out | neutral | action_required |
	 * startup_failure | stale, NULL while not completed. */
	char *status;
	char *conclusion;
	int64_t created_at, started_at, completed_at;
	int64_t duration_usec; /* completed - started, or the provider's figure; CI_TIME_UNKNOWN when not completed */
	char *web_url;
	int run_attempt;      /* 1 for the first attempt */
	char *raw_json;       /* the provider's payload (for CircleCI: pipeline with its workflows) */
	struct ci_job *jobs;  /* filled when the payload carries them (local archive) or by ci_jobs_fill() */
	size_t n_jobs;
	int jobs_known;       /* jobs/n_jobs are the build's jobs (possibly none); 0: not listed yet */
	int jobs_rc;          /* why ci_jobs_fill() could not list them (a CI_ERR_* code); 0 otherwise */
	char *jobs_ref;       /* the provider's handle for listing jobs in bulk (GitHub: the check suite's
	                       * node id, check_suite_node_id); NULL when it has none */
};
#define CI_RUN_INIT { 0 }
void ci_run_init(struct ci_run *r);     /* zero, times CI_TIME_UNKNOWN */
void ci_run_release(struct ci_run *r);
/* 1 when the run is a usable labelled build: completed, conclusion success or
 * failure, and not triggered by a bot (the importer's "found" vs "filtered"). */
int ci_run_is_labelled(const struct ci_run *r);

/* One id of a batch look-up; rc/err/run are filled by ci_runs_lookup(). */
struct ci_lookup {
	const char *run_id;   /* in, borrowed */
	int rc;               /* out: 0 found, CI_ERR_NOT_FOUND, or another code */
	struct err err;
	struct ci_run run;    /* out when rc == 0; release with ci_run_release() */
};

/* One log of a batch download. */
struct ci_log_req {
	const char *job_id;   /* in, borrowed */
	struct ci_sink sink;  /* in: where the bytes go (reset() lets a broken download be retried) */
	int rc;               /* out: 0, CI_ERR_NOT_FOUND / CI_ERR_GONE (expired), or transient */
	struct err err;
	size_t bytes;         /* bytes written to the sink */
	int truncated;        /* the cap was reached; bytes == cap */
	/* in, optional: called once with the outcome filled (rc, err, bytes,
	 * truncated), as soon as this log is done where the provider can (HTTP
	 * providers: while other logs still download), else when the batch ends. */
	void (*done)(struct ci_log_req *r, void *arg);
	void *done_arg;
	int notified;         /* internal: done was called */
};

struct ci_options {
	const char *api_url;     /* NULL: the kind's environment variable, else its public default */
	const char *tokens;      /* comma-separated; NULL: the kind's environment variable(s) */
	const char *archive_dir; /* local only; NULL: CIMINER_LOCAL_ARCHIVE */
	const char *git_url;     /* clone base; NULL: CIMINER_GIT_URL, else https://github.com */
	struct ci_http_config http;
};
/* Defaults: everything from the environment (docs/ci.md), http from ci_http_config_init(). */
void ci_options_init(struct ci_options *o);

struct ci_provider;

/* Opens a provider of kind; the caller frees it with ci_provider_free(). Returns
 * ERR_INPUT for an unknown kind or a missing/unreadable archive folder. */
int ci_provider_open(struct ci_provider **out, const char *kind, const struct ci_options *o, struct err *e);
void ci_provider_free(struct ci_provider *p);
const char *ci_provider_kind(const struct ci_provider *p);
/* The provider's HTTP client (borrowed; NULL for local) — for its statistics. */
struct ci_http_client *ci_provider_http(struct ci_provider *p);

int ci_repo_get(struct ci_provider *p, struct ci_repo *out, const char *full_name, struct err *e);
int ci_run_get(struct ci_provider *p, struct ci_run *out, const char *repo, const char *run_id, struct err *e);
/*
 * Looks up n builds of one repository. Returns 0 when every item has its own
 * outcome in rc (check each), or a negative code when the batch as a whole
 * failed (then the items' rc are that code too). Items may repeat an id.
 */
int ci_runs_lookup(struct ci_provider *p, const char *repo, struct ci_lookup *items, size_t n, struct err *e);
/* The build's jobs (all pages); *out is freed with ci_jobs_free(*out, *n). */
int ci_jobs_list(struct ci_provider *p, struct ci_job **out, size_t *n, const char *repo, const char *run_id,
		 struct err *e);
/*
 * Lists the jobs of every run in runs[0..n) whose jobs_known is 0 and sets
 * its jobs, n_jobs and jobs_known = 1 (runs are borrowed; each needs at least
 * ci_run_id, and jobs_ref for the bulk path). GitHub: one GraphQL request per
 * 100 runs carrying a jobs_ref (GraphQL needs a token), concurrent REST
 * listings (8 in flight) for the rest or when GraphQL is refused; others: a
 * listing per run. Returns 0 when every run's jobs are known; otherwise the
 * code of the first failure (CI_ERR_TRANSIENT, CI_ERR_RATE_LIMITED, ...) with
 * the runs that failed left at jobs_known = 0, each with its own code in
 * jobs_rc, and the others filled.
 */
int ci_jobs_fill(struct ci_provider *p, const char *repo, struct ci_run *const *runs, size_t n, struct err *e);
/*
 * The jobs_ref of a run from its stored raw payload (ci_run.raw_json) for a
 * provider kind, or NULL (caller frees): how a run read back from the
 * warehouse gets its jobs listed in bulk again.
 */
char *ci_run_jobs_ref(const char *kind, const char *raw_json);
/*
 * Downloads n job logs into their sinks, cfg.max_in_flight at a time (GitHub:
 * the API answers 302 to a short-lived storage URL, which is followed without
 * credentials). cap > 0 truncates each log at cap bytes and sets truncated.
 * Returns 0 when every item has its own outcome in rc.
 */
int ci_logs_fetch(struct ci_provider *p, const char *repo, struct ci_log_req *reqs, size_t n, size_t cap,
		  struct err *e);
/* One log; returns its rc. */
int ci_log_fetch(struct ci_provider *p, const char *repo, const char *job_id, struct ci_sink *sink, size_t cap,
		 size_t *bytes, int *truncated, struct err *e);

/* ---- for implementations (ci_*.c) ---- */

/* Calls r->done once (see struct ci_log_req); for implementations that know a log's outcome early. */
void ci_log_req_notify(struct ci_log_req *r);

struct ci_pr_req;
struct ci_pr_ctx;
struct ci_commit_prs; /* ci/pr.h */

struct ci_provider_ops {
	const char *kind;
	/* The kind's set-up after the common part (git_url, and http when the kind uses it) is filled. */
	int (*setup)(struct ci_provider *p, const struct ci_options *o, struct err *e);
	int http; /* 1: the kind talks HTTP (p->http is made before setup); 0: a local archive */
	int (*repo_get)(struct ci_provider *p, struct ci_repo *out, const char *full_name, struct err *e);
	int (*run_get)(struct ci_provider *p, struct ci_run *out, const char *repo, const char *run_id, struct err *e);
	/* NULL: ci_runs_lookup() calls run_get per id. */
	int (*runs_lookup)(struct ci_provider *p, const char *repo, struct ci_lookup *items, size_t n, struct err *e);
	int (*jobs_list)(struct ci_provider *p, struct ci_job **out, size_t *n, const char *repo, const char *run_id,
			 struct err *e);
	/* The bulk-listing handle of a stored run's raw payload (ci_run_jobs_ref); NULL: the kind has none. */
	char *(*jobs_ref)(const char *raw_json);
	/* NULL: ci_jobs_fill() calls jobs_list per run. */
	int (*jobs_fill)(struct ci_provider *p, const char *repo, struct ci_run *const *runs, size_t n, struct err *e);
	int (*logs_fetch)(struct ci_provider *p, const char *repo, struct ci_log_req *reqs, size_t n, size_t cap,
			  struct err *e);
	void (*free_impl)(void *impl);
	/* Pull requests (ci/pr.h): prs_get NULL when the provider has none (CircleCI, Travis);
	 * prs_available NULL when it always has them, else whether it has them now. */
	int (*prs_get)(struct ci_provider *p, const char *repo, struct ci_pr_req *reqs, size_t n, struct ci_pr_ctx *ctx,
		       struct err *e);
	int (*prs_available)(struct ci_provider *p);
	/* The pull requests of head commits (ci_prs_for_commits); NULL when the provider cannot tell (then a
	 * fork's PR build stays without its PR). */
	int (*prs_for_commits)(struct ci_provider *p, const char *repo, struct ci_commit_prs *items, size_t n,
			       struct err *e);
};

struct ci_provider {
	const struct ci_provider_ops *ops;
	struct ci_http_client *http; /* NULL for local */
	char *api_url;               /* without trailing '/' */
	char *git_url;               /* clone base without trailing '/' */
	void *impl;
};

/* Each kind's vtable, in its own ci_<kind>.c; listed once in ci_kinds[] (provider.c). */
extern const struct ci_provider_ops ci_github_ops;
extern const struct ci_provider_ops ci_circleci_ops;
extern const struct ci_provider_ops ci_travis_ops;
extern const struct ci_provider_ops ci_local_ops;

#endif
