/*
 * Ingestion builds: the warehouse runs a scenario selected, one row each
 * with its status and per-resource `resource_status`. The only place that
 * names training_ingestion_builds (its shared statements are in builds.c,
 * from the descriptor `ingestion_builds`). Statuses move through the
 * transition table (ENT_INGESTION_BUILD): each move checks its edge first.
 */
#ifndef STORE_INGESTION_H
#define STORE_INGESTION_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "core/err.h"
#include "store/builds.h"
#include "store/page.h"
#include "store/store.h"

/*
 * Selects the warehouse runs that data_source_config ds matches as pending
 * builds of the scenario (runs already selected stay as they are); *matched
 * gets how many builds the scenario has now.
 */
int ingestion_builds_select(struct store *s, int64_t *matched, int64_t scenario_id, const json_t *ds, struct err *e);

struct ingestion_pending {
	int64_t id, raw_run_id;
	char *commit_sha; /* owned; "" when the run has none */
};
/* A repository's builds still to ingest, oldest first (hot); *out (*n) is the caller's: ingestion_pending_free(). */
int ingestion_builds_pending(struct store *s, struct ingestion_pending **out, size_t *n, int64_t scenario_id,
			     int64_t repo_id, struct err *e);
void ingestion_pending_free(struct ingestion_pending *b, size_t n);
/* The repository's pending builds become ingesting. */
int ingestion_builds_start(struct store *s, int64_t scenario_id, int64_t repo_id, struct err *e);
/* An ingesting build's outcome: status (ingested, missing_resource, failed), resource_status JSON, error (NULL: none). */
int ingestion_builds_finish(struct store *s, int64_t build_id, const char *status, const char *resource_status,
			    const char *error, struct err *e);

/*
 * Cursors over a repository's builds still to ingest (pending or ingesting),
 * joined with the warehouse:
 * - ingestion_builds_jobs: their runs' jobs. Columns: job id, raw_run_id, ci_job_id, log_status ('' when none).
 * - ingestion_builds_runs_without_jobs: their runs stored without jobs. Columns: run id, ci_run_id, raw payload.
 * - ingestion_builds_pr_runs (ingesting only, by build id): build id, pr_numbers, event, start, run id, commit_sha, branch.
 */
int ingestion_builds_jobs(struct store *s, struct store_cursor **out, int64_t scenario_id, int64_t repo_id,
			  struct err *e);
int ingestion_builds_runs_without_jobs(struct store *s, struct store_cursor **out, int64_t scenario_id, int64_t repo_id,
				       struct err *e);
int ingestion_builds_pr_runs(struct store *s, struct store_cursor **out, int64_t scenario_id, int64_t repo_id,
			     struct err *e);

/* The resource_status (JSON text) of the scenario's builds in status. Column: resource_status. */
int ingestion_builds_resources(struct store *s, struct store_cursor **out, int64_t scenario_id, const char *status,
			       struct err *e);

/*
 * A page of the scenario's builds (default order: repository, start, id; sort
 * keys repo_name, started_at, id; pg->status filters). Columns: id, ci_run_id,
 * repo_name, commit_sha, started_at, status, resource_status, error_message.
 */
int ingestion_builds_list(struct store *s, struct store_cursor **out, int64_t scenario_id, const struct store_page *pg,
			  struct err *e);

#endif
