/*
 * json_util.h - internal helpers for the readers that turn JSON into tinyfit
 * structs (model readers, device profiles). Not a public header: only
 * readers include it, so cJSON stays at the edges (ARCHITECTURE.md).
 *
 * Every getter reports a wrong type or value as TFIT_ERR_INPUT with the file
 * and the JSON path of the field ("layers[3].kernel"), saying what was
 * expected and what was found.
 */
#ifndef TINYFIT_JSON_UTIL_H
#define TINYFIT_JSON_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "tinyfit/error.h"

/* Deepest JSON nesting accepted (documented in docs/limits.md). */
#define TFIT_JSON_MAX_DEPTH 64

/* A JSON path under construction: "layers[3].kernel". */
struct tfit_jpath {
	char buf[TFIT_ERROR_PATH_MAX];
	size_t len;
};

void tfit_jpath_init(struct tfit_jpath *p);
/* Append ".key" (or "key" at the root); returns the length to restore. */
size_t tfit_jpath_key(struct tfit_jpath *p, const char *key);
/* Append "[i]"; returns the length to restore. */
size_t tfit_jpath_index(struct tfit_jpath *p, size_t i);
void tfit_jpath_restore(struct tfit_jpath *p, size_t len);
/* Path of a child without modifying p: writes into out. */
const char *tfit_jpath_child(const struct tfit_jpath *p, const char *key,
			     char *out, size_t out_size);

/*
 * Parse text (len bytes, need not be NUL-terminated) into *out. A syntax
 * error becomes "file:line:col: error: invalid JSON ..." ; nesting deeper
 * than TFIT_JSON_MAX_DEPTH is a TFIT_ERR_LIMIT. The caller cJSON_Delete()s
 * *out.
 */
enum tfit_status tfit_json_parse(const char *text, size_t len, const char *file,
				 cJSON **out, struct tfit_error *err);

/*
 * Scan text by the JSON grammar; when it is malformed return -1 with the
 * byte offset of the first error and a message ("expected ',' or '}', got
 * ']'"). Returns 0 for valid JSON.
 */
int tfit_json_locate_error(const char *text, size_t len, size_t *offset, char *msg,
			   size_t msg_size);

/* "object", "array", "string", "number", "true", "false", "null". */
const char *tfit_json_type_name(const cJSON *item);
/* The same, but "an empty string" for "" (for errors that want a non-empty
 * string: "got string" would read as if a string were wrong). */
const char *tfit_json_found_name(const cJSON *item);

/* Error helper: "<what>: expected X, got <type>" at path p + key. */
enum tfit_status tfit_json_type_error(const char *file, const struct tfit_jpath *p,
				      const char *key, const char *expected,
				      const cJSON *found, struct tfit_error *err);

/*
 * Typed field getters on an object. "req" fails when the key is missing;
 * "opt" leaves *out unchanged and returns TFIT_OK when it is missing or
 * null. *present (may be NULL) says whether the key was there.
 */
enum tfit_status tfit_json_req_string(const cJSON *obj, const char *key, const char *file,
				      const struct tfit_jpath *p, const char **out,
				      struct tfit_error *err);
enum tfit_status tfit_json_opt_string(const cJSON *obj, const char *key, const char *file,
				      const struct tfit_jpath *p, const char **out,
				      int *present, struct tfit_error *err);
/* Like tfit_json_opt_string, but *out becomes a malloc'ed copy (the caller
 * frees it; left unchanged when the key is missing or null). */
enum tfit_status tfit_json_dup_opt_string(const cJSON *obj, const char *key, const char *file,
					  const struct tfit_jpath *p, char **out,
					  struct tfit_error *err);
/* Integers must be whole numbers within [min, max] (and |v| <= 2^53). */
enum tfit_status tfit_json_req_int(const cJSON *obj, const char *key, const char *file,
				   const struct tfit_jpath *p, int64_t min, int64_t max,
				   int64_t *out, struct tfit_error *err);
enum tfit_status tfit_json_opt_int(const cJSON *obj, const char *key, const char *file,
				   const struct tfit_jpath *p, int64_t min, int64_t max,
				   int64_t *out, int *present, struct tfit_error *err);
enum tfit_status tfit_json_opt_number(const cJSON *obj, const char *key, const char *file,
				      const struct tfit_jpath *p, double min, double max,
				      double *out, int *present, struct tfit_error *err);
enum tfit_status tfit_json_opt_bool(const cJSON *obj, const char *key, const char *file,
				    const struct tfit_jpath *p, int *out, int *present,
				    struct tfit_error *err);

/* Check an item (not a field) is a whole number within [min, max]. */
enum tfit_status tfit_json_item_int(const cJSON *item, const char *file,
				    const char *path, int64_t min, int64_t max,
				    int64_t *out, struct tfit_error *err);

/*
 * Reject keys of obj not in allowed (NULL-terminated): "unknown field
 * 'kernal' (expected one of: a, b, c)".
 */
enum tfit_status tfit_json_check_keys(const cJSON *obj, const char *const *allowed,
				      const char *file, const struct tfit_jpath *p,
				      struct tfit_error *err);
/* obj is an object ("expected an object, got ..." at p otherwise) with no
 * key outside allowed. */
enum tfit_status tfit_json_check_object(const cJSON *obj, const char *const *allowed,
					const char *file, const struct tfit_jpath *p,
					struct tfit_error *err);

#endif
