/*
 * The Python part of a generated job log: actions/setup-python, pip
 * installing requirements.txt (or failing to resolve a pin), flake8, and
 * `pytest -v` with one line per test, the FAILURES section and the final
 * summary line, as pytest 7 prints them.
 */
#include "world/world_internal.h"
#include "core/xalloc.h"
#include <stdlib.h>
#include <string.h>

static const char *cpython(const char *v)
{
	return !strcmp(v, "3.10") ? "3.10.13" : !strcmp(v, "3.12") ? "3.12.0" : "3.11.6";
}

/* pytest's "==== text ====" line, 80 columns wide. */
static void banner(struct wclock *c, char fill, const char *text)
{
	char line[128];
	int len = (int)strlen(text) + 2, left, right;
	if (len > 78)
		len = 78;
	left = (80 - len) / 2;
	right = 80 - len - left;
	memset(line, fill, (size_t)left);
	snprintf(line + left, sizeof(line) - (size_t)left, " %.*s ", len - 2, text);
	memset(line + left + len, fill, (size_t)right);
	line[left + len + right] = 0;
	wclock_line(c, "%s", line);
}

static void setup_python(struct wjob *j, struct wclock *c)
{
	wclock_wait(c, 0.1 + 0.3 * wr_unit(c->rng));
	world_log_step_begin(j, c, j->setup_name);
	wclock_line(c, "##[group]Run actions/setup-python@v5");
	wclock_line(c, "with:");
	wclock_line(c, "  python-version: %s", j->version);
	wclock_line(c, "  check-latest: false");
	wclock_line(c, "  token: ***");
	wclock_line(c, "  update-environment: true");
	wclock_line(c, "  allow-prereleases: false");
	wclock_line(c, "##[endgroup]");
	wclock_line(c, "##[group]Installed versions");
	wclock_wait(c, 0.5 + 3 * wr_unit(c->rng));
	wclock_line(c, "Successfully set up CPython (%s)", cpython(j->version));
	wclock_line(c, "##[endgroup]");
	world_log_step_end(j, c, "success");
}

/* Returns 0 when the install succeeded. */
static int install(struct wrepo *r, const struct wbuild *b, struct wjob *j, struct wclock *c)
{
	static const char *const cmd[] = { "python -m pip install --upgrade pip",
					   "pip install -r requirements.txt pytest flake8" };
	char env[128], ver[32];
	const struct wfile *deps = NULL;
	struct strvec installed = STRVEC_INIT;
	char *list;
	for (size_t i = 0; i < r->npaths && i < b->model->n; i++)
		if (r->paths[i].kind == WF_DEPS)
			deps = &b->model->f[i];
	snprintf(env, sizeof(env), "pythonLocation: /opt/hostedtoolcache/Python/%s/x64", cpython(j->version));
	world_log_run_group(j, c, "Install dependencies", cmd, 2, env);
	wclock_wait(c, 1 + 2 * wr_unit(c->rng));
	wclock_line(c, "Requirement already satisfied: pip in /opt/hostedtoolcache/Python/%s/x64/lib/python%s/site-packages (23.3.1)",
		    cpython(j->version), j->version);
	for (size_t k = 0; deps && k < deps->n; k++) {
		const struct wunit *u = &deps->u[k];
		const char *name = u->id < r->deps.n ? r->deps.v[u->id] : "unknown";
		world_code_dep_version(r, u->id, u->ver, ver, sizeof(ver));
		/* An install failure hits the last pin (the bumped one when a bump is the cause). */
		if (j->fail == WFAIL_INSTALL && k + 1 == deps->n) {
			wclock_wait(c, 0.5 + wr_unit(c->rng));
			if (wr_chance(c->rng, 0.5)) {
				wclock_line(c, "ERROR: Could not find a version that satisfies the requirement %s==%s (from versions: 0.9.0, 1.0.0, 1.1.0)",
					    name, ver);
				wclock_line(c, "ERROR: No matching distribution found for %s==%s", name, ver);
			} else {
				wclock_line(c, "ERROR: Cannot install -r requirements.txt (line %zu) and %s==%s because these package versions have conflicting dependencies.",
					    k + 2, name, ver);
				wclock_line(c, "%s", "");
				wclock_line(c, "The conflict is caused by:");
				wclock_line(c, "    The user requested %s==%s", name, ver);
				wclock_line(c, "    %s %s depends on urllib3<2", name, ver);
				wclock_line(c, "%s", "");
				wclock_line(c, "ERROR: ResolutionImpossible: for help visit https://pip.pypa.io/en/latest/topics/dependency-resolution/#dealing-with-dependency-conflicts");
			}
			world_log_exit(j, c, 1);
			strvec_clear(&installed);
			return -1;
		}
		wclock_line(c, "Collecting %s==%s (from -r requirements.txt (line %zu))", name, ver, k + 2);
		wclock_wait(c, 0.05 + 0.3 * wr_unit(c->rng));
		{
			int kb = 20 + (int)(rng_mix(u->id) % 900);
			wclock_line(c, "  Downloading %s-%s-py3-none-any.whl (%d kB)", name, ver, kb);
			wclock_line(c, "     \xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81\xe2\x94\x81 %d.0/%d.0 kB %.1f MB/s eta 0:00:00",
				    kb, kb, 2 + 30 * wr_unit(c->rng));
		}
		strvec_pushf(&installed, "%s-%s", name, ver);
	}
	strvec_push(&installed, "pytest-7.4.3");
	strvec_push(&installed, "flake8-6.1.0");
	wclock_wait(c, 2 + 10 * wr_unit(c->rng));
	list = strvec_join(&installed, " ");
	wclock_line(c, "Installing collected packages: %s", list);
	wclock_wait(c, 1 + 6 * wr_unit(c->rng));
	wclock_line(c, "Successfully installed %s", list);
	free(list);
	strvec_clear(&installed);
	world_log_step_end(j, c, "success");
	return 0;
}

static int lint(struct wrepo *r, const struct wbuild *b, struct wjob *j, struct wclock *c)
{
	static const char *const cmd[] = { "flake8 src tests --count --max-line-length=100 --statistics" };
	world_log_run_group(j, c, "Lint with flake8", cmd, 1, NULL);
	wclock_wait(c, 0.8 + 2 * wr_unit(c->rng));
	if (j->fail != WFAIL_LINT) {
		wclock_line(c, "0");
		world_log_step_end(j, c, "success");
		return 0;
	}
	{
		int mod = b->change->n_modules ? b->change->modules[0] : 0, n = wr_range(c->rng, 1, 3);
		const char *path = world_code_src_path(r, mod);
		for (int i = 0; i < n; i++)
			wclock_line(c, "%s:%d:101: E501 line too long (%d > 100 characters)", path, 12 + 9 * i,
				    101 + wr_range(c->rng, 1, 30));
		wclock_line(c, "%s:3:1: F401 'os' imported but unused", path);
		wclock_line(c, "%-5d E501 line too long (104 > 100 characters)", n);
		wclock_line(c, "1     F401 'os' imported but unused");
		wclock_line(c, "%d", n + 1);
	}
	world_log_exit(j, c, 1);
	return -1;
}

static int is_failing(const struct wbuild *b, const struct wtest *t)
{
	for (int i = 0; i < b->oc.n_failing; i++)
		if (b->oc.failing[i].file == t->file && b->oc.failing[i].unit == t->unit)
			return 1;
	return 0;
}

static void failure_detail(struct wrepo *r, const struct wtest *t, struct wclock *c)
{
	struct buf name = BUF_INIT, label = BUF_INIT;
	int want, got, lineno;
	const char *mod = r->modules.v[r->paths[t->file].module];
	world_log_failing_values(t->unit, &want, &got, &lineno);
	world_code_test_name(r, t->file, t->unit, &label, &name);
	banner(c, '_', name.data);
	wclock_line(c, "%s", "");
	wclock_line(c, "    def %s():", name.data);
	wclock_line(c, "        result = %s.compute(%d)", mod, want);
	wclock_line(c, ">       assert result == %d", want);
	wclock_line(c, "E       assert %d == %d", got, want);
	wclock_line(c, "E        +  where %d = %s.compute(%d)", got, mod, want);
	wclock_line(c, "%s", "");
	wclock_line(c, "%s:%d: AssertionError", label.data, lineno);
	buf_release(&name);
	buf_release(&label);
}

static void run_pytest(struct wrepo *r, const struct wbuild *b, struct wjob *j, struct wclock *c)
{
	static const char *const cmd[] = { "pytest -v" };
	struct wtest *tests = NULL;
	size_t n = world_code_tests(r, b->model, &tests), stop_at = j->stop ? n / 2 : n;
	int failed = 0, passed = 0, skipped = 0;
	double total = 0;
	struct buf label = BUF_INIT, name = BUF_INIT, line = BUF_INIT;
	char summary[128];
	world_log_run_group(j, c, "Test with pytest", cmd, 1, NULL);
	wclock_wait(c, 0.5 + wr_unit(c->rng));
	banner(c, '=', "test session starts");
	wclock_line(c, "platform linux -- Python %s, pytest-7.4.3, pluggy-1.3.0 -- /opt/hostedtoolcache/Python/%s/x64/bin/python",
		    cpython(j->version), cpython(j->version));
	wclock_line(c, "cachedir: .pytest_cache");
	wclock_line(c, "rootdir: /home/runner/work/%s/%s", r->name, r->name);
	wclock_line(c, "configfile: pyproject.toml");
	wclock_line(c, "testpaths: tests");
	wclock_wait(c, 0.3 + wr_unit(c->rng));
	wclock_line(c, "collecting ... collected %zu items", n);
	wclock_line(c, "%s", "");
	for (size_t i = 0; i < stop_at; i++) {
		const char *res;
		double d = 0.002 + 0.25 * wr_unit(c->rng) * wr_unit(c->rng);
		if (tests[i].skip)
			res = "SKIPPED (flaky on CI)", skipped++, d = 0.0005;
		else if (j->fail == WFAIL_TESTS && is_failing(b, &tests[i]))
			res = "FAILED", failed++;
		else
			res = "PASSED", passed++;
		total += d;
		wclock_wait(c, d);
		buf_reset(&label);
		buf_reset(&name);
		buf_reset(&line);
		world_code_test_name(r, tests[i].file, tests[i].unit, &label, &name);
		buf_addf(&line, "%s::%s %s", label.data, name.data, res);
		wclock_line(c, "%-73s [%3d%%]", line.data, (int)((i + 1) * 100 / n));
	}
	if (j->stop) {
		world_log_stop(j, c);
		goto out;
	}
	wclock_line(c, "%s", "");
	if (failed) {
		banner(c, '=', "FAILURES");
		for (size_t i = 0; i < n; i++)
			if (!tests[i].skip && is_failing(b, &tests[i]))
				failure_detail(r, &tests[i], c);
		banner(c, '=', "short test summary info");
		for (size_t i = 0; i < n; i++) {
			int want, got, lineno;
			if (tests[i].skip || !is_failing(b, &tests[i]))
				continue;
			buf_reset(&label);
			buf_reset(&name);
			world_log_failing_values(tests[i].unit, &want, &got, &lineno);
			world_code_test_name(r, tests[i].file, tests[i].unit, &label, &name);
			wclock_line(c, "FAILED %s::%s - assert %d == %d", label.data, name.data, got, want);
		}
	}
	{
		int k = 0;
		if (failed)
			k += snprintf(summary + k, sizeof(summary) - (size_t)k, "%d failed, ", failed);
		k += snprintf(summary + k, sizeof(summary) - (size_t)k, "%d passed", passed);
		if (skipped)
			k += snprintf(summary + k, sizeof(summary) - (size_t)k, ", %d skipped", skipped);
		snprintf(summary + k, sizeof(summary) - (size_t)k, " in %.2fs", total + 0.4);
	}
	banner(c, '=', summary);
	if (failed)
		world_log_exit(j, c, 1);
	else
		world_log_step_end(j, c, "success");
out:
	free(tests);
	buf_release(&label);
	buf_release(&name);
	buf_release(&line);
}

void world_log_python(struct wrepo *r, const struct wbuild *b, struct wjob *j, struct wclock *c)
{
	setup_python(j, c);
	if (install(r, b, j, c)) {
		world_log_step_skip(j, c, "Lint with flake8");
		world_log_step_skip(j, c, "Test with pytest");
		return;
	}
	if (lint(r, b, j, c)) {
		world_log_step_skip(j, c, "Test with pytest");
		return;
	}
	run_pytest(r, b, j, c);
}
