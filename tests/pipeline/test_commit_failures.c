/*
 * No success without a commit (issue 20, defect 1). Each entity's write runs
 * while the commit cannot reach the disk, and must report a failure; after
 * the disk is back nothing it reported is missing and nothing half-written
 * is there.
 *
 * How the commit is made to fail, for real: SQLite in WAL mode writes a
 * transaction's pages to the -wal file only at commit. The test empties the
 * WAL (checkpoint TRUNCATE) and lowers this process's RLIMIT_FSIZE to 0, so
 * that the commit's write fails with EFBIG exactly as on a full disk (SIGXFSZ
 * ignored, as a server would). The statement itself has run and produced its
 * RETURNING row by then: the defect was to hand that row back. PostgreSQL
 * sends a failed autocommit as the statement's own error, so this file runs
 * on SQLite only.
 */
#include <criterion/criterion.h>
#include "ci/provider.h"
#include "core/json.h"
#include "core/utc.h"
#include "store/jobs.h"
#include "pipeline/scenario.h"
#include "pipeline/source.h"
#include "pipeline/warehouse.h"
#include "store/store.h"
#include "testsupport.h"
#include "store/scenarios.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static struct store *open_sqlite(void)
{
	char *dir = ts_tempdir("commitfail");
	char url[1024];
	snprintf(url, sizeof(url), "sqlite://%s/ciminer.db", dir);
	free(dir);
	struct store *s = NULL;
	struct err e = ERR_INIT;
	cr_assert_eq(store_open(&s, url, &e), 0, "%s", e.msg);
	return s;
}

/* From here until disk_back(), no file of this process can grow: the next commit fails. */
static void disk_full(struct store *s)
{
	struct err e = ERR_INIT;
	cr_assert_eq(store_exec_script(s, "PRAGMA wal_checkpoint(TRUNCATE)", &e), 0, "%s", e.msg);
	signal(SIGXFSZ, SIG_IGN);
	struct rlimit rl;
	getrlimit(RLIMIT_FSIZE, &rl);
	rl.rlim_cur = 0;
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
}

static void disk_back(void)
{
	struct rlimit rl;
	getrlimit(RLIMIT_FSIZE, &rl);
	rl.rlim_cur = rl.rlim_max;
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
}

static int64_t count(struct store *s, const char *sql)
{
	int64_t n = -1;
	struct err e = ERR_INIT;
	cr_assert_eq(store_query_int(s, &n, &e, sql, 0, NULL), 0, "%s", e.msg);
	return n;
}

Test(commit, insert_id_reports_a_failed_commit_instead_of_an_id)
{
	struct store *s = open_sqlite();
	struct err e = ERR_INIT;
	cr_assert_eq(store_exec_script(s, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", &e), 0, "%s", e.msg);
	disk_full(s);
	int64_t id = 0;
	struct store_val p[] = { sv_text("x") };
	int rc = store_insert_id(s, &id, &e, "INSERT INTO t (v) VALUES (?) RETURNING id", 1, p);
	disk_back();
	cr_expect_lt(rc, 0, "an insert whose commit failed returned id %lld", (long long)id);
	cr_expect_eq(count(s, "SELECT COUNT(*) FROM t"), 0);
	store_close(s);
}

Test(commit, update_rows_reports_a_failed_commit_instead_of_rows)
{
	struct store *s = open_sqlite();
	struct err e = ERR_INIT;
	cr_assert_eq(store_exec_script(s, "CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER);"
					  " INSERT INTO t (v) VALUES (1), (2)", &e), 0, "%s", e.msg);
	disk_full(s);
	struct store_cursor *c = NULL;
	int rc = store_update_rows(s, &c, &e, "UPDATE t SET v = v + 10 RETURNING id, v", 0, NULL);
	disk_back();
	cr_expect_lt(rc, 0, "an update whose commit failed returned rows");
	store_cursor_free(c);
	cr_expect_eq(count(s, "SELECT SUM(v) FROM t"), 3);
	store_close(s);
}

Test(commit, update_rows_returns_every_row_after_a_good_commit)
{
	struct store *s = open_sqlite();
	struct err e = ERR_INIT;
	cr_assert_eq(store_exec_script(s, "CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER, w TEXT);"
					  " INSERT INTO t (v, w) VALUES (1, 'a'), (2, NULL)", &e), 0, "%s", e.msg);
	struct store_cursor *c = NULL;
	cr_assert_eq(store_update_rows(s, &c, &e, "UPDATE t SET v = v + 10 RETURNING id, v, w", 0, NULL), 0, "%s",
		     e.msg);
	int64_t sum = 0;
	int nulls = 0, rows = 0;
	while (store_next(c, &e) == 1) {
		rows++;
		sum += store_col_int(c, 1);
		nulls += store_col_isnull(c, 2);
	}
	store_cursor_free(c);
	cr_expect_eq(rows, 2);
	cr_expect_eq(sum, 23);
	cr_expect_eq(nulls, 1);
	store_close(s);
}

Test(commit, store_query_refuses_a_write_so_that_none_skips_the_commit_check)
{
	struct store *s = open_sqlite();
	struct err e = ERR_INIT;
	int64_t v;
	cr_assert_eq(store_exec_script(s, "CREATE TABLE t (id INTEGER PRIMARY KEY)", &e), 0, "%s", e.msg);
	cr_expect_eq(store_query_int(s, &v, &e, " insert INTO t DEFAULT VALUES RETURNING id", 0, NULL), ERR_INTERNAL);
	cr_expect_eq(count(s, "SELECT COUNT(*) FROM t"), 0);
	store_close(s);
}

Test(commit, scenario_create_fails_when_its_commit_fails)
{
	struct store *s = open_sqlite();
	struct err e = ERR_INIT;
	json_t *cfg = json_pack("{s:s}", "name", "all");
	disk_full(s);
	int64_t id = 0;
	int rc = scenarios_create(s, cfg, &id, &e);
	disk_back();
	json_decref(cfg);
	cr_expect_lt(rc, 0, "scenario create reported id %lld for a rolled-back write", (long long)id);
	cr_expect_eq(count(s, "SELECT COUNT(*) FROM training_scenarios"), 0);
	store_close(s);
}

Test(commit, source_import_fails_when_its_commit_fails)
{
	struct store *s = open_sqlite();
	struct err e = ERR_INIT;
	char *dir = ts_tempdir("commitfail-csv");
	char path[1024];
	snprintf(path, sizeof(path), "%s/builds.csv", dir);
	FILE *f = fopen(path, "w");
	cr_assert(f);
	fputs("build_id,repo_name\n1,o/r\n2,o/r\n", f);
	fclose(f);
	struct source_import_opts o = { .path = path };
	struct source_import_result r = { 0 };
	disk_full(s);
	int rc = source_import(s, &o, &r, &e);
	disk_back();
	cr_expect_lt(rc, 0, "import reported source %lld for a rolled-back write", (long long)r.source_id);
	cr_expect_eq(count(s, "SELECT COUNT(*) FROM build_sources"), 0);
	cr_expect_eq(count(s, "SELECT COUNT(*) FROM source_builds"), 0);
	ts_run(NULL, "rm -rf '%s'", dir);
	free(dir);
	store_close(s);
}

Test(commit, warehouse_repository_and_run_upserts_fail_when_their_commit_fails)
{
	struct store *s = open_sqlite();
	struct err e = ERR_INIT;
	struct ci_repo repo = { .full_name = "o/r", .default_branch = "main" };
	int64_t repo_id = 0, run_id = 0;
	disk_full(s);
	int rc = warehouse_upsert_repo(s, "github_actions", NULL, &repo, &repo_id, &e);
	disk_back();
	cr_expect_lt(rc, 0, "repository upsert reported id %lld for a rolled-back write", (long long)repo_id);
	cr_expect_eq(count(s, "SELECT COUNT(*) FROM raw_repositories"), 0);

	cr_assert_eq(warehouse_upsert_repo(s, "github_actions", NULL, &repo, &repo_id, &e), 0, "%s", e.msg);
	struct ci_run run = { .ci_run_id = "77", .repo_full_name = "o/r", .commit_sha = "abc", .status = "completed",
			      .conclusion = "success", .created_at = utc_now(), .started_at = utc_now(),
			      .completed_at = utc_now(), .run_attempt = 1 };
	disk_full(s);
	rc = warehouse_upsert_run(s, "github_actions", repo_id, &run, &run_id, &e);
	disk_back();
	cr_expect_lt(rc, 0, "run upsert reported id %lld for a rolled-back write", (long long)run_id);
	cr_expect_eq(count(s, "SELECT COUNT(*) FROM raw_build_runs"), 0);
	store_close(s);
}

Test(commit, job_enqueue_and_claim_fail_when_their_commit_fails)
{
	struct store *s = open_sqlite();
	struct err e = ERR_INIT;
	struct jobs_enqueue_opts o = { .queue = "validation", .kind = "noop" };
	int64_t id = 0;
	disk_full(s);
	int rc = jobs_enqueue(s, &o, &id, &e);
	disk_back();
	cr_expect_lt(rc, 0, "enqueue reported job %lld for a rolled-back write", (long long)id);
	cr_expect_eq(count(s, "SELECT COUNT(*) FROM jobs"), 0);

	cr_assert_eq(jobs_enqueue(s, &o, &id, &e), 0, "%s", e.msg);
	const char *queues[] = { "validation" };
	struct jobs_claimer cl = { .queues = queues, .nq = 1, .owner = "w1", .lease_usec = 60 * USEC_PER_SEC,
				   .last_sweep = utc_now() };
	struct jobs_claimed got = { 0 };
	disk_full(s);
	rc = jobs_claim(s, &cl, &got, &e);
	disk_back();
	cr_expect_lt(rc, 0, "a claim whose commit failed handed out job %lld", (long long)got.id);
	jobs_claimed_release(&got);
	cr_expect_eq(count(s, "SELECT COUNT(*) FROM jobs WHERE state = 'queued' AND attempts = 0"), 1);
	store_close(s);
}
