/*
 * git_*, repo_*, team_*, devops_* and the git side of author_* on the
 * repository of tests/git/history_world.h (C0 .. R1) with two more commits,
 * and seven warehouse builds over it. Every expected value is worked out by
 * hand below.
 *
 *   R1 bob    T0+9d  besides history_world.h's rename: .github/workflows/ci.yml
 *                    +1 -1, add Dockerfile
 *   X1 erin   T0+10d (branch cleanup, from R1) committed by GitHub's web-flow:
 *                    tests/test_app.py back to two tests (-3 lines, one test deleted)
 *   X2 alice  T0+11d (cleanup, from X1) empty commit
 *
 * Builds (each starts 1 h after its commit, runs 10 minutes):
 *   B1 C1 success bob, B2 C3 failure carol, B3 M2 success carol,
 *   B4 P1 failure dave (pull request 1), B5 R1 success bob, B6 X1 success erin,
 *   B7 X2 success alice.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include "feat_test.h"
#include "testsupport.h"
#include "../git/history_world.h"
#include "core/json.h"
#include "git/history.h"

#define T0 HW_T0
#define DAY HW_DAY
#define US 1000000LL

static const struct rb_person erin = { "Erin", "erin@x.org" };
static const struct rb_person web_flow = { "GitHub", "noreply@github.com" };

struct world {
	struct hw_repo g;
	git_oid x1, x2;
	char hex[12][GIT_OID_HEXSZ + 1];
	struct git_history *h;
	struct feat_hist_build hb[7];
	struct feat_history hist;
	struct feat_build b[7];
	int64_t pr1;
	struct feat_repo repo_row;
};

static void build_world(struct world *w)
{
	memset(w, 0, sizeof(*w));
	const struct rb_file r1_more[] = { { ".github/workflows/ci.yml", "on: [push, pull_request]\n", 0 },
					   { "Dockerfile", "FROM debian\n", 0 } };
	hw_build(&w->g, "features-git", r1_more, RB_N(r1_more));
	struct rb_file fx[] = { { "tests/test_app.py", hw_test_v1, 0 } };
	w->x1 = rb_commit_by(w->g.repo, NULL, &w->g.r1, 1, fx, 1, erin, &web_flow, T0 + 10 * DAY, "Remove a test (#2)");
	w->x2 = rb_commit(w->g.repo, "refs/heads/cleanup", &w->x1, NULL, 0, hw_alice, T0 + 11 * DAY);
	const git_oid *all[12] = { &w->g.c0, &w->g.c1, &w->g.c2, &w->g.c3, &w->g.f1, &w->g.m1,
				   &w->g.m2, &w->g.e1, &w->g.p1, &w->g.r1, &w->x1,   &w->x2 };
	for (int i = 0; i < 12; i++)
		rb_hex(w->hex[i], all[i]);
	struct err e = ERR_INIT;
	cr_assert_eq(git_history_new(&w->h, w->g.repo, &e), 0, "%s", e.msg);
	cr_assert_eq(git_history_update(w->h, NULL, &e), 0, "%s", e.msg);

	/* commit of each build: C1, C3, M2, P1, R1, X1, X2 (commit k was made on day k); its author */
	const int commit_of[7] = { 1, 3, 6, 8, 9, 10, 11 };
	const char *conclusion[7] = { "success", "failure", "success", "failure", "success", "success", "success" };
	const char *email[7] = { "bob@x.org",	  "carol@x.org", "carol@x.org", "dave@fork.org",
				 "bob@x.org",	  "erin@x.org",	 "alice@x.org" };
	for (int i = 0; i < 7; i++) {
		int64_t start = (T0 + commit_of[i] * DAY + 3600) * US;
		w->hb[i] = ft_hist(i + 1, w->hex[commit_of[i]], start, start + 10 * FT_MIN, conclusion[i], email[i]);
		w->b[i] = ft_build(i + 1, w->hex[commit_of[i]], start, conclusion[i], email[i]);
		w->b[i].completed_at = start + 10 * FT_MIN;
	}
	w->pr1 = 1;
	w->hb[3].pr_number = 1;
	w->b[3].event = "pull_request";
	w->b[3].pr_numbers = &w->pr1;
	w->b[3].n_pr_numbers = 1;
	w->hist.builds = w->hb;
	w->hist.n = 7;
	w->repo_row = (struct feat_repo){ "o/r", "Python", "main", "github_actions" };
}

static void free_world(struct world *w)
{
	git_history_free(w->h);
	git_repository_free(w->g.repo);
}

static const char *const git_names[] = { "git_*", "repo_*", "team_*", "devops_*", "author_*", NULL };

/* Vectors of all five builds, computed oldest to newest in one session. */
static void compute_all(struct world *w, struct feat_vector v[5], int lookback_days)
{
	struct feat_plan *p = ft_plan_x(git_names, NULL, FEAT_NAMING_NATIVE, lookback_days);
	struct feat_session *s = feat_session_new(p);
	for (int i = 0; i < 5; i++) {
		struct feat_input in = { .build = &w->b[i], .repo = &w->repo_row, .history = &w->hist, .git = w->h };
		v[i] = ft_compute(s, &in);
		cr_assert(!v[i].partial, "build %d partial: %s", i + 1,
			  v[i].missing_resources.n ? v[i].missing_resources.v[0] : "");
	}
	feat_session_free(s);
	feat_plan_free(p);
}

static void release_all(struct feat_vector v[5])
{
	for (int i = 0; i < 5; i++)
		feat_vector_release(&v[i]);
}

/* The world and the vectors of its first five builds (B1..B5, default lookback). */
static void open_world(struct world *w, struct feat_vector v[5])
{
	build_world(w);
	compute_all(w, v, 0);
}

static void close_world(struct world *w, struct feat_vector v[5])
{
	release_all(v);
	free_world(w);
}

static double entropy(const double *churn, int n)
{
	double total = 0, h = 0;
	for (int i = 0; i < n; i++)
		total += churn[i];
	for (int i = 0; i < n; i++)
		h -= churn[i] / total * log2(churn[i] / total);
	return h;
}

static void assert_list(const struct feat_vector *v, const char *name, const char *const *want, size_t n)
{
	const struct strvec *l = ft_list(v, name);
	cr_assert_eq(l->n, n, "%s has %zu items, want %zu", name, l->n, n);
	for (size_t i = 0; i < n; i++)
		cr_assert_str_eq(l->v[i], want[i], "%s[%zu]", name, i);
}

Test(git_features, walks_built_commits_to_the_root_a_merge_or_an_earlier_build)
{
	struct world w;
	struct feat_vector v[5];
	open_world(&w, v);
	/* B1: C1, C0, then the root. */
	ft_assert_str(&v[0], "git_prev_commit_status", "no_previous_build");
	cr_assert(ft_is_null(&v[0], "git_prev_commit_sha"));
	const char *b1[] = { w.hex[1], w.hex[0] };
	assert_list(&v[0], "git_built_commits", b1, 2);
	ft_assert_int(&v[0], "git_built_commits_count", 2);
	/* B2: C3, C2, then C1 which B1 built. */
	ft_assert_str(&v[1], "git_prev_commit_status", "build_found");
	ft_assert_str(&v[1], "git_prev_commit_sha", w.hex[1]);
	const char *b2[] = { w.hex[3], w.hex[2] };
	assert_list(&v[1], "git_built_commits", b2, 2);
	/* B3: the merge M2 alone. */
	ft_assert_str(&v[2], "git_prev_commit_status", "merge_found");
	ft_assert_int(&v[2], "git_built_commits_count", 1);
	ft_assert_int(&v[2], "git_trigger_is_merge", 1);
	/* B4: P1 (reachable only through refs/pull/1/head), the empty E1, then M2 built by B3. */
	ft_assert_str(&v[3], "git_trigger_sha", w.hex[8]);
	ft_assert_str(&v[3], "git_prev_commit_status", "build_found");
	ft_assert_str(&v[3], "git_prev_commit_sha", w.hex[6]);
	const char *b4[] = { w.hex[8], w.hex[7] };
	assert_list(&v[3], "git_built_commits", b4, 2);
	/* B5: R1, E1 (B4 built P1, not E1), then M2. */
	const char *b5[] = { w.hex[9], w.hex[7] };
	assert_list(&v[4], "git_built_commits", b5, 2);
	ft_assert_str(&v[4], "git_prev_commit_sha", w.hex[6]);
	close_world(&w, v);
}

Test(git_features, sums_diffs_over_the_built_commits)
{
	struct world w;
	struct feat_vector v[5];
	open_world(&w, v);
	/* B1 over C1 + C0: six files added, app.py both added and modified. */
	const struct feat_vector *x = &v[0];
	ft_assert_int(x, "git_diff_files_added", 6);
	ft_assert_int(x, "git_diff_files_modified", 1);
	ft_assert_int(x, "git_diff_files_deleted", 0);
	ft_assert_int(x, "git_diff_files_touched", 6);
	ft_assert_int(x, "git_diff_src_files", 2);
	ft_assert_int(x, "git_diff_test_files", 1);
	ft_assert_int(x, "git_diff_doc_files", 1);
	ft_assert_int(x, "git_diff_other_files", 2); /* logo.png, ci.yml */
	ft_assert_int(x, "git_diff_binary_files", 1);
	ft_assert_int(x, "git_diff_lines_added", 34);
	ft_assert_int(x, "git_diff_lines_deleted", 1);
	ft_assert_int(x, "git_diff_src_churn", 28);
	ft_assert_int(x, "git_diff_test_churn", 5);
	ft_assert_int(x, "git_diff_tests_added", 2);
	ft_assert_int(x, "git_diff_tests_deleted", 0);
	const double c1[] = { 8, 20, 5, 1, 1 };
	ft_assert_float(x, "git_change_entropy", entropy(c1, 5));
	ft_assert_float(x, "git_files_modified_ratio", 1.0);
	/* B2 over C3 + C2: a rename, a binary deletion, an addition, a test added. */
	x = &v[1];
	ft_assert_int(x, "git_diff_files_added", 1);
	ft_assert_int(x, "git_diff_files_deleted", 1);
	ft_assert_int(x, "git_diff_files_modified", 1);
	ft_assert_int(x, "git_diff_files_renamed", 1);
	ft_assert_int(x, "git_diff_files_touched", 4);
	ft_assert_int(x, "git_diff_src_files", 2);
	ft_assert_int(x, "git_diff_test_files", 1);
	ft_assert_int(x, "git_diff_other_files", 1);
	ft_assert_int(x, "git_diff_binary_files", 1);
	ft_assert_int(x, "git_diff_lines_added", 5);
	ft_assert_int(x, "git_diff_lines_deleted", 0);
	ft_assert_int(x, "git_diff_src_churn", 2);
	ft_assert_int(x, "git_diff_test_churn", 3);
	ft_assert_int(x, "git_diff_tests_added", 1);
	const double c2[] = { 3, 2 };
	ft_assert_float(x, "git_change_entropy", entropy(c2, 2));
	ft_assert_float(x, "git_files_modified_ratio", 4.0 / 6.0);
	/* B3: the merge against its first parent only. */
	x = &v[2];
	ft_assert_int(x, "git_diff_files_modified", 1);
	ft_assert_int(x, "git_diff_src_churn", 2);
	ft_assert_int(x, "git_diff_lines_added", 1);
	ft_assert_float(x, "git_change_entropy", 0.0);
	ft_assert_float(x, "git_files_modified_ratio", 1.0 / 6.0);
	/* B4: the empty commit adds nothing. */
	x = &v[3];
	ft_assert_int(x, "git_diff_files_touched", 1);
	ft_assert_int(x, "git_diff_test_churn", 3);
	ft_assert_int(x, "git_diff_src_churn", 0);
	ft_assert_int(x, "git_diff_tests_added", 1);
	/* B5: a rename with an edit, a CI file modified, a Dockerfile added. */
	x = &v[4];
	ft_assert_int(x, "git_diff_files_added", 1);
	ft_assert_int(x, "git_diff_files_modified", 1);
	ft_assert_int(x, "git_diff_files_renamed", 1);
	ft_assert_int(x, "git_diff_files_touched", 3);
	ft_assert_int(x, "git_diff_src_files", 1);
	ft_assert_int(x, "git_diff_other_files", 2);
	ft_assert_int(x, "git_diff_lines_added", 3);
	ft_assert_int(x, "git_diff_lines_deleted", 2);
	ft_assert_int(x, "git_diff_src_churn", 2);
	const double c5[] = { 2, 2, 1 };
	ft_assert_float(x, "git_change_entropy", entropy(c5, 3));
	ft_assert_float(x, "git_files_modified_ratio", 3.0 / 7.0);
	close_world(&w, v);
}

Test(git_features, counts_commits_on_touched_files_in_the_window_without_the_built_ones)
{
	struct world w;
	struct feat_vector v[5];
	open_world(&w, v);
	ft_assert_int(&v[0], "git_file_commit_density", 0);
	ft_assert_int(&v[1], "git_file_commit_density", 2); /* C0, C1 (src/app.py, the rename's old path) */
	ft_assert_int(&v[2], "git_file_commit_density", 2); /* C3, F1 on util.py */
	ft_assert_int(&v[3], "git_file_commit_density", 2); /* C0, C2 on the test file */
	ft_assert_int(&v[4], "git_file_commit_density", 1); /* C0 on src/big.py and ci.yml */
	/* A 5-day window before B5 (from T0+4d+1h) holds none of them. */
	struct feat_vector s[5];
	compute_all(&w, s, 5);
	ft_assert_int(&s[4], "git_file_commit_density", 0);
	release_all(s);
	close_world(&w, v);
}

Test(git_features, compares_churn_with_the_previous_five_finished_builds)
{
	struct world w;
	struct feat_vector v[5];
	open_world(&w, v);
	/* Code churn (source + test) per build: B1 33, B2 5, B3 2, B4 3, B5 2. */
	cr_assert(ft_is_null(&v[0], "git_churn_vs_prev5"));
	ft_assert_float(&v[1], "git_churn_vs_prev5", 5.0 / 33.0);
	ft_assert_float(&v[2], "git_churn_vs_prev5", 2.0 / 19.0);
	ft_assert_float(&v[3], "git_churn_vs_prev5", 3.0 / (40.0 / 3.0));
	ft_assert_float(&v[4], "git_churn_vs_prev5", 2.0 / 10.75);
	close_world(&w, v);
}

Test(git_features, describes_the_repository_at_the_trigger_commit)
{
	struct world w;
	struct feat_vector v[5];
	open_world(&w, v);
	ft_assert_str(&v[0], "repo_full_name", "o/r");
	ft_assert_str(&v[0], "repo_language", "python");
	ft_assert_str(&v[0], "repo_code_language", "python");
	/* B1 at C1: app.py 4 code lines + big.py 20; test file 4 code lines, 2 tests, 2 asserts. */
	ft_assert_float(&v[0], "repo_age_days", 1.0);
	ft_assert_int(&v[0], "repo_total_commits", 2);
	ft_assert_int(&v[0], "repo_sloc", 24);
	ft_assert_int(&v[0], "repo_test_sloc", 4);
	ft_assert_float(&v[0], "repo_test_lines_per_kloc", 4000.0 / 24);
	ft_assert_float(&v[0], "repo_test_cases_per_kloc", 2000.0 / 24);
	ft_assert_float(&v[0], "repo_asserts_per_kloc", 2000.0 / 24);
	ft_assert_int(&v[0], "repo_src_files", 2);
	ft_assert_int(&v[0], "repo_test_files", 1);
	ft_assert_int(&v[0], "repo_files", 6);
	/* B2 at C3: main.py 4 + big.py 20 + util.py 2; tests 6 code lines, 3 tests. */
	ft_assert_float(&v[1], "repo_age_days", 3.0);
	ft_assert_int(&v[1], "repo_total_commits", 4);
	ft_assert_int(&v[1], "repo_sloc", 26);
	ft_assert_float(&v[1], "repo_test_cases_per_kloc", 3000.0 / 26);
	ft_assert_int(&v[1], "repo_files", 6);
	/* B4 at P1: nine commits in its history, the fork's fourth test included. */
	ft_assert_int(&v[3], "repo_total_commits", 9);
	ft_assert_float(&v[3], "repo_age_days", 8.0);
	ft_assert_int(&v[3], "repo_test_sloc", 8);
	ft_assert_float(&v[3], "repo_asserts_per_kloc", 4000.0 / 26);
	/* B5 at R1: P1 is not in its history (three tests), lib/big.py and a Dockerfile are. */
	ft_assert_int(&v[4], "repo_total_commits", 9);
	ft_assert_int(&v[4], "repo_test_sloc", 6);
	ft_assert_int(&v[4], "repo_sloc", 26);
	ft_assert_int(&v[4], "repo_files", 7);
	close_world(&w, v);
}

Test(git_features, measures_the_team_before_the_built_commits)
{
	struct world w;
	struct feat_vector v[5];
	open_world(&w, v);
	/* B1: before C1 and C0 there is nobody. */
	ft_assert_int(&v[0], "team_size", 0);
	ft_assert_int(&v[0], "team_is_core_member", 0);
	ft_assert_int(&v[0], "team_built_commit_authors", 2);
	ft_assert_int(&v[0], "team_touched_files_revisions", 2);
	/* B2: alice (C0), bob (C1); carol's first commit is the one built. */
	ft_assert_int(&v[1], "team_size", 2);
	ft_assert_int(&v[1], "team_is_core_member", 0);
	ft_assert_int(&v[1], "team_built_commit_authors", 2);
	ft_assert_int(&v[1], "team_touched_files_revisions", 4);
	/* B3: alice, bob, carol; the merge's committer mallory committed only the built commit. */
	ft_assert_int(&v[2], "team_size", 3);
	ft_assert_int(&v[2], "team_is_core_member", 1);
	ft_assert_int(&v[2], "team_built_commit_authors", 1);
	ft_assert_int(&v[2], "team_touched_files_revisions", 3);
	/* B4: mallory (committer of M2) is in; dave from a fork is not. */
	ft_assert_int(&v[3], "team_size", 4);
	ft_assert_int(&v[3], "team_is_core_member", 0);
	ft_assert_int(&v[3], "team_built_commit_authors", 2);
	ft_assert_int(&v[3], "team_touched_files_revisions", 3);
	/* B5: bob is a member. */
	ft_assert_int(&v[4], "team_size", 4);
	ft_assert_int(&v[4], "team_is_core_member", 1);
	ft_assert_int(&v[4], "team_touched_files_revisions", 2);
	/* With a 5-day window before B5 (from T0+4d+1h): M1 (alice) and M2 (mallory) only. */
	struct feat_vector s[5];
	compute_all(&w, s, 5);
	ft_assert_int(&s[4], "team_size", 2);
	ft_assert_int(&s[4], "team_is_core_member", 0);
	release_all(s);
	close_world(&w, v);
}

Test(git_features, detects_ci_and_infrastructure_changes)
{
	struct world w;
	struct feat_vector v[5];
	open_world(&w, v);
	ft_assert_int(&v[0], "devops_files_changed", 1);
	ft_assert_int(&v[0], "devops_lines_changed", 1);
	ft_assert_int(&v[0], "devops_changed", 1);
	const char *t1[] = { "github_actions" };
	assert_list(&v[0], "devops_tools_changed", t1, 1);
	ft_assert_int(&v[0], "devops_files_in_repo", 1);
	ft_assert_int(&v[1], "devops_files_changed", 0);
	ft_assert_int(&v[1], "devops_changed", 0);
	assert_list(&v[1], "devops_tools_changed", NULL, 0);
	ft_assert_int(&v[4], "devops_files_changed", 2);
	ft_assert_int(&v[4], "devops_lines_changed", 3);
	const char *t5[] = { "github_actions", "docker" };
	assert_list(&v[4], "devops_tools_changed", t5, 2);
	ft_assert_int(&v[4], "devops_files_in_repo", 2);
	close_world(&w, v);
}

Test(git_features, describes_the_author_from_history_up_to_the_trigger_only)
{
	struct world w;
	struct feat_vector v[5];
	open_world(&w, v);
	/* B1: bob's first commit is C1, an hour before. */
	ft_assert_int(&v[0], "author_is_new", 1);
	ft_assert_float(&v[0], "author_days_since_first_commit", 1.0 / 24);
	ft_assert_int(&v[0], "author_commits_recent", 1);
	cr_assert(ft_is_null(&v[0], "author_ownership"), "no earlier commits on the touched files");
	/* B2: C0 (alice) and C1 (bob) made the touched files' history, not carol. */
	ft_assert_float(&v[1], "author_ownership", 0.0);
	/* B3: util.py's earlier commits are C3 (carol) and F1 (bob). */
	ft_assert_float(&v[2], "author_days_since_first_commit", 3.0 + 1.0 / 24);
	ft_assert_int(&v[2], "author_commits_recent", 2);
	ft_assert_float(&v[2], "author_ownership", 0.5);
	/* B4: dave's fork commit is his first. */
	ft_assert_int(&v[3], "author_is_new", 1);
	ft_assert_float(&v[3], "author_ownership", 0.0);
	/* B5: bob since C1; C1, F1, R1 in the window. */
	ft_assert_float(&v[4], "author_days_since_first_commit", 8.0 + 1.0 / 24);
	ft_assert_int(&v[4], "author_is_new", 1);
	ft_assert_int(&v[4], "author_commits_recent", 3);
	/* lookback_days 5: eight days of history make bob no longer new. */
	struct feat_vector s[5];
	compute_all(&w, s, 5);
	ft_assert_int(&s[4], "author_is_new", 0);
	ft_assert_int(&s[4], "author_commits_recent", 1); /* R1 only: F1 is at T0+4d, before T0+4d+1h */
	release_all(s);
	close_world(&w, v);
}

Test(git_features, a_commit_missing_from_the_mirror_skips_only_the_git_features)
{
	struct world w;
	build_world(&w);
	struct feat_plan *p = ft_plan(git_names);
	struct feat_session *s = feat_session_new(p);
	struct feat_build b = ft_build(9, "ffffffffffffffffffffffffffffffffffffffff", (T0 + 10 * DAY) * US, "success",
				       "bob@x.org");
	struct feat_input in = { .build = &b, .repo = &w.repo_row, .history = &w.hist, .git = w.h };
	struct feat_vector v = ft_compute(s, &in);
	cr_assert(v.partial);
	cr_assert_eq(v.missing_resources.n, 1);
	cr_assert_str_eq(v.missing_resources.v[0], "git_commit");
	cr_assert(ft_is_null(&v, "git_diff_src_churn"));
	cr_assert(ft_is_null(&v, "repo_sloc"));
	ft_assert_str(&v, "repo_full_name", "o/r");
	ft_assert_int(&v, "author_experience", 2); /* B1 and B5 finished before: warehouse only */
	feat_vector_release(&v);
	feat_session_free(s);
	feat_plan_free(p);
	free_world(&w);
}

Test(git_features, vectors_do_not_depend_on_processing_order_or_session)
{
	struct world w;
	struct feat_vector v[5];
	open_world(&w, v);
	/* Newest first, in a fresh session, twice: byte-identical JSON. */
	struct feat_plan *p = ft_plan(git_names);
	for (int round = 0; round < 2; round++) {
		struct feat_session *s = feat_session_new(p);
		for (int i = 4; i >= 0; i--) {
			struct feat_input in = { .build = &w.b[i], .repo = &w.repo_row, .history = &w.hist, .git = w.h };
			struct feat_vector x = ft_compute(s, &in);
			char *a = feat_vector_dumps(&v[i]), *b = feat_vector_dumps(&x);
			cr_assert_str_eq(a, b, "build %d differs", i + 1);
			free(a);
			free(b);
			feat_vector_release(&x);
		}
		feat_session_free(s);
	}
	feat_plan_free(p);
	close_world(&w, v);
}

Test(git_features, source_languages_limit_what_counts_as_source_and_test)
{
	struct world w;
	build_world(&w);
	static const char fc_text[] = "{\"dag_features\": [\"git_diff_*\", \"repo_sloc\", \"repo_test_lines_per_kloc\","
				      " \"repo_files\"], \"extractor_configs\": {\"source_languages\": [\"Java\"]}}";
	struct err e = ERR_INIT;
	json_t *fc = core_json_parse(fc_text, strlen(fc_text), "feature_config", &e);
	cr_assert_not_null(fc, "%s", e.msg);
	struct feat_plan_config pc;
	feat_plan_config_init(&pc);
	cr_assert_eq(feat_plan_config_from_json(&pc, fc, NULL, &e), 0, "%s", e.msg);
	struct feat_plan *p = NULL;
	cr_assert_eq(feat_plan_new(&p, feat_catalogue_default(), &pc, &e), 0, "%s", e.msg);
	struct feat_session *s = feat_session_new(p);
	struct feat_vector v[2];
	for (int i = 0; i < 2; i++) {
		struct feat_input in = { .build = &w.b[i], .repo = &w.repo_row, .history = &w.hist, .git = w.h };
		v[i] = ft_compute(s, &in);
	}
	/* B2 in a Java-only scenario: its Python files are other files, with no source or test churn. */
	ft_assert_int(&v[1], "git_diff_src_files", 0);
	ft_assert_int(&v[1], "git_diff_test_files", 0);
	ft_assert_int(&v[1], "git_diff_other_files", 4); /* logo.png, main.py, util.py, test_app.py */
	ft_assert_int(&v[1], "git_diff_src_churn", 0);
	ft_assert_int(&v[1], "git_diff_test_churn", 0);
	ft_assert_int(&v[1], "git_diff_tests_added", 0);
	ft_assert_int(&v[1], "git_diff_lines_added", 5);
	ft_assert_int(&v[1], "repo_sloc", 0);
	cr_assert(ft_is_null(&v[1], "repo_test_lines_per_kloc"), "no Java source lines");
	ft_assert_int(&v[1], "repo_files", 6);
	for (int i = 0; i < 2; i++)
		feat_vector_release(&v[i]);
	feat_session_free(s);
	feat_plan_free(p);
	feat_plan_config_release(&pc);
	json_decref(fc);
	free_world(&w);
}

Test(git_features, counts_deleted_tests_and_replaces_github_web_flow_by_the_author)
{
	struct world w;
	build_world(&w);
	struct feat_plan *p = ft_plan(git_names);
	struct feat_session *s = feat_session_new(p);
	struct feat_vector v[2];
	for (int i = 0; i < 2; i++) {
		struct feat_input in = { .build = &w.b[5 + i], .repo = &w.repo_row, .history = &w.hist, .git = w.h };
		v[i] = ft_compute(s, &in);
	}
	/* B6 builds X1 alone (R1 was built by B5): one test definition deleted. */
	ft_assert_int(&v[0], "git_built_commits_count", 1);
	ft_assert_str(&v[0], "git_prev_commit_sha", w.hex[9]);
	ft_assert_int(&v[0], "git_diff_tests_deleted", 1);
	ft_assert_int(&v[0], "git_diff_tests_added", 0);
	ft_assert_int(&v[0], "git_diff_lines_deleted", 3);
	ft_assert_int(&v[0], "git_diff_test_churn", 3);
	ft_assert_int(&v[0], "repo_test_sloc", 4);
	ft_assert_int(&v[0], "team_size", 4);
	ft_assert_int(&v[0], "team_is_core_member", 0);
	/* B7 builds X2 (X1 was built by B6): X1, committed by web-flow, makes its author erin a
	 * member; web-flow itself never is: alice, bob, carol, mallory, erin. */
	ft_assert_int(&v[1], "git_built_commits_count", 1);
	ft_assert_int(&v[1], "team_size", 5);
	ft_assert_int(&v[1], "team_is_core_member", 1);
	ft_assert_int(&v[1], "git_diff_files_touched", 0);
	cr_assert(ft_is_null(&v[1], "author_ownership"), "an empty commit touches no file");
	for (int i = 0; i < 2; i++)
		feat_vector_release(&v[i]);
	feat_session_free(s);
	feat_plan_free(p);
	free_world(&w);
}
