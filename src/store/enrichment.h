/*
 * Enrichment builds (Phase 2: one row per ingested build, with its extraction
 * status) and their feature vectors: the only place that names
 * training_enrichment_builds and feature_vectors (the builds' shared
 * statements are in builds.c, from the descriptor `enrichment_builds`).
 * Statuses move through the transition table (ENT_EXTRACTION): each move is
 * guarded by the states the table allows it from, and a refused one is an error.
 */
#ifndef STORE_ENRICHMENT_H
#define STORE_ENRICHMENT_H
#include <stddef.h>
#include <stdint.h>
#include "core/err.h"
#include "store/builds.h"
#include "store/page.h"
#include "store/store.h"

/* Adds an enrichment build for every ingested build of the scenario that has none. */
int enrichment_builds_create(struct store *s, int64_t scenario_id, struct err *e);

struct enrichment_pending {
	int64_t id, raw_run_id;
};
/* A repository's builds still to process, oldest first (hot); *out (*n entries) is the caller's. */
int enrichment_builds_pending(struct store *s, struct enrichment_pending **out, size_t *n, int64_t scenario_id,
			      int64_t repo_id, struct err *e);

/* One build's computed vector (JSON texts), stored with its build's new status (completed or partial). */
struct feature_vector_row {
	int64_t scenario_id, build_id, raw_run_id, raw_repo_id;
	const char *status, *values, *missing_resources, *skipped_features, *catalogue_version;
	int64_t feature_count;
};
int enrichment_builds_store_vector(struct store *s, const struct feature_vector_row *v, struct err *e);
/* The build failed with msg. */
int enrichment_builds_fail(struct store *s, int64_t build_id, const char *msg, struct err *e);

/* How many vectors the scenario has. */
int feature_vectors_count(struct store *s, int64_t *n, int64_t scenario_id, struct err *e);
int feature_vectors_delete_scenario(struct store *s, int64_t scenario_id, struct err *e);

/*
 * The rows of the scenario's dataset: its completed (and, unless strict,
 * partial) builds' vectors with their runs, by repository name (byte order),
 * then time and the provider's run id. Columns: feature_values, ci_run_id,
 * repo_name, commit_sha, ci_provider, start, main_lang, conclusion,
 * raw_repo_id, skipped_features, missing_resources.
 */
int enrichment_dataset_rows(struct store *s, struct store_cursor **out, int64_t scenario_id, int strict,
			    struct err *e);

/*
 * A page of the scenario's enrichment builds (default order: repository,
 * start, id; sort keys repo_name, started_at, id; pg->status filters).
 * Columns: id, ci_run_id, repo_name, started_at, extraction_status,
 * feature_count, error_message, missing_resources, skipped_features, features.
 */
int enrichment_builds_list(struct store *s, struct store_cursor **out, int64_t scenario_id, const struct store_page *pg,
			   struct err *e);

#endif
