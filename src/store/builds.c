/* The per-build tables' shared statements, built from their descriptors (builds.h). */
#include "store/builds.h"
#include "core/buf.h"
#include "core/utc.h"
#include <stdio.h>
#include <string.h>

int builds_pending_repos(struct store *s, int64_t **repos, size_t *n, const struct build_table *t, int64_t scenario_id,
			 struct err *e)
{
	char sql[256];
	snprintf(sql, sizeof(sql),
		 "SELECT DISTINCT raw_repo_id FROM %s WHERE scenario_id = ? AND %s = 'pending' ORDER BY raw_repo_id",
		 t->table, t->status_col);
	struct store_val p[] = { sv_int(scenario_id) };
	return store_query_ints(s, repos, n, e, sql, 1, p);
}

int builds_fail_leftovers(struct store *s, const struct build_table *t, int64_t scenario_id,
			  const char *const *open_states, const char *repo_kind, struct err *e)
{
	int rc = status_check_moves(t->ent, scenario_id, open_states, "failed", e);
	if (rc < 0)
		return rc;
	struct buf sql = BUF_INIT;
	buf_addf(&sql,
		 "UPDATE %s SET %s = 'failed', updated_at = ?, error_message = COALESCE((SELECT last_error FROM jobs"
		 " WHERE kind = '%s' AND state IN ('dead', 'failed') AND payload = '{\"raw_repo_id\":' || %s.raw_repo_id"
		 " || ',\"scenario_id\":' || %s.scenario_id || '}' ORDER BY id DESC LIMIT 1),"
		 " 'the repository job did not finish') WHERE scenario_id = ? AND %s IN (",
		 t->table, t->status_col, repo_kind, t->table, t->table, t->status_col);
	status_list_sql(&sql, open_states);
	buf_addch(&sql, ')');
	struct store_val p[] = { sv_int(utc_now()), sv_int(scenario_id) };
	rc = store_exec(s, e, NULL, buf_cstr(&sql), 2, p);
	buf_release(&sql);
	return rc;
}

int builds_reset(struct store *s, int64_t *changed, const struct build_table *t, int64_t scenario_id,
		 const char *const *from, int clear_error, struct err *e)
{
	int rc = status_check_moves(t->ent, scenario_id, from, "pending", e);
	if (rc < 0)
		return rc;
	struct buf sql = BUF_INIT;
	buf_addf(&sql, "UPDATE %s SET %s = 'pending',%s updated_at = ? WHERE scenario_id = ?", t->table, t->status_col,
		 clear_error ? " error_message = NULL," : "");
	if (from) {
		buf_addf(&sql, " AND %s IN (", t->status_col);
		status_list_sql(&sql, from);
		buf_addch(&sql, ')');
	}
	struct store_val p[] = { sv_int(utc_now()), sv_int(scenario_id) };
	rc = store_exec(s, e, changed, buf_cstr(&sql), 2, p);
	buf_release(&sql);
	return rc;
}

int builds_count(struct store *s, int64_t *n, const struct build_table *t, int64_t scenario_id,
		 const char *const *states, struct err *e)
{
	struct buf sql = BUF_INIT;
	buf_addf(&sql, "SELECT COUNT(*) FROM %s WHERE scenario_id = ?", t->table);
	if (states) {
		buf_addf(&sql, " AND %s IN (", t->status_col);
		status_list_sql(&sql, states);
		buf_addch(&sql, ')');
	}
	struct store_val p[] = { sv_int(scenario_id) };
	int rc = store_query_int(s, n, e, buf_cstr(&sql), 1, p);
	buf_release(&sql);
	return rc;
}

int builds_count_by_status(struct store *s, int64_t *counts, const struct build_table *t, int64_t scenario_id,
			   struct err *e)
{
	const char *const *values = status_values(t->ent);
	for (size_t i = 0; values[i]; i++)
		counts[i] = 0;
	char sql[200];
	snprintf(sql, sizeof(sql), "SELECT %s, COUNT(*) FROM %s WHERE scenario_id = ? GROUP BY %s", t->status_col,
		 t->table, t->status_col);
	struct store_val p[] = { sv_int(scenario_id) };
	struct store_cursor *c;
	int rc = store_query(s, &c, e, sql, 1, p);
	if (rc < 0)
		return rc;
	while ((rc = store_next(c, e)) == 1)
		for (size_t i = 0; values[i]; i++)
			if (strcmp(values[i], store_col_text(c, 0)) == 0)
				counts[i] = store_col_int(c, 1);
	store_cursor_free(c);
	return rc < 0 ? rc : 0;
}

int builds_delete_scenario(struct store *s, const struct build_table *t, int64_t scenario_id, struct err *e)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE scenario_id = ?", t->table);
	struct store_val p[] = { sv_int(scenario_id) };
	return store_exec(s, e, NULL, sql, 1, p);
}
