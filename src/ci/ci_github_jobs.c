/*
 * The jobs of many GitHub workflow runs at once (issue 3: the warehouse keeps
 * every found run with its jobs, and validation costs at most one request per
 * 20 builds).
 *
 * REST has no call that lists the jobs of several runs: /actions/runs/{id}/jobs
 * is one request per run, which alone would cost 20 times the budget. But a
 * workflow run is a check suite and its jobs are that suite's check runs (a
 * job's id is its check run's id), and GraphQL answers many nodes in one
 * request. So, for the runs whose payload carried check_suite_node_id:
 *
 *   POST /graphql  nodes(ids: [100 check suites]) { ... on CheckSuite {
 *                    checkRuns(first: 100, filterBy: {checkType: LATEST}) {
 *                      nodes { databaseId name status conclusion startedAt
 *                              completedAt } } } }
 *
 * checkType LATEST matches REST's default filter=latest (the jobs of the
 * latest attempt). Steps are left out on purpose: GitHub charges a GraphQL
 * query by the connections it may page (here 100 checkRuns connections = 1
 * point of the 5,000-point hourly budget); asking for each job's steps too
 * would cost 10,000 connections = 100 points per query, as dear as REST.
 * Jobs listed this way have no steps_json (and "source": "graphql" in their
 * raw payload); nothing downstream reads steps. A suite with more check runs
 * than a page holds, a suite GraphQL does not return, and every run without
 * a node id go through REST, first pages concurrently.
 * GraphQL refuses anonymous callers and has a budget of its own: when the
 * request fails (401, limits, errors) the batch falls back to REST too, so
 * the jobs are always complete; only the request count differs.
 *
 * The endpoint: https://api.github.com/graphql for the public API,
 * https://HOST/api/graphql when the REST base is https://HOST/api/v3 (GitHub
 * Enterprise Server), else <REST base>/graphql.
 */
#include "ci/ci_github.h"
#include "ci/common.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/log.h"
#include "core/xalloc.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define SUITES_PER_QUERY 100 /* GraphQL's cap on nodes(ids:) */

static const char *const graphql_headers[] = {
	"Accept: application/json",
	"Content-Type: application/json",
	"Expect:", /* no 100-continue round trip for the query's body */
	NULL,
};

static const char QUERY[] =
	"query($ids:[ID!]!){nodes(ids:$ids){... on CheckSuite{id checkRuns(first:100,filterBy:{checkType:LATEST})"
	"{totalCount pageInfo{hasNextPage} nodes{databaseId name status conclusion startedAt completedAt}}}}}";

char *ci_github_graphql_url(const char *api_url)
{
	size_t n = strlen(api_url);
	if (n >= 7 && strcmp(api_url + n - 7, "/api/v3") == 0)
		return xasprintf("%.*s/api/graphql", (int)(n - 7), api_url);
	return xasprintf("%s/graphql", api_url);
}

/* GraphQL's enum spelling (IN_PROGRESS) in REST's (in_progress); NULL stays NULL. */
static json_t *lower(const json_t *v)
{
	if (!json_is_string(v))
		return json_null();
	char *s = xstrdup(json_string_value(v));
	for (char *c = s; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	json_t *out = json_string(s);
	free(s);
	return out;
}

/* A check run node in the shape of a REST workflow-job object, so that one mapping serves both. */
static json_t *as_rest_job(const json_t *node, const char *run_id)
{
	json_t *job = json_object();
	json_object_set_new(job, "id", json_integer(core_json_int(node, "databaseId", 0)));
	json_object_set_new(job, "run_id", json_integer(run_id ? strtoll(run_id, NULL, 10) : 0));
	json_object_set(job, "name", json_object_get(node, "name"));
	json_object_set_new(job, "status", lower(json_object_get(node, "status")));
	json_object_set_new(job, "conclusion", lower(json_object_get(node, "conclusion")));
	json_object_set(job, "started_at", json_object_get(node, "startedAt"));
	json_object_set(job, "completed_at", json_object_get(node, "completedAt"));
	json_object_set_new(job, "source", json_string("graphql"));
	return job;
}

/* Fills run from one CheckSuite node; 0 when the node held every job, else 1 (REST must list it). */
int ci_github_take_suite(struct ci_run *run, const json_t *node)
{
	json_t *runs = core_json_path(node, "checkRuns.nodes"), *v;
	size_t i;
	if (!json_is_object(node) || !json_is_array(runs) || core_json_bool(core_json_path(node, "checkRuns.pageInfo"),
									      "hasNextPage", 0))
		return 1;
	json_array_foreach(runs, i, v)
		if (core_json_int(v, "databaseId", 0) <= 0)
			return 1; /* a check run without its id cannot name a job or its log */
	ci_jobs_free(run->jobs, run->n_jobs);
	run->jobs = xcalloc(json_array_size(runs) + 1, sizeof(*run->jobs));
	run->n_jobs = 0;
	json_array_foreach(runs, i, v) {
		json_t *job = as_rest_job(v, run->ci_run_id);
		ci_github_map_job(&run->jobs[run->n_jobs++], job);
		json_decref(job);
	}
	run->jobs_known = 1;
	return 0;
}

/* One GraphQL request for runs[0..n) (all with a jobs_ref); returns 0 or the request's failure. */
static int graphql_batch(struct ci_provider *p, const char *url, struct ci_run **runs, size_t n, struct err *e)
{
	json_t *ids = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(ids, json_string(runs[i]->jobs_ref));
	json_t *q = json_pack("{s:s, s:{s:o}}", "query", QUERY, "variables", "ids", ids);
	char *body = core_json_dumps(q);
	json_decref(q);
	struct ci_http_req r = CI_HTTP_REQ_INIT;
	r.url = url;
	r.headers = graphql_headers;
	r.post = body;
	ci_http_run(p->http, &r, 1, e);
	int rc = ci_common_req_err(e, &r);
	json_t *j = NULL;
	if (rc == 0 && !(j = core_json_parse(r.body.data ? r.body.data : "", r.body.len, url, e)))
		rc = err_set(e, CI_ERR_PERMANENT, "POST %s: the answer is not JSON", url);
	json_t *nodes = j ? core_json_path(j, "data.nodes") : NULL;
	if (rc == 0 && (!json_is_array(nodes) || json_array_size(nodes) != n)) {
		const char *why = core_json_str(json_array_get(json_object_get(j, "errors"), 0), "message", "no data.nodes");
		rc = err_set(e, CI_ERR_PERMANENT, "POST %s: GraphQL answered without the check suites (%s)", url, why);
	}
	for (size_t i = 0; rc == 0 && i < n; i++)
		ci_github_take_suite(runs[i], json_array_get(nodes, i)); /* a null node or a long suite is left to REST */
	json_decref(j);
	ci_http_req_release(&r);
	free(body);
	return rc;
}

/* Appends the workflow jobs of one REST page to run. */
static void append_jobs(struct ci_run *run, size_t *cap, const json_t *page)
{
	json_t *v;
	size_t k;
	json_array_foreach(json_object_get(page, "jobs"), k, v) {
		xgrow((void **)&run->jobs, cap, run->n_jobs + 1, sizeof(*run->jobs));
		memset(&run->jobs[run->n_jobs], 0, sizeof(*run->jobs));
		ci_github_map_job(&run->jobs[run->n_jobs++], v);
	}
}

/* First pages of the runs' REST job listings concurrently, further pages one by one. */
int ci_github_jobs_rest(struct ci_provider *p, const char *repo, struct ci_run *const *runs, size_t n, struct err *e)
{
	struct ci_json_get *gs = xcalloc(n ? n : 1, sizeof(*gs));
	int first = 0;
	for (size_t i = 0; i < n; i++)
		gs[i].url = xasprintf("%s/repos/%s/actions/runs/%s/jobs?per_page=100", p->api_url, repo,
				      runs[i]->ci_run_id);
	ci_common_get_json_many(p, gs, n, ci_github_headers, CI_HTTP_CACHE | CI_HTTP_FOLLOW, e);
	for (size_t i = 0; i < n; i++) {
		struct ci_run *run = runs[i];
		struct err re = ERR_INIT;
		int rc = gs[i].rc;
		size_t cap = 0;
		char *next = gs[i].next;
		ci_jobs_free(run->jobs, run->n_jobs);
		run->jobs = NULL;
		run->n_jobs = 0;
		if (rc == 0)
			append_jobs(run, &cap, gs[i].json);
		else
			err_copy(&re, &gs[i].err);
		while (next && rc == 0) {
			json_t *pg = NULL;
			char *url = next;
			rc = ci_common_get_json(p, &pg, &next, url, ci_github_headers, CI_HTTP_CACHE | CI_HTTP_FOLLOW, &re);
			free(url);
			append_jobs(run, &cap, pg);
			json_decref(pg);
		}
		free(next);
		run->jobs_rc = rc;
		if (rc == 0) {
			run->jobs_known = 1;
		} else {
			ci_jobs_free(run->jobs, run->n_jobs); /* no half lists */
			run->jobs = NULL;
			run->n_jobs = 0;
			if (!first)
				first = err_copy(e, &re);
		}
		json_decref(gs[i].json);
		free((char *)gs[i].url);
	}
	free(gs);
	return first;
}

int ci_github_jobs_fill(struct ci_provider *p, const char *repo, struct ci_run *const *runs, size_t n, struct err *e)
{
	struct ci_run **batch = xcalloc(n ? n : 1, sizeof(*batch));
	char *url = ci_github_graphql_url(p->api_url);
	size_t nb = 0;
	int graphql_ok = 1;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && !runs[i]->jobs_known && runs[i]->jobs_ref && runs[i]->ci_run_id)
			batch[nb++] = runs[i];
		if ((nb == SUITES_PER_QUERY || (i == n && nb)) && graphql_ok) {
			struct err ge = ERR_INIT;
			if (graphql_batch(p, url, batch, nb, &ge)) {
				/* One refusal is enough to know: the rest of this call goes through REST. */
				log_info("github: %s: jobs through REST, one request per run (%s)", repo, ge.msg);
				graphql_ok = 0;
			}
			nb = 0;
		}
	}
	nb = 0;
	for (size_t i = 0; i < n; i++)
		if (!runs[i]->jobs_known && runs[i]->ci_run_id)
			batch[nb++] = runs[i];
	int rc = nb ? ci_github_jobs_rest(p, repo, batch, nb, e) : 0;
	free(url);
	free(batch);
	return rc;
}
