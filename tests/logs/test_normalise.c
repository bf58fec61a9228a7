/*
 * The normaliser and bad input: timestamps, ANSI, CR handling, Travis folds
 * and timings, GitHub groups, docker compose prefixes, chunking, empty and
 * binary input, huge lines, truncated summaries, and the job status.
 */
#include "testsupport.h"
#include "core/xalloc.h"
#include "logs/logs.h"
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

static struct logs_result parse_str(const char *s)
{
	struct logs_result r;
	logs_result_init(&r);
	logs_parse_buffer(&r, s, strlen(s));
	return r;
}

Test(normalise, strips_github_timestamps_groups_and_ansi)
{
	struct logs_result r = parse_str(
		"2022-06-06T06:52:18.9945789Z ##[group]Run actions/checkout@v3\n"
		"2022-06-06T06:52:19.0000000Z ##[endgroup]\n"
		"2022-06-06T06:52:48.5000000Z ##[group]Run pytest\n"
		"2022-06-06T06:52:48.6000000Z ##[endgroup]\n"
		"2022-06-06T06:53:00.1234567Z \x1b[31m\x1b[1m==== \x1b[31m2 failed\x1b[0m, \x1b[32m40 passed\x1b[0m\x1b[31m in 3.50s\x1b[0m\x1b[31m ====\x1b[0m\n"
		"2022-06-06T06:53:00.2000000Z ##[error]Process completed with exit code 1.\n");
	cr_expect_eq(r.tests_run, 42);
	cr_expect_eq(r.tests_failed, 2);
	cr_expect_eq(r.status, LOGS_STATUS_BROKEN);
	cr_expect_str_eq(r.provider, "github_actions");
	cr_expect_float_eq(r.setup_time_sec, 29.505422, 1e-5);
	logs_result_release(&r);
}

Test(normalise, crlf_and_cr_only_line_ends)
{
	struct logs_result a = parse_str("Ran 3 tests in 0.1s\r\n\r\nOK (skipped=1)\r\n");
	cr_expect_eq(a.tests_run, 3);
	cr_expect_eq(a.tests_skipped, 1);
	struct logs_result b = parse_str("Ran 3 tests in 0.1s\r\rFAILED (failures=1)\r");
	cr_expect_eq(b.tests_run, 3);
	cr_expect_eq(b.tests_failed, 1);
	logs_result_release(&a);
	logs_result_release(&b);
}

Test(normalise, progress_frame_redrawn_by_erase_line_is_dropped)
{
	struct logs_result r = parse_str("12 passed in 1.0s\r\x1b[K4 passed in 0.5s\n");
	cr_expect_eq(r.tests_run, 4);
	logs_result_release(&r);
}

Test(normalise, travis_folds_hide_repeated_runs_and_time_the_setup)
{
	struct logs_result r = parse_str(
		"travis_fold:start:system_info\r\x1b[0K\x1b[33;1mBuild system information\x1b[0m\r\n"
		"Build language: node_js\r\n"
		"travis_time:end:1a:start=1,finish=2,duration=2500000000\r\x1b[0Ktravis_fold:end:system_info\r\x1b[0K\r\n"
		"travis_fold:start:git.checkout\r\x1b[0Ktravis_time:start:2b\r\x1b[0K$ git clone x\r\n"
		"travis_time:end:2b:start=1,finish=2,duration=1500000000\r\x1b[0Ktravis_fold:end:git.checkout\r\x1b[0K\r\n"
		"$ npm test\r\n"
		"  23 passing (91ms)\r\n"
		"travis_fold:start:after_success\r\x1b[0K$ npm run coverage\r\n"
		"  23 passing (155ms)\r\n"
		"travis_fold:end:after_success\r\x1b[0K\r\n"
		"\r\n"
		"Done. Your build exited with 0.\r\n");
	cr_expect_eq(r.tests_run, 23);
	cr_expect_eq(r.status, LOGS_STATUS_OK);
	cr_expect_str_eq(r.provider, "travis");
	cr_expect_float_eq(r.setup_time_sec, 4.0, 1e-9);
	cr_expect_float_eq(r.test_duration_sec, 0.091, 1e-9);
	logs_result_release(&r);
}

Test(normalise, docker_compose_prefixes_are_cut_from_interleaved_output)
{
	struct logs_result r = parse_str("db_1    | ready to accept connections\n"
					 "test_1  | Test Suites: 1 failed, 3 passed, 4 total\n"
					 "db_1    | checkpoint starting\n"
					 "test_1  | Tests:       2 failed, 1 skipped, 30 passed, 33 total\n");
	cr_expect_eq(r.tests_run, 32);
	cr_expect_eq(r.tests_failed, 2);
	cr_expect_eq(r.tests_skipped, 1);
	logs_result_release(&r);
}

Test(normalise, any_chunking_gives_the_same_result)
{
	const char *log = "2022-06-06T06:52:18.9945789Z \x1b[1mTests run: 5, Failures: 1, Errors: 0, Skipped: 1\x1b[0m\r\n"
			  "travis_fold:start:x\r\x1b[0K  3 passing (1s)\r\ntravis_fold:end:x\r\n"
			  "Ran 7 tests in 0.5s\rFAILED (errors=2)\r\n12 passed, 1 xfailed in 1.5s\n";
	struct logs_result whole = parse_str(log);
	struct logs_parser *p = logs_parser_new();
	size_t n = strlen(log);
	for (size_t step = 1; step < 9; step++) {
		struct logs_result r;
		logs_result_init(&r);
		logs_parser_begin(p);
		for (size_t i = 0; i < n; i += step)
			logs_parser_feed(p, log + i, i + step <= n ? step : n - i);
		logs_parser_end(p, &r);
		cr_expect_eq(r.tests_run, whole.tests_run, "step %zu", step);
		cr_expect_eq(r.tests_failed, whole.tests_failed, "step %zu", step);
		cr_expect_eq(r.tests_skipped, whole.tests_skipped, "step %zu", step);
		cr_expect_eq(r.lines, whole.lines, "step %zu", step);
		logs_result_release(&r);
	}
	cr_expect_eq(whole.tests_run, 5 + 7 + 13);
	cr_expect_eq(whole.tests_failed, 1 + 2);
	logs_parser_free(p);
	logs_result_release(&whole);
}

Test(bad_input, empty_log_has_no_tests_and_unknown_status)
{
	struct logs_result r;
	logs_result_init(&r);
	logs_parse_buffer(&r, "", 0);
	cr_expect_eq(r.tests_recognised, 0);
	cr_expect_eq(r.tests_run, 0);
	cr_expect_eq(r.frameworks.n, 0);
	cr_expect_eq(r.status, LOGS_STATUS_UNKNOWN);
	cr_expect_str_eq(r.analyzer, "plain");
	logs_result_release(&r);
}

Test(bad_input, binary_bytes_and_nuls_are_survived)
{
	size_t n = 1 << 20;
	unsigned char *b = xmalloc(n);
	uint32_t x = 12345;
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		b[i] = (unsigned char)(x >> 16);
	}
	struct logs_result r;
	logs_result_init(&r);
	logs_parse_buffer(&r, b, n);
	cr_expect_eq(r.bytes, n);
	cr_expect_eq(r.tests_recognised, 0);
	/* a summary with NULs and invalid UTF-8 around it is still read */
	const char s[] = "\xff\xfe\0junk\0\n  5 passing (1s)\n\xc3\x28 \0\n";
	logs_parse_buffer(&r, s, sizeof(s) - 1);
	cr_expect_eq(r.tests_run, 5);
	logs_result_release(&r);
	free(b);
}

Test(bad_input, huge_lines_are_cut_and_parsing_goes_on)
{
	size_t n = 3 * LOGS_LINE_MAX;
	char *b = xmalloc(n + 64);
	memset(b, 'x', n);
	strcpy(b + n, "\n  7 passing (2s)\n");
	struct logs_result r;
	logs_result_init(&r);
	logs_parse_buffer(&r, b, strlen(b));
	cr_expect_eq(r.lines_truncated, 1);
	cr_expect_eq(r.tests_run, 7);
	/* the same through small chunks (the carried line is capped too) */
	struct logs_parser *p = logs_parser_new();
	logs_parser_begin(p);
	for (size_t i = 0; i < strlen(b); i += 4096)
		logs_parser_feed(p, b + i, strlen(b) - i < 4096 ? strlen(b) - i : 4096);
	logs_parser_end(p, &r);
	cr_expect_eq(r.lines_truncated, 1);
	cr_expect_eq(r.tests_run, 7);
	logs_parser_free(p);
	logs_result_release(&r);
	free(b);
}

Test(bad_input, truncated_summaries_are_not_counted)
{
	struct logs_result r = parse_str("==== 5 passed, 1 fa\n"
					 "Tests run: 12, Fail\n"
					 "Tests:       3 failed, 4\n"
					 "15 examples, \n");
	cr_expect_eq(r.tests_recognised, 0);
	cr_expect_eq(r.tests_run, 0);
	logs_result_release(&r);
}

Test(bad_input, many_chunks_keep_memory_flat)
{
	/* 64 MiB through one parser: counts add up and nothing is kept per line */
	const char *unit = "[INFO] Tests run: 3, Failures: 0, Errors: 0, Skipped: 1\nsome compiler output line here\n";
	size_t ul = strlen(unit), reps = (1u << 20) / ul;
	char *chunk = xmalloc(reps * ul);
	for (size_t i = 0; i < reps; i++)
		memcpy(chunk + i * ul, unit, ul);
	struct logs_parser *p = logs_parser_new();
	struct logs_result r;
	logs_result_init(&r);
	logs_parser_begin(p);
	for (int i = 0; i < 64; i++)
		logs_parser_feed(p, chunk, reps * ul);
	logs_parser_end(p, &r);
	cr_expect_eq(r.tests_run, (long long)(3 * reps * 64));
	cr_expect_eq(r.tests_skipped, (long long)(reps * 64));
	cr_expect_eq(r.failed_names.n, 0);
	logs_result_release(&r);
	logs_parser_free(p);
	free(chunk);
}

Test(status, github_cancel_timeout_and_clean_exit)
{
	struct logs_result a = parse_str("2022-06-06T06:52:18.9945789Z ##[error]The operation was canceled.\n");
	cr_expect_eq(a.status, LOGS_STATUS_CANCELLED);
	struct logs_result b = parse_str(
		"2022-06-06T06:52:18.9945789Z ##[error]The job running on runner GitHub Actions 2 has exceeded the maximum execution time of 360 minutes.\n"
		"2022-06-06T06:52:18.9945789Z ##[error]The operation was canceled.\n");
	cr_expect_eq(b.status, LOGS_STATUS_TIMEOUT);
	struct logs_result c = parse_str("2022-06-06T06:52:18.9945789Z all good\n");
	cr_expect_eq(c.status, LOGS_STATUS_OK);
	logs_result_release(&a);
	logs_result_release(&b);
	logs_result_release(&c);
}

Test(status, travis_terminated_timeout_and_last_command)
{
	struct logs_result a = parse_str("No output has been received in the last 10m0s, this potentially indicates a stalled build.\n"
					 "The build has been terminated\n");
	cr_expect_eq(a.status, LOGS_STATUS_TERMINATED);
	struct logs_result b = parse_str("travis_fold:start:x\r\ntravis_fold:end:x\r\n"
					 "The job exceeded the maximum time limit for jobs, and has been terminated.\n");
	cr_expect_eq(b.status, LOGS_STATUS_TIMEOUT);
	struct logs_result c = parse_str("$ make\nThe command \"make\" exited with 2.\n\n");
	cr_expect_eq(c.status, LOGS_STATUS_BROKEN);
	struct logs_result d = parse_str("The command \"make\" exited with 2.\nmore output after it\n");
	cr_expect_eq(d.status, LOGS_STATUS_UNKNOWN);
	logs_result_release(&a);
	logs_result_release(&b);
	logs_result_release(&c);
	logs_result_release(&d);
}

Test(bad_input, absurd_durations_and_counts_do_not_overflow)
{
	/* found by the fuzzer: a duration of 10^20 s used to overflow when written as JSON */
	struct logs_result r = parse_str("Time: 666666666666666666666600:0..123, Memory: 1.00 MB\n"
					 "Tests: 999999999999999999999, Assertions: 1, Failures: 999999999999999999999.\n"
					 "Tests: 999999999999999999999, Assertions: 1, Failures: 999999999999999999999.\n");
	cr_expect(r.test_duration_sec < 0, "duration %f", r.test_duration_sec);
	cr_expect(r.tests_run > 0 && r.tests_run <= 1000000000000000LL);
	cr_expect_eq(r.tests_ok, r.tests_run - r.tests_failed);
	json_t *j = logs_result_to_json(&r);
	cr_expect(json_is_null(json_object_get(j, "test_duration_sec")));
	json_decref(j);
	logs_result_release(&r);
}

Test(parsers, unittest_verdict_after_other_output_is_still_read)
{
	struct logs_result r = parse_str("Ran 12 tests in 0.5s\n\nException ignored in thread\n  a\n  b\n  c\n  d\n  e\n  f\n"
					 "FAILED (failures=2, skipped=1)\nFAILED (failures=9)\n");
	cr_expect_eq(r.tests_run, 12);
	cr_expect_eq(r.tests_failed, 2); /* one verdict per Ran */
	cr_expect_eq(r.tests_skipped, 1);
	logs_result_release(&r);
}
