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

uint64_t tfit_render_arena_text(const struct tfit_model *m, const struct tfit_arena_timeline *p,
				const char *indent, const struct tfit_arena_words *words,
				int32_t max_rows, const struct tfit_render_opts *o,
				struct tfit_strbuf *out)
{
	struct tfit_arena_words aw = tfit_arena_words_or_default(words);
	const uint64_t *live = p ? p->live_bytes : NULL;
	uint64_t top;
	char type[160], a[32], num[16];
	size_t type_w = 6, idx_w = 2, bar_w, k;
	int32_t s;
	const char *full = o->ascii ? "#" : "\xE2\x96\x88", *empty = o->ascii ? "." : "\xE2\x96\x91";
	uint64_t left_out = 0;

	if (!live) {
		if (p && p->n_times > 0)
			out->oom = 1;
		return 0;
	}
	top = p->head_bytes;
	for (s = 0; s < p->n_times; s++) {
		size_t w;
		int32_t sg, op;
		if (live[s] > top)
			top = live[s];
		if (!tfit_draw_row_kept(s, p->n_times, p->peak_time, max_rows))
			continue;
		w = tfit_draw_text_cols(tfit_draw_scope_type(m, p, s, type, sizeof(type)));
		if (w > type_w)
			type_w = w;
		tfit_arena_timeline_scope(p, s, &sg, &op);
		if (op >= 0) {
			size_t n = (size_t)snprintf(num, sizeof(num), "%d", op);
			if (n > idx_w)
				idx_w = n;
		}
	}
	/* indent + index + type + bar + " 123.45 KiB" + "  <- peak (lower bound)" */
	bar_w = tfit_draw_bar_width(o, strlen(indent) + idx_w + 1 + 1 + 12 + 24, &type_w);
	tfit_strbuf_printf(out, "%s%s over time: bytes live per op as planned%s%s; a full bar = the %s, %s\n",
			   indent, aw.buffer, p->used_offline_plan ? " by " : "",
			   p->used_offline_plan ? tfit_draw_plan_label(1) : "", aw.head,
			   tfit_units_format_bytes(top, a, sizeof(a)));
	for (s = 0; s < p->n_times; s++) {
		size_t filled = top ? (size_t)((double)live[s] * (double)bar_w / (double)top + 0.5) : 0;
		int32_t sg, op;
		if (!tfit_draw_row_kept(s, p->n_times, p->peak_time, max_rows)) {
			/* one line for the run of scopes left out */
			int32_t e = s;
			while (e < p->n_times && !tfit_draw_row_kept(e, p->n_times, p->peak_time, max_rows))
				e++;
			tfit_strbuf_puts(out, indent);
			tfit_strbuf_pad(out, ' ', idx_w > 3 ? idx_w - 3 : 0);
			tfit_strbuf_printf(out, "... %s ops left out\n",
					   tfit_units_format_int((uint64_t)(e - s), a, sizeof(a)));
			left_out += (uint64_t)(e - s);
			s = e - 1;
			continue;
		}
		if (filled > bar_w)
			filled = bar_w;
		if (live[s] && filled == 0)
			filled = 1;
		tfit_strbuf_puts(out, indent);
		tfit_arena_timeline_scope(p, s, &sg, &op);
		if (s == 0 || op < 0)
			snprintf(num, sizeof(num), "%s", s == 0 ? "in" : "-");
		else if (sg != 0)
			snprintf(num, sizeof(num), "%d.%d", sg, op);
		else
			snprintf(num, sizeof(num), "%d", op);
		tfit_strbuf_pad(out, ' ', idx_w > strlen(num) ? idx_w - strlen(num) : 0);
		tfit_strbuf_puts(out, num);
		tfit_strbuf_putc(out, ' ');
		tfit_draw_put_cut(out, tfit_draw_scope_type(m, p, s, type, sizeof(type)), type_w, o->ascii);
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
	return left_out;
}

uint64_t tfit_render_arena_text_plan(const struct tfit_model *m, const struct tfit_arena_plan *p,
				     const char *indent, const struct tfit_arena_words *words,
				     int32_t max_rows, const struct tfit_render_opts *o,
				     struct tfit_strbuf *out)
{
	struct tfit_arena_timeline t;
	struct tfit_error err;
	uint64_t left_out;
	if (!p || p->n_times <= 0)
		return 0;
	if (tfit_arena_timeline_make(p, &t, &err) != TFIT_OK) {
		out->oom = 1;
		return 0;
	}
	left_out = tfit_render_arena_text(m, &t, indent, words, max_rows, o, out);
	tfit_arena_timeline_release(&t);
	return left_out;
}

struct tfit_arena_words tfit_arena_words_or_default(const struct tfit_arena_words *w)
{
	struct tfit_arena_words d = { "arena", "head", "Tensor arena", tfit_draw_plan_label(0) };
	if (w && w->buffer && w->buffer[0])
		d.buffer = w->buffer;
	if (w && w->head && w->head[0])
		d.head = w->head;
	if (w && w->title && w->title[0])
		d.title = w->title;
	if (w && w->plan && w->plan[0])
		d.plan = w->plan;
	return d;
}
