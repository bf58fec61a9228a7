/*
 * CircleCI provider, API v2 (Circle-Token header; base URL from
 * CIMINER_CIRCLECI_API_URL, default https://circleci.com/api/v2; token from
 * CIRCLECI_TOKEN). A build id is a pipeline id (UUID); a pipeline has
 * workflows, a workflow has jobs. API v2 has no log endpoint, so logs come
 * from API v1.1 (.../api/v1.1/project/{slug}/{job number}: each step's
 * output_url, a signed URL answering a JSON array of {message}).
 *
 * A pipeline's status and conclusion come from its workflows (docs/ci.md):
 *   no workflows: pipeline state "errored" -> completed/startup_failure,
 *                 otherwise queued
 *   any workflow running, on_hold or failing -> in_progress
 *   all finished: any failed or error -> failure; else any canceled ->
 *                 cancelled; else any unauthorized -> action_required; else
 *                 any success -> success; else (all not_run) -> skipped
 */
#include "ci/common.h"
#include "core/json.h"
#include "core/xalloc.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct circle {
	char *v1_url; /* .../api/v1.1 */
	char *vcs;    /* gh (CIMINER_CIRCLECI_VCS) */
};

static const char *const circle_headers[] = { "Accept: application/json", NULL };

static void circle_free(void *v)
{
	struct circle *c = v;
	free(c->v1_url);
	free(c->vcs);
	free(c);
}

static int ci_circleci_setup(struct ci_provider *p, const struct ci_options *o, struct err *e)
{
	const char *api = o->api_url ? o->api_url : getenv("CIMINER_CIRCLECI_API_URL");
	const char *tok = o->tokens ? o->tokens : getenv("CIRCLECI_TOKEN");
	const char *vcs = getenv("CIMINER_CIRCLECI_VCS");
	struct circle *c = xcalloc(1, sizeof(*c));
	char host[256];
	size_t n;
	p->impl = c;
	p->api_url = xstrdup(api && *api ? api : "https://circleci.com/api/v2");
	n = strlen(p->api_url);
	while (n && p->api_url[n - 1] == '/')
		p->api_url[--n] = '\0';
	if (ci_http_url_host(p->api_url, host, sizeof(host)))
		return err_set(e, ERR_INPUT, "CIMINER_CIRCLECI_API_URL '%s' is not an http(s) URL", p->api_url);
	/* v1.1 lives beside v2: .../api/v2 -> .../api/v1.1 */
	if (n >= 3 && !strcmp(p->api_url + n - 3, "/v2"))
		c->v1_url = xasprintf("%.*s/v1.1", (int)(n - 3), p->api_url);
	else
		c->v1_url = xasprintf("%s/../v1.1", p->api_url);
	c->vcs = xstrdup(vcs && *vcs ? vcs : "gh");
	if (tok && *tok)
		ci_http_add_tokens(p->http, host, "Circle-Token: %s", tok);
	return 0;
}

static int circle_repo_get(struct ci_provider *p, struct ci_repo *out, const char *full_name, struct err *e)
{
	struct circle *c = p->impl;
	char *url = xasprintf("%s/project/%s/%s", p->api_url, c->vcs, full_name);
	json_t *j = NULL;
	int rc = ci_common_get_json(p, &j, NULL, url, circle_headers, CI_HTTP_CACHE | CI_HTTP_FOLLOW, e);
	free(url);
	if (rc)
		return rc == CI_ERR_NOT_FOUND ? err_set(e, rc, "project %s/%s does not exist on CircleCI", c->vcs, full_name)
					      : rc;
	out->full_name = xstrdup(full_name);
	out->default_branch = ci_common_str(j, "vcs_info.default_branch");
	out->git_url = xasprintf("%s/%s.git", p->git_url, full_name);
	out->raw_json = ci_common_dump(j);
	json_decref(j);
	return 0;
}

/* All items of a paginated v2 list (next_page_token), appended to arr. */
static int circle_list(struct ci_provider *p, json_t *arr, const char *base, struct err *e)
{
	char *token = NULL;
	int rc = 0, pages = 0;
	do {
		char *url = token ? xasprintf("%s?page-token=%s", base, token) : xstrdup(base);
		json_t *j = NULL;
		free(token);
		token = NULL;
		rc = ci_common_get_json(p, &j, NULL, url, circle_headers, CI_HTTP_CACHE | CI_HTTP_FOLLOW, e);
		free(url);
		if (rc)
			break;
		json_array_extend(arr, json_object_get(j, "items"));
		token = ci_common_str(j, "next_page_token");
		json_decref(j);
	} while (token && ++pages < 1000);
	free(token);
	return rc;
}

static int in_set(const char *s, const char *const *set)
{
	for (; s && *set; set++)
		if (!strcmp(s, *set))
			return 1;
	return 0;
}

/* Status and conclusion of a pipeline from its workflows (the rule above). */
static void circle_outcome(struct ci_run *r, const char *state, json_t *wfs)
{
	static const char *const active[] = { "running", "on_hold", "failing", NULL };
	static const char *const failed[] = { "failed", "error", "infrastructure_fail", "timedout", NULL };
	int any_active = 0, any_failed = 0, any_canceled = 0, any_unauth = 0, any_success = 0;
	size_t i;
	json_t *w;
	if (!json_array_size(wfs)) {
		int errored = state && !strcmp(state, "errored");
		r->status = xstrdup(errored ? "completed" : "queued");
		r->conclusion = errored ? xstrdup("startup_failure") : NULL;
		return;
	}
	json_array_foreach(wfs, i, w) {
		const char *st = core_json_str(w, "status", "");
		any_active |= in_set(st, active);
		any_failed |= in_set(st, failed);
		any_canceled |= !strcmp(st, "canceled");
		any_unauth |= !strcmp(st, "unauthorized");
		any_success |= !strcmp(st, "success");
	}
	if (any_active) {
		r->status = xstrdup("in_progress");
		return;
	}
	r->status = xstrdup("completed");
	r->conclusion = xstrdup(any_failed ? "failure" : any_canceled ? "cancelled" : any_unauth ? "action_required"
			       : any_success ? "success" : "skipped");
}

void ci_circleci_map_run(struct ci_run *r, json_t *pl, json_t *wfs)
{
	const char *slug = core_json_str(pl, "project_slug", "");
	const char *ttype = core_json_str(core_json_path(pl, "trigger"), "type", "");
	const char *review = core_json_str(core_json_path(pl, "vcs"), "review_id", NULL);
	const char *subject = core_json_str(core_json_path(pl, "vcs.commit"), "subject", NULL);
	const char *body = core_json_str(core_json_path(pl, "vcs.commit"), "body", NULL);
	const char *login = core_json_str(core_json_path(pl, "trigger.actor"), "login", NULL);
	const char *rest = strchr(slug, '/');
	struct strvec names = STRVEC_INIT;
	json_t *raw = json_object(), *w;
	size_t i;
	int64_t started = CI_TIME_UNKNOWN, stopped = CI_TIME_UNKNOWN;

	r->ci_run_id = ci_common_str(pl, "id");
	r->repo_full_name = rest ? xstrdup(rest + 1) : NULL;
	r->build_number = core_json_int(pl, "number", 0);
	r->branch = ci_common_str(pl, "vcs.branch");
	r->commit_sha = ci_common_str(pl, "vcs.revision");
	if (subject)
		r->commit_message = body && *body ? xasprintf("%s\n\n%s", subject, body) : xstrdup(subject);
	if (!strcmp(ttype, "webhook"))
		r->event = xstrdup(review ? "pull_request" : "push");
	else if (!strcmp(ttype, "schedule") || !strcmp(ttype, "scheduled_pipeline"))
		r->event = xstrdup("schedule");
	else
		r->event = xstrdup(!strcmp(ttype, "explicit") ? "api" : ttype);
	r->actor_login = login ? xstrdup(login) : NULL;
	r->actor_is_bot = ci_is_bot(login, NULL);
	if (review && atoll(review) > 0) {
		r->pr_numbers = xcalloc(1, sizeof(*r->pr_numbers));
		r->pr_numbers[r->n_pr++] = atoll(review);
	}
	circle_outcome(r, core_json_str(pl, "state", NULL), wfs);
	json_array_foreach(wfs, i, w) {
		int64_t c = ci_common_time(w, "created_at"), s = ci_common_time(w, "stopped_at");
		if (c != CI_TIME_UNKNOWN && (started == CI_TIME_UNKNOWN || c < started))
			started = c;
		if (s != CI_TIME_UNKNOWN && (stopped == CI_TIME_UNKNOWN || s > stopped))
			stopped = s;
		if (core_json_str(w, "name", NULL))
			strvec_push(&names, core_json_str(w, "name", NULL));
	}
	if (names.n)
		r->workflow_name = strvec_join(&names, ", ");
	strvec_clear(&names);
	r->created_at = ci_common_time(pl, "created_at");
	r->started_at = started != CI_TIME_UNKNOWN ? started : r->created_at;
	if (!strcmp(r->status, "completed"))
		r->completed_at = stopped != CI_TIME_UNKNOWN ? stopped : ci_common_time(pl, "updated_at");
	r->duration_usec = ci_common_duration(r->started_at, r->completed_at);
	r->web_url = xasprintf("https://app.circleci.com/pipelines/%s%s/%lld",
			       !strncmp(slug, "gh/", 3) ? "github" : !strncmp(slug, "bb/", 3) ? "bitbucket" : "",
			       !strncmp(slug, "gh/", 3) || !strncmp(slug, "bb/", 3) ? slug + 2 : slug,
			       (long long)r->build_number);
	r->run_attempt = 1;
	json_object_set(raw, "pipeline", pl);
	json_object_set(raw, "workflows", wfs);
	r->raw_json = ci_common_dump(raw);
	json_decref(raw);
}

/* The pipeline and its workflows, checked to belong to repo. */
static int circle_fetch(struct ci_provider *p, json_t **pl, json_t **wfs, const char *repo, const char *id,
			struct err *e)
{
	struct circle *c = p->impl;
	char *url = xasprintf("%s/pipeline/%s", p->api_url, id);
	char *want = xasprintf("%s/%s", c->vcs, repo);
	int rc = ci_common_get_json(p, pl, NULL, url, circle_headers, CI_HTTP_CACHE | CI_HTTP_FOLLOW, e);
	free(url);
	if (rc == CI_ERR_NOT_FOUND)
		err_set(e, rc, "pipeline %s does not exist on CircleCI", id);
	if (!rc && strcasecmp(core_json_str(*pl, "project_slug", ""), want))
		rc = err_set(e, CI_ERR_NOT_FOUND, "pipeline %s belongs to %s, not %s", id,
			     core_json_str(*pl, "project_slug", "?"), want);
	free(want);
	*wfs = json_array();
	if (!rc) {
		url = xasprintf("%s/pipeline/%s/workflow", p->api_url, id);
		rc = circle_list(p, *wfs, url, e);
		free(url);
	}
	if (rc) {
		json_decref(*pl);
		json_decref(*wfs);
		*pl = *wfs = NULL;
	}
	return rc;
}

static int circle_run_get(struct ci_provider *p, struct ci_run *out, const char *repo, const char *id, struct err *e)
{
	json_t *pl = NULL, *wfs = NULL;
	int rc = circle_fetch(p, &pl, &wfs, repo, id, e);
	if (rc)
		return rc;
	ci_circleci_map_run(out, pl, wfs);
	json_decref(pl);
	json_decref(wfs);
	return 0;
}

void ci_circleci_map_job(struct ci_job *job, const json_t *j, const char *run_id)
{
	static const char *const done_ok[] = { "success", "fixed", "no_tests", NULL };
	static const char *const done_bad[] = { "failed", "error", "infrastructure_fail", "timedout", NULL };
	const char *st = core_json_str(j, "status", "");
	json_t *num = json_object_get(j, "job_number");
	job->id = json_is_integer(num) ? xasprintf("%lld", (long long)json_integer_value(num)) : ci_common_str(j, "id");
	job->run_id = xstrdup(run_id);
	job->name = ci_common_str(j, "name");
	if (in_set(st, done_ok) || in_set(st, done_bad) || !strcmp(st, "canceled") || !strcmp(st, "not_run") ||
	    !strcmp(st, "unauthorized")) {
		job->status = xstrdup("completed");
		job->conclusion = xstrdup(in_set(st, done_ok) ? "success" : !strcmp(st, "timedout") ? "timed_out"
					  : in_set(st, done_bad) ? "failure" : !strcmp(st, "canceled") ? "cancelled"
					  : !strcmp(st, "not_run") ? "skipped" : "action_required");
	} else {
		job->status = xstrdup(!strcmp(st, "running") ? "in_progress" : "queued");
	}
	job->started_at = ci_common_time(j, "started_at");
	job->completed_at = ci_common_time(j, "stopped_at");
	job->raw_json = ci_common_dump(j);
}

static int circle_jobs_list(struct ci_provider *p, struct ci_job **out, size_t *n, const char *repo,
			    const char *run_id, struct err *e)
{
	json_t *pl = NULL, *wfs = NULL, *w;
	size_t i, cap = 0;
	int rc = circle_fetch(p, &pl, &wfs, repo, run_id, e);
	json_array_foreach(wfs, i, w) {
		json_t *jobs = json_array(), *j;
		char *url = xasprintf("%s/workflow/%s/job", p->api_url, core_json_str(w, "id", ""));
		size_t k;
		if (!rc)
			rc = circle_list(p, jobs, url, e);
		free(url);
		json_array_foreach(jobs, k, j) {
			xgrow((void **)out, &cap, *n + 1, sizeof(**out));
			memset(&(*out)[*n], 0, sizeof(**out));
			ci_circleci_map_job(&(*out)[(*n)++], j, run_id);
		}
		json_decref(jobs);
	}
	json_decref(pl);
	json_decref(wfs);
	if (rc) {
		ci_jobs_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

/* Writes the messages of one v1.1 output (a JSON array of {message}) into the sink, up to cap. */
/* Appends the jobs of a /workflow/{id}/job item list to run. */
static void circle_take_jobs(struct ci_run *run, size_t *cap, const json_t *items)
{
	json_t *j;
	size_t k;
	json_array_foreach(items, k, j) {
		xgrow((void **)&run->jobs, cap, run->n_jobs + 1, sizeof(*run->jobs));
		memset(&run->jobs[run->n_jobs], 0, sizeof(*run->jobs));
		ci_circleci_map_job(&run->jobs[run->n_jobs++], j, run->ci_run_id);
	}
}

/*
 * The jobs of many pipelines: a pipeline's workflows are in its stored payload
 * (raw_json keeps them), so only their job lists are asked for, every
 * workflow of every run at once (cfg.max_in_flight in flight). A list longer
 * than a page, and a run without its workflows in raw_json (read back from
 * the warehouse), go through circle_jobs_list() on their own.
 */
static int circle_jobs_fill(struct ci_provider *p, const char *repo, struct ci_run *const *runs, size_t n,
			    struct err *e)
{
	struct ci_json_get *gs = NULL;
	size_t *owner = NULL, ng = 0, cap_g = 0, cap_o = 0;
	int *alone = xcalloc(n ? n : 1, sizeof(*alone)), first = 0;
	for (size_t i = 0; i < n; i++) {
		json_t *raw = runs[i]->raw_json ? json_loads(runs[i]->raw_json, 0, NULL) : NULL, *w;
		json_t *wfs = json_object_get(raw, "workflows");
		size_t k;
		alone[i] = !runs[i]->jobs_known && !json_is_array(wfs);
		if (!runs[i]->jobs_known && json_is_array(wfs))
			json_array_foreach(wfs, k, w) {
				xgrow((void **)&gs, &cap_g, ng + 1, sizeof(*gs));
				xgrow((void **)&owner, &cap_o, ng + 1, sizeof(*owner));
				memset(&gs[ng], 0, sizeof(*gs));
				gs[ng].url = xasprintf("%s/workflow/%s/job", p->api_url, core_json_str(w, "id", ""));
				owner[ng++] = i;
			}
		if (!runs[i]->jobs_known && json_is_array(wfs)) {
			ci_jobs_free(runs[i]->jobs, runs[i]->n_jobs);
			runs[i]->jobs = NULL;
			runs[i]->n_jobs = 0;
			runs[i]->jobs_rc = 0;
		}
		json_decref(raw);
	}
	int fatal = ci_common_get_json_many(p, gs, ng, circle_headers, CI_HTTP_CACHE | CI_HTTP_FOLLOW, e);
	size_t *caps = xcalloc(n ? n : 1, sizeof(*caps));
	struct err why = ERR_INIT;
	for (size_t g = 0; g < ng; g++) {
		struct ci_run *r = runs[owner[g]];
		if (gs[g].rc && !r->jobs_rc) {
			r->jobs_rc = gs[g].rc;
			if (!why.code)
				err_copy(&why, &gs[g].err);
		} else if (!gs[g].rc && core_json_str(gs[g].json, "next_page_token", NULL)) {
			alone[owner[g]] = 1; /* a workflow of more than a page: list the run on its own */
		} else if (!gs[g].rc) {
			circle_take_jobs(r, &caps[owner[g]], json_object_get(gs[g].json, "items"));
		}
		json_decref(gs[g].json);
		free(gs[g].next);
		free((char *)gs[g].url);
	}
	for (size_t i = 0; i < n; i++) {
		struct ci_run *r = runs[i];
		if (r->jobs_known)
			continue;
		if (alone[i] && fatal) {
			r->jobs_rc = fatal; /* every credential is exhausted: no further requests */
		} else if (alone[i]) {
			struct err re = ERR_INIT;
			ci_jobs_free(r->jobs, r->n_jobs);
			r->jobs = NULL;
			r->n_jobs = 0;
			r->jobs_rc = circle_jobs_list(p, &r->jobs, &r->n_jobs, repo, r->ci_run_id, &re);
			if (r->jobs_rc && !why.code)
				err_copy(&why, &re);
		}
		if (r->jobs_rc) {
			ci_jobs_free(r->jobs, r->n_jobs); /* no half lists */
			r->jobs = NULL;
			r->n_jobs = 0;
			if (!first)
				first = why.code ? err_copy(e, &why) : err_set(e, r->jobs_rc, "the jobs of pipeline %s could not be listed",
									      r->ci_run_id);
		} else {
			r->jobs_known = 1;
		}
	}
	free(caps);
	free(alone);
	free(owner);
	free(gs);
	return first;
}

static int circle_emit(struct ci_log_req *q, const struct buf *body, size_t cap)
{
	json_error_t je;
	json_t *arr = json_loadb(body->data ? body->data : "", body->len, 0, &je), *m;
	size_t i;
	if (!json_is_array(arr)) {
		json_decref(arr);
		return err_set(&q->err, CI_ERR_PERMANENT, "CircleCI step output is not a JSON array");
	}
	json_array_foreach(arr, i, m) {
		const char *msg = core_json_str(m, "message", "");
		size_t len = strlen(msg);
		if (q->truncated)
			break;
		if (cap && q->bytes + len > cap) {
			len = cap - q->bytes;
			q->truncated = 1;
		}
		if (len && q->sink.write(q->sink.ctx, msg, len) < 0) {
			json_decref(arr);
			return err_set(&q->err, ERR_IO, "the log destination refused the data");
		}
		q->bytes += len;
	}
	json_decref(arr);
	return 0;
}

/* Two batches: the jobs' v1.1 details, then every step output, N in flight each. */
static int circle_logs_some(struct ci_provider *p, const char *repo, struct ci_log_req *reqs, size_t n, size_t cap,
			    struct err *e);

/*
 * A job's log is the outputs of its steps (v1.1), all kept in memory until the
 * log is assembled: 16 logs at a time bounds that, and each log is handed on
 * (ci_log_req.done) as soon as its group is assembled.
 */
static int circle_logs_fetch(struct ci_provider *p, const char *repo, struct ci_log_req *reqs, size_t n, size_t cap,
			     struct err *e)
{
	for (size_t off = 0; off < n; off += 16) {
		size_t k = n - off < 16 ? n - off : 16;
		int rc = circle_logs_some(p, repo, reqs + off, k, cap, e);
		if (rc)
			return rc;
		for (size_t i = off; i < off + k; i++)
			ci_log_req_notify(&reqs[i]);
	}
	return 0;
}

static int circle_logs_some(struct ci_provider *p, const char *repo, struct ci_log_req *reqs, size_t n, size_t cap,
			    struct err *e)
{
	struct circle *c = p->impl;
	struct ci_http_req *rs = xcalloc(n ? n : 1, sizeof(*rs)), *outs = NULL;
	char **urls = xcalloc(n ? n : 1, sizeof(*urls));
	size_t *owner = NULL, nout = 0, cap_out = 0, cap_own = 0;
	for (size_t i = 0; i < n; i++) {
		urls[i] = xasprintf("%s/project/%s/%s/%s", c->v1_url, c->vcs, repo, reqs[i].job_id);
		rs[i].url = urls[i];
		rs[i].headers = circle_headers;
		rs[i].flags = CI_HTTP_FOLLOW;
	}
	ci_http_run(p->http, rs, n, e);
	for (size_t i = 0; i < n; i++) {
		json_t *j = NULL, *step, *act;
		size_t s, a;
		reqs[i].rc = ci_common_req_err(&reqs[i].err, &rs[i]);
		if (!reqs[i].rc && !(j = core_json_parse(rs[i].body.data ? rs[i].body.data : "", rs[i].body.len, urls[i],
							 &reqs[i].err)))
			reqs[i].rc = CI_ERR_PERMANENT;
		json_array_foreach(json_object_get(j, "steps"), s, step)
			json_array_foreach(json_object_get(step, "actions"), a, act) {
				const char *ou = core_json_str(act, "output_url", NULL);
				if (!ou || !core_json_bool(act, "has_output", 1))
					continue;
				xgrow((void **)&outs, &cap_out, nout + 1, sizeof(*outs));
				xgrow((void **)&owner, &cap_own, nout + 1, sizeof(*owner));
				memset(&outs[nout], 0, sizeof(*outs));
				outs[nout].url = xstrdup(ou);
				outs[nout].flags = CI_HTTP_FOLLOW;
				owner[nout++] = i;
			}
		json_decref(j);
		ci_http_req_release(&rs[i]);
		free(urls[i]);
	}
	ci_http_run(p->http, outs, nout, e);
	/* Outputs were queued in step order per log, so appending keeps the log in order. */
	for (size_t k = 0; k < nout; k++) {
		struct ci_log_req *q = &reqs[owner[k]];
		if (!q->rc && !(q->rc = ci_common_req_err(&q->err, &outs[k])))
			q->rc = circle_emit(q, &outs[k].body, cap);
		ci_http_req_release(&outs[k]);
		free((char *)outs[k].url);
	}
	free(outs);
	free(owner);
	free(rs);
	free(urls);
	return 0;
}

const struct ci_provider_ops ci_circleci_ops = {
	.kind = CI_CIRCLECI,
	.setup = ci_circleci_setup,
	.http = 1,
	.repo_get = circle_repo_get,
	.run_get = circle_run_get,
	.runs_lookup = NULL,
	.jobs_list = circle_jobs_list,
	.jobs_fill = circle_jobs_fill,
	.logs_fetch = circle_logs_fetch,
	.free_impl = circle_free,
};
