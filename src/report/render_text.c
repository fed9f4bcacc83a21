/*
 * render_text.c - tables for the terminal: aligned columns, UTF-8 box
 * drawing (or ASCII with --ascii), colour only when asked (the CLI asks
 * only on a TTY without NO_COLOR), fitted to the terminal width by
 * shortening the widest left-aligned column with an ellipsis.
 */
#include "tinyfit/table.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Display width of UTF-8 text: one column per code point. */
static size_t text_width(const char *s)
{
	size_t w = 0;
	if (!s)
		return 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

/* Append at most max columns of s; when cut, end with an ellipsis. */
static void put_clipped(struct tfit_strbuf *out, const char *s, size_t max, int ascii)
{
	size_t w = text_width(s), cols = 0;
	const char *p;
	if (w <= max) {
		tfit_strbuf_puts(out, s ? s : "");
		return;
	}
	if (max == 0)
		return;
	for (p = s; *p; p++) {
		if (((unsigned char)*p & 0xC0) != 0x80) {
			if (cols == max - 1)
				break;
			cols++;
		}
		tfit_strbuf_putc(out, *p);
	}
	tfit_strbuf_puts(out, ascii ? "~" : "\xE2\x80\xA6");
}

struct glyphs {
	const char *h, *v, *tl, *tm, *tr, *ml, *mm, *mr, *bl, *bm, *br;
};

static const struct glyphs utf8_glyphs = {
	"\xE2\x94\x80", "\xE2\x94\x82", "\xE2\x94\x8C", "\xE2\x94\xAC", "\xE2\x94\x90",
	"\xE2\x94\x9C", "\xE2\x94\xBC", "\xE2\x94\xA4", "\xE2\x94\x94", "\xE2\x94\xB4",
	"\xE2\x94\x98"
};
static const struct glyphs ascii_glyphs = {
	"-", "|", "+", "+", "+", "+", "+", "+", "+", "+", "+"
};

static void rule(struct tfit_strbuf *out, const struct glyphs *g, const size_t *w,
		 size_t n, const char *l, const char *m, const char *r)
{
	size_t i, k;
	int first = 1;
	tfit_strbuf_puts(out, l);
	for (i = 0; i < n; i++) {
		if (w[i] == SIZE_MAX)
			continue;
		if (!first)
			tfit_strbuf_puts(out, m);
		first = 0;
		for (k = 0; k < w[i] + 2; k++)
			tfit_strbuf_puts(out, g->h);
	}
	tfit_strbuf_puts(out, r);
	tfit_strbuf_putc(out, '\n');
}

static const char *style_on(int style)
{
	switch (style) {
	case TFIT_STYLE_GOOD: return "\x1b[32m";
	case TFIT_STYLE_BAD: return "\x1b[31;1m";
	case TFIT_STYLE_WARN: return "\x1b[33m";
	case TFIT_STYLE_UNKNOWN: return "\x1b[33m"; /* as a warning: neither green nor red */
	case TFIT_STYLE_BOLD: return "\x1b[1m";
	default: return NULL;
	}
}

static void cell(struct tfit_strbuf *out, const char *text, size_t width,
		 enum tfit_align align, int style, const struct tfit_render_opts *o)
{
	size_t w = text_width(text);
	const char *on = o->color ? style_on(style) : NULL;
	if (w > width)
		w = width;
	tfit_strbuf_putc(out, ' ');
	if (align == TFIT_ALIGN_RIGHT)
		tfit_strbuf_pad(out, ' ', width - w);
	if (on)
		tfit_strbuf_puts(out, on);
	put_clipped(out, text, width, o->ascii);
	if (on)
		tfit_strbuf_puts(out, "\x1b[0m");
	if (align == TFIT_ALIGN_LEFT)
		tfit_strbuf_pad(out, ' ', width - w);
	tfit_strbuf_putc(out, ' ');
}

/* Natural width of column c: its widest cell or title. */
static size_t natural_width(const struct tfit_table *t, size_t c)
{
	size_t r, w = text_width(t->cols[c].title);
	for (r = 0; r < t->n_rows; r++) {
		size_t cw = text_width(t->cells[r * t->n_cols + c].text);
		if (cw > w)
			w = cw;
	}
	return w;
}

/* Shorten left-aligned columns (keys only when keys is set), the widest
 * first, down to min columns, until total fits width. */
static void shrink(const struct tfit_table *t, size_t *w, size_t *total, size_t width,
		   size_t min, int keys)
{
	while (*total > width) {
		size_t best = t->n_cols, i;
		for (i = 0; i < t->n_cols; i++)
			if (w[i] != SIZE_MAX && t->cols[i].align == TFIT_ALIGN_LEFT && w[i] > min &&
			    (keys || t->cols[i].drop_priority != TFIT_COL_KEY) &&
			    (best == t->n_cols || w[i] > w[best]))
				best = i;
		if (best == t->n_cols)
			return;
		w[best]--;
		(*total)--;
	}
}

/* Make the table fit width (3 columns of overhead each + 1): hide the
 * droppable columns, highest priority first,
 * then show again the most important hidden ones that fit in what is left,
 * then shorten the widest left-aligned columns (to 8, the row's key column
 * last and to 6). Hidden columns get width SIZE_MAX. Returns how many were
 * hidden. */
static size_t fit_width(const struct tfit_table *t, size_t *w, int width)
{
	size_t total = 1, i, hidden = 0, room = width > 0 ? (size_t)width : 0;
	if (width <= 0)
		return 0;
	for (i = 0; i < t->n_cols; i++)
		if (w[i] != SIZE_MAX)
			total += w[i] + 3;
	if (total <= room)
		return 0;
	while (total > room) {
		size_t best = t->n_cols;
		for (i = 0; i < t->n_cols; i++)
			if (w[i] != SIZE_MAX && t->cols[i].drop_priority > 0 &&
			    (best == t->n_cols || t->cols[i].drop_priority >= t->cols[best].drop_priority))
				best = i;
		if (best == t->n_cols)
			break;
		total -= w[best] + 3;
		w[best] = SIZE_MAX;
		hidden++;
	}
	for (;;) {
		/* the most important hidden column that fits the slack again */
		size_t best = t->n_cols;
		for (i = 0; i < t->n_cols; i++)
			if (w[i] == SIZE_MAX && !t->cols[i].csv_only &&
			    total + natural_width(t, i) + 3 <= room &&
			    (best == t->n_cols || t->cols[i].drop_priority < t->cols[best].drop_priority))
				best = i;
		if (best == t->n_cols)
			break;
		w[best] = natural_width(t, best);
		total += w[best] + 3;
		hidden--;
	}
	shrink(t, w, &total, room, 8, 0);
	shrink(t, w, &total, room, 6, 1);
	return hidden; /* still too wide: nothing left to shorten, the terminal wraps */
}

void tfit_render_table_text(const struct tfit_table *t, const struct tfit_render_opts *o,
			    struct tfit_strbuf *out)
{
	const struct glyphs *g = o->ascii ? &ascii_glyphs : &utf8_glyphs;
	size_t *w, r, c, hidden;

	if (t->title) {
		tfit_strbuf_puts(out, t->title);
		tfit_strbuf_putc(out, '\n');
	}
	if (t->n_cols == 0)
		return;
	w = calloc(t->n_cols, sizeof(*w));
	if (!w) {
		out->oom = 1;
		return;
	}
	for (c = 0; c < t->n_cols; c++) {
		if (t->cols[c].csv_only) {
			w[c] = SIZE_MAX; /* not shown, not counted as hidden */
			continue;
		}
		w[c] = text_width(t->cols[c].title);
		for (r = 0; r < t->n_rows; r++) {
			size_t cw = text_width(t->cells[r * t->n_cols + c].text);
			if (cw > w[c])
				w[c] = cw;
		}
	}
	hidden = fit_width(t, w, o->width);
	rule(out, g, w, t->n_cols, g->tl, g->tm, g->tr);
	tfit_strbuf_puts(out, g->v);
	for (c = 0; c < t->n_cols; c++) {
		if (w[c] == SIZE_MAX)
			continue;
		cell(out, t->cols[c].title, w[c], t->cols[c].align, TFIT_STYLE_BOLD, o);
		tfit_strbuf_puts(out, g->v);
	}
	tfit_strbuf_putc(out, '\n');
	rule(out, g, w, t->n_cols, g->ml, g->mm, g->mr);
	for (r = 0; r < t->n_rows; r++) {
		if (t->n_footer_rows && r == t->n_rows - t->n_footer_rows && r > 0)
			rule(out, g, w, t->n_cols, g->ml, g->mm, g->mr);
		tfit_strbuf_puts(out, g->v);
		for (c = 0; c < t->n_cols; c++) {
			const struct tfit_table_cell *ce = &t->cells[r * t->n_cols + c];
			if (w[c] == SIZE_MAX)
				continue;
			cell(out, ce->text ? ce->text : "", w[c], t->cols[c].align, ce->style, o);
			tfit_strbuf_puts(out, g->v);
		}
		tfit_strbuf_putc(out, '\n');
	}
	rule(out, g, w, t->n_cols, g->bl, g->bm, g->br);
	for (r = 0; r < t->n_notes; r++) {
		tfit_strbuf_puts(out, t->notes[r]);
		tfit_strbuf_putc(out, '\n');
	}
	if (hidden) {
		tfit_strbuf_printf(out, "(%zu column%s hidden to fit %d columns:", hidden,
				   hidden == 1 ? "" : "s", o->width);
		for (c = 0; c < t->n_cols; c++)
			if (w[c] == SIZE_MAX && !t->cols[c].csv_only)
				tfit_strbuf_printf(out, " %s", t->cols[c].title);
		tfit_strbuf_puts(out, "; all of them with --width 0 or --format csv)\n");
	}
	free(w);
}
