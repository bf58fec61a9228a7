/*
 * team_*: who works on the repository around the build, from the history up
 * to the trigger commit.
 *
 * The team (TravisTorrent's gh_team_size) is everyone who committed directly
 * or merged pull requests in the lookback window before the build's start:
 * the committers of the window's commits in the trigger commit's history,
 * the built commits excluded. GitHub's web interface commits
 * merges, squashes and rebases as "GitHub <noreply@github.com>" (web-flow);
 * for those commits the author — the person who merged, or whose work was
 * squashed in — counts instead, so that web-flow itself is never a member.
 */
#include "features/families_internal.h"
#include "core/xalloc.h"
#include <stdlib.h>
#include <string.h>

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* First position in l with commit time >= t. */
static uint32_t list_lower(const struct git_history *h, const struct feat_commit_list *l, int64_t t)
{
	uint32_t lo = 0, hi = l->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (git_history_commit(h, l->c[mid])->commit_time < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The team's identity ids (ascending, distinct); *n receives the count.
 * Caller frees. Commits of the window in the trigger's history, the built
 * commits excluded: the team is who was active before this change arrived,
 * so that the author of the built commits is not a member by their own
 * commits alone. Per identity, the first qualifying commit of its committed
 * list in the window decides (cache.h), so a build costs a binary search per
 * identity rather than a walk over the window.
 */
static uint32_t *team_ids(struct feat_run *r, const struct feat_st_built *b, size_t *n)
{
	const struct git_history *h = r->in->git;
	const struct feat_cache *c = r->cache;
	uint32_t *built = xmalloc((b->n ? b->n : 1) * sizeof(uint32_t));
	memcpy(built, b->commits, b->n * sizeof(uint32_t));
	qsort(built, b->n, sizeof(uint32_t), cmp_u32);
	int64_t from = feat_lookback_from(r), to = r->start;
	uint32_t *ids = xmalloc((c->nteam ? c->nteam : 1) * sizeof(uint32_t));
	size_t cnt = 0;
	for (uint32_t id = 0; id < c->nteam; id++) {
		const struct feat_commit_list *l = &c->team[id];
		for (uint32_t k = list_lower(h, l, from); k < l->n; k++) {
			uint32_t cm = l->c[k];
			if (git_history_commit(h, cm)->commit_time >= to)
				break;
			if (git_history_view_contains(r->view, cm) && !bsearch(&cm, built, b->n, sizeof(uint32_t), cmp_u32)) {
				ids[cnt++] = id;
				break;
			}
		}
	}
	free(built);
	*n = cnt;
	return ids;
}

static const struct feat_def window_defs[] = {
	{ "team_size", FEAT_INT, "count",
	  "Distinct people who committed directly or merged pull requests in the lookback window before the build's "
	  "start, in the trigger commit's history (the built commits excluded).",
	  FEAT_PRE_BUILD, 1, NULL, "gh_team_size",
	  "ciminer leaves the built commits out of the window, so that nobody is in the team by the change being "
	  "built alone; GitHub's web-flow committer is replaced by the commit's author." },
	{ "team_is_core_member", FEAT_BOOL, "",
	  "Whether the trigger commit's author is in the team (team_size) at the build's start.", FEAT_PRE_BUILD, 1,
	  NULL, "gh_by_core_team_member", "Follows team_size: the author's own built commits do not make them core." },
};

static int window_compute(struct feat_run *r, void *state, struct feat_value *out)
{
	size_t n = 0;
	uint32_t *ids = team_ids(r, r->deps[0], &n);
	uint32_t author = git_history_commit(r->in->git, r->trigger)->author;
	feat_set_int(&out[0], (int64_t)n);
	feat_set_bool(&out[1], ids && bsearch(&author, ids, n, sizeof(uint32_t), cmp_u32) != NULL);
	free(ids);
	return 0;
}

static const char *const window_deps[] = { "git_built", NULL };

const struct feat_node feat_node_team_window = {
	"team_window", "team", FEAT_IN_GIT | FEAT_IN_HISTORY, window_deps, window_defs, FEAT_N(window_defs), 0, NULL, window_compute,
};

static const struct feat_def built_defs[] = {
	{ "team_built_commit_authors", FEAT_INT, "count", "Distinct authors of the built commits.", FEAT_PRE_BUILD, 1,
	  NULL, NULL, NULL },
	{ "team_touched_files_revisions", FEAT_INT, "count",
	  "Commits in the trigger commit's history (built commits included) that changed any file the built commits "
	  "change.",
	  FEAT_PRE_BUILD, 1, NULL, NULL, NULL },
};

static int built_compute(struct feat_run *r, void *state, struct feat_value *out)
{
	const struct feat_st_built *b = r->deps[0];
	const struct feat_st_diff *d = r->deps[1];
	uint32_t *authors = xmalloc((b->n ? b->n : 1) * sizeof(uint32_t));
	for (size_t i = 0; i < b->n; i++)
		authors[i] = git_history_commit(r->in->git, b->commits[i])->author;
	qsort(authors, b->n, sizeof(uint32_t), cmp_u32);
	size_t distinct = 0;
	for (size_t i = 0; i < b->n; i++)
		distinct += i == 0 || authors[i] != authors[i - 1];
	free(authors);
	feat_set_int(&out[0], (int64_t)distinct);
	feat_set_int(&out[1], git_history_file_commits(r->view, d->sum.paths, d->sum.npaths, INT64_MIN, INT64_MAX, NULL,
						       0, GIT_HISTORY_NONE, NULL));
	return 0;
}

static const char *const built_deps[] = { "git_built", "git_diff", NULL };

const struct feat_node feat_node_team_built = {
	"team_built", "team", FEAT_IN_GIT | FEAT_IN_HISTORY, built_deps, built_defs, FEAT_N(built_defs), 0, NULL,
	built_compute,
};
