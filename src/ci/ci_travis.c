/*
 * Travis CI provider, API v3 (Travis-API-Version: 3; base URL from
 * CIMINER_TRAVIS_API_URL, default https://api.travis-ci.com; token from
 * TRAVIS_TOKEN as "Authorization: token ..."). A build id is /build/{id};
 * its jobs are /build/{id}/jobs; a job's log is /job/{id}/log.txt.
 *
 * States map to GitHub's vocabulary (docs/ci.md): passed -> success,
 * failed -> failure, errored -> failure (the build broke before or outside
 * its tests; TravisTorrent also counts it as broken; the raw state stays in
 * raw_json), canceled -> cancelled; created/received/queued -> queued,
 * started -> in_progress. Duration is wall clock (finished - started), not
 * Travis's summed job time (kept in raw_json as "duration").
 */
#include "ci/common.h"
#include "core/json.h"
#include "core/xalloc.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const travis_headers[] = { "Travis-API-Version: 3", "Accept: application/json", NULL };
static const char *const travis_log_headers[] = { "Travis-API-Version: 3", "Accept: text/plain", NULL };

static int ci_travis_setup(struct ci_provider *p, const struct ci_options *o, struct err *e)
{
	const char *api = o->api_url ? o->api_url : getenv("CIMINER_TRAVIS_API_URL");
	const char *tok = o->tokens ? o->tokens : getenv("TRAVIS_TOKEN");
	char host[256];
	size_t n;
	p->api_url = xstrdup(api && *api ? api : "https://api.travis-ci.com");
	n = strlen(p->api_url);
	while (n && p->api_url[n - 1] == '/')
		p->api_url[--n] = '\0';
	if (ci_http_url_host(p->api_url, host, sizeof(host)))
		return err_set(e, ERR_INPUT, "CIMINER_TRAVIS_API_URL '%s' is not an http(s) URL", p->api_url);
	if (tok && *tok)
		ci_http_add_tokens(p->http, host, "Authorization: token %s", tok);
	return 0;
}

static int travis_repo_get(struct ci_provider *p, struct ci_repo *out, const char *full_name, struct err *e)
{
	char *slug = ci_common_escape(full_name);
	char *url = xasprintf("%s/repo/%s", p->api_url, slug);
	json_t *j = NULL;
	int rc = ci_common_get_json(p, &j, NULL, url, travis_headers, CI_HTTP_CACHE | CI_HTTP_FOLLOW, e);
	free(url);
	free(slug);
	if (rc)
		return rc == CI_ERR_NOT_FOUND ? err_set(e, rc, "repository %s does not exist on Travis CI", full_name) : rc;
	out->full_name = ci_common_str(j, "slug");
	out->id = core_json_int(j, "github_id", core_json_int(j, "id", 0));
	out->default_branch = ci_common_str(j, "default_branch.name");
	out->language = ci_common_str(j, "github_language");
	out->is_private = core_json_bool(j, "private", 0);
	out->git_url = xasprintf("%s/%s.git", p->git_url, out->full_name ? out->full_name : full_name);
	out->raw_json = ci_common_dump(j);
	json_decref(j);
	return 0;
}

/* Sets status/conclusion (owned copies) from a Travis state. */
static void travis_state(char **status, char **conclusion, const char *state)
{
	static const struct { const char *state, *status, *conclusion; } map[] = {
		{ "passed", "completed", "success" },   { "failed", "completed", "failure" },
		{ "errored", "completed", "failure" },  { "canceled", "completed", "cancelled" },
		{ "started", "in_progress", NULL },     { "created", "queued", NULL },
		{ "received", "queued", NULL },         { "queued", "queued", NULL },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (state && !strcmp(state, map[i].state)) {
			*status = xstrdup(map[i].status);
			*conclusion = map[i].conclusion ? xstrdup(map[i].conclusion) : NULL;
			return;
		}
	*status = xstrdup("queued");
	*conclusion = NULL;
}

void ci_travis_map_run(struct ci_run *r, const json_t *j)
{
	const char *ev = core_json_str(j, "event_type", NULL);
	const char *login = core_json_str(core_json_path(j, "created_by"), "login", NULL);
	const char *slug = core_json_str(core_json_path(j, "repository"), "slug", NULL);
	int64_t pr = core_json_int(j, "pull_request_number", 0);
	r->ci_run_id = xasprintf("%lld", (long long)core_json_int(j, "id", 0));
	r->repo_full_name = slug ? xstrdup(slug) : NULL;
	r->build_number = atoll(core_json_str(j, "number", "0"));
	r->branch = ci_common_str(j, "branch.name");
	r->commit_sha = ci_common_str(j, "commit.sha");
	r->commit_message = ci_common_str(j, "commit.message");
	r->author_name = ci_common_str(j, "commit.author.name");
	r->event = ev ? xstrdup(!strcmp(ev, "cron") ? "schedule" : ev) : NULL;
	r->actor_login = login ? xstrdup(login) : NULL;
	r->actor_is_bot = ci_is_bot(login, NULL);
	if (pr > 0) {
		r->pr_numbers = xcalloc(1, sizeof(*r->pr_numbers));
		r->pr_numbers[r->n_pr++] = pr;
	}
	travis_state(&r->status, &r->conclusion, core_json_str(j, "state", NULL));
	r->started_at = ci_common_time(j, "started_at");
	r->created_at = ci_common_time(j, "created_at");
	if (r->created_at == CI_TIME_UNKNOWN)
		r->created_at = r->started_at;
	if (!strcmp(r->status, "completed"))
		r->completed_at = ci_common_time(j, "finished_at");
	r->duration_usec = ci_common_duration(r->started_at, r->completed_at);
	if (slug)
		r->web_url = xasprintf("https://app.travis-ci.com/github/%s/builds/%s", slug, r->ci_run_id);
	r->run_attempt = 1;
	r->raw_json = ci_common_dump(j);
}

static int travis_run_get(struct ci_provider *p, struct ci_run *out, const char *repo, const char *id, struct err *e)
{
	char *url = xasprintf("%s/build/%s", p->api_url, id);
	json_t *j = NULL;
	int rc = ci_common_get_json(p, &j, NULL, url, travis_headers, CI_HTTP_CACHE | CI_HTTP_FOLLOW, e);
	const char *slug;
	free(url);
	if (rc)
		return rc == CI_ERR_NOT_FOUND ? err_set(e, rc, "build %s does not exist on Travis CI", id) : rc;
	slug = core_json_str(core_json_path(j, "repository"), "slug", "");
	if (strcasecmp(slug, repo)) {
		rc = err_set(e, CI_ERR_NOT_FOUND, "build %s belongs to %s, not %s", id, slug, repo);
		json_decref(j);
		return rc;
	}
	ci_travis_map_run(out, j);
	json_decref(j);
	return 0;
}

/* The jobs of a /build/{id}/jobs answer into run (run->jobs replaced). */
void ci_travis_take_jobs(struct ci_run *run, const json_t *j)
{
	json_t *v;
	size_t i;
	ci_jobs_free(run->jobs, run->n_jobs);
	run->n_jobs = 0;
	run->jobs = xcalloc(json_array_size(json_object_get(j, "jobs")) + 1, sizeof(*run->jobs));
	json_array_foreach(json_object_get(j, "jobs"), i, v) {
		struct ci_job *job = &run->jobs[run->n_jobs++];
		job->id = xasprintf("%lld", (long long)core_json_int(v, "id", 0));
		job->run_id = xstrdup(run->ci_run_id);
		job->name = ci_common_str(v, "number");
		travis_state(&job->status, &job->conclusion, core_json_str(v, "state", NULL));
		job->started_at = ci_common_time(v, "started_at");
		job->completed_at = ci_common_time(v, "finished_at");
		job->runner = ci_common_str(v, "queue");
		job->raw_json = ci_common_dump(v);
	}
}

/* Every build's /build/{id}/jobs at once (cfg.max_in_flight in flight): one request per build. */
static int travis_jobs_fill(struct ci_provider *p, const char *repo, struct ci_run *const *runs, size_t n,
			    struct err *e)
{
	struct ci_json_get *gs = xcalloc(n ? n : 1, sizeof(*gs));
	struct ci_run **want = xcalloc(n ? n : 1, sizeof(*want));
	size_t nw = 0;
	int first = 0;
	(void)repo;
	for (size_t i = 0; i < n; i++)
		if (!runs[i]->jobs_known) {
			want[nw] = runs[i];
			gs[nw++].url = xasprintf("%s/build/%s/jobs", p->api_url, runs[i]->ci_run_id);
		}
	ci_common_get_json_many(p, gs, nw, travis_headers, CI_HTTP_CACHE | CI_HTTP_FOLLOW, e);
	for (size_t i = 0; i < nw; i++) {
		struct ci_run *r = want[i];
		r->jobs_rc = gs[i].rc;
		if (gs[i].rc == CI_ERR_NOT_FOUND)
			err_set(&gs[i].err, gs[i].rc, "build %s does not exist on Travis CI", r->ci_run_id);
		if (gs[i].rc && !first)
			first = err_copy(e, &gs[i].err);
		if (!gs[i].rc) {
			ci_travis_take_jobs(r, gs[i].json);
			r->jobs_known = 1;
		}
		json_decref(gs[i].json);
		free(gs[i].next);
		free((char *)gs[i].url);
	}
	free(want);
	free(gs);
	return first;
}

static int travis_jobs_list(struct ci_provider *p, struct ci_job **out, size_t *n, const char *repo,
			    const char *run_id, struct err *e)
{
	struct ci_run one, *runs[] = { &one };
	ci_run_init(&one);
	one.ci_run_id = (char *)run_id; /* borrowed for the call, not released */
	int rc = travis_jobs_fill(p, repo, runs, 1, e);
	*out = one.jobs;
	*n = one.n_jobs;
	return rc;
}

static char *travis_log_url(struct ci_provider *p, const char *repo, const char *job_id)
{
	(void)repo;
	return xasprintf("%s/job/%s/log.txt", p->api_url, job_id);
}

static int travis_logs_fetch(struct ci_provider *p, const char *repo, struct ci_log_req *reqs, size_t n, size_t cap,
			     struct err *e)
{
	return ci_common_logs_http(p, repo, reqs, n, cap, travis_log_url, travis_log_headers, e);
}

const struct ci_provider_ops ci_travis_ops = {
	.kind = CI_TRAVIS,
	.setup = ci_travis_setup,
	.http = 1,
	.repo_get = travis_repo_get,
	.run_get = travis_run_get,
	.runs_lookup = NULL,
	.jobs_list = travis_jobs_list,
	.jobs_fill = travis_jobs_fill,
	.logs_fetch = travis_logs_fetch,
	.free_impl = NULL,
};
