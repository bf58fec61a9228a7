/*
 * Dataset generation in one call (generate.h): the order of the steps is the
 * leakage guard — nothing is fitted before the split exists, and each fold
 * fits on its own train rows only.
 */
#include "dataset/generate.h"
#include "dataset/manifest.h"
#include "core/buf.h"
#include "core/fs.h"
#include "core/json.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include <stdlib.h>
#include <string.h>

void dataset_generate_config_init(struct dataset_generate_config *c)
{
	memset(c, 0, sizeof(*c));
	dataset_split_config_init(&c->split);
	struct dataset_prep_config p = DATASET_PREP_CONFIG_INIT;
	c->prep = p;
	c->formats[0] = DATASET_FMT_PARQUET;
	c->nformats = 1;
	struct dataset_write_opts w = DATASET_WRITE_OPTS_INIT;
	c->write = w;
	struct dataset_baseline_config b = DATASET_BASELINE_CONFIG_INIT;
	c->baseline = b;
}

void dataset_generate_config_release(struct dataset_generate_config *c)
{
	dataset_split_config_release(&c->split);
}

static int output_from_json(struct dataset_generate_config *c, const json_t *oc, struct err *e)
{
	if (!oc || json_is_null(oc))
		return 0;
	if (!json_is_object(oc))
		return err_set(e, ERR_INPUT, "output_config must be an object");
	const json_t *fm = json_object_get(oc, "formats");
	if (fm && !json_is_null(fm)) {
		if (!json_is_array(fm) || json_array_size(fm) == 0)
			return err_set(e, ERR_INPUT, "output_config.formats must be a non-empty list of formats");
		c->nformats = 0;
		size_t i;
		const json_t *v;
		json_array_foreach(fm, i, v) {
			enum dataset_format f;
			if (!json_is_string(v))
				return err_set(e, ERR_INPUT, "output_config.formats[%zu] must be a string", i);
			if (dataset_format_parse(&f, json_string_value(v), e))
				return err_prefix(e, "output_config.formats[%zu]", i);
			int dup = 0;
			for (size_t k = 0; k < c->nformats; k++)
				dup |= c->formats[k] == f;
			if (!dup && c->nformats < DATASET_FMT_COUNT)
				c->formats[c->nformats++] = f;
		}
	}
	const json_t *im = json_object_get(oc, "include_metadata");
	if (im && json_is_boolean(im))
		c->write.include_metadata = json_is_true(im);
	/* No "compression" key: the scenario validator refuses it, so a scenario's Parquet files are always
	 * snappy (DATASET_WRITE_OPTS_INIT); zstd and none stay reachable through dataset_write_opts only. */
	return 0;
}

int dataset_generate_config_from_json(struct dataset_generate_config *c, const json_t *scenario, struct err *e)
{
	if (!scenario)
		return 0;
	if (dataset_split_config_from_json(&c->split, json_object_get(scenario, "splitting_config"), e) ||
	    dataset_prep_config_from_json(&c->prep, json_object_get(scenario, "preprocessing_config"), e) ||
	    output_from_json(c, json_object_get(scenario, "output_config"), e))
		return e->code;
	return 0;
}

static size_t feature_count(const struct dataset_frame *f)
{
	size_t n = 0;
	for (size_t i = 0; i < f->ncols; i++)
		n += f->cols[i]->role == DATASET_ROLE_FEATURE;
	return n;
}

/* Preprocesses, writes and describes one fold; fr is the frame the fold's rows index. */
static int run_fold(struct dataset_generate_result *out, json_t *folds, struct dataset_frame *fr,
		    const struct dataset_fold *fold, const struct dataset_generate_config *cfg, const char *outdir,
		    const json_t *pre_dropped, struct err *e)
{
	struct dataset_prep *prep = NULL;
	int rc = dataset_preprocess_fit(&prep, fr, fold->rows[DATASET_TRAIN], fold->nrows[DATASET_TRAIN], &cfg->prep, e);
	if (rc == 0)
		rc = dataset_preprocess_apply(prep, fr, e);
	if (rc) {
		dataset_preprocess_free(prep);
		return err_prefix(e, "%s", fold->name ? fold->name : "dataset");
	}
	char *dir = fold->name ? fs_join(outdir, fold->name) : xstrdup(outdir);
	rc = fs_mkdirs(dir, e);
	struct dataset_manifest_file mf[DATASET_NSPLITS * DATASET_FMT_COUNT];
	size_t nmf = 0;
	for (size_t k = 0; k < cfg->nformats && rc == 0; k++) {
		for (int s = 0; s < DATASET_NSPLITS && rc == 0; s++) {
			enum dataset_format fmt = cfg->formats[k];
			char *base = xasprintf("%s.%s", dataset_split_names[s], dataset_format_ext(fmt));
			struct dataset_output_file *of;
			xgrow((void **)&out->files, &out->files_cap, out->nfiles + 1, sizeof(*out->files));
			of = &out->files[out->nfiles];
			memset(of, 0, sizeof(*of));
			of->fold = fold->name ? xstrdup(fold->name) : NULL;
			of->split = s;
			of->format = fmt;
			of->path = fs_join(dir, base);
			of->relpath = fold->name ? fs_join(fold->name, base) : xstrdup(base);
			free(base);
			int64_t t0 = mono_now();
			rc = dataset_write(fmt, of->path, fr, fold->rows[s], fold->nrows[s], &cfg->write, &of->info, e);
			of->duration_usec = mono_now() - t0;
			of->feature_count = feature_count(fr);
			of->class_distribution = json_deep_copy(json_object_get(json_object_get(fold->report, "class_distribution"),
										 dataset_split_names[s]));
			const json_t *gd = json_object_get(fold->report, "group_distribution");
			of->group_distribution = gd ? json_deep_copy(json_object_get(gd, dataset_split_names[s])) : NULL;
			out->nfiles++;
			mf[nmf++] = (struct dataset_manifest_file){ s, fmt, of->relpath, of->info };
		}
	}
	free(dir);
	if (rc == 0) {
		json_t *bl = dataset_baselines(fr, fold->rows[DATASET_TRAIN], fold->nrows[DATASET_TRAIN],
					       fold->rows[DATASET_TEST], fold->nrows[DATASET_TEST], &cfg->baseline, e);
		json_t *params = dataset_preprocess_params(prep);
		json_array_append_new(folds, dataset_manifest_fold(fold, params, mf, nmf, bl, pre_dropped));
		json_decref(params);
		json_decref(bl);
		if (!bl)
			rc = e->code;
	}
	dataset_preprocess_free(prep);
	return rc;
}

/* The rows of a fold, as a new frame, with its row lists renumbered into it. */
static struct dataset_frame *fold_frame(const struct dataset_frame *f, const struct dataset_fold *fold,
					struct dataset_fold *local)
{
	size_t n = fold->nrows[0] + fold->nrows[1] + fold->nrows[2], k = 0;
	uint32_t *rows = xmalloc((n ? n : 1) * sizeof(uint32_t));
	uint32_t *newpos = xmalloc((f->nrows ? f->nrows : 1) * sizeof(uint32_t));
	for (size_t r = 0; r < f->nrows; r++)
		if (fold->assign[r] >= 0) {
			newpos[r] = (uint32_t)k;
			rows[k++] = (uint32_t)r;
		}
	*local = *fold;
	for (int s = 0; s < DATASET_NSPLITS; s++) {
		local->rows[s] = xmalloc((fold->nrows[s] ? fold->nrows[s] : 1) * sizeof(uint32_t));
		for (size_t i = 0; i < fold->nrows[s]; i++)
			local->rows[s][i] = newpos[fold->rows[s][i]];
	}
	struct dataset_frame *sub = dataset_frame_take(f, rows, k);
	free(rows);
	free(newpos);
	return sub;
}

/* "name (n)" for the first k keys of {name: n} in descending count order; "" for none. */
static char *top_counts(const json_t *by, size_t k)
{
	size_t n = json_object_size(by), i = 0;
	const char **names = xcalloc(n ? n : 1, sizeof(char *));
	const char *key;
	const json_t *v;
	json_object_foreach((json_t *)by, key, v) names[i++] = key;
	for (size_t a = 1; a < n; a++) /* insertion sort, count descending then name */
		for (size_t b = a; b > 0; b--) {
			json_int_t x = json_integer_value(json_object_get(by, names[b - 1])),
				   y = json_integer_value(json_object_get(by, names[b]));
			if (x > y || (x == y && strcmp(names[b - 1], names[b]) <= 0))
				break;
			const char *t = names[b];
			names[b] = names[b - 1];
			names[b - 1] = t;
		}
	struct buf b = BUF_INIT;
	for (i = 0; i < n && i < k; i++)
		buf_addf(&b, "%s%s (%lld)", i ? ", " : "", names[i], (long long)json_integer_value(json_object_get(by, names[i])));
	if (n > k)
		buf_addf(&b, " and %zu more", n - k);
	free(names);
	return buf_detach(&b, NULL);
}

/* The warning for rows whose missing values were imputed (fill), or NULL. */
static char *imputed_warning(const json_t *mv, const struct dataset_prep_config *cfg)
{
	json_int_t rows = json_integer_value(json_object_get(mv, "rows_missing")),
		   all = json_integer_value(json_object_get(mv, "rows"));
	if (cfg->missing != DATASET_MISSING_FILL || rows == 0)
		return NULL;
	char *feats = top_counts(json_object_get(mv, "missing_by_feature"), 3);
	const json_t *res = json_object_get(mv, "by_resource");
	char *why = json_object_size(res) ? top_counts(res, 3) : NULL;
	char *w = xasprintf("%lld of %lld rows (%.0f%%) have imputed values because an input was missing%s%s; features"
			    " (rows): %s; %s", (long long)rows, (long long)all, all ? 100.0 * (double)rows / (double)all : 0.0,
			    why ? "; missing inputs (rows): " : "", why ? why : "", feats,
			    cfg->missing_indicators ? "the <feature>_missing columns flag them"
						    : "set preprocessing_config.missing_indicators: true to flag them, or"
						      " missing_values_strategy: drop_row to drop them");
	free(feats);
	free(why);
	return w;
}

int dataset_generate(struct dataset_generate_result *out, struct dataset_frame *f,
		     const struct dataset_generate_config *cfg, const char *outdir, struct err *e)
{
	memset(out, 0, sizeof(*out));
	size_t rows_in = f->nrows;
	json_t *missing = dataset_preprocess_missing_summary(f, &cfg->prep);
	if (json_object_size(cfg->missing_by_resource))
		json_object_set_new(missing, "by_resource", json_deep_copy(cfg->missing_by_resource));
	json_t *indicators = NULL;
	int rc = dataset_preprocess_add_indicators(f, &cfg->prep, &indicators, e);
	json_object_set_new(missing, "indicators", indicators);
	json_t *pre_dropped = NULL;
	dataset_preprocess_drop_rows(f, &cfg->prep, &pre_dropped);
	struct dataset_split_result sr = DATASET_SPLIT_RESULT_INIT;
	if (rc >= 0)
		rc = dataset_split(&sr, f, &cfg->split, e);
	json_t *folds = json_array();
	for (size_t i = 0; i < sr.nfolds && rc == 0; i++) {
		if (sr.nfolds == 1) {
			rc = run_fold(out, folds, f, &sr.folds[0], cfg, outdir, pre_dropped, e);
			continue;
		}
		/* Each fold fits its own transform: work on a copy of the fold's rows. */
		struct dataset_fold local;
		struct dataset_frame *sub = fold_frame(f, &sr.folds[i], &local);
		rc = run_fold(out, folds, sub, &local, cfg, outdir, pre_dropped, e);
		for (int s = 0; s < DATASET_NSPLITS; s++)
			free(local.rows[s]);
		dataset_frame_free(sub);
	}
	json_t *m = json_object();
	json_object_set_new(m, "rows_in", json_integer((json_int_t)rows_in));
	json_object_set_new(m, "missing_values", missing);
	if (json_array_size(folds) == 1)
		json_object_update(m, json_array_get(folds, 0));
	json_object_set_new(m, "folds", folds);
	/* Several folds: the top level says what was dropped before splitting, and each row a fold dropped, once. */
	if (!json_object_get(m, "dropped")) {
		json_t *d = json_array();
		if (pre_dropped && json_integer_value(json_object_get(pre_dropped, "count")) > 0)
			json_array_append(d, pre_dropped);
		if (sr.dropped)
			json_array_extend(d, sr.dropped);
		json_object_set_new(m, "dropped", d);
	}
	dataset_split_result_release(&sr);
	json_t *warnings = json_object_get(m, "warnings");
	if (!json_is_array(warnings)) {
		warnings = json_array();
		json_object_set_new(m, "warnings", warnings);
	} else {
		warnings = json_copy(warnings); /* a single fold's array is shared with folds[0] */
		json_object_set_new(m, "warnings", warnings);
	}
	const char *drop_warning = core_json_str(pre_dropped, "warning", NULL);
	if (drop_warning)
		json_array_append_new(warnings, json_string(drop_warning));
	char *iw = imputed_warning(missing, &cfg->prep);
	if (iw)
		json_array_append_new(warnings, json_string(iw));
	free(iw);
	json_decref(pre_dropped);
	out->manifest = m;
	return rc < 0 ? rc : 0;
}

void dataset_generate_result_release(struct dataset_generate_result *r)
{
	for (size_t i = 0; i < r->nfiles; i++) {
		free(r->files[i].fold);
		free(r->files[i].path);
		free(r->files[i].relpath);
		json_decref(r->files[i].class_distribution);
		json_decref(r->files[i].group_distribution);
	}
	free(r->files);
	json_decref(r->manifest);
	memset(r, 0, sizeof(*r));
}
