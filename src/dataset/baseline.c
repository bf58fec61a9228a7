/* Test-split baselines and binary classification metrics (baseline.h). */
#include "dataset/baseline.h"
#include "core/xalloc.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct scored {
	double s;
	uint8_t y;
};

static int cmp_scored(const void *a, const void *b)
{
	double x = ((const struct scored *)a)->s, y = ((const struct scored *)b)->s;
	return x < y ? -1 : x > y;
}

/* ROC AUC by the rank-sum formula with average ranks for ties; NaN with one class. */
static double roc_auc(const uint8_t *y, const double *score, size_t n)
{
	struct scored *v = xmalloc((n ? n : 1) * sizeof(*v));
	size_t pos = 0;
	for (size_t i = 0; i < n; i++) {
		v[i].s = score[i];
		v[i].y = y[i];
		pos += y[i];
	}
	size_t neg = n - pos;
	if (!pos || !neg) {
		free(v);
		return NAN;
	}
	qsort(v, n, sizeof(*v), cmp_scored);
	double rank_sum = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && v[j].s == v[i].s)
			j++;
		double avg = (double)(i + 1 + j) / 2.0; /* ranks i+1 .. j */
		for (size_t k = i; k < j; k++)
			if (v[k].y)
				rank_sum += avg;
		i = j;
	}
	free(v);
	return (rank_sum - (double)pos * (double)(pos + 1) / 2.0) / ((double)pos * (double)neg);
}

json_t *dataset_binary_metrics(const uint8_t *y, const uint8_t *pred, const double *score, size_t n)
{
	size_t tp = 0, fp = 0, tn = 0, fn = 0;
	for (size_t i = 0; i < n; i++) {
		if (pred[i])
			y[i] ? tp++ : fp++;
		else
			y[i] ? fn++ : tn++;
	}
	double acc = n ? (double)(tp + tn) / (double)n : 0;
	double prec = tp + fp ? (double)tp / (double)(tp + fp) : 0;
	double rec = tp + fn ? (double)tp / (double)(tp + fn) : 0;
	double f1 = prec + rec > 0 ? 2 * prec * rec / (prec + rec) : 0;
	double auc = roc_auc(y, score, n);
	json_t *o = json_pack("{s:f, s:f, s:f, s:f}", "accuracy", acc, "precision", prec, "recall", rec, "f1", f1);
	json_object_set_new(o, "roc_auc", isnan(auc) ? json_null() : json_real(auc));
	json_object_set_new(o, "confusion", json_pack("{s:I, s:I, s:I, s:I}", "tp", (json_int_t)tp, "fp", (json_int_t)fp,
							"tn", (json_int_t)tn, "fn", (json_int_t)fn));
	return o;
}

static int label_of(const struct dataset_col *c, size_t r)
{
	if (dataset_col_is_null(c, r))
		return -1;
	return c->type == DATASET_BOOL ? c->b[r] : c->type == DATASET_INT64 ? c->i64[r] != 0 : -1;
}

struct by_time {
	int64_t t;
	uint32_t row;
};

static int cmp_by_time(const void *a, const void *b)
{
	const struct by_time *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

/* Failure rate of earlier-started rows of the same group, per row (NaN for the first of a group). */
static double *computed_rates(const struct dataset_frame *f, const struct dataset_col *lab,
			      const struct dataset_col *grp, const struct dataset_col *tim)
{
	size_t n = f->nrows;
	double *rate = xmalloc((n ? n : 1) * sizeof(double));
	struct by_time *order = xmalloc((n ? n : 1) * sizeof(*order));
	for (size_t r = 0; r < n; r++) {
		order[r].t = tim && !dataset_col_is_null(tim, r) ? tim->i64[r] : INT64_MIN;
		order[r].row = (uint32_t)r;
	}
	qsort(order, n, sizeof(*order), cmp_by_time);
	size_t ng = grp && grp->type == DATASET_STRING ? grp->ndict + 1 : 1;
	size_t *seen = xcalloc(ng, sizeof(size_t)), *failed = xcalloc(ng, sizeof(size_t));
	for (size_t i = 0; i < n;) {
		/* Rows that started at the same instant do not see each other. */
		size_t j = i;
		while (j < n && order[j].t == order[i].t)
			j++;
		for (size_t k = i; k < j; k++) {
			size_t r = order[k].row;
			size_t g = ng > 1 ? (dataset_col_is_null(grp, r) ? ng - 1 : grp->code[r]) : 0;
			rate[r] = seen[g] ? (double)failed[g] / (double)seen[g] : NAN;
		}
		for (size_t k = i; k < j; k++) {
			size_t r = order[k].row;
			size_t g = ng > 1 ? (dataset_col_is_null(grp, r) ? ng - 1 : grp->code[r]) : 0;
			int l = label_of(lab, r);
			if (l >= 0) {
				seen[g]++;
				failed[g] += (size_t)l;
			}
		}
		i = j;
	}
	free(order);
	free(seen);
	free(failed);
	return rate;
}

json_t *dataset_baselines(const struct dataset_frame *f, const uint32_t *train, size_t ntrain, const uint32_t *test,
			  size_t ntest, const struct dataset_baseline_config *cfg, struct err *e)
{
	const struct dataset_col *lab = dataset_frame_col(f, cfg->label_col);
	if (!lab || (lab->type != DATASET_INT64 && lab->type != DATASET_BOOL)) {
		err_set(e, ERR_INPUT, "baselines: label column '%s' is missing or not int64/bool", cfg->label_col);
		return NULL;
	}
	size_t tr_seen = 0, tr_failed = 0;
	for (size_t i = 0; i < ntrain; i++) {
		int l = label_of(lab, train[i]);
		if (l >= 0) {
			tr_seen++;
			tr_failed += (size_t)l;
		}
	}
	uint8_t majority = tr_failed * 2 > tr_seen;
	double train_rate = tr_seen ? (double)tr_failed / (double)tr_seen : 0;
	uint8_t *y = xmalloc(ntest ? ntest : 1), *pred = xmalloc(ntest ? ntest : 1);
	double *score = xmalloc((ntest ? ntest : 1) * sizeof(double));
	uint32_t *rows = xmalloc((ntest ? ntest : 1) * sizeof(uint32_t));
	size_t n = 0;
	for (size_t i = 0; i < ntest; i++) {
		int l = label_of(lab, test[i]);
		if (l >= 0) {
			y[n] = (uint8_t)l;
			rows[n++] = test[i];
		}
	}
	json_t *out = json_object();
	json_object_set_new(out, "test_rows", json_integer((json_int_t)n));
	json_object_set_new(out, "positive_label", json_integer(1));

	for (size_t i = 0; i < n; i++) {
		pred[i] = majority;
		score[i] = majority;
	}
	json_t *m = dataset_binary_metrics(y, pred, score, n);
	json_object_set_new(m, "predicts", json_integer(majority));
	json_object_set_new(out, "majority_class", m);

	const struct dataset_col *prev = dataset_frame_col(f, cfg->prev_outcome_col);
	if (prev) {
		size_t fallback = 0;
		for (size_t i = 0; i < n; i++) {
			int p = label_of(prev, rows[i]);
			if (p < 0) {
				p = majority;
				fallback++;
			}
			pred[i] = (uint8_t)p;
			score[i] = p;
		}
		m = dataset_binary_metrics(y, pred, score, n);
		json_object_set_new(m, "fallback_rows", json_integer((json_int_t)fallback));
		json_object_set_new(m, "source", json_string(cfg->prev_outcome_col));
		json_object_set_new(out, "parrot", m);
	}

	const struct dataset_col *rc = dataset_frame_col(f, cfg->fail_rate_col);
	double *computed = NULL;
	if (!rc || !(rc->type == DATASET_FLOAT64 || rc->type == DATASET_INT64))
		computed = computed_rates(f, lab, dataset_frame_col(f, cfg->group_col), dataset_frame_col(f, cfg->time_col));
	size_t fallback = 0;
	for (size_t i = 0; i < n; i++) {
		double v = computed ? computed[rows[i]] : dataset_col_num(rc, rows[i]);
		if (isnan(v)) {
			v = train_rate;
			fallback++;
		}
		score[i] = v;
		pred[i] = v >= 0.5;
	}
	m = dataset_binary_metrics(y, pred, score, n);
	json_object_set_new(m, "fallback_rows", json_integer((json_int_t)fallback));
	json_object_set_new(m, "source", computed ? json_string("computed: earlier-started builds of the same group in the frame")
						  : json_string(cfg->fail_rate_col));
	json_object_set_new(out, "fail_rate_so_far", m);
	free(computed);
	free(y);
	free(pred);
	free(score);
	free(rows);
	return out;
}
