/*
 * The command line: one file per command group (cmd_<group>.c), each exporting
 * one const struct cli_command, all listed in the commands[] table of main.c
 * (the git/tmux pattern, STYLE.md §1).
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

struct store;

struct cli_ctx {
	const char *data_dir; /* --data-dir, CIMINER_DATA_DIR, ./ciminer-data */
	const char *db_url;   /* --db, CIMINER_DB, or NULL: sqlite in data_dir */
	int json;             /* --json: one JSON document on stdout */
	int verbose;          /* -v count */
	struct store *store;  /* opened on demand by cli_store() */
};

struct cli_command {
	const char *name;
	const char *summary; /* one line for `ciminer --help` */
	const char *usage;   /* full help text for `ciminer NAME --help` */
	int (*run)(struct cli_ctx *ctx, int argc, char **argv, struct err *e);
};

/* Opens (once) the database of ctx, creating the data dir and migrating. Borrowed. */
int cli_store(struct cli_ctx *ctx, struct store **out, struct err *e);
/* 1 when argv holds -h or --help (then the handler prints usage and returns 0). */
int cli_wants_help(int argc, char **argv);
/* Reports an unknown sub-command of group as ERR_USAGE. */
int cli_unknown(const char *group, const char *sub, const char *usage, struct err *e);

/* Parses a positive id argument ("source id"); ERR_USAGE naming the value otherwise. */
int cli_parse_id(const char *arg, const char *what, int64_t *out, struct err *e);
/* Parses --limit's value, a positive whole number; ERR_USAGE naming the value otherwise. */
int cli_parse_limit(const char *arg, long *out, struct err *e);

/* A sub-command table inside a group. */
struct cli_sub {
	const char *name;
	int (*run)(struct cli_ctx *ctx, int argc, char **argv, struct err *e);
};
/* Runs the sub-command argv[1] of group from table subs; usage is printed for help. */
int cli_dispatch(struct cli_ctx *ctx, const char *group, const char *usage, const struct cli_sub *subs,
		 int argc, char **argv, struct err *e);

extern const struct cli_command cmd_init;
extern const struct cli_command cmd_worker;
extern const struct cli_command cmd_logs;
extern const struct cli_command cmd_source;
extern const struct cli_command cmd_scenario;
extern const struct cli_command cmd_features;
extern const struct cli_command cmd_demo;
extern const struct cli_command cmd_generate_world;

#endif
