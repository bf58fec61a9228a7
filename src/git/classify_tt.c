/*
 * TravisTorrent's file semantics: GitHub Linguist's type of a path (looked up
 * in the generated table classify_linguist_table.c the way Linguist 4 did it
 * for TravisTorrent) and TravisTorrent's test-file rule of a project
 * language. The git features use them under `naming: travistorrent`
 * (git_history_diff_sum_tt); docs/features.md and docs/git.md say where they
 * differ from ciminer's own classes and why.
 */
#include "git/classify.h"
#include <stdlib.h>
#include <string.h>

static int cmp_entry(const void *key, const void *entry)
{
	return strcmp(key, ((const struct git_linguist_entry *)entry)->key);
}

static const struct git_linguist_entry *find(const struct git_linguist_entry *t, size_t n, const char *key)
{
	return bsearch(key, t, n, sizeof(*t), cmp_entry);
}

static const char *base_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

int git_linguist_type(const char *path, const char **language)
{
	const char *base = base_of(path);
	const struct git_linguist_entry *hit = find(git_linguist_filenames, git_linguist_nfilenames, base);
	if (!hit) {
		/* The last extension of the base name, a leading dot included
		 * (".travis.yml" -> "yml", ".gitignore" -> "gitignore"). */
		const char *dot = strrchr(base, '.');
		char ext[64];
		size_t n = dot ? strlen(dot + 1) : 0;
		if (n > 0 && n < sizeof(ext)) {
			for (size_t i = 0; i < n; i++) {
				char c = dot[1 + i];
				ext[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
			}
			ext[n] = '\0';
			hit = find(git_linguist_extensions, git_linguist_nextensions, ext);
		}
	}
	if (language)
		*language = hit ? hit->language : "";
	return hit ? hit->kind : GIT_LINGUIST_NONE;
}

const char *git_linguist_kind_name(int kind)
{
	static const char *const names[] = { "", "programming", "markup", "data", "prose" };
	return kind > 0 && kind <= GIT_LINGUIST_PROSE ? names[kind] : "";
}

static int ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/* Java's "[tT]est.java" (regular-expression dot: any one character). */
static int has_test_dot_java(const char *p)
{
	for (const char *q = p; (q = strstr(q, "est")) != NULL; q++)
		if (q > p && (q[-1] == 't' || q[-1] == 'T') && q[3] && strncmp(q + 4, "java", 4) == 0)
			return 1;
	return 0;
}

/* 1 when a folder of path (not its base name) is exactly dir. */
static int under_dir(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	for (const char *p = path; (p = strstr(p, dir)) != NULL; p++)
		if ((p == path || p[-1] == '/') && p[n] == '/')
			return 1;
	return 0;
}

int git_classify_tt_is_test(const char *path, const struct git_classification *c, int project_lang)
{
	size_t n = strlen(path);
	const char *base = base_of(path);
	size_t bn = strlen(base);
	switch (project_lang) {
	case GIT_LANG_RUBY:
		return ends_with(path, n, ".rb") &&
		       (strstr(path, "test/") || strstr(path, "tests/") || strstr(path, "spec/")) && !strstr(path, "lib/");
	case GIT_LANG_JAVA:
		return ends_with(path, n, ".java") && (strstr(path, "test/") || strstr(path, "tests/") || has_test_dot_java(path));
	case GIT_LANG_PYTHON:
		return ends_with(path, n, ".py") && (strncmp(base, "test_", 5) == 0 || ends_with(base, bn, "_test.py") ||
						     under_dir(path, "test") || under_dir(path, "tests"));
	case GIT_LANG_GO:
		return ends_with(path, n, "_test.go");
	case GIT_LANG_NONE:
		return 0;
	default: {
		struct git_classification own;
		if (!c) {
			git_classify_path(&own, path);
			c = &own;
		}
		return c->cls == GIT_CLASS_TEST && c->lang == project_lang;
	}
	}
}
