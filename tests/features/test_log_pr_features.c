/*
 * log_* from a build's aggregated job logs (with the test_frameworks
 * filter and the TravisTorrent names), and pr_* with comment counts bounded
 * by [start of the PR's previous build, start of this build).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include "feat_test.h"
#include "logs/logs.h"

#define T (1700000000LL * 1000000LL)

static void two_jobs(struct logs_result *out)
{
	struct logs_result a, b;
	logs_result_init(&a);
	logs_result_init(&b);
	logs_result_init(out);
	a.tests_recognised = 1;
	a.tests_ok = 8;
	a.tests_failed = 2;
	a.tests_run = 10;
	a.tests_skipped = 1;
	a.test_duration_sec = 1.5;
	a.status = LOGS_STATUS_BROKEN;
	a.analyzer = "java-maven";
	strvec_push(&a.frameworks, "junit");
	strvec_push(&a.failed_names, "FooTest.bar");
	strvec_push(&a.failed_names, "FooTest.baz");
	b.tests_recognised = 1;
	b.tests_ok = 5;
	b.tests_run = 5;
	b.test_duration_sec = 0.5;
	b.status = LOGS_STATUS_OK;
	b.analyzer = "java-maven";
	strvec_push(&b.frameworks, "junit");
	strvec_push(&b.frameworks, "testng");
	logs_result_merge(out, &a);
	logs_result_merge(out, &b);
	logs_result_release(&a);
	logs_result_release(&b);
}

Test(log_features, report_the_aggregated_logs_of_the_build)
{
	struct logs_result lr;
	two_jobs(&lr);
	const char *names[] = { "log_*", NULL };
	struct feat_plan *p = ft_plan(names);
	struct feat_session *s = feat_session_new(p);
	struct feat_build b = ft_build(1, "abc", T, "failure", NULL);
	struct feat_input in = { .build = &b, .log = &lr };
	struct feat_vector v = ft_compute(s, &in);
	ft_assert_int(&v, "log_tests_run", 15);
	ft_assert_int(&v, "log_tests_passed", 13);
	ft_assert_int(&v, "log_tests_failed", 2);
	ft_assert_int(&v, "log_tests_skipped", 1);
	ft_assert_int(&v, "log_tests_recognised", 1);
	ft_assert_float(&v, "log_test_duration_sec", 2.0);
	cr_assert(ft_is_null(&v, "log_setup_time_sec"), "unknown durations are null");
	ft_assert_str(&v, "log_status", "broken");
	ft_assert_str(&v, "log_analyzer", "java-maven");
	ft_assert_str(&v, "log_language", "java");
	cr_assert_eq(ft_list(&v, "log_test_frameworks")->n, 2);
	cr_assert_eq(ft_list(&v, "log_tests_failed_names")->n, 2);
	feat_vector_release(&v);
	/* Logs missing: every log feature skipped, the vector partial. */
	struct feat_input none = { .build = &b };
	v = ft_compute(s, &none);
	cr_assert(v.partial);
	cr_assert_str_eq(v.missing_resources.v[0], "logs");
	/* log_* also matched build_job_ids (alias log_job_ids), which needs no logs. */
	cr_assert_eq(v.skipped_features.n, feat_plan_count(p) - 1);
	cr_assert_not_null(feat_vector_get(&v, "build_job_ids"));
	feat_vector_release(&v);
	feat_session_free(s);
	feat_plan_free(p);
	logs_result_release(&lr);
}

Test(log_features, test_frameworks_restrict_what_is_reported)
{
	struct logs_result lr;
	two_jobs(&lr);
	const char *names[] = { "log_tests_run", "log_test_frameworks", "log_status", NULL };
	struct feat_plan_config pc;
	feat_plan_config_init(&pc);
	for (size_t i = 0; names[i]; i++)
		strvec_push(&pc.features, names[i]);
	/* Compared case-insensitively: parsers report "JUnit", scenario files say junit. */
	strvec_push(&pc.extract.test_frameworks, "TestNG");
	pc.allow_post_build = 1;
	struct feat_plan *p = NULL;
	struct err e = ERR_INIT;
	cr_assert_eq(feat_plan_new(&p, feat_catalogue_default(), &pc, &e), 0, "%s", e.msg);
	struct feat_session *s = feat_session_new(p);
	struct feat_build b = ft_build(1, "abc", T, "failure", NULL);
	struct feat_input in = { .build = &b, .log = &lr };
	struct feat_vector v = ft_compute(s, &in);
	const struct strvec *fw = ft_list(&v, "log_test_frameworks");
	cr_assert_eq(fw->n, 1);
	cr_assert_str_eq(fw->v[0], "testng");
	ft_assert_int(&v, "log_tests_run", 15);
	feat_vector_release(&v);
	feat_session_free(s);
	feat_plan_free(p);
	/* Only pytest wanted: this log's tests are not of that kind. */
	strvec_clear(&pc.extract.test_frameworks);
	strvec_push(&pc.extract.test_frameworks, "pytest");
	cr_assert_eq(feat_plan_new(&p, feat_catalogue_default(), &pc, &e), 0, "%s", e.msg);
	s = feat_session_new(p);
	v = ft_compute(s, &in);
	cr_assert(ft_is_null(&v, "log_tests_run"));
	cr_assert_eq(ft_list(&v, "log_test_frameworks")->n, 0);
	ft_assert_str(&v, "log_status", "broken");
	cr_assert(!v.partial);
	feat_vector_release(&v);
	feat_session_free(s);
	feat_plan_free(p);
	feat_plan_config_release(&pc);
	logs_result_release(&lr);
}

Test(log_features, travistorrent_names_join_failed_tests_with_hashes)
{
	struct logs_result lr;
	two_jobs(&lr);
	const char *names[] = { "log_tests_failed_names", "log_tests_run", "log_tests_passed", NULL };
	struct feat_plan *p = ft_plan_x(names, NULL, FEAT_NAMING_TRAVISTORRENT, 0);
	struct feat_session *s = feat_session_new(p);
	struct feat_build b = ft_build(1, "abc", T, "failure", NULL);
	struct feat_input in = { .build = &b, .log = &lr };
	struct feat_vector v = ft_compute(s, &in);
	ft_assert_str(&v, "tr_log_tests_failed", "FooTest.bar#FooTest.baz");
	ft_assert_int(&v, "tr_log_num_tests_run", 15);
	ft_assert_int(&v, "tr_log_num_tests_ok", 13);
	feat_vector_release(&v);
	feat_session_free(s);
	feat_plan_free(p);
	logs_result_release(&lr);
}

/*
 * PR 7: builds started at 100 and 200 (minutes after T), another PR's build
 * at 150. Comments (minutes): issue 50, 100, 150; review 199; commit 120, 250.
 */
static const struct feat_pr_comment comments[] = {
	{ T + 50 * FT_MIN, FEAT_COMMENT_ISSUE },   { T + 100 * FT_MIN, FEAT_COMMENT_ISSUE },
	{ T + 150 * FT_MIN, FEAT_COMMENT_ISSUE },  { T + 199 * FT_MIN, FEAT_COMMENT_REVIEW },
	{ T + 120 * FT_MIN, FEAT_COMMENT_COMMIT }, { T + 250 * FT_MIN, FEAT_COMMENT_COMMIT },
};

Test(pr_features, count_comments_since_the_previous_build_of_the_pr_only)
{
	struct feat_hist_build hb[3] = {
		ft_hist(1, NULL, T + 100 * FT_MIN, T + 110 * FT_MIN, "failure", NULL),
		ft_hist(2, NULL, T + 150 * FT_MIN, T + 160 * FT_MIN, "success", NULL),
		ft_hist(3, NULL, T + 200 * FT_MIN, T + 210 * FT_MIN, "success", NULL),
	};
	hb[0].pr_number = 7;
	hb[1].pr_number = 8;
	hb[2].pr_number = 7;
	struct feat_history h = { hb, 3 };
	struct feat_pr pr = { 7, T - 2 * FT_DAY, "Fix the thing\n\nIt was  broken.", 1, comments, FT_N(comments) };
	const char *names[] = { "pr_*", NULL };
	struct feat_plan *p = ft_plan(names);
	struct feat_session *s = feat_session_new(p);
	int64_t seven = 7;
	struct feat_build b = ft_build(3, "abc", T + 200 * FT_MIN, "success", NULL);
	b.event = "pull_request";
	b.pr_numbers = &seven;
	b.n_pr_numbers = 1;
	struct feat_input in = { .build = &b, .history = &h, .pr = &pr };
	struct feat_vector v = ft_compute(s, &in);
	/* Window [100, 200): issue at 100 and 150, review at 199, commit at 120; not 50 nor 250. */
	ft_assert_int(&v, "pr_issue_comments", 2);
	ft_assert_int(&v, "pr_review_comments", 1);
	ft_assert_int(&v, "pr_commit_comments", 1);
	ft_assert_int(&v, "pr_number", 7);
	ft_assert_int(&v, "pr_created_at", T - 2 * FT_DAY);
	ft_assert_float(&v, "pr_age_days", 2.0 + 200.0 / (24 * 60));
	/* Wildcards select post_build features too (only labels are never selected). */
	ft_assert_int(&v, "pr_description_words", 6);
	feat_vector_release(&v);
	/* The PR's first build: everything before its start. */
	b.started_at = b.created_at = T + 100 * FT_MIN;
	v = ft_compute(s, &in);
	ft_assert_int(&v, "pr_issue_comments", 1);
	ft_assert_int(&v, "pr_review_comments", 0);
	ft_assert_int(&v, "pr_commit_comments", 0);
	feat_vector_release(&v);
	/* Comments not fetched: the counts are skipped, the rest computed. */
	pr.has_comments = 0;
	v = ft_compute(s, &in);
	cr_assert(v.partial);
	cr_assert(ft_is_null(&v, "pr_issue_comments"));
	ft_assert_int(&v, "pr_number", 7);
	cr_assert_str_eq(v.missing_resources.v[0], "pr_comments");
	feat_vector_release(&v);
	feat_session_free(s);
	feat_plan_free(p);
}

Test(pr_features, the_description_is_post_build_and_counted_in_words)
{
	const char *names[] = { "pr_description_words", NULL };
	struct feat_plan *p = ft_plan(names);
	cr_assert_eq(feat_plan_feature(p, 0)->avail, FEAT_POST_BUILD);
	struct feat_session *s = feat_session_new(p);
	int64_t seven = 7;
	struct feat_pr pr = { 7, T, "Fix the thing\n\nIt was  broken.", 0, NULL, 0 };
	struct feat_build b = ft_build(3, "abc", T + FT_HOUR, "success", NULL);
	b.pr_numbers = &seven;
	b.n_pr_numbers = 1;
	struct feat_input in = { .build = &b, .pr = &pr };
	struct feat_vector v = ft_compute(s, &in);
	ft_assert_int(&v, "pr_description_words", 6);
	feat_vector_release(&v);
	feat_session_free(s);
	feat_plan_free(p);
}
