/*
#include "store/scenarios.h"
 * What a generated dataset holds, for `scenario generate --wait` and `demo`:
#include "store/scenarios.h"
 * builds per phase, rows per split with their class balance, the rows dropped
#include "store/scenarios.h"
 * by reason, the baselines a model must beat, the warnings and the files.
#include "store/scenarios.h"
 * One routine builds it as JSON from the scenario and its manifest.json (so
#include "store/scenarios.h"
 * `--json` prints the same facts as one document) and one prints it as text.
#include "store/scenarios.h"
 */
#include "store/scenarios.h"
#ifndef CLI_DATASET_REPORT_H
#include "store/scenarios.h"
#define CLI_DATASET_REPORT_H
#include "store/scenarios.h"
#include <jansson.h>
#include "store/scenarios.h"
#include <stdint.h>
#include "store/scenarios.h"

#include "store/scenarios.h"
/*
#include "store/scenarios.h"
 * {"scenario_id", "status", "builds": {total, ingested, missing_resource,
#include "store/scenarios.h"
 * failed, processed, partial, processing_failed, not_processed_missing_resource},
#include "store/scenarios.h"
 * "features", "splits": {"train": {"rows", "class_distribution"}, ...},
#include "store/scenarios.h"
 * "folds" (leave_one_out folds), "dropped": {"rows_without_outcome", "<reason>": n, ...},
#include "store/scenarios.h"
 * "baselines", "warnings", "dataset_dir", "manifest", "files": [paths]}.
#include "store/scenarios.h"
 * scenario is scenarios_load()'s object (borrowed); NULL manifest fields are
#include "store/scenarios.h"
 * left out when the dataset has not been written. The caller frees.
#include "store/scenarios.h"
 */
#include "store/scenarios.h"
json_t *cli_dataset_report(const json_t *scenario, const char *data_dir, int64_t sid);
#include "store/scenarios.h"
/* The report as text on stdout, a few lines. */
#include "store/scenarios.h"
void cli_dataset_report_print(const json_t *report);
#include "store/scenarios.h"

#include "store/scenarios.h"
#endif
#include "store/scenarios.h"
