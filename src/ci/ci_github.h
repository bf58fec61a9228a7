/*
 * Internals of the GitHub Actions provider shared by ci_github.c (repository,
 * run, jobs, logs, field mapping) and ci_github_runs.c (the economical batch
 * look-up). Outside src/ci/ use provider.h.
 */
#ifndef CI_GITHUB_H
#define CI_GITHUB_H
#include <jansson.h>
#include "ci/provider.h"

/* Accept and X-GitHub-Api-Version, NULL-terminated. */
extern const char *const ci_github_headers[];

/* Fills run (ci_run_init'ed by the caller) from a workflow-run object. */
void ci_github_map_run(struct ci_run *run, const json_t *j);
/* The id at key (integer or string) as text; NULL when absent (caller frees). */
char *ci_github_idstr(const json_t *j, const char *key);
/* Fills job from a workflow-job object. */
void ci_github_map_job(struct ci_job *job, const json_t *j);
/* ci_github_jobs.c: the jobs of many runs (GraphQL, REST for the rest); see ci_jobs_fill(). */
int ci_github_jobs_fill(struct ci_provider *p, const char *repo, struct ci_run *const *runs, size_t n, struct err *e);
/* Each run's jobs through REST (all pages; first pages concurrently); sets jobs_known on success. */
int ci_github_jobs_rest(struct ci_provider *p, const char *repo, struct ci_run *const *runs, size_t n, struct err *e);
/* The GraphQL endpoint for a REST base URL (caller frees). */
char *ci_github_graphql_url(const char *api_url);
struct ci_pr;
/* Fills pr's own fields (number, times, state, author, body, raw_json) from a pull-request object. */
void ci_github_map_pr(struct ci_pr *pr, const json_t *j);
/* Appends the comments of a GitHub comment array (id, user.login, created_at) as kind. */
void ci_github_add_comments(struct ci_pr *pr, const json_t *arr, int kind);
int ci_github_runs_lookup(struct ci_provider *p, const char *repo, struct ci_lookup *items, size_t n, struct err *e);

#endif
