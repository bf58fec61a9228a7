/*
 * Helpers shared by the benchmark programs (bench/bench_*.c): CPU time, the
 * loopback fixture server's control paths, a GitHub provider pointed at it.
 *
 * Header-only (static functions) because bench/bench.cmake builds each
 * bench/bench_*.c as one executable without extra sources.
 */
#ifndef BENCH_BENCH_H
#define BENCH_BENCH_H
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include "ci/provider.h"
#include "core/buf.h"
#include "core/xalloc.h"

/* user + system CPU time of this process: less disturbed than wall time by
 * other work on a shared machine */
static inline double bench_cpu_seconds(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* curl write callback: appends to the struct buf *ud, or drops the bytes when ud is NULL. */
static inline size_t bench_sink(char *p, size_t s, size_t n, void *ud)
{
	struct buf *b = ud;
	if (b)
		buf_add(b, p, s * n);
	return s * n;
}

/* GET (or POST when body != NULL) a fixture-server control path; its JSON answer or NULL (caller decrefs). */
static inline json_t *bench_fixture_call(const char *base, const char *path, const char *body)
{
	struct buf b = BUF_INIT;
	char *url = xasprintf("%s%s", base, path);
	CURL *h = curl_easy_init();
	json_t *j = NULL;
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, bench_sink);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
	if (body)
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	if (curl_easy_perform(h) == CURLE_OK)
		j = json_loadb(b.data ? b.data : "", b.len, 0, NULL);
	curl_easy_cleanup(h);
	buf_release(&b);
	free(url);
	return j;
}

/* One counter of the fixture server's /_fixture/stats (0 when absent). */
static inline long bench_fixture_stat(const char *base, const char *key)
{
	json_t *s = bench_fixture_call(base, "/_fixture/stats", NULL);
	long v = (long)json_integer_value(json_object_get(s, key));
	json_decref(s);
	return v;
}

/* A GitHub provider for the fixture server at base, conc requests in flight; exits naming prog when it cannot open. */
static inline struct ci_provider *bench_open_github(const char *prog, const char *base, int conc)
{
	struct ci_options o;
	struct ci_provider *p = NULL;
	struct err e = ERR_INIT;
	ci_options_init(&o);
	o.api_url = base;
	o.tokens = "bench-token";
	o.http.max_in_flight = conc;
	if (ci_provider_open(&p, CI_GITHUB, &o, &e)) {
		fprintf(stderr, "%s: %s\n", prog, e.msg);
		exit(1);
	}
	return p;
}

#endif
