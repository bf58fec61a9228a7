/* Thin conveniences over jansson for reading provider payloads and configs. */
#include "core/json.h"
#include "core/utc.h"
#include "core/xalloc.h"
#include <string.h>

const char *core_json_str(const json_t *obj, const char *key, const char *dflt)
{
	json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? json_string_value(v) : dflt;
}

int64_t core_json_int(const json_t *obj, const char *key, int64_t dflt)
{
	json_t *v = json_object_get(obj, key);
	if (json_is_integer(v))
		return (int64_t)json_integer_value(v);
	if (json_is_real(v))
		return (int64_t)json_real_value(v);
	return dflt;
}

double core_json_real(const json_t *obj, const char *key, double dflt)
{
	json_t *v = json_object_get(obj, key);
	return json_is_number(v) ? json_number_value(v) : dflt;
}

int core_json_bool(const json_t *obj, const char *key, int dflt)
{
	json_t *v = json_object_get(obj, key);
	return json_is_boolean(v) ? json_is_true(v) : dflt;
}

json_t *core_json_path(const json_t *obj, const char *path)
{
	const json_t *cur = obj;
	const char *p = path;
	char key[256];
	while (cur && *p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		if (n >= sizeof(key))
			return NULL;
		memcpy(key, p, n);
		key[n] = '\0';
		cur = json_object_get(cur, key);
		p = dot ? dot + 1 : p + n;
	}
	return (json_t *)cur;
}

static json_t *parse_flags(const char *text, size_t len, const char *what, size_t flags, struct err *e)
{
	json_error_t je;
	json_t *v = json_loadb(text, len, flags, &je);
	if (!v)
		err_set(e, ERR_INPUT, "%s: invalid JSON at line %d, column %d: %s", what, je.line, je.column, je.text);
	return v;
}

json_t *core_json_parse(const char *text, size_t len, const char *what, struct err *e)
{
	return parse_flags(text, len, what, JSON_ALLOW_NUL, e);
}

json_t *core_json_parse_strict(const char *text, size_t len, const char *what, struct err *e)
{
	return parse_flags(text, len, what, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, e);
}

json_t *core_json_load_file(const char *path, struct err *e)
{
	json_error_t je;
	json_t *v = json_load_file(path, 0, &je);
	if (!v)
		err_set(e, ERR_INPUT, "%s: invalid JSON at line %d, column %d: %s", path, je.line, je.column, je.text);
	return v;
}

char *core_json_dumps(const json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	if (!s)
		return xstrdup("null");
	/* jansson allocates with malloc; hand back a copy from our allocator family (both free()). */
	return s;
}

void core_json_set_str(json_t *obj, const char *key, const char *s)
{
	json_object_set_new(obj, key, s ? json_string(s) : json_null());
}

void core_json_set_time(json_t *obj, const char *key, int64_t usec)
{
	char ts[UTC_FMT_MAX];
	json_object_set_new(obj, key, usec == INT64_MIN ? json_null() : json_string(utc_format(usec, ts)));
}
