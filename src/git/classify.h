/*
 * File classification for the git features: which language a path is in,
 * whether it is source, test, documentation, CI/infrastructure or other, which
 * CI/build tools a CI file belongs to, and the per-language patterns that
 * count test-case definitions and assertions in test files.
 *
 * The rules are documented in docs/git.md ("File classes"); that page and
 * the tables in classify.c must stay in step.
 *
 * Classification of a path is pure (no state): git_classify_path(). Counting
 * test cases and assertions uses compiled PCRE2 patterns held in a struct
 * git_classify_ctx; one context per thread (PCRE2 match data is not shared).
 */
#ifndef GIT_CLASSIFY_H
#define GIT_CLASSIFY_H
#include <stddef.h>
#include <stdint.h>
#include "core/err.h"

/* Languages; lower-case names by git_classify_lang_name(). Values are stable
 * within one build of ciminer only (never store them: store the name). */
enum git_lang {
	GIT_LANG_NONE = 0,
	GIT_LANG_PYTHON,
	GIT_LANG_JAVA,
	GIT_LANG_KOTLIN,
	GIT_LANG_SCALA,
	GIT_LANG_GROOVY,
	GIT_LANG_RUBY,
	GIT_LANG_JAVASCRIPT,
	GIT_LANG_TYPESCRIPT,
	GIT_LANG_GO,
	GIT_LANG_RUST,
	GIT_LANG_C,
	GIT_LANG_CPP,
	GIT_LANG_CSHARP,
	GIT_LANG_FSHARP,
	GIT_LANG_PHP,
	GIT_LANG_SWIFT,
	GIT_LANG_OBJC,
	GIT_LANG_DART,
	GIT_LANG_SHELL,
	GIT_LANG_PERL,
	GIT_LANG_R,
	GIT_LANG_LUA,
	GIT_LANG_HASKELL,
	GIT_LANG_ELIXIR,
	GIT_LANG_ERLANG,
	GIT_LANG_CLOJURE,
	GIT_LANG_JULIA,
	GIT_LANG_COUNT
};

enum git_file_class {
	GIT_CLASS_OTHER = 0,
	GIT_CLASS_SOURCE, /* a programming-language file that is not a test */
	GIT_CLASS_TEST,   /* a programming-language file that is a test by its language's conventions */
	GIT_CLASS_DOC,    /* documentation by extension or folder */
	GIT_CLASS_CI,     /* CI / build / container / infrastructure-as-code file */
	GIT_CLASS_COUNT
};

/* CI and build tools, as bits of a uint32_t. */
enum git_tool {
	GIT_TOOL_GITHUB_ACTIONS = 1u << 0,
	GIT_TOOL_TRAVIS = 1u << 1,
	GIT_TOOL_CIRCLECI = 1u << 2,
	GIT_TOOL_GITLAB_CI = 1u << 3,
	GIT_TOOL_JENKINS = 1u << 4,
	GIT_TOOL_AZURE_PIPELINES = 1u << 5,
	GIT_TOOL_APPVEYOR = 1u << 6,
	GIT_TOOL_OTHER_CI = 1u << 7, /* drone, buildkite, bitbucket, generic ci/ folders */
	GIT_TOOL_DOCKER = 1u << 8,
	GIT_TOOL_DOCKER_COMPOSE = 1u << 9,
	GIT_TOOL_MAKE = 1u << 10,
	GIT_TOOL_CMAKE = 1u << 11,
	GIT_TOOL_MAVEN = 1u << 12,
	GIT_TOOL_GRADLE = 1u << 13,
	GIT_TOOL_SBT = 1u << 14,
	GIT_TOOL_BAZEL = 1u << 15,
	GIT_TOOL_MESON = 1u << 16,
	GIT_TOOL_TERRAFORM = 1u << 17,
	GIT_TOOL_KUBERNETES = 1u << 18,
	GIT_TOOL_HELM = 1u << 19,
	GIT_TOOL_ANSIBLE = 1u << 20,
	GIT_TOOL_VAGRANT = 1u << 21,
	GIT_TOOL_TOX = 1u << 22,
	GIT_TOOL_COUNT_BITS = 23
};

struct git_classification {
	uint8_t cls;   /* enum git_file_class */
	uint8_t lang;  /* enum git_lang; GIT_LANG_NONE for doc/ci/other files */
	uint32_t tools; /* enum git_tool bits; non-zero only for GIT_CLASS_CI */
};

/* Classifies a repository-relative path ("src/test/java/FooTest.java"). */
void git_classify_path(struct git_classification *out, const char *path);

/* "python", "c++", ...; "" for GIT_LANG_NONE. */
const char *git_classify_lang_name(int lang);
/* Language from a name as users and GitHub write it ("Python", "C++", "c#",
 * "golang"); GIT_LANG_NONE when unknown. Case-insensitive. */
int git_classify_lang_from_name(const char *name);
/* "source", "test", "doc", "ci", "other" */
const char *git_classify_class_name(int cls);
/* "github_actions", "docker", ...: the name of one tool bit; NULL when the
 * value is not exactly one known bit. */
const char *git_classify_tool_name(uint32_t bit);

/*
 * Counting test cases and assertions. A language has a test-case pattern and
 * optionally a fallback (Java: @Test annotations; files without any
 * annotation are JUnit 3 style, counted by their `void test...(` methods).
 * git_classify_tests_in_blob() decides which one a blob uses; diff lines of
 * that blob are then matched with the same choice (git_classify_line_is_case).
 */
struct git_classify_ctx;

int git_classify_ctx_new(struct git_classify_ctx **out, struct err *e);
void git_classify_ctx_free(struct git_classify_ctx *c);

struct git_test_counts {
	uint32_t cases;
	uint32_t asserts;
	uint8_t use_fallback; /* 1 when the blob's cases were counted with the fallback pattern */
};
/* Counts test-case definitions and assertions in a test file's content of
 * language lang. Languages without patterns give zeros. */
void git_classify_tests_in_blob(struct git_test_counts *out, struct git_classify_ctx *c, int lang,
				const char *data, size_t len);
/* 1 when one line (without its newline) defines a test case, using the
 * primary pattern or, when use_fallback, the fallback one. */
int git_classify_line_is_case(struct git_classify_ctx *c, int lang, int use_fallback, const char *line,
			      size_t len);

/*
 * Line statistics of a blob: total lines (as git counts them: a last line
 * without newline counts), blank lines, comment-only lines (by the language's
 * comment syntax), code lines = total - blank - comment. A blob with a NUL byte
 * in its first 8000 bytes is binary (git's rule) and has no lines.
 */
struct git_line_counts {
	uint32_t total, blank, comment, code;
	uint8_t binary;
};
void git_classify_count_lines(struct git_line_counts *out, int lang, const char *data, size_t len);

/*
 * A fingerprint of the rules: the patterns, and the classification and line
 * counts of a fixed set of probe paths and snippets. Anything stored with
 * values derived from the rules (the history index cache) is keyed by it, so
 * a changed rule invalidates it.
 */
uint64_t git_classify_fingerprint(void);

#endif
