/*
 * plan_live.c - the bytes live at each allocation scope of an arena plan
 * (what the arena-over-time pictures draw), and a plan's timeline: those
 * bytes and the scope map without the buffers (plan.h). Moved from
 * src/report/draw.c so that the check engine can keep a timeline instead
 * of a plan for a report that draws no buffer (issue #17).
 */
#include "tinyfit/plan.h"

#include <stdlib.h>
#include <string.h>

#include "tinyfit/checked.h"

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

/* Add (delta 1) or take off (-1) b's address range in t, a tree over the
 * nx end points t->xs. */
static void cover_buffer(struct cover_tree *t, uint32_t nx, const struct tfit_arena_plan *p,
			 const struct tfit_plan_buffer *b, int delta)
{
	uint64_t hi = tfit_sat_add_u64(b->offset, tfit_plan_buffer_aligned_bytes(p, b));
	cover_update(t, 1, 0, nx - 1, coord_index(t->xs, nx, b->offset),
		     coord_index(t->xs, nx, hi), delta);
}

/* Whether b is drawn: it has bytes and is live at one of p's scopes, the
 * first and last of them in *first and *last (clipped to 0..n_times - 1). */
static int live_span(const struct tfit_arena_plan *p, const struct tfit_plan_buffer *b,
		     int32_t *first, int32_t *last)
{
	*first = b->first_time < 0 ? 0 : b->first_time;
	*last = b->last_time < p->n_times ? b->last_time : p->n_times - 1;
	return tfit_plan_buffer_aligned_bytes(p, b) && b->last_time >= *first &&
	       *first < p->n_times;
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
	int32_t t, first, last;
	if (!live)
		return NULL;
	for (i = 0; i < p->n_buffers; i++) {
		const struct tfit_plan_buffer *b = &p->buffers[i];
		uint64_t bytes = tfit_plan_buffer_aligned_bytes(p, b);
		if (!live_span(p, b, &first, &last))
			continue;
		live[first] += bytes;
		live[last + 1] -= bytes;
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
uint64_t *tfit_plan_live_bytes(const struct tfit_arena_plan *p)
{
	uint64_t *live = NULL, *xs = NULL;
	uint32_t *start = NULL, *stop = NULL, *by_first = NULL, *by_last = NULL;
	struct cover_tree tree = { NULL, NULL, NULL };
	uint32_t i, n = 0, nx = 0, f, l;
	int32_t t, first, last;
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
		if (!live_span(p, b, &first, &last))
			continue;
		start[first + 1]++;
		stop[last + 1]++;
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
		if (!live_span(p, b, &first, &last))
			continue;
		by_first[start[first]++] = i;
		by_last[stop[last]++] = i;
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
		for (; f < start[t]; f++)
			cover_buffer(&tree, nx, p, &p->buffers[by_first[f]], 1);
		live[t] = tree.len[1];
		for (; l < stop[t]; l++)
			cover_buffer(&tree, nx, p, &p->buffers[by_last[l]], -1);
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

enum tfit_status tfit_arena_timeline_make(const struct tfit_arena_plan *p,
					  struct tfit_arena_timeline *out, struct tfit_error *err)
{
	size_t scopes = p->n_times > 0 ? (size_t)p->n_times : 0;
	memset(out, 0, sizeof(*out));
	out->n_times = p->n_times;
	out->head_bytes = p->head_bytes;
	out->peak_time = p->peak_time;
	out->used_offline_plan = p->used_offline_plan;
	if (scopes && !(out->live_bytes = tfit_plan_live_bytes(p)))
		goto nomem;
	if (scopes && p->scope_op && p->scope_subgraph) {
		out->scope_subgraph = malloc(scopes * sizeof(*out->scope_subgraph));
		out->scope_op = malloc(scopes * sizeof(*out->scope_op));
		if (!out->scope_subgraph || !out->scope_op)
			goto nomem;
		memcpy(out->scope_subgraph, p->scope_subgraph, scopes * sizeof(*out->scope_subgraph));
		memcpy(out->scope_op, p->scope_op, scopes * sizeof(*out->scope_op));
	}
	return TFIT_OK;
nomem:
	tfit_arena_timeline_release(out);
	return tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
}

void tfit_arena_timeline_release(struct tfit_arena_timeline *t)
{
	if (!t)
		return;
	free(t->live_bytes);
	free(t->scope_subgraph);
	free(t->scope_op);
	memset(t, 0, sizeof(*t));
}
