/*
 * render_check.c - `tinyfit check` in every format: the one dispatch on the
 * format for the check report (report.h). CSV and HTML show the per-board
 * results as the comparison's table (one model, one row per board).
 */
#include "tinyfit/fit.h"
#include "tinyfit/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The advice option of kind k of a (the first), or NULL. */
static const struct tfit_fit_option *option_of(const struct tfit_fit_advice *a,
					       enum tfit_option_kind k)
{
	uint32_t i;
	for (i = 0; a && i < a->n_options; i++)
		if (a->options[i].kind == k)
			return &a->options[i];
	return NULL;
}

/* The per-board results as compare rows (planned/textbook paired with
 * both methods), into rows (room for n_results); returns how many. With
 * advice (CSV), each row carries its result's advice: the columns
 * external_memory, optimize and advice (HTML gives it per board). */
static size_t compare_rows(const struct tfit_check_report *rep, struct tfit_compare_row *rows,
			   int advice)
{
	size_t r = 0, q;
	for (q = 0; q < rep->n_results; q++) {
		const struct tfit_fit_result *res = &rep->results[q];
		const struct tfit_check_timing *t = &rep->timing[q];
		struct tfit_compare_row *row;
		if (rep->both_methods && res->method == TFIT_METHOD_TEXTBOOK && r > 0) {
			rows[r - 1].textbook = res;
			continue;
		}
		row = &rows[r++];
		row->model = rep->model;
		row->file = rep->model_file;
		row->latency_ms = t->has_latency ? t->latency_ms : NAN;
		row->latency_ms_low = t->has_latency ? t->latency_ms_low : NAN;
		row->latency_ms_high = t->has_latency ? t->latency_ms_high : NAN;
		row->interval_pct = t->has_latency ? t->interval_pct : 0;
		row->energy_mj = t->has_latency ? t->energy_mj : NAN;
		row->power_scope = t->has_latency ? t->power_scope : NULL;
		row->energy_lower_bound_mj = t->has_latency ? t->energy_lower_bound_mj : NAN;
		row->latency_method = t->has_latency ? t->method : NULL;
		if (res->method == TFIT_METHOD_PLANNED)
			row->planned = res;
		else
			row->textbook = res;
		if (advice && rep->advice && res->verdict == TFIT_VERDICT_DOES_NOT_FIT) {
			row->advice = &rep->advice[q];
			row->external = option_of(row->advice, TFIT_OPTION_EXTERNAL_MEMORY);
			row->optimize = option_of(row->advice, TFIT_OPTION_OPTIMIZE);
			if (row->optimize && !row->optimize->fits)
				row->optimize = NULL; /* the column says only "fits after" */
		}
	}
	return r;
}

static void render_as_compare(const struct tfit_check_report *rep, enum tfit_format fmt,
			      const struct tfit_render_opts *o, struct tfit_strbuf *out)
{
	struct tfit_compare_row *rows = calloc(rep->n_results ? rep->n_results : 1, sizeof(*rows));
	struct tfit_compare_report cr;
	const struct tfit_model *mp = rep->model;
	if (!rows) {
		out->oom = 1;
		return;
	}
	memset(&cr, 0, sizeof(cr));
	cr.models = &mp;
	cr.n_models = 1;
	cr.rows = rows;
	cr.n_rows = compare_rows(rep, rows, fmt == TFIT_FORMAT_CSV);
	cr.advice_column = fmt == TFIT_FORMAT_CSV;
	cr.show_planned = rep->show_planned;
	cr.show_textbook = rep->show_textbook;
	cr.gates = rep->gates;
	cr.n_gates = rep->n_gates;
	cr.gates_given = rep->gates_given;
	cr.pass = rep->pass;
	cr.check = fmt == TFIT_FORMAT_HTML ? rep : NULL;
	tfit_render_compare(&cr, fmt, o, out);
	free(rows);
}

void tfit_render_check(const struct tfit_check_report *r, enum tfit_format fmt,
		       const struct tfit_render_opts *o, struct tfit_strbuf *out)
{
	switch (fmt) {
	case TFIT_FORMAT_TEXT:
		tfit_render_check_text(r, o, out);
		break;
	case TFIT_FORMAT_MARKDOWN:
		tfit_render_check_markdown(r, out);
		break;
	case TFIT_FORMAT_CSV:
	case TFIT_FORMAT_HTML:
		render_as_compare(r, fmt, o, out);
		break;
	case TFIT_FORMAT_JSON:
		tfit_render_check_json(r, out);
		break;
	case TFIT_FORMAT_SVG:
		tfit_render_check_svg(r, out);
		break;
	case TFIT_FORMAT_COUNT: /* not a format; no default: a new format must be handled here */
		break;
	}
}
