/*
 * PostgreSQL driver (libpq). Statements written with `?` placeholders are
 * rewritten once to $1..$n (outside quoted strings) and the rewrite is cached.
 * Parameters go as text with a type OID for numbers (so `? IS NULL` style
 * inference never guesses wrong for them) and as binary for blobs. Results are
 * read in text format; integers and booleans are converted on access.
 */
#include "store/driver.h"
#include "core/buf.h"
#include "core/xalloc.h"
#include <libpq-fe.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OID_INT8 20
#define OID_FLOAT8 701
#define OID_BYTEA 17

struct pg_impl {
	PGconn *conn;
	struct strmap rewritten; /* sql with ? -> sql with $n */
};

struct pg_cursor {
	struct store_cursor base;
	PGresult *res;
	int row, nrows;
	unsigned char *blob; /* last decoded bytea */
};

static void notice_quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg; /* NOTICEs (e.g. "relation already exists, skipping") are not errors */
}

static int pg_open(struct store *s, const char *url, struct err *e)
{
	struct pg_impl *im = xcalloc(1, sizeof(*im));
	im->conn = PQconnectdb(url);
	if (PQstatus(im->conn) != CONNECTION_OK) {
		char msg[512];
		snprintf(msg, sizeof(msg), "%s", PQerrorMessage(im->conn));
		for (char *p = msg; *p; p++)
			if (*p == '\n')
				*p = ' ';
		err_set(e, ERR_USAGE, "cannot connect to PostgreSQL at %s: %s(check that the server runs and the URL)",
			url, msg);
		PQfinish(im->conn);
		free(im);
		return ERR_USAGE;
	}
	PQsetNoticeProcessor(im->conn, notice_quiet, NULL);
	s->impl = im;
	PGresult *r = PQexec(im->conn, "SET client_min_messages = warning; SET TIME ZONE 'UTC'");
	PQclear(r);
	return 0;
}

static void pg_close(struct store *s)
{
	struct pg_impl *im = s->impl;
	if (!im)
		return;
	strmap_clear(&im->rewritten, free);
	PQfinish(im->conn);
	free(im);
}

/* `?` -> `$n`, leaving quoted strings and identifiers alone. */
static const char *rewrite(struct pg_impl *im, const char *sql)
{
	const char *have = strmap_get(&im->rewritten, sql);
	if (have)
		return have;
	struct buf b = BUF_INIT;
	int n = 0;
	char quote = 0;
	for (const char *p = sql; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
			buf_addch(&b, *p);
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
			buf_addch(&b, *p);
		} else if (*p == '?') {
			buf_addf(&b, "$%d", ++n);
		} else {
			buf_addch(&b, *p);
		}
	}
	char *out = buf_detach(&b, NULL);
	strmap_put(&im->rewritten, sql, out);
	return out;
}

static int result_err(struct store *s, PGresult *r, struct err *e, const char *sql)
{
	const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	s->last_unique_violation = state && strcmp(state, "23505") == 0;
	int code = ERR_DB;
	if (state && (strncmp(state, "23", 2) == 0 || strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0))
		code = ERR_CONFLICT;
	char msg[600];
	snprintf(msg, sizeof(msg), "%s", PQresultErrorMessage(r));
	msg[strcspn(msg, "\n")] = '\0';
	if (!PQresultErrorMessage(r)[0]) {
		struct pg_impl *im = s->impl;
		snprintf(msg, sizeof(msg), "%s", PQerrorMessage(im->conn));
		msg[strcspn(msg, "\n")] = '\0';
	}
	return err_set(e, code, "postgresql: %s (in: %.200s)", msg, sql);
}

static PGresult *run(struct store *s, const char *sql, size_t n, const struct store_val *p)
{
	struct pg_impl *im = s->impl;
	const char *q = rewrite(im, sql);
	Oid types[n ? n : 1];
	const char *vals[n ? n : 1];
	int lens[n ? n : 1], fmts[n ? n : 1];
	char numbuf[n ? n : 1][32];
	for (size_t i = 0; i < n; i++) {
		types[i] = 0;
		lens[i] = 0;
		fmts[i] = 0;
		vals[i] = NULL;
		switch (p[i].t) {
		case SV_INT:
			types[i] = OID_INT8;
			snprintf(numbuf[i], sizeof(numbuf[i]), "%" PRId64, p[i].i);
			vals[i] = numbuf[i];
			break;
		case SV_REAL:
			types[i] = OID_FLOAT8;
			snprintf(numbuf[i], sizeof(numbuf[i]), "%.17g", p[i].d);
			vals[i] = numbuf[i];
			break;
		case SV_TEXT:
			vals[i] = p[i].s;
			break;
		case SV_BLOB:
			types[i] = OID_BYTEA;
			vals[i] = p[i].s;
			lens[i] = (int)p[i].n;
			fmts[i] = 1;
			break;
		default:
			break;
		}
	}
	return PQexecParams(im->conn, q, (int)n, types, vals, lens, fmts, 0);
}

static int pg_exec(struct store *s, struct err *e, int64_t *changes, const char *sql, size_t n,
		   const struct store_val *p)
{
	s->last_unique_violation = 0;
	PGresult *r = run(s, sql, n, p);
	ExecStatusType st = PQresultStatus(r);
	int rc = 0;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		rc = result_err(s, r, e, sql);
	else if (changes)
		*changes = strtoll(PQcmdTuples(r), NULL, 10);
	PQclear(r);
	return rc;
}

static int pg_exec_script(struct store *s, const char *sql, struct err *e)
{
	struct pg_impl *im = s->impl;
	PGresult *r = PQexec(im->conn, sql);
	int rc = 0;
	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
		rc = result_err(s, r, e, "script");
	PQclear(r);
	return rc;
}

static int c_next(struct store_cursor *bc, struct err *e)
{
	struct pg_cursor *c = (struct pg_cursor *)bc;
	(void)e;
	if (c->row + 1 >= c->nrows) {
		c->row = c->nrows;
		return 0;
	}
	c->row++;
	return 1;
}
static int c_ncols(const struct store_cursor *bc) { return PQnfields(((const struct pg_cursor *)bc)->res); }
static const char *c_name(const struct store_cursor *bc, int col)
{
	return PQfname(((const struct pg_cursor *)bc)->res, col);
}
static int c_isnull(const struct store_cursor *bc, int col)
{
	const struct pg_cursor *c = (const struct pg_cursor *)bc;
	return PQgetisnull(c->res, c->row, col);
}
static const char *c_text(const struct store_cursor *bc, int col)
{
	const struct pg_cursor *c = (const struct pg_cursor *)bc;
	if (PQgetisnull(c->res, c->row, col))
		return NULL;
	return PQgetvalue(c->res, c->row, col);
}
static int64_t c_int(const struct store_cursor *bc, int col)
{
	const char *t = c_text(bc, col);
	if (!t)
		return 0;
	if (t[0] == 't' && t[1] == '\0')
		return 1;
	if (t[0] == 'f' && t[1] == '\0')
		return 0;
	return strtoll(t, NULL, 10);
}
static double c_real(const struct store_cursor *bc, int col)
{
	const char *t = c_text(bc, col);
	return t ? strtod(t, NULL) : 0.0;
}
static const void *c_blob(const struct store_cursor *bc, int col, size_t *n)
{
	struct pg_cursor *c = (struct pg_cursor *)bc;
	const char *t = c_text(bc, col);
	*n = 0;
	if (!t)
		return NULL;
	PQfreemem(c->blob);
	c->blob = PQunescapeBytea((const unsigned char *)t, n);
	return c->blob;
}
static void c_free(struct store_cursor *bc)
{
	struct pg_cursor *c = (struct pg_cursor *)bc;
	PQclear(c->res);
	PQfreemem(c->blob);
	free(c);
}

static const struct store_cursor_ops pg_cursor_ops = {
	c_next, c_ncols, c_name, c_isnull, c_int, c_real, c_text, c_blob, c_free,
};

static int pg_query(struct store *s, struct store_cursor **out, struct err *e, const char *sql, size_t n,
		    const struct store_val *p)
{
	*out = NULL;
	s->last_unique_violation = 0;
	PGresult *r = run(s, sql, n, p);
	ExecStatusType st = PQresultStatus(r);
	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
		int rc = result_err(s, r, e, sql);
		PQclear(r);
		return rc;
	}
	struct pg_cursor *c = xcalloc(1, sizeof(*c));
	c->base.ops = &pg_cursor_ops;
	c->res = r;
	c->row = -1;
	c->nrows = PQntuples(r);
	*out = &c->base;
	return 0;
}

const struct store_driver store_driver_pg = {
	"postgresql", STORE_PG, pg_open, pg_close, pg_exec, pg_exec_script, pg_query,
};
