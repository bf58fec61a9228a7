/*
 * Dataset generation in one call, for the pipeline's `scenario generate`
 * (issue 7): drop rows with missing features (drop_row) -> split -> per fold:
 * fit preprocessing on train, apply, write train/val/test in every format,
 * compute the baselines, and build the manifest fragment.
 *
 * The caller builds the frame (dataset/frame.h) with the columns in output
 * order: features (FEATURE, catalogue types), `outcome` (LABEL, int64 1 =
 * failed), then build_id, repo_name, commit_sha, ci_provider, started_at,
 * language (META), and optional KEY columns (`prev_outcome`: the previous
 * finished build's outcome in the same repository, for the Parrot baseline;
 * `repo_fail_rate`; `conclusion` when stratify_by is conclusion). Under the
 * travistorrent naming the caller names the id column `tr_build_id` and sets
 * cfg.split.id_col accordingly.
 *
 * Files go to <outdir>/train.<ext>, val.<ext>, test.<ext>, or under
 * <outdir>/fold-<group>/ for leave_one_out without test_groups. All three
 * splits are always written (an empty split gives a file with the schema and
 * no rows, and a warning). The caller writes manifest.json, adding its own
 * keys to result.manifest, and one TrainingDatasetSplit row per entry of
 * result.files.
 */
#ifndef DATASET_GENERATE_H
#define DATASET_GENERATE_H
#include <jansson.h>
#include "core/err.h"
#include "dataset/baseline.h"
#include "dataset/frame.h"
#include "dataset/preprocess.h"
#include "dataset/split.h"
#include "dataset/write.h"

struct dataset_generate_config {
	struct dataset_split_config split;
	struct dataset_prep_config prep;
	enum dataset_format formats[DATASET_FMT_COUNT]; /* distinct, in the order listed */
	size_t nformats;
	struct dataset_write_opts write;
	struct dataset_baseline_config baseline;
	/* Optional, not owned: the caller's {resource: rows} behind the missing values (scenario generate's
	 * feature vectors name them); it goes into the manifest's missing_values and its warning. */
	const json_t *missing_by_resource;
};

/* Defaults: DESIGN.md §9 (stratified_within_group by repo_name, 0.7/0.15/0.15, seed 42, parquet, metadata on). */
void dataset_generate_config_init(struct dataset_generate_config *c);
void dataset_generate_config_release(struct dataset_generate_config *c);
/*
 * Reads splitting_config, preprocessing_config and output_config (formats,
 * include_metadata; no "compression": the validator refuses it, Parquet is snappy) from a
 * scenario object over the defaults. ERR_INPUT names the offending key.
 */
int dataset_generate_config_from_json(struct dataset_generate_config *c, const json_t *scenario, struct err *e);

struct dataset_output_file {
	char *fold;                 /* NULL, or "fold-<group>" */
	int split;                  /* DATASET_TRAIN / VAL / TEST */
	enum dataset_format format;
	char *path;                 /* absolute (outdir joined with relpath) */
	char *relpath;              /* relative to outdir */
	struct dataset_file_info info;
	size_t feature_count;
	json_t *class_distribution; /* owned: {"0": n, "1": n} */
	json_t *group_distribution; /* owned, or NULL */
	int64_t duration_usec;      /* time spent writing this file */
};

struct dataset_generate_result {
	/*
	 * {"rows_in": n, "missing_values": dataset_preprocess_missing_summary()
	 * (+ "by_resource", "indicators": {column: feature}), "folds":
	 * [dataset_manifest_fold()...], "dropped", "warnings"} — with a single
	 * dataset the fold's keys are also copied to the top level. With several
	 * folds the top-level "dropped" counts distinct rows (split.h).
	 */
	json_t *manifest;
	struct dataset_output_file *files;
	size_t nfiles, files_cap;
};
#define DATASET_GENERATE_RESULT_INIT { NULL, NULL, 0, 0 }

/*
 * Runs the whole generation on f, which it modifies (rows dropped, features
 * transformed in place). ERR_INPUT for unusable input (missing columns, empty
 * frame or train split), ERR_IO when a file cannot be written (files already
 * written stay; the caller removes outdir on failure).
 */
int dataset_generate(struct dataset_generate_result *out, struct dataset_frame *f,
		     const struct dataset_generate_config *cfg, const char *outdir, struct err *e);
void dataset_generate_result_release(struct dataset_generate_result *r);

#endif
