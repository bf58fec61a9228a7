/* CIMINER_TEST_BOTH_DRIVERS */
/*
 * The store on both drivers (CIMINER_TEST_BOTH_DRIVERS): schema, statements,
 * upserts on business keys, transactions, status transitions, and refusals.
 */
#include <criterion/criterion.h>
#include "core/utc.h"
#include "store/migrate.h"
#include "store/status.h"
#include "store/store.h"
#include "testsupport.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct store *open_fresh(char **url_out)
{
	char *url = ts_new_db_url();
	cr_assert_not_null(url, "no database for driver %s", ts_driver());
	struct store *s = NULL;
	struct err e = ERR_INIT;
	cr_assert_eq(store_open(&s, url, &e), 0, "%s", e.msg);
	if (url_out)
		*url_out = url;
	else
		free(url);
	return s;
}

static int64_t add_repo(struct store *s, const char *name)
{
	struct err e = ERR_INIT;
	int64_t id = 0;
	struct store_val p[] = { sv_text("github_actions"), sv_text(name), sv_int(utc_now()), sv_int(utc_now()) };
	cr_assert_eq(store_insert_id(s, &id, &e,
				     "INSERT INTO raw_repositories (ci_provider, full_name, created_at, updated_at)"
				     " VALUES (?, ?, ?, ?) ON CONFLICT (ci_provider, full_name) DO UPDATE SET"
				     " updated_at = excluded.updated_at RETURNING id",
				     4, p),
		     0);
	(void)e;
	return id;
}

Test(store, creates_every_table_of_the_design)
{
	struct store *s = open_fresh(NULL);
	static const char *tables[] = { "build_sources", "source_builds", "raw_repositories", "raw_build_runs",
					"raw_build_jobs", "training_scenarios", "training_ingestion_builds",
					"training_enrichment_builds", "feature_vectors", "training_dataset_splits",
					"commit_scans", "jobs", "events", "users", "api_tokens" };
	struct err e = ERR_INIT;
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		char sql[128];
		int64_t n = -1;
		snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s", tables[i]);
		cr_assert_eq(store_query_int(s, &n, &e, sql, 0, NULL), 0, "%s: %s", tables[i], e.msg);
		cr_assert_eq(n, 0);
	}
	int v = 0;
	cr_assert_eq(store_schema_version(s, &v, &e), 0);
	cr_assert_eq(v, store_schema_latest());
	store_close(s);
}

Test(store, upsert_on_business_key_never_duplicates)
{
	struct store *s = open_fresh(NULL);
	int64_t a = add_repo(s, "octo/hello");
	int64_t b = add_repo(s, "octo/hello");
	int64_t c = add_repo(s, "octo/other");
	cr_assert_eq(a, b);
	cr_assert_neq(a, c);
	struct err e = ERR_INIT;
	int64_t n = 0;
	cr_assert_eq(store_query_int(s, &n, &e, "SELECT COUNT(*) FROM raw_repositories", 0, NULL), 0);
	cr_assert_eq(n, 2);
	store_close(s);
}

Test(store, reports_unique_violations_as_conflicts)
{
	struct store *s = open_fresh(NULL);
	struct err e = ERR_INIT;
	struct store_val p[] = { sv_text("alice"), sv_int(1) };
	cr_assert_eq(store_exec(s, &e, NULL, "INSERT INTO users (login, created_at) VALUES (?, ?)", 2, p), 0);
	cr_assert_eq(store_exec(s, &e, NULL, "INSERT INTO users (login, created_at) VALUES (?, ?)", 2, p), ERR_CONFLICT);
	cr_assert(store_last_was_unique_violation(s));
	store_close(s);
}

Test(store, round_trips_types_and_nulls)
{
	struct store *s = open_fresh(NULL);
	struct err e = ERR_INIT;
	int64_t repo = add_repo(s, "a/b");
	struct store_val p[] = { sv_int(repo), sv_text("github_actions"), sv_text("123"), sv_int(INT64_MAX - 5),
				 sv_real(12.25), sv_null(), sv_text("héllo 'quoted' ? mark"), sv_int(7) };
	cr_assert_eq(store_exec(s, &e, NULL,
				"INSERT INTO raw_build_runs (raw_repo_id, ci_provider, ci_run_id, started_at, duration_sec,"
				" branch, commit_message, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
				8, p),
		     0, "%s", e.msg);
	struct store_cursor *c;
	cr_assert_eq(store_query(s, &c, &e,
				 "SELECT started_at, duration_sec, branch, commit_message, ci_run_id FROM raw_build_runs"
				 " WHERE commit_message LIKE '%?%'",
				 0, NULL),
		     0, "%s", e.msg);
	cr_assert_eq(store_next(c, &e), 1);
	cr_assert_eq(store_col_int(c, 0), INT64_MAX - 5);
	cr_assert_float_eq(store_col_real(c, 1), 12.25, 1e-12);
	cr_assert(store_col_isnull(c, 2));
	cr_assert_null(store_col_text(c, 2));
	cr_assert_str_eq(store_col_text(c, 3), "héllo 'quoted' ? mark");
	cr_assert_str_eq(store_col_text(c, 4), "123");
	cr_assert_eq(store_next(c, &e), 0);
	store_cursor_free(c);
	store_close(s);
}

Test(store, rolls_back_a_failed_transaction_completely)
{
	struct store *s = open_fresh(NULL);
	struct err e = ERR_INIT;
	cr_assert_eq(store_begin(s, &e), 0);
	add_repo(s, "x/one");
	struct store_val bad[] = { sv_int(999999), sv_text("p"), sv_text("1"), sv_int(1) };
	int rc = store_exec(s, &e, NULL,
			    "INSERT INTO raw_build_runs (raw_repo_id, ci_provider, ci_run_id, fetched_at) VALUES (?, ?, ?, ?)",
			    4, bad);
	cr_assert_lt(rc, 0, "a foreign key to a missing repository must be refused");
	cr_assert_eq(store_tx_end(s, rc, &e), rc);
	int64_t n = -1;
	cr_assert_eq(store_query_int(s, &n, &e, "SELECT COUNT(*) FROM raw_repositories", 0, NULL), 0);
	cr_assert_eq(n, 0);
	cr_assert(!store_in_tx(s));
	store_close(s);
}

Test(store, a_second_connection_sees_committed_writes)
{
	char *url;
	struct store *a = open_fresh(&url), *b = NULL;
	struct err e = ERR_INIT;
	cr_assert_eq(store_open(&b, url, &e), 0, "%s", e.msg);
	add_repo(a, "seen/by-b");
	int64_t n = 0;
	cr_assert_eq(store_query_int(b, &n, &e, "SELECT COUNT(*) FROM raw_repositories WHERE full_name = 'seen/by-b'",
				     0, NULL),
		     0);
	cr_assert_eq(n, 1);
	store_close(a);
	store_close(b);
	free(url);
}

static int64_t add_scenario(struct store *s)
{
	struct err e = ERR_INIT;
	int64_t id = 0;
	struct store_val p[] = { sv_text("sc"), sv_int(utc_now()), sv_int(utc_now()) };
	cr_assert_eq(store_insert_id(s, &id, &e,
				     "INSERT INTO training_scenarios (name, created_at, updated_at) VALUES (?, ?, ?) RETURNING id",
				     3, p),
		     0, "%s", e.msg);
	return id;
}

Test(status, follows_the_specification_flow)
{
	struct store *s = open_fresh(NULL);
	struct err e = ERR_INIT;
	int64_t id = add_scenario(s);
	const char *flow[] = { "filtering", "ingesting", "ingested", "processing", "processed", "splitting", "completed" };
	for (size_t i = 0; i < sizeof(flow) / sizeof(flow[0]); i++)
		cr_assert_eq(store_status_set(s, ENT_SCENARIO, id, NULL, flow[i], &e), 0, "%s", e.msg);
	char *st;
	cr_assert_eq(store_status_get(s, ENT_SCENARIO, id, &st, &e), 0);
	cr_assert_str_eq(st, "completed");
	free(st);
	store_close(s);
}

Test(status, refuses_a_skipped_phase_naming_entity_and_states)
{
	struct store *s = open_fresh(NULL);
	struct err e = ERR_INIT;
	int64_t id = add_scenario(s);
	cr_assert_eq(store_status_set(s, ENT_SCENARIO, id, NULL, "processing", &e), ERR_CONFLICT);
	char want[128];
	snprintf(want, sizeof(want), "scenario %lld is queued and cannot become processing", (long long)id);
	cr_assert_str_eq(e.msg, want);
	char *st;
	store_status_get(s, ENT_SCENARIO, id, &st, &e);
	cr_assert_str_eq(st, "queued", "a refused transition leaves the state alone");
	free(st);
	cr_assert_eq(store_status_set(s, ENT_SCENARIO, id, "filtering", "failed", &e), ERR_CONFLICT);
	cr_assert_eq(store_status_set(s, ENT_SCENARIO, 424242, NULL, "failed", &e), ERR_NOT_FOUND);
	store_close(s);
}

Test(status, knows_every_enum_of_the_specification)
{
	cr_assert(status_is_valid(ENT_INGESTION_BUILD, "missing_resource"));
	cr_assert(status_is_valid(ENT_EXTRACTION, "partial"));
	cr_assert(!status_is_valid(ENT_EXTRACTION, "done"));
	cr_assert(status_can_transition(ENT_INGESTION_BUILD, "failed", "ingesting"));
	cr_assert(!status_can_transition(ENT_INGESTION_BUILD, "missing_resource", "ingesting"),
		  "missing_resource is not retryable");
	cr_assert(!status_can_transition(ENT_SCENARIO, "queued", "queued"));
}

Test(store, refuses_a_database_from_a_newer_version)
{
	char *url;
	struct store *s = open_fresh(&url);
	struct err e = ERR_INIT;
	struct store_val p[] = { sv_int(store_schema_latest() + 1), sv_text("future"), sv_int(0) };
	cr_assert_eq(store_exec(s, &e, NULL, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
				3, p),
		     0);
	store_close(s);
	struct store *t = NULL;
	cr_assert_eq(store_open(&t, url, &e), ERR_USAGE);
	cr_assert(strstr(e.msg, "newer than this ciminer") != NULL, "%s", e.msg);
	cr_assert_null(t);
	free(url);
}

Test(store, refuses_malformed_urls_with_the_url_in_the_message)
{
	struct store *s = NULL;
	struct err e = ERR_INIT;
	cr_assert_eq(store_open(&s, "mysql://x", &e), ERR_USAGE);
	cr_assert(strstr(e.msg, "mysql://x") != NULL);
	cr_assert_eq(store_open(&s, "sqlite:///nonexistent-dir/x/y.db", &e), ERR_USAGE);
	cr_assert(strstr(e.msg, "/nonexistent-dir/x/y.db") != NULL, "%s", e.msg);
}
