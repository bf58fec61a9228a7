/*
 * One test per test framework that the labelled fixtures lack, each over a
 * small hand-written log in tests/logs/data/ made from the framework's
 * documented console output: frameworks, counts, failed names.
 */
#include "testsupport.h"
#include "core/xalloc.h"
#include "logs/logs.h"
#include <criterion/criterion.h>
#include <string.h>

static struct logs_result parse(const char *name)
{
	char *path = xasprintf("%s/tests/logs/data/%s", CIMINER_SOURCE_DIR, name);
	struct logs_result r;
	struct err e = ERR_INIT;
	logs_result_init(&r);
	cr_assert_eq(logs_parse_file(&r, path, &e), 0, "%s: %s", path, e.msg);
	free(path);
	return r;
}

static void expect_counts(const struct logs_result *r, const char *frameworks, long long run, long long failed,
			  long long skipped)
{
	char *fw = strvec_join(&r->frameworks, "#");
	cr_expect_str_eq(fw ? fw : "", frameworks);
	free(fw);
	cr_expect(r->tests_recognised);
	cr_expect_eq(r->tests_run, run, "run %lld, want %lld", r->tests_run, run);
	cr_expect_eq(r->tests_failed, failed, "failed %lld, want %lld", r->tests_failed, failed);
	cr_expect_eq(r->tests_skipped, skipped, "skipped %lld, want %lld", r->tests_skipped, skipped);
	cr_expect_eq(r->tests_ok, run - failed);
}

static void expect_failed_name(const struct logs_result *r, const char *name)
{
	cr_expect(strvec_find(&r->failed_names, name) >= 0, "failed names lack '%s'", name);
}

Test(frameworks, pytest_quiet_verbose_and_tox_sessions_are_summed)
{
	struct logs_result r = parse("pytest_tox.log");
	/* 13 passed + 1 failed + 1 xfailed, then 12 passed + 1 failed + 1 error */
	expect_counts(&r, "pytest", 29, 3, 3);
	expect_failed_name(&r, "tests/test_math.py::test_divide");
	expect_failed_name(&r, "tests/test_io.py::test_read");
	cr_expect_eq(r.failed_names.n, 2);
	cr_expect_float_eq(r.test_duration_sec, 0.43, 1e-9);
	cr_expect_str_eq(r.analyzer, "python");
	logs_result_release(&r);
}

Test(frameworks, nose_is_read_as_unittest)
{
	struct logs_result r = parse("nose.log");
	expect_counts(&r, "unittest", 4, 2, 1);
	expect_failed_name(&r, "tests.test_util.test_slugify");
	expect_failed_name(&r, "test_parse_list (tests.test_parser.ParserTest)");
	logs_result_release(&r);
}

Test(frameworks, maven_surefire_and_failsafe_summaries_are_summed_not_their_class_lines)
{
	struct logs_result r = parse("maven_failsafe_junit5.log");
	expect_counts(&r, "JUnit", 23, 2, 1);
	expect_failed_name(&r, "com.example.core.LexerTest.readsUnicode");
	expect_failed_name(&r, "com.example.core.DatabaseIT.connects");
	cr_expect_str_eq(r.analyzer, "java-maven");
	cr_expect_float_eq(r.build_duration_sec, 12.345, 1e-9);
	logs_result_release(&r);
}

Test(frameworks, surefire3_failure_lines_give_the_test_name_without_its_time)
{
	/* Surefire 3 writes "[ERROR] a.BTest.testFoo -- Time elapsed: 0.011 s <<< FAILURE!". */
	struct logs_result r = parse("maven_surefire3.log");
	/* Maven's own "Tests run: 7" (its skipped test included), as the reference analyzers read it. */
	expect_counts(&r, "JUnit", 7, 1, 1);
	expect_failed_name(&r, "com.acme.ParserTest.parsesDates");
	cr_expect_eq(r.failed_names.n, 1, "failed names: %zu", r.failed_names.n);
	logs_result_release(&r);
}

Test(frameworks, testng_summary_with_passes)
{
	struct logs_result r = parse("testng.log");
	expect_counts(&r, "testng", 42, 2, 1);
	logs_result_release(&r);
}

Test(frameworks, sbt_total_is_used_and_scalatest_not_counted_twice)
{
	struct logs_result r = parse("sbt_scalatest.log");
	expect_counts(&r, "scalatest", 3, 1, 1);
	cr_expect_str_eq(r.analyzer, "java-sbt");
	logs_result_release(&r);
}

Test(frameworks, minitest_runs_line_and_failure_headings)
{
	struct logs_result r = parse("minitest.log");
	expect_counts(&r, "testunit", 8, 2, 1);
	expect_failed_name(&r, "UserTest.test_name_is_required");
	expect_failed_name(&r, "OrderTest.test_total");
	cr_expect_float_eq(r.test_duration_sec, 0.012345, 1e-9);
	logs_result_release(&r);
}

Test(frameworks, test_unit_counts_pendings_and_omissions_as_skipped)
{
	struct logs_result r = parse("test_unit.log");
	expect_counts(&r, "testunit", 9, 1, 2);
	logs_result_release(&r);
}

Test(frameworks, jasmine_pending_specs_are_not_run)
{
	struct logs_result r = parse("jasmine.log");
	expect_counts(&r, "jasmine", 6, 1, 1);
	expect_failed_name(&r, "Calculator divides by zero");
	logs_result_release(&r);
}

Test(frameworks, vitest_tests_line_and_failed_test_paths)
{
	struct logs_result r = parse("vitest.log");
	expect_counts(&r, "vitest", 8, 1, 1);
	expect_failed_name(&r, "src/date.test.ts > formatDate > pads the month");
	cr_expect_float_eq(r.test_duration_sec, 1.23, 1e-9);
	logs_result_release(&r);
}

Test(frameworks, karma_counts_the_last_progress_line_only)
{
	struct logs_result r = parse("karma.log");
	expect_counts(&r, "karma", 10, 1, 2);
	logs_result_release(&r);
}

Test(frameworks, go_test_without_v_counts_the_failures_it_lists)
{
	struct logs_result r = parse("gotest_plain.log");
	expect_counts(&r, "gotest", 1, 1, 0);
	expect_failed_name(&r, "TestParse");
	cr_expect_float_eq(r.test_duration_sec, 0.032, 1e-9);
	logs_result_release(&r);
}

Test(frameworks, go_test_v_counts_subtests_and_not_package_lines)
{
	struct logs_result r = parse("gotest_verbose.log");
	expect_counts(&r, "gotest", 5, 2, 1);
	expect_failed_name(&r, "TestTable");
	expect_failed_name(&r, "TestTable/negative");
	logs_result_release(&r);
}

Test(frameworks, gotestsum_done_line_replaces_the_per_test_lines)
{
	struct logs_result r = parse("gotestsum.log");
	expect_counts(&r, "gotest", 4, 2, 1);
	logs_result_release(&r);
}

Test(frameworks, cargo_test_sums_binaries_and_doc_tests)
{
	struct logs_result r = parse("cargo.log");
	expect_counts(&r, "cargo", 7, 1, 2);
	expect_failed_name(&r, "parser::tests::parses_list");
	cr_expect_float_eq(r.test_duration_sec, 0.56, 1e-9);
	cr_expect_str_eq(r.analyzer, "rust");
	logs_result_release(&r);
}

Test(frameworks, cargo_nextest_summary)
{
	struct logs_result r = parse("nextest.log");
	expect_counts(&r, "nextest", 6, 1, 1);
	expect_failed_name(&r, "acme parser::tests::parses_list");
	logs_result_release(&r);
}

Test(frameworks, googletest_summary_and_failed_list)
{
	struct logs_result r = parse("gtest.log");
	expect_counts(&r, "gtest", 4, 1, 1);
	expect_failed_name(&r, "MathTest.Divide");
	cr_expect_eq(r.failed_names.n, 1);
	logs_result_release(&r);
}

Test(frameworks, catch2_test_cases_line_and_failed_case_name)
{
	struct logs_result r = parse("catch2.log");
	expect_counts(&r, "catch2", 3, 1, 1);
	expect_failed_name(&r, "Factorials are computed");
	logs_result_release(&r);
}

Test(frameworks, catch2_all_passed_line)
{
	struct logs_result r = parse("catch2_pass.log");
	expect_counts(&r, "catch2", 6, 0, 0);
	logs_result_release(&r);
}

Test(frameworks, ctest_excludes_tests_that_did_not_run)
{
	struct logs_result r = parse("ctest.log");
	expect_counts(&r, "ctest", 3, 1, 1);
	expect_failed_name(&r, "unit_lexer");
	cr_expect_float_eq(r.test_duration_sec, 0.05, 1e-9);
	logs_result_release(&r);
}

Test(frameworks, phpunit_failures_and_errors_with_names)
{
	struct logs_result r = parse("phpunit.log");
	expect_counts(&r, "phpunit", 7, 2, 1);
	expect_failed_name(&r, "App\\Tests\\OrderTest::testTotal");
	expect_failed_name(&r, "App\\Tests\\UserTest::testNameRequired");
	logs_result_release(&r);
}

Test(frameworks, phpunit_ok_line)
{
	struct logs_result r = parse("phpunit_ok.log");
	expect_counts(&r, "phpunit", 5, 0, 0);
	logs_result_release(&r);
}

Test(frameworks, dotnet_test_sums_assemblies)
{
	struct logs_result r = parse("dotnet.log");
	expect_counts(&r, "dotnet", 15, 1, 1);
	expect_failed_name(&r, "Acme.Tests.ParserTests.ParsesList");
	cr_expect_eq(r.failed_names.n, 1);
	logs_result_release(&r);
}

Test(frameworks, dotnet_old_multi_line_summary)
{
	struct logs_result r = parse("dotnet_mstest_old.log");
	expect_counts(&r, "dotnet", 6, 1, 1);
	logs_result_release(&r);
}
