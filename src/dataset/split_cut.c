/*
 * Splitting, part 2: the strategies. Each one fills w->unit_split (a split
 * per commit unit) and, for dropped units, w->unit_drop with the reason.
 * Cells are cut on row counts with balanced rounding (cell_targets) so that
 * every cell is within a row of its ratios and the totals stay close too.
 */
#include "dataset/split_internal.h"
#include "core/rng.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/*
 * Row targets of a cell of n rows: floor(n * ratio) each, and the remaining
 * rows (one at most per split) to the splits whose ideal is furthest above
 * their target once the running deficit of earlier cells is added.
 */
static void cell_targets(const double *ratios, size_t n, const double *deficit, size_t target[DATASET_NSPLITS])
{
	double ideal[DATASET_NSPLITS];
	size_t sum = 0;
	for (int s = 0; s < DATASET_NSPLITS; s++) {
		ideal[s] = (double)n * ratios[s];
		target[s] = (size_t)floor(ideal[s] + 1e-9); /* 0.7 * 30 is 20.999999999999996 */
		sum += target[s];
	}
	while (sum < n) {
		int best = -1;
		double best_score = 0;
		for (int pass = 0; pass < 2 && best < 0; pass++) {
			for (int s = 0; s < DATASET_NSPLITS; s++) {
				if (ratios[s] <= 0)
					continue;
				if (pass == 0 && (double)target[s] >= ceil(ideal[s] - 1e-9))
					continue; /* this split already has the ceiling of its ideal */
				double score = ideal[s] - (double)target[s] + deficit[s];
				if (best < 0 || score > best_score + 1e-12) {
					best = s;
					best_score = score;
				}
			}
		}
		target[best < 0 ? DATASET_TRAIN : best]++;
		sum++;
	}
}

/* Assigns the ordered units of one cell to splits; deficit carries the rounding to the next cell. */
static void cut_units(struct split_ctx *x, struct split_fold_work *w, const uint32_t *order, size_t n, double *deficit)
{
	size_t rows = 0;
	for (size_t i = 0; i < n; i++)
		rows += x->units[order[i]].rows;
	size_t t[DATASET_NSPLITS], got[DATASET_NSPLITS] = { 0, 0, 0 };
	cell_targets(x->cfg->ratios, rows, deficit, t);
	double b1 = (double)t[0], b2 = (double)(t[0] + t[1]);
	size_t c = 0;
	for (size_t i = 0; i < n; i++) {
		const struct split_unit *u = &x->units[order[i]];
		double mid = (double)c + u->rows / 2.0; /* the split that holds the unit's middle row */
		int s = mid < b1 ? DATASET_TRAIN : mid < b2 ? DATASET_VAL : DATASET_TEST;
		w->unit_split[order[i]] = (int8_t)s;
		got[s] += u->rows;
		c += u->rows;
	}
	for (int s = 0; s < DATASET_NSPLITS; s++)
		deficit[s] += (double)rows * x->cfg->ratios[s] - (double)got[s];
}

static uint64_t cell_seed(const struct split_ctx *x, const char *group, const char *cls)
{
	uint64_t h = rng_mix(x->cfg->seed);
	h = rng_mix(h ^ hash_fnv1a(group, strlen(group)));
	return rng_mix(h ^ hash_fnv1a(cls, strlen(cls)));
}

struct unit_key {
	uint32_t a, b;   /* group rank, class rank */
	int64_t t;       /* time (temporal ordering) */
	uint32_t unit;   /* numbered by first row: the final tie-break */
};

static int cmp_cell(const void *pa, const void *pb)
{
	const struct unit_key *a = pa, *b = pb;
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	if (a->b != b->b)
		return a->b < b->b ? -1 : 1;
	return a->unit < b->unit ? -1 : a->unit > b->unit;
}

static int cmp_time(const void *pa, const void *pb)
{
	const struct unit_key *a = pa, *b = pb;
	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	return a->unit < b->unit ? -1 : a->unit > b->unit;
}

/*
 * Cuts every cell of units. keys[0..n) are sorted by cell (a, b); each run of
 * equal (a, b) is ordered by time (temporal) or shuffled with a seed derived
 * from the cell's names, then cut.
 */
static void cut_cells(struct split_ctx *x, struct split_fold_work *w, struct unit_key *keys, size_t n, int temporal,
		      int by_group)
{
	uint32_t *order = xmalloc((n ? n : 1) * sizeof(uint32_t));
	double deficit[DATASET_NSPLITS] = { 0, 0, 0 };
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && keys[j].a == keys[i].a && keys[j].b == keys[i].b)
			j++;
		if (temporal)
			qsort(keys + i, j - i, sizeof(*keys), cmp_time);
		for (size_t k = i; k < j; k++)
			order[k - i] = keys[k].unit;
		if (!temporal) {
			const struct split_unit *u = &x->units[keys[i].unit];
			struct rng rng;
			rng_init(&rng, cell_seed(x, by_group ? x->group.names.v[u->group] : "", x->cls.names.v[u->cls]));
			rng_shuffle(&rng, order, j - i);
		}
		cut_units(x, w, order, j - i, deficit);
		i = j;
	}
	free(order);
}

static void cut_random(struct split_ctx *x, struct split_fold_work *w)
{
	struct unit_key *keys = xmalloc((x->nunits ? x->nunits : 1) * sizeof(*keys));
	for (size_t u = 0; u < x->nunits; u++)
		keys[u] = (struct unit_key){ 0, x->cls.rank[x->units[u].cls], 0, (uint32_t)u };
	qsort(keys, x->nunits, sizeof(*keys), cmp_cell);
	cut_cells(x, w, keys, x->nunits, 0, 0);
	free(keys);
}

static void cut_within_group(struct split_ctx *x, struct split_fold_work *w)
{
	const struct dataset_split_config *cfg = x->cfg;
	double minpos = 1;
	for (int s = 0; s < DATASET_NSPLITS; s++)
		if (cfg->ratios[s] > 0 && cfg->ratios[s] < minpos)
			minpos = cfg->ratios[s];
	size_t ng = x->group.names.n;
	size_t *grows = xcalloc(ng ? ng : 1, sizeof(size_t));
	for (size_t u = 0; u < x->nunits; u++)
		grows[x->units[u].group] += x->units[u].rows;
	/* Groups too small to give every split a row go whole to train. */
	struct unit_key *keys = xmalloc((x->nunits ? x->nunits : 1) * sizeof(*keys));
	size_t n = 0;
	for (size_t u = 0; u < x->nunits; u++) {
		const struct split_unit *un = &x->units[u];
		if ((double)grows[un->group] * minpos < 1 - 1e-9) {
			w->unit_split[u] = DATASET_TRAIN;
			continue;
		}
		/* Forward in time: with temporal_ordering a group is one cell, cut oldest -> newest, so every train
		 * unit of a group starts before every val unit and every val unit before every test unit; the class
		 * balance per split is then what time gives (reported, not forced). */
		uint32_t cls = cfg->temporal_ordering ? 0 : x->cls.rank[un->cls];
		keys[n++] = (struct unit_key){ x->group.rank[un->group], cls, un->tmin, (uint32_t)u };
	}
	w->small_groups = json_array();
	for (size_t r = 0; r < ng; r++) {
		size_t g = 0;
		while (x->group.rank[g] != r)
			g++;
		if ((double)grows[g] * minpos >= 1 - 1e-9)
			continue;
		char *why = xasprintf("%zu rows: fewer than the %.0f a split with ratio %g needs for one row", grows[g],
				      ceil(1 / minpos - 1e-9), minpos);
		json_array_append_new(w->small_groups, json_pack("{s:s, s:I, s:s, s:s}", "group", x->group.names.v[g],
								 "rows", (json_int_t)grows[g], "assigned_to", "train",
								 "reason", why));
		free(why);
	}
	free(grows);
	qsort(keys, n, sizeof(*keys), cmp_cell);
	cut_cells(x, w, keys, n, cfg->temporal_ordering, 1);
	free(keys);
}

static void cut_time_series(struct split_ctx *x, struct split_fold_work *w)
{
	struct unit_key *keys = xmalloc((x->nunits ? x->nunits : 1) * sizeof(*keys));
	size_t n = 0;
	for (size_t u = 0; u < x->nunits; u++) {
		if (x->units[u].tmin == INT64_MIN) {
			w->unit_drop[u] = SPLIT_DROP_NO_TIME;
			continue;
		}
		keys[n++] = (struct unit_key){ 0, 0, x->units[u].tmin, (uint32_t)u };
	}
	qsort(keys, n, sizeof(*keys), cmp_time);
	uint32_t *order = xmalloc((n ? n : 1) * sizeof(uint32_t));
	for (size_t i = 0; i < n; i++)
		order[i] = keys[i].unit;
	double deficit[DATASET_NSPLITS] = { 0, 0, 0 };
	cut_units(x, w, order, n, deficit);
	if (x->cfg->gap_days > 0) {
		int64_t gap = (int64_t)llround(x->cfg->gap_days * (double)USEC_PER_DAY);
		int64_t end[DATASET_NSPLITS] = { INT64_MIN, INT64_MIN, INT64_MIN };
		for (size_t i = 0; i < n; i++) {
			uint32_t u = order[i];
			int s = w->unit_split[u];
			/* The boundary is the last row of the previous split still kept (val may be empty). */
			int64_t prev = s == DATASET_TEST && end[DATASET_VAL] != INT64_MIN ? end[DATASET_VAL] : end[DATASET_TRAIN];
			if (s != DATASET_TRAIN && prev != INT64_MIN && x->units[u].tmin < prev + gap) {
				w->unit_split[u] = DATASET_DROPPED;
				w->unit_drop[u] = s == DATASET_VAL ? SPLIT_DROP_GAP_VAL : SPLIT_DROP_GAP_TEST;
				continue;
			}
			if (x->units[u].tmax > end[s])
				end[s] = x->units[u].tmax;
		}
	}
	free(order);
	free(keys);
}

/* The single-fold strategies of the registration table (split.h). */
int split_run_random(struct split_ctx *x, struct dataset_split_result *out, struct err *e)
{
	return split_one_fold(x, out, cut_random, e);
}

int split_run_within_group(struct split_ctx *x, struct dataset_split_result *out, struct err *e)
{
	return split_one_fold(x, out, cut_within_group, e);
}

int split_run_time_series(struct split_ctx *x, struct dataset_split_result *out, struct err *e)
{
	return split_one_fold(x, out, cut_time_series, e);
}

static json_t *names_json(const struct split_ctx *x, const int8_t *gsplit, int s)
{
	json_t *a = json_array();
	for (size_t r = 0; r < x->group.names.n; r++)
		for (size_t g = 0; g < x->group.names.n; g++)
			if (x->group.rank[g] == r && gsplit[g] == s)
				json_array_append_new(a, json_string(x->group.names.v[g]));
	return a;
}

int split_run_loo_fold(struct split_ctx *x, struct split_fold_work *w, const uint32_t *test_ids, size_t ntest,
		       uint64_t fold_salt, struct err *e)
{
	const struct dataset_split_config *cfg = x->cfg;
	size_t ng = x->group.names.n;
	int8_t *gsplit = xmalloc(ng);
	memset(gsplit, DATASET_DROPPED, ng);
	for (size_t i = 0; i < ntest; i++)
		gsplit[test_ids[i]] = DATASET_TEST;
	uint8_t *listed_train = xcalloc(ng, 1);
	for (size_t i = 0; i < cfg->train_groups.n; i++)
		listed_train[split_group_id(x, cfg->train_groups.v[i])] = 1;
	if (cfg->val_groups.n) {
		for (size_t i = 0; i < cfg->val_groups.n; i++) {
			long g = split_group_id(x, cfg->val_groups.v[i]);
			if (gsplit[g] != DATASET_TEST)
				gsplit[g] = DATASET_VAL;
		}
	} else if (cfg->ratios[DATASET_VAL] > 0) {
		/* A seeded draw among the remaining groups, taken in byte order of their names. */
		uint32_t *cand = xmalloc(ng * sizeof(uint32_t));
		size_t nc = 0;
		for (size_t r = 0; r < ng; r++)
			for (size_t g = 0; g < ng; g++)
				if (x->group.rank[g] == r && gsplit[g] != DATASET_TEST && !listed_train[g])
					cand[nc++] = (uint32_t)g;
		struct rng rng;
		rng_init(&rng, rng_mix(cfg->seed) ^ rng_mix(fold_salt + 1));
		rng_shuffle(&rng, cand, nc);
		double share = cfg->ratios[DATASET_VAL] / (cfg->ratios[DATASET_TRAIN] + cfg->ratios[DATASET_VAL]);
		size_t nval = (size_t)llround((double)nc * share);
		if (nval == 0 && nc >= 2)
			nval = 1;
		if (!cfg->train_groups.n && nval >= nc && nc > 0)
			nval = nc - 1; /* keep a group for training */
		for (size_t i = 0; i < nval; i++)
			gsplit[cand[i]] = DATASET_VAL;
		free(cand);
	}
	size_t ntrain = 0;
	for (size_t g = 0; g < ng; g++) {
		if (gsplit[g] != DATASET_DROPPED)
			continue;
		if (!cfg->train_groups.n || listed_train[g]) {
			gsplit[g] = DATASET_TRAIN;
			ntrain++;
		}
	}
	free(listed_train);
	if (ntrain == 0) {
		free(gsplit);
		return err_set(e, ERR_INPUT, "split: leave_one_out left no group for training%s%s; name fewer test/val groups",
			       w->held_out ? " in fold " : "", w->held_out ? w->held_out : "");
	}
	for (size_t u = 0; u < x->nunits; u++) {
		int s = gsplit[x->units[u].group];
		w->unit_split[u] = (int8_t)s;
		if (s == DATASET_DROPPED)
			w->unit_drop[u] = SPLIT_DROP_UNLISTED_GROUP;
	}
	w->groups = json_object();
	for (int s = 0; s < DATASET_NSPLITS; s++)
		json_object_set_new(w->groups, dataset_split_names[s], names_json(x, gsplit, s));
	free(gsplit);
	return 0;
}
