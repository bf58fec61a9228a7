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

/* What one log must parse into; the optional parts are checked only when given. */
struct fw_case {
	const char *log;		      /* in tests/logs/data/ */
	const char *frameworks;		      /* joined with '#' */
	long long run, failed, skipped;	      /* tests_ok must be run - failed */
	const char *failed_names[3];	      /* each among the failed names */
	int only_these_failed;		      /* and the failed names are exactly these */
	double test_duration, build_duration; /* seconds; 0: not checked */
	const char *analyzer;		      /* NULL: not checked */
};

static void check(const struct fw_case *c)
{
	char *path = xasprintf("%s/tests/logs/data/%s", CIMINER_SOURCE_DIR, c->log);
	struct logs_result r;
	struct err e = ERR_INIT;
	logs_result_init(&r);
	cr_assert_eq(logs_parse_file(&r, path, &e), 0, "%s: %s", path, e.msg);
	free(path);

	char *fw = strvec_join(&r.frameworks, "#");
	cr_expect_str_eq(fw ? fw : "", c->frameworks);
	free(fw);
	cr_expect(r.tests_recognised);
	cr_expect_eq(r.tests_run, c->run, "run %lld, want %lld", r.tests_run, c->run);
	cr_expect_eq(r.tests_failed, c->failed, "failed %lld, want %lld", r.tests_failed, c->failed);
	cr_expect_eq(r.tests_skipped, c->skipped, "skipped %lld, want %lld", r.tests_skipped, c->skipped);
	cr_expect_eq(r.tests_ok, c->run - c->failed);
	size_t names = 0;
	for (; names < sizeof(c->failed_names) / sizeof(c->failed_names[0]) && c->failed_names[names]; names++)
		cr_expect(strvec_find(&r.failed_names, c->failed_names[names]) >= 0, "failed names lack '%s'",
			  c->failed_names[names]);
	if (c->only_these_failed)
		cr_expect_eq(r.failed_names.n, names, "failed names: %zu", r.failed_names.n);
	if (c->test_duration)
		cr_expect_float_eq(r.test_duration_sec, c->test_duration, 1e-9);
	if (c->build_duration)
		cr_expect_float_eq(r.build_duration_sec, c->build_duration, 1e-9);
	if (c->analyzer)
		cr_expect_str_eq(r.analyzer, c->analyzer);
	logs_result_release(&r);
}

Test(frameworks, pytest_quiet_verbose_and_tox_sessions_are_summed)
{
	/* 13 passed + 1 failed + 1 xfailed, then 12 passed + 1 failed + 1 error */
	check(&(const struct fw_case){
		.log = "pytest_tox.log", .frameworks = "pytest", .run = 29, .failed = 3, .skipped = 3,
		.failed_names = { "tests/test_math.py::test_divide", "tests/test_io.py::test_read" },
		.only_these_failed = 1,
		.test_duration = 0.43, .analyzer = "python",
	});
}

Test(frameworks, nose_is_read_as_unittest)
{
	check(&(const struct fw_case){
		.log = "nose.log", .frameworks = "unittest", .run = 4, .failed = 2, .skipped = 1,
		.failed_names = { "tests.test_util.test_slugify", "test_parse_list (tests.test_parser.ParserTest)" },
	});
}

Test(frameworks, maven_surefire_and_failsafe_summaries_are_summed_not_their_class_lines)
{
	check(&(const struct fw_case){
		.log = "maven_failsafe_junit5.log", .frameworks = "JUnit", .run = 23, .failed = 2, .skipped = 1,
		.failed_names = { "com.example.core.LexerTest.readsUnicode", "com.example.core.DatabaseIT.connects" },
		.build_duration = 12.345, .analyzer = "java-maven",
	});
}

Test(frameworks, surefire3_failure_lines_give_the_test_name_without_its_time)
{
	/* Surefire 3 writes "[ERROR] a.BTest.testFoo -- Time elapsed: 0.011 s <<< FAILURE!". */
	/* Maven's own "Tests run: 7" (its skipped test included), as the reference analyzers read it. */
	check(&(const struct fw_case){
		.log = "maven_surefire3.log", .frameworks = "JUnit", .run = 7, .failed = 1, .skipped = 1,
		.failed_names = { "com.acme.ParserTest.parsesDates" }, .only_these_failed = 1,
	});
}

Test(frameworks, testng_summary_with_passes)
{
	check(&(const struct fw_case){
		.log = "testng.log", .frameworks = "testng", .run = 42, .failed = 2, .skipped = 1,
	});
}

Test(frameworks, sbt_total_is_used_and_scalatest_not_counted_twice)
{
	check(&(const struct fw_case){
		.log = "sbt_scalatest.log", .frameworks = "scalatest", .run = 3, .failed = 1, .skipped = 1,
		.analyzer = "java-sbt",
	});
}

Test(frameworks, minitest_runs_line_and_failure_headings)
{
	check(&(const struct fw_case){
		.log = "minitest.log", .frameworks = "testunit", .run = 8, .failed = 2, .skipped = 1,
		.failed_names = { "UserTest.test_name_is_required", "OrderTest.test_total" },
		.test_duration = 0.012345,
	});
}

Test(frameworks, test_unit_counts_pendings_and_omissions_as_skipped)
{
	check(&(const struct fw_case){
		.log = "test_unit.log", .frameworks = "testunit", .run = 9, .failed = 1, .skipped = 2,
	});
}

Test(frameworks, jasmine_pending_specs_are_not_run)
{
	check(&(const struct fw_case){
		.log = "jasmine.log", .frameworks = "jasmine", .run = 6, .failed = 1, .skipped = 1,
		.failed_names = { "Calculator divides by zero" },
	});
}

Test(frameworks, vitest_tests_line_and_failed_test_paths)
{
	check(&(const struct fw_case){
		.log = "vitest.log", .frameworks = "vitest", .run = 8, .failed = 1, .skipped = 1,
		.failed_names = { "src/date.test.ts > formatDate > pads the month" },
		.test_duration = 1.23,
	});
}

Test(frameworks, karma_counts_the_last_progress_line_only)
{
	check(&(const struct fw_case){
		.log = "karma.log", .frameworks = "karma", .run = 10, .failed = 1, .skipped = 2,
	});
}

Test(frameworks, go_test_without_v_counts_the_failures_it_lists)
{
	check(&(const struct fw_case){
		.log = "gotest_plain.log", .frameworks = "gotest", .run = 1, .failed = 1, .skipped = 0,
		.failed_names = { "TestParse" },
		.test_duration = 0.032,
	});
}

Test(frameworks, go_test_v_counts_subtests_and_not_package_lines)
{
	check(&(const struct fw_case){
		.log = "gotest_verbose.log", .frameworks = "gotest", .run = 5, .failed = 2, .skipped = 1,
		.failed_names = { "TestTable", "TestTable/negative" },
	});
}

Test(frameworks, gotestsum_done_line_replaces_the_per_test_lines)
{
	check(&(const struct fw_case){
		.log = "gotestsum.log", .frameworks = "gotest", .run = 4, .failed = 2, .skipped = 1,
	});
}

Test(frameworks, cargo_test_sums_binaries_and_doc_tests)
{
	check(&(const struct fw_case){
		.log = "cargo.log", .frameworks = "cargo", .run = 7, .failed = 1, .skipped = 2,
		.failed_names = { "parser::tests::parses_list" },
		.test_duration = 0.56, .analyzer = "rust",
	});
}

Test(frameworks, cargo_nextest_summary)
{
	check(&(const struct fw_case){
		.log = "nextest.log", .frameworks = "nextest", .run = 6, .failed = 1, .skipped = 1,
		.failed_names = { "acme parser::tests::parses_list" },
	});
}

Test(frameworks, googletest_summary_and_failed_list)
{
	check(&(const struct fw_case){
		.log = "gtest.log", .frameworks = "gtest", .run = 4, .failed = 1, .skipped = 1,
		.failed_names = { "MathTest.Divide" }, .only_these_failed = 1,
	});
}

Test(frameworks, catch2_test_cases_line_and_failed_case_name)
{
	check(&(const struct fw_case){
		.log = "catch2.log", .frameworks = "catch2", .run = 3, .failed = 1, .skipped = 1,
		.failed_names = { "Factorials are computed" },
	});
}

Test(frameworks, catch2_all_passed_line)
{
	check(&(const struct fw_case){
		.log = "catch2_pass.log", .frameworks = "catch2", .run = 6, .failed = 0, .skipped = 0,
	});
}

Test(frameworks, ctest_excludes_tests_that_did_not_run)
{
	check(&(const struct fw_case){
		.log = "ctest.log", .frameworks = "ctest", .run = 3, .failed = 1, .skipped = 1,
		.failed_names = { "unit_lexer" },
		.test_duration = 0.05,
	});
}

Test(frameworks, phpunit_failures_and_errors_with_names)
{
	check(&(const struct fw_case){
		.log = "phpunit.log", .frameworks = "phpunit", .run = 7, .failed = 2, .skipped = 1,
		.failed_names = { "App\\Tests\\OrderTest::testTotal", "App\\Tests\\UserTest::testNameRequired" },
	});
}

Test(frameworks, phpunit_ok_line)
{
	check(&(const struct fw_case){
		.log = "phpunit_ok.log", .frameworks = "phpunit", .run = 5, .failed = 0, .skipped = 0,
	});
}

Test(frameworks, dotnet_test_sums_assemblies)
{
	check(&(const struct fw_case){
		.log = "dotnet.log", .frameworks = "dotnet", .run = 15, .failed = 1, .skipped = 1,
		.failed_names = { "Acme.Tests.ParserTests.ParsesList" }, .only_these_failed = 1,
	});
}

Test(frameworks, dotnet_old_multi_line_summary)
{
	check(&(const struct fw_case){
		.log = "dotnet_mstest_old.log", .frameworks = "dotnet", .run = 6, .failed = 1, .skipped = 1,
	});
}
