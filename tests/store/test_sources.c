/* CIMINER_TEST_BOTH_DRIVERS */
/*
 * The build-source entity (store/sources.c) on both drivers: listings page
 * in a total order with a total count, refuse an unknown sort key or status,
 * and a bulk move of rows that the transition table refuses is an error that
 * changes nothing (never "0 rows updated").
 */
#include <criterion/criterion.h>
#include "core/utc.h"
#include "store/builds.h"
#include "store/page.h"
#include "store/sources.h"
#include "store/store.h"
#include "testsupport.h"
#include <stdlib.h>
#include <string.h>

static struct store *s;

static void setup(void)
{
	char *url = ts_new_db_url();
	cr_assert_not_null(url, "no database for driver %s", ts_driver());
	struct err e = ERR_INIT;
	cr_assert_eq(store_open(&s, url, &e), 0, "%s", e.msg);
	free(url);
}

static void teardown(void)
{
	store_close(s);
}

TestSuite(sources, .init = setup, .fini = teardown);

static int64_t add_source(const char *name)
{
	struct err e = ERR_INIT;
	int64_t id = 0;
	struct sources_new n = { .name = name, .file_name = "f.csv", .provider = "github_actions",
				 .mapped_fields = "{}", .now = utc_now() };
	cr_assert_eq(sources_insert(s, &id, &n, &e), 0, "%s", e.msg);
	return id;
}

static void add_row(int64_t source, int64_t line, const char *build, const char *reason)
{
	struct err e = ERR_INIT;
	int inserted = 0;
	struct source_builds_new n = { .source_id = source, .line_no = line, .provider = "github_actions",
				       .build_id = build, .repo = "o/r", .reason = reason, .now = utc_now() };
	cr_assert_eq(source_builds_insert(s, &inserted, &n, &e), 0, "%s", e.msg);
}

/* The ids of a page of sources_list, in order, into ids (at most 8). */
static size_t page_ids(const struct store_page *pg, int64_t *ids)
{
	struct err e = ERR_INIT;
	struct store_cursor *c;
	cr_assert_eq(sources_list(s, &c, pg, &e), 0, "%s", e.msg);
	size_t n = 0;
	while (store_next(c, &e) == 1 && n < 8)
		ids[n++] = store_col_int(c, 0);
	store_cursor_free(c);
	return n;
}

Test(sources, pages_cover_every_source_once_in_a_total_order)
{
	int64_t a = add_source("b"), b = add_source("a"), c = add_source("b"), ids[8];
	struct store_page pg = { .skip = 0, .limit = 2, .sort = "name" };
	cr_assert_eq(page_ids(&pg, ids), 2);
	/* name, then id: a (b), then the two named b in id order */
	cr_assert_eq(ids[0], b);
	cr_assert_eq(ids[1], a);
	pg.skip = 2;
	cr_assert_eq(page_ids(&pg, ids), 1);
	cr_assert_eq(ids[0], c);
	pg = (struct store_page){ .skip = 0, .limit = -1, .sort = "name", .desc = 1 };
	cr_assert_eq(page_ids(&pg, ids), 3);
	cr_assert(ids[0] == c && ids[1] == a && ids[2] == b, "descending is the exact reverse");
	struct err e = ERR_INIT;
	int64_t total = 0;
	struct store_page pending = { .limit = 1, .status = "pending" };
	cr_assert_eq(sources_count(s, &total, &pending, &e), 0, "%s", e.msg);
	cr_assert_eq(total, 3, "the count ignores skip and limit");
}

Test(sources, refuses_an_unknown_sort_key_or_status_naming_the_allowed_ones)
{
	struct err e = ERR_INIT;
	struct store_cursor *c = NULL;
	struct store_page pg = { .limit = -1, .sort = "password" };
	cr_assert_eq(sources_list(s, &c, &pg, &e), ERR_USAGE);
	cr_assert(strstr(e.msg, "'password'") && strstr(e.msg, "created_at"), "%s", e.msg);
	pg = (struct store_page){ .limit = -1, .status = "done" };
	err_clear(&e);
	cr_assert_eq(source_builds_list(s, &c, 1, &pg, &e), ERR_USAGE);
	cr_assert(strstr(e.msg, "'done'") && strstr(e.msg, "not_found"), "%s", e.msg);
}

Test(sources, a_refused_bulk_move_is_an_error_and_changes_nothing)
{
	int64_t src = add_source("s");
	add_row(src, 2, "11", NULL);
	add_row(src, 3, "x", "empty build id");
	struct err e = ERR_INIT;
	/* pending -> invalid is an edge; pending -> pending is not a move at all */
	cr_assert_eq(source_builds_set_pending(s, src, "github_actions", "o/r", "pending", "why", &e), ERR_CONFLICT);
	cr_assert(strstr(e.msg, "pending and cannot become pending"), "%s", e.msg);
	int64_t pending = 0;
	cr_assert_eq(source_builds_count(s, &pending, src, NULL, "pending", &e), 0, "%s", e.msg);
	cr_assert_eq(pending, 1);
	cr_assert_eq(source_builds_set_pending(s, src, "github_actions", "o/r", "not_found", "gone", &e), 0, "%s",
		     e.msg);
	cr_assert_eq(source_builds_count(s, &pending, src, NULL, "not_found", &e), 0, "%s", e.msg);
	cr_assert_eq(pending, 1, "the invalid row stays invalid");
}

Test(sources, a_build_reset_the_table_refuses_is_an_error)
{
	struct err e = ERR_INIT;
	/* An ingested build never goes back to pending (retries move failed ones only). */
	static const char *const from[] = { "ingested", NULL };
	cr_assert_eq(builds_reset(s, NULL, &ingestion_builds, 1, from, 0, &e), ERR_CONFLICT);
	cr_assert(strstr(e.msg, "ingested and cannot become pending"), "%s", e.msg);
}
