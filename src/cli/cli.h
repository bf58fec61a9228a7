/*
 * The command line: one file per command group (cmd_<group>.c), each exporting
 * one const struct cli_command, all listed in the commands[] table of main.c
 * (the git/tmux pattern; docs/architecture.md, Conventions: tables).
 *
 * main() strips the global options (--data-dir, --db, --json, -v/--verbose),
 * wherever they stand, into struct cli_ctx; the handler gets the command's own
 * arguments with argv[0] the command name. A handler returns 0 or a negative
 * ERR_* code with e filled; main prints "ciminer: <message>" on stderr and
 * exits with err_exit_status(): 2 for ERR_USAGE/ERR_INPUT, 1 otherwise.
 */
#ifndef CLI_CLI_H
#define CLI_CLI_H
#include "core/err.h"
#include <stdint.h>
#include <stdio.h>

struct store;

struct cli_ctx {
	const char *data_dir; /* --data-dir, CIMINER_DATA_DIR, ./ciminer-data */
	const char *db_url;   /* --db, CIMINER_DB, or NULL: sqlite in data_dir */
	int json;             /* --json: one JSON document on stdout */
	int verbose;          /* -v count */
	int quiet;            /* --quiet, -q: no progress on stderr */
	struct store *store;  /* opened on demand by cli_store() */
	char *own_db_url;     /* cli_store()'s default URL when db_url was NULL; main frees it */
};

/* A sub-command inside a group: one table row drives dispatch, help, suggestions, completion and the man page. */
struct cli_sub {
	const char *name;
	int (*run)(struct cli_ctx *ctx, int argc, char **argv, struct err *e);
	const char *args;    /* synopsis after "ciminer GROUP NAME": "ID [--wait]" */
	const char *summary; /* one line */
	const char *options; /* its long options, space-separated; "=" marks one that takes a value: "--wait --limit=" */
};

struct cli_command {
	const char *name;
	const char *summary; /* one line for `ciminer --help` */
	/* A single command: its full help. A group: the description printed after
	 * the synopsis generated from subs. */
	const char *usage;
	int (*run)(struct cli_ctx *ctx, int argc, char **argv, struct err *e);
	const struct cli_sub *subs; /* a group's sub-commands, NULL-terminated; NULL for a single command */
	const char *options;        /* a single command's long options (as cli_sub.options) */
};

/* The command table (commands.c), in the order `ciminer --help` lists them; NULL-terminated. */
extern const struct cli_command *const cli_commands[];
const struct cli_command *cli_command_find(const char *name);
const struct cli_sub *cli_sub_find(const struct cli_command *c, const char *name);

/* Help from the table: `ciminer help [CMD [SUB]]`, `CMD --help`, `CMD SUB --help`. */
void cli_help_top(FILE *f);
void cli_help_command(FILE *f, const struct cli_command *c);
void cli_help_sub(FILE *f, const struct cli_command *c, const struct cli_sub *s);
/* `ciminer help ...`: prints help for the named command or sub-command; ERR_USAGE for an unknown one. */
int cli_help(int argc, char **argv, struct err *e);
/* `ciminer completion bash|zsh`, `ciminer man`: generated from the table. */
int cli_completion(const char *shell, FILE *f, struct err *e);
void cli_man(FILE *f);

/* The global options, for suggestions and completion. */
extern const char cli_global_options[];

/*
 * An unknown option of `ciminer NAME [SUB]` (sub NULL for a single command):
 * ERR_USAGE naming it, with the closest option of that command when one is
 * close ("did you mean --wait?"); the error's field is the option.
 */
int cli_unknown_option(struct err *e, const char *name, const char *sub, const char *opt);

/* Opens (once) the database of ctx, creating the data dir and migrating. Borrowed. */
int cli_store(struct cli_ctx *ctx, struct store **out, struct err *e);
/*
 * For read-only commands: opens the database without creating anything; with
 * the default SQLite database, a data dir without one is ERR_USAGE ("no
 * ciminer data in DIR; run 'ciminer init' or pass --data-dir"). Borrowed.
 */
int cli_store_existing(struct cli_ctx *ctx, struct store **out, struct err *e);
/* 1 when argv holds -h or --help (then the handler prints usage and returns 0). */
int cli_wants_help(int argc, char **argv);

/* Parses a positive id argument ("source id"); ERR_USAGE naming the value otherwise. */
int cli_parse_id(const char *arg, const char *what, int64_t *out, struct err *e);
/*
 * Parses a whole number from lo to hi given to option opt, checked for
 * overflow before any narrowing (4294967298 is not 2); ERR_USAGE naming the
 * option and the value otherwise.
 */
int cli_parse_num(const char *opt, const char *v, long long lo, long long hi, long long *out, struct err *e);
/* Parses --limit's value, a positive whole number; ERR_USAGE naming the value otherwise. */
int cli_parse_limit(const char *arg, long *out, struct err *e);

/* Runs the sub-command argv[1] of group c (its table c->subs); help comes from the table. */
int cli_dispatch(struct cli_ctx *ctx, const struct cli_command *c, int argc, char **argv, struct err *e);

extern const struct cli_command cmd_init;
extern const struct cli_command cmd_worker;
extern const struct cli_command cmd_logs;
extern const struct cli_command cmd_source;
extern const struct cli_command cmd_scenario;
extern const struct cli_command cmd_features;
extern const struct cli_command cmd_demo;
extern const struct cli_command cmd_generate_world;

#endif
