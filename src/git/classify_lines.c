/*
 * Line counts of a blob: total, blank, comment-only and code lines, by the
 * comment syntax of the blob's language. It is a scanner, not a parser: it
 * does not know string literals, so a block-comment opener inside a string
 * after code opens a comment (cloc makes the same trade). Python docstrings
 * count as comments when the triple quote starts its line, which is how cloc
 * counts them and what "SLOC without comments" means to Python users; a triple
 * quote after code (x = """...) opens a string whose lines are code.
 */
#include "git/classify.h"
#include <string.h>

struct comment_syntax {
	const char *line[2];                    /* line-comment tokens */
	const char *open[2], *close[2];         /* block-comment pairs */
	int block_at_line_start_only;           /* Python docstrings */
};

static const struct comment_syntax syn_none = { { NULL, NULL }, { NULL, NULL }, { NULL, NULL }, 0 };
static const struct comment_syntax syn_c = { { "//", NULL }, { "/*", NULL }, { "*/", NULL }, 0 };
static const struct comment_syntax syn_php = { { "//", "#" }, { "/*", NULL }, { "*/", NULL }, 0 };
static const struct comment_syntax syn_hash = { { "#", NULL }, { NULL, NULL }, { NULL, NULL }, 0 };
static const struct comment_syntax syn_python = { { "#", NULL }, { "\"\"\"", "'''" }, { "\"\"\"", "'''" }, 1 };
static const struct comment_syntax syn_ruby = { { "#", NULL }, { "=begin", NULL }, { "=end", NULL }, 1 };
static const struct comment_syntax syn_lua = { { "--", NULL }, { "--[[", NULL }, { "]]", NULL }, 0 };
static const struct comment_syntax syn_haskell = { { "--", NULL }, { "{-", NULL }, { "-}", NULL }, 0 };
static const struct comment_syntax syn_fsharp = { { "//", NULL }, { "(*", NULL }, { "*)", NULL }, 0 };
static const struct comment_syntax syn_erlang = { { "%", NULL }, { NULL, NULL }, { NULL, NULL }, 0 };
static const struct comment_syntax syn_clojure = { { ";", NULL }, { NULL, NULL }, { NULL, NULL }, 0 };
static const struct comment_syntax syn_julia = { { "#", NULL }, { "#=", NULL }, { "=#", NULL }, 0 };
static const struct comment_syntax syn_perl = { { "#", NULL }, { "=pod", "=head" }, { "=cut", "=cut" }, 1 };

static const struct comment_syntax *syntax_of(int lang)
{
	switch (lang) {
	case GIT_LANG_JAVA: case GIT_LANG_KOTLIN: case GIT_LANG_SCALA: case GIT_LANG_GROOVY:
	case GIT_LANG_JAVASCRIPT: case GIT_LANG_TYPESCRIPT: case GIT_LANG_GO: case GIT_LANG_RUST:
	case GIT_LANG_C: case GIT_LANG_CPP: case GIT_LANG_CSHARP: case GIT_LANG_SWIFT:
	case GIT_LANG_OBJC: case GIT_LANG_DART:
		return &syn_c;
	case GIT_LANG_PHP: return &syn_php;
	case GIT_LANG_PYTHON: return &syn_python;
	case GIT_LANG_RUBY: return &syn_ruby;
	case GIT_LANG_SHELL: case GIT_LANG_R: case GIT_LANG_ELIXIR: return &syn_hash;
	case GIT_LANG_PERL: return &syn_perl;
	case GIT_LANG_LUA: return &syn_lua;
	case GIT_LANG_HASKELL: return &syn_haskell;
	case GIT_LANG_FSHARP: return &syn_fsharp;
	case GIT_LANG_ERLANG: return &syn_erlang;
	case GIT_LANG_CLOJURE: return &syn_clojure;
	case GIT_LANG_JULIA: return &syn_julia;
	default: return &syn_none;
	}
}

static int starts(const char *p, const char *end, const char *tok)
{
	size_t n = strlen(tok);
	return (size_t)(end - p) >= n && memcmp(p, tok, n) == 0;
}

static const char *find_tok(const char *p, const char *end, const char *tok)
{
	size_t n = strlen(tok);
	if ((size_t)(end - p) < n)
		return NULL;
	return memmem(p, (size_t)(end - p), tok, n);
}

/* Which block opener (0/1) starts at p, or -1. Lua's "--[[" is tried before
 * its line comment "--" because it is listed as a block opener. */
static int block_open_at(const struct comment_syntax *cs, const char *p, const char *end)
{
	for (int i = 0; i < 2; i++)
		if (cs->open[i] && starts(p, end, cs->open[i]))
			return i;
	return -1;
}

static int line_comment_at(const struct comment_syntax *cs, const char *p, const char *end)
{
	for (int i = 0; i < 2; i++)
		if (cs->line[i] && starts(p, end, cs->line[i]))
			return 1;
	return 0;
}

/*
 * Classifies one line; *in_block carries the open block (opener index + 1, 0
 * when none) across lines. Returns 0 blank, 1 comment, 2 code.
 */
static int scan_line(const struct comment_syntax *cs, const char *p, const char *end, int *in_block)
{
	int has_code = 0, has_comment = 0, first = 1;
	while (p < end) {
		if (*in_block < 0) {
			/* inside a triple-quoted string that followed code: code */
			const char *close = cs->close[-*in_block - 1];
			const char *c = find_tok(p, end, close);
			if (!c)
				return 2;
			p = c + strlen(close);
			*in_block = 0;
			has_code = 1;
			first = 0;
			continue;
		}
		if (*in_block) {
			has_comment = 1;
			const char *close = cs->close[*in_block - 1];
			const char *c = find_tok(p, end, close);
			if (!c)
				return has_code ? 2 : 1;
			p = c + strlen(close);
			*in_block = 0;
			first = 0;
			continue;
		}
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\f' || *p == '\v') {
			p++;
			continue;
		}
		int b = block_open_at(cs, p, end);
		if (b >= 0 && cs->block_at_line_start_only && !(first && !has_code)) {
			if (strcmp(cs->open[b], cs->close[b]) == 0) {
				/* x = """...: a string, not a docstring */
				p += strlen(cs->open[b]);
				*in_block = -(b + 1);
				has_code = 1;
				continue;
			}
			b = -1;
		}
		if (b >= 0) {
			has_comment = 1;
			p += strlen(cs->open[b]);
			*in_block = b + 1;
			continue;
		}
		if (line_comment_at(cs, p, end))
			return has_code ? 2 : 1;
		has_code = 1;
		first = 0;
		p++;
	}
	if (has_code)
		return 2;
	return has_comment ? 1 : 0;
}

void git_classify_count_lines(struct git_line_counts *out, int lang, const char *data, size_t len)
{
	memset(out, 0, sizeof(*out));
	size_t probe = len < 8000 ? len : 8000;
	if (memchr(data, '\0', probe)) {
		out->binary = 1;
		return;
	}
	const struct comment_syntax *cs = syntax_of(lang);
	int in_block = 0;
	const char *p = data, *end = data + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		out->total++;
		switch (scan_line(cs, p, le, &in_block)) {
		case 0: out->blank++; break;
		case 1: out->comment++; break;
		default: out->code++; break;
		}
		p = nl ? nl + 1 : end;
	}
}
