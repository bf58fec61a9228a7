/* File classes, languages, CI tools, line counts and test patterns. */
#include <criterion/criterion.h>
#include <string.h>
#include "git/classify.h"

struct expect {
	const char *path;
	int cls;
	int lang;
};

static const struct expect cases[] = {
	{ "src/app.py", GIT_CLASS_SOURCE, GIT_LANG_PYTHON },
	{ "tests/test_app.py", GIT_CLASS_TEST, GIT_LANG_PYTHON },
	{ "pkg/app_test.py", GIT_CLASS_TEST, GIT_LANG_PYTHON },
	{ "pkg/test_util.py", GIT_CLASS_TEST, GIT_LANG_PYTHON },
	{ "conftest.py", GIT_CLASS_TEST, GIT_LANG_PYTHON },
	{ "src/main/java/a/Foo.java", GIT_CLASS_SOURCE, GIT_LANG_JAVA },
	{ "src/test/java/a/FooHelper.java", GIT_CLASS_TEST, GIT_LANG_JAVA },
	{ "core/FooTest.java", GIT_CLASS_TEST, GIT_LANG_JAVA },
	{ "app/src/androidTest/kotlin/X.kt", GIT_CLASS_TEST, GIT_LANG_KOTLIN },
	{ "src/main/kotlin/Latest.kt", GIT_CLASS_SOURCE, GIT_LANG_KOTLIN },
	{ "src/test/scala/FooSpec.scala", GIT_CLASS_TEST, GIT_LANG_SCALA },
	{ "lib/foo.rb", GIT_CLASS_SOURCE, GIT_LANG_RUBY },
	{ "spec/foo_spec.rb", GIT_CLASS_TEST, GIT_LANG_RUBY },
	{ "lib/test/helper.rb", GIT_CLASS_SOURCE, GIT_LANG_RUBY },
	{ "src/button.test.tsx", GIT_CLASS_TEST, GIT_LANG_TYPESCRIPT },
	{ "src/__tests__/x.js", GIT_CLASS_TEST, GIT_LANG_JAVASCRIPT },
	{ "src/index.js", GIT_CLASS_SOURCE, GIT_LANG_JAVASCRIPT },
	{ "pkg/server_test.go", GIT_CLASS_TEST, GIT_LANG_GO },
	{ "pkg/testdata.go", GIT_CLASS_SOURCE, GIT_LANG_GO },
	{ "tests/integration.rs", GIT_CLASS_TEST, GIT_LANG_RUST },
	{ "src/lib.rs", GIT_CLASS_SOURCE, GIT_LANG_RUST },
	{ "src/util.c", GIT_CLASS_SOURCE, GIT_LANG_C },
	{ "test/test_util.c", GIT_CLASS_TEST, GIT_LANG_C },
	{ "src/a_unittest.cc", GIT_CLASS_TEST, GIT_LANG_CPP },
	{ "Foo.Tests/BarTests.cs", GIT_CLASS_TEST, GIT_LANG_CSHARP },
	{ "src/Bar.cs", GIT_CLASS_SOURCE, GIT_LANG_CSHARP },
	{ "tests/Unit/UserTest.php", GIT_CLASS_TEST, GIT_LANG_PHP },
	{ "Tests/KitTests/KitTests.swift", GIT_CLASS_TEST, GIT_LANG_SWIFT },
	{ "Sources/Kit/Kit.swift", GIT_CLASS_SOURCE, GIT_LANG_SWIFT },
	{ "README.md", GIT_CLASS_DOC, GIT_LANG_NONE },
	{ "docs/img/arch.png", GIT_CLASS_DOC, GIT_LANG_NONE },
	{ "LICENSE", GIT_CLASS_DOC, GIT_LANG_NONE },
	{ "docs/conf.py", GIT_CLASS_SOURCE, GIT_LANG_PYTHON },
	{ "requirements.txt", GIT_CLASS_OTHER, GIT_LANG_NONE },
	{ "assets/logo.png", GIT_CLASS_OTHER, GIT_LANG_NONE },
	{ ".github/workflows/ci.yml", GIT_CLASS_CI, GIT_LANG_NONE },
	{ "build.gradle.kts", GIT_CLASS_CI, GIT_LANG_NONE },
	{ "Dockerfile", GIT_CLASS_CI, GIT_LANG_NONE },
};

Test(classify, classifies_paths_by_language_conventions)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct git_classification c;
		git_classify_path(&c, cases[i].path);
		cr_expect_eq(c.cls, cases[i].cls, "%s: class %s, expected %s", cases[i].path,
			     git_classify_class_name(c.cls), git_classify_class_name(cases[i].cls));
		cr_expect_eq(c.lang, cases[i].lang, "%s: language %s", cases[i].path, git_classify_lang_name(c.lang));
	}
}

Test(classify, names_ci_and_build_tools)
{
	static const struct {
		const char *path;
		uint32_t tool;
	} t[] = {
		{ ".github/workflows/ci.yml", GIT_TOOL_GITHUB_ACTIONS }, { ".travis.yml", GIT_TOOL_TRAVIS },
		{ ".circleci/config.yml", GIT_TOOL_CIRCLECI },	   { ".gitlab-ci.yml", GIT_TOOL_GITLAB_CI },
		{ "Jenkinsfile", GIT_TOOL_JENKINS },		   { "docker/Dockerfile.dev", GIT_TOOL_DOCKER },
		{ "docker-compose.yml", GIT_TOOL_DOCKER_COMPOSE }, { "Makefile", GIT_TOOL_MAKE },
		{ "CMakeLists.txt", GIT_TOOL_CMAKE },		   { "pom.xml", GIT_TOOL_MAVEN },
		{ "app/build.gradle", GIT_TOOL_GRADLE },	   { "infra/main.tf", GIT_TOOL_TERRAFORM },
		{ "k8s/deploy.yaml", GIT_TOOL_KUBERNETES },	   { "charts/app/Chart.yaml", GIT_TOOL_HELM },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct git_classification c;
		git_classify_path(&c, t[i].path);
		cr_expect_eq(c.cls, GIT_CLASS_CI, "%s", t[i].path);
		cr_expect_eq(c.tools, t[i].tool, "%s: %s", t[i].path, git_classify_tool_name(c.tools) ?: "?");
	}
	cr_assert_str_eq(git_classify_tool_name(GIT_TOOL_DOCKER), "docker");
	cr_assert_null(git_classify_tool_name(GIT_TOOL_DOCKER | GIT_TOOL_MAKE));
}

Test(classify, maps_language_names_case_insensitively)
{
	cr_assert_eq(git_classify_lang_from_name("Python"), GIT_LANG_PYTHON);
	cr_assert_eq(git_classify_lang_from_name("C++"), GIT_LANG_CPP);
	cr_assert_eq(git_classify_lang_from_name("C#"), GIT_LANG_CSHARP);
	cr_assert_eq(git_classify_lang_from_name("golang"), GIT_LANG_GO);
	cr_assert_eq(git_classify_lang_from_name("Brainfuck"), GIT_LANG_NONE);
	cr_assert_str_eq(git_classify_lang_name(GIT_LANG_TYPESCRIPT), "typescript");
}

Test(classify, counts_blank_comment_and_code_lines)
{
	struct git_line_counts lc;
	const char c_src[] = "/* header\n * more\n */\n#include <x.h>\n\nint a; // trailing\n  // only comment\nint b; /* x */\n";
	git_classify_count_lines(&lc, GIT_LANG_C, c_src, strlen(c_src));
	cr_assert_eq(lc.total, 8);
	cr_assert_eq(lc.blank, 1);
	cr_assert_eq(lc.comment, 4);
	cr_assert_eq(lc.code, 3);
	const char py[] = "\"\"\"Module doc.\n\nMore.\n\"\"\"\nimport os  # why\n# note\nx = '''a\n'''\n";
	git_classify_count_lines(&lc, GIT_LANG_PYTHON, py, strlen(py));
	cr_assert_eq(lc.total, 8);
	cr_assert_eq(lc.blank, 1);
	cr_assert_eq(lc.comment, 4, "docstring lines and # lines, got %u", lc.comment);
	cr_assert_eq(lc.code, 3, "a string after code is code, got %u", lc.code);
	const char nonl[] = "a\nb";
	git_classify_count_lines(&lc, GIT_LANG_NONE, nonl, 3);
	cr_assert_eq(lc.total, 2, "a last line without newline counts");
	const char bin[] = "ab\0cd\n";
	git_classify_count_lines(&lc, GIT_LANG_C, bin, sizeof(bin) - 1);
	cr_assert(lc.binary);
	cr_assert_eq(lc.total, 0);
}

struct tcase {
	int lang;
	const char *src;
	uint32_t cases, asserts;
};

static const struct tcase tcases[] = {
	{ GIT_LANG_PYTHON, "def test_a():\n    assert x\nasync def test_b(self):\n    self.assertEqual(1, 1)\ndef helper():\n", 2, 2 },
	{ GIT_LANG_JAVA, "@Test\npublic void testA() { assertEquals(1, a); }\n@Test void b() { assertThat(x).isTrue(); }\n", 2, 2 },
	{ GIT_LANG_JAVA, "public void testA() { assertEquals(1, a); }\npublic void testB() {}\n", 2, 1 },
	{ GIT_LANG_RUBY, "describe X do\n  it 'works' do\n    expect(x).to eq 1\n  end\n  def test_y\n    assert y\n  end\nend\n", 2, 2 },
	{ GIT_LANG_TYPESCRIPT, "describe('x', () => {\n  it('a', () => { expect(a).toBe(1); });\n  test.each([1])('b', () => {});\n  submit();\n});\n", 2, 1 },
	{ GIT_LANG_GO, "func TestA(t *testing.T) {\n\tt.Errorf(\"x\")\n\trequire.NoError(t, err)\n}\nfunc helper() {}\n", 1, 2 },
	{ GIT_LANG_RUST, "#[test]\nfn a() { assert_eq!(1, 1); }\n#[tokio::test]\nasync fn b() { assert!(true); }\n", 2, 2 },
	{ GIT_LANG_CPP, "TEST(Suite, A) {\n  EXPECT_EQ(1, 1);\n  ASSERT_TRUE(x);\n}\nTEST_F(Fix, B) {}\n", 2, 2 },
	{ GIT_LANG_C, "Test(suite, a) {\n  cr_assert_eq(1, 1);\n}\n", 1, 1 },
	{ GIT_LANG_CSHARP, "[Fact]\npublic void A() { Assert.Equal(1, 1); }\n[Theory]\npublic void B() {}\n", 2, 1 },
	{ GIT_LANG_PHP, "public function testA() { $this->assertSame(1, 1); }\n", 1, 1 },
	{ GIT_LANG_SWIFT, "func testA() { XCTAssertEqual(1, 1) }\n", 1, 1 },
};

Test(classify, counts_test_cases_and_assertions_per_language)
{
	struct git_classify_ctx *c = NULL;
	struct err e = ERR_INIT;
	cr_assert_eq(git_classify_ctx_new(&c, &e), 0, "%s", e.msg);
	for (size_t i = 0; i < sizeof(tcases) / sizeof(tcases[0]); i++) {
		struct git_test_counts tc;
		git_classify_tests_in_blob(&tc, c, tcases[i].lang, tcases[i].src, strlen(tcases[i].src));
		cr_expect_eq(tc.cases, tcases[i].cases, "case %zu (%s): %u test cases", i,
			     git_classify_lang_name(tcases[i].lang), tc.cases);
		cr_expect_eq(tc.asserts, tcases[i].asserts, "case %zu (%s): %u assertions", i,
			     git_classify_lang_name(tcases[i].lang), tc.asserts);
	}
	/* JUnit 3 files (no @Test anywhere) are matched line by line with the fallback */
	struct git_test_counts tc;
	git_classify_tests_in_blob(&tc, c, GIT_LANG_JAVA, tcases[2].src, strlen(tcases[2].src));
	cr_assert(tc.use_fallback);
	const char line[] = "public void testC() {";
	cr_assert(git_classify_line_is_case(c, GIT_LANG_JAVA, 1, line, strlen(line)));
	cr_assert_not(git_classify_line_is_case(c, GIT_LANG_JAVA, 0, line, strlen(line)));
	git_classify_ctx_free(c);
}
