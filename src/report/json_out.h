/*
 * json_out.h - helpers for the JSON renderers (the only report files that
 * include cJSON.h). Integers go out as raw text so 64-bit values stay exact.
 */
#ifndef TINYFIT_JSON_OUT_H
#define TINYFIT_JSON_OUT_H

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
/* The "model" object (summary and, with layers, the per-op list). */
cJSON *tfit_jo_model(const struct tfit_model *m, int with_layers);
/* Print the document (2-space indent, trailing newline) into out and free it. */
void tfit_jo_finish(cJSON *doc, struct tfit_strbuf *out);

#endif
