/* CIMINER_TEST_BOTH_DRIVERS
 * Pull-request data through the pipeline (issue 6), on SQLite and
 * PostgreSQL: a scenario of pr_* features is ingested (PRs fetched from the
 * fixture server speaking the GitHub API, or read from a local archive) and
 * processed, and the stored vectors are compared with values computed by
 * hand from the world below.
 *
 * acme/widget, commits c0..c4 on main. Runs (started at 10:MM the next day
 * of their `day`, MM = id % 60 + 1, see archive.h):
 *   1001 push            c0  started 2023-03-02T10:42Z
 *   1002 PR 5            c1  started 2023-03-03T10:43Z
 *   1003 PR 5            c2  started 2023-03-05T10:44Z
 *   1004 PR 6            c3  started 2023-03-06T10:45Z  (PR 6 does not exist: 404)
 *   1005 PR 5            c4  started 2023-03-07T10:46Z
 * PR 5 opened 2023-03-01T08:00Z; its comments (I issue, R review, C commit):
 *   I 03-02T09:00  I 03-03T10:43 (exactly 1002's start)  I 03-04T12:00
 *   I 03-06T12:00  I 03-08T00:00 (after every build)
 *   R 03-03T09:00  R 03-05T10:00 (drafted in review 52, submitted 03-05T12:00: after 1003 started)
 *   R 03-05T11:00  R 03-02T10:00 (in review 53, still pending: never counted)
 *   C 02-28T12:00 on c1 (before the PR was opened)
 *   C 03-02T12:00 on c1  C 03-07T10:45 on c4  C 03-09T00:00 on c2
 * Each build counts comments in [start of the PR's previous build, or the PR's opening, its own start):
 *   1002: [03-01T08:00, 03-03T10:43)  I 1  R 1  C 1   age 2 d 2 h 43 min
 *   1003: [03-03T10:43, 03-05T10:44)  I 2  R 0  C 0   age 4 d 2 h 44 min
 *   1005: [03-05T10:44, 03-07T10:46)  I 1  R 2  C 1   age 6 d 2 h 46 min
 * (the comment at 03-08 is never counted: it was made after every build started).
 * Travis builds of the same world take their PRs from the GitHub API when it
 * is configured, and skip them otherwise.
 *
 * PR 5's head is c4. Fork PR builds: a test empties some runs' pull_requests
 * (GitHub does so for a PR from a fork) and may add run 1006, a second
 * build of c4 started 2023-03-08T10:47Z; the GitHub provider asks
 * commits/{sha}/pulls for each distinct commit of such builds.
 */
#include "ptest.h"
#include "archive.h"
#include "../git/repo_builder.h"
#include "../fixture-server/fxserver.h"
#include "core/buf.h"
#include "core/fs.h"
#include "core/json.h"
#include "pipeline/pull_requests.h"
#include "pipeline/scenario.h"
#include "pipeline/scenario_config.h"
#include "pipeline/source.h"
#include "dataset/split.h"
#include "ci/provider.h"
#include "store/scenarios.h"
#include <math.h>

static struct store *s;
static char *db_url, *tmp, *arch, *data, *gitdir;
static struct fx_server srv;
static git_oid c[5];

static void setup(void)
{
	pt_env_setup("pr-data", &s, &db_url, &tmp, &arch, &data, &gitdir);
}

static void teardown(void)
{
	fx_stop(&srv);
	pt_env_teardown(s, db_url, tmp, arch, data, gitdir);
}

TestSuite(pr_data, .init = setup, .fini = teardown, .timeout = 120);

static void make_repo(void)
{
	static const struct rb_person dev = { "Dev Eloper", "dev@example.org" };
	char *path = xasprintf("%s/acme/widget.git", gitdir);
	git_repository *w = rb_init(path, 1);
	cr_assert_eq(git_repository_set_head(w, "refs/heads/main"), 0);
	for (int i = 0; i < 5; i++) {
		char file[32], body[64];
		snprintf(file, sizeof(file), "src/f%d.c", i);
		snprintf(body, sizeof(body), "int f%d(void) { return %d; }\n", i, i);
		struct rb_file f = { file, body, 0 };
		c[i] = rb_commit(w, "refs/heads/main", i ? &c[i - 1] : NULL, &f, 1, dev, 1677600000 + i * 3600);
	}
	git_repository_free(w);
	free(path);
}

static json_t *comment(int id, const char *at, const git_oid *commit)
{
	json_t *j = json_pack("{s:i, s:{s:s}, s:s, s:s}", "id", id, "user", "login", "reviewer", "created_at", at, "body",
			      "looks good");
	if (commit) {
		char hex[41];
		json_object_set_new(j, "commit_id", json_string(git_oid_tostr(hex, sizeof(hex), commit)));
	}
	return j;
}

/* When PR 5 was opened (a test moves it after build 1002). */
static const char *pr_opened = "2023-03-01T08:00:00Z";

/* Runs 1001 .. 1000 + n_runs (a test adds 1006, a second build of c4). */
static int n_runs = 5;

static void write_world(int with_pulls)
{
	char hex[41];
	struct archive a;
	ar_open(&a, arch);
	ar_repo(&a, "acme/widget", 11, "C");
	static const int days[] = { 1, 2, 4, 5, 6, 7 }, prs[] = { 0, 5, 5, 6, 5, 5 }, commit_of[] = { 0, 1, 2, 3, 4, 4 };
	for (int i = 0; i < n_runs; i++) {
		struct ar_run r = { .id = 1001 + i, .repo = "acme/widget", .conclusion = "success", .day = days[i],
				    .njobs = 1, .pr = prs[i], .sha = git_oid_tostr(hex, sizeof(hex), &c[commit_of[i]]) };
		ar_run(&a, &r);
		ar_log(&a, r.id * 100 + 1, "test_one ... ok\n", 0);
	}
	ar_close(&a);
	if (!with_pulls)
		return;
	json_t *pr = json_pack("{s:i, s:s, s:s, s:s, s:{s:s}, s:{s:s}}", "number", 5, "state", "open", "created_at",
			       pr_opened, "body", "make the widget faster", "user", "login", "alice",
			       "repository", "full_name", "acme/widget");
	json_object_set_new(pr, "head", json_pack("{s:s, s:s}", "sha", git_oid_tostr(hex, sizeof(hex), &c[4]), "ref", "feature"));
	json_object_set_new(pr, "issue_comments",
			    json_pack("[o, o, o, o, o]", comment(11, "2023-03-02T09:00:00Z", NULL),
				      comment(12, "2023-03-03T10:43:00Z", NULL), comment(13, "2023-03-04T12:00:00Z", NULL),
				      comment(14, "2023-03-06T12:00:00Z", NULL), comment(15, "2023-03-08T00:00:00Z", NULL)));
	json_t *drafted = comment(22, "2023-03-05T10:00:00Z", &c[2]), *pending = comment(24, "2023-03-02T10:00:00Z", &c[1]);
	json_object_set_new(drafted, "pull_request_review_id", json_integer(52));
	json_object_set_new(pending, "pull_request_review_id", json_integer(53));
	json_object_set_new(pr, "review_comments",
			    json_pack("[o, o, o, o]", comment(21, "2023-03-03T09:00:00Z", &c[1]), drafted,
				      comment(23, "2023-03-05T11:00:00Z", &c[2]), pending));
	json_object_set_new(pr, "reviews", json_pack("[{s:i, s:s, s:s}, {s:i, s:s}]", "id", 52, "state", "COMMENTED",
						     "submitted_at", "2023-03-05T12:00:00Z", "id", 53, "state", "PENDING"));
	json_object_set_new(pr, "commit_comments",
			    json_pack("[o, o, o, o]", comment(34, "2023-02-28T12:00:00Z", &c[1]),
				      comment(31, "2023-03-02T12:00:00Z", &c[1]), comment(32, "2023-03-07T10:45:00Z", &c[4]),
				      comment(33, "2023-03-09T00:00:00Z", &c[2])));
	char *line = json_dumps(pr, JSON_COMPACT), *text = xasprintf("%s\n", line);
	free(pt_write(arch, "pulls.jsonl", text, 0));
	free(line);
	free(text);
	json_decref(pr);
}

/* Imports and validates the runs; provider github_actions (through srv) or local. */
static void fill_warehouse(const char *provider)
{
	struct buf b = BUF_INIT;
	buf_addstr(&b, "build_id,repo_name\n");
	for (int i = 1001; i <= 1000 + n_runs; i++)
		buf_addf(&b, "%d,acme/widget\n", i);
	char *csv = pt_write(tmp, "builds.csv", buf_cstr(&b), 0);
	buf_release(&b);
	struct source_import_opts o = { .path = csv, .provider = provider,
					.archive_dir = strcmp(provider, CI_LOCAL) ? NULL : arch };
	struct source_import_result r;
	struct err e = ERR_INIT;
	cr_assert_eq(source_import(s, &o, &r, &e), 0, "%s", e.msg);
	cr_assert_eq(source_validate_start(s, r.source_id, &e), 0, "%s", e.msg);
	pt_drain(db_url, data, "validation", 2, NULL);
	cr_assert_eq(pt_int(s, "SELECT stat_found FROM build_sources WHERE id = %lld", (long long)r.source_id), n_runs);
	free(csv);
}

/* A new scenario of the pr_* features over every build; returns its id. */
static int64_t create_scenario(void)
{
	/* pr_* includes pr_description_words (post-build): opted in. */
	json_t *doc = json_loads("{\"name\": \"pr data\", \"feature_config\": {\"dag_features\": [\"pr_*\"],"
				 " \"allow_post_build\": true}}",
				 0, NULL);
	struct err e = ERR_INIT;
	cr_assert_eq(scenario_config_validate(doc, scenario_features_check, &e), 0, "%s", e.msg);
	int64_t id = 0;
	cr_assert_eq(scenarios_create(s, doc, &id, &e), 0, "%s", e.msg);
	json_decref(doc);
	return id;
}

/* Starts the scenario's processing and runs its jobs until none is left. */
static void process(int64_t id)
{
	struct err e = ERR_INIT;
	cr_assert_eq(scenario_process_start(s, id, &e), 0, "%s", e.msg);
	pt_drain(db_url, data, "processing", 2, NULL);
}

/* A scenario of the pr_* features over every build, ingested and processed. */
static int64_t run_scenario(void)
{
	int64_t id = create_scenario();
	pt_ingest(s, db_url, data, id);
	process(id);
	return id;
}

static char *ingestion_field(int64_t id, int run, const char *col)
{
	return pt_text(s,
		       "SELECT b.%s FROM training_ingestion_builds b JOIN raw_build_runs r ON r.id = b.raw_run_id"
		       " WHERE b.scenario_id = %lld AND r.ci_run_id = '%d'",
		       col, (long long)id, run);
}

/* The stored vector of a run: {"status", "features", "missing_resources"} (caller decrefs). */
static json_t *vector(int64_t id, int run)
{
	char *st = pt_text(s, "SELECT v.status FROM feature_vectors v JOIN raw_build_runs r ON r.id = v.raw_run_id"
			      " WHERE v.scenario_id = %lld AND r.ci_run_id = '%d'", (long long)id, run);
	char *fv = pt_text(s, "SELECT v.feature_values FROM feature_vectors v JOIN raw_build_runs r ON r.id = v.raw_run_id"
			      " WHERE v.scenario_id = %lld AND r.ci_run_id = '%d'", (long long)id, run);
	char *mr = pt_text(s, "SELECT v.missing_resources FROM feature_vectors v JOIN raw_build_runs r ON r.id = v.raw_run_id"
			      " WHERE v.scenario_id = %lld AND r.ci_run_id = '%d'", (long long)id, run);
	json_t *j = json_pack("{s:s, s:o, s:o}", "status", st, "features", json_loads(fv, 0, NULL), "missing_resources",
			      json_loads(mr, 0, NULL));
	cr_assert_not_null(j, "run %d: no vector", run);
	free(st);
	free(fv);
	free(mr);
	return j;
}

struct want {
	int run;
	int issue, review, commit;
	double age_days;
};

static void assert_counts(int64_t id, const struct want *w)
{
	json_t *v = vector(id, w->run);
	json_t *f = json_object_get(v, "features");
	char *dump = json_dumps(v, JSON_COMPACT);
	cr_assert_str_eq(core_json_str(v, "status", ""), "completed", "run %d: %s", w->run, dump);
	cr_assert_eq(core_json_int(f, "pr_number", 0), 5, "run %d: %s", w->run, dump);
	cr_assert_eq(core_json_int(f, "pr_issue_comments", -1), w->issue, "run %d: %s", w->run, dump);
	cr_assert_eq(core_json_int(f, "pr_review_comments", -1), w->review, "run %d: %s", w->run, dump);
	cr_assert_eq(core_json_int(f, "pr_commit_comments", -1), w->commit, "run %d: %s", w->run, dump);
	cr_assert(fabs(core_json_real(f, "pr_age_days", -1) - w->age_days) < 1e-9, "run %d: age %.12f, want %.12f", w->run,
		  core_json_real(f, "pr_age_days", -1), w->age_days);
	cr_assert_eq(core_json_int(f, "pr_description_words", -1), 4, "run %d: %s", w->run, dump);
	free(dump);
	json_decref(v);
}

static int64_t T(const char *iso)
{
	int64_t t;
	struct err e = ERR_INIT;
	cr_assert_eq(utc_parse(&t, iso, &e), 0, "%s", iso);
	return t;
}

static double days(int d, int h, int m)
{
	return d + (h * 60 + m) / 1440.0;
}

Test(pr_data, pr_features_count_only_comments_in_the_window_before_each_build)
{
	make_repo();
	write_world(1);
	const char *args[] = { "--world", arch, NULL };
	if (fx_start(&srv, args))
		cr_skip_test("the fixture server could not start (needs /usr/bin/python3)");
	setenv("CIMINER_GITHUB_API_URL", srv.url, 1);
	fill_warehouse(CI_GITHUB);
	int64_t id = run_scenario();

	/* Ingestion: PR 5 stored once with its 12 visible comments (not the pending review's); PR 6 does not exist. */
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM raw_pull_requests"), 1);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM raw_pr_comments"), 12);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM raw_pr_comments WHERE kind = 'commit'"), 4);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM raw_pr_comments WHERE comment_id = '24'"), 0, "pending review");
	cr_assert_eq(pt_int(s, "SELECT created_at FROM raw_pr_comments WHERE comment_id = '22'"), T("2023-03-05T12:00:00Z"),
		     "a review comment is visible from its review's submission");
	cr_assert_eq(fx_count(&srv, "by_endpoint", "GET /repos/{owner}/{repo}/pulls/{pull_number}"), 2,
		     "each PR is asked for once, however many builds it has");
	for (int run = 1001; run <= 1005; run++) {
		char *st = ingestion_field(id, run, "status"), *rs = ingestion_field(id, run, "resource_status");
		json_t *j = json_loads(rs, 0, NULL);
		const char *pr = core_json_str(core_json_path(j, "pull_request"), "status", NULL);
		if (run == 1001) {
			cr_assert_str_eq(st, "ingested");
			cr_assert_null(pr, "a push build has no pull_request resource: %s", rs);
		} else if (run == 1004) {
			cr_assert_str_eq(st, "missing_resource", "%s", rs);
			cr_assert_str_eq(pr, "missing", "%s", rs);
			char *msg = ingestion_field(id, run, "error_message");
			cr_assert(msg && strstr(msg, "#6"), "%s", msg ? msg : "(null)");
			free(msg);
		} else {
			cr_assert_str_eq(st, "ingested", "run %d: %s", run, rs);
			cr_assert_str_eq(pr, "ok", "run %d: %s", run, rs);
		}
		json_decref(j);
		free(st);
		free(rs);
	}

	/* Processing: the hand-computed windows. */
	const struct want wants[] = {
		{ 1002, 1, 1, 1, days(2, 2, 43) },
		{ 1003, 2, 0, 0, days(4, 2, 44) },
		{ 1005, 1, 2, 1, days(6, 2, 46) },
	};
	for (size_t i = 0; i < 3; i++)
		assert_counts(id, &wants[i]);
	/* The push build: complete, pr_* null. */
	json_t *v = vector(id, 1001);
	cr_assert_str_eq(core_json_str(v, "status", ""), "completed");
	cr_assert(json_is_null(core_json_path(v, "features.pr_issue_comments")));
	cr_assert_eq(json_is_true(core_json_path(v, "features.pr_is_triggered")), 0);
	json_decref(v);
	/* The build of the missing PR is missing_resource: Phase 2 takes ingested builds only, so it has no vector. */
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM training_enrichment_builds b JOIN raw_build_runs r ON r.id = b.raw_run_id"
			       " WHERE b.scenario_id = %lld AND r.ci_run_id = '1004'", (long long)id), 0);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM feature_vectors v JOIN raw_build_runs r ON r.id = v.raw_run_id"
			       " WHERE v.scenario_id = %lld AND r.ci_run_id = '1004'", (long long)id), 0);

	/* A second scenario asks the provider for nothing stored after its builds started: only PR 6 again. */
	fx_reset(&srv);
	int64_t id2 = run_scenario();
	cr_assert_eq(fx_count(&srv, "by_endpoint", "GET /repos/{owner}/{repo}/pulls/{pull_number}"), 1);
	assert_counts(id2, &wants[2]);

	/* As if PR 5 had been fetched on 03-06, before build 1005 started and before comments 14 and 32 were made:
	 * a third scenario fetches it again, and 1005 counts them. */
	pt_exec(s, "UPDATE raw_pull_requests SET fetched_at = %lld WHERE number = 5", (long long)T("2023-03-06T00:00:00Z"));
	pt_exec(s, "DELETE FROM raw_pr_comments WHERE comment_id IN ('14', '32')");
	fx_reset(&srv);
	int64_t id3 = run_scenario();
	cr_assert_eq(fx_count(&srv, "by_endpoint", "GET /repos/{owner}/{repo}/pulls/{pull_number}"), 2,
		     "PR 5 is fetched again: a build of it started after the stored copy was fetched");
	assert_counts(id3, &wants[2]);
	cr_assert_gt(pt_int(s, "SELECT fetched_at FROM raw_pull_requests WHERE number = 5"), T("2023-03-08T00:00:00Z"));
}

Test(pr_data, a_local_archive_without_pulls_skips_pr_data_with_partial_vectors)
{
	make_repo();
	write_world(0);
	fill_warehouse(CI_LOCAL);
	int64_t id = run_scenario();
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM raw_pull_requests"), 0);
	char *st = ingestion_field(id, 1003, "status"), *rs = ingestion_field(id, 1003, "resource_status");
	cr_assert_str_eq(st, "ingested", "no PR source is not a missing resource: %s", rs);
	json_t *res = json_loads(rs, 0, NULL);
	cr_assert_str_eq(core_json_str(core_json_path(res, "pull_request"), "status", "?"), "skipped", "%s", rs);
	cr_assert(strstr(core_json_str(core_json_path(res, "pull_request"), "error", ""), "pulls.jsonl"), "%s", rs);
	json_decref(res);
	json_t *v = vector(id, 1003);
	char *dump = json_dumps(v, JSON_COMPACT);
	cr_assert_str_eq(core_json_str(v, "status", ""), "partial", "%s", dump);
	cr_assert(json_is_null(core_json_path(v, "features.pr_review_comments")), "%s", dump);
	cr_assert(strstr(dump, "\"pull_request\""), "%s", dump);
	free(dump);
	json_decref(v);
	free(st);
	free(rs);
}

Test(pr_data, a_local_archive_with_pulls_gives_the_same_counts)
{
	make_repo();
	write_world(1);
	fill_warehouse(CI_LOCAL);
	int64_t id = run_scenario();
	const struct want w = { 1003, 2, 0, 0, days(4, 2, 44) };
	assert_counts(id, &w);
	char *st = ingestion_field(id, 1004, "status");
	cr_assert_str_eq(st, "missing_resource");
	free(st);
}

/* The fixture server serving the world as GitHub and Travis; github: also point the GitHub API at it. */
static void start_travis(int github)
{
	const char *args[] = { "--world", arch, NULL };
	if (fx_start(&srv, args))
		cr_skip_test("the fixture server could not start (needs /usr/bin/python3)");
	char url[128];
	snprintf(url, sizeof(url), "%s/travis", srv.url);
	setenv("CIMINER_TRAVIS_API_URL", url, 1);
	if (github)
		setenv("CIMINER_GITHUB_API_URL", srv.url, 1);
}

Test(pr_data, travis_builds_take_their_prs_from_github)
{
	make_repo();
	write_world(1);
	start_travis(1);
	fill_warehouse(CI_TRAVIS);
	int64_t id = run_scenario();
	char *rs = ingestion_field(id, 1003, "resource_status");
	json_t *res = json_loads(rs, 0, NULL);
	cr_assert_str_eq(core_json_str(core_json_path(res, "pull_request"), "status", "?"), "ok", "%s", rs);
	json_decref(res);
	free(rs);
	char *st = ingestion_field(id, 1004, "status");
	cr_assert_str_eq(st, "missing_resource");
	free(st);
	const struct want w = { 1003, 2, 0, 0, days(4, 2, 44) };
	assert_counts(id, &w);
	cr_assert_eq(fx_count(&srv, "by_endpoint", "GET /repos/{owner}/{repo}/pulls/{pull_number}"), 2);
}

Test(pr_data, travis_builds_skip_prs_when_no_github_api_is_configured)
{
	make_repo();
	write_world(1);
	start_travis(0);
	fill_warehouse(CI_TRAVIS);
	int64_t id = run_scenario();
	char *st = ingestion_field(id, 1004, "status"), *rs = ingestion_field(id, 1004, "resource_status");
	cr_assert_str_eq(st, "ingested", "%s", rs);
	json_t *res = json_loads(rs, 0, NULL);
	cr_assert_str_eq(core_json_str(core_json_path(res, "pull_request"), "status", "?"), "skipped", "%s", rs);
	cr_assert(strstr(core_json_str(core_json_path(res, "pull_request"), "error", ""), "CIMINER_GITHUB_TOKENS"), "%s", rs);
	json_decref(res);
	cr_assert_eq(fx_count(&srv, "by_endpoint", "GET /repos/{owner}/{repo}/pulls/{pull_number}"), 0);
	json_t *v = vector(id, 1003);
	cr_assert_str_eq(core_json_str(v, "status", ""), "partial");
	json_decref(v);
	free(st);
	free(rs);
}

Test(pr_data, a_build_that_started_before_its_pr_was_opened_knows_nothing_of_it)
{
	/* PR 5 opened after build 1002 started (GitHub had tied the run to the PR later). */
	pr_opened = "2023-03-04T00:00:00Z";
	make_repo();
	write_world(1);
	fill_warehouse(CI_LOCAL);
	int64_t id = run_scenario();
	json_t *v = vector(id, 1002);
	char *dump = json_dumps(v, JSON_COMPACT);
	cr_assert_eq(core_json_int(core_json_path(v, "features"), "pr_number", 0), 5, "%s", dump);
	cr_assert(json_is_true(core_json_path(v, "features.pr_is_triggered")), "%s", dump);
	static const char *const unknown[] = { "pr_created_at", "pr_age_days", "pr_issue_comments", "pr_review_comments",
					       "pr_commit_comments", "pr_description_words" };
	for (size_t i = 0; i < 6; i++) {
		char path[64];
		snprintf(path, sizeof(path), "features.%s", unknown[i]);
		cr_assert(json_is_null(core_json_path(v, path)), "%s must be null: %s", unknown[i], dump);
	}
	free(dump);
	json_decref(v);
	/* 1003, the first build after the opening: its window starts at the opening, not at 1002's start, so
	 * I 03-03T10:43 and R 03-03T09:00 (before the opening) are not counted; I 03-04T12:00 is. */
	const struct want w = { 1003, 1, 0, 0, days(1, 10, 44) };
	assert_counts(id, &w);
	pr_opened = "2023-03-01T08:00:00Z";
}

/* Empties the pull_requests of the given runs, as GitHub does for the runs of a PR from a fork. */
static void unname_prs(const int *runs, size_t n)
{
	char *path = xasprintf("%s/runs.jsonl", arch);
	struct buf in = BUF_INIT, out = BUF_INIT;
	struct err e = ERR_INIT;
	cr_assert_eq(fs_read_file(path, &in, 1 << 24, &e), 0, "%s", e.msg);
	for (char *line = strtok(in.data, "\n"); line; line = strtok(NULL, "\n")) {
		json_t *r = json_loads(line, 0, NULL);
		for (size_t i = 0; i < n; i++)
			if (core_json_int(r, "id", 0) == runs[i])
				json_object_set_new(r, "pull_requests", json_array());
		char *d = json_dumps(r, JSON_COMPACT);
		buf_addf(&out, "%s\n", d);
		free(d);
		json_decref(r);
	}
	cr_assert_eq(fs_write_atomic(path, buf_cstr(&out), out.len, &e), 0, "%s", e.msg);
	buf_release(&out);
	buf_release(&in);
	free(path);
}

/* The pull_request resource of a run's ingestion: {"status", "number", "error"} (caller decrefs). */
static json_t *pr_resource(int64_t id, int run)
{
	char *rs = ingestion_field(id, run, "resource_status");
	json_t *j = json_loads(rs, 0, NULL), *pr = json_incref(json_object_get(j, "pull_request"));
	cr_assert_not_null(pr, "run %d has no pull_request resource: %s", run, rs);
	json_decref(j);
	free(rs);
	return pr;
}

static char *pr_numbers(int run)
{
	return pt_text(s, "SELECT pr_numbers FROM raw_build_runs WHERE ci_run_id = '%d'", run);
}

#define COMMIT_PULLS "GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls"

static void start_github(void)
{
	const char *args[] = { "--world", arch, NULL };
	if (fx_start(&srv, args))
		cr_skip_test("the fixture server could not start (needs /usr/bin/python3)");
	setenv("CIMINER_GITHUB_API_URL", srv.url, 1);
}

/* Six runs served as GitHub, whose 1004 (c3, the head of no PR), 1005 and 1006 (c4, PR 5's head) name no PR
 * (fork PRs), validated into the warehouse. */
static void fork_world(void)
{
	static const int forks[] = { 1004, 1005, 1006 };
	n_runs = 6;
	make_repo();
	write_world(1);
	unname_prs(forks, 3);
	start_github();
	fill_warehouse(CI_GITHUB);
}

Test(pr_data, a_fork_pr_build_gets_the_pr_its_commit_heads)
{
	fork_world();
	int64_t id = run_scenario();

	cr_assert_eq(fx_count(&srv, "by_endpoint", COMMIT_PULLS), 2, "one look-up per distinct commit (c3, c4)");
	cr_assert_eq(fx_count(&srv, "by_endpoint", "GET /repos/{owner}/{repo}/pulls/{pull_number}"), 1, "PR 5 only");
	for (int run = 1005; run <= 1006; run++) {
		char *prs = pr_numbers(run), *st = ingestion_field(id, run, "status");
		cr_assert_str_eq(prs, "[5]", "run %d: the number found is stored with the run", run);
		json_t *pr = pr_resource(id, run);
		cr_assert_str_eq(st, "ingested", "run %d", run);
		cr_assert_str_eq(core_json_str(pr, "status", "?"), "ok", "run %d", run);
		cr_assert_eq(core_json_int(pr, "number", 0), 5, "run %d", run);
		json_decref(pr);
		free(prs);
		free(st);
	}
	/* 1005's window starts at 1003's start, as when its run named PR 5. 1006's starts at 1005's start, which
	 * processing knows to be a build of PR 5 only through the stored number: [03-07T10:46, 03-08T10:47) holds
	 * I 03-08T00:00 alone (from 1003's start it would be I 2, R 2, C 1). */
	const struct want wants[] = { { 1005, 1, 2, 1, days(6, 2, 46) }, { 1006, 1, 0, 0, days(7, 2, 47) } };
	assert_counts(id, &wants[0]);
	assert_counts(id, &wants[1]);

	/* c3 heads no PR: skipped with the reason, pr_* null. */
	char hex[41], *prs = pr_numbers(1004), *st = ingestion_field(id, 1004, "status");
	cr_assert_str_eq(prs, "[]");
	cr_assert_str_eq(st, "ingested");
	json_t *pr = pr_resource(id, 1004);
	char *why = xasprintf("no pull request names commit %s", git_oid_tostr(hex, sizeof(hex), &c[3]));
	cr_assert_str_eq(core_json_str(pr, "status", "?"), "skipped");
	cr_assert_str_eq(core_json_str(pr, "error", "?"), why);
	json_t *v = vector(id, 1004);
	char *dump = json_dumps(v, JSON_COMPACT);
	cr_assert_str_eq(core_json_str(v, "status", ""), "partial", "%s", dump);
	cr_assert(json_is_true(core_json_path(v, "features.pr_is_triggered")), "%s", dump);
	cr_assert(json_is_null(core_json_path(v, "features.pr_issue_comments")), "%s", dump);
	free(dump);
	json_decref(v);
	json_decref(pr);
	free(why);
	free(prs);
	free(st);

	/* A second scenario reads the stored numbers: only c3 is asked for again. */
	fx_reset(&srv);
	int64_t id2 = run_scenario();
	cr_assert_eq(fx_count(&srv, "by_endpoint", COMMIT_PULLS), 1);
	assert_counts(id2, &wants[1]);
	n_runs = 5;
}

Test(pr_data, a_pull_request_target_build_without_a_number_is_not_looked_up)
{
	/* pull_request_target runs carry the base branch's commit: asking which PR it heads would name
	 * the merged PR that brought it, not the PR of the build. */
	fork_world();
	pt_exec(s, "UPDATE raw_build_runs SET event = 'pull_request_target' WHERE ci_run_id = '1004'");
	int64_t id = run_scenario();
	cr_assert_eq(fx_count(&srv, "by_endpoint", COMMIT_PULLS), 1, "c4 only: 1004's commit is not asked about");
	char *prs = pr_numbers(1004);
	cr_assert_str_eq(prs, "[]");
	json_t *pr = pr_resource(id, 1004);
	cr_assert_str_eq(core_json_str(pr, "status", "?"), "skipped");
	cr_assert_str_eq(core_json_str(pr, "error", "?"), PR_TARGET_SKIPPED);
	json_decref(pr);
	free(prs);
	n_runs = 5;
}

Test(pr_data, a_pr_opened_after_a_fork_build_started_is_not_its_pr)
{
	make_repo();
	write_world(1);
	/* PR 7, opened on 03-06 with c2 as its head; c2 was built by 1003 (named no PR) on 03-05. */
	char hex[41];
	json_t *late = json_pack("{s:i, s:s, s:s, s:s, s:{s:s}, s:{s:s}, s:{s:s, s:s}}", "number", 7, "state", "open",
				 "created_at", "2023-03-06T00:00:00Z", "body", "again", "user", "login", "bob", "repository",
				 "full_name", "acme/widget", "head", "sha", git_oid_tostr(hex, sizeof(hex), &c[2]), "ref",
				 "again");
	char *line = json_dumps(late, JSON_COMPACT), *path = xasprintf("%s/pulls.jsonl", arch);
	FILE *f = fopen(path, "a");
	cr_assert_not_null(f);
	fprintf(f, "%s\n", line);
	fclose(f);
	free(path);
	free(line);
	json_decref(late);
	static const int forks[] = { 1003 };
	unname_prs(forks, 1);
	start_github();
	fill_warehouse(CI_GITHUB);
	int64_t id = run_scenario();
	cr_assert_eq(fx_count(&srv, "by_endpoint", COMMIT_PULLS), 1);
	char *prs = pr_numbers(1003);
	cr_assert_str_eq(prs, "[]", "PR 7 did not trigger a build that started before it was opened");
	free(prs);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM raw_pull_requests WHERE number = 7"), 0);
	json_t *pr = pr_resource(id, 1003);
	const char *why = core_json_str(pr, "error", "");
	cr_assert_str_eq(core_json_str(pr, "status", "?"), "skipped", "%s", why);
	cr_assert(strstr(why, "#7") && strstr(why, "after the build started"), "%s", why);
	json_decref(pr);
	/* 1005's previous build of PR 5 is then 1002: window [03-03T10:43, 03-07T10:46). */
	const struct want w = { 1005, 3, 2, 1, days(6, 2, 46) };
	assert_counts(id, &w);
}

Test(pr_data, a_failed_look_up_fails_the_fork_build_until_retried)
{
	make_repo();
	write_world(1);
	static const int forks[] = { 1005 };
	unname_prs(forks, 1);
	start_github();
	cr_assert_eq(fx_config(&srv, "{\"faults\": [{\"path\": \"/commits/[0-9a-f]+/pulls\", \"status\": 503, \"times\": -1}]}"),
		     0);
	fill_warehouse(CI_GITHUB);
	int64_t id = create_scenario();
	pt_ingest(s, db_url, data, id);
	char *st = ingestion_field(id, 1005, "status"), *msg = ingestion_field(id, 1005, "error_message"), hex[41];
	cr_assert_str_eq(st, "failed");
	cr_assert(msg && strstr(msg, git_oid_tostr(hex, sizeof(hex), &c[4])), "%s", msg ? msg : "(null)");
	free(st);
	free(msg);
	char *prs = pr_numbers(1005);
	cr_assert_str_eq(prs, "[]");
	free(prs);

	/* GitHub answers again: retry-ingestion finds PR 5. */
	cr_assert_eq(fx_config(&srv, "{\"faults\": []}"), 0);
	struct err e = ERR_INIT;
	cr_assert_eq(scenario_retry_ingestion(s, id, &e), 0, "%s", e.msg);
	pt_drain(db_url, data, "ingestion", 2, NULL);
	st = ingestion_field(id, 1005, "status");
	prs = pr_numbers(1005);
	cr_assert_str_eq(st, "ingested");
	cr_assert_str_eq(prs, "[5]");
	free(st);
	free(prs);
	process(id);
	const struct want w = { 1005, 1, 2, 1, days(6, 2, 46) };
	assert_counts(id, &w);
}

Test(pr_data, a_fork_pr_build_of_a_local_archive_is_skipped_with_a_reason)
{
	make_repo();
	write_world(1);
	/* The archive's run line names its PRs: run 1003 says pull_request but names none, and nothing is looked up. */
	static const int forks[] = { 1003 };
	unname_prs(forks, 1);
	fill_warehouse(CI_LOCAL);
	int64_t id = run_scenario();
	char *st = ingestion_field(id, 1003, "status"), *rs = ingestion_field(id, 1003, "resource_status");
	cr_assert_str_eq(st, "ingested", "%s", rs);
	json_t *res = json_loads(rs, 0, NULL);
	cr_assert_str_eq(core_json_str(core_json_path(res, "pull_request"), "status", "?"), "skipped", "%s", rs);
	cr_assert(strstr(core_json_str(core_json_path(res, "pull_request"), "error", ""), "a fork's PR"), "%s", rs);
	json_decref(res);
	free(st);
	free(rs);
	char *prs = pr_numbers(1003);
	cr_assert_str_eq(prs, "[]");
	free(prs);
	json_t *v = vector(id, 1003);
	char *dump = json_dumps(v, JSON_COMPACT);
	cr_assert(json_is_true(core_json_path(v, "features.pr_is_triggered")), "%s", dump);
	cr_assert(json_is_null(core_json_path(v, "features.pr_issue_comments")), "%s", dump);
	free(dump);
	json_decref(v);
	/* 1005's previous build of PR 5 is now 1002 (1003 names no PR): window [03-03T10:43, 03-07T10:46). */
	const struct want w = { 1005, 3, 2, 1, days(6, 2, 46) };
	assert_counts(id, &w);
}

/* --- missing vs not applicable in the dataset (issue 12) ---------------------------------------------- */

/* A scenario of the pr_* features with preprocessing_config prep, run through generation; returns its id. */
static int64_t generate_scenario(const char *prep)
{
	char *text = xasprintf("{\"name\": \"pr dataset\", \"feature_config\": {\"dag_features\": [\"pr_*\"],"
			       " \"allow_post_build\": true}, \"preprocessing_config\": %s,"
			       " \"output_config\": {\"formats\": [\"csv\"]}}",
			       prep);
	json_t *doc = json_loads(text, 0, NULL);
	cr_assert_not_null(doc, "%s", text);
	struct err e = ERR_INIT;
	cr_assert_eq(scenario_config_validate(doc, scenario_features_check, &e), 0, "%s", e.msg);
	int64_t id = 0;
	cr_assert_eq(scenarios_create(s, doc, &id, &e), 0, "%s", e.msg);
	json_decref(doc);
	free(text);
	pt_ingest(s, db_url, data, id);
	process(id);
	cr_assert_eq(scenario_generate_start(s, id, &e), 0, "%s", e.msg);
	pt_drain(db_url, data, "processing", 1, NULL);
	char *st = pt_text(s, "SELECT status FROM training_scenarios WHERE id = %lld", (long long)id);
	cr_assert_str_eq(st, "completed");
	free(st);
	return id;
}

static json_t *manifest_of(int64_t id)
{
	char *path = xasprintf("%s/datasets/%lld/manifest.json", data, (long long)id);
	json_t *m = json_load_file(path, 0, NULL);
	cr_assert_not_null(m, "%s", path);
	free(path);
	return m;
}

/* The comma-separated cells of a line, empty ones included (strvec_split skips those). */
static void csv_cells(struct strvec *out, const char *line)
{
	for (const char *p = line;;) {
		const char *end = strchr(p, ',');
		char *c = end ? xstrndup(p, (size_t)(end - p)) : xstrdup(p);
		strvec_push(out, c);
		free(c);
		if (!end)
			break;
		p = end + 1;
	}
}

/* {build_id: {column: cell text}} of the dataset's train, val and test CSV files (no quoting in this world). */
static json_t *csv_rows(int64_t id)
{
	json_t *rows = json_object();
	static const char *const parts[] = { "train", "val", "test" };
	for (int p = 0; p < 3; p++) {
		char *path = xasprintf("%s/datasets/%lld/%s.csv", data, (long long)id, parts[p]);
		struct buf b = BUF_INIT;
		struct err e = ERR_INIT;
		cr_assert_eq(fs_read_file(path, &b, 1 << 20, &e), 0, "%s", e.msg);
		struct strvec lines = STRVEC_INIT, head = STRVEC_INIT;
		char *text = xstrdup(buf_cstr(&b));
		for (char *q = text; *q; q++)
			if (*q == '\r')
				*q = ' ';
		strvec_split(&lines, text, '\n');
		for (size_t i = 0; i < lines.n; i++) {
			char *l = lines.v[i];
			size_t n = strlen(l);
			while (n && l[n - 1] == ' ')
				l[--n] = '\0';
			if (!n)
				continue;
			struct strvec cells = STRVEC_INIT;
			csv_cells(i ? &cells : &head, l);
			if (i) {
				json_t *row = json_object();
				for (size_t k = 0; k < head.n && k < cells.n; k++)
					json_object_set_new(row, head.v[k], json_string(cells.v[k]));
				json_object_set_new(rows, core_json_str(row, "build_id", "?"), row);
			}
			strvec_clear(&cells);
		}
		strvec_clear(&lines);
		strvec_clear(&head);
		free(text);
		buf_release(&b);
		free(path);
	}
	return rows;
}

static const char *cell(const json_t *rows, const char *build, const char *col)
{
	const char *v = core_json_str(json_object_get(rows, build), col, NULL);
	cr_assert_not_null(v, "build %s has no %s cell", build, col);
	return v;
}

/* The pr_* features of push build 1001 do not apply; those of fork build 1003 are missing (its PR is not looked up
 * in a local archive); 1004's PR does not exist, so it is missing_resource and never becomes a row. */
static void mixed_world(void)
{
	make_repo();
	write_world(1);
	static const int forks[] = { 1003 };
	unname_prs(forks, 1);
	fill_warehouse(CI_LOCAL);
}

Test(pr_data, drop_row_keeps_push_builds_whose_pr_features_do_not_apply_and_counts_true_drops)
{
	mixed_world();
	int64_t id = generate_scenario("{\"missing_values_strategy\": \"drop_row\", \"normalization_method\": \"none\"}");
	json_t *m = manifest_of(id);
	char *dump = json_dumps(json_object_get(m, "dropped"), JSON_COMPACT);
	cr_assert_eq(core_json_int(m, "rows_in", 0), 4, "1001, 1002, 1003, 1005");
	const json_t *dropped = json_object_get(m, "dropped");
	cr_assert_eq(json_array_size(dropped), 1, "%s", dump);
	const json_t *d = json_array_get(dropped, 0);
	cr_assert_str_eq(core_json_str(d, "reason", ""), "missing_feature", "%s", dump);
	cr_assert_eq(core_json_int(d, "count", 0), 1, "only the fork build lacks its PR data: %s", dump);
	cr_assert_eq(core_json_int(json_object_get(d, "by_feature"), "pr_issue_comments", 0), 1, "%s", dump);
	const json_t *mv = json_object_get(m, "missing_values");
	cr_assert_eq(core_json_int(mv, "rows_missing", -1), 1);
	cr_assert_eq(core_json_int(mv, "rows_not_applicable", -1), 1, "the push build");
	cr_assert_eq(core_json_int(json_object_get(mv, "by_resource"), "pull_request", 0), 1);
	const json_t *x = json_array_get(json_object_get(m, "excluded_builds"), 0);
	cr_assert_str_eq(core_json_str(x, "reason", ""), "missing_resource");
	cr_assert_eq(core_json_int(x, "count", 0), 1);
	cr_assert_eq(core_json_int(json_object_get(x, "by_resource"), "pull_request", 0), 1);
	json_int_t rows = 0;
	for (int k = 0; k < 3; k++)
		rows += core_json_int(json_object_get(json_object_get(m, "splits"), dataset_split_names[k]), "rows", 0);
	cr_assert_eq(rows, 3);
	json_t *csv = csv_rows(id);
	cr_assert_eq(json_object_size(csv), 3);
	cr_assert_null(json_object_get(csv, "1003"), "the row with missing PR data is dropped");
	cr_assert_str_eq(cell(csv, "1001", "pr_issue_comments"), "", "the push build's pr_* stays null");
	cr_assert_str_eq(cell(csv, "1001", "pr_is_triggered"), "false");
	cr_assert_str_eq(cell(csv, "1002", "pr_issue_comments"), "1");
	cr_assert_str_eq(cell(csv, "1005", "pr_review_comments"), "2");
	json_decref(csv);
	free(dump);
	json_decref(m);
}

Test(pr_data, fill_with_missing_indicators_flags_only_the_rows_whose_input_was_missing)
{
	mixed_world();
	int64_t id = generate_scenario("{\"missing_values_strategy\": \"fill\", \"fill_value\": \"median\","
				       " \"normalization_method\": \"none\", \"missing_indicators\": true}");
	json_t *m = manifest_of(id);
	cr_assert_eq(json_array_size(json_object_get(m, "dropped")), 0);
	const json_t *col = NULL, *c;
	size_t i;
	json_array_foreach(json_object_get(m, "columns"), i, c) if (!strcmp(core_json_str(c, "name", ""), "pr_issue_comments_missing")) col = c;
	cr_assert_not_null(col, "no pr_issue_comments_missing in the manifest's columns");
	cr_assert_str_eq(core_json_str(col, "role", ""), "feature");
	cr_assert_str_eq(core_json_str(col, "type", ""), "bool");
	cr_assert_str_eq(core_json_str(col, "availability", ""), "pre_build");
	int listed = 0;
	json_array_foreach(json_object_get(m, "feature_columns"), i, c) listed |= !strcmp(json_string_value(c), "pr_issue_comments_missing");
	cr_assert(listed, "the indicator is a model input");
	cr_assert_str_eq(core_json_str(json_object_get(json_object_get(m, "missing_values"), "indicators"),
				       "pr_issue_comments_missing", ""), "pr_issue_comments");
	int warned = 0;
	json_array_foreach(json_object_get(m, "warnings"), i, c) warned |= strstr(json_string_value(c), "1 of 4 rows") != NULL;
	cr_assert(warned, "no warning about the imputed row");
	json_t *csv = csv_rows(id);
	cr_assert_eq(json_object_size(csv), 4);
	cr_assert_str_eq(cell(csv, "1003", "pr_issue_comments_missing"), "true");
	cr_assert_str_neq(cell(csv, "1003", "pr_issue_comments"), "", "filled");
	cr_assert_str_eq(cell(csv, "1001", "pr_issue_comments_missing"), "false", "does not apply: not missing");
	cr_assert_str_eq(cell(csv, "1002", "pr_issue_comments_missing"), "false");
	json_decref(csv);
	json_decref(m);
}
