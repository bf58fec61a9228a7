/*
 * The failure chunk (src/logs/failure.c) over small hand-written logs in
 * tests/logs/data/failure_*.log, each made from a tool's documented output and
 * saying in its first lines what it covers: where the chunk starts and ends,
 * what it must and must not contain, its kind; a passing build has none.
 */
#include "testsupport.h"
#include "core/xalloc.h"
#include "logs/logs.h"
#include <criterion/criterion.h>
#include <string.h>

struct fail_case {
	const char *log;
	const char *kind;           /* NULL: no failure expected */
	uint64_t start_line;        /* 0: not checked */
	const char *first;          /* the chunk's first line starts with this */
	const char *contains[3];
	const char *lacks[2];
};

static void check(const struct fail_case *c)
{
	char *path = xasprintf("%s/tests/logs/data/%s", CIMINER_SOURCE_DIR, c->log);
	struct logs_result r;
	struct err e = ERR_INIT;
	logs_result_init(&r);
	cr_assert_eq(logs_parse_file(&r, path, &e), 0, "%s: %s", path, e.msg);
	free(path);
	if (!c->kind) {
		cr_expect_not(r.failure.present, "a failure chunk in a passing log: %s", r.failure.text);
		logs_result_release(&r);
		return;
	}
	cr_assert(r.failure.present, "no failure chunk");
	cr_expect_str_eq(r.failure.kind, c->kind);
	if (c->start_line)
		cr_expect_eq(r.failure.start_line, c->start_line, "start line %llu",
			     (unsigned long long)r.failure.start_line);
	cr_expect(r.failure.end_line >= r.failure.start_line);
	size_t lines = 1;
	for (const char *p = r.failure.text; *p; p++)
		lines += *p == '\n';
	cr_expect_eq(lines, r.failure.end_line - r.failure.start_line + 1, "%zu lines for %llu..%llu", lines,
		     (unsigned long long)r.failure.start_line, (unsigned long long)r.failure.end_line);
	cr_expect_leq(lines, LOGS_FAILURE_LINES);
	if (c->first)
		cr_expect(strncmp(r.failure.text, c->first, strlen(c->first)) == 0, "chunk starts: %.80s", r.failure.text);
	for (size_t i = 0; i < 3 && c->contains[i]; i++)
		cr_expect(strstr(r.failure.text, c->contains[i]), "chunk lacks '%s':\n%s", c->contains[i], r.failure.text);
	for (size_t i = 0; i < 2 && c->lacks[i]; i++)
		cr_expect_not(strstr(r.failure.text, c->lacks[i]), "chunk has '%s':\n%s", c->lacks[i], r.failure.text);
	logs_result_release(&r);
}

Test(failure, starts_at_the_nested_go_subtest_that_failed)
{
	check(&(const struct fail_case){ .log = "failure_go_nested_subtest.log", .kind = "test", .start_line = 11,
					 .first = "    --- FAIL: TestSort/many",
					 .contains = { "sort_test.go:31: got [3 1 2], want [1 2 3]" },
					 .lacks = { "TestSort/one" } });
}

Test(failure, a_short_failed_section_is_its_own_chunk)
{
	check(&(const struct fail_case){ .log = "failure_travis_clone_retried.log", .kind = "dependency",
					 .start_line = 3, .first = "$ git clone",
					 .contains = { "fatal: Remote branch gone not found", "failed 3 times." } });
}

Test(failure, only_the_failing_step_counts_and_timestamps_are_removed)
{
	check(&(const struct fail_case){ .log = "failure_rustc_after_passing_step.log", .kind = "compilation",
					 .contains = { "error[E0425]: cannot find value `cfg` in this scope",
						       "--> src/main.rs:7:13" },
					 .lacks = { "0 error(s)", "2023-05-01T" } });
}

Test(failure, a_test_failure_is_taken_from_the_runner_report)
{
	check(&(const struct fail_case){ .log = "failure_pytest_then_lint.log", .kind = "test", .start_line = 8,
					 .first = "=================================== FAILURES",
					 .contains = { "E       assert 2.0 == 3", "tests/test_calc.py:9: AssertionError" } });
}

Test(failure, a_timeout_shows_what_was_running)
{
	check(&(const struct fail_case){ .log = "failure_timeout.log", .kind = "timeout",
					 .contains = { "[INFO] Running com.acme.SlowTest", "No output has been received" } });
}

Test(failure, a_passing_build_has_no_failure_chunk)
{
	check(&(const struct fail_case){ .log = "failure_passing_build.log", .kind = NULL });
}

Test(failure, json_carries_the_chunk_and_null_for_a_passing_log)
{
	const char *log = "$ make test\nok\nsrc/a.c:3:5: error: expected ';' before '}' token\nThe command \"make test\" exited with 2.\n";
	struct logs_result r;
	logs_result_init(&r);
	logs_parse_buffer(&r, log, strlen(log));
	json_t *j = logs_result_to_json(&r);
	json_t *f = json_object_get(j, "failure");
	cr_assert(json_is_object(f));
	cr_expect_eq(json_integer_value(json_object_get(f, "start_line")), 1);
	cr_expect_eq(json_integer_value(json_object_get(f, "end_line")), 3); /* the verdict is not the cause */
	cr_expect_str_eq(json_string_value(json_object_get(f, "kind")), "compilation");
	cr_expect(strstr(json_string_value(json_object_get(f, "text")), "error: expected ';' before"));
	json_decref(j);
	logs_result_release(&r);

	const char *ok = "$ make test\nok\nThe command \"make test\" exited with 0.\nDone. Your build exited with 0.\n";
	logs_parse_buffer(&r, ok, strlen(ok));
	j = logs_result_to_json(&r);
	cr_expect(json_is_null(json_object_get(j, "failure")));
	json_decref(j);
	logs_result_release(&r);
}
