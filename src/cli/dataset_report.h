/*
 * What a generated dataset holds, for `scenario generate --wait` and `demo`:
 * builds per phase, rows per split with their class balance, the rows dropped
 * by reason, the baselines a model must beat, the warnings and the files.
 * One routine builds it as JSON from the scenario and its manifest.json (so
 * `--json` prints the same facts as one document) and one prints it as text.
 */
#ifndef CLI_DATASET_REPORT_H
#define CLI_DATASET_REPORT_H
#include <jansson.h>
#include <stdint.h>

/*
 * {"scenario_id", "status", "builds": {total, ingested, missing_resource,
 * failed, processed, partial, processing_failed, not_processed_missing_resource},
 * "features", "splits": {"train": {"rows", "class_distribution"}, ...},
 * "folds" (leave_one_out folds), "dropped": {"rows_without_outcome", "<reason>": n, ...},
 * "baselines", "warnings", "dataset_dir", "manifest", "files": [paths]}.
 * scenario is scenario_load()'s object (borrowed); NULL manifest fields are
 * left out when the dataset has not been written. The caller frees.
 */
json_t *cli_dataset_report(const json_t *scenario, const char *data_dir, int64_t sid);
/* The report as text on stdout, a few lines. */
void cli_dataset_report_print(const json_t *report);

#endif
