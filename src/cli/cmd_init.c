/* `ciminer init`: creates the data dir and the database, migrated to the latest schema. */
#include "cli/cli.h"
#include "cli/output.h"
#include "core/redact.h"
#include "store/store.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static const char usage[] =
	"usage: ciminer init\n"
	"\n"
	"Creates the data dir and its database (or migrates an existing one to this\n"
	"version's schema) and prints where they are. Safe to run again.\n";

static int run(struct cli_ctx *ctx, int argc, char **argv, struct err *e)
{
	if (argc > 1)
		return err_set(e, ERR_USAGE, "'init' takes no argument, got '%s'", argv[1]);
	struct store *s;
	int rc = cli_store(ctx, &s, e);
	if (rc < 0)
		return rc;
	int version = 0;
	if ((rc = store_schema_version(s, &version, e)) < 0)
		return rc;
	char *shown = redact_secrets(store_url(s)); /* the URL's password never reaches a terminal or a CI log */
	if (ctx->json) {
		json_t *doc = json_pack("{s:s, s:s, s:i}", "data_dir", ctx->data_dir, "db", shown, "schema_version",
					version);
		out_print_json(doc);
		json_decref(doc);
	} else {
		printf("data dir: %s\ndatabase: %s (schema %d)\n", ctx->data_dir, shown, version);
	}
	free(shown);
	return 0;
}

const struct cli_command cmd_init = { "init", "create the data dir and database", usage, run, NULL, "" };
