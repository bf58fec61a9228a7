/*
 * The code model of a generated repository. A file is a list of units — a
 * function or method in source files, a test case in test files, a paragraph
 * in documentation, a dependency in requirements.txt/pom.xml — each with an
 * id, a version and a line count; world_render.c turns a file into text.
 * Editing a unit bumps its version, which rewrites all of its lines, so the
 * churn the model counts (lines added + removed) is close to what git's diff
 * of the rendered files reports.
 *
 * Why units and not text: a branch is a cheap copy of small arrays, a pull
 * request is a list of edits that can be replayed on main when it is merged,
 * and the test cases in the logs are exactly the test units of the commit.
 */
#include "world/world_internal.h"
#include "core/xalloc.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const module_names[] = {
	"models", "parser", "client", "storage", "config", "cache", "scheduler", "metrics", "auth", "handlers",
	"validators", "serializers", "utils", "exporter", "importer", "events", "queue", "reports", "pipeline",
	"session", "routing", "search", "billing", "notifier",
};
#define N_MODULES (sizeof(module_names) / sizeof(module_names[0]))

static const char *const py_deps[] = {
	"requests", "click", "pydantic", "sqlalchemy", "numpy", "pyyaml", "httpx", "attrs", "rich", "jinja2",
	"redis", "boto3", "flask", "structlog", "tenacity",
};
static const char *const java_deps[] = {
	"com.fasterxml.jackson.core:jackson-databind", "org.slf4j:slf4j-api", "com.google.guava:guava",
	"org.apache.commons:commons-lang3", "org.postgresql:postgresql", "io.micrometer:micrometer-core",
	"com.squareup.okhttp3:okhttp", "org.yaml:snakeyaml", "commons-io:commons-io", "com.zaxxer:HikariCP",
};

size_t world_code_add_path(struct wrepo *r, const char *path, enum wfkind kind, int module, int static_id)
{
	xgrow((void **)&r->paths, &r->cappaths, r->npaths + 1, sizeof(*r->paths));
	r->paths[r->npaths] = (struct wpath){ xstrdup(path), kind, module, static_id };
	return r->npaths++;
}

static struct wfile *file_at(struct wmodel *m, size_t idx)
{
	if (idx >= m->n) {
		m->f = xrealloc(m->f, (idx + 1) * sizeof(*m->f));
		memset(m->f + m->n, 0, (idx + 1 - m->n) * sizeof(*m->f));
		m->n = idx + 1;
	}
	return &m->f[idx];
}

void world_model_copy(struct wmodel *dst, const struct wmodel *src)
{
	dst->n = src->n;
	dst->f = xcalloc(src->n ? src->n : 1, sizeof(*dst->f));
	for (size_t i = 0; i < src->n; i++) {
		dst->f[i].exists = src->f[i].exists;
		dst->f[i].n = dst->f[i].cap = src->f[i].n;
		if (src->f[i].n) {
			dst->f[i].u = xmalloc(src->f[i].n * sizeof(struct wunit));
			memcpy(dst->f[i].u, src->f[i].u, src->f[i].n * sizeof(struct wunit));
		}
	}
}

void world_model_release(struct wmodel *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->f[i].u);
	free(m->f);
	m->f = NULL;
	m->n = 0;
}

int world_model_apply(struct wrepo *r, struct wmodel *m, const struct wop *op, uint8_t *dirty)
{
	struct wfile *f = file_at(m, op->file);
	size_t k;
	(void)r;
	if (op->kind == WO_CREATE) {
		f->exists = 1;
		if (dirty)
			dirty[op->file] = 1;
		return 0;
	}
	if (!f->exists)
		return 0; /* a file this branch does not have (replayed edit): nothing to do */
	for (k = 0; k < f->n && f->u[k].id != op->unit; k++)
		;
	if (dirty)
		dirty[op->file] = 1;
	if (op->kind == WO_ADD) {
		xgrow((void **)&f->u, &f->cap, f->n + 1, sizeof(*f->u));
		f->u[f->n++] = (struct wunit){ op->unit, op->ver, op->nlines, op->skip };
		return op->nlines;
	}
	if (k == f->n)
		return 0; /* deleted on this branch meanwhile */
	if (op->kind == WO_DEL) {
		int lines = f->u[k].nlines;
		memmove(&f->u[k], &f->u[k + 1], (f->n - k - 1) * sizeof(*f->u));
		f->n--;
		return lines;
	}
	{
		int lines = f->u[k].nlines + op->nlines;
		f->u[k].ver = op->ver;
		f->u[k].nlines = op->nlines;
		f->u[k].skip = op->skip;
		return lines;
	}
}

/* ---- building edits ---- */

struct edit {
	struct wrepo *r;
	struct wmodel *m;
	struct wop **ops;
	size_t *nops, cap;
	uint8_t *dirty;
	struct wchange *ch;
};

void world_code_account(const struct wrepo *r, const struct wop *op, int lines, struct wchange *ch)
{
	enum wfkind kind = r->paths[op->file].kind;
	int module = r->paths[op->file].module;
	if (kind == WF_SRC)
		ch->src_churn += lines;
	else if (kind == WF_TEST)
		ch->test_churn += lines;
	else
		ch->other_churn += lines;
	if (kind == WF_TEST && op->kind == WO_ADD)
		ch->tests_added++;
	if (kind == WF_DEPS)
		ch->deps_changed = 1;
	if (module >= 0 && ch->n_modules < 8) {
		int seen = 0;
		for (int i = 0; i < ch->n_modules; i++)
			seen |= ch->modules[i] == module;
		if (!seen)
			ch->modules[ch->n_modules++] = module;
	}
}

static void push_op(struct edit *ed, struct wop op)
{
	xgrow((void **)ed->ops, &ed->cap, *ed->nops + 1, sizeof(**ed->ops));
	(*ed->ops)[(*ed->nops)++] = op;
	world_code_account(ed->r, &op, world_model_apply(ed->r, ed->m, &op, ed->dirty), ed->ch);
}

static int unit_lines(struct wrepo *r, enum wfkind kind)
{
	switch (kind) {
	case WF_SRC:
		return wr_range(&r->rng, 4, 14);
	case WF_TEST:
		return wr_range(&r->rng, 4, 8);
	case WF_DOC:
		return wr_range(&r->rng, 1, 4);
	case WF_DEPS:
		return r->lang == WL_JAVA ? 5 : 1;
	default:
		return 1;
	}
}

static void add_unit(struct edit *ed, size_t file, int skip)
{
	struct wrepo *r = ed->r;
	push_op(ed, (struct wop){ (uint32_t)file, WO_ADD, (uint8_t)unit_lines(r, r->paths[file].kind), (uint8_t)skip, 1,
				  r->next_unit++ });
}

/* Modifies (or, rarely, deletes) a random unit of file; adds one when the file is nearly empty. */
static void touch_unit(struct edit *ed, size_t file, double p_add, double p_del)
{
	struct wrepo *r = ed->r;
	struct wfile *f = file_at(ed->m, file);
	double x = wr_unit(&r->rng);
	if (r->paths[file].kind != WF_DEPS && (f->n < 3 || x < p_add)) {
		add_unit(ed, file, 0);
		return;
	}
	{
		const struct wunit *u = &f->u[rng_below(&r->rng, f->n)];
		if (x < p_add + p_del)
			push_op(ed, (struct wop){ (uint32_t)file, WO_DEL, 0, 0, 0, u->id });
		else
			push_op(ed, (struct wop){ (uint32_t)file, WO_MOD,
						  (uint8_t)(r->paths[file].kind == WF_DEPS ? u->nlines
							    : unit_lines(r, r->paths[file].kind)),
						  (uint8_t)(u->skip && wr_chance(&r->rng, 0.7)), (uint16_t)(u->ver + 1),
						  u->id });
	}
}

/* The path index of module m's file of kind (WF_SRC or WF_TEST), or -1. */
static long module_file(const struct wrepo *r, int m, enum wfkind kind)
{
	for (size_t i = 0; i < r->npaths; i++)
		if (r->paths[i].module == m && r->paths[i].kind == kind)
			return (long)i;
	return -1;
}

static long first_of_kind(const struct wrepo *r, enum wfkind kind, int nth)
{
	for (size_t i = 0; i < r->npaths; i++)
		if (r->paths[i].kind == kind && nth-- == 0)
			return (long)i;
	return -1;
}

static int count_kind(const struct wrepo *r, enum wfkind kind)
{
	int n = 0;
	for (size_t i = 0; i < r->npaths; i++)
		n += r->paths[i].kind == kind;
	return n;
}

/* Registers module name's source and test paths; returns the module index. */
static int new_module(struct wrepo *r, const char *name)
{
	char *src, *test;
	int m = (int)r->modules.n;
	strvec_push(&r->modules, name);
	if (r->lang == WL_PYTHON) {
		src = xasprintf("src/%s/%s.py", r->pkg, name);
		test = xasprintf("tests/test_%s.py", name);
	} else {
		char cls[64];
		snprintf(cls, sizeof(cls), "%s%c%s", r->domain, name[0] - 32, name + 1);
		src = xasprintf("src/main/java/%s/%s.java", r->jpkg_path, cls);
		test = xasprintf("src/test/java/%s/%sTest.java", r->jpkg_path, cls);
	}
	world_code_add_path(r, src, WF_SRC, m, -1);
	world_code_add_path(r, test, WF_TEST, m, -1);
	free(src);
	free(test);
	return m;
}

static int unused_module(struct wrepo *r, const char **name)
{
	for (int tries = 0; tries < 40; tries++) {
		const char *c = module_names[rng_below(&r->rng, N_MODULES)];
		if (strvec_find(&r->modules, c) < 0) {
			*name = c;
			return 1;
		}
	}
	return 0;
}

/* Creates module m's test file with a few tests (or adds tests when it exists). */
static void write_tests(struct edit *ed, int m, int n)
{
	long tf = module_file(ed->r, m, WF_TEST);
	if (!file_at(ed->m, (size_t)tf)->exists)
		push_op(ed, (struct wop){ (uint32_t)tf, WO_CREATE, 0, 0, 0, 0 });
	for (int i = 0; i < n; i++)
		add_unit(ed, (size_t)tf, wr_chance(&ed->r->rng, 0.04));
}

void world_code_init(struct wrepo *r)
{
	static const char *const py_static[] = { ".gitignore", ".github/workflows/ci.yml", "Dockerfile",
						  "pyproject.toml", NULL, "tests/conftest.py" };
	static const char *const java_static[] = { ".gitignore", ".github/workflows/ci.yml", "Dockerfile", NULL, NULL,
						   NULL, "src/main/resources/application.properties" };
	const char *const *st = r->lang == WL_PYTHON ? py_static : java_static;
	size_t nst = r->lang == WL_PYTHON ? 6 : 7;
	struct wop *ops = NULL;
	size_t nops = 0;
	struct wchange ch = { 0 };
	struct edit ed = { r, &r->main.m, &ops, &nops, 0, NULL, &ch };
	int nmod = wr_range(&r->rng, 5, 8);
	const char *const *deps = r->lang == WL_PYTHON ? py_deps : java_deps;
	size_t ndeps = r->lang == WL_PYTHON ? sizeof(py_deps) / sizeof(*py_deps) : sizeof(java_deps) / sizeof(*java_deps);
	char *init = xasprintf("src/%s/__init__.py", r->pkg);
	for (size_t i = 0; i < nst; i++)
		if (st[i] || (i == 4 && r->lang == WL_PYTHON))
			world_code_add_path(r, st[i] ? st[i] : init, WF_STATIC, -1, (int)i);
	free(init);
	world_code_add_path(r, "README.md", WF_DOC, -1, -1);
	world_code_add_path(r, "CHANGELOG.md", WF_DOC, -1, -1);
	world_code_add_path(r, "docs/index.md", WF_DOC, -1, -1);
	world_code_add_path(r, "docs/usage.md", WF_DOC, -1, -1);
	world_code_add_path(r, r->lang == WL_PYTHON ? "requirements.txt" : "pom.xml", WF_DEPS, -1, -1);
	for (size_t i = 0; i < ndeps; i++)
		if (i < 3 || wr_chance(&r->rng, 0.5))
			strvec_push(&r->deps, deps[i]);
	for (int i = 0; i < nmod; i++) {
		const char *name;
		if (unused_module(r, &name))
			new_module(r, name);
	}
	for (size_t i = 0; i < r->npaths; i++) {
		enum wfkind k = r->paths[i].kind;
		if (k == WF_TEST)
			continue;
		push_op(&ed, (struct wop){ (uint32_t)i, WO_CREATE, 0, 0, 0, 0 });
		if (k == WF_DEPS)
			for (size_t d = 0; d < r->deps.n; d++)
				push_op(&ed, (struct wop){ (uint32_t)i, WO_ADD, (uint8_t)unit_lines(r, k), 0, 1, (uint32_t)d });
		else if (k == WF_SRC || k == WF_DOC)
			for (int u = wr_range(&r->rng, k == WF_SRC ? 4 : 2, k == WF_SRC ? 10 : 5); u > 0; u--)
				add_unit(&ed, i, 0);
	}
	for (size_t m = 0; m < r->modules.n; m++)
		if (wr_chance(&r->rng, 0.8))
			write_tests(&ed, (int)m, wr_range(&r->rng, 3, 12));
	free(ops);
}

void world_code_dep_version(const struct wrepo *r, uint32_t dep, uint16_t ver, char *out, size_t n)
{
	uint64_t h = rng_mix(dep * 7919u + (uint64_t)r->idx);
	snprintf(out, n, "%d.%d.%d", (int)(h % 5) + 1, (int)((h >> 8) % 20) + (ver - 1) / 6, (ver - 1) % 6);
}

/* The message's subject for an ordinary change. */
static char *change_message(struct wrepo *r, const struct wchange *ch)
{
	static const char *const verbs[] = { "Add", "Fix", "Refactor", "Improve", "Simplify", "Support", "Handle",
					     "Speed up", "Clean up", "Rework" };
	static const char *const objects[] = { "error handling", "edge cases", "retries", "validation", "logging",
					       "pagination", "timeouts", "caching", "configuration", "batching" };
	const char *mod = ch->n_modules ? r->modules.v[ch->modules[0]] : "core";
	int style = wr_range(&r->rng, 0, 3);
	const char *verb = WR_PICK(&r->rng, verbs), *obj = WR_PICK(&r->rng, objects);
	if (style == 0)
		return xasprintf("%s %s in %s", verb, obj, mod);
	if (style == 1)
		return xasprintf("%s(%s): %c%s %s", wr_chance(&r->rng, 0.5) ? "feat" : "fix", mod, verb[0] + 32, verb + 1,
				 obj);
	if (style == 2 && ch->tests_added)
		return xasprintf("%s %s and cover it with tests", verb, obj);
	return xasprintf("%s %s %s", verb, mod, obj);
}

char *world_code_edit(struct wrepo *r, struct wmodel *m, const struct wperson *a, int kind, struct wop **ops,
		      size_t *nops, uint8_t *dirty, struct wchange *ch)
{
	struct edit ed = { r, m, ops, nops, *nops, dirty, ch };
	struct rng *g = &r->rng;
	if (kind == 2) {
		long f = first_of_kind(r, WF_DEPS, 0);
		struct wfile *df = file_at(m, (size_t)f);
		const struct wunit *u = &df->u[rng_below(g, df->n)];
		const char *dep = r->deps.v[u->id];
		char from[32], to[32];
		world_code_dep_version(r, u->id, u->ver, from, sizeof(from));
		world_code_dep_version(r, u->id, (uint16_t)(u->ver + 1), to, sizeof(to));
		push_op(&ed, (struct wop){ (uint32_t)f, WO_MOD, u->nlines, 0, (uint16_t)(u->ver + 1), u->id });
		return xasprintf("Bump %s from %s to %s\n\nBumps %s from %s to %s.\n\n---\nupdated-dependencies:\n"
				 "- dependency-name: %s\n  dependency-type: direct:production\n\nSigned-off-by: %s <%s>",
				 dep, from, to, dep, from, to, dep, a->name, a->email);
	}
	if (kind == 3) {
		long f = first_of_kind(r, WF_DOC, 1); /* CHANGELOG.md */
		add_unit(&ed, (size_t)f, 0);
		return xstrdup("docs: update changelog");
	}
	{
		int nsrc = kind == 1 ? wr_range(g, 1, 2) : (int)lround(exp(a->size_mu + 0.7 * wr_normal(g)));
		int nfocus = wr_range(g, 1, kind == 1 ? 1 : 3);
		int focus[3];
		const char *name;
		if (nsrc < 1)
			nsrc = 1;
		if (nsrc > 40)
			nsrc = 40;
		for (int i = 0; i < nfocus; i++)
			focus[i] = (int)rng_below(g, r->modules.n);
		if (kind == 0 && wr_chance(g, 0.03) && unused_module(r, &name)) {
			int mod = new_module(r, name);
			long sf = module_file(r, mod, WF_SRC);
			push_op(&ed, (struct wop){ (uint32_t)sf, WO_CREATE, 0, 0, 0, 0 });
			focus[0] = mod;
		}
		for (int i = 0; i < nsrc; i++) {
			long sf = module_file(r, focus[rng_below(g, (uint64_t)nfocus)], WF_SRC);
			if (!file_at(m, (size_t)sf)->exists)
				push_op(&ed, (struct wop){ (uint32_t)sf, WO_CREATE, 0, 0, 0, 0 });
			touch_unit(&ed, (size_t)sf, kind == 1 ? 0 : 0.25, kind == 1 ? 0 : 0.06);
		}
		if (wr_chance(g, kind == 1 ? a->test_p * 0.5 : a->test_p)) {
			for (int i = 0; i < nfocus && i < 2; i++) {
				long tf = module_file(r, focus[i], WF_TEST);
				if (!file_at(m, (size_t)tf)->exists || wr_chance(g, 0.6))
					write_tests(&ed, focus[i], wr_range(g, 1, 3));
				else
					touch_unit(&ed, (size_t)tf, 0, 0.05);
			}
		}
		if (kind == 0 && wr_chance(g, 0.08))
			touch_unit(&ed, (size_t)first_of_kind(r, WF_DOC, wr_range(g, 0, count_kind(r, WF_DOC) - 1)), 0.4, 0);
		if (kind == 0 && wr_chance(g, 0.03))
			touch_unit(&ed, (size_t)first_of_kind(r, WF_DEPS, 0), 0, 0);
	}
	if (kind == 1)
		return xstrdup(WR_PICK(g, ((const char *const[]){ "Fix failing tests", "Address review comments",
								  "Fix CI", "fixup: handle None", "Fix typo in condition",
								  "Revert accidental change" })));
	return change_message(r, ch);
}
