/*
 * Build sources and their rows: the only place that names the build_sources
 * and source_builds tables (docs/architecture.md, "Storage").
 *
 * A source's validation status moves through store_status_set()
 * (ENT_SOURCE_VALIDATION); a row's status moves in bulk, per repository,
 * from pending to a verdict, each edge checked against the source-build
 * transition table (ENT_SOURCE_BUILD) before the statement runs, so a
 * refused move is an error, never 0 rows updated.
 *
 * Listings return a cursor (store_cursor_free) whose columns are listed
 * beside each function; they take a struct store_page (page.h).
 */
#ifndef STORE_SOURCES_H
#define STORE_SOURCES_H
#include <stddef.h>
#include <stdint.h>
#include "core/buf.h"
#include "core/err.h"
#include "store/page.h"
#include "store/store.h"

struct sources_new {
	const char *name, *description, *file_name, *provider, *archive_dir;
	const char *mapped_fields; /* JSON text */
	int64_t now;
};
/* Adds a source (validation pending); *id gets its id. */
int sources_insert(struct store *s, int64_t *id, const struct sources_new *n, struct err *e);
/* Records an import's end: rows read, invalid and duplicate rows, the preview (JSON text). */
int sources_finish_import(struct store *s, int64_t id, int64_t rows, int64_t invalid, int64_t duplicates,
			  const char *preview, struct err *e);
/* Deletes the source and its rows (one transaction); ERR_NOT_FOUND when there is no such source. */
int sources_delete(struct store *s, int64_t id, struct err *e);

/* Recounts the source's stats (found, not_found, filtered, invalid) from its rows. */
int sources_refresh_stats(struct store *s, int64_t id, struct err *e);
/* Adds n rows that just reached verdict (found, not_found or filtered) to the source's stat. */
int sources_add_stat(struct store *s, int64_t id, const char *verdict, int64_t n, struct err *e);
/*
 * Moves the validation status (checked against the transition table) and
 * stamps validation_started_at (to in_progress) or validation_completed_at.
 */
int sources_set_status(struct store *s, int64_t id, const char *to, struct err *e);
/* The source's progress line (shown by `source show`) and its error message (NULL clears it). */
int sources_set_progress(struct store *s, int64_t id, const char *msg, struct err *e);
int sources_set_error(struct store *s, int64_t id, const char *msg, struct err *e);

/* The archive folder of a local-provider source (*out the caller's, NULL when none); ERR_NOT_FOUND. */
int sources_archive_dir(struct store *s, char **out, int64_t id, struct err *e);
/* The newest source named name, or ERR_NOT_FOUND. */
int sources_find_by_name(struct store *s, int64_t *id, const char *name, struct err *e);
/* The newest source imported from file_name as name whose validation is in progress, or 0. */
int sources_find_validating(struct store *s, int64_t *id, const char *file_name, const char *name, struct err *e);

/* The counters of a source's SOURCE_UPDATE event. */
struct sources_stats {
	char status[16];
	int64_t total, found, not_found, filtered, invalid, duplicates;
};
int sources_stats(struct store *s, struct sources_stats *out, int64_t id, struct err *e);

/*
 * One source (sources_get) or a page of them (sources_list, default order
 * id; sort keys id, name, created_at; pg->status filters validation_status).
 * Columns: id, name, description, file_name, ci_provider, archive_dir, rows,
 * validation_status, total, found, not_found, filtered, invalid, duplicates,
 * pending, mapped_fields, preview, progress, error_message, created_at,
 * validation_started_at, validation_completed_at.
 * sources_get: ERR_NOT_FOUND when there is no such source.
 */
int sources_get(struct store *s, struct store_cursor **out, int64_t id, struct err *e);
int sources_list(struct store *s, struct store_cursor **out, const struct store_page *pg, struct err *e);
/* How many sources sources_list would give without skip and limit. */
int sources_count(struct store *s, int64_t *total, const struct store_page *pg, struct err *e);

/* ---- source_builds: one row of a source's file ---- */

/*
 * Adds one row: status pending, or invalid with its reason. *inserted gets 0
 * when a row with the same (provider, repository, build id) is already in the
 * source (a duplicate, not stored again).
 */
struct source_builds_new {
	int64_t source_id, line_no;
	const char *provider, *build_id, *repo, *reason; /* reason non-NULL: invalid */
	int64_t now;
};
int source_builds_insert(struct store *s, int *inserted, const struct source_builds_new *n, struct err *e);

/* The (provider, repository) pairs with pending rows, sorted; both vectors are the caller's. */
int source_builds_pending_repos(struct store *s, struct strvec *providers, struct strvec *repos, int64_t source_id,
				struct err *e);
/* A repository's pending build ids in file order (hot: source_builds_repo index). */
int source_builds_pending_ids(struct store *s, struct strvec *ids, int64_t source_id, const char *provider,
			      const char *repo, struct err *e);
/* Rows of a source (repo NULL: all repositories) in status (NULL: any). */
int source_builds_count(struct store *s, int64_t *n, int64_t source_id, const char *repo, const char *status,
			struct err *e);

/* Moves every pending row of a repository to `to` with one reason. */
int source_builds_set_pending(struct store *s, int64_t source_id, const char *provider, const char *repo,
			      const char *to, const char *reason, struct err *e);
/* One row's verdict for source_builds_set_verdicts(). */
struct source_builds_verdict {
	const char *build_id, *reason;
	int64_t raw_run_id; /* 0: none */
};
/*
 * Moves the repository's pending rows named in v (n of them) to `to`, each
 * with its reason and run, linking them to the warehouse repository
 * raw_repo_id, in a few statements (hot: one VALUES list per 300 rows).
 * *changed gets the number of rows moved.
 */
int source_builds_set_verdicts(struct store *s, int64_t *changed, int64_t source_id, const char *provider,
			       const char *repo, int64_t raw_repo_id, const char *to,
			       const struct source_builds_verdict *v, size_t n, struct err *e);

/*
 * A page of a source's rows (default order: line number; pg->status filters).
 * Columns: row (line number), ci_provider, repo_name, build_id, status,
 * reason, raw_run_id.
 */
int source_builds_list(struct store *s, struct store_cursor **out, int64_t source_id, const struct store_page *pg,
		       struct err *e);
/*
 * The source's repositories with their row counts, sorted by name and provider.
 * Columns: repo_name, ci_provider, total, found, not_found, filtered, invalid, pending.
 */
int source_builds_repos(struct store *s, struct store_cursor **out, int64_t source_id, struct err *e);

#endif
