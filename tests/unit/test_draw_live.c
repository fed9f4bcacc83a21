/*
 * test_draw_live.c - tfit_draw_live_bytes() (src/report/draw.c), the bytes
 * live at each scope of an arena plan that the arena-over-time pictures
 * draw, against a brute force (sort the live ranges of every scope and sum
 * their union) on random plans with overlapping offline-style offsets,
 * zero sizes and -1 lifetimes, and on hand-worked cases.
 */
#include <stdlib.h>
#include <string.h>

#include "tfit_test.h"
#include "report/draw.h"

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
	p.n_times = 4;
	live = tfit_draw_live_bytes(&p);
	CHECK(live != NULL);
	if (live) {
		CHECK_U64(live[0], 32);
		CHECK_U64(live[1], 48);
		CHECK_U64(live[2], 48);
		CHECK_U64(live[3], 0);
	}
	free(live);
	p.n_times = 0;
	CHECK(tfit_draw_live_bytes(&p) == NULL);
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
		p.buffer_alignment = iter % 3 == 0 ? 16 : 0;
		live = tfit_draw_live_bytes(&p);
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

int main(void)
{
	test_hand();
	test_random();
	return tfit_test_finish();
}
