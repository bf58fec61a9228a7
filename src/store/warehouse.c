/* The warehouse's tables (warehouse.h). */
#include "store/warehouse.h"
#include "store/hot_sql.h"
#include "core/json.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include <stdlib.h>
#include <string.h>

static void add_param(struct store_val **params, size_t *n, struct store_val v)
{
	*params = xrealloc(*params, (*n + 1) * sizeof(**params));
	(*params)[(*n)++] = v;
}

/* " AND <expr> IN (?, ?, ...)" over a list of strings, lower-cased when lower. */
static void in_list(struct buf *sql, const char *expr, const json_t *list, int lower, struct store_val **params,
		    size_t *n)
{
	buf_addf(sql, " AND %s IN (", expr);
	size_t i;
	json_t *it;
	json_array_foreach(list, i, it) {
		buf_addstr(sql, i ? ", " : "");
		buf_addstr(sql, lower ? "LOWER(?)" : "?");
		add_param(params, n, sv_text(json_string_value(it)));
	}
	buf_addch(sql, ')');
}

void warehouse_filter_where(const json_t *ds, struct buf *sql, struct store_val **params, size_t *n)
{
	buf_addstr(sql, " WHERE 1 = 1");
	const char *by = core_json_str(ds, "filter_by", "all");
	if (strcmp(by, "by_language") == 0)
		in_list(sql, "LOWER(p.main_lang)", json_object_get(ds, "languages"), 1, params, n);
	else if (strcmp(by, "by_name") == 0)
		in_list(sql, "LOWER(p.full_name)", json_object_get(ds, "repo_names"), 1, params, n);
	else if (strcmp(by, "by_owner") == 0) {
		buf_addstr(sql, " AND (");
		size_t i;
		json_t *it;
		json_array_foreach(json_object_get(ds, "owners"), i, it) {
			buf_addstr(sql, i ? " OR " : "");
			/* A prefix comparison, not LIKE: '_' and '%' in an owner are plain characters. */
			buf_addstr(sql, "SUBSTR(LOWER(p.full_name), 1, LENGTH(?) + 1) = LOWER(?) || '/'");
			add_param(params, n, sv_text(json_string_value(it)));
			add_param(params, n, sv_text(json_string_value(it)));
		}
		buf_addch(sql, ')');
	}
	const char *prov = core_json_str(ds, "ci_provider", "all");
	if (strcmp(prov, "all") != 0) {
		buf_addstr(sql, " AND r.ci_provider = ?");
		add_param(params, n, sv_text(prov));
	}
	json_t *ids = json_object_get(ds, "source_ids");
	if (json_array_size(ids) > 0) {
		buf_addstr(sql, " AND r.id IN (SELECT raw_run_id FROM source_builds WHERE raw_run_id IS NOT NULL AND source_id IN (");
		size_t i;
		json_t *it;
		json_array_foreach(ids, i, it) {
			buf_addstr(sql, i ? ", ?" : "?");
			add_param(params, n, sv_int(json_integer_value(it)));
		}
		buf_addstr(sql, "))");
	}
	int64_t t;
	const char *d0 = core_json_str(ds, "date_start", NULL), *d1 = core_json_str(ds, "date_end", NULL);
	if (d0 && utc_parse(&t, d0, NULL) == 0) {
		buf_addstr(sql, " AND r.created_at >= ?");
		add_param(params, n, sv_int(t));
	}
	if (d1 && utc_parse(&t, d1, NULL) == 0) { /* inclusive day: before the next midnight */
		buf_addstr(sql, " AND r.created_at < ?");
		add_param(params, n, sv_int(t + USEC_PER_DAY));
	}
	json_t *concl = json_object_get(ds, "conclusions");
	if (json_array_size(concl) > 0)
		in_list(sql, "r.conclusion", concl, 0, params, n);
	if (core_json_bool(ds, "exclude_bots", 1))
		buf_addstr(sql, " AND r.is_bot = 0");
}

int warehouse_filter_counts(struct store *s, struct store_cursor **out, const json_t *ds, struct err *e)
{
	struct buf sql = BUF_INIT;
	struct store_val *params = NULL;
	size_t n = 0;
	buf_addstr(&sql, "SELECT p.full_name, COUNT(*), SUM(CASE WHEN r.conclusion = 'success' THEN 1 ELSE 0 END),"
			 " SUM(CASE WHEN r.conclusion = 'failure' THEN 1 ELSE 0 END), MIN(r.created_at), MAX(r.created_at),"
			 " p.ci_provider FROM raw_build_runs r JOIN raw_repositories p ON p.id = r.raw_repo_id");
	warehouse_filter_where(ds, &sql, &params, &n);
	/* By repository row, not name: one name at two providers is two repositories to ingest. */
	buf_addstr(&sql, " GROUP BY p.id, p.full_name, p.ci_provider ORDER BY p.full_name, p.ci_provider");
	int rc = store_query(s, out, e, buf_cstr(&sql), n, params);
	free(params);
	buf_release(&sql);
	return rc;
}

int warehouse_repo_upsert(struct store *s, int64_t *id, const struct warehouse_repo_row *r, struct err *e)
{
	int64_t now = utc_now();
	struct store_val p[] = { sv_text(r->provider), sv_text(r->full_name), sv_text(r->provider_repo_id),
				 sv_text(r->default_branch), sv_text(r->main_lang), sv_int(r->is_private),
				 sv_text(r->clone_url), sv_text(r->archive_dir), sv_text(r->metadata),
				 sv_int(now), sv_int(now) };
	return store_insert_id(s, id, e,
			       "INSERT INTO raw_repositories (ci_provider, full_name, provider_repo_id, default_branch,"
			       " main_lang, is_private, clone_url, archive_dir, metadata, created_at, updated_at)"
			       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (ci_provider, full_name) DO UPDATE SET"
			       " provider_repo_id = excluded.provider_repo_id, default_branch = excluded.default_branch,"
			       " main_lang = excluded.main_lang, is_private = excluded.is_private,"
			       " clone_url = excluded.clone_url, archive_dir = excluded.archive_dir, metadata = excluded.metadata,"
			       " updated_at = excluded.updated_at RETURNING id",
			       11, p);
}

int warehouse_repo_get(struct store *s, struct store_cursor **out, int64_t id, struct err *e)
{
	struct store_val p[] = { sv_int(id) };
	return store_query(s, out, e,
			   "SELECT full_name, ci_provider, clone_url, archive_dir, main_lang, default_branch"
			   " FROM raw_repositories WHERE id = ?",
			   1, p);
}

int warehouse_run_upsert(struct store *s, int64_t *id, const struct warehouse_run_row *r, struct err *e)
{
	struct store_val p[] = {
		sv_int(r->raw_repo_id), sv_text(r->provider), sv_text(r->ci_run_id), sv_int(r->build_number),
		sv_text(r->branch), sv_text(r->commit_sha), sv_text(r->commit_message), sv_text(r->author_name),
		sv_text(r->author_email), sv_text(r->event), sv_text(r->actor_login), sv_int(r->is_bot),
		sv_text(r->pr_numbers), sv_text(r->status), sv_text(r->conclusion), sv_opt_int(r->created_at),
		sv_opt_int(r->started_at), sv_opt_int(r->completed_at),
		r->duration_sec < 0 ? sv_null() : sv_real(r->duration_sec), sv_text(r->web_url), sv_int(r->run_attempt),
		sv_text(r->raw), sv_int(r->fetched_at),
	};
	return store_insert_id(
		s, id, e,
		"INSERT INTO raw_build_runs (raw_repo_id, ci_provider, ci_run_id, build_number, branch, commit_sha,"
		" commit_message, author_name, author_email, event, actor_login, is_bot, pr_numbers, status, conclusion,"
		" created_at, started_at, completed_at, duration_sec, web_url, run_attempt, raw, fetched_at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
		" ON CONFLICT (ci_provider, raw_repo_id, ci_run_id) DO UPDATE SET build_number = excluded.build_number,"
		" branch = excluded.branch, commit_sha = excluded.commit_sha, commit_message = excluded.commit_message,"
		" author_name = excluded.author_name, author_email = excluded.author_email, event = excluded.event,"
		" actor_login = excluded.actor_login, is_bot = excluded.is_bot,"
		/* A fork PR's number found at ingestion (commits/{sha}/pulls) survives a re-validation,
		 * whose payload names no pull request again. */
		" pr_numbers = CASE WHEN excluded.pr_numbers = '[]' THEN raw_build_runs.pr_numbers"
		" ELSE excluded.pr_numbers END,"
		" status = excluded.status, conclusion = excluded.conclusion, created_at = excluded.created_at,"
		" started_at = excluded.started_at, completed_at = excluded.completed_at,"
		" duration_sec = excluded.duration_sec, web_url = excluded.web_url, run_attempt = excluded.run_attempt,"
		" raw = excluded.raw, fetched_at = excluded.fetched_at RETURNING id",
		23, p);
}

int warehouse_jobs_upsert(struct store *s, int64_t run_id, const struct warehouse_job_row *jobs, size_t n,
			  struct err *e)
{
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const struct warehouse_job_row *j = &jobs[i];
		struct store_val p[] = { sv_int(run_id), sv_text(j->ci_job_id), sv_text(j->name), sv_text(j->status),
					 sv_text(j->conclusion), sv_opt_int(j->started_at), sv_opt_int(j->completed_at),
					 sv_text(j->runner), sv_text(j->raw) };
		rc = store_exec(s, e, NULL,
				"INSERT INTO raw_build_jobs (raw_run_id, ci_job_id, name, status, conclusion, started_at,"
				" completed_at, runner_name, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
				" ON CONFLICT (raw_run_id, ci_job_id) DO UPDATE SET name = excluded.name,"
				" status = excluded.status, conclusion = excluded.conclusion, started_at = excluded.started_at,"
				/* A GraphQL listing knows no runner: it does not erase what a REST one stored. */
				" completed_at = excluded.completed_at,"
				" runner_name = COALESCE(excluded.runner_name, raw_build_jobs.runner_name), raw = excluded.raw",
				9, p);
	}
	if (rc == 0) {
		struct store_val q[] = { sv_int((int64_t)n), sv_int(run_id) };
		rc = store_exec(s, e, NULL, "UPDATE raw_build_runs SET jobs_count = ? WHERE id = ?", 2, q);
	}
	return rc;
}

int warehouse_run_set_prs(struct store *s, int64_t run_id, const char *pr_numbers, struct err *e)
{
	struct store_val p[] = { sv_text(pr_numbers), sv_int(run_id) };
	return store_exec(s, e, NULL, "UPDATE raw_build_runs SET pr_numbers = ? WHERE id = ? AND pr_numbers = '[]'", 2, p);
}

int warehouse_job_log_stored(struct store *s, int64_t job_id, const char *sha256, int64_t size_raw,
			     int64_t size_stored, int truncated, struct err *e)
{
	struct store_val p[] = { sv_text(sha256), sv_int(size_raw), sv_int(size_stored), sv_int(truncated),
				 sv_int(utc_now()), sv_int(job_id) };
	return store_exec(s, e, NULL,
			  "UPDATE raw_build_jobs SET log_status = 'ok', log_sha256 = ?, log_size_raw = ?,"
			  " log_size_stored = ?, log_truncated = ?, log_error = NULL, log_fetched_at = ? WHERE id = ?",
			  6, p);
}

int warehouse_job_log_failed(struct store *s, int64_t job_id, const char *status, const char *error, struct err *e)
{
	struct store_val q[] = { sv_text(status), sv_text(error), sv_int(utc_now()), sv_int(job_id) };
	return store_exec(s, e, NULL,
			  "UPDATE raw_build_jobs SET log_status = ?, log_error = ?, log_fetched_at = ? WHERE id = ?", 4, q);
}

/* raw_build_runs_repo_time (by raw_repo_id; sorted after) */
#define REPO_FINISHED                                                                                                \
	"SELECT completed_at, conclusion FROM raw_build_runs WHERE raw_repo_id = ? AND completed_at IS NOT NULL"      \
	" AND conclusion IN ('success', 'failure', 'timed_out', 'startup_failure')"                                   \
	" ORDER BY completed_at, LENGTH(ci_run_id), ci_run_id"
const char *hot_sql_repo_finished(enum store_dialect d)
{
	/* Byte order on both drivers (SQLite compares bytes): a server's locale must not reorder ties. */
	return d == STORE_PG ? REPO_FINISHED " COLLATE \"C\"" : REPO_FINISHED;
}

/* raw_build_runs_repo_time */
const char hot_sql_repo_runs[] =
	"SELECT id, ci_run_id, build_number, commit_sha, branch, event, ci_provider, actor_login, is_bot,"
	" author_name, author_email, pr_numbers, status, conclusion, created_at, started_at, completed_at,"
	" duration_sec, run_attempt, jobs_count FROM raw_build_runs WHERE raw_repo_id = ?"
	/* Ties in time are broken by the provider's run id (numeric ids compare by length first), never by the
	 * warehouse id, which depends on insertion order. */
	" ORDER BY COALESCE(started_at, created_at), LENGTH(ci_run_id), ci_run_id";

/* raw_build_jobs_key (raw_run_id first) */
const char hot_sql_run_logs[] = "SELECT log_status, log_sha256 FROM raw_build_jobs WHERE raw_run_id = ? ORDER BY id";

int warehouse_repo_finished(struct store *s, struct store_cursor **out, int64_t repo_id, struct err *e)
{
	struct store_val p[] = { sv_int(repo_id) };
	return store_query(s, out, e, hot_sql_repo_finished(store_dialect(s)), 1, p);
}

int warehouse_repo_runs(struct store *s, struct store_cursor **out, int64_t repo_id, struct err *e)
{
	struct store_val p[] = { sv_int(repo_id) };
	return store_query(s, out, e, hot_sql_repo_runs, 1, p);
}

int warehouse_run_logs(struct store *s, struct store_cursor **out, int64_t run_id, struct err *e)
{
	struct store_val p[] = { sv_int(run_id) };
	return store_query(s, out, e, hot_sql_run_logs, 1, p);
}
