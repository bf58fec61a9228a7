/* YAML documents converted to jansson values (see yaml_json.h). */
#include "pipeline/yaml_json.h"
#include "core/xalloc.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct yctx {
	yaml_parser_t p;
	int depth; /* open collections, checked against YAML_JSON_MAX_DEPTH (the converter recurses) */
	const char *what;
	struct err *e;
};

static json_t *scalar(const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return json_stringn(v, n);
	if (n == 0 || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 || strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0)
		return json_null();
	if (strcmp(v, "true") == 0 || strcmp(v, "True") == 0 || strcmp(v, "TRUE") == 0)
		return json_true();
	if (strcmp(v, "false") == 0 || strcmp(v, "False") == 0 || strcmp(v, "FALSE") == 0)
		return json_false();
	char *end;
	errno = 0;
	long long i = strtoll(v, &end, 10);
	if (*end == '\0' && errno == 0 && (v[0] == '-' || v[0] == '+' || (v[0] >= '0' && v[0] <= '9')))
		return json_integer(i);
	double d = strtod(v, &end);
	if (*end == '\0' && (v[0] == '-' || v[0] == '+' || v[0] == '.' || (v[0] >= '0' && v[0] <= '9')))
		return json_real(d);
	return json_stringn(v, n);
}

static json_t *node(struct yctx *y, yaml_event_t *ev);

static int next(struct yctx *y, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&y->p, ev)) {
		err_set(y->e, ERR_INPUT, "%s: invalid YAML at line %zu, column %zu: %s", y->what,
			y->p.problem_mark.line + 1, y->p.problem_mark.column + 1, y->p.problem ? y->p.problem : "?");
		return -1;
	}
	return 0;
}

static json_t *collection(struct yctx *y, int mapping, size_t line)
{
	if (y->depth >= YAML_JSON_MAX_DEPTH) {
		err_set(y->e, ERR_INPUT, "%s: line %zu: nested deeper than %d levels; a scenario file needs 4", y->what,
			line, YAML_JSON_MAX_DEPTH);
		return NULL;
	}
	y->depth++;
	json_t *out = mapping ? json_object() : json_array();
	for (;;) {
		yaml_event_t ev;
		if (next(y, &ev) < 0)
			goto fail;
		if (ev.type == (mapping ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT)) {
			yaml_event_delete(&ev);
			y->depth--;
			return out;
		}
		if (!mapping) {
			json_t *v = node(y, &ev);
			yaml_event_delete(&ev);
			if (!v)
				goto fail;
			json_array_append_new(out, v);
			continue;
		}
		if (ev.type != YAML_SCALAR_EVENT) {
			err_set(y->e, ERR_INPUT, "%s: line %zu: a mapping key must be a plain name", y->what,
				ev.start_mark.line + 1);
			yaml_event_delete(&ev);
			goto fail;
		}
		char *key = xstrndup((const char *)ev.data.scalar.value, ev.data.scalar.length);
		size_t line = ev.start_mark.line + 1;
		yaml_event_delete(&ev);
		if (next(y, &ev) < 0) {
			free(key);
			goto fail;
		}
		json_t *v = node(y, &ev);
		yaml_event_delete(&ev);
		if (!v) {
			free(key);
			goto fail;
		}
		if (json_object_get(out, key)) {
			err_set(y->e, ERR_INPUT, "%s: line %zu: key '%s' appears twice", y->what, line, key);
			free(key);
			json_decref(v);
			goto fail;
		}
		json_object_set_new(out, key, v);
		free(key);
	}
fail:
	y->depth--;
	json_decref(out);
	return NULL;
}

static json_t *node(struct yctx *y, yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT: return scalar(ev);
	case YAML_SEQUENCE_START_EVENT: return collection(y, 0, ev->start_mark.line + 1);
	case YAML_MAPPING_START_EVENT: return collection(y, 1, ev->start_mark.line + 1);
	case YAML_ALIAS_EVENT:
		err_set(y->e, ERR_INPUT, "%s: line %zu: aliases (*name) are not supported in scenario files", y->what,
			ev->start_mark.line + 1);
		return NULL;
	default:
		err_set(y->e, ERR_INPUT, "%s: line %zu: unexpected YAML structure", y->what, ev->start_mark.line + 1);
		return NULL;
	}
}

json_t *yaml_to_json(const char *text, size_t len, const char *what, struct err *e)
{
	struct yctx y = { .what = what, .e = e };
	yaml_parser_initialize(&y.p);
	yaml_parser_set_input_string(&y.p, (const unsigned char *)text, len);
	json_t *doc = NULL;
	yaml_event_t ev;
	while (next(&y, &ev) == 0) {
		yaml_event_type_t t = ev.type;
		if (t == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (t == YAML_STREAM_START_EVENT || t == YAML_DOCUMENT_START_EVENT || t == YAML_DOCUMENT_END_EVENT) {
			yaml_event_delete(&ev);
			continue;
		}
		if (doc) {
			err_set(e, ERR_INPUT, "%s: holds more than one YAML document", what);
			yaml_event_delete(&ev);
			json_decref(doc);
			doc = NULL;
			goto out;
		}
		doc = node(&y, &ev);
		yaml_event_delete(&ev);
		if (!doc)
			goto out;
	}
	if (!doc && !e->code)
		err_set(e, ERR_INPUT, "%s is empty", what);
out:
	yaml_parser_delete(&y.p);
	return doc;
}
