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
void tfit_jo_str(cJSON *obj, const char *key, const char *s); /* NULL -> null */
void tfit_jo_bool(cJSON *obj, const char *key, int v);

/* The document's common top level: schema_version, tinyfit_version, command. */
cJSON *tfit_jo_document(const char *command);
/* The "model" object (summary and, with layers, the per-op list). */
cJSON *tfit_jo_model(const struct tfit_model *m, int with_layers);
/* Print the document (2-space indent, trailing newline) into out and free it. */
void tfit_jo_finish(cJSON *doc, struct tfit_strbuf *out);

#endif
