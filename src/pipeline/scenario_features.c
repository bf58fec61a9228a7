/* The scenario configuration's feature check and a stored scenario's plan, over the features layer's catalogue. */
#include "pipeline/scenario_config.h"
#include "features/engine.h"
#include "store/scenarios.h"
#include "store/store.h"
#include <stdlib.h>

int scenario_features_check(const json_t *doc, struct err *e)
{
	struct feat_plan_config pc;
	struct feat_plan *plan = NULL;
	feat_plan_config_init(&pc);
	int rc = feat_plan_config_from_json(&pc, json_object_get(doc, "feature_config"),
					    json_object_get(doc, "output_config"), e);
	if (rc == 0)
		rc = feat_plan_new(&plan, feat_catalogue_default(), &pc, e);
	feat_plan_free(plan);
	feat_plan_config_release(&pc);
	return rc;
}

int scenario_feature_plan(struct store *s, int64_t scenario_id, struct feat_plan **plan, struct err *e)
{
	char *fc = NULL, *oc = NULL;
	int rc = scenarios_section(s, &fc, scenario_id, "feature_config", e);
	if (rc == 0)
		rc = scenarios_section(s, &oc, scenario_id, "output_config", e);
	json_t *fj = fc ? json_loads(fc, 0, NULL) : NULL, *oj = oc ? json_loads(oc, 0, NULL) : NULL;
	struct feat_plan_config pc;
	feat_plan_config_init(&pc);
	if (rc == 0)
		rc = feat_plan_config_from_json(&pc, fj, oj, e);
	if (rc == 0)
		rc = feat_plan_new(plan, feat_catalogue_default(), &pc, e);
	feat_plan_config_release(&pc);
	json_decref(fj);
	json_decref(oj);
	free(fc);
	free(oc);
	if (rc < 0)
		err_prefix(e, "scenario %lld feature_config", (long long)scenario_id);
	return rc;
}
