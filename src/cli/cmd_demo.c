/*
 * `ciminer demo`: the whole pipeline on a generated local world, no token or
 * network needed. Generates the demo world into <data-dir>/demo-world (kept
 * and reused on later runs), imports and validates it as a build source, then
 * creates the demo scenario afresh and runs ingestion, processing and
 * generation with progress bars, and prints a summary. Re-running is safe:
 * the world and the source are reused, the scenario is replaced.
 */
#include "cli/cli.h"
#include "cli/dataset_report.h"
#include "cli/output.h"
#include "cli/scenario_phases.h"
#include "cli/wait.h"
#include "core/fs.h"
#include "core/json.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include "pipeline/demo.h"
#include "pipeline/scenario.h"
#include "pipeline/source.h"
#include "store/status.h"
#include "world/world.h"
#include "store/store.h"
#include "store/scenarios.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: ciminer demo [--repos N] [--builds M] [--seed S]\n"
	"\n"
	"Runs the whole pipeline on a generated world of git repositories, GitHub\n"
	"Actions runs and job logs (the local provider; no token, no network):\n"
	"import + validation, a scenario over every build, ingestion, feature\n"
	"extraction and dataset generation, then prints a summary and where the\n"
	"train/val/test files are. Defaults: 4 repositories, 400 builds, seed 1.\n";

static const char *const validation_queue[] = { "validation" };

static void step(struct cli_ctx *ctx, const char *what)
{
	if (!ctx->json)
		fprintf(stderr, "==> %s\n", what);
}

/* The three phases in order, each started and then run here to its end. */
static const struct {
	const char *what, *phase;
	int (*start)(struct store *s, int64_t id, struct err *e);
} phases[] = {
	{ "Phase 1: filtering and ingestion (git mirrors, job logs)", "ingestion", scenario_ingest_start },
	{ "Phase 2: feature extraction, oldest to newest per repository", "processing", scenario_process_start },
	{ "Phase 3: preprocessing, splits, Parquet/CSV/pickle files", "generation", scenario_generate_start },
};

static int ensure_world(struct cli_ctx *ctx, const char *dir, const struct world_opts *in, struct err *e)
{
	char *marker = fs_join(dir, "builds.csv");
	int have = fs_exists(marker);
	free(marker);
	if (have) {
		step(ctx, "reusing the demo world");
		return 0;
	}
	step(ctx, "generating the demo world");
	struct world_opts o = *in;
	o.out_dir = dir;
	struct world_summary sum;
	int rc = world_generate(&o, &sum, e);
	if (rc == 0 && !ctx->json)
		fprintf(stderr, "    %d repositories, %lld commits, %lld builds, %lld jobs, %lld logs (%lld expired)\n",
			sum.repos, sum.commits, sum.builds, sum.jobs, sum.logs, sum.logs_expired);
	return rc;
}

static int ensure_source(struct cli_ctx *ctx, struct store *s, const char *world, int64_t *id, struct err *e)
{
	int rc = demo_find_source(s, DEMO_SOURCE_NAME, id, e);
	if (rc < 0)
		return rc;
	if (*id == 0) {
		step(ctx, "importing builds.csv as a build source");
		char *csv = fs_join(world, "builds.csv");
		struct source_import_opts o = { .path = csv, .name = DEMO_SOURCE_NAME, .provider = "local",
						.archive_dir = world,
						.description = "the generated demo world (ciminer demo)" };
		struct source_import_result res;
		rc = source_import(s, &o, &res, e);
		free(csv);
		if (rc < 0)
			return rc;
		*id = res.source_id;
	}
	char *status = NULL;
	rc = store_status_get(s, ENT_SOURCE_VALIDATION, *id, &status, e);
	int done = rc == 0 && strcmp(status, "completed") == 0;
	free(status);
	if (rc < 0 || done)
		return rc;
	step(ctx, "validating the builds against the archive");
	if ((rc = source_validate_start(s, *id, e)) < 0 && rc != ERR_CONFLICT)
		return rc;
	struct cli_wait_spec w = { "validation", validation_queue, 1, NULL, NULL };
	return cli_wait(ctx, &w, e);
}

static void print_summary(struct cli_ctx *ctx, struct store *s, int64_t sid, const char *world)
{
	struct err e = ERR_INIT;
	json_t *sc = scenarios_load(s, sid, &e);
	json_t *rep = cli_dataset_report(sc, ctx->data_dir, sid);
	char *mpath = xasprintf("%s/datasets/%lld/manifest.json", ctx->data_dir, (long long)sid);
	json_t *man = json_load_file(mpath, 0, NULL);
	if (ctx->json) {
		json_t *o = json_pack("{s:O, s:O*, s:O, s:s, s:s}", "scenario", sc, "manifest", man, "report", rep, "world",
				      world, "dataset_dir", mpath);
		out_print_json(o);
		json_decref(o);
	} else {
		printf("\nciminer demo: scenario %lld is %s\n", (long long)sid, core_json_str(sc, "status", "?"));
		cli_dataset_report_print(rep);
		printf("  load it:    /usr/bin/python3 -c \"import json, pandas as pd; m = json.load(open('%s'));"
		       " df = pd.read_pickle('%s/datasets/%lld/train.pkl'); print(df[m['feature_columns']].describe().T)\"\n",
		       mpath, ctx->data_dir, (long long)sid);
	}
	json_decref(man);
	json_decref(rep);
	json_decref(sc);
	free(mpath);
}

static int run(struct cli_ctx *ctx, int argc, char **argv, struct err *e)
{
	static const struct option opts[] = { { "repos", 1, 0, 'r' }, { "builds", 1, 0, 'b' }, { "seed", 1, 0, 's' },
					      { 0, 0, 0, 0 } };
	struct world_opts wo;
	world_opts_init(&wo);
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		long long v = 0;
		if (c == '?')
			return cli_unknown_option(e, "demo", NULL, argv[optind - 1]);
		if (cli_parse_num(c == 'r' ? "--repos" : c == 'b' ? "--builds" : "--seed", optarg, c == 's' ? 0 : 1,
				  c == 'r' ? WORLD_MAX_REPOS : c == 'b' ? WORLD_MAX_BUILDS : INT64_MAX, &v, e) < 0)
			return e->code;
		if (c == 'r')
			wo.repos = (int)v;
		else if (c == 'b')
			wo.builds = (int)v;
		else
			wo.seed = (uint64_t)v;
	}
	if (optind < argc)
		return err_set(e, ERR_USAGE, "unexpected argument '%s' for demo", argv[optind]);
	struct store *s;
	int rc = cli_store(ctx, &s, e);
	if (rc < 0)
		return rc;
	char *world = xasprintf("%s/demo-world", ctx->data_dir);
	char *abs = NULL;
	int64_t source = 0, sid = 0;
	json_t *cfg = NULL;
	rc = ensure_world(ctx, world, &wo, e);
	if (rc == 0) {
		abs = realpath(world, NULL);
		rc = ensure_source(ctx, s, abs ? abs : world, &source, e);
	}
	if (rc == 0)
		rc = demo_drop_scenarios(s, ctx->data_dir, DEMO_SCENARIO_NAME, e);
	if (rc == 0 && !(cfg = demo_scenario_config(source, e)))
		rc = e->code;
	if (rc == 0)
		rc = scenarios_create(s, cfg, &sid, e);
	json_decref(cfg);
	for (size_t i = 0; rc == 0 && i < sizeof(phases) / sizeof(phases[0]); i++) {
		step(ctx, phases[i].what);
		rc = phases[i].start(s, sid, e);
		if (rc == 0)
			rc = scenario_cli_wait_phase(ctx, sid, phases[i].phase, e);
	}
	if (rc == 0 || sid)
		print_summary(ctx, s, sid, abs ? abs : world);
	if (rc == 0) {
		json_t *o = scenarios_load(s, sid, e);
		if (o && strcmp(core_json_str(o, "status", ""), "completed") != 0)
			rc = err_set(e, ERR_PERMANENT, "the demo scenario ended %s: %s", core_json_str(o, "status", "?"),
				     core_json_str(o, "error_message", "see 'ciminer scenario show'"));
		json_decref(o);
	}
	free(world);
	free(abs);
	return rc;
}

const struct cli_command cmd_demo = { "demo", "run the whole pipeline on a generated world", usage, run, NULL,
				      "--repos= --builds= --seed=" };
