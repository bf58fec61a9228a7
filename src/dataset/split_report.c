/*
 * Splitting, part 3: turns a fold's unit assignment into per-row
 * assignments, row lists and the JSON report (counts, class and group
 * distributions, dropped rows with reasons, warnings), and checks the one
 * invariant that must never break: no commit in two splits.
 */
#include "dataset/split_internal.h"
#include "core/xalloc.h"
#include <stdlib.h>
#include <string.h>

static const char *const drop_reasons[SPLIT_DROP_NREASONS] = {
	"", "no_started_at", "gap_before_val", "gap_before_test", "group_not_listed",
};

#define MAX_LISTED_IDS 1000

static json_t *distribution(const struct split_keys *k, const size_t *counts)
{
	json_t *o = json_object();
	for (size_t i = 0; i < k->names.n; i++)
		if (counts[i])
			json_object_set_new(o, k->names.v[i], json_integer((json_int_t)counts[i]));
	return o;
}

static void add_fold_warning(json_t *warnings, char *msg)
{
	json_array_append_new(warnings, json_string(msg));
	free(msg);
}

static json_t *dropped_json(struct split_ctx *x, struct split_fold_work *w)
{
	json_t *out = json_array();
	const struct dataset_col *idc = dataset_frame_col(x->f, x->cfg->id_col);
	struct buf b = BUF_INIT;
	for (int reason = 1; reason < SPLIT_DROP_NREASONS; reason++) {
		size_t count = 0;
		json_t *ids = json_array();
		for (size_t r = 0; r < x->nrows; r++) {
			if (w->unit_drop[x->unit_of[r]] != reason)
				continue;
			if (count++ >= MAX_LISTED_IDS)
				continue;
			if (idc) {
				dataset_col_key(idc, r, &b);
				json_array_append_new(ids, json_string(buf_cstr(&b)));
			} else {
				json_array_append_new(ids, json_integer((json_int_t)r));
			}
		}
		if (!count) {
			json_decref(ids);
			continue;
		}
		json_array_append_new(out, json_pack("{s:s, s:I, s:s, s:o, s:b}", "reason", drop_reasons[reason], "count",
						     (json_int_t)count, "ids_are", idc ? x->cfg->id_col : "row_index",
						     "build_ids", ids, "truncated", count > MAX_LISTED_IDS));
	}
	buf_release(&b);
	return out;
}

/* ERR_INTERNAL when a commit's rows are in two splits (never by design). */
static int check_commits(struct split_ctx *x, const int8_t *assign, struct err *e)
{
	if (!x->has_commit)
		return 0;
	const struct dataset_col *cc = dataset_frame_col(x->f, x->cfg->commit_col);
	uint8_t *mask = xcalloc(x->commit.names.n + 1, 1);
	int rc = 0;
	for (size_t r = 0; r < x->nrows && rc == 0; r++) {
		if (assign[r] < 0 || dataset_col_is_null(cc, r))
			continue;
		uint32_t id = x->commit.id[r];
		mask[id] |= (uint8_t)(1u << assign[r]);
		if (mask[id] & (mask[id] - 1))
			rc = err_set(e, ERR_INTERNAL, "split: commit %s landed in two splits (a bug in the splitter; please report it)",
				     x->commit.names.v[id]);
	}
	free(mask);
	return rc;
}

int split_finish_fold(struct split_ctx *x, struct split_fold_work *w, struct dataset_fold *fold, struct err *e)
{
	const struct dataset_split_config *cfg = x->cfg;
	size_t n = x->nrows;
	fold->assign = xmalloc(n);
	size_t cnt[DATASET_NSPLITS] = { 0, 0, 0 }, dropped = 0;
	for (size_t r = 0; r < n; r++) {
		int8_t s = w->unit_split[x->unit_of[r]];
		fold->assign[r] = s;
		if (s >= 0)
			cnt[s]++;
		else
			dropped++;
	}
	for (int s = 0; s < DATASET_NSPLITS; s++) {
		fold->rows[s] = xmalloc((cnt[s] ? cnt[s] : 1) * sizeof(uint32_t));
		fold->nrows[s] = 0;
	}
	for (size_t r = 0; r < n; r++)
		if (fold->assign[r] >= 0)
			fold->rows[fold->assign[r]][fold->nrows[fold->assign[r]]++] = (uint32_t)r;
	int rc = check_commits(x, fold->assign, e);
	if (rc)
		return rc;

	json_t *rep = json_object();
	json_object_set_new(rep, "strategy", json_string(dataset_strategy_name(cfg->strategy)));
	json_object_set_new(rep, "seed", json_integer((json_int_t)cfg->seed));
	json_object_set_new(rep, "ratios", json_pack("{s:f, s:f, s:f}", "train", cfg->ratios[0], "val", cfg->ratios[1],
						     "test", cfg->ratios[2]));
	json_object_set_new(rep, "group_by", json_string(cfg->group_by));
	json_object_set_new(rep, "stratify_by", json_string(cfg->stratify_by));
	enum dataset_needs_time nt = dataset_strategies[cfg->strategy].needs_time;
	if (nt == DATASET_TIME_WITH_ORDERING)
		json_object_set_new(rep, "temporal_ordering", json_boolean(cfg->temporal_ordering));
	if (nt == DATASET_TIME_ALWAYS)
		json_object_set_new(rep, "gap_days", json_real(cfg->gap_days));
	if (fold->held_out)
		json_object_set_new(rep, "held_out_group", json_string(fold->held_out));
	json_object_set_new(rep, "counts", json_pack("{s:I, s:I, s:I, s:I}", "train", (json_int_t)cnt[0], "val",
						     (json_int_t)cnt[1], "test", (json_int_t)cnt[2], "dropped",
						     (json_int_t)dropped));

	json_t *cls = json_object(), *grp = json_object();
	json_t *warnings = json_deep_copy(x->warnings);
	size_t nl = x->label.names.n, ng = x->group.names.n;
	size_t *lc = xmalloc((nl + 1) * sizeof(size_t)), *gc = xmalloc((ng + 1) * sizeof(size_t));
	uint8_t *gmask = xcalloc(ng + 1, 1);
	for (int s = 0; s < DATASET_NSPLITS; s++) {
		memset(lc, 0, (nl + 1) * sizeof(size_t));
		memset(gc, 0, (ng + 1) * sizeof(size_t));
		for (size_t i = 0; i < fold->nrows[s]; i++) {
			uint32_t r = fold->rows[s][i];
			lc[x->label.id[r]]++;
			gc[x->group.id[r]]++;
			gmask[x->group.id[r]] |= (uint8_t)(1u << s);
		}
		json_object_set_new(cls, dataset_split_names[s], distribution(&x->label, lc));
		if (x->has_group)
			json_object_set_new(grp, dataset_split_names[s], distribution(&x->group, gc));
		size_t classes = 0;
		const char *only = NULL;
		for (size_t i = 0; i < nl; i++)
			if (lc[i]) {
				classes++;
				only = x->label.names.v[i];
			}
		if (fold->nrows[s] == 0 && cfg->ratios[s] > 0)
			add_fold_warning(warnings, xasprintf("split '%s' is empty", dataset_split_names[s]));
		else if (classes == 1)
			add_fold_warning(warnings, xasprintf("split '%s' has a single class (%s=%s): metrics such as ROC AUC are undefined on it",
							     dataset_split_names[s], cfg->label_col, only));
	}
	/* Groups are meant to span splits except under leave_one_out, where that is a leak. */
	if (cfg->strategy == DATASET_SPLIT_LEAVE_ONE_OUT && x->has_group)
		for (size_t g = 0; g < ng; g++)
			if (gmask[g] & (gmask[g] - 1))
				add_fold_warning(warnings, xasprintf("group '%s' is in two splits (commits shared with another group pulled rows across)",
								     x->group.names.v[g]));
	free(lc);
	free(gc);
	free(gmask);
	json_object_set_new(rep, "class_distribution", cls);
	if (x->has_group)
		json_object_set_new(rep, "group_distribution", grp);
	else
		json_decref(grp);
	if (w->groups)
		json_object_set(rep, "groups", w->groups);
	if (w->small_groups)
		json_object_set(rep, "small_groups", w->small_groups);
	json_object_set_new(rep, "dropped", dropped_json(x, w));
	if (json_array_size(x->conflicts))
		json_object_set(rep, "commit_conflicts", x->conflicts);
	json_object_set_new(rep, "warnings", warnings);
	fold->report = rep;
	return 0;
}

void split_tally_fold(struct split_ctx *x, struct split_drop_tally *t, const struct split_fold_work *w)
{
	uint8_t seen = 0;
	for (size_t r = 0; r < x->nrows; r++) {
		uint8_t reason = w->unit_drop[x->unit_of[r]];
		if (!reason)
			continue;
		t->reasons[r] |= (uint8_t)(1u << reason);
		t->folds[r]++;
		seen |= (uint8_t)(1u << reason);
	}
	for (int k = 1; k < SPLIT_DROP_NREASONS; k++)
		t->folds_with[k] += (seen >> k) & 1;
	t->nfolds++;
}

json_t *split_tally_json(struct split_ctx *x, const struct split_drop_tally *t)
{
	json_t *out = json_array();
	for (int k = 1; k < SPLIT_DROP_NREASONS; k++) {
		size_t count = 0, every = 0;
		for (size_t r = 0; r < x->nrows; r++)
			if ((t->reasons[r] >> k) & 1) {
				count++;
				every += t->folds[r] == t->nfolds;
			}
		if (count)
			json_array_append_new(out, json_pack("{s:s, s:I, s:I, s:I, s:s}", "reason", drop_reasons[k], "count",
							     (json_int_t)count, "in_every_fold", (json_int_t)every, "folds",
							     (json_int_t)t->folds_with[k], "counted",
							     "distinct rows dropped by at least one fold"));
	}
	return out;
}
