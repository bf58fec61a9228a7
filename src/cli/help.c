/*
 * Help, suggestions, completion scripts and the man page, all generated from
 * the command table (commands.c) and each group's sub-command table.
 */
#include "cli/cli.h"
#include "ci/provider.h"
#include "core/buf.h"
#include "core/suggest.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * A usage text with "@providers@" replaced by the provider kinds of the
 * registration table (ci/provider.h), so that help and the man page never
 * list them by hand. Caller frees.
 */
static char *expand(const char *text)
{
	static const char mark[] = "@providers@";
	struct buf b = BUF_INIT;
	const char *p = text, *at;
	while ((at = strstr(p, mark)) != NULL) {
		buf_add(&b, p, (size_t)(at - p));
		char *kinds = ci_kinds_join(", ", " or ");
		buf_addstr(&b, kinds);
		free(kinds);
		p = at + sizeof(mark) - 1;
	}
	buf_addstr(&b, p);
	return buf_detach(&b, NULL);
}

static void put_usage(FILE *f, const char *text, void (*put)(FILE *f, const char *s))
{
	char *t = expand(text);
	put(f, t);
	free(t);
}

static void put_plain(FILE *f, const char *s)
{
	fputs(s, f);
}

static const char top_intro[] =
	"usage: ciminer [--data-dir DIR] [--db URL] [--json] [-v] [-q] COMMAND [ARGS]\n"
	"\n"
	"Turns CI builds into machine-learning datasets for build-outcome prediction.\n"
	"\n"
	"Global options (accepted before or after the command):\n"
	"  --data-dir DIR  where the database, mirrors, logs and datasets live\n"
	"                  (default $CIMINER_DATA_DIR or ./ciminer-data)\n"
	"  --db URL        sqlite:///path/file.db or postgresql://user@host/db\n"
	"                  (default $CIMINER_DB or sqlite in the data dir)\n"
	"  --json          print one JSON document on stdout; errors as one JSON\n"
	"                  object on stderr: {\"error\": {\"code\", \"message\", \"field\"}}\n"
	"  -v, --verbose   more log output on stderr (repeat for debug)\n"
	"  -q, --quiet     no progress bars or progress lines on stderr\n"
	"  --version       print the version\n";

static const char top_outro[] =
	"\n"
	"Run 'ciminer help COMMAND' (or 'ciminer COMMAND --help') for a command,\n"
	"'ciminer help COMMAND SUB' for a sub-command.\n"
	"Exit status: 0 the operation completed; 1 it ran and failed or left rows\n"
	"pending (the cause on stderr); 2 bad usage or input (nothing written).\n";

void cli_help_top(FILE *f)
{
	fputs(top_intro, f);
	fputs("\nCommands:\n", f);
	for (size_t i = 0; cli_commands[i]; i++)
		fprintf(f, "  %-16s %s\n", cli_commands[i]->name, cli_commands[i]->summary);
	fputs(top_outro, f);
}

void cli_help_command(FILE *f, const struct cli_command *c)
{
	if (!c->subs) {
		put_usage(f, c->usage, put_plain);
		return;
	}
	for (const struct cli_sub *s = c->subs; s->name; s++)
		fprintf(f, "%s ciminer %s %s%s%s\n", s == c->subs ? "usage:" : "      ", c->name, s->name,
			s->args && *s->args ? " " : "", s->args ? s->args : "");
	fputs("\n", f);
	for (const struct cli_sub *s = c->subs; s->name; s++)
		fprintf(f, "  %-17s %s\n", s->name, s->summary);
	if (c->usage && *c->usage) {
		fputs("\n", f);
		put_usage(f, c->usage, put_plain);
	}
}

void cli_help_sub(FILE *f, const struct cli_command *c, const struct cli_sub *s)
{
	fprintf(f, "usage: ciminer %s %s%s%s\n\n%s\n", c->name, s->name, s->args && *s->args ? " " : "",
		s->args ? s->args : "", s->summary);
	if (s->options && *s->options)
		fprintf(f, "\nOptions: %s\n", s->options);
	fprintf(f, "\nSee 'ciminer help %s' for the whole group.\n", c->name);
}

int cli_help(int argc, char **argv, struct err *e)
{
	if (argc < 2) {
		cli_help_top(stdout);
		return 0;
	}
	const struct cli_command *c = cli_command_find(argv[1]);
	if (!c) {
		const char *names[32];
		size_t n = 0;
		for (; cli_commands[n] && n < 32; n++)
			names[n] = cli_commands[n]->name;
		const char *near = suggest_closest(argv[1], names, n);
		err_set(e, ERR_USAGE, "no help for '%s': not a command%s%s%s; run 'ciminer help' for the list", argv[1],
			near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
		return err_field(e, "command");
	}
	if (argc < 3 || !c->subs) {
		cli_help_command(stdout, c);
		return 0;
	}
	const struct cli_sub *s = cli_sub_find(c, argv[2]);
	if (!s) {
		err_set(e, ERR_USAGE, "no help for '%s %s': '%s' has no such sub-command; run 'ciminer help %s'", argv[1],
			argv[2], argv[1], argv[1]);
		return err_field(e, "command");
	}
	cli_help_sub(stdout, c, s);
	return 0;
}

/* The words of an options list, without their "=" marks, into v (at most max). */
static size_t option_words(const char *list, char words[][40], size_t max)
{
	size_t n = 0;
	while (list && *list && n < max) {
		while (*list == ' ')
			list++;
		size_t k = strcspn(list, " =");
		if (k == 0)
			break;
		snprintf(words[n++], 40, "%.*s", (int)(k < 39 ? k : 39), list);
		list += k;
		while (*list && *list != ' ')
			list++;
	}
	return n;
}

int cli_unknown_option(struct err *e, const char *name, const char *sub, const char *opt)
{
	const struct cli_command *c = cli_command_find(name);
	const struct cli_sub *s = c && sub ? cli_sub_find(c, sub) : NULL;
	char words[64][40];
	const char *ptr[64];
	size_t n = option_words(s ? s->options : c ? c->options : NULL, words, 48);
	n += option_words(cli_global_options, words + n, 64 - n);
	for (size_t i = 0; i < n; i++)
		ptr[i] = words[i];
	/* "--name=value" is judged by its name. */
	char typed[40];
	snprintf(typed, sizeof(typed), "%.*s", (int)strcspn(opt, "="), opt);
	const char *near = suggest_closest(typed, ptr, n);
	char where[96], help[128];
	snprintf(where, sizeof(where), "%s%s%s", name, sub ? " " : "", sub ? sub : "");
	snprintf(help, sizeof(help), "ciminer help%s%s", c ? " " : "", c ? where : "");
	if (near)
		err_set(e, ERR_USAGE, "unknown option '%s' for %s; did you mean %s? run '%s'", opt, where, near, help);
	else
		err_set(e, ERR_USAGE, "unknown option '%s' for %s; run '%s'", opt, where, help);
	return err_field(e, opt);
}

/* ---- completion ---- */

static void words_of(struct buf *b, const char *options)
{
	char w[64][40];
	size_t n = option_words(options, w, 64);
	for (size_t i = 0; i < n; i++)
		buf_addf(b, "%s%s", b->len ? " " : "", w[i]);
}

int cli_completion(const char *shell, FILE *f, struct err *e)
{
	int bash = shell && strcmp(shell, "bash") == 0, zsh = shell && strcmp(shell, "zsh") == 0;
	if (!bash && !zsh) {
		err_set(e, ERR_USAGE, "completion for '%s': ciminer writes bash or zsh completion ('ciminer completion bash')",
			shell ? shell : "");
		return err_field(e, "shell");
	}
	if (zsh)
		fputs("#compdef ciminer\n# zsh: uses the bash completion through bashcompinit.\n"
		      "autoload -U +X bashcompinit && bashcompinit\n", f);
	fputs("# ciminer completion, generated from its command table ('ciminer completion bash').\n"
	      "_ciminer() {\n"
	      "  local cur=${COMP_WORDS[COMP_CWORD]} cmd= sub= i w\n"
	      "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
	      "    w=${COMP_WORDS[i]}\n"
	      "    case $w in --data-dir|--db) ((i++)); continue ;; -*) continue ;; esac\n"
	      "    if [ -z \"$cmd\" ]; then cmd=$w; elif [ -z \"$sub\" ]; then sub=$w; fi\n"
	      "  done\n"
	      "  local words\n"
	      "  case \"$cmd\" in\n", f);
	struct buf names = BUF_INIT;
	for (size_t i = 0; cli_commands[i]; i++) {
		const struct cli_command *c = cli_commands[i];
		buf_addf(&names, "%s%s", names.len ? " " : "", c->name);
		struct buf b = BUF_INIT;
		fprintf(f, "  %s)\n", c->name);
		if (c->subs) {
			for (const struct cli_sub *s = c->subs; s->name; s++)
				buf_addf(&b, "%s%s", b.len ? " " : "", s->name);
			fprintf(f, "    if [ -z \"$sub\" ]; then words=\"%s\"; else case \"$sub\" in\n", buf_cstr(&b));
			for (const struct cli_sub *s = c->subs; s->name; s++) {
				struct buf o = BUF_INIT;
				words_of(&o, s->options);
				fprintf(f, "      %s) words=\"%s\" ;;\n", s->name, buf_cstr(&o));
				buf_release(&o);
			}
			fputs("    esac; fi ;;\n", f);
		} else {
			words_of(&b, c->options);
			fprintf(f, "    words=\"%s\" ;;\n", buf_cstr(&b));
		}
		buf_release(&b);
	}
	struct buf g = BUF_INIT;
	words_of(&g, cli_global_options);
	fprintf(f, "  *) words=\"%s help completion\" ;;\n  esac\n", buf_cstr(&names));
	fprintf(f, "  case $cur in -*) words=\"$words %s\" ;; esac\n", buf_cstr(&g));
	fputs("  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
	      "  [ ${#COMPREPLY[@]} -eq 0 ] && COMPREPLY=($(compgen -f -- \"$cur\"))\n"
	      "  return 0\n"
	      "}\n"
	      "complete -F _ciminer ciminer\n", f);
	buf_release(&g);
	buf_release(&names);
	return 0;
}

/* ---- man page ---- */

/* Text with roff's special characters escaped; a line never starts with '.' or '\''. */
static void roff(FILE *f, const char *s)
{
	int bol = 1;
	for (; *s; s++) {
		if (bol && (*s == '.' || *s == '\''))
			fputs("\\&", f);
		if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '-')
			fputs("\\-", f);
		else
			fputc(*s, f);
		bol = *s == '\n';
	}
}

void cli_man(FILE *f)
{
	fputs(".TH CIMINER 1 \"\" \"ciminer " CIMINER_VERSION "\" \"User Commands\"\n"
	      ".\\\" Generated by 'ciminer man' from the command table (src/cli/commands.c); do not edit.\n"
	      ".SH NAME\nciminer \\- turn CI builds into machine-learning datasets\n"
	      ".SH SYNOPSIS\n.B ciminer\n[\\-\\-data\\-dir DIR] [\\-\\-db URL] [\\-\\-json] [\\-v] [\\-q] COMMAND [ARGS]\n"
	      ".SH DESCRIPTION\n.nf\n", f);
	roff(f, top_intro);
	fputs(".fi\n.SH COMMANDS\n", f);
	for (size_t i = 0; cli_commands[i]; i++) {
		const struct cli_command *c = cli_commands[i];
		fputs(".SS ", f);
		roff(f, c->name);
		fputs("\n", f);
		roff(f, c->summary);
		fputs("\n.PP\n.nf\n", f);
		if (c->subs) {
			for (const struct cli_sub *s = c->subs; s->name; s++) {
				char line[512];
				snprintf(line, sizeof(line), "ciminer %s %s%s%s\n    %s\n", c->name, s->name,
					 s->args && *s->args ? " " : "", s->args ? s->args : "", s->summary);
				roff(f, line);
			}
			if (c->usage && *c->usage) {
				fputs("\n", f);
				put_usage(f, c->usage, roff);
			}
		} else {
			put_usage(f, c->usage, roff);
		}
		fputs(".fi\n", f);
	}
	fputs(".SH EXIT STATUS\n0 the operation completed; 1 it ran and failed or left rows pending, with the cause on"
	      " stderr; 2 bad usage or bad input, with nothing written.\n"
	      ".SH ENVIRONMENT\nCIMINER_DATA_DIR, CIMINER_DB, CIMINER_WORKERS, CIMINER_GIT_URL; the providers':\n", f);
	/* Each provider's variables from the registration table (ci/provider.h). */
	for (size_t i = 0; i < ci_nkinds; i++) {
		char line[256];
		snprintf(line, sizeof(line), "%s: %s%s\n", ci_kinds[i].kind, ci_kinds[i].env, i + 1 < ci_nkinds ? ";" : ".");
		roff(f, line);
	}
}
