/*
 * The HTTP client policy (src/ci/http.c) against the loopback fixture server:
 * token switching, waiting for a reset, Retry-After, 5xx retries, ETag 304s,
 * redirects without credentials, caps, concurrency.
 */
#include <criterion/criterion.h>
#include <string.h>
#include "ci/http.h"
#include "core/utc.h"
#include "../fixture-server/fxserver.h"

static struct fx_server srv;
static char repo_url[128];

static void start_world(const char *config)
{
	const char *args[] = { "--generate", "repos=2,runs=20,seed=3", "--config", config ? config : "{}", NULL };
	if (fx_start(&srv, args))
		cr_skip_test("the fixture server could not start (needs /usr/bin/python3)");
	snprintf(repo_url, sizeof(repo_url), "%s/repos/org0/project-0", srv.url);
}

static struct ci_http_config fast(void)
{
	struct ci_http_config c;
	ci_http_config_init(&c);
	c.backoff_base_ms = 10;
	c.backoff_max_ms = 100;
	c.secondary_wait_ms = 50;
	c.reset_margin_ms = 50;
	c.token_reserve = 0;
	return c;
}

/* The id of the first job of the newest run of org0/project-0, asked from the server. */
static long long first_job_id(void)
{
	json_t *runs = fx_call(&srv, "/repos/org0/project-0/actions/runs?per_page=1", NULL);
	long long run = json_integer_value(json_object_get(json_array_get(json_object_get(runs, "workflow_runs"), 0), "id"));
	char path[128];
	snprintf(path, sizeof(path), "/repos/org0/project-0/actions/runs/%lld/jobs", run);
	json_t *jobs = fx_call(&srv, path, NULL);
	long long id = json_integer_value(json_object_get(json_array_get(json_object_get(jobs, "jobs"), 0), "id"));
	json_decref(runs);
	json_decref(jobs);
	cr_assert_gt(id, 0, "the generated world has jobs");
	return id;
}

static char host_of_server[64];
static const char *host(void)
{
	snprintf(host_of_server, sizeof(host_of_server), "127.0.0.1:%d", srv.port);
	return host_of_server;
}

/* n GETs of the repository, one at a time; returns how many answered 200. */
static int get_n(struct ci_http_client *c, int n)
{
	int ok = 0;
	for (int i = 0; i < n; i++) {
		struct ci_http_req r = CI_HTTP_REQ_INIT;
		struct err e = ERR_INIT;
		r.url = repo_url;
		if (!ci_http_get(c, &r, &e) && r.status == 200)
			ok++;
		ci_http_req_release(&r);
	}
	return ok;
}

Test(http, switches_token_before_it_runs_dry)
{
	start_world("{\"tokens\": {\"tokA\": {\"limit\": 3}, \"tokB\": {\"limit\": 100}}}");
	struct ci_http_config cfg = fast();
	cfg.token_reserve = 1;
	struct ci_http_client *c = ci_http_client_new(&cfg);
	ci_http_add_tokens(c, host(), "Authorization: Bearer %s", "tokA, tokB");
	cr_assert_eq(get_n(c, 10), 10);
	/* tokA is left with its reserve of 1: used twice, then tokB takes over; no 403 was ever answered. */
	cr_assert_eq(fx_count(&srv, "by_token", "tokA"), 2);
	cr_assert_eq(fx_count(&srv, "by_token", "tokB"), 8);
	cr_assert_eq(fx_count(&srv, NULL, "rate_limited"), 0);
	struct ci_http_stats st;
	ci_http_stats_get(c, &st);
	cr_assert_eq(st.token_switches, 1);
	ci_http_client_free(c);
	fx_stop(&srv);
}

static int waits_seen;
static int64_t wait_until;
static void on_wait(void *ctx, const char *why, int64_t until)
{
	(void)ctx;
	cr_assert(strstr(why, "exhausted") || strstr(why, "secondary"), "reason: %s", why);
	waits_seen++;
	wait_until = until;
}

Test(http, waits_for_the_earliest_reset_when_every_token_is_dry)
{
	start_world("{\"tokens\": {\"a\": {\"limit\": 2}, \"b\": {\"limit\": 2}}, \"reset_in\": 2}");
	struct ci_http_config cfg = fast();
	cfg.on_wait = on_wait;
	struct ci_http_client *c = ci_http_client_new(&cfg);
	ci_http_add_tokens(c, host(), "Authorization: Bearer %s", "a,b");
	waits_seen = 0;
	int64_t t0 = utc_now();
	cr_assert_eq(get_n(c, 6), 6);
	int64_t took = utc_now() - t0;
	cr_assert_geq(waits_seen, 1, "the wait was reported through on_wait");
	cr_assert_gt(wait_until, t0);
	/* The fourth request used the last unit of the window: the fifth waited for the reset. */
	cr_assert_gt(took, 200000, "the client must have waited for the reset (took %lld us)", (long long)took);
	cr_assert_eq(fx_count(&srv, NULL, "rate_limited"), 0, "the client waited instead of hitting 403s");
	ci_http_client_free(c);
	fx_stop(&srv);
}

Test(http, a_403_with_no_remaining_marks_the_token_dry_and_retries_after_reset)
{
	/* The token has no budget from the start: the client learns it from the 403 itself. */
	start_world("{\"tokens\": {\"empty\": {\"limit\": 0}}, \"reset_in\": 1}");
	struct ci_http_config cfg = fast();
	struct ci_http_client *c = ci_http_client_new(&cfg);
	ci_http_add_tokens(c, host(), "Authorization: Bearer %s", "empty");
	/*
	 * A reset refills the token at its limit, 0 here: raise the limit meanwhile,
	 * once the server has answered the 403 (raised earlier, when the client's
	 * first request is late on a loaded machine, no 403 is ever answered).
	 */
	struct ci_http_req r = CI_HTTP_REQ_INIT;
	struct err e = ERR_INIT;
	r.url = repo_url;
	pid_t kid = fork();
	if (kid == 0) {
		while (fx_count(&srv, NULL, "rate_limited") == 0) /* -1: the server is gone */
			usleep(10000);
		fx_config(&srv, "{\"tokens\": {\"empty\": {\"limit\": 50}}}");
		_exit(0);
	}
	int rc = ci_http_get(c, &r, &e);
	waitpid(kid, NULL, 0);
	cr_assert_eq(rc, 0, "%s", e.msg);
	cr_assert_eq(r.status, 200);
	cr_assert_geq(fx_count(&srv, NULL, "rate_limited"), 1);
	ci_http_req_release(&r);
	ci_http_client_free(c);
	fx_stop(&srv);
}

Test(http, gives_up_with_rate_limited_when_the_reset_is_too_far)
{
	start_world("{\"tokens\": {\"t\": {\"limit\": 1}}, \"reset_in\": 3600}");
	struct ci_http_config cfg = fast();
	cfg.max_rate_wait_ms = 1000;
	struct ci_http_client *c = ci_http_client_new(&cfg);
	ci_http_add_tokens(c, host(), "Authorization: Bearer %s", "t");
	cr_assert_eq(get_n(c, 1), 1);
	struct ci_http_req r = CI_HTTP_REQ_INIT;
	struct err e = ERR_INIT;
	r.url = repo_url;
	cr_assert_eq(ci_http_get(c, &r, &e), ERR_RATE_LIMITED);
	cr_assert(strstr(e.msg, "exhausted"), "%s", e.msg);
	ci_http_req_release(&r);
	ci_http_client_free(c);
	fx_stop(&srv);
}

Test(http, backs_off_on_a_secondary_limit_with_retry_after)
{
	start_world("{\"faults\": [{\"path\": \"/repos/org0/project-0$\", \"status\": 403, \"retry_after\": 1, "
		    "\"body\": {\"message\": \"You have exceeded a secondary rate limit.\"}}]}");
	struct ci_http_config cfg = fast();
	cfg.on_wait = on_wait;
	struct ci_http_client *c = ci_http_client_new(&cfg);
	struct ci_http_req r = CI_HTTP_REQ_INIT;
	struct err e = ERR_INIT;
	waits_seen = 0;
	r.url = repo_url;
	int64_t t0 = mono_now();
	cr_assert_eq(ci_http_get(c, &r, &e), 0, "%s", e.msg);
	cr_assert_eq(r.status, 200);
	cr_assert_eq(r.attempts, 2);
	cr_assert_geq(mono_now() - t0, 900000, "Retry-After: 1 was honoured");
	cr_assert_eq(waits_seen, 1);
	ci_http_req_release(&r);
	ci_http_client_free(c);
	fx_stop(&srv);
}

Test(http, retries_a_burst_of_5xx_then_succeeds)
{
	start_world("{\"faults\": [{\"path\": \"/repos/org0/project-0$\", \"status\": 502, \"times\": 3}]}");
	struct ci_http_config cfg = fast();
	struct ci_http_client *c = ci_http_client_new(&cfg);
	struct ci_http_req r = CI_HTTP_REQ_INIT;
	struct err e = ERR_INIT;
	r.url = repo_url;
	cr_assert_eq(ci_http_get(c, &r, &e), 0, "%s", e.msg);
	cr_assert_eq(r.status, 200);
	cr_assert_eq(r.attempts, 4);
	cr_assert_eq(fx_count(&srv, "by_status", "502"), 3);
	ci_http_req_release(&r);
	ci_http_client_free(c);
	fx_stop(&srv);
}

Test(http, a_5xx_that_persists_is_a_transient_network_error)
{
	start_world("{\"faults\": [{\"path\": \"/repos/org0/project-0$\", \"status\": 503, \"times\": -1}]}");
	struct ci_http_config cfg = fast();
	cfg.max_attempts = 3;
	struct ci_http_client *c = ci_http_client_new(&cfg);
	struct ci_http_req r = CI_HTTP_REQ_INIT;
	struct err e = ERR_INIT;
	r.url = repo_url;
	cr_assert_eq(ci_http_get(c, &r, &e), ERR_NETWORK);
	cr_assert(strstr(e.msg, "HTTP 503 after 3 attempts"), "%s", e.msg);
	cr_assert_eq(fx_count(&srv, "by_status", "503"), 3);
	ci_http_req_release(&r);
	ci_http_client_free(c);
	fx_stop(&srv);
}

Test(http, retries_a_dropped_connection)
{
	start_world("{\"faults\": [{\"path\": \"/repos/org0/project-0$\", \"drop\": true, \"times\": 1}]}");
	struct ci_http_config cfg = fast();
	struct ci_http_client *c = ci_http_client_new(&cfg);
	struct ci_http_req r = CI_HTTP_REQ_INIT;
	struct err e = ERR_INIT;
	r.url = repo_url;
	cr_assert_eq(ci_http_get(c, &r, &e), 0, "%s", e.msg);
	cr_assert_eq(r.status, 200);
	cr_assert_eq(r.attempts, 2);
	ci_http_req_release(&r);
	ci_http_client_free(c);
	fx_stop(&srv);
}

Test(http, a_refused_connection_fails_after_the_attempts)
{
	struct ci_http_config cfg = fast();
	cfg.max_attempts = 2;
	struct ci_http_client *c = ci_http_client_new(&cfg);
	struct ci_http_req r = CI_HTTP_REQ_INIT;
	struct err e = ERR_INIT;
	r.url = "http://127.0.0.1:1/repos/a/b";
	cr_assert_eq(ci_http_get(c, &r, &e), ERR_NETWORK);
	cr_assert_eq(r.attempts, 2);
	cr_assert(strstr(e.msg, "127.0.0.1:1"), "the message names the URL: %s", e.msg);
	ci_http_req_release(&r);
	ci_http_client_free(c);
}

Test(http, serves_a_repeat_lookup_from_the_etag_cache)
{
	start_world("{\"tokens\": {\"t\": {\"limit\": 100}}}");
	struct ci_http_config cfg = fast();
	struct ci_http_client *c = ci_http_client_new(&cfg);
	ci_http_add_tokens(c, host(), "Authorization: Bearer %s", "t");
	char *first = NULL;
	for (int i = 0; i < 3; i++) {
		struct ci_http_req r = CI_HTTP_REQ_INIT;
		struct err e = ERR_INIT;
		r.url = repo_url;
		r.flags = CI_HTTP_CACHE;
		cr_assert_eq(ci_http_get(c, &r, &e), 0, "%s", e.msg);
		cr_assert_eq(r.status, 200);
		cr_assert_eq(r.from_cache, i > 0);
		if (!first)
			first = strdup(buf_cstr(&r.body));
		else
			cr_assert_str_eq(buf_cstr(&r.body), first, "a 304 is answered with the cached body");
		ci_http_req_release(&r);
	}
	free(first);
	struct ci_http_stats st;
	ci_http_stats_get(c, &st);
	cr_assert_eq(st.not_modified, 2);
	cr_assert_eq(fx_count(&srv, "by_status", "304"), 2);
	cr_assert_eq(fx_count(&srv, "by_token", "t"), 3);
	ci_http_client_free(c);
	fx_stop(&srv);
}

Test(http, follows_a_log_redirect_without_sending_credentials_to_storage)
{
	start_world(NULL);
	struct ci_http_config cfg = fast();
	struct ci_http_client *c = ci_http_client_new(&cfg);
	ci_http_add_tokens(c, host(), "Authorization: Bearer %s", "secret");
	struct buf log = BUF_INIT;
	struct ci_sink sink = ci_sink_buf(&log);
	struct ci_http_req r = CI_HTTP_REQ_INIT;
	struct err e = ERR_INIT;
	char url[512];
	snprintf(url, sizeof(url), "%s/actions/jobs/%lld/logs", repo_url, first_job_id());
	r.url = url;
	r.flags = CI_HTTP_FOLLOW;
	r.sink = &sink;
	cr_assert_eq(ci_http_get(c, &r, &e), 0, "%s", e.msg);
	cr_assert_eq(r.status, 200, "storage answered %ld (403 would mean credentials were sent)", r.status);
	cr_assert(strstr(r.final_url, "/_storage/logs/"), "%s", r.final_url);
	cr_assert_gt(log.len, 1000);
	cr_assert_eq(r.bytes, log.len);
	cr_assert_eq(r.attempts, 2);
	buf_release(&log);
	ci_http_req_release(&r);
	ci_http_client_free(c);
	fx_stop(&srv);
}

Test(http, truncates_a_streamed_body_at_its_cap)
{
	start_world("{\"big_logs\": {\"777\": 3000000}}");
	struct ci_http_config cfg = fast();
	struct ci_http_client *c = ci_http_client_new(&cfg);
	struct buf log = BUF_INIT;
	struct ci_sink sink = ci_sink_buf(&log);
	struct ci_http_req r = CI_HTTP_REQ_INIT;
	struct err e = ERR_INIT;
	char url[512];
	snprintf(url, sizeof(url), "%s/_storage/logs/777", srv.url);
	r.url = url;
	r.sink = &sink;
	r.max_bytes = 100000;
	cr_assert_eq(ci_http_get(c, &r, &e), 0, "%s", e.msg);
	cr_assert_eq(r.truncated, 1);
	cr_assert_eq(log.len, 100000);
	cr_assert_eq(r.bytes, 100000);
	buf_release(&log);
	ci_http_req_release(&r);
	ci_http_client_free(c);
	fx_stop(&srv);
}

Test(http, refuses_an_in_memory_body_over_max_body)
{
	start_world("{\"big_logs\": {\"778\": 300000}}");
	struct ci_http_config cfg = fast();
	cfg.max_body = 1000;
	struct ci_http_client *c = ci_http_client_new(&cfg);
	struct ci_http_req r = CI_HTTP_REQ_INIT;
	struct err e = ERR_INIT;
	char url[512];
	snprintf(url, sizeof(url), "%s/_storage/logs/778", srv.url);
	r.url = url;
	cr_assert_eq(ci_http_get(c, &r, &e), ERR_TOOBIG);
	cr_assert(strstr(e.msg, "1000-byte cap"), "%s", e.msg);
	ci_http_req_release(&r);
	ci_http_client_free(c);
	fx_stop(&srv);
}

Test(http, parses_link_next_and_keeps_error_bodies)
{
	start_world(NULL);
	struct ci_http_config cfg = fast();
	struct ci_http_client *c = ci_http_client_new(&cfg);
	struct ci_http_req r[2] = { CI_HTTP_REQ_INIT, CI_HTTP_REQ_INIT };
	struct err e = ERR_INIT;
	char u0[512], u1[512];
	snprintf(u0, sizeof(u0), "%s/actions/runs?per_page=3", repo_url);
	snprintf(u1, sizeof(u1), "%s/repos/nobody/nothing", srv.url);
	r[0].url = u0;
	r[1].url = u1;
	cr_assert_eq(ci_http_run(c, r, 2, &e), 0);
	cr_assert_eq(r[0].status, 200);
	cr_assert_not_null(r[0].link_next);
	cr_assert(strstr(r[0].link_next, "page=2"), "%s", r[0].link_next);
	cr_assert_eq(r[1].rc, 0);
	cr_assert_eq(r[1].status, 404);
	cr_assert(strstr(buf_cstr(&r[1].body), "Not Found"));
	ci_http_req_release(&r[0]);
	ci_http_req_release(&r[1]);
	ci_http_client_free(c);
	fx_stop(&srv);
}

Test(http, keeps_a_batch_within_its_concurrency)
{
	start_world("{\"latency_ms\": 30}");
	struct ci_http_config cfg = fast();
	cfg.max_in_flight = 4;
	struct ci_http_client *c = ci_http_client_new(&cfg);
	enum { N = 24 };
	struct ci_http_req r[N];
	char urls[N][512];
	struct err e = ERR_INIT;
	memset(r, 0, sizeof(r));
	for (int i = 0; i < N; i++) {
		snprintf(urls[i], sizeof(urls[i]), "%s/actions/runs?per_page=1&page=%d", repo_url, i + 1);
		r[i].url = urls[i];
	}
	cr_assert_eq(ci_http_run(c, r, N, &e), 0);
	for (int i = 0; i < N; i++) {
		cr_assert_eq(r[i].status, 200, "request %d: %ld %s", i, r[i].status, r[i].err.msg);
		ci_http_req_release(&r[i]);
	}
	struct ci_http_stats st;
	ci_http_stats_get(c, &st);
	cr_assert_eq(st.max_in_flight_seen, 4);
	/* The server may count one answer still finishing after the client has it,
	 * so its figure shows overlap, not the bound (asserted on the client above). */
	cr_assert_geq(fx_count(&srv, NULL, "max_concurrent"), 2, "requests overlapped on the server");
	ci_http_client_free(c);
	fx_stop(&srv);
}

Test(http, reports_the_host_of_a_url)
{
	char h[64];
	cr_assert_eq(ci_http_url_host("https://API.github.com/repos/a/b", h, sizeof(h)), 0);
	cr_assert_str_eq(h, "api.github.com");
	cr_assert_eq(ci_http_url_host("http://user@127.0.0.1:8080/x?y", h, sizeof(h)), 0);
	cr_assert_str_eq(h, "127.0.0.1:8080");
	cr_assert_eq(ci_http_url_host("not a url", h, sizeof(h)), -1);
}
