/* TravisTorrent's file semantics: Linguist types of paths and the test-file rule of each project language. */
#include <criterion/criterion.h>
#include <string.h>
#include "git/classify.h"

struct linguist_case {
	const char *path;
	int kind;
	const char *language;
};

static const struct linguist_case linguist_cases[] = {
	{ "lib/shop.rb", GIT_LINGUIST_PROGRAMMING, "Ruby" },
	{ "app/assets/javascripts/cart.js", GIT_LINGUIST_PROGRAMMING, "JavaScript" },
	/* Linguist 4 took the first language for ".md": GCC Machine Description */
	{ "README.md", GIT_LINGUIST_PROGRAMMING, "GCC Machine Description" },
	{ "docs/Guide.MD", GIT_LINGUIST_PROGRAMMING, "GCC Machine Description" },
	{ "CHANGELOG.markdown", GIT_LINGUIST_PROSE, "Markdown" },
	{ "docs/index.rst", GIT_LINGUIST_PROSE, "reStructuredText" },
	{ "notes.txt", GIT_LINGUIST_PROSE, "Text" },
	{ "app/views/show.html.erb", GIT_LINGUIST_MARKUP, "HTML+ERB" },
	{ "public/index.html", GIT_LINGUIST_MARKUP, "HTML" },
	{ "app/assets/stylesheets/app.scss", GIT_LINGUIST_MARKUP, "SCSS" },
	{ ".travis.yml", GIT_LINGUIST_DATA, "YAML" },
	{ "config/locales/en.yaml", GIT_LINGUIST_DATA, "YAML" },
	{ "package.json", GIT_LINGUIST_DATA, "JSON" },
	{ "res/layout/main.xml", GIT_LINGUIST_DATA, "XML" },
	{ "pom.xml", GIT_LINGUIST_DATA, "Maven POM" },
	/* file names before extensions, case-sensitive */
	{ "Gemfile", GIT_LINGUIST_PROGRAMMING, "Ruby" },
	{ "sub/Rakefile", GIT_LINGUIST_PROGRAMMING, "Ruby" },
	{ "Makefile", GIT_LINGUIST_PROGRAMMING, "Makefile" },
	{ "CMakeLists.txt", GIT_LINGUIST_PROGRAMMING, "CMake" },
	/* unknown to Linguist: TravisTorrent counted these as data */
	{ "logo.png", GIT_LINGUIST_NONE, "" },
	{ "bin/setup", GIT_LINGUIST_NONE, "" },
	{ "a.", GIT_LINGUIST_NONE, "" },
};

Test(classify_tt, looks_up_linguist_types_by_file_name_then_last_extension)
{
	for (size_t i = 0; i < sizeof(linguist_cases) / sizeof(linguist_cases[0]); i++) {
		const struct linguist_case *c = &linguist_cases[i];
		const char *lang = NULL;
		int kind = git_linguist_type(c->path, &lang);
		cr_assert_eq(kind, c->kind, "%s: kind %s, want %s", c->path, git_linguist_kind_name(kind),
			     git_linguist_kind_name(c->kind));
		cr_assert_str_eq(lang, c->language, "%s: language %s, want %s", c->path, lang, c->language);
	}
}

Test(classify_tt, linguist_tables_are_sorted_for_binary_search)
{
	cr_assert_gt(git_linguist_nextensions, 500);
	cr_assert_gt(git_linguist_nfilenames, 50);
	for (size_t i = 1; i < git_linguist_nextensions; i++)
		cr_assert_lt(strcmp(git_linguist_extensions[i - 1].key, git_linguist_extensions[i].key), 0, "%s",
			     git_linguist_extensions[i].key);
	for (size_t i = 1; i < git_linguist_nfilenames; i++)
		cr_assert_lt(strcmp(git_linguist_filenames[i - 1].key, git_linguist_filenames[i].key), 0, "%s",
			     git_linguist_filenames[i].key);
	for (size_t i = 0; i < git_linguist_nextensions; i++)
		cr_assert(git_linguist_extensions[i].kind >= GIT_LINGUIST_PROGRAMMING &&
			  git_linguist_extensions[i].kind <= GIT_LINGUIST_PROSE);
}

Test(classify_tt, classification_carries_the_linguist_type)
{
	struct git_classification c;
	git_classify_path(&c, "README.md");
	cr_assert_eq(c.cls, GIT_CLASS_DOC);
	cr_assert_eq(c.linguist, GIT_LINGUIST_PROGRAMMING);
	git_classify_path(&c, ".travis.yml");
	cr_assert_eq(c.cls, GIT_CLASS_CI);
	cr_assert_eq(c.linguist, GIT_LINGUIST_DATA);
}

struct tt_case {
	const char *path;
	int lang;
	int test;
};

static const struct tt_case tt_cases[] = {
	/* Ruby: a substring rule on the whole path, lib/ vetoes */
	{ "spec/shop_spec.rb", GIT_LANG_RUBY, 1 },
	{ "test/unit/shop_test.rb", GIT_LANG_RUBY, 1 },
	{ "app/contest/entry.rb", GIT_LANG_RUBY, 1 },
	{ "lib/shop/test/helper.rb", GIT_LANG_RUBY, 0 },
	{ "spec/javascripts/cart_spec.js", GIT_LANG_RUBY, 0 },
	{ "spec/fixtures/data.yml", GIT_LANG_RUBY, 0 },
	{ "app/models/shop.rb", GIT_LANG_RUBY, 0 },
	/* Java */
	{ "src/test/java/a/Helper.java", GIT_LANG_JAVA, 1 },
	{ "core/src/main/java/a/ShopTest.java", GIT_LANG_JAVA, 1 },
	{ "core/src/main/java/a/TestUtils.java", GIT_LANG_JAVA, 0 },
	{ "src/main/java/a/Shop.java", GIT_LANG_JAVA, 0 },
	{ "src/test/resources/a.xml", GIT_LANG_JAVA, 0 },
	/* Python */
	{ "tests/helpers.py", GIT_LANG_PYTHON, 1 },
	{ "pkg/test_shop.py", GIT_LANG_PYTHON, 1 },
	{ "pkg/shop_test.py", GIT_LANG_PYTHON, 1 },
	{ "pkg/shop.py", GIT_LANG_PYTHON, 0 },
	/* Go */
	{ "pkg/shop_test.go", GIT_LANG_GO, 1 },
	{ "pkg/testing.go", GIT_LANG_GO, 0 },
	/* other languages: ciminer's rule, that language's files only */
	{ "src/__tests__/cart.js", GIT_LANG_JAVASCRIPT, 1 },
	{ "spec/shop_spec.rb", GIT_LANG_JAVASCRIPT, 0 },
	{ "spec/shop_spec.rb", GIT_LANG_NONE, 0 },
};

Test(classify_tt, follows_the_project_languages_test_file_rule)
{
	for (size_t i = 0; i < sizeof(tt_cases) / sizeof(tt_cases[0]); i++) {
		const struct tt_case *c = &tt_cases[i];
		cr_assert_eq(git_classify_tt_is_test(c->path, NULL, c->lang), c->test, "%s under %s: %d, want %d",
			     c->path, git_classify_lang_name(c->lang), !c->test, c->test);
	}
}
