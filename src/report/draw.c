/* draw.c - helpers shared by the SVG, HTML and text pictures (draw.h). */
#include "draw.h"

#include "tinyfit/fit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tinyfit/checked.h"
#include "tinyfit/report.h"
#include "tinyfit/table.h"
#include "tinyfit/units.h"
#include "util/numeric.h"

/* The op of subgraph s_sg, index *op that opens a scope (NULL: none). */
static const struct tfit_op *scope_op(const struct tfit_model *m, int32_t s_sg, uint32_t *sg, int32_t *op)
{
	*sg = s_sg < 0 ? 0 : (uint32_t)s_sg;
	if (*op < 0 || *sg >= m->n_subgraphs || (uint32_t)*op >= m->subgraphs[*sg].n_ops)
		return NULL;
	return &m->subgraphs[*sg].ops[*op];
}

const char *tfit_draw_scope_type(const struct tfit_model *m, const struct tfit_arena_timeline *t,
				 int32_t scope, char *buf, size_t size)
{
	uint32_t sg;
	int32_t s_sg = 0, op = -1;
	const struct tfit_op *o = NULL;
	if (scope >= 0 && scope < t->n_times) {
		tfit_arena_timeline_scope(t, scope, &s_sg, &op);
		o = scope_op(m, s_sg, &sg, &op);
	}
	if (!o)
		snprintf(buf, size, "%s", scope == 0 ? "inputs" : "?");
	else
		tfit_op_display_type(o, buf, size);
	return buf;
}

const char *tfit_draw_scope_label(const struct tfit_model *m, const struct tfit_arena_plan *p,
				  int32_t scope, char *buf, size_t size)
{
	char type[160];
	uint32_t sg = 0;
	int32_t s_sg = 0, op = -1;
	const struct tfit_op *o = NULL;
	if (scope >= 0 && scope < p->n_times) {
		tfit_plan_scope(p, scope, &s_sg, &op);
		o = scope_op(m, s_sg, &sg, &op);
	}
	if (!o)
		snprintf(buf, size, "%s", scope == 0 ? "inputs" : "?");
	else if (sg)
		snprintf(buf, size, "subgraph %u op %d %s", sg, op, tfit_op_display_type(o, type, sizeof(type)));
	else
		snprintf(buf, size, "op %d %s", op, tfit_op_display_type(o, type, sizeof(type)));
	return buf;
}

const char *tfit_draw_buffer_name(const struct tfit_model *m, const struct tfit_plan_buffer *b,
				  char *buf, size_t size)
{
	if (b->kind == TFIT_PLAN_SCRATCH) {
		snprintf(buf, size, "scratch buffer of op %d", b->op);
	} else if (b->subgraph < m->n_subgraphs && b->tensor >= 0 &&
		   (uint32_t)b->tensor < m->subgraphs[b->subgraph].n_tensors &&
		   m->subgraphs[b->subgraph].tensors[b->tensor].name &&
		   m->subgraphs[b->subgraph].tensors[b->tensor].name[0]) {
		snprintf(buf, size, "%s", m->subgraphs[b->subgraph].tensors[b->tensor].name);
	} else {
		snprintf(buf, size, "tensor %d", b->tensor);
	}
	return buf;
}

double tfit_draw_nice_step(double top, int max_ticks)
{
	double s = tfit_draw_nice_step_fine(top, max_ticks);
	return s < 1 ? 1 : s;
}

double tfit_draw_nice_step_fine(double top, int max_ticks)
{
	double raw, mag, f;
	if (!(top > 0) || max_ticks < 1)
		return 1;
	raw = top / max_ticks;
	mag = tfit_pow10(tfit_floor_log10(raw));
	f = raw / mag;
	if (f <= 1)
		f = 1;
	else if (f <= 2)
		f = 2;
	else if (f <= 5)
		f = 5;
	else
		f = 10;
	return f * mag;
}

const char *tfit_draw_plan_label(int offline_plan)
{
	return offline_plan ? "TFLM's plan (offline, from the model's OfflineMemoryAllocation)"
			    : "TFLM's plan";
}

size_t tfit_runtime_notes(const struct tfit_fit_result *r, size_t n, const char *sep,
			  struct tfit_strbuf *out)
{
	size_t i, j, written = 0;
	for (i = 0; i < n; i++) {
		int seen = 0;
		if (r[i].method != TFIT_METHOD_PLANNED || r[i].memory_unknown || !r[i].terms.note[0])
			continue;
		for (j = 0; j < i && !seen; j++)
			seen = r[j].method == TFIT_METHOD_PLANNED && !r[j].memory_unknown &&
			       strcmp(r[j].terms.note, r[i].terms.note) == 0;
		if (!seen) {
			tfit_strbuf_printf(out, "%s%s", r[i].terms.note, sep);
			written++;
		}
	}
	return written;
}

int tfit_draw_row_kept(int32_t r, int32_t n, int32_t focus, int32_t max_rows)
{
	const int32_t e = TFIT_ARENA_TEXT_EDGE;
	if (max_rows <= 0 || n <= max_rows)
		return 1;
	return r < e || r >= n - e || (focus >= 0 && r >= focus - e && r <= focus + e);
}

void tfit_draw_elided_note(uint64_t left_out, uint64_t n_ops, const char *device_id, const char *open,
			   const char *close, int markup, struct tfit_strbuf *out)
{
	char a[32], b[32];
	tfit_strbuf_printf(out, "%s of %s ops left out: %stinyfit layers MODEL --device ",
			   tfit_units_format_int(left_out, a, sizeof(a)),
			   tfit_units_format_int(n_ops, b, sizeof(b)), open);
	if (markup)
		tfit_html_escape(out, device_id);
	else
		tfit_strbuf_puts(out, device_id);
	tfit_strbuf_printf(out, "%s draws every op", close);
}

size_t tfit_draw_text_cols(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

void tfit_draw_put_cut(struct tfit_strbuf *out, const char *s, size_t width, int ascii)
{
	size_t w = tfit_draw_text_cols(s), n = 0, c = 0;
	if (w <= width) {
		tfit_strbuf_puts(out, s);
		tfit_strbuf_pad(out, ' ', width - w);
		return;
	}
	/* cut on a character boundary, mark with an ellipsis */
	while (s[n] && c + 1 < width) {
		n++;
		while (((unsigned char)s[n] & 0xC0) == 0x80)
			n++;
		c++;
	}
	tfit_strbuf_add(out, s, n);
	tfit_strbuf_puts(out, ascii ? "~" : "\xE2\x80\xA6");
}

size_t tfit_draw_bar_width(const struct tfit_render_opts *o, size_t fixed, size_t *label_w)
{
	size_t width = o->width > 0 ? (size_t)o->width : 100, bar_w;
	if (*label_w > 22)
		*label_w = 22;
	fixed += *label_w;
	/* narrow terminals: shorten the label before the bar */
	while (*label_w > 10 && width < fixed + 16) {
		(*label_w)--;
		fixed--;
	}
	bar_w = width > fixed + 8 ? width - fixed : 8;
	return bar_w > 40 ? 40 : bar_w;
}
