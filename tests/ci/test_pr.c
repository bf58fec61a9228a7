/*
 * Pull requests (ci/pr.h) from one hand-written archive, read by the local
 * provider and served over the GitHub REST API by the fixture server
 * (`ciserver.py --world DIR`): both must give the same PRs and comments.
 *
 * acme/widget: runs 101 and 102 build PR #7 (commits a1..., a2...), run 103
 * builds PR #8 (commit b1...), run 104 is a push (commit c1...).
 * PR #7: 130 issue comments (two pages of 100), 5 review comments, commit
 * comments 601 on a1 and 602 on a2. Review comments 501-503 name no review
 * (their created_at stands); 504 was drafted at 09:30 in review 41,
 * submitted at 10:30 (it was visible from 10:30); 505 is in review 42, still
 * pending (nobody else has seen it: left out). PR #8: 1 issue comment,
 * commit comment 603 on b1. PR #9 does not exist.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <string.h>
#include "ci/pr.h"
#include "core/fs.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include "testsupport.h"
#include "../fixture-server/fxserver.h"

#define SHA_A1 "a100000000000000000000000000000000000001"
#define SHA_A2 "a200000000000000000000000000000000000002"
#define SHA_B1 "b100000000000000000000000000000000000001"
#define SHA_C1 "c100000000000000000000000000000000000001"

static struct fx_server srv;

static void teardown(void)
{
	fx_stop(&srv);
}

TestSuite(pr, .fini = teardown, .timeout = 60);

static int64_t T(const char *s)
{
	int64_t t;
	struct err e = ERR_INIT;
	cr_assert_eq(utc_parse(&t, s, &e), 0, "%s", s);
	return t;
}

static void put_line(FILE *f, json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT);
	fprintf(f, "%s\n", s);
	free(s);
	json_decref(j);
}

static json_t *run(int id, const char *sha, int pr, const char *started)
{
	json_t *prs = pr ? json_pack("[{s:i}]", "number", pr) : json_array();
	return json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:{s:s}, s:[]}", "id", id, "head_sha", sha, "status",
			 "completed", "conclusion", "success", "event", pr ? "pull_request" : "push", "created_at", started,
			 "run_started_at", started, "pull_requests", prs, "repository", "full_name", "acme/widget", "jobs");
}

static json_t *comment(int id, const char *login, const char *at, const char *commit)
{
	json_t *c = json_pack("{s:i, s:{s:s, s:s}, s:s, s:s}", "id", id, "user", "login", login, "type", "User",
			      "created_at", at, "body", "a remark");
	if (commit)
		json_object_set_new(c, "commit_id", json_string(commit));
	return c;
}

/* Issue comment i of PR #7 (1-based): 2023-03-01T00:00Z + i minutes. */
static void issue_time(char out[32], int i)
{
	snprintf(out, 32, "2023-03-01T%02d:%02d:00Z", i / 60, i % 60);
}

static char *write_archive(int with_pulls)
{
	char *dir = ts_tempdir("ci-pr");
	char *p = fs_join(dir, "runs.jsonl");
	FILE *f = fopen(p, "w");
	cr_assert_not_null(f);
	put_line(f, run(101, SHA_A1, 7, "2023-03-01T10:00:00Z"));
	put_line(f, run(102, SHA_A2, 7, "2023-03-02T10:00:00Z"));
	put_line(f, run(103, SHA_B1, 8, "2023-03-03T10:00:00Z"));
	put_line(f, run(104, SHA_C1, 0, "2023-03-04T10:00:00Z"));
	fclose(f);
	free(p);
	p = fs_join(dir, "repos.json");
	struct err e = ERR_INIT;
	const char *repos = "[{\"full_name\": \"acme/widget\", \"id\": 11, \"default_branch\": \"main\"}]";
	cr_assert_eq(fs_write_atomic(p, repos, strlen(repos), &e), 0, "%s", e.msg);
	free(p);
	if (!with_pulls)
		return dir;
	p = fs_join(dir, "pulls.jsonl");
	f = fopen(p, "w");
	cr_assert_not_null(f);
	json_t *issues = json_array();
	for (int i = 1; i <= 130; i++) {
		char at[32];
		issue_time(at, i);
		json_array_append_new(issues, comment(i, i % 2 ? "bob" : "carol", at, NULL));
	}
	json_t *drafted = comment(504, "bob", "2023-03-01T09:30:00Z", SHA_A1), *pending = comment(505, "erin", "2023-03-01T09:40:00Z", SHA_A1);
	json_object_set_new(drafted, "pull_request_review_id", json_integer(41));
	json_object_set_new(pending, "pull_request_review_id", json_integer(42));
	json_t *reviews = json_pack("[{s:i, s:s, s:s}, {s:i, s:s}]", "id", 41, "state", "COMMENTED", "submitted_at",
				    "2023-03-01T10:30:00Z", "id", 42, "state", "PENDING");
	json_t *pr7 = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:{s:s}, s:{s:s}, s:o, s:[o, o, o, o, o], s:[o, o], s:o}", "number", 7,
				"state", "closed", "created_at", "2023-02-28T09:00:00Z", "closed_at", "2023-03-05T09:00:00Z",
				"merged_at", "2023-03-05T09:00:00Z", "body", "fix the widget\nfor good", "user", "login",
				"alice", "repository", "full_name", "acme/widget", "issue_comments", issues, "review_comments",
				comment(501, "bob", "2023-03-01T09:00:00Z", SHA_A1),
				comment(502, "bob", "2023-03-01T11:00:00Z", SHA_A1),
				comment(503, "carol", "2023-03-02T11:00:00Z", SHA_A2), drafted, pending, "commit_comments",
				comment(601, "dave", "2023-03-01T12:00:00Z", SHA_A1),
				comment(602, "dave", "2023-03-02T12:00:00Z", SHA_A2), "reviews", reviews);
	put_line(f, pr7);
	put_line(f, json_pack("{s:i, s:s, s:s, s:n, s:{s:s}, s:{s:{s:s}}, s:[o], s:[], s:[o]}", "number", 8, "state",
			      "open", "created_at", "2023-03-03T08:00:00Z", "body", "user", "login", "erin", "base", "repo",
			      "full_name", "acme/widget", "issue_comments",
			      comment(801, "erin", "2023-03-03T09:00:00Z", NULL), "review_comments", "commit_comments",
			      comment(603, "dave", "2023-03-03T12:00:00Z", SHA_B1)));
	fclose(f);
	free(p);
	return dir;
}

static struct ci_provider *open_kind(const char *kind, const char *dir)
{
	struct ci_options o;
	struct ci_provider *p = NULL;
	struct err e = ERR_INIT;
	ci_options_init(&o);
	o.archive_dir = dir;
	o.api_url = srv.url;
	o.tokens = "";
	o.http.backoff_base_ms = 5;
	o.http.max_attempts = 2;
	cr_assert_eq(ci_provider_open(&p, kind, &o, &e), 0, "%s", e.msg);
	return p;
}

static void start_server(const char *dir)
{
	const char *args[] = { "--world", dir, NULL };
	if (fx_start(&srv, args))
		cr_skip_test("the fixture server could not start (needs /usr/bin/python3)");
}

static size_t count_kind(const struct ci_pr *pr, int kind)
{
	size_t n = 0;
	for (size_t i = 0; i < pr->n_comments; i++)
		n += pr->comments[i].kind == kind;
	return n;
}

static const struct ci_pr_comment *find_comment(const struct ci_pr *pr, int kind, const char *id)
{
	for (size_t i = 0; i < pr->n_comments; i++)
		if (pr->comments[i].kind == kind && pr->comments[i].id && !strcmp(pr->comments[i].id, id))
			return &pr->comments[i];
	return NULL;
}

/* The same assertions for both providers. */
static void assert_prs(struct ci_provider *p)
{
	struct ci_pr_req reqs[3] = { { .number = 7 }, { .number = 9 }, { .number = 8 } };
	struct err e = ERR_INIT;
	cr_assert_eq(ci_prs_get(p, "acme/widget", reqs, 3, NULL, &e), 0, "%s", e.msg);
	cr_assert_eq(reqs[0].rc, 0, "%s: PR 7: %s", ci_provider_kind(p), reqs[0].err.msg);
	cr_assert_eq(reqs[1].rc, CI_ERR_NOT_FOUND, "%s: PR 9 rc %d", ci_provider_kind(p), reqs[1].rc);
	cr_assert(strstr(reqs[1].err.msg, "#9"), "%s", reqs[1].err.msg);
	cr_assert_eq(reqs[2].rc, 0, "%s: PR 8: %s", ci_provider_kind(p), reqs[2].err.msg);

	const struct ci_pr *a = &reqs[0].pr;
	cr_assert_eq(a->number, 7);
	cr_assert_eq(a->created_at, T("2023-02-28T09:00:00Z"));
	cr_assert_eq(a->merged_at, T("2023-03-05T09:00:00Z"));
	cr_assert_str_eq(a->state, "closed");
	cr_assert_str_eq(a->author_login, "alice");
	cr_assert_str_eq(a->body, "fix the widget\nfor good");
	cr_assert_not_null(strstr(a->raw_json, "\"number\":7"));
	cr_assert_null(strstr(a->raw_json, "issue_comments"), "the comment arrays are not part of the PR object");
	cr_assert_null(strstr(a->raw_json, "\"reviews\""), "nor the reviews");
	/* Every page of the 130 issue comments, all three review comments, and only PR 7's commit comments. */
	cr_assert_eq(count_kind(a, CI_COMMENT_ISSUE), 130, "%s", ci_provider_kind(p));
	/* Review comments count from their review's submission; a pending review's comment not at all. */
	cr_assert_eq(count_kind(a, CI_COMMENT_REVIEW), 4, "%s: review comments %zu", ci_provider_kind(p),
		     count_kind(a, CI_COMMENT_REVIEW));
	cr_assert_null(find_comment(a, CI_COMMENT_REVIEW, "505"), "%s: a pending review's comment", ci_provider_kind(p));
	cr_assert_not_null(find_comment(a, CI_COMMENT_REVIEW, "504"));
	cr_assert_eq(find_comment(a, CI_COMMENT_REVIEW, "504")->created_at, T("2023-03-01T10:30:00Z"),
		     "%s: visible when its review was submitted, not when drafted", ci_provider_kind(p));
	cr_assert_eq(count_kind(a, CI_COMMENT_COMMIT), 2, "%s: commit comments %zu", ci_provider_kind(p),
		     count_kind(a, CI_COMMENT_COMMIT));
	cr_assert_not_null(find_comment(a, CI_COMMENT_COMMIT, "601"));
	cr_assert_not_null(find_comment(a, CI_COMMENT_COMMIT, "602"));
	cr_assert_null(find_comment(a, CI_COMMENT_COMMIT, "603"), "603 is on PR 8's commit");
	const struct ci_pr_comment *last = find_comment(a, CI_COMMENT_ISSUE, "130");
	cr_assert_not_null(last, "the second page's last comment");
	cr_assert_eq(last->created_at, T("2023-03-01T02:10:00Z"));
	cr_assert_str_eq(last->author_login, "carol");
	cr_assert_eq(find_comment(a, CI_COMMENT_REVIEW, "502")->created_at, T("2023-03-01T11:00:00Z"));

	const struct ci_pr *b = &reqs[2].pr;
	cr_assert_eq(b->number, 8);
	cr_assert_str_eq(b->state, "open");
	cr_assert_null(b->body);
	cr_assert_eq(b->merged_at, CI_TIME_UNKNOWN);
	cr_assert_eq(count_kind(b, CI_COMMENT_ISSUE), 1);
	cr_assert_eq(count_kind(b, CI_COMMENT_REVIEW), 0);
	cr_assert_eq(count_kind(b, CI_COMMENT_COMMIT), 1);
	cr_assert_eq(find_comment(b, CI_COMMENT_COMMIT, "603")->created_at, T("2023-03-03T12:00:00Z"));
	for (int i = 0; i < 3; i++)
		ci_pr_release(&reqs[i].pr);
}

Test(pr, github_and_the_local_archive_give_the_same_prs_with_every_comment_page)
{
	char *dir = write_archive(1);
	start_server(dir);
	struct ci_provider *gh = open_kind(CI_GITHUB, NULL), *lo = open_kind(CI_LOCAL, dir);
	cr_assert(ci_prs_available(gh));
	cr_assert(ci_prs_available(lo));
	assert_prs(gh);
	/* Request cost: per PR its object and the first pages of its four lists (PR 7's issue comments
	 * have a second page; PR 9's lists answer 404 too), plus the repository's commit comments once. */
	cr_assert_eq(fx_count(&srv, "by_endpoint", "GET /repos/{owner}/{repo}/pulls/{pull_number}"), 3);
	cr_assert_eq(fx_count(&srv, "by_endpoint", "GET /repos/{owner}/{repo}/issues/{issue_number}/comments"), 4);
	cr_assert_eq(fx_count(&srv, "by_endpoint", "GET /repos/{owner}/{repo}/pulls/{pull_number}/comments"), 3);
	cr_assert_eq(fx_count(&srv, "by_endpoint", "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews"), 3);
	cr_assert_eq(fx_count(&srv, "by_endpoint", "GET /repos/{owner}/{repo}/pulls/{pull_number}/commits"), 3);
	cr_assert_eq(fx_count(&srv, "by_endpoint", "GET /repos/{owner}/{repo}/comments"), 1);
	cr_assert_eq(fx_count(&srv, NULL, "requests"), 17);
	assert_prs(lo);
	ci_provider_free(gh);
	ci_provider_free(lo);
	free(dir);
}

Test(pr, a_failing_list_fails_only_its_pr_and_the_provider_retries_it)
{
	char *dir = write_archive(1);
	start_server(dir);
	/* PR 8's review comments fail for good (503 past the retries); PR 7's first issue page fails once. */
	cr_assert_eq(fx_config(&srv, "{\"faults\": [{\"path\": \"/pulls/8/comments\", \"status\": 503, \"times\": -1},"
				     " {\"path\": \"/issues/7/comments\\\\?per_page=100$\", \"status\": 502, \"times\": 1}]}"),
		     0);
	struct ci_provider *gh = open_kind(CI_GITHUB, NULL);
	struct ci_pr_req reqs[2] = { { .number = 7 }, { .number = 8 } };
	struct err e = ERR_INIT;
	cr_assert_eq(ci_prs_get(gh, "acme/widget", reqs, 2, NULL, &e), 0, "%s", e.msg);
	cr_assert_eq(reqs[0].rc, 0, "%s", reqs[0].err.msg);
	cr_assert_eq(count_kind(&reqs[0].pr, CI_COMMENT_ISSUE), 130);
	cr_assert(ci_err_is_transient(reqs[1].rc), "rc %d: %s", reqs[1].rc, reqs[1].err.msg);
	cr_assert(strstr(reqs[1].err.msg, "pull request #8"), "%s", reqs[1].err.msg);
	cr_assert_eq(reqs[1].pr.n_comments, 0, "a failed PR keeps nothing");
	ci_pr_release(&reqs[0].pr);
	ci_pr_release(&reqs[1].pr);
	ci_provider_free(gh);
	free(dir);
}

Test(pr, an_archive_without_pulls_jsonl_has_no_pull_request_data)
{
	char *dir = write_archive(0);
	struct ci_provider *lo = open_kind(CI_LOCAL, dir);
	cr_assert_not(ci_prs_available(lo));
	struct ci_pr_req req = { .number = 7 };
	struct err e = ERR_INIT;
	cr_assert_eq(ci_prs_get(lo, "acme/widget", &req, 1, NULL, &e), CI_ERR_PERMANENT);
	cr_assert_eq(req.rc, CI_ERR_PERMANENT);
	cr_assert(strstr(e.msg, "no pull-request data"), "%s", e.msg);
	ci_provider_free(lo);
	/* A broken line is an error naming the line, not silently no data. */
	char *p = fs_join(dir, "pulls.jsonl");
	cr_assert_eq(fs_write_atomic(p, "{\"number\": 3}\n", 14, &e), 0);
	lo = open_kind(CI_LOCAL, dir);
	cr_assert(ci_prs_available(lo));
	cr_assert_eq(ci_prs_get(lo, "acme/widget", &req, 1, NULL, &e), ERR_INPUT);
	cr_assert(strstr(e.msg, "pulls.jsonl:1"), "%s", e.msg);
	ci_provider_free(lo);
	free(p);
	free(dir);
}

Test(pr, the_repository_comment_list_is_fetched_once_per_context_across_batches)
{
	char *dir = write_archive(1);
	start_server(dir);
	struct ci_provider *gh = open_kind(CI_GITHUB, NULL);
	struct ci_pr_ctx ctx = CI_PR_CTX_INIT;
	struct ci_pr_req a = { .number = 7 }, b = { .number = 8 };
	struct err e = ERR_INIT;
	cr_assert_eq(ci_prs_get(gh, "acme/widget", &a, 1, &ctx, &e), 0, "%s", e.msg);
	cr_assert_eq(ci_prs_get(gh, "acme/widget", &b, 1, &ctx, &e), 0, "%s", e.msg);
	cr_assert_eq(fx_count(&srv, "by_endpoint", "GET /repos/{owner}/{repo}/comments"), 1,
		     "two batches of one repository ask for its commit comments once");
	cr_assert_eq(a.rc, 0, "%s", a.err.msg);
	cr_assert_eq(b.rc, 0, "%s", b.err.msg);
	cr_assert_eq(count_kind(&a.pr, CI_COMMENT_COMMIT), 2);
	cr_assert_not_null(find_comment(&b.pr, CI_COMMENT_COMMIT, "603"), "the second batch matches the kept list");
	ci_pr_release(&a.pr);
	ci_pr_release(&b.pr);
	/* Without a context each call asks again. */
	cr_assert_eq(ci_prs_get(gh, "acme/widget", &b, 1, NULL, &e), 0, "%s", e.msg);
	cr_assert_eq(fx_count(&srv, "by_endpoint", "GET /repos/{owner}/{repo}/comments"), 2);
	ci_pr_release(&b.pr);
	ci_pr_ctx_release(&ctx);
	ci_provider_free(gh);
	free(dir);
}

Test(pr, a_failing_repository_comment_list_fails_every_pr_of_the_repository)
{
	char *dir = write_archive(1);
	start_server(dir);
	cr_assert_eq(fx_config(&srv, "{\"faults\": [{\"path\": \"/repos/acme/widget/comments\", \"status\": 503, \"times\": -1}]}"),
		     0);
	struct ci_provider *gh = open_kind(CI_GITHUB, NULL);
	struct ci_pr_ctx ctx = CI_PR_CTX_INIT;
	struct ci_pr_req a = { .number = 7 }, b = { .number = 8 };
	struct err e = ERR_INIT;
	cr_assert_eq(ci_prs_get(gh, "acme/widget", &a, 1, &ctx, &e), 0, "%s", e.msg);
	long asked = fx_count(&srv, "by_endpoint", "GET /repos/{owner}/{repo}/comments");
	cr_assert_eq(ci_prs_get(gh, "acme/widget", &b, 1, &ctx, &e), 0, "%s", e.msg);
	/* As docs/ci.md says: the commit comments of every PR would be unknown, so every PR of the repository fails
	 * (transient: retry-ingestion asks again), the later batches without asking the list again. */
	cr_assert(ci_err_is_transient(a.rc), "rc %d: %s", a.rc, a.err.msg);
	cr_assert(ci_err_is_transient(b.rc), "rc %d: %s", b.rc, b.err.msg);
	cr_assert(strstr(b.err.msg, "pull request #8") && strstr(b.err.msg, "/comments"), "%s", b.err.msg);
	cr_assert_eq(a.pr.n_comments + b.pr.n_comments, 0, "a failed PR keeps nothing");
	cr_assert_eq(fx_count(&srv, "by_endpoint", "GET /repos/{owner}/{repo}/comments"), asked);
	ci_pr_release(&a.pr);
	ci_pr_release(&b.pr);
	ci_pr_ctx_release(&ctx);
	ci_provider_free(gh);
	free(dir);
}

/* The fixture server's derived pull requests (no pulls.jsonl) have a review comment drafted before a build and
 * submitted after it: written out as an archive, checked in the file, and read alike by both providers. */
Test(pr, the_fixture_server_derives_review_comments_submitted_after_a_build)
{
	char *dir = ts_tempdir("ci-pr-derived"), *out = NULL;
	int st = ts_run(&out, "/usr/bin/python3 %s --write-archive %s/w --generate repos=1,runs=60,seed=3 2>&1", fx_script(),
			dir);
	if (st != 0 && out && strstr(out, "No such file"))
		cr_skip_test("the fixture server cannot run (needs /usr/bin/python3)");
	cr_assert_eq(st, 0, "%s", out ? out : "");
	free(out);
	char *path = xasprintf("%s/w/pulls.jsonl", dir), *runs_path = xasprintf("%s/w/runs.jsonl", dir);
	FILE *f = fopen(path, "r"), *rf = fopen(runs_path, "r");
	cr_assert(f && rf, "%s", path);
	/* Every run start, to find a build between a comment's draft and its review's submission. */
	int64_t starts[200];
	size_t nstarts = 0;
	char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, rf) > 0 && nstarts < 200) {
		json_t *r = json_loads(line, 0, NULL);
		const char *at = json_string_value(json_object_get(r, "run_started_at"));
		if (at)
			starts[nstarts++] = T(at);
		json_decref(r);
	}
	fclose(rf);
	int straddles = 0, pulls = 0;
	json_int_t straddling_pr = 0;
	while (getline(&line, &cap, f) > 0) {
		json_t *p = json_loads(line, 0, NULL);
		pulls++;
		size_t i, k;
		json_t *c, *r;
		json_array_foreach(json_object_get(p, "review_comments"), i, c) {
			json_array_foreach(json_object_get(p, "reviews"), k, r) {
				const char *sub = json_string_value(json_object_get(r, "submitted_at"));
				if (json_integer_value(json_object_get(r, "id")) !=
					    json_integer_value(json_object_get(c, "pull_request_review_id")) || !sub)
					continue;
				int64_t drafted = T(json_string_value(json_object_get(c, "created_at"))), shown = T(sub);
				for (size_t s2 = 0; s2 < nstarts; s2++)
					if (drafted < starts[s2] && starts[s2] < shown) {
						straddles++;
						straddling_pr = json_integer_value(json_object_get(p, "number"));
					}
			}
		}
		json_decref(p);
	}
	free(line);
	fclose(f);
	cr_assert_gt(pulls, 0);
	cr_assert_gt(straddles, 0, "a review comment drafted before a build and submitted after it");
	/* Served over the API (reviews route included) and read from the archive, the PR is the same. */
	char *world = xasprintf("%s/w", dir);
	start_server(world);
	struct ci_provider *gh = open_kind(CI_GITHUB, NULL), *lo = open_kind(CI_LOCAL, world);
	const char *repo = "org0/project-0";
	struct ci_pr_req g = { .number = straddling_pr }, l = { .number = straddling_pr };
	struct err e = ERR_INIT;
	cr_assert_eq(ci_prs_get(gh, repo, &g, 1, NULL, &e), 0, "%s", e.msg);
	cr_assert_eq(ci_prs_get(lo, repo, &l, 1, NULL, &e), 0, "%s", e.msg);
	cr_assert_eq(g.rc, 0, "%s", g.err.msg);
	cr_assert_eq(l.rc, 0, "%s", l.err.msg);
	cr_assert_gt(fx_count(&srv, "by_endpoint", "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews"), 0);
	cr_assert_eq(count_kind(&g.pr, CI_COMMENT_REVIEW), count_kind(&l.pr, CI_COMMENT_REVIEW));
	for (size_t i = 0; i < g.pr.n_comments; i++)
		if (g.pr.comments[i].kind == CI_COMMENT_REVIEW)
			cr_assert_eq(find_comment(&l.pr, CI_COMMENT_REVIEW, g.pr.comments[i].id)->created_at,
				     g.pr.comments[i].created_at);
	ci_pr_release(&g.pr);
	ci_pr_release(&l.pr);
	ci_provider_free(gh);
	ci_provider_free(lo);
	free(world);
	free(path);
	free(runs_path);
	free(dir);
}

/* The PRs of head commits (a fork's PR build names none): PR #10, opened from a fork at commit a1 (PR #7's first
 * commit), joins the archive; the fixture server lists a commit's PRs by their head and their runs' commits. */
Test(pr, the_prs_of_a_commit_are_matched_by_their_head)
{
	char *dir = write_archive(1);
	char *p = fs_join(dir, "pulls.jsonl");
	FILE *f = fopen(p, "a");
	cr_assert_not_null(f);
	put_line(f, json_pack("{s:i, s:s, s:s, s:{s:s}, s:{s:s}, s:{s:s, s:s, s:{s:s}}, s:[], s:[], s:[]}", "number", 10,
			      "state", "open", "created_at", "2023-03-06T08:00:00Z", "user", "login", "frank", "repository",
			      "full_name", "acme/widget", "head", "sha", SHA_A1, "ref", "patch-1", "repo", "full_name",
			      "frank/widget", "issue_comments", "review_comments", "commit_comments"));
	fclose(f);
	free(p);
	start_server(dir);
	struct ci_provider *gh = open_kind(CI_GITHUB, NULL), *lo = open_kind(CI_LOCAL, dir);
	cr_assert(ci_prs_for_commits_available(gh));
	struct ci_commit_prs items[3] = { { .sha = SHA_A1 }, { .sha = SHA_A2 }, { .sha = SHA_C1 } };
	struct err e = ERR_INIT;
	cr_assert_eq(ci_prs_for_commits(gh, "acme/widget", items, 3, &e), 0, "%s", e.msg);
	for (int i = 0; i < 3; i++)
		cr_assert_eq(items[i].rc, 0, "%s: %s", items[i].sha, items[i].err.msg);
	cr_assert_eq(fx_count(&srv, "by_endpoint", "GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls"), 3,
		     "one request per commit");

	/* a1 is in PR #7 (an earlier push to it) and heads PR #10: #10 is its PR. */
	cr_assert_eq(items[0].n_prs, 2);
	cr_assert_eq(items[0].prs[0].number, 7);
	cr_assert_str_eq(items[0].prs[0].head_sha, SHA_A2, "PR 7's head is its last run's commit");
	const struct ci_pr_ref *pick = ci_commit_prs_pick(&items[0], "patch-1");
	cr_assert_not_null(pick);
	cr_assert_eq(pick->number, 10);
	cr_assert_str_eq(pick->head_ref, "patch-1");
	cr_assert_str_eq(pick->head_repo, "frank/widget");
	cr_assert_str_eq(pick->state, "open");
	cr_assert_eq(pick->created_at, T("2023-03-06T08:00:00Z"));
	/* a2 heads PR #7 alone. */
	cr_assert_eq(items[1].n_prs, 1);
	cr_assert_eq(ci_commit_prs_pick(&items[1], NULL)->number, 7);
	cr_assert_eq(ci_commit_prs_pick(&items[1], NULL)->created_at, T("2023-02-28T09:00:00Z"));
	/* c1 was pushed to main: no PR. */
	cr_assert_eq(items[2].n_prs, 0);
	cr_assert_null(ci_commit_prs_pick(&items[2], "main"));
	for (int i = 0; i < 3; i++)
		ci_commit_prs_release(&items[i]);

	/* An unknown repository: 404, named. */
	struct ci_commit_prs gone = { .sha = SHA_A1 };
	cr_assert_eq(ci_prs_for_commits(gh, "acme/nothing", &gone, 1, &e), 0, "%s", e.msg);
	cr_assert_eq(gone.rc, CI_ERR_NOT_FOUND, "rc %d: %s", gone.rc, gone.err.msg);
	cr_assert(strstr(gone.err.msg, "acme/nothing"), "%s", gone.err.msg);
	cr_assert_eq(gone.n_prs, 0);

	/* A local archive names its PRs in the run line: no such look-up. */
	cr_assert_not(ci_prs_for_commits_available(lo));
	struct ci_commit_prs none = { .sha = SHA_A1 };
	cr_assert_eq(ci_prs_for_commits(lo, "acme/widget", &none, 1, &e), CI_ERR_PERMANENT);
	cr_assert_eq(none.rc, CI_ERR_PERMANENT);
	ci_provider_free(gh);
	ci_provider_free(lo);
	free(dir);
}

Test(pr, a_commit_that_only_several_prs_contain_heads_none_of_them)
{
	struct ci_pr_ref prs[2] = { { .number = 3, .head_sha = (char *)SHA_A2 }, { .number = 4, .head_sha = (char *)SHA_B1 } };
	struct ci_commit_prs c = { .sha = SHA_A1, .prs = prs, .n_prs = 2 };
	cr_assert_null(ci_commit_prs_pick(&c, NULL), "neither PR has a1 as its head: guessing would be wrong half the time");
	c.sha = SHA_B1;
	cr_assert_eq(ci_commit_prs_pick(&c, NULL)->number, 4);
	/* The head is compared whatever the case of the hex digits. */
	c.sha = "B100000000000000000000000000000000000001";
	cr_assert_eq(ci_commit_prs_pick(&c, NULL)->number, 4);
	c.rc = CI_ERR_TRANSIENT;
	cr_assert_null(ci_commit_prs_pick(&c, NULL), "a failed look-up picks nothing");
}

Test(pr, a_commit_the_only_pr_merely_contains_is_taken_only_for_a_build_of_that_prs_branch)
{
	/* PR 7 moved on to a2; a1 was an earlier push to its branch patch-7. */
	struct ci_pr_ref pr7 = { .number = 7, .head_sha = (char *)SHA_A2, .head_ref = (char *)"patch-7" };
	struct ci_commit_prs c = { .sha = SHA_A1, .prs = &pr7, .n_prs = 1 };
	cr_assert_eq(ci_commit_prs_pick(&c, "patch-7")->number, 7);
	/* A build of main whose commit a merged PR brought (the shape of a pull_request_target run). */
	cr_assert_null(ci_commit_prs_pick(&c, "main"), "a base-branch build is not that PR's build");
	cr_assert_null(ci_commit_prs_pick(&c, NULL), "without the run's branch nothing says it is that PR's");
}
