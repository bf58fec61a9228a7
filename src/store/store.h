/*
 * The database, behind one interface with two drivers (store_sqlite.c,
 * store_pg.c), chosen by URL:
 *   sqlite:///abs/path/file.db  sqlite://relative/file.db  (WAL, foreign keys on)
 *   postgresql://user@host/db   postgres://...             (libpq; URI passed as is)
 *
 * SQL is written once with `?` placeholders; the PostgreSQL driver rewrites
 * them to $1..$n. Both drivers accept the same dialect subset: INSERT ... ON
 * CONFLICT ... DO UPDATE, RETURNING, CTEs; integer booleans (0/1); times are
 * int64 microseconds UTC (core/utc.h); JSON is TEXT.
 *
 * A struct store is one connection and is not thread-safe: each worker thread
 * opens its own. Queries return a cursor the caller frees; cursor text is
 * borrowed and valid until the next store_next() or store_cursor_free().
 *
 * Transactions: store_begin() takes the write lock at once on SQLite
 * (BEGIN IMMEDIATE) so that two writers never deadlock on lock upgrade; on
 * PostgreSQL it is a plain BEGIN (READ COMMITTED). Nested begin is an error.
 * store_tx_end() commits when rc >= 0 and rolls back otherwise, and returns rc
 * (or the commit's error), so a function can end `return store_tx_end(s, rc, e);`.
 */
#ifndef STORE_STORE_H
#define STORE_STORE_H
#include <stddef.h>
#include <stdint.h>
#include "core/err.h"

enum store_dialect { STORE_SQLITE = 1, STORE_PG = 2 };

enum store_type { SV_NULL = 0, SV_INT, SV_REAL, SV_TEXT, SV_BLOB };

/* One bound parameter. Text and blobs are borrowed for the call only. */
struct store_val {
	enum store_type t;
	int64_t i;
	double d;
	const char *s;
	size_t n; /* blob length; for text, 0 means strlen */
};
/* Constructors (plain functions, no macro magic). */
struct store_val sv_int(int64_t v);
struct store_val sv_real(double v);
struct store_val sv_text(const char *s); /* NULL gives SQL NULL */
struct store_val sv_blob(const void *p, size_t n);
struct store_val sv_null(void);
/* Integer, or NULL when v == INT64_MIN (used for optional times and ids). */
struct store_val sv_opt_int(int64_t v);

struct store;
struct store_cursor;

/* Opens and migrates the database at url. *out is the caller's (store_close). */
int store_open(struct store **out, const char *url, struct err *e);
/* Opens without running migrations (still refuses a newer schema). */
int store_open_nomigrate(struct store **out, const char *url, struct err *e);
void store_close(struct store *s);
enum store_dialect store_dialect(const struct store *s);
const char *store_url(const struct store *s);

/* Runs one statement; *changes (optional) gets the affected row count. */
int store_exec(struct store *s, struct err *e, int64_t *changes, const char *sql,
	       size_t nparams, const struct store_val *params);
/* Runs several ;-separated statements without parameters (DDL). */
int store_exec_script(struct store *s, const char *sql, struct err *e);
/* Runs a query. *out is the caller's (store_cursor_free). */
int store_query(struct store *s, struct store_cursor **out, struct err *e, const char *sql,
		size_t nparams, const struct store_val *params);
/* 1: a row is current; 0: no more rows; < 0 error. */
int store_next(struct store_cursor *c, struct err *e);
int store_col_count(const struct store_cursor *c);
const char *store_col_name(const struct store_cursor *c, int col);
int store_col_isnull(const struct store_cursor *c, int col);
int64_t store_col_int(const struct store_cursor *c, int col);          /* NULL -> 0 */
int64_t store_col_int_or(const struct store_cursor *c, int col, int64_t dflt);
double store_col_real(const struct store_cursor *c, int col);
const char *store_col_text(const struct store_cursor *c, int col);     /* NULL -> NULL */
/* Blob bytes (PostgreSQL: bytea decoded); *n gets the length. Borrowed. */
const void *store_col_blob(const struct store_cursor *c, int col, size_t *n);
void store_cursor_free(struct store_cursor *c);

/* Single-value conveniences: 0 and *out set when a row came back, ERR_NOT_FOUND when none. */
int store_query_int(struct store *s, int64_t *out, struct err *e, const char *sql,
		    size_t nparams, const struct store_val *params);
/* *out is the caller's; NULL when the value is SQL NULL. */
int store_query_text(struct store *s, char **out, struct err *e, const char *sql,
		     size_t nparams, const struct store_val *params);

/*
 * Writes that hand back values (INSERT/UPDATE/DELETE ... RETURNING). These run
 * the statement to its end before any value is read, so that outside a
 * transaction the commit has happened: a failed commit (disk full, a lock
 * lost) is an error, never an id or a row for data that was rolled back.
 * store_query() and its conveniences refuse writing statements (ERR_INTERNAL),
 * so every write that returns something goes through these two.
 *
 * store_insert_id: the first column of the one row the statement returned;
 * ERR_NOT_FOUND when it returned none (e.g. ON CONFLICT DO NOTHING).
 * store_update_rows: every returned row, copied after the statement ended;
 * *out is the caller's (store_cursor_free), read like any cursor.
 */
int store_insert_id(struct store *s, int64_t *id, struct err *e, const char *sql, size_t nparams,
		    const struct store_val *params);
int store_update_rows(struct store *s, struct store_cursor **out, struct err *e, const char *sql, size_t nparams,
		      const struct store_val *params);

/* The first column of every row as integers; *out (caller frees) holds *n values. */
int store_query_ints(struct store *s, int64_t **out, size_t *n, struct err *e, const char *sql, size_t nparams,
		     const struct store_val *params);

int store_begin(struct store *s, struct err *e);
int store_commit(struct store *s, struct err *e);
int store_rollback(struct store *s);
int store_tx_end(struct store *s, int rc, struct err *e);
int store_in_tx(const struct store *s);

/* 1 when the last error of s was a unique-constraint violation. */
int store_last_was_unique_violation(const struct store *s);

/* Schema version of the open database, and the newest this build knows. */
int store_schema_version(struct store *s, int *out, struct err *e);
int store_schema_latest(void);

/* Default URL for a data dir: sqlite://<data_dir>/ciminer.db; the caller frees. */
char *store_default_url(const char *data_dir);

#endif
