/*
 * latency_bars.c - the estimated latency per layer as bars, for check's
 * HTML page and for `layers --device` (HTML and text): one bar per op of
 * subgraph 0 in execution order, the slowest three named (and orange in
 * HTML, marked in words in text), the method under the chart. Every
 * figure here is an estimate and says so.
 */
#include "draw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tinyfit/report.h"
#include "tinyfit/units.h"
#include "util/numeric.h"

uint32_t tfit_slowest_ops(const double *op_ms, uint32_t n_ops, uint32_t *hot, uint32_t max)
{
	uint32_t i, k, n = 0;
	for (i = 0; i < n_ops; i++) {
		/* insertion, ties keep execution order */
		for (k = n; k > 0 && op_ms[hot[k - 1]] < op_ms[i]; k--)
			if (k < max)
				hot[k] = hot[k - 1];
		if (k < max) {
			hot[k] = i;
			if (n < max)
				n++;
		}
	}
	return n;
}

static const char *op_name(const struct tfit_op *op)
{
	return op->name ? op->name : tfit_op_desc(op->type)->name;
}

static void slowest_list(const struct tfit_model *m, const double *op_ms, const uint32_t *hot,
			 uint32_t n_hot, struct tfit_strbuf *out)
{
	uint32_t k;
	char a[32];
	for (k = 0; k < n_hot; k++) {
		tfit_strbuf_printf(out, "%s op %u ", k ? "," : "", hot[k]);
		tfit_html_escape(out, op_name(&m->subgraphs[0].ops[hot[k]]));
		tfit_strbuf_printf(out, " %s", tfit_units_format_ms(op_ms[hot[k]], a, sizeof(a)));
	}
}

/* Whether op i gets a bar: all of them, or with max_bars the ops
 * tfit_draw_row_kept() keeps around the slowest (hot). */
static int bar_kept(uint32_t i, uint32_t n_ops, uint32_t hot, int32_t max_bars)
{
	if (max_bars <= 0 || n_ops <= (uint32_t)max_bars)
		return 1;
	return tfit_draw_row_kept((int32_t)i, (int32_t)n_ops, (int32_t)hot, max_bars);
}

uint32_t tfit_render_latency_html(const struct tfit_model *m, const double *op_ms, uint32_t n_ops,
				  double total_ms, const char *method, const char *id,
				  int32_t max_bars, struct tfit_strbuf *out)
{
	const double left = 64, top = 24, h = 160;
	double colw, maxms = 0, step, ytop;
	uint32_t i, e, k, hot[3], n_hot, n_cols = 0, col, left_out = 0, n_steps;
	char a[32], name[160], tick[64];
	if (!op_ms || !n_ops || !m->n_subgraphs || n_ops > m->subgraphs[0].n_ops)
		return 0;
	for (i = 0; i < n_ops; i++)
		if (op_ms[i] > maxms)
			maxms = op_ms[i];
	if (!(maxms > 0))
		return 0;
	n_hot = tfit_slowest_ops(op_ms, n_ops, hot, 3);
	/* a column per bar drawn, one per run left out */
	for (i = 0; i < n_ops; i++)
		if (bar_kept(i, n_ops, hot[0], max_bars) || i == 0 || bar_kept(i - 1, n_ops, hot[0], max_bars))
			n_cols++;
	colw = 900.0 / n_cols;
	colw = colw > 40 ? 40 : colw < 3 ? 3 : colw;
	/* The axis follows the data at every scale: a 1, 2 or 5 x 10^k step,
	 * at most 4 of them, and the top the first step at or above the
	 * slowest op (always drawn: the elision keeps the ops around it). The
	 * step has no floor of 1 ms, which put a model of 0.05 ms ops under a
	 * 1 ms axis with bars 8 px of 160 tall (issue #17). */
	step = tfit_draw_nice_step_fine(maxms, 4);
	n_steps = (uint32_t)tfit_ceil(maxms / step - 1e-9);
	ytop = n_steps * step;
	tfit_strbuf_printf(out, "<svg class=\"latency\" width=\"%.0f\" height=\"%.0f\" role=\"img\" "
			   "aria-labelledby=\"%s-t\"><title id=\"%s-t\">Estimated latency per op, %s in all; "
			   "slowest:", left + colw * n_cols + 20, top + h + 40, id, id,
			   tfit_units_format_ms(total_ms, a, sizeof(a)));
	slowest_list(m, op_ms, hot, n_hot, out);
	tfit_strbuf_puts(out, "</title>\n<g font-size=\"11\">\n");
	for (k = 0; k <= n_steps; k++) {
		double v = k * step, y = top + h - v * h / ytop;
		tfit_strbuf_printf(out, "<line x1=\"%.0f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ccc\"/>"
				   "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%s ms</text>\n", left - 4,
				   left + colw * n_cols, y, y, left - 6, y + 4,
				   tfit_units_format_sig(v, 6, tick, sizeof(tick)));
	}
	for (i = 0, col = 0; i < n_ops; i++, col++) {
		const struct tfit_op *op = &m->subgraphs[0].ops[i];
		double bh = op_ms[i] * h / ytop;
		int is_hot = 0;
		if (!bar_kept(i, n_ops, hot[0], max_bars)) {
			double x = left + col * colw;
			for (e = i; e < n_ops && !bar_kept(e, n_ops, hot[0], max_bars); e++)
				;
			tfit_units_format_int(e - i, a, sizeof(a));
			tfit_strbuf_printf(out, "<rect class=\"gap\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
					   "height=\"%.1f\" fill=\"#fff\" stroke=\"#444\" stroke-dasharray=\"4 3\">"
					   "<title>ops %u to %u (%s) left out here</title></rect>\n"
					   "<text transform=\"translate(%.1f %.1f) rotate(-90)\" text-anchor=\"middle\">"
					   "\xE2\x80\xA6 %s ops left out \xE2\x80\xA6</text>\n",
					   x, top, colw, h, i, e - 1, a, x + colw / 2 + 4, top + h / 2, a);
			left_out += e - i;
			i = e - 1;
			continue;
		}
		for (k = 0; k < n_hot; k++)
			is_hot |= hot[k] == i;
		tfit_strbuf_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" "
				   "stroke=\"#fff\" stroke-width=\"0.5\"><title>op %u ", left + col * colw,
				   top + h - bh, colw, bh, is_hot ? "#e66101" : "#1f78b4", i);
		tfit_html_escape(out, op->name ? op->name : "");
		tfit_strbuf_printf(out, " (%s): %s (estimate)</title></rect>\n",
				   tfit_op_display_type(op, name, sizeof(name)),
				   tfit_units_format_ms(op_ms[i], a, sizeof(a)));
	}
	tfit_strbuf_printf(out, "<text x=\"%.0f\" y=\"%.0f\">op, in execution order; the slowest "
			   "(orange) are named below</text>\n</g></svg>\n", left, top + h + 20);
	tfit_strbuf_puts(out, "<p>Slowest ops:");
	for (k = 0; k < n_hot; k++) {
		const struct tfit_op *op = &m->subgraphs[0].ops[hot[k]];
		tfit_strbuf_printf(out, "%s op %u ", k ? "," : "", hot[k]);
		tfit_html_escape(out, op_name(op));
		tfit_strbuf_printf(out, " %s (%.0f%%)", tfit_units_format_ms(op_ms[hot[k]], a, sizeof(a)),
				   total_ms > 0 ? op_ms[hot[k]] * 100.0 / total_ms : 0.0);
	}
	tfit_strbuf_puts(out, ". Latency: ");
	tfit_html_escape(out, method);
	tfit_strbuf_puts(out, ".</p>\n");
	return left_out;
}

void tfit_render_latency_text(const struct tfit_model *m, const double *op_ms, uint32_t n_ops,
			      double total_ms, const char *indent, const struct tfit_render_opts *o,
			      struct tfit_strbuf *out)
{
	const char *full = o->ascii ? "#" : "\xE2\x96\x88", *empty = o->ascii ? "." : "\xE2\x96\x91";
	size_t type_w = 6, idx_w = 2, bar_w, k;
	uint32_t i, j, hot[3], n_hot;
	double maxms = 0;
	char type[160], a[32], num[16];
	if (!op_ms || !n_ops || !m->n_subgraphs || n_ops > m->subgraphs[0].n_ops)
		return;
	for (i = 0; i < n_ops; i++) {
		size_t w = tfit_draw_text_cols(tfit_op_display_type(&m->subgraphs[0].ops[i], type, sizeof(type)));
		if (w > type_w)
			type_w = w;
		if (op_ms[i] > maxms)
			maxms = op_ms[i];
	}
	if (!(maxms > 0))
		return;
	n_hot = tfit_slowest_ops(op_ms, n_ops, hot, 3);
	idx_w = (size_t)snprintf(num, sizeof(num), "%u", n_ops - 1);
	if (idx_w < 2)
		idx_w = 2;
	/* indent + index + type + bar + " 123.456 ms 100.0%" + "  <- slowest" */
	bar_w = tfit_draw_bar_width(o, strlen(indent) + idx_w + 1 + 1 + 18 + 13, &type_w);
	tfit_strbuf_printf(out, "%slatency per op (estimate): a full bar = the slowest op, %s; %s in all\n",
			   indent, tfit_units_format_ms(maxms, a, sizeof(a)),
			   tfit_units_format_ms(total_ms, num, sizeof(num)));
	for (i = 0; i < n_ops; i++) {
		size_t filled = (size_t)(op_ms[i] * (double)bar_w / maxms + 0.5);
		int is_hot = 0;
		for (j = 0; j < n_hot; j++)
			is_hot |= hot[j] == i;
		if (filled > bar_w)
			filled = bar_w;
		if (op_ms[i] > 0 && filled == 0)
			filled = 1;
		snprintf(num, sizeof(num), "%u", i);
		tfit_strbuf_puts(out, indent);
		tfit_strbuf_pad(out, ' ', idx_w > strlen(num) ? idx_w - strlen(num) : 0);
		tfit_strbuf_puts(out, num);
		tfit_strbuf_putc(out, ' ');
		tfit_draw_put_cut(out, tfit_op_display_type(&m->subgraphs[0].ops[i], type, sizeof(type)),
				  type_w, o->ascii);
		tfit_strbuf_putc(out, ' ');
		if (o->color && is_hot)
			tfit_strbuf_puts(out, "\x1b[1m");
		for (k = 0; k < bar_w; k++)
			tfit_strbuf_puts(out, k < filled ? full : empty);
		if (o->color && is_hot)
			tfit_strbuf_puts(out, "\x1b[0m");
		tfit_strbuf_printf(out, " %11s %5.1f%%", tfit_units_format_ms(op_ms[i], a, sizeof(a)),
				   total_ms > 0 ? op_ms[i] * 100.0 / total_ms : 0.0);
		if (is_hot)
			tfit_strbuf_puts(out, o->ascii ? "  <- slowest" : "  \xE2\x97\x80 slowest");
		tfit_strbuf_putc(out, '\n');
	}
}

void tfit_render_layers_latency(const struct tfit_model *m, const struct tfit_cost_result *cost,
				enum tfit_format fmt, const struct tfit_render_opts *o, struct tfit_strbuf *out)
{
	double *ms;
	uint32_t i;
	if (!cost || !cost->ops || !cost->n_ops)
		return;
	ms = calloc(cost->n_ops, sizeof(*ms));
	if (!ms) {
		out->oom = 1;
		return;
	}
	for (i = 0; i < cost->n_ops; i++)
		ms[i] = tfit_cost_op_latency_ms(cost, i);
	if (fmt == TFIT_FORMAT_HTML) {
		tfit_strbuf_puts(out, "<h2>Latency per layer (estimate)</h2>\n");
		tfit_render_latency_html(m, ms, cost->n_ops, cost->latency_ms, cost->method, "lat", 0, out);
	} else if (fmt == TFIT_FORMAT_TEXT) {
		tfit_render_latency_text(m, ms, cost->n_ops, cost->latency_ms, "", o, out);
	}
	free(ms);
}
