/*
 * Pull requests (ci/pr.h) from one hand-written archive, read by the local
 * provider and served over the GitHub REST API by the fixture server
 * (`ciserver.py --world DIR`): both must give the same PRs and comments.
 *
 * acme/widget: runs 101 and 102 build PR #7 (commits a1..., a2...), run 103
 * builds PR #8 (commit b1...), run 104 is a push (commit c1...).
 * PR #7: 130 issue comments (two pages of 100), 3 review comments, commit
 * comments 601 on a1 and 602 on a2. PR #8: 1 issue comment, commit comment
 * 603 on b1. PR #9 does not exist.
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
	json_t *pr7 = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:{s:s}, s:{s:s}, s:o, s:[o, o, o], s:[o, o]}", "number", 7,
				"state", "closed", "created_at", "2023-02-28T09:00:00Z", "closed_at", "2023-03-05T09:00:00Z",
				"merged_at", "2023-03-05T09:00:00Z", "body", "fix the widget\nfor good", "user", "login",
				"alice", "repository", "full_name", "acme/widget", "issue_comments", issues, "review_comments",
				comment(501, "bob", "2023-03-01T09:00:00Z", SHA_A1),
				comment(502, "bob", "2023-03-01T11:00:00Z", SHA_A1),
				comment(503, "carol", "2023-03-02T11:00:00Z", SHA_A2), "commit_comments",
				comment(601, "dave", "2023-03-01T12:00:00Z", SHA_A1),
				comment(602, "dave", "2023-03-02T12:00:00Z", SHA_A2));
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
	cr_assert_eq(ci_prs_get(p, "acme/widget", reqs, 3, &e), 0, "%s", e.msg);
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
	/* Every page of the 130 issue comments, all three review comments, and only PR 7's commit comments. */
	cr_assert_eq(count_kind(a, CI_COMMENT_ISSUE), 130, "%s", ci_provider_kind(p));
	cr_assert_eq(count_kind(a, CI_COMMENT_REVIEW), 3);
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
	/* Request cost: per PR its object and the first pages of its three lists (PR 7's issue comments
	 * have a second page; PR 9's lists answer 404 too), plus the repository's commit comments once. */
	cr_assert_eq(fx_count(&srv, "by_endpoint", "GET /repos/{owner}/{repo}/pulls/{pull_number}"), 3);
	cr_assert_eq(fx_count(&srv, "by_endpoint", "GET /repos/{owner}/{repo}/issues/{issue_number}/comments"), 4);
	cr_assert_eq(fx_count(&srv, "by_endpoint", "GET /repos/{owner}/{repo}/pulls/{pull_number}/comments"), 3);
	cr_assert_eq(fx_count(&srv, "by_endpoint", "GET /repos/{owner}/{repo}/pulls/{pull_number}/commits"), 3);
	cr_assert_eq(fx_count(&srv, "by_endpoint", "GET /repos/{owner}/{repo}/comments"), 1);
	cr_assert_eq(fx_count(&srv, NULL, "requests"), 14);
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
	cr_assert_eq(ci_prs_get(gh, "acme/widget", reqs, 2, &e), 0, "%s", e.msg);
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
	cr_assert_eq(ci_prs_get(lo, "acme/widget", &req, 1, &e), CI_ERR_PERMANENT);
	cr_assert_eq(req.rc, CI_ERR_PERMANENT);
	cr_assert(strstr(e.msg, "no pull-request data"), "%s", e.msg);
	ci_provider_free(lo);
	/* A broken line is an error naming the line, not silently no data. */
	char *p = fs_join(dir, "pulls.jsonl");
	cr_assert_eq(fs_write_atomic(p, "{\"number\": 3}\n", 14, &e), 0);
	lo = open_kind(CI_LOCAL, dir);
	cr_assert(ci_prs_available(lo));
	cr_assert_eq(ci_prs_get(lo, "acme/widget", &req, 1, &e), ERR_INPUT);
	cr_assert(strstr(e.msg, "pulls.jsonl:1"), "%s", e.msg);
	ci_provider_free(lo);
	free(p);
	free(dir);
}
