/*
 * The demo's scenario: every build of the demo world, the whole pre-build
 * feature catalogue plus log_* (post-build, to show the leakage warning in
 * the manifest), stratified_within_group by repository, all three formats.
 */
#ifndef PIPELINE_DEMO_H
#define PIPELINE_DEMO_H
#include <jansson.h>
#include <stdint.h>
#include "store/store.h"

#define DEMO_SOURCE_NAME "demo-world"
#define DEMO_SCENARIO_NAME "ciminer demo"

/* A validated scenario configuration (the caller owns it). */
json_t *demo_scenario_config(int64_t source_id, struct err *e);
/* Id of the build source named name, or 0 when none. */
int demo_find_source(struct store *s, const char *name, int64_t *id, struct err *e);
/* Deletes every scenario named name (and its files). */
int demo_drop_scenarios(struct store *s, const char *data_dir, const char *name, struct err *e);

#endif
