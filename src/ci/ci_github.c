/*
 * GitHub Actions provider: REST API v3 with Accept: application/vnd.github+json
 * and X-GitHub-Api-Version: 2022-11-28. The base URL comes from
 * CIMINER_GITHUB_API_URL (GitHub Enterprise Server: https://HOST/api/v3),
 * the token pool from CIMINER_GITHUB_TOKENS (comma-separated) or GITHUB_TOKEN.
 * Field mapping to struct ci_run is documented in docs/ci.md.
 */
#include "ci/ci_github.h"
#include "ci/common.h"
#include "ci/pr.h"
#include "core/json.h"
#include "core/xalloc.h"
#include <stdlib.h>
#include <string.h>

const char *const ci_github_headers[] = {
	"Accept: application/vnd.github+json",
	"X-GitHub-Api-Version: 2022-11-28",
	NULL,
};

static int ci_github_setup(struct ci_provider *p, const struct ci_options *o, struct err *e)
{
	const char *api = o->api_url ? o->api_url : getenv("CIMINER_GITHUB_API_URL");
	const char *tokens = o->tokens;
	char host[256];
	size_t n;
	if (!api || !*api)
		api = "https://api.github.com";
	if (!tokens) {
		tokens = getenv("CIMINER_GITHUB_TOKENS");
		if (!tokens || !*tokens)
			tokens = getenv("GITHUB_TOKEN");
	}
	p->api_url = xstrdup(api);
	n = strlen(p->api_url);
	while (n && p->api_url[n - 1] == '/')
		p->api_url[--n] = '\0';
	if (ci_http_url_host(p->api_url, host, sizeof(host)))
		return err_set(e, ERR_INPUT, "CIMINER_GITHUB_API_URL '%s' is not an http(s) URL; use e.g. https://api.github.com",
			       api);
	if (tokens && *tokens)
		ci_http_add_tokens(p->http, host, "Authorization: Bearer %s", tokens);
	return 0;
}

/* The check suite's node id kept in a stored run's payload: GraphQL lists the jobs of 100 runs with it. */
static char *github_jobs_ref(const char *raw_json)
{
	json_t *j = json_loads(raw_json, 0, NULL);
	const char *ref = core_json_str(j, "check_suite_node_id", NULL);
	char *out = ref ? xstrdup(ref) : NULL;
	json_decref(j);
	return out;
}

char *ci_github_idstr(const json_t *j, const char *key)
{
	json_t *v = json_object_get(j, key);
	if (json_is_integer(v))
		return xasprintf("%lld", (long long)json_integer_value(v));
	return json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
}

void ci_github_map_run(struct ci_run *r, const json_t *j)
{
	json_t *prs = json_object_get(j, "pull_requests");
	const char *login = core_json_str(core_json_path(j, "actor"), "login", NULL);
	r->ci_run_id = ci_github_idstr(j, "id");
	r->repo_full_name = ci_common_str(j, "repository.full_name");
	r->build_number = core_json_int(j, "run_number", 0);
	r->workflow_name = ci_common_str(j, "name");
	r->branch = ci_common_str(j, "head_branch");
	r->commit_sha = ci_common_str(j, "head_sha");
	r->commit_message = ci_common_str(j, "head_commit.message");
	r->author_name = ci_common_str(j, "head_commit.author.name");
	r->author_email = ci_common_str(j, "head_commit.author.email");
	r->event = ci_common_str(j, "event");
	r->actor_login = login ? xstrdup(login) : NULL;
	r->actor_is_bot = ci_is_bot(login, core_json_str(core_json_path(j, "actor"), "type", NULL));
	if (json_is_array(prs) && json_array_size(prs)) {
		size_t i;
		json_t *pr;
		r->pr_numbers = xcalloc(json_array_size(prs), sizeof(*r->pr_numbers));
		json_array_foreach(prs, i, pr)
			if (core_json_int(pr, "number", 0) > 0)
				r->pr_numbers[r->n_pr++] = core_json_int(pr, "number", 0);
	}
	r->status = ci_common_str(j, "status");
	r->conclusion = ci_common_str(j, "conclusion");
	r->created_at = ci_common_time(j, "created_at");
	r->started_at = ci_common_time(j, "run_started_at");
	if (r->started_at == CI_TIME_UNKNOWN)
		r->started_at = r->created_at;
	/* A workflow run has no completed_at: its last update is when it completed. */
	if (r->status && !strcmp(r->status, "completed"))
		r->completed_at = ci_common_time(j, "updated_at");
	r->duration_usec = ci_common_duration(r->started_at, r->completed_at);
	r->web_url = ci_common_str(j, "html_url");
	r->run_attempt = (int)core_json_int(j, "run_attempt", 1);
	r->jobs_ref = ci_common_str(j, "check_suite_node_id");
	r->raw_json = ci_common_dump(j);
}

void ci_github_map_job(struct ci_job *job, const json_t *j)
{
	json_t *steps = json_object_get(j, "steps");
	job->id = ci_github_idstr(j, "id");
	job->run_id = ci_github_idstr(j, "run_id");
	job->name = ci_common_str(j, "name");
	job->status = ci_common_str(j, "status");
	job->conclusion = ci_common_str(j, "conclusion");
	job->started_at = ci_common_time(j, "started_at");
	job->completed_at = ci_common_time(j, "completed_at");
	job->runner = ci_common_str(j, "runner_name");
	job->steps_json = steps ? ci_common_dump(steps) : NULL;
	job->raw_json = ci_common_dump(j);
}

static int github_repo_get(struct ci_provider *p, struct ci_repo *out, const char *full_name, struct err *e)
{
	char *url = xasprintf("%s/repos/%s", p->api_url, full_name);
	json_t *j = NULL;
	int rc = ci_common_get_json(p, &j, NULL, url, ci_github_headers, CI_HTTP_CACHE | CI_HTTP_FOLLOW, e);
	free(url);
	if (rc)
		return rc == CI_ERR_NOT_FOUND ? err_set(e, rc, "repository %s does not exist on GitHub (or the token cannot see it)",
							  full_name) : rc;
	out->full_name = ci_common_str(j, "full_name");
	out->id = core_json_int(j, "id", 0);
	out->default_branch = ci_common_str(j, "default_branch");
	out->language = ci_common_str(j, "language");
	out->is_private = core_json_bool(j, "private", 0);
	out->git_url = xasprintf("%s/%s.git", p->git_url, out->full_name ? out->full_name : full_name);
	out->raw_json = ci_common_dump(j);
	json_decref(j);
	return 0;
}

static int github_run_get(struct ci_provider *p, struct ci_run *out, const char *repo, const char *run_id, struct err *e)
{
	char *url = xasprintf("%s/repos/%s/actions/runs/%s", p->api_url, repo, run_id);
	json_t *j = NULL;
	int rc = ci_common_get_json(p, &j, NULL, url, ci_github_headers, CI_HTTP_CACHE | CI_HTTP_FOLLOW, e);
	free(url);
	if (rc)
		return rc == CI_ERR_NOT_FOUND ? err_set(e, rc, "run %s of %s does not exist on GitHub", run_id, repo) : rc;
	ci_github_map_run(out, j);
	json_decref(j);
	return 0;
}

static int github_jobs_list(struct ci_provider *p, struct ci_job **out, size_t *n, const char *repo,
			    const char *run_id, struct err *e)
{
	struct ci_run one, *runs[] = { &one };
	ci_run_init(&one);
	one.ci_run_id = (char *)run_id; /* borrowed for the call, not released */
	int rc = ci_github_jobs_rest(p, repo, runs, 1, e);
	*out = one.jobs;
	*n = one.n_jobs;
	return rc;
}

static char *github_log_url(struct ci_provider *p, const char *repo, const char *job_id)
{
	return xasprintf("%s/repos/%s/actions/jobs/%s/logs", p->api_url, repo, job_id);
}

static int github_logs_fetch(struct ci_provider *p, const char *repo, struct ci_log_req *reqs, size_t n, size_t cap,
			     struct err *e)
{
	return ci_common_logs_http(p, repo, reqs, n, cap, github_log_url, ci_github_headers, e);
}

const struct ci_provider_ops ci_github_ops = {
	.kind = CI_GITHUB,
	.setup = ci_github_setup,
	.jobs_ref = github_jobs_ref,
	.http = 1,
	.repo_get = github_repo_get,
	.run_get = github_run_get,
	.runs_lookup = ci_github_runs_lookup,
	.jobs_list = github_jobs_list,
	.jobs_fill = ci_github_jobs_fill,
	.logs_fetch = github_logs_fetch,
	.free_impl = NULL,
	.prs_get = ci_github_prs_get,
	.prs_for_commits = ci_github_prs_for_commits,
};
