/* The dataset layer's manifest fragment (manifest.h). */
#include "dataset/manifest.h"

static void append_dropped(json_t *dst, const json_t *src)
{
	if (!src)
		return;
	if (json_is_object(src)) {
		if (json_integer_value(json_object_get(src, "count")) > 0)
			json_array_append_new(dst, json_deep_copy(src));
		return;
	}
	size_t i;
	const json_t *v;
	json_array_foreach(src, i, v) append_dropped(dst, v);
}

json_t *dataset_manifest_fold(const struct dataset_fold *fold, const json_t *prep_params,
			      const struct dataset_manifest_file *files, size_t nfiles, const json_t *baselines,
			      const json_t *preprocess_dropped)
{
	json_t *o = json_object();
	const json_t *rep = fold->report;
	json_object_set_new(o, "fold", fold->name ? json_string(fold->name) : json_null());
	if (fold->held_out)
		json_object_set_new(o, "held_out_group", json_string(fold->held_out));
	json_t *splits = json_object();
	const json_t *cls = json_object_get(rep, "class_distribution"), *grp = json_object_get(rep, "group_distribution");
	for (int s = 0; s < DATASET_NSPLITS; s++) {
		const char *name = dataset_split_names[s];
		json_t *so = json_object();
		json_object_set_new(so, "rows", json_integer((json_int_t)fold->nrows[s]));
		json_object_set_new(so, "class_distribution", json_deep_copy(json_object_get(cls, name)));
		if (grp)
			json_object_set_new(so, "group_distribution", json_deep_copy(json_object_get(grp, name)));
		json_object_set_new(splits, name, so);
	}
	json_object_set_new(o, "splits", splits);
	json_t *split = json_deep_copy(rep);
	json_object_del(split, "warnings");
	json_object_del(split, "dropped");
	json_object_set_new(o, "split", split);
	json_object_set_new(o, "preprocessing", prep_params ? json_deep_copy(prep_params) : json_null());
	json_t *fl = json_array();
	for (size_t i = 0; i < nfiles; i++) {
		const struct dataset_manifest_file *f = &files[i];
		json_array_append_new(fl, json_pack("{s:s, s:s, s:s, s:I, s:s, s:I, s:I}", "split",
						    dataset_split_names[f->split], "format", dataset_format_name(f->format),
						    "path", f->path, "bytes", (json_int_t)f->info.bytes, "sha256",
						    f->info.sha256, "rows", (json_int_t)f->info.rows, "columns",
						    (json_int_t)f->info.columns));
	}
	json_object_set_new(o, "files", fl);
	json_object_set_new(o, "baselines", baselines ? json_deep_copy(baselines) : json_null());
	json_t *dropped = json_array();
	append_dropped(dropped, preprocess_dropped);
	append_dropped(dropped, json_object_get(rep, "dropped"));
	json_object_set_new(o, "dropped", dropped);
	json_object_set_new(o, "warnings", json_deep_copy(json_object_get(rep, "warnings")));
	return o;
}
