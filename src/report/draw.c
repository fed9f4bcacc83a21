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

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Index of v in the sorted, duplicate-free xs[0..n). */
static uint32_t coord_index(const uint64_t *xs, uint32_t n, uint64_t v)
{
	uint32_t lo = 0, hi = n;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (xs[mid] <= v)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Union-length segment tree over the elementary intervals
 * [xs[i], xs[i+1]) (the classic sweep for the area of a union of
 * rectangles): cover[] counts the buffers covering a node whole, len[] is
 * the covered length below it. */
struct cover_tree {
	const uint64_t *xs;
	uint32_t *cover;
	uint64_t *len;
};

static void cover_update(struct cover_tree *t, uint32_t node, uint32_t lo, uint32_t hi,
			 uint32_t a, uint32_t b, int delta)
{
	if (b <= lo || hi <= a || a >= b)
		return;
	if (a <= lo && hi <= b) {
		t->cover[node] = (uint32_t)((int64_t)t->cover[node] + delta);
	} else {
		uint32_t mid = lo + (hi - lo) / 2;
		cover_update(t, 2 * node, lo, mid, a, b, delta);
		cover_update(t, 2 * node + 1, mid, hi, a, b, delta);
	}
	if (t->cover[node])
		t->len[node] = t->xs[hi] - t->xs[lo];
	else if (hi - lo == 1)
		t->len[node] = 0;
	else
		t->len[node] = t->len[2 * node] + t->len[2 * node + 1];
}

static int live_at(const struct tfit_arena_plan *p, const struct tfit_plan_buffer *b,
		   int32_t *first)
{
	*first = b->first_time < 0 ? 0 : b->first_time;
	return tfit_plan_buffer_aligned_bytes(p, b) && b->last_time >= *first;
}

/* A plan without an offline plan never puts two buffers live at one scope
 * on common addresses (plan.h, used_offline_plan), so the union of their
 * ranges is the sum of their sizes: each buffer's size added at its first
 * scope and taken off after its last in one array of n_times + 1 entries,
 * then summed in place (unsigned arithmetic wraps exactly; every prefix is
 * a sum of disjoint ranges, below 2^64). 8 bytes a scope and nothing a
 * buffer, where the union below takes about 60 bytes a buffer (issue #17:
 * 2.5 MB while the text report of the 20,000-way fan-in drew its arena). */
static uint64_t *live_sum(const struct tfit_arena_plan *p)
{
	uint64_t *live = calloc((size_t)p->n_times + 1, sizeof(*live));
	uint32_t i;
	int32_t t, first;
	if (!live)
		return NULL;
	for (i = 0; i < p->n_buffers; i++) {
		const struct tfit_plan_buffer *b = &p->buffers[i];
		uint64_t bytes = tfit_plan_buffer_aligned_bytes(p, b);
		if (!live_at(p, b, &first) || first >= p->n_times)
			continue;
		live[first] += bytes;
		live[(b->last_time < p->n_times ? b->last_time : p->n_times - 1) + 1] -= bytes;
	}
	for (t = 1; t < p->n_times; t++)
		live[t] += live[t - 1];
	return live;
}

/* Bytes of the union of the address ranges live at each scope: buffers an
 * offline plan places on top of each other (an in-place RESHAPE) count once.
 * Without an offline plan no two do: live_sum(). With one, a sweep over
 * the scopes adds each buffer's range at its first scope and removes it
 * after its last, in a union-length segment tree over the ranges' end
 * points: O(n log n) in the buffers, whatever the number live at once (a
 * 20,000-way fan-in took seconds re-sorting every scope). */
uint64_t *tfit_draw_live_bytes(const struct tfit_arena_plan *p)
{
	uint64_t *live = NULL, *xs = NULL;
	uint32_t *start = NULL, *stop = NULL, *by_first = NULL, *by_last = NULL;
	struct cover_tree tree = { NULL, NULL, NULL };
	uint32_t i, n = 0, nx = 0, f, l;
	int32_t t, first;
	if (!p || p->n_times <= 0)
		return NULL;
	if (!p->used_offline_plan)
		return live_sum(p);
	live = calloc((size_t)p->n_times, sizeof(*live));
	xs = malloc(((size_t)p->n_buffers * 2 + 1) * sizeof(*xs));
	start = calloc((size_t)p->n_times + 1, sizeof(*start));
	stop = calloc((size_t)p->n_times + 1, sizeof(*stop));
	by_first = malloc(((size_t)p->n_buffers + 1) * sizeof(*by_first));
	by_last = malloc(((size_t)p->n_buffers + 1) * sizeof(*by_last));
	if (!live || !xs || !start || !stop || !by_first || !by_last)
		goto nomem;
	/* buckets of buffers by first and by last scope (counting sort) */
	for (i = 0; i < p->n_buffers; i++) {
		const struct tfit_plan_buffer *b = &p->buffers[i];
		if (!live_at(p, b, &first) || first >= p->n_times)
			continue;
		start[first + 1]++;
		stop[(b->last_time < p->n_times ? b->last_time : p->n_times - 1) + 1]++;
		xs[nx++] = b->offset;
		xs[nx++] = tfit_sat_add_u64(b->offset, tfit_plan_buffer_aligned_bytes(p, b));
		n++;
	}
	if (!n)
		goto out;
	for (t = 0; t < p->n_times; t++) {
		start[t + 1] += start[t];
		stop[t + 1] += stop[t];
	}
	for (i = 0; i < p->n_buffers; i++) {
		const struct tfit_plan_buffer *b = &p->buffers[i];
		if (!live_at(p, b, &first) || first >= p->n_times)
			continue;
		by_first[start[first]++] = i;
		by_last[stop[b->last_time < p->n_times ? b->last_time : p->n_times - 1]++] = i;
	}
	qsort(xs, nx, sizeof(*xs), u64_cmp);
	for (i = 1, l = 1; i < nx; i++)
		if (xs[i] != xs[l - 1])
			xs[l++] = xs[i];
	nx = l;
	tree.xs = xs;
	if (nx < 2)
		goto out; /* every range empty */
	tree.cover = calloc((size_t)nx * 4, sizeof(*tree.cover));
	tree.len = calloc((size_t)nx * 4, sizeof(*tree.len));
	if (!tree.cover || !tree.len)
		goto nomem;
	/* start[t] and stop[t] now hold where bucket t ends */
	for (t = 0, f = 0, l = 0; t < p->n_times; t++) {
		for (; f < start[t]; f++) {
			const struct tfit_plan_buffer *b = &p->buffers[by_first[f]];
			uint64_t hi = tfit_sat_add_u64(b->offset, tfit_plan_buffer_aligned_bytes(p, b));
			cover_update(&tree, 1, 0, nx - 1, coord_index(xs, nx, b->offset),
				     coord_index(xs, nx, hi), 1);
		}
		live[t] = tree.len[1];
		for (; l < stop[t]; l++) {
			const struct tfit_plan_buffer *b = &p->buffers[by_last[l]];
			uint64_t hi = tfit_sat_add_u64(b->offset, tfit_plan_buffer_aligned_bytes(p, b));
			cover_update(&tree, 1, 0, nx - 1, coord_index(xs, nx, b->offset),
				     coord_index(xs, nx, hi), -1);
		}
	}
	goto out;
nomem:
	free(live);
	live = NULL;
out:
	free(xs);
	free(start);
	free(stop);
	free(by_first);
	free(by_last);
	free(tree.cover);
	free(tree.len);
	return live;
}

static const struct tfit_op *scope_op(const struct tfit_model *m, const struct tfit_arena_plan *p,
				      int32_t scope, uint32_t *sg, int32_t *op)
{
	int32_t s_sg;
	*sg = 0;
	*op = -1;
	if (scope < 0 || scope >= p->n_times)
		return NULL;
	tfit_plan_scope(p, scope, &s_sg, op);
	*sg = s_sg < 0 ? 0 : (uint32_t)s_sg;
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
