/*
 * Helpers over jansson (the JSON library; ciminer never parses JSON itself).
 * Getters return a borrowed value or a default when the key is absent or of
 * another type, so that mapping provider payloads stays short. Returned
 * `const char *` point into the json_t and live as long as it does.
 */
#ifndef CORE_JSON_H
#define CORE_JSON_H
#include <jansson.h>
#include <stdint.h>
#include "core/buf.h"
#include "core/err.h"

const char *core_json_str(const json_t *obj, const char *key, const char *dflt);
int64_t core_json_int(const json_t *obj, const char *key, int64_t dflt);
double core_json_real(const json_t *obj, const char *key, double dflt);
int core_json_bool(const json_t *obj, const char *key, int dflt);
/* Follows a dotted path ("head_commit.author.name"); borrowed or NULL. */
json_t *core_json_path(const json_t *obj, const char *path);
/* Parses text; on failure fills e with the line/column and returns NULL. The caller owns the result. */
json_t *core_json_parse(const char *text, size_t len, const char *what, struct err *e);
/* The same, refusing an object that names a key twice (files a user wrote: the last would win silently). */
json_t *core_json_parse_strict(const char *text, size_t len, const char *what, struct err *e);
json_t *core_json_load_file(const char *path, struct err *e);
/* Compact, key-sorted serialisation; the caller frees. */
char *core_json_dumps(const json_t *v);
/* Sets key to a string, or to null when s is NULL. */
void core_json_set_str(json_t *obj, const char *key, const char *s);
/* Sets key to a UTC timestamp string, or null when usec is INT64_MIN. */
void core_json_set_time(json_t *obj, const char *key, int64_t usec);

#endif
