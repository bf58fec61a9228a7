/*
 * YAML to JSON (jansson) through libyaml, for scenario files. Plain scalars
 * are typed the YAML 1.2 core way (null/~, true/false, integers, floats);
 * quoted scalars stay strings. Anchors and aliases are refused (a scenario
 * file has no use for them). The caller owns the returned json_t.
 * Nesting deeper than YAML_JSON_MAX_DEPTH is refused (ERR_INPUT naming the
 * line) before the recursive conversion could exhaust the stack.
 */
#ifndef PIPELINE_YAML_JSON_H
#define PIPELINE_YAML_JSON_H
#include <jansson.h>
#include "core/err.h"

#define YAML_JSON_MAX_DEPTH 64

json_t *yaml_to_json(const char *text, size_t len, const char *what, struct err *e);

#endif
