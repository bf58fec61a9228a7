/*
 * Phase 2 starts: enrichment builds for every ingested build (missing_resource
 * builds are excluded, as the specification says: their logs or commit are
 * gone, and `scenario show` counts them under builds_missing_resource), one process_repo job per repository (repositories in parallel, each
 * repository's builds oldest to newest in one job), fan-in to process_finish.
 */
#include "pipeline/scenario.h"
#include "store/events.h"
#include "pipeline/fanout.h"
#include "core/buf.h"
#include "core/utc.h"
#include "store/jobs.h"
#include "store/status.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Temporal order: one job per repository and scenario at a time. */
const struct fanout_spec processing_fanout = {
	.queue = "processing", .repo_kind = "process_repo", .finish_kind = "process_finish",
	.table = "training_enrichment_builds", .status_col = "extraction_status", .key_prefix = "process:",
	.key_per_scenario = 1, .running = "processing", .done = "processed",
	.open_states = "'pending', 'in_progress'", .usable_expr = "builds_processed",
	.completed_col = "processing_completed_at",
	.nothing_msg = "no feature vector could be computed (see 'ciminer scenario builds ID --phase enrichment');"
		       " fix the cause and run retry-processing",
	.refresh = scenario_refresh_processing_counters,
};

/*
 * Sets the scenario's enrichment builds back to pending with reset_sql (parameters: now, scenario id); when
 * none was, refuses with "has no <none_msg>"; otherwise moves the scenario to processing and queues the jobs.
 */
static int begin_processing(struct store *s, int64_t id, const char *reset_sql, const char *none_msg,
			    const char *message, struct err *e)
{
	int64_t n = 0;
	struct store_val q[] = { sv_int(utc_now()), sv_int(id) };
	int rc = store_exec(s, e, &n, reset_sql, 2, q);
	if (rc == 0 && n == 0)
		rc = err_set(e, ERR_CONFLICT, "scenario %lld has no %s", (long long)id, none_msg);
	if (rc == 0)
		rc = store_status_set(s, ENT_SCENARIO, id, NULL, "processing", e);
	if (rc == 0)
		rc = scenario_phase_started(s, id, "processing", e);
	if (rc == 0)
		rc = scenario_refresh_processing_counters(s, id, message, e);
	if (rc == 0)
		rc = fanout_enqueue(s, &processing_fanout, id, e);
	return rc;
}

int scenario_process_start(struct store *s, int64_t id, struct err *e)
{
	int rc = store_begin(s, e);
	char *status = NULL;
	if (rc == 0)
		rc = store_status_get(s, ENT_SCENARIO, id, &status, e);
	if (rc == 0 && !str_has_word("ingested processed failed completed", status))
		rc = err_set(e, ERR_CONFLICT,
			     strcmp(status, "processing") == 0
				     ? "scenario %lld is %s: its jobs are still open; run 'ciminer worker' (a killed worker's"
				       " jobs resume once their lease expires)"
				     : "scenario %lld is %s; processing starts once it is ingested",
			     (long long)id, status);
	free(status);
	int64_t now = utc_now();
	struct store_val p[] = { sv_int(now), sv_int(now), sv_int(id) };
	if (rc == 0)
		rc = store_exec(s, e, NULL,
				"INSERT INTO training_enrichment_builds (scenario_id, ingestion_build_id, raw_run_id, raw_repo_id,"
				" started_at, created_at, updated_at) SELECT scenario_id, id, raw_run_id, raw_repo_id, started_at,"
				" ?, ? FROM training_ingestion_builds WHERE scenario_id = ?"
				" AND status = 'ingested'"
				" ON CONFLICT (scenario_id, raw_run_id) DO NOTHING",
				3, p);
	/* Every build is (re)computed: vectors are deterministic, so a re-run rewrites the same values. */
	if (rc == 0)
		rc = begin_processing(s, id,
				      "UPDATE training_enrichment_builds SET extraction_status = 'pending', error_message = NULL,"
				      " updated_at = ? WHERE scenario_id = ?",
				      "ingested build to process", "extracting features", e);
	return store_tx_end(s, rc, e);
}

int scenario_retry_processing(struct store *s, int64_t id, struct err *e)
{
	int rc = store_begin(s, e);
	char *status = NULL;
	if (rc == 0)
		rc = store_status_get(s, ENT_SCENARIO, id, &status, e);
	if (rc == 0 && !str_has_word("processed failed", status))
		rc = err_set(e, ERR_CONFLICT, "scenario %lld is %s; retry-processing needs a processed or failed scenario",
			     (long long)id, status);
	free(status);
	if (rc == 0)
		rc = begin_processing(s, id,
				      "UPDATE training_enrichment_builds SET extraction_status = 'pending', updated_at = ?"
				      " WHERE scenario_id = ? AND extraction_status IN ('failed', 'in_progress')",
				      "failed enrichment build to retry", "retrying failed builds", e);
	return store_tx_end(s, rc, e);
}
