/*
 * Driver-independent part of the store: URL dispatch, transactions,
 * conveniences. The drivers implement statements and cursors.
 */
#include "store/store.h"
#include "store/driver.h"
#include "store/migrate.h"
#include "core/xalloc.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct store_val sv_int(int64_t v) { return (struct store_val){ .t = SV_INT, .i = v }; }
struct store_val sv_real(double v) { return (struct store_val){ .t = SV_REAL, .d = v }; }
struct store_val sv_null(void) { return (struct store_val){ .t = SV_NULL }; }
struct store_val sv_text(const char *s)
{
	return s ? (struct store_val){ .t = SV_TEXT, .s = s } : sv_null();
}
struct store_val sv_blob(const void *p, size_t n)
{
	return (struct store_val){ .t = SV_BLOB, .s = p, .n = n };
}
struct store_val sv_opt_int(int64_t v)
{
	return v == INT64_MIN ? sv_null() : sv_int(v);
}

static const struct store_driver *driver_for(const char *url)
{
	if (strncmp(url, "sqlite:", 7) == 0)
		return &store_driver_sqlite;
	if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0)
		return &store_driver_pg;
	return NULL;
}

static int open_common(struct store **out, const char *url, int migrate, struct err *e)
{
	*out = NULL;
	if (!url || !*url)
		return err_set(e, ERR_USAGE, "empty database URL; use sqlite:///path/file.db or postgresql://user@host/db");
	const struct store_driver *drv = driver_for(url);
	if (!drv)
		return err_set(e, ERR_USAGE,
			       "database URL '%s' is not understood; use sqlite:///path/file.db or postgresql://user@host/db",
			       url);
	struct store *s = xcalloc(1, sizeof(*s));
	s->drv = drv;
	s->url = xstrdup(url);
	if (drv->open(s, url, e) < 0) {
		free(s->url);
		free(s);
		return e->code;
	}
	int rc = migrate ? store_migrate(s, e) : store_migrate_check(s, e);
	if (rc < 0) {
		store_close(s);
		return rc;
	}
	*out = s;
	return 0;
}

int store_open(struct store **out, const char *url, struct err *e)
{
	return open_common(out, url, 1, e);
}

int store_open_nomigrate(struct store **out, const char *url, struct err *e)
{
	return open_common(out, url, 0, e);
}

void store_close(struct store *s)
{
	if (!s)
		return;
	if (s->in_tx)
		store_rollback(s);
	s->drv->close(s);
	free(s->url);
	free(s);
}

enum store_dialect store_dialect(const struct store *s) { return s->drv->dialect; }
const char *store_url(const struct store *s) { return s->url; }
int store_in_tx(const struct store *s) { return s->in_tx; }
int store_last_was_unique_violation(const struct store *s) { return s->last_unique_violation; }

int store_exec(struct store *s, struct err *e, int64_t *changes, const char *sql, size_t n,
	       const struct store_val *p)
{
	return s->drv->exec(s, e, changes, sql, n, p);
}

int store_exec_script(struct store *s, const char *sql, struct err *e)
{
	return s->drv->exec_script(s, sql, e);
}

/* 1 when sql starts with a keyword that writes (store.h: those go through store_insert_id/store_update_rows). */
static int is_write_sql(const char *sql)
{
	static const char *const verbs[] = { "INSERT", "UPDATE", "DELETE", "REPLACE" };
	while (*sql == ' ' || *sql == '\n' || *sql == '\t')
		sql++;
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strncasecmp(sql, verbs[i], strlen(verbs[i])) == 0)
			return 1;
	return 0;
}

int store_query(struct store *s, struct store_cursor **out, struct err *e, const char *sql, size_t n,
		const struct store_val *p)
{
	*out = NULL;
	if (is_write_sql(sql))
		return err_set(e, ERR_INTERNAL,
			       "store_query given a write (%.60s...); writes that return values use store_insert_id or"
			       " store_update_rows, which check the commit",
			       sql);
	return s->drv->query(s, out, e, sql, n, p);
}

/*
 * A cursor over rows copied after their statement ended (store_update_rows).
 * Each cell keeps the integer, real and text readings taken while the
 * driver's row was current, so the accessors answer as the driver would.
 */
struct mem_cell {
	int isnull;
	int64_t i;
	double d;
	char *t;
};
struct mem_cursor {
	struct store_cursor base;
	int ncols;
	char **names;
	struct mem_cell *cells; /* nrows * ncols */
	size_t nrows, cap, row; /* row: 1-based index of the current row, 0 before the first */
};

static const struct mem_cell *mem_at(const struct store_cursor *bc, int col)
{
	const struct mem_cursor *c = (const struct mem_cursor *)bc;
	return &c->cells[(c->row - 1) * (size_t)c->ncols + (size_t)col];
}
static int mem_next(struct store_cursor *bc, struct err *e)
{
	(void)e;
	struct mem_cursor *c = (struct mem_cursor *)bc;
	if (c->row >= c->nrows)
		return 0;
	c->row++;
	return 1;
}
static int mem_ncols(const struct store_cursor *bc) { return ((const struct mem_cursor *)bc)->ncols; }
static const char *mem_name(const struct store_cursor *bc, int col)
{
	return ((const struct mem_cursor *)bc)->names[col];
}
static int mem_isnull(const struct store_cursor *bc, int col) { return mem_at(bc, col)->isnull; }
static int64_t mem_int(const struct store_cursor *bc, int col) { return mem_at(bc, col)->i; }
static double mem_real(const struct store_cursor *bc, int col) { return mem_at(bc, col)->d; }
static const char *mem_text(const struct store_cursor *bc, int col) { return mem_at(bc, col)->t; }
static const void *mem_blob(const struct store_cursor *bc, int col, size_t *n)
{
	const char *t = mem_at(bc, col)->t;
	*n = t ? strlen(t) : 0;
	return t;
}
static void mem_free(struct store_cursor *bc)
{
	struct mem_cursor *c = (struct mem_cursor *)bc;
	for (size_t i = 0; i < c->nrows * (size_t)c->ncols; i++)
		free(c->cells[i].t);
	for (int i = 0; i < c->ncols; i++)
		free(c->names[i]);
	free(c->cells);
	free(c->names);
	free(c);
}
static const struct store_cursor_ops mem_cursor_ops = {
	mem_next, mem_ncols, mem_name, mem_isnull, mem_int, mem_real, mem_text, mem_blob, mem_free,
};

int store_update_rows(struct store *s, struct store_cursor **out, struct err *e, const char *sql, size_t n,
		      const struct store_val *p)
{
	struct store_cursor *dc;
	*out = NULL;
	int rc = s->drv->query(s, &dc, e, sql, n, p);
	if (rc < 0)
		return rc;
	struct mem_cursor *c = xcalloc(1, sizeof(*c));
	c->base.ops = &mem_cursor_ops;
	c->ncols = store_col_count(dc);
	c->names = xcalloc((size_t)c->ncols + 1, sizeof(*c->names));
	for (int i = 0; i < c->ncols; i++)
		c->names[i] = xstrdup(store_col_name(dc, i));
	/* Stepping to the end is what makes the driver finish the statement (and its autocommit). */
	while ((rc = store_next(dc, e)) == 1) {
		xgrow((void **)&c->cells, &c->cap, (c->nrows + 1) * (size_t)c->ncols, sizeof(*c->cells));
		struct mem_cell *row = &c->cells[c->nrows++ * (size_t)c->ncols];
		for (int i = 0; i < c->ncols; i++) {
			row[i].isnull = store_col_isnull(dc, i);
			row[i].i = store_col_int(dc, i);
			row[i].d = store_col_real(dc, i);
			const char *t = store_col_text(dc, i);
			row[i].t = t ? xstrdup(t) : NULL;
		}
	}
	store_cursor_free(dc);
	if (rc < 0) {
		mem_free(&c->base);
		return rc;
	}
	*out = &c->base;
	return 0;
}

int store_insert_id(struct store *s, int64_t *id, struct err *e, const char *sql, size_t n,
		    const struct store_val *p)
{
	struct store_cursor *c;
	int rc = store_update_rows(s, &c, e, sql, n, p);
	if (rc < 0)
		return rc;
	if (store_next(c, e) == 1 && !store_col_isnull(c, 0))
		*id = store_col_int(c, 0);
	else
		rc = err_set(e, ERR_NOT_FOUND, "the write returned no id");
	store_cursor_free(c);
	return rc;
}

int store_next(struct store_cursor *c, struct err *e) { return c->ops->next(c, e); }
int store_col_count(const struct store_cursor *c) { return c->ops->ncols(c); }
const char *store_col_name(const struct store_cursor *c, int col) { return c->ops->name(c, col); }
int store_col_isnull(const struct store_cursor *c, int col) { return c->ops->isnull(c, col); }
int64_t store_col_int(const struct store_cursor *c, int col) { return c->ops->get_int(c, col); }
double store_col_real(const struct store_cursor *c, int col) { return c->ops->get_real(c, col); }
const char *store_col_text(const struct store_cursor *c, int col) { return c->ops->get_text(c, col); }
const void *store_col_blob(const struct store_cursor *c, int col, size_t *n) { return c->ops->get_blob(c, col, n); }

int64_t store_col_int_or(const struct store_cursor *c, int col, int64_t dflt)
{
	return store_col_isnull(c, col) ? dflt : store_col_int(c, col);
}

void store_cursor_free(struct store_cursor *c)
{
	if (c)
		c->ops->free(c);
}

int store_query_int(struct store *s, int64_t *out, struct err *e, const char *sql, size_t n,
		    const struct store_val *p)
{
	struct store_cursor *c;
	int rc = store_query(s, &c, e, sql, n, p);
	if (rc < 0)
		return rc;
	rc = store_next(c, e);
	if (rc == 1) {
		*out = store_col_int(c, 0);
		rc = 0;
	} else if (rc == 0) {
		rc = err_set(e, ERR_NOT_FOUND, "no row");
	}
	store_cursor_free(c);
	return rc;
}

int store_query_text(struct store *s, char **out, struct err *e, const char *sql, size_t n,
		     const struct store_val *p)
{
	struct store_cursor *c;
	*out = NULL;
	int rc = store_query(s, &c, e, sql, n, p);
	if (rc < 0)
		return rc;
	rc = store_next(c, e);
	if (rc == 1) {
		const char *t = store_col_text(c, 0);
		*out = t ? xstrdup(t) : NULL;
		rc = 0;
	} else if (rc == 0) {
		rc = err_set(e, ERR_NOT_FOUND, "no row");
	}
	store_cursor_free(c);
	return rc;
}

int store_query_ints(struct store *s, int64_t **out, size_t *n, struct err *e, const char *sql, size_t np,
		     const struct store_val *p)
{
	struct store_cursor *c;
	*out = NULL;
	*n = 0;
	int rc = store_query(s, &c, e, sql, np, p);
	if (rc < 0)
		return rc;
	size_t cap = 0;
	while ((rc = store_next(c, e)) == 1) {
		xgrow((void **)out, &cap, *n + 1, sizeof(**out));
		(*out)[(*n)++] = store_col_int(c, 0);
	}
	store_cursor_free(c);
	return rc < 0 ? rc : 0;
}

int store_begin(struct store *s, struct err *e)
{
	if (s->in_tx)
		return err_set(e, ERR_INTERNAL, "store_begin: a transaction is already open");
	int rc = store_exec(s, e, NULL, s->drv->dialect == STORE_SQLITE ? "BEGIN IMMEDIATE" : "BEGIN", 0, NULL);
	if (rc == 0)
		s->in_tx = 1;
	return rc;
}

int store_commit(struct store *s, struct err *e)
{
	int rc = store_exec(s, e, NULL, "COMMIT", 0, NULL);
	if (rc < 0)
		store_rollback(s);
	s->in_tx = 0;
	return rc;
}

int store_rollback(struct store *s)
{
	struct err ignore = ERR_INIT;
	store_exec(s, &ignore, NULL, "ROLLBACK", 0, NULL);
	s->in_tx = 0;
	return 0;
}

int store_tx_end(struct store *s, int rc, struct err *e)
{
	if (rc < 0) {
		store_rollback(s);
		return rc;
	}
	int c = store_commit(s, e);
	return c < 0 ? c : rc;
}

char *store_default_url(const char *data_dir)
{
	return xasprintf("sqlite://%s/ciminer.db", data_dir);
}
