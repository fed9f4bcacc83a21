/* draw.c - helpers shared by the SVG, HTML and text pictures (draw.h). */
#include "draw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tinyfit/checked.h"
#include "tinyfit/report.h"
#include "tinyfit/table.h"

struct span {
	uint64_t lo, hi;
};

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Bytes of the union of the address ranges live at each scope: buffers an
 * offline plan places on top of each other (an in-place RESHAPE) count once. */
uint64_t *tfit_draw_live_bytes(const struct tfit_arena_plan *p)
{
	uint64_t *live;
	struct span *sp;
	uint32_t i, n;
	int32_t t;
	if (!p || p->n_times <= 0)
		return NULL;
	live = calloc((size_t)p->n_times, sizeof(*live));
	sp = calloc(p->n_buffers ? p->n_buffers : 1, sizeof(*sp));
	if (!live || !sp) {
		free(live);
		free(sp);
		return NULL;
	}
	for (t = 0; t < p->n_times; t++) {
		uint64_t end = 0;
		for (i = 0, n = 0; i < p->n_buffers; i++) {
			const struct tfit_plan_buffer *b = &p->buffers[i];
			int32_t first = b->first_time < 0 ? 0 : b->first_time;
			if (t < first || t > b->last_time || !b->aligned_bytes)
				continue;
			sp[n].lo = b->offset;
			sp[n++].hi = tfit_sat_add_u64(b->offset, b->aligned_bytes);
		}
		qsort(sp, n, sizeof(*sp), span_cmp);
		for (i = 0; i < n; i++) {
			uint64_t lo = sp[i].lo > end ? sp[i].lo : end;
			if (sp[i].hi > lo)
				live[t] = tfit_sat_add_u64(live[t], sp[i].hi - lo);
			if (sp[i].hi > end)
				end = sp[i].hi;
		}
	}
	free(sp);
	return live;
}

static const struct tfit_op *scope_op(const struct tfit_model *m, const struct tfit_arena_plan *p,
				      int32_t scope, uint32_t *sg, int32_t *op)
{
	*sg = 0;
	*op = -1;
	if (!p->scope_op || !p->scope_subgraph || scope < 0 || scope >= p->n_times)
		return NULL;
	*op = p->scope_op[scope];
	*sg = p->scope_subgraph[scope] < 0 ? 0 : (uint32_t)p->scope_subgraph[scope];
	if (*op < 0 || *sg >= m->n_subgraphs || (uint32_t)*op >= m->subgraphs[*sg].n_ops)
		return NULL;
	return &m->subgraphs[*sg].ops[*op];
}

const char *tfit_draw_scope_type(const struct tfit_model *m, const struct tfit_arena_plan *p,
				 int32_t scope, char *buf, size_t size)
{
	uint32_t sg;
	int32_t op;
	const struct tfit_op *o = scope_op(m, p, scope, &sg, &op);
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
	uint32_t sg;
	int32_t op;
	const struct tfit_op *o = scope_op(m, p, scope, &sg, &op);
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
	mag = pow(10.0, floor(log10(raw)));
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
