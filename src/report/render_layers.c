/*
 * render_layers.c - `tinyfit layers` in every format: the one dispatch on
 * the format for the layers report (report.h).
 */
#include "tinyfit/report.h"

#include "tinyfit/table.h"

/* The table with what goes around it: HTML adds the arena over time as
 * inline SVG and the latency bars; text adds the arena as bars of
 * characters (or why there is none) and the latency bars. */
static void render_table_report(const struct tfit_layers_report *r, enum tfit_format fmt,
				const struct tfit_render_opts *o, struct tfit_strbuf *out)
{
	struct tfit_table t;
	tfit_layers_table_cost(r->model, r->cost, &t);
	if (fmt == TFIT_FORMAT_HTML) {
		tfit_render_html_begin(t.title, out);
		tfit_render_table_html_fragment(&t, out);
		if (r->plan)
			tfit_render_arena_svg(r->model, r->plan, r->runtime, r->words, "arena", 0, 0, NULL, out);
		tfit_render_layers_latency(r->model, r->cost, fmt, o, out);
		tfit_render_html_end(out);
	} else {
		tfit_render_table(&t, fmt, o, out);
	}
	if (fmt == TFIT_FORMAT_TEXT) {
		tfit_strbuf_putc(out, '\n');
		if (r->plan)
			tfit_render_arena_text_plan(r->model, r->plan, "", r->words, 0, o, out);
		else
			tfit_strbuf_printf(out, "arena over time: not drawn (%s)\n", r->plan_missing);
		if (r->cost) {
			tfit_strbuf_putc(out, '\n');
			tfit_render_layers_latency(r->model, r->cost, fmt, o, out);
		}
	}
	if (t.oom)
		out->oom = 1;
	tfit_table_release(&t);
}

void tfit_render_layers(const struct tfit_layers_report *r, enum tfit_format fmt,
			const struct tfit_render_opts *o, struct tfit_strbuf *out)
{
	switch (fmt) {
	case TFIT_FORMAT_TEXT:
	case TFIT_FORMAT_MARKDOWN:
	case TFIT_FORMAT_CSV:
	case TFIT_FORMAT_HTML:
		render_table_report(r, fmt, o, out);
		break;
	case TFIT_FORMAT_JSON:
		tfit_render_layers_json_cost(r->model, r->cost, r->device_id, out);
		break;
	case TFIT_FORMAT_SVG:
		if (r->plan)
			tfit_render_arena_svg(r->model, r->plan, r->runtime, r->words, "arena", 1, 0, NULL, out);
		break;
	case TFIT_FORMAT_COUNT: /* not a format; no default: a new format must be handled here */
		break;
	}
}
