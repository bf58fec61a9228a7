/*
 * Scenario configuration (DESIGN.md §9): a JSON or YAML document with name,
 * description, version and the five sections data_source_config,
 * feature_config, splitting_config, preprocessing_config, output_config.
 *
 * scenario_config_load() parses and validates strictly, and returns the full
 * effective configuration with every default written in, so that `scenario
 * show` displays exactly what will run. Refusals are ERR_INPUT with the JSON
 * path of the problem first: "splitting_config.ratios: sum is 1.05, must be 1".
 *
 * Feature names, aliases and wildcards are checked through a callback (the
 * feature catalogue lives in a layer the configuration does not depend on):
 * scenario_features_check() resolves feature_config against the catalogue.
 */
#ifndef PIPELINE_SCENARIO_CONFIG_H
#define PIPELINE_SCENARIO_CONFIG_H
#include <jansson.h>
#include <stdint.h>
#include "core/err.h"

/* Limits checked at the door (docs/limits.md). */
#define SCENARIO_FILE_MAX (16u << 20)  /* bytes of a scenario file */
#define SCENARIO_MAX_DAYS 36500        /* gap_days and lookback_days: 100 years, far past any CI history */
#define SCENARIO_MAX_DAYS_S "36500"

typedef int (*scenario_feature_checker)(const json_t *doc, struct err *e);
/* Resolves feature_config (+ output_config.naming) against the catalogue; ERR_INPUT naming the problem. */
int scenario_features_check(const json_t *doc, struct err *e);

struct store;
struct feat_plan;
/* The feature plan of stored scenario scenario_id (its feature_config and output_config); *out is the
 * caller's (feat_plan_free). Used by ingestion (which inputs to fetch) and processing. */
int scenario_feature_plan(struct store *s, int64_t scenario_id, struct feat_plan **out, struct err *e);

/* Reads path (.json, .yaml/.yml; "-" reads JSON or YAML from stdin). *out is the caller's. */
int scenario_config_load(json_t **out, const char *path, scenario_feature_checker check,
			 struct err *e);
/* Validates an already-parsed document in place, adding defaults. */
int scenario_config_validate(json_t *doc, scenario_feature_checker check, struct err *e);

#endif
