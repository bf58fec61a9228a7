/*
 * Splitting, part 1: configuration, the per-row keys (group, class, label,
 * commit, time), the commit units, and the entry point that runs a strategy
 * once or once per leave-one-out fold. The strategies are in split_cut.c, the
 * report in split_report.c.
 */
#include "dataset/split_internal.h"
#include "dataset/parquet_internal.h"
#include "core/json.h"
#include "core/xalloc.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const dataset_split_names[DATASET_NSPLITS] = { "train", "val", "test" };
/* The registration table (split.h): one line per strategy, indexed by enum dataset_strategy. */
const struct dataset_strategy_def dataset_strategies[] = {
	[DATASET_SPLIT_STRATIFIED_WITHIN_GROUP] = { "stratified_within_group", split_run_within_group, 1, 1,
						    DATASET_TIME_WITH_ORDERING,
						    "each group cut by the ratios, oldest builds to train with temporal_ordering" },
	[DATASET_SPLIT_LEAVE_ONE_OUT] = { "leave_one_out", split_run_loo, 1, 0, DATASET_TIME_NEVER,
					  "whole groups: test_groups are the test set, else one fold per group" },
	[DATASET_SPLIT_TIME_SERIES] = { "time_series_split", split_run_time_series, 0, 0, DATASET_TIME_ALWAYS,
					"all builds in time order: oldest to train, newest to test (gap_days apart)" },
	[DATASET_SPLIT_RANDOM] = { "random_split", split_run_random, 0, 1, DATASET_TIME_NEVER,
				   "commits shuffled with the seed and cut by the ratios within each class" },
};
const size_t dataset_nstrategies = sizeof(dataset_strategies) / sizeof(dataset_strategies[0]);

char *dataset_strategies_join(const char *sep, const char *last_sep)
{
	return str_join_names(dataset_strategies, dataset_nstrategies, sizeof(dataset_strategies[0]), sep, last_sep);
}

const char *dataset_strategy_name(enum dataset_strategy s)
{
	return (size_t)s < dataset_nstrategies ? dataset_strategies[s].name : "?";
}

void dataset_split_config_init(struct dataset_split_config *c)
{
	memset(c, 0, sizeof(*c));
	c->strategy = DATASET_SPLIT_STRATIFIED_WITHIN_GROUP;
	c->group_by = xstrdup("repo_name");
	c->stratify_by = xstrdup("outcome");
	c->ratios[0] = 0.7;
	c->ratios[1] = 0.15;
	c->ratios[2] = 0.15;
	c->temporal_ordering = 1;
	c->seed = 42;
	c->commit_col = xstrdup("commit_sha");
	c->time_col = xstrdup("started_at");
	c->id_col = xstrdup("build_id");
	c->label_col = xstrdup("outcome");
}

void dataset_split_config_release(struct dataset_split_config *c)
{
	free(c->group_by);
	free(c->stratify_by);
	free(c->commit_col);
	free(c->time_col);
	free(c->id_col);
	free(c->label_col);
	strvec_clear(&c->test_groups);
	strvec_clear(&c->val_groups);
	strvec_clear(&c->train_groups);
	memset(c, 0, sizeof(*c));
}

static int read_groups(struct strvec *out, const json_t *cfg, const char *key, struct err *e)
{
	const json_t *a = json_object_get(cfg, key);
	if (!a || json_is_null(a))
		return 0;
	if (!json_is_array(a))
		return err_set(e, ERR_INPUT, "splitting_config.%s must be a list of group names", key);
	size_t i;
	const json_t *v;
	json_array_foreach(a, i, v) {
		if (!json_is_string(v))
			return err_set(e, ERR_INPUT, "splitting_config.%s[%zu] must be a string (a group name)", key, i);
		strvec_push(out, json_string_value(v));
	}
	return 0;
}

static int pick(const char *v, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(v, names[i]) == 0)
			return i;
	return -1;
}

int dataset_split_config_from_json(struct dataset_split_config *c, const json_t *cfg, struct err *e)
{
	if (!cfg || json_is_null(cfg))
		return 0;
	if (!json_is_object(cfg))
		return err_set(e, ERR_INPUT, "splitting_config must be an object");
	const char *s = core_json_str(cfg, "strategy", NULL);
	if (s) {
		size_t i = 0;
		while (i < dataset_nstrategies && strcmp(s, dataset_strategies[i].name) != 0)
			i++;
		if (i == dataset_nstrategies) {
			char *names = dataset_strategies_join(", ", " or ");
			int rc = err_set(e, ERR_INPUT, "splitting_config.strategy '%s' is unknown; use %s", s, names);
			free(names);
			return rc;
		}
		c->strategy = (enum dataset_strategy)i;
	}
	static const char *const groups[] = { "repo_name", "language", "ci_provider" };
	s = core_json_str(cfg, "group_by", NULL);
	if (s) {
		if (pick(s, groups, 3) < 0)
			return err_set(e, ERR_INPUT, "splitting_config.group_by '%s' is unknown; use repo_name, language or ci_provider", s);
		free(c->group_by);
		c->group_by = xstrdup(s);
	}
	static const char *const strata[] = { "outcome", "conclusion" };
	s = core_json_str(cfg, "stratify_by", NULL);
	if (s) {
		if (pick(s, strata, 2) < 0)
			return err_set(e, ERR_INPUT, "splitting_config.stratify_by '%s' is unknown; use outcome or conclusion", s);
		free(c->stratify_by);
		c->stratify_by = xstrdup(s);
	}
	const json_t *r = json_object_get(cfg, "ratios");
	if (r && !json_is_null(r)) {
		if (!json_is_object(r))
			return err_set(e, ERR_INPUT, "splitting_config.ratios must be an object {train, val, test}");
		double sum = 0;
		for (int k = 0; k < DATASET_NSPLITS; k++) {
			const json_t *v = json_object_get(r, dataset_split_names[k]);
			double d = v && json_is_number(v) ? json_number_value(v) : 0;
			if (v && !json_is_number(v))
				return err_set(e, ERR_INPUT, "splitting_config.ratios.%s must be a number", dataset_split_names[k]);
			if (d < 0 || d > 1 || isnan(d))
				return err_set(e, ERR_INPUT, "splitting_config.ratios.%s is %g; use a number between 0 and 1", dataset_split_names[k], d);
			c->ratios[k] = d;
			sum += d;
		}
		if (fabs(sum - 1) > 1e-6)
			return err_set(e, ERR_INPUT, "splitting_config.ratios sum to %g; make train + val + test equal 1", sum);
		if (c->ratios[DATASET_TRAIN] <= 0)
			return err_set(e, ERR_INPUT, "splitting_config.ratios.train is 0; the train split needs a positive ratio");
	}
	const json_t *t = json_object_get(cfg, "temporal_ordering");
	if (t && json_is_boolean(t))
		c->temporal_ordering = json_is_true(t);
	const json_t *sd = json_object_get(cfg, "seed");
	if (sd && !json_is_null(sd)) {
		if (!json_is_integer(sd))
			return err_set(e, ERR_INPUT, "splitting_config.seed must be an integer");
		c->seed = (uint64_t)json_integer_value(sd);
	}
	const json_t *g = json_object_get(cfg, "gap_days");
	if (g && !json_is_null(g)) {
		/* 36500 days is the scenario limit (docs/limits.md); past it the gap in microseconds would overflow. */
		if (!json_is_number(g) || json_number_value(g) < 0 || json_number_value(g) > 36500)
			return err_set(e, ERR_INPUT, "splitting_config.gap_days must be a number of days from 0 to 36500");
		c->gap_days = json_number_value(g);
	}
	if (read_groups(&c->test_groups, cfg, "test_groups", e) || read_groups(&c->val_groups, cfg, "val_groups", e) ||
	    read_groups(&c->train_groups, cfg, "train_groups", e))
		return e->code;
	return 0;
}

/* --- keys ---------------------------------------------------------------------------------------- */

struct named_id {
	const char *name;
	uint32_t id;
};

static int cmp_named(const void *a, const void *b)
{
	return strcmp(((const struct named_id *)a)->name, ((const struct named_id *)b)->name);
}

/* Maps a column's rows to dense ids in order of first appearance. */
static void keys_build(struct split_keys *k, const struct dataset_col *c, size_t n)
{
	k->id = xmalloc((n ? n : 1) * sizeof(uint32_t));
	if (c->type == DATASET_STRING) {
		/* Codes are already dense: renumber them by first appearance, nulls get their own id. */
		uint32_t *map = xmalloc((c->ndict + 1) * sizeof(uint32_t));
		memset(map, 0xff, (c->ndict + 1) * sizeof(uint32_t));
		for (size_t r = 0; r < n; r++) {
			size_t slot = dataset_col_is_null(c, r) ? c->ndict : c->code[r];
			if (map[slot] == UINT32_MAX) {
				map[slot] = (uint32_t)k->names.n;
				strvec_push(&k->names, slot == c->ndict ? "null" : c->dict[slot]);
			}
			k->id[r] = map[slot];
		}
		free(map);
	} else if (c->type != DATASET_FLOAT64) {
		/* Integers, booleans, times: hash the 64-bit value, format only the distinct ones. */
		struct pq_dict64 d = { 0 };
		uint32_t null_id = UINT32_MAX;
		struct buf b = BUF_INIT;
		uint32_t *map = NULL;
		size_t map_cap = 0;
		for (size_t r = 0; r < n; r++) {
			if (dataset_col_is_null(c, r)) {
				if (null_id == UINT32_MAX) {
					null_id = (uint32_t)k->names.n;
					strvec_push(&k->names, "null");
				}
				k->id[r] = null_id;
				continue;
			}
			uint64_t v = c->type == DATASET_BOOL ? c->b[r] : (uint64_t)c->i64[r];
			size_t before = d.n;
			uint32_t code = pq_dict64_code(&d, v, SIZE_MAX);
			if (d.n > before) {
				xgrow((void **)&map, &map_cap, d.n, sizeof(uint32_t));
				map[code] = (uint32_t)k->names.n;
				dataset_col_key(c, r, &b);
				strvec_push(&k->names, buf_cstr(&b));
			}
			k->id[r] = map[code];
		}
		free(map);
		buf_release(&b);
		pq_dict64_release(&d);
	} else {
		struct strmap m = STRMAP_INIT;
		struct buf b = BUF_INIT;
		for (size_t r = 0; r < n; r++) {
			dataset_col_key(c, r, &b);
			void *v = strmap_get(&m, buf_cstr(&b));
			if (!v) {
				strvec_push(&k->names, buf_cstr(&b));
				v = (void *)(uintptr_t)k->names.n;
				strmap_put(&m, buf_cstr(&b), v);
			}
			k->id[r] = (uint32_t)((uintptr_t)v - 1);
		}
		buf_release(&b);
		strmap_clear(&m, NULL);
	}
	/* rank[id]: position of the name in byte order, so that cells are visited in a stable order. */
	struct named_id *order = xmalloc((k->names.n + 1) * sizeof(*order));
	for (size_t i = 0; i < k->names.n; i++) {
		order[i].name = k->names.v[i];
		order[i].id = (uint32_t)i;
	}
	qsort(order, k->names.n, sizeof(*order), cmp_named);
	k->rank = xmalloc((k->names.n + 1) * sizeof(uint32_t));
	for (size_t i = 0; i < k->names.n; i++)
		k->rank[order[i].id] = (uint32_t)i;
	free(order);
}

/* A constant key (one id, name "all") for an absent column. */
static void keys_const(struct split_keys *k, size_t n, const char *name)
{
	k->id = xcalloc(n ? n : 1, sizeof(uint32_t));
	strvec_push(&k->names, name);
	k->rank = xcalloc(1, sizeof(uint32_t));
}

static void keys_release(struct split_keys *k)
{
	free(k->id);
	free(k->rank);
	strvec_clear(&k->names);
}

long split_group_id(const struct split_ctx *x, const char *name)
{
	return strvec_find(&x->group.names, name);
}

static void add_warning(struct split_ctx *x, const char *fmt, const char *a, const char *b)
{
	char *s = xasprintf(fmt, a, b);
	json_array_append_new(x->warnings, json_string(s));
	free(s);
}

/* Builds the commit units; rows of one sha that span groups are noted as conflicts. */
static void units_build(struct split_ctx *x)
{
	size_t n = x->nrows;
	x->unit_of = xmalloc((n ? n : 1) * sizeof(uint32_t));
	x->units = xcalloc(n ? n : 1, sizeof(struct split_unit));
	uint32_t *unit_of_sha = NULL;
	if (x->has_commit) {
		unit_of_sha = xmalloc((x->commit.names.n + 1) * sizeof(uint32_t));
		memset(unit_of_sha, 0xff, (x->commit.names.n + 1) * sizeof(uint32_t));
	}
	const struct dataset_col *cc = x->has_commit ? dataset_frame_col(x->f, x->cfg->commit_col) : NULL;
	for (size_t r = 0; r < n; r++) {
		uint32_t u = UINT32_MAX;
		int shared = cc && !dataset_col_is_null(cc, r);
		if (shared)
			u = unit_of_sha[x->commit.id[r]];
		int64_t t = x->time ? x->time[r] : INT64_MIN;
		if (u == UINT32_MAX) {
			u = (uint32_t)x->nunits++;
			struct split_unit *un = &x->units[u];
			un->first = (uint32_t)r;
			un->group = x->group.id[r];
			un->cls = x->cls.id[r];
			un->tmin = un->tmax = t;
			if (shared)
				unit_of_sha[x->commit.id[r]] = u;
		} else {
			struct split_unit *un = &x->units[u];
			/* INT64_MIN is "no time": the range covers the rows that have one. */
			if (t != INT64_MIN && (un->tmin == INT64_MIN || t < un->tmin))
				un->tmin = t;
			if (t != INT64_MIN && (un->tmax == INT64_MIN || t > un->tmax))
				un->tmax = t;
			if (x->has_group && x->group.id[r] != un->group && json_array_size(x->conflicts) < 1000)
				json_array_append_new(x->conflicts,
						      json_pack("{s:s, s:s, s:s}", "commit", x->commit.names.v[x->commit.id[r]],
								"kept_with_group", x->group.names.v[un->group], "other_group",
								x->group.names.v[x->group.id[r]]));
		}
		x->units[u].rows++;
		x->unit_of[r] = u;
	}
	if (json_array_size(x->conflicts))
		add_warning(x, "%s%s rows share a commit sha with rows of another group; each commit went whole with the group of its first row (see commit_conflicts)",
			    json_array_size(x->conflicts) >= 1000 ? "1000 or more" : "some", "");
	free(unit_of_sha);
}

static int ctx_init(struct split_ctx *x, const struct dataset_frame *f, const struct dataset_split_config *cfg,
		    struct err *e)
{
	memset(x, 0, sizeof(*x));
	x->f = f;
	x->cfg = cfg;
	x->nrows = f->nrows;
	x->warnings = json_array();
	x->conflicts = json_array();
	if (f->nrows == 0)
		return err_set(e, ERR_INPUT, "split: the frame has no rows; nothing to split (check the scenario's filters and feature extraction)");
	if (f->nrows >= UINT32_MAX)
		return err_set(e, ERR_TOOBIG, "split: %zu rows is more than this layer handles (4 billion)", f->nrows);
	if ((size_t)cfg->strategy >= dataset_nstrategies)
		return err_set(e, ERR_INPUT, "split: strategy %d is unknown", (int)cfg->strategy);
	const struct dataset_strategy_def *def = &dataset_strategies[cfg->strategy];
	const struct dataset_col *g = dataset_frame_col(f, cfg->group_by);
	if (!g && def->needs_group)
		return err_set(e, ERR_INPUT, "split: group_by column '%s' is not in the frame; add it (as metadata or key) or choose another group_by", cfg->group_by);
	const struct dataset_col *s = dataset_frame_col(f, cfg->stratify_by);
	if (!s && def->needs_stratify)
		return err_set(e, ERR_INPUT, "split: stratify_by column '%s' is not in the frame; add it or choose another stratify_by", cfg->stratify_by);
	const struct dataset_col *t = dataset_frame_col(f, cfg->time_col);
	if (t && t->type != DATASET_TIMESTAMP && t->type != DATASET_INT64)
		return err_set(e, ERR_INPUT, "split: time column '%s' is %s; it must be a timestamp", cfg->time_col, dataset_type_name(t->type));
	int needs_time = def->needs_time == DATASET_TIME_ALWAYS ||
			 (def->needs_time == DATASET_TIME_WITH_ORDERING && cfg->temporal_ordering);
	if (!t && needs_time)
		return err_set(e, ERR_INPUT, "split: time column '%s' is not in the frame; %s%s needs it", cfg->time_col,
			       def->name, def->needs_time == DATASET_TIME_WITH_ORDERING ? " with temporal_ordering" : "");
	const struct dataset_col *l = dataset_frame_col(f, cfg->label_col);
	const struct dataset_col *c = dataset_frame_col(f, cfg->commit_col);
	x->has_group = g != NULL;
	x->has_commit = c != NULL;
	if (g)
		keys_build(&x->group, g, x->nrows);
	else
		keys_const(&x->group, x->nrows, "all");
	if (s)
		keys_build(&x->cls, s, x->nrows);
	else
		keys_const(&x->cls, x->nrows, "all");
	if (l)
		keys_build(&x->label, l, x->nrows);
	else
		keys_const(&x->label, x->nrows, "all");
	if (c)
		keys_build(&x->commit, c, x->nrows);
	else
		add_warning(x, "no '%s' column: commits cannot be kept together, every row is its own unit%s", cfg->commit_col, "");
	if (t) {
		x->time = xmalloc(x->nrows * sizeof(int64_t));
		for (size_t r = 0; r < x->nrows; r++)
			x->time[r] = dataset_col_is_null(t, r) ? INT64_MIN : t->i64[r];
	}
	units_build(x);
	return 0;
}

static void ctx_release(struct split_ctx *x)
{
	keys_release(&x->group);
	keys_release(&x->cls);
	keys_release(&x->label);
	keys_release(&x->commit);
	free(x->time);
	free(x->unit_of);
	free(x->units);
	json_decref(x->warnings);
	json_decref(x->conflicts);
}

static void work_init(struct split_fold_work *w, size_t nunits)
{
	memset(w, 0, sizeof(*w));
	w->unit_split = xmalloc(nunits ? nunits : 1);
	memset(w->unit_split, DATASET_DROPPED, nunits);
	w->unit_drop = xcalloc(nunits ? nunits : 1, 1);
}

static void work_release(struct split_fold_work *w)
{
	free(w->unit_split);
	free(w->unit_drop);
	json_decref(w->small_groups);
	json_decref(w->groups);
}

/* "fold-<group>" with characters unsafe in a path replaced by '_'. */
static char *fold_name(const char *group)
{
	char *s = xasprintf("fold-%s", group);
	for (char *p = s + 5; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' ||
		      *p == '_' || *p == '-'))
			*p = '_';
	return s;
}

int split_run_loo(struct split_ctx *x, struct dataset_split_result *out, struct err *e)
{
	const struct dataset_split_config *cfg = x->cfg;
	for (size_t i = 0; i < cfg->test_groups.n + cfg->val_groups.n + cfg->train_groups.n; i++) {
		const char *g = i < cfg->test_groups.n ? cfg->test_groups.v[i]
			      : i < cfg->test_groups.n + cfg->val_groups.n ? cfg->val_groups.v[i - cfg->test_groups.n]
			      : cfg->train_groups.v[i - cfg->test_groups.n - cfg->val_groups.n];
		if (split_group_id(x, g) < 0)
			return err_set(e, ERR_INPUT, "split: group '%s' named in splitting_config is not among the %zu %s values of the builds; check the spelling",
				       g, x->group.names.n, cfg->group_by);
	}
	if (x->group.names.n < 2 && cfg->test_groups.n == 0)
		return err_set(e, ERR_INPUT, "split: leave_one_out needs at least two %s values, the builds have %zu", cfg->group_by, x->group.names.n);
	size_t ngroups = x->group.names.n;
	size_t nfolds = cfg->test_groups.n ? 1 : ngroups;
	out->folds = xcalloc(nfolds, sizeof(struct dataset_fold));
	uint32_t *test_ids = xmalloc((ngroups + 1) * sizeof(uint32_t));
	struct strvec used = STRVEC_INIT;
	struct split_drop_tally tally = { xcalloc(x->nrows ? x->nrows : 1, 1),
					  xcalloc(x->nrows ? x->nrows : 1, sizeof(uint32_t)), 0, { 0 } };
	int rc = 0;
	for (size_t k = 0; k < nfolds && rc == 0; k++) {
		size_t ntest = 0;
		if (cfg->test_groups.n) {
			for (size_t i = 0; i < cfg->test_groups.n; i++)
				test_ids[ntest++] = (uint32_t)split_group_id(x, cfg->test_groups.v[i]);
		} else {
			/* Folds in byte order of the group names. */
			for (size_t g = 0; g < ngroups; g++)
				if (x->group.rank[g] == k)
					test_ids[ntest++] = (uint32_t)g;
		}
		struct split_fold_work w;
		work_init(&w, x->nunits);
		struct dataset_fold *fold = &out->folds[out->nfolds++];
		if (!cfg->test_groups.n) {
			w.held_out = x->group.names.v[test_ids[0]];
			fold->held_out = xstrdup(w.held_out);
			char *name = fold_name(w.held_out);
			for (int dup = 2; strvec_find(&used, name) >= 0; dup++) {
				free(name);
				char *base = fold_name(w.held_out);
				name = xasprintf("%s-%d", base, dup);
				free(base);
			}
			strvec_push(&used, name);
			fold->name = name;
		}
		rc = split_run_loo_fold(x, &w, test_ids, ntest, k, e);
		if (rc == 0)
			rc = split_finish_fold(x, &w, fold, e);
		if (rc == 0)
			split_tally_fold(x, &tally, &w);
		work_release(&w);
	}
	if (rc == 0 && nfolds > 1)
		out->dropped = split_tally_json(x, &tally);
	free(tally.reasons);
	free(tally.folds);
	strvec_clear(&used);
	free(test_ids);
	return rc;
}

int split_one_fold(struct split_ctx *x, struct dataset_split_result *out,
		   void (*cut)(struct split_ctx *x, struct split_fold_work *w), struct err *e)
{
	struct split_fold_work w;
	work_init(&w, x->nunits);
	cut(x, &w);
	out->folds = xcalloc(1, sizeof(struct dataset_fold));
	out->nfolds = 1;
	int rc = split_finish_fold(x, &w, &out->folds[0], e);
	work_release(&w);
	return rc;
}

int dataset_split(struct dataset_split_result *out, const struct dataset_frame *f,
		  const struct dataset_split_config *cfg, struct err *e)
{
	out->folds = NULL;
	out->nfolds = 0;
	out->dropped = NULL;
	struct split_ctx x;
	int rc = ctx_init(&x, f, cfg, e);
	if (rc == 0)
		rc = dataset_strategies[cfg->strategy].run(&x, out, e);
	ctx_release(&x);
	if (rc)
		dataset_split_result_release(out);
	return rc;
}

void dataset_split_result_release(struct dataset_split_result *r)
{
	for (size_t i = 0; i < r->nfolds; i++) {
		struct dataset_fold *fo = &r->folds[i];
		free(fo->name);
		free(fo->held_out);
		free(fo->assign);
		for (int s = 0; s < DATASET_NSPLITS; s++)
			free(fo->rows[s]);
		json_decref(fo->report);
	}
	free(r->folds);
	r->folds = NULL;
	r->nfolds = 0;
	json_decref(r->dropped);
	r->dropped = NULL;
}
