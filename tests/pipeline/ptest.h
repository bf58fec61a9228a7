/*
 * Helpers shared by the pipeline tests: a fresh database per test for the
 * suite's driver, one-value queries with printf-formatted SQL (the tests
 * format only their own integers and literals into it), and small files.
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
#include <string.h>
#include <sys/stat.h>
#include "core/err.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include "jobs/worker.h"
#include "pipeline/registry.h"
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
 * Runs the pipeline's jobs of one queue in this process until the queue is
 * drained (what `--wait` does): concurrency workers, short backoff so that
 * retried jobs do not slow the tests down.
 */
static inline void pt_drain(const char *db_url, const char *data_dir, const char *queue, int concurrency,
			    struct worker_stats *st)
{
	const char *const queues[] = { queue };
	struct pipeline_app app = { data_dir, db_url };
	struct worker_opts o = { .db_url = db_url, .queues = queues, .nqueues = 1, .concurrency = concurrency,
				 .once = 1, .registry = pipeline_registry(), .app = &app, .poll_usec = 20000,
				 .backoff_base_usec = 20000 };
	struct worker_stats local = { 0 };
	struct err e = ERR_INIT;
	cr_assert_eq(worker_pool_run(&o, st ? st : &local, &e), 0, "worker pool: %s", e.msg);
}

#endif
