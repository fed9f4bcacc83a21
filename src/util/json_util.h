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
 * tfit_json_parse in two steps, for readers that parse a text in pieces
 * (json_stream.c): tfit_json_precheck runs the byte pre-scan (depth, value
 * budget, UTF-8, numbers) and the NUL check on the whole text and skips a
 * byte order mark (*text and *len move past it); tfit_json_parse_checked
 * then builds the tree of a prechecked text with the same errors.
 */
enum tfit_status tfit_json_precheck(const char **text, size_t *len, const char *file,
				    struct tfit_error *err);
enum tfit_status tfit_json_parse_checked(const char *text, size_t len, const char *file,
					 cJSON **out, struct tfit_error *err);
/* The checks tfit_json_parse makes on its tree, for one value parsed on its
 * own at nesting depth `depth` (the root is 1): depth, duplicate keys, and
 * control characters filtered in its strings. */
enum tfit_status tfit_json_check_element(cJSON *item, int depth, const char *file,
					 struct tfit_error *err);

/*
 * A JSON document read with one large array left in the text (json_stream.c):
 * the tree holds everything else and the array's first element; the other
 * elements are parsed one at a time as a reader walks the array
 * (tfit_json_iter), each deleted before the next, so memory holds the tree
 * of one element instead of the whole file's. Made for the model readers'
 * "layers" arrays (issue #17).
 *
 * Errors: the pieces are checked as tfit_json_parse would check the whole
 * text, but a problem may be found in a different order (a bad element
 * late in the array is found after the reader has read the earlier ones),
 * so a caller that wants tfit_json_parse's exact error reads the text again
 * whole (tfit_json_doc_parse with no path) when anything fails.
 */
struct tfit_json_doc {
	cJSON *root;
	const char *file;
	const char *text;             /* the prechecked text */
	size_t len;
	cJSON *lazy;                  /* the array left in the text (in root, with
					 only its first element), or NULL: root
					 is the whole document */
	int lazy_depth;               /* nesting depth of its elements */
	size_t pos;                   /* offset after the last element parsed */
	size_t close;                 /* offset of its closing ']' */
	int walking, done;            /* an iterator has started / reached its end */
	cJSON *owned;                 /* the element parsed last */
};

/*
 * Parse a prechecked text (tfit_json_precheck). lazy_path (NULL-terminated
 * keys from the root, e.g. {"layers", NULL}) names the array to leave in
 * the text; NULL, or a document where that member is not a non-empty array
 * reached through plain keys, gives the whole tree (doc->lazy NULL).
 */
enum tfit_status tfit_json_doc_parse(struct tfit_json_doc *doc, const char *text, size_t len,
				     const char *file, const char *const *lazy_path,
				     struct tfit_error *err);
/* Check the rest of the lazy array (the elements no iterator reached):
 * success means the whole text is what tfit_json_parse accepts. */
enum tfit_status tfit_json_doc_finish(struct tfit_json_doc *doc, struct tfit_error *err);
void tfit_json_doc_release(struct tfit_json_doc *doc);

/* Walks an array of a document, the lazy one included (only once). */
struct tfit_json_iter {
	struct tfit_json_doc *doc;
	const cJSON *cur;             /* the next element in the tree */
	int lazy;
};
void tfit_json_iter_init(struct tfit_json_iter *it, struct tfit_json_doc *doc,
			 const cJSON *array);
/* *item: the next element, NULL after the last. An element of the lazy
 * array stays valid until the next call or tfit_json_doc_release. */
enum tfit_status tfit_json_iter_next(struct tfit_json_iter *it, const cJSON **item,
				     struct tfit_error *err);
/* tfit_json_doc_parse with the first of several array paths (a
 * NULL-terminated list of lazy_path lists) that the text has. */
enum tfit_status tfit_json_doc_parse_any(struct tfit_json_doc *doc, const char *text, size_t len,
					 const char *file, const char *const *const *lazy_paths,
					 struct tfit_error *err);
/* Ownership of the element of the lazy array tfit_json_iter_next gave last
 * (the caller cJSON_Delete()s it), or NULL when that element belongs to
 * the document's tree (the first one: valid until tfit_json_doc_release). */
cJSON *tfit_json_iter_take(struct tfit_json_iter *it);
/* The number of values (cJSON nodes) of a text cJSON accepts, by its bytes:
 * the count of the whole tree, for a document read in pieces. */
size_t tfit_json_count_values(const char *text, size_t len);

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
