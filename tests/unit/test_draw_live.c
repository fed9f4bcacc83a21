/*
 * test_draw_live.c - tfit_plan_live_bytes() (src/plan/plan_live.c), the bytes
 * live at each scope of an arena plan that the arena-over-time pictures
 * draw, against a brute force (sort the live ranges of every scope and sum
 * their union) on random plans with overlapping offline-style offsets,
 * zero sizes and -1 lifetimes, and on hand-worked cases; and the sum it
 * takes for a plan without an offline plan (no two buffers live together
 * share an address) on greedy placements of random buffers.
 */
#include <stdlib.h>
#include <string.h>

#include "tfit_test.h"
#include "tinyfit/plan.h"

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;
static uint32_t rnd(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state % n);
}

static int cmp_u64_pair(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;
	return x[0] < y[0] ? -1 : x[0] > y[0];
}

static uint64_t ref_live(const struct tfit_arena_plan *p, int32_t t, uint64_t *sp)
{
	uint32_t i, n = 0;
	uint64_t end = 0, live = 0;
	for (i = 0; i < p->n_buffers; i++) {
		const struct tfit_plan_buffer *b = &p->buffers[i];
		int32_t first = b->first_time < 0 ? 0 : b->first_time;
		if (t < first || t > b->last_time || !tfit_plan_buffer_aligned_bytes(p, b))
			continue;
		sp[2 * n] = b->offset;
		sp[2 * n + 1] = b->offset + tfit_plan_buffer_aligned_bytes(p, b);
		n++;
	}
	qsort(sp, n, 2 * sizeof(uint64_t), cmp_u64_pair);
	for (i = 0; i < n; i++) {
		uint64_t lo = sp[2 * i] > end ? sp[2 * i] : end;
		if (sp[2 * i + 1] > lo)
			live += sp[2 * i + 1] - lo;
		if (sp[2 * i + 1] > end)
			end = sp[2 * i + 1];
	}
	return live;
}

static void test_hand(void)
{
	/* scope 0: A [0,32); scope 1: A and B [16,48) overlapping (an in-place
	 * reshape): union 48; scope 2: B and C [64,80): 32 + 16 */
	struct tfit_plan_buffer b[3];
	struct tfit_arena_plan p;
	uint64_t *live;
	memset(b, 0, sizeof(b));
	memset(&p, 0, sizeof(p));
	b[0].offset = 0, b[0].bytes = 32, b[0].first_time = -1, b[0].last_time = 1;
	b[1].offset = 16, b[1].bytes = 32, b[1].first_time = 1, b[1].last_time = 2;
	b[2].offset = 64, b[2].bytes = 16, b[2].first_time = 2, b[2].last_time = 2;
	p.buffers = b;
	p.n_buffers = 3;
	p.used_offline_plan = 1; /* A and B share addresses: an offline plan's */
	p.n_times = 4;
	live = tfit_plan_live_bytes(&p);
	CHECK(live != NULL);
	if (live) {
		CHECK_U64(live[0], 32);
		CHECK_U64(live[1], 48);
		CHECK_U64(live[2], 48);
		CHECK_U64(live[3], 0);
	}
	free(live);
	p.n_times = 0;
	CHECK(tfit_plan_live_bytes(&p) == NULL);
}

static void test_random(void)
{
	int iter, mismatches = 0;
	for (iter = 0; iter < 500; iter++) {
		uint32_t n = rnd(iter % 5 == 0 ? 2000 : 80), i;
		int32_t times = 1 + (int32_t)rnd(60), t;
		struct tfit_plan_buffer *b = calloc(n + 1, sizeof(*b));
		uint64_t *sp = calloc(2 * (size_t)n + 2, sizeof(*sp)), *live;
		struct tfit_arena_plan p;
		memset(&p, 0, sizeof(p));
		for (i = 0; i < n; i++) {
			int32_t a = (int32_t)rnd((uint32_t)times + 1) - 1;
			b[i].first_time = a;
			b[i].last_time = rnd(8) == 0 ? a - 1 + (a < 0) : a + (int32_t)rnd(10);
			b[i].offset = 16 * (uint64_t)rnd(iter % 2 ? 8 : 400);
			/* every third plan rounds its sizes up to 16, as a runtime does */
			b[i].bytes = rnd(10) == 0 ? 0 : iter % 3 == 0 ? 1 + (uint64_t)rnd(320) :
				     16 * (uint64_t)(1 + rnd(20));
		}
		p.buffers = b;
		p.n_buffers = n;
		p.n_times = times;
		p.used_offline_plan = 1; /* random offsets overlap */
		p.buffer_alignment = iter % 3 == 0 ? 16 : 0;
		live = tfit_plan_live_bytes(&p);
		CHECK(live != NULL);
		for (t = 0; live && t < times; t++) {
			if (live[t] != ref_live(&p, t, sp)) {
				if (mismatches++ < 3)
					fprintf(stderr, "case %d scope %d: %llu\n", iter, t,
						(unsigned long long)live[t]);
			}
		}
		free(live);
		free(b);
		free(sp);
	}
	CHECK_U64(mismatches, 0);
}

/* Without an offline plan: the live bytes are the sum of the aligned sizes
 * live at each scope. By hand: A [0,32) scopes -1..1 (drawn from 0), B
 * [32,64) scopes 1..2, C [0,16) scope 2, D (no size) scope 0, E [16,24)
 * of 7 bytes rounded to 8, scopes 2..9 (cut to the last scope, 3). */
static void test_hand_sum(void)
{
	struct tfit_plan_buffer b[5];
	struct tfit_arena_plan p;
	uint64_t *live;
	memset(b, 0, sizeof(b));
	memset(&p, 0, sizeof(p));
	b[0].offset = 0, b[0].bytes = 32, b[0].first_time = -1, b[0].last_time = 1;
	b[1].offset = 32, b[1].bytes = 32, b[1].first_time = 1, b[1].last_time = 2;
	b[2].offset = 0, b[2].bytes = 16, b[2].first_time = 2, b[2].last_time = 2;
	b[3].offset = 0, b[3].bytes = 0, b[3].first_time = 0, b[3].last_time = 0;
	b[4].offset = 16, b[4].bytes = 7, b[4].first_time = 2, b[4].last_time = 9;
	p.buffers = b;
	p.n_buffers = 5;
	p.n_times = 4;
	p.buffer_alignment = 8;
	live = tfit_plan_live_bytes(&p);
	CHECK(live != NULL);
	if (live) {
		CHECK_U64(live[0], 32);      /* A */
		CHECK_U64(live[1], 64);      /* A + B */
		CHECK_U64(live[2], 56);      /* B + C + E (8) */
		CHECK_U64(live[3], 8);       /* E */
	}
	free(live);
}

/* Greedy placements (tfit_plan_greedy, as tfit_plan_arena places every
 * buffer without an offline plan) of random buffers: the sum equals the
 * union at every scope, and at the scope where most buffers are live the
 * brute force agrees with a hand count too (every buffer disjoint). */
static void test_random_greedy(void)
{
	int iter, mismatches = 0;
	struct tfit_error err;
	for (iter = 0; iter < 300; iter++) {
		uint32_t n = 1 + rnd(iter % 5 == 0 ? 1500 : 60), i;
		int32_t times = 1 + (int32_t)rnd(50), t;
		struct tfit_greedy_buffer *gb = calloc(n, sizeof(*gb));
		struct tfit_plan_buffer *b = calloc(n + 1, sizeof(*b));
		uint64_t *off = calloc(n + 1, sizeof(*off)), head = 0;
		uint64_t *sp = calloc(2 * (size_t)n + 2, sizeof(*sp)), *live;
		struct tfit_arena_plan p;
		memset(&p, 0, sizeof(p));
		for (i = 0; i < n; i++) {
			int32_t a = (int32_t)rnd((uint32_t)times + 1) - 1;
			gb[i].first_time = a;
			gb[i].last_time = a + (int32_t)rnd(12);
			gb[i].bytes = rnd(10) == 0 ? 0 : 16 * (uint64_t)(1 + rnd(40));
			gb[i].offline_offset = TFIT_PLAN_ONLINE;
		}
		CHECK(tfit_plan_greedy(gb, n, off, &head, &err) == TFIT_OK);
		for (i = 0; i < n; i++) {
			b[i].first_time = gb[i].first_time;
			b[i].last_time = gb[i].last_time;
			b[i].bytes = gb[i].bytes;
			b[i].offset = off[i];
		}
		p.buffers = b;
		p.n_buffers = n;
		p.n_times = times;
		p.buffer_alignment = 16;
		live = tfit_plan_live_bytes(&p);
		CHECK(live != NULL);
		for (t = 0; live && t < times; t++) {
			uint64_t sum = 0;
			for (i = 0; i < n; i++)
				if (t >= (b[i].first_time < 0 ? 0 : b[i].first_time) && t <= b[i].last_time)
					sum += b[i].bytes;
			if (live[t] != ref_live(&p, t, sp) || live[t] != sum) {
				if (mismatches++ < 3)
					fprintf(stderr, "greedy case %d scope %d: %llu\n", iter, t,
						(unsigned long long)live[t]);
			}
		}
		free(live);
		free(gb);
		free(b);
		free(off);
		free(sp);
	}
	CHECK_U64(mismatches, 0);
}

int main(void)
{
	test_hand();
	test_hand_sum();
	test_random();
	test_random_greedy();
	return tfit_test_finish();
}
