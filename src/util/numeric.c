/*
 * numeric.c - floor, ceil, round, fmin/fmax, powers of ten and log10 without libm
 * (why: numeric.h). IEEE 754 binary64/binary32 arithmetic, as everywhere in
 * tinyfit; every step below is exact or correctly rounded unless it says
 * otherwise.
 */
#include "util/numeric.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Below 2^52 in magnitude, (long long)x truncates exactly; from there up
 * every double is an integer (NaN and inf are returned as they are). The
 * product x * 0.0 gives a zero result x's sign. */
double tfit_floor(double x)
{
	double t;
	if (!(x > -4503599627370496.0 && x < 4503599627370496.0))
		return x;
	t = (double)(long long)x; /* towards zero */
	if (t > x)                /* a negative non-integer */
		t -= 1.0;
	return t == 0.0 ? x * 0.0 : t; /* [+0, 1) gives +0, -0.0 stays */
}

double tfit_ceil(double x)
{
	double t;
	if (!(x > -4503599627370496.0 && x < 4503599627370496.0))
		return x;
	t = (double)(long long)x;
	if (t < x)                /* a positive non-integer */
		t += 1.0;
	return t == 0.0 ? x * 0.0 : t; /* (-1, -0] gives -0.0, +0 stays */
}

double tfit_round(double x)
{
	double t;
	/* from 2^52 up every double is an integer; NaN and inf stay */
	if (!(x > -4503599627370496.0 && x < 4503599627370496.0))
		return x;
	t = (double)(long long)x; /* towards zero, exact below 2^52 */
	if (x - t >= 0.5)         /* x - t: exact, |x - t| < 1 */
		t += 1.0;
	else if (t - x >= 0.5)
		t -= 1.0;
	return t == 0.0 ? x * 0.0 : t; /* x's sign: round(-0.3) is -0.0 */
}

float tfit_roundf(float x)
{
	float t;
	if (!(x > -8388608.0f && x < 8388608.0f)) /* 2^23 */
		return x;
	t = (float)(long)x;
	if (x - t >= 0.5f)
		t += 1.0f;
	else if (t - x >= 0.5f)
		t -= 1.0f;
	return t == 0.0f ? x * 0.0f : t;
}

/* Equal arguments (+0 and -0) give b, as the x86-64 maxsd/minsd that
 * glibc's fmax/fmin use. */
double tfit_fmax(double a, double b)
{
	if (b != b)
		return a;
	return a > b ? a : b;
}

double tfit_fmin(double a, double b)
{
	if (b != b)
		return a;
	return a < b ? a : b;
}

float tfit_fmaxf(float a, float b)
{
	if (b != b)
		return a;
	return a > b ? a : b;
}

float tfit_fminf(float a, float b)
{
	if (b != b)
		return a;
	return a < b ? a : b;
}

/* 10^0 .. 10^22: exactly representable, so exact as literals */
static const double exact_pow10[23] = {
	1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

double tfit_pow10(int k)
{
	char text[16];
	if (k >= 0 && k <= 22)
		return exact_pow10[k];
	/* 1 / an exact 10^-k is one correctly rounded division */
	if (k < 0 && k >= -22)
		return 1.0 / exact_pow10[-k];
	if (k > 308)
		return HUGE_VAL;
	if (k < -324)
		return 0.0;
	/* strtod rounds correctly (glibc: exactly, any length) */
	snprintf(text, sizeof(text), "1e%d", k);
	return strtod(text, NULL);
}

int tfit_floor_log10(double x)
{
	int e = 0, k;
	double y = x;
	if (x > DBL_MAX)
		return 309;
	if (x == 0)
		return -325;
	if (!(x > 0))
		return 0;
	/* the binary exponent of x (within one), then the decimal estimate
	 * floor(e * log10(2)), then exact comparisons with the powers */
	while (y >= 2.0) {
		double big = y / 1e16;
		if (big >= 2.0) {
			y = big;
			e += 53; /* 10^16 is 2^53.15 */
			continue;
		}
		y *= 0.5;
		e++;
	}
	while (y < 1.0) {
		double small = y * 1e16;
		if (small < 1.0) {
			y = small;
			e -= 53;
			continue;
		}
		y *= 2.0;
		e--;
	}
	k = (int)((double)e * 0.30102999566398120) - 1;
	if (k < -324)
		k = -324;
	while (k > -324 && tfit_pow10(k) > x)
		k--;
	while (k < 308 && tfit_pow10(k + 1) <= x)
		k++;
	return k;
}

int tfit_ceil_log10(double x)
{
	int k = tfit_floor_log10(x);
	if (!(x > 0 && x <= DBL_MAX))
		return k;
	return tfit_pow10(k) == x ? k : k + 1;
}

/* x = r * 2^e with r in [sqrt(1/2), sqrt(2)), for a finite x > 0 */
static double split_binary(double x, int *e)
{
	uint64_t bits;
	int shift = 0;
	if (x < DBL_MIN) {
		x *= 18014398509481984.0; /* 2^54: a subnormal becomes normal, exactly */
		shift = 54;
	}
	memcpy(&bits, &x, sizeof(bits));
	*e = (int)((bits >> 52) & 0x7ff) - 1023 - shift;
	bits = (bits & 0x000fffffffffffffull) | 0x3ff0000000000000ull; /* [1, 2) */
	memcpy(&x, &bits, sizeof(x));
	if (x > 1.41421356237309504880) {
		x *= 0.5;
		++*e;
	}
	return x;
}

double tfit_log10(double x)
{
	/* ln 2 split so that e * ln2_hi is exact for |e| < 2^11 (its low
	 * 32 bits are zero), and 1 / ln 10 */
	static const double ln2_hi = 6.93147180369123816490e-01;
	static const double ln2_lo = 1.90821492927058770002e-10;
	static const double inv_ln10 = 0.43429448190325182765;
	double r, s, s2, sum;
	int k, e, n;
	if (x != x || x < 0)
		return NAN;
	if (x == 0)
		return -HUGE_VAL;
	if (x > DBL_MAX)
		return x;
	k = tfit_floor_log10(x);
	if (x == tfit_pow10(k))
		return (double)k;
	/* ln(x) = e ln 2 + ln(r), ln(r) = 2 atanh(s), s = (r - 1) / (r + 1),
	 * |s| <= 0.172: the odd series to s^27 leaves under 10^-21 */
	r = split_binary(x, &e);
	s = (r - 1.0) / (r + 1.0);
	s2 = s * s;
	sum = 0.0;
	for (n = 27; n >= 3; n -= 2)
		sum = (sum + 1.0 / (double)n) * s2;
	sum = 2.0 * s + 2.0 * s * sum;
	return ((double)e * ln2_hi + ((double)e * ln2_lo + sum)) * inv_ln10;
}
