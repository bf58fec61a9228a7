/*
 * Typed feature values, their names, and the feature vector's JSON form.
 * The JSON is what feature_vectors.feature_values stores and what tests
 * compare byte for byte, so it must depend on nothing but the values: keys in
 * output order, reals with jansson's round-trip precision, no NaN (null).
 */
#include "features/engine.h"
#include "core/json.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

void feat_value_clear(struct feat_value *v)
{
	if (v->set) {
		if (v->type == FEAT_STRING)
			free(v->v.s);
		else if (v->type == FEAT_STRLIST)
			strvec_clear(&v->v.l);
	}
	memset(&v->v, 0, sizeof(v->v));
	v->set = 0;
}

void feat_set_int(struct feat_value *out, int64_t x)
{
	feat_value_clear(out);
	out->v.i = x;
	out->set = 1;
}

void feat_set_float(struct feat_value *out, double x)
{
	feat_value_clear(out);
	if (!isfinite(x))
		return;
	out->v.f = x;
	out->set = 1;
}

void feat_set_bool(struct feat_value *out, int x)
{
	feat_set_int(out, x != 0);
}

void feat_set_time(struct feat_value *out, int64_t usec)
{
	feat_value_clear(out);
	if (usec == FEAT_TIME_UNKNOWN)
		return;
	out->v.i = usec;
	out->set = 1;
}

void feat_set_str(struct feat_value *out, const char *s)
{
	feat_value_clear(out);
	if (!s)
		return;
	out->v.s = xstrdup(s);
	out->set = 1;
}

struct strvec *feat_set_list(struct feat_value *out)
{
	feat_value_clear(out);
	out->set = 1;
	return &out->v.l;
}

void feat_value_copy(struct feat_value *dst, const struct feat_value *src)
{
	dst->type = src->type;
	dst->set = src->set;
	memset(&dst->v, 0, sizeof(dst->v));
	if (!src->set)
		return;
	if (src->type == FEAT_STRING) {
		dst->v.s = xstrdup(src->v.s);
	} else if (src->type == FEAT_STRLIST) {
		for (size_t i = 0; i < src->v.l.n; i++)
			strvec_push(&dst->v.l, src->v.l.v[i]);
	} else {
		dst->v = src->v;
	}
}

const char *feat_type_name(enum feat_type t)
{
	static const char *const names[FEAT_TYPE_COUNT] = { "int", "float", "bool", "string", "string_list",
							    "timestamp" };
	return (unsigned)t < FEAT_TYPE_COUNT ? names[t] : "?";
}

const char *feat_avail_name(enum feat_avail a)
{
	switch (a) {
	case FEAT_PRE_BUILD: return "pre_build";
	case FEAT_POST_BUILD: return "post_build";
	case FEAT_LABEL: return "label";
	}
	return "?";
}

const char *feat_input_name(uint32_t bit)
{
	switch (bit) {
	case FEAT_IN_BUILD: return "build";
	case FEAT_IN_REPO: return "repository";
	case FEAT_IN_GIT: return "git_mirror";
	case FEAT_IN_LOGS: return "logs";
	case FEAT_IN_HISTORY: return "history";
	case FEAT_IN_PR: return "pull_request";
	case FEAT_IN_PR_COMMENTS: return "pr_comments";
	case FEAT_IN_PREV_LOGS: return "prev_logs";
	}
	return "?";
}

int feat_outcome_of(const char *c)
{
	if (!c)
		return -1;
	if (!strcmp(c, "success"))
		return 0;
	if (!strcmp(c, "failure") || !strcmp(c, "timed_out") || !strcmp(c, "startup_failure"))
		return 1;
	return -1;
}

/* --- vectors --- */

void feat_vector_release(struct feat_vector *v)
{
	for (size_t i = 0; i < v->n; i++)
		feat_value_clear(&v->values[i]);
	free(v->values);
	free(v->names);
	strvec_clear(&v->missing_resources);
	strvec_clear(&v->skipped_features);
	memset(v, 0, sizeof(*v));
}

const char *feat_vector_status(const struct feat_vector *v)
{
	return v->partial ? "partial" : "completed";
}

const struct feat_value *feat_vector_get(const struct feat_vector *v, const char *name)
{
	for (size_t i = 0; i < v->n; i++)
		if (!strcmp(v->names[i], name))
			return &v->values[i];
	return NULL;
}

/* A JSON string of s; bytes that are not UTF-8 (a branch name from git can
 * hold anything) become '?', so the document stays valid. */
static json_t *json_str_safe(const char *s)
{
	json_t *j = json_string(s);
	if (j)
		return j;
	char *c = xstrdup(s);
	for (unsigned char *p = (unsigned char *)c; *p; p++)
		if (*p >= 0x80)
			*p = '?';
	j = json_string(c);
	free(c);
	return j ? j : json_null();
}

json_t *feat_value_to_json(const struct feat_value *v)
{
	if (!v->set)
		return json_null();
	switch (v->type) {
	case FEAT_INT: return json_integer(v->v.i);
	case FEAT_FLOAT: return isfinite(v->v.f) ? json_real(v->v.f) : json_null();
	case FEAT_BOOL: return json_boolean(v->v.i);
	case FEAT_STRING: return json_str_safe(v->v.s);
	case FEAT_TIMESTAMP: {
		char buf[UTC_FMT_MAX];
		return json_string(utc_format(v->v.i, buf));
	}
	case FEAT_STRLIST: {
		json_t *a = json_array();
		for (size_t i = 0; i < v->v.l.n; i++)
			json_array_append_new(a, json_str_safe(v->v.l.v[i]));
		return a;
	}
	}
	return json_null();
}

json_t *feat_vector_values_json(const struct feat_vector *v)
{
	json_t *o = json_object();
	for (size_t i = 0; i < v->n; i++)
		json_object_set_new(o, v->names[i], feat_value_to_json(&v->values[i]));
	return o;
}

static json_t *strvec_json(const struct strvec *sv)
{
	json_t *a = json_array();
	for (size_t i = 0; i < sv->n; i++)
		json_array_append_new(a, json_string(sv->v[i]));
	return a;
}

char *feat_vector_dumps(const struct feat_vector *v)
{
	json_t *o = json_object();
	json_object_set_new(o, "status", json_string(feat_vector_status(v)));
	json_object_set_new(o, "features", feat_vector_values_json(v));
	json_object_set_new(o, "missing_resources", strvec_json(&v->missing_resources));
	json_object_set_new(o, "skipped_features", strvec_json(&v->skipped_features));
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
	json_decref(o);
	if (!s)
		s = xstrdup("{}");
	return s;
}
