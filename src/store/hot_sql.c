/*
 * The statements of the phases' loops, kept where their plans are tested
 * (hot_sql.h). The index each one relies on is named beside it.
 */
#include "store/hot_sql.h"
#include "core/xalloc.h"
#include <stdlib.h>
#include <string.h>

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

size_t hot_sql_list(struct hot_sql **out, enum store_dialect d)
{
	struct buf v = BUF_INIT;
	hot_sql_source_verdicts(&v, 2);
	struct hot_sql all[] = {
		{ "source_pending", xstrdup(hot_sql_source_pending), 3 },
		{ "source_verdicts", buf_detach(&v, NULL), 3 + 2 * 3 + 3 },
		{ "repo_finished", xstrdup(hot_sql_repo_finished(d)), 1 },
		{ "ingestion_pending", xstrdup(hot_sql_ingestion_pending), 2 },
		{ "enrichment_pending", xstrdup(hot_sql_enrichment_pending), 2 },
		{ "repo_runs", xstrdup(hot_sql_repo_runs), 1 },
		{ "run_logs", xstrdup(hot_sql_run_logs), 1 },
	};
	size_t n = sizeof(all) / sizeof(all[0]);
	*out = xcalloc(n, sizeof(**out));
	memcpy(*out, all, sizeof(all));
	return n;
}

void hot_sql_list_free(struct hot_sql *list, size_t n)
{
	for (size_t i = 0; list && i < n; i++)
		free(list[i].sql);
	free(list);
}
