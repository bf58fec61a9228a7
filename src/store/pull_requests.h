/*
 * Pull requests of warehouse repositories and their comments: the only
 * place that names raw_pull_requests and raw_pr_comments.
 */
#ifndef STORE_PULL_REQUESTS_H
#define STORE_PULL_REQUESTS_H
#include <stddef.h>
#include <stdint.h>
#include "core/err.h"
#include "store/store.h"

struct pull_request_row {
	int64_t raw_repo_id, number;
	const char *state, *author_login;
	int64_t created_at, closed_at, merged_at; /* INT64_MIN: unknown */
	const char *body;
	int64_t comments_count;
	const char *raw; /* JSON text */
	int64_t fetched_at;
};
struct pull_request_comment_row {
	const char *kind, *comment_id, *author_login;
	int64_t created_at; /* INT64_MIN: unknown */
};
/* Stores a PR (upsert on repository and number) with exactly these comments (its earlier ones replaced). */
int pull_requests_put(struct store *s, const struct pull_request_row *pr, const struct pull_request_comment_row *c,
		      size_t nc, struct err *e);
/* A repository's stored PRs by number. Columns: number, fetched_at. */
int pull_requests_fetched(struct store *s, struct store_cursor **out, int64_t repo_id, struct err *e);
/* A repository's stored PRs by number. Columns: number, created_at, body. */
int pull_requests_of_repo(struct store *s, struct store_cursor **out, int64_t repo_id, struct err *e);
/* Their comments with a time, by PR number, time and id. Columns: number, kind, created_at. */
int pull_requests_comments_of_repo(struct store *s, struct store_cursor **out, int64_t repo_id, struct err *e);

#endif
