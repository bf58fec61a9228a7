/*
 * Phase 1 starts: filtering the warehouse into ingestion builds and queueing
 * one ingest_repo job per repository with a fan-in to ingest_finish.
 */
#include "pipeline/scenario.h"
#include "store/events.h"
#include "pipeline/fanout.h"
#include "core/json.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include "store/ingestion.h"
#include "store/jobs.h"
#include "store/status.h"
#include "store/scenarios.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int load_section(struct store *s, int64_t id, const char *col, json_t **out, struct err *e)
{
	char *txt = NULL;
	int rc = scenarios_section(s, &txt, id, col, e);
	if (rc < 0)
		return rc;
	*out = core_json_parse(txt, strlen(txt), col, e);
	free(txt);
	return *out ? 0 : ERR_INTERNAL;
}

static int64_t ingestion_usable(const struct scenarios_counters *c)
{
	return c->builds_ingested + c->builds_missing_resource;
}

static const char *const ingestion_open[] = { "pending", "ingesting", NULL };

/* One repository is cloned and fetched by one job at a time, whichever scenario asks: the key is the repository. */
const struct fanout_spec ingestion_fanout = {
	.queue = "ingestion", .repo_kind = "ingest_repo", .finish_kind = "ingest_finish",
	.builds = &ingestion_builds, .key_prefix = "repo:", .key_per_scenario = 0,
	.running = "ingesting", .done = "ingested", .open_states = ingestion_open,
	.usable = ingestion_usable, .phase = "ingestion",
	.nothing_msg = "nothing could be ingested: every build failed (see 'ciminer scenario builds ID --phase"
		       " ingestion'); fix the cause and run retry-ingestion",
	.refresh = scenarios_refresh_ingestion_counters,
};

/*
 * Sets the builds in one of `reset` back to pending (their error cleared when clear_error), then the scenario
 * moves (from `from`, NULL: any state) to ingesting, counted afresh, with its jobs queued.
 */
static int begin_ingesting(struct store *s, int64_t id, const char *const *reset, int clear_error, const char *from,
			   const char *message, struct err *e)
{
	int rc = builds_reset(s, NULL, &ingestion_builds, id, reset, clear_error, e);
	if (rc == 0)
		rc = store_status_set(s, ENT_SCENARIO, id, from, "ingesting", e);
	if (rc == 0)
		rc = scenarios_refresh_ingestion_counters(s, id, message, e);
	if (rc == 0)
		rc = fanout_enqueue(s, &ingestion_fanout, id, e);
	return rc;
}

static int filter_builds(struct store *s, int64_t id, int64_t *matched, struct err *e)
{
	json_t *ds = NULL;
	int rc = load_section(s, id, "data_source_config", &ds, e);
	if (rc == 0)
		rc = ingestion_builds_select(s, matched, id, ds, e);
	json_decref(ds);
	return rc;
}

int scenario_ingest_start(struct store *s, int64_t id, struct err *e)
{
	int rc = store_begin(s, e);
	char *status = NULL;
	if (rc == 0)
		rc = store_status_get(s, ENT_SCENARIO, id, &status, e);
	if (rc == 0 && !str_has_word("queued failed", status))
		rc = err_set(e, ERR_CONFLICT,
			     "scenario %lld is %s; ingestion starts from queued or failed (use retry-ingestion to re-run"
			     " failed builds)",
			     (long long)id, status);
	free(status);
	if (rc == 0)
		rc = store_status_set(s, ENT_SCENARIO, id, NULL, "filtering", e);
	if (rc == 0)
		rc = scenarios_phase_started(s, id, "ingestion", e);
	if (rc == 0)
		rc = events_scenario_update(s, id, "filtering the warehouse", e);
	int64_t matched = 0;
	if (rc == 0)
		rc = filter_builds(s, id, &matched, e);
	int empty = rc == 0 && matched == 0;
	if (empty) {
		rc = scenarios_fail(s, id,
				   "no build of the warehouse matches data_source_config; widen the filters or import and"
				   " validate a build source first",
				   e);
	} else if (rc == 0) {
		/* Builds of an earlier failed attempt are tried again. */
		static const char *const again[] = { "failed", "ingesting", NULL };
		rc = begin_ingesting(s, id, again, 0, "filtering", "ingesting resources", e);
	}
	rc = store_tx_end(s, rc, e);
	if (rc == 0 && empty)
		return err_set(e, ERR_PERMANENT,
			       "scenario %lld failed: no build of the warehouse matches its data_source_config", (long long)id);
	return rc;
}

int scenario_retry_ingestion(struct store *s, int64_t id, struct err *e)
{
	int rc = store_begin(s, e);
	char *status = NULL;
	int64_t builds = 0, failed = 0;
	static const char *const failed_only[] = { "failed", NULL };
	if (rc == 0)
		rc = store_status_get(s, ENT_SCENARIO, id, &status, e);
	if (rc == 0)
		rc = builds_count(s, &builds, &ingestion_builds, id, NULL, e);
	if (rc == 0)
		rc = builds_count(s, &failed, &ingestion_builds, id, failed_only, e);
	int restart = rc == 0 && builds == 0 && strcmp(status, "failed") == 0;
	if (rc == 0 && !restart && !str_has_word("ingested failed", status))
		rc = err_set(e, ERR_CONFLICT, "scenario %lld is %s; retry-ingestion needs an ingested or failed scenario",
			     (long long)id, status);
	if (rc == 0 && !restart && failed == 0)
		rc = err_set(e, ERR_CONFLICT, "scenario %lld has no failed ingestion build to retry", (long long)id);
	free(status);
	if (restart || rc < 0) {
		if (store_in_tx(s)) /* not when store_begin itself failed */
			store_rollback(s);
		return restart ? scenario_ingest_start(s, id, e) : rc;
	}
	rc = begin_ingesting(s, id, failed_only, 1, NULL, "retrying failed builds", e);
	return store_tx_end(s, rc, e);
}
