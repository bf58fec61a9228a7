/*
 * sbt and ScalaTest. sbt closes each test run with
 * "[info] Passed: Total 52, Failed 0, Errors 0, Passed 50, Skipped 2" (or
 * "[error] Failed: Total ..."), over every test framework of the module;
 * ScalaTest prints its own "Tests: succeeded 5, failed 1, canceled 0,
 * ignored 2, pending 0" inside it. sbt's lines are summed; ScalaTest's are
 * used only for logs without any sbt summary (ScalaTest run by Maven or
 * Gradle), so that a test is never counted twice.
 *
 * Counting as the reference analyzers: run = sbt's Total (which includes
 * skipped tests), failed = Failed + Errors, skipped = Skipped + Ignored +
 * Canceled + Pending. ScalaTest alone: run = succeeded + failed.
 */
#include "logs/logs_internal.h"
#include <string.h>

static const char *const needles[] = { "Passed: Total ", "Failed: Total ", "Tests: succeeded ",
				       "Test run finished:", "Run completed in", NULL };
enum { N_PASSED, N_FAILED, N_SCALATEST, N_JUNIT_IF, N_RUN_COMPLETED };

struct state {
	int any_sbt, junit_interface, scalatest, st_seen;
	long long st_run, st_failed, st_skipped;
};

static long long v0(long long v)
{
	return v > 0 ? v : 0;
}

static int line(void *stp, const void *sh, struct logs_acc *a, const struct logs_line *ln, unsigned hits)
{
	struct state *st = stp;
	const char *s = ln->s;
	size_t len = ln->len;
	if (hits & (1u << N_JUNIT_IF))
		st->junit_interface = 1;
	if (hits & (1u << N_RUN_COMPLETED))
		st->scalatest = 1;
	if (hits & ((1u << N_PASSED) | (1u << N_FAILED))) {
		const char *t = logs_find(s, len, hits & (1u << N_PASSED) ? "Passed: Total " : "Failed: Total ");
		size_t tl = len - (size_t)(t - s);
		long long total = logs_value_after(t, tl, "Total ");
		if (total >= 0) {
			long long failed = v0(logs_value_after(t, tl, "Failed ")) + v0(logs_value_after(t, tl, "Errors "));
			long long skipped = v0(logs_value_after(t, tl, "Skipped ")) + v0(logs_value_after(t, tl, "Ignored ")) +
					    v0(logs_value_after(t, tl, "Canceled ")) + v0(logs_value_after(t, tl, "Pending "));
			const char *fw = st->junit_interface && !st->scalatest ? "JUnit" : "scalatest";
			logs_acc_counts(a, fw, total, failed, skipped);
			st->any_sbt = 1;
			a->tool = a->tool ? a->tool : "sbt";
		}
	}
	if (hits & (1u << N_SCALATEST)) {
		const char *t = logs_find(s, len, "Tests: succeeded ");
		size_t tl = len - (size_t)(t - s);
		long long ok = logs_value_after(t, tl, "succeeded "), failed = v0(logs_value_after(t, tl, "failed "));
		if (ok >= 0) {
			st->scalatest = 1;
			st->st_seen = 1;
			st->st_run += ok + failed;
			st->st_failed += failed;
			st->st_skipped += v0(logs_value_after(t, tl, "canceled ")) + v0(logs_value_after(t, tl, "ignored ")) +
					  v0(logs_value_after(t, tl, "pending "));
			logs_acc_framework(a, "scalatest");
		}
	}
	return 0;
}

static void finish(void *stp, const void *sh, struct logs_acc *a)
{
	struct state *st = stp;
	if (!st->any_sbt && st->st_seen)
		logs_acc_counts(a, "scalatest", st->st_run, st->st_failed, st->st_skipped);
}

const struct logs_parser_def logs_parse_sbt = {
	.name = "sbt",
	.needles = needles,
	.state_size = sizeof(struct state),
	.line = line,
	.finish = finish,
};
