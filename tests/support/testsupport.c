/*
 * Test helpers: temp folders, fixtures, per-test databases.
 *
 * Everything a test makes here is undone when its process exits (atexit),
 * whether the test passed or failed an assertion: Criterion runs each test
 * in its own process and exits it normally after a failed assertion. A test
 * that crashes leaves its folders behind; the suite's test_tmp fixture
 * (tests/tests.cmake) reports and removes them.
 */
#include "testsupport.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/fs.h"
#include "core/xalloc.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <libpq-fe.h>

/*
 * What this process made: folders to remove and PostgreSQL databases to
 * drop at exit. The owner pid keeps a forked child (pt_spawn_worker) that
 * exits from removing its parent's folders.
 */
static struct strvec made_dirs = STRVEC_INIT, made_dbs = STRVEC_INIT;
static pid_t made_by;

static char *pg_server_url(void);
static void drop_databases(void);

static void cleanup_at_exit(void)
{
	if (getpid() != made_by)
		return;
	for (size_t i = 0; i < made_dirs.n; i++) {
		struct err e = ERR_INIT;
		if (fs_exists(made_dirs.v[i]) && fs_remove_tree(made_dirs.v[i], &e))
			fprintf(stderr, "test: cannot remove %s: %s\n", made_dirs.v[i], e.msg);
	}
	strvec_clear(&made_dirs);
	drop_databases();
}

static void remember(struct strvec *list, const char *what)
{
	if (made_by != getpid()) {
		/* First use in this process (or in a forked child): start a fresh list. */
		made_by = getpid();
		strvec_clear(&made_dirs);
		strvec_clear(&made_dbs);
		atexit(cleanup_at_exit);
	}
	strvec_push(list, what);
}

char *ts_tempdir(const char *tag)
{
	const char *tmp = getenv("TMPDIR");
	char *tpl = xasprintf("%s/ciminer-test-%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", tag);
	if (!mkdtemp(tpl)) {
		perror("mkdtemp");
		abort();
	}
	remember(&made_dirs, tpl);
	return tpl;
}

char *ts_fixture(const char *rel)
{
	const char *base = getenv("CIMINER_FIXTURES");
	char *p = xasprintf("%s/%s", base && *base ? base : CIMINER_SOURCE_DIR "/../shared/fixtures", rel);
	if (!fs_exists(p)) {
		free(p);
		return NULL;
	}
	return p;
}

const char *ts_driver(void)
{
	const char *d = getenv("CIMINER_TEST_DRIVER");
	return d && strcmp(d, "pg") == 0 ? "pg" : "sqlite";
}

const char *ts_ciminer_bin(void)
{
	const char *b = getenv("CIMINER_BIN");
	return b ? b : "build/ciminer";
}

static char *pg_server_url(void)
{
	const char *state = getenv("CIMINER_TEST_PG_STATE");
	FILE *f = state ? fopen(state, "r") : NULL;
	if (!f)
		return NULL;
	char line[1024], *url = NULL;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "CIMINER_TEST_PG_URL=", 20) == 0) {
			char *v = line + 20;
			v[strcspn(v, "\n")] = '\0';
			if (*v == '\'') {
				v++;
				v[strcspn(v, "'")] = '\0';
			}
			url = xstrdup(v);
		}
	}
	fclose(f);
	return url;
}

char *ts_new_db_url(void)
{
	static int seq;
	if (strcmp(ts_driver(), "sqlite") == 0) {
		char *dir = ts_tempdir("db");
		char *url = xasprintf("sqlite://%s/ciminer.db", dir);
		free(dir);
		return url;
	}
	char *admin = pg_server_url();
	if (!admin) {
		fprintf(stderr, "test: no PostgreSQL test server (CIMINER_TEST_PG_STATE unset or unreadable)\n");
		return NULL;
	}
	PGconn *c = PQconnectdb(admin);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "test: cannot reach the PostgreSQL test server: %s", PQerrorMessage(c));
		PQfinish(c);
		free(admin);
		return NULL;
	}
	char name[64];
	snprintf(name, sizeof(name), "t_%d_%d_%ld", (int)getpid(), __atomic_add_fetch(&seq, 1, __ATOMIC_SEQ_CST),
		 (long)random() % 100000);
	char *sql = xasprintf("CREATE DATABASE %s", name);
	PGresult *r = PQexec(c, sql);
	free(sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		fprintf(stderr, "test: CREATE DATABASE failed: %s", PQerrorMessage(c));
	else
		remember(&made_dbs, name);
	PQclear(r);
	PQfinish(c);
	/* admin is postgresql://postgres@/postgres?host=...: swap the database name */
	char *q = strchr(admin, '?');
	char *url = xasprintf("postgresql://postgres@/%s%s", name, q ? q : "");
	free(admin);
	return url;
}

/* Drops the databases of this process; WITH (FORCE) ends connections a failed test left open. */
static void drop_databases(void)
{
	if (!made_dbs.n)
		return;
	char *admin = pg_server_url();
	PGconn *c = admin ? PQconnectdb(admin) : NULL;
	for (size_t i = 0; c && PQstatus(c) == CONNECTION_OK && i < made_dbs.n; i++) {
		char *sql = xasprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", made_dbs.v[i]);
		PQclear(PQexec(c, sql));
		free(sql);
	}
	PQfinish(c);
	free(admin);
	strvec_clear(&made_dbs);
}

int ts_run(char **out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *cmd = xvasprintf(fmt, ap);
	va_end(ap);
	FILE *p = popen(cmd, "r");
	free(cmd);
	if (!p)
		return -1;
	struct buf b = BUF_INIT;
	char blk[4096];
	size_t n;
	while ((n = fread(blk, 1, sizeof(blk), p)) > 0)
		buf_add(&b, blk, n);
	int st = pclose(p);
	if (out)
		*out = buf_detach(&b, NULL);
	else
		buf_release(&b);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
