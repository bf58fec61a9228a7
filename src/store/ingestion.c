/* Ingestion builds (ingestion.h). */
#include "store/ingestion.h"
#include "store/hot_sql.h"
#include "store/status.h"
#include "store/warehouse.h"
#include "core/buf.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include <stdlib.h>
#include <string.h>

const struct build_table ingestion_builds = { "training_ingestion_builds", "status", ENT_INGESTION_BUILD };

int ingestion_builds_select(struct store *s, int64_t *matched, int64_t scenario_id, const json_t *ds, struct err *e)
{
	struct buf sql = BUF_INIT;
	int64_t now = utc_now();
	struct store_val *params = xcalloc(3, sizeof(*params));
	params[0] = sv_int(scenario_id);
	params[1] = sv_int(now);
	params[2] = sv_int(now);
	size_t n = 3;
	buf_addstr(&sql, "INSERT INTO training_ingestion_builds (scenario_id, raw_run_id, raw_repo_id, commit_sha,"
			 " started_at, status, created_at, updated_at) SELECT ?, r.id, r.raw_repo_id, r.commit_sha,"
			 " COALESCE(r.started_at, r.created_at), 'pending', ?, ?"
			 " FROM raw_build_runs r JOIN raw_repositories p ON p.id = r.raw_repo_id");
	warehouse_filter_where(ds, &sql, &params, &n);
	buf_addstr(&sql, " ON CONFLICT (scenario_id, raw_run_id) DO NOTHING");
	int rc = store_exec(s, e, NULL, buf_cstr(&sql), n, params);
	free(params);
	buf_release(&sql);
	if (rc == 0)
		rc = builds_count(s, matched, &ingestion_builds, scenario_id, NULL, e);
	return rc;
}

/* training_ingestion_builds_repo */
const char hot_sql_ingestion_pending[] =
	"SELECT id, raw_run_id, commit_sha FROM training_ingestion_builds WHERE scenario_id = ?"
	" AND raw_repo_id = ? AND status IN ('pending', 'ingesting') ORDER BY started_at, id";

int ingestion_builds_pending(struct store *s, struct ingestion_pending **out, size_t *n, int64_t scenario_id,
			     int64_t repo_id, struct err *e)
{
	struct store_cursor *c;
	struct store_val p[] = { sv_int(scenario_id), sv_int(repo_id) };
	int rc = store_query(s, &c, e, hot_sql_ingestion_pending, 2, p);
	if (rc < 0)
		return rc;
	size_t cap = 0;
	while ((rc = store_next(c, e)) == 1) {
		xgrow((void **)out, &cap, *n + 1, sizeof(**out));
		struct ingestion_pending *b = &(*out)[(*n)++];
		b->id = store_col_int(c, 0);
		b->raw_run_id = store_col_int(c, 1);
		b->commit_sha = xstrdup(store_col_text(c, 2) ? store_col_text(c, 2) : "");
	}
	store_cursor_free(c);
	return rc;
}

void ingestion_pending_free(struct ingestion_pending *b, size_t n)
{
	for (size_t i = 0; b && i < n; i++)
		free(b[i].commit_sha);
	free(b);
}

int ingestion_builds_start(struct store *s, int64_t scenario_id, int64_t repo_id, struct err *e)
{
	static const char *const from[] = { "pending", NULL };
	int rc = status_check_moves(ENT_INGESTION_BUILD, scenario_id, from, "ingesting", e);
	struct store_val p[] = { sv_int(utc_now()), sv_int(scenario_id), sv_int(repo_id) };
	if (rc == 0)
		rc = store_exec(s, e, NULL,
				"UPDATE training_ingestion_builds SET status = 'ingesting', updated_at = ? WHERE scenario_id = ?"
				" AND raw_repo_id = ? AND status = 'pending'",
				3, p);
	return rc;
}

int ingestion_builds_finish(struct store *s, int64_t build_id, const char *status, const char *resource_status,
			    const char *error, struct err *e)
{
	int rc = status_check_transition(ENT_INGESTION_BUILD, build_id, "ingesting", status, e);
	struct store_val p[] = { sv_text(status), sv_text(resource_status), sv_text(error), sv_int(utc_now()),
				 sv_int(build_id) };
	if (rc == 0)
		rc = store_exec(s, e, NULL,
				"UPDATE training_ingestion_builds SET status = ?, resource_status = ?, error_message = ?,"
				" updated_at = ? WHERE id = ? AND status = 'ingesting'",
				5, p);
	return rc;
}

int ingestion_builds_jobs(struct store *s, struct store_cursor **out, int64_t scenario_id, int64_t repo_id,
			  struct err *e)
{
	struct store_val p[] = { sv_int(scenario_id), sv_int(repo_id) };
	return store_query(s, out, e,
			   "SELECT j.id, j.raw_run_id, j.ci_job_id, COALESCE(j.log_status, '') FROM raw_build_jobs j"
			   " JOIN training_ingestion_builds b ON b.raw_run_id = j.raw_run_id WHERE b.scenario_id = ?"
			   " AND b.raw_repo_id = ? AND b.status IN ('pending', 'ingesting') ORDER BY j.id",
			   2, p);
}

int ingestion_builds_runs_without_jobs(struct store *s, struct store_cursor **out, int64_t scenario_id, int64_t repo_id,
				       struct err *e)
{
	struct store_val q[] = { sv_int(scenario_id), sv_int(repo_id) };
	return store_query(s, out, e,
			   "SELECT r.id, r.ci_run_id, r.raw FROM training_ingestion_builds b JOIN raw_build_runs r ON r.id = b.raw_run_id"
			   " WHERE b.scenario_id = ? AND b.raw_repo_id = ? AND b.status IN ('pending', 'ingesting')"
			   " AND NOT EXISTS (SELECT 1 FROM raw_build_jobs j WHERE j.raw_run_id = r.id) ORDER BY r.id",
			   2, q);
}

int ingestion_builds_pr_runs(struct store *s, struct store_cursor **out, int64_t scenario_id, int64_t repo_id,
			     struct err *e)
{
	struct store_val p[] = { sv_int(scenario_id), sv_int(repo_id) };
	return store_query(s, out, e,
			   "SELECT b.id, r.pr_numbers, r.event, COALESCE(r.started_at, r.created_at), r.id, r.commit_sha, r.branch"
			   " FROM training_ingestion_builds b JOIN raw_build_runs r ON r.id = b.raw_run_id"
			   " WHERE b.scenario_id = ? AND b.raw_repo_id = ? AND b.status = 'ingesting' ORDER BY b.id",
			   2, p);
}

int ingestion_builds_resources(struct store *s, struct store_cursor **out, int64_t scenario_id, const char *status,
			       struct err *e)
{
	struct store_val p[] = { sv_int(scenario_id), sv_text(status) };
	return store_query(s, out, e,
			   "SELECT resource_status FROM training_ingestion_builds WHERE scenario_id = ? AND status = ?", 2, p);
}

static const struct store_sort_key list_keys[] = { { "repo_name", "p.full_name, b.started_at" },
						   { "started_at", "b.started_at" },
						   { "id", "b.id" },
						   { NULL, NULL } };

int ingestion_builds_list(struct store *s, struct store_cursor **out, int64_t scenario_id, const struct store_page *pg,
			  struct err *e)
{
	struct buf sql = BUF_INIT;
	buf_addstr(&sql, "SELECT b.id, r.ci_run_id, p.full_name, b.commit_sha, b.started_at, b.status, b.resource_status,"
			 " b.error_message FROM training_ingestion_builds b JOIN raw_build_runs r ON r.id = b.raw_run_id"
			 " JOIN raw_repositories p ON p.id = b.raw_repo_id WHERE b.scenario_id = ?");
	int rc = store_page_status(&sql, pg, ENT_INGESTION_BUILD, " AND", "b.status", e);
	size_t np = 1 + (rc > 0);
	if (rc >= 0)
		rc = store_page_append(&sql, pg, list_keys, "b.id", e);
	struct store_val p[] = { sv_int(scenario_id), sv_text(pg->status) };
	if (rc == 0)
		rc = store_query(s, out, e, buf_cstr(&sql), np, p);
	buf_release(&sql);
	return rc;
}
