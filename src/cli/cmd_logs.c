/*
 * `ciminer logs parse [--json] [--merge] FILE...`: the test results of build
 * logs, one per file (or one for all of them with --merge, as a build's log
 * features aggregate its jobs). Reads plain, .zst and .gz files and "-" for
 * standard input. Nothing is printed unless every file could be read, so a
 * script never gets half a report.
 */
#include "cli/cli.h"
#include "core/json.h"
#include "core/xalloc.h"
#include "logs/logs.h"
#include <stdio.h>
#include <string.h>

static const char usage[] =
	"Prints the tests a CI job log shows: frameworks, tests run/ok/failed/skipped,\n"
	"failed test names, test duration, the status the job ended with and the analyzer.\n"
	"FILE may be plain text, zstd (.zst) or gzip (.gz) compressed, or - for stdin.\n"
	"\n"
	"  --json   one JSON array on stdout, one object per file\n"
	"  --merge  one result for all files (a build's jobs): counts summed, frameworks united\n";

static void print_text(FILE *out, const char *file, const struct logs_result *r)
{
	fprintf(out, "%s:\n", file);
	fprintf(out, "  frameworks:   ");
	for (size_t i = 0; i < r->frameworks.n; i++)
		fprintf(out, "%s%s", i ? ", " : "", r->frameworks.v[i]);
	fprintf(out, "%s\n", r->frameworks.n ? "" : "(none)");
	if (!r->tests_recognised)
		fprintf(out, "  tests:        no tests recognised\n");
	else
		fprintf(out, "  tests:        %lld run, %lld ok, %lld failed, %lld skipped\n", r->tests_run, r->tests_ok,
			r->tests_failed, r->tests_skipped);
	if (r->failed_names.n) {
		fprintf(out, "  failed:       ");
		for (size_t i = 0; i < r->failed_names.n && i < 20; i++)
			fprintf(out, "%s%s", i ? "\n                " : "", r->failed_names.v[i]);
		if (r->failed_names.n > 20)
			fprintf(out, "\n                ... %zu more", r->failed_names.n - 20);
		fprintf(out, "\n");
	}
	if (r->test_duration_sec >= 0)
		fprintf(out, "  test time:    %.2f s\n", r->test_duration_sec);
	if (r->setup_time_sec >= 0)
		fprintf(out, "  setup time:   %.2f s\n", r->setup_time_sec);
	if (r->build_duration_sec >= 0)
		fprintf(out, "  build time:   %.2f s\n", r->build_duration_sec);
	fprintf(out, "  status:       %s\n", logs_status_name(r->status));
	fprintf(out, "  analyzer:     %s (%s log)\n", r->analyzer, r->provider);
}

static int logs_parse_cmd(struct cli_ctx *ctx, int argc, char **argv, struct err *e)
{
	int json = ctx->json, merge = 0;
	struct strvec files = STRVEC_INIT;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else if (strcmp(argv[i], "--merge") == 0)
			merge = 1;
		else if (argv[i][0] == '-' && argv[i][1] != 0) {
			strvec_clear(&files);
			return cli_unknown_option(e, "logs", "parse", argv[i]);
		} else
			strvec_push(&files, argv[i]);
	}
	if (files.n == 0)
		return err_set(e, ERR_USAGE, "logs parse: no log file given; usage: ciminer logs parse [--json] FILE...");
	struct logs_parser *p = logs_parser_new();
	struct logs_result *res = xcalloc(files.n, sizeof(*res));
	int rc = 0;
	for (size_t i = 0; i < files.n && rc == 0; i++) {
		logs_result_init(&res[i]);
		rc = logs_parser_parse_file(p, &res[i], files.v[i], e);
		if (rc == ERR_NOT_FOUND || rc == ERR_IO)
			rc = ERR_INPUT; /* the user's file: exit status 2 */
	}
	logs_parser_free(p);
	if (rc == 0 && merge) {
		for (size_t i = 1; i < files.n; i++)
			logs_result_merge(&res[0], &res[i]);
	}
	size_t shown = merge ? 1 : files.n;
	if (rc == 0 && json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < shown; i++) {
			json_t *o = logs_result_to_json(&res[i]);
			json_object_set_new(o, "file", json_string(merge ? "(merged)" : files.v[i]));
			json_array_append_new(arr, o);
		}
		char *s = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		puts(s);
		free(s);
		json_decref(arr);
	} else if (rc == 0) {
		for (size_t i = 0; i < shown; i++)
			print_text(stdout, merge ? "(merged)" : files.v[i], &res[i]);
	}
	for (size_t i = 0; i < files.n; i++)
		logs_result_release(&res[i]);
	free(res);
	strvec_clear(&files);
	return rc;
}

static int logs_run(struct cli_ctx *ctx, int argc, char **argv, struct err *e)
{
	return cli_dispatch(ctx, &cmd_logs, argc, argv, e);
}

static const struct cli_sub subs[] = {
	{ "parse", logs_parse_cmd, "[--json] [--merge] FILE...",
	  "the test results of CI job logs (plain, .zst, .gz or - for stdin)", "--json --merge" },
	{ NULL, NULL, NULL, NULL, NULL },
};

const struct cli_command cmd_logs = {
	.name = "logs",
	.summary = "test results of build logs (ciminer logs parse FILE...)",
	.usage = usage,
	.run = logs_run,
	.subs = subs,
};
