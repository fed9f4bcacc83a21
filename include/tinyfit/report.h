/*
 * report.h - turning analysis results into output: tables (for the text,
 * Markdown, CSV and HTML renderers of table.h) and versioned JSON.
 *
 * Every JSON document tinyfit prints has the same top level
 * (docs/output.md, docs/output.schema.json):
 *   { "schema_version": 1, "tinyfit_version": "...", "command": "...",
 *     "model": {...}, "results": [...] }
 * Numbers in JSON are raw (bytes, counts, ms, mJ); renderers never print
 * estimates without saying so.
 *
 * Ownership: renderers append to a caller-owned strbuf; tables are filled
 * into a caller-initialised struct tfit_table.
 */
#ifndef TINYFIT_REPORT_H
#define TINYFIT_REPORT_H

#include "tinyfit/graph.h"
#include "tinyfit/strbuf.h"
#include "tinyfit/table.h"

#define TFIT_JSON_SCHEMA_VERSION 1

/* "conv_2d" or "conv_2d+relu" (fused activation), or a custom op's name. */
const char *tfit_op_display_type(const struct tfit_op *op, char *buf, size_t size);

/* The per-op table of `tinyfit layers` (subgraph 0), totals in a footer row. */
void tfit_layers_table(const struct tfit_model *m, struct tfit_table *t);

/* The `tinyfit layers` JSON document. */
void tfit_render_layers_json(const struct tfit_model *m, struct tfit_strbuf *out);

#endif
