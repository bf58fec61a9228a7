/*
 * The SQL a phase runs once per repository, per batch or per build: at a
 * million builds each must reach its rows through an index, never by reading
 * a whole table (issue 21, docs/scale.md). The statements live here, used by
 * the phases as they are, so that tests/pipeline/test_hot_sql.c can check the
 * plan of every one on both drivers (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on
 * PostgreSQL) and fail when one scans a table. A new statement in a phase's
 * loop belongs here, with the index it relies on.
 *
 * Parameters are `?` placeholders, listed in each comment in order.
 */
#ifndef STORE_HOT_SQL_H
#define STORE_HOT_SQL_H
#include <stddef.h>
#include "core/buf.h"
#include "store/store.h"

/* A repository's pending rows of a build source, in file order: source_id, ci_provider, repo_name_from_source. */
extern const char hot_sql_source_pending[];

/*
 * Appends to sql the statement that moves `rows` pending rows of a source's
 * repository to one verdict: status, raw_repo_id, updated_at, then per row
 * (build_id_from_source, reason, raw_run_id), then source_id, ci_provider,
 * repo_name_from_source.
 */
void hot_sql_source_verdicts(struct buf *sql, size_t rows);

/* A repository's finished builds with an outcome, in completion order: raw_repo_id. */
const char *hot_sql_repo_finished(enum store_dialect d);

/* A repository's builds of a scenario still to ingest, oldest first: scenario_id, raw_repo_id. */
extern const char hot_sql_ingestion_pending[];

/* A repository's builds of a scenario still to process, oldest first: scenario_id, raw_repo_id. */
extern const char hot_sql_enrichment_pending[];

/* A repository's runs in time order (the history of processing): raw_repo_id. */
extern const char hot_sql_repo_runs[];

/* A run's jobs with their stored logs: raw_run_id. */
extern const char hot_sql_run_logs[];

/* Every statement above, named, in its form for dialect d (the verdict update for 2 rows). */
struct hot_sql {
	const char *name;
	char *sql;
	size_t nparams;
};
/* *out (n entries) is the caller's: hot_sql_list_free(). */
size_t hot_sql_list(struct hot_sql **out, enum store_dialect d);
void hot_sql_list_free(struct hot_sql *list, size_t n);

#endif
