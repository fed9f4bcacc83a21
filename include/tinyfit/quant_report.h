/*
 * quant_report.h - rendering `tinyfit quant` (docs/quantization.md,
 * docs/output.md): the schemes of one range side by side, and the
 * per-tensor report of a model, as tables (text, Markdown, CSV, HTML through
 * table.h) and as versioned JSON.
 *
 * Ownership: table builders initialise the caller's table (release it with
 * tfit_table_release); renderers append to a caller-owned strbuf.
 */
#ifndef TINYFIT_QUANT_REPORT_H
#define TINYFIT_QUANT_REPORT_H

#include <stddef.h>

#include "tinyfit/quant.h"
#include "tinyfit/strbuf.h"
#include "tinyfit/table.h"

/* The schemes of one request, computed (1 to TFIT_QUANT_METHOD_COUNT). */
struct tfit_quant_range_report {
	struct tfit_quant_request request;
	struct tfit_quant_scheme schemes[TFIT_QUANT_METHOD_COUNT];
	size_t n_schemes;
};

/*
 * The range table. by_scheme 0: one column per scheme, one row per
 * quantity (text, Markdown, HTML: the schemes side by side); by_scheme 1:
 * one row per scheme with raw numbers (CSV). Notes: each scheme's formula
 * and source, and one line per difference between neighbouring schemes.
 */
void tfit_quant_range_table(const struct tfit_quant_range_report *r, int by_scheme,
			    struct tfit_table *t);
void tfit_render_quant_range_json(const struct tfit_quant_range_report *r, struct tfit_strbuf *out);

/* The per-tensor table of a model; notes: a summary and every finding. */
void tfit_quant_model_table(const struct tfit_quant_model_report *r, struct tfit_table *t);
void tfit_render_quant_model_json(const struct tfit_quant_model_report *r, struct tfit_strbuf *out);

/* What `tinyfit quant` shows: one range's schemes, or a model's tensors. */
struct tfit_quant_report {
	const struct tfit_quant_range_report *range; /* exactly one of range, tensors */
	const struct tfit_quant_model_report *tensors;
};

/* The report in fmt (one switch on the format): text, Markdown and HTML
 * through the tables (a range side by side), CSV one row per scheme or
 * tensor, JSON the versioned document; SVG has nothing to draw. */
void tfit_render_quant(const struct tfit_quant_report *r, enum tfit_format fmt,
		       const struct tfit_render_opts *o, struct tfit_strbuf *out);

/* "error", "warning", "note" for a finding's severity 2, 1, 0. */
const char *tfit_quant_severity_name(int severity);

#endif
