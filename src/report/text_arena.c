/*
 * text_arena.c - the arena over time for the terminal, in the spirit of
 * TFLM's RecordingMicroAllocator printout: one line per allocation scope
 * (the inputs, then each op in execution order) with a bar of the bytes
 * live there (as planned, 16-byte aligned) against the head of the plan,
 * the peak marked in words. Fitted to the terminal width.
 */
#include "draw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tinyfit/report.h"
#include "tinyfit/units.h"

/* Display width of UTF-8 text (one column per code point). */
static size_t cols(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

void tfit_render_arena_text(const struct tfit_model *m, const struct tfit_arena_plan *p,
			    const char *indent, const struct tfit_render_opts *o,
			    struct tfit_strbuf *out)
{
	uint64_t *live = tfit_draw_live_bytes(p), top;
	char type[160], a[32], num[16];
	size_t type_w = 6, idx_w = 2, bar_w, width, fixed, k;
	int32_t s;
	const char *full = o->ascii ? "#" : "\xE2\x96\x88", *empty = o->ascii ? "." : "\xE2\x96\x91";

	if (!live) {
		if (p && p->n_times > 0)
			out->oom = 1;
		return;
	}
	top = p->head_bytes;
	for (s = 0; s < p->n_times; s++) {
		size_t w = cols(tfit_draw_scope_type(m, p, s, type, sizeof(type)));
		if (w > type_w)
			type_w = w;
		if (live[s] > top)
			top = live[s];
		if (p->scope_op && p->scope_op[s] >= 0) {
			size_t n = (size_t)snprintf(num, sizeof(num), "%d", p->scope_op[s]);
			if (n > idx_w)
				idx_w = n;
		}
	}
	if (type_w > 22)
		type_w = 22;
	/* indent + index + type + bar + " 123.45 KiB" + "  <- peak (lower bound)" */
	width = o->width > 0 ? (size_t)o->width : 100;
	fixed = strlen(indent) + idx_w + 1 + type_w + 1 + 12 + 24;
	/* narrow terminals: shorten the op type (down to 10) before the bar */
	while (type_w > 10 && (width < fixed + 16)) {
		type_w--;
		fixed--;
	}
	bar_w = width > fixed + 8 ? width - fixed : 8;
	if (bar_w > 40)
		bar_w = 40;
	tfit_strbuf_printf(out, "%sarena over time: bytes live per op as planned%s%s; a full bar = the head, %s\n",
			   indent, p->used_offline_plan ? " by " : "",
			   p->used_offline_plan ? tfit_draw_plan_label(1) : "",
			   tfit_units_format_bytes(top, a, sizeof(a)));
	for (s = 0; s < p->n_times; s++) {
		size_t filled = top ? (size_t)((double)live[s] * (double)bar_w / (double)top + 0.5) : 0, w;
		if (filled > bar_w)
			filled = bar_w;
		if (live[s] && filled == 0)
			filled = 1;
		tfit_strbuf_puts(out, indent);
		if (s == 0 || !p->scope_op || p->scope_op[s] < 0)
			snprintf(num, sizeof(num), "%s", s == 0 ? "in" : "-");
		else if (p->scope_subgraph && p->scope_subgraph[s] != 0)
			snprintf(num, sizeof(num), "%d.%d", p->scope_subgraph[s], p->scope_op[s]);
		else
			snprintf(num, sizeof(num), "%d", p->scope_op[s]);
		tfit_strbuf_pad(out, ' ', idx_w > strlen(num) ? idx_w - strlen(num) : 0);
		tfit_strbuf_puts(out, num);
		tfit_strbuf_putc(out, ' ');
		tfit_draw_scope_type(m, p, s, type, sizeof(type));
		w = cols(type);
		if (w > type_w) {
			/* cut on a character boundary, mark with an ellipsis */
			size_t n = 0, c = 0;
			while (type[n] && c < type_w - 1) {
				n++;
				while (((unsigned char)type[n] & 0xC0) == 0x80)
					n++;
				c++;
			}
			type[n] = '\0';
			tfit_strbuf_puts(out, type);
			tfit_strbuf_puts(out, o->ascii ? "~" : "\xE2\x80\xA6");
		} else {
			tfit_strbuf_puts(out, type);
			tfit_strbuf_pad(out, ' ', type_w - w);
		}
		tfit_strbuf_putc(out, ' ');
		if (o->color && s == p->peak_time)
			tfit_strbuf_puts(out, "\x1b[1m");
		for (k = 0; k < bar_w; k++)
			tfit_strbuf_puts(out, k < filled ? full : empty);
		if (o->color && s == p->peak_time)
			tfit_strbuf_puts(out, "\x1b[0m");
		tfit_units_format_bytes(live[s], a, sizeof(a));
		tfit_strbuf_printf(out, " %*s", 11, a);
		if (s == p->peak_time)
			tfit_strbuf_puts(out, o->ascii ? "  <- peak (lower bound)" : "  \xE2\x97\x80 peak (lower bound)");
		tfit_strbuf_putc(out, '\n');
	}
	free(live);
}
