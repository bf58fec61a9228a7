/*
 * Pull requests from the GitHub REST API (pr.h). For each wanted PR:
 *
 *   GET /repos/{o}/{r}/pulls/{n}                          the PR (404: no such PR)
 *   GET /repos/{o}/{r}/issues/{n}/comments?per_page=100   discussion comments
 *   GET /repos/{o}/{r}/pulls/{n}/comments?per_page=100    review comments
 *   GET /repos/{o}/{r}/pulls/{n}/reviews?per_page=100     reviews: when each review comment became visible
 *   GET /repos/{o}/{r}/pulls/{n}/commits?per_page=100     the PR's commit shas
 *
 * and once per repository (kept in the caller's struct ci_pr_ctx across
 * calls; once per call without one), for the commit comments of every PR:
 *
 *   GET /repos/{o}/{r}/comments?per_page=100              the repository's commit comments
 *
 * (GitHub has no per-PR list of commit comments; each has a commit_id, which
 * is matched to the PR's commits). Requests run in rounds through
 * ci_http_run(): the first pages of every list of every PR in one batch
 * (cfg.max_in_flight at a time), then every "next" page the answers linked
 * to, and so on — so hundreds of PRs are not a sequential crawl. A PR costs
 * 5 requests plus one per further page of 100; the repository's comment list
 * costs one request per 100 commit comments per repository. All requests go
 * through the ETag cache.
 */
#include "ci/ci_github.h"
#include "ci/common.h"
#include "ci/pr.h"
#include "core/json.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include <stdlib.h>
#include <string.h>

enum what { W_PULL, W_ISSUE, W_REVIEW, W_REVIEWS, W_COMMITS, W_REPO_COMMENTS };

struct fetch {
	long pr;       /* index in reqs; -1 for the repository's comment list */
	enum what what;
	char *url;
};

struct prstate {
	json_t *pull;          /* the PR object once fetched */
	int rc_pull, rc_other; /* the first failure of the PR's own request, of its lists */
	struct err err_pull, err_other;
	struct strmap shas;    /* the PR's commits (value unused) */
	json_t *review_comments, *reviews; /* mapped together in finish(): a comment's review may come later */
};

struct batch {
	struct ci_provider *p;
	const char *repo;
	struct ci_pr_req *reqs;
	struct prstate *st;
	size_t n;
	json_t *repo_comments; /* array of the repository's commit comments */
	int rc_repo;           /* failure of the repository's comment list */
	struct err err_repo;
	struct fetch *next;    /* the next round */
	size_t nnext, capnext;
};

static void push(struct batch *B, long pr, enum what what, char *url)
{
	xgrow((void **)&B->next, &B->capnext, B->nnext + 1, sizeof(*B->next));
	B->next[B->nnext++] = (struct fetch){ pr, what, url };
}

void ci_github_add_comments(struct ci_pr *pr, const json_t *arr, int kind)
{
	size_t i;
	json_t *c;
	json_array_foreach(arr, i, c) {
		char *id = ci_github_idstr(c, "id");
		ci_pr_add_comment(pr, kind, id, core_json_str(json_object_get(c, "user"), "login", NULL),
				  ci_common_time(c, "created_at"));
		free(id);
	}
}

void ci_github_map_pr(struct ci_pr *pr, const json_t *j)
{
	pr->number = core_json_int(j, "number", pr->number);
	pr->created_at = ci_common_time(j, "created_at");
	pr->closed_at = ci_common_time(j, "closed_at");
	pr->merged_at = ci_common_time(j, "merged_at");
	pr->state = ci_common_str(j, "state");
	pr->author_login = ci_common_str(j, "user.login");
	pr->body = ci_common_str(j, "body");
	pr->raw_json = ci_common_dump(j);
}

/* Files one answer: its items into the PR (or the repository list), its next page into the next round. */
static void take(struct batch *B, struct fetch *f, struct ci_json_get *g)
{
	struct err re = g->err;
	int rc = g->rc;
	json_t *j = g->json;
	if (!rc && f->what != W_PULL && !json_is_array(j))
		rc = err_set(&re, CI_ERR_PERMANENT, "GET %s: the answer is not a JSON array", f->url);
	if (f->pr < 0) {
		if (rc && !B->rc_repo)
			B->rc_repo = err_copy(&B->err_repo, &re);
		else if (!rc)
			json_array_extend(B->repo_comments, j);
	} else {
		struct prstate *s = &B->st[f->pr];
		struct ci_pr *pr = &B->reqs[f->pr].pr;
		if (rc && f->what == W_PULL)
			s->rc_pull = err_copy(&s->err_pull, &re);
		else if (rc && !s->rc_other)
			s->rc_other = err_copy(&s->err_other, &re);
		else if (!rc && f->what == W_PULL)
			s->pull = json_incref(j);
		else if (!rc && f->what == W_ISSUE)
			ci_github_add_comments(pr, j, CI_COMMENT_ISSUE);
		else if (!rc && f->what == W_REVIEW)
			json_array_extend(s->review_comments, j);
		else if (!rc && f->what == W_REVIEWS)
			json_array_extend(s->reviews, j);
		else if (!rc && f->what == W_COMMITS) {
			size_t i;
			json_t *c;
			json_array_foreach(j, i, c)
				if (core_json_str(c, "sha", NULL))
					strmap_put(&s->shas, core_json_str(c, "sha", NULL), s);
		}
	}
	if (!rc && g->next) {
		push(B, f->pr, f->what, g->next);
		g->next = NULL;
	}
	free(g->next);
	json_decref(j);
}

/* Runs rounds until no answer links to a further page. */
static int rounds(struct batch *B, struct err *e)
{
	while (B->nnext) {
		struct fetch *cur = B->next;
		size_t n = B->nnext;
		B->next = NULL;
		B->nnext = B->capnext = 0;
		struct ci_json_get *gs = xcalloc(n, sizeof(*gs));
		for (size_t i = 0; i < n; i++)
			gs[i].url = cur[i].url;
		int rc = ci_common_get_json_many(B->p, gs, n, ci_github_headers, CI_HTTP_CACHE | CI_HTTP_FOLLOW, e);
		for (size_t i = 0; i < n; i++) {
			take(B, &cur[i], &gs[i]);
			free(cur[i].url);
		}
		free(gs);
		free(cur);
		if (rc)
			return rc;
	}
	return 0;
}

/* The PR's outcome: its object and comments, or the first failure that matters. */
static void finish(struct batch *B, size_t i)
{
	struct ci_pr_req *q = &B->reqs[i];
	struct prstate *s = &B->st[i];
	if (s->rc_pull || s->rc_other || B->rc_repo)
		ci_pr_release(&q->pr); /* the comments of the lists that did answer */
	if (s->rc_pull == CI_ERR_NOT_FOUND) {
		q->rc = err_set(&q->err, CI_ERR_NOT_FOUND, "pull request #%lld of %s does not exist on GitHub",
				(long long)q->number, B->repo);
		return;
	}
	if (s->rc_pull || s->rc_other || B->rc_repo) {
		const struct err *why = s->rc_pull ? &s->err_pull : s->rc_other ? &s->err_other : &B->err_repo;
		q->rc = err_copy(&q->err, why);
		err_prefix(&q->err, "pull request #%lld of %s", (long long)q->number, B->repo);
		return;
	}
	q->pr.number = q->number;
	ci_github_map_pr(&q->pr, s->pull);
	ci_pr_add_review_comments(&q->pr, s->review_comments, s->reviews);
	size_t k;
	json_t *c;
	json_array_foreach(B->repo_comments, k, c) {
		const char *sha = core_json_str(c, "commit_id", NULL);
		if (sha && strmap_has(&s->shas, sha)) {
			char *id = ci_github_idstr(c, "id");
			ci_pr_add_comment(&q->pr, CI_COMMENT_COMMIT, id, core_json_str(json_object_get(c, "user"), "login", NULL),
					  ci_common_time(c, "created_at"));
			free(id);
		}
	}
	q->rc = 0;
}

int ci_github_prs_get(struct ci_provider *p, const char *repo, struct ci_pr_req *reqs, size_t n, struct ci_pr_ctx *ctx,
			struct err *e)
{
	if (!n)
		return 0;
	struct ci_pr_ctx own = CI_PR_CTX_INIT;
	if (!ctx)
		ctx = &own;
	if (ctx->repo && strcmp(ctx->repo, repo))
		ci_pr_ctx_release(ctx);
	/* The repository's list is asked for only when the context has none yet (a kept failure stays). */
	int want_repo = !ctx->repo;
	struct batch B = { .p = p, .repo = repo, .reqs = reqs, .n = n, .repo_comments = json_array() };
	B.st = xcalloc(n, sizeof(*B.st));
	static const char *const paths[] = { "pulls/%lld", "issues/%lld/comments?per_page=100",
					     "pulls/%lld/comments?per_page=100", "pulls/%lld/reviews?per_page=100",
					     "pulls/%lld/commits?per_page=100" };
	for (size_t i = 0; i < n; i++) {
		B.st[i].review_comments = json_array();
		B.st[i].reviews = json_array();
		for (int w = W_PULL; w <= W_COMMITS; w++) {
			char *path = xasprintf(paths[w], (long long)reqs[i].number);
			push(&B, (long)i, (enum what)w, xasprintf("%s/repos/%s/%s", p->api_url, repo, path));
			free(path);
		}
	}
	int64_t asked_at = utc_now();
	if (want_repo)
		push(&B, -1, W_REPO_COMMENTS, xasprintf("%s/repos/%s/comments?per_page=100", p->api_url, repo));
	int rc = rounds(&B, e);
	/* A rate limit beyond the longest wait fails the batch: every PR shares it. */
	for (size_t i = 0; !rc && i < n; i++)
		if (B.st[i].rc_pull == CI_ERR_RATE_LIMITED || B.st[i].rc_other == CI_ERR_RATE_LIMITED)
			rc = err_copy(e, B.st[i].rc_pull == CI_ERR_RATE_LIMITED ? &B.st[i].err_pull : &B.st[i].err_other);
	if (!rc && B.rc_repo == CI_ERR_RATE_LIMITED)
		rc = err_copy(e, &B.err_repo);
	if (!rc && want_repo) {
		/* Kept for the next calls: the list (or its failure, which fails their PRs too). */
		ctx->repo = xstrdup(repo);
		ctx->rc = B.rc_repo ? err_copy(&ctx->err, &B.err_repo) : 0;
		ctx->commit_comments = B.rc_repo ? NULL : json_incref(B.repo_comments);
		ctx->fetched_at = asked_at;
	}
	if (!rc && !want_repo) {
		json_decref(B.repo_comments);
		B.repo_comments = ctx->commit_comments ? json_incref(ctx->commit_comments) : json_array();
		if (ctx->rc)
			B.rc_repo = err_copy(&B.err_repo, &ctx->err);
	}
	for (size_t i = 0; i < n; i++) {
		if (rc) {
			ci_pr_release(&reqs[i].pr);
			reqs[i].rc = err_copy(&reqs[i].err, e);
		} else
			finish(&B, i);
		json_decref(B.st[i].pull);
		json_decref(B.st[i].review_comments);
		json_decref(B.st[i].reviews);
		strmap_clear(&B.st[i].shas, NULL);
	}
	for (size_t i = 0; i < B.nnext; i++)
		free(B.next[i].url);
	free(B.next);
	free(B.st);
	json_decref(B.repo_comments);
	ci_pr_ctx_release(&own);
	return rc;
}
