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

#endif
