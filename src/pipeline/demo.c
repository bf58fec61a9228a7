/* The demo's scenario and its bookkeeping (see demo.h). */
#include "pipeline/demo.h"
#include "pipeline/scenario.h"
#include "pipeline/scenario_config.h"
#include "features/engine.h"
#include "store/scenarios.h"
#include "store/sources.h"
#include <string.h>

json_t *demo_scenario_config(int64_t source_id, struct err *e)
{
	/* The default feature selection (empty dag_features): every pre-build feature except metadata (ids,
	 * timestamps, names), so the printed baselines and any model trained on the files are leakage-free.
	 * (pr_* come from the world's pulls.jsonl.) */
	json_t *cfg = json_pack(
		"{s:s, s:s, s:{s:s, s:[I]}, s:{s:[], s:[]}, s:{s:s, s:s, s:{s:f, s:f, s:f}, s:b, s:i},"
		" s:{s:s, s:s, s:s}, s:{s:[s, s, s]}}",
		"name", DEMO_SCENARIO_NAME, "description",
		"every build of the generated demo world; the default (pre-build) feature selection",
		"data_source_config", "filter_by", "all", "source_ids", (json_int_t)source_id,
		"feature_config", "dag_features", "exclude",
		"splitting_config", "strategy", "stratified_within_group", "group_by", "repo_name", "ratios", "train", 0.7,
		"val", 0.15, "test", 0.15, "temporal_ordering", 1, "seed", 42,
		"preprocessing_config", "missing_values_strategy", "fill", "fill_value", "median", "normalization_method",
		"z_score",
		"output_config", "formats", "parquet", "csv", "pickle");
	if (scenario_config_validate(cfg, scenario_features_check, e) < 0) {
		json_decref(cfg);
		return NULL;
	}
	return cfg;
}

int demo_find_source(struct store *s, const char *name, int64_t *id, struct err *e)
{
	*id = 0;
	int rc = sources_find_by_name(s, id, name, e);
	return rc == ERR_NOT_FOUND ? 0 : rc;
}

int demo_drop_scenarios(struct store *s, const char *data_dir, const char *name, struct err *e)
{
	int64_t *ids = NULL;
	size_t n = 0;
	int rc = scenarios_find_by_name(s, &ids, &n, name, e);
	for (size_t i = 0; rc >= 0 && i < n; i++)
		rc = scenario_delete(s, data_dir, ids[i], e);
	free(ids);
	return rc < 0 ? rc : 0;
}
