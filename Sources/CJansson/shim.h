#ifndef SLUICE_CJANSSON_SHIM_H
#define SLUICE_CJANSSON_SHIM_H
#include <jansson.h>

/* jansson's function-like macros and inline helpers, as plain functions Swift can call. */
static inline json_type sluice_json_typeof(const json_t *json) { return json->type; }
static inline void sluice_json_decref(json_t *json) { json_decref(json); }
static inline int sluice_json_object_set_new(json_t *object, const char *key, json_t *value) {
    return json_object_set_new_nocheck(object, key, value);
}
static inline json_t *sluice_json_true(void) { return json_true(); }
static inline json_t *sluice_json_false(void) { return json_false(); }
static inline json_t *sluice_json_null(void) { return json_null(); }
static inline size_t sluice_flags_parse(void) { return JSON_REJECT_DUPLICATES | JSON_DECODE_ANY | JSON_ALLOW_NUL; }
static inline size_t sluice_flags_compact(void) { return JSON_COMPACT | JSON_ENCODE_ANY; }
static inline size_t sluice_flags_sorted(void) { return JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY; }
static inline size_t sluice_flags_pretty(void) { return JSON_INDENT(2) | JSON_SORT_KEYS | JSON_ENCODE_ANY; }
#endif
