/*
 * What the two per-build tables of a scenario share: ingestion builds
 * (store/ingestion.c) and enrichment builds (store/enrichment.c) are each a
 * row per (scenario, warehouse run) with a status column; the phases fan out
 * per repository over them, reset them for a retry and count them. Each file
 * exports its table's descriptor, so that the table name is written once, in
 * its own file; these functions build their statements from it.
 *
 * Every move checks its edges against the transition table (store/status.c)
 * before the statement runs: a refused move is an error.
 */
#ifndef STORE_BUILDS_H
#define STORE_BUILDS_H
#include <stddef.h>
#include <stdint.h>
#include "core/err.h"
#include "store/status.h"
#include "store/store.h"

struct build_table {
	const char *table, *status_col;
	enum status_entity ent;
};
extern const struct build_table ingestion_builds;  /* training_ingestion_builds.status (ingestion.c) */
extern const struct build_table enrichment_builds; /* training_enrichment_builds.extraction_status (enrichment.c) */

/* The repositories with pending builds, ascending; *repos (*n) is the caller's. */
int builds_pending_repos(struct store *s, int64_t **repos, size_t *n, const struct build_table *t, int64_t scenario_id,
			 struct err *e);
/*
 * Builds still in one of open_states (NULL-terminated) become failed, each
 * with the last error of its repository's dead or failed job of repo_kind
 * (payload {"raw_repo_id", "scenario_id"}), or "the repository job did not finish".
 */
int builds_fail_leftovers(struct store *s, const struct build_table *t, int64_t scenario_id,
			  const char *const *open_states, const char *repo_kind, struct err *e);
/*
 * Builds in one of `from` (NULL: any state) go back to pending (their error
 * cleared when clear_error); *changed gets how many rows the statement matched.
 */
int builds_reset(struct store *s, int64_t *changed, const struct build_table *t, int64_t scenario_id,
		 const char *const *from, int clear_error, struct err *e);
/* Builds of the scenario in one of states (NULL: any). */
int builds_count(struct store *s, int64_t *n, const struct build_table *t, int64_t scenario_id,
		 const char *const *states, struct err *e);
/* counts[i] gets the number of builds in status_values(t->ent)[i]. */
int builds_count_by_status(struct store *s, int64_t *counts, const struct build_table *t, int64_t scenario_id,
			   struct err *e);
int builds_delete_scenario(struct store *s, const struct build_table *t, int64_t scenario_id, struct err *e);

#endif
