/*
 * The build warehouse: provider answers (ci/provider.h) mapped to the rows
 * of store/warehouse.h (repositories, runs, jobs). Every write is an
 * upsert on the business key (provider + full name; provider + repository +
 * ci_run_id; run + job id), so a retried validation never duplicates.
 * Callers own the transaction.
 */
#ifndef PIPELINE_WAREHOUSE_H
#define PIPELINE_WAREHOUSE_H
#include <stdint.h>
#include "ci/provider.h"
#include "store/store.h"

/* archive_dir: the local provider's archive (kept so ingestion can read its logs), else NULL. */
int warehouse_upsert_repo(struct store *s, const char *provider, const char *archive_dir, const struct ci_repo *r,
			  int64_t *id_out, struct err *e);
int warehouse_upsert_run(struct store *s, const char *provider, int64_t repo_id, const struct ci_run *r,
			 int64_t *id_out, struct err *e);
int warehouse_upsert_jobs(struct store *s, int64_t run_id, const struct ci_job *jobs, size_t n, struct err *e);
/* Why a found run is not a usable labelled build, or NULL when it is ("not completed", "triggered by a bot"...). */
const char *warehouse_filter_reason(const struct ci_run *r);

#endif
