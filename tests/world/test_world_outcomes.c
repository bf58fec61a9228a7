/*
 * The generated world's outcomes and logs, seen from the outside as the
 * pipeline sees them: job logs parse (src/logs) into the results their runs
 * claim, and builds fail at a plausible rate that rises with source churn,
 * after a failed build, with test changes and for new authors
 * (docs/world.md, "Outcomes").
 */
#include <criterion/criterion.h>
#include <git2.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"
#include "core/fs.h"
#include "core/xalloc.h"
#include "logs/logs.h"
#include "world/world.h"
#include "testsupport.h"
#include "world_test.h"

static const char *jstr(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* The log of job j, or 0 when it expired. */
static int read_log(const char *dir, const json_t *job, struct buf *out)
{
	char rel[64];
	char *path;
	struct err e = ERR_INIT;
	int ok;
	snprintf(rel, sizeof(rel), "logs/%lld.log", (long long)json_integer_value(json_object_get(job, "id")));
	path = fs_join(dir, rel);
	buf_reset(out);
	ok = fs_exists(path) && fs_read_file(path, out, 0, &e) == 0;
	free(path);
	return ok;
}

Test(world_outcomes, logs_parse_into_the_results_their_runs_claim)
{
	struct world_summary s;
	char *dir = wt_generate("world-logs", 2, 240, 21, &s);
	json_t *runs = wt_load_runs(dir), *run;
	struct logs_parser *p = logs_parser_new();
	struct buf log = BUF_INIT;
	long failed_runs = 0, failed_in_tests = 0, failed_before_tests = 0, ok_runs = 0, stopped = 0;
	int saw_pytest_summary = 0, saw_maven_failure = 0;
	size_t i;
	json_array_foreach(runs, i, run) {
		const char *concl = jstr(run, "conclusion");
		json_t *jobs = json_object_get(run, "jobs"), *job;
		int any_log = 0, any_failed_job = 0, any_failed_tests = 0;
		size_t k;
		json_array_foreach(jobs, k, job) {
			struct logs_result r;
			if (!read_log(dir, job, &log))
				continue;
			any_log = 1;
			logs_result_init(&r);
			logs_parser_parse_buffer(p, &r, log.data, log.len);
			if (!strcmp(jstr(job, "conclusion"), "failure"))
				cr_assert_eq(r.status, LOGS_STATUS_BROKEN, "failed job %lld: status %s",
					     (long long)json_integer_value(json_object_get(job, "id")), logs_status_name(r.status));
			if (!strcmp(jstr(job, "conclusion"), "success")) {
				cr_assert_eq(r.status, LOGS_STATUS_OK, "job %s of a green run: status %s", jstr(job, "name"),
					     logs_status_name(r.status));
				cr_assert(r.tests_recognised && r.tests_run > 0 && r.tests_failed == 0,
					  "green job %lld: %lld run, %lld failed", (long long)json_integer_value(json_object_get(job, "id")),
					  r.tests_run, r.tests_failed);
			}
			if (!strcmp(concl, "cancelled") || !strcmp(concl, "timed_out")) {
				cr_assert(strstr(log.data, "##[error]The operation was canceled."), "a stopped job says so");
				if (!strcmp(concl, "timed_out"))
					cr_assert(strstr(log.data, "exceeded the maximum execution time of 30 minutes"));
				stopped++;
			}
			any_failed_job |= !strcmp(jstr(job, "conclusion"), "failure");
			any_failed_tests |= r.tests_failed > 0;
			if (r.tests_failed > 0 && strstr(log.data, " failed, ") && strstr(log.data, "=== FAILURES ==="))
				saw_pytest_summary = 1;
			if (r.tests_failed > 0 && strstr(log.data, "[INFO] BUILD FAILURE") && strstr(log.data, "[INFO] Results:"))
				saw_maven_failure = 1;
			logs_result_release(&r);
		}
		/* Judge a failed run by the logs of its failed jobs (the others passed or expired). */
		if (!any_log || (!strcmp(concl, "failure") && !any_failed_job))
			continue;
		if (!strcmp(concl, "success"))
			ok_runs++;
		if (strcmp(concl, "failure"))
			continue;
		failed_runs++;
		failed_in_tests += any_failed_tests;
		failed_before_tests += !any_failed_tests;
	}
	cr_assert(ok_runs > 100, "only %ld green runs with logs", ok_runs);
	cr_assert(failed_runs > 20, "only %ld failed runs with logs", failed_runs);
	cr_assert(failed_in_tests * 2 > failed_runs, "%ld of %ld failed runs show failing tests", failed_in_tests, failed_runs);
	cr_assert(failed_before_tests > 0, "no run failed before its tests (install, compile or lint)");
	cr_assert(saw_pytest_summary, "no pytest FAILURES section with a 'N failed, M passed' summary");
	cr_assert(saw_maven_failure, "no Maven Results: block with BUILD FAILURE");
	cr_assert(stopped > 0 || s.cancelled + s.timed_out == 0);
	cr_assert(s.logs_expired > 0, "no expired log in %lld jobs", s.jobs);
	logs_parser_free(p);
	buf_release(&log);
	json_decref(runs);
	free(dir);
}

/* ---- outcome correlations ---- */

static const char *default_branch(const json_t *repos, const char *full)
{
	size_t i;
	json_t *r;
	json_array_foreach(repos, i, r)
		if (!strcmp(jstr(r, "full_name"), full))
			return jstr(r, "default_branch");
	return "main";
}

static int is_test_path(const char *p)
{
	return !strncmp(p, "tests/", 6) || !strncmp(p, "src/test/", 9);
}

static int is_src_path(const char *p)
{
	size_t n = strlen(p);
	return !is_test_path(p) && ((n > 3 && !strcmp(p + n - 3, ".py")) || (n > 5 && !strcmp(p + n - 5, ".java")));
}

/* Lines added + removed in source and in test files between two commits. */
static void churn(git_repository *repo, const git_oid *from, const git_oid *to, long *src, long *test)
{
	git_commit *a = NULL, *b = NULL;
	git_tree *ta = NULL, *tb = NULL;
	git_diff *d = NULL;
	*src = *test = 0;
	cr_assert_eq(git_commit_lookup(&b, repo, to), 0);
	cr_assert_eq(git_commit_tree(&tb, b), 0);
	if (from) {
		cr_assert_eq(git_commit_lookup(&a, repo, from), 0);
		cr_assert_eq(git_commit_tree(&ta, a), 0);
	}
	cr_assert_eq(git_diff_tree_to_tree(&d, repo, ta, tb, NULL), 0);
	for (size_t i = 0; i < git_diff_num_deltas(d); i++) {
		git_patch *p = NULL;
		size_t add = 0, del = 0;
		const char *path = git_diff_get_delta(d, i)->new_file.path;
		cr_assert_eq(git_patch_from_diff(&p, d, i), 0);
		git_patch_line_stats(NULL, &add, &del, p);
		if (is_src_path(path))
			*src += (long)(add + del);
		else if (is_test_path(path))
			*test += (long)(add + del);
		git_patch_free(p);
	}
	git_diff_free(d);
	git_tree_free(ta);
	git_tree_free(tb);
	git_commit_free(a);
	git_commit_free(b);
}

struct row {
	long src, test;
	int prev_failed, author_seen, failed;
};

struct last {
	char key[300];
	git_oid sha;
	int failed;
};

static struct last *find_last(struct last *v, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].key, key))
			return &v[i];
	return NULL;
}

static double rate(const struct row *rows, size_t n, int (*pick)(const struct row *, const void *), const void *arg,
		   size_t *count)
{
	size_t k = 0, f = 0;
	for (size_t i = 0; i < n; i++)
		if (pick(&rows[i], arg))
			k++, f += rows[i].failed;
	*count = k;
	return k ? (double)f / (double)k : 0;
}

static int churn_above(const struct row *r, const void *arg)
{
	return r->src > *(const long *)arg;
}
static int churn_at_most(const struct row *r, const void *arg)
{
	return r->src <= *(const long *)arg;
}
static int prev_failed(const struct row *r, const void *arg)
{
	(void)arg;
	return r->prev_failed == 1;
}
static int prev_passed(const struct row *r, const void *arg)
{
	(void)arg;
	return r->prev_failed == 0;
}
static int tests_changed(const struct row *r, const void *arg)
{
	(void)arg;
	return r->test > 0;
}
static int tests_unchanged(const struct row *r, const void *arg)
{
	(void)arg;
	return r->test == 0;
}
static int new_author(const struct row *r, const void *arg)
{
	(void)arg;
	return r->author_seen < 3;
}
static int known_author(const struct row *r, const void *arg)
{
	(void)arg;
	return r->author_seen >= 10;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return x < y ? -1 : x > y;
}

Test(world_outcomes, failure_rate_is_plausible_and_rises_with_churn_history_tests_and_newcomers)
{
	struct world_summary s;
	char *dir = wt_generate("world-rates", 4, 1200, 11, &s);
	json_t *runs = wt_load_runs(dir), *run, *repos;
	struct row *rows = xcalloc(json_array_size(runs), sizeof(*rows));
	struct last *last = xcalloc(json_array_size(runs) + 1, sizeof(*last));
	struct strvec seen = STRVEC_INIT;
	size_t n = 0, nlast = 0, i, cnt_a, cnt_b;
	long *churns, median;
	double a, b;
	{
		char *rp = fs_join(dir, "repos.json");
		repos = json_load_file(rp, 0, NULL);
		cr_assert(json_is_array(repos));
		free(rp);
	}
	git_libgit2_init();
	/* runs.jsonl is in id order, which is creation order. */
	json_array_foreach(runs, i, run) {
		const char *concl = jstr(run, "conclusion"), *repo_name = jstr(json_object_get(run, "repository"), "full_name");
		const char *branch = jstr(run, "head_branch");
		json_t *prs = json_object_get(run, "pull_requests");
		char key[300], main_key[300], *path, *rel;
		git_repository *repo = NULL;
		git_oid head, base;
		struct last *l, *lm;
		const char *email = jstr(json_object_get(json_object_get(run, "head_commit"), "author"), "email");
		int seen_count = 0;
		snprintf(key, sizeof(key), "%s#%s", repo_name, branch);
		rel = xasprintf("repos/%s.git", repo_name);
		path = fs_join(dir, rel);
		cr_assert_eq(git_repository_open_bare(&repo, path), 0);
		cr_assert_eq(git_oid_fromstr(&head, jstr(run, "head_sha")), 0);
		l = find_last(last, nlast, key);
		/* The previous build of the branch; a pull request's first build compares with its base. */
		if (!l && json_array_size(prs))
			cr_assert_eq(git_oid_fromstr(&base, jstr(json_object_get(json_array_get(prs, 0), "base"), "sha")), 0);
		else if (!l) {
			git_commit *c = NULL;
			cr_assert_eq(git_commit_lookup(&c, repo, &head), 0);
			if (git_commit_parentcount(c))
				git_oid_cpy(&base, git_commit_parent_id(c, 0));
			else
				git_oid_cpy(&base, &head);
			git_commit_free(c);
		} else
			git_oid_cpy(&base, &l->sha);
		/* The author's earlier builds in this repository. */
		strvec_pushf(&seen, "%s %s", repo_name, email);
		for (size_t q = 0; q + 1 < seen.n; q++)
			seen_count += !strcmp(seen.v[q], seen.v[seen.n - 1]);
		if ((!strcmp(concl, "success") || !strcmp(concl, "failure")) &&
		    strcmp(jstr(json_object_get(run, "actor"), "type"), "Bot")) {
			struct row *r = &rows[n++];
			snprintf(main_key, sizeof(main_key), "%s#%s", repo_name, default_branch(repos, repo_name));
			lm = find_last(last, nlast, main_key);
			churn(repo, &base, &head, &r->src, &r->test);
			r->failed = !strcmp(concl, "failure");
			r->prev_failed = l ? l->failed : lm ? lm->failed : -1;
			r->author_seen = seen_count;
		}
		if (!strcmp(concl, "success") || !strcmp(concl, "failure")) {
			if (!l) {
				l = &last[nlast++];
				snprintf(l->key, sizeof(l->key), "%s", key);
			}
			git_oid_cpy(&l->sha, &head);
			l->failed = !strcmp(concl, "failure");
		}
		git_repository_free(repo);
		free(path);
		free(rel);
	}
	git_libgit2_shutdown();
	{
		size_t fails = 0;
		for (i = 0; i < n; i++)
			fails += rows[i].failed;
		a = (double)fails / (double)n;
		cr_assert(n > 1000, "only %zu labelled human builds", n);
		cr_assert(a >= 0.15 && a <= 0.40, "failure rate %.3f is outside 15-40%%", a);
	}
	churns = xcalloc(n, sizeof(*churns));
	for (i = 0; i < n; i++)
		churns[i] = rows[i].src;
	qsort(churns, n, sizeof(*churns), cmp_long);
	median = churns[n / 2];
	a = rate(rows, n, churn_above, &median, &cnt_a);
	b = rate(rows, n, churn_at_most, &median, &cnt_b);
	cr_assert(a > b + 0.08, "churn above the median (%ld lines): %.3f of %zu fail, at most: %.3f of %zu", median, a, cnt_a,
		  b, cnt_b);
	a = rate(rows, n, prev_failed, NULL, &cnt_a);
	b = rate(rows, n, prev_passed, NULL, &cnt_b);
	cr_assert(a > b + 0.08, "after a failed build %.3f of %zu fail, after a green one %.3f of %zu", a, cnt_a, b, cnt_b);
	a = rate(rows, n, tests_changed, NULL, &cnt_a);
	b = rate(rows, n, tests_unchanged, NULL, &cnt_b);
	cr_assert(a > b + 0.04, "with test changes %.3f of %zu fail, without %.3f of %zu", a, cnt_a, b, cnt_b);
	a = rate(rows, n, new_author, NULL, &cnt_a);
	b = rate(rows, n, known_author, NULL, &cnt_b);
	cr_assert(a > b + 0.04, "new authors %.3f of %zu fail, known authors %.3f of %zu", a, cnt_a, b, cnt_b);
	strvec_clear(&seen);
	free(churns);
	free(rows);
	free(last);
	json_decref(runs);
	json_decref(repos);
	free(dir);
}
