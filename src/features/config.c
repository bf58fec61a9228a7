/*
 * feature_config (dag_features, exclude, extractor_configs) and
 * output_config.naming, read from a scenario's JSON into a plan config.
 * Every refusal names the key and the value so that the user can fix the
 * scenario file; nothing is half-applied (the config is only written on
 * success of each key, and the caller discards it on error).
 */
#include "features/engine.h"
#include "core/json.h"
#include "core/xalloc.h"
#include "git/classify.h"
#include <ctype.h>
#include <string.h>

void feat_plan_config_init(struct feat_plan_config *c)
{
	memset(c, 0, sizeof(*c));
	c->naming = FEAT_NAMING_NATIVE;
	c->extract.lookback_days = 90;
}

void feat_plan_config_release(struct feat_plan_config *c)
{
	strvec_clear(&c->features);
	strvec_clear(&c->exclude);
	strvec_clear(&c->extract.test_frameworks);
	strvec_clear(&c->extract.source_languages);
	feat_plan_config_init(c);
}

/* A JSON array of strings (or one string) into sv, lower-cased when lower. */
static int read_strings(struct strvec *sv, const json_t *v, const char *key, int lower, struct err *e)
{
	if (!v || json_is_null(v))
		return 0;
	if (json_is_string(v)) {
		strvec_push(sv, json_string_value(v));
	} else if (json_is_array(v)) {
		size_t i;
		json_t *it;
		json_array_foreach(v, i, it) {
			if (!json_is_string(it))
				return err_set(e, ERR_INPUT, "%s[%zu]: expected a string", key, i);
			strvec_push(sv, json_string_value(it));
		}
	} else {
		return err_set(e, ERR_INPUT, "%s: expected a list of strings", key);
	}
	for (size_t i = 0; lower && i < sv->n; i++)
		for (char *p = sv->v[i]; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	return 0;
}

static int read_extract(struct feat_config *x, const json_t *ec, struct err *e)
{
	if (!ec || json_is_null(ec))
		return 0;
	if (!json_is_object(ec))
		return err_set(e, ERR_INPUT, "feature_config.extractor_configs: expected an object");
	const json_t *lb = json_object_get(ec, "lookback_days");
	if (lb && !json_is_null(lb)) {
		if (!json_is_integer(lb) || json_integer_value(lb) < 1 || json_integer_value(lb) > 3650)
			return err_set(e, ERR_INPUT,
				       "feature_config.extractor_configs.lookback_days: expected a whole number of days "
				       "from 1 to 3650");
		x->lookback_days = (int)json_integer_value(lb);
	}
	int rc = read_strings(&x->test_frameworks, json_object_get(ec, "test_frameworks"),
			      "feature_config.extractor_configs.test_frameworks", 1, e);
	if (rc)
		return rc;
	struct strvec langs = STRVEC_INIT;
	rc = read_strings(&langs, json_object_get(ec, "source_languages"),
			  "feature_config.extractor_configs.source_languages", 0, e);
	for (size_t i = 0; i < langs.n && rc == 0; i++) {
		int l = git_classify_lang_from_name(langs.v[i]);
		if (l == GIT_LANG_NONE)
			rc = err_set(e, ERR_INPUT,
				     "feature_config.extractor_configs.source_languages: unknown language '%s' "
				     "(use names such as python, java, c++, c#, javascript, go)",
				     langs.v[i]);
		else {
			x->lang_mask |= 1ull << l;
			strvec_push(&x->source_languages, git_classify_lang_name(l));
		}
	}
	strvec_clear(&langs);
	return rc;
}

/*
 * scan_metrics names metrics of the scanner layer (trivy, sonarqube), which
 * does not exist yet: a non-empty list is refused rather than silently giving
 * a dataset without the columns asked for.
 */
static int read_scan_metrics(const json_t *sm, struct err *e)
{
	if (!sm || json_is_null(sm))
		return 0;
	if (!json_is_object(sm))
		return err_set(e, ERR_INPUT, "feature_config.scan_metrics: expected an object");
	const char *k;
	const json_t *v;
	json_object_foreach((json_t *)sm, k, v)
		if (!json_is_null(v) && !(json_is_array(v) && json_array_size(v) == 0))
			return err_set(e, ERR_INPUT,
				       "feature_config.scan_metrics.%s: scan metrics need the scans layer, which this "
				       "version of ciminer does not have; remove the list (or leave it empty)",
				       k);
	return 0;
}

int feat_plan_config_from_json(struct feat_plan_config *c, const json_t *fc, const json_t *oc, struct err *e)
{
	if (fc && !json_is_null(fc)) {
		if (!json_is_object(fc))
			return err_set(e, ERR_INPUT, "feature_config: expected an object");
		int rc = read_strings(&c->features, json_object_get(fc, "dag_features"), "feature_config.dag_features",
				      0, e);
		if (!rc)
			rc = read_strings(&c->exclude, json_object_get(fc, "exclude"), "feature_config.exclude", 0, e);
		if (!rc)
			rc = read_extract(&c->extract, json_object_get(fc, "extractor_configs"), e);
		if (!rc)
			rc = read_scan_metrics(json_object_get(fc, "scan_metrics"), e);
		const json_t *allow = json_object_get(fc, "allow_post_build");
		if (!rc && allow && !json_is_null(allow)) {
			if (!json_is_boolean(allow))
				rc = err_set(e, ERR_INPUT, "feature_config.allow_post_build: must be true or false");
			else
				c->allow_post_build = json_is_true(allow);
		}
		if (rc)
			return rc;
	}
	if (oc && json_is_object(oc)) {
		const json_t *n = json_object_get(oc, "naming");
		if (n && !json_is_null(n)) {
			const char *s = json_is_string(n) ? json_string_value(n) : "";
			if (!strcmp(s, "native"))
				c->naming = FEAT_NAMING_NATIVE;
			else if (!strcmp(s, "travistorrent"))
				c->naming = FEAT_NAMING_TRAVISTORRENT;
			else
				return err_set(e, ERR_INPUT, "output_config.naming: '%s' is not native or travistorrent",
					       s);
		}
	}
	return 0;
}
