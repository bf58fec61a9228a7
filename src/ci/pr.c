/* The provider-neutral part of pull requests (see pr.h): the owned struct, kind names, dispatch. */
#include "ci/pr.h"
#include "ci/ci_github.h"
#include "ci/common.h"
#include "core/json.h"
#include "core/xalloc.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
	xgrow((void **)&pr->comments, &pr->cap_comments, pr->n_comments + 1, sizeof(*pr->comments));
	struct ci_pr_comment *c = &pr->comments[pr->n_comments++];
	c->id = id ? xstrdup(id) : NULL;
	c->kind = kind;
	c->author_login = author ? xstrdup(author) : NULL;
	c->created_at = created_at;
}

int64_t ci_pr_review_visible_at(int64_t created_at, int64_t review_id, const json_t *reviews)
{
	if (review_id <= 0)
		return created_at;
	size_t i;
	json_t *r;
	json_array_foreach(reviews, i, r) {
		if (core_json_int(r, "id", 0) != review_id)
			continue;
		/* A pending review has no submitted_at: nobody but its author has seen its comments. */
		int64_t sub = ci_common_time(r, "submitted_at");
		if (sub == CI_TIME_UNKNOWN)
			return CI_TIME_UNKNOWN;
		return created_at == CI_TIME_UNKNOWN || sub > created_at ? sub : created_at;
	}
	return CI_TIME_UNKNOWN;
}

void ci_pr_add_review_comments(struct ci_pr *pr, const json_t *comments, const json_t *reviews)
{
	size_t i;
	json_t *c;
	json_array_foreach(comments, i, c) {
		int64_t at = ci_pr_review_visible_at(ci_common_time(c, "created_at"),
						     core_json_int(c, "pull_request_review_id", 0), reviews);
		if (at == CI_TIME_UNKNOWN)
			continue;
		char *id = ci_github_idstr(c, "id");
		ci_pr_add_comment(pr, CI_COMMENT_REVIEW, id, core_json_str(json_object_get(c, "user"), "login", NULL), at);
		free(id);
	}
}

void ci_pr_ctx_release(struct ci_pr_ctx *ctx)
{
	free(ctx->repo);
	json_decref(ctx->commit_comments);
	*ctx = (struct ci_pr_ctx)CI_PR_CTX_INIT;
}

int ci_prs_available(struct ci_provider *p)
{
	if (!p->ops->prs_get)
		return 0;
	return p->ops->prs_available ? p->ops->prs_available(p) : 1;
}

int ci_prs_get(struct ci_provider *p, const char *repo, struct ci_pr_req *reqs, size_t n, struct ci_pr_ctx *ctx,
	       struct err *e)
{
	for (size_t i = 0; i < n; i++) {
		reqs[i].rc = 0;
		err_clear(&reqs[i].err);
		ci_pr_init(&reqs[i].pr);
	}
	int rc = ci_prs_available(p) ? p->ops->prs_get(p, repo, reqs, n, ctx, e)
				      : err_set(e, CI_ERR_PERMANENT, "the %s provider has no pull-request data for %s",
						p->ops->kind, repo);
	if (rc == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (reqs[i].rc == 0)
			reqs[i].rc = err_copy(&reqs[i].err, e);
	return rc;
}

void ci_commit_prs_release(struct ci_commit_prs *c)
{
	for (size_t i = 0; i < c->n_prs; i++) {
		free(c->prs[i].head_sha);
		free(c->prs[i].head_ref);
		free(c->prs[i].head_repo);
		free(c->prs[i].state);
	}
	free(c->prs);
	c->prs = NULL;
	c->n_prs = 0;
}

int ci_prs_for_commits_available(struct ci_provider *p)
{
	return p->ops->prs_for_commits != NULL;
}

int ci_prs_for_commits(struct ci_provider *p, const char *repo, struct ci_commit_prs *items, size_t n, struct err *e)
{
	for (size_t i = 0; i < n; i++) {
		items[i].rc = 0;
		err_clear(&items[i].err);
		items[i].prs = NULL;
		items[i].n_prs = 0;
	}
	int rc = ci_prs_for_commits_available(p)
			 ? p->ops->prs_for_commits(p, repo, items, n, e)
			 : err_set(e, CI_ERR_PERMANENT, "the %s provider cannot list the pull requests of a commit of %s",
				   p->ops->kind, repo);
	if (rc == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (items[i].rc == 0) {
			ci_commit_prs_release(&items[i]);
			items[i].rc = err_copy(&items[i].err, e);
		}
	return rc;
}

const struct ci_pr_ref *ci_commit_prs_pick(const struct ci_commit_prs *c, const char *branch)
{
	const struct ci_pr_ref *best = NULL;
	for (size_t i = 0; c->rc == 0 && i < c->n_prs; i++)
		if (c->prs[i].head_sha && c->sha && !strcasecmp(c->prs[i].head_sha, c->sha) &&
		    (!best || c->prs[i].number < best->number))
			best = &c->prs[i];
	if (best)
		return best;
	/* Not the head of any listed PR: an earlier push to the branch of the only PR listed. */
	if (c->rc == 0 && c->n_prs == 1 && branch && c->prs[0].head_ref && !strcmp(c->prs[0].head_ref, branch))
		return &c->prs[0];
	return NULL;
}
