/*
 * What the log says besides tests: the build tool (which names the
 * analyzer: java-maven, java-gradle, java-ant, java-sbt), the tool's own
 * build duration ("[INFO] Total time: 01:02 min", "BUILD FAILED in 1m 10s",
 * Ant's "Total time: 5 seconds"; the last one counts, as in the reference
 * analyzers), and for GitHub Actions the setup time: from the job's first
 * line to the first "Run" step that is a command rather than an action
 * (BugSwarm's rule; a Gradle build action counts as the build).
 * Travis's setup time is summed by the normaliser from its fold timings.
 */
#include "logs/logs_internal.h"
#include "core/utc.h"
#include <string.h>

static const char *const needles[] = { "BUILD SUCCESS", "BUILD FAILURE", "Apache Maven ", "Reactor Summary",
				       "BUILD FAILED", "> Task :", "Total time: ", "Buildfile: ",
				       "##[group]Run ", "[success] Total time", "Welcome to Gradle", NULL };
enum { N_MVN_OK, N_MVN_FAIL, N_MVN, N_REACTOR, N_GRADLE_FAIL, N_TASK, N_TOTAL_TIME, N_ANT, N_GHA_RUN,
       N_SBT, N_GRADLE_WELCOME };

struct state {
	int setup_done;
};

static void set_tool(struct logs_acc *a, const char *tool)
{
	if (!a->tool)
		a->tool = tool;
}

/* "Run actions/checkout@v3" is an action; "Run mvn -B test" a command. */
static int is_action(const char *s, const char *end)
{
	const char *slash = NULL, *p = s;
	for (; p < end && *p != ' '; p++)
		if (*p == '/' && !slash)
			slash = p;
	const char *at = memchr(s, '@', (size_t)(p - s));
	return slash && at && at > slash;
}

static int line(void *stp, const void *sh, struct logs_acc *a, const struct logs_line *ln, unsigned hits)
{
	struct state *st = stp;
	const char *s = ln->s, *end = s + ln->len;
	size_t len = ln->len;
	if (hits & ((1u << N_MVN_OK) | (1u << N_MVN_FAIL) | (1u << N_MVN) | (1u << N_REACTOR))) {
		if (logs_starts(s, len, "[INFO] ") || logs_starts(s, len, "Apache Maven "))
			set_tool(a, "maven");
	}
	if (hits & ((1u << N_GRADLE_FAIL) | (1u << N_MVN_OK))) {
		/* Gradle: "BUILD SUCCESSFUL in 1m 5s" / "BUILD FAILED in 12s" at the start of a line */
		if ((logs_starts(s, len, "BUILD SUCCESSFUL") || logs_starts(s, len, "BUILD FAILED"))) {
			const char *in = logs_find(s, len, " in ");
			if (in) {
				set_tool(a, "gradle");
				double sec = logs_parse_duration(in + 4, (size_t)(end - in - 4));
				if (sec >= 0 && sec < 1e8)
					a->res->build_duration_sec = sec;
			}
		}
	}
	if (hits & ((1u << N_TASK) | (1u << N_GRADLE_WELCOME)))
		if (logs_starts(s, len, "> Task :") || logs_starts(s, len, "Welcome to Gradle"))
			set_tool(a, "gradle");
	if ((hits & (1u << N_ANT)) && logs_starts(s, len, "Buildfile: "))
		set_tool(a, "ant");
	if (hits & (1u << N_SBT))
		set_tool(a, "sbt");
	if ((hits & (1u << N_TOTAL_TIME)) && !(hits & (1u << N_SBT))) {
		const char *t = logs_find(s, len, "Total time: ");
		const char *pre = s;
		if (logs_starts(pre, len, "[INFO] "))
			pre += 7;
		if (t == pre) {
			double sec = logs_parse_duration(t + 12, (size_t)(end - t - 12));
			if (sec >= 0 && sec < 1e8)
				a->res->build_duration_sec = sec;
		}
	}
	if ((hits & (1u << N_GHA_RUN)) && !st->setup_done && logs_starts(s, len, "##[group]Run ")) {
		const char *cmd = s + 13;
		int gradle_action = logs_find(cmd, (size_t)(end - cmd), "gradle-build-action") ||
				    logs_find(cmd, (size_t)(end - cmd), "gradle-command-action");
		if (!is_action(cmd, end) || gradle_action) {
			st->setup_done = 1;
			int64_t t0, t1;
			struct err e = ERR_INIT;
			if (ln->ts && a->first_ts[0] && utc_parse(&t0, a->first_ts, &e) == 0 && utc_parse(&t1, ln->ts, &e) == 0 &&
			    t1 >= t0)
				a->res->setup_time_sec = (double)(t1 - t0) / 1e6;
		}
	}
	return 0;
}

const struct logs_parser_def logs_parse_meta = {
	.name = "meta",
	.needles = needles,
	.sees_folds = 1,
	.state_size = sizeof(struct state),
	.line = line,
};
