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
	ft_assert_str(&v, "history_prev_build_id", ft_run_id(7));
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
	ft_assert_str(&v, "history_prev_build_id", ft_run_id(2));
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
	ft_assert_str(&v, "history_prev_build_id", ft_run_id(7));
	cr_assert_eq(v.missing_resources.n, 1);
	cr_assert_str_eq(v.missing_resources.v[0], "prev_logs");
	cr_assert_str_eq(v.skipped_features.v[0], "prev_log_tests_run");
	feat_vector_release(&v);
	feat_session_free(s);
	feat_plan_free(p);
	free_warehouse(&w);
}

/*
 * A random warehouse (300 builds, overlapping runs, four authors, some
 * running or cancelled) against a brute-force reading of the definitions:
 * for every build, scan all others for those that finished with an outcome
 * before it started. The engine, fed the builds in a shuffled order in one
 * session, must agree on every history and author feature.
 */
struct ref_done {
	int64_t end, start, id;
	int failed;
	const char *email;
};

static int ref_cmp(const void *a, const void *b)
{
	const struct ref_done *x = a, *y = b;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void assert_rate(const struct feat_vector *v, const char *name, int fails, int n)
{
	if (n == 0) {
		cr_assert(ft_is_null(v, name), "%s should be null", name);
		return;
	}
	ft_assert_float(v, name, (double)fails / n);
}

Test(history_features, agree_with_a_brute_force_reading_on_a_random_warehouse)
{
	enum { N = 300 };
	static const char *const emails[] = { "a@x.org", "b@x.org", "c@x.org", "d@x.org" };
	static const char *const conclusions[] = { "success", "success", "success", "failure", "failure",
						   "timed_out", "cancelled", "skipped" };
	struct feat_hist_build *hb = calloc(N, sizeof(*hb));
	uint64_t seed = 0x2545f4914f6cdd1dull;
	for (int i = 0; i < N; i++) {
		int64_t start = T + (int64_t)(rnd(&seed) % (30 * 24 * 60)) * FT_MIN;
		int64_t len = (int64_t)(1 + rnd(&seed) % 600) * FT_MIN; /* up to 10 hours: lots of overlap */
		int running = rnd(&seed) % 20 == 0;
		hb[i] = ft_hist(i + 1, NULL, start, running ? FEAT_TIME_UNKNOWN : start + len,
				running ? NULL : conclusions[rnd(&seed) % 8], emails[rnd(&seed) % 4]);
	}
	/* the pipeline's order: by start */
	for (int i = 1; i < N; i++)
		for (int k = i; k > 0 && hb[k].started_at < hb[k - 1].started_at; k--) {
			struct feat_hist_build t = hb[k];
			hb[k] = hb[k - 1];
			hb[k - 1] = t;
		}
	struct feat_history h = { hb, N };
	int order[N];
	for (int i = 0; i < N; i++)
		order[i] = i;
	for (int i = N - 1; i > 0; i--) {
		int j = (int)(rnd(&seed) % (uint64_t)(i + 1)), t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	struct feat_plan *p = ft_plan(names);
	struct feat_session *s = feat_session_new(p);
	struct ref_done *done = calloc(N, sizeof(*done));
	for (int q = 0; q < N; q++) {
		const struct feat_hist_build *me = &hb[order[q]];
		int n = 0;
		for (int i = 0; i < N; i++) {
			int o = feat_outcome_of(hb[i].conclusion);
			if (hb[i].completed_at != FEAT_TIME_UNKNOWN && hb[i].completed_at < me->started_at && o >= 0)
				done[n++] = (struct ref_done){ hb[i].completed_at, hb[i].started_at, hb[i].id, o,
							      hb[i].author_email };
		}
		qsort(done, (size_t)n, sizeof(*done), ref_cmp);
		int fails = 0, f5 = 0, f10 = 0, streak = 0, mine = 0, mine_fails = 0, recent = 0, recent_fails = 0;
		for (int i = 0; i < n; i++) {
			fails += done[i].failed;
			f5 += i >= n - 5 && done[i].failed;
			f10 += i >= n - 10 && done[i].failed;
			streak = done[i].failed ? streak + 1 : 0;
			if (!strcmp(done[i].email, me->author_email)) {
				mine++;
				mine_fails += done[i].failed;
				if (done[i].end >= me->started_at - 90 * FT_DAY) {
					recent++;
					recent_fails += done[i].failed;
				}
			}
		}
		struct feat_build b = ft_build(me->id, NULL, me->started_at, me->conclusion, me->author_email);
		struct feat_input in = { .build = &b, .history = &h };
		struct feat_vector v = ft_compute(s, &in);
		ft_assert_int(&v, "history_builds_count", n);
		if (n) {
			ft_assert_str(&v, "history_prev_build_id", ft_run_id(done[n - 1].id));
			ft_assert_int(&v, "history_prev_outcome", done[n - 1].failed);
		} else {
			cr_assert(ft_is_null(&v, "history_prev_build_id"));
		}
		assert_rate(&v, "history_fail_rate", fails, n);
		assert_rate(&v, "history_fail_rate_5", f5, n < 5 ? n : 5);
		assert_rate(&v, "history_fail_rate_10", f10, n < 10 ? n : 10);
		ft_assert_int(&v, "history_fail_streak", streak);
		ft_assert_int(&v, "author_experience", mine);
		assert_rate(&v, "author_fail_rate", mine_fails, mine);
		ft_assert_int(&v, "author_recent_builds", recent);
		assert_rate(&v, "author_fail_rate_recent", recent_fails, recent);
		feat_vector_release(&v);
	}
	free(done);
	feat_session_free(s);
	feat_plan_free(p);
	free(hb);
}
