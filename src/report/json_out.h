/*
 * json_out.h - helpers for the JSON renderers (the only report files that
 * include cJSON.h). Integers go out as raw text so 64-bit values stay exact.
 */
#ifndef TINYFIT_JSON_OUT_H
#define TINYFIT_JSON_OUT_H

#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "tinyfit/graph.h"
#include "tinyfit/strbuf.h"

void tfit_jo_u64(cJSON *obj, const char *key, uint64_t v);
void tfit_jo_i64(cJSON *obj, const char *key, int64_t v);
/*
 * A double with `decimals` fixed places (deterministic text); a nonzero
 * value below 10^(1 - decimals) or from 1e15 up goes out in the shortest
 * text that reads back as the same double instead (never cut, never a
 * false 0). NaN/inf become null: no JSON output holds a non-finite number.
 */
void tfit_jo_num(cJSON *obj, const char *key, double v, int decimals);
/*
 * For a non-finite v: add key as null and return 1 (else add nothing and
 * return 0). An infinity also adds "<key>_reason" saying why the number is
 * missing (a computation overflowed a double), so a reader can tell it from
 * the documented nulls (NaN: a value not known, such as the latency of a
 * board without a clock, whose meaning docs/output.md gives per field).
 */
int tfit_jo_nonfinite(cJSON *obj, const char *key, double v);
#define TFIT_JO_INF_REASON "too large: the computation overflowed a double (infinite)"
#define TFIT_JO_NEG_INF_REASON "too small: the computation overflowed a double (-infinite)"
void tfit_jo_str(cJSON *obj, const char *key, const char *s); /* NULL -> null */
/* Add item under key; item NULL (a failed allocation) adds nothing, and an
 * item that cannot be added is freed: obj owns item either way. */
void tfit_jo_add(cJSON *obj, const char *key, cJSON *item);
void tfit_jo_bool(cJSON *obj, const char *key, int v);

/* The document's common top level: schema_version, tinyfit_version, command. */
cJSON *tfit_jo_document(const char *command);
/* The "model" object: the summary (the per-op "layers" is layers's own,
 * added as a lazy array by render_json.c). */
cJSON *tfit_jo_model(const struct tfit_model *m);

/*
 * A lazy array (issue #17): an array as long as the model (per op, per
 * tensor) never exists as a cJSON tree. tfit_jo_add_lazy puts a marker in
 * its place; tfit_jo_finish_lazy prints the document around it and then
 * the array one element at a time: element(ctx, i) builds element i, it is
 * printed, re-indented to the depth where it sits, appended and freed.
 * The bytes are cJSON_Print's for the whole tree ("[", elements separated
 * by ", ", "]"; "[]" when empty). ctx must live until the finish; an
 * element may hold lazy arrays of its own (added to the same list).
 */
typedef cJSON *(*tfit_jo_element_fn)(const void *ctx, size_t i);
struct tfit_jo_lazy {
	tfit_jo_element_fn element;
	const void *ctx;
	size_t n;
};
struct tfit_jo_lazies {
	struct tfit_jo_lazy *v;
	size_t n, cap;
	int oom;
};
#define TFIT_JO_LAZIES_INIT { NULL, 0, 0, 0 }
void tfit_jo_add_lazy(cJSON *obj, const char *key, struct tfit_jo_lazies *l,
		      tfit_jo_element_fn element, const void *ctx, size_t n);
/* Print the document (tab-indented as cJSON_Print, trailing newline) into
 * out, the lazy arrays of l (NULL: none) in their places; frees doc and
 * l's list. A failed allocation sets out->oom. */
void tfit_jo_finish_lazy(cJSON *doc, struct tfit_jo_lazies *l, struct tfit_strbuf *out);
/* tfit_jo_finish_lazy without lazy arrays. */
void tfit_jo_finish(cJSON *doc, struct tfit_strbuf *out);

#endif
