/*
 * svg_arena.c - the tensor arena over time as SVG: one column per
 * allocation scope (the inputs, then each op in execution order), each
 * planned buffer a rectangle at its offset in TFLM's plan spanning the ops
 * it is live for, the peak scope outlined, the lower bound and the head of
 * the plan as lines. Every rectangle carries a <title> (tensor, bytes,
 * offset, lifetime); the chart a <title> and <desc> (role="img").
 * `check` keeps the columns its text timeline keeps (tfit_draw_row_kept),
 * each run left out one dashed column with its count (issue #17).
 *
 * Greyscale: neighbouring buffers alternate dark and light fills with a
 * white outline, scratch buffers are hatched, the lines are dashed
 * differently and labelled in words, so nothing depends on hue.
 */
#include "draw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "tinyfit/fit.h"
#include "tinyfit/report.h"
#include "tinyfit/units.h"
#include "util/numeric.h"

/* Fill and label colour, dark and light in turn (ColorBrewer "Paired"
 * pairs: the pair differs in lightness, neighbours differ in hue). */
static const struct { const char *fill, *ink; } palette[] = {
	{ "#1f78b4", "#fff" }, { "#a6cee3", "#000" }, { "#33a02c", "#fff" },
	{ "#b2df8a", "#000" }, { "#e66101", "#fff" }, { "#fdbf6f", "#000" },
	{ "#6a3d9a", "#fff" }, { "#cab2d6", "#000" },
};
#define N_PALETTE (sizeof(palette) / sizeof(palette[0]))

/* Width of the x axis title in px (55 characters at font-size 11, about
 * 0.55 em each, rounded up). */
#define ARENA_X_TITLE_W 340.0

struct geom {
	double left, top, plot_w, plot_h, col_w;
	/* the y axis: in bytes below 1 KiB, else in KiB (unit_bytes 1 or
	 * 1024); its top and step in that unit, n_steps steps */
	double unit_bytes, axis_top, step;
	uint32_t n_steps;
	int32_t n;               /* columns */
	int32_t n_scopes;
	/* with scopes left out (tfit_draw_row_kept): the column of each scope,
	 * a run left out sharing one column (a break marker); else NULL */
	const int32_t *col;
	int32_t max_cols;
};

static int32_t gcol(const struct geom *g, int32_t scope)
{
	return g->col ? g->col[scope] : scope;
}

static int kept(const struct geom *g, const struct tfit_arena_plan *p, int32_t scope)
{
	return tfit_draw_row_kept(scope, g->n_scopes, p->peak_time, g->max_cols);
}

static double gy(const struct geom *g, uint64_t bytes)
{
	return g->top + g->plot_h - (double)bytes / g->unit_bytes * g->plot_h / g->axis_top;
}

static double gx(const struct geom *g, int32_t scope)
{
	return g->left + gcol(g, scope) * g->col_w;
}

/* Scopes f..l of buffer b clamped to the plan; 0 when it is not drawn
 * (empty, or live only within one run of scopes left out). */
static int span(const struct tfit_arena_plan *p, const struct geom *g,
		const struct tfit_plan_buffer *b, int32_t *f, int32_t *l)
{
	*f = b->first_time < 0 ? 0 : b->first_time;
	*l = b->last_time >= g->n_scopes ? g->n_scopes - 1 : b->last_time;
	if (*l < *f || tfit_plan_buffer_aligned_bytes(p, b) == 0)
		return 0;
	return !(g->col && g->col[*f] == g->col[*l] && !kept(g, p, *f));
}

static void one_buffer(const struct tfit_model *m, const struct tfit_arena_plan *p,
		       const struct geom *g, const char *id, uint32_t i, struct tfit_strbuf *out)
{
	char name[160], a[32], first[160], last[160];
	{
		const struct tfit_plan_buffer *b = &p->buffers[i];
		int32_t f, l;
		double x, y, w, h;
		size_t k = i % N_PALETTE;
		if (!span(p, g, b, &f, &l))
			return;
		x = gx(g, f);
		w = (gcol(g, l) - gcol(g, f) + 1) * g->col_w;
		y = gy(g, b->offset + tfit_plan_buffer_aligned_bytes(p, b));
		h = gy(g, b->offset) - y;
		tfit_draw_buffer_name(m, b, name, sizeof(name));
		tfit_strbuf_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.2f\" fill=\"",
				   x, y, w, h);
		if (b->kind == TFIT_PLAN_SCRATCH)
			tfit_strbuf_printf(out, "url(#%s-hatch)", id);
		else
			tfit_strbuf_puts(out, palette[k].fill);
		tfit_strbuf_puts(out, "\"><title>");
		tfit_html_escape(out, name);
		tfit_strbuf_printf(out, ": %s (%llu bytes, %llu planned) at offset %llu, live from ",
				   tfit_units_format_bytes(b->bytes, a, sizeof(a)),
				   (unsigned long long)b->bytes, (unsigned long long)tfit_plan_buffer_aligned_bytes(p, b),
				   (unsigned long long)b->offset);
		tfit_html_escape(out, tfit_draw_scope_label(m, p, f, first, sizeof(first)));
		tfit_strbuf_puts(out, " to ");
		tfit_html_escape(out, tfit_draw_scope_label(m, p, l, last, sizeof(last)));
		tfit_strbuf_puts(out, "</title></rect>\n");
		/* a label where it fits: ~6 px per character at 10 px */
		if (w >= 42 && h >= 12) {
			size_t max = (size_t)((w - 6) / 6.0), len = 0;
			while (name[len])
				len++;
			if (len > max) {
				if (max < 4)
					return;
				name[max - 1] = '\0';
				tfit_strbuf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\" stroke=\"none\" "
						   "font-size=\"10\" aria-hidden=\"true\">", x + 3, y + h / 2 + 3.5,
						   b->kind == TFIT_PLAN_SCRATCH ? "#000" : palette[k].ink);
				tfit_html_escape(out, name);
				tfit_strbuf_puts(out, "\xE2\x80\xA6</text>\n");
			} else {
				tfit_strbuf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\" stroke=\"none\" "
						   "font-size=\"10\" aria-hidden=\"true\">", x + 3, y + h / 2 + 3.5,
						   b->kind == TFIT_PLAN_SCRATCH ? "#000" : palette[k].ink);
				tfit_html_escape(out, name);
				tfit_strbuf_puts(out, "</text>\n");
			}
		}
	}
}

struct drawn {
	int32_t cf, cl;          /* first and last column */
	uint64_t off, end;       /* planned bytes [off, end) */
	uint32_t i;
};

static int drawn_cmp(const void *va, const void *vb)
{
	const struct drawn *a = va, *b = vb;
	if (a->cf != b->cf)
		return a->cf < b->cf ? -1 : 1;
	if (a->cl != b->cl)
		return a->cl < b->cl ? -1 : 1;
	if (a->off != b->off)
		return a->off < b->off ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

/* With scopes left out, tensors that span the same columns, lie end to
 * end and are each under a pixel tall are one grey rectangle naming how
 * many and their bytes (a 20,000-way fan-in's inputs would otherwise be
 * 20,000 invisible rectangles, issue #17). Each is drawn alone otherwise. */
static void buffers_elided(const struct tfit_model *m, const struct tfit_arena_plan *p,
			   const struct geom *g, const char *id, struct tfit_strbuf *out)
{
	struct drawn *d = malloc((p->n_buffers ? p->n_buffers : 1) * sizeof(*d));
	uint32_t i, n = 0, j, k;
	const double px_bytes = g->axis_top * g->unit_bytes / g->plot_h; /* bytes a pixel tall */
	char a[32], nm[160];
	if (!d) {
		out->oom = 1;
		return;
	}
	for (i = 0; i < p->n_buffers; i++) {
		int32_t f, l;
		if (!span(p, g, &p->buffers[i], &f, &l))
			continue;
		d[n].cf = gcol(g, f);
		d[n].cl = gcol(g, l);
		d[n].off = p->buffers[i].offset;
		d[n].end = p->buffers[i].offset + tfit_plan_buffer_aligned_bytes(p, &p->buffers[i]);
		d[n].i = i;
		n++;
	}
	qsort(d, n, sizeof(*d), drawn_cmp);
	for (j = 0; j < n; j = k) {
		uint64_t bytes = 0;
		for (k = j; k < n && d[k].cf == d[j].cf && d[k].cl == d[j].cl &&
			    (double)(d[k].end - d[k].off) < px_bytes && (k == j || d[k].off == d[k - 1].end);
		     k++)
			bytes += p->buffers[d[k].i].bytes;
		if (k - j < 2) {
			one_buffer(m, p, g, id, d[j].i, out);
			k = j + 1;
			continue;
		}
		tfit_strbuf_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.2f\" "
				   "fill=\"#888\"><title>%u tensors end to end, each under a pixel tall (",
				   gx(g, p->buffers[d[j].i].first_time < 0 ? 0 : p->buffers[d[j].i].first_time),
				   gy(g, d[k - 1].end), (d[j].cl - d[j].cf + 1) * g->col_w,
				   gy(g, d[j].off) - gy(g, d[k - 1].end), k - j);
		tfit_html_escape(out, tfit_draw_buffer_name(m, &p->buffers[d[j].i], nm, sizeof(nm)));
		tfit_strbuf_puts(out, " to ");
		tfit_html_escape(out, tfit_draw_buffer_name(m, &p->buffers[d[k - 1].i], nm, sizeof(nm)));
		tfit_strbuf_printf(out, "): %s (%llu bytes) at offsets %llu to %llu</title></rect>\n",
				   tfit_units_format_bytes(bytes, a, sizeof(a)), (unsigned long long)bytes,
				   (unsigned long long)d[j].off, (unsigned long long)d[k - 1].end);
	}
	free(d);
}

static void buffers(const struct tfit_model *m, const struct tfit_arena_plan *p,
		    const struct geom *g, const char *id, struct tfit_strbuf *out)
{
	uint32_t i;
	tfit_strbuf_puts(out, "<g class=\"buffers\" stroke=\"#fff\" stroke-width=\"0.6\">\n");
	if (g->col)
		buffers_elided(m, p, g, id, out);
	else
		for (i = 0; i < p->n_buffers; i++)
			one_buffer(m, p, g, id, i, out);
	tfit_strbuf_puts(out, "</g>\n");
}

static void axes(const struct tfit_model *m, const struct tfit_arena_plan *p, const struct geom *g,
		 const struct tfit_arena_words *w, struct tfit_strbuf *out)
{
	char tick[64];
	int32_t s, every;
	uint32_t k;
	tfit_strbuf_puts(out, "<g class=\"axes\" font-size=\"11\" fill=\"#222\">\n");
	for (k = 0; k <= g->n_steps; k++) {
		double v = k * g->step, y = g->top + g->plot_h - v * g->plot_h / g->axis_top;
		tfit_strbuf_printf(out, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ccc\"/>"
				   "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
				   g->left - 4, g->left + g->plot_w, y, y, g->left - 7, y + 4,
				   tfit_units_format_sig(v, 6, tick, sizeof(tick)));
	}
	tfit_strbuf_printf(out, "<text transform=\"translate(%.1f %.1f) rotate(-90)\" text-anchor=\"middle\">"
			   "offset in the %s (%s)</text>\n", g->left - 44, g->top + g->plot_h / 2, w->buffer,
			   g->unit_bytes == 1 ? "bytes" : "KiB");
	/* x: a label every few columns, at least 26 px apart */
	every = (int32_t)tfit_ceil(26.0 / g->col_w);
	if (every > 1)
		every = every <= 2 ? 2 : every <= 5 ? 5 : every <= 10 ? 10 : (every + 9) / 10 * 10;
	if (every < 1)
		every = 1;
	for (s = 0; s < g->n_scopes; s++) {
		int32_t sg, op;
		double x = gx(g, s) + g->col_w / 2;
		tfit_plan_scope(p, s, &sg, &op);
		if (!kept(g, p, s))
			continue;
		if (s != 0 && op % every != 0)
			continue;
		if (s != 0 && sg != 0)
			continue;
		tfit_strbuf_printf(out, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#222\"/>"
				   "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", x, x,
				   g->top + g->plot_h, g->top + g->plot_h + 4, x, g->top + g->plot_h + 16);
		if (s == 0)
			tfit_strbuf_puts(out, "in");
		else
			tfit_strbuf_printf(out, "%d", op);
		tfit_strbuf_puts(out, "</text>\n");
	}
	(void)m;
	tfit_strbuf_printf(out, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#222\"/>\n",
			   g->left, g->left + g->plot_w, g->top + g->plot_h, g->top + g->plot_h);
	/* The title is about 330 px wide at 11 px: centred under a plot
	 * narrower than that (a model of a few ops) it ran off the left edge
	 * of the image, so there it starts at the plot's left edge instead. */
	if (g->plot_w < ARENA_X_TITLE_W)
		tfit_strbuf_printf(out, "<text x=\"%.1f\" y=\"%.1f\">", g->left, g->top + g->plot_h + 34);
	else
		tfit_strbuf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
				   g->left + g->plot_w / 2, g->top + g->plot_h + 34);
	tfit_strbuf_puts(out, "operator, in execution order (in = the model's inputs)</text>\n</g>\n");
}

static void marks(const struct tfit_model *m, const struct tfit_arena_plan *p, const struct geom *g,
		  const struct tfit_arena_words *w, struct tfit_strbuf *out)
{
	char a[32], lab[200];
	double yh = gy(g, p->head_bytes), yl = gy(g, p->lower_bound_bytes), ly;
	double xr = g->left + g->plot_w;
	if (p->peak_time >= 0 && p->peak_time < g->n_scopes) {
		double x = gx(g, p->peak_time);
		tfit_strbuf_printf(out, "<rect class=\"peak\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
				   "fill=\"none\" stroke=\"#000\" stroke-width=\"2\" stroke-dasharray=\"2 2\"/>\n",
				   x - 1, g->top - 4, g->col_w + 2, g->plot_h + 4);
		tfit_strbuf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" font-weight=\"bold\" "
				   "text-anchor=\"%s\">peak: ", x + g->col_w / 2, g->top - 8,
				   gcol(g, p->peak_time) * 2 < g->n ? "start" : "end");
		tfit_html_escape(out, tfit_draw_scope_label(m, p, p->peak_time, lab, sizeof(lab)));
		tfit_strbuf_puts(out, "</text>\n");
	}
	tfit_strbuf_printf(out, "<line class=\"head\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
			   "stroke=\"#000\" stroke-width=\"1.5\"/>\n", g->left, xr + 6, yh, yh);
	tfit_strbuf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">%s %s (",
			   xr + 9, yh + 4, w->head, tfit_units_format_bytes(p->head_bytes, a, sizeof(a)));
	tfit_html_escape(out, p->used_offline_plan ? tfit_draw_plan_label(1) : w->plan);
	tfit_strbuf_puts(out, ")</text>\n");
	tfit_strbuf_printf(out, "<line class=\"lower-bound\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
			   "stroke=\"#b00\" stroke-width=\"1.5\" stroke-dasharray=\"7 4\"/>\n", g->left, xr + 6,
			   yl, yl);
	/* keep the two labels apart when the lines are close */
	ly = yl + 4;
	if (fabs(yl - yh) < 13)
		ly = yh + 17;
	tfit_strbuf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#900\">lower bound %s</text>\n",
			   xr + 9, ly, tfit_units_format_bytes(p->lower_bound_bytes, a, sizeof(a)));
}

/* Each run of scopes left out: its column washed out, edged by dashed
 * lines, the count written down it and under the axis. Returns the ops
 * left out. */
static uint64_t gaps(const struct tfit_arena_plan *p, const struct geom *g, struct tfit_strbuf *out)
{
	uint64_t left_out = 0;
	int32_t s, e;
	char a[32];
	if (!g->col)
		return 0;
	tfit_strbuf_puts(out, "<g class=\"gaps\" font-size=\"11\" fill=\"#222\">\n");
	for (s = 0; s < g->n_scopes; s = e) {
		double x, xm, ym;
		if (kept(g, p, s)) {
			e = s + 1;
			continue;
		}
		for (e = s; e < g->n_scopes && !kept(g, p, e); e++)
			;
		x = gx(g, s);
		xm = x + g->col_w / 2;
		ym = g->top + g->plot_h / 2;
		tfit_units_format_int((uint64_t)(e - s), a, sizeof(a));
		tfit_strbuf_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#fff\" "
				   "fill-opacity=\"0.85\" stroke=\"#444\" stroke-dasharray=\"4 3\"><title>%s ops "
				   "left out here</title></rect>\n", x, g->top, g->col_w, g->plot_h, a);
		tfit_strbuf_printf(out, "<text transform=\"translate(%.1f %.1f) rotate(-90)\" text-anchor=\"middle\">"
				   "\xE2\x80\xA6 %s ops left out \xE2\x80\xA6</text>\n", xm + 4, ym, a);
		tfit_strbuf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">\xE2\x80\xA6</text>\n",
				   xm, g->top + g->plot_h + 16);
		left_out += (uint64_t)(e - s);
	}
	tfit_strbuf_puts(out, "</g>\n");
	return left_out;
}

static void legend(const struct geom *g, const char *id, struct tfit_strbuf *out)
{
	double y = g->top + g->plot_h + 50, x = g->left;
	tfit_strbuf_printf(out, "<g class=\"legend\" font-size=\"11\" fill=\"#222\">"
			   "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"10\" fill=\"%s\"/>"
			   "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"10\" fill=\"%s\"/>"
			   "<text x=\"%.1f\" y=\"%.1f\">tensor (hover for name and bytes)</text>\n",
			   x, y - 9, palette[0].fill, x + 12, y - 9, palette[1].fill, x + 28, y);
	x += 240;
	tfit_strbuf_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"20\" height=\"10\" fill=\"url(#%s-hatch)\"/>"
			   "<text x=\"%.1f\" y=\"%.1f\">scratch buffer</text>\n", x, y - 9, id, x + 26, y);
	x += 120;
	tfit_strbuf_printf(out, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#b00\" "
			   "stroke-width=\"1.5\" stroke-dasharray=\"7 4\"/><text x=\"%.1f\" y=\"%.1f\">lower bound "
			   "(most bytes live at once)</text>\n", x, x + 24, y - 4, y - 4, x + 30, y);
	x += 250;
	tfit_strbuf_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"12\" fill=\"none\" stroke=\"#000\" "
			   "stroke-width=\"2\" stroke-dasharray=\"2 2\"/><text x=\"%.1f\" y=\"%.1f\">peak op</text>"
			   "</g>\n", x, y - 10, x + 16, y);
}

uint64_t tfit_render_arena_svg(const struct tfit_model *m, const struct tfit_arena_plan *p,
			       const char *runtime, const struct tfit_arena_words *words, const char *id,
			       int standalone, int32_t max_cols, const char *device_id,
			       struct tfit_strbuf *out)
{
	struct tfit_arena_words w = tfit_arena_words_or_default(words);
	struct geom g;
	char a[32], c[32], lab[200];
	double width, height;
	uint64_t top_bytes;
	const char *name = m->name ? m->name : "model";
	uint32_t i;
	int32_t *col = NULL, s, n_cols = 0;
	uint64_t left_out = 0, n_gaps = 0;

	g.n_scopes = p->n_times;
	g.max_cols = max_cols;
	g.col = NULL;
	if (max_cols > 0 && p->n_times > max_cols) {
		col = malloc((size_t)p->n_times * sizeof(*col));
		if (!col) {
			out->oom = 1;
			return 0;
		}
		g.col = col;
		for (s = 0; s < p->n_times; s++) {
			if (!kept(&g, p, s) && s > 0 && !kept(&g, p, s - 1)) {
				col[s] = n_cols - 1; /* the run's column */
				continue;
			}
			if (!kept(&g, p, s))
				n_gaps++;
			col[s] = n_cols++;
		}
	}
	g.n = col ? n_cols : p->n_times > 0 ? p->n_times : 1;
	g.col_w = 900.0 / g.n;
	if (g.col_w > 40)
		g.col_w = 40;
	if (g.col_w < 3)
		g.col_w = 3;
	g.left = 64;
	g.top = 44;
	g.plot_w = g.n * g.col_w;
	g.plot_h = 300;
	/* The y axis follows the data at every scale (issue #17): a 1, 2 or
	 * 5 x 10^k step, at most 6 of them, the top the first step at or
	 * above the head or the lower bound. Below 1 KiB it is in bytes with
	 * whole steps (a 192-byte arena: 50-byte steps to 200 B; in KiB with
	 * a floor of 1 its bars were 56 px of 300), from 1 KiB on in KiB with
	 * fractional steps where the arena is under 6 KiB (1.2 KiB: 0.2 KiB
	 * steps, not one of 1 KiB to 2 KiB). An empty arena keeps 1 KiB. */
	top_bytes = p->head_bytes > p->lower_bound_bytes ? p->head_bytes : p->lower_bound_bytes;
	g.unit_bytes = top_bytes > 0 && top_bytes < 1024 ? 1 : 1024;
	g.axis_top = top_bytes > 0 ? (double)top_bytes / g.unit_bytes : 1;
	g.step = g.unit_bytes == 1 ? tfit_draw_nice_step(g.axis_top, 6)
				   : tfit_draw_nice_step_fine(g.axis_top, 6);
	g.n_steps = (uint32_t)tfit_ceil(g.axis_top / g.step - 1e-9);
	g.axis_top = g.n_steps * g.step;
	width = g.left + g.plot_w + 190;
	if (width < 900)
		width = 900;
	height = g.top + g.plot_h + 64;
	if (col && device_id)
		height += 20;

	if (standalone)
		tfit_strbuf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	tfit_strbuf_printf(out, "<svg %sclass=\"arena\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
			   "role=\"img\" aria-labelledby=\"%s-title %s-desc\" font-family=\"system-ui, "
			   "'Segoe UI', Helvetica, Arial, sans-serif\">\n",
			   standalone ? "xmlns=\"http://www.w3.org/2000/svg\" " : "", width, height, width,
			   height, id, id);
	tfit_strbuf_printf(out, "<title id=\"%s-title\">", id);
	tfit_html_escape(out, w.title);
	tfit_strbuf_puts(out, " over time: ");
	tfit_html_escape(out, name);
	tfit_strbuf_puts(out, " (");
	tfit_html_escape(out, runtime);
	tfit_strbuf_puts(out, ", ");
	tfit_html_escape(out, p->used_offline_plan ? tfit_draw_plan_label(1) : w.plan);
	tfit_strbuf_puts(out, ")</title>\n");
	tfit_strbuf_printf(out, "<desc id=\"%s-desc\">One column per operator in execution order", id);
	if (col) {
		uint64_t n_left = 0;
		for (s = 0; s < p->n_times; s++)
			n_left += !kept(&g, p, s);
		tfit_strbuf_printf(out, " (%s of %s ops left out, in %llu runs, each a dashed column marked "
				   "with its count)", tfit_units_format_int(n_left, a, sizeof(a)),
				   tfit_units_format_int((uint64_t)p->n_times - 1, c, sizeof(c)),
				   (unsigned long long)n_gaps);
	}
	tfit_strbuf_printf(out, "; each rectangle is a tensor placed at its offset in the %s for as long as it is live. "
			   "The plan puts the %s at %s; the lower bound (the most bytes live at once) is %s, at ",
			   w.buffer, w.head, tfit_units_format_bytes(p->head_bytes, a, sizeof(a)),
			   tfit_units_format_bytes(p->lower_bound_bytes, c, sizeof(c)));
	tfit_html_escape(out, tfit_draw_scope_label(m, p, p->peak_time, lab, sizeof(lab)));
	tfit_strbuf_puts(out, ", where these are live:");
	for (i = 0; i < p->n_peak_buffers && i < 8; i++) {
		const struct tfit_plan_buffer *b = &p->buffers[p->peak_buffers[i]];
		char nm[160];
		tfit_strbuf_puts(out, i ? ", " : " ");
		tfit_html_escape(out, tfit_draw_buffer_name(m, b, nm, sizeof(nm)));
		tfit_strbuf_printf(out, " %s", tfit_units_format_bytes(b->bytes, a, sizeof(a)));
	}
	if (p->n_peak_buffers > 8)
		tfit_strbuf_printf(out, " and %u more", p->n_peak_buffers - 8);
	tfit_strbuf_puts(out, ".</desc>\n");
	tfit_strbuf_printf(out, "<defs><pattern id=\"%s-hatch\" patternUnits=\"userSpaceOnUse\" width=\"6\" "
			   "height=\"6\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" "
			   "fill=\"#eee\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#444\" "
			   "stroke-width=\"2.5\"/></pattern></defs>\n", id);
	tfit_strbuf_printf(out, "<rect width=\"%.0f\" height=\"%.0f\" fill=\"#fff\"/>\n", width, height);
	tfit_strbuf_printf(out, "<text x=\"%.1f\" y=\"18\" font-size=\"14\" font-weight=\"bold\">",
			   g.left);
	tfit_html_escape(out, w.title);
	tfit_strbuf_puts(out, " over time: ");
	tfit_html_escape(out, name);
	tfit_strbuf_puts(out, " (");
	tfit_html_escape(out, runtime);
	tfit_strbuf_printf(out, ", %s %s, lower bound %s)</text>\n", w.head,
			   tfit_units_format_bytes(p->head_bytes, a, sizeof(a)),
			   tfit_units_format_bytes(p->lower_bound_bytes, c, sizeof(c)));
	axes(m, p, &g, &w, out);
	buffers(m, p, &g, id, out);
	left_out = gaps(p, &g, out);
	marks(m, p, &g, &w, out);
	legend(&g, id, out);
	if (left_out && device_id) {
		tfit_strbuf_printf(out, "<text class=\"elided\" x=\"%.1f\" y=\"%.1f\" font-size=\"12\">",
				   g.left, g.top + g.plot_h + 72);
		tfit_draw_elided_note(left_out, (uint64_t)p->n_times - 1, device_id,
				      "<tspan font-family=\"monospace\">", "</tspan>", 1, out);
		tfit_strbuf_puts(out, "</text>\n");
	}
	tfit_strbuf_puts(out, "</svg>\n");
	free(col);
	return left_out;
}

void tfit_render_check_svg(const struct tfit_check_report *r, struct tfit_strbuf *out)
{
	size_t i;
	for (i = 0; r->plans && i < r->n_results; i++)
		if (r->plans[i] && !r->results[i].memory_unknown) {
			tfit_render_arena_svg(r->model, r->plans[i], r->results[i].runtime,
					      &(struct tfit_arena_words){ r->results[i].terms.arena,
									  r->results[i].terms.arena_head,
									  r->results[i].terms.title,
									  r->results[i].terms.arena_plan },
					      "arena", 1, TFIT_ARENA_TEXT_MAX_ROWS,
					      r->results[i].device->id, out);
			return;
		}
}
