/*
 * The PR numbers of fork PR builds (pr_forks.h): one look-up of the pull
 * requests of each distinct head commit, all at once through the provider,
 * then the choice per build.
 */
#include "pipeline/pr_forks.h"
#include "ci/pr.h"
#include "core/log.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include "store/warehouse.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

void pr_forks_add(struct pr_forks *f, size_t build, int64_t raw_run_id, char *sha, char *branch)
{
	xgrow((void **)&f->v, &f->cap, f->n + 1, sizeof(*f->v));
	f->v[f->n++] = (struct pr_fork){ build, raw_run_id, sha, branch, 0 };
}

void pr_forks_release(struct pr_forks *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].sha);
		free(f->v[i].branch);
	}
	free(f->v);
	*f = (struct pr_forks)PR_FORKS_INIT;
}

/* A commit id that can go into a URL as it is: 7 to 40 hex digits. */
static int commit_id_ok(const char *sha)
{
	size_t n = sha ? strlen(sha) : 0;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)sha[i]))
			return 0;
	return n >= 7 && n <= 40;
}

static int by_sha(const void *a, const void *b)
{
	return strcmp(((const struct ci_commit_prs *)a)->sha, ((const struct ci_commit_prs *)b)->sha);
}

static void outcome(struct pr_build *pb, const char *status, char *error)
{
	pb->status = status;
	free(pb->error);
	pb->error = error;
}

/* Settles build pb from the look-up of its commit, or gives it its number. */
static void choose(struct pr_build *pb, const struct ci_commit_prs *c, const char *branch)
{
	if (c->rc) {
		/* Only a transient failure may answer otherwise when asked again (a 404, or a 422 for an
		 * unknown commit, will not). */
		outcome(pb, ci_err_is_transient(c->rc) ? "failed" : "skipped", xstrdup(c->err.msg));
		return;
	}
	const struct ci_pr_ref *pr = ci_commit_prs_pick(c, branch);
	if (!pr && c->n_prs == 0) {
		outcome(pb, "skipped", xasprintf("no pull request names commit %s", c->sha));
		return;
	}
	if (!pr) {
		outcome(pb, "skipped", xasprintf("no pull request names commit %s as its head (%zu pull requests contain it)",
						 c->sha, c->n_prs));
		return;
	}
	if (pr->created_at != CI_TIME_UNKNOWN && pb->start != CI_TIME_UNKNOWN && pr->created_at > pb->start) {
		char opened[UTC_FMT_MAX], started[UTC_FMT_MAX];
		outcome(pb, "skipped",
			xasprintf("pull request #%lld heads commit %s but was opened at %s, after the build started at %s:"
				  " it did not trigger the build",
				  (long long)pr->number, c->sha, utc_format(pr->created_at, opened), utc_format(pb->start, started)));
		return;
	}
	pb->number = pr->number;
}

void pr_forks_resolve(struct pr_builds *b, struct pr_forks *f, struct ci_provider *src, const char *full_name)
{
	int lookup = src && ci_prs_for_commits_available(src);
	/* The distinct commits to ask for, sorted so that each build finds its answer by a binary search. */
	struct ci_commit_prs *items = xcalloc(f->n ? f->n : 1, sizeof(*items));
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++) {
		if (lookup && commit_id_ok(f->v[i].sha))
			items[n++].sha = f->v[i].sha;
		else
			outcome(&b->v[f->v[i].build], "skipped", xstrdup(PR_FORK_SKIPPED));
	}
	qsort(items, n, sizeof(*items), by_sha);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!k || strcmp(items[k - 1].sha, items[i].sha))
			items[k++].sha = items[i].sha;
	n = k;
	struct err e = ERR_INIT;
	if (n && ci_prs_for_commits(src, full_name, items, n, &e) < 0)
		log_warn("%s: looking up the pull requests of %zu fork PR commits: %s", full_name, n, e.msg);
	for (size_t i = 0; n && i < f->n; i++) {
		struct pr_build *pb = &b->v[f->v[i].build];
		struct ci_commit_prs key = { .sha = f->v[i].sha };
		const struct ci_commit_prs *c = pb->status ? NULL : bsearch(&key, items, n, sizeof(*items), by_sha);
		if (c)
			choose(pb, c, f->v[i].branch);
	}
	if (n)
		log_debug("%s: looked up the pull requests of %zu fork PR commits", full_name, n);
	for (size_t i = 0; i < n; i++)
		ci_commit_prs_release(&items[i]);
	free(items);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

int pr_forks_store(struct store *s, struct pr_forks *f, const struct pr_builds *b, const int64_t *numbers, size_t n,
		   struct err *e)
{
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < f->n; i++) {
		const struct pr_build *pb = &b->v[f->v[i].build];
		if (f->v[i].written || pb->number <= 0)
			continue;
		if (numbers && !(n && bsearch(&pb->number, numbers, n, sizeof(*numbers), cmp_i64)))
			continue;
		char prs[32];
		snprintf(prs, sizeof(prs), "[%lld]", (long long)pb->number);
		rc = warehouse_run_set_prs(s, f->v[i].raw_run_id, prs, e);
		f->v[i].written = rc == 0;
	}
	return rc;
}
