/*
 * libFuzzer target for the CI providers' JSON mappers (src/ci/): every input
 * that parses as JSON goes through each provider's mapping as the payload it
 * would be — a GitHub workflow run, job, pull request, comment list and
 * GraphQL check suite; a CircleCI pipeline (with "workflows" as its workflow
 * list, the shape ciminer stores) and job; a Travis build and job list — and
 * through ci_run_jobs_ref(), which reads stored payloads back. The mappers
 * must not crash or leak on any shape, and what they produce must be
 * well-formed: CircleCI's and Travis's completed runs and jobs have a
 * conclusion and the others none, pull-request numbers are positive, job
 * counts match their arrays, durations are completed - started, and every
 * string is valid for jansson (the warehouse stores them as JSON).
 */
#include "ci/ci_github.h"
#include "ci/common.h"
#include "ci/pr.h"
#include <stdlib.h>
#include <string.h>

/* The warehouse stores mapped strings in JSON: they must be valid UTF-8 (jansson refuses the rest). */
static void check_text(const char *s)
{
	json_t *v = s ? json_string(s) : json_null();
	if (!v)
		abort();
	json_decref(v);
}

static void check_run(const struct ci_run *r)
{
	if (r->n_pr && !r->pr_numbers)
		abort();
	for (size_t i = 0; i < r->n_pr; i++)
		if (r->pr_numbers[i] <= 0)
			abort();
	if (r->completed_at != CI_TIME_UNKNOWN && r->started_at != CI_TIME_UNKNOWN &&
	    r->duration_usec != r->completed_at - r->started_at && r->duration_usec != CI_TIME_UNKNOWN)
		abort();
	check_text(r->ci_run_id);
	check_text(r->repo_full_name);
	check_text(r->commit_message);
	check_text(r->web_url);
	for (size_t i = 0; i < r->n_jobs; i++)
		check_text(r->jobs[i].id);
}

static void github(const json_t *j)
{
	struct ci_run r;
	ci_run_init(&r);
	ci_github_map_run(&r, j);
	check_run(&r);
	ci_github_take_suite(&r, j);
	check_run(&r);
	ci_run_release(&r);

	struct ci_job job = CI_JOB_INIT;
	ci_github_map_job(&job, j);
	ci_job_release(&job);

	struct ci_pr pr;
	ci_pr_init(&pr);
	ci_github_map_pr(&pr, j);
	ci_github_add_comments(&pr, j, CI_COMMENT_ISSUE);
	ci_github_add_comments(&pr, json_object_get(j, "comments"), CI_COMMENT_REVIEW);
	ci_pr_release(&pr);
}

static void circleci(json_t *j)
{
	json_t *wfs = json_object_get(j, "workflows");
	json_t *items = json_object_get(j, "items");
	struct ci_run r;
	ci_run_init(&r);
	ci_circleci_map_run(&r, json_object_get(j, "pipeline") ? json_object_get(j, "pipeline") : j,
			    json_is_array(wfs) ? wfs : json_is_array(items) ? items : json_array_get(j, 0) ? j : NULL);
	check_run(&r);
	if (!r.status || (strcmp(r.status, "completed") == 0) != (r.conclusion != NULL))
		abort(); /* a completed pipeline has a conclusion, any other none */
	ci_run_release(&r);
	struct ci_job job = CI_JOB_INIT;
	ci_circleci_map_job(&job, j, "run");
	if (!job.status || !job.run_id || (strcmp(job.status, "completed") == 0) != (job.conclusion != NULL))
		abort();
	ci_job_release(&job);
}

static void travis(const json_t *j)
{
	struct ci_run r;
	ci_run_init(&r);
	ci_travis_map_run(&r, j);
	check_run(&r);
	if (!r.status || !r.ci_run_id || (strcmp(r.status, "completed") == 0) != (r.conclusion != NULL))
		abort();
	ci_travis_take_jobs(&r, j);
	if (r.n_jobs != json_array_size(json_object_get(j, "jobs")))
		abort();
	ci_run_release(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *j = json_loadb((const char *)data, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	if (!j)
		return 0;
	github(j);
	circleci(j);
	travis(j);
	char *raw = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
	static const char *const kinds[] = { CI_GITHUB, CI_CIRCLECI, CI_TRAVIS, CI_LOCAL, "unknown" };
	for (size_t i = 0; raw && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		free(ci_run_jobs_ref(kinds[i], raw));
	free(raw);
	json_decref(j);
	return 0;
}
