/* The provider-neutral part of pull requests (see pr.h): the owned struct, kind names, dispatch. */
#include "ci/pr.h"
#include "core/xalloc.h"
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = { NULL, "issue", "review", "commit" };

const char *ci_comment_kind_name(int kind)
{
	return kind >= CI_COMMENT_ISSUE && kind <= CI_COMMENT_COMMIT ? kind_names[kind] : NULL;
}

int ci_comment_kind_parse(const char *name)
{
	for (int k = CI_COMMENT_ISSUE; name && k <= CI_COMMENT_COMMIT; k++)
		if (!strcmp(name, kind_names[k]))
			return k;
	return 0;
}

void ci_pr_init(struct ci_pr *pr)
{
	memset(pr, 0, sizeof(*pr));
	pr->created_at = pr->closed_at = pr->merged_at = CI_TIME_UNKNOWN;
}

void ci_pr_release(struct ci_pr *pr)
{
	for (size_t i = 0; i < pr->n_comments; i++) {
		free(pr->comments[i].id);
		free(pr->comments[i].author_login);
	}
	free(pr->comments);
	free(pr->state);
	free(pr->author_login);
	free(pr->body);
	free(pr->raw_json);
	ci_pr_init(pr);
}

void ci_pr_add_comment(struct ci_pr *pr, int kind, const char *id, const char *author, int64_t created_at)
{
	/* No capacity field: the array doubles whenever the count reaches a power of two (from 4). */
	size_t n = pr->n_comments;
	if (n == 0 || (n >= 4 && (n & (n - 1)) == 0))
		pr->comments = xrealloc(pr->comments, (n ? 2 * n : 4) * sizeof(*pr->comments));
	struct ci_pr_comment *c = &pr->comments[pr->n_comments++];
	c->id = id ? xstrdup(id) : NULL;
	c->kind = kind;
	c->author_login = author ? xstrdup(author) : NULL;
	c->created_at = created_at;
}

int ci_prs_available(struct ci_provider *p)
{
	struct err e = ERR_INIT;
	/* A broken pulls.jsonl counts as available: ci_prs_get() then reports it. */
	return p->ops->prs_get && p->ops->prs_get(p, NULL, NULL, 0, &e) != CI_ERR_NOT_FOUND;
}

int ci_prs_get(struct ci_provider *p, const char *repo, struct ci_pr_req *reqs, size_t n, struct err *e)
{
	for (size_t i = 0; i < n; i++) {
		reqs[i].rc = 0;
		err_clear(&reqs[i].err);
		ci_pr_init(&reqs[i].pr);
	}
	int rc = p->ops->prs_get ? p->ops->prs_get(p, repo, NULL, 0, e) : CI_ERR_NOT_FOUND;
	if (rc == CI_ERR_NOT_FOUND)
		rc = err_set(e, CI_ERR_PERMANENT, "the %s provider has no pull-request data for %s", p->ops->kind, repo);
	if (rc == 0)
		return p->ops->prs_get(p, repo, reqs, n, e);
	for (size_t i = 0; i < n; i++)
		reqs[i].rc = err_copy(&reqs[i].err, e);
	return rc;
}
