/*
 * The Java part of a generated job log: actions/setup-java, then
 * `mvn -B verify` — dependency resolution (or its failure), compilation (or a
 * COMPILATION ERROR), Surefire 3 with one "Tests run: ... -- in <class>" line
 * per test class, the failures' stack traces, the Results: block and
 * BUILD SUCCESS/FAILURE, as Maven 3.9 prints them.
 */
#include "world/world_internal.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include <stdlib.h>
#include <string.h>

static const char *jdk(const char *v)
{
	return !strcmp(v, "21") ? "21.0.1+12" : !strcmp(v, "11") ? "11.0.21+9" : "17.0.9+9";
}

static void setup_java(struct wrepo *r, struct wjob *j, struct wclock *c)
{
	wclock_wait(c, 0.1 + 0.3 * wr_unit(c->rng));
	world_log_step_begin(j, c, j->setup_name);
	wclock_line(c, "##[group]Run actions/setup-java@v4");
	wclock_line(c, "with:");
	wclock_line(c, "  distribution: temurin");
	wclock_line(c, "  java-version: %s", j->version);
	wclock_line(c, "  cache: maven");
	wclock_line(c, "  java-package: jdk");
	wclock_line(c, "  check-latest: false");
	wclock_line(c, "  server-id: github");
	wclock_line(c, "  server-username: GITHUB_ACTOR");
	wclock_line(c, "  server-password: GITHUB_TOKEN");
	wclock_line(c, "  overwrite-settings: true");
	wclock_line(c, "  job-status: success");
	wclock_line(c, "  token: ***");
	wclock_line(c, "##[endgroup]");
	wclock_line(c, "##[group]Installed distributions");
	wclock_line(c, "Resolved Java %s from tool-cache", jdk(j->version));
	wclock_line(c, "Setting Java %s as the default", jdk(j->version));
	wclock_line(c, "Creating toolchains.xml for JDK version %s from temurin", j->version);
	wclock_line(c, "Writing to /home/runner/.m2/toolchains.xml");
	wclock_line(c, "%s", "");
	wclock_line(c, "Java configuration:");
	wclock_line(c, "  Distribution: temurin");
	wclock_line(c, "  Version: %s", jdk(j->version));
	wclock_line(c, "  Path: /opt/hostedtoolcache/Java_Temurin-Hotspot_jdk/%s/x64", jdk(j->version));
	wclock_line(c, "%s", "");
	wclock_line(c, "##[endgroup]");
	wclock_line(c, "Creating settings.xml with server-id: github");
	wclock_line(c, "Writing to /home/runner/.m2/settings.xml");
	wclock_wait(c, 1 + 4 * wr_unit(c->rng));
	wclock_line(c, "Cache restored successfully");
	wclock_line(c, "Cache restored from key: setup-java-Linux-maven-%016llx",
		    (unsigned long long)rng_mix((uint64_t)r->gh_id));
	world_log_step_end(j, c, "success");
}

static void rule(struct wclock *c)
{
	wclock_line(c, "[INFO] ------------------------------------------------------------------------");
}

static void finish(struct wrepo *r, struct wjob *j, struct wclock *c, int ok, const char *goal_error)
{
	int64_t secs = (wclock_usec(c) - j->steps[j->nsteps - 1].start) / 1000000;
	char at[UTC_FMT_MAX];
	rule(c);
	wclock_line(c, "[INFO] BUILD %s", ok ? "SUCCESS" : "FAILURE");
	rule(c);
	if (secs < 60)
		wclock_line(c, "[INFO] Total time:  %lld.%03d s", (long long)secs, wr_range(c->rng, 0, 999));
	else
		wclock_line(c, "[INFO] Total time:  %02lld:%02lld min", (long long)secs / 60, (long long)secs % 60);
	wclock_line(c, "[INFO] Finished at: %s", utc_format(wclock_usec(c) / 1000000 * 1000000, at));
	rule(c);
	if (ok) {
		world_log_step_end(j, c, "success");
		return;
	}
	wclock_line(c, "[ERROR] Failed to execute goal %s", goal_error);
	wclock_line(c, "[ERROR] ");
	wclock_line(c, "[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.");
	wclock_line(c, "[ERROR] Re-run Maven using the -X switch to enable full debug logging.");
	wclock_line(c, "[ERROR] ");
	wclock_line(c, "[ERROR] For more information about the errors and possible solutions, please read the following articles:");
	wclock_line(c, "[ERROR] [Help 1] http://cwiki.apache.org/confluence/display/MAVEN/MojoFailureException");
	(void)r;
	world_log_exit(j, c, 1);
}

static int count_files(const struct wrepo *r, const struct wmodel *m, enum wfkind kind)
{
	int n = 0;
	for (size_t i = 0; i < r->npaths && i < m->n; i++)
		n += r->paths[i].kind == kind && m->f[i].exists;
	return n;
}

static int is_failing(const struct wbuild *b, uint32_t file, uint32_t unit)
{
	for (int i = 0; i < b->oc.n_failing; i++)
		if (b->oc.failing[i].file == file && b->oc.failing[i].unit == unit)
			return 1;
	return 0;
}

/* The compiler plugin's lines for one goal (main or test sources). */
static void javac(const struct wrepo *r, struct wclock *c, const char *goal, int files, const char *target)
{
	wclock_line(c, "[INFO] --- compiler:3.11.0:%s @ %s ---", goal, r->name);
	wclock_line(c, "[INFO] Changes detected - recompiling the module! :dependency");
	wclock_line(c, "[INFO] Compiling %d source files with javac [debug release 17] to target/%s", files, target);
}

/* Returns 0 when compilation passed. */
static int compile(struct wrepo *r, const struct wbuild *b, struct wjob *j, struct wclock *c)
{
	char *goal;
	wclock_line(c, "[INFO] ");
	wclock_line(c, "[INFO] --- resources:3.3.1:resources (default-resources) @ %s ---", r->name);
	wclock_line(c, "[INFO] Copying 1 resource from src/main/resources to target/classes");
	wclock_line(c, "[INFO] ");
	javac(r, c, "compile (default-compile)", count_files(r, b->model, WF_SRC), "classes");
	wclock_wait(c, 3 + 8 * wr_unit(c->rng));
	if (j->fail != WFAIL_COMPILE)
		return 0;
	{
		int mod = b->change->n_modules ? b->change->modules[0] : 0;
		const char *path = world_code_src_path(r, mod);
		int line = wr_range(c->rng, 12, 180), col = wr_range(c->rng, 9, 40);
		wclock_line(c, "[INFO] -------------------------------------------------------------");
		wclock_line(c, "[ERROR] COMPILATION ERROR : ");
		wclock_line(c, "[INFO] -------------------------------------------------------------");
		wclock_line(c, "[ERROR] /home/runner/work/%s/%s/%s:[%d,%d] cannot find symbol", r->name, r->name, path, line, col);
		wclock_line(c, "  symbol:   variable total%d", wr_range(c->rng, 1, 9));
		wclock_line(c, "  location: class %s.%.*s", r->pkg, (int)(strlen(strrchr(path, '/') + 1) - 5),
			    strrchr(path, '/') + 1);
		wclock_line(c, "[INFO] 1 error");
		wclock_line(c, "[INFO] -------------------------------------------------------------");
		goal = xasprintf("org.apache.maven.plugins:maven-compiler-plugin:3.11.0:compile (default-compile) on project %s: Compilation failure",
				 r->name);
		finish(r, j, c, 0, goal);
		free(goal);
	}
	return -1;
}

/*
 * One failing test's report in the class's block (assertion and stack), and
 * its line for the Results summary appended to results.
 */
static void failed_test(struct wrepo *r, struct wclock *c, const struct wtest *t, const char *label, struct buf *name,
			struct buf *results)
{
	int want, got, line;
	buf_reset(name);
	world_code_test_name(r, t->file, t->unit, NULL, name);
	world_log_failing_values(t->unit, &want, &got, &line);
	wclock_line(c, "[ERROR] %s.%s -- Time elapsed: 0.0%02d s  <<< FAILURE!", label, name->data,
		    wr_range(c->rng, 1, 99));
	wclock_line(c, "org.opentest4j.AssertionFailedError: expected: <%d> but was: <%d>", want, got);
	wclock_line(c, "\tat org.junit.jupiter.api.AssertionFailureBuilder.build(AssertionFailureBuilder.java:151)");
	wclock_line(c, "\tat org.junit.jupiter.api.AssertEquals.assertEquals(AssertEquals.java:150)");
	wclock_line(c, "\tat %s.%s(%s.java:%d)", label, name->data, strrchr(label, '.') + 1, line);
	wclock_line(c, "%s", "");
	buf_addf(results, "%s.%s:%d expected: <%d> but was: <%d>\n", strrchr(label, '.') + 1, name->data, line, want,
		 got);
}

/* Surefire's Results summary, then the build's end: failed on test failures, else the jar. */
static void surefire_results(struct wrepo *r, struct wjob *j, struct wclock *c, long run, long failures,
			     long skipped, struct buf *results)
{
	wclock_line(c, "[INFO] ");
	wclock_line(c, "[INFO] Results:");
	wclock_line(c, "[INFO] ");
	if (failures) {
		char *save = NULL, *l;
		wclock_line(c, "[ERROR] Failures: ");
		for (l = strtok_r(results->data, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
			wclock_line(c, "[ERROR]   %s", l);
		wclock_line(c, "[INFO] ");
	}
	wclock_line(c, "[%s] Tests run: %ld, Failures: %ld, Errors: 0, Skipped: %ld", failures ? "ERROR" : "INFO", run,
		    failures, skipped);
	wclock_line(c, "[INFO] ");
	if (failures) {
		char *goal = xasprintf("org.apache.maven.plugins:maven-surefire-plugin:3.1.2:test (default-test) on project %s: There are test failures.",
				       r->name);
		finish(r, j, c, 0, goal);
		free(goal);
	} else {
		wclock_line(c, "[INFO] --- jar:3.3.0:jar (default-jar) @ %s ---", r->name);
		wclock_line(c, "[INFO] Building jar: /home/runner/work/%s/%s/target/%s-1.0.0-SNAPSHOT.jar", r->name,
			    r->name, r->name);
		finish(r, j, c, 1, NULL);
	}
}

static void surefire(struct wrepo *r, const struct wbuild *b, struct wjob *j, struct wclock *c)
{
	struct wtest *tests = NULL;
	size_t n = world_code_tests(r, b->model, &tests);
	long run = 0, failures = 0, skipped = 0;
	size_t classes_done = 0, nclasses = (size_t)count_files(r, b->model, WF_TEST);
	struct buf label = BUF_INIT, name = BUF_INIT, results = BUF_INIT;
	wclock_line(c, "[INFO] ");
	wclock_line(c, "[INFO] --- surefire:3.1.2:test (default-test) @ %s ---", r->name);
	wclock_line(c, "[INFO] Using auto detected provider org.apache.maven.surefire.junitplatform.JUnitPlatformProvider");
	wclock_line(c, "[INFO] ");
	wclock_line(c, "[INFO] -------------------------------------------------------");
	wclock_line(c, "[INFO]  T E S T S");
	wclock_line(c, "[INFO] -------------------------------------------------------");
	for (size_t i = 0; i < n;) {
		size_t k = i;
		long crun = 0, cfail = 0, cskip = 0;
		double t = 0.01;
		if (j->stop && classes_done >= nclasses / 2)
			break;
		buf_reset(&label);
		world_code_test_name(r, tests[i].file, tests[i].unit, &label, NULL);
		wclock_line(c, "[INFO] Running %s", label.data);
		for (; k < n && tests[k].file == tests[i].file; k++) {
			crun++;
			cskip += tests[k].skip;
			cfail += !tests[k].skip && j->fail == WFAIL_TESTS && is_failing(b, tests[k].file, tests[k].unit);
			t += 0.001 + 0.2 * wr_unit(c->rng) * wr_unit(c->rng);
		}
		wclock_wait(c, t);
		wclock_line(c, "[%s] Tests run: %ld, Failures: %ld, Errors: 0, Skipped: %ld, Time elapsed: %.3f s%s -- in %s",
			    cfail ? "ERROR" : "INFO", crun, cfail, cskip, t, cfail ? " <<< FAILURE!" : "", label.data);
		for (size_t q = i; q < k && cfail; q++)
			if (!tests[q].skip && is_failing(b, tests[q].file, tests[q].unit))
				failed_test(r, c, &tests[q], label.data, &name, &results);
		run += crun;
		failures += cfail;
		skipped += cskip;
		classes_done++;
		i = k;
	}
	free(tests);
	if (j->stop)
		world_log_stop(j, c);
	else
		surefire_results(r, j, c, run, failures, skipped, &results);
	buf_release(&label);
	buf_release(&name);
	buf_release(&results);
}

void world_log_java(struct wrepo *r, const struct wbuild *b, struct wjob *j, struct wclock *c)
{
	static const char *const cmd[] = { "mvn -B verify --no-transfer-progress" };
	char env[128], *goal;
	setup_java(r, j, c);
	snprintf(env, sizeof(env), "JAVA_HOME: /opt/hostedtoolcache/Java_Temurin-Hotspot_jdk/%s/x64", jdk(j->version));
	world_log_run_group(j, c, "Build with Maven", cmd, 1, env);
	wclock_wait(c, 1 + wr_unit(c->rng));
	wclock_line(c, "[INFO] Scanning for projects...");
	wclock_line(c, "[INFO] ");
	wclock_line(c, "[INFO] %s< %s:%s >%s", "---------------------", r->pkg, r->name, "---------------------");
	wclock_line(c, "[INFO] Building %s 1.0.0-SNAPSHOT", r->name);
	wclock_line(c, "[INFO]   from pom.xml");
	wclock_line(c, "[INFO] --------------------------------[ jar ]---------------------------------");
	if (j->fail == WFAIL_INSTALL) {
		/* Maven resolves the dependencies before the first plugin runs. */
		const char *dep = r->deps.v[r->deps.n - 1], *colon = strchr(dep, ':');
		wclock_wait(c, 2 + 6 * wr_unit(c->rng));
		goal = xasprintf("on project %s: Could not resolve dependencies for project %s:%s:jar:1.0.0-SNAPSHOT: "
				 "The following artifacts could not be resolved: %.*s:%s:jar:99.0.%d (absent): Could not find "
				 "artifact %.*s:%s:jar:99.0.%d in central (https://repo.maven.apache.org/maven2) -> [Help 1]",
				 r->name, r->pkg, r->name, (int)(colon - dep), dep, colon + 1, 1, (int)(colon - dep), dep,
				 colon + 1, 1);
		finish(r, j, c, 0, goal);
		free(goal);
		return;
	}
	if (compile(r, b, j, c))
		return;
	wclock_line(c, "[INFO] ");
	javac(r, c, "testCompile (default-testCompile)", count_files(r, b->model, WF_TEST), "test-classes");
	wclock_wait(c, 2 + 5 * wr_unit(c->rng));
	surefire(r, b, j, c);
}
