/*
 * html_compare.c - the HTML page of `tinyfit compare` (and the table at
 * the top of `check --format html`): the tables with sortable columns and
 * usage bars (render_html.c), then a chart of estimated latency against
 * SRAM use, one mark per model x board, that stands on its own (inline
 * SVG, a title and axis units in it) so it can be pasted into a course
 * page. Fits, does not fit and unknown differ in shape, not only colour.
 */
#include "draw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tinyfit/fit.h"
#include "tinyfit/report.h"
#include "tinyfit/units.h"
#include "util/numeric.h"

/* the plot area inside the SVG, in px */
#define X0 80.0
#define X1 600.0
#define Y0 40.0
#define Y1 360.0
#define CHART_W 790.0
#define CHART_H 420.0
/* a range wider than this factor is drawn on a log scale */
#define LOG_RATIO 20.0
/* more marks than this are left unlabelled (the tooltips still name them) */
#define MAX_LABELS 200

struct axis {
	int log;
	double lo, hi;     /* the drawn range (log: powers of ten) */
	double step;       /* linear: the tick step */
};

struct mark {
	const struct tfit_compare_row *row;
	double x, y;       /* SRAM %, latency ms */
	double px, py;
	int kind;          /* 0 fits, 1 does not fit / run, 2 unknown */
	size_t lead;       /* the first mark drawn at the same place (itself if none) */
};

static void axis_fit(struct axis *a, double min, double max, int ticks)
{
	a->log = min > 0 && max / min > LOG_RATIO;
	if (a->log) {
		a->lo = tfit_pow10(tfit_floor_log10(min));
		a->hi = tfit_pow10(tfit_ceil_log10(max));
		if (!(a->hi > a->lo))
			a->hi = a->lo * 10.0;
		a->step = 0;
	} else {
		a->lo = 0;
		a->step = tfit_draw_nice_step_fine(max, ticks);
		a->hi = tfit_ceil(max / a->step - 1e-9) * a->step;
		if (!(a->hi > 0))
			a->hi = a->step;
	}
}

/* v on axis a as a fraction 0..1 of its length */
static double axis_pos(const struct axis *a, double v)
{
	if (a->log)
		return (tfit_log10(v) - tfit_log10(a->lo)) / (tfit_log10(a->hi) - tfit_log10(a->lo));
	return (v - a->lo) / (a->hi - a->lo);
}

static void pct_label(double v, char *buf, size_t size)
{
	snprintf(buf, size, "%g%%", v);
}

static void pct_text(double v, char *buf, size_t size)
{
	snprintf(buf, size, v < 1 ? "%.2g%%" : "%.1f%%", v);
}

static void ms_label(double v, char *buf, size_t size)
{
	if (v >= 1000.0)
		snprintf(buf, size, "%g s", v / 1000.0);
	else
		snprintf(buf, size, "%g ms", v);
}

/* Tick values of a, in order; at most max of them. */
static size_t axis_ticks(const struct axis *a, double *v, size_t max)
{
	size_t n = 0;
	double t;
	if (a->log) {
		for (t = a->lo; t <= a->hi * 1.0001 && n < max; t *= 10.0)
			v[n++] = t;
	} else {
		for (t = a->lo; t <= a->hi + a->step / 1000 && n < max; t += a->step)
			v[n++] = t;
	}
	return n;
}

static const char *kind_name(int kind)
{
	return kind == 0 ? "fits" : kind == 1 ? "does not fit / run" : "unknown";
}

static void mark_name(const struct tfit_compare_report *rep, const struct tfit_compare_row *row,
		      struct tfit_strbuf *out)
{
	if (rep->n_models > 1) {
		tfit_html_escape(out, row->label ? row->label :
				 row->model && row->model->name ? row->model->name : "model");
		tfit_strbuf_puts(out, " on ");
	}
	tfit_html_escape(out, row->planned->device->id);
}

static void draw_shape(struct tfit_strbuf *out, int kind, double x, double y)
{
	if (kind == 0)
		tfit_strbuf_printf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"#1b7f3b\" "
				   "stroke=\"#fff\" stroke-width=\"1\"/>", x, y);
	else if (kind == 1)
		tfit_strbuf_printf(out, "<path d=\"M%.1f %.1fl10 10m0 -10l-10 10\" stroke=\"#a30000\" "
				   "stroke-width=\"2.5\" fill=\"none\"/>", x - 5, y - 5);
	else
		tfit_strbuf_printf(out, "<path d=\"M%.1f %.1fl7 7l-7 7l-7 -7z\" fill=\"#fff\" stroke=\"#555\" "
				   "stroke-width=\"1.5\"/>", x, y - 7);
}

struct box {
	double x0, y0, x1, y1;
};

static int overlaps(const struct box *b, const struct box *all, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (b->x0 < all[i].x1 && all[i].x0 < b->x1 && b->y0 < all[i].y1 && all[i].y0 < b->y1)
			return 1;
	return 0;
}

/* The names of the marks at lead's place: "a, b, c +2 more". */
static void group_names(const struct tfit_compare_report *rep, const struct mark *mk, size_t n,
			size_t lead, struct tfit_strbuf *out)
{
	size_t i, k = 0;
	for (i = lead; i < n; i++) {
		if (mk[i].lead != lead)
			continue;
		if (k < 3) {
			if (k)
				tfit_strbuf_puts(out, ", ");
			mark_name(rep, mk[i].row, out);
		}
		k++;
	}
	if (k > 3)
		tfit_strbuf_printf(out, " +%zu more", k - 3);
}

/* Name marks beside them where the name overlaps no earlier name and no
 * mark: the boards that fit first, then the rest, in table order; marks at
 * one place (the same SRAM share and latency) share one label. */
static void draw_labels(const struct tfit_compare_report *rep, const struct mark *mk, size_t n,
			struct tfit_strbuf *out)
{
	struct box *taken;
	size_t i, n_taken = 0;
	int pass;
	if (n > MAX_LABELS)
		return;
	taken = calloc(2 * n + 1, sizeof(*taken));
	if (!taken) {
		out->oom = 1;
		return;
	}
	for (i = 0; i < n; i++) {
		struct box b = { mk[i].px - 6, mk[i].py - 6, mk[i].px + 6, mk[i].py + 6 };
		taken[n_taken++] = b;
	}
	tfit_strbuf_puts(out, "<g font-size=\"11\" fill=\"#222\">\n");
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < n; i++) {
			struct tfit_strbuf name;
			struct box b;
			double w;
			if ((mk[mk[i].lead].kind == 0) != (pass == 0))
				continue;
			if (mk[i].lead != i)
				continue;
			tfit_strbuf_init(&name);
			group_names(rep, mk, n, i, &name);
			/* about 6 px per character at 11 px; the escaped length
			 * errs on the wide side */
			w = 6.0 * (double)name.len;
			/* right of the mark, else left of it */
			b.x0 = mk[i].px + 8;
			b.x1 = b.x0 + w;
			b.y0 = mk[i].py - 9;
			b.y1 = mk[i].py + 4;
			if (b.x1 > CHART_W - 4 || overlaps(&b, taken, n_taken)) {
				b.x1 = mk[i].px - 8;
				b.x0 = b.x1 - w;
				if (b.x0 < 4 || overlaps(&b, taken, n_taken))
					b.x0 = -1;
			}
			if (b.x0 >= 0) {
				taken[n_taken++] = b;
				tfit_strbuf_printf(out, "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", b.x0,
						   mk[i].py + 3.5, tfit_strbuf_str(&name));
			}
			if (name.oom)
				out->oom = 1;
			tfit_strbuf_release(&name);
		}
	tfit_strbuf_puts(out, "</g>\n");
	free(taken);
}

static void draw_axes(const struct axis *ax, const struct axis *ay, struct tfit_strbuf *out)
{
	double v[16], p;
	char lab[32];
	size_t i, n;
	tfit_strbuf_printf(out, "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" "
			   "stroke=\"#999\"/>\n<g font-size=\"11\" fill=\"#222\">\n", X0, Y0, X1 - X0, Y1 - Y0);
	n = axis_ticks(ax, v, 16);
	for (i = 0; i < n; i++) {
		p = X0 + axis_pos(ax, v[i]) * (X1 - X0);
		pct_label(v[i], lab, sizeof(lab));
		tfit_strbuf_printf(out, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.0f\" y2=\"%.0f\" stroke=\"#ddd\"/>"
				   "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%s</text>\n",
				   p, p, Y0, Y1, p, Y1 + 16, lab);
	}
	n = axis_ticks(ay, v, 16);
	for (i = 0; i < n; i++) {
		p = Y1 - axis_pos(ay, v[i]) * (Y1 - Y0);
		ms_label(v[i], lab, sizeof(lab));
		tfit_strbuf_printf(out, "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
				   "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
				   X0, X1, p, p, X0 - 6, p + 4, lab);
	}
	tfit_strbuf_printf(out, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\" font-size=\"12\">SRAM used, "
			   "%% of the board&#39;s SRAM%s</text>\n", (X0 + X1) / 2, Y1 + 36,
			   ax->log ? " (log scale)" : "");
	tfit_strbuf_printf(out, "<text transform=\"translate(16 %.0f) rotate(-90)\" text-anchor=\"middle\" "
			   "font-size=\"12\">Estimated latency per inference%s</text>\n</g>\n",
			   (Y0 + Y1) / 2, ay->log ? " (log scale)" : "");
	/* the capacity: right of it the arena and reserve do not fit */
	if (100.0 > ax->lo && 100.0 < ax->hi) {
		p = X0 + axis_pos(ax, 100.0) * (X1 - X0);
		tfit_strbuf_printf(out, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.0f\" y2=\"%.0f\" stroke=\"#000\" "
				   "stroke-width=\"1.5\" stroke-dasharray=\"6 3\"/><text x=\"%.1f\" y=\"%.0f\" "
				   "font-size=\"11\">100%% of SRAM</text>\n", p, p, Y0, Y1, p + 4, Y0 + 12);
	}
}

static void draw_legend(const size_t count[3], struct tfit_strbuf *out)
{
	int k;
	for (k = 0; k < 3; k++) {
		double y = Y0 + 10 + 20.0 * k;
		draw_shape(out, k, X1 + 24, y);
		tfit_strbuf_printf(out, "<text x=\"%.0f\" y=\"%.1f\" font-size=\"12\">%s (%zu)</text>\n",
				   X1 + 36, y + 4, kind_name(k), count[k]);
	}
}

/* Why row has no mark, or NULL when it has one. */
static const char *unplotted(const struct tfit_compare_row *row)
{
	const struct tfit_fit_result *r = row->planned;
	if (r->memory_unknown || isnan(r->sram_percent) || !(r->sram_percent > 0))
		return "no SRAM figure";
	if (isnan(row->latency_ms) || !(row->latency_ms > 0))
		return "no latency estimate";
	return NULL;
}

void tfit_render_compare_chart(const struct tfit_compare_report *rep, struct tfit_strbuf *out)
{
	struct mark *mk;
	struct axis ax, ay;
	size_t i, n = 0, count[3] = { 0, 0, 0 }, n_out = 0;
	double xmin = INFINITY, xmax = 0, ymin = INFINITY, ymax = 0;
	char a[32], b[32], c[32];
	int kind;
	if (!rep->show_planned || !rep->n_rows)
		return;
	mk = calloc(rep->n_rows, sizeof(*mk));
	if (!mk) {
		out->oom = 1;
		return;
	}
	for (i = 0; i < rep->n_rows; i++) {
		const struct tfit_compare_row *row = &rep->rows[i];
		const struct tfit_fit_result *r = row->planned;
		if (!r)
			continue;
		if (unplotted(row)) {
			n_out++;
			continue;
		}
		mk[n].row = row;
		mk[n].x = r->sram_percent;
		mk[n].y = row->latency_ms;
		mk[n].kind = r->fits ? 0 : r->verdict == TFIT_VERDICT_UNKNOWN ? 2 : 1;
		count[mk[n].kind]++;
		xmin = tfit_fmin(xmin, mk[n].x);
		xmax = tfit_fmax(xmax, mk[n].x);
		ymin = tfit_fmin(ymin, mk[n].y);
		ymax = tfit_fmax(ymax, mk[n].y);
		n++;
	}
	tfit_strbuf_puts(out, "<h2>Latency against SRAM use</h2>\n");
	if (!n) {
		tfit_strbuf_puts(out, "<p>No board has both an SRAM figure and a latency estimate: "
				      "nothing to chart.</p>\n");
		free(mk);
		return;
	}
	/* the 100 % line always in view: it is the limit the chart is about */
	axis_fit(&ax, xmin, tfit_fmax(xmax, 100.0), 5);
	axis_fit(&ay, ymin, ymax, 5);
	tfit_strbuf_printf(out, "<figure class=\"chart\">\n<svg class=\"scatter\" xmlns=\"http://www.w3.org/2000/svg\" "
			   "width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
			   "aria-labelledby=\"scatter-t scatter-d\" font-family=\"system-ui,sans-serif\">\n"
			   "<title id=\"scatter-t\">Estimated latency against SRAM use, one mark per ",
			   CHART_W, CHART_H, CHART_W, CHART_H);
	tfit_strbuf_puts(out, rep->n_models > 1 ? "model and board" : "board");
	tfit_strbuf_printf(out, "</title>\n<desc id=\"scatter-d\">%zu plotted: %zu fit, %zu do not fit, "
			   "%zu unknown; latency from %s to %s, SRAM use from ",
			   n, count[0], count[1], count[2], tfit_units_format_ms(ymin, a, sizeof(a)),
			   tfit_units_format_ms(ymax, b, sizeof(b)));
	pct_text(xmin, a, sizeof(a));
	pct_text(xmax, b, sizeof(b));
	tfit_strbuf_printf(out, "%s to %s.</desc>\n", a, b);
	tfit_strbuf_printf(out, "<rect width=\"%.0f\" height=\"%.0f\" fill=\"#fff\"/>\n"
			   "<text x=\"%.0f\" y=\"22\" font-size=\"14\" font-weight=\"bold\">", CHART_W, CHART_H, X0);
	if (rep->n_models == 1) {
		tfit_html_escape(out, rep->labels && rep->labels[0] ? rep->labels[0] :
				 rep->models[0]->name ? rep->models[0]->name : "model");
		tfit_strbuf_puts(out, ": ");
	}
	tfit_strbuf_puts(out, "estimated latency against SRAM use</text>\n");
	draw_axes(&ax, &ay, out);
	for (i = 0; i < n; i++) {
		size_t j;
		mk[i].px = X0 + axis_pos(&ax, mk[i].x) * (X1 - X0);
		mk[i].py = Y1 - axis_pos(&ay, mk[i].y) * (Y1 - Y0);
		mk[i].lead = i;
		for (j = 0; j < i; j++)
			if (mk[j].lead == j && fabs(mk[j].px - mk[i].px) < 1 && fabs(mk[j].py - mk[i].py) < 1) {
				mk[i].lead = j;
				break;
			}
	}
	/* unknown under does not fit under fits: the verdicts that decide
	 * stay on top where marks meet */
	for (kind = 2; kind >= 0; kind--)
		for (i = 0; i < n; i++) {
			const struct tfit_fit_result *r = mk[i].row->planned;
			if (mk[i].kind != kind)
				continue;
			tfit_strbuf_puts(out, "<g><title>");
			mark_name(rep, mk[i].row, out);
			tfit_strbuf_printf(out, ": %s; SRAM %s of %s (%.1f%%); latency %s (estimate",
					   tfit_verdict_name(r->verdict),
					   tfit_units_format_bytes(r->sram.used_bytes, a, sizeof(a)),
					   tfit_units_format_bytes(r->sram.available_bytes, b, sizeof(b)), mk[i].x,
					   tfit_units_format_ms(mk[i].y, c, sizeof(c)));
			if (mk[i].row->interval_pct > 0)
				tfit_strbuf_printf(out, ", \xC2\xB1%.0f%%", mk[i].row->interval_pct);
			tfit_strbuf_puts(out, ")</title>");
			draw_shape(out, mk[i].kind, mk[i].px, mk[i].py);
			tfit_strbuf_puts(out, "</g>\n");
		}
	draw_labels(rep, mk, n, out);
	draw_legend(count, out);
	tfit_strbuf_puts(out, "</svg>\n<figcaption>Each mark is one ");
	tfit_strbuf_puts(out, rep->n_models > 1 ? "model on one board" : "board");
	tfit_strbuf_puts(out, ": SRAM used (arena + reserve) as a share of the board&#39;s SRAM, against the "
			      "estimated latency of one inference (the table&#39;s Latency). Filled circle: fits; "
			      "cross: does not fit (or does not run); hollow diamond: unknown. Hover a mark for its figures.");
	if (n_out) {
		size_t k = 0;
		tfit_strbuf_printf(out, " Not plotted (%zu):", n_out);
		for (i = 0; i < rep->n_rows; i++) {
			const struct tfit_compare_row *row = &rep->rows[i];
			const char *why;
			if (!row->planned || !(why = unplotted(row)))
				continue;
			tfit_strbuf_puts(out, k++ ? ", " : " ");
			mark_name(rep, row, out);
			tfit_strbuf_printf(out, " (%s)", why);
		}
		tfit_strbuf_puts(out, ".");
	}
	tfit_strbuf_puts(out, "</figcaption>\n</figure>\n");
	free(mk);
}

void tfit_render_compare_html(const struct tfit_compare_report *rep, const struct tfit_table *planned,
			      const struct tfit_table *textbook, const struct tfit_render_opts *o,
			      struct tfit_strbuf *out)
{
	tfit_render_html_begin(planned ? planned->title : textbook ? textbook->title : NULL, out);
	if (planned)
		tfit_render_table_html_sortable(planned, out);
	if (textbook)
		tfit_render_table_html_sortable(textbook, out);
	/* check's page has its own per-board pictures; the chart is compare's */
	if (planned && !rep->check)
		tfit_render_compare_chart(rep, out);
	tfit_render_gates(rep->gates, rep->n_gates, rep->n_models > 1, TFIT_FORMAT_HTML, o, out);
	if (rep->check)
		tfit_render_check_html(rep->check, out);
	tfit_html_sort_script(out);
	tfit_render_html_end(out);
}
