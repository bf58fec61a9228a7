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
#include "store/enrichment.h"
#include "store/scenarios.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Temporal order: one job per repository and scenario at a time. */
static int64_t processing_usable(const struct scenarios_counters *c)
{
	return c->builds_processed;
}

static const char *const processing_open[] = { "pending", "in_progress", NULL };

const struct fanout_spec processing_fanout = {
	.queue = "processing", .repo_kind = "process_repo", .finish_kind = "process_finish",
	.builds = &enrichment_builds, .key_prefix = "process:",
	.key_per_scenario = 1, .running = "processing", .done = "processed",
	.open_states = processing_open, .usable = processing_usable, .phase = "processing",
	.nothing_msg = "no feature vector could be computed (see 'ciminer scenario builds ID --phase enrichment');"
		       " fix the cause and run retry-processing",
	.refresh = scenarios_refresh_processing_counters,
};

/*
 * Sets the scenario's enrichment builds in one of `reset` (NULL: every build) back to pending (their error
 * cleared when clear_error); when none was, refuses with "has no <none_msg>"; otherwise moves the scenario to
 * processing and queues the jobs.
 */
static int begin_processing(struct store *s, int64_t id, const char *const *reset, int clear_error,
			    const char *none_msg, const char *message, struct err *e)
{
	int64_t n = 0;
	int rc = builds_reset(s, &n, &enrichment_builds, id, reset, clear_error, e);
	if (rc == 0 && n == 0)
		rc = err_set(e, ERR_CONFLICT, "scenario %lld has no %s", (long long)id, none_msg);
	if (rc == 0)
		rc = store_status_set(s, ENT_SCENARIO, id, NULL, "processing", e);
	if (rc == 0)
		rc = scenarios_phase_started(s, id, "processing", e);
	if (rc == 0)
		rc = scenarios_refresh_processing_counters(s, id, message, e);
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
	if (rc == 0)
		rc = enrichment_builds_create(s, id, e);
	/* Every build is (re)computed: vectors are deterministic, so a re-run rewrites the same values. */
	if (rc == 0)
		rc = begin_processing(s, id, NULL, 1, "ingested build to process", "extracting features", e);
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
	if (rc == 0) {
		static const char *const again[] = { "failed", "in_progress", NULL };
		rc = begin_processing(s, id, again, 0, "failed enrichment build to retry", "retrying failed builds", e);
	}
	return store_tx_end(s, rc, e);
}
