/* CIMINER_TEST_BOTH_DRIVERS
 * Validation of build sources (source_validate_start, the validate_repo and
 * validate_finish jobs, the warehouse) on SQLite and PostgreSQL, run by a
 * real worker pool against the loopback fixture server speaking the GitHub,
 * Travis and CircleCI APIs, and against a local archive: exact found /
 * not_found / filtered / invalid / duplicate counts, every found run stored
 * with its jobs (GitHub: through GraphQL with a token, one request per 100
 * runs; through REST without), re-validation that
 * never duplicates, transient failures and
 * rate limits that end with the same stats, and a validation whose worker is
 * killed with SIGKILL half-way that resumes to the stats of an uninterrupted
 * run.
 */
#include "ptest.h"
#include "archive.h"
#include "core/json.h"
#include "pipeline/source.h"
#include "store/sources.h"
#include "../fixture-server/fxserver.h"
#include <unistd.h>

static struct store *s;
static char *db_url, *tmp, *arch, *data;
static struct fx_server srv;

static void setup(void)
{
	/* Only the loopback servers of this test are spoken to; no credentials. */
	pt_env_setup("validation", &s, &db_url, &tmp, &arch, &data, NULL);
	setenv("CIMINER_GIT_URL", "file:///nonexistent/git", 1);
}

static void teardown(void)
{
	fx_stop(&srv);
	pt_env_teardown(s, db_url, tmp, arch, data, NULL);
}

TestSuite(validation, .init = setup, .fini = teardown, .timeout = 120);

/*
 * The basic world. acme/widget: runs 1001-1012 usable (success/failure by
 * people), 1013 actor type Bot, 1014 login dependabot[bot], 1015 login
 * renovate-bot, 1016 in progress, 1017 cancelled, 1018 skipped. acme/gadget:
 * runs 2001-2005 usable. Two jobs per run.
 */
static void write_basic_world(void)
{
	struct archive a;
	ar_open(&a, arch);
	ar_repo(&a, "acme/widget", 11, "C");
	ar_repo(&a, "acme/gadget", 12, "Python");
	for (int i = 1; i <= 18; i++) {
		struct ar_run r = { .id = 1000 + i, .repo = "acme/widget", .conclusion = i % 3 ? "success" : "failure",
				    .day = i, .njobs = 2, .pr = i == 4 ? 17 : 0 };
		if (i == 13)
			r.actor_type = "Bot", r.login = "some-app";
		if (i == 14)
			r.login = "dependabot[bot]";
		if (i == 15)
			r.login = "renovate-bot";
		if (i == 16)
			r.status = "in_progress", r.conclusion = NULL;
		if (i == 17)
			r.conclusion = "cancelled";
		if (i == 18)
			r.conclusion = "skipped";
		ar_run(&a, &r);
	}
	for (int i = 1; i <= 5; i++) {
		struct ar_run r = { .id = 2000 + i, .repo = "acme/gadget", .conclusion = "success", .day = 20 + i,
				    .njobs = 2 };
		ar_run(&a, &r);
	}
	ar_close(&a);
}

/* 30 rows: 23 of the archive, 4 not found, 2 invalid, 1 duplicate. */
static char *basic_csv(const char *provider)
{
	struct buf b = BUF_INIT;
	buf_addstr(&b, "build_id,repo_name\n");
	for (int i = 1; i <= 18; i++)
		buf_addf(&b, "%d,acme/widget\n", 1000 + i);
	buf_addstr(&b, "1999,acme/widget\n");  /* no such run */
	buf_addstr(&b, "2001,acme/widget\n");  /* a run of another repository */
	for (int i = 1; i <= 5; i++)
		buf_addf(&b, "%d,acme/gadget\n", 2000 + i);
	buf_addstr(&b, "1,ghost/missing\n2,ghost/missing\n"); /* no such repository */
	buf_addstr(&b, "x,acme/widget\n5,bad name\n");         /* invalid */
	buf_addstr(&b, "1001,acme/widget\n");                  /* duplicate */
	char name[64];
	snprintf(name, sizeof(name), "builds-%s.csv", provider);
	char *path = pt_write(tmp, name, buf_cstr(&b), 0);
	buf_release(&b);
	return path;
}

struct stats {
	int64_t total, found, not_found, filtered, invalid, duplicates, pending;
};

static struct stats stats_of(struct store *db, int64_t id)
{
	struct stats st;
	st.total = pt_int(db, "SELECT stat_total FROM build_sources WHERE id = %lld", (long long)id);
	st.found = pt_int(db, "SELECT stat_found FROM build_sources WHERE id = %lld", (long long)id);
	st.not_found = pt_int(db, "SELECT stat_not_found FROM build_sources WHERE id = %lld", (long long)id);
	st.filtered = pt_int(db, "SELECT stat_filtered FROM build_sources WHERE id = %lld", (long long)id);
	st.invalid = pt_int(db, "SELECT stat_invalid FROM build_sources WHERE id = %lld", (long long)id);
	st.duplicates = pt_int(db, "SELECT stat_duplicates FROM build_sources WHERE id = %lld", (long long)id);
	st.pending = pt_int(db, "SELECT COUNT(*) FROM source_builds WHERE source_id = %lld AND status = 'pending'",
			    (long long)id);
	/* The stored stats agree with the rows. */
	cr_assert_eq(st.found, pt_int(db, "SELECT COUNT(*) FROM source_builds WHERE source_id = %lld AND status = 'found'",
				      (long long)id));
	cr_assert_eq(st.filtered, pt_int(db, "SELECT COUNT(*) FROM source_builds WHERE source_id = %lld AND status = 'filtered'",
					 (long long)id));
	return st;
}

static void assert_stats(struct stats st, int64_t total, int64_t found, int64_t not_found, int64_t filtered,
			 int64_t invalid, int64_t duplicates)
{
	cr_assert_eq(st.total, total, "total %lld, want %lld", (long long)st.total, (long long)total);
	cr_assert_eq(st.found, found, "found %lld, want %lld", (long long)st.found, (long long)found);
	cr_assert_eq(st.not_found, not_found, "not_found %lld, want %lld", (long long)st.not_found, (long long)not_found);
	cr_assert_eq(st.filtered, filtered, "filtered %lld, want %lld", (long long)st.filtered, (long long)filtered);
	cr_assert_eq(st.invalid, invalid, "invalid %lld, want %lld", (long long)st.invalid, (long long)invalid);
	cr_assert_eq(st.duplicates, duplicates, "duplicates %lld, want %lld", (long long)st.duplicates,
		     (long long)duplicates);
	cr_assert_eq(st.pending, 0, "%lld rows are still pending", (long long)st.pending);
}

static int64_t import(struct store *db, const char *csv, const char *provider, const char *archive_dir)
{
	struct source_import_opts o = { .path = csv, .provider = provider, .archive_dir = archive_dir };
	struct source_import_result r;
	struct err e = ERR_INIT;
	cr_assert_eq(source_import(db, &o, &r, &e), 0, "import: %s", e.msg);
	return r.source_id;
}

static void validate(struct store *db, const char *url, int64_t id)
{
	struct err e = ERR_INIT;
	cr_assert_eq(source_validate_start(db, id, &e), 0, "validate_start: %s", e.msg);
	pt_drain(url, data, "validation", 2, NULL);
}

static void start_server(const char *config)
{
	const char *args[] = { "--world", arch, "--config", config ? config : "{}", NULL };
	if (fx_start(&srv, args))
		cr_skip_test("the fixture server could not start (needs /usr/bin/python3)");
	setenv("CIMINER_GITHUB_API_URL", srv.url, 1);
	char url[128];
	snprintf(url, sizeof(url), "%s/travis", srv.url);
	setenv("CIMINER_TRAVIS_API_URL", url, 1);
	snprintf(url, sizeof(url), "%s/circleci/api/v2", srv.url);
	setenv("CIMINER_CIRCLECI_API_URL", url, 1);
}

static char *status_of(int64_t id)
{
	return pt_text(s, "SELECT validation_status FROM build_sources WHERE id = %lld", (long long)id);
}

/* ---- GitHub Actions over the fixture server ---- */

Test(validation, github_source_ends_with_exact_counts_and_every_found_run_with_its_jobs)
{
	write_basic_world();
	start_server(NULL);
	setenv("CIMINER_GITHUB_TOKENS", "token-a", 1); /* GraphQL answers only authenticated callers */
	char *csv = basic_csv("gh");
	int64_t id = import(s, csv, NULL, NULL);
	validate(s, db_url, id);
	assert_stats(stats_of(s, id), 30, 17, 4, 6, 2, 1);
	char *st = status_of(id);
	cr_assert_str_eq(st, "completed");
	free(st);
	/* Found and filtered runs are stored (23); not-found ones are not. */
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM raw_build_runs"), 23);
	/* Every stored run has its two jobs, listed by one GraphQL request per repository. */
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM raw_build_jobs"), 46);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM raw_build_runs r WHERE (SELECT COUNT(*) FROM raw_build_jobs j"
			       " WHERE j.raw_run_id = r.id) <> 2"),
		     0);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM raw_build_jobs j JOIN raw_build_runs r ON r.id = j.raw_run_id"
			       " WHERE CAST(j.ci_job_id AS BIGINT) / 100 <> CAST(r.ci_run_id AS BIGINT)"),
		     0, "each job belongs to its own run");
	cr_assert_eq(fx_count(&srv, "by_endpoint", "POST /graphql"), 2);
	cr_assert_eq(fx_count(&srv, "by_endpoint", "GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs"), 0);
	cr_assert_leq(fx_count(&srv, NULL, "requests"), 14, "23 runs of 2 repositories need a handful of requests");
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM raw_repositories"), 2, "ghost/missing is not stored");
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM source_builds b JOIN raw_build_runs r ON r.id = b.raw_run_id"
			       " WHERE b.source_id = %lld AND b.status IN ('found', 'filtered')"
			       " AND r.ci_run_id = b.build_id_from_source",
			    (long long)id),
		     23, "every found or filtered row points at its run");
	/* Reasons of the filtered and not-found rows. */
	static const struct { int build; const char *reason; } why[] = {
		{ 1013, "bot" }, { 1014, "bot" }, { 1015, "bot" }, { 1016, "not completed" },
		{ 1017, "neither success nor failure" }, { 1018, "neither success nor failure" },
	};
	for (size_t i = 0; i < sizeof(why) / sizeof(why[0]); i++) {
		char *r = pt_text(s, "SELECT reason FROM source_builds WHERE source_id = %lld AND build_id_from_source = '%d'",
				  (long long)id, why[i].build);
		cr_assert(r && strstr(r, why[i].reason), "%d: reason '%s', want '%s'", why[i].build, r ? r : "(null)",
			  why[i].reason);
		free(r);
	}
	char *r = pt_text(s, "SELECT reason FROM source_builds WHERE source_id = %lld AND repo_name_from_source = 'ghost/missing'"
			     " AND build_id_from_source = '1'",
			  (long long)id);
	cr_assert(r && strstr(r, "repository ghost/missing not found"), "%s", r ? r : "(null)");
	free(r);
	/* The source's progress events end with the final stats. */
	char *ev = pt_text(s, "SELECT payload FROM events WHERE source_id = %lld AND kind = 'SOURCE_UPDATE' ORDER BY id DESC"
			      " LIMIT 1",
			   (long long)id);
	json_t *j = json_loads(ev, 0, NULL);
	cr_assert_str_eq(core_json_str(j, "status", ""), "completed");
	cr_assert_eq(json_integer_value(core_json_path(j, "stats.found")), 17);
	cr_assert_eq(json_integer_value(core_json_path(j, "stats.filtered")), 6);
	json_decref(j);
	free(ev);
	free(csv);
}

/* GitHub answers a renamed repository's old name with a 301 per request: validation asks by the new name. */
Test(validation, a_renamed_repository_is_validated_under_its_new_name_with_one_redirect)
{
	write_basic_world();
	start_server("{\"renamed\": {\"acme/old-widget\": \"acme/widget\"}}");
	setenv("CIMINER_GITHUB_TOKENS", "token-a", 1);
	struct buf b = BUF_INIT;
	buf_addstr(&b, "build_id,repo_name\n");
	for (int i = 1; i <= 12; i++)
		buf_addf(&b, "%d,acme/old-widget\n", 1000 + i);
	buf_addstr(&b, "1999,acme/old-widget\n"); /* no such run */
	char *csv = pt_write(tmp, "renamed.csv", buf_cstr(&b), 0);
	buf_release(&b);
	int64_t id = import(s, csv, NULL, NULL);
	validate(s, db_url, id);
	assert_stats(stats_of(s, id), 13, 12, 1, 0, 0, 0);
	cr_assert_eq(fx_count(&srv, "by_status", "301"), 1, "only the repository itself was asked by its old name");
	cr_assert_leq(fx_count(&srv, NULL, "requests"), 8, "13 rows of a renamed repository cost a handful of requests");
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM raw_repositories WHERE full_name = 'acme/widget'"), 1);
	free(csv);
}

Test(validation, without_a_token_the_jobs_come_through_rest_and_are_the_same)
{
	write_basic_world();
	start_server(NULL);
	char *csv = basic_csv("gh");
	int64_t id = import(s, csv, NULL, NULL);
	validate(s, db_url, id);
	assert_stats(stats_of(s, id), 30, 17, 4, 6, 2, 1);
	/* GraphQL refuses anonymous callers (one 401 per repository), REST lists each run's jobs. */
	cr_assert_eq(fx_count(&srv, "by_endpoint", "POST /graphql"), 2);
	cr_assert_eq(fx_count(&srv, "by_endpoint", "GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs"), 23);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM raw_build_jobs"), 46);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM raw_build_runs WHERE jobs_count = 2"), 23);
	/* The REST answer carries the runner and steps that GraphQL's check runs do not. */
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM raw_build_jobs WHERE runner_name = 'runner-1'"), 46);
	free(csv);
}

Test(validation, runs_are_mapped_into_the_warehouse_fields)
{
	write_basic_world();
	start_server(NULL);
	char *csv = basic_csv("gh");
	int64_t id = import(s, csv, NULL, NULL);
	validate(s, db_url, id);
	char sha[41];
	ar_run_sha(sha, 1004);
	int64_t run = pt_int(s, "SELECT id FROM raw_build_runs WHERE ci_run_id = '1004'");
	char *v = pt_text(s, "SELECT commit_sha FROM raw_build_runs WHERE id = %lld", (long long)run);
	cr_assert_str_eq(v, sha);
	free(v);
	static const struct { const char *col, *want; } text[] = {
		{ "conclusion", "success" }, { "status", "completed" }, { "event", "pull_request" },
		{ "branch", "feature" },      { "actor_login", "dev" },  { "author_name", "Dev Eloper" },
		{ "pr_numbers", "[17]" },     { "ci_provider", "github_actions" },
	};
	for (size_t i = 0; i < sizeof(text) / sizeof(text[0]); i++) {
		v = pt_text(s, "SELECT %s FROM raw_build_runs WHERE id = %lld", text[i].col, (long long)run);
		cr_assert(v && strcmp(v, text[i].want) == 0, "%s is '%s', want '%s'", text[i].col, v ? v : "(null)",
			  text[i].want);
		free(v);
	}
	int64_t created, started, completed;
	struct err e = ERR_INIT;
	cr_assert_eq(utc_parse(&created, "2023-03-05T10:44:00Z", &e), 0);
	cr_assert_eq(utc_parse(&started, "2023-03-05T10:45:00Z", &e), 0);
	cr_assert_eq(utc_parse(&completed, "2023-03-05T10:53:00Z", &e), 0);
	cr_assert_eq(pt_int(s, "SELECT created_at FROM raw_build_runs WHERE id = %lld", (long long)run), created, "%lld %lld", (long long)pt_int(s, "SELECT created_at FROM raw_build_runs WHERE id = %lld", (long long)run), (long long)created);
	cr_assert_eq(pt_int(s, "SELECT started_at FROM raw_build_runs WHERE id = %lld", (long long)run), started);
	cr_assert_eq(pt_int(s, "SELECT completed_at FROM raw_build_runs WHERE id = %lld", (long long)run), completed);
	cr_assert_eq(pt_int(s, "SELECT build_number FROM raw_build_runs WHERE id = %lld", (long long)run), 4);
	cr_assert_eq(pt_int(s, "SELECT is_bot FROM raw_build_runs WHERE id = %lld", (long long)run), 0);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM raw_build_runs WHERE is_bot = 1"), 3);
	v = pt_text(s, "SELECT main_lang FROM raw_repositories WHERE full_name = 'acme/gadget'");
	cr_assert_str_eq(v, "Python");
	free(v);
	v = pt_text(s, "SELECT clone_url FROM raw_repositories WHERE full_name = 'acme/gadget'");
	cr_assert_str_eq(v, "file:///nonexistent/git/acme/gadget.git", "the clone URL comes from CIMINER_GIT_URL");
	free(v);
	free(csv);
}

/* ---- the local archive ---- */

Test(validation, local_archive_source_ends_with_the_same_counts)
{
	write_basic_world();
	char *csv = basic_csv("local");
	int64_t id = import(s, csv, "local", arch);
	validate(s, db_url, id);
	assert_stats(stats_of(s, id), 30, 17, 4, 6, 2, 1);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM raw_build_runs WHERE ci_provider = 'local'"), 23);
	/* The archive's runs carry their jobs: they are stored at once. */
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM raw_build_jobs"), 46);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM raw_build_runs WHERE jobs_count = 2"), 23);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM raw_build_jobs j JOIN raw_build_runs r ON r.id = j.raw_run_id"
			       " WHERE r.ci_run_id = '1004' AND j.ci_job_id IN ('100401', '100402') AND j.status = 'completed'"),
		     2);
	char *ad = pt_text(s, "SELECT archive_dir FROM raw_repositories WHERE full_name = 'acme/widget'");
	cr_assert_str_eq(ad, arch, "the archive is kept with the repository for ingestion");
	free(ad);
	free(csv);
}

/* ---- Travis and CircleCI rows in one source ---- */

static char *pipeline_of(int64_t run)
{
	json_t *w = fx_call(&srv, "/_fixture/world?repo=acme/widget", NULL);
	cr_assert_not_null(w);
	size_t i;
	json_t *it;
	char *out = NULL;
	json_array_foreach(json_object_get(w, "runs"), i, it) {
		if (json_integer_value(json_object_get(it, "id")) == run)
			out = xstrdup(json_string_value(json_object_get(it, "pipeline")));
	}
	json_decref(w);
	cr_assert_not_null(out, "run %lld has no pipeline in the fixture world", (long long)run);
	return out;
}

Test(validation, a_provider_column_validates_each_row_at_its_provider)
{
	write_basic_world();
	start_server(NULL);
	char *p1003 = pipeline_of(1003), *p1017 = pipeline_of(1017);
	char *text = xasprintf("build_id,repo_name,ci_provider\n"
			       "1001,acme/widget,github_actions\n"
			       "1013,acme/widget,github_actions\n"
			       "1002,acme/widget,travis\n"
			       "1016,acme/widget,travis\n"
			       "1999,acme/widget,travis\n"
			       "%s,acme/widget,circleci\n"
			       "%s,acme/widget,circleci\n"
			       "00000000-0000-4000-8000-000000000000,acme/widget,circleci\n",
			       p1003, p1017);
	char *csv = pt_write(tmp, "mixed.csv", text, 0);
	int64_t id = import(s, csv, NULL, NULL);
	validate(s, db_url, id);
	assert_stats(stats_of(s, id), 8, 3, 2, 3, 0, 0);
	static const char *const provs[] = { "github_actions", "travis", "circleci" };
	for (int i = 0; i < 3; i++) {
		cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM raw_repositories WHERE ci_provider = '%s' AND full_name = 'acme/widget'",
				    provs[i]),
			     1, "%s", provs[i]);
		cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM raw_build_runs WHERE ci_provider = '%s'", provs[i]), 2, "%s",
			     provs[i]);
		/* Each provider's runs are stored with their two jobs (CircleCI: one per workflow of the pipeline). */
		cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM raw_build_jobs j JOIN raw_build_runs r ON r.id = j.raw_run_id"
				       " WHERE r.ci_provider = '%s'",
				    provs[i]),
			     4, "%s", provs[i]);
	}
	static const struct { const char *id, *status; } rows[] = {
		{ "1001", "found" }, { "1013", "filtered" }, { "1002", "found" }, { "1016", "filtered" }, { "1999", "not_found" },
	};
	for (size_t i = 0; i < 5; i++) {
		char *st = pt_text(s, "SELECT status FROM source_builds WHERE source_id = %lld AND build_id_from_source = '%s'",
				   (long long)id, rows[i].id);
		cr_assert_str_eq(st, rows[i].status, "%s", rows[i].id);
		free(st);
	}
	char *st = pt_text(s, "SELECT status FROM source_builds WHERE source_id = %lld AND build_id_from_source = '%s'",
			   (long long)id, p1003);
	cr_assert_str_eq(st, "found");
	free(st);
	free(p1003);
	free(p1017);
	free(text);
	free(csv);
}

/* ---- re-validation ---- */

Test(validation, validating_again_does_not_duplicate_anything)
{
	write_basic_world();
	start_server(NULL);
	char *csv = basic_csv("gh");
	int64_t id = import(s, csv, NULL, NULL);
	validate(s, db_url, id);
	struct err e = ERR_INIT;
	/* Again, with every row decided: nothing to look up, same stats, status completed again. */
	long before = fx_count(&srv, NULL, "requests");
	validate(s, db_url, id);
	assert_stats(stats_of(s, id), 30, 17, 4, 6, 2, 1);
	cr_assert_eq(fx_count(&srv, NULL, "requests"), before, "re-validating decided rows asked the API again");
	/* Again after some rows were put back to pending (a run that stopped half-way). */
	pt_exec(s, "UPDATE source_builds SET status = 'pending', reason = NULL, raw_run_id = NULL WHERE source_id = %lld"
		   " AND status IN ('found', 'filtered', 'not_found') AND repo_name_from_source = 'acme/widget'",
		(long long)id);
	validate(s, db_url, id);
	assert_stats(stats_of(s, id), 30, 17, 4, 6, 2, 1);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM raw_build_runs"), 23);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM raw_repositories"), 2);
	char *st = status_of(id);
	cr_assert_str_eq(st, "completed");
	free(st);
	/* A second source over the same builds shares the warehouse rows. A fork PR's number that ingestion
	 * found for 1005 (its payload names none) survives; 1004's own PR 17 is kept as the payload says. */
	pt_exec(s, "UPDATE raw_build_runs SET pr_numbers = '[99]' WHERE ci_run_id = '1005'");
	int64_t id2 = import(s, csv, NULL, NULL);
	validate(s, db_url, id2);
	assert_stats(stats_of(s, id2), 30, 17, 4, 6, 2, 1);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM raw_build_runs"), 23);
	char *prs = pt_text(s, "SELECT pr_numbers FROM raw_build_runs WHERE ci_run_id = '1005'");
	cr_assert_str_eq(prs, "[99]");
	free(prs);
	prs = pt_text(s, "SELECT pr_numbers FROM raw_build_runs WHERE ci_run_id = '1004'");
	cr_assert_str_eq(prs, "[17]");
	free(prs);
	/* Deleting the first source keeps the warehouse rows the second one uses. */
	cr_assert_eq(sources_delete(s, id, &e), 0, "%s", e.msg);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM raw_build_runs"), 23);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM source_builds WHERE source_id = %lld AND raw_run_id IS NOT NULL",
			    (long long)id2),
		     23);
	free(csv);
}

Test(validation, starting_a_validation_that_is_running_is_refused)
{
	write_basic_world();
	char *csv = basic_csv("local");
	int64_t id = import(s, csv, "local", arch);
	struct err e = ERR_INIT;
	cr_assert_eq(source_validate_start(s, id, &e), 0, "%s", e.msg);
	cr_assert_eq(source_validate_start(s, id, &e), ERR_CONFLICT);
	cr_assert(strstr(e.msg, "already being validated"), "%s", e.msg);
	pt_drain(db_url, data, "validation", 2, NULL);
	assert_stats(stats_of(s, id), 30, 17, 4, 6, 2, 1);
	free(csv);
}

/* ---- failures that end well ---- */

Test(validation, a_failing_look_up_leaves_its_row_pending_until_validated_again)
{
	write_basic_world();
	/* The single look-up of run 1999 (absent from the run list) answers 502 on every attempt. */
	start_server("{\"faults\": [{\"path\": \"/actions/runs/1999$\", \"status\": 502, \"times\": -1}]}");
	char *csv = basic_csv("gh");
	int64_t id = import(s, csv, NULL, NULL);
	validate(s, db_url, id);
	struct stats st = stats_of(s, id);
	cr_assert_eq(st.pending, 1, "the row whose look-up failed stays pending");
	cr_assert_eq(st.found, 17);
	cr_assert_eq(st.not_found, 3);
	char *status = status_of(id);
	cr_assert_str_eq(status, "failed", "a validation that left rows pending is failed");
	free(status);
	char *msg = pt_text(s, "SELECT error_message FROM build_sources WHERE id = %lld", (long long)id);
	cr_assert(msg && strstr(msg, "1 rows are still pending"), "%s", msg ? msg : "(null)");
	free(msg);
	char *row = pt_text(s, "SELECT status FROM source_builds WHERE source_id = %lld AND build_id_from_source = '1999'",
			    (long long)id);
	cr_assert_str_eq(row, "pending");
	free(row);
	cr_assert_gt(fx_count(&srv, NULL, "faults"), 1, "the client retried the 502s");
	cr_assert_eq(pt_int(s, "SELECT state = 'dead' FROM jobs WHERE kind = 'validate_repo' AND payload LIKE '%%acme/widget%%'"), 1,
		     "the repository's job ran out of attempts");

	/* The API recovers: validating again looks up only the pending row and ends with the full counts. */
	cr_assert_eq(fx_config(&srv, "{\"faults\": []}"), 0);
	fx_reset(&srv);
	validate(s, db_url, id);
	assert_stats(stats_of(s, id), 30, 17, 4, 6, 2, 1);
	status = status_of(id);
	cr_assert_str_eq(status, "completed");
	free(status);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM raw_build_runs"), 23);
	cr_assert_leq(fx_count(&srv, NULL, "requests"), 3, "only acme/widget and its one pending build were asked for");
	free(csv);
}

Test(validation, bursts_of_server_errors_are_absorbed_by_retries)
{
	write_basic_world();
	start_server("{\"faults\": [{\"path\": \"/repos/acme/widget$\", \"status\": 503, \"times\": 2},"
		     " {\"path\": \"/actions/runs\", \"status\": 502, \"times\": 3, \"skip\": 1}]}");
	char *csv = basic_csv("gh");
	int64_t id = import(s, csv, NULL, NULL);
	validate(s, db_url, id);
	assert_stats(stats_of(s, id), 30, 17, 4, 6, 2, 1);
	cr_assert_eq(fx_count(&srv, NULL, "faults"), 5);
	free(csv);
}

Test(validation, an_exhausted_rate_limit_is_waited_for_and_the_counts_are_the_same)
{
	write_basic_world();
	start_server("{\"default_limit\": 4, \"reset_in\": 1}");
	char *csv = basic_csv("gh");
	int64_t id = import(s, csv, NULL, NULL);
	validate(s, db_url, id);
	assert_stats(stats_of(s, id), 30, 17, 4, 6, 2, 1);
	/* More successful answers than one window allows: the client waited for a reset. */
	cr_assert_gt(fx_count(&srv, "by_status", "200") + fx_count(&srv, "by_status", "404"), 4);
	/* ... and said so in the source's progress. */
	char *progress = pt_text(s, "SELECT progress FROM build_sources WHERE id = %lld", (long long)id);
	cr_assert(progress && strstr(progress, "rate limit"), "progress: %s", progress ? progress : "(null)");
	free(progress);
	free(csv);
}

/* ---- a worker killed half-way ---- */

/* 6 repositories x 8 runs (6 usable, 1 bot, 1 cancelled), 1 job each; the CSV adds one unknown run per repository. */
static char *write_wide_world(void)
{
	struct archive a;
	ar_open(&a, arch);
	struct buf b = BUF_INIT;
	buf_addstr(&b, "build_id,repo_name\n");
	for (int r = 1; r <= 6; r++) {
		char name[32];
		snprintf(name, sizeof(name), "org/repo%d", r);
		ar_repo(&a, name, 100 + r, "Go");
		for (int i = 1; i <= 8; i++) {
			struct ar_run run = { .id = r * 1000 + i, .repo = name, .conclusion = i % 2 ? "success" : "failure",
					      .day = i, .njobs = 1 };
			if (i == 7)
				run.login = "dependabot[bot]";
			if (i == 8)
				run.conclusion = "cancelled";
			ar_run(&a, &run);
			buf_addf(&b, "%d,%s\n", r * 1000 + i, name);
		}
		buf_addf(&b, "%d,%s\n", r * 1000 + 99, name);
	}
	ar_close(&a);
	char *csv = pt_write(tmp, "wide.csv", buf_cstr(&b), 0);
	buf_release(&b);
	return csv;
}

Test(validation, a_validation_whose_worker_is_killed_resumes_to_the_same_stats)
{
	char *csv = write_wide_world();
	/* Slow answers so that the kill lands in the middle of a repository. */
	start_server("{\"latency_ms\": 80}");
	int64_t id = import(s, csv, NULL, NULL);
	struct err e = ERR_INIT;
	cr_assert_eq(source_validate_start(s, id, &e), 0, "%s", e.msg);

	pid_t pid = pt_spawn_worker(db_url, data, "validation");
	/*
	 * Wait until a repository is decided and the next one is being looked up,
	 * then kill. The worker is frozen while the state is read, so the kill
	 * lands in the state read.
	 */
	int64_t decided = 0, running = 0;
	int alive = 1;
	while ((alive = pt_freeze_worker(pid) == 0)) {
		decided = pt_int(s, "SELECT COUNT(*) FROM source_builds WHERE source_id = %lld AND status <> 'pending'",
				 (long long)id);
		running = pt_int(s, "SELECT COUNT(*) FROM jobs WHERE kind = 'validate_repo' AND state = 'running'");
		if (decided >= 9 && running == 1)
			break;
		pt_thaw_worker(pid);
		usleep(10000); /* the polling period; the state is read frozen, not timed */
	}
	cr_assert(alive, "the child worker exited before it was seen half-way (decided %lld, running %lld)",
		  (long long)decided, (long long)running);
	pt_kill_worker(pid);
	cr_assert_lt(decided, 54, "the child finished before it was killed");
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM jobs WHERE kind = 'validate_repo' AND state = 'running'"), 1,
		     "the killed worker's job stays claimed until its lease expires");
	char *st = status_of(id);
	cr_assert_str_eq(st, "in_progress");
	free(st);

	/* A new worker takes over once the lease expires and finishes. */
	cr_assert_eq(fx_config(&srv, "{\"latency_ms\": 0}"), 0);
	pt_drain(db_url, data, "validation", 2, NULL);
	struct stats after = stats_of(s, id);
	assert_stats(after, 54, 36, 6, 12, 0, 0);
	st = status_of(id);
	cr_assert_str_eq(st, "completed");
	free(st);
	cr_assert_eq(pt_int(s, "SELECT MAX(attempts) FROM jobs WHERE kind = 'validate_repo'"), 2,
		     "the interrupted repository was validated again");
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM jobs WHERE kind = 'validate_repo' AND state = 'succeeded'"), 6);

	/* The same source validated without interruption, in a fresh database. */
	char *url2 = NULL;
	struct store *s2 = pt_open(&url2);
	int64_t id2 = import(s2, csv, NULL, NULL);
	validate(s2, url2, id2);
	struct stats clean = stats_of(s2, id2);
	cr_assert_eq(memcmp(&after, &clean, sizeof(after)), 0, "interrupted and uninterrupted stats differ");
	static const char *const counts[] = { "SELECT COUNT(*) FROM raw_build_runs", "SELECT COUNT(*) FROM raw_build_jobs",
					      "SELECT COUNT(*) FROM raw_repositories",
					      "SELECT COUNT(*) FROM raw_build_runs WHERE is_bot = 1",
					      "SELECT COUNT(*) FROM source_builds WHERE raw_run_id IS NOT NULL" };
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		cr_assert_eq(pt_int(s, "%s", counts[i]), pt_int(s2, "%s", counts[i]), "%s differs", counts[i]);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM raw_build_runs"), 48);
	store_close(s2);
	free(url2);
	free(csv);
}
