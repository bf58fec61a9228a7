/*
 * Starting and stopping the loopback fixture server (ciserver.py) from C
 * tests, and reading its counters.
 *
 * Header-only on purpose: tests/tests.cmake builds each tests/<layer>/test_*.c
 * as one executable with no extra sources, so any suite (tests/ci/, and the
 * pipeline's end-to-end tests) can include this without build changes.
 *
 *   struct fx_server s;
 *   const char *args[] = { "--generate", "repos=2,runs=50,seed=1", NULL };
 *   if (fx_start(&s, args)) cr_skip_test("...");
 *   ... s.url is "http://127.0.0.1:PORT" ...
 *   json_t *st = fx_stats(&s);   // GET /_fixture/stats (caller decrefs)
 *   fx_stop(&s);
 *
 * The server dies with the test process (PR_SET_PDEATHSIG) even when a test
 * crashes before fx_stop().
 */
#ifndef TESTS_FXSERVER_H
#define TESTS_FXSERVER_H
#include <curl/curl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

struct fx_server {
	pid_t pid;
	int port;
	char url[64];
};

/* Path of tests/fixture-server/ciserver.py in the source tree. */
static inline const char *fx_script(void)
{
	static char path[4096];
	const char *src = getenv("CIMINER_SOURCE_DIR");
#ifdef CIMINER_SOURCE_DIR
	if (!src || !*src)
		src = CIMINER_SOURCE_DIR;
#endif
	snprintf(path, sizeof(path), "%s/tests/fixture-server/ciserver.py", src ? src : ".");
	return path;
}

/* The shared fixtures folder (../shared/fixtures), or NULL when absent. */
static inline const char *fx_fixtures(void)
{
	static char path[4096];
	const char *f = getenv("CIMINER_FIXTURES");
	if (f && *f && access(f, R_OK) == 0)
		return f;
#ifdef CIMINER_SOURCE_DIR
	snprintf(path, sizeof(path), "%s/../shared/fixtures", CIMINER_SOURCE_DIR);
	if (access(path, R_OK) == 0)
		return path;
#endif
	return NULL;
}

/* Starts the server with extra arguments (NULL-terminated); 0 or -1 with a reason on stderr. */
static inline int fx_start(struct fx_server *s, const char *const *args)
{
	int fds[2];
	char line[256];
	const char *argv[64];
	int n = 0;
	FILE *f;
	memset(s, 0, sizeof(*s));
	if (access("/usr/bin/python3", X_OK)) {
		fprintf(stderr, "fx_start: /usr/bin/python3 is missing\n");
		return -1;
	}
	argv[n++] = "/usr/bin/python3";
	argv[n++] = fx_script();
	for (; args && *args && n < 62; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	if (pipe(fds))
		return -1;
	s->pid = fork();
	if (s->pid < 0)
		return -1;
	if (s->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	f = fdopen(fds[0], "r");
	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "LISTEN ", 7)) {
			char *p = strrchr(line, ':');
			s->port = p ? atoi(p + 1) : 0;
			snprintf(s->url, sizeof(s->url), "http://127.0.0.1:%d", s->port);
			break;
		}
	}
	if (f)
		fclose(f);
	if (!s->port) {
		fprintf(stderr, "fx_start: %s did not start (see its stderr above)\n", fx_script());
		kill(s->pid, SIGTERM);
		waitpid(s->pid, NULL, 0);
		s->pid = 0;
		return -1;
	}
	return 0;
}

static inline void fx_stop(struct fx_server *s)
{
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		waitpid(s->pid, NULL, 0);
	}
	s->pid = 0;
}

static size_t fx_collect(char *p, size_t size, size_t n, void *ud)
{
	FILE *mem = ud;
	return fwrite(p, size, n, mem);
}

/* GET (body NULL) or POST a control path; returns the parsed JSON answer or NULL. */
static inline json_t *fx_call(struct fx_server *s, const char *path, const char *body)
{
	char url[512], *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	CURL *h = curl_easy_init();
	json_t *out = NULL;
	snprintf(url, sizeof(url), "%s%s", s->url, path);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, fx_collect);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, mem);
	if (body)
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	if (curl_easy_perform(h) == CURLE_OK) {
		fflush(mem);
		out = json_loadb(text, len, 0, NULL);
	}
	curl_easy_cleanup(h);
	fclose(mem);
	free(text);
	return out;
}

static inline json_t *fx_stats(struct fx_server *s)
{
	return fx_call(s, "/_fixture/stats", NULL);
}

/* Counter at a dotted path of the stats ("requests", "by_endpoint.GET /repos/{owner}/{repo}"); -1 when absent. */
static inline long fx_count(struct fx_server *s, const char *group, const char *key)
{
	json_t *st = fx_stats(s), *v;
	long n = -1;
	if (!st)
		return -1;
	v = group ? json_object_get(json_object_get(st, group), key) : json_object_get(st, key);
	if (json_is_integer(v))
		n = (long)json_integer_value(v);
	else if (group)
		n = 0;
	json_decref(st);
	return n;
}

static inline int fx_config(struct fx_server *s, const char *json)
{
	json_t *r = fx_call(s, "/_fixture/config", json);
	int ok = r != NULL;
	json_decref(r);
	return ok ? 0 : -1;
}

static inline void fx_reset(struct fx_server *s)
{
	json_decref(fx_call(s, "/_fixture/reset", ""));
}

#endif
