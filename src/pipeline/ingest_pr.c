/*
 * Ingestion of pull-request data (pull_requests.h): the scenario's PR builds
 * of one repository, the PRs not yet in raw_pull_requests (or stored before
 * one of their builds started) fetched in batches (the provider runs each
 * batch's requests concurrently; one struct ci_pr_ctx carries the
 * repository-wide commit-comment list from batch to batch) and each batch
 * stored in one transaction, so that a killed job keeps what it stored and
 * the next attempt fetches only the rest. Fork PR builds (their run names no
 * PR) first get their number from their head commit (pr_forks.h).
 */
#include "pipeline/pull_requests.h"
#include "pipeline/pr_forks.h"
#include "pipeline/providers.h"
#include "pipeline/scenario_config.h"
#include "ci/pr.h"
#include "core/json.h"
#include "core/log.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include "store/ingestion.h"
#include "store/pull_requests.h"
#include <stdlib.h>
#include <string.h>

#define PR_BATCH 50

int pr_plan_needs(const struct feat_plan *plan)
{
	return plan && (feat_plan_inputs(plan) & (FEAT_IN_PR | FEAT_IN_PR_COMMENTS)) != 0;
}

/* The scenario's PR builds being ingested (in build id order, which pr_builds_find relies on), with their first
 * PR number and start; a pull_request build that names no PR (a fork's: GitHub leaves pull_requests empty) is
 * listed in forks, with number 0, for pr_forks_resolve. */
static int load_pr_builds(struct pr_builds *out, struct pr_forks *forks, struct store *s, int64_t scenario_id,
			  int64_t repo_id, struct err *e)
{
	struct store_cursor *c;
	int rc = ingestion_builds_pr_runs(s, &c, scenario_id, repo_id, e);
	if (rc < 0)
		return rc;
	size_t cap = 0;
	while ((rc = store_next(c, e)) == 1) {
		json_t *prs = json_loads(store_col_text(c, 1) ? store_col_text(c, 1) : "[]", 0, NULL);
		int64_t number = json_integer_value(json_array_get(prs, 0));
		json_decref(prs);
		const char *event = store_col_text(c, 2) ? store_col_text(c, 2) : "";
		/* A pull_request_target run is of the base branch (its head_sha is the base's): its commit
		 * names no PR to look up. */
		int fork = number <= 0 && !strcmp(event, "pull_request");
		int target = number <= 0 && !strcmp(event, "pull_request_target");
		if (number <= 0 && !fork && !target)
			continue;
		xgrow((void **)&out->v, &cap, out->n + 1, sizeof(*out->v));
		out->v[out->n] = (struct pr_build){ store_col_int(c, 0), number > 0 ? number : 0,
						    store_col_int_or(c, 3, CI_TIME_UNKNOWN), target ? "skipped" : NULL,
						    target ? xstrdup(PR_TARGET_SKIPPED) : NULL };
		if (fork)
			pr_forks_add(forks, out->n, store_col_int(c, 4),
				     store_col_text(c, 5) ? xstrdup(store_col_text(c, 5)) : NULL,
				     store_col_text(c, 6) ? xstrdup(store_col_text(c, 6)) : NULL);
		out->n++;
	}
	store_cursor_free(c);
	return rc < 0 ? rc : 0;
}

static int by_number(const void *a, const void *b)
{
	const struct pr_build *x = *(struct pr_build *const *)a, *y = *(struct pr_build *const *)b;
	return x->number < y->number ? -1 : x->number > y->number ? 1 : (x->build_id > y->build_id) - (x->build_id < y->build_id);
}

/* The builds in PR-number order, so that settling a number is a binary search, not a scan of every build. */
struct by_pr {
	struct pr_build **v;
	size_t n;
};

static void settle(struct by_pr *idx, int64_t number, const char *status, const char *error)
{
	size_t lo = 0, hi = idx->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (idx->v[mid]->number < number)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < idx->n && idx->v[lo]->number == number; lo++)
		if (!idx->v[lo]->status) {
			idx->v[lo]->status = status;
			idx->v[lo]->error = error ? xstrdup(error) : NULL;
		}
}

static int store_pr(struct store *s, int64_t repo_id, const struct ci_pr *pr, int64_t fetched_at, struct err *e)
{
	struct pull_request_row row = { .raw_repo_id = repo_id, .number = pr->number, .state = pr->state,
					.author_login = pr->author_login, .created_at = pr->created_at,
					.closed_at = pr->closed_at, .merged_at = pr->merged_at, .body = pr->body,
					.comments_count = (int64_t)pr->n_comments,
					.raw = pr->raw_json ? pr->raw_json : "{}", .fetched_at = fetched_at };
	struct pull_request_comment_row *cs = xcalloc(pr->n_comments ? pr->n_comments : 1, sizeof(*cs));
	char (*fallback)[32] = xcalloc(pr->n_comments ? pr->n_comments : 1, sizeof(*fallback));
	for (size_t i = 0; i < pr->n_comments; i++) {
		const struct ci_pr_comment *c = &pr->comments[i];
		snprintf(fallback[i], sizeof(fallback[i]), "#%zu", i); /* a comment without an id keeps its place */
		cs[i] = (struct pull_request_comment_row){ ci_comment_kind_name(c->kind), c->id ? c->id : fallback[i],
							   c->author_login, c->created_at };
	}
	int rc = pull_requests_put(s, &row, cs, pr->n_comments, e);
	free(cs);
	free(fallback);
	return rc;
}

/* Fetches and stores one batch of PR numbers; settles their builds. */
static int batch(struct by_pr *idx, struct pr_forks *forks, const struct pr_builds *builds, struct store *s,
		 int64_t repo_id, const char *full_name, struct ci_provider *p, struct ci_pr_ctx *ctx,
		 const int64_t *numbers, size_t n, struct err *e)
{
	struct ci_pr_req *reqs = xcalloc(n, sizeof(*reqs));
	for (size_t i = 0; i < n; i++)
		reqs[i].number = numbers[i];
	struct err be = ERR_INIT;
	/* The time the fetch began, not when it ended: a comment made meanwhile may be missing from the answer, so
	 * a build that started after this time re-fetches (ingest_prs). */
	int64_t fetched_at = utc_now();
	ci_prs_get(p, full_name, reqs, n, ctx, &be);
	/* The repository's commit comments may come from an earlier batch: the data is as old as they are. */
	if (ctx && ctx->fetched_at && ctx->fetched_at < fetched_at)
		fetched_at = ctx->fetched_at;
	int rc = store_begin(s, e);
	for (size_t i = 0; rc == 0 && i < n; i++)
		if (reqs[i].rc == 0)
			rc = store_pr(s, repo_id, &reqs[i].pr, fetched_at, e);
	/* The fork builds of these numbers name their PR from now on, whatever the fetch said of it. */
	if (rc == 0)
		rc = pr_forks_store(s, forks, builds, numbers, n, e);
	rc = store_tx_end(s, rc, e);
	for (size_t i = 0; i < n; i++) {
		if (rc == 0 && reqs[i].rc == 0)
			settle(idx, numbers[i], "ok", NULL);
		else if (rc == 0)
			settle(idx, numbers[i], ci_err_is_missing(reqs[i].rc) ? "missing" : "failed", reqs[i].err.msg);
		ci_pr_release(&reqs[i].pr);
	}
	free(reqs);
	return rc;
}

/* The provider that answers for pull requests of a kind's repositories, or NULL with why (skipped). */
static struct ci_provider *pr_source(const char *kind, struct ci_provider *p, struct ci_provider **owned,
				     char *why, size_t whylen)
{
	*owned = NULL;
	if (ci_provider_has_prs(p)) {
		if (ci_prs_available(p))
			return p;
		snprintf(why, whylen, "the %s provider has no pull-request data (a local archive needs pulls.jsonl)", kind);
		return NULL;
	}
	/* CircleCI and Travis build GitHub repositories: ask GitHub, but only when it was configured, so that
	 * an unconfigured installation is not sent to the public API without credentials. */
	const char *vars[] = { "CIMINER_GITHUB_API_URL", "CIMINER_GITHUB_TOKENS", "GITHUB_TOKEN" };
	int configured = 0;
	for (size_t i = 0; i < 3; i++)
		configured |= getenv(vars[i]) && *getenv(vars[i]);
	struct err e = ERR_INIT;
	if (configured && pipeline_provider_open(owned, CI_GITHUB, NULL, &e) == 0)
		return *owned;
	snprintf(why, whylen, "%s builds take pull requests from GitHub: %s", kind,
		 configured ? e.msg : "set CIMINER_GITHUB_TOKENS (or CIMINER_GITHUB_API_URL) to fetch them");
	return NULL;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* The repository's stored PRs: numbers ascending and when each was fetched. */
struct stored {
	int64_t *number, *fetched_at;
	size_t n;
};

static int load_stored(struct stored *st, struct store *s, int64_t repo_id, struct err *e)
{
	struct store_cursor *c;
	int rc = pull_requests_fetched(s, &c, repo_id, e);
	if (rc < 0)
		return rc;
	size_t cap = 0, cap2 = 0;
	while ((rc = store_next(c, e)) == 1) {
		xgrow((void **)&st->number, &cap, st->n + 1, sizeof(*st->number));
		xgrow((void **)&st->fetched_at, &cap2, st->n + 1, sizeof(*st->fetched_at));
		st->number[st->n] = store_col_int(c, 0);
		st->fetched_at[st->n++] = store_col_int_or(c, 1, 0);
	}
	store_cursor_free(c);
	return rc < 0 ? rc : 0;
}

/*
 * 1 when build b can use the stored copy of its PR: stored, and fetched after the build started (so it holds
 * every comment the build may count). A build that started at or after the fetch needs a new one: comments
 * made between the fetch and the build's start would be missing.
 */
static int reusable(const struct stored *st, const struct pr_build *b)
{
	int64_t *hit = st->n ? bsearch(&b->number, st->number, st->n, sizeof(*st->number), cmp_i64) : NULL;
	if (!hit)
		return 0;
	return b->start == CI_TIME_UNKNOWN || b->start < st->fetched_at[hit - st->number];
}

int ingest_prs(struct pr_builds *out, struct store *s, int64_t scenario_id, int64_t repo_id, const char *full_name,
	       const char *kind, struct ci_provider *p, struct err *e)
{
	struct feat_plan *plan = NULL;
	int rc = scenario_feature_plan(s, scenario_id, &plan, e);
	out->needed = rc == 0 && pr_plan_needs(plan);
	feat_plan_free(plan);
	struct pr_forks forks = PR_FORKS_INIT;
	if (rc == 0 && out->needed)
		rc = load_pr_builds(out, &forks, s, scenario_id, repo_id, e);
	if (rc < 0 || out->n == 0) {
		pr_forks_release(&forks);
		return rc;
	}
	/* The PR source, opened once: for the fork builds' look-up first, then for the fetches. */
	struct ci_provider *owned = NULL, *src = NULL;
	char why[ERR_MSG_MAX + 200] = "";
	int src_open = 0;
	if (forks.n) {
		src = pr_source(kind, p, &owned, why, sizeof(why));
		src_open = 1;
		pr_forks_resolve(out, &forks, src, full_name);
	}
	struct by_pr idx = { xcalloc(out->n, sizeof(*idx.v)), out->n };
	for (size_t i = 0; i < out->n; i++)
		idx.v[i] = &out->v[i];
	qsort(idx.v, idx.n, sizeof(*idx.v), by_number);
	/* The distinct numbers to fetch: not stored, or stored before one of their builds started. */
	int64_t *want = xcalloc(out->n, sizeof(*want));
	size_t nwant = 0;
	struct stored st = { NULL, NULL, 0 };
	rc = load_stored(&st, s, repo_id, e);
	for (size_t i = 0; rc == 0 && i < out->n; i++)
		if (!out->v[i].status && !reusable(&st, &out->v[i]))
			want[nwant++] = out->v[i].number;
	qsort(want, nwant, sizeof(*want), cmp_i64);
	size_t k = 0;
	for (size_t i = 0; i < nwant; i++)
		if (!k || want[k - 1] != want[i])
			want[k++] = want[i];
	nwant = k;
	/* Every build of a number not fetched again reuses the stored copy. */
	for (size_t i = 0; rc == 0 && i < out->n; i++)
		if (!out->v[i].status && !bsearch(&out->v[i].number, want, nwant, sizeof(*want), cmp_i64))
			out->v[i].status = "ok";
	if (rc == 0 && nwant && !src_open)
		src = pr_source(kind, p, &owned, why, sizeof(why));
	for (size_t i = 0; rc == 0 && nwant && !src && i < nwant; i++)
		settle(&idx, want[i], "skipped", why);
	struct ci_pr_ctx ctx = CI_PR_CTX_INIT;
	for (size_t i = 0; rc == 0 && src && i < nwant; i += PR_BATCH)
		rc = batch(&idx, &forks, out, s, repo_id, full_name, src, &ctx, want + i,
			   nwant - i < PR_BATCH ? nwant - i : PR_BATCH, e);
	if (src && nwant)
		log_debug("%s: fetched %zu pull requests", full_name, nwant);
	/* Fork builds whose PR was stored already (reused, not fetched): their numbers in a transaction of their own. */
	int left = 0;
	for (size_t i = 0; i < forks.n; i++)
		left |= !forks.v[i].written && out->v[forks.v[i].build].number > 0;
	if (rc == 0 && left) {
		rc = store_begin(s, e);
		if (rc == 0)
			rc = pr_forks_store(s, &forks, out, NULL, 0, e);
		rc = store_tx_end(s, rc, e);
	}
	ci_pr_ctx_release(&ctx);
	ci_provider_free(owned);
	pr_forks_release(&forks);
	free(want);
	free(st.number);
	free(st.fetched_at);
	free(idx.v);
	return rc;
}

static int by_build_id(const void *key, const void *elem)
{
	int64_t id = *(const int64_t *)key, other = ((const struct pr_build *)elem)->build_id;
	return id < other ? -1 : id > other;
}

const struct pr_build *pr_builds_find(const struct pr_builds *b, int64_t build_id)
{
	/* load_pr_builds reads them in build id order. */
	return b->n ? bsearch(&build_id, b->v, b->n, sizeof(*b->v), by_build_id) : NULL;
}

void pr_builds_release(struct pr_builds *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->v[i].error);
	free(b->v);
	memset(b, 0, sizeof(*b));
}
