/*
 * log_*: what the build's own job logs say (logs/logs.h, aggregated over its
 * jobs with logs_result_merge) — post_build, since the logs exist only once
 * the build ran. prev_log_*: the same values of the previous build (the last
 * to finish before this one started, as history_*), which are pre_build.
 *
 * Counting follows TravisTorrent: tests run = passed + failed, skipped tests
 * are not run. A log where no test framework was recognised gives 0 tests and
 * log_tests_recognised false. When extractor_configs.test_frameworks is set,
 * only those frameworks are listed, and a log that shows none of them has
 * null test counts (its tests are not of the kinds the scenario studies).
 */
#include "features/families_internal.h"
#include "logs/logs.h"
#include <string.h>
#include <strings.h>

/* 1 when framework is among the configured ones (or none are configured). Case-insensitive: the scenario
 * file says "junit" where the parsers report "JUnit". */
static int framework_wanted(const struct feat_config *cfg, const char *framework)
{
	if (cfg->test_frameworks.n == 0)
		return 1;
	for (size_t i = 0; i < cfg->test_frameworks.n; i++)
		if (strcasecmp(cfg->test_frameworks.v[i], framework) == 0)
			return 1;
	return 0;
}

/* 1 when the log shows one of the configured frameworks (or none are configured). */
static int frameworks_selected(const struct logs_result *lr, const struct feat_config *cfg)
{
	if (cfg->test_frameworks.n == 0)
		return 1;
	for (size_t i = 0; i < lr->frameworks.n; i++)
		if (framework_wanted(cfg, lr->frameworks.v[i]))
			return 1;
	return 0;
}

static void framework_list(struct feat_value *out, const struct logs_result *lr, const struct feat_config *cfg)
{
	struct strvec *l = feat_set_list(out);
	for (size_t i = 0; i < lr->frameworks.n; i++)
		if (framework_wanted(cfg, lr->frameworks.v[i]))
			strvec_push(l, lr->frameworks.v[i]);
}

static void seconds(struct feat_value *out, double s)
{
	if (s >= 0)
		feat_set_float(out, s);
}

/* Language part of an analyzer name ("java-maven" -> "java"); NULL for "plain". */
static void analyzer_language(struct feat_value *out, const char *analyzer)
{
	if (!analyzer || !strcmp(analyzer, "plain"))
		return;
	char lang[64];
	size_t n = strcspn(analyzer, "-");
	if (n >= sizeof(lang))
		n = sizeof(lang) - 1;
	memcpy(lang, analyzer, n);
	lang[n] = 0;
	feat_set_str(out, lang);
}

static const struct feat_def log_defs[] = {
	{ "log_test_frameworks", FEAT_STRLIST, "", "Test frameworks seen in the build's logs, in order of appearance.",
	  FEAT_POST_BUILD, 0, NULL, "tr_log_frameworks", NULL },
	{ "log_tests_recognised", FEAT_BOOL, "", "Whether any test summary or test line was recognised in the logs.",
	  FEAT_POST_BUILD, 0, NULL, NULL, NULL },
	{ "log_tests_run", FEAT_INT, "count", "Tests run (passed + failed) over the build's jobs.", FEAT_POST_BUILD, 0,
	  NULL, "tr_log_num_tests_run", NULL },
	{ "log_tests_failed", FEAT_INT, "count", "Tests that failed or errored.", FEAT_POST_BUILD, 0, NULL,
	  "tr_log_num_tests_failed", NULL },
	{ "log_tests_passed", FEAT_INT, "count", "Tests that passed.", FEAT_POST_BUILD, 0, NULL, "tr_log_num_tests_ok",
	  NULL },
	{ "log_tests_skipped", FEAT_INT, "count", "Tests skipped, pending or ignored.", FEAT_POST_BUILD, 0, NULL,
	  "tr_log_num_tests_skipped", NULL },
	{ "log_tests_failed_names", FEAT_STRLIST, "name", "Distinct names of the failed tests (at most 1,000).",
	  FEAT_POST_BUILD, 0, NULL, "tr_log_tests_failed", NULL },
	{ "log_test_duration_sec", FEAT_FLOAT, "seconds", "Test time the frameworks' summaries report, summed.",
	  FEAT_POST_BUILD, 0, NULL, "tr_log_testduration", NULL },
	{ "log_setup_time_sec", FEAT_FLOAT, "seconds", "Time before the first build step.", FEAT_POST_BUILD, 0, NULL,
	  "tr_log_setup_time", NULL },
	{ "log_build_duration_sec", FEAT_FLOAT, "seconds", "The build tool's own total time (Maven, Gradle, Ant).",
	  FEAT_POST_BUILD, 0, NULL, "tr_log_buildduration", NULL },
	{ "log_status", FEAT_STRING, "", "How the jobs ended by their logs: ok, broken, cancelled, timeout, terminated, "
					 "unknown (close to the label).",
	  FEAT_POST_BUILD, 0, NULL, "tr_log_status", NULL },
	{ "log_analyzer", FEAT_STRING, "", "The log analyzer that recognised the tests (java-maven, python, ...).",
	  FEAT_POST_BUILD, 0, NULL, "tr_log_analyzer", NULL },
	{ "log_language", FEAT_STRING, "", "The language part of the analyzer (java, python, ...).", FEAT_POST_BUILD, 0,
	  NULL, "tr_log_lan", NULL },
	{ "log_failure_kind", FEAT_STRING, "",
	  "What the failed build's first failing job failed on, read from the chunk of its log that says why: test, "
	  "compilation, dependency, lint, infrastructure, timeout or other (null for a build whose logs show no failure).",
	  FEAT_POST_BUILD, 0, NULL, NULL, NULL },
	{ "log_failure_chunk", FEAT_STRING, "",
	  "The chunk of the failed job's log that says why it failed (at most 40 lines, ANSI codes and timestamps "
	  "removed), for the enrichment details and for reading; null when no job failed.",
	  FEAT_POST_BUILD, 0, NULL, NULL, NULL },
};

static int log_compute(struct feat_run *r, void *state, struct feat_value *out)
{
	const struct logs_result *lr = r->in->log;
	framework_list(&out[0], lr, r->cfg);
	feat_set_bool(&out[1], lr->tests_recognised);
	if (frameworks_selected(lr, r->cfg)) {
		feat_set_int(&out[2], lr->tests_run);
		feat_set_int(&out[3], lr->tests_failed);
		feat_set_int(&out[4], lr->tests_ok);
		feat_set_int(&out[5], lr->tests_skipped);
		struct strvec *names = feat_set_list(&out[6]);
		for (size_t i = 0; i < lr->failed_names.n; i++)
			strvec_push(names, lr->failed_names.v[i]);
	}
	seconds(&out[7], lr->test_duration_sec);
	seconds(&out[8], lr->setup_time_sec);
	seconds(&out[9], lr->build_duration_sec);
	feat_set_str(&out[10], logs_status_name(lr->status));
	feat_set_str(&out[11], lr->analyzer);
	analyzer_language(&out[12], lr->analyzer);
	if (lr->failure.present) {
		feat_set_str(&out[13], lr->failure.kind);
		feat_set_str(&out[14], lr->failure.text ? lr->failure.text : "");
	}
	return 0;
}

const struct feat_node feat_node_log = {
	"log", "log", FEAT_IN_LOGS, NULL, log_defs, FEAT_N(log_defs), 0, NULL, log_compute,
};

static const struct feat_def prev_defs[] = {
	{ "prev_log_tests_run", FEAT_INT, "count", "log_tests_run of the previous build.", FEAT_PRE_BUILD, 1, NULL, NULL,
	  NULL },
	{ "prev_log_tests_failed", FEAT_INT, "count", "log_tests_failed of the previous build.", FEAT_PRE_BUILD, 1, NULL,
	  NULL, NULL },
	{ "prev_log_tests_passed", FEAT_INT, "count", "log_tests_passed of the previous build.", FEAT_PRE_BUILD, 1, NULL,
	  NULL, NULL },
	{ "prev_log_tests_skipped", FEAT_INT, "count", "log_tests_skipped of the previous build.", FEAT_PRE_BUILD, 1,
	  NULL, NULL, NULL },
	{ "prev_log_test_duration_sec", FEAT_FLOAT, "seconds", "log_test_duration_sec of the previous build.",
	  FEAT_PRE_BUILD, 1, NULL, NULL, NULL },
	{ "prev_log_status", FEAT_STRING, "", "log_status of the previous build.", FEAT_PRE_BUILD, 1, NULL, NULL, NULL },
	{ "prev_log_test_frameworks", FEAT_STRLIST, "", "log_test_frameworks of the previous build.", FEAT_PRE_BUILD, 1,
	  NULL, NULL, NULL },
};

static int prev_compute(struct feat_run *r, void *state, struct feat_value *out)
{
	const struct feat_st_prev *p = r->deps[0];
	if (p->prev == FEAT_NONE)
		return 0; /* no previous build: nothing to miss */
	const struct logs_result *lr = r->in->history->builds[p->prev].log;
	if (!lr)
		return FEAT_IN_PREV_LOGS;
	if (frameworks_selected(lr, r->cfg)) {
		feat_set_int(&out[0], lr->tests_run);
		feat_set_int(&out[1], lr->tests_failed);
		feat_set_int(&out[2], lr->tests_ok);
		feat_set_int(&out[3], lr->tests_skipped);
	}
	seconds(&out[4], lr->test_duration_sec);
	feat_set_str(&out[5], logs_status_name(lr->status));
	framework_list(&out[6], lr, r->cfg);
	return 0;
}

static const char *const prev_deps[] = { "history_prev", NULL };

const struct feat_node feat_node_prev_log = {
	"prev_log", "prev_log", FEAT_IN_HISTORY | FEAT_IN_PREV_LOGS, prev_deps, prev_defs, FEAT_N(prev_defs), 0, NULL, prev_compute,
};
