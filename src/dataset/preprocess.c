/*
 * Missing values and normalisation, fitted on the train rows (preprocess.h).
 * The statistics follow numpy/scikit-learn 1.2 step by step (two-pass
 * variance with the correction term, numpy's linear percentile
 * interpolation, sklearn's rules for constant columns) so that the files agree
 * with sklearn's transformers to far better than 1e-9.
 */
#include "dataset/preprocess.h"
#include "core/json.h"
#include "core/xalloc.h"
#include <stddef.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

struct prep_col {
	char *name;
	enum dataset_type type_in, type_out;
	int has_fill;
	double fill;          /* numeric fill, or bool fill (0/1) */
	char *fill_str;       /* string fill */
	int normalised, constant;
	double a, b, c, d;    /* z: mean, std; min_max: min, max; robust: median, q25, q75 (c, d) */
	double shift, scale;  /* z/robust: (x - shift) / scale; min_max: x * scale + shift */
};

struct dataset_prep {
	struct dataset_prep_config cfg;
	size_t train_rows;
	struct prep_col *cols;
	size_t ncols;
	struct strvec skipped;
};

static const char *const missing_names[] = { "drop_row", "fill", "skip_feature" };
static const char *const norm_names[] = { "none", "z_score", "min_max", "robust" };

const char *dataset_missing_name(enum dataset_missing m)
{
	return (unsigned)m < 3 ? missing_names[m] : "?";
}

const char *dataset_norm_name(enum dataset_norm n)
{
	return (unsigned)n < 4 ? norm_names[n] : "?";
}

int dataset_prep_config_from_json(struct dataset_prep_config *out, const json_t *cfg, struct err *e)
{
	struct dataset_prep_config c = DATASET_PREP_CONFIG_INIT;
	*out = c;
	if (!cfg || json_is_null(cfg))
		return 0;
	if (!json_is_object(cfg))
		return err_set(e, ERR_INPUT, "preprocessing_config must be an object");
	const char *m = core_json_str(cfg, "missing_values_strategy", NULL);
	if (m) {
		int i = 0;
		while (i < 3 && strcmp(m, missing_names[i]) != 0)
			i++;
		if (i == 3)
			return err_set(e, ERR_INPUT, "preprocessing_config.missing_values_strategy '%s' is unknown; use drop_row, fill or skip_feature", m);
		c.missing = (enum dataset_missing)i;
	}
	const json_t *fv = json_object_get(cfg, "fill_value");
	if (fv && json_is_number(fv)) {
		c.fill = DATASET_FILL_VALUE;
		c.fill_value = json_number_value(fv);
	} else if (fv && json_is_string(fv)) {
		const char *s = json_string_value(fv);
		if (strcmp(s, "mean") == 0)
			c.fill = DATASET_FILL_MEAN;
		else if (strcmp(s, "median") == 0)
			c.fill = DATASET_FILL_MEDIAN;
		else
			return err_set(e, ERR_INPUT, "preprocessing_config.fill_value '%s' is unknown; use a number, \"mean\" or \"median\"", s);
	} else if (fv && !json_is_null(fv)) {
		return err_set(e, ERR_INPUT, "preprocessing_config.fill_value must be a number, \"mean\" or \"median\"");
	}
	const char *n = core_json_str(cfg, "normalization_method", NULL);
	if (n) {
		int i = 0;
		while (i < 4 && strcmp(n, norm_names[i]) != 0)
			i++;
		if (i == 4)
			return err_set(e, ERR_INPUT, "preprocessing_config.normalization_method '%s' is unknown; use z_score, min_max, robust or none", n);
		c.norm = (enum dataset_norm)i;
	}
	const json_t *mi = json_object_get(cfg, "missing_indicators");
	if (mi && !json_is_boolean(mi) && !json_is_null(mi))
		return err_set(e, ERR_INPUT, "preprocessing_config.missing_indicators must be true or false");
	c.missing_indicators = json_is_true(mi);
	if (c.missing_indicators && c.missing != DATASET_MISSING_FILL)
		return err_set(e, ERR_INPUT, "preprocessing_config.missing_indicators needs missing_values_strategy: fill (%s"
			       " leaves no imputed value to flag)", missing_names[c.missing]);
	*out = c;
	return 0;
}

struct feat_count {
	const char *name;
	size_t n;
};

static int by_count_desc(const void *a, const void *b)
{
	const struct feat_count *x = a, *y = b;
	return x->n < y->n ? 1 : x->n > y->n ? -1 : strcmp(x->name, y->name);
}

/*
 * drop_row removes the rows with a MISSING feature (dataset_col_is_missing),
 * never those whose null only means "does not apply". Past 20% of the rows the
 * report carries a warning naming the features that cost the most rows.
 */
size_t dataset_preprocess_drop_rows(struct dataset_frame *f, const struct dataset_prep_config *cfg, json_t **report)
{
	if (report)
		*report = NULL;
	if (cfg->missing != DATASET_MISSING_DROP_ROW)
		return 0;
	uint8_t *keep = xmalloc(f->nrows ? f->nrows : 1);
	memset(keep, 1, f->nrows);
	json_t *by = json_object();
	struct feat_count *counts = xcalloc(f->ncols ? f->ncols : 1, sizeof(*counts));
	size_t ncounts = 0;
	for (size_t i = 0; i < f->ncols; i++) {
		const struct dataset_col *c = f->cols[i];
		if (c->role != DATASET_ROLE_FEATURE || !c->null_count)
			continue;
		size_t n = 0;
		for (size_t r = 0; r < f->nrows; r++)
			if (dataset_col_is_missing(c, r)) {
				keep[r] = 0;
				n++;
			}
		if (n) {
			json_object_set_new(by, c->name, json_integer((json_int_t)n));
			counts[ncounts++] = (struct feat_count){ c->name, n };
		}
	}
	qsort(counts, ncounts, sizeof(*counts), by_count_desc);
	char *warning = NULL;
	size_t before = f->nrows, dropped = 0;
	for (size_t r = 0; r < before; r++)
		dropped += !keep[r];
	if (before && dropped * 5 > before) {
		struct buf b = BUF_INIT;
		buf_addf(&b, "missing_values_strategy drop_row dropped %zu of %zu rows (%.0f%%) for missing values; most "
			     "from ", dropped, before, 100.0 * (double)dropped / (double)before);
		for (size_t i = 0; i < ncounts && i < 3; i++)
			buf_addf(&b, "%s%s (%zu rows)", i ? ", " : "", counts[i].name, counts[i].n);
		buf_addstr(&b, "; use fill, or exclude those features");
		warning = buf_detach(&b, NULL);
	}
	free(counts);
	size_t after = dataset_frame_filter(f, keep);
	free(keep);
	if (report) {
		*report = json_pack("{s:s, s:I, s:o}", "reason", "missing_feature", "count", (json_int_t)(before - after),
				    "by_feature", by);
		if (warning)
			json_object_set_new(*report, "warning", json_string(warning));
	} else {
		json_decref(by);
	}
	free(warning);
	return before - after;
}

static const char *fill_name(const struct dataset_prep_config *cfg, char *buf, size_t n)
{
	if (cfg->fill == DATASET_FILL_MEAN)
		return "the train mean";
	if (cfg->fill == DATASET_FILL_MEDIAN)
		return "the train median";
	snprintf(buf, n, "%g", cfg->fill_value);
	return buf;
}

json_t *dataset_preprocess_missing_summary(const struct dataset_frame *f, const struct dataset_prep_config *cfg)
{
	uint8_t *row = xcalloc(f->nrows ? f->nrows : 1, 1); /* bit 0: a missing value, bit 1: one that does not apply */
	json_t *miss = json_object(), *na = json_object();
	for (size_t i = 0; i < f->ncols; i++) {
		const struct dataset_col *c = f->cols[i];
		if (c->role != DATASET_ROLE_FEATURE || !c->null_count)
			continue;
		size_t nm = 0, nn = 0;
		for (size_t r = 0; r < f->nrows; r++) {
			if (!dataset_col_is_null(c, r))
				continue;
			int m = dataset_col_is_missing(c, r);
			nm += m;
			nn += !m;
			row[r] |= m ? 1 : 2;
		}
		if (nm)
			json_object_set_new(miss, c->name, json_integer((json_int_t)nm));
		if (nn)
			json_object_set_new(na, c->name, json_integer((json_int_t)nn));
	}
	size_t rows_m = 0, rows_n = 0;
	for (size_t r = 0; r < f->nrows; r++) {
		rows_m += row[r] & 1;
		rows_n += (row[r] >> 1) & 1;
	}
	free(row);
	char num[40], *handling;
	if (cfg->missing == DATASET_MISSING_FILL)
		handling = xasprintf("numeric values filled with %s, bool and string values with the train mode (fitted on"
				     " the train rows)%s", fill_name(cfg, num, sizeof(num)),
				     cfg->missing_indicators ? "; <feature>_missing columns flag the missing ones" : "");
	else if (cfg->missing == DATASET_MISSING_DROP_ROW)
		handling = xstrdup("rows with a missing value dropped before splitting (see dropped); values that do not"
				   " apply stay null");
	else
		handling = xstrdup("features with a null among the train rows removed (see preprocessing.skipped_features);"
				   " other nulls stay null");
	json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:o, s:I, s:o}", "strategy", dataset_missing_name(cfg->missing),
			      "handling", handling, "rows", (json_int_t)f->nrows, "rows_missing", (json_int_t)rows_m,
			      "missing_by_feature", miss, "rows_not_applicable", (json_int_t)rows_n,
			      "not_applicable_by_feature", na);
	free(handling);
	return o;
}

int dataset_preprocess_add_indicators(struct dataset_frame *f, const struct dataset_prep_config *cfg, json_t **names,
				      struct err *e)
{
	if (names)
		*names = json_object();
	if (cfg->missing != DATASET_MISSING_FILL || !cfg->missing_indicators)
		return 0;
	size_t last_feature = 0, added = 0, ncols = f->ncols;
	for (size_t i = 0; i < ncols; i++)
		if (f->cols[i]->role == DATASET_ROLE_FEATURE)
			last_feature = i;
	for (size_t i = 0; i < ncols; i++) {
		const struct dataset_col *c = f->cols[i];
		size_t first = SIZE_MAX;
		for (size_t r = 0; c->role == DATASET_ROLE_FEATURE && c->null_count && r < f->nrows && first == SIZE_MAX; r++)
			if (dataset_col_is_missing(c, r))
				first = r;
		if (first == SIZE_MAX)
			continue;
		char *name = xasprintf("%s_missing", c->name);
		int k = dataset_frame_add_column(f, name, DATASET_BOOL, DATASET_ROLE_FEATURE, e);
		if (k < 0) {
			err_set(e, ERR_INPUT, "preprocessing_config.missing_indicators: feature '%s' already has the name of"
				" %s's indicator; exclude one of them", name, c->name);
			free(name);
			return ERR_INPUT;
		}
		c = f->cols[i];
		for (size_t r = 0; r < f->nrows; r++)
			dataset_frame_set_bool(f, (size_t)k, r, r >= first && dataset_col_is_missing(c, r));
		dataset_frame_move_column(f, (size_t)k, last_feature + 1 + added);
		if (names)
			json_object_set_new(*names, name, json_string(c->name));
		free(name);
		added++;
	}
	return (int)added;
}

/* --- order statistics ------------------------------------------------------------------ */

static void swap_d(double *a, size_t i, size_t j)
{
	double t = a[i];
	a[i] = a[j];
	a[j] = t;
}

/* Rearranges a so that a[k] is the k-th smallest (Wirth's selection; pivot a[k]). */
static void select_kth(double *a, size_t n, size_t k)
{
	ptrdiff_t lo = 0, hi = (ptrdiff_t)n - 1, kk = (ptrdiff_t)k;
	while (lo < hi) {
		double x = a[kk];
		ptrdiff_t i = lo, j = hi;
		do {
			while (a[i] < x)
				i++;
			while (x < a[j])
				j--;
			if (i <= j) {
				swap_d(a, (size_t)i, (size_t)j);
				i++;
				j--;
			}
		} while (i <= j);
		if (j < kk)
			lo = i;
		if (kk < i)
			hi = j;
	}
}

/* The k-th and (k+1)-th smallest values of a (rearranged). */
static void kth_pair(double *a, size_t n, size_t k, double *lo, double *hi)
{
	select_kth(a, n, k);
	*lo = a[k];
	double m = k + 1 < n ? a[k + 1] : a[k];
	for (size_t i = k + 2; i < n; i++)
		if (a[i] < m)
			m = a[i];
	*hi = k + 1 < n ? m : a[k];
}

/* numpy.percentile(a, q) with the default "linear" method, numpy >= 1.22's lerp. */
static double percentile(double *a, size_t n, double q)
{
	double virt = (double)(n - 1) * (q / 100.0);
	size_t k = (size_t)floor(virt);
	double t = virt - (double)k;
	double lo, hi;
	kth_pair(a, n, k, &lo, &hi);
	double diff = hi - lo;
	return t >= 0.5 ? hi - diff * (1 - t) : lo + diff * t;
}

static double median(double *a, size_t n)
{
	double lo, hi;
	kth_pair(a, n, (n - 1) / 2, &lo, &hi);
	return n % 2 ? lo : (lo + hi) / 2; /* numpy.median: mean of the two middle values */
}

/* --- fitting ------------------------------------------------------------------------------ */

static int is_numeric(enum dataset_type t)
{
	return t == DATASET_INT64 || t == DATASET_FLOAT64;
}

/* Fill value of a bool (mode, ties false) or string (mode, ties the smallest) feature. */
static void fit_mode(struct prep_col *pc, const struct dataset_col *c, const uint32_t *rows, size_t n)
{
	if (c->type == DATASET_BOOL) {
		size_t ones = 0, seen = 0;
		for (size_t i = 0; i < n; i++)
			if (!dataset_col_is_null(c, rows[i])) {
				seen++;
				ones += c->b[rows[i]];
			}
		pc->has_fill = seen > 0;
		pc->fill = ones * 2 > seen;
		return;
	}
	size_t *cnt = xcalloc(c->ndict ? c->ndict : 1, sizeof(size_t));
	for (size_t i = 0; i < n; i++)
		if (!dataset_col_is_null(c, rows[i]))
			cnt[c->code[rows[i]]]++;
	size_t best = SIZE_MAX;
	for (size_t k = 0; k < c->ndict; k++)
		if (cnt[k] && (best == SIZE_MAX || cnt[k] > cnt[best] ||
			       (cnt[k] == cnt[best] && strcmp(c->dict[k], c->dict[best]) < 0)))
			best = k;
	if (best != SIZE_MAX) {
		pc->has_fill = 1;
		pc->fill_str = xstrdup(c->dict[best]);
	}
	free(cnt);
}

/* Train values of a numeric column after filling; returns the count (nulls left out when not filled). */
static size_t train_values(double *v, const struct prep_col *pc, const struct dataset_col *c, const uint32_t *rows,
			   size_t n)
{
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (dataset_col_is_null(c, rows[i])) {
			if (pc->has_fill)
				v[m++] = pc->fill;
		} else {
			v[m++] = c->type == DATASET_FLOAT64 ? c->f64[rows[i]] : (double)c->i64[rows[i]];
		}
	}
	return m;
}

static void fit_fill(struct prep_col *pc, const struct dataset_prep_config *cfg, const struct dataset_col *c,
		     const uint32_t *rows, size_t n, double *scratch)
{
	if (c->type == DATASET_BOOL || c->type == DATASET_STRING) {
		fit_mode(pc, c, rows, n);
		return;
	}
	if (!is_numeric(c->type))
		return;
	if (cfg->fill == DATASET_FILL_VALUE) {
		pc->has_fill = 1;
		pc->fill = cfg->fill_value;
		if (c->type == DATASET_INT64 && (pc->fill != floor(pc->fill) || fabs(pc->fill) > 9.0e15))
			pc->type_out = DATASET_FLOAT64;
		return;
	}
	size_t m = train_values(scratch, pc, c, rows, n); /* has_fill is 0 here: nulls left out */
	pc->type_out = DATASET_FLOAT64;
	if (m == 0)
		return; /* all null in train: nothing to fill with, nulls stay (as sklearn drops such a column) */
	pc->has_fill = 1;
	if (cfg->fill == DATASET_FILL_MEAN) {
		double s = 0;
		for (size_t i = 0; i < m; i++)
			s += scratch[i];
		pc->fill = s / (double)m;
	} else {
		pc->fill = median(scratch, m);
	}
}

static void fit_norm(struct prep_col *pc, enum dataset_norm norm, double *v, size_t m)
{
	const double eps = DBL_EPSILON;
	pc->normalised = 1;
	pc->type_out = DATASET_FLOAT64;
	pc->shift = 0;
	pc->scale = 1;
	if (m == 0) {
		pc->constant = 1;
		return;
	}
	if (norm == DATASET_NORM_Z_SCORE) {
		/* sklearn _incremental_mean_and_var: two passes with a correction term. */
		double sum = 0;
		for (size_t i = 0; i < m; i++)
			sum += v[i];
		double mean = sum / (double)m, corr = 0, sq = 0;
		for (size_t i = 0; i < m; i++) {
			double t = v[i] - mean;
			corr += t;
			sq += t * t;
		}
		double var = (sq - corr * corr / (double)m) / (double)m;
		double bound = (double)m * eps * var + pow((double)m * mean * eps, 2);
		pc->a = mean;
		pc->b = sqrt(var);
		pc->constant = var <= bound || pc->b < 10 * eps;
		pc->shift = mean;
		pc->scale = pc->constant ? 1.0 : pc->b;
	} else if (norm == DATASET_NORM_MIN_MAX) {
		double lo = v[0], hi = v[0];
		for (size_t i = 1; i < m; i++) {
			if (v[i] < lo)
				lo = v[i];
			if (v[i] > hi)
				hi = v[i];
		}
		double range = hi - lo;
		pc->a = lo;
		pc->b = hi;
		pc->constant = range < 10 * eps;
		pc->scale = 1.0 / (pc->constant ? 1.0 : range);
		pc->shift = 0.0 - lo * pc->scale;
	} else {
		double med = median(v, m);
		double q25 = percentile(v, m, 25), q75 = percentile(v, m, 75);
		pc->a = med;
		pc->c = q25;
		pc->d = q75;
		pc->constant = q75 - q25 < 10 * eps;
		pc->shift = med;
		pc->scale = pc->constant ? 1.0 : q75 - q25;
	}
}

int dataset_preprocess_fit(struct dataset_prep **out, const struct dataset_frame *f, const uint32_t *train_rows,
			   size_t ntrain, const struct dataset_prep_config *cfg, struct err *e)
{
	*out = NULL;
	if (ntrain == 0)
		return err_set(e, ERR_INPUT, "preprocessing: the train split is empty, so nothing can be fitted; lower the val/test ratios or add builds");
	struct dataset_prep *p = xcalloc(1, sizeof(*p));
	p->cfg = *cfg;
	p->train_rows = ntrain;
	p->cols = xcalloc(f->ncols ? f->ncols : 1, sizeof(*p->cols));
	double *scratch = xmalloc(ntrain * sizeof(double));
	for (size_t i = 0; i < f->ncols; i++) {
		const struct dataset_col *c = f->cols[i];
		if (c->role != DATASET_ROLE_FEATURE)
			continue;
		size_t train_nulls = 0;
		if (c->null_count)
			for (size_t k = 0; k < ntrain; k++)
				train_nulls += dataset_col_is_null(c, train_rows[k]);
		if (cfg->missing == DATASET_MISSING_SKIP_FEATURE && train_nulls) {
			strvec_push(&p->skipped, c->name);
			continue;
		}
		struct prep_col *pc = &p->cols[p->ncols++];
		pc->name = xstrdup(c->name);
		pc->type_in = pc->type_out = c->type;
		if (cfg->missing == DATASET_MISSING_FILL)
			fit_fill(pc, cfg, c, train_rows, ntrain, scratch);
		if (cfg->norm != DATASET_NORM_NONE && is_numeric(c->type)) {
			size_t m = train_values(scratch, pc, c, train_rows, ntrain);
			fit_norm(pc, cfg->norm, scratch, m);
		}
	}
	free(scratch);
	*out = p;
	return 0;
}

/* --- applying ------------------------------------------------------------------------------ */

int dataset_preprocess_apply(const struct dataset_prep *p, struct dataset_frame *f, struct err *e)
{
	for (size_t k = 0; k < p->skipped.n; k++) {
		int i = dataset_frame_find(f, p->skipped.v[k]);
		if (i >= 0)
			dataset_frame_remove_column(f, (size_t)i);
	}
	for (size_t k = 0; k < p->ncols; k++) {
		const struct prep_col *pc = &p->cols[k];
		struct dataset_col *c = dataset_frame_col(f, pc->name);
		if (!c || c->type != pc->type_in)
			return err_set(e, ERR_INTERNAL, "preprocessing: column '%s' is missing or changed type since fitting", pc->name);
		if (pc->type_out == DATASET_FLOAT64)
			dataset_col_to_float(c);
		if (pc->has_fill && c->null_count) {
			uint32_t code = c->type == DATASET_STRING ? dataset_col_intern(c, pc->fill_str) : 0;
			for (size_t r = 0; r < c->n; r++) {
				if (!dataset_col_is_null(c, r))
					continue;
				dataset_col_set_nullbit(c, r, 0);
				switch (c->type) {
				case DATASET_FLOAT64: c->f64[r] = pc->fill; break;
				case DATASET_INT64: c->i64[r] = (int64_t)pc->fill; break;
				case DATASET_BOOL: c->b[r] = pc->fill != 0; break;
				case DATASET_STRING: c->code[r] = code; break;
				default: break;
				}
			}
		}
		if (!pc->normalised)
			continue;
		double *v = c->f64;
		if (p->cfg.norm == DATASET_NORM_MIN_MAX) {
			for (size_t r = 0; r < c->n; r++)
				v[r] = v[r] * pc->scale + pc->shift;
		} else {
			for (size_t r = 0; r < c->n; r++)
				v[r] = (v[r] - pc->shift) / pc->scale;
		}
		if (c->nulls) /* keep null cells at 0, as the rest of the layer expects */
			for (size_t r = 0; r < c->n; r++)
				if (dataset_col_is_null(c, r))
					v[r] = 0;
	}
	return 0;
}

static json_t *num_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

json_t *dataset_preprocess_params(const struct dataset_prep *p)
{
	json_t *o = json_object();
	json_object_set_new(o, "missing_values_strategy", json_string(dataset_missing_name(p->cfg.missing)));
	if (p->cfg.missing == DATASET_MISSING_FILL)
		json_object_set_new(o, "fill_value", p->cfg.fill == DATASET_FILL_MEAN     ? json_string("mean")
						      : p->cfg.fill == DATASET_FILL_MEDIAN ? json_string("median")
											   : json_real(p->cfg.fill_value));
	json_object_set_new(o, "normalization_method", json_string(dataset_norm_name(p->cfg.norm)));
	json_object_set_new(o, "fitted_on", json_string("train"));
	json_object_set_new(o, "train_rows", json_integer((json_int_t)p->train_rows));
	json_t *sk = json_array();
	for (size_t k = 0; k < p->skipped.n; k++)
		json_array_append_new(sk, json_string(p->skipped.v[k]));
	json_object_set_new(o, "skipped_features", sk);
	json_t *cols = json_object();
	for (size_t k = 0; k < p->ncols; k++) {
		const struct prep_col *pc = &p->cols[k];
		json_t *c = json_object();
		json_object_set_new(c, "type", json_string(dataset_type_name(pc->type_in)));
		json_object_set_new(c, "output_type", json_string(dataset_type_name(pc->type_out)));
		if (!pc->has_fill)
			json_object_set_new(c, "fill", json_null());
		else if (pc->fill_str)
			json_object_set_new(c, "fill", json_string(pc->fill_str));
		else if (pc->type_in == DATASET_BOOL)
			json_object_set_new(c, "fill", json_boolean(pc->fill != 0));
		else
			json_object_set_new(c, "fill", num_or_null(pc->fill));
		if (pc->normalised) {
			if (p->cfg.norm == DATASET_NORM_Z_SCORE) {
				json_object_set_new(c, "mean", num_or_null(pc->a));
				json_object_set_new(c, "std", num_or_null(pc->b));
			} else if (p->cfg.norm == DATASET_NORM_MIN_MAX) {
				json_object_set_new(c, "min", num_or_null(pc->a));
				json_object_set_new(c, "max", num_or_null(pc->b));
				json_object_set_new(c, "offset", num_or_null(pc->shift));
			} else {
				json_object_set_new(c, "median", num_or_null(pc->a));
				json_object_set_new(c, "q25", num_or_null(pc->c));
				json_object_set_new(c, "q75", num_or_null(pc->d));
			}
			json_object_set_new(c, "scale", num_or_null(pc->scale));
			json_object_set_new(c, "constant", json_boolean(pc->constant));
		}
		json_object_set_new(cols, pc->name, c);
	}
	json_object_set_new(o, "columns", cols);
	return o;
}

void dataset_preprocess_free(struct dataset_prep *p)
{
	if (!p)
		return;
	for (size_t k = 0; k < p->ncols; k++) {
		free(p->cols[k].name);
		free(p->cols[k].fill_str);
	}
	free(p->cols);
	strvec_clear(&p->skipped);
	free(p);
}
