/* Stored pull requests and their comments (pull_requests.h). */
#include "store/pull_requests.h"

int pull_requests_put(struct store *s, const struct pull_request_row *pr, const struct pull_request_comment_row *c,
		      size_t nc, struct err *e)
{
	int64_t id = 0;
	struct store_val p[] = { sv_int(pr->raw_repo_id), sv_int(pr->number), sv_text(pr->state),
				 sv_text(pr->author_login), sv_opt_int(pr->created_at), sv_opt_int(pr->closed_at),
				 sv_opt_int(pr->merged_at), sv_text(pr->body), sv_int(pr->comments_count),
				 sv_text(pr->raw), sv_int(pr->fetched_at) };
	int rc = store_insert_id(s, &id, e,
				 "INSERT INTO raw_pull_requests (raw_repo_id, number, state, author_login, created_at, closed_at,"
				 " merged_at, body, comments_count, raw, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
				 " ON CONFLICT (raw_repo_id, number) DO UPDATE SET state = excluded.state,"
				 " author_login = excluded.author_login, created_at = excluded.created_at,"
				 " closed_at = excluded.closed_at, merged_at = excluded.merged_at, body = excluded.body,"
				 " comments_count = excluded.comments_count, raw = excluded.raw, fetched_at = excluded.fetched_at"
				 " RETURNING id",
				 11, p);
	struct store_val d[] = { sv_int(id) };
	if (rc == 0)
		rc = store_exec(s, e, NULL, "DELETE FROM raw_pr_comments WHERE raw_pr_id = ?", 1, d);
	for (size_t i = 0; rc == 0 && i < nc; i++) {
		struct store_val q[] = { sv_int(id), sv_text(c[i].kind), sv_text(c[i].comment_id),
					 sv_text(c[i].author_login), sv_opt_int(c[i].created_at) };
		rc = store_exec(s, e, NULL,
				"INSERT INTO raw_pr_comments (raw_pr_id, kind, comment_id, author_login, created_at)"
				" VALUES (?, ?, ?, ?, ?) ON CONFLICT (raw_pr_id, kind, comment_id) DO NOTHING",
				5, q);
	}
	return rc;
}

int pull_requests_fetched(struct store *s, struct store_cursor **out, int64_t repo_id, struct err *e)
{
	struct store_val q[] = { sv_int(repo_id) };
	return store_query(s, out, e,
			   "SELECT number, fetched_at FROM raw_pull_requests WHERE raw_repo_id = ? ORDER BY number", 1, q);
}

int pull_requests_of_repo(struct store *s, struct store_cursor **out, int64_t repo_id, struct err *e)
{
	struct store_val p[] = { sv_int(repo_id) };
	return store_query(s, out, e,
			   "SELECT number, created_at, body FROM raw_pull_requests WHERE raw_repo_id = ? ORDER BY number", 1,
			   p);
}

int pull_requests_comments_of_repo(struct store *s, struct store_cursor **out, int64_t repo_id, struct err *e)
{
	struct store_val p[] = { sv_int(repo_id) };
	return store_query(s, out, e,
			   "SELECT p.number, c.kind, c.created_at FROM raw_pr_comments c JOIN raw_pull_requests p ON p.id = c.raw_pr_id"
			   " WHERE p.raw_repo_id = ? AND c.created_at IS NOT NULL ORDER BY p.number, c.created_at, c.id",
			   1, p);
}
