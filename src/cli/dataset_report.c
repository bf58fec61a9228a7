/* The dataset report of `scenario generate --wait` and `demo` (see dataset_report.h). */
#include "cli/dataset_report.h"
#include "core/json.h"
#include "core/xalloc.h"
#include <stdio.h>
#include <string.h>

static const char *const split_names[] = { "train", "val", "test" };

/* {"train": {"rows", "class_distribution"}, ...} from a manifest fold's "splits". */
static json_t *splits_of(const json_t *splits)
{
	json_t *o = json_object();
	for (int i = 0; i < 3; i++) {
		const json_t *s = json_object_get(splits, split_names[i]);
		json_object_set_new(o, split_names[i],
				    json_pack("{s:I, s:O*}", "rows", (json_int_t)core_json_int(s, "rows", 0),
					      "class_distribution", json_object_get(s, "class_distribution")));
	}
	return o;
}

/* Adds each entry of a manifest "dropped" array to by_reason ({reason: rows}). */
static void add_drops(json_t *by_reason, const json_t *dropped)
{
	size_t i;
	const json_t *d;
	json_array_foreach(dropped, i, d) {
		const char *reason = core_json_str(d, "reason", "other");
		json_int_t n = (json_int_t)core_json_int(by_reason, reason, 0) + (json_int_t)core_json_int(d, "count", 0);
		json_object_set_new(by_reason, reason, json_integer(n));
	}
}

json_t *cli_dataset_report(const json_t *sc, const char *data_dir, int64_t sid)
{
	char *dir = xasprintf("%s/datasets/%lld", data_dir, (long long)sid);
	char *mpath = xasprintf("%s/manifest.json", dir);
	json_t *man = json_load_file(mpath, 0, NULL);
	json_t *r = json_object();
	json_object_set_new(r, "scenario_id", json_integer((json_int_t)sid));
	json_object_set_new(r, "status", json_string(core_json_str(sc, "status", "?")));
	static const char *const counters[][2] = {
		{ "total", "builds_total" },	 { "ingested", "builds_ingested" },
		{ "missing_resource", "builds_missing_resource" }, { "failed", "builds_failed" },
		{ "processed", "builds_processed" }, { "partial", "builds_partial" },
		{ "processing_failed", "builds_processing_failed" },
	};
	json_t *builds = json_object();
	for (size_t i = 0; i < sizeof(counters) / sizeof(counters[0]); i++)
		json_object_set_new(builds, counters[i][0], json_integer((json_int_t)core_json_int(sc, counters[i][1], 0)));
	json_object_set_new(r, "builds", builds);
	if (man) {
		json_object_set_new(r, "features", json_integer((json_int_t)json_array_size(json_object_get(man, "feature_columns"))));
		json_t *drops = json_object();
		json_object_set_new(drops, "rows_without_outcome",
				    json_integer((json_int_t)core_json_int(man, "rows_without_outcome", 0)));
		add_drops(drops, json_object_get(man, "dropped"));
		const json_t *folds = json_object_get(man, "folds");
		if (json_object_get(man, "splits")) {
			json_object_set_new(r, "splits", splits_of(json_object_get(man, "splits")));
		} else {
			json_t *fl = json_array();
			size_t i;
			const json_t *fo;
			json_array_foreach(folds, i, fo) {
				/* The fold's own drops after the split (gaps, unlisted groups): the top level counts each
				 * row once, however many folds dropped it. */
				json_t *fd = json_object();
				size_t k;
				const json_t *d;
				json_array_foreach(json_object_get(fo, "dropped"), k, d)
					if (strcmp(core_json_str(d, "reason", ""), "missing_feature") != 0)
						json_object_set_new(fd, core_json_str(d, "reason", "other"),
								    json_integer((json_int_t)core_json_int(d, "count", 0)));
				json_array_append_new(fl, json_pack("{s:O*, s:o, s:o}", "fold", json_object_get(fo, "fold"), "splits",
								    splits_of(json_object_get(fo, "splits")), "dropped", fd));
			}
			json_object_set_new(r, "folds", fl);
		}
		json_object_set_new(r, "dropped", drops);
		json_object_set(r, "missing_values", json_object_get(man, "missing_values") ? json_object_get(man, "missing_values")
												: json_null());
		json_object_set(r, "excluded_builds", json_object_get(man, "excluded_builds") ? json_object_get(man, "excluded_builds")
												: json_array());
		json_object_set(r, "baselines", json_object_get(man, "baselines") ? json_object_get(man, "baselines")
										   : json_null());
		json_object_set(r, "warnings", json_object_get(man, "warnings") ? json_object_get(man, "warnings")
										 : json_array());
		json_t *files = json_array();
		size_t i;
		const json_t *f;
		json_array_foreach(json_object_get(man, "files"), i, f) {
			char *p = xasprintf("%s/%s", dir, core_json_str(f, "path", ""));
			json_array_append_new(files, json_string(p));
			free(p);
		}
		json_object_set_new(r, "files", files);
		json_object_set_new(r, "manifest", json_string(mpath));
	}
	json_object_set_new(r, "dataset_dir", json_string(dir));
	json_decref(man);
	free(mpath);
	free(dir);
	return r;
}

static void print_splits(const char *indent, const json_t *splits)
{
	for (int i = 0; i < 3; i++) {
		const json_t *s = json_object_get(splits, split_names[i]);
		const json_t *cd = json_object_get(s, "class_distribution");
		printf("%s%-5s       %lld rows  (passed %lld, failed %lld)\n", indent, split_names[i],
		       (long long)core_json_int(s, "rows", 0), (long long)core_json_int(cd, "0", 0),
		       (long long)core_json_int(cd, "1", 0));
	}
}

/* "a 3, b 1" of {name: n}. */
static void print_counts(const json_t *by)
{
	const char *k;
	const json_t *v;
	int first = 1;
	json_object_foreach((json_t *)by, k, v) {
		printf("%s%s %lld", first ? "" : ", ", k, (long long)json_integer_value(v));
		first = 0;
	}
}

/* The rows that lacked feature values, and what the strategy did with them. */
static void print_missing(const json_t *mv)
{
	if (!mv)
		return;
	long long miss = core_json_int(mv, "rows_missing", 0), na = core_json_int(mv, "rows_not_applicable", 0);
	printf("  missing:    %lld of %lld rows lack an input", miss, (long long)core_json_int(mv, "rows", 0));
	if (json_object_size(json_object_get(mv, "by_resource"))) {
		printf(" (");
		print_counts(json_object_get(mv, "by_resource"));
		printf(")");
	}
	printf(" for %zu features; %lld rows have features that do not apply (pr_* of a push build...)\n",
	       json_object_size(json_object_get(mv, "missing_by_feature")), na);
	if (miss || na)
		printf("              %s: %s\n", core_json_str(mv, "strategy", "?"), core_json_str(mv, "handling", ""));
	if (json_object_size(json_object_get(mv, "indicators")))
		printf("              %zu <feature>_missing indicator columns (manifest.json: missing_values.indicators)\n",
		       json_object_size(json_object_get(mv, "indicators")));
}

void cli_dataset_report_print(const json_t *r)
{
	const json_t *b = json_object_get(r, "builds");
	printf("  ingestion:  %lld builds: %lld ingested, %lld missing_resource, %lld failed\n",
	       (long long)core_json_int(b, "total", 0), (long long)core_json_int(b, "ingested", 0),
	       (long long)core_json_int(b, "missing_resource", 0), (long long)core_json_int(b, "failed", 0));
	printf("  processing: %lld feature vectors (%lld partial), %lld failed; %lld missing_resource builds not"
	       " processed\n",
	       (long long)core_json_int(b, "processed", 0), (long long)core_json_int(b, "partial", 0),
	       (long long)core_json_int(b, "processing_failed", 0), (long long)core_json_int(b, "missing_resource", 0));
	if (!json_object_get(r, "manifest")) {
		printf("  no dataset written yet\n");
		return;
	}
	printf("  features:   %lld model inputs (manifest.json: feature_columns)\n",
	       (long long)core_json_int(r, "features", 0));
	const json_t *folds = json_object_get(r, "folds");
	if (folds) {
		size_t i;
		const json_t *fo;
		json_array_foreach(folds, i, fo) {
			printf("  %s\n", core_json_str(fo, "fold", "?"));
			print_splits("    ", json_object_get(fo, "splits"));
			const char *k;
			const json_t *v;
			json_object_foreach((json_t *)json_object_get(fo, "dropped"), k, v)
				printf("    dropped     %lld %s (in this fold)\n", (long long)json_integer_value(v), k);
		}
	} else {
		print_splits("  ", json_object_get(r, "splits"));
	}
	const char *k;
	const json_t *v;
	int any = 0;
	printf("  dropped:    ");
	json_object_foreach((json_t *)json_object_get(r, "dropped"), k, v) {
		if (json_integer_value(v) == 0)
			continue;
		printf("%s%lld %s", any ? ", " : "", (long long)json_integer_value(v), k);
		any = 1;
	}
	printf("%s\n", !any ? "none" : folds ? " (each row once, however many folds dropped it)" : "");
	print_missing(json_object_get(r, "missing_values"));
	const json_t *bl = json_object_get(r, "baselines");
	static const char *names[] = { "majority_class", "parrot", "fail_rate_so_far" };
	for (int i = 0; i < 3; i++) {
		const json_t *x = json_object_get(bl, names[i]);
		if (!x)
			continue;
		const json_t *auc = json_object_get(x, "roc_auc");
		char aucs[32] = "n/a";
		if (json_is_number(auc))
			snprintf(aucs, sizeof(aucs), "%.3f", json_number_value(auc));
		printf("  baseline %-17s accuracy %.3f  F1(failed) %.3f  ROC AUC %s\n", names[i],
		       core_json_real(x, "accuracy", 0), core_json_real(x, "f1", 0), aucs);
	}
	const json_t *warn = json_object_get(r, "warnings");
	size_t i;
	const json_t *w;
	json_array_foreach(warn, i, w)
		if (i < 5)
			printf("  warning: %s\n", json_string_value(w));
	if (json_array_size(warn) > 5)
		printf("  (%zu more warnings in manifest.json)\n", json_array_size(warn) - 5);
	printf("  files:      %s/ (%zu files, manifest.json)\n", core_json_str(r, "dataset_dir", "?"),
	       json_array_size(json_object_get(r, "files")));
}
