/*
 * checked.h - overflow-checked unsigned 64-bit arithmetic.
 *
 * Every size, element count and MAC count in tinyfit goes through these.
 * Each returns TFIT_OK (0, the project's one success value) and stores the
 * result, or returns TFIT_ERR_LIMIT on overflow (a size past what 64 bits
 * hold) and leaves *out unchanged: `if (tfit_add_u64(a, b, &s) != TFIT_OK)`.
 * Plain C (no compiler builtins) so that the behaviour is the same on every
 * compiler.
 */
#ifndef TINYFIT_CHECKED_H
#define TINYFIT_CHECKED_H

#include <stdint.h>

#include "tinyfit/error.h"

static inline enum tfit_status tfit_add_u64(uint64_t a, uint64_t b, uint64_t *out)
{
	if (b > UINT64_MAX - a)
		return TFIT_ERR_LIMIT;
	*out = a + b;
	return TFIT_OK;
}

static inline enum tfit_status tfit_mul_u64(uint64_t a, uint64_t b, uint64_t *out)
{
	if (a != 0 && b > UINT64_MAX / a)
		return TFIT_ERR_LIMIT;
	*out = a * b;
	return TFIT_OK;
}

/* *acc += b, checked. */
static inline enum tfit_status tfit_acc_u64(uint64_t *acc, uint64_t b)
{
	return tfit_add_u64(*acc, b, acc);
}

/* Round v up to a multiple of align (align a power of two), checked; an
 * align of 0 is TFIT_ERR_LIMIT too. */
static inline enum tfit_status tfit_align_up_u64(uint64_t v, uint64_t align, uint64_t *out)
{
	uint64_t t;
	if (align == 0 || tfit_add_u64(v, align - 1, &t) != TFIT_OK)
		return TFIT_ERR_LIMIT;
	*out = t - (t % align);
	return TFIT_OK;
}

/* Saturating add, for totals that are only displayed. */
static inline uint64_t tfit_sat_add_u64(uint64_t a, uint64_t b)
{
	return b > UINT64_MAX - a ? UINT64_MAX : a + b;
}

#endif
