/* The phase sub-commands of `ciminer scenario` (cmd_scenario.c lists them). */
#ifndef CLI_SCENARIO_PHASES_H
#define CLI_SCENARIO_PHASES_H
#include "cli/cli.h"
#include "store/store.h"

/* Parses "ID [--wait]" for sub-command sub (usage errors name it). */
int scenario_cli_id(int argc, char **argv, const char *sub, int64_t *id, int *wait, struct err *e);
/* scenario_cli_id, then the store (*s borrowed from ctx). */
int scenario_cli_open(struct cli_ctx *ctx, int argc, char **argv, const char *sub, int64_t *id, int *wait,
		      struct store **s, struct err *e);
int scenario_cli_ingest(struct cli_ctx *ctx, int argc, char **argv, struct err *e);
int scenario_cli_retry_ingestion(struct cli_ctx *ctx, int argc, char **argv, struct err *e);
int scenario_cli_process(struct cli_ctx *ctx, int argc, char **argv, struct err *e);
int scenario_cli_retry_processing(struct cli_ctx *ctx, int argc, char **argv, struct err *e);
int scenario_cli_generate(struct cli_ctx *ctx, int argc, char **argv, struct err *e);
/* `scenario watch ID`: follows the running phase until it ends; exit 1 when the scenario failed. */
int scenario_cli_watch(struct cli_ctx *ctx, int argc, char **argv, struct err *e);
int scenario_cli_splits(struct cli_ctx *ctx, int argc, char **argv, struct err *e);
int scenario_cli_builds(struct cli_ctx *ctx, struct store *s, int64_t id, const char *phase, const char *status,
			long limit, struct err *e);
/* 1 when a scenario in status has phase ("ingestion", "processing", "generation") started and not ended. */
int scenario_cli_phase_running(const char *phase, const char *status);
/* Runs a phase's queue to the end in this process (--wait), then prints the scenario's state. */
int scenario_cli_wait_phase(struct cli_ctx *ctx, int64_t id, const char *phase, struct err *e);

#endif
