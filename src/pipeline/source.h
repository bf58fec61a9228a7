/*
 * Phase 0: build sources. Importing a CSV of (build id, repository[,
 * provider]) rows into a BuildSource and its SourceBuild rows, then
 * validating them against the CI provider into the warehouse.
 *
 * Import is all-or-nothing: the source and all its rows are written in one
 * transaction, so a file refused half-way (not CSV, no header, no mappable
 * column, a broken quote) leaves nothing behind. Rows are streamed through
 * libcsv (RFC 4180: quotes, embedded commas and newlines, CRLF, a UTF-8 BOM);
 * the file is never held in memory.
 *
 * Row hygiene: an empty build id, a repository that is not owner/name, an
 * unknown provider or a build id of the wrong form for its provider makes the
 * row `invalid` (kept with its row number and reason, never validated). A
 * repeated (provider, repository, build id) is stored once and counted as a
 * duplicate. A row is identified by the physical line its record starts on
 * (the header is line 1; blank lines and quoted fields spanning lines count),
 * so the number points at the line a user opens in an editor.
 */
#ifndef PIPELINE_SOURCE_H
#define PIPELINE_SOURCE_H
#include <stdint.h>
#include "core/err.h"
#include "store/store.h"

struct source_import_opts {
	const char *path;          /* CSV file, or "-" for standard input */
	const char *name;          /* NULL: the file's base name */
	const char *description;
	const char *provider;      /* default provider when no provider column: github_actions */
	const char *archive_dir;   /* local provider: the archive folder (stored with the source) */
	const char *map_build_id;  /* explicit column names (NULL: guessed from the header) */
	const char *map_repo_name;
	const char *map_ci_provider;
};

struct source_import_result {
	int64_t source_id;
	int64_t rows, invalid, duplicates, accepted;
};

int source_import(struct store *s, const struct source_import_opts *o, struct source_import_result *out,
		  struct err *e);

/* Queues validation of the source's pending rows (resumable; rows already decided stay). */
int source_validate_start(struct store *s, int64_t source_id, struct err *e);
/* How many validation runs of the source are open (started, not ended): 0 or 1. */
int source_validation_open(struct store *s, int64_t source_id, int64_t *open, struct err *e);
/*
 * Why rows of the source are still pending: the first validation job's last
 * error (*reason), its repository (*repo) and how many of its rows are pending
 * (*rows). Both strings are the caller's to free; NULL when no job failed.
 */
int source_validation_cause(struct store *s, int64_t source_id, char **reason, char **repo, int64_t *rows,
			    struct err *e);
#endif
