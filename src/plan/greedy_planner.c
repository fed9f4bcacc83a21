/*
 * greedy_planner.c - TFLM's GreedyMemoryPlanner, same result, faster.
 *
 * TFLM (tensorflow/lite/micro/memory_planner/greedy_memory_planner.cc,
 * CalculateOffsetsIfNeeded) does this:
 *  1. order: offline-planned buffers first, in the order they were added;
 *     then the online ones, which it writes into the sort array from the
 *     back (so in reverse add order) and bubble-sorts by size, largest
 *     first; the bubble sort is stable, so equal sizes stay in reverse add
 *     order;
 *  2. place each buffer in that order: an offline one at its offset; an
 *     online one by walking the list of placed buffers sorted by offset
 *     (equal offsets in placement order) and looking only at those whose
 *     lifetime overlaps its own: with candidate = 0, for each such buffer
 *     e, if e.offset - candidate >= size the buffer goes at candidate,
 *     otherwise candidate = max(candidate, e.offset + e.size) and the walk
 *     goes on; past the last one it goes at candidate;
 *  3. the head is the largest offset + size.
 *
 * TFLM walks every placed buffer for every buffer: O(n^2). Only the ones
 * that overlap in time matter, so here they are fetched from an interval
 * index (a segment tree over time for "live at my first scope", a list
 * sorted by first scope, by counting sort, with where each scope's
 * buffers start in it, for "starts during my lifetime"), filtered to those
 * already placed, sorted by (offset, placement order) and walked the same
 * way. Cost: O(sum over buffers of overlapping buffers * log).
 * tests/unit/test_plan_greedy.c checks it against a line-by-line
 * re-implementation of TFLM's loop on random cases.
 */
#include "tinyfit/plan.h"
#include "tinyfit/checked.h"

#include <stdlib.h>
#include <string.h>

struct placed {
	int64_t offset;
	uint32_t seq;    /* placement order */
	uint32_t id;
};

/* Append a placed buffer to the candidate list (grown as needed); 0 or -1. */
static int push_placed(struct placed **cand, uint32_t *m, uint32_t *cap, int64_t offset,
		       uint32_t seq, uint32_t id)
{
	if (*m == *cap) {
		uint32_t ncap = *cap ? *cap * 2 : 64;
		struct placed *p = realloc(*cand, ncap * sizeof(*p));
		if (!p)
			return -1;
		*cand = p;
		*cap = ncap;
	}
	(*cand)[*m].offset = offset;
	(*cand)[*m].seq = seq;
	(*cand)[*m].id = id;
	(*m)++;
	return 0;
}

struct index {
	int32_t base;          /* time of slot 0 (the smallest first_time) */
	uint32_t leaves;       /* power of two >= number of time slots */
	uint32_t *node_start;  /* CSR over 2*leaves nodes */
	uint32_t *node_ids;
	uint32_t *by_first;    /* buffer ids sorted by first_time, then id */
	uint32_t *slot_start;  /* [slots + 1]: by_first index of each slot's first */
};

static void index_free(struct index *ix)
{
	free(ix->node_start);
	free(ix->node_ids);
	free(ix->by_first);
	free(ix->slot_start);
}

/* Visit the canonical segment-tree nodes of slots [lo, hi]. */
#define FOR_CANONICAL(ix, lo, hi, node, body) do { \
	uint32_t l_ = (lo) + (ix)->leaves, r_ = (hi) + (ix)->leaves + 1; \
	while (l_ < r_) { \
		if (l_ & 1) { node = l_++; body; } \
		if (r_ & 1) { node = --r_; body; } \
		l_ >>= 1; r_ >>= 1; \
	} \
} while (0)

/* Stable merge sort of ids by a comparator with context. */
typedef int (*cmp_fn)(const void *, const void *, const struct tfit_greedy_buffer *);

static void merge_sort(uint32_t *a, uint32_t *tmp, uint32_t n, cmp_fn cmp,
		       const struct tfit_greedy_buffer *bufs)
{
	uint32_t width, i;
	for (width = 1; width < n; width *= 2) {
		for (i = 0; i < n; i += 2 * width) {
			uint32_t lo = i, mid = i + width < n ? i + width : n;
			uint32_t hi = i + 2 * width < n ? i + 2 * width : n;
			uint32_t p = lo, q = mid, k = lo;
			while (p < mid && q < hi)
				tmp[k++] = cmp(&a[q], &a[p], bufs) < 0 ? a[q++] : a[p++];
			while (p < mid)
				tmp[k++] = a[p++];
			while (q < hi)
				tmp[k++] = a[q++];
		}
		memcpy(a, tmp, (size_t)n * sizeof(*a));
	}
}

/* Larger first; equal sizes keep their order (stable). */
static int cmp_size_desc(const void *a, const void *b, const struct tfit_greedy_buffer *bufs)
{
	uint64_t x = bufs[*(const uint32_t *)a].bytes, y = bufs[*(const uint32_t *)b].bytes;
	return x > y ? -1 : (x < y);
}

static int cmp_placed(const void *a, const void *b)
{
	const struct placed *x = a, *y = b;
	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return x->seq < y->seq ? -1 : (x->seq > y->seq);
}

static enum tfit_status index_build(struct index *ix, const struct tfit_greedy_buffer *bufs,
				    uint32_t n, struct tfit_error *err)
{
	int32_t lo = bufs[0].first_time, hi = bufs[0].last_time;
	uint64_t slots, total = 0;
	uint32_t i, node, *fill = NULL;
	enum tfit_status st = TFIT_OK;

	memset(ix, 0, sizeof(*ix));
	for (i = 1; i < n; i++) {
		if (bufs[i].first_time < lo)
			lo = bufs[i].first_time;
		if (bufs[i].last_time > hi)
			hi = bufs[i].last_time;
	}
	slots = (uint64_t)((int64_t)hi - lo) + 1;
	if (slots > (1u << 30))
		return tfit_error_set(err, TFIT_ERR_LIMIT, NULL, NULL,
				      "more than 2^30 allocation scopes");
	ix->base = lo;
	ix->leaves = 1;
	while (ix->leaves < slots)
		ix->leaves *= 2;
	ix->node_start = calloc((size_t)ix->leaves * 2 + 1, sizeof(uint32_t));
	fill = calloc((size_t)ix->leaves * 2, sizeof(uint32_t));
	ix->by_first = malloc((size_t)n * sizeof(uint32_t));
	ix->slot_start = calloc((size_t)slots + 1, sizeof(uint32_t));
	if (!ix->node_start || !fill || !ix->by_first || !ix->slot_start)
		goto nomem;
	for (i = 0; i < n; i++) {
		uint32_t a = (uint32_t)(bufs[i].first_time - lo);
		uint32_t b = (uint32_t)(bufs[i].last_time - lo);
		FOR_CANONICAL(ix, a, b, node, (ix->node_start[node + 1]++, total++));
	}
	for (i = 1; i <= ix->leaves * 2; i++)
		ix->node_start[i] += ix->node_start[i - 1];
	ix->node_ids = malloc((size_t)(total ? total : 1) * sizeof(uint32_t));
	if (!ix->node_ids)
		goto nomem;
	for (i = 0; i < n; i++) {
		uint32_t a = (uint32_t)(bufs[i].first_time - lo);
		uint32_t b = (uint32_t)(bufs[i].last_time - lo);
		FOR_CANONICAL(ix, a, b, node,
			      ix->node_ids[ix->node_start[node] + fill[node]++] = i);
	}
	/* counting sort by first scope; ids ascend within a scope */
	for (i = 0; i < n; i++)
		ix->slot_start[bufs[i].first_time - lo + 1]++;
	for (i = 1; i <= slots; i++)
		ix->slot_start[i] += ix->slot_start[i - 1];
	memset(fill, 0, (size_t)ix->leaves * 2 * sizeof(uint32_t));
	for (i = 0; i < n; i++) {
		uint32_t a = (uint32_t)(bufs[i].first_time - lo);
		ix->by_first[ix->slot_start[a] + fill[a]++] = i;
	}
	goto out;
nomem:
	st = tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
	index_free(ix);
out:
	free(fill);
	return st;
}

enum tfit_status tfit_plan_greedy(const struct tfit_greedy_buffer *bufs, uint32_t n,
				  uint64_t *offsets, uint64_t *head_bytes,
				  struct tfit_error *err)
{
	struct index ix;
	uint32_t *order = NULL, *tmp = NULL, n_off = 0, i, k;
	int64_t *off = NULL;
	uint32_t *seq = NULL;
	struct placed *cand = NULL;
	uint32_t cand_cap = 0;
	uint64_t head = 0;
	enum tfit_status st = TFIT_OK;

	memset(&ix, 0, sizeof(ix));
	*head_bytes = 0;
	if (n == 0)
		return TFIT_OK;
	for (i = 0; i < n; i++) {
		if (bufs[i].last_time < bufs[i].first_time)
			return tfit_error_set(err, TFIT_ERR_INPUT, NULL, NULL,
					      "buffer %u: last scope %d before first scope %d",
					      i, bufs[i].last_time, bufs[i].first_time);
		if (bufs[i].offline_offset < 0 && bufs[i].offline_offset != TFIT_PLAN_ONLINE)
			return tfit_error_set(err, TFIT_ERR_INPUT, NULL, NULL,
					      "buffer %u: negative offline offset %lld", i,
					      (long long)bufs[i].offline_offset);
		if (bufs[i].bytes > (uint64_t)INT64_MAX / 4 ||
		    (bufs[i].offline_offset > INT64_MAX / 4))
			return tfit_error_set(err, TFIT_ERR_LIMIT, NULL, NULL,
					      "buffer %u: size or offset over 2^61 bytes", i);
	}
	order = malloc((size_t)n * sizeof(*order));
	tmp = malloc((size_t)n * sizeof(*tmp));
	off = malloc((size_t)n * sizeof(*off));
	seq = malloc((size_t)n * sizeof(*seq));
	if (!order || !tmp || !off || !seq) {
		st = tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
		goto out;
	}
	/* 1. offline first in add order, then online in reverse add order, sorted */
	for (i = 0; i < n; i++)
		if (bufs[i].offline_offset != TFIT_PLAN_ONLINE)
			order[n_off++] = i;
	k = n_off;
	for (i = n; i-- > 0;)
		if (bufs[i].offline_offset == TFIT_PLAN_ONLINE)
			order[k++] = i;
	merge_sort(order + n_off, tmp, n - n_off, cmp_size_desc, bufs);

	if ((st = index_build(&ix, bufs, n, err)) != TFIT_OK)
		goto out;
	for (i = 0; i < n; i++) {
		off[i] = -1; /* not placed yet */
		seq[i] = 0;
	}

	/* 2. place */
	for (k = 0; k < n; k++) {
		uint32_t id = order[k], m = 0, node, j;
		const struct tfit_greedy_buffer *w = &bufs[id];
		int64_t candidate = 0;

		if (w->offline_offset == TFIT_PLAN_ONLINE && k > 0) {
			uint32_t a = (uint32_t)(w->first_time - ix.base);
			/* placed buffers live at my first scope ... */
			node = a + ix.leaves;
			for (; node >= 1; node >>= 1) {
				for (j = ix.node_start[node]; j < ix.node_start[node + 1]; j++) {
					uint32_t b = ix.node_ids[j];
					if (off[b] >= 0 &&
					    push_placed(&cand, &m, &cand_cap, off[b], seq[b], b) != 0)
						goto nomem;
				}
			}
			/* ... and those starting after it, up to my last scope */
			for (j = ix.slot_start[a + 1];
			     j < ix.slot_start[(uint32_t)(w->last_time - ix.base) + 1]; j++) {
				uint32_t b = ix.by_first[j];
				if (off[b] >= 0 &&
				    push_placed(&cand, &m, &cand_cap, off[b], seq[b], b) != 0)
					goto nomem;
			}
			if (m > 1)
				qsort(cand, m, sizeof(*cand), cmp_placed);
			for (j = 0; j < m; j++) {
				int64_t gap;
				if (j > 0) {
					int64_t end = cand[j - 1].offset + (int64_t)bufs[cand[j - 1].id].bytes;
					if (end > candidate)
						candidate = end;
				}
				gap = cand[j].offset - candidate;
				if (gap >= (int64_t)w->bytes)
					break;
			}
			if (j == m && m > 0) {
				int64_t end = cand[m - 1].offset + (int64_t)bufs[cand[m - 1].id].bytes;
				if (end > candidate)
					candidate = end;
			}
		} else if (w->offline_offset != TFIT_PLAN_ONLINE) {
			candidate = w->offline_offset;
		}
		off[id] = candidate;
		seq[id] = k;
		if ((uint64_t)candidate + w->bytes > head)
			head = (uint64_t)candidate + w->bytes;
	}
	for (i = 0; i < n; i++)
		offsets[i] = (uint64_t)off[i];
	*head_bytes = head;
	goto out;
nomem:
	st = tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
out:
	index_free(&ix);
	free(order);
	free(tmp);
	free(off);
	free(seq);
	free(cand);
	return st;
}
