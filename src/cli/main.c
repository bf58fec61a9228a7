/*
 * ciminer's entry point: global options, the command table, exit status.
 * The only place in ciminer that calls exit (through returning from main).
 */
#include "cli/cli.h"
#include "core/log.h"
#include "core/suggest.h"
#include "core/xalloc.h"
#include "store/store.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An unknown command, or a misspelt global option standing where the command goes. */
static int unknown_command(const char *name, struct err *e)
{
	if (name[0] == '-')
		return cli_unknown_option(e, "ciminer", NULL, name);
	const char *names[40];
	size_t n = 0;
	for (; cli_commands[n] && n < 36; n++)
		names[n] = cli_commands[n]->name;
	names[n++] = "help";
	names[n++] = "completion";
	names[n++] = "version";
	const char *near = suggest_closest(name, names, n);
	if (near)
		err_set(e, ERR_USAGE, "unknown command '%s'; did you mean '%s'? run 'ciminer help' for the list", name, near);
	else
		err_set(e, ERR_USAGE, "unknown command '%s'; run 'ciminer help' for the list", name);
	return err_field(e, "command");
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
		if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
			ctx->quiet = 1;
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
			{
				err_set(e, ERR_USAGE, "%s needs a value", a);
				return err_field(e, a);
			}
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

/*
 * The one place an error reaches the user: "ciminer: MESSAGE" on stderr, or
 * with --json one JSON object {"error": {"code", "message", "field"}} (field
 * null when the error is not about one input field), so that a script reading
 * --json output never has to parse prose.
 */
static void report_error(const struct cli_ctx *ctx, int rc, const struct err *e)
{
	const char *msg = e->msg[0] ? e->msg : err_code_name(rc);
	if (!ctx->json) {
		fprintf(stderr, "ciminer: %s\n", msg);
		return;
	}
	json_t *o = json_pack("{s:{s:s, s:s, s:o}}", "error", "code", err_code_name(rc), "message", msg, "field",
			      e->field[0] ? json_string(e->field) : json_null());
	char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
	fprintf(stderr, "%s\n", text ? text : "{\"error\":{\"code\":\"internal\",\"message\":\"\",\"field\":null}}");
	free(text);
	json_decref(o);
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
		report_error(&ctx, n, &e);
		return 2;
	}
	argc = n;
	log_set_level(ctx.verbose >= 2 ? LOG_DEBUG : ctx.verbose == 1 ? LOG_INFO : LOG_WARN);
	const char *lvl = getenv("CIMINER_LOG");
	if (lvl && !ctx.verbose)
		log_set_level(strcmp(lvl, "debug") == 0 ? LOG_DEBUG : strcmp(lvl, "info") == 0 ? LOG_INFO : LOG_WARN);

	if (argc < 2) {
		cli_help_top(stderr);
		return 2;
	}
	const char *name = argv[1];
	int rc;
	const struct cli_command *cmd = cli_command_find(name);
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
		rc = cli_help(argc - 1, argv + 1, &e);
	} else if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
		if (ctx.json)
			printf("{\"version\":\"%s\"}\n", CIMINER_VERSION);
		else
			printf("ciminer %s\n", CIMINER_VERSION);
		rc = 0;
	} else if (strcmp(name, "completion") == 0) {
		rc = argc == 3 ? cli_completion(argv[2], stdout, &e)
			       : err_set(&e, ERR_USAGE, "usage: ciminer completion bash|zsh (prints the completion script)");
	} else if (strcmp(name, "man") == 0) {
		cli_man(stdout);
		rc = 0;
	} else if (!cmd) {
		rc = unknown_command(name, &e);
	} else if (argc > 2 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0)) {
		/* `ciminer CMD --help`; groups handle `ciminer CMD SUB --help` themselves. */
		cli_help_command(stdout, cmd);
		rc = 0;
	} else {
		rc = cmd->run(&ctx, argc - 1, argv + 1, &e);
	}
	if (ctx.store)
		store_close(ctx.store);
	free(ctx.own_db_url);
	if (rc < 0) {
		report_error(&ctx, rc, &e);
		return err_exit_status(rc);
	}
	return rc > 0 ? rc : 0;
}
