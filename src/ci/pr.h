/*
 * Pull requests and their comments (issue 6, the pr_* features), behind the
 * provider interface of provider.h.
 *
 * ci_prs_get() fetches n pull requests of one repository at once: each PR's
 * opening time, state, author, description and every comment made on it,
 * whatever its date — the feature engine, not the provider, decides which
 * comments a build may see (only those made before it started). Comments
 * come in three kinds, as GitHub keeps them:
 *   CI_COMMENT_ISSUE   discussion comments (GET /issues/{n}/comments)
 *   CI_COMMENT_REVIEW  review comments on the diff (GET /pulls/{n}/comments),
 *                      visible from their review's submission (GET /pulls/{n}/reviews)
 *   CI_COMMENT_COMMIT  comments on one of the PR's commits (the repository's
 *                      GET /comments, matched to GET /pulls/{n}/commits)
 *
 * ci_prs_for_commits() finds the PRs of head commits (a fork's PR build,
 * whose run names no PR).
 *
 * Providers: github_actions (REST, docs/ci.md "Pull requests"), local (the
 * archive's optional pulls.jsonl, docs/local-archive.md). CircleCI and Travis
 * have no pull-request API: their repositories are GitHub's, and the
 * pipeline asks a github_actions provider instead.
 *
 * Ownership: a filled struct ci_pr owns its strings and comments; release it
 * with ci_pr_release(). Times are int64 microseconds UTC, CI_TIME_UNKNOWN when
 * absent (closed_at/merged_at of an open PR).
 */
#ifndef CI_PR_H
#define CI_PR_H
#include "ci/provider.h"

enum ci_comment_kind {
	CI_COMMENT_ISSUE = 1,
	CI_COMMENT_REVIEW = 2,
	CI_COMMENT_COMMIT = 3,
};
/* "issue", "review", "commit" (NULL for another value). */
const char *ci_comment_kind_name(int kind);
/* The kind of a name above, 0 when unknown. */
int ci_comment_kind_parse(const char *name);

struct ci_pr_comment {
	char *id;            /* the provider's comment id, as text */
	int kind;            /* enum ci_comment_kind */
	char *author_login;  /* NULL when unknown (a deleted account) */
	/* When others could first see it. A review comment is drafted in a pending review (its created_at)
	 * and shown when the review is submitted: its time is max(created_at, the review's submitted_at),
	 * and a comment of a review never submitted is not kept at all (ci_pr_review_visible_at). */
	int64_t created_at;
};

struct ci_pr {
	int64_t number;
	int64_t created_at, closed_at, merged_at;
	char *state;         /* open | closed */
	char *author_login;
	char *body;          /* the description as fetched now (GitHub keeps no history of edits); may be NULL */
	char *raw_json;      /* the pull-request object, compact JSON */
	struct ci_pr_comment *comments; /* every kind, in the order fetched */
	size_t n_comments, cap_comments;
};
void ci_pr_init(struct ci_pr *pr);     /* zero, times CI_TIME_UNKNOWN */
void ci_pr_release(struct ci_pr *pr);
/* Appends a comment (strings copied; may be NULL). */
void ci_pr_add_comment(struct ci_pr *pr, int kind, const char *id, const char *author, int64_t created_at);

/*
 * What a provider keeps across the ci_prs_get() calls for one repository, so
 * that a repository-wide list is fetched once per ingestion of a repository,
 * not once per batch: GitHub's commit comments (GET /repos/{o}/{r}/comments).
 * Zero-initialise it (CI_PR_CTX_INIT), pass it to every call for the same
 * repository (a call for another repository resets it), release it with
 * ci_pr_ctx_release(). When the list failed, the failure is kept and every
 * later call's PRs fail with it too (docs/ci.md "Pull requests").
 */
struct ci_pr_ctx {
	char *repo;                      /* the repository it holds a list for; NULL: nothing fetched yet */
	int rc;                          /* the list's failure, 0 when fetched */
	struct err err;
	struct json_t *commit_comments;  /* the repository's commit comments (a JSON array) when rc == 0 */
	int64_t fetched_at;              /* when the list was asked for (a PR's data is as old as it) */
};
#define CI_PR_CTX_INIT { NULL, 0, ERR_INIT, NULL, 0 }
void ci_pr_ctx_release(struct ci_pr_ctx *ctx);

/* One pull request of a batch. */
struct ci_pr_req {
	int64_t number;      /* in */
	int rc;              /* out: 0, CI_ERR_NOT_FOUND (no such PR), or a transient/permanent code */
	struct err err;
	struct ci_pr pr;     /* out when rc == 0; release with ci_pr_release() */
};

/*
 * 1 when the provider can answer for pull requests (github_actions; a local
 * archive with pulls.jsonl), 0 otherwise (circleci, travis, an archive
 * without pulls.jsonl): then ci_prs_get() fails every item with
 * CI_ERR_PERMANENT and the pr_* features stay null. A broken pulls.jsonl
 * counts as available: ci_prs_get() then reports it.
 */
int ci_prs_available(struct ci_provider *p);
/*
 * Fetches n pull requests of repo ("owner/name"). Returns 0 when every item
 * has its own outcome in rc, or a negative code when the batch as a whole
 * failed (rate limit; then the items' rc carry it too). Numbers should be
 * distinct (a repeated number is fetched again). ctx (may be NULL: then
 * repository-wide lists are fetched for this call alone) carries what is
 * shared between the calls for one repository.
 */
int ci_prs_get(struct ci_provider *p, const char *repo, struct ci_pr_req *reqs, size_t n, struct ci_pr_ctx *ctx,
	       struct err *e);

/*
 * The pull requests of head commits: how a build whose run names no PR (a
 * fork's PR: GitHub leaves a run's pull_requests empty for those) finds its
 * PR. GitHub: GET /repos/{o}/{r}/commits/{sha}/pulls?per_page=100, one
 * request per commit, concurrently (cfg.max_in_flight at a time), through
 * the ETag cache; only the first page (a commit in more than 100 PRs is
 * not a build's head). Other providers have no such call.
 */
struct ci_pr_ref {
	int64_t number;
	char *head_sha;      /* the PR's head commit now; NULL when unknown */
	char *head_ref;      /* its branch; NULL when unknown */
	char *head_repo;     /* "owner/name" of the head repository (a fork's); NULL when deleted or unknown */
	char *state;         /* open | closed; NULL when unknown */
	int64_t created_at;  /* CI_TIME_UNKNOWN when absent */
};
/* One commit of a batch look-up. */
struct ci_commit_prs {
	const char *sha;          /* in, borrowed */
	int rc;                   /* out: 0, CI_ERR_NOT_FOUND (no such repository), or a transient/permanent code */
	struct err err;
	struct ci_pr_ref *prs;    /* out when rc == 0: the PRs associated with the commit, as listed (maybe none) */
	size_t n_prs;
};
void ci_commit_prs_release(struct ci_commit_prs *c); /* frees prs; sha stays */
/* 1 when the provider can look up the pull requests of a commit (github_actions), 0 otherwise. */
int ci_prs_for_commits_available(struct ci_provider *p);
/*
 * Looks up the pull requests of n commits of repo ("owner/name"). Returns 0
 * when every item has its own outcome in rc, or a negative code when the
 * batch as a whole failed (a rate limit beyond the longest wait, or a
 * provider without the call: CI_ERR_PERMANENT); the items' rc carry it then
 * too. Commits should be distinct (a repeated one is asked for again).
 */
int ci_prs_for_commits(struct ci_provider *p, const char *repo, struct ci_commit_prs *items, size_t n, struct err *e);
/*
 * The PR of a build of commit c->sha on branch (the run's head_branch; may be
 * NULL): the PR whose head_sha is the commit (the lowest number when
 * several); else, since a PR's head moves on after later pushes, the only PR
 * listed provided its head_ref is that branch; else NULL (none, several that
 * merely contain the commit, or a PR of another branch — e.g. the merged PR
 * that brought a base-branch commit). Borrowed from c.
 */
const struct ci_pr_ref *ci_commit_prs_pick(const struct ci_commit_prs *c, const char *branch);

/* ---- for implementations ---- */
/*
 * The time from which a review comment was visible to others, given its
 * pull_request_review_id (0: none, an old comment: its created_at) and the
 * PR's reviews (a JSON array of GitHub review objects): max(created_at, the
 * review's submitted_at), or CI_TIME_UNKNOWN when the review is pending (no
 * submitted_at) or not in the list — such a comment is left out.
 */
int64_t ci_pr_review_visible_at(int64_t created_at, int64_t review_id, const struct json_t *reviews);
/* Appends a JSON array of GitHub review comments, each at its visible time (above); skips pending ones. */
void ci_pr_add_review_comments(struct ci_pr *pr, const struct json_t *comments, const struct json_t *reviews);
/* The ops->prs_get / prs_available entries (ctx may be NULL). */
int ci_github_prs_get(struct ci_provider *p, const char *repo, struct ci_pr_req *reqs, size_t n, struct ci_pr_ctx *ctx,
		      struct err *e);
int ci_local_prs_get(struct ci_provider *p, const char *repo, struct ci_pr_req *reqs, size_t n, struct ci_pr_ctx *ctx,
		     struct err *e);
int ci_local_prs_available(struct ci_provider *p);
/* The ops->prs_for_commits entry of github_actions. */
int ci_github_prs_for_commits(struct ci_provider *p, const char *repo, struct ci_commit_prs *items, size_t n,
			      struct err *e);

#endif
