/*
 * Helpers shared by the pipeline tests: a fresh database per test for the
 * suite's driver, one-value queries with printf-formatted SQL (the tests
 * format only their own integers and literals into it), small files, the
 * set-up of the end-to-end tests and worker pools run or killed by them.
 *
 * Header-only (static functions) because tests/tests.cmake builds each
 * tests/pipeline/test_*.c as one executable without extra sources.
 */
#ifndef TESTS_PIPELINE_PTEST_H
#define TESTS_PIPELINE_PTEST_H
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "core/err.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include "jobs/worker.h"
#include "pipeline/registry.h"
#include "pipeline/scenario.h"
#include "store/store.h"
#include "testsupport.h"

/* Opens a new empty, migrated database; *url_out (optional) gets its URL (caller frees). */
static inline struct store *pt_open(char **url_out)
{
	char *url = ts_new_db_url();
	if (!url)
		cr_skip_test("no %s database available for this test (see the message above)", ts_driver());
	struct store *s = NULL;
	struct err e = ERR_INIT;
	cr_assert_eq(store_open(&s, url, &e), 0, "store_open %s: %s", url, e.msg);
	if (url_out)
		*url_out = url;
	else
		free(url);
	return s;
}

/* The integer of a one-row, one-column query; fails the test when there is no row. */
static inline int64_t pt_int(struct store *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline int64_t pt_int(struct store *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *sql = xvasprintf(fmt, ap);
	va_end(ap);
	int64_t v = 0;
	struct err e = ERR_INIT;
	int rc = store_query_int(s, &v, &e, sql, 0, NULL);
	cr_assert_eq(rc, 0, "%s: %s", sql, e.msg);
	free(sql);
	return v;
}

/* The text of a one-row, one-column query (caller frees; NULL for SQL NULL). */
static inline char *pt_text(struct store *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline char *pt_text(struct store *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *sql = xvasprintf(fmt, ap);
	va_end(ap);
	char *v = NULL;
	struct err e = ERR_INIT;
	int rc = store_query_text(s, &v, &e, sql, 0, NULL);
	cr_assert_eq(rc, 0, "%s: %s", sql, e.msg);
	free(sql);
	return v;
}

/* Runs a statement without parameters. */
static inline void pt_exec(struct store *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline void pt_exec(struct store *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *sql = xvasprintf(fmt, ap);
	va_end(ap);
	struct err e = ERR_INIT;
	int rc = store_exec(s, &e, NULL, sql, 0, NULL);
	cr_assert_eq(rc, 0, "%s: %s", sql, e.msg);
	free(sql);
}

/* Writes len bytes (len 0: strlen) to dir/name; returns the path (caller frees). */
static inline char *pt_write(const char *dir, const char *name, const char *data, size_t len)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f, "cannot write %s", path);
	size_t n = len ? len : strlen(data);
	cr_assert_eq(fwrite(data, 1, n, f), n);
	fclose(f);
	return path;
}

static inline void pt_mkdir(const char *path)
{
	char *cmd = xasprintf("mkdir -p '%s'", path);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
	free(cmd);
}

/*
 * The per-test world of the end-to-end tests that talk to loopback servers:
 * a new database (pt_open), a temporary folder tmp named after tag with the
 * paths tmp/archive (not made), tmp/data (made) and tmp/git (not made;
 * gitdir may be NULL when the test has no use for it), and an environment in
 * which only this test's servers are spoken to: no credentials, no API URL
 * or local archive from the caller, 1 ms HTTP back-off, repositories cloned
 * from file://tmp/git. Every out-string is the caller's to free
 * (pt_env_teardown).
 */
static inline void pt_env_setup(const char *tag, struct store **s, char **db_url, char **tmp, char **arch, char **data,
				char **gitdir)
{
	*s = pt_open(db_url);
	*tmp = ts_tempdir(tag);
	*arch = xasprintf("%s/archive", *tmp);
	*data = xasprintf("%s/data", *tmp);
	pt_mkdir(*data);
	static const char *const unset[] = {
		"GITHUB_TOKEN", "CIMINER_GITHUB_TOKENS", "CIRCLECI_TOKEN", "TRAVIS_TOKEN", "CIMINER_LOCAL_ARCHIVE",
		"CIMINER_GITHUB_API_URL", "CIMINER_TRAVIS_API_URL", "CIMINER_CIRCLECI_API_URL",
	};
	for (size_t i = 0; i < sizeof(unset) / sizeof(unset[0]); i++)
		unsetenv(unset[i]);
	setenv("CIMINER_HTTP_BACKOFF_MS", "1", 1);
	char *git_url = xasprintf("file://%s/git", *tmp);
	setenv("CIMINER_GIT_URL", git_url, 1);
	free(git_url);
	if (gitdir)
		*gitdir = xasprintf("%s/git", *tmp);
}

/* Closes and frees what pt_env_setup made (any of them may be NULL). */
static inline void pt_env_teardown(struct store *s, char *db_url, char *tmp, char *arch, char *data, char *gitdir)
{
	if (s)
		store_close(s);
	free(db_url);
	free(tmp);
	free(arch);
	free(data);
	free(gitdir);
}

/*
 * Options of a worker pool that runs one queue's jobs in this process until
 * the queue is drained (what `--wait` does), with a short poll.
 */
static inline struct worker_opts pt_worker_opts(const char *db_url, const char *const *queue,
						 struct pipeline_app *app, int concurrency)
{
	struct worker_opts o = { .db_url = db_url, .queues = queue, .nqueues = 1, .concurrency = concurrency,
				 .once = 1, .registry = pipeline_registry(), .app = app, .poll_usec = 20000 };
	return o;
}

/*
 * Runs the pipeline's jobs of one queue in this process until the queue is
 * drained (what `--wait` does): concurrency workers, short backoff so that
 * retried jobs do not slow the tests down.
 */
static inline void pt_drain(const char *db_url, const char *data_dir, const char *queue, int concurrency,
			    struct worker_stats *st)
{
	const char *const queues[] = { queue };
	struct pipeline_app app = { data_dir, db_url };
	struct worker_opts o = pt_worker_opts(db_url, queues, &app, concurrency);
	o.backoff_base_usec = 20000;
	struct worker_stats local = { 0 };
	struct err e = ERR_INIT;
	cr_assert_eq(worker_pool_run(&o, st ? st : &local, &e), 0, "worker pool: %s", e.msg);
}

/* Starts the scenario's ingestion and runs its jobs until none is left (two workers). */
static inline void pt_ingest(struct store *s, const char *db_url, const char *data_dir, int64_t id)
{
	struct err e = ERR_INIT;
	cr_assert_eq(scenario_ingest_start(s, id, &e), 0, "%s", e.msg);
	pt_drain(db_url, data_dir, "ingestion", 2, NULL);
}

/*
 * Forks a child process that runs one worker over the queue with a
 * one-second lease, so that the job it holds when pt_kill_worker() kills it
 * is taken over soon after; returns the child's pid.
 */
static inline pid_t pt_spawn_worker(const char *db_url, const char *data_dir, const char *queue)
{
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		const char *const queues[] = { queue };
		struct pipeline_app app = { data_dir, db_url };
		struct worker_opts o = pt_worker_opts(db_url, queues, &app, 1);
		o.lease_usec = 1 * USEC_PER_SEC;
		struct err ce = ERR_INIT;
		worker_pool_run(&o, NULL, &ce);
		_exit(0);
	}
	return pid;
}

/*
 * Freezes the worker of pt_spawn_worker() (SIGSTOP, waited for), so that what
 * the test then reads of the database is exactly what pt_kill_worker() would
 * interrupt; pt_thaw_worker() lets it go on. A test that polls for a state and
 * then kills races the worker otherwise: on a loaded machine the worker moves
 * on (finishes its job, or the phase) between the read and the kill. Returns
 * 0, or -1 when the worker has exited (it is reaped then).
 */
static inline int pt_freeze_worker(pid_t pid)
{
	int wst;
	if (kill(pid, SIGSTOP))
		return -1;
	if (waitpid(pid, &wst, WUNTRACED) != pid)
		return -1;
	return WIFSTOPPED(wst) ? 0 : -1;
}

static inline void pt_thaw_worker(pid_t pid)
{
	kill(pid, SIGCONT);
}

/* Kills the worker of pt_spawn_worker() with SIGKILL (no chance to clean up) and reaps it. */
static inline void pt_kill_worker(pid_t pid)
{
	kill(pid, SIGKILL);
	int wst;
	waitpid(pid, &wst, 0);
}

#endif
