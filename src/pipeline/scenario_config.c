/* Strict validation of scenario files with defaults written back (see scenario_config.h). */
#include "pipeline/scenario_config.h"
#include "pipeline/yaml_json.h"
#include "core/suggest.h"
#include "core/buf.h"
#include "core/fs.h"
#include "core/json.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

enum ftype { F_STR, F_INT, F_NUM, F_BOOL, F_STRLIST, F_INTLIST, F_DATE, F_ENUM, F_ENUMLIST, F_OBJ, F_FILL };

struct field {
	const char *key;
	enum ftype t;
	const char *values;   /* enums: space-separated */
	const char *dflt;     /* JSON text of the default, NULL: optional without default */
	const struct field *sub;
};

static const struct field ratios_fields[] = {
	{ "train", F_NUM, NULL, "0.7", NULL }, { "val", F_NUM, NULL, "0.15", NULL }, { "test", F_NUM, NULL, "0.15", NULL },
	{ NULL, 0, NULL, NULL, NULL },
};
static const struct field scan_fields[] = {
	{ "trivy", F_STRLIST, NULL, "[]", NULL }, { "sonarqube", F_STRLIST, NULL, "[]", NULL },
	{ NULL, 0, NULL, NULL, NULL },
};
static const struct field extractor_fields[] = {
	{ "lookback_days", F_INT, NULL, "90", NULL },
	{ "test_frameworks", F_STRLIST, NULL, "[]", NULL },
	{ "source_languages", F_STRLIST, NULL, "[]", NULL },
	{ NULL, 0, NULL, NULL, NULL },
};
static const struct field data_source_fields[] = {
	{ "filter_by", F_ENUM, "all by_language by_name by_owner", "\"all\"", NULL },
	{ "languages", F_STRLIST, NULL, "[]", NULL },
	{ "repo_names", F_STRLIST, NULL, "[]", NULL },
	{ "owners", F_STRLIST, NULL, "[]", NULL },
	{ "source_ids", F_INTLIST, NULL, "[]", NULL },
	{ "date_start", F_DATE, NULL, "null", NULL },
	{ "date_end", F_DATE, NULL, "null", NULL },
	{ "conclusions", F_ENUMLIST, "success failure", "[\"success\", \"failure\"]", NULL },
	{ "ci_provider", F_ENUM, "all github_actions circleci travis local", "\"all\"", NULL },
	{ "exclude_bots", F_BOOL, NULL, "true", NULL },
	{ NULL, 0, NULL, NULL, NULL },
};
static const struct field feature_fields[] = {
	{ "dag_features", F_STRLIST, NULL, "[]", NULL },
	{ "exclude", F_STRLIST, NULL, "[]", NULL },
	{ "allow_post_build", F_BOOL, NULL, "false", NULL },
	{ "scan_metrics", F_OBJ, NULL, "{}", scan_fields },
	{ "extractor_configs", F_OBJ, NULL, "{}", extractor_fields },
	{ NULL, 0, NULL, NULL, NULL },
};
static const struct field splitting_fields[] = {
	{ "strategy", F_ENUM, "stratified_within_group leave_one_out time_series_split random_split",
	  "\"stratified_within_group\"", NULL },
	{ "group_by", F_ENUM, "repo_name language ci_provider", "\"repo_name\"", NULL },
	{ "stratify_by", F_ENUM, "outcome conclusion", "\"outcome\"", NULL },
	{ "ratios", F_OBJ, NULL, "{}", ratios_fields },
	{ "temporal_ordering", F_BOOL, NULL, "true", NULL },
	{ "seed", F_INT, NULL, "42", NULL },
	{ "gap_days", F_NUM, NULL, "0", NULL },
	{ "test_groups", F_STRLIST, NULL, "[]", NULL },
	{ "val_groups", F_STRLIST, NULL, "[]", NULL },
	{ "train_groups", F_STRLIST, NULL, "[]", NULL },
	{ NULL, 0, NULL, NULL, NULL },
};
static const struct field preprocessing_fields[] = {
	{ "missing_values_strategy", F_ENUM, "drop_row fill skip_feature", "\"fill\"", NULL },
	{ "fill_value", F_FILL, NULL, "\"median\"", NULL },
	{ "normalization_method", F_ENUM, "z_score min_max robust none", "\"z_score\"", NULL },
	{ "missing_indicators", F_BOOL, NULL, "false", NULL },
	{ "strict_mode", F_BOOL, NULL, "false", NULL },
	{ NULL, 0, NULL, NULL, NULL },
};
static const struct field output_fields[] = {
	{ "formats", F_ENUMLIST, "parquet csv pickle", "[\"parquet\"]", NULL },
	{ "include_metadata", F_BOOL, NULL, "true", NULL },
	{ "naming", F_ENUM, "native travistorrent", "\"native\"", NULL },
	{ NULL, 0, NULL, NULL, NULL },
};
static const struct field top_fields[] = {
	{ "name", F_STR, NULL, NULL, NULL },
	{ "description", F_STR, NULL, "\"\"", NULL },
	{ "version", F_STR, NULL, "\"1\"", NULL },
	{ "data_source_config", F_OBJ, NULL, "{}", data_source_fields },
	{ "feature_config", F_OBJ, NULL, "{}", feature_fields },
	{ "splitting_config", F_OBJ, NULL, "{}", splitting_fields },
	{ "preprocessing_config", F_OBJ, NULL, "{}", preprocessing_fields },
	{ "output_config", F_OBJ, NULL, "{}", output_fields },
	{ NULL, 0, NULL, NULL, NULL },
};

static const char *closest(const struct field *f, const char *key)
{
	const char *best = NULL;
	size_t bd = 4;
	for (; f->key; f++) {
		size_t d = suggest_distance(f->key, key);
		if (d < bd) {
			bd = d;
			best = f->key;
		}
	}
	return best;
}

static int bad(struct err *e, const char *path, const char *fmt, const char *a, const char *b)
{
	char msg[600];
	snprintf(msg, sizeof(msg), fmt, a ? a : "", b ? b : "");
	err_set(e, ERR_INPUT, "%s: %s", path, msg);
	return err_field(e, path);
}

/* "'got' is not one of a, b, c" for an enum whose values are space-separated. */
static int not_one_of(struct err *e, const char *path, const char *got, const char *values)
{
	struct strvec v = STRVEC_INIT;
	strvec_split(&v, values, ' ');
	char *list = strvec_join(&v, ", ");
	strvec_clear(&v);
	int rc = bad(e, path, "'%s' is not one of %s", got, list);
	free(list);
	return rc;
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "a list";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "a whole number";
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

static int check_object(json_t *obj, const struct field *fields, const char *path, struct err *e);

static int check_value(json_t *parent, const struct field *f, json_t *v, const char *path, struct err *e)
{
	switch (f->t) {
	case F_STR:
		if (json_is_integer(v) || json_is_real(v)) { /* "version: 2" is fine */
			char num[64];
			snprintf(num, sizeof(num), json_is_integer(v) ? "%.0f" : "%g", json_number_value(v));
			json_object_set_new(parent, f->key, json_string(num));
			return 0;
		}
		return json_is_string(v) ? 0 : bad(e, path, "must be a string, not %s", type_name(v), NULL);
	case F_INT:
		return json_is_integer(v) ? 0 : bad(e, path, "must be a whole number, not %s", type_name(v), NULL);
	case F_NUM:
		return json_is_number(v) ? 0 : bad(e, path, "must be a number, not %s", type_name(v), NULL);
	case F_BOOL:
		return json_is_boolean(v) ? 0 : bad(e, path, "must be true or false, not %s", type_name(v), NULL);
	case F_DATE: {
		if (json_is_null(v))
			return 0;
		const char *s = json_string_value(v);
		int64_t t;
		if (!s || strlen(s) != 10 || utc_parse(&t, s, NULL) < 0)
			return bad(e, path, "'%s' is not a date; write YYYY-MM-DD or null", s ? s : type_name(v), NULL);
		return 0;
	}
	case F_ENUM: {
		const char *s = json_string_value(v);
		if (s && str_has_word(f->values, s))
			return 0;
		return not_one_of(e, path, s ? s : type_name(v), f->values);
	}
	case F_FILL: {
		const char *s = json_string_value(v);
		if (json_is_number(v) || (s && (strcmp(s, "mean") == 0 || strcmp(s, "median") == 0)))
			return 0;
		return bad(e, path, "'%s' must be a number, \"mean\" or \"median\"", s ? s : type_name(v), NULL);
	}
	case F_STRLIST:
	case F_INTLIST:
	case F_ENUMLIST: {
		if (!json_is_array(v))
			return bad(e, path, "must be a list, not %s", type_name(v), NULL);
		size_t i;
		json_t *it;
		json_array_foreach(v, i, it) {
			char ip[340];
			snprintf(ip, sizeof(ip), "%s[%zu]", path, i);
			if (f->t == F_INTLIST && !json_is_integer(it))
				return bad(e, ip, "must be a whole number, not %s", type_name(it), NULL);
			if (f->t != F_INTLIST && !json_is_string(it))
				return bad(e, ip, "must be a string, not %s", type_name(it), NULL);
			if (f->t == F_ENUMLIST && !str_has_word(f->values, json_string_value(it)))
				return not_one_of(e, ip, json_string_value(it), f->values);
		}
		return 0;
	}
	case F_OBJ:
		if (!json_is_object(v))
			return bad(e, path, "must be an object, not %s", type_name(v), NULL);
		return check_object(v, f->sub, path, e);
	}
	return 0;
}

static int check_object(json_t *obj, const struct field *fields, const char *path, struct err *e)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		const struct field *f = fields;
		while (f->key && strcmp(f->key, key) != 0)
			f++;
		if (!f->key) {
			char p[300];
			snprintf(p, sizeof(p), "%s%s%s", path, *path ? "." : "", key);
			const char *near = closest(fields, key);
			if (near)
				return bad(e, p, "unknown key; did you mean %s?", near, NULL);
			return bad(e, p, "unknown key", NULL, NULL);
		}
	}
	for (const struct field *f = fields; f->key; f++) {
		char p[300];
		snprintf(p, sizeof(p), "%s%s%s", path, *path ? "." : "", f->key);
		json_t *have = json_object_get(obj, f->key);
		if (!have && !f->dflt)
			return bad(e, p, "is required", NULL, NULL);
		if (!have) {
			json_object_set_new(obj, f->key, json_loads(f->dflt, JSON_DECODE_ANY, NULL));
			have = json_object_get(obj, f->key);
		}
		int rc = check_value(obj, f, have, p, e);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int cross_checks(json_t *doc, scenario_feature_checker check, struct err *e)
{
	const char *name = json_string_value(json_object_get(doc, "name"));
	if (!name || !*name)
		return bad(e, "name", "must not be empty", NULL, NULL);
	json_t *ds = json_object_get(doc, "data_source_config");
	const char *by = core_json_str(ds, "filter_by", "all");
	static const struct { const char *by, *list; } needs[] = {
		{ "by_language", "languages" }, { "by_name", "repo_names" }, { "by_owner", "owners" } };
	for (size_t i = 0; i < 3; i++) {
		if (strcmp(by, needs[i].by) == 0 && json_array_size(json_object_get(ds, needs[i].list)) == 0) {
			char p[80];
			snprintf(p, sizeof(p), "data_source_config.%s", needs[i].list);
			return bad(e, p, "filter_by is %s, so this list must name at least one", needs[i].by, NULL);
		}
	}
	const char *ds_s = core_json_str(ds, "date_start", NULL), *de_s = core_json_str(ds, "date_end", NULL);
	if (ds_s && de_s && strcmp(ds_s, de_s) > 0)
		return bad(e, "data_source_config.date_start", "%s is after date_end %s", ds_s, de_s);
	json_t *pp = json_object_get(doc, "preprocessing_config");
	const char *strategy = core_json_str(pp, "missing_values_strategy", "fill");
	if (core_json_bool(pp, "missing_indicators", 0) && strcmp(strategy, "fill") != 0)
		return bad(e, "preprocessing_config.missing_indicators",
			   "needs missing_values_strategy: fill (with %s no value is imputed, so there is nothing to flag)",
			   strategy, NULL);
	json_t *sp = json_object_get(doc, "splitting_config");
	json_t *r = json_object_get(sp, "ratios");
	double tr = core_json_real(r, "train", 0), va = core_json_real(r, "val", 0), te = core_json_real(r, "test", 0);
	const char *parts[] = { "train", "val", "test" };
	double vals[] = { tr, va, te };
	for (int i = 0; i < 3; i++) {
		if (vals[i] < 0 || vals[i] > 1) {
			char p[80], num[32];
			snprintf(p, sizeof(p), "splitting_config.ratios.%s", parts[i]);
			snprintf(num, sizeof(num), "%g", vals[i]);
			return bad(e, p, "%s must be between 0 and 1", num, NULL);
		}
	}
	if (fabs(tr + va + te - 1.0) > 1e-9) {
		char num[32];
		snprintf(num, sizeof(num), "%.10g", tr + va + te);
		return bad(e, "splitting_config.ratios", "sum is %s, must be 1", num, NULL);
	}
	if (tr <= 0)
		return bad(e, "splitting_config.ratios.train", "must be above 0: a model needs training rows", NULL, NULL);
	double gap = core_json_real(sp, "gap_days", 0);
	if (gap < 0 || gap > SCENARIO_MAX_DAYS) {
		char num[32];
		snprintf(num, sizeof(num), "%g", gap);
		return bad(e, "splitting_config.gap_days", "%s is out of range; use 0 to " SCENARIO_MAX_DAYS_S " days", num,
			   NULL);
	}
	if (core_json_int(sp, "seed", 42) < 0)
		return bad(e, "splitting_config.seed", "must not be negative", NULL, NULL);
	json_t *ex = json_object_get(json_object_get(doc, "feature_config"), "extractor_configs");
	int64_t lookback = core_json_int(ex, "lookback_days", 90);
	if (lookback <= 0 || lookback > SCENARIO_MAX_DAYS)
		return bad(e, "feature_config.extractor_configs.lookback_days",
			   "must be a positive number of days, at most " SCENARIO_MAX_DAYS_S, NULL, NULL);
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(ds, "source_ids"), i, it) {
		if (json_integer_value(it) <= 0)
			return bad(e, "data_source_config.source_ids", "ids are positive numbers ('ciminer source list')",
				   NULL, NULL);
	}
	json_t *formats = json_object_get(json_object_get(doc, "output_config"), "formats");
	if (json_array_size(formats) == 0)
		return bad(e, "output_config.formats", "must name at least one of parquet, csv, pickle", NULL, NULL);
	for (i = 0; i < json_array_size(formats); i++)
		for (size_t j = 0; j < i; j++)
			if (json_equal(json_array_get(formats, i), json_array_get(formats, j)))
				return bad(e, "output_config.formats", "'%s' is listed twice",
					   json_string_value(json_array_get(formats, i)), NULL);
	if (check) {
		int rc = check(doc, e);
		if (rc < 0 && strncmp(e->msg, "feature_config", 14) != 0)
			err_prefix(e, "feature_config");
		if (rc < 0)
			return rc;
	}
	return 0;
}

int scenario_config_validate(json_t *doc, scenario_feature_checker check, struct err *e)
{
	if (!json_is_object(doc))
		return err_set(e, ERR_INPUT, "a scenario file must hold an object with name and the *_config sections");
	int rc = check_object(doc, top_fields, "", e);
	return rc < 0 ? rc : cross_checks(doc, check, e);
}

int scenario_config_load(json_t **out, const char *path, scenario_feature_checker check, struct err *e)
{
	struct buf b = BUF_INIT;
	*out = NULL;
	int rc = fs_read_file(path, &b, SCENARIO_FILE_MAX, e);
	if (rc < 0) {
		buf_release(&b);
		if (rc != ERR_NOT_FOUND && rc != ERR_IO && rc != ERR_TOOBIG)
			return rc;
		/* Copied first: formatting e->msg into itself is undefined and left the message empty. */
		char msg[ERR_MSG_MAX];
		snprintf(msg, sizeof(msg), "%s", e->msg);
		return err_set(e, ERR_INPUT, "%s", msg);
	}
	size_t n = strlen(path);
	int yaml = (n > 5 && strcmp(path + n - 5, ".yaml") == 0) || (n > 4 && strcmp(path + n - 4, ".yml") == 0);
	if (!yaml && !(n > 5 && strcmp(path + n - 5, ".json") == 0)) {
		const char *p = buf_cstr(&b);
		while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
			p++;
		yaml = *p != '{'; /* no telling extension: JSON starts with '{', anything else is YAML */
	}
	json_t *doc = yaml ? yaml_to_json(buf_cstr(&b), b.len, path, e) : core_json_parse_strict(buf_cstr(&b), b.len, path, e);
	buf_release(&b);
	if (!doc)
		return ERR_INPUT;
	rc = scenario_config_validate(doc, check, e);
	if (rc < 0) {
		json_decref(doc);
		return rc;
	}
	*out = doc;
	return 0;
}
