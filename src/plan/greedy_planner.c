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
 * index (a list sorted by first scope, by counting sort, with where each
 * scope's buffers start in it, for "starts during my lifetime, from my
 * first scope on"; an interval tree over time for "started before my
 * first scope and still live": each buffer of more than one scope once,
 * at the lowest tree node whose range holds both its ends, in two lists,
 * by first scope and by last scope, so a lookup reads only what it
 * returns plus one entry a node), filtered to those
 * already placed, sorted by (offset, placement order) and walked the same
 * way. Cost: O(sum over buffers of overlapping buffers * log). Where
 * most placed buffers overlap (wide graphs), walking one list of all of
 * them, kept sorted, is cheaper; each buffer takes the cheaper way, and a
 * work budget bounds what is left (see the placement loop).
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
	uint32_t slots;        /* time slots: last scope - first scope + 1 */
	uint32_t leaves;       /* power of two >= number of time slots */
	/* buffers of more than one scope, each once at the lowest common
	 * ancestor of its two end slots in a tree over the slots (an internal
	 * node 1 .. leaves - 1): node u's are node_ids[node_start[u] ..
	 * node_start[u + 1]) by first scope ascending (then id), and the same
	 * buffers at node_ids[n_tree + node_start[u] ..] by last scope
	 * descending */
	uint32_t n_tree;       /* buffers in the tree */
	uint32_t *node_start;  /* [leaves + 1] */
	uint32_t *node_ids;    /* [2 * n_tree] */
	uint32_t *by_first;    /* buffer ids sorted by first_time, then id */
	uint32_t *slot_start;  /* [slots + 1]: by_first index of each slot's first */
	uint32_t *last_below;  /* [slots + 1]: buffers whose last slot is below i */
};

static void index_free(struct index *ix)
{
	free(ix->node_start);
	free(ix->node_ids);
	free(ix->by_first);
	free(ix->slot_start);
	free(ix->last_below);
}

/* The tree node a buffer of slots [x, y], x < y, is kept at. */
static uint32_t lca_node(const struct index *ix, uint32_t x, uint32_t y)
{
	uint32_t u = x + ix->leaves, v = y + ix->leaves;
	while (u != v) {
		u >>= 1;
		v >>= 1;
	}
	return u;
}

/* Stable merge sort of ids by a comparator with context. */
typedef int (*cmp_fn)(const void *, const void *, const void *ctx);

static void merge_sort(uint32_t *a, uint32_t *tmp, uint32_t n, cmp_fn cmp, const void *ctx)
{
	uint32_t width, i;
	for (width = 1; width < n; width *= 2) {
		for (i = 0; i < n; i += 2 * width) {
			uint32_t lo = i, mid = i + width < n ? i + width : n;
			uint32_t hi = i + 2 * width < n ? i + 2 * width : n;
			uint32_t p = lo, q = mid, k = lo;
			while (p < mid && q < hi)
				tmp[k++] = cmp(&a[q], &a[p], ctx) < 0 ? a[q++] : a[p++];
			while (p < mid)
				tmp[k++] = a[p++];
			while (q < hi)
				tmp[k++] = a[q++];
		}
		memcpy(a, tmp, (size_t)n * sizeof(*a));
	}
}

/* Larger first; equal sizes keep their order (stable). */
static int cmp_size_desc(const void *a, const void *b, const void *ctx)
{
	const struct tfit_greedy_buffer *bufs = ctx;
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

/* A CSR's start[0..n] back from the ends its fill left in start[0..n-1]
 * (each start[i] was moved on past its row's entries, to start[i + 1]). */
static void csr_restore(uint32_t *start, uint32_t n)
{
	uint32_t i;
	for (i = n; i > 0; i--)
		start[i] = start[i - 1];
	start[0] = 0;
}

static enum tfit_status index_build(struct index *ix, const struct tfit_greedy_buffer *bufs,
				    uint32_t n, struct tfit_error *err)
{
	int32_t lo = bufs[0].first_time, hi = bufs[0].last_time;
	uint64_t slots;
	uint32_t i, total = 0, *by_last = NULL;
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
	ix->slots = (uint32_t)slots;
	ix->leaves = 1;
	while (ix->leaves < slots)
		ix->leaves *= 2;
	ix->node_start = calloc((size_t)ix->leaves + 1, sizeof(uint32_t));
	ix->by_first = malloc((size_t)n * sizeof(uint32_t));
	ix->slot_start = calloc((size_t)slots + 1, sizeof(uint32_t));
	ix->last_below = calloc((size_t)slots + 1, sizeof(uint32_t));
	by_last = malloc((size_t)n * sizeof(uint32_t));
	if (!ix->node_start || !ix->by_first || !ix->slot_start || !ix->last_below || !by_last)
		goto nomem;
	/* counting sorts by first scope and by last scope; ids ascend within
	 * a scope */
	for (i = 0; i < n; i++) {
		ix->slot_start[bufs[i].first_time - lo + 1]++;
		ix->last_below[bufs[i].last_time - lo + 1]++;
	}
	for (i = 1; i <= slots; i++) {
		ix->slot_start[i] += ix->slot_start[i - 1];
		ix->last_below[i] += ix->last_below[i - 1];
	}
	for (i = 0; i < n; i++) {
		ix->by_first[ix->slot_start[bufs[i].first_time - lo]++] = i;
		by_last[ix->last_below[bufs[i].last_time - lo]++] = i;
	}
	csr_restore(ix->slot_start, (uint32_t)slots);
	csr_restore(ix->last_below, (uint32_t)slots);
	/* the tree: count, then fill each node's first list in first-scope
	 * order and its last list in descending last-scope order, each row
	 * through its own start, moved back after */
	for (i = 0; i < n; i++) {
		uint32_t a = (uint32_t)(bufs[i].first_time - lo);
		uint32_t b = (uint32_t)(bufs[i].last_time - lo);
		if (a < b) {
			ix->node_start[lca_node(ix, a, b) + 1]++;
			total++;
		}
	}
	for (i = 1; i <= ix->leaves; i++)
		ix->node_start[i] += ix->node_start[i - 1];
	ix->node_ids = malloc(((size_t)total * 2 + 1) * sizeof(uint32_t));
	if (!ix->node_ids)
		goto nomem;
	for (i = 0; i < n; i++) { /* first lists, by first scope */
		uint32_t id = ix->by_first[i];
		uint32_t a = (uint32_t)(bufs[id].first_time - lo);
		uint32_t b = (uint32_t)(bufs[id].last_time - lo);
		if (a < b)
			ix->node_ids[ix->node_start[lca_node(ix, a, b)]++] = id;
	}
	csr_restore(ix->node_start, ix->leaves);
	for (i = n; i-- > 0;) { /* last lists, by last scope descending */
		uint32_t id = by_last[i];
		uint32_t a = (uint32_t)(bufs[id].first_time - lo);
		uint32_t b = (uint32_t)(bufs[id].last_time - lo);
		if (a < b)
			ix->node_ids[total + ix->node_start[lca_node(ix, a, b)]++] = id;
	}
	csr_restore(ix->node_start, ix->leaves);
	ix->n_tree = total;
	free(by_last);
	return TFIT_OK;
nomem:
	st = tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
	free(by_last);
	index_free(ix);
	return st;
}

/*
 * Work budget of one plan, in units of about one buffer visited: 2^29,
 * about half a second here. The two placement strategies below keep
 * every real model far under it (a 100,000-op chain costs a few million);
 * only thousands of buffers live at once, each placed above all the
 * others, approach it: 20,000 dense layers summed by one add cost about
 * 2 * 10^8 (bench/README.md). Over it, the plan ends in a limit error
 * rather than running for minutes (docs/limits.md).
 */
#define GREEDY_WORK_MAX (1ULL << 29)

/* Fenwick tree over time slots: count of placed buffers per slot. */
static void fen_add(uint32_t *f, uint32_t n, uint32_t i)
{
	for (i++; i <= n; i += i & -i)
		f[i]++;
}

/* Number of placed buffers in slots [0, i]; 0 for i < 0. */
static uint32_t fen_sum(const uint32_t *f, int64_t i)
{
	uint32_t s = 0, k;
	if (i < 0)
		return 0;
	for (k = (uint32_t)i + 1; k > 0; k -= k & -k)
		s += f[k];
	return s;
}

static uint32_t log2_ceil(uint32_t m)
{
	uint32_t l = 1;
	while (l < 32 && (1u << l) < m)
		l++;
	return l;
}

/*
 * Every placed buffer in (offset, seq) order, in blocks of 64 to 127 ids,
 * each with a summary that lets the walk below skip a whole block: the
 * span of its buffers' lifetimes, its first offset, its largest end, and
 * gap_max, the largest offset - (largest end before it in the block) over
 * its second to last buffer.
 */
#define GBLOCK_MAX 128

struct gblock {
	uint32_t n;
	int32_t min_first, max_first, min_last, max_last;
	int64_t first_off, max_end, gap_max;
	uint32_t ids[GBLOCK_MAX];
};

/* What the placement loop keeps about placed buffers. */
struct plan_state {
	const struct tfit_greedy_buffer *bufs;
	int64_t *off;        /* -1 until placed */
	uint32_t *seq;       /* placement order */
	struct gblock **blk; /* once needed: every placed id by (offset, seq) */
	uint32_t n_blk, cap_blk;
	int glist_on;
	uint64_t work;
};

static void gblock_summarize(const struct plan_state *ps, struct gblock *g)
{
	uint32_t j;
	int64_t pm = INT64_MIN;
	g->min_first = g->min_last = INT32_MAX;
	g->max_first = g->max_last = INT32_MIN;
	g->gap_max = INT64_MIN;
	g->first_off = ps->off[g->ids[0]];
	for (j = 0; j < g->n; j++) {
		const struct tfit_greedy_buffer *e = &ps->bufs[g->ids[j]];
		int64_t o = ps->off[g->ids[j]], end = o + (int64_t)e->bytes;
		if (e->first_time < g->min_first)
			g->min_first = e->first_time;
		if (e->first_time > g->max_first)
			g->max_first = e->first_time;
		if (e->last_time < g->min_last)
			g->min_last = e->last_time;
		if (e->last_time > g->max_last)
			g->max_last = e->last_time;
		if (j > 0 && o - pm > g->gap_max)
			g->gap_max = o - pm;
		if (end > pm)
			pm = end;
	}
	g->max_end = pm;
}

/* Insert a new block at position at; 0 or -1. */
static int gblock_new(struct plan_state *ps, uint32_t at)
{
	struct gblock *g;
	if (ps->n_blk == ps->cap_blk) {
		uint32_t ncap = ps->cap_blk ? ps->cap_blk * 2 : 64;
		struct gblock **p = realloc(ps->blk, ncap * sizeof(*p));
		if (!p)
			return -1;
		ps->blk = p;
		ps->cap_blk = ncap;
	}
	g = malloc(sizeof(*g));
	if (!g)
		return -1;
	g->n = 0;
	memmove(ps->blk + at + 1, ps->blk + at, (size_t)(ps->n_blk - at) * sizeof(*ps->blk));
	ps->blk[at] = g;
	ps->n_blk++;
	return 0;
}

static int cmp_id_placed(const void *a, const void *b, const void *ctx)
{
	const struct plan_state *ps = ctx;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	if (ps->off[x] != ps->off[y])
		return ps->off[x] < ps->off[y] ? -1 : 1;
	return ps->seq[x] < ps->seq[y] ? -1 : (ps->seq[x] > ps->seq[y]);
}

/* The k placed buffers (ids[]) into blocks of 64, sorted; 0 or -1. */
static int glist_build(struct plan_state *ps, uint32_t *ids, uint32_t k)
{
	uint32_t i, *tmp = malloc((size_t)k * sizeof(*tmp) + 1);
	if (!tmp)
		return -1;
	merge_sort(ids, tmp, k, cmp_id_placed, ps);
	free(tmp);
	for (i = 0; i < k; i += GBLOCK_MAX / 2) {
		struct gblock *g;
		if (gblock_new(ps, ps->n_blk) != 0)
			return -1;
		g = ps->blk[ps->n_blk - 1];
		g->n = k - i < GBLOCK_MAX / 2 ? k - i : GBLOCK_MAX / 2;
		memcpy(g->ids, ids + i, g->n * sizeof(uint32_t));
		gblock_summarize(ps, g);
	}
	ps->glist_on = 1;
	return 0;
}

/* Insert a just-placed id (the largest seq) after every id of an offset
 * up to its own; 0 or -1. */
static int glist_insert(struct plan_state *ps, uint32_t id)
{
	uint32_t lo = 0, hi = ps->n_blk, pos;
	struct gblock *g;
	int64_t o = ps->off[id];
	if (ps->n_blk == 0 && gblock_new(ps, 0) != 0)
		return -1;
	while (lo < hi) { /* first block starting above o */
		uint32_t mid = lo + (hi - lo) / 2;
		if (ps->blk[mid]->n == 0 || ps->blk[mid]->first_off <= o)
			lo = mid + 1;
		else
			hi = mid;
	}
	g = ps->blk[lo ? lo - 1 : 0];
	for (pos = g->n; pos > 0 && ps->off[g->ids[pos - 1]] > o; pos--)
		;
	memmove(g->ids + pos + 1, g->ids + pos, (g->n - pos) * sizeof(uint32_t));
	g->ids[pos] = id;
	g->n++;
	ps->work += g->n;
	if (g->n == GBLOCK_MAX) { /* split in two halves */
		uint32_t at = (uint32_t)(lo ? lo - 1 : 0);
		struct gblock *h;
		if (gblock_new(ps, at + 1) != 0)
			return -1;
		h = ps->blk[at + 1];
		h->n = GBLOCK_MAX / 2;
		memcpy(h->ids, g->ids + GBLOCK_MAX / 2, h->n * sizeof(uint32_t));
		g->n = GBLOCK_MAX / 2;
		gblock_summarize(ps, h);
	}
	gblock_summarize(ps, g);
	return 0;
}

/*
 * TFLM's walk, over every placed buffer in (offset, seq) order, skipping
 * those whose lifetime does not overlap w's: the same buffers in the same
 * order as the collected and sorted list. A block whose buffers all
 * overlap w is decided from its summary when it can: if its first buffer
 * leaves room the walk stops there; if no later buffer of the block opens
 * a gap of w's size after the ones before it (gap_max), none can with the
 * walk's candidate, which is at least as high, so the candidate becomes
 * max(candidate, the block's largest end). A block none of whose buffers
 * overlaps w is skipped.
 */
static int64_t walk_global(struct plan_state *ps, const struct tfit_greedy_buffer *w)
{
	int64_t candidate = 0, size = (int64_t)w->bytes;
	uint32_t bi, j;
	for (bi = 0; bi < ps->n_blk; bi++) {
		const struct gblock *g = ps->blk[bi];
		ps->work++;
		if (g->n == 0 || g->min_first > w->last_time || g->max_last < w->first_time)
			continue;
		if (g->max_first <= w->last_time && g->min_last >= w->first_time) {
			if (g->first_off - candidate >= size)
				return candidate;
			if (g->gap_max < size) {
				if (g->max_end > candidate)
					candidate = g->max_end;
				continue;
			}
		}
		for (j = 0; j < g->n; j++) {
			uint32_t b = g->ids[j];
			const struct tfit_greedy_buffer *e = &ps->bufs[b];
			if (e->first_time > w->last_time || e->last_time < w->first_time)
				continue;
			if (ps->off[b] - candidate >= size) {
				ps->work += j;
				return candidate;
			}
			if (ps->off[b] + (int64_t)e->bytes > candidate)
				candidate = ps->off[b] + (int64_t)e->bytes;
		}
		ps->work += g->n;
	}
	return candidate;
}

static enum tfit_status validate(const struct tfit_greedy_buffer *bufs, uint32_t n,
				 struct tfit_error *err)
{
	uint32_t i;
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
	return TFIT_OK;
}

static enum tfit_status place_in_order(const struct tfit_greedy_buffer *bufs, uint32_t n,
				       const uint32_t *order, uint64_t work_max,
				       uint64_t *offsets, uint64_t *head_bytes,
				       struct tfit_error *err);

enum tfit_status tfit_plan_greedy(const struct tfit_greedy_buffer *bufs, uint32_t n,
				  uint64_t *offsets, uint64_t *head_bytes,
				  struct tfit_error *err)
{
	uint32_t *order = NULL, *tmp = NULL, n_off = 0, i, k;
	enum tfit_status st;

	*head_bytes = 0;
	if (n == 0)
		return TFIT_OK;
	if ((st = validate(bufs, n, err)) != TFIT_OK)
		return st;
	order = malloc((size_t)n * sizeof(*order));
	tmp = malloc((size_t)n * sizeof(*tmp));
	if (!order || !tmp) {
		free(order);
		free(tmp);
		return tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
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
	free(tmp);
	st = place_in_order(bufs, n, order, GREEDY_WORK_MAX, offsets, head_bytes, err);
	free(order);
	return st;
}

enum tfit_status tfit_plan_first_fit(const struct tfit_greedy_buffer *bufs, uint32_t n,
				     const uint32_t *order, uint64_t work_max,
				     uint64_t *offsets, uint64_t *head_bytes,
				     struct tfit_error *err)
{
	enum tfit_status st;
	*head_bytes = 0;
	if (n == 0)
		return TFIT_OK;
	if ((st = validate(bufs, n, err)) != TFIT_OK)
		return st;
	return place_in_order(bufs, n, order, work_max ? work_max : GREEDY_WORK_MAX, offsets,
			      head_bytes, err);
}

/* 2. place every buffer in order (a permutation of 0..n-1), as TFLM's loop
 * places its sorted list. */
static enum tfit_status place_in_order(const struct tfit_greedy_buffer *bufs, uint32_t n,
				       const uint32_t *order, uint64_t work_max,
				       uint64_t *offsets, uint64_t *head_bytes,
				       struct tfit_error *err)
{
	struct index ix;
	struct plan_state ps;
	uint32_t i, k, slots;
	uint32_t *fen_first = NULL, *fen_last = NULL;
	struct placed *cand = NULL;
	uint32_t cand_cap = 0;
	uint64_t head = 0;
	enum tfit_status st = TFIT_OK;

	memset(&ix, 0, sizeof(ix));
	memset(&ps, 0, sizeof(ps));
	ps.bufs = bufs;
	/* the offsets are placed in the caller's array (int64_t and uint64_t
	 * may alias), -1 until placed: no second array of 8 bytes a buffer */
	ps.off = (int64_t *)offsets;
	ps.seq = malloc((size_t)n * sizeof(*ps.seq));
	if (!ps.seq)
		goto nomem;
	if ((st = index_build(&ix, bufs, n, err)) != TFIT_OK)
		goto out;
	slots = ix.slots;
	fen_first = calloc((size_t)slots + 1, sizeof(uint32_t));
	fen_last = calloc((size_t)slots + 1, sizeof(uint32_t));
	if (!fen_first || !fen_last)
		goto nomem;
	for (i = 0; i < n; i++) {
		ps.off[i] = -1; /* not placed yet */
		ps.seq[i] = 0;
	}

	/*
	 * 2. place. TFLM's walk looks at the placed buffers whose lifetime
	 * overlaps the new one's, in (offset, placement order). Two ways to
	 * get them, whichever costs less for this buffer: collect the m
	 * overlapping ones from the interval index and sort them (m log m;
	 * long chains, where m is small), or walk the list of all k placed
	 * buffers kept in that order and skip the others (k; wide graphs,
	 * where almost every placed buffer overlaps). m is counted first, in
	 * log time, from two Fenwick trees over time: placed buffers starting
	 * up to my last scope minus those ending before my first.
	 */
	for (k = 0; k < n; k++) {
		uint32_t id = order[k], m = 0, node, j;
		const struct tfit_greedy_buffer *w = &bufs[id];
		int64_t candidate = 0;

		if (w->offline_offset == TFIT_PLAN_ONLINE && k > 0) {
			uint32_t a = (uint32_t)(w->first_time - ix.base);
			uint32_t bt = (uint32_t)(w->last_time - ix.base);
			uint32_t m_est = fen_sum(fen_first, bt) - fen_sum(fen_last, (int64_t)a - 1);
			/* the index lists unplaced buffers too: they cost a visit */
			uint64_t cost_collect = (uint64_t)m_est * log2_ceil(m_est) +
				ix.slot_start[bt + 1] - ix.slot_start[a + 1];
			/* a walk skips most blocks where it pays off: k / 8 */
			uint64_t cost_walk = ps.glist_on ? k / 8 : (uint64_t)k * log2_ceil(k);

			/* + the buffers live at my first scope, placed or not */
			cost_collect += ix.slot_start[a + 1] - ix.last_below[a];
			if (cost_walk < cost_collect) {
				if (!ps.glist_on) {
					uint32_t *ids = malloc((size_t)k * sizeof(uint32_t));
					if (!ids)
						goto nomem;
					memcpy(ids, order, (size_t)k * sizeof(uint32_t));
					ps.work += cost_walk;
					if (glist_build(&ps, ids, k) != 0) {
						free(ids);
						goto nomem;
					}
					free(ids);
				}
				candidate = walk_global(&ps, w);
			} else {
				ps.work += cost_collect + 1;
				/* placed buffers live at my first scope that started
				 * before it: at the tree nodes above it, those of the
				 * nodes it is left of that start before it, those of the
				 * nodes it is right of that end at or after it ... */
				for (node = a + ix.leaves; node > 1; node >>= 1) {
					uint32_t u = node >> 1, end = ix.node_start[u + 1];
					const uint32_t *list = ix.node_ids;
					if (!(node & 1)) {
						for (j = ix.node_start[u]; j < end; j++) {
							uint32_t b = list[j];
							if ((uint32_t)(bufs[b].first_time - ix.base) >= a)
								break;
							if (ps.off[b] >= 0 &&
							    push_placed(&cand, &m, &cand_cap, ps.off[b], ps.seq[b], b) != 0)
								goto nomem;
						}
					} else {
						list += ix.n_tree;
						for (j = ix.node_start[u]; j < end; j++) {
							uint32_t b = list[j];
							if ((uint32_t)(bufs[b].last_time - ix.base) < a)
								break;
							if (ps.off[b] >= 0 &&
							    push_placed(&cand, &m, &cand_cap, ps.off[b], ps.seq[b], b) != 0)
								goto nomem;
						}
					}
				}
				/* ... and those starting from it up to my last scope */
				for (j = ix.slot_start[a]; j < ix.slot_start[bt + 1]; j++) {
					uint32_t b = ix.by_first[j];
					if (ps.off[b] >= 0 &&
					    push_placed(&cand, &m, &cand_cap, ps.off[b], ps.seq[b], b) != 0)
						goto nomem;
				}
				if (m > 1)
					qsort(cand, m, sizeof(*cand), cmp_placed);
				for (j = 0; j < m; j++) {
					int64_t end = cand[j].offset + (int64_t)bufs[cand[j].id].bytes;
					if (cand[j].offset - candidate >= (int64_t)w->bytes)
						break;
					if (end > candidate)
						candidate = end;
				}
			}
			if (ps.work > work_max) {
				unsigned lg = 0;
				while (lg < 63 && (1ULL << lg) < work_max)
					lg++;
				if ((1ULL << lg) == work_max)
					st = tfit_error_set(err, TFIT_ERR_LIMIT, NULL, NULL,
							    "the arena plan needs more than 2^%u steps (a "
							    "limit): %u of its %u buffers are live at once",
							    lg, m_est + 1, n);
				else
					st = tfit_error_set(err, TFIT_ERR_LIMIT, NULL, NULL,
							    "the arena plan needs more than %llu steps (a "
							    "limit): %u of its %u buffers are live at once",
							    (unsigned long long)work_max, m_est + 1, n);
				goto out;
			}
		} else if (w->offline_offset != TFIT_PLAN_ONLINE) {
			candidate = w->offline_offset;
		}
		ps.off[id] = candidate;
		ps.seq[id] = k;
		fen_add(fen_first, slots, (uint32_t)(w->first_time - ix.base));
		fen_add(fen_last, slots, (uint32_t)(w->last_time - ix.base));
		if (ps.glist_on && glist_insert(&ps, id) != 0)
			goto nomem;
		if ((uint64_t)candidate + w->bytes > head)
			head = (uint64_t)candidate + w->bytes;
	}
	*head_bytes = head; /* offsets[] holds every offset (all placed, >= 0) */
	goto out;
nomem:
	st = tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
out:
	index_free(&ix);
	free(ps.seq);
	for (i = 0; i < ps.n_blk; i++)
		free(ps.blk[i]);
	free(ps.blk);
	free(fen_first);
	free(fen_last);
	free(cand);
	return st;
}
