/*
 * Point in time: history_*, author_* (warehouse side) and prev_log_* see
 * exactly the builds that had finished before the build started.
 *
 * The warehouse (minutes after T; every build on its own commit):
 *
 *   id  start  end   conclusion  author  branch
 *   1   0      100   failure     alice   main     A: started first, finishes late
 *   2   10     20    success     bob     dev      B: started later, finished first
 *   3   30     200   success     alice   main     C: still running at D's start
 *   4   110    -     failure     alice   main     D: the build under test
 *   5   50     105   cancelled   alice   main     E: not an outcome
 *   6   120    125   success     bob     main     F: starts after D
 *   7   60     108   failure     carol   feature  G: other branch, finished before D
 *   8   25     -     (running)   alice   main     H': never finishes
 *
 * At D's start (110) the history is B (20), A (100), G (108), in that order.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include "feat_test.h"
#include "logs/logs.h"

#define T (1700000000LL * 1000000LL)

struct warehouse {
	struct feat_hist_build hb[8];
	struct feat_history hist;
	struct logs_result logs[8];
};

static void make_warehouse(struct warehouse *w)
{
	memset(w, 0, sizeof(*w));
	struct {
		int id, start, end;
		const char *conclusion, *email, *branch;
	} rows[8] = {
		{ 1, 0, 100, "failure", "alice@x.org", "main" },   { 2, 10, 20, "success", "bob@x.org", "dev" },
		{ 8, 25, -1, NULL, "alice@x.org", "main" },	    { 3, 30, 200, "success", "alice@x.org", "main" },
		{ 5, 50, 105, "cancelled", "alice@x.org", "main" }, { 7, 60, 108, "failure", "Carol@X.org", "feature" },
		{ 4, 110, -1, NULL, "alice@x.org", "main" },	    { 6, 120, 125, "success", "bob@x.org", "main" },
	};
	/* sorted by start, as the pipeline gives it */
	for (int i = 0; i < 8; i++) {
		int64_t end = rows[i].end < 0 ? FEAT_TIME_UNKNOWN : T + rows[i].end * FT_MIN;
		w->hb[i] = ft_hist(rows[i].id, NULL, T + rows[i].start * FT_MIN, end, rows[i].conclusion, rows[i].email);
		w->hb[i].branch = rows[i].branch;
		logs_result_init(&w->logs[i]);
		w->logs[i].tests_recognised = 1;
		w->logs[i].tests_ok = 10 * rows[i].id;
		w->logs[i].tests_failed = rows[i].id;
		w->logs[i].tests_run = 11 * rows[i].id;
		w->logs[i].status = LOGS_STATUS_OK;
		strvec_push(&w->logs[i].frameworks, "pytest");
		w->hb[i].log = &w->logs[i];
	}
	w->hist.builds = w->hb;
	w->hist.n = 8;
}

static void free_warehouse(struct warehouse *w)
{
	for (int i = 0; i < 8; i++)
		logs_result_release(&w->logs[i]);
}

static const char *const names[] = { "history_*", "author_experience", "author_fail_rate", "author_recent_builds",
				     "author_fail_rate_recent", "prev_log_*", NULL };

static struct feat_vector at(struct feat_session *s, struct warehouse *w, int64_t start_min, const char *email)
{
	struct feat_build b = ft_build(99, NULL, T + start_min * FT_MIN, NULL, email);
	struct feat_input in = { .build = &b, .history = &w->hist };
	return ft_compute(s, &in);
}

Test(history_features, see_only_builds_finished_before_the_start)
{
	struct warehouse w;
	make_warehouse(&w);
	struct feat_plan *p = ft_plan(names);
	struct feat_session *s = feat_session_new(p);
	struct feat_vector v = at(s, &w, 110, "alice@x.org");
	/* The previous build is G, which finished last (108) though it started after A. */
	ft_assert_int(&v, "history_prev_build_id", 7);
	ft_assert_str(&v, "history_prev_build_result", "failure");
	ft_assert_int(&v, "history_prev_outcome", 1);
	ft_assert_float(&v, "history_prev_build_duration_sec", 48 * 60.0);
	ft_assert_float(&v, "history_days_since_prev_build", 2.0 / (24 * 60));
	ft_assert_int(&v, "history_prev_same_committer", 0);
	/* B, A, G: C still running, E cancelled, F later, H never finished. */
	ft_assert_int(&v, "history_builds_count", 3);
	ft_assert_float(&v, "history_fail_rate", 2.0 / 3);
	ft_assert_float(&v, "history_fail_rate_5", 2.0 / 3);
	ft_assert_float(&v, "history_fail_rate_10", 2.0 / 3);
	ft_assert_float(&v, "history_success_rate_5", 1.0 / 3);
	ft_assert_int(&v, "history_fail_streak", 2);
	/* alice: only A had finished (E was cancelled, C and H were running). */
	ft_assert_int(&v, "author_experience", 1);
	ft_assert_float(&v, "author_fail_rate", 1.0);
	ft_assert_int(&v, "author_recent_builds", 1);
	ft_assert_float(&v, "author_fail_rate_recent", 1.0);
	/* prev_log_*: G's logs. */
	ft_assert_int(&v, "prev_log_tests_failed", 7);
	ft_assert_int(&v, "prev_log_tests_passed", 70);
	ft_assert_str(&v, "prev_log_status", "ok");
	cr_assert(!v.partial);
	feat_vector_release(&v);
	feat_session_free(s);
	feat_plan_free(p);
	free_warehouse(&w);
}

Test(history_features, a_later_build_that_finished_first_is_the_only_history)
{
	struct warehouse w;
	make_warehouse(&w);
	struct feat_plan *p = ft_plan(names);
	struct feat_session *s = feat_session_new(p);
	/* At 25: B (started after A) had finished, A had not. */
	struct feat_vector v = at(s, &w, 25, "alice@x.org");
	ft_assert_int(&v, "history_prev_build_id", 2);
	ft_assert_int(&v, "history_prev_outcome", 0);
	ft_assert_int(&v, "history_builds_count", 1);
	ft_assert_float(&v, "history_fail_rate", 0.0);
	ft_assert_int(&v, "history_fail_streak", 0);
	ft_assert_int(&v, "author_experience", 0);
	cr_assert(ft_is_null(&v, "author_fail_rate"));
	feat_vector_release(&v);
	/* At exactly 20, B's completion: not yet finished before the start. */
	v = at(s, &w, 20, "alice@x.org");
	ft_assert_int(&v, "history_builds_count", 0);
	cr_assert(ft_is_null(&v, "history_prev_build_id"));
	cr_assert(ft_is_null(&v, "history_fail_rate"));
	cr_assert(ft_is_null(&v, "prev_log_tests_run"));
	cr_assert(!v.partial, "no previous build is not a missing resource");
	feat_vector_release(&v);
	feat_session_free(s);
	feat_plan_free(p);
	free_warehouse(&w);
}

Test(history_features, results_do_not_depend_on_processing_order)
{
	struct warehouse w;
	make_warehouse(&w);
	struct feat_plan *p = ft_plan(names);
	const int64_t starts[] = { 110, 25, 300, 0, 121, 109 };
	char *first[6];
	struct feat_session *s = feat_session_new(p);
	for (int i = 0; i < 6; i++) {
		struct feat_vector v = at(s, &w, starts[i], "alice@x.org");
		first[i] = feat_vector_dumps(&v);
		feat_vector_release(&v);
	}
	feat_session_free(s);
	/* Backwards, each in a fresh session. */
	for (int i = 5; i >= 0; i--) {
		s = feat_session_new(p);
		struct feat_vector v = at(s, &w, starts[i], "alice@x.org");
		char *again = feat_vector_dumps(&v);
		cr_assert_str_eq(first[i], again);
		free(again);
		free(first[i]);
		feat_vector_release(&v);
		feat_session_free(s);
	}
	feat_plan_free(p);
	free_warehouse(&w);
}

Test(history_features, counts_the_last_five_and_ten_in_completion_order)
{
	/* Twelve builds finishing in order f f s s s f s s s s f f (f = failure). */
	struct feat_hist_build hb[12];
	const char *seq = "ffsssfssssff";
	for (int i = 0; i < 12; i++)
		hb[i] = ft_hist(i + 1, NULL, T + i * FT_HOUR, T + i * FT_HOUR + FT_MIN,
				seq[i] == 'f' ? "failure" : "success", i % 2 ? "bob@x.org" : "alice@x.org");
	/* One timed_out build counts as a failure, one skipped build not at all. */
	hb[7].conclusion = "timed_out";
	hb[8].conclusion = "skipped";
	struct feat_history h = { hb, 12 };
	struct feat_plan *p = ft_plan(names);
	struct feat_session *s = feat_session_new(p);
	struct feat_build b = ft_build(100, NULL, T + 12 * FT_HOUR, NULL, "alice@x.org");
	struct feat_input in = { .build = &b, .history = &h };
	struct feat_vector v = ft_compute(s, &in);
	/* Outcomes in completion order: f f s s s f s F(timed_out) s f f; 11 builds, 6 failures. */
	ft_assert_int(&v, "history_builds_count", 11);
	ft_assert_float(&v, "history_fail_rate", 6.0 / 11);
	/* last 5: s F s f f */
	ft_assert_float(&v, "history_fail_rate_5", 3.0 / 5);
	ft_assert_float(&v, "history_success_rate_5", 2.0 / 5);
	/* last 10: f s s s f s F s f f */
	ft_assert_float(&v, "history_fail_rate_10", 5.0 / 10);
	ft_assert_int(&v, "history_fail_streak", 2);
	/* alice had the even builds: 0 f, 2 s, 4 s, 6 s, 8 skipped, 10 f -> 5 builds, 2 failures. */
	ft_assert_int(&v, "author_experience", 5);
	ft_assert_float(&v, "author_fail_rate", 2.0 / 5);
	feat_vector_release(&v);
	feat_session_free(s);
	feat_plan_free(p);
}

Test(history_features, recent_author_rates_use_the_lookback_window)
{
	/* alice: a failure 100 days ago, a success 10 days ago. */
	struct feat_hist_build hb[2] = {
		ft_hist(1, NULL, T - 100 * FT_DAY, T - 100 * FT_DAY + FT_MIN, "failure", "alice@x.org"),
		ft_hist(2, NULL, T - 10 * FT_DAY, T - 10 * FT_DAY + FT_MIN, "success", "ALICE@x.org"),
	};
	struct feat_history h = { hb, 2 };
	struct feat_plan *p = ft_plan(names);
	struct feat_session *s = feat_session_new(p);
	struct feat_build b = ft_build(3, NULL, T, NULL, "alice@X.org");
	struct feat_input in = { .build = &b, .history = &h };
	struct feat_vector v = ft_compute(s, &in);
	ft_assert_int(&v, "author_experience", 2);
	ft_assert_float(&v, "author_fail_rate", 0.5);
	ft_assert_int(&v, "author_recent_builds", 1);
	ft_assert_float(&v, "author_fail_rate_recent", 0.0);
	ft_assert_int(&v, "history_prev_same_committer", 1);
	feat_vector_release(&v);
	/* An author the warehouse never saw: no experience, no rates. */
	b.author_email = "zed@x.org";
	v = ft_compute(s, &in);
	ft_assert_int(&v, "author_experience", 0);
	cr_assert(ft_is_null(&v, "author_fail_rate"));
	feat_vector_release(&v);
	feat_session_free(s);
	feat_plan_free(p);
}

Test(history_features, missing_logs_of_the_previous_build_make_prev_log_partial)
{
	struct warehouse w;
	make_warehouse(&w);
	w.hb[5].log = NULL; /* G, the previous build of D */
	struct feat_plan *p = ft_plan(names);
	struct feat_session *s = feat_session_new(p);
	struct feat_vector v = at(s, &w, 110, "alice@x.org");
	cr_assert(v.partial);
	cr_assert(ft_is_null(&v, "prev_log_tests_run"));
	ft_assert_int(&v, "history_prev_build_id", 7);
	cr_assert_eq(v.missing_resources.n, 1);
	cr_assert_str_eq(v.missing_resources.v[0], "prev_logs");
	cr_assert_str_eq(v.skipped_features.v[0], "prev_log_tests_run");
	feat_vector_release(&v);
	feat_session_free(s);
	feat_plan_free(p);
	free_warehouse(&w);
}
