/*
 * The build warehouse's tables: raw_repositories, raw_build_runs and
 * raw_build_jobs (docs/architecture.md, "Storage"). This file is the only
 * place that names them, apart from the joins of the phases' per-build
 * tables (ingestion.c, enrichment.c), which read runs by id.
 */
#ifndef STORE_WAREHOUSE_H
#define STORE_WAREHOUSE_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "core/buf.h"
#include "core/err.h"
#include "store/store.h"

/*
 * The warehouse filter of data_source_config as SQL over raw_build_runs r
 * JOIN raw_repositories p: appends " WHERE ..." to sql and the parameters to
 * *params (grown; borrowing strings from ds, which must outlive the query).
 */
void warehouse_filter_where(const json_t *ds, struct buf *sql, struct store_val **params, size_t *n);
/*
 * The runs data_source_config ds matches, per repository (by name, then
 * provider). Columns: repo_name, builds, success, failure, first created_at,
 * last created_at, ci_provider.
 */
int warehouse_filter_counts(struct store *s, struct store_cursor **out, const json_t *ds, struct err *e);

/* A repository as its provider describes it (upsert on provider and full name). */
struct warehouse_repo_row {
	const char *provider, *full_name, *provider_repo_id, *default_branch, *main_lang;
	int is_private;
	const char *clone_url, *archive_dir, *metadata; /* metadata: JSON text */
};
int warehouse_repo_upsert(struct store *s, int64_t *id, const struct warehouse_repo_row *r, struct err *e);
/*
 * One repository. Columns: full_name, ci_provider, clone_url, archive_dir,
 * main_lang, default_branch. ERR_NOT_FOUND when there is none.
 */
int warehouse_repo_get(struct store *s, struct store_cursor **out, int64_t id, struct err *e);

/* A CI run (upsert on provider, repository and run id; a stored fork PR number survives an empty pr_numbers). */
struct warehouse_run_row {
	int64_t raw_repo_id;
	const char *provider, *ci_run_id;
	int64_t build_number;
	const char *branch, *commit_sha, *commit_message, *author_name, *author_email, *event, *actor_login;
	int is_bot;
	const char *pr_numbers, *status, *conclusion; /* pr_numbers: a JSON array */
	int64_t created_at, started_at, completed_at; /* INT64_MIN: unknown */
	double duration_sec;                          /* < 0: unknown */
	const char *web_url;
	int64_t run_attempt;
	const char *raw; /* JSON text */
	int64_t fetched_at;
};
int warehouse_run_upsert(struct store *s, int64_t *id, const struct warehouse_run_row *r, struct err *e);
/* Sets a run's PR numbers (a JSON array) when it has none yet. */
int warehouse_run_set_prs(struct store *s, int64_t run_id, const char *pr_numbers, struct err *e);

/* A run's job (upsert on run and job id; a listing without a runner keeps the stored one). */
struct warehouse_job_row {
	const char *ci_job_id, *name, *status, *conclusion;
	int64_t started_at, completed_at; /* INT64_MIN: unknown */
	const char *runner, *raw;
};
/* Stores a run's n jobs and sets its jobs_count to n. */
int warehouse_jobs_upsert(struct store *s, int64_t run_id, const struct warehouse_job_row *jobs, size_t n,
			  struct err *e);
/* A job's log was stored: its blob address and sizes. */
int warehouse_job_log_stored(struct store *s, int64_t job_id, const char *sha256, int64_t size_raw,
			     int64_t size_stored, int truncated, struct err *e);
/* A job's log could not be stored: its status (missing, failed...) and why. */
int warehouse_job_log_failed(struct store *s, int64_t job_id, const char *status, const char *error, struct err *e);

/*
 * The hot reads of processing and generation (their plans are tested, hot_sql.h):
 * - warehouse_repo_finished: a repository's finished runs with an outcome, in
 *   completion order. Columns: completed_at, conclusion.
 * - warehouse_repo_runs: a repository's runs in time order (ties by the
 *   provider's run id). Columns: id, ci_run_id, build_number, commit_sha,
 *   branch, event, ci_provider, actor_login, is_bot, author_name,
 *   author_email, pr_numbers, status, conclusion, created_at, started_at,
 *   completed_at, duration_sec, run_attempt, jobs_count.
 * - warehouse_run_logs: a run's jobs with their stored logs. Columns: log_status, log_sha256.
 */
int warehouse_repo_finished(struct store *s, struct store_cursor **out, int64_t repo_id, struct err *e);
int warehouse_repo_runs(struct store *s, struct store_cursor **out, int64_t repo_id, struct err *e);
int warehouse_run_logs(struct store *s, struct store_cursor **out, int64_t run_id, struct err *e);

#endif
