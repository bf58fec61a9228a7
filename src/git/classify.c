/*
 * Path classification: language by extension, test files by each language's
 * conventions, documentation, CI/infrastructure files and their tools.
 * The order of the checks is the rule: CI first (a Dockerfile or a
 * build.gradle.kts is infrastructure, not Kotlin), then programming languages
 * (source or test), then documentation, then other. docs/git.md lists the
 * same tables for users.
 */
#include "git/classify.h"
#include <ctype.h>
#include <string.h>
#include <strings.h>

struct lang_info {
	const char *name;
	const char *exts; /* '|'-separated, lower-case, without dot */
};

static const struct lang_info langs[GIT_LANG_COUNT] = {
	[GIT_LANG_NONE] = { "", "" },
	[GIT_LANG_PYTHON] = { "python", "py|pyw|pyi|pyx" },
	[GIT_LANG_JAVA] = { "java", "java" },
	[GIT_LANG_KOTLIN] = { "kotlin", "kt|kts" },
	[GIT_LANG_SCALA] = { "scala", "scala|sc" },
	[GIT_LANG_GROOVY] = { "groovy", "groovy|gvy" },
	[GIT_LANG_RUBY] = { "ruby", "rb|rake|gemspec|ru" },
	[GIT_LANG_JAVASCRIPT] = { "javascript", "js|mjs|cjs|jsx" },
	[GIT_LANG_TYPESCRIPT] = { "typescript", "ts|tsx|mts|cts" },
	[GIT_LANG_GO] = { "go", "go" },
	[GIT_LANG_RUST] = { "rust", "rs" },
	[GIT_LANG_C] = { "c", "c|h" },
	[GIT_LANG_CPP] = { "c++", "cc|cpp|cxx|c++|hpp|hh|hxx|h++|ipp|inl|tpp" },
	[GIT_LANG_CSHARP] = { "c#", "cs|csx" },
	[GIT_LANG_FSHARP] = { "f#", "fs|fsx|fsi" },
	[GIT_LANG_PHP] = { "php", "php|phtml|php5|php7" },
	[GIT_LANG_SWIFT] = { "swift", "swift" },
	[GIT_LANG_OBJC] = { "objective-c", "m|mm" },
	[GIT_LANG_DART] = { "dart", "dart" },
	[GIT_LANG_SHELL] = { "shell", "sh|bash|zsh|bats" },
	[GIT_LANG_PERL] = { "perl", "pl|pm|t" },
	[GIT_LANG_R] = { "r", "r" },
	[GIT_LANG_LUA] = { "lua", "lua" },
	[GIT_LANG_HASKELL] = { "haskell", "hs|lhs" },
	[GIT_LANG_ELIXIR] = { "elixir", "ex|exs" },
	[GIT_LANG_ERLANG] = { "erlang", "erl|hrl" },
	[GIT_LANG_CLOJURE] = { "clojure", "clj|cljs|cljc" },
	[GIT_LANG_JULIA] = { "julia", "jl" },
};

/* Aliases users and GitHub write for languages. */
static const struct {
	const char *alias;
	int lang;
} lang_aliases[] = {
	{ "cpp", GIT_LANG_CPP },		{ "cplusplus", GIT_LANG_CPP },
	{ "csharp", GIT_LANG_CSHARP },		{ "fsharp", GIT_LANG_FSHARP },
	{ "golang", GIT_LANG_GO },		{ "js", GIT_LANG_JAVASCRIPT },
	{ "ts", GIT_LANG_TYPESCRIPT },		{ "objc", GIT_LANG_OBJC },
	{ "objectivec", GIT_LANG_OBJC },	{ "objective-c++", GIT_LANG_OBJC },
	{ "bash", GIT_LANG_SHELL },		{ "sh", GIT_LANG_SHELL },
};

/*
 * Test-file conventions per language. A file is a test when one of its
 * folders is in dirs (compared lower-case), or its base name without the
 * extension starts with a prefix or ends with a suffix (case-sensitive: Java's
 * FooTest), or its base name contains one of contains. A folder listed in
 * not_under (Ruby's lib/) vetoes the folder rule, as TravisTorrent's does.
 */
struct test_rule {
	const char *dirs, *prefixes, *suffixes, *contains, *not_under;
};

static const char jvm_dirs[] = "test|tests|testing|androidtest|integrationtest|unittest|functionaltest|testfixtures";
static const char jvm_suffixes[] = "Test|Tests|IT|TestCase|Spec|Suite";
static const char c_dirs[] = "test|tests|testing|unittest|unittests";

static const struct test_rule test_rules[GIT_LANG_COUNT] = {
	[GIT_LANG_PYTHON] = { "test|tests|testing", "test_", "_test|_tests", NULL, NULL },
	[GIT_LANG_JAVA] = { jvm_dirs, NULL, jvm_suffixes, NULL, NULL },
	[GIT_LANG_KOTLIN] = { jvm_dirs, NULL, jvm_suffixes, NULL, NULL },
	[GIT_LANG_SCALA] = { jvm_dirs, NULL, jvm_suffixes, NULL, NULL },
	[GIT_LANG_GROOVY] = { jvm_dirs, NULL, jvm_suffixes, NULL, NULL },
	[GIT_LANG_RUBY] = { "test|tests|spec", "test_", "_spec|_test", NULL, "lib" },
	[GIT_LANG_JAVASCRIPT] = { "__tests__|test|tests|spec|specs|e2e", NULL, NULL, ".test.|.spec.", NULL },
	[GIT_LANG_TYPESCRIPT] = { "__tests__|test|tests|spec|specs|e2e", NULL, NULL, ".test.|.spec.", NULL },
	[GIT_LANG_GO] = { NULL, NULL, "_test", NULL, NULL },
	[GIT_LANG_RUST] = { "tests", NULL, NULL, NULL, NULL },
	[GIT_LANG_C] = { c_dirs, "test_", "_test|_tests|_unittest", NULL, NULL },
	[GIT_LANG_CPP] = { c_dirs, "test_", "_test|_tests|_unittest|Test|Tests", NULL, NULL },
	[GIT_LANG_CSHARP] = { "test|tests", NULL, "Test|Tests", NULL, NULL },
	[GIT_LANG_FSHARP] = { "test|tests", NULL, "Test|Tests", NULL, NULL },
	[GIT_LANG_PHP] = { "test|tests", NULL, "Test", NULL, NULL },
	[GIT_LANG_SWIFT] = { "tests", NULL, "Test|Tests", NULL, NULL },
	[GIT_LANG_OBJC] = { c_dirs, NULL, "Test|Tests", NULL, NULL },
	[GIT_LANG_DART] = { "test", NULL, "_test", NULL, NULL },
	[GIT_LANG_SHELL] = { "test|tests", "test_", "_test", NULL, NULL },
	[GIT_LANG_PERL] = { "t|test|tests", NULL, NULL, ".t", NULL },
	[GIT_LANG_R] = { "tests|testthat", "test", NULL, NULL, NULL },
	[GIT_LANG_LUA] = { "spec|test|tests", NULL, "_spec|_test", NULL, NULL },
	[GIT_LANG_HASKELL] = { "test|tests", NULL, "Spec|Test", NULL, NULL },
	[GIT_LANG_ELIXIR] = { "test", NULL, "_test", NULL, NULL },
	[GIT_LANG_ERLANG] = { "test", NULL, "_SUITE|_tests", NULL, NULL },
	[GIT_LANG_CLOJURE] = { "test", NULL, "_test", NULL, NULL },
	[GIT_LANG_JULIA] = { "test", NULL, NULL, NULL, NULL },
};

static const char *const class_names[GIT_CLASS_COUNT] = { "other", "source", "test", "doc", "ci" };

static const char *const tool_names[GIT_TOOL_COUNT_BITS] = {
	"github_actions", "travis", "circleci", "gitlab_ci", "jenkins", "azure_pipelines", "appveyor",
	"other_ci", "docker", "docker_compose", "make", "cmake", "maven", "gradle", "sbt", "bazel",
	"meson", "terraform", "kubernetes", "helm", "ansible", "vagrant", "tox",
};

/* 1 when word (length n) is one of the '|'-separated items of list. */
static int in_list(const char *list, const char *word, size_t n, int nocase)
{
	if (!list)
		return 0;
	const char *p = list;
	while (*p) {
		const char *end = strchr(p, '|');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == n && (nocase ? strncasecmp(p, word, n) : strncmp(p, word, n)) == 0)
			return 1;
		if (!end)
			break;
		p = end + 1;
	}
	return 0;
}

/* Calls for each item of a '|'-separated list; stops when fn returns 1. */
static int any_item(const char *list, int (*fn)(const char *item, size_t n, const void *arg), const void *arg)
{
	if (!list)
		return 0;
	const char *p = list;
	while (*p) {
		const char *end = strchr(p, '|');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (fn(p, len, arg))
			return 1;
		if (!end)
			break;
		p = end + 1;
	}
	return 0;
}

/* A path split once into folders, base name, stem and extension. */
struct split {
	const char *path;
	const char *base;    /* after the last '/' */
	size_t dir_len;      /* bytes before base (including the '/') */
	size_t stem_len;     /* base without its last extension */
	const char *ext;     /* after the last '.' of base, "" when none */
};

static void split_path(struct split *s, const char *path)
{
	s->path = path;
	const char *slash = strrchr(path, '/');
	s->base = slash ? slash + 1 : path;
	s->dir_len = (size_t)(s->base - path);
	const char *dot = strrchr(s->base, '.');
	if (dot && dot != s->base) {
		s->ext = dot + 1;
		s->stem_len = (size_t)(dot - s->base);
	} else {
		s->ext = "";
		s->stem_len = strlen(s->base);
	}
}

/* 1 when a folder of the path (not the base name) is in list. */
static int has_dir(const struct split *s, const char *list)
{
	const char *p = s->path, *end = s->path + s->dir_len;
	while (p < end) {
		const char *slash = memchr(p, '/', (size_t)(end - p));
		size_t n = slash ? (size_t)(slash - p) : (size_t)(end - p);
		if (in_list(list, p, n, 1))
			return 1;
		p += n + 1;
	}
	return 0;
}

/* 1 when a folder of the path ends with suffix (lower-case compare). */
static int has_dir_suffix(const struct split *s, const char *suffix)
{
	size_t sl = strlen(suffix);
	const char *p = s->path, *end = s->path + s->dir_len;
	while (p < end) {
		const char *slash = memchr(p, '/', (size_t)(end - p));
		size_t n = slash ? (size_t)(slash - p) : (size_t)(end - p);
		if (n > sl && strncasecmp(p + n - sl, suffix, sl) == 0)
			return 1;
		p += n + 1;
	}
	return 0;
}

static int base_is(const struct split *s, const char *list)
{
	return in_list(list, s->base, strlen(s->base), 1);
}

static int ext_is(const struct split *s, const char *list)
{
	return in_list(list, s->ext, strlen(s->ext), 1);
}

static int base_has_prefix(const struct split *s, const char *prefix)
{
	return strncasecmp(s->base, prefix, strlen(prefix)) == 0;
}

static int yaml(const struct split *s)
{
	return ext_is(s, "yml|yaml");
}

/* Folder-prefix check: path starts with dir + "/". */
static int under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return strncmp(path, dir, n) == 0 && path[n] == '/';
}

static uint32_t ci_tools(const struct split *s)
{
	const char *p = s->path;
	if ((under(p, ".github/workflows") || under(p, ".github/actions")) && yaml(s))
		return GIT_TOOL_GITHUB_ACTIONS;
	if (base_is(s, ".travis.yml"))
		return GIT_TOOL_TRAVIS;
	if (has_dir(s, ".circleci"))
		return GIT_TOOL_CIRCLECI;
	if (base_is(s, ".gitlab-ci.yml") || has_dir(s, ".gitlab-ci"))
		return GIT_TOOL_GITLAB_CI;
	if (base_has_prefix(s, "jenkinsfile"))
		return GIT_TOOL_JENKINS;
	if (base_is(s, "azure-pipelines.yml|azure-pipelines.yaml") || has_dir(s, ".azure-pipelines"))
		return GIT_TOOL_AZURE_PIPELINES;
	if (base_is(s, "appveyor.yml|.appveyor.yml"))
		return GIT_TOOL_APPVEYOR;
	if (base_is(s, ".drone.yml|bitbucket-pipelines.yml|.cirrus.yml|.woodpecker.yml|codefresh.yml") ||
	    has_dir(s, ".buildkite|.ci|ci|.woodpecker"))
		return GIT_TOOL_OTHER_CI;
	if (base_is(s, "dockerfile|containerfile|.dockerignore") || base_has_prefix(s, "dockerfile.") ||
	    ext_is(s, "dockerfile"))
		return GIT_TOOL_DOCKER;
	if ((base_has_prefix(s, "docker-compose") || base_has_prefix(s, "compose.")) && yaml(s))
		return GIT_TOOL_DOCKER_COMPOSE;
	if (base_is(s, "makefile|gnumakefile") || ext_is(s, "mk"))
		return GIT_TOOL_MAKE;
	if (base_is(s, "cmakelists.txt") || ext_is(s, "cmake"))
		return GIT_TOOL_CMAKE;
	if (base_is(s, "pom.xml|mvnw|mvnw.cmd") || has_dir(s, ".mvn"))
		return GIT_TOOL_MAVEN;
	if (base_is(s, "build.gradle|build.gradle.kts|settings.gradle|settings.gradle.kts|gradlew|gradlew.bat|"
		       "gradle.properties") ||
	    under(p, "gradle/wrapper"))
		return GIT_TOOL_GRADLE;
	if (ext_is(s, "sbt"))
		return GIT_TOOL_SBT;
	if (strcmp(s->base, "BUILD") == 0 || base_is(s, "build.bazel|workspace|workspace.bazel|.bazelrc|module.bazel") ||
	    ext_is(s, "bzl"))
		return GIT_TOOL_BAZEL;
	if (base_is(s, "meson.build|meson_options.txt"))
		return GIT_TOOL_MESON;
	if (ext_is(s, "tf|tfvars|hcl"))
		return GIT_TOOL_TERRAFORM;
	if (base_is(s, "chart.yaml|values.yaml") && has_dir(s, "charts|helm"))
		return GIT_TOOL_HELM;
	if (base_is(s, "chart.yaml"))
		return GIT_TOOL_HELM;
	if ((has_dir(s, "k8s|kubernetes|manifests") && yaml(s)) || base_is(s, "kustomization.yaml|skaffold.yaml"))
		return GIT_TOOL_KUBERNETES;
	if (base_is(s, "ansible.cfg") || ((has_dir(s, "ansible|playbooks|roles") || base_has_prefix(s, "playbook")) && yaml(s)))
		return GIT_TOOL_ANSIBLE;
	if (base_is(s, "vagrantfile"))
		return GIT_TOOL_VAGRANT;
	if (base_is(s, "tox.ini"))
		return GIT_TOOL_TOX;
	return 0;
}

static int lang_of_ext(const struct split *s)
{
	if (!*s->ext)
		return GIT_LANG_NONE;
	size_t n = strlen(s->ext);
	for (int l = 1; l < GIT_LANG_COUNT; l++)
		if (in_list(langs[l].exts, s->ext, n, 1))
			return l;
	return GIT_LANG_NONE;
}

static int stem_prefix_fn(const char *item, size_t n, const void *arg)
{
	const struct split *s = arg;
	return s->stem_len >= n && strncmp(s->base, item, n) == 0;
}

static int stem_suffix_fn(const char *item, size_t n, const void *arg)
{
	const struct split *s = arg;
	return s->stem_len > n && strncmp(s->base + s->stem_len - n, item, n) == 0;
}

static int contains_fn(const char *item, size_t n, const void *arg)
{
	const struct split *s = arg;
	return memmem(s->base, strlen(s->base), item, n) != NULL;
}

static int is_test(const struct split *s, int lang)
{
	const struct test_rule *r = &test_rules[lang];
	if (r->dirs && has_dir(s, r->dirs) && !(r->not_under && has_dir(s, r->not_under)))
		return 1;
	if (any_item(r->prefixes, stem_prefix_fn, s) || any_item(r->suffixes, stem_suffix_fn, s) ||
	    any_item(r->contains, contains_fn, s))
		return 1;
	if (lang == GIT_LANG_PYTHON && strcmp(s->base, "conftest.py") == 0)
		return 1;
	/* .NET test projects are folders named Foo.Tests; Swift's are FooTests. */
	if ((lang == GIT_LANG_CSHARP || lang == GIT_LANG_FSHARP) && (has_dir_suffix(s, ".tests") || has_dir_suffix(s, ".test")))
		return 1;
	if (lang == GIT_LANG_SWIFT && has_dir_suffix(s, "tests"))
		return 1;
	return 0;
}

static int is_doc(const struct split *s)
{
	if (ext_is(s, "md|markdown|mdx|rst|adoc|asciidoc|textile|rdoc|org|pod|tex|texi|texinfo|man|txt|rtf"))
		return strncasecmp(s->base, "requirements", 12) != 0;
	char stem[32];
	size_t n = s->stem_len < sizeof(stem) - 1 ? s->stem_len : sizeof(stem) - 1;
	memcpy(stem, s->base, n);
	stem[n] = '\0';
	if (in_list("readme|changelog|changes|history|license|licence|copying|contributing|authors|notice|news|"
		    "code_of_conduct|security|support|maintainers|contributors",
		    stem, n, 1))
		return 1;
	return has_dir(s, "doc|docs|documentation|man|manual|javadoc|site");
}

void git_classify_path(struct git_classification *out, const char *path)
{
	struct split s;
	split_path(&s, path);
	memset(out, 0, sizeof(*out));
	out->linguist = (uint8_t)git_linguist_type(path, NULL);
	uint32_t tools = ci_tools(&s);
	if (tools) {
		out->cls = GIT_CLASS_CI;
		out->tools = tools;
		return;
	}
	int lang = lang_of_ext(&s);
	if (lang != GIT_LANG_NONE) {
		out->lang = (uint8_t)lang;
		out->cls = is_test(&s, lang) ? GIT_CLASS_TEST : GIT_CLASS_SOURCE;
		return;
	}
	out->cls = is_doc(&s) ? GIT_CLASS_DOC : GIT_CLASS_OTHER;
}

const char *git_classify_lang_name(int lang)
{
	return lang > 0 && lang < GIT_LANG_COUNT ? langs[lang].name : "";
}

int git_classify_lang_from_name(const char *name)
{
	if (!name || !*name)
		return GIT_LANG_NONE;
	for (int l = 1; l < GIT_LANG_COUNT; l++)
		if (strcasecmp(langs[l].name, name) == 0)
			return l;
	for (size_t i = 0; i < sizeof(lang_aliases) / sizeof(lang_aliases[0]); i++)
		if (strcasecmp(lang_aliases[i].alias, name) == 0)
			return lang_aliases[i].lang;
	return GIT_LANG_NONE;
}

const char *git_classify_class_name(int cls)
{
	return cls >= 0 && cls < GIT_CLASS_COUNT ? class_names[cls] : "other";
}

const char *git_classify_tool_name(uint32_t bit)
{
	for (int i = 0; i < GIT_TOOL_COUNT_BITS; i++)
		if (bit == (1u << i))
			return tool_names[i];
	return NULL;
}
