/*
 * optimal_planner.c - tfit_plan_pack(): place buffers with known lifetimes
 * so that the high-water mark (the head) is as small as possible.
 *
 * The problem is dynamic storage allocation (NP-hard in general, small in
 * practice for TinyML graphs). Method, after MiniMalloc (M. Moffitt,
 * "MiniMalloc: A Lightweight Memory Allocator for Hardware-Accelerated
 * Machine Learning", ASPLOS 2023):
 *
 *  1. Lower bound: the largest sum of sizes live at one scope. No placement
 *     can have a smaller head; when a placement reaches it, it is optimal.
 *  2. Heuristics: first fit (each buffer at the lowest gap left by the
 *     buffers placed before it that overlap it in time) in four orders:
 *     size, lifetime length, size x length (largest first) and first scope.
 *     The best one is the incumbent.
 *  3. Branch and bound over placement orders ("canonical solutions"): every
 *     placement can be turned into one whose buffers, taken by increasing
 *     offset, each sit at the lowest offset that is at least the previous
 *     buffer's offset and above every earlier buffer it overlaps in time,
 *     with no larger head (sort a solution by offset and replay it: each
 *     buffer lands no higher than it was). The search enumerates such
 *     orders, depth first, cheapest landing first; ties (buffers landing
 *     at the same offset, which then cannot overlap in time) are taken in
 *     one fixed order only. A node is cut when
 *       - some unplaced buffer already lands at or above the incumbent's
 *         head (it can only go higher), or
 *       - for some scope, max(skyline, level) + the unplaced bytes live
 *         there reaches the incumbent's head (later buffers sit at or
 *         above the current level).
 *     The search stops at the lower bound, or after node_limit nodes (the
 *     result is then the best found, not proven optimal).
 *
 * Sizes are whatever the caller passes (tinyfit passes TFLM's 16-byte
 * aligned sizes, so every offset is 16-aligned too).
 */
#include "tinyfit/plan.h"
#include "tinyfit/checked.h"

#include <stdlib.h>
#include <string.h>

/* Work budget of each heuristic's first fit: an eighth of the greedy
 * planner's, so the four together cost at most about a quarter second;
 * a graph too wide for it gets no offline plan (a limit error) rather
 * than seconds of work. */
#define PACK_HEURISTIC_WORK (1ULL << 26)

struct pack {
	const struct tfit_pack_item *items;
	uint32_t n;                 /* items with bytes > 0 */
	uint32_t *ids;              /* their indices into items */
	uint32_t *lo, *hi;          /* lifetimes as slots [0, n_slots) */
	uint64_t *size;
	uint32_t n_slots;

	/* search state */
	uint64_t *sky;              /* skyline per slot */
	uint64_t *rem;              /* unplaced bytes live per slot */
	uint64_t *off;              /* current offsets (per packed item) */
	uint8_t *placed;
	uint32_t *cand;             /* candidate lists, n per depth level */
	uint64_t *land;             /* landing offset per item, scratch per depth */
	uint64_t *saved;            /* skyline saved per depth: sum of lengths */
	uint64_t *best_off;
	uint64_t best;              /* incumbent head: search only for less */
	int have_best;              /* best_off holds a placement with head best */
	uint64_t lower;
	uint64_t nodes, node_limit;
	int aborted;
};

static void pack_free(struct pack *p)
{
	free(p->ids);
	free(p->lo);
	free(p->hi);
	free(p->size);
	free(p->sky);
	free(p->rem);
	free(p->off);
	free(p->placed);
	free(p->cand);
	free(p->land);
	free(p->saved);
	free(p->best_off);
}

/* ---- heuristics ---------------------------------------------------------- */

struct key_sort {
	uint64_t key;
	uint32_t id;
};

static int cmp_key_desc(const void *a, const void *b)
{
	const struct key_sort *x = a, *y = b;
	if (x->key != y->key)
		return x->key > y->key ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * First fit in the given order (tfit_plan_first_fit, the greedy planner's
 * interval index and block walk: about n log n on chains, n^2 / 64 on wide
 * graphs instead of a sort of every overlap list, which took seconds on a
 * 20,000-way fan-in); the head, offsets in off.
 */
static enum tfit_status first_fit(struct pack *p, const uint32_t *order, uint64_t *off,
				  struct tfit_greedy_buffer *gb, uint64_t *head,
				  struct tfit_error *err)
{
	uint32_t i;
	for (i = 0; i < p->n; i++) {
		gb[i].bytes = p->size[i];
		gb[i].first_time = (int32_t)p->lo[i];
		gb[i].last_time = (int32_t)p->hi[i];
		gb[i].offline_offset = TFIT_PLAN_ONLINE;
	}
	return tfit_plan_first_fit(gb, p->n, order, PACK_HEURISTIC_WORK, off, head, err);
}

/* The four heuristic orders; one whose walk goes over its work budget is
 * left out, and only when all four are is the pack a limit error. */
static enum tfit_status heuristics(struct pack *p, uint32_t *order, uint64_t *off,
				   struct tfit_greedy_buffer *gb, struct key_sort *ks,
				   struct tfit_error *err)
{
	unsigned h;
	uint32_t i;
	enum tfit_status st = TFIT_OK;
	for (h = 0; h < 4; h++) {
		uint64_t head;
		for (i = 0; i < p->n; i++) {
			uint64_t len = (uint64_t)(p->hi[i] - p->lo[i]) + 1;
			ks[i].id = i;
			switch (h) {
			case 0: ks[i].key = p->size[i]; break;
			case 1: ks[i].key = len; break;
			case 2:
				if (tfit_mul_u64(p->size[i], len, &ks[i].key) != TFIT_OK)
					ks[i].key = UINT64_MAX;
				break;
			default: ks[i].key = (uint64_t)(p->n_slots - p->lo[i]); break;
			}
		}
		qsort(ks, p->n, sizeof(*ks), cmp_key_desc);
		for (i = 0; i < p->n; i++)
			order[i] = ks[i].id;
		st = first_fit(p, order, off, gb, &head, err);
		if (st == TFIT_ERR_LIMIT)
			continue;
		if (st != TFIT_OK)
			return st;
		if (!p->have_best || head < p->best) {
			p->best = head;
			p->have_best = 1;
			memcpy(p->best_off, off, (size_t)p->n * sizeof(*off));
		}
	}
	return p->have_best ? TFIT_OK : st;
}

/* ---- branch and bound ---------------------------------------------------- */

/* Candidate order: landing offset, then larger first, then index. */
static int before(const struct pack *p, const uint64_t *land, uint32_t a, uint32_t b)
{
	if (land[a] != land[b])
		return land[a] < land[b];
	if (p->size[a] != p->size[b])
		return p->size[a] > p->size[b];
	return a < b;
}

/* Tie order between two buffers at the same offset (size desc, index). */
static int tie_before(const struct pack *p, uint32_t a, uint32_t b)
{
	if (p->size[a] != p->size[b])
		return p->size[a] > p->size[b];
	return a < b;
}

static void search(struct pack *p, uint32_t depth, uint64_t level, int64_t prev,
		   uint64_t *saved)
{
	uint32_t *cand = p->cand + (size_t)depth * p->n;
	uint64_t *land = p->land + (size_t)depth * p->n;
	uint32_t nc = 0, i, k, t;
	uint64_t bound = 0;

	if (p->aborted || p->best <= p->lower)
		return;
	if (++p->nodes > p->node_limit) {
		p->aborted = 1;
		return;
	}
	if (depth == p->n) {
		uint64_t head = 0;
		for (t = 0; t < p->n_slots; t++)
			if (p->sky[t] > head)
				head = p->sky[t];
		if (head < p->best) {
			p->best = head;
			p->have_best = 1;
			memcpy(p->best_off, p->off, (size_t)p->n * sizeof(*p->off));
		}
		return;
	}
	for (t = 0; t < p->n_slots; t++) {
		uint64_t b = p->sky[t];
		if (p->rem[t] > 0)
			b = (b > level ? b : level) + p->rem[t];
		if (b > bound)
			bound = b;
	}
	if (bound >= p->best)
		return;
	for (i = 0; i < p->n; i++) {
		uint64_t l = level;
		if (p->placed[i])
			continue;
		for (t = p->lo[i]; t <= p->hi[i]; t++)
			if (p->sky[t] > l)
				l = p->sky[t];
		if (l + p->size[i] >= p->best)
			return; /* it can only land higher */
		land[i] = l;
		if (prev >= 0 && l == level && l == p->off[prev] && tie_before(p, i, (uint32_t)prev))
			continue; /* the same state is reached in tie order */
		/* insertion into the sorted candidate list */
		k = nc++;
		while (k > 0 && before(p, land, i, cand[k - 1])) {
			cand[k] = cand[k - 1];
			k--;
		}
		cand[k] = i;
	}
	for (k = 0; k < nc; k++) {
		uint32_t c = cand[k];
		uint64_t l = land[c];
		uint32_t len = p->hi[c] - p->lo[c] + 1;
		for (t = 0; t < len; t++) {
			saved[t] = p->sky[p->lo[c] + t];
			p->sky[p->lo[c] + t] = l + p->size[c];
			p->rem[p->lo[c] + t] -= p->size[c];
		}
		p->placed[c] = 1;
		p->off[c] = l;
		search(p, depth + 1, l, (int64_t)c, saved + len);
		p->placed[c] = 0;
		for (t = 0; t < len; t++) {
			p->sky[p->lo[c] + t] = saved[t];
			p->rem[p->lo[c] + t] += p->size[c];
		}
		if (p->aborted || p->best <= p->lower)
			return;
	}
}

/* ---- entry point --------------------------------------------------------- */

enum tfit_status tfit_plan_pack(const struct tfit_pack_item *items, uint32_t n,
				const struct tfit_pack_opts *o, uint64_t *offsets,
				struct tfit_pack_result *res, struct tfit_error *err)
{
	struct pack p;
	uint32_t i, k, *order = NULL;
	int32_t tmin = 0, tmax = 0;
	struct tfit_greedy_buffer *gb = NULL;
	struct key_sort *ks = NULL;
	uint64_t *tmp = NULL, *delta = NULL, live = 0, total_len = 0, head_in;
	enum tfit_status st = TFIT_OK;

	memset(&p, 0, sizeof(p));
	memset(res, 0, sizeof(*res));
	for (i = 0; i < n; i++) {
		if (items[i].last_time < items[i].first_time || items[i].first_time < -1)
			return tfit_error_set(err, TFIT_ERR_INPUT, NULL, NULL,
					      "buffer %u has lifetime [%d, %d]", i,
					      items[i].first_time, items[i].last_time);
		offsets[i] = 0;
		if (items[i].bytes == 0)
			continue;
		if (items[i].bytes > (UINT64_MAX >> 2) / ((uint64_t)n + 1))
			return tfit_error_set(err, TFIT_ERR_LIMIT, NULL, NULL,
					      "buffer %u of %llu bytes is too large to place", i,
					      (unsigned long long)items[i].bytes);
		if (p.n == 0 || items[i].first_time < tmin)
			tmin = items[i].first_time;
		if (p.n == 0 || items[i].last_time > tmax)
			tmax = items[i].last_time;
		p.n++;
	}
	if (p.n == 0) {
		res->complete = 1;
		return TFIT_OK;
	}
	p.items = items;
	p.n_slots = (uint32_t)((int64_t)tmax - tmin + 1);
	p.ids = malloc(p.n * sizeof(*p.ids));
	p.lo = malloc(p.n * sizeof(*p.lo));
	p.hi = malloc(p.n * sizeof(*p.hi));
	p.size = malloc(p.n * sizeof(*p.size));
	p.off = calloc(p.n, sizeof(*p.off));
	p.best_off = calloc(p.n, sizeof(*p.best_off));
	p.placed = calloc(p.n, 1);
	p.sky = calloc(p.n_slots, sizeof(*p.sky));
	p.rem = calloc(p.n_slots, sizeof(*p.rem));
	delta = calloc((size_t)p.n_slots + 1, sizeof(*delta));
	order = malloc(p.n * sizeof(*order));
	gb = malloc(p.n * sizeof(*gb));
	ks = malloc(p.n * sizeof(*ks));
	tmp = malloc(p.n * sizeof(*tmp));
	if (!p.ids || !p.lo || !p.hi || !p.size || !p.off || !p.best_off || !p.placed ||
	    !p.sky || !p.rem || !delta || !order || !gb || !ks || !tmp)
		goto nomem;
	for (i = 0, k = 0; i < n; i++) {
		if (items[i].bytes == 0)
			continue;
		p.ids[k] = i;
		p.lo[k] = (uint32_t)(items[i].first_time - tmin);
		p.hi[k] = (uint32_t)(items[i].last_time - tmin);
		p.size[k] = items[i].bytes;
		total_len += (uint64_t)p.hi[k] - p.lo[k] + 1;
		delta[p.lo[k]] += p.size[k];
		delta[p.hi[k] + 1] -= p.size[k]; /* wraps and unwraps: sums stay exact */
		k++;
	}
	for (i = 0; i < p.n_slots; i++) {
		live += delta[i];
		p.rem[i] = live;
		if (live > p.lower)
			p.lower = live;
	}

	if ((st = heuristics(&p, order, tmp, gb, ks, err)) != TFIT_OK)
		goto out;
	head_in = o && o->upper_bytes ? o->upper_bytes : 0;
	res->heuristic_head_bytes = p.best;
	if (head_in && head_in < p.best) {
		/* search only for something better than the caller's plan; the
		 * heuristic placement stays in best_off as the fallback */
		memcpy(tmp, p.best_off, p.n * sizeof(*tmp));
		p.best = head_in;
	}
	p.node_limit = o && o->node_limit ? o->node_limit : TFIT_PACK_DEFAULT_NODES;
	if (p.best > p.lower && p.n <= TFIT_PACK_MAX_SEARCH) {
		uint64_t before_best = p.best;
		p.cand = malloc((size_t)p.n * p.n * sizeof(*p.cand));
		p.land = malloc((size_t)p.n * p.n * sizeof(*p.land));
		p.saved = malloc((size_t)total_len * sizeof(*p.saved) + 1);
		if (!p.cand || !p.land || !p.saved)
			goto nomem;
		search(&p, 0, 0, -1, p.saved);
		res->searched = 1;
		res->complete = !p.aborted || p.best <= p.lower;
		if (head_in && head_in < res->heuristic_head_bytes && p.best == before_best) {
			/* nothing better than the caller's plan: keep the heuristic one */
			memcpy(p.best_off, tmp, p.n * sizeof(*tmp));
			p.best = res->heuristic_head_bytes;
		}
	} else {
		res->complete = p.best <= p.lower;
	}
	res->head_bytes = p.best;
	res->lower_bound_bytes = p.lower;
	res->nodes = p.nodes;
	for (k = 0; k < p.n; k++)
		offsets[p.ids[k]] = p.best_off[k];
	goto out;
nomem:
	st = tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
out:
	pack_free(&p);
	free(delta);
	free(order);
	free(gb);
	free(ks);
	free(tmp);
	return st;
}
