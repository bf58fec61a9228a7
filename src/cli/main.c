/*
 * ciminer's entry point: global options, the command table, exit status.
 * The only place in ciminer that calls exit (through returning from main).
 */
#include "cli/cli.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "store/store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct cli_command *const commands[] = {
	&cmd_init,
	&cmd_worker,
	&cmd_source,
	&cmd_scenario,
	&cmd_demo,
	&cmd_logs,
	&cmd_features,
	&cmd_generate_world,
};

static const char *usage_top =
	"usage: ciminer [--data-dir DIR] [--db URL] [--json] [-v] COMMAND [ARGS]\n"
	"\n"
	"Turns CI builds into machine-learning datasets for build-outcome prediction.\n"
	"\n"
	"Global options (accepted before or after the command):\n"
	"  --data-dir DIR  where the database, mirrors, logs and datasets live\n"
	"                  (default $CIMINER_DATA_DIR or ./ciminer-data)\n"
	"  --db URL        sqlite:///path/file.db or postgresql://user@host/db\n"
	"                  (default $CIMINER_DB or sqlite in the data dir)\n"
	"  --json          print one JSON document on stdout\n"
	"  -v, --verbose   more log output on stderr (repeat for debug)\n"
	"  --version       print the version\n"
	"\n"
	"Commands:\n";

static void print_usage(FILE *f)
{
	fputs(usage_top, f);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-16s %s\n", commands[i]->name, commands[i]->summary);
	fputs("\nRun 'ciminer COMMAND --help' for a command's options.\n"
	      "Exit status: 0 success, 1 the operation failed, 2 bad usage or input.\n", f);
}

/* Removes global options from argv in place; returns the new argc or ERR_USAGE. */
static int take_globals(struct cli_ctx *ctx, int argc, char **argv, struct err *e)
{
	int out = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **target = NULL;
		if (strcmp(a, "--") == 0) {
			while (i < argc)
				argv[out++] = argv[i++];
			break;
		}
		if (strcmp(a, "--json") == 0) {
			ctx->json = 1;
			continue;
		}
		if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
			ctx->verbose++;
			continue;
		}
		if (strcmp(a, "-vv") == 0) {
			ctx->verbose += 2;
			continue;
		}
		if (strcmp(a, "--data-dir") == 0)
			target = &ctx->data_dir;
		else if (strcmp(a, "--db") == 0)
			target = &ctx->db_url;
		if (target) {
			if (i + 1 >= argc)
				return err_set(e, ERR_USAGE, "%s needs a value", a);
			*target = argv[++i];
			continue;
		}
		if (strncmp(a, "--data-dir=", 11) == 0) {
			ctx->data_dir = a + 11;
			continue;
		}
		if (strncmp(a, "--db=", 5) == 0) {
			ctx->db_url = a + 5;
			continue;
		}
		argv[out++] = argv[i];
	}
	argv[out] = NULL;
	return out;
}

int main(int argc, char **argv)
{
	struct cli_ctx ctx = { 0 };
	struct err e = ERR_INIT;
	ctx.data_dir = getenv("CIMINER_DATA_DIR");
	if (!ctx.data_dir || !*ctx.data_dir)
		ctx.data_dir = "./ciminer-data";
	ctx.db_url = getenv("CIMINER_DB");
	if (ctx.db_url && !*ctx.db_url)
		ctx.db_url = NULL;

	int n = take_globals(&ctx, argc, argv, &e);
	if (n < 0) {
		fprintf(stderr, "ciminer: %s\n", e.msg);
		return 2;
	}
	argc = n;
	log_set_level(ctx.verbose >= 2 ? LOG_DEBUG : ctx.verbose == 1 ? LOG_INFO : LOG_WARN);
	const char *lvl = getenv("CIMINER_LOG");
	if (lvl && !ctx.verbose)
		log_set_level(strcmp(lvl, "debug") == 0 ? LOG_DEBUG : strcmp(lvl, "info") == 0 ? LOG_INFO : LOG_WARN);

	if (argc < 2) {
		print_usage(stderr);
		return 2;
	}
	const char *name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
		print_usage(stdout);
		return 0;
	}
	if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
		if (ctx.json)
			printf("{\"version\":\"%s\"}\n", CIMINER_VERSION);
		else
			printf("ciminer %s\n", CIMINER_VERSION);
		return 0;
	}
	const struct cli_command *cmd = NULL;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i]->name, name) == 0)
			cmd = commands[i];
	if (!cmd) {
		fprintf(stderr, "ciminer: unknown command '%s'; run 'ciminer --help' for the list\n", name);
		return 2;
	}
	int rc;
	/* `ciminer CMD --help`; groups handle `ciminer CMD SUB --help` themselves. */
	if (argc > 2 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0)) {
		fputs(cmd->usage, stdout);
		rc = 0;
	} else {
		rc = cmd->run(&ctx, argc - 1, argv + 1, &e);
	}
	if (ctx.store)
		store_close(ctx.store);
	if (rc < 0) {
		fprintf(stderr, "ciminer: %s\n", e.msg[0] ? e.msg : err_code_name(rc));
		return err_exit_status(rc);
	}
	return rc > 0 ? rc : 0;
}
