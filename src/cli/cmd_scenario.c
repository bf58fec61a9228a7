/* `ciminer scenario ...`: training scenarios, Phases 1-3. */
#include "cli/cli.h"
#include "cli/output.h"
#include "cli/scenario_phases.h"
#include "cli/wait.h"
#include "core/json.h"
#include "core/xalloc.h"
#include "pipeline/scenario.h"
#include "pipeline/scenario_config.h"
#include "store/store.h"
#include "store/scenarios.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"A scenario file (JSON or YAML) has name, description, version and the sections\n"
	"data_source_config, feature_config, splitting_config, preprocessing_config and\n"
	"output_config (README.md explains every key). Validation is strict: unknown keys,\n"
	"wrong types and impossible values are refused with the JSON path of the problem.\n"
	"--wait runs the phase's jobs in this process with a progress bar; without it,\n"
	"'ciminer worker' (or 'ciminer serve') runs them. A phase command run again while\n"
	"its phase is running (after a crash, or from a second terminal) attaches to it:\n"
	"with --wait it runs what is pending until the phase ends; 'watch' follows it.\n";

static int load_config(const char *path, json_t **out, struct err *e)
{
	return scenario_config_load(out, path, scenario_features_check, e);
}

static int cmd_create(struct cli_ctx *ctx, int argc, char **argv, struct err *e)
{
	if (argc != 2)
		return err_set(e, ERR_USAGE, "scenario create takes one scenario file");
	json_t *cfg = NULL;
	struct store *s;
	int64_t id = 0;
	int rc = load_config(argv[1], &cfg, e);
	if (rc == 0)
		rc = cli_store(ctx, &s, e);
	if (rc == 0)
		rc = scenarios_create(s, cfg, &id, e);
	json_decref(cfg);
	if (rc < 0)
		return rc;
	if (ctx->json) {
		json_t *o = scenarios_load(s, id, e);
		out_print_json(o);
		json_decref(o);
	} else {
		printf("%lld\n", (long long)id);
	}
	return 0;
}

static int cmd_preview(struct cli_ctx *ctx, int argc, char **argv, struct err *e)
{
	if (argc != 2)
		return err_set(e, ERR_USAGE, "scenario preview takes one scenario file");
	json_t *cfg = NULL;
	struct store *s;
	int rc = load_config(argv[1], &cfg, e);
	if (rc == 0)
		rc = cli_store_existing(ctx, &s, e);
	json_t *pv = rc == 0 ? scenario_preview(s, cfg, e) : NULL;
	json_decref(cfg);
	if (!pv)
		return rc < 0 ? rc : e->code;
	if (ctx->json) {
		out_print_json(pv);
	} else {
		printf("builds:       %lld in %lld repositories\n", (long long)json_integer_value(json_object_get(pv, "total_builds")),
		       (long long)json_integer_value(json_object_get(pv, "repositories")));
		printf("success:      %lld (%.1f%%)\n", (long long)json_integer_value(json_object_get(pv, "success")),
		       json_real_value(json_object_get(pv, "success_pct")));
		printf("failure:      %lld (%.1f%%)\n", (long long)json_integer_value(json_object_get(pv, "failure")),
		       json_real_value(json_object_get(pv, "failure_pct")));
		printf("date span:    %s .. %s\n", core_json_str(pv, "date_start", "-"), core_json_str(pv, "date_end", "-"));
		static const struct out_col cols[] = { { "repo_name", 's' }, { "ci_provider", 's' }, { "builds", 'i' },
						       { "success", 'i' }, { "failure", 'i' } };
		out_print_table(json_object_get(pv, "per_repository"), cols, 5);
	}
	json_decref(pv);
	return 0;
}

static int cmd_list(struct cli_ctx *ctx, int argc, char **argv, struct err *e)
{
	if (argc > 1)
		return err_set(e, ERR_USAGE, "scenario list takes no argument, got '%s'", argv[1]);
	static const struct out_col cols[] = { { "id", 'i' },
					       { "name", 's' },
					       { "status", 's' },
					       { "builds_total", 'i' },
					       { "builds_ingested", 'i' },
					       { "builds_missing_resource", 'i' },
					       { "builds_failed", 'i' },
					       { "builds_processed", 'i' },
					       { "created_at", 't' } };
	struct store *s;
	int rc = cli_store_existing(ctx, &s, e);
	if (rc < 0)
		return rc;
	struct store_page pg = STORE_PAGE_INIT;
	struct store_cursor *c;
	rc = scenarios_list(s, &c, &pg, e);
	return rc < 0 ? rc : out_cursor(c, ctx->json, cols, 9, 0, e);
}

int scenario_cli_id(int argc, char **argv, const char *sub, int64_t *id, int *wait, struct err *e)
{
	int have = 0;
	*wait = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--wait") == 0)
			*wait = 1;
		else if (argv[i][0] == '-' && argv[i][1])
			return cli_unknown_option(e, "scenario", sub, argv[i]);
		else if (have)
			return err_set(e, ERR_USAGE, "unexpected argument '%s' for scenario %s", argv[i], sub);
		else if (cli_parse_id(argv[i], "scenario", id, e) < 0)
			return ERR_USAGE;
		else
			have = 1;
	}
	if (!have)
		return err_set(e, ERR_USAGE, "scenario %s needs a scenario id", sub);
	return 0;
}

int scenario_cli_open(struct cli_ctx *ctx, int argc, char **argv, const char *sub, int64_t *id, int *wait,
		      struct store **s, struct err *e)
{
	int rc = scenario_cli_id(argc, argv, sub, id, wait, e);
	return rc < 0 ? rc : cli_store_existing(ctx, s, e);
}

static int cmd_show(struct cli_ctx *ctx, int argc, char **argv, struct err *e)
{
	int64_t id;
	int wait;
	struct store *s;
	int rc = scenario_cli_id(argc, argv, "show", &id, &wait, e);
	if (rc == 0 && wait)
		rc = err_set(e, ERR_USAGE, "scenario show takes no --wait");
	if (rc == 0)
		rc = cli_store_existing(ctx, &s, e);
	if (rc < 0)
		return rc;
	json_t *o = scenarios_load(s, id, e);
	if (!o)
		return e->code;
	out_print_doc(ctx->json, o);
	json_decref(o);
	return 0;
}

static int cmd_delete(struct cli_ctx *ctx, int argc, char **argv, struct err *e)
{
	int64_t id;
	int wait;
	struct store *s;
	int rc = scenario_cli_open(ctx, argc, argv, "delete", &id, &wait, &s, e);
	if (rc == 0)
		rc = scenario_delete(s, ctx->data_dir, id, e);
	if (rc < 0)
		return rc;
	if (ctx->json)
		printf("{\"deleted\":%lld}\n", (long long)id);
	else
		printf("deleted scenario %lld and its files (warehouse rows kept)\n", (long long)id);
	return 0;
}

static int cmd_builds(struct cli_ctx *ctx, int argc, char **argv, struct err *e)
{
	static const struct option opts[] = { { "phase", 1, 0, 'p' }, { "status", 1, 0, 's' }, { "limit", 1, 0, 'l' },
					      { 0, 0, 0, 0 } };
	const char *phase = NULL, *status = NULL;
	long limit = -1;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'p')
			phase = optarg;
		else if (c == 's')
			status = optarg;
		else if (c == 'l') {
			if (cli_parse_limit(optarg, &limit, e) < 0)
				return ERR_USAGE;
		} else
			return cli_unknown_option(e, "scenario", "builds", argv[optind - 1]);
	}
	if (!phase || (strcmp(phase, "ingestion") != 0 && strcmp(phase, "enrichment") != 0))
		return err_set(e, ERR_USAGE, "scenario builds needs --phase ingestion or --phase enrichment");
	if (optind != argc - 1)
		return err_set(e, ERR_USAGE, "scenario builds needs one scenario id");
	int64_t id;
	struct store *s;
	int rc = cli_parse_id(argv[optind], "scenario", &id, e);
	if (rc == 0)
		rc = cli_store_existing(ctx, &s, e);
	if (rc < 0)
		return rc;
	if ((rc = scenarios_check_exists(s, id, e)) < 0)
		return rc;
	return scenario_cli_builds(ctx, s, id, phase, status, limit, e);
}

static const struct cli_sub subs[] = {
	{ "create", cmd_create, "FILE.(json|yaml)", "create a scenario from a file; prints the new scenario's id", "" },
	{ "preview", cmd_preview, "FILE.(json|yaml)", "counts of the warehouse builds a scenario file matches", "" },
	{ "list", cmd_list, "", "list the scenarios with their status and counters", "" },
	{ "show", cmd_show, "ID", "one scenario: configuration, status, counters, errors", "" },
	{ "delete", cmd_delete, "ID", "delete a scenario and its dataset files (the warehouse keeps the runs)", "" },
	{ "builds", cmd_builds, "ID --phase ingestion|enrichment [--status S] [--limit N]",
	  "a scenario's builds in one phase with their status", "--phase= --status= --limit=" },
	{ "ingest", scenario_cli_ingest, "ID [--wait]", "Phase 1: filter the warehouse, mirror the git history, download logs",
	  "--wait" },
	{ "retry-ingestion", scenario_cli_retry_ingestion, "ID [--wait]", "ingest the failed builds again", "--wait" },
	{ "process", scenario_cli_process, "ID [--wait]", "Phase 2: feature vectors, oldest build first", "--wait" },
	{ "retry-processing", scenario_cli_retry_processing, "ID [--wait]", "process the failed builds again", "--wait" },
	{ "generate", scenario_cli_generate, "ID [--wait]", "Phase 3: preprocess, split, write train/val/test files",
	  "--wait" },
	{ "watch", scenario_cli_watch, "ID", "follow the running phase until it ends (exit 1 when the scenario failed)",
	  "" },
	{ "splits", scenario_cli_splits, "ID", "the dataset files written: split, rows, classes, checksums", "" },
	{ NULL, NULL, NULL, NULL, NULL },
};

static int run(struct cli_ctx *ctx, int argc, char **argv, struct err *e)
{
	return cli_dispatch(ctx, &cmd_scenario, argc, argv, e);
}

const struct cli_command cmd_scenario = { "scenario", "define scenarios and run Phases 1-3", usage, run, subs, NULL };
