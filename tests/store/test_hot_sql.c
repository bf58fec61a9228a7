/* CIMINER_TEST_BOTH_DRIVERS
 * Every statement a phase runs per repository, batch or build
 * (store/hot_sql.h) reaches its rows through an index on SQLite and on
 * PostgreSQL: its plan (EXPLAIN QUERY PLAN / EXPLAIN) never scans a table. On
 * PostgreSQL sequential scans are disabled for the check, so that the
 * planner's choice on the test's small tables shows whether an index could
 * serve the statement at all.
 */
#include <criterion/criterion.h>
#include "core/xalloc.h"
#include "store/hot_sql.h"
#include "store/store.h"
#include "testsupport.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct store *open_fresh(void)
{
	char *url = ts_new_db_url();
	cr_assert_not_null(url, "no database for driver %s", ts_driver());
	struct store *s = NULL;
	struct err e = ERR_INIT;
	cr_assert_eq(store_open(&s, url, &e), 0, "%s", e.msg);
	free(url);
	return s;
}

/* The plan of sql as text, one line per node. The caller frees. */
static char *plan_of(struct store *s, const char *sql, size_t nparams)
{
	struct store_val *p = calloc(nparams ? nparams : 1, sizeof(*p));
	for (size_t i = 0; i < nparams; i++)
		p[i] = sv_text("1"); /* converted to the column's type by either driver */
	char *q = xasprintf("%s %s", store_dialect(s) == STORE_PG ? "EXPLAIN" : "EXPLAIN QUERY PLAN", sql);
	struct store_cursor *c;
	struct err e = ERR_INIT;
	cr_assert_eq(store_query(s, &c, &e, q, nparams, p), 0, "%s: %s", sql, e.msg);
	struct buf out = BUF_INIT;
	int rc;
	int col = store_dialect(s) == STORE_PG ? 0 : store_col_count(c) - 1; /* SQLite: id, parent, notused, detail */
	while ((rc = store_next(c, &e)) == 1)
		buf_addf(&out, "%s\n", store_col_text(c, col));
	cr_assert_eq(rc, 0, "%s", e.msg);
	store_cursor_free(c);
	free(q);
	free(p);
	return buf_detach(&out, NULL);
}

/* The first line of plan that reads a whole table, or NULL. */
static const char *scanning_line(const char *plan, enum store_dialect d)
{
	for (const char *l = plan; *l; l = strchr(l, '\n') + 1) {
		if (d == STORE_PG && strstr(l, "Seq Scan") && strstr(l, "Seq Scan") < strchr(l, '\n'))
			return l;
		/* SQLite: "SCAN t" is a full pass (also over a covering index); "SCAN v" of our VALUES list and
		 * "SCAN n CONSTANT ROWS" are not tables. */
		const char *p = l;
		while (*p == ' ' || *p == '|' || *p == '-' || *p == '`')
			p++;
		if (d == STORE_SQLITE && strncmp(p, "SCAN ", 5) == 0 && strncmp(p, "SCAN v\n", 7) != 0 &&
		    strncmp(p, "SCAN v ", 7) != 0 && !strstr(p, "CONSTANT ROW"))
			return l;
	}
	return NULL;
}

Test(hot_sql, every_statement_of_the_phase_loops_uses_an_index)
{
	struct store *s = open_fresh();
	struct err e = ERR_INIT;
	if (store_dialect(s) == STORE_PG)
		cr_assert_eq(store_exec(s, &e, NULL, "SET enable_seqscan = off", 0, NULL), 0, "%s", e.msg);
	struct hot_sql *list = NULL;
	size_t n = hot_sql_list(&list, store_dialect(s));
	cr_assert_geq(n, 7);
	for (size_t i = 0; i < n; i++) {
		char *plan = plan_of(s, list[i].sql, list[i].nparams);
		const char *bad = scanning_line(plan, store_dialect(s));
		cr_expect_null(bad, "%s scans a table on %s:\n%s", list[i].name, ts_driver(), plan);
		free(plan);
	}
	hot_sql_list_free(list, n);
	store_close(s);
}

/* The check itself: a statement filtering on an unindexed column is caught. */
Test(hot_sql, a_statement_without_a_usable_index_is_reported)
{
	struct store *s = open_fresh();
	struct err e = ERR_INIT;
	if (store_dialect(s) == STORE_PG)
		cr_assert_eq(store_exec(s, &e, NULL, "SET enable_seqscan = off", 0, NULL), 0, "%s", e.msg);
	char *plan = plan_of(s, "SELECT id FROM source_builds WHERE reason = ?", 1);
	cr_assert_not_null(scanning_line(plan, store_dialect(s)), "not caught:\n%s", plan);
	free(plan);
	store_close(s);
}
