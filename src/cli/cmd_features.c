/*
 * `ciminer features [--json | --dot | --markdown]`: prints the feature
 * catalogue — a table by default, JSON for scripts, a Graphviz DOT graph of
 * the feature DAG, or the Markdown page committed as docs/features.md (which
 * tests/features/test_docs_fresh.sh compares with this output).
 */
#include "cli/cli.h"
#include "core/xalloc.h"
#include "features/engine.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: ciminer features [--json | --dot | --markdown]\n"
	"\n"
	"Prints the feature catalogue: every feature's name, type, availability\n"
	"(pre_build, post_build, label), family and description.\n"
	"\n"
	"  --json      one JSON document: features (with aliases, TravisTorrent names, inputs) and nodes\n"
	"  --dot       the feature DAG for Graphviz (ciminer features --dot | dot -Tsvg > dag.svg)\n"
	"  --markdown  the catalogue page (docs/features.md is generated with this)\n";

static int features_run(struct cli_ctx *ctx, int argc, char **argv, struct err *e)
{
	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return 0;
	}
	enum { TABLE, JSON, DOT, MARKDOWN } mode = ctx->json ? JSON : TABLE;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			mode = JSON;
		else if (!strcmp(argv[i], "--dot"))
			mode = DOT;
		else if (!strcmp(argv[i], "--markdown"))
			mode = MARKDOWN;
		else if (argv[i][0] == '-')
			return cli_unknown_option(e, "features", NULL, argv[i]);
		else
			return err_set(e, ERR_USAGE, "features: unexpected argument '%s'; see 'ciminer help features'",
				       argv[i]);
	}
	const struct feat_catalogue *cat = feat_catalogue_default();
	int rc = feat_catalogue_check(cat, e);
	if (rc)
		return rc;
	struct buf out = BUF_INIT;
	if (mode == JSON) {
		json_t *j = feat_catalogue_json(cat);
		char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		buf_addstr(&out, s);
		buf_addch(&out, '\n');
		free(s);
		json_decref(j);
	} else if (mode == DOT) {
		feat_print_dot(&out, cat);
	} else if (mode == MARKDOWN) {
		feat_print_markdown(&out, cat);
	} else {
		feat_print_table(&out, cat);
	}
	fwrite(buf_cstr(&out), 1, out.len, stdout);
	buf_release(&out);
	return 0;
}

const struct cli_command cmd_features = {
	.name = "features",
	.summary = "print the feature catalogue (table, --json, --dot, --markdown)",
	.usage = usage,
	.run = features_run,
	.options = "--json --dot --markdown",
};
