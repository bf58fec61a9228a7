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
#include "store/jobs.h"
#include "store/status.h"
#include <stdio.h>
#include <string.h>

static int load_section(struct store *s, int64_t id, const char *col, json_t **out, struct err *e)
{
	char sql[128], *txt = NULL;
	snprintf(sql, sizeof(sql), "SELECT %s FROM training_scenarios WHERE id = ?", col);
	struct store_val p[] = { sv_int(id) };
	int rc = store_query_text(s, &txt, e, sql, 1, p);
	if (rc == ERR_NOT_FOUND)
		return err_set(e, ERR_NOT_FOUND, "scenario %lld does not exist; 'ciminer scenario list' shows them",
			       (long long)id);
	if (rc < 0)
		return rc;
	*out = core_json_parse(txt, strlen(txt), col, e);
	free(txt);
	return *out ? 0 : ERR_INTERNAL;
}

/* One repository is cloned and fetched by one job at a time, whichever scenario asks: the key is the repository. */
const struct fanout_spec ingestion_fanout = {
	.queue = "ingestion", .repo_kind = "ingest_repo", .finish_kind = "ingest_finish",
	.table = "training_ingestion_builds", .status_col = "status", .key_prefix = "repo:", .key_per_scenario = 0,
	.running = "ingesting", .done = "ingested", .open_states = "'pending', 'ingesting'",
	.usable_expr = "builds_ingested + builds_missing_resource", .completed_col = "ingestion_completed_at",
	.nothing_msg = "nothing could be ingested: every build failed (see 'ciminer scenario builds ID --phase"
		       " ingestion'); fix the cause and run retry-ingestion",
	.refresh = scenario_refresh_ingestion_counters,
};

/*
 * Sets the builds to ingest back to pending with reset_sql (parameters: now, scenario id), then the scenario
 * moves (from `from`, NULL: any state) to ingesting, counted afresh, with its jobs queued.
 */
static int begin_ingesting(struct store *s, int64_t id, const char *reset_sql, const char *from, const char *message,
			   struct err *e)
{
	struct store_val q[] = { sv_int(utc_now()), sv_int(id) };
	int rc = store_exec(s, e, NULL, reset_sql, 2, q);
	if (rc == 0)
		rc = store_status_set(s, ENT_SCENARIO, id, from, "ingesting", e);
	if (rc == 0)
		rc = scenario_refresh_ingestion_counters(s, id, message, e);
	if (rc == 0)
		rc = fanout_enqueue(s, &ingestion_fanout, id, e);
	return rc;
}

static int filter_builds(struct store *s, int64_t id, int64_t *matched, struct err *e)
{
	json_t *ds = NULL;
	int rc = load_section(s, id, "data_source_config", &ds, e);
	if (rc < 0)
		return rc;
	struct buf sql = BUF_INIT;
	int64_t now = utc_now();
	struct store_val *params = xcalloc(3, sizeof(*params));
	params[0] = sv_int(id);
	params[1] = sv_int(now);
	params[2] = sv_int(now);
	size_t n = 3;
	buf_addstr(&sql, "INSERT INTO training_ingestion_builds (scenario_id, raw_run_id, raw_repo_id, commit_sha,"
			 " started_at, status, created_at, updated_at) SELECT ?, r.id, r.raw_repo_id, r.commit_sha,"
			 " COALESCE(r.started_at, r.created_at), 'pending', ?, ?"
			 " FROM raw_build_runs r JOIN raw_repositories p ON p.id = r.raw_repo_id");
	scenario_filter_where(ds, &sql, &params, &n);
	buf_addstr(&sql, " ON CONFLICT (scenario_id, raw_run_id) DO NOTHING");
	rc = store_exec(s, e, NULL, buf_cstr(&sql), n, params);
	free(params);
	buf_release(&sql);
	json_decref(ds);
	struct store_val p[] = { sv_int(id) };
	if (rc == 0)
		rc = store_query_int(s, matched, e, "SELECT COUNT(*) FROM training_ingestion_builds WHERE scenario_id = ?", 1,
				     p);
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
		rc = scenario_phase_started(s, id, "ingestion", e);
	if (rc == 0)
		rc = events_scenario_update(s, id, "filtering the warehouse", e);
	int64_t matched = 0;
	if (rc == 0)
		rc = filter_builds(s, id, &matched, e);
	int empty = rc == 0 && matched == 0;
	if (empty) {
		rc = scenario_fail(s, id,
				   "no build of the warehouse matches data_source_config; widen the filters or import and"
				   " validate a build source first",
				   e);
	} else if (rc == 0) {
		/* Builds of an earlier failed attempt are tried again. */
		rc = begin_ingesting(s, id,
				     "UPDATE training_ingestion_builds SET status = 'pending', updated_at = ? WHERE scenario_id = ?"
				     " AND status IN ('failed', 'ingesting')",
				     "filtering", "ingesting resources", e);
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
	struct store_val p[] = { sv_int(id) };
	if (rc == 0)
		rc = store_status_get(s, ENT_SCENARIO, id, &status, e);
	if (rc == 0)
		rc = store_query_int(s, &builds, e, "SELECT COUNT(*) FROM training_ingestion_builds WHERE scenario_id = ?", 1,
				     p);
	if (rc == 0)
		rc = store_query_int(s, &failed, e,
				     "SELECT COUNT(*) FROM training_ingestion_builds WHERE scenario_id = ? AND status = 'failed'",
				     1, p);
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
	rc = begin_ingesting(s, id,
			     "UPDATE training_ingestion_builds SET status = 'pending', error_message = NULL, updated_at = ?"
			     " WHERE scenario_id = ? AND status = 'failed'",
			     NULL, "retrying failed builds", e);
	return store_tx_end(s, rc, e);
}
