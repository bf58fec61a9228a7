/*
 * Test-case and assertion patterns per language, compiled once per context
 * with PCRE2 and its JIT. Counting scans a whole blob in multi-line mode (one
 * match loop per blob, not one call per line); diff lines are matched one by
 * one with the same patterns so that "tests added" agrees with the counts.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "git/classify.h"
#include "core/buf.h"
#include "core/xalloc.h"
#include <pcre2.h>
#include <string.h>

struct lang_patterns {
	const char *cases;    /* test-case definition */
	const char *fallback; /* used when a blob has no match of cases (JUnit 3) */
	const char *asserts;
};

#define JVM_CASES "@(?:Test|ParameterizedTest|RepeatedTest|TestFactory|TestTemplate|Property)\\b"
#define JVM_ASSERTS "\\b(?:assert\\w*|fail|verify|expect\\w*)\\s*\\(|\\bassert\\s|\\bshould(?:Be|Equal|Throw)\\w*\\b"
#define C_CASES "^[ \\t]*(?:TEST|TEST_F|TEST_P|TYPED_TEST|TYPED_TEST_P|TEST_CASE|TEST_CASE_METHOD|SCENARIO|" \
	"Test|ParameterizedTest|START_TEST|BOOST_AUTO_TEST_CASE|BOOST_FIXTURE_TEST_CASE)\\s*\\("
#define C_ASSERTS "\\b(?:ASSERT|EXPECT|CHECK|REQUIRE|STATIC_REQUIRE|BOOST_CHECK|BOOST_REQUIRE|CU_ASSERT)\\w*\\s*\\(|" \
	"\\b(?:assert|cr_assert\\w*|cr_expect\\w*|ck_assert\\w*|g_assert\\w*)\\s*\\("
#define JS_CASES "(?<![\\w.$])(?:it|test)(?:\\.(?:only|skip|concurrent|todo))?(?:\\.each\\s*(?:\\([^)]*\\)|`[^`]*`))?\\s*\\("
#define JS_ASSERTS "\\bexpect\\s*\\(|\\bassert(?:\\.\\w+)?\\s*\\(|\\.should\\b|\\bt\\.(?:is|not|deepEqual|true|false|truthy|falsy|throws|equal|ok)\\w*\\s*\\("

static const struct lang_patterns patterns[GIT_LANG_COUNT] = {
	[GIT_LANG_PYTHON] = { "^[ \\t]*(?:async[ \\t]+)?def[ \\t]+test\\w*[ \\t]*\\(", NULL,
			      "\\bassert\\b|\\.assert\\w+\\s*\\(|\\bpytest\\.raises\\b|\\bself\\.fail\\s*\\(" },
	[GIT_LANG_JAVA] = { JVM_CASES, "\\bvoid\\s+test\\w*\\s*\\(", JVM_ASSERTS },
	[GIT_LANG_KOTLIN] = { JVM_CASES, "\\bfun\\s+`?test\\w*", JVM_ASSERTS },
	[GIT_LANG_GROOVY] = { JVM_CASES, "\\bvoid\\s+test\\w*\\s*\\(|\\bdef\\s+\"[^\"]*\"\\s*\\(", JVM_ASSERTS },
	[GIT_LANG_SCALA] = { "(?<![\\w.])(?:test|it|property)\\s*\\(\\s*\"|\"[^\"\\n]*\"\\s+(?:in|should|must|can)\\s*\\{|" JVM_CASES,
			     NULL, "\\b(?:assert\\w*|fail|expect\\w*)\\s*\\(|\\bshould(?:Be|Equal)?\\b|\\bmust(?:Be|Equal)\\b" },
	[GIT_LANG_RUBY] = { "^[ \\t]*(?:def[ \\t]+test_?\\w*|it[ \\t(]+['\"{]|it[ \\t]+do\\b|it[ \\t]*\\{|specify\\b|"
			    "should[ \\t]+['\"].*\\bdo\\b|test[ \\t(]+['\"])",
			    NULL, "\\b(?:assert\\w*|refute\\w*|must_\\w+|wont_\\w+)\\b|\\bexpect\\s*[({]|\\.should\\b" },
	[GIT_LANG_JAVASCRIPT] = { JS_CASES, NULL, JS_ASSERTS },
	[GIT_LANG_TYPESCRIPT] = { JS_CASES, NULL, JS_ASSERTS },
	[GIT_LANG_GO] = { "^func[ \\t]+Test\\w*[ \\t]*\\(", NULL,
			  "\\bt\\.(?:Error|Errorf|Fatal|Fatalf|Fail|FailNow)\\b|\\b(?:assert|require)\\.\\w+\\s*\\(" },
	[GIT_LANG_RUST] = { "#\\[(?:[\\w:]+::)?test\\b", NULL, "\\b(?:debug_)?assert(?:_eq|_ne|_matches)?!" },
	[GIT_LANG_C] = { C_CASES, NULL, C_ASSERTS },
	[GIT_LANG_CPP] = { C_CASES, NULL, C_ASSERTS },
	[GIT_LANG_OBJC] = { "-\\s*\\(void\\)\\s*test\\w*", NULL, "\\bXCTAssert\\w*\\s*\\(|\\bXCTFail\\s*\\(" },
	[GIT_LANG_CSHARP] = { "\\[(?:Test|Fact|Theory|TestMethod|TestCase)\\b", NULL,
			      "\\bAssert\\.\\w+\\s*\\(|\\.Should\\(\\)|\\bCollectionAssert\\.\\w+\\s*\\(" },
	[GIT_LANG_FSHARP] = { "\\[<(?:Test|Fact|Theory|TestMethod|TestCase)\\b", NULL,
			      "\\bAssert\\.\\w+\\s*\\(|\\bshould\\b|\\btest\\s*<@" },
	[GIT_LANG_PHP] = { "\\bfunction\\s+test\\w*\\s*\\(|@test\\b|#\\[Test\\]|(?<![\\w>])(?:it|test)\\s*\\(\\s*['\"]", NULL,
			   "\\$this->assert\\w+\\s*\\(|\\b(?:self|static)::assert\\w+\\s*\\(|\\bexpect\\s*\\(" },
	[GIT_LANG_SWIFT] = { "\\bfunc\\s+test\\w*\\s*\\(|@Test\\b", NULL, "\\bXCTAssert\\w*\\s*\\(|\\bXCTFail\\s*\\(|#expect\\s*\\(|#require\\s*\\(" },
	[GIT_LANG_DART] = { "(?<![\\w.])(?:test|testWidgets)\\s*\\(", NULL, "\\bexpect\\s*\\(" },
	[GIT_LANG_ELIXIR] = { "^[ \\t]*test[ \\t]+\"", NULL, "\\b(?:assert|refute)\\w*\\b" },
	[GIT_LANG_ERLANG] = { "^\\w+_test\\s*\\(\\s*\\)\\s*->", NULL, "\\?assert\\w*\\s*\\(" },
	[GIT_LANG_CLOJURE] = { "\\(deftest\\b", NULL, "\\(is\\b" },
	[GIT_LANG_JULIA] = { "@testset\\b", NULL, "@test(?:_throws|_broken)?\\b" },
	[GIT_LANG_PERL] = { "\\bsubtest\\s", NULL, "^\\s*(?:ok|is|isnt|like|unlike|is_deeply|cmp_ok|can_ok|isa_ok)\\s*\\(" },
	[GIT_LANG_R] = { "\\btest_that\\s*\\(", NULL, "\\bexpect_\\w+\\s*\\(" },
	[GIT_LANG_LUA] = { "(?<![\\w.])it\\s*\\(\\s*['\"]", NULL, "\\bassert\\.\\w+|\\bassert\\s*\\(" },
	[GIT_LANG_HASKELL] = { "(?<![\\w.])(?:it|prop|testCase|testProperty)\\s+\"", NULL, "\\b(?:shouldBe|shouldSatisfy|assertEqual|assertBool|@\\?=)\\b" },
	[GIT_LANG_SHELL] = { "^@test\\s", NULL, "\\b(?:assert\\w*|\\[\\[)" },
};

enum { PAT_CASES, PAT_FALLBACK, PAT_ASSERTS, PAT_N };

struct git_classify_ctx {
	pcre2_code *re[GIT_LANG_COUNT][PAT_N];
	pcre2_match_data *md;
};

static int compile(pcre2_code **out, const char *pat, struct err *e)
{
	int code;
	PCRE2_SIZE off;
	*out = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, PCRE2_MULTILINE, &code, &off, NULL);
	if (!*out) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(code, msg, sizeof(msg));
		return err_set(e, ERR_INTERNAL, "test pattern %s: %s at offset %zu", pat, (char *)msg, (size_t)off);
	}
	/* JIT is an optimisation: where it is unavailable the interpreter runs. */
	pcre2_jit_compile(*out, PCRE2_JIT_COMPLETE);
	return 0;
}

int git_classify_ctx_new(struct git_classify_ctx **out, struct err *e)
{
	struct git_classify_ctx *c = xcalloc(1, sizeof(*c));
	for (int l = 0; l < GIT_LANG_COUNT; l++) {
		const char *pats[PAT_N] = { patterns[l].cases, patterns[l].fallback, patterns[l].asserts };
		for (int k = 0; k < PAT_N; k++) {
			if (pats[k] && compile(&c->re[l][k], pats[k], e) < 0) {
				git_classify_ctx_free(c);
				return e ? e->code : ERR_INTERNAL;
			}
		}
	}
	c->md = pcre2_match_data_create(4, NULL);
	*out = c;
	return 0;
}

void git_classify_ctx_free(struct git_classify_ctx *c)
{
	if (!c)
		return;
	for (int l = 0; l < GIT_LANG_COUNT; l++)
		for (int k = 0; k < PAT_N; k++)
			pcre2_code_free(c->re[l][k]);
	pcre2_match_data_free(c->md);
	free(c);
}

/* Number of non-overlapping matches of re in data. */
static uint32_t count_matches(struct git_classify_ctx *c, const pcre2_code *re, const char *data, size_t len)
{
	if (!re)
		return 0;
	uint32_t n = 0;
	PCRE2_SIZE start = 0;
	while (start <= len) {
		int rc = pcre2_match(re, (PCRE2_SPTR)data, len, start, 0, c->md, NULL);
		if (rc < 0)
			break;
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(c->md);
		n++;
		start = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
	}
	return n;
}

void git_classify_tests_in_blob(struct git_test_counts *out, struct git_classify_ctx *c, int lang,
				const char *data, size_t len)
{
	memset(out, 0, sizeof(*out));
	if (lang <= 0 || lang >= GIT_LANG_COUNT)
		return;
	out->cases = count_matches(c, c->re[lang][PAT_CASES], data, len);
	if (out->cases == 0 && c->re[lang][PAT_FALLBACK]) {
		out->cases = count_matches(c, c->re[lang][PAT_FALLBACK], data, len);
		out->use_fallback = 1;
	}
	out->asserts = count_matches(c, c->re[lang][PAT_ASSERTS], data, len);
}

int git_classify_line_is_case(struct git_classify_ctx *c, int lang, int use_fallback, const char *line, size_t len)
{
	if (lang <= 0 || lang >= GIT_LANG_COUNT)
		return 0;
	const pcre2_code *re = c->re[lang][use_fallback ? PAT_FALLBACK : PAT_CASES];
	if (!re)
		return 0;
	return pcre2_match(re, (PCRE2_SPTR)line, len, 0, 0, c->md, NULL) >= 0;
}

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
	return (h ^ hash_fnv1a(p, n)) * 0x100000001b3ull;
}

uint64_t git_classify_fingerprint(void)
{
	static const char *const probes[] = {
		"src/a.py", "tests/test_a.py", "a_test.go", "src/test/java/A.java", "AT.java", "spec/a_spec.rb",
		"lib/test/a.rb", "a.test.ts", "__tests__/a.js", "tests/a.rs", "test/a.c", "a_unittest.cc",
		"X.Tests/A.cs", "tests/ATest.php", "Tests/A.swift", "README.md", "docs/a.png", "requirements.txt",
		".github/workflows/a.yml", "Dockerfile", "build.gradle.kts", "main.tf", "k8s/a.yaml", "x.bin",
		"Gemfile", "app/a.html.erb", "a.css", "a.json",
	};
	static const char snippet[] = "/* c */\n# h\n\"\"\"d\n\"\"\"\nx = 1 // t\n-- l\n\n{- h -}\n";
	uint64_t h = 0xcbf29ce484222325ull;
	h = mix(h, git_linguist_version, strlen(git_linguist_version));
	for (int l = 0; l < GIT_LANG_COUNT; l++) {
		const char *pats[3] = { patterns[l].cases, patterns[l].fallback, patterns[l].asserts };
		for (int k = 0; k < 3; k++)
			if (pats[k])
				h = mix(h, pats[k], strlen(pats[k]));
		struct git_line_counts lc;
		git_classify_count_lines(&lc, l, snippet, sizeof(snippet) - 1);
		h = mix(h, &lc, sizeof(lc));
	}
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		struct git_classification c;
		git_classify_path(&c, probes[i]);
		uint32_t v[4] = { c.cls, c.lang, c.tools, c.linguist };
		h = mix(h, v, sizeof(v));
	}
	return h;
}
