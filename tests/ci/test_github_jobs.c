/*
 * The jobs of many GitHub runs at once (ci_jobs_fill): one GraphQL request
 * per 100 runs, mapped like REST's workflow jobs; REST for what GraphQL
 * cannot give (no token, its own rate limit, a suite longer than a page,
 * runs without a check-suite id), with the same jobs in the end.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "ci/ci_github.h"
#include "core/xalloc.h"
#include "../fixture-server/fxserver.h"

#define REPO "org0/project-0"
#define REST_JOBS "GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs"

static struct fx_server srv;

static void start(const char *spec, const char *config)
{
	const char *args[] = { "--generate", spec, "--config", config ? config : "{}", NULL };
	if (fx_start(&srv, args))
		cr_skip_test("the fixture server could not start (needs /usr/bin/python3)");
}

static struct ci_provider *open_github(const char *tokens)
{
	struct ci_options o;
	struct ci_provider *p = NULL;
	struct err e = ERR_INIT;
	ci_options_init(&o);
	o.api_url = srv.url;
	o.tokens = tokens ? tokens : "";
	o.http.backoff_base_ms = 10;
	cr_assert_eq(ci_provider_open(&p, CI_GITHUB, &o, &e), 0, "%s", e.msg);
	return p;
}

/* Every run of REPO looked up (as validation does) into items[0..n); the world says how many jobs each has. */
struct found {
	struct ci_lookup *items;
	struct ci_run **runs;
	size_t *want_jobs;
	size_t n;
};

static struct found look_up_all(struct ci_provider *p)
{
	struct found f = { 0 };
	json_t *w = fx_call(&srv, "/_fixture/world?repo=" REPO, NULL), *run;
	size_t i;
	cr_assert_not_null(w);
	f.n = json_array_size(json_object_get(w, "runs"));
	f.items = xcalloc(f.n, sizeof(*f.items));
	f.runs = xcalloc(f.n, sizeof(*f.runs));
	f.want_jobs = xcalloc(f.n, sizeof(*f.want_jobs));
	json_array_foreach(json_object_get(w, "runs"), i, run) {
		f.items[i].run_id = xasprintf("%lld", (long long)json_integer_value(json_object_get(run, "id")));
		f.want_jobs[i] = json_array_size(json_object_get(run, "jobs"));
	}
	json_decref(w);
	struct err e = ERR_INIT;
	cr_assert_eq(ci_runs_lookup(p, REPO, f.items, f.n, &e), 0, "%s", e.msg);
	for (i = 0; i < f.n; i++) {
		cr_assert_eq(f.items[i].rc, 0, "%s", f.items[i].err.msg);
		f.runs[i] = &f.items[i].run;
	}
	fx_reset(&srv);
	return f;
}

static void found_free(struct found *f)
{
	for (size_t i = 0; i < f->n; i++) {
		ci_run_release(&f->items[i].run);
		free((char *)f->items[i].run_id);
	}
	free(f->items);
	free(f->runs);
	free(f->want_jobs);
}

static void assert_all_jobs(const struct found *f)
{
	for (size_t i = 0; i < f->n; i++) {
		const struct ci_run *r = f->runs[i];
		cr_assert(r->jobs_known, "run %s: jobs not listed", r->ci_run_id);
		cr_assert_eq(r->n_jobs, f->want_jobs[i], "run %s: %zu jobs, the world has %zu", r->ci_run_id, r->n_jobs,
			     f->want_jobs[i]);
		for (size_t k = 0; k < r->n_jobs; k++)
			cr_assert_str_eq(r->jobs[k].run_id, r->ci_run_id);
	}
}

/* Lists the jobs of every run of f at once; each run must then have the jobs the world gave it. */
static void fill_all(struct ci_provider *p, struct found *f)
{
	struct err e = ERR_INIT;
	cr_assert_eq(ci_jobs_fill(p, REPO, f->runs, f->n, &e), 0, "%s", e.msg);
	assert_all_jobs(f);
}

/* Frees the runs, the provider and stops the fixture server. */
static void finish(struct ci_provider *p, struct found *f)
{
	found_free(f);
	ci_provider_free(p);
	fx_stop(&srv);
}

Test(github_jobs, lists_the_jobs_of_150_runs_in_two_graphql_requests_mapped_as_rest_maps_them)
{
	start("repos=1,runs=150,jobs_per_run=3,seed=11", NULL);
	struct ci_provider *p = open_github("tok-1");
	struct found f = look_up_all(p);
	struct err e = ERR_INIT;
	fill_all(p, &f);
	cr_assert_eq(fx_count(&srv, "by_endpoint", "POST /graphql"), 2, "100 check suites per query");
	cr_assert_eq(fx_count(&srv, "by_endpoint", REST_JOBS), 0);
	/* The same jobs as REST gives, field by field (runner and steps are REST's only). */
	for (size_t i = 0; i < f.n; i += 37) {
		struct ci_job *rest = NULL;
		size_t nr = 0;
		cr_assert_eq(ci_jobs_list(p, &rest, &nr, REPO, f.runs[i]->ci_run_id, &e), 0, "%s", e.msg);
		cr_assert_eq(nr, f.runs[i]->n_jobs);
		for (size_t k = 0; k < nr; k++) {
			const struct ci_job *g = &f.runs[i]->jobs[k];
			cr_assert_str_eq(g->id, rest[k].id);
			cr_assert_str_eq(g->name, rest[k].name);
			cr_assert_str_eq(g->status, rest[k].status);
			cr_assert_eq(g->conclusion == NULL, rest[k].conclusion == NULL);
			if (g->conclusion)
				cr_assert_str_eq(g->conclusion, rest[k].conclusion);
			cr_assert_eq(g->started_at, rest[k].started_at);
			cr_assert_eq(g->completed_at, rest[k].completed_at);
			cr_assert_null(g->steps_json, "steps are not asked of GraphQL (they would cost 100x the points)");
			cr_assert(strstr(g->raw_json, "\"source\":\"graphql\""), "%s", g->raw_json);
		}
		ci_jobs_free(rest, nr);
	}
	/* Runs whose jobs are known are not listed again. */
	fx_reset(&srv);
	cr_assert_eq(ci_jobs_fill(p, REPO, f.runs, f.n, &e), 0, "%s", e.msg);
	cr_assert_eq(fx_count(&srv, NULL, "requests"), 0);
	finish(p, &f);
}

Test(github_jobs, without_a_token_graphql_says_401_once_and_rest_lists_every_run)
{
	start("repos=1,runs=30,jobs_per_run=2,seed=12", NULL);
	struct ci_provider *p = open_github(NULL);
	struct found f = look_up_all(p);
	fill_all(p, &f);
	cr_assert_eq(fx_count(&srv, "by_endpoint", "POST /graphql"), 1);
	cr_assert_eq(fx_count(&srv, "by_status", "401"), 1);
	cr_assert_eq(fx_count(&srv, "by_endpoint", REST_JOBS), 30);
	cr_assert_not_null(f.runs[0]->jobs[0].steps_json, "REST's jobs carry their steps");
	finish(p, &f);
}

Test(github_jobs, an_exhausted_graphql_budget_falls_back_to_rest_without_touching_the_rest_budget)
{
	start("repos=1,runs=20,jobs_per_run=2,seed=13", "{\"graphql_limit\": 0}");
	struct ci_provider *p = open_github("tok-1");
	struct found f = look_up_all(p);
	fill_all(p, &f);
	cr_assert_eq(fx_count(&srv, "by_endpoint", "POST /graphql"), 1, "a refused budget is not hammered");
	cr_assert_eq(fx_count(&srv, "by_endpoint", REST_JOBS), 20);
	struct ci_http_stats st;
	ci_http_stats_get(ci_provider_http(p), &st);
	cr_assert_eq(st.rate_waits, 0, "GraphQL's empty budget must not make REST requests wait");
	finish(p, &f);
}

Test(github_jobs, a_suite_with_more_check_runs_than_a_page_is_listed_through_rest_pages)
{
	start("repos=1,runs=3,jobs_per_run=130,seed=14", NULL);
	struct ci_provider *p = open_github("tok-1");
	struct found f = look_up_all(p);
	fill_all(p, &f);
	cr_assert_eq(f.runs[0]->n_jobs, 130);
	cr_assert_eq(fx_count(&srv, "by_endpoint", "POST /graphql"), 1);
	cr_assert_eq(fx_count(&srv, "by_endpoint", REST_JOBS), 6, "two pages of 100 per run");
	finish(p, &f);
}

Test(github_jobs, runs_without_a_check_suite_id_and_unknown_suites_go_through_rest)
{
	start("repos=1,runs=10,jobs_per_run=2,seed=15", NULL);
	struct ci_provider *p = open_github("tok-1");
	struct found f = look_up_all(p);
	free(f.runs[0]->jobs_ref);
	f.runs[0]->jobs_ref = NULL; /* a GitHub Enterprise Server too old to name it */
	free(f.runs[1]->jobs_ref);
	f.runs[1]->jobs_ref = xstrdup("CS_kwDOnosuchsuite"); /* GraphQL answers null for it */
	fill_all(p, &f);
	cr_assert_eq(fx_count(&srv, "by_endpoint", "POST /graphql"), 1);
	cr_assert_eq(fx_count(&srv, "by_endpoint", REST_JOBS), 2);
	finish(p, &f);
}

Test(github_jobs, a_failing_rest_listing_leaves_its_run_unknown_and_says_why)
{
	start("repos=1,runs=4,jobs_per_run=2,seed=16",
	      "{\"faults\": [{\"path\": \"/actions/runs/[0-9]+/jobs\", \"status\": 502, \"times\": -1}]}");
	struct ci_provider *p = open_github(NULL);
	struct found f = look_up_all(p);
	struct err e = ERR_INIT;
	int rc = ci_jobs_fill(p, REPO, f.runs, f.n, &e);
	cr_assert_eq(rc, CI_ERR_TRANSIENT, "%s", e.msg);
	cr_assert(strstr(e.msg, "/jobs"), "the message names the request: %s", e.msg);
	for (size_t i = 0; i < f.n; i++)
		cr_assert_eq(f.runs[i]->jobs_known, 0);
	finish(p, &f);
}

Test(github_jobs, each_run_says_why_its_jobs_could_not_be_listed)
{
	start("repos=1,runs=5,jobs_per_run=2,seed=17", NULL);
	struct ci_provider *p = open_github(NULL);
	struct found f = look_up_all(p);
	char cfg[512];
	snprintf(cfg, sizeof(cfg),
		 "{\"faults\": [{\"path\": \"/actions/runs/%s/jobs\", \"status\": 404, \"times\": -1},"
		 " {\"path\": \"/actions/runs/%s/jobs\", \"status\": 502, \"times\": -1}]}",
		 f.runs[1]->ci_run_id, f.runs[3]->ci_run_id);
	cr_assert_eq(fx_config(&srv, cfg), 0);
	struct err e = ERR_INIT;
	cr_assert_neq(ci_jobs_fill(p, REPO, f.runs, f.n, &e), 0);
	for (size_t i = 0; i < f.n; i++) {
		int want = i == 1 ? CI_ERR_NOT_FOUND : i == 3 ? CI_ERR_TRANSIENT : 0;
		cr_assert_eq(f.runs[i]->jobs_rc, want, "run %zu: jobs_rc %d, want %d", i, f.runs[i]->jobs_rc, want);
		cr_assert_eq(f.runs[i]->jobs_known, want == 0);
		cr_assert_eq(f.runs[i]->n_jobs, want == 0 ? 2u : 0u, "no half lists");
	}
	finish(p, &f);
}

Test(github_jobs, a_stored_payload_gives_back_the_bulk_handle)
{
	char *ref = ci_run_jobs_ref(CI_GITHUB, "{\"id\": 1, \"check_suite_node_id\": \"CS_kwDOabc\"}");
	cr_assert_str_eq(ref, "CS_kwDOabc");
	free(ref);
	cr_assert_null(ci_run_jobs_ref(CI_GITHUB, "{\"id\": 1}"));
	cr_assert_null(ci_run_jobs_ref(CI_TRAVIS, "{\"check_suite_node_id\": \"CS_x\"}"), "only GitHub has one");
	cr_assert_null(ci_run_jobs_ref(CI_GITHUB, "not json"));
}

Test(github_jobs, the_graphql_endpoint_follows_the_rest_base)
{
	char *a = ci_github_graphql_url("https://api.github.com");
	char *b = ci_github_graphql_url("https://ghe.example.com/api/v3");
	char *c = ci_github_graphql_url("http://127.0.0.1:8080");
	cr_assert_str_eq(a, "https://api.github.com/graphql");
	cr_assert_str_eq(b, "https://ghe.example.com/api/graphql", "GitHub Enterprise Server");
	cr_assert_str_eq(c, "http://127.0.0.1:8080/graphql");
	free(a);
	free(b);
	free(c);
}
