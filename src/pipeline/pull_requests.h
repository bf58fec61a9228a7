/*
 * Pull-request data for the pr_* features (issue 6): fetched at ingestion
 * (ingest_pr.c) into raw_pull_requests / raw_pr_comments, read back at
 * processing (pr_inputs.c) into the engine's struct feat_pr.
 *
 * Ingestion fetches only when the scenario's plan reads FEAT_IN_PR or
 * FEAT_IN_PR_COMMENTS, and only the PRs (a build's first PR number) not yet
 * stored for the repository, or stored (raw_pull_requests.fetched_at, when
 * the fetch began) at or before the start of one of their builds being
 * ingested: such a copy may lack comments that build may count. Each PR
 * build gets an outcome for its resource_status "pull_request":
 *   ok       stored (now or by an earlier ingestion)
 *   missing  the provider says the PR does not exist: missing_resource
 *   failed   a transient or unexpected failure: the build fails (retry-ingestion re-runs it)
 *   skipped  no pull-request source: a local archive without pulls.jsonl, or a
 *            CircleCI/Travis build with no GitHub API configured
 *            (CIMINER_GITHUB_API_URL, CIMINER_GITHUB_TOKENS or GITHUB_TOKEN);
 *            or a pull_request build whose run names no PR and whose PR
 *            could not be found (below); the pr_* features stay null
 *            (partial vector)
 *
 * A pull_request build whose run names no PR (GitHub leaves a run's
 * pull_requests empty for a PR from a fork) is given the PR whose head is
 * its commit, opened no later than the build started, when the provider can
 * list the pull requests of a commit (github_actions; pr_forks.h): its number
 * is written into raw_build_runs.pr_numbers and the PR fetched like any
 * other. Otherwise it is skipped with why: PR_FORK_SKIPPED (no such look-up:
 * a local archive names its PRs in the run line), "no pull request names
 * commit <sha>", or a PR opened after the build started; a failed look-up
 * fails the build.
 */
#ifndef PIPELINE_PULL_REQUESTS_H
#define PIPELINE_PULL_REQUESTS_H
#include <stdint.h>
#include "ci/provider.h"
#include "features/engine.h"
#include "store/store.h"

/* 1 when the plan reads pull-request data. */
int pr_plan_needs(const struct feat_plan *plan);

/* Why a fork's PR build is skipped when its provider cannot look up the PRs of a commit. */
#define PR_FORK_SKIPPED "the run names no pull request (a fork's PR)"
#define PR_TARGET_SKIPPED \
	"a pull_request_target run names no pull request, and its commit is the base branch's, not the PR's"

struct pr_build {
	int64_t build_id;    /* training_ingestion_builds.id */
	int64_t number;      /* the build's first PR number (a fork build's as looked up); 0: none found (skipped) */
	int64_t start;       /* the run's start (or creation), CI_TIME_UNKNOWN when absent */
	const char *status;  /* ok | missing | failed | skipped (static strings) */
	char *error;         /* owned; why, when not ok */
};
struct pr_builds {
	struct pr_build *v;  /* the scenario's PR builds of the repository being ingested, by build_id ascending */
	size_t n;
	int needed;          /* 0: the plan reads no pull-request data; v is empty */
};
#define PR_BUILDS_INIT { NULL, 0, 0 }

/*
 * For the scenario's builds of repository repo_id in status 'ingesting':
 * fetches the missing PRs through p (or, for circleci/travis, through a
 * github_actions provider opened here) and stores them, one transaction per
 * batch. Returns 0 with each PR build's outcome in out, or a negative code
 * for a database failure.
 */
int ingest_prs(struct pr_builds *out, struct store *s, int64_t scenario_id, int64_t repo_id, const char *full_name,
	       const char *kind, struct ci_provider *p, struct err *e);
/* The outcome of ingestion build build_id, or NULL when it is not a PR build (or PRs were not needed). */
const struct pr_build *pr_builds_find(const struct pr_builds *b, int64_t build_id);
void pr_builds_release(struct pr_builds *b);

/* A repository's stored pull requests, for processing. Owns everything behind its feat_pr. */
struct repo_prs {
	struct feat_pr *prs;           /* sorted by number */
	size_t n;
	struct feat_pr_comment *comments; /* every PR's, grouped by PR */
	char **bodies;
};
#define REPO_PRS_INIT { NULL, 0, NULL, NULL }
int repo_prs_load(struct repo_prs *out, struct store *s, int64_t repo_id, struct err *e);
/* The stored PR number (borrowed), or NULL when not stored / number <= 0. */
const struct feat_pr *repo_prs_find(const struct repo_prs *rp, int64_t number);
void repo_prs_release(struct repo_prs *rp);

#endif
