/* CIMINER_TEST_BOTH_DRIVERS
 * Phase 1 end to end (scenario_ingest_start, the ingest_repo and
 * ingest_finish jobs) on SQLite and PostgreSQL, against real things: git
 * repositories made here with libgit2 and cloned over file:// URLs
 * (CIMINER_GIT_URL), and the loopback fixture server speaking the GitHub API
 * with job logs that expire (410), are absent (404), fail twice then succeed,
 * fail until the server recovers, and exceed the log cap (CIMINER_LOG_CAP).
 *
 * Checked: per-build status (ingested / missing_resource / failed) and
 * resource_status, blobs that decompress to the bytes served, truncation,
 * the counters and INGESTED; retry-ingestion re-running only the failed
 * builds' missing logs; a second scenario that fetches into the existing
 * mirror instead of cloning again; and an ingestion whose worker is killed
 * with SIGKILL that resumes to the same result.
 */
#include "ptest.h"
#include "archive.h"
#include "../git/repo_builder.h"
#include "../fixture-server/fxserver.h"
#include "core/buf.h"
#include "core/hash.h"
#include "core/json.h"
#include "pipeline/scenario.h"
#include "pipeline/scenario_config.h"
#include "pipeline/source.h"
#include "store/blobs.h"
#include "store/scenarios.h"
#include <sys/stat.h>
#include <unistd.h>

#define LOG_CAP 1000
#define BIG_LOG 5000
#define NOWHERE "0123456789abcdef0123456789abcdef01234567"

static struct store *s;
static char *db_url, *tmp, *arch, *data, *gitdir;
static struct fx_server srv;
static git_oid c[6], fork_commit, g[3];
static int with_nogit; /* the world has acme/nogit: two runs, no git repository upstream */

static void setup(void)
{
	pt_env_setup("ingestion", &s, &db_url, &tmp, &arch, &data, &gitdir);
	char cap[32];
	snprintf(cap, sizeof(cap), "%d", LOG_CAP);
	setenv("CIMINER_LOG_CAP", cap, 1);
}

static void teardown(void)
{
	fx_stop(&srv);
	pt_env_teardown(s, db_url, tmp, arch, data, gitdir);
}

TestSuite(ingestion, .init = setup, .fini = teardown, .timeout = 180);

/* ---- the world ---- */

static const struct rb_person dev = { "Dev Eloper", "dev@example.org" };

static git_repository *bare(const char *name)
{
	char *path = xasprintf("%s/%s.git", gitdir, name);
	git_repository *r = rb_init(path, 1);
	cr_assert_eq(git_repository_set_head(r, "refs/heads/main"), 0);
	free(path);
	return r;
}

/*
 * acme/widget: main c0 - c1 - c2 - c3 - c4; the fork commit (parent c2) is
 * reachable only from refs/pull/1/head. c5 (parent c4) is written now but
 * reachable from no ref until push_c5(): a clone does not get it, and the
 * second scenario's build of c5 makes ingestion fetch it. acme/gadget: main
 * g0 - g1 - g2.
 */
static void make_repos(void)
{
	git_repository *w = bare("acme/widget");
	for (int i = 0; i < 5; i++) {
		char path[32], body[64];
		snprintf(path, sizeof(path), "src/file%d.c", i);
		snprintf(body, sizeof(body), "int f%d(void) { return %d; }\n", i, i);
		struct rb_file f = { path, body, 0 };
		c[i] = rb_commit(w, "refs/heads/main", i ? &c[i - 1] : NULL, &f, 1, dev, 1677600000 + i * 3600);
	}
	struct rb_file ff = { "src/fork.c", "int fork_only(void) { return 1; }\n", 0 };
	fork_commit = rb_commit(w, "refs/pull/1/head", &c[2], &ff, 1, dev, 1677700000);
	struct rb_file fl = { "src/late.c", "int late(void) { return 5; }\n", 0 };
	c[5] = rb_commit(w, NULL, &c[4], &fl, 1, dev, 1677900000);
	git_repository_free(w);
	git_repository *gd = bare("acme/gadget");
	for (int i = 0; i < 3; i++) {
		char body[64];
		snprintf(body, sizeof(body), "print(%d)\n", i);
		struct rb_file f = { "main.py", body, 0 };
		g[i] = rb_commit(gd, "refs/heads/main", i ? &g[i - 1] : NULL, &f, 1, dev, 1677600000 + i * 3600);
	}
	git_repository_free(gd);
}

/* Moves widget's main to c5 (a push upstream after the first clone). */
static void push_c5(void)
{
	char *path = xasprintf("%s/acme/widget.git", gitdir);
	git_repository *w = NULL;
	cr_assert_eq(git_repository_open(&w, path), 0);
	git_reference *ref = NULL;
	cr_assert_eq(git_reference_create(&ref, w, "refs/heads/main", &c[5], 1, "push"), 0);
	git_reference_free(ref);
	git_repository_free(w);
	free(path);
}

/* 1 when the mirror of full_name has the commit. */
static int mirror_has(const char *full_name, const git_oid *oid)
{
	char *path = xasprintf("%s/repos/%s.git", data, full_name);
	git_repository *m = NULL;
	cr_assert_eq(git_repository_open_bare(&m, path), 0, "no mirror at %s", path);
	git_commit *cm = NULL;
	int has = git_commit_lookup(&cm, m, oid) == 0;
	git_commit_free(cm);
	git_repository_free(m);
	free(path);
	return has;
}

static ino_t mirror_inode(const char *full_name)
{
	char *path = xasprintf("%s/repos/%s.git", data, full_name);
	struct stat st;
	cr_assert_eq(stat(path, &st), 0, "no mirror at %s", path);
	free(path);
	return st.st_ino;
}

/* The text of job's log as served. */
static char *log_text(int64_t job)
{
	if (job == 100801) {
		char *big = xmalloc(BIG_LOG + 1);
		for (int i = 0; i < BIG_LOG; i++)
			big[i] = (char)('a' + (i * 7 + i / 26) % 26);
		big[BIG_LOG - 1] = '\n';
		big[BIG_LOG] = '\0';
		return big;
	}
	return xasprintf("2023-03-01T10:00:00Z ##[group]Run tests of job %lld\n"
			 "test_one ... ok\ntest_two ... %s\n##[endgroup]\n",
			 (long long)job, job % 2 ? "ok" : "FAILED");
}

struct want {
	int64_t run;
	const char *status;     /* ingested | missing_resource | failed */
	const char *git, *logs; /* resource_status: git_history.status, build_logs.status */
};

/* The first scenario: runs 1001-1009 of widget, 2001-2003 of gadget (1010 is after its date_end). */
static const struct want first_result[] = {
	{ 1001, "ingested", "ok", "ok" },
	{ 1002, "ingested", "ok", "ok" },
	{ 1003, "ingested", "ok", "ok" },             /* the fork commit, via refs/pull/1/head */
	{ 1004, "missing_resource", "missing", "ok" }, /* a commit that exists nowhere */
	{ 1005, "missing_resource", "ok", "missing" }, /* job 100501's log expired: 410 */
	{ 1006, "missing_resource", "ok", "missing" }, /* job 100601's log absent: 404 */
	{ 1007, "ingested", "ok", "ok" },             /* job 100701's log fails twice, then succeeds */
	{ 1008, "ingested", "ok", "ok" },             /* job 100801's log is above the cap */
	{ 1009, "failed", "ok", "failed" },           /* job 100901's log fails until the server recovers */
	{ 2001, "ingested", "ok", "ok" },
	{ 2002, "ingested", "ok", "ok" },
	{ 2003, "ingested", "ok", "ok" },
};
#define NFIRST (sizeof(first_result) / sizeof(first_result[0]))

static void write_world(void)
{
	char hex[41];
	struct archive a;
	ar_open(&a, arch);
	ar_repo(&a, "acme/widget", 11, "C");
	ar_repo(&a, "acme/gadget", 12, "Python");
	const git_oid *widget_sha[] = { &c[0], &c[1], &fork_commit, NULL, &c[3], &c[4], &c[2], &c[2], &c[1], &c[5] };
	for (int i = 1; i <= 10; i++) {
		struct ar_run r = { .id = 1000 + i, .repo = "acme/widget", .conclusion = i % 3 ? "success" : "failure",
				    .day = i == 10 ? 25 : i, .njobs = 2, .pr = i == 3 ? 1 : 0 };
		r.sha = widget_sha[i - 1] ? git_oid_tostr(hex, sizeof(hex), widget_sha[i - 1]) : NOWHERE;
		ar_run(&a, &r);
	}
	for (int i = 1; i <= 3; i++) {
		struct ar_run r = { .id = 2000 + i, .repo = "acme/gadget", .conclusion = "success", .day = 10 + i,
				    .njobs = 2, .sha = git_oid_tostr(hex, sizeof(hex), &g[i - 1]) };
		ar_run(&a, &r);
	}
	for (int i = 1; with_nogit && i <= 2; i++) {
		struct ar_run r = { .id = 3000 + i, .repo = "acme/nogit", .conclusion = "failure", .day = 14 + i, .njobs = 1 };
		ar_run(&a, &r);
		char *t = log_text(r.id * 100 + 1);
		ar_log(&a, r.id * 100 + 1, t, 0);
		free(t);
	}
	for (int run = 1001; run <= 2003; run++) {
		if (run > 1010 && run < 2001)
			continue;
		for (int k = 1; k <= 2; k++) {
			char *t = log_text(run * 100 + k);
			ar_log(&a, run * 100 + k, t, 0);
			free(t);
		}
	}
	ar_close(&a);
}

/* Logs: 100501 gone, 100601 missing, 100701 two 502s, 100901 503 until reconfigured. */
static const char server_config[] =
	"{\"gone_logs\": [100501], \"missing_logs\": [100601], \"record\": true,"
	" \"faults\": [{\"path\": \"^/_storage/logs/100701\", \"status\": 502, \"times\": 2},"
	"            {\"path\": \"^/_storage/logs/100901\", \"status\": 503, \"times\": -1}]}";

static void start_world(const char *config)
{
	make_repos();
	write_world();
	const char *args[] = { "--world", arch, "--config", config, NULL };
	if (fx_start(&srv, args))
		cr_skip_test("the fixture server could not start (needs /usr/bin/python3)");
	setenv("CIMINER_GITHUB_API_URL", srv.url, 1);
}

/* Imports and validates every run of the world into db; returns the source id. */
static int64_t fill_warehouse(struct store *db, const char *url)
{
	struct buf b = BUF_INIT;
	buf_addstr(&b, "build_id,repo_name\n");
	for (int i = 1001; i <= 1010; i++)
		buf_addf(&b, "%d,acme/widget\n", i);
	for (int i = 2001; i <= 2003; i++)
		buf_addf(&b, "%d,acme/gadget\n", i);
	for (int i = 3001; with_nogit && i <= 3002; i++)
		buf_addf(&b, "%d,acme/nogit\n", i);
	char *csv = pt_write(tmp, "builds.csv", buf_cstr(&b), 0);
	buf_release(&b);
	struct source_import_opts o = { .path = csv };
	struct source_import_result r;
	struct err e = ERR_INIT;
	cr_assert_eq(source_import(db, &o, &r, &e), 0, "%s", e.msg);
	cr_assert_eq(source_validate_start(db, r.source_id, &e), 0, "%s", e.msg);
	pt_drain(url, data, "validation", 2, NULL);
	cr_assert_eq(pt_int(db, "SELECT stat_found FROM build_sources WHERE id = %lld", (long long)r.source_id),
		     with_nogit ? 15 : 13);
	free(csv);
	return r.source_id;
}

static int64_t create_scenario(struct store *db, const char *ds)
{
	char *txt = xasprintf("{\"name\": \"ingestion test\", \"data_source_config\": {%s}}", ds);
	json_t *doc = json_loads(txt, 0, NULL);
	cr_assert_not_null(doc);
	struct err e = ERR_INIT;
	cr_assert_eq(scenario_config_validate(doc, NULL, &e), 0, "%s", e.msg);
	int64_t id = 0;
	cr_assert_eq(scenarios_create(db, doc, &id, &e), 0, "%s", e.msg);
	json_decref(doc);
	free(txt);
	return id;
}

static const char first_filter[] = "\"date_end\": \"2023-03-20\"";

static char *build_field(struct store *db, int64_t scenario, int64_t run, const char *col)
{
	return pt_text(db,
		       "SELECT b.%s FROM training_ingestion_builds b JOIN raw_build_runs r ON r.id = b.raw_run_id"
		       " WHERE b.scenario_id = %lld AND r.ci_run_id = '%lld'",
		       col, (long long)scenario, (long long)run);
}

static void assert_build(struct store *db, int64_t scenario, const struct want *w)
{
	char *st = build_field(db, scenario, w->run, "status");
	char *rs = build_field(db, scenario, w->run, "resource_status");
	json_t *j = json_loads(rs, 0, NULL);
	cr_assert_not_null(j, "run %lld: resource_status is not JSON: %s", (long long)w->run, rs);
	cr_assert_str_eq(st, w->status, "run %lld: %s, want %s (%s)", (long long)w->run, st, w->status, rs);
	cr_assert_str_eq(core_json_str(core_json_path(j, "git_history"), "status", "?"), w->git, "run %lld: %s",
			 (long long)w->run, rs);
	cr_assert_str_eq(core_json_str(core_json_path(j, "build_logs"), "status", "?"), w->logs, "run %lld: %s",
			 (long long)w->run, rs);
	cr_assert_str_eq(core_json_str(core_json_path(j, "git_worktree"), "status", "?"), "skipped");
	cr_assert_eq(json_integer_value(core_json_path(j, "build_logs.jobs")), 2, "run %lld: %s", (long long)w->run, rs);
	json_decref(j);
	free(st);
	free(rs);
}

static void assert_counters(struct store *db, int64_t id, const char *status, int64_t total, int64_t ingested,
			    int64_t missing, int64_t failed)
{
	char *st = pt_text(db, "SELECT status FROM training_scenarios WHERE id = %lld", (long long)id);
	cr_assert_str_eq(st, status);
	free(st);
	cr_assert_eq(pt_int(db, "SELECT builds_total FROM training_scenarios WHERE id = %lld", (long long)id), total);
	cr_assert_eq(pt_int(db, "SELECT builds_ingested FROM training_scenarios WHERE id = %lld", (long long)id), ingested);
	cr_assert_eq(pt_int(db, "SELECT builds_missing_resource FROM training_scenarios WHERE id = %lld", (long long)id),
		     missing);
	cr_assert_eq(pt_int(db, "SELECT builds_failed FROM training_scenarios WHERE id = %lld", (long long)id), failed);
}

/* The stored log of a job: its blob decompresses to the bytes served (the first LOG_CAP when truncated). */
static void assert_log_blob(struct store *db, int64_t job)
{
	char *status = pt_text(db, "SELECT log_status FROM raw_build_jobs WHERE ci_job_id = '%lld'", (long long)job);
	cr_assert(status && strcmp(status, "ok") == 0, "job %lld: log_status %s", (long long)job, status ? status : "(null)");
	free(status);
	char *served = log_text(job);
	size_t len = strlen(served);
	int truncated = len > LOG_CAP;
	size_t want_len = truncated ? LOG_CAP : len;
	char *hex = pt_text(db, "SELECT log_sha256 FROM raw_build_jobs WHERE ci_job_id = '%lld'", (long long)job);
	char want_hex[SHA256_HEX_LEN];
	sha256_hex(served, want_len, want_hex);
	cr_assert_str_eq(hex, want_hex, "job %lld: the blob is not addressed by the sha256 of the bytes kept", (long long)job);
	struct buf got = BUF_INIT;
	struct err e = ERR_INIT;
	cr_assert_eq(blob_get(data, hex, &got, 0, &e), 0, "job %lld: %s", (long long)job, e.msg);
	cr_assert_eq(got.len, want_len, "job %lld: %zu bytes, want %zu", (long long)job, got.len, want_len);
	cr_assert_eq(memcmp(got.data, served, want_len), 0, "job %lld: the blob differs from the log served", (long long)job);
	cr_assert_eq(pt_int(db, "SELECT log_size_raw FROM raw_build_jobs WHERE ci_job_id = '%lld'", (long long)job),
		     (int64_t)want_len);
	cr_assert_eq(pt_int(db, "SELECT log_truncated FROM raw_build_jobs WHERE ci_job_id = '%lld'", (long long)job),
		     truncated, "job %lld", (long long)job);
	char *path = blob_path(data, hex);
	struct stat st;
	cr_assert_eq(stat(path, &st), 0, "no blob file %s", path);
	cr_assert_eq(pt_int(db, "SELECT log_size_stored FROM raw_build_jobs WHERE ci_job_id = '%lld'", (long long)job),
		     (int64_t)st.st_size);
	free(path);
	buf_release(&got);
	free(hex);
	free(served);
}

static long log_requests(const char *endpoint)
{
	return fx_count(&srv, "by_endpoint", endpoint);
}

/* ---- the first scenario, retry, the second scenario ---- */

Test(ingestion, a_scenario_is_ingested_with_each_build_classified_and_retry_and_reuse_work)
{
	start_world(server_config);
	fill_warehouse(s, db_url);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM raw_build_jobs"), 26, "validation stores every found run's jobs");
	/* Two runs stored without their jobs (as an older ciminer, or a refused listing, left them):
	 * ingestion lists those, and only those. */
	pt_exec(s, "DELETE FROM raw_build_jobs WHERE raw_run_id IN (SELECT id FROM raw_build_runs"
		   " WHERE ci_run_id IN ('1001', '2001'))");
	fx_reset(&srv);

	int64_t id = create_scenario(s, first_filter);
	struct err e = ERR_INIT;
	pt_ingest(s, db_url, data, id);

	assert_counters(s, id, "ingested", 12, 8, 3, 1);
	for (size_t i = 0; i < NFIRST; i++)
		assert_build(s, id, &first_result[i]);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM raw_build_jobs"), 26);
	cr_assert_eq(fx_count(&srv, "by_endpoint", "GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs"), 2,
		     "only the two runs without jobs were listed again");
	/* Messages say what is missing. */
	char *msg = build_field(s, id, 1004, "error_message");
	cr_assert(msg && strstr(msg, NOWHERE) && strstr(msg, "acme/widget"), "%s", msg ? msg : "(null)");
	free(msg);
	msg = build_field(s, id, 1005, "error_message");
	cr_assert(msg && strstr(msg, "1 of 2 job logs expired or absent"), "%s", msg ? msg : "(null)");
	free(msg);
	msg = build_field(s, id, 1009, "error_message");
	cr_assert(msg && strstr(msg, "log download failed"), "%s", msg ? msg : "(null)");
	free(msg);
	char *ls = pt_text(s, "SELECT log_status FROM raw_build_jobs WHERE ci_job_id = '100501'");
	cr_assert_str_eq(ls, "missing");
	free(ls);
	ls = pt_text(s, "SELECT log_status FROM raw_build_jobs WHERE ci_job_id = '100901'");
	cr_assert_str_eq(ls, "failed");
	free(ls);
	/* Every downloaded log is in the blob store, compressed, decompressing to what was served. */
	static const int64_t ok_jobs[] = { 100101, 100102, 100201, 100202, 100301, 100302, 100401, 100402, 100502,
					   100602, 100701, 100702, 100801, 100802, 100902, 200101, 200102, 200201,
					   200202, 200301, 200302 };
	for (size_t i = 0; i < sizeof(ok_jobs) / sizeof(ok_jobs[0]); i++)
		assert_log_blob(s, ok_jobs[i]);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM raw_build_jobs WHERE log_status = 'ok'"), 21);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM raw_build_jobs WHERE log_truncated = 1"), 1);
	/* Job 100701's log was asked for three times: two 502s, then the log. */
	json_t *paths = fx_call(&srv, "/_fixture/requests", NULL);
	size_t k, asked = 0;
	json_t *pth;
	json_array_foreach(paths, k, pth)
		asked += json_is_string(pth) && strncmp(json_string_value(pth), "/_storage/logs/100701?", 22) == 0;
	json_decref(paths);
	cr_assert_eq(asked, 3, "job 100701's log was asked for %zu times", asked);
	/* The mirrors hold the commits, the fork's included. */
	cr_assert(mirror_has("acme/widget", &fork_commit), "the fork commit of refs/pull/1/head is in the mirror");
	cr_assert(!mirror_has("acme/widget", &c[5]), "c5 is on no ref yet");
	ino_t widget_ino = mirror_inode("acme/widget"), gadget_ino = mirror_inode("acme/gadget");
	/* Progress events went out with the counters; the last one says INGESTED. */
	char *ev = pt_text(s, "SELECT payload FROM events WHERE scenario_id = %lld ORDER BY id DESC LIMIT 1", (long long)id);
	json_t *j = json_loads(ev, 0, NULL);
	cr_assert_str_eq(core_json_str(j, "event", ""), "SCENARIO_UPDATE");
	cr_assert_str_eq(core_json_str(j, "status", ""), "ingested");
	cr_assert_eq(json_integer_value(core_json_path(j, "stats.builds_ingested")), 8);
	cr_assert_eq(json_integer_value(core_json_path(j, "stats.builds_failed")), 1);
	json_decref(j);
	free(ev);
	cr_assert_geq(pt_int(s, "SELECT COUNT(*) FROM events WHERE scenario_id = %lld", (long long)id), 4);

	/* The server recovers; retry-ingestion re-runs build 1009 and fetches only its failed log. */
	cr_assert_eq(fx_config(&srv, "{\"faults\": []}"), 0);
	fx_reset(&srv);
	cr_assert_eq(scenario_retry_ingestion(s, id, &e), 0, "%s", e.msg);
	pt_drain(db_url, data, "ingestion", 2, NULL);
	assert_counters(s, id, "ingested", 12, 9, 3, 0);
	struct want w1009 = { 1009, "ingested", "ok", "ok" };
	assert_build(s, id, &w1009);
	assert_log_blob(s, 100901);
	cr_assert_eq(log_requests("GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs"), 1,
		     "retry asked for more than the one failed log");
	cr_assert_eq(log_requests("GET /_storage/logs/{job_id}"), 1);
	for (size_t i = 0; i < NFIRST; i++)
		if (first_result[i].run != 1009)
			assert_build(s, id, &first_result[i]);
	cr_assert_eq(mirror_inode("acme/widget"), widget_ino, "retry cloned widget again");

	/* A push upstream, then a second scenario over both repositories, 1010 (c5) included. */
	push_c5();
	fx_reset(&srv);
	int64_t id2 = create_scenario(s, "");
	pt_ingest(s, db_url, data, id2);
	assert_counters(s, id2, "ingested", 13, 10, 3, 0);
	struct want w1010 = { 1010, "ingested", "ok", "ok" };
	assert_build(s, id2, &w1010);
	cr_assert_eq(mirror_inode("acme/widget"), widget_ino, "the second scenario cloned widget again");
	cr_assert_eq(mirror_inode("acme/gadget"), gadget_ino, "the second scenario cloned gadget again");
	cr_assert(mirror_has("acme/widget", &c[5]), "the mirror was fetched for c5");
	/* Logs already in the blob store are not downloaded again: only 1010's two, and the two missing ones. */
	cr_assert_eq(log_requests("GET /_storage/logs/{job_id}"), 2);
	assert_log_blob(s, 101001);
	assert_log_blob(s, 101002);
	/* The first scenario is untouched. */
	assert_counters(s, id, "ingested", 12, 9, 3, 0);
}

Test(ingestion, nothing_ingestable_fails_the_scenario_with_a_reason)
{
	/* Every log of gadget fails: its builds are failed, and nothing else is in the scenario. */
	start_world("{\"faults\": [{\"path\": \"^/_storage/logs/200\", \"status\": 500, \"times\": -1}]}");
	fill_warehouse(s, db_url);
	int64_t id = create_scenario(s, "\"filter_by\": \"by_name\", \"repo_names\": [\"acme/gadget\"]");
	struct err e = ERR_INIT;
	pt_ingest(s, db_url, data, id);
	assert_counters(s, id, "failed", 3, 0, 0, 3);
	char *msg = pt_text(s, "SELECT error_message FROM training_scenarios WHERE id = %lld", (long long)id);
	cr_assert(msg && strstr(msg, "nothing could be ingested"), "%s", msg ? msg : "(null)");
	free(msg);
	/* retry-ingestion of a failed scenario re-runs its failed builds. */
	cr_assert_eq(fx_config(&srv, "{\"faults\": []}"), 0);
	cr_assert_eq(scenario_retry_ingestion(s, id, &e), 0, "%s", e.msg);
	pt_drain(db_url, data, "ingestion", 2, NULL);
	assert_counters(s, id, "ingested", 3, 3, 0, 0);
}

Test(ingestion, a_repository_that_cannot_be_cloned_fails_its_builds_with_the_reason)
{
	with_nogit = 1;
	start_world(server_config);
	fill_warehouse(s, db_url);
	int64_t id = create_scenario(s, "\"filter_by\": \"by_name\", \"repo_names\": [\"acme/nogit\", \"acme/gadget\"]");
	pt_ingest(s, db_url, data, id);
	/* gadget's builds are ingested; nogit's job ended (dead or failed) and its builds are failed with its error. */
	assert_counters(s, id, "ingested", 5, 3, 0, 2);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM jobs WHERE kind = 'ingest_repo' AND state IN ('dead', 'failed')"), 1);
	char *job_err = pt_text(s, "SELECT last_error FROM jobs WHERE kind = 'ingest_repo' AND state IN ('dead', 'failed')");
	for (int run = 3001; run <= 3002; run++) {
		char *msg = build_field(s, id, run, "error_message");
		cr_assert(msg && job_err && strcmp(msg, job_err) == 0, "run %d: error '%s', the job said '%s'", run,
			  msg ? msg : "(null)", job_err ? job_err : "(null)");
		cr_assert(strstr(msg, "acme/nogit"), "the error does not name the repository: %s", msg);
		free(msg);
	}
	free(job_err);
	char *out = NULL;
	cr_assert_eq(ts_run(&out, "ls -a '%s/repos/acme'", data), 0);
	/* The lock file stays (it is the mirror's lock, kept for every repository); no clone does. */
	cr_assert(!strstr(out, "nogit.git\n") && !strstr(out, ".tmp-"), "a failed clone left a folder behind: %s", out);
	free(out);
}

Test(ingestion, runs_whose_jobs_cannot_be_listed_miss_or_fail_their_logs_and_the_others_are_ingested)
{
	start_world(server_config);
	fill_warehouse(s, db_url);
	/* All three runs of gadget stored without their jobs; the provider has none for 2001 (404)
	 * and refuses 2002's (403: a token without access, fixable). */
	pt_exec(s, "DELETE FROM raw_build_jobs WHERE raw_run_id IN (SELECT id FROM raw_build_runs"
		   " WHERE ci_run_id IN ('2001', '2002', '2003'))");
	cr_assert_eq(fx_config(&srv, "{\"faults\": [{\"path\": \"/actions/runs/2001/jobs\", \"status\": 404, \"times\": -1},"
				     " {\"path\": \"/actions/runs/2002/jobs\", \"status\": 403, \"times\": -1}]}"),
		     0);
	int64_t id = create_scenario(s, "\"filter_by\": \"by_name\", \"repo_names\": [\"acme/gadget\"]");
	pt_ingest(s, db_url, data, id);
	assert_counters(s, id, "ingested", 3, 1, 1, 1);
	static const struct { int run; const char *status, *says; } want[] = {
		{ 2001, "missing_resource", "the provider has no jobs for run 2001" },
		{ 2002, "failed", "refused to list the jobs of run 2002" },
	};
	for (size_t i = 0; i < 2; i++) {
		char *st = build_field(s, id, want[i].run, "status");
		char *msg = build_field(s, id, want[i].run, "error_message");
		cr_assert_str_eq(st, want[i].status, "run %d", want[i].run);
		cr_assert(msg && strstr(msg, want[i].says), "run %d: %s", want[i].run, msg ? msg : "(null)");
		free(st);
		free(msg);
	}
	char *st = build_field(s, id, 2003, "status");
	cr_assert_str_eq(st, "ingested", "2003's jobs were listed again and its logs fetched");
	free(st);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM raw_build_jobs j JOIN raw_build_runs r ON r.id = j.raw_run_id"
			       " WHERE r.ci_run_id = '2003' AND j.log_status = 'ok'"),
		     2);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM jobs WHERE kind = 'ingest_repo' AND state IN ('dead', 'failed')"), 0,
		     "one run's listing does not fail the repository");
}

/* ---- a worker killed half-way ---- */

Test(ingestion, an_ingestion_whose_worker_is_killed_resumes_to_the_same_result)
{
	start_world(server_config);
	fill_warehouse(s, db_url);
	int64_t id = create_scenario(s, first_filter);
	struct err e = ERR_INIT;
	cr_assert_eq(scenario_ingest_start(s, id, &e), 0, "%s", e.msg);
	/* Slow answers, so that the kill lands while a repository's jobs and logs are being fetched. */
	cr_assert_eq(fx_config(&srv, "{\"latency_ms\": 60}"), 0);
	pid_t pid = pt_spawn_worker(db_url, data, "ingestion");
	/* Kill half-way through a repository; the worker is frozen while the state is read (pt_freeze_worker). */
	int64_t ingesting = 0, jobs = 0, running = 0;
	int alive = 1;
	while ((alive = pt_freeze_worker(pid) == 0)) {
		ingesting = pt_int(s, "SELECT COUNT(*) FROM training_ingestion_builds WHERE scenario_id = %lld AND status = 'ingesting'",
				   (long long)id);
		jobs = pt_int(s, "SELECT COUNT(*) FROM raw_build_jobs WHERE log_status IS NOT NULL");
		running = pt_int(s, "SELECT COUNT(*) FROM jobs WHERE kind = 'ingest_repo' AND state = 'running'");
		if (ingesting > 0 && jobs >= 4 && running == 1)
			break;
		pt_thaw_worker(pid);
		usleep(10000); /* the polling period; the state is read frozen, not timed */
	}
	cr_assert(alive, "the child worker exited before it was seen half-way (ingesting %lld, jobs %lld, running %lld)",
		  (long long)ingesting, (long long)jobs, (long long)running);
	pt_kill_worker(pid);
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM jobs WHERE kind = 'ingest_repo' AND state = 'running'"), 1,
		     "the killed worker's job stays claimed until its lease expires");

	cr_assert_eq(fx_config(&srv, "{\"latency_ms\": 0}"), 0);
	pt_drain(db_url, data, "ingestion", 2, NULL);
	assert_counters(s, id, "ingested", 12, 8, 3, 1);
	for (size_t i = 0; i < NFIRST; i++)
		assert_build(s, id, &first_result[i]);
	cr_assert_eq(pt_int(s, "SELECT MAX(attempts) FROM jobs WHERE kind = 'ingest_repo'"), 2,
		     "the interrupted repository was ingested again");
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM raw_build_jobs"), 26, "no job listed twice");
	cr_assert_eq(pt_int(s, "SELECT COUNT(*) FROM training_ingestion_builds WHERE scenario_id = %lld", (long long)id), 12);
	assert_log_blob(s, 100801);
	assert_log_blob(s, 200302);
	/* No half-made clone is left beside the mirrors. */
	char *out = NULL;
	cr_assert_eq(ts_run(&out, "ls -a '%s/repos/acme'", data), 0);
	cr_assert(!strstr(out, ".tmp-"), "a temporary clone folder was left: %s", out);
	free(out);
}
