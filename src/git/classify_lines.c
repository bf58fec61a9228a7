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

/* First occurrence of tok in [p, end), or NULL: memchr on its first byte. */
static const char *find_tok(const char *p, const char *end, const char *tok)
{
	size_t n = strlen(tok);
	while (p < end) {
		const char *c = memchr(p, tok[0], (size_t)(end - p));
		if (!c || (size_t)(end - c) < n)
			return NULL;
		if (memcmp(c, tok, n) == 0)
			return c;
		p = c + 1;
	}
	return NULL;
}

/* Which block opener (0/1) starts at p, or -1. Lua's "--[[" is tried before
 * its line comment "--" because openers are checked first. */
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

/* After code on a line only a block opener changes anything (a comment or
 * string that runs into later lines), unless a line comment comes first.
 * Returns the earliest opener's position and index in *which, or NULL. */
static const char *next_opener(const struct comment_syntax *cs, const char *p, const char *end, int *which)
{
	const char *best = NULL;
	for (int i = 0; i < 2; i++) {
		const char *c = cs->open[i] ? find_tok(p, best ? best : end, cs->open[i]) : NULL;
		if (c && (!best || c < best)) {
			best = c;
			*which = i;
		}
	}
	if (!best)
		return NULL;
	for (int i = 0; i < 2; i++) {
		const char *c = cs->line[i] ? find_tok(p, best, cs->line[i]) : NULL;
		/* "--" is a prefix of Lua's "--[[": an opener at the same place wins */
		if (c && c < best)
			return NULL;
	}
	return best;
}

/*
 * Classifies one line; *in_block carries what is open across lines: 0
 * nothing, k > 0 block comment k-1, k < 0 a triple-quoted string (-k-1).
 * Returns 0 blank, 1 comment, 2 code.
 */
static int scan_line(const struct comment_syntax *cs, const char *p, const char *end, int *in_block)
{
	int has_code = 0, has_comment = 0, at_start = 1;
	while (p < end) {
		if (*in_block) {
			int k = *in_block > 0 ? *in_block - 1 : -*in_block - 1;
			const char *close = cs->close[k];
			const char *c = find_tok(p, end, close);
			if (*in_block > 0)
				has_comment = 1;
			else
				has_code = 1; /* inside a string that followed code */
			if (!c)
				return has_code ? 2 : 1;
			p = c + strlen(close);
			*in_block = 0;
			at_start = 0;
			continue;
		}
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\f' || *p == '\v'))
			p++;
		if (p == end)
			break;
		if (!has_code) {
			int b = block_open_at(cs, p, end);
			if (b >= 0 && (!cs->block_at_line_start_only || at_start)) {
				has_comment = 1;
				p += strlen(cs->open[b]);
				*in_block = b + 1;
				continue;
			}
			if (line_comment_at(cs, p, end))
				return 1;
			has_code = 1;
			at_start = 0;
		}
		int which = 0;
		const char *o = next_opener(cs, p, end, &which);
		if (!o)
			return 2;
		p = o + strlen(cs->open[which]);
		if (!cs->block_at_line_start_only)
			*in_block = which + 1;
		else if (strcmp(cs->open[which], cs->close[which]) == 0)
			*in_block = -(which + 1); /* x = """...: a string, not a docstring */
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
