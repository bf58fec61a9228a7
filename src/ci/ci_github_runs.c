/*
 * The economical batch look-up of GitHub workflow runs (issue 3: "page
 * through its runs narrowed with created= date ranges and match ids locally
 * instead of one request per build; fall back to GET /actions/runs/{id}").
 *
 * Run ids grow with creation time, so the wanted runs of a repository lie
 * between the creation times of its newest and oldest wanted id:
 *
 *  1. Probe the two extreme ids singly, moving inwards past ids that do not
 *     exist (they would cost one single look-up each anyway), to learn that
 *     time window. After PROBE_TRIES absent ids from the newest end the
 *     repository itself is asked for once, so that a CSV naming a deleted
 *     repository costs a handful of requests, not one per id.
 *  2. List /actions/runs?per_page=100&created=LO..HI newest first, matching
 *     ids locally (an end without any existing id is left open: "*"). GitHub
 *     serves at most 1,000 results of a filtered list, so after 10 pages the
 *     window's upper end moves down to the oldest creation time seen and
 *     listing goes on from there.
 *  3. Before each further page, compare what is left to list (total_count
 *     minus what was seen) with the number of ids still unresolved: when
 *     single look-ups are cheaper, stop listing.
 *  4. Look up what is still unresolved singly (concurrently); a 404 there is
 *     the definitive "not found".
 *
 * So unknown ids anywhere (above the newest run, below the oldest, between)
 * cost one request each on top of about one per 100 found runs.
 * Few ids (<= SINGLES_MAX) go straight to step 4. All requests go through the
 * ETag cache, so a repeated validation mostly costs 304s.
 */
#include "ci/ci_github.h"
#include "ci/common.h"
#include "core/json.h"
#include "core/log.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include <stdlib.h>
#include <string.h>

#define SINGLES_MAX 3
#define PER_PAGE 100
#define LIST_CAP 1000 /* results GitHub serves for one filtered query */
#define PROBE_TRIES 3 /* ids probed one at a time from an end before the repository is checked */
#define PROBE_GROUP 8 /* most ids probed at once (after 32 absent ones) */

struct want {
	int64_t id;
	size_t *items;
	size_t n, cap;
	int done;
	int64_t created; /* from a probe, CI_TIME_UNKNOWN otherwise */
};

struct lookup {
	struct ci_provider *p;
	const char *repo;
	struct ci_lookup *items;
	struct want *w; /* sorted by id, newest (largest) first */
	size_t nw;
	size_t left;    /* wanted ids not yet resolved */
};

static int by_id_desc(const void *a, const void *b)
{
	const struct want *x = a, *y = b;
	return x->id < y->id ? 1 : x->id > y->id ? -1 : 0;
}

static struct want *find(struct lookup *L, int64_t id)
{
	size_t lo = 0, hi = L->nw;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (L->w[mid].id == id)
			return &L->w[mid];
		if (L->w[mid].id > id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Resolves w with a run object (rc 0) or with an error (rc < 0, err set). */
static void resolve(struct lookup *L, struct want *w, const json_t *run, int rc, const struct err *err)
{
	if (w->done)
		return;
	w->done = 1;
	L->left--;
	for (size_t k = 0; k < w->n; k++) {
		struct ci_lookup *it = &L->items[w->items[k]];
		it->rc = rc;
		if (rc) {
			err_copy(&it->err, err);
			continue;
		}
		ci_github_map_run(&it->run, run);
		if (!it->run.repo_full_name)
			it->run.repo_full_name = xstrdup(L->repo);
	}
	if (run)
		w->created = ci_common_time(run, "created_at");
}

/* Single look-ups of the given wants, concurrently; fatal rate limits abort. */
static int singles(struct lookup *L, struct want **ws, size_t n, struct err *e)
{
	struct ci_json_get *gs = xcalloc(n ? n : 1, sizeof(*gs));
	for (size_t i = 0; i < n; i++)
		gs[i].url = xasprintf("%s/repos/%s/actions/runs/%lld", L->p->api_url, L->repo, (long long)ws[i]->id);
	int fatal = ci_common_get_json_many(L->p, gs, n, ci_github_headers, CI_HTTP_CACHE | CI_HTTP_FOLLOW, e);
	for (size_t i = 0; i < n; i++) {
		if (gs[i].rc == CI_ERR_NOT_FOUND)
			err_set(&gs[i].err, gs[i].rc, "run %lld of %s does not exist on GitHub", (long long)ws[i]->id, L->repo);
		resolve(L, ws[i], gs[i].json, gs[i].rc, &gs[i].err);
		json_decref(gs[i].json);
		free(gs[i].next);
		free((char *)gs[i].url);
	}
	free(gs);
	return fatal;
}

static int repo_gone(struct lookup *L, struct err *e);

/*
 * Probes from one end inwards until an id exists; returns its creation time,
 * or CI_TIME_UNKNOWN when no id of that end exists (or on a fatal error).
 *
 * Moving on past absent ids costs nothing extra: an id that does not exist is
 * settled by exactly one single look-up whatever the order, and the listing
 * could not have found it. So unknown ids at an end (a typo, another
 * repository's runs) never make the window unknown; they cost one request
 * each. Ids go one at a time (the usual case: the first exists); after
 * PROBE_TRIES absent ids from the newest end the repository itself is asked
 * for once (a deleted one settles every id with one request). After t absent
 * ids, t/4 (at most PROBE_GROUP) go at once, so that a long run of unknown
 * ids does not cost one round trip each; such a group may look up singly a
 * few existing ids that the listing would have found, at most a quarter of
 * the unknown ids probed.
 */
static int64_t probe(struct lookup *L, int newest, int *fatal, struct err *e)
{
	size_t k = 0, tried = 0;
	while (k < L->nw && L->left > 0) {
		struct want *grp[PROBE_GROUP], *known = NULL;
		size_t ng = 0, size = tried / 4 < 1 ? 1 : tried / 4 > PROBE_GROUP ? PROBE_GROUP : tried / 4;
		for (; k < L->nw && ng < size && !known; k++) {
			struct want *w = &L->w[newest ? k : L->nw - 1 - k];
			if (w->done && w->created != CI_TIME_UNKNOWN)
				known = w; /* found by the other end's probe */
			else if (!w->done)
				grp[ng++] = w;
		}
		if (ng && (*fatal = singles(L, grp, ng, e)))
			return CI_TIME_UNKNOWN;
		for (size_t i = 0; i < ng; i++)
			if (grp[i]->created != CI_TIME_UNKNOWN)
				return grp[i]->created;
		if (known)
			return known->created;
		tried += ng;
		if (newest && tried == PROBE_TRIES && (*fatal = repo_gone(L, e)))
			return CI_TIME_UNKNOWN;
	}
	return CI_TIME_UNKNOWN;
}

/* Lists runs created in [lo, hi], newest first (an unknown bound is "*"); returns a fatal code or 0. */
static int list_window(struct lookup *L, int64_t lo, int64_t hi, struct err *e)
{
	while (L->left > 0) {
		char a[UTC_FMT_MAX], b[UTC_FMT_MAX];
		/* An unknown lower end (the oldest ids do not exist) lists down to the first run. */
		char *url = xasprintf("%s/repos/%s/actions/runs?per_page=%d&created=%s..%s", L->p->api_url, L->repo,
				      PER_PAGE, lo == CI_TIME_UNKNOWN ? "*" : utc_format(lo, a),
				      hi == CI_TIME_UNKNOWN ? "*" : utc_format(hi, b));
		int64_t total = -1, seen = 0, oldest = hi == CI_TIME_UNKNOWN ? INT64_MAX : hi;
		int page = 0, rc = 0;
		while (url && L->left > 0) {
			json_t *j = NULL, *runs, *run;
			char *next = NULL;
			size_t i;
			rc = ci_common_get_json(L->p, &j, &next, url, ci_github_headers, CI_HTTP_CACHE | CI_HTTP_FOLLOW, e);
			free(url);
			url = next;
			if (rc)
				break;
			page++;
			if (total < 0)
				total = core_json_int(j, "total_count", 0);
			runs = json_object_get(j, "workflow_runs");
			json_array_foreach(runs, i, run) {
				struct want *w = find(L, core_json_int(run, "id", 0));
				int64_t t = ci_common_time(run, "created_at");
				seen++;
				if (t != CI_TIME_UNKNOWN && t < oldest)
					oldest = t;
				if (w)
					resolve(L, w, run, 0, NULL);
			}
			json_decref(j);
			/* Stop when the rest of the list costs more pages than single look-ups would. */
			if (url && (total - seen + PER_PAGE - 1) / PER_PAGE > (int64_t)L->left) {
				log_debug("github: %s: %lld runs left to list for %zu ids; looking them up singly",
					  L->repo, (long long)(total - seen), L->left);
				free(url);
				return 0;
			}
		}
		free(url);
		if (rc == CI_ERR_NOT_FOUND)
			return 0; /* the listing is unavailable (e.g. Actions disabled): singles decide */
		if (rc)
			return ci_err_is_transient(rc) ? rc : 0;
		/* The filtered list ended before its 1,000-result cap: the window is done. */
		if (total <= LIST_CAP || seen < LIST_CAP || (lo != CI_TIME_UNKNOWN && oldest <= lo) ||
		    (hi != CI_TIME_UNKNOWN && oldest >= hi) || oldest == INT64_MAX)
			return 0;
		/* Continue below the oldest run seen (inclusive: runs may share a second). */
		hi = oldest;
	}
	return 0;
}

/* When no probed id exists, a missing repository would cost one 404 per id:
 * ask for the repository once (usually a 304) and settle everything if it is gone. */
static int repo_gone(struct lookup *L, struct err *e)
{
	char *url = xasprintf("%s/repos/%s", L->p->api_url, L->repo);
	json_t *j = NULL;
	struct err re = ERR_INIT;
	int rc = ci_common_get_json(L->p, &j, NULL, url, ci_github_headers, CI_HTTP_CACHE | CI_HTTP_FOLLOW, &re);
	free(url);
	json_decref(j);
	if (rc == CI_ERR_NOT_FOUND) {
		err_set(&re, rc, "repository %s does not exist on GitHub (or the token cannot see it)", L->repo);
		for (size_t i = 0; i < L->nw; i++)
			if (!L->w[i].done)
				resolve(L, &L->w[i], NULL, rc, &re);
		return 0;
	}
	if (rc && ci_err_is_transient(rc))
		return err_copy(e, &re);
	return 0;
}

int ci_github_runs_lookup(struct ci_provider *p, const char *repo, struct ci_lookup *items, size_t n, struct err *e)
{
	struct lookup L = { p, repo, items, NULL, 0, 0 };
	struct want **rest;
	size_t nrest = 0;
	int rc = 0, fatal = 0;

	L.w = xcalloc(n ? n : 1, sizeof(*L.w));
	for (size_t i = 0; i < n; i++) {
		if (!ci_build_id_valid(CI_GITHUB, items[i].run_id)) {
			items[i].rc = err_set(&items[i].err, ERR_INPUT, "'%s' is not a GitHub run id (a positive integer)",
					      items[i].run_id ? items[i].run_id : "");
			continue;
		}
		L.w[L.nw].id = strtoll(items[i].run_id, NULL, 10);
		L.w[L.nw].created = CI_TIME_UNKNOWN;
		xgrow((void **)&L.w[L.nw].items, &L.w[L.nw].cap, 1, sizeof(size_t));
		L.w[L.nw].items[L.w[L.nw].n++] = i;
		L.nw++;
	}
	qsort(L.w, L.nw, sizeof(*L.w), by_id_desc);
	/* Merge repeated ids. */
	size_t k = 0;
	for (size_t i = 0; i < L.nw; i++) {
		if (k && L.w[k - 1].id == L.w[i].id) {
			struct want *d = &L.w[k - 1];
			xgrow((void **)&d->items, &d->cap, d->n + 1, sizeof(size_t));
			d->items[d->n++] = L.w[i].items[0];
			free(L.w[i].items);
		} else {
			L.w[k++] = L.w[i];
		}
	}
	L.nw = k;
	L.left = L.nw;

	if (L.nw > SINGLES_MAX) {
		int64_t hi = probe(&L, 1, &fatal, e);
		int64_t lo = fatal ? CI_TIME_UNKNOWN : probe(&L, 0, &fatal, e);
		if (lo != CI_TIME_UNKNOWN && hi != CI_TIME_UNKNOWN && lo > hi) {
			int64_t t = lo; /* ids and creation times need not agree exactly */
			lo = hi;
			hi = t;
		}
		/* An end whose every id is absent leaves that bound open ("*"). */
		if (!fatal && L.left > 0 && (hi != CI_TIME_UNKNOWN || lo != CI_TIME_UNKNOWN))
			fatal = list_window(&L, lo, hi, e);
	}
	rest = xcalloc(L.nw ? L.nw : 1, sizeof(*rest));
	for (size_t i = 0; i < L.nw; i++)
		if (!L.w[i].done)
			rest[nrest++] = &L.w[i];
	if (!fatal && nrest)
		fatal = singles(&L, rest, nrest, e);
	if (fatal) {
		/* Everything still open shares the batch's fate. */
		for (size_t i = 0; i < L.nw; i++)
			if (!L.w[i].done)
				resolve(&L, &L.w[i], NULL, fatal, e);
		rc = fatal;
	}
	for (size_t i = 0; i < L.nw; i++)
		free(L.w[i].items);
	free(L.w);
	free(rest);
	return rc;
}
