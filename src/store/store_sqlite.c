/*
 * SQLite driver. One connection per struct store; WAL journal so readers never
 * wait for the writer; foreign keys on; a busy timeout so that concurrent
 * writers (worker threads, several processes) queue on the write lock instead
 * of failing. Prepared statements are cached per SQL text: the job engine and
 * the importer run the same few statements hundreds of thousands of times.
 */
#include "store/driver.h"
#include "core/buf.h"
#include "core/xalloc.h"
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

struct sqlite_impl {
	sqlite3 *db;
	struct strmap cache; /* sql -> struct cached_stmt */
};

struct cached_stmt {
	sqlite3_stmt *st;
	int busy;
};

struct sqlite_cursor {
	struct store_cursor base;
	struct store *s;
	sqlite3_stmt *st;
	struct cached_stmt *cached; /* NULL when st is a one-off */
	int done;
};

static int sq_err(struct store *s, struct err *e, int rc, const char *what)
{
	struct sqlite_impl *im = s->impl;
	int ext = sqlite3_extended_errcode(im->db);
	s->last_unique_violation = ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY;
	int code = ERR_DB;
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		code = ERR_CONFLICT;
	else if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		code = ERR_CONFLICT;
	return err_set(e, code, "sqlite: %s: %s", what, sqlite3_errmsg(im->db));
}

/* Memory statistics take a global mutex on every allocation; ciminer never reads them. */
static void sqlite_global_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int sq_open(struct store *s, const char *url, struct err *e)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, sqlite_global_setup);
	const char *path = url + 7; /* after "sqlite:" */
	if (strncmp(path, "//", 2) == 0)
		path += 2;
	if (!*path)
		return err_set(e, ERR_USAGE, "database URL '%s' names no file; use sqlite:///path/file.db", url);
	struct sqlite_impl *im = xcalloc(1, sizeof(*im));
	int rc = sqlite3_open_v2(path, &im->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
				 NULL);
	if (rc != SQLITE_OK) {
		err_set(e, ERR_USAGE, "cannot open the SQLite database %s: %s (check the path and its permissions)",
			path, im->db ? sqlite3_errmsg(im->db) : sqlite3_errstr(rc));
		sqlite3_close(im->db);
		free(im);
		return ERR_USAGE;
	}
	s->impl = im;
	sqlite3_busy_timeout(im->db, 120000);
	char *msg = NULL;
	rc = sqlite3_exec(im->db,
			  "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;"
			  " PRAGMA temp_store=MEMORY;",
			  NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		err_set(e, ERR_USAGE, "cannot use the SQLite database %s: %s", path, msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		sqlite3_close(im->db);
		free(im);
		s->impl = NULL;
		return ERR_USAGE;
	}
	return 0;
}

static void free_cached(void *p)
{
	struct cached_stmt *c = p;
	sqlite3_finalize(c->st);
	free(c);
}

static void sq_close(struct store *s)
{
	struct sqlite_impl *im = s->impl;
	if (!im)
		return;
	strmap_clear(&im->cache, free_cached);
	sqlite3_close(im->db);
	free(im);
}

/*
 * copy: SQLITE_TRANSIENT when the statement outlives the call (a cursor the
 * caller steps later); store_exec steps before returning, so its text can be
 * bound in place (SQLITE_STATIC), which saves a copy per parameter.
 */
static int bind_all(struct store *s, sqlite3_stmt *st, size_t n, const struct store_val *p, int copy, struct err *e)
{
	sqlite3_destructor_type how = copy ? SQLITE_TRANSIENT : SQLITE_STATIC;
	for (size_t i = 0; i < n; i++) {
		int rc, idx = (int)i + 1;
		switch (p[i].t) {
		case SV_INT: rc = sqlite3_bind_int64(st, idx, p[i].i); break;
		case SV_REAL: rc = sqlite3_bind_double(st, idx, p[i].d); break;
		case SV_TEXT:
			rc = sqlite3_bind_text(st, idx, p[i].s, p[i].n ? (int)p[i].n : -1, how);
			break;
		case SV_BLOB: rc = sqlite3_bind_blob64(st, idx, p[i].s, p[i].n, how); break;
		default: rc = sqlite3_bind_null(st, idx); break;
		}
		if (rc != SQLITE_OK)
			return sq_err(s, e, rc, "binding a parameter");
	}
	return 0;
}

/* Gets a prepared statement for sql: the cached one when free, else a one-off. */
static int get_stmt(struct store *s, const char *sql, sqlite3_stmt **st, struct cached_stmt **cached,
		    struct err *e)
{
	struct sqlite_impl *im = s->impl;
	struct cached_stmt *c = strmap_get(&im->cache, sql);
	*cached = NULL;
	if (c && !c->busy) {
		c->busy = 1;
		*st = c->st;
		*cached = c;
		return 0;
	}
	int rc = sqlite3_prepare_v2(im->db, sql, -1, st, NULL);
	if (rc != SQLITE_OK)
		return sq_err(s, e, rc, sql);
	if (!c) {
		c = xcalloc(1, sizeof(*c));
		c->st = *st;
		c->busy = 1;
		strmap_put(&im->cache, sql, c);
		*cached = c;
	}
	return 0;
}

static void put_stmt(sqlite3_stmt *st, struct cached_stmt *cached)
{
	if (cached) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		cached->busy = 0;
	} else {
		sqlite3_finalize(st);
	}
}

static int sq_exec(struct store *s, struct err *e, int64_t *changes, const char *sql, size_t n,
		   const struct store_val *p)
{
	struct sqlite_impl *im = s->impl;
	sqlite3_stmt *st;
	struct cached_stmt *cached;
	s->last_unique_violation = 0;
	int rc = get_stmt(s, sql, &st, &cached, e);
	if (rc < 0)
		return rc;
	rc = bind_all(s, st, n, p, 0, e);
	if (rc == 0) {
		int step;
		while ((step = sqlite3_step(st)) == SQLITE_ROW)
			;
		if (step != SQLITE_DONE)
			rc = sq_err(s, e, step, sql);
		else if (changes)
			*changes = sqlite3_changes64(im->db);
	}
	put_stmt(st, cached);
	return rc;
}

static int sq_exec_script(struct store *s, const char *sql, struct err *e)
{
	struct sqlite_impl *im = s->impl;
	char *msg = NULL;
	int rc = sqlite3_exec(im->db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		err_set(e, ERR_DB, "sqlite: %s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return ERR_DB;
	}
	return 0;
}

static int c_next(struct store_cursor *bc, struct err *e)
{
	struct sqlite_cursor *c = (struct sqlite_cursor *)bc;
	if (c->done)
		return 0;
	int rc = sqlite3_step(c->st);
	if (rc == SQLITE_ROW)
		return 1;
	c->done = 1;
	if (rc == SQLITE_DONE)
		return 0;
	return sq_err(c->s, e, rc, sqlite3_sql(c->st));
}

static int c_ncols(const struct store_cursor *bc)
{
	return sqlite3_column_count(((const struct sqlite_cursor *)bc)->st);
}
static const char *c_name(const struct store_cursor *bc, int col)
{
	return sqlite3_column_name(((const struct sqlite_cursor *)bc)->st, col);
}
static int c_isnull(const struct store_cursor *bc, int col)
{
	return sqlite3_column_type(((const struct sqlite_cursor *)bc)->st, col) == SQLITE_NULL;
}
static int64_t c_int(const struct store_cursor *bc, int col)
{
	return sqlite3_column_int64(((const struct sqlite_cursor *)bc)->st, col);
}
static double c_real(const struct store_cursor *bc, int col)
{
	return sqlite3_column_double(((const struct sqlite_cursor *)bc)->st, col);
}
static const char *c_text(const struct store_cursor *bc, int col)
{
	return (const char *)sqlite3_column_text(((const struct sqlite_cursor *)bc)->st, col);
}
static const void *c_blob(const struct store_cursor *bc, int col, size_t *n)
{
	sqlite3_stmt *st = ((const struct sqlite_cursor *)bc)->st;
	const void *p = sqlite3_column_blob(st, col);
	*n = (size_t)sqlite3_column_bytes(st, col);
	return p;
}
static void c_free(struct store_cursor *bc)
{
	struct sqlite_cursor *c = (struct sqlite_cursor *)bc;
	put_stmt(c->st, c->cached);
	free(c);
}

static const struct store_cursor_ops sqlite_cursor_ops = {
	c_next, c_ncols, c_name, c_isnull, c_int, c_real, c_text, c_blob, c_free,
};

static int sq_query(struct store *s, struct store_cursor **out, struct err *e, const char *sql, size_t n,
		    const struct store_val *p)
{
	sqlite3_stmt *st;
	struct cached_stmt *cached;
	*out = NULL;
	s->last_unique_violation = 0;
	int rc = get_stmt(s, sql, &st, &cached, e);
	if (rc < 0)
		return rc;
	rc = bind_all(s, st, n, p, 1, e);
	if (rc < 0) {
		put_stmt(st, cached);
		return rc;
	}
	struct sqlite_cursor *c = xcalloc(1, sizeof(*c));
	c->base.ops = &sqlite_cursor_ops;
	c->s = s;
	c->st = st;
	c->cached = cached;
	*out = &c->base;
	return 0;
}

const struct store_driver store_driver_sqlite = {
	"sqlite", STORE_SQLITE, sq_open, sq_close, sq_exec, sq_exec_script, sq_query,
};
