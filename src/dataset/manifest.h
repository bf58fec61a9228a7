/*
 * The dataset layer's part of manifest.json (DESIGN.md §8, issue 7 §6): per
 * split row counts and class/group distributions, the split report, the
 * fitted preprocessing parameters, the files with their sha256, the
 * baselines, every dropped row with its reason, and warnings (a split with a
 * single class, a group in two splits under leave_one_out, rows sharing a
 * commit across groups). The pipeline adds the rest (ciminer version,
 * scenario, configuration, feature catalogue entries, post_build warnings).
 */
#ifndef DATASET_MANIFEST_H
#define DATASET_MANIFEST_H
#include <jansson.h>
#include "dataset/split.h"
#include "dataset/write.h"

struct dataset_manifest_file {
	int split;                  /* DATASET_TRAIN / VAL / TEST */
	enum dataset_format format;
	const char *path;           /* relative to the dataset folder, e.g. "fold-x/train.parquet" */
	struct dataset_file_info info;
};

/*
 * A new object (caller owns) for one fold:
 *   {"fold": name | null, "held_out_group"?: g,
 *    "splits": {"train": {"rows", "class_distribution", "group_distribution"?}, ...},
 *    "split": <fold->report without its warnings and dropped>,
 *    "preprocessing": prep_params (borrowed, copied), "files": [{"split", "format",
 *    "path", "bytes", "sha256", "rows", "columns"}], "baselines": baselines (copied) | null,
 *    "dropped": [preprocessing drops..., split drops...], "warnings": [...]}
 * preprocess_dropped may be NULL (an object or an array of objects with "reason" and "count").
 */
json_t *dataset_manifest_fold(const struct dataset_fold *fold, const json_t *prep_params,
			      const struct dataset_manifest_file *files, size_t nfiles, const json_t *baselines,
			      const json_t *preprocess_dropped);

#endif
