/*
 * Build-source operations besides import: starting validation (the
 * specification's orchestrator: group pending rows by repository, one job
 * each, fan-in to validate_finish, all enqueued in one transaction), stats,
 * status, deletion.
 */
#include "pipeline/source.h"
#include "pipeline/events.h"
#include "core/buf.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include "jobs/queue.h"
#include "store/status.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

int source_refresh_stats(struct store *s, int64_t id, struct err *e)
{
	struct store_val p[] = { sv_int(utc_now()), sv_int(id) };
	return store_exec(s, e, NULL,
			  "UPDATE build_sources SET"
			  " stat_found = (SELECT COUNT(*) FROM source_builds b WHERE b.source_id = build_sources.id AND b.status = 'found'),"
			  " stat_not_found = (SELECT COUNT(*) FROM source_builds b WHERE b.source_id = build_sources.id AND b.status = 'not_found'),"
			  " stat_filtered = (SELECT COUNT(*) FROM source_builds b WHERE b.source_id = build_sources.id AND b.status = 'filtered'),"
			  " stat_invalid = (SELECT COUNT(*) FROM source_builds b WHERE b.source_id = build_sources.id AND b.status = 'invalid'),"
			  " updated_at = ? WHERE id = ?",
			  2, p);
}

int source_set_status(struct store *s, int64_t id, const char *to, struct err *e)
{
	int rc = store_status_set(s, ENT_SOURCE_VALIDATION, id, NULL, to, e);
	if (rc < 0)
		return rc;
	const char *col = strcmp(to, "in_progress") == 0 ? "validation_started_at" : "validation_completed_at";
	char sql[160];
	snprintf(sql, sizeof(sql), "UPDATE build_sources SET %s = ? WHERE id = ?", col);
	struct store_val p[] = { sv_int(utc_now()), sv_int(id) };
	return store_exec(s, e, NULL, sql, 2, p);
}

/* payload: the validate_finish job's, {"source_id":ID}. */
static int open_validation_jobs(struct store *s, const char *payload, int64_t *n, struct err *e)
{
	struct store_val p[] = { sv_text(payload) };
	return store_query_int(s, n, e,
			       "SELECT COUNT(*) FROM jobs WHERE kind = 'validate_finish' AND payload = ?"
			       " AND state IN ('waiting', 'queued', 'running')",
			       1, p);
}

int source_validation_open(struct store *s, int64_t id, int64_t *open, struct err *e)
{
	char payload[64];
	snprintf(payload, sizeof(payload), "{\"source_id\":%lld}", (long long)id);
	return open_validation_jobs(s, payload, open, e);
}

int source_validation_cause(struct store *s, int64_t id, char **reason, char **repo, int64_t *rows, struct err *e)
{
	*reason = *repo = NULL;
	*rows = 0;
	/* validate_repo payloads are {"provider", "repo", "source_id"} with sorted keys. */
	char like[64];
	snprintf(like, sizeof(like), "%%\"source_id\":%lld}", (long long)id);
	struct store_val p[] = { sv_text(like) };
	struct store_cursor *c;
	int rc = store_query(s, &c, e,
			     "SELECT last_error, payload FROM jobs WHERE kind = 'validate_repo' AND payload LIKE ?"
			     " AND last_error IS NOT NULL AND state <> 'succeeded' ORDER BY id DESC LIMIT 1",
			     1, p);
	if (rc < 0)
		return rc;
	if ((rc = store_next(c, e)) == 1) {
		*reason = xstrdup(store_col_text(c, 0));
		json_t *pl = json_loads(store_col_text(c, 1), 0, NULL);
		const char *r = pl ? json_string_value(json_object_get(pl, "repo")) : NULL;
		*repo = r ? xstrdup(r) : NULL;
		json_decref(pl);
	}
	store_cursor_free(c);
	if (rc < 0)
		return rc;
	struct store_val q[] = { sv_int(id), sv_text(*repo ? *repo : "") };
	if (*repo)
		rc = store_query_int(s, rows, e,
				     "SELECT COUNT(*) FROM source_builds WHERE source_id = ? AND repo_name_from_source = ?"
				     " AND status = 'pending'",
				     2, q);
	return rc < 0 ? rc : 0;
}

int source_validate_start(struct store *s, int64_t id, struct err *e)
{
	int rc = store_begin(s, e);
	if (rc < 0)
		return rc;
	int64_t open = 0;
	char *status = NULL, payload[64];
	snprintf(payload, sizeof(payload), "{\"source_id\":%lld}", (long long)id);
	rc = store_status_get(s, ENT_SOURCE_VALIDATION, id, &status, e);
	if (rc == 0)
		rc = open_validation_jobs(s, payload, &open, e);
	if (rc == 0 && open > 0)
		rc = err_set(e, ERR_CONFLICT,
			     "build source %lld is already being validated; run 'ciminer worker' (or wait for the"
			     " running workers) to finish it",
			     (long long)id);
	if (rc == 0 && strcmp(status, "in_progress") != 0)
		rc = source_set_status(s, id, "in_progress", e);
	free(status);

	int64_t finish = 0;
	struct jobs_enqueue_opts fo = { .queue = "validation", .kind = "validate_finish", .payload = payload,
					.waiting = 1 };
	if (rc == 0)
		rc = jobs_enqueue(s, &fo, &finish, e);
	struct store_cursor *c = NULL;
	struct store_val p[] = { sv_int(id) };
	if (rc == 0)
		rc = store_query(s, &c, e,
				 "SELECT DISTINCT ci_provider, repo_name_from_source FROM source_builds WHERE source_id = ?"
				 " AND status = 'pending' ORDER BY 1, 2",
				 1, p);
	struct strvec prov = STRVEC_INIT, repos = STRVEC_INIT;
	if (rc == 0) {
		while ((rc = store_next(c, e)) == 1) {
			strvec_push(&prov, store_col_text(c, 0));
			strvec_push(&repos, store_col_text(c, 1));
		}
		store_cursor_free(c);
	}
	for (size_t i = 0; rc == 0 && i < repos.n; i++) {
		json_t *pl = json_pack("{s:I, s:s, s:s}", "source_id", (json_int_t)id, "provider", prov.v[i], "repo",
				       repos.v[i]);
		char *txt = json_dumps(pl, JSON_COMPACT | JSON_SORT_KEYS);
		struct jobs_enqueue_opts o = { .queue = "validation", .kind = "validate_repo", .payload = txt,
					       .parent_id = finish, .max_attempts = 5 };
		rc = jobs_enqueue(s, &o, NULL, e);
		free(txt);
		json_decref(pl);
	}
	if (rc == 0)
		rc = jobs_release(s, finish, e);
	if (rc == 0)
		rc = events_source_update(s, id, "validation started", e);
	strvec_clear(&prov);
	strvec_clear(&repos);
	return store_tx_end(s, rc, e);
}

int source_delete(struct store *s, int64_t id, struct err *e)
{
	struct store_val p[] = { sv_int(id) };
	int64_t n = 0;
	int rc = store_begin(s, e);
	if (rc == 0)
		rc = store_exec(s, e, NULL, "DELETE FROM source_builds WHERE source_id = ?", 1, p);
	if (rc == 0)
		rc = store_exec(s, e, &n, "DELETE FROM build_sources WHERE id = ?", 1, p);
	if (rc == 0 && n == 0)
		rc = err_set(e, ERR_NOT_FOUND, "build source %lld does not exist; 'ciminer source list' shows them",
			     (long long)id);
	return store_tx_end(s, rc, e);
}
