/* Phase commands of `ciminer scenario`: start, retry, wait with progress, list builds and splits. */
#include "cli/scenario_phases.h"
#include "cli/dataset_report.h"
#include "cli/output.h"
#include "cli/wait.h"
#include "cli/watch.h"
#include "core/json.h"
#include "store/jobs.h"
#include "jobs/worker.h"
#include "pipeline/scenario.h"
#include "store/status.h"
#include "core/buf.h"
#include "store/enrichment.h"
#include "store/ingestion.h"
#include "store/scenarios.h"
#include "store/splits.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const ingestion_queue[] = { "ingestion" };
static const char *const processing_queue[] = { "processing" };

struct phase_arg {
	int64_t id;
	const struct build_table *builds;
	const char *const *done; /* the build states that count as done */
};
static const char *const ingestion_done[] = { "ingested", "missing_resource", "failed", NULL };
static const char *const enrichment_done[] = { "completed", "partial", "failed", NULL };

static int progress_phase(struct store *s, void *arg, int64_t *done, int64_t *total, struct err *e)
{
	struct phase_arg *a = arg;
	int rc = builds_count(s, total, a->builds, a->id, NULL, e);
	if (rc == 0)
		rc = builds_count(s, done, a->builds, a->id, a->done, e);
	return rc;
}

static void print_state(struct cli_ctx *ctx, int64_t id, json_t *o)
{
	if (!o)
		return;
	if (ctx->json) {
		out_print_json(o);
	} else {
		printf("scenario %lld: %s  (builds %lld: ingested %lld, missing_resource %lld, failed %lld;"
		       " processed %lld, partial %lld, processing failed %lld)\n",
		       (long long)id, core_json_str(o, "status", "?"), (long long)core_json_int(o, "builds_total", 0),
		       (long long)core_json_int(o, "builds_ingested", 0), (long long)core_json_int(o, "builds_missing_resource", 0),
		       (long long)core_json_int(o, "builds_failed", 0), (long long)core_json_int(o, "builds_processed", 0),
		       (long long)core_json_int(o, "builds_partial", 0), (long long)core_json_int(o, "builds_processing_failed", 0));
		const char *msg = core_json_str(o, "error_message", NULL);
		if (msg)
			printf("  %s\n", msg);
	}
}

int scenario_cli_wait_phase(struct cli_ctx *ctx, int64_t id, const char *phase, struct err *e)
{
	struct phase_arg a = { id, &ingestion_builds, ingestion_done };
	struct cli_wait_spec w = { "ingestion", ingestion_queue, 1, progress_phase, &a };
	if (strcmp(phase, "processing") == 0) {
		a = (struct phase_arg){ id, &enrichment_builds, enrichment_done };
		w = (struct cli_wait_spec){ "processing", processing_queue, 1, progress_phase, &a };
	} else if (strcmp(phase, "generation") == 0) {
		w = (struct cli_wait_spec){ "generation", processing_queue, 1, NULL, NULL };
	}
	return cli_wait(ctx, &w, e);
}

typedef int (*phase_fn)(struct store *s, int64_t id, struct err *e);

/* 1 when a scenario in status has phase started and not ended (its jobs are durable and open). */
int scenario_cli_phase_running(const char *phase, const char *status)
{
	if (strcmp(phase, "ingestion") == 0)
		return strcmp(status, "filtering") == 0 || strcmp(status, "ingesting") == 0;
	if (strcmp(phase, "processing") == 0)
		return strcmp(status, "processing") == 0;
	return strcmp(status, "splitting") == 0;
}

static const char *phase_queue(const char *phase)
{
	return strcmp(phase, "ingestion") == 0 ? "ingestion" : "processing";
}

/*
 * The phase is already running (a killed --wait, a crash, a second
 * terminal): attach instead of refusing. With --wait, the jobs that a
 * process of this machine held when it died are released at once and this
 * process runs what is pending until the phase ends; the jobs' leases keep
 * two attached processes from running one job twice. Without --wait, say
 * how to follow it.
 */
static int attach(struct cli_ctx *ctx, struct store *s, int64_t id, const char *phase, const char *sub, int wait,
		  struct err *e)
{
	const char *const q[] = { phase_queue(phase) };
	int64_t open = 0, released = 0;
	int rc = jobs_count_open(s, q, 1, &open, e);
	if (rc == 0 && wait)
		rc = worker_release_dead_leases(s, q, 1, &released, e);
	if (rc < 0)
		return rc;
	if (!ctx->json && !wait)
		printf("scenario %lld: %s is already running (%lld jobs open in the %s queue); follow it with"
		       " 'ciminer scenario watch %lld', or run its jobs here with 'ciminer scenario %s %lld --wait'\n",
		       (long long)id, phase, (long long)open, q[0], (long long)id, sub, (long long)id);
	else if (!ctx->json)
		printf("scenario %lld: %s is already running: resuming it here (%lld jobs open in the %s queue, %lld of"
		       " them held by a process that is gone)\n",
		       (long long)id, phase, (long long)open, q[0], (long long)released);
	fflush(stdout);
	return 0;
}

/* The state a phase ends in when it succeeded. */
static const char *phase_target(const char *phase)
{
	return strcmp(phase, "ingestion") == 0 ? "ingested" : strcmp(phase, "processing") == 0 ? "processed" : "completed";
}

static int run_phase(struct cli_ctx *ctx, int argc, char **argv, const char *sub, phase_fn start, const char *phase,
		     struct err *e)
{
	int64_t id;
	int wait;
	struct store *s;
	char *status = NULL;
	int rc = scenario_cli_open(ctx, argc, argv, sub, &id, &wait, &s, e);
	if (rc == 0)
		rc = store_status_get(s, ENT_SCENARIO, id, &status, e);
	if (rc == ERR_NOT_FOUND)
		rc = scenarios_check_exists(s, id, e);
	int attached = rc == 0 && scenario_cli_phase_running(phase, status);
	/* Re-running `ingest` after it ended (killed just after its last job) has nothing left to do. */
	int done = rc == 0 && !attached && start == scenario_ingest_start && strcmp(status, "ingested") == 0;
	free(status);
	if (rc == 0 && attached)
		rc = attach(ctx, s, id, phase, sub, wait, e);
	else if (rc == 0 && done && !ctx->json)
		printf("scenario %lld is already ingested; nothing to resume (retry-ingestion re-runs failed builds)\n",
		       (long long)id);
	else if (rc == 0 && !done)
		rc = start(s, id, e);
	if (rc == 0 && wait && !done)
		rc = scenario_cli_wait_phase(ctx, id, phase, e);
	if (rc < 0)
		return rc;
	if (!wait && !attached && !done && !ctx->json)
		printf("scenario %lld: %s queued; run 'ciminer worker' (or pass --wait) to run it\n", (long long)id, phase);
	json_t *o = scenarios_load(s, id, e);
	int report = wait && strcmp(phase, "generation") == 0 && o;
	if (report) {
		/* What demo prints: splits, class balance, drops by reason, baselines, warnings, files. */
		json_t *r = cli_dataset_report(o, ctx->data_dir, id);
		if (ctx->json) {
			json_object_set(r, "scenario", o);
			out_print_json(r);
		} else {
			printf("scenario %lld: %s\n", (long long)id, core_json_str(o, "status", "?"));
			cli_dataset_report_print(r);
			const char *msg = core_json_str(o, "error_message", NULL);
			if (msg)
				printf("  %s\n", msg);
		}
		json_decref(r);
	} else {
		print_state(ctx, id, o);
	}
	const char *st = o ? core_json_str(o, "status", "?") : "?";
	if (wait && strcmp(st, phase_target(phase)) != 0) {
		/* --wait drained the queue, so anything but the phase's end state means it did not succeed. */
		rc = err_set(e, ERR_PERMANENT, "scenario %lld is %s after %s: %s", (long long)id, st, phase,
			     core_json_str(o, "error_message", "see 'ciminer scenario show' and the jobs' errors"));
	}
	json_decref(o);
	return rc;
}

int scenario_cli_ingest(struct cli_ctx *ctx, int argc, char **argv, struct err *e)
{
	return run_phase(ctx, argc, argv, "ingest", scenario_ingest_start, "ingestion", e);
}

int scenario_cli_retry_ingestion(struct cli_ctx *ctx, int argc, char **argv, struct err *e)
{
	return run_phase(ctx, argc, argv, "retry-ingestion", scenario_retry_ingestion, "ingestion", e);
}

int scenario_cli_process(struct cli_ctx *ctx, int argc, char **argv, struct err *e)
{
	return run_phase(ctx, argc, argv, "process", scenario_process_start, "processing", e);
}

int scenario_cli_retry_processing(struct cli_ctx *ctx, int argc, char **argv, struct err *e)
{
	return run_phase(ctx, argc, argv, "retry-processing", scenario_retry_processing, "processing", e);
}

int scenario_cli_generate(struct cli_ctx *ctx, int argc, char **argv, struct err *e)
{
	return run_phase(ctx, argc, argv, "generate", scenario_generate_start, "generation", e);
}

int scenario_cli_splits(struct cli_ctx *ctx, int argc, char **argv, struct err *e)
{
	int64_t id;
	int wait;
	struct store *s;
	int rc = scenario_cli_open(ctx, argc, argv, "splits", &id, &wait, &s, e);
	if (rc == 0)
		rc = scenarios_check_exists(s, id, e);
	if (rc < 0)
		return rc;
	static const struct out_col cols[] = { { "fold", 's' },          { "split_type", 's' },      { "file_format", 's' },
					       { "record_count", 'i' },  { "feature_count", 'i' },   { "file_size_bytes", 'i' },
					       { "class_distribution", 'j' }, { "group_distribution", 'j' }, { "sha256", 's' },
					       { "file_path", 's' },     { "generated_at", 't' },    { "duration_ms", 'i' } };
	struct store_cursor *c;
	rc = splits_list(s, &c, id, e);
	return rc < 0 ? rc : out_cursor(c, ctx->json, cols, 12, 8, e);
}

int scenario_cli_builds(struct cli_ctx *ctx, struct store *s, int64_t id, const char *phase, const char *status,
			long limit, struct err *e)
{
	int ingestion = strcmp(phase, "ingestion") == 0;
	enum status_entity ent = ingestion ? ENT_INGESTION_BUILD : ENT_EXTRACTION;
	if (status && !status_is_valid(ent, status)) {
		struct buf list = BUF_INIT;
		for (const char *const *v = status_values(ent); *v; v++)
			buf_addf(&list, "%s%s", list.len ? ", " : "", *v);
		int rc = err_set(e, ERR_USAGE, "--status '%s' is not one of %s", status, buf_cstr(&list));
		buf_release(&list);
		return rc;
	}
	static const struct out_col icols[] = { { "id", 'i' },          { "ci_run_id", 's' },      { "repo_name", 's' },
						{ "commit_sha", 's' },  { "started_at", 't' },     { "status", 's' },
						{ "resource_status", 'j' }, { "error_message", 's' } };
	static const struct out_col ecols[] = { { "id", 'i' },         { "ci_run_id", 's' },   { "repo_name", 's' },
						{ "started_at", 't' }, { "extraction_status", 's' }, { "feature_count", 'i' },
						{ "error_message", 's' }, { "missing_resources", 'j' },
						{ "skipped_features", 'j' }, { "features", 'j' } };
	struct store_page pg = { .limit = limit > 0 ? limit : -1, .status = status };
	struct store_cursor *c;
	int rc = ingestion ? ingestion_builds_list(s, &c, id, &pg, e) : enrichment_builds_list(s, &c, id, &pg, e);
	return rc < 0 ? rc : out_cursor(c, ctx->json, ingestion ? icols : ecols, ingestion ? 8 : 10, ingestion ? 6 : 7, e);
}

/* The phase a scenario status belongs to while it runs, or NULL. */
static const char *running_phase(const char *status)
{
	static const char *const phases[] = { "ingestion", "processing", "generation" };
	for (size_t i = 0; i < 3; i++)
		if (scenario_cli_phase_running(phases[i], status))
			return phases[i];
	return NULL;
}

static int poll_scenario(struct store *s, void *arg, int *running, int64_t *done, int64_t *total, struct err *e)
{
	struct phase_arg *a = arg;
	char *status = NULL;
	int rc = store_status_get(s, ENT_SCENARIO, a->id, &status, e);
	const char *phase = rc == 0 ? running_phase(status) : NULL;
	free(status);
	*running = phase != NULL;
	*done = *total = 0;
	if (!phase || strcmp(phase, "generation") == 0)
		return rc;
	if (strcmp(phase, "ingestion") == 0)
		*a = (struct phase_arg){ a->id, &ingestion_builds, ingestion_done };
	else
		*a = (struct phase_arg){ a->id, &enrichment_builds, enrichment_done };
	return progress_phase(s, a, done, total, e);
}

int scenario_cli_watch(struct cli_ctx *ctx, int argc, char **argv, struct err *e)
{
	int64_t id;
	int wait;
	struct store *s;
	char *status = NULL;
	int rc = scenario_cli_open(ctx, argc, argv, "watch", &id, &wait, &s, e);
	if (rc == 0)
		rc = scenarios_check_exists(s, id, e);
	if (rc == 0)
		rc = store_status_get(s, ENT_SCENARIO, id, &status, e);
	if (rc < 0)
		return rc;
	const char *phase = running_phase(status);
	free(status);
	if (!phase && !ctx->json)
		printf("scenario %lld: no phase is running\n", (long long)id);
	struct phase_arg a = { id, NULL, NULL };
	struct cli_follow f = { phase ? phase : "scenario", EVENTS_OF_SCENARIO, id, poll_scenario, &a };
	if (phase && (rc = cli_follow(ctx, s, &f, e)) < 0)
		return rc;
	json_t *o = scenarios_load(s, id, e);
	if (!o)
		return e->code;
	print_state(ctx, id, o);
	if (strcmp(core_json_str(o, "status", "?"), "failed") == 0)
		rc = err_set(e, ERR_PERMANENT, "scenario %lld failed: %s", (long long)id,
			     core_json_str(o, "error_message", "see 'ciminer scenario show' and the jobs' errors"));
	json_decref(o);
	return rc;
}
