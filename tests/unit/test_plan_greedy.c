/*
 * test_plan_greedy.c - tfit_plan_greedy() against hand-worked cases and
 * against a line-by-line re-implementation of TFLM's GreedyMemoryPlanner
 * (greedy_memory_planner.cc: reverse-add-order fill, stable bubble sort,
 * linked list by offset, NextSimultaneouslyActiveBuffer walk) on random
 * buffer sets, including ties, zero sizes, unused (-1) lifetimes and
 * offline offsets. Plus a 100,000-buffer chain that must plan fast.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tfit_test.h"
#include "tinyfit/plan.h"

/* ---- the brute-force reference: TFLM's algorithm, O(n^2) ---- */

struct ref_entry {
	int64_t offset;
	int req;
	int next;
};

static int ref_overlap(const struct tfit_greedy_buffer *b, int req, int first, int last)
{
	if (b[req].first_time > last)
		return 0;
	if (first > b[req].last_time)
		return 0;
	return 1;
}

static void ref_plan(const struct tfit_greedy_buffer *b, int n, uint64_t *offsets, uint64_t *head)
{
	int64_t *sizes = malloc(sizeof(*sizes) * (size_t)n);
	int *ids = malloc(sizeof(*ids) * (size_t)n);
	int64_t *off = malloc(sizeof(*off) * (size_t)n);
	struct ref_entry *list = malloc(sizeof(*list) * (size_t)n);
	int from_tail = n, from_head = 0, i, first_index, next_free, swapped;
	struct ref_entry *first;
	int64_t max_size = 0;

	*head = 0;
	if (n == 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (b[i].offline_offset == TFIT_PLAN_ONLINE) {
			from_tail--;
			sizes[from_tail] = (int64_t)b[i].bytes;
			ids[from_tail] = i;
			off[i] = -1;
		} else {
			sizes[from_head] = (int64_t)b[i].bytes;
			ids[from_head] = i;
			off[i] = b[i].offline_offset;
			from_head++;
		}
	}
	do { /* ReverseSortInPlace on the online part */
		swapped = 0;
		for (i = from_head + 1; i < n; i++) {
			if (sizes[i - 1] < sizes[i]) {
				int64_t v = sizes[i - 1];
				int id = ids[i - 1];
				sizes[i - 1] = sizes[i];
				sizes[i] = v;
				ids[i - 1] = ids[i];
				ids[i] = id;
				swapped = 1;
			}
		}
	} while (swapped);
	first_index = 0;
	next_free = 1;
	first = &list[0];
	first->next = -1;
	first->req = ids[0];
	if (b[ids[0]].offline_offset == TFIT_PLAN_ONLINE)
		off[ids[0]] = 0;
	first->offset = off[ids[0]];
	for (i = 1; i < n; i++) {
		int id = ids[i];
		const struct tfit_greedy_buffer *w = &b[id];
		int64_t candidate = 0;
		struct ref_entry *e;
		int new_index;
		if (w->offline_offset == TFIT_PLAN_ONLINE) {
			struct ref_entry *prior = NULL;
			for (;;) {
				struct ref_entry *next = NULL, *c;
				if (prior == NULL) {
					c = &list[first_index];
				} else {
					c = prior->next == -1 ? NULL : &list[prior->next];
				}
				while (c) {
					if (ref_overlap(b, c->req, w->first_time, w->last_time)) {
						next = c;
						break;
					}
					c = c->next == -1 ? NULL : &list[c->next];
				}
				if (prior) {
					int64_t end = prior->offset + (int64_t)b[prior->req].bytes;
					if (end > candidate)
						candidate = end;
				}
				if (!next)
					break;
				if (next->offset - candidate >= (int64_t)w->bytes)
					break;
				prior = next;
			}
		} else {
			candidate = w->offline_offset;
		}
		off[id] = candidate;
		e = &list[next_free];
		e->offset = candidate;
		e->req = id;
		new_index = next_free++;
		if (first->offset > candidate) {
			first = e;
			first->next = first_index;
			first_index = new_index;
		} else {
			struct ref_entry *cur = first;
			for (;;) {
				int nx = cur->next;
				if (nx == -1) {
					cur->next = new_index;
					e->next = -1;
					break;
				}
				if (list[nx].offset > candidate) {
					e->next = cur->next;
					cur->next = new_index;
					break;
				}
				cur = &list[nx];
			}
		}
	}
	for (i = 0; i < n; i++) {
		offsets[i] = (uint64_t)off[i];
		if (off[i] + (int64_t)b[i].bytes > max_size)
			max_size = off[i] + (int64_t)b[i].bytes;
	}
	*head = (uint64_t)max_size;
out:
	free(sizes);
	free(ids);
	free(off);
	free(list);
}

/* ---- hand-worked cases ---- */

static void plan(const struct tfit_greedy_buffer *b, uint32_t n, uint64_t *off, uint64_t *head)
{
	struct tfit_error err;
	CHECK(tfit_plan_greedy(b, n, off, head, &err) == TFIT_OK);
}

static void test_hand_cases(void)
{
	uint64_t off[8], head;

	/* hello_world_int8 (TFLM-TRUTH.md head 32): input [0,1], two
	 * activations [1,2] [2,3], output [3,3]; all 16 bytes. Equal sizes go
	 * in reverse add order: output at 0, act2 above it, act1 back at 0,
	 * the input above act1. */
	{
		struct tfit_greedy_buffer b[] = {
			{ 16, 0, 1, -1 }, { 16, 1, 2, -1 }, { 16, 2, 3, -1 }, { 16, 3, 3, -1 },
		};
		plan(b, 4, off, &head);
		CHECK_U64(head, 32);
		CHECK_U64(off[3], 0);
		CHECK_U64(off[2], 16);
		CHECK_U64(off[1], 0);
		CHECK_U64(off[0], 16);
	}
	/* overlapping lifetimes: sizes sorted 1024, 512, 256; the 512 [3,5]
	 * does not overlap the 1024 [0,2] and reuses offset 0; the 256 [2,4]
	 * overlaps both, finds no gap below 1024 and goes above the larger end */
	{
		struct tfit_greedy_buffer b[] = {
			{ 1024, 0, 2, -1 }, { 256, 2, 4, -1 }, { 512, 3, 5, -1 },
		};
		plan(b, 3, off, &head);
		CHECK_U64(off[0], 0);
		CHECK_U64(off[2], 0);
		CHECK_U64(off[1], 1024);
		CHECK_U64(head, 1280);
	}
	/* gaps: A at 0; B above A; C overlaps only A and shares B's offset; D
	 * overlaps all three and goes above the highest end it meets; E
	 * overlaps only A */
	{
		struct tfit_greedy_buffer b[] = {
			{ 96, 0, 9, -1 },  /* A: 0 */
			{ 64, 0, 1, -1 },  /* B: 96 */
			{ 48, 2, 3, -1 },  /* C: overlaps A only -> 96 */
			{ 32, 0, 3, -1 },  /* D: overlaps A, B, C -> above B: 160 */
			{ 16, 4, 9, -1 },  /* E: overlaps A only -> 96 */
		};
		plan(b, 5, off, &head);
		CHECK_U64(off[0], 0);
		CHECK_U64(off[1], 96);
		CHECK_U64(off[2], 96);
		CHECK_U64(off[3], 160);
		CHECK_U64(off[4], 96);
		CHECK_U64(head, 192);
	}
	/* residual branch: x [0,3] feeds two branches and an add at 3 */
	{
		struct tfit_greedy_buffer b[] = {
			{ 64, 0, 3, -1 }, /* x, live until the add */
			{ 64, 1, 2, -1 }, /* branch 1 */
			{ 64, 2, 3, -1 }, /* branch 2 */
			{ 64, 3, 3, -1 }, /* sum */
		};
		plan(b, 4, off, &head);
		/* equal sizes in reverse add order: sum at 0; branch 2 overlaps it
		 * -> 64; branch 1 overlaps only branch 2 and fits below it -> 0;
		 * x overlaps all three -> 128 */
		CHECK_U64(off[3], 0);
		CHECK_U64(off[2], 64);
		CHECK_U64(off[1], 0);
		CHECK_U64(off[0], 128);
		CHECK_U64(head, 192);
	}
	/* offline offsets are kept, placed first, and online buffers fill gaps */
	{
		struct tfit_greedy_buffer b[] = {
			{ 32, 0, 5, 64 },  /* offline at 64 */
			{ 48, 0, 5, -1 },  /* fits under 64 -> 0 */
			{ 32, 0, 5, -1 },  /* gap 48..64 too small -> 96 */
			{ 16, 0, 5, -1 },  /* gap 48..64 fits -> 48 */
		};
		plan(b, 4, off, &head);
		CHECK_U64(off[0], 64);
		CHECK_U64(off[1], 0);
		CHECK_U64(off[2], 96);
		CHECK_U64(off[3], 48);
		CHECK_U64(head, 128);
	}
	/* zero-size scratch and never-used (-1) buffers */
	{
		struct tfit_greedy_buffer b[] = {
			{ 0, 1, 1, -1 }, { 16, -1, -1, -1 }, { 16, -1, -1, -1 }, { 32, 0, 1, -1 },
		};
		plan(b, 4, off, &head);
		CHECK_U64(off[3], 0);
		CHECK_U64(off[2], 0);
		CHECK_U64(off[1], 16);
		CHECK_U64(head, 32);
	}
	/* errors */
	{
		struct tfit_greedy_buffer bad[] = { { 16, 3, 2, -1 } };
		struct tfit_greedy_buffer neg[] = { { 16, 0, 2, -7 } };
		struct tfit_error err;
		CHECK(tfit_plan_greedy(bad, 1, off, &head, &err) == TFIT_ERR_INPUT);
		CHECK(tfit_plan_greedy(neg, 1, off, &head, &err) == TFIT_ERR_INPUT);
		CHECK(tfit_plan_greedy(bad, 0, off, &head, &err) == TFIT_OK);
		CHECK_U64(head, 0);
	}
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint32_t rnd(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state % n);
}

static void test_random_vs_reference(void)
{
	int iter, mismatches = 0;
	for (iter = 0; iter < 3000; iter++) {
		uint32_t n = 1 + rnd(iter < 2000 ? 24 : 160), i;
		int32_t times = 1 + (int32_t)rnd(40);
		struct tfit_greedy_buffer *b = calloc(n, sizeof(*b));
		uint64_t *o1 = calloc(n, sizeof(*o1)), *o2 = calloc(n, sizeof(*o2));
		uint64_t h1 = 0, h2 = 0;
		struct tfit_error err;
		for (i = 0; i < n; i++) {
			int32_t a = (int32_t)rnd((uint32_t)times + 1) - 1;
			int32_t len = (int32_t)rnd(iter % 3 == 0 ? 3 : 12);
			/* few distinct sizes: many ties */
			b[i].bytes = 16 * (uint64_t)(iter % 2 ? rnd(4) : rnd(64));
			b[i].first_time = a;
			b[i].last_time = a < 0 ? (rnd(4) == 0 ? -1 : a + len) : a + len;
			b[i].offline_offset = TFIT_PLAN_ONLINE;
			if (iter % 5 == 0 && rnd(6) == 0)
				b[i].offline_offset = 16 * (int64_t)rnd(32);
		}
		CHECK(tfit_plan_greedy(b, n, o1, &h1, &err) == TFIT_OK);
		ref_plan(b, (int)n, o2, &h2);
		if (h1 != h2 || memcmp(o1, o2, n * sizeof(*o1)) != 0) {
			if (mismatches++ < 3)
				fprintf(stderr, "random case %d (n=%u): head %llu vs reference %llu\n",
					iter, n, (unsigned long long)h1, (unsigned long long)h2);
		}
		free(b);
		free(o1);
		free(o2);
	}
	CHECK_U64(mismatches, 0);
}

/*
 * Wide graphs, where most placed buffers overlap the next one: the planner
 * walks its block list of placed buffers instead of collecting and sorting
 * them (greedy_planner.c). Many buffers live across few scopes, long and
 * short lifetimes mixed, so blocks are fully, partly and not overlapping;
 * up to 1,500 buffers, so blocks split many times.
 */
static void test_random_wide_vs_reference(void)
{
	int iter, mismatches = 0;
	for (iter = 0; iter < 60; iter++) {
		uint32_t n = 200 + rnd(1300), i;
		int32_t times = 2 + (int32_t)rnd(iter % 2 ? 8 : 200);
		struct tfit_greedy_buffer *b = calloc(n, sizeof(*b));
		uint64_t *o1 = calloc(n, sizeof(*o1)), *o2 = calloc(n, sizeof(*o2));
		uint64_t h1 = 0, h2 = 0;
		struct tfit_error err;
		for (i = 0; i < n; i++) {
			int32_t a = (int32_t)rnd((uint32_t)times);
			int kind = (int)rnd(4);
			b[i].bytes = 16 * (uint64_t)(iter % 3 == 0 ? 1 : rnd(iter % 3 == 1 ? 4 : 40));
			b[i].first_time = a;
			/* a fan-in: most buffers live to the last scope */
			b[i].last_time = kind == 0 ? a + (int32_t)rnd(3) : times;
			b[i].offline_offset = TFIT_PLAN_ONLINE;
			if (iter % 7 == 0 && rnd(50) == 0)
				b[i].offline_offset = 16 * (int64_t)rnd(64);
		}
		CHECK(tfit_plan_greedy(b, n, o1, &h1, &err) == TFIT_OK);
		ref_plan(b, (int)n, o2, &h2);
		if (h1 != h2 || memcmp(o1, o2, n * sizeof(*o1)) != 0) {
			if (mismatches++ < 3)
				fprintf(stderr, "wide case %d (n=%u): head %llu vs reference %llu\n",
					iter, n, (unsigned long long)h1, (unsigned long long)h2);
		}
		free(b);
		free(o1);
		free(o2);
	}
	CHECK_U64(mismatches, 0);
}

/* A 100,000-op chain with a skip connection every 10 ops plans in well under a second. */
static void test_long_chain(void)
{
	uint32_t n = 100000, i;
	struct tfit_greedy_buffer *b = calloc(n, sizeof(*b));
	uint64_t *off = calloc(n, sizeof(*off)), head = 0;
	struct tfit_error err;
	clock_t t0;
	double secs;
	for (i = 0; i < n; i++) {
		b[i].bytes = 16 * (1 + (i * 7919u) % 64);
		b[i].first_time = (int32_t)i;
		b[i].last_time = (int32_t)i + (i % 10 == 0 ? 10 : 1);
		b[i].offline_offset = TFIT_PLAN_ONLINE;
	}
	t0 = clock();
	CHECK(tfit_plan_greedy(b, n, off, &head, &err) == TFIT_OK);
	secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	printf("100000-buffer chain planned in %.3f s, head %llu\n", secs,
	       (unsigned long long)head);
	CHECK(head > 0 && head < 16 * 64 * 8);
	/* spot-check against the reference on a prefix */
	{
		uint32_t m = 3000;
		uint64_t *o2 = calloc(m, sizeof(*o2)), h2, h1;
		CHECK(tfit_plan_greedy(b, m, off, &h1, &err) == TFIT_OK);
		ref_plan(b, (int)m, o2, &h2);
		CHECK_U64(h1, h2);
		CHECK(memcmp(off, o2, m * sizeof(*o2)) == 0);
		free(o2);
	}
	free(b);
	free(off);
}

/* ---- first fit in a given order (tfit_plan_first_fit) ---- */

/* Brute force: each buffer at the lowest offset where it overlaps, in
 * scopes and bytes, no buffer placed before it. */
static void ref_first_fit(const struct tfit_greedy_buffer *b, uint32_t n, const uint32_t *order,
			  uint64_t *off, uint64_t *head)
{
	uint32_t k, j;
	*head = 0;
	for (k = 0; k < n; k++) {
		const struct tfit_greedy_buffer *w = &b[order[k]];
		uint64_t cand = 0;
		int moved = 1;
		if (w->offline_offset != TFIT_PLAN_ONLINE) {
			cand = (uint64_t)w->offline_offset;
			moved = 0;
		}
		while (moved) { /* raise cand past every clash until none is left */
			moved = 0;
			for (j = 0; j < k; j++) {
				const struct tfit_greedy_buffer *e = &b[order[j]];
				uint64_t eo = off[order[j]];
				if (e->first_time > w->last_time || e->last_time < w->first_time)
					continue;
				if (eo < cand + w->bytes && cand < eo + e->bytes) {
					cand = eo + e->bytes;
					moved = 1;
				}
			}
		}
		off[order[k]] = cand;
		if (cand + w->bytes > *head)
			*head = cand + w->bytes;
	}
}

/* Lowest-gap first fit is what TFLM's walk computes (its candidate only
 * rises past buffers it clashes with), so random orders of random and wide
 * buffer sets must match the brute force; and a small work budget ends in
 * a limit error. */
static void test_first_fit_orders(void)
{
	int iter, mismatches = 0;
	for (iter = 0; iter < 400; iter++) {
		uint32_t n = 1 + rnd(iter % 4 == 0 ? 900 : 60), i;
		int32_t times = 1 + (int32_t)rnd(iter % 2 ? 6 : 80);
		struct tfit_greedy_buffer *b = calloc(n, sizeof(*b));
		uint32_t *order = calloc(n, sizeof(*order));
		uint64_t *o1 = calloc(n, sizeof(*o1)), *o2 = calloc(n, sizeof(*o2));
		uint64_t h1 = 0, h2 = 0;
		struct tfit_error err;
		for (i = 0; i < n; i++) {
			int32_t a = (int32_t)rnd((uint32_t)times);
			b[i].bytes = 16 * (uint64_t)(1 + rnd(iter % 3 ? 40 : 2));
			b[i].first_time = a;
			b[i].last_time = rnd(3) == 0 ? times : a + (int32_t)rnd(4);
			b[i].offline_offset = TFIT_PLAN_ONLINE;
			order[i] = i;
		}
		for (i = n; i > 1; i--) { /* shuffle */
			uint32_t j = rnd(i), t = order[i - 1];
			order[i - 1] = order[j];
			order[j] = t;
		}
		CHECK(tfit_plan_first_fit(b, n, order, 0, o1, &h1, &err) == TFIT_OK);
		ref_first_fit(b, n, order, o2, &h2);
		if (h1 != h2 || memcmp(o1, o2, n * sizeof(*o1)) != 0) {
			if (mismatches++ < 3)
				fprintf(stderr, "first-fit case %d (n=%u): head %llu vs %llu\n", iter, n,
					(unsigned long long)h1, (unsigned long long)h2);
		}
		free(b);
		free(order);
		free(o1);
		free(o2);
	}
	CHECK_U64(mismatches, 0);
	{
		/* 2,000 buffers all live at once: about n^2 / 64 steps, over 1,000 */
		uint32_t n = 2000, i;
		struct tfit_greedy_buffer *b = calloc(n, sizeof(*b));
		uint32_t *order = calloc(n, sizeof(*order));
		uint64_t *off = calloc(n, sizeof(*off)), head;
		struct tfit_error err;
		for (i = 0; i < n; i++) {
			b[i].bytes = 16;
			b[i].first_time = 0;
			b[i].last_time = 1;
			b[i].offline_offset = TFIT_PLAN_ONLINE;
			order[i] = i;
		}
		CHECK(tfit_plan_first_fit(b, n, order, 1000, off, &head, &err) == TFIT_ERR_LIMIT);
		CHECK(strstr(err.message, "more than 1000 steps") != NULL);
		CHECK(tfit_plan_first_fit(b, n, order, 0, off, &head, &err) == TFIT_OK);
		CHECK_U64(head, 16 * 2000);
		free(b);
		free(order);
		free(off);
	}
}

int main(void)
{
	test_hand_cases();
	test_random_vs_reference();
	test_random_wide_vs_reference();
	test_long_chain();
	test_first_fit_orders();
	return tfit_test_finish();
}
