/*
 * checked.h - overflow-checked unsigned 64-bit arithmetic.
 *
 * Every size, element count and MAC count in tinyfit goes through these.
 * Each returns 1 on success and stores the result, or returns 0 on overflow
 * and leaves *out unchanged. Plain C (no compiler builtins) so that the
 * behaviour is the same on every compiler.
 */
#ifndef TINYFIT_CHECKED_H
#define TINYFIT_CHECKED_H

#include <stdint.h>

static inline int tfit_add_u64(uint64_t a, uint64_t b, uint64_t *out)
{
	if (b > UINT64_MAX - a)
		return 0;
	*out = a + b;
	return 1;
}

static inline int tfit_mul_u64(uint64_t a, uint64_t b, uint64_t *out)
{
	if (a != 0 && b > UINT64_MAX / a)
		return 0;
	*out = a * b;
	return 1;
}

/* *acc += b, checked. */
static inline int tfit_acc_u64(uint64_t *acc, uint64_t b)
{
	return tfit_add_u64(*acc, b, acc);
}

/* Round v up to a multiple of align (align a power of two), checked. */
static inline int tfit_align_up_u64(uint64_t v, uint64_t align, uint64_t *out)
{
	uint64_t t;
	if (align == 0)
		return 0;
	if (!tfit_add_u64(v, align - 1, &t))
		return 0;
	*out = t - (t % align);
	return 1;
}

/* Saturating add, for totals that are only displayed. */
static inline uint64_t tfit_sat_add_u64(uint64_t a, uint64_t b)
{
	return b > UINT64_MAX - a ? UINT64_MAX : a + b;
}

#endif
