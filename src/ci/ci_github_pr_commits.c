/*
 * The pull requests of head commits from the GitHub REST API (pr.h,
 * ci_prs_for_commits):
 *
 *   GET /repos/{o}/{r}/commits/{sha}/pulls?per_page=100
 *
 * ("List pull requests associated with a commit": an array of pull objects,
 * the open and merged PRs that contain the commit; 404 for an unknown
 * repository, 422 for a commit GitHub does not know). One request per
 * commit, all of them through one ci_http_run() (cfg.max_in_flight at a
 * time), through the ETag cache. Only the first page is read: the PR a
 * build belongs to is the one whose head is the build's commit, and a commit
 * contained in more than 100 PRs heads none of them worth guessing.
 */
#include "ci/ci_github.h"
#include "ci/common.h"
#include "ci/pr.h"
#include "core/json.h"
#include "core/xalloc.h"
#include <stdlib.h>
#include <string.h>

/* Fills c->prs from the answer's array (each item a pull object). */
static void map_prs(struct ci_commit_prs *c, const json_t *arr)
{
	size_t i;
	json_t *pr;
	c->prs = xcalloc(json_array_size(arr) ? json_array_size(arr) : 1, sizeof(*c->prs));
	json_array_foreach(arr, i, pr) {
		if (core_json_int(pr, "number", 0) <= 0)
			continue;
		struct ci_pr_ref *r = &c->prs[c->n_prs++];
		r->number = core_json_int(pr, "number", 0);
		r->head_sha = ci_common_str(pr, "head.sha");
		r->head_ref = ci_common_str(pr, "head.ref");
		r->head_repo = ci_common_str(pr, "head.repo.full_name");
		r->state = ci_common_str(pr, "state");
		r->created_at = ci_common_time(pr, "created_at");
	}
}

int ci_github_prs_for_commits(struct ci_provider *p, const char *repo, struct ci_commit_prs *items, size_t n,
			      struct err *e)
{
	if (!n)
		return 0;
	struct ci_json_get *gs = xcalloc(n, sizeof(*gs));
	for (size_t i = 0; i < n; i++)
		gs[i].url = xasprintf("%s/repos/%s/commits/%s/pulls?per_page=100", p->api_url, repo, items[i].sha);
	int fatal = ci_common_get_json_many(p, gs, n, ci_github_headers, CI_HTTP_CACHE | CI_HTTP_FOLLOW, e);
	for (size_t i = 0; i < n; i++) {
		struct ci_commit_prs *c = &items[i];
		struct err *re = &gs[i].err;
		int rc = gs[i].rc;
		if (!rc && !json_is_array(gs[i].json))
			rc = err_set(re, CI_ERR_PERMANENT, "GET %s: the answer is not a JSON array", gs[i].url);
		if (rc == CI_ERR_NOT_FOUND)
			err_set(re, rc, "repository %s does not exist on GitHub (asking for the pull requests of commit %s)",
				repo, c->sha);
		else if (rc)
			err_prefix(re, "the pull requests of commit %s of %s", c->sha, repo);
		if (rc)
			c->rc = err_copy(&c->err, re);
		else
			map_prs(c, gs[i].json);
		json_decref(gs[i].json);
		free(gs[i].next);
		free((char *)gs[i].url);
	}
	free(gs);
	return fatal;
}
