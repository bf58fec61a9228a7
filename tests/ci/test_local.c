/*
 * The local archive provider (docs/local-archive.md): an archive written by
 * the fixture server's generator is read back and compared with the same
 * archive served over the GitHub API; hand-written archives cover the format's
 * corners (relative git paths, .log.zst, bad lines).
 */
#include <criterion/criterion.h>
#include <string.h>
#include <zstd.h>
#include "ci/provider.h"
#include "core/fs.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include "testsupport.h"
#include "../fixture-server/fxserver.h"

static struct ci_provider *open_local(const char *dir, struct err *e)
{
	struct ci_options o;
	struct ci_provider *p = NULL;
	ci_options_init(&o);
	o.archive_dir = dir;
	o.git_url = "https://git.example.org";
	ci_provider_open(&p, CI_LOCAL, &o, e);
	return p;
}

static void write_file(const char *dir, const char *rel, const char *text)
{
	char *path = fs_join(dir, rel);
	struct err e = ERR_INIT;
	cr_assert_eq(fs_write_atomic(path, text, strlen(text), &e), 0, "%s", e.msg);
	free(path);
}

Test(local, reads_a_generated_archive_like_the_api_serves_it)
{
	char *dir = ts_tempdir("ci-local"), *out = NULL;
	int rc = ts_run(&out, "/usr/bin/python3 %s --write-archive %s --generate repos=2,runs=20,seed=13", fx_script(), dir);
	if (rc)
		cr_skip_test("the archive generator did not run (needs /usr/bin/python3): %s", out ? out : "");
	free(out);
	const char *args[] = { "--world", dir, NULL };
	struct fx_server srv;
	cr_assert_eq(fx_start(&srv, args), 0);
	struct ci_options o;
	struct ci_provider *gh = NULL;
	struct err e = ERR_INIT;
	ci_options_init(&o);
	o.api_url = srv.url;
	o.tokens = "";
	cr_assert_eq(ci_provider_open(&gh, CI_GITHUB, &o, &e), 0);
	struct ci_provider *lp = open_local(dir, &e);
	cr_assert_not_null(lp, "%s", e.msg);
	cr_assert_null(ci_provider_http(lp));

	struct ci_repo a, b;
	cr_assert_eq(ci_repo_get(lp, &a, "ORG1/project-1", &e), 0, "%s", e.msg);
	cr_assert_eq(ci_repo_get(gh, &b, "org1/project-1", &e), 0, "%s", e.msg);
	cr_assert_str_eq(a.full_name, "org1/project-1");
	cr_assert_eq(a.id, b.id);
	cr_assert_str_eq(a.language, b.language);
	cr_assert_str_eq(a.default_branch, b.default_branch);
	cr_assert_str_eq(a.git_url, "https://git.example.org/org1/project-1.git");
	ci_repo_release(&a);
	ci_repo_release(&b);

	json_t *world = fx_call(&srv, "/_fixture/world?repo=org1/project-1", NULL), *w;
	size_t i;
	cr_assert_eq(json_array_size(json_object_get(world, "runs")), 10);
	json_array_foreach(json_object_get(world, "runs"), i, w) {
		char rid[32];
		struct ci_run l, g;
		struct ci_job *jobs;
		size_t nj;
		snprintf(rid, sizeof(rid), "%lld", (long long)json_integer_value(json_object_get(w, "id")));
		cr_assert_eq(ci_run_get(lp, &l, "org1/project-1", rid, &e), 0, "%s", e.msg);
		cr_assert_eq(ci_run_get(gh, &g, "org1/project-1", rid, &e), 0, "%s", e.msg);
		cr_assert_str_eq(l.commit_sha, g.commit_sha);
		cr_assert_eq(l.build_number, g.build_number);
		cr_assert_eq(l.created_at, g.created_at);
		cr_assert_eq(l.completed_at, g.completed_at);
		cr_assert_eq(l.actor_is_bot, g.actor_is_bot);
		cr_assert_eq(!l.conclusion, !g.conclusion);
		if (l.conclusion)
			cr_assert_str_eq(l.conclusion, g.conclusion);
		cr_assert_null(strstr(l.raw_json, "\"jobs\""), "the run's raw payload leaves its jobs out");
		cr_assert_eq(l.n_jobs, 2, "the archive carries the jobs inline");
		cr_assert_eq(ci_jobs_list(lp, &jobs, &nj, "org1/project-1", rid, &e), 0);
		cr_assert_eq(nj, 2);
		cr_assert_str_eq(jobs[1].id, l.jobs[1].id);
		cr_assert_str_eq(jobs[1].run_id, rid);
		if (i == 0) {
			struct buf x = BUF_INIT, y = BUF_INIT;
			struct ci_sink sx = ci_sink_buf(&x), sy = ci_sink_buf(&y);
			cr_assert_eq(ci_log_fetch(lp, "org1/project-1", jobs[0].id, &sx, 0, NULL, NULL, &e), 0, "%s", e.msg);
			cr_assert_eq(ci_log_fetch(gh, "org1/project-1", jobs[0].id, &sy, 0, NULL, NULL, &e), 0, "%s", e.msg);
			cr_assert_gt(x.len, 1000);
			cr_assert_eq(x.len, y.len);
			cr_assert_eq(memcmp(x.data, y.data, x.len), 0);
			buf_release(&x);
			buf_release(&y);
		}
		ci_jobs_free(jobs, nj);
		ci_run_release(&l);
		ci_run_release(&g);
	}
	json_decref(world);
	ci_provider_free(lp);
	ci_provider_free(gh);
	fx_stop(&srv);
	free(dir);
}

static const char *RUN1 =
	"{\"id\": 101, \"run_number\": 7, \"name\": \"CI\", \"status\": \"completed\", \"conclusion\": \"failure\","
	" \"event\": \"push\", \"head_branch\": \"main\", \"head_sha\": \"abc\", \"created_at\": \"2024-05-01T10:00:00Z\","
	" \"run_started_at\": \"2024-05-01T10:00:05Z\", \"updated_at\": \"2024-05-01T10:10:05Z\","
	" \"actor\": {\"login\": \"renovate[bot]\", \"type\": \"Bot\"}, \"pull_requests\": [{\"number\": 12}],"
	" \"repository\": {\"full_name\": \"acme/widget\"},"
	" \"jobs\": [{\"id\": 9001, \"name\": \"build\", \"status\": \"completed\", \"conclusion\": \"failure\"},"
	"          {\"id\": 9002, \"name\": \"lint\", \"status\": \"completed\", \"conclusion\": \"success\"}]}\n";

static char *hand_archive(void)
{
	char *dir = ts_tempdir("ci-local-hand"), *logs = fs_join(dir, "logs");
	struct err e = ERR_INIT;
	cr_assert_eq(fs_mkdirs(logs, &e), 0);
	write_file(dir, "repos.json",
		   "[{\"full_name\": \"acme/widget\", \"id\": 5, \"default_branch\": \"trunk\", \"language\": \"C\","
		   " \"private\": true, \"git_url\": \"git/widget\"}]");
	char *runs = xasprintf("%s\n%s", RUN1,
			       "{\"id\": 102, \"status\": \"in_progress\", \"repository\": {\"full_name\": \"acme/other\"}}");
	write_file(dir, "runs.jsonl", runs);
	free(runs);
	write_file(dir, "logs/9002.log", "lint ok\n");
	/* 9001's log is stored compressed. */
	const char *text = "2024-05-01T10:00:06Z compiling\n2024-05-01T10:09:00Z error: boom\n";
	size_t bound = ZSTD_compressBound(strlen(text));
	char *z = xmalloc(bound);
	size_t zn = ZSTD_compress(z, bound, text, strlen(text), 3);
	char *zp = fs_join(dir, "logs/9001.log.zst");
	cr_assert_eq(fs_write_atomic(zp, z, zn, &e), 0);
	free(z);
	free(zp);
	free(logs);
	return dir;
}

Test(local, maps_a_hand_written_archive)
{
	char *dir = hand_archive();
	struct err e = ERR_INIT;
	struct ci_provider *p = open_local(dir, &e);
	cr_assert_not_null(p, "%s", e.msg);
	struct ci_repo repo;
	cr_assert_eq(ci_repo_get(p, &repo, "acme/widget", &e), 0, "%s", e.msg);
	char *git = fs_join(dir, "git/widget");
	cr_assert_str_eq(repo.git_url, git, "a relative git_url is a path inside the archive");
	free(git);
	cr_assert_str_eq(repo.default_branch, "trunk");
	cr_assert_eq(repo.is_private, 1);
	ci_repo_release(&repo);
	/* A repository known only from its runs. */
	cr_assert_eq(ci_repo_get(p, &repo, "acme/other", &e), 0, "%s", e.msg);
	cr_assert_str_eq(repo.git_url, "https://git.example.org/acme/other.git");
	ci_repo_release(&repo);
	cr_assert_eq(ci_repo_get(p, &repo, "acme/none", &e), CI_ERR_NOT_FOUND);

	struct ci_run r;
	cr_assert_eq(ci_run_get(p, &r, "acme/widget", "101", &e), 0, "%s", e.msg);
	cr_assert_eq(r.build_number, 7);
	cr_assert_str_eq(r.conclusion, "failure");
	cr_assert_eq(r.actor_is_bot, 1);
	cr_assert_eq(r.n_pr, 1);
	cr_assert_eq(r.pr_numbers[0], 12);
	cr_assert_eq(r.duration_usec, 600 * USEC_PER_SEC);
	cr_assert_eq(r.n_jobs, 2);
	cr_assert_str_eq(r.jobs[0].run_id, "101", "a job without run_id takes its run's");
	cr_assert_not(ci_run_is_labelled(&r), "a bot's run is filtered");
	ci_run_release(&r);
	cr_assert_eq(ci_run_get(p, &r, "acme/widget", "102", &e), CI_ERR_NOT_FOUND);
	cr_assert(strstr(e.msg, "belongs to acme/other"), "%s", e.msg);
	cr_assert_eq(ci_run_get(p, &r, "acme/widget", "103", &e), CI_ERR_NOT_FOUND);

	struct ci_lookup items[3];
	memset(items, 0, sizeof(items));
	items[0].run_id = "101";
	items[1].run_id = "103";
	items[2].run_id = "102";
	cr_assert_eq(ci_runs_lookup(p, "acme/widget", items, 3, &e), 0);
	cr_assert_eq(items[0].rc, 0);
	cr_assert_eq(items[1].rc, CI_ERR_NOT_FOUND);
	cr_assert_eq(items[2].rc, CI_ERR_NOT_FOUND);
	for (int i = 0; i < 3; i++)
		ci_run_release(&items[i].run);

	struct buf log = BUF_INIT;
	struct ci_sink sink = ci_sink_buf(&log);
	size_t bytes;
	int trunc;
	cr_assert_eq(ci_log_fetch(p, "acme/widget", "9001", &sink, 0, &bytes, &trunc, &e), 0, "%s", e.msg);
	cr_assert_str_eq(buf_cstr(&log), "2024-05-01T10:00:06Z compiling\n2024-05-01T10:09:00Z error: boom\n");
	buf_reset(&log);
	cr_assert_eq(ci_log_fetch(p, "acme/widget", "9001", &sink, 10, &bytes, &trunc, &e), 0, "%s", e.msg);
	cr_assert_eq(bytes, 10);
	cr_assert_eq(trunc, 1);
	buf_reset(&log);
	cr_assert_eq(ci_log_fetch(p, "acme/widget", "9002", &sink, 0, &bytes, &trunc, &e), 0);
	cr_assert_str_eq(buf_cstr(&log), "lint ok\n");
	cr_assert_eq(ci_log_fetch(p, "acme/widget", "9003", &sink, 0, &bytes, &trunc, &e), CI_ERR_NOT_FOUND);
	cr_assert(strstr(e.msg, "logs/9003.log"), "%s", e.msg);
	/* A job id from a hostile archive cannot reach a file outside logs/. */
	write_file(dir, "outside.log", "not a log of this archive\n");
	buf_reset(&log);
	cr_assert_eq(ci_log_fetch(p, "acme/widget", "../outside", &sink, 0, &bytes, &trunc, &e), CI_ERR_NOT_FOUND);
	cr_assert_eq(log.len, 0, "read %s", buf_cstr(&log));
	buf_release(&log);
	ci_provider_free(p);
	free(dir);
}

Test(local, refuses_a_folder_that_is_not_an_archive_or_a_bad_line)
{
	char *dir = ts_tempdir("ci-local-bad");
	struct err e = ERR_INIT;
	cr_assert_null(open_local(dir, &e));
	cr_assert_eq(e.code, ERR_INPUT);
	cr_assert(strstr(e.msg, "runs.jsonl is missing") && strstr(e.msg, "docs/local-archive.md"), "%s", e.msg);
	write_file(dir, "runs.jsonl", "{\"id\": 1, \"repository\": {\"full_name\": \"a/b\"}}\n\n{\"id\": \"x\"}\n");
	cr_assert_null(open_local(dir, &e));
	cr_assert(strstr(e.msg, "runs.jsonl:3"), "the message names the line: %s", e.msg);
	unsetenv("CIMINER_LOCAL_ARCHIVE");
	cr_assert_null(open_local(NULL, &e));
	cr_assert(strstr(e.msg, "CIMINER_LOCAL_ARCHIVE"), "%s", e.msg);
	free(dir);
}
