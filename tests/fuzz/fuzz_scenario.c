/*
 * libFuzzer target for scenario files (src/pipeline/scenario_config.c and
 * yaml_json.c): each input is loaded twice through scenario_config_load(),
 * as a .json and as a .yaml file, with the real feature-catalogue check.
 * Besides "no crash", it checks that a refusal says why, and that a
 * configuration accepted once is accepted again unchanged: validating the
 * effective configuration (defaults written back) is a fixed point, which is
 * what `scenario show` and a re-created scenario rely on.
 */
#include "fuzz_support.h"
#include "core/json.h"
#include "pipeline/scenario_config.h"
#include <stdio.h>
#include <stdlib.h>

static void load(const char *name, const uint8_t *data, size_t size)
{
	struct err e = ERR_INIT;
	json_t *doc = NULL;
	if (scenario_config_load(&doc, fuzz_write(name, data, size), scenario_features_check, &e) != 0) {
		if (!e.msg[0])
			abort(); /* refused without a reason */
		return;
	}
	char *text = core_json_dumps(doc);
	json_t *again = json_loads(text, 0, NULL);
	if (!again || scenario_config_validate(again, scenario_features_check, &e) != 0) {
		fprintf(stderr, "fuzz_scenario: the effective configuration %s is refused: %s\n", text, e.msg);
		abort();
	}
	if (!json_equal(doc, again)) {
		char *t2 = core_json_dumps(again);
		fprintf(stderr, "fuzz_scenario: validation is not a fixed point:\n%s\n%s\n", text, t2);
		abort();
	}
	free(text);
	json_decref(again);
	json_decref(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	load("scenario.json", data, size);
	load("scenario.yaml", data, size);
	return 0;
}
