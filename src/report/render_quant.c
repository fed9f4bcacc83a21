/*
 * render_quant.c - `tinyfit quant` in every format: the one dispatch on the
 * format for the quant report (quant_report.h).
 */
#include "tinyfit/quant_report.h"

void tfit_render_quant(const struct tfit_quant_report *r, enum tfit_format fmt,
		       const struct tfit_render_opts *o, struct tfit_strbuf *out)
{
	struct tfit_table t;
	switch (fmt) {
	case TFIT_FORMAT_TEXT:
	case TFIT_FORMAT_MARKDOWN:
	case TFIT_FORMAT_CSV:
	case TFIT_FORMAT_HTML:
		if (r->range)
			tfit_quant_range_table(r->range, fmt == TFIT_FORMAT_CSV, &t);
		else
			tfit_quant_model_table(r->tensors, &t);
		tfit_render_table_release(&t, fmt, o, out);
		break;
	case TFIT_FORMAT_JSON:
		if (r->range)
			tfit_render_quant_range_json(r->range, out);
		else
			tfit_render_quant_model_json(r->tensors, out);
		break;
	case TFIT_FORMAT_SVG:   /* nothing to draw */
	case TFIT_FORMAT_COUNT: /* not a format; no default: a new format must be handled here */
		break;
	}
}
