/* The scenario configuration's feature check, over the features layer's catalogue. */
#include "pipeline/scenario_config.h"
#include "features/engine.h"

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
