/*
 * Inside PR ingestion (ingest_pr.c): the builds of a fork's pull request,
 * whose run names no PR (GitHub leaves a workflow run's pull_requests empty
 * when the PR comes from a fork), given their PR number from the provider's
 * list of the pull requests of their head commit (ci_prs_for_commits).
 *
 * A fork build takes the PR whose head is its commit (else the only PR
 * listed; ci_commit_prs_pick), provided that PR was opened no later than the
 * build started (a PR opened afterwards did not trigger it). Its number is
 * then written into raw_build_runs.pr_numbers ('[N]'), which processing
 * reads, in the transaction that stores that PR (or, when the stored copy is
 * reused, one of its own), and the build is fetched like any PR build. A
 * build that stays without a number is settled here: skipped with why (no
 * lookup for the provider, no PR names the commit, the PR is younger than
 * the build, the repository is unknown), or failed when the look-up failed
 * (retry-ingestion asks again).
 */
#ifndef PIPELINE_PR_FORKS_H
#define PIPELINE_PR_FORKS_H
#include "pipeline/pull_requests.h"

struct pr_fork {
	size_t build;        /* index in pr_builds.v */
	int64_t raw_run_id;  /* raw_build_runs.id */
	char *sha;           /* the run's head commit (owned; NULL when unknown) */
	char *branch;        /* the run's head branch (owned; NULL when unknown) */
	int written;         /* its resolved number is in raw_build_runs.pr_numbers */
};
struct pr_forks {
	struct pr_fork *v;
	size_t n, cap;
};
#define PR_FORKS_INIT { NULL, 0, 0 }
/* Takes ownership of sha. */
void pr_forks_add(struct pr_forks *f, size_t build, int64_t raw_run_id, char *sha, char *branch);
void pr_forks_release(struct pr_forks *f);

/*
 * Gives each fork build b->v[f->v[i].build] its number (status left NULL) or
 * its outcome (skipped / failed with error). src may be NULL (no pull-request
 * source): every fork build is skipped with PR_FORK_SKIPPED, as for a
 * provider without the look-up. One request per distinct commit.
 */
void pr_forks_resolve(struct pr_builds *b, struct pr_forks *f, struct ci_provider *src, const char *full_name);
/*
 * Writes the resolved numbers not yet written, of the forks whose number is
 * in numbers[0..n) (ascending), or of every fork when numbers is NULL, into
 * raw_build_runs.pr_numbers, inside the caller's transaction, and marks
 * them written (a failed transaction fails the whole ingestion anyway). A
 * run whose pr_numbers is no longer empty (validated again meanwhile) keeps
 * what validation wrote.
 */
int pr_forks_store(struct store *s, struct pr_forks *f, const struct pr_builds *b, const int64_t *numbers, size_t n,
		   struct err *e);

#endif
