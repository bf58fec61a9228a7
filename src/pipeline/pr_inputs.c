/* A repository's stored pull requests as the feature engine reads them (pull_requests.h). */
#include "pipeline/pull_requests.h"
#include "ci/pr.h"
#include "core/xalloc.h"
#include "store/pull_requests.h"
#include <stdlib.h>
#include <string.h>

/* The stored kind names map to the engine's kinds through ci/pr.h, whose numbers are the engine's. */
_Static_assert((int)CI_COMMENT_ISSUE == (int)FEAT_COMMENT_ISSUE && (int)CI_COMMENT_REVIEW == (int)FEAT_COMMENT_REVIEW &&
		       (int)CI_COMMENT_COMMIT == (int)FEAT_COMMENT_COMMIT,
	       "ci/pr.h and features/input.h number comment kinds alike");

int repo_prs_load(struct repo_prs *out, struct store *s, int64_t repo_id, struct err *e)
{
	struct store_cursor *c;
	memset(out, 0, sizeof(*out));
	int rc = pull_requests_of_repo(s, &c, repo_id, e);
	if (rc < 0)
		return rc;
	size_t cap = 0, capb = 0;
	while ((rc = store_next(c, e)) == 1) {
		xgrow((void **)&out->prs, &cap, out->n + 1, sizeof(*out->prs));
		xgrow((void **)&out->bodies, &capb, out->n + 1, sizeof(*out->bodies));
		out->bodies[out->n] = store_col_text(c, 2) ? xstrdup(store_col_text(c, 2)) : NULL;
		/* Comments are always fetched with their PR: a stored PR has them all (maybe none). */
		out->prs[out->n] = (struct feat_pr){ .number = store_col_int(c, 0),
						     .created_at = store_col_int_or(c, 1, FEAT_TIME_UNKNOWN),
						     .body = out->bodies[out->n], .has_comments = 1 };
		out->n++;
	}
	store_cursor_free(c);
	if (rc < 0)
		return rc;
	/* Comments grouped by PR number (the order of prs), then pointed at. */
	rc = pull_requests_comments_of_repo(s, &c, repo_id, e);
	if (rc < 0)
		return rc;
	size_t nc = 0, capc = 0;
	int64_t *owner = NULL;
	size_t capo = 0;
	while ((rc = store_next(c, e)) == 1) {
		xgrow((void **)&out->comments, &capc, nc + 1, sizeof(*out->comments));
		xgrow((void **)&owner, &capo, nc + 1, sizeof(*owner));
		owner[nc] = store_col_int(c, 0);
		out->comments[nc].kind = ci_comment_kind_parse(store_col_text(c, 1));
		out->comments[nc].created_at = store_col_int(c, 2);
		nc++;
	}
	store_cursor_free(c);
	for (size_t i = 0, k = 0; rc == 0 && i < out->n; i++) {
		while (k < nc && owner[k] < out->prs[i].number)
			k++;
		out->prs[i].comments = out->comments + k;
		while (k < nc && owner[k] == out->prs[i].number) {
			out->prs[i].n_comments++;
			k++;
		}
	}
	free(owner);
	return rc < 0 ? rc : 0;
}

static int by_number(const void *key, const void *elem)
{
	int64_t n = *(const int64_t *)key, m = ((const struct feat_pr *)elem)->number;
	return n < m ? -1 : n > m;
}

const struct feat_pr *repo_prs_find(const struct repo_prs *rp, int64_t number)
{
	if (number <= 0 || rp->n == 0)
		return NULL;
	return bsearch(&number, rp->prs, rp->n, sizeof(*rp->prs), by_number);
}

void repo_prs_release(struct repo_prs *rp)
{
	for (size_t i = 0; i < rp->n; i++)
		free(rp->bodies[i]);
	free(rp->bodies);
	free(rp->prs);
	free(rp->comments);
	memset(rp, 0, sizeof(*rp));
}
