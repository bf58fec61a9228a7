/* Enrichment builds and feature vectors (enrichment.h). */
#include "store/enrichment.h"
#include "store/hot_sql.h"
#include "store/status.h"
#include "core/buf.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include <stdio.h>
#include <stdlib.h>

const struct build_table enrichment_builds = { "training_enrichment_builds", "extraction_status", ENT_EXTRACTION };

int enrichment_builds_create(struct store *s, int64_t scenario_id, struct err *e)
{
	int64_t now = utc_now();
	struct store_val p[] = { sv_int(now), sv_int(now), sv_int(scenario_id) };
	return store_exec(s, e, NULL,
			  "INSERT INTO training_enrichment_builds (scenario_id, ingestion_build_id, raw_run_id, raw_repo_id,"
			  " started_at, created_at, updated_at) SELECT scenario_id, id, raw_run_id, raw_repo_id, started_at,"
			  " ?, ? FROM training_ingestion_builds WHERE scenario_id = ?"
			  " AND status = 'ingested'"
			  " ON CONFLICT (scenario_id, raw_run_id) DO NOTHING",
			  3, p);
}

/* training_enrichment_builds_repo (migration 3) */
const char hot_sql_enrichment_pending[] =
	"SELECT id, raw_run_id FROM training_enrichment_builds WHERE scenario_id = ? AND raw_repo_id = ?"
	" AND extraction_status IN ('pending', 'in_progress') ORDER BY started_at, id";

int enrichment_builds_pending(struct store *s, struct enrichment_pending **out, size_t *n, int64_t scenario_id,
			      int64_t repo_id, struct err *e)
{
	struct store_cursor *c;
	struct store_val p[] = { sv_int(scenario_id), sv_int(repo_id) };
	int rc = store_query(s, &c, e, hot_sql_enrichment_pending, 2, p);
	if (rc < 0)
		return rc;
	size_t cap = 0;
	*n = 0;
	while ((rc = store_next(c, e)) == 1) {
		xgrow((void **)out, &cap, *n + 1, sizeof(**out));
		(*out)[*n].id = store_col_int(c, 0);
		(*out)[(*n)++].raw_run_id = store_col_int(c, 1);
	}
	store_cursor_free(c);
	return rc;
}

/*
 * Moves build id to `to` with the SET clause `set` (its parameters p, np of
 * them, then the build id), guarded by the states the transition table
 * allows `to` from: a build in any other state is an error, not 0 rows.
 */
static int move_build(struct store *s, int64_t id, const char *to, const char *set, struct store_val *p, size_t np,
		      struct err *e)
{
	struct buf sql = BUF_INIT;
	buf_addf(&sql, "UPDATE training_enrichment_builds SET %s WHERE id = ? AND extraction_status IN (", set);
	status_sources_sql(&sql, ENT_EXTRACTION, to);
	buf_addch(&sql, ')');
	int64_t changed = 0;
	p[np] = sv_int(id);
	int rc = store_exec(s, e, &changed, buf_cstr(&sql), np + 1, p);
	buf_release(&sql);
	if (rc == 0 && changed != 1) {
		char *cur = NULL;
		rc = store_status_get(s, ENT_EXTRACTION, id, &cur, e);
		if (rc == 0)
			rc = status_check_transition(ENT_EXTRACTION, id, cur, to, e);
		if (rc == 0)
			rc = err_set(e, ERR_CONFLICT, "enrichment build %lld changed while moving it to %s; try again",
				     (long long)id, to);
		free(cur);
	}
	return rc;
}

int enrichment_builds_store_vector(struct store *s, const struct feature_vector_row *v, struct err *e)
{
	int64_t vid = 0, now = utc_now();
	struct store_val p[] = { sv_int(v->scenario_id), sv_int(v->raw_run_id), sv_int(v->raw_repo_id), sv_text(v->status),
				 sv_text(v->values), sv_int(v->feature_count), sv_text(v->missing_resources),
				 sv_text(v->skipped_features), sv_text(v->catalogue_version), sv_int(now) };
	int rc = store_insert_id(s, &vid, e,
				 "INSERT INTO feature_vectors (scenario_id, raw_run_id, raw_repo_id, status, feature_values,"
				 " feature_count, missing_resources, skipped_features, catalogue_version, computed_at)"
				 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scenario_id, raw_run_id) DO UPDATE SET"
				 " status = excluded.status, feature_values = excluded.feature_values,"
				 " feature_count = excluded.feature_count, missing_resources = excluded.missing_resources,"
				 " skipped_features = excluded.skipped_features, catalogue_version = excluded.catalogue_version,"
				 " computed_at = excluded.computed_at RETURNING id",
				 10, p);
	struct store_val q[] = { sv_text(v->status), sv_int(vid), sv_int(v->feature_count), sv_int(now), sv_null() };
	if (rc == 0)
		rc = move_build(s, v->build_id, v->status,
				"extraction_status = ?, feature_vector_id = ?, feature_count = ?, error_message = NULL,"
				" updated_at = ?",
				q, 4, e);
	return rc;
}

int enrichment_builds_fail(struct store *s, int64_t build_id, const char *msg, struct err *e)
{
	struct store_val p[] = { sv_text(msg), sv_int(utc_now()), sv_null() };
	return move_build(s, build_id, "failed", "extraction_status = 'failed', error_message = ?, updated_at = ?", p, 2,
			  e);
}

int feature_vectors_count(struct store *s, int64_t *n, int64_t scenario_id, struct err *e)
{
	struct store_val p[] = { sv_int(scenario_id) };
	return store_query_int(s, n, e, "SELECT COUNT(*) FROM feature_vectors WHERE scenario_id = ?", 1, p);
}

int feature_vectors_delete_scenario(struct store *s, int64_t scenario_id, struct err *e)
{
	struct store_val p[] = { sv_int(scenario_id) };
	return store_exec(s, e, NULL, "DELETE FROM feature_vectors WHERE scenario_id = ?", 1, p);
}

int enrichment_dataset_rows(struct store *s, struct store_cursor **out, int64_t scenario_id, int strict,
			    struct err *e)
{
	struct store_val p[] = { sv_int(scenario_id) };
	char sql[1024];
	snprintf(sql, sizeof(sql),
		 "SELECT v.feature_values, r.ci_run_id, p.full_name, r.commit_sha, r.ci_provider,"
		 " COALESCE(r.started_at, r.created_at), p.main_lang, r.conclusion, r.raw_repo_id, v.skipped_features,"
		 " v.missing_resources"
		 " FROM training_enrichment_builds b JOIN feature_vectors v ON v.id = b.feature_vector_id"
		 " JOIN raw_build_runs r ON r.id = b.raw_run_id JOIN raw_repositories p ON p.id = r.raw_repo_id"
		 " WHERE b.scenario_id = ? AND b.extraction_status IN (%s)"
		 " ORDER BY p.full_name%s, COALESCE(r.started_at, r.created_at), LENGTH(r.ci_run_id), r.ci_run_id",
		 strict ? "'completed'" : "'completed', 'partial'",
		 /* Byte order on both drivers (SQLite compares bytes): a server's locale must not reorder rows. */
		 store_dialect(s) == STORE_PG ? " COLLATE \"C\"" : "");
	return store_query(s, out, e, sql, 1, p);
}

static const struct store_sort_key list_keys[] = { { "repo_name", "p.full_name, b.started_at" },
						   { "started_at", "b.started_at" },
						   { "id", "b.id" },
						   { NULL, NULL } };

int enrichment_builds_list(struct store *s, struct store_cursor **out, int64_t scenario_id, const struct store_page *pg,
			   struct err *e)
{
	struct buf sql = BUF_INIT;
	buf_addstr(&sql, "SELECT b.id, r.ci_run_id, p.full_name, b.started_at, b.extraction_status, b.feature_count,"
			 " b.error_message, v.missing_resources, v.skipped_features, v.feature_values"
			 " FROM training_enrichment_builds b JOIN raw_build_runs r ON r.id = b.raw_run_id"
			 " JOIN raw_repositories p ON p.id = b.raw_repo_id LEFT JOIN feature_vectors v ON v.id = b.feature_vector_id"
			 " WHERE b.scenario_id = ?");
	int rc = store_page_status(&sql, pg, ENT_EXTRACTION, " AND", "b.extraction_status", e);
	size_t np = 1 + (rc > 0);
	if (rc >= 0)
		rc = store_page_append(&sql, pg, list_keys, "b.id", e);
	struct store_val p[] = { sv_int(scenario_id), sv_text(pg->status) };
	if (rc == 0)
		rc = store_query(s, out, e, buf_cstr(&sql), np, p);
	buf_release(&sql);
	return rc;
}
