/*
 * The Travis CI provider (API v3) against the fixture server, whose builds
 * are derived from generated GitHub runs: the mapping is checked against the
 * GitHub provider's view of the same build.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "ci/provider.h"
#include "../fixture-server/fxserver.h"

static struct fx_server srv;
static json_t *world;

static struct ci_provider *open_kind(const char *kind, const char *tokens, const char *suffix)
{
	struct ci_options o;
	struct ci_provider *p = NULL;
	struct err e = ERR_INIT;
	static char url[128];
	ci_options_init(&o);
	snprintf(url, sizeof(url), "%s%s", srv.url, suffix);
	o.api_url = url;
	o.tokens = tokens ? tokens : "";
	o.http.backoff_base_ms = 10;
	cr_assert_eq(ci_provider_open(&p, kind, &o, &e), 0, "%s", e.msg);
	return p;
}

static void start(void)
{
	const char *args[] = { "--generate", "repos=2,runs=60,seed=12", NULL };
	if (fx_start(&srv, args))
		cr_skip_test("the fixture server could not start (needs /usr/bin/python3)");
	world = fx_call(&srv, "/_fixture/world?repo=org0/project-0", NULL);
	cr_assert_eq(json_array_size(json_object_get(world, "runs")), 30);
}

static void stop(void)
{
	json_decref(world);
	fx_stop(&srv);
}

Test(travis, maps_builds_like_the_github_runs_they_came_from)
{
	start();
	struct ci_provider *tr = open_kind(CI_TRAVIS, "trtoken", "/travis"), *gh = open_kind(CI_GITHUB, NULL, "");
	size_t i;
	json_t *w;
	int seen_failure = 0, seen_success = 0;
	json_array_foreach(json_object_get(world, "runs"), i, w) {
		char rid[32];
		struct ci_run t, g;
		struct err e = ERR_INIT;
		snprintf(rid, sizeof(rid), "%lld", (long long)json_integer_value(json_object_get(w, "id")));
		cr_assert_eq(ci_run_get(tr, &t, "org0/project-0", rid, &e), 0, "%s", e.msg);
		cr_assert_eq(ci_run_get(gh, &g, "org0/project-0", rid, &e), 0, "%s", e.msg);
		cr_assert_str_eq(t.ci_run_id, rid);
		cr_assert_str_eq(t.repo_full_name, "org0/project-0");
		cr_assert_eq(t.build_number, g.build_number);
		cr_assert_str_eq(t.branch, g.branch);
		cr_assert_str_eq(t.commit_sha, g.commit_sha);
		cr_assert_str_eq(t.commit_message, g.commit_message);
		cr_assert_str_eq(t.author_name, g.author_name);
		cr_assert_null(t.author_email, "Travis v3 does not give the author's email");
		cr_assert_str_eq(t.event, g.event);
		cr_assert_str_eq(t.actor_login, g.actor_login);
		cr_assert_eq(t.actor_is_bot, g.actor_is_bot);
		cr_assert_eq(t.n_pr, g.n_pr);
		cr_assert_str_eq(t.status, g.status);
		if (!strcmp(g.status, "completed")) {
			/* skipped runs are "canceled" on Travis, which has no skipped state */
			if (strcmp(g.conclusion, "skipped"))
				cr_assert_str_eq(t.conclusion, g.conclusion, "build %s", rid);
			cr_assert_eq(t.completed_at, g.completed_at);
			cr_assert_eq(t.duration_usec, g.duration_usec);
		} else {
			cr_assert_null(t.conclusion);
		}
		cr_assert_eq(t.started_at, g.started_at);
		seen_failure |= t.conclusion && !strcmp(t.conclusion, "failure");
		seen_success |= t.conclusion && !strcmp(t.conclusion, "success");
		ci_run_release(&t);
		ci_run_release(&g);
	}
	cr_assert(seen_failure && seen_success);
	cr_assert_eq(fx_count(&srv, "by_token", "trtoken"), 30, "Authorization: token was sent");
	ci_provider_free(tr);
	ci_provider_free(gh);
	stop();
}

Test(travis, refuses_a_build_of_another_repository)
{
	start();
	struct ci_provider *tr = open_kind(CI_TRAVIS, NULL, "/travis");
	json_t *w = json_array_get(json_object_get(world, "runs"), 0);
	char rid[32];
	struct ci_run r;
	struct err e = ERR_INIT;
	snprintf(rid, sizeof(rid), "%lld", (long long)json_integer_value(json_object_get(w, "id")));
	cr_assert_eq(ci_run_get(tr, &r, "org1/project-1", rid, &e), CI_ERR_NOT_FOUND);
	cr_assert(strstr(e.msg, "belongs to org0/project-0"), "%s", e.msg);
	cr_assert_eq(ci_run_get(tr, &r, "org0/project-0", "7", &e), CI_ERR_NOT_FOUND);
	struct ci_repo repo;
	cr_assert_eq(ci_repo_get(tr, &repo, "org1/project-1", &e), 0, "%s", e.msg);
	cr_assert_str_eq(repo.full_name, "org1/project-1");
	cr_assert_str_eq(repo.language, "Java");
	cr_assert_str_eq(repo.default_branch, "main");
	ci_repo_release(&repo);
	cr_assert_eq(ci_repo_get(tr, &repo, "nobody/nothing", &e), CI_ERR_NOT_FOUND);
	ci_provider_free(tr);
	stop();
}

Test(travis, lists_jobs_and_downloads_logs)
{
	start();
	struct ci_provider *tr = open_kind(CI_TRAVIS, NULL, "/travis"), *gh = open_kind(CI_GITHUB, NULL, "");
	json_t *w = json_array_get(json_object_get(world, "runs"), 0);
	char rid[32], j0[32], j1[32];
	snprintf(rid, sizeof(rid), "%lld", (long long)json_integer_value(json_object_get(w, "id")));
	snprintf(j0, sizeof(j0), "%lld", (long long)json_integer_value(json_array_get(json_object_get(w, "jobs"), 0)));
	snprintf(j1, sizeof(j1), "%lld", (long long)json_integer_value(json_array_get(json_object_get(w, "jobs"), 1)));
	struct ci_job *jobs = NULL;
	size_t n = 0;
	struct err e = ERR_INIT;
	cr_assert_eq(ci_jobs_list(tr, &jobs, &n, "org0/project-0", rid, &e), 0, "%s", e.msg);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(jobs[0].id, j0);
	cr_assert_str_eq(jobs[1].id, j1);
	cr_assert_str_eq(jobs[0].runner, "GitHub Actions 1");
	cr_assert_not_null(jobs[0].name, "the job number, e.g. 12.1");
	ci_jobs_free(jobs, n);

	char cfg[128];
	snprintf(cfg, sizeof(cfg), "{\"gone_logs\": [\"%s\"]}", j1);
	fx_config(&srv, cfg);
	struct buf a = BUF_INIT, b = BUF_INIT;
	struct ci_sink sa = ci_sink_buf(&a), sb = ci_sink_buf(&b);
	struct ci_log_req reqs[2];
	memset(reqs, 0, sizeof(reqs));
	reqs[0].job_id = j0;
	reqs[0].sink = sa;
	reqs[1].job_id = j1;
	reqs[1].sink = sb;
	cr_assert_eq(ci_logs_fetch(tr, "org0/project-0", reqs, 2, 0, &e), 0);
	cr_assert_eq(reqs[0].rc, 0, "%s", reqs[0].err.msg);
	cr_assert_eq(reqs[1].rc, CI_ERR_GONE, "an expired log");
	struct buf g = BUF_INIT;
	struct ci_sink sg = ci_sink_buf(&g);
	cr_assert_eq(ci_log_fetch(gh, "org0/project-0", j0, &sg, 0, NULL, NULL, &e), 0, "%s", e.msg);
	cr_assert_eq(a.len, g.len);
	cr_assert_eq(memcmp(a.data, g.data, a.len), 0);
	buf_release(&a);
	buf_release(&b);
	buf_release(&g);
	ci_provider_free(tr);
	ci_provider_free(gh);
	stop();
}

Test(travis, lists_the_jobs_of_many_builds_at_once_one_request_each)
{
	start();
	struct ci_provider *tr = open_kind(CI_TRAVIS, "trtoken", "/travis");
	size_t i, n = json_array_size(json_object_get(world, "runs"));
	json_t *w;
	struct ci_run *runs = calloc(n, sizeof(*runs));
	struct ci_run **ptrs = calloc(n, sizeof(*ptrs));
	struct err e = ERR_INIT;
	json_array_foreach(json_object_get(world, "runs"), i, w) {
		char rid[32];
		snprintf(rid, sizeof(rid), "%lld", (long long)json_integer_value(json_object_get(w, "id")));
		cr_assert_eq(ci_run_get(tr, &runs[i], "org0/project-0", rid, &e), 0, "%s", e.msg);
		ptrs[i] = &runs[i];
	}
	fx_reset(&srv);
	cr_assert_eq(ci_jobs_fill(tr, "org0/project-0", ptrs, n, &e), 0, "%s", e.msg);
	cr_assert_eq(fx_count(&srv, NULL, "requests"), (long)n, "one /build/{id}/jobs per build");
	json_array_foreach(json_object_get(world, "runs"), i, w) {
		json_t *jobs = json_object_get(w, "jobs");
		cr_assert(runs[i].jobs_known);
		cr_assert_eq(runs[i].n_jobs, json_array_size(jobs));
		for (size_t k = 0; k < runs[i].n_jobs; k++)
			cr_assert_eq(atoll(runs[i].jobs[k].id), json_integer_value(json_array_get(jobs, k)));
	}
	fx_reset(&srv);
	cr_assert_eq(ci_jobs_fill(tr, "org0/project-0", ptrs, n, &e), 0, "%s", e.msg);
	cr_assert_eq(fx_count(&srv, NULL, "requests"), 0, "known jobs are not asked for again");
	for (i = 0; i < n; i++)
		ci_run_release(&runs[i]);
	free(runs);
	free(ptrs);
	ci_provider_free(tr);
	stop();
}
