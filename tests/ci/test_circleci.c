/*
 * The CircleCI provider (API v2 + v1.1 logs) against the fixture server. The
 * server derives each pipeline from a generated GitHub run (one workflow per
 * GitHub job), so the mapping is checked against the GitHub provider's view
 * of the same build.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "ci/provider.h"
#include "../fixture-server/fxserver.h"

static struct fx_server srv;
static json_t *world;

static struct ci_provider *open_kind(const char *kind, const char *tokens)
{
	struct ci_options o;
	struct ci_provider *p = NULL;
	struct err e = ERR_INIT;
	static char url[128];
	ci_options_init(&o);
	if (!strcmp(kind, CI_CIRCLECI))
		snprintf(url, sizeof(url), "%s/circleci/api/v2", srv.url);
	else
		snprintf(url, sizeof(url), "%s", srv.url);
	o.api_url = url;
	o.tokens = tokens ? tokens : "";
	o.http.backoff_base_ms = 10;
	cr_assert_eq(ci_provider_open(&p, kind, &o, &e), 0, "%s", e.msg);
	return p;
}

static void start(void)
{
	const char *args[] = { "--generate", "repos=2,runs=60,seed=11", NULL };
	if (fx_start(&srv, args))
		cr_skip_test("the fixture server could not start (needs /usr/bin/python3)");
	world = fx_call(&srv, "/_fixture/world?repo=org0/project-0", NULL);
	cr_assert(json_array_size(json_object_get(world, "runs")) == 30);
}

static void stop(void)
{
	json_decref(world);
	fx_stop(&srv);
}

/* The first run of the world with this GitHub conclusion (NULL: not completed). */
static json_t *run_with(const char *conclusion)
{
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(world, "runs"), i, r) {
		const char *c = json_string_value(json_object_get(r, "conclusion"));
		if ((!conclusion && !c) || (conclusion && c && !strcmp(c, conclusion)))
			return r;
	}
	return NULL;
}

Test(circleci, maps_a_pipeline_like_the_github_run_it_came_from)
{
	start();
	struct ci_provider *cc = open_kind(CI_CIRCLECI, "cctoken"), *gh = open_kind(CI_GITHUB, NULL);
	const char *concl[] = { "success", "failure", "cancelled", NULL };
	for (int k = 0; k < 4; k++) {
		json_t *w = run_with(concl[k]);
		if (!w)
			continue;
		char rid[32];
		snprintf(rid, sizeof(rid), "%lld", (long long)json_integer_value(json_object_get(w, "id")));
		const char *pid = json_string_value(json_object_get(w, "pipeline"));
		struct ci_run c, g;
		struct err e = ERR_INIT;
		cr_assert_eq(ci_run_get(cc, &c, "org0/project-0", pid, &e), 0, "%s", e.msg);
		cr_assert_eq(ci_run_get(gh, &g, "org0/project-0", rid, &e), 0, "%s", e.msg);
		cr_assert_str_eq(c.ci_run_id, pid);
		cr_assert_str_eq(c.repo_full_name, "org0/project-0");
		cr_assert_eq(c.build_number, g.build_number);
		cr_assert_str_eq(c.branch, g.branch);
		cr_assert_str_eq(c.commit_sha, g.commit_sha);
		cr_assert_str_eq(c.commit_message, g.commit_message, "subject + blank line + body");
		cr_assert_str_eq(c.actor_login, g.actor_login);
		cr_assert_eq(c.actor_is_bot, g.actor_is_bot);
		cr_assert_eq(c.created_at, g.created_at);
		cr_assert_eq(c.n_pr, g.n_pr);
		if (g.n_pr)
			cr_assert_eq(c.pr_numbers[0], g.pr_numbers[0]);
		cr_assert_str_eq(c.event, strcmp(g.event, "schedule") ? g.event : "schedule");
		cr_assert_str_eq(c.status, g.status);
		if (concl[k])
			cr_assert_str_eq(c.conclusion, g.conclusion, "run %s", rid);
		else
			cr_assert_null(c.conclusion);
		cr_assert(strstr(c.web_url, "https://app.circleci.com/pipelines/github/org0/project-0/"), "%s", c.web_url);
		cr_assert(strstr(c.raw_json, "\"workflows\""), "the workflows are kept in the raw payload");
		ci_run_release(&c);
		ci_run_release(&g);
	}
	cr_assert_geq(fx_count(&srv, "by_token", "cctoken"), 6, "Circle-Token was sent to the API");
	ci_provider_free(cc);
	ci_provider_free(gh);
	stop();
}

Test(circleci, refuses_a_pipeline_of_another_project_or_an_unknown_one)
{
	start();
	struct ci_provider *cc = open_kind(CI_CIRCLECI, NULL);
	json_t *w = json_array_get(json_object_get(world, "runs"), 0);
	struct ci_run r;
	struct err e = ERR_INIT;
	cr_assert_eq(ci_run_get(cc, &r, "org1/project-1", json_string_value(json_object_get(w, "pipeline")), &e),
		     CI_ERR_NOT_FOUND);
	cr_assert(strstr(e.msg, "belongs to gh/org0/project-0"), "%s", e.msg);
	cr_assert_eq(ci_run_get(cc, &r, "org0/project-0", "00000000-0000-4000-a000-000000000000", &e), CI_ERR_NOT_FOUND);
	cr_assert_eq(ci_run_get(cc, &r, "org0/project-0", "42", &e), ERR_INPUT, "a CircleCI id is a UUID");
	struct ci_repo repo;
	cr_assert_eq(ci_repo_get(cc, &repo, "org0/project-0", &e), 0, "%s", e.msg);
	cr_assert_str_eq(repo.default_branch, "master");
	ci_repo_release(&repo);
	cr_assert_eq(ci_repo_get(cc, &repo, "nobody/nothing", &e), CI_ERR_NOT_FOUND);
	ci_provider_free(cc);
	stop();
}

Test(circleci, lists_jobs_and_downloads_their_logs_without_the_token)
{
	start();
	struct ci_provider *cc = open_kind(CI_CIRCLECI, "cctoken"), *gh = open_kind(CI_GITHUB, NULL);
	json_t *w = run_with("failure");
	cr_assert_not_null(w);
	const char *pid = json_string_value(json_object_get(w, "pipeline"));
	struct ci_job *jobs = NULL;
	size_t n = 0;
	struct err e = ERR_INIT;
	cr_assert_eq(ci_jobs_list(cc, &jobs, &n, "org0/project-0", pid, &e), 0, "%s", e.msg);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(jobs[0].conclusion, "success");
	cr_assert_str_eq(jobs[1].conclusion, "failure");
	cr_assert_str_eq(jobs[1].status, "completed");
	cr_assert_str_eq(jobs[0].run_id, pid);
	char expect_id[32];
	snprintf(expect_id, sizeof(expect_id), "%lld",
		 (long long)json_integer_value(json_array_get(json_object_get(w, "jobs"), 1)));
	cr_assert_str_eq(jobs[1].id, expect_id, "a CircleCI job is named by its job number");

	struct buf a = BUF_INIT, b = BUF_INIT;
	struct ci_sink sa = ci_sink_buf(&a), sb = ci_sink_buf(&b);
	size_t bytes = 0;
	int trunc = 0;
	cr_assert_eq(ci_log_fetch(cc, "org0/project-0", jobs[1].id, &sa, 0, &bytes, &trunc, &e), 0, "%s", e.msg);
	cr_assert_eq(ci_log_fetch(gh, "org0/project-0", jobs[1].id, &sb, 0, NULL, NULL, &e), 0, "%s", e.msg);
	cr_assert_gt(a.len, 1000);
	cr_assert_eq(a.len, b.len);
	cr_assert_eq(memcmp(a.data, b.data, a.len), 0, "the same log through both APIs");
	cr_assert_eq(bytes, a.len);
	buf_reset(&a);
	cr_assert_eq(ci_log_fetch(cc, "org0/project-0", jobs[1].id, &sa, 500, &bytes, &trunc, &e), 0, "%s", e.msg);
	cr_assert_eq(trunc, 1);
	cr_assert_eq(a.len, 500);
	cr_assert_eq(fx_count(&srv, "by_status", "403"), 0, "the storage never saw the Circle-Token");
	cr_assert_eq(ci_log_fetch(cc, "org0/project-0", "999", &sa, 0, NULL, NULL, &e), CI_ERR_NOT_FOUND);
	buf_release(&a);
	buf_release(&b);
	ci_jobs_free(jobs, n);
	ci_provider_free(cc);
	ci_provider_free(gh);
	stop();
}

Test(circleci, lists_the_jobs_of_many_pipelines_from_their_stored_workflows)
{
	start();
	struct ci_provider *cc = open_kind(CI_CIRCLECI, "cctoken");
	size_t i, n = json_array_size(json_object_get(world, "runs")), workflows = 0;
	json_t *w;
	struct ci_run *runs = calloc(n, sizeof(*runs));
	struct ci_run **ptrs = calloc(n, sizeof(*ptrs));
	struct err e = ERR_INIT;
	json_array_foreach(json_object_get(world, "runs"), i, w) {
		const char *pid = json_string_value(json_object_get(w, "pipeline"));
		cr_assert_eq(ci_run_get(cc, &runs[i], "org0/project-0", pid, &e), 0, "%s", e.msg);
		ptrs[i] = &runs[i];
		workflows += json_array_size(json_object_get(w, "jobs")); /* one workflow per GitHub job */
	}
	/* The last run as read back from the warehouse without its payload: listed on its own. */
	free(runs[n - 1].raw_json);
	runs[n - 1].raw_json = NULL;
	fx_reset(&srv);
	cr_assert_eq(ci_jobs_fill(cc, "org0/project-0", ptrs, n, &e), 0, "%s", e.msg);
	cr_assert_eq(fx_count(&srv, "by_endpoint", "GET circleci /workflow/{id}/job"), (long)workflows);
	cr_assert_eq(fx_count(&srv, "by_endpoint", "GET circleci /pipeline/{id}"), 1,
		     "the pipelines' workflows come from their payloads (but the one without it)");
	cr_assert_eq(fx_count(&srv, NULL, "requests"), (long)workflows + 2, "%zu workflows + that run's pipeline and list",
		     workflows);
	json_array_foreach(json_object_get(world, "runs"), i, w) {
		cr_assert(runs[i].jobs_known);
		cr_assert_eq(runs[i].n_jobs, json_array_size(json_object_get(w, "jobs")), "run %zu", i);
		for (size_t k = 0; k < runs[i].n_jobs; k++)
			cr_assert_str_eq(runs[i].jobs[k].run_id, runs[i].ci_run_id);
	}
	for (i = 0; i < n; i++)
		ci_run_release(&runs[i]);
	free(runs);
	free(ptrs);
	ci_provider_free(cc);
	stop();
}
