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
	struct ci_http_req *rs = xcalloc(n, sizeof(*rs));
	char **urls = xcalloc(n, sizeof(*urls));
	for (size_t i = 0; i < n; i++) {
		urls[i] = xasprintf("%s/repos/%s/commits/%s/pulls?per_page=100", p->api_url, repo, items[i].sha);
		rs[i].url = urls[i];
		rs[i].headers = ci_github_headers;
		rs[i].flags = CI_HTTP_CACHE | CI_HTTP_FOLLOW;
	}
	int fatal = ci_http_run(p->http, rs, n, e);
	for (size_t i = 0; i < n; i++) {
		struct ci_commit_prs *c = &items[i];
		struct err re = ERR_INIT;
		int rc = fatal ? err_copy(&re, e) : ci_common_req_err(&re, &rs[i]);
		json_t *j = NULL;
		if (!rc && !(j = core_json_parse(rs[i].body.data ? rs[i].body.data : "", rs[i].body.len, urls[i], &re)))
			rc = err_set(&re, CI_ERR_PERMANENT, "GET %s: the answer is not JSON", urls[i]);
		if (!rc && !json_is_array(j))
			rc = err_set(&re, CI_ERR_PERMANENT, "GET %s: the answer is not a JSON array", urls[i]);
		if (rc == CI_ERR_NOT_FOUND)
			err_set(&re, rc, "repository %s does not exist on GitHub (asking for the pull requests of commit %s)",
				repo, c->sha);
		else if (rc)
			err_prefix(&re, "the pull requests of commit %s of %s", c->sha, repo);
		if (rc == CI_ERR_RATE_LIMITED && !fatal)
			fatal = err_copy(e, &re);
		if (rc)
			c->rc = err_copy(&c->err, &re);
		else
			map_prs(c, j);
		json_decref(j);
		ci_http_req_release(&rs[i]);
		free(urls[i]);
	}
	free(rs);
	free(urls);
	return fatal;
}
