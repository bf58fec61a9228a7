/* Build sources and their rows (sources.h). */
#include "store/sources.h"
#include "store/hot_sql.h"
#include "store/status.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sources_insert(struct store *s, int64_t *id, const struct sources_new *n, struct err *e)
{
	struct store_val p[] = { sv_text(n->name), sv_text(n->description), sv_text(n->file_name),
				 sv_text(n->provider), sv_text(n->archive_dir), sv_text(n->mapped_fields),
				 sv_int(n->now), sv_int(n->now) };
	return store_insert_id(s, id, e,
			       "INSERT INTO build_sources (name, description, file_name, ci_provider, archive_dir,"
			       " mapped_fields, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			       8, p);
}

int sources_finish_import(struct store *s, int64_t id, int64_t rows, int64_t invalid, int64_t duplicates,
			  const char *preview, struct err *e)
{
	struct store_val p[] = { sv_int(rows), sv_int(rows), sv_int(invalid), sv_int(duplicates), sv_text(preview),
				 sv_int(utc_now()), sv_int(id) };
	return store_exec(s, e, NULL,
			  "UPDATE build_sources SET rows = ?, stat_total = ?, stat_invalid = ?, stat_duplicates = ?,"
			  " preview = ?, updated_at = ? WHERE id = ?",
			  7, p);
}

int sources_delete(struct store *s, int64_t id, struct err *e)
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

int sources_refresh_stats(struct store *s, int64_t id, struct err *e)
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

int sources_add_stat(struct store *s, int64_t id, const char *verdict, int64_t n, struct err *e)
{
	static const char *const cols[][2] = { { "found", "stat_found" },
					       { "not_found", "stat_not_found" },
					       { "filtered", "stat_filtered" } };
	const char *col = NULL;
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		if (strcmp(cols[i][0], verdict) == 0)
			col = cols[i][1];
	if (!col)
		return err_set(e, ERR_INTERNAL, "'%s' is not a verdict a source counts", verdict);
	char sql[160];
	snprintf(sql, sizeof(sql), "UPDATE build_sources SET %s = %s + ?, updated_at = ? WHERE id = ?", col, col);
	struct store_val q[] = { sv_int(n), sv_int(utc_now()), sv_int(id) };
	return store_exec(s, e, NULL, sql, 3, q);
}

int sources_set_status(struct store *s, int64_t id, const char *to, struct err *e)
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

int sources_set_progress(struct store *s, int64_t id, const char *msg, struct err *e)
{
	struct store_val p[] = { sv_text(msg), sv_int(id) };
	return store_exec(s, e, NULL, "UPDATE build_sources SET progress = ? WHERE id = ?", 2, p);
}

int sources_set_error(struct store *s, int64_t id, const char *msg, struct err *e)
{
	struct store_val p[] = { sv_text(msg), sv_int(id) };
	return store_exec(s, e, NULL, "UPDATE build_sources SET error_message = ? WHERE id = ?", 2, p);
}

int sources_archive_dir(struct store *s, char **out, int64_t id, struct err *e)
{
	struct store_val p[] = { sv_int(id) };
	return store_query_text(s, out, e, "SELECT archive_dir FROM build_sources WHERE id = ?", 1, p);
}

int sources_find_by_name(struct store *s, int64_t *id, const char *name, struct err *e)
{
	struct store_val p[] = { sv_text(name) };
	return store_query_int(s, id, e, "SELECT id FROM build_sources WHERE name = ? ORDER BY id DESC LIMIT 1", 1, p);
}

int sources_find_validating(struct store *s, int64_t *id, const char *file_name, const char *name, struct err *e)
{
	struct store_val p[] = { sv_text(file_name), sv_text(name) };
	*id = 0;
	return store_query_int(s, id, e,
			       "SELECT COALESCE(MAX(id), 0) FROM build_sources WHERE file_name = ? AND name = ?"
			       " AND validation_status = 'in_progress'",
			       2, p);
}

int sources_stats(struct store *s, struct sources_stats *out, int64_t id, struct err *e)
{
	struct store_cursor *c;
	struct store_val p[] = { sv_int(id) };
	int rc = store_query(s, &c, e,
			     "SELECT validation_status, stat_total, stat_found, stat_not_found, stat_filtered, stat_invalid,"
			     " stat_duplicates FROM build_sources WHERE id = ?",
			     1, p);
	if (rc < 0)
		return rc;
	if ((rc = store_next(c, e)) == 1) {
		snprintf(out->status, sizeof(out->status), "%s", store_col_text(c, 0));
		int64_t *v[] = { &out->total, &out->found, &out->not_found, &out->filtered, &out->invalid, &out->duplicates };
		for (int i = 0; i < 6; i++)
			*v[i] = store_col_int(c, i + 1);
	}
	store_cursor_free(c);
	if (rc == 0)
		rc = err_set(e, ERR_NOT_FOUND, "build source %lld does not exist", (long long)id);
	return rc < 0 ? rc : 0;
}

#define SOURCE_SELECT                                                                                              \
	"SELECT id, name, description, file_name, ci_provider, archive_dir, rows, validation_status, stat_total,"  \
	" stat_found, stat_not_found, stat_filtered, stat_invalid, stat_duplicates,"                               \
	" (SELECT COUNT(*) FROM source_builds b WHERE b.source_id = build_sources.id AND b.status = 'pending'),"   \
	" mapped_fields, preview, progress, error_message, created_at, validation_started_at, validation_completed_at" \
	" FROM build_sources"

int sources_get(struct store *s, struct store_cursor **out, int64_t id, struct err *e)
{
	struct store_val p[] = { sv_int(id) };
	return store_query(s, out, e, SOURCE_SELECT " WHERE id = ?", 1, p);
}

static const struct store_sort_key source_keys[] = {
	{ "id", "id" }, { "name", "name" }, { "created_at", "created_at" }, { NULL, NULL }
};

int sources_list(struct store *s, struct store_cursor **out, const struct store_page *pg, struct err *e)
{
	struct buf sql = BUF_INIT;
	buf_addstr(&sql, SOURCE_SELECT);
	int rc = store_page_status(&sql, pg, ENT_SOURCE_VALIDATION, " WHERE", "validation_status", e);
	int np = rc > 0;
	if (rc >= 0)
		rc = store_page_append(&sql, pg, source_keys, "id", e);
	struct store_val p[] = { sv_text(pg->status) };
	if (rc >= 0)
		rc = store_query(s, out, e, buf_cstr(&sql), (size_t)np, p);
	buf_release(&sql);
	return rc;
}

int sources_count(struct store *s, int64_t *total, const struct store_page *pg, struct err *e)
{
	struct buf sql = BUF_INIT;
	buf_addstr(&sql, "SELECT COUNT(*) FROM build_sources");
	int rc = store_page_status(&sql, pg, ENT_SOURCE_VALIDATION, " WHERE", "validation_status", e);
	struct store_val p[] = { sv_text(pg->status) };
	if (rc >= 0)
		rc = store_query_int(s, total, e, buf_cstr(&sql), rc > 0, p);
	buf_release(&sql);
	return rc;
}

int source_builds_insert(struct store *s, int *inserted, const struct source_builds_new *n, struct err *e)
{
	int64_t changes = 0;
	struct store_val p[] = { sv_int(n->source_id), sv_int(n->line_no), sv_text(n->provider), sv_text(n->build_id),
				 sv_text(n->repo), sv_text(n->reason ? "invalid" : "pending"), sv_text(n->reason),
				 sv_int(n->now) };
	int rc = store_exec(s, e, &changes,
			    "INSERT INTO source_builds (source_id, line_no, ci_provider, build_id_from_source,"
			    " repo_name_from_source, status, reason, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
			    " ON CONFLICT (source_id, ci_provider, LOWER(repo_name_from_source), build_id_from_source)"
			    " WHERE status <> 'invalid' DO NOTHING",
			    8, p);
	*inserted = changes > 0;
	return rc;
}

int source_builds_pending_repos(struct store *s, struct strvec *providers, struct strvec *repos, int64_t source_id,
				struct err *e)
{
	struct store_cursor *c = NULL;
	struct store_val p[] = { sv_int(source_id) };
	int rc = store_query(s, &c, e,
			     "SELECT DISTINCT ci_provider, repo_name_from_source FROM source_builds WHERE source_id = ?"
			     " AND status = 'pending' ORDER BY 1, 2",
			     1, p);
	if (rc < 0)
		return rc;
	while ((rc = store_next(c, e)) == 1) {
		strvec_push(providers, store_col_text(c, 0));
		strvec_push(repos, store_col_text(c, 1));
	}
	store_cursor_free(c);
	return rc;
}

/* source_builds_repo (migration 3) */
const char hot_sql_source_pending[] =
	"SELECT build_id_from_source FROM source_builds WHERE source_id = ? AND ci_provider = ?"
	" AND repo_name_from_source = ? AND status = 'pending' ORDER BY id";

int source_builds_pending_ids(struct store *s, struct strvec *ids, int64_t source_id, const char *provider,
			      const char *repo, struct err *e)
{
	struct store_cursor *c;
	struct store_val p[] = { sv_int(source_id), sv_text(provider), sv_text(repo) };
	int rc = store_query(s, &c, e, hot_sql_source_pending, 3, p);
	if (rc < 0)
		return rc;
	while ((rc = store_next(c, e)) == 1)
		strvec_push(ids, store_col_text(c, 0));
	store_cursor_free(c);
	return rc;
}

int source_builds_count(struct store *s, int64_t *n, int64_t source_id, const char *repo, const char *status,
			struct err *e)
{
	struct buf sql = BUF_INIT;
	struct store_val p[3] = { sv_int(source_id) };
	size_t np = 1;
	buf_addstr(&sql, "SELECT COUNT(*) FROM source_builds WHERE source_id = ?");
	if (repo) {
		buf_addstr(&sql, " AND repo_name_from_source = ?");
		p[np++] = sv_text(repo);
	}
	if (status) {
		buf_addstr(&sql, " AND status = ?");
		p[np++] = sv_text(status);
	}
	int rc = store_query_int(s, n, e, buf_cstr(&sql), np, p);
	buf_release(&sql);
	return rc;
}

int source_builds_set_pending(struct store *s, int64_t source_id, const char *provider, const char *repo,
			      const char *to, const char *reason, struct err *e)
{
	int rc = status_check_transition(ENT_SOURCE_BUILD, source_id, "pending", to, e);
	struct store_val p[] = { sv_text(to), sv_text(reason), sv_int(utc_now()), sv_int(source_id),
				 sv_text(provider), sv_text(repo) };
	if (rc == 0)
		rc = store_exec(s, e, NULL,
				"UPDATE source_builds SET status = ?, reason = ?, updated_at = ? WHERE source_id = ?"
				" AND ci_provider = ? AND repo_name_from_source = ? AND status = 'pending'",
				6, p);
	return rc;
}

/* source_builds_repo, one look-up per VALUES row */
void hot_sql_source_verdicts(struct buf *sql, size_t rows)
{
	buf_addstr(sql, "UPDATE source_builds SET status = ?, reason = v.column2, raw_repo_id = ?,"
			" raw_run_id = CAST(v.column3 AS BIGINT), updated_at = ? FROM (VALUES ");
	for (size_t i = 0; i < rows; i++)
		buf_addstr(sql, i ? ", (?, ?, ?)" : "(?, ?, ?)");
	buf_addstr(sql, ") AS v WHERE source_id = ? AND ci_provider = ? AND repo_name_from_source = ?"
			" AND status = 'pending' AND build_id_from_source = v.column1");
}

/* FLUSH_ROWS rows of 3 parameters stay under every SQLite build's limit of 999 parameters. */
#define FLUSH_ROWS 300
int source_builds_set_verdicts(struct store *s, int64_t *changed, int64_t source_id, const char *provider,
			       const char *repo, int64_t raw_repo_id, const char *to,
			       const struct source_builds_verdict *v, size_t n, struct err *e)
{
	*changed = 0;
	int rc = status_check_transition(ENT_SOURCE_BUILD, source_id, "pending", to, e);
	struct buf sql = BUF_INIT;
	struct store_val *p = xcalloc(3 * FLUSH_ROWS + 6, sizeof(*p));
	for (size_t next = 0; rc == 0 && next < n;) {
		size_t np = 0, rows = 0;
		p[np++] = sv_text(to);
		p[np++] = sv_int(raw_repo_id);
		p[np++] = sv_int(utc_now());
		for (; next < n && rows < FLUSH_ROWS; next++, rows++) {
			p[np++] = sv_text(v[next].build_id);
			p[np++] = sv_text(v[next].reason);
			p[np++] = v[next].raw_run_id ? sv_int(v[next].raw_run_id) : sv_null();
		}
		buf_reset(&sql);
		hot_sql_source_verdicts(&sql, rows);
		p[np++] = sv_int(source_id);
		p[np++] = sv_text(provider);
		p[np++] = sv_text(repo);
		int64_t k = 0;
		rc = store_exec(s, e, &k, buf_cstr(&sql), np, p);
		*changed += k;
	}
	free(p);
	buf_release(&sql);
	return rc;
}

static const struct store_sort_key source_build_keys[] = {
	{ "row", "line_no" }, { "id", "id" }, { "status", "status" }, { "repo_name", "repo_name_from_source" },
	{ NULL, NULL }
};

int source_builds_list(struct store *s, struct store_cursor **out, int64_t source_id, const struct store_page *pg,
		       struct err *e)
{
	struct buf sql = BUF_INIT;
	buf_addstr(&sql, "SELECT line_no, ci_provider, repo_name_from_source, build_id_from_source, status, reason,"
			 " raw_run_id FROM source_builds WHERE source_id = ?");
	int rc = store_page_status(&sql, pg, ENT_SOURCE_BUILD, " AND", "status", e);
	size_t np = 1 + (rc > 0);
	if (rc >= 0)
		rc = store_page_append(&sql, pg, source_build_keys, "id", e);
	struct store_val p[] = { sv_int(source_id), sv_text(pg->status) };
	if (rc == 0)
		rc = store_query(s, out, e, buf_cstr(&sql), np, p);
	buf_release(&sql);
	return rc;
}

int source_builds_repos(struct store *s, struct store_cursor **out, int64_t source_id, struct err *e)
{
	struct store_val p[] = { sv_int(source_id) };
	return store_query(s, out, e,
			   "SELECT repo_name_from_source, ci_provider, COUNT(*),"
			   " SUM(CASE WHEN status = 'found' THEN 1 ELSE 0 END),"
			   " SUM(CASE WHEN status = 'not_found' THEN 1 ELSE 0 END),"
			   " SUM(CASE WHEN status = 'filtered' THEN 1 ELSE 0 END),"
			   " SUM(CASE WHEN status = 'invalid' THEN 1 ELSE 0 END),"
			   " SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END)"
			   " FROM source_builds WHERE source_id = ? GROUP BY repo_name_from_source, ci_provider ORDER BY 1, 2",
			   1, p);
}
