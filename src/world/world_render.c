/*
 * Rendering the code model (world_code.c) to file contents: Python modules
 * and pytest files, Java classes and JUnit 5 tests, Markdown, requirements.txt
 * and pom.xml, and the fixed files every repository has (.gitignore, the
 * GitHub Actions workflow, Dockerfile, pyproject.toml, ...).
 *
 * A unit renders to exactly its nlines lines, each carrying a token derived
 * from (unit id, version, line), so a new version changes every line of the
 * unit and nothing else: the model's churn is git's churn.
 */
#include "world/world_internal.h"
#include "core/xalloc.h"
#include <string.h>

static uint64_t tok(uint32_t unit, uint16_t ver, int line, uint64_t salt)
{
	return rng_mix(((uint64_t)unit << 24) ^ ((uint64_t)ver << 8) ^ (uint64_t)line ^ (salt << 40));
}

static const char *word_of(uint32_t unit, uint64_t salt)
{
	return world_words[rng_mix((uint64_t)unit * 31 + salt) % world_n_words];
}

static void cap_word(char *out, size_t n, const char *w)
{
	snprintf(out, n, "%c%s", w[0] - 32, w + 1);
}

static const char *module_class(const struct wrepo *r, int module, char *out, size_t n)
{
	const char *m = r->modules.v[module];
	snprintf(out, n, "%s%c%s", r->domain, m[0] - 32, m + 1);
	return out;
}

static void render_static(const struct wrepo *r, int id, struct buf *o)
{
	int py = r->lang == WL_PYTHON;
	char matrix[64];
	if (r->n_jobs > 1)
		snprintf(matrix, sizeof(matrix), py ? "\"%s\", \"%s\"" : "'%s', '%s'", r->versions[0], r->versions[1]);
	else
		snprintf(matrix, sizeof(matrix), py ? "\"%s\"" : "'%s'", r->versions[0]);
	switch (id) {
	case 0:
		buf_addstr(o, py ? "__pycache__/\n*.pyc\n.venv/\n.pytest_cache/\ndist/\n*.egg-info/\n.coverage\n"
				 : "target/\n*.class\n.idea/\n*.iml\n.mvn/wrapper/maven-wrapper.jar\n");
		break;
	case 1:
		buf_addf(o, "name: CI\n\non:\n  push:\n    branches: [ %s ]\n  pull_request:\n\n"
			    "concurrency:\n  group: ci-${{ github.ref }}\n  cancel-in-progress: true\n\njobs:\n",
			 r->default_branch);
		if (py)
			buf_addf(o, "  test:\n    runs-on: ubuntu-latest\n    timeout-minutes: 30\n    strategy:\n"
				    "      matrix:\n        python-version: [%s]\n    steps:\n"
				    "      - uses: actions/checkout@v4\n"
				    "      - name: Set up Python ${{ matrix.python-version }}\n"
				    "        uses: actions/setup-python@v5\n        with:\n"
				    "          python-version: ${{ matrix.python-version }}\n"
				    "      - name: Install dependencies\n        run: |\n"
				    "          python -m pip install --upgrade pip\n"
				    "          pip install -r requirements.txt pytest flake8\n"
				    "      - name: Lint with flake8\n"
				    "        run: flake8 src tests --count --max-line-length=100 --statistics\n"
				    "      - name: Test with pytest\n        run: pytest -v\n",
				 matrix);
		else
			buf_addf(o, "  build:\n    runs-on: ubuntu-latest\n    timeout-minutes: 30\n    strategy:\n"
				    "      matrix:\n        java: [ %s ]\n    steps:\n"
				    "      - uses: actions/checkout@v4\n"
				    "      - name: Set up JDK ${{ matrix.java }}\n        uses: actions/setup-java@v4\n"
				    "        with:\n          distribution: temurin\n          java-version: ${{ matrix.java }}\n"
				    "          cache: maven\n"
				    "      - name: Build with Maven\n        run: mvn -B verify --no-transfer-progress\n",
				 matrix);
		break;
	case 2:
		if (py)
			buf_addf(o, "FROM python:3.11-slim\n\nWORKDIR /app\nCOPY requirements.txt .\n"
				    "RUN pip install --no-cache-dir -r requirements.txt\nCOPY src/ src/\n"
				    "ENV PYTHONPATH=/app/src\nCMD [\"python\", \"-m\", \"%s\"]\n", r->pkg);
		else
			buf_addf(o, "FROM eclipse-temurin:17-jre\n\nWORKDIR /app\nCOPY target/%s-*.jar app.jar\n"
				    "EXPOSE 8080\nENTRYPOINT [\"java\", \"-jar\", \"/app/app.jar\"]\n", r->name);
		break;
	case 3:
		buf_addf(o, "[build-system]\nrequires = [\"setuptools>=64\"]\nbuild-backend = \"setuptools.build_meta\"\n\n"
			    "[project]\nname = \"%s\"\nversion = \"0.1.0\"\nrequires-python = \">=3.10\"\n"
			    "dynamic = [\"dependencies\"]\n\n[tool.setuptools.dynamic]\n"
			    "dependencies = { file = [\"requirements.txt\"] }\n\n[tool.pytest.ini_options]\n"
			    "testpaths = [\"tests\"]\npythonpath = [\"src\"]\n",
			 r->name);
		break;
	case 4:
		buf_addf(o, "\"\"\"%s.\"\"\"\n\n__version__ = \"0.1.0\"\n", r->name);
		break;
	case 5:
		buf_addstr(o, "import pytest\n\n\n@pytest.fixture\ndef sample():\n    return {\"id\": 1, \"name\": \"sample\"}\n");
		break;
	default:
		buf_addf(o, "spring.application.name=%s\nserver.port=8080\nlogging.level.root=INFO\n", r->name);
		break;
	}
}

static void render_unit(const struct wrepo *r, const struct wpath *p, size_t fidx, const struct wunit *u,
			struct buf *o)
{
	int n = u->nlines;
	const char *w = word_of(u->id, 1);
	char cw[32];
	cap_word(cw, sizeof(cw), w);
	switch (p->kind) {
	case WF_SRC:
		if (r->lang == WL_PYTHON) {
			buf_addf(o, "def %s_%u(value, limit=%u):\n", w, u->id, u->ver);
			buf_addf(o, "    \"\"\"%s the input (revision %u).\"\"\"\n", cw, u->ver);
			for (int j = 2; j < n - 1; j++) {
				uint64_t t = tok(u->id, u->ver, j, fidx);
				buf_addf(o, "    value = (value * %u + %u) %% %u\n", (unsigned)(t % 97) + 2,
					 (unsigned)(t >> 20) % 1000, (unsigned)(t >> 40) % 9000 + 1000);
			}
			buf_addf(o, "    return value if value < limit * %u else limit\n", u->ver + 7);
		} else {
			buf_addf(o, "    public int %s%u(int value) {\n", w, u->id);
			buf_addf(o, "        int total = value * %u + %u;\n", u->ver + 1, (unsigned)(tok(u->id, u->ver, 1, fidx) % 500));
			for (int j = 2; j < n - 2; j++) {
				uint64_t t = tok(u->id, u->ver, j, fidx);
				buf_addf(o, "        total = (total ^ %u) + %u;\n", (unsigned)(t % 4096), (unsigned)(t >> 30) % 77);
			}
			buf_addf(o, "        return total %% %u;\n    }\n", u->ver * 13 + 1000);
		}
		break;
	case WF_TEST: {
		const char *callee = word_of(u->id, 2);
		if (r->lang == WL_PYTHON) {
			int body = n - 1 - (u->skip != 0);
			if (u->skip)
				buf_addstr(o, "@pytest.mark.skip(reason=\"flaky on CI\")\n");
			buf_addf(o, "def test_%s_%u():\n", w, u->id);
			buf_addf(o, "    result = %s.%s(%u)\n", r->modules.v[p->module], callee, u->ver);
			for (int j = 1; j < body; j++)
				buf_addf(o, "    assert result != %u\n", (unsigned)(tok(u->id, u->ver, j, fidx) % 100000));
		} else {
			int body = n - 3 - (u->skip != 0);
			buf_addstr(o, "    @Test\n");
			if (u->skip)
				buf_addstr(o, "    @Disabled(\"flaky on CI\")\n");
			buf_addf(o, "    void test%s%u() {\n", cw, u->id);
			for (int j = 0; j < body; j++) {
				uint64_t t = tok(u->id, u->ver, j, fidx);
				buf_addf(o, "        assertEquals(%u, subject.%s%u(%u));\n", (unsigned)(t % 100000), callee,
					 (unsigned)(t >> 32) % 90 + 10, u->ver);
			}
			buf_addstr(o, "    }\n");
		}
		break;
	}
	case WF_DOC:
		for (int j = 0; j < n; j++) {
			uint64_t t = tok(u->id, u->ver, j, fidx);
			const char *a = world_words[t % world_n_words], *b = world_words[(t >> 16) % world_n_words];
			if (!strcmp(p->path, "CHANGELOG.md"))
				buf_addf(o, "- %c%s %s handling (#%u)\n", a[0] - 32, a + 1, b, (unsigned)(t >> 32) % 500 + 1);
			else
				buf_addf(o, "Use `%s` to %s the %s data; see section %u.\n", a, b, word_of(u->id, 3),
					 (unsigned)(t >> 32) % 9 + 1);
		}
		break;
	case WF_DEPS: {
		char ver[32];
		const char *dep = u->id < r->deps.n ? r->deps.v[u->id] : "unknown";
		world_code_dep_version(r, u->id, u->ver, ver, sizeof(ver));
		if (r->lang == WL_PYTHON)
			buf_addf(o, "%s==%s\n", dep, ver);
		else {
			const char *colon = strchr(dep, ':');
			buf_addf(o, "        <dependency>\n            <groupId>%.*s</groupId>\n"
				    "            <artifactId>%s</artifactId>\n            <version>%s</version>\n"
				    "        </dependency>\n",
				 (int)(colon - dep), dep, colon + 1, ver);
		}
		break;
	}
	default:
		break;
	}
}

static void render_header(const struct wrepo *r, const struct wpath *p, struct buf *o)
{
	char cls[80];
	switch (p->kind) {
	case WF_SRC:
		if (r->lang == WL_PYTHON)
			buf_addf(o, "\"\"\"The %s of %s.\"\"\"\nfrom __future__ import annotations\n\nimport logging\n\n"
				    "log = logging.getLogger(__name__)\n",
				 r->modules.v[p->module], r->name);
		else
			buf_addf(o, "package %s;\n\nimport java.util.Objects;\n\n/** The %s of %s. */\npublic class %s {\n",
				 r->pkg, r->modules.v[p->module], r->name, module_class(r, p->module, cls, sizeof(cls)));
		break;
	case WF_TEST:
		if (r->lang == WL_PYTHON)
			buf_addf(o, "import pytest\n\nfrom %s import %s\n", r->pkg, r->modules.v[p->module]);
		else
			buf_addf(o, "package %s;\n\nimport static org.junit.jupiter.api.Assertions.assertEquals;\n\n"
				    "import org.junit.jupiter.api.Disabled;\nimport org.junit.jupiter.api.Test;\n\n"
				    "class %sTest {\n\n    private final %s subject = new %s();\n",
				 r->pkg, module_class(r, p->module, cls, sizeof(cls)), cls, cls);
		break;
	case WF_DOC:
		if (!strcmp(p->path, "README.md"))
			buf_addf(o, "# %s\n\n[![CI](https://github.com/%s/actions/workflows/ci.yml/badge.svg)]"
				    "(https://github.com/%s/actions/workflows/ci.yml)\n\nThe %s service of %s.\n",
				 r->name, r->full, r->full, r->domain, r->owner);
		else if (!strcmp(p->path, "CHANGELOG.md"))
			buf_addstr(o, "# Changelog\n\n## Unreleased\n");
		else
			buf_addf(o, "# %s: %s\n", r->name, strstr(p->path, "usage") ? "usage" : "overview");
		break;
	case WF_DEPS:
		if (r->lang == WL_PYTHON)
			buf_addstr(o, "# Runtime dependencies (pinned; bumped by dependabot)\n");
		else
			buf_addf(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n"
				    "    <modelVersion>4.0.0</modelVersion>\n    <groupId>com.%s</groupId>\n"
				    "    <artifactId>%s</artifactId>\n    <version>1.0.0-SNAPSHOT</version>\n\n"
				    "    <properties>\n        <maven.compiler.release>17</maven.compiler.release>\n"
				    "        <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>\n"
				    "    </properties>\n\n    <dependencies>\n"
				    "        <dependency>\n            <groupId>org.junit.jupiter</groupId>\n"
				    "            <artifactId>junit-jupiter</artifactId>\n            <version>5.10.0</version>\n"
				    "            <scope>test</scope>\n        </dependency>\n",
				 r->pkg + 4 /* "com." */, r->name);
		break;
	default:
		break;
	}
}

void world_code_render(const struct wrepo *r, const struct wmodel *m, size_t idx, struct buf *out)
{
	const struct wpath *p = &r->paths[idx];
	const struct wfile *f = idx < m->n ? &m->f[idx] : NULL;
	int java = r->lang == WL_JAVA;
	if (p->kind == WF_STATIC) {
		render_static(r, p->static_id, out);
		return;
	}
	render_header(r, p, out);
	for (size_t i = 0; f && i < f->n; i++) {
		/* PEP 8 wants two blank lines between functions; a requirements file none. */
		if (p->kind == WF_SRC || p->kind == WF_TEST)
			buf_addstr(out, java ? "\n" : "\n\n");
		else if (p->kind == WF_DOC && !strstr(p->path, "CHANGELOG"))
			buf_addstr(out, "\n");
		else if (p->kind == WF_DOC && i == 0)
			buf_addstr(out, "\n");
		render_unit(r, p, idx, &f->u[i], out);
	}
	if (java && (p->kind == WF_SRC || p->kind == WF_TEST))
		buf_addstr(out, "}\n");
	if (java && p->kind == WF_DEPS)
		buf_addstr(out, "    </dependencies>\n\n    <build>\n        <plugins>\n            <plugin>\n"
				"                <groupId>org.apache.maven.plugins</groupId>\n"
				"                <artifactId>maven-surefire-plugin</artifactId>\n"
				"                <version>3.1.2</version>\n            </plugin>\n        </plugins>\n"
				"    </build>\n</project>\n");
}

size_t world_code_tests(const struct wrepo *r, const struct wmodel *m, struct wtest **out)
{
	size_t n = 0, cap = 0;
	*out = NULL;
	for (size_t i = 0; i < m->n && i < r->npaths; i++) {
		if (r->paths[i].kind != WF_TEST || !m->f[i].exists)
			continue;
		for (size_t k = 0; k < m->f[i].n; k++) {
			xgrow((void **)out, &cap, n + 1, sizeof(**out));
			(*out)[n++] = (struct wtest){ (uint32_t)i, m->f[i].u[k].id, m->f[i].u[k].skip };
		}
	}
	return n;
}

void world_code_test_name(const struct wrepo *r, uint32_t file, uint32_t unit, struct buf *label, struct buf *name)
{
	const struct wpath *p = &r->paths[file];
	const char *w = word_of(unit, 1);
	char cls[80];
	if (r->lang == WL_PYTHON) {
		if (label)
			buf_addstr(label, p->path);
		if (name)
			buf_addf(name, "test_%s_%u", w, unit);
		return;
	}
	if (label)
		buf_addf(label, "%s.%sTest", r->pkg, module_class(r, p->module, cls, sizeof(cls)));
	if (name)
		buf_addf(name, "test%c%s%u", w[0] - 32, w + 1, unit);
}

const char *world_code_src_path(const struct wrepo *r, int module)
{
	for (size_t i = 0; i < r->npaths; i++)
		if (r->paths[i].module == module && r->paths[i].kind == WF_SRC)
			return r->paths[i].path;
	return r->paths[0].path;
}
