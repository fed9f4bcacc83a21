/* Unit tests for src/util/numeric.c: the same answers as libm's floor,
 * ceil, round, roundf, fmin, fmax, pow(10, k) and log10 (this test links libm; tinyfit
 * does not). */
#include <float.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tfit_test.h"
#include "util/numeric.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* a double spread over many scales: mantissa * 2^e, e in [-60, 60],
 * every fourth one a multiple of 0.5 (the halfway cases) */
static double random_double(void)
{
	uint64_t r = rng();
	double m = (double)(r >> 11) / 9007199254740992.0; /* [0, 1) */
	int e = (int)((r >> 3) % 121) - 60;
	double x = ldexp(m, e);
	if ((r & 3) == 0)
		x = (double)((int64_t)(rng() % 2000001) - 1000000) * 0.5;
	return (r & 4) ? -x : x;
}

static int same_bits(double a, double b)
{
	return memcmp(&a, &b, sizeof(a)) == 0;
}

static int same_bitsf(float a, float b)
{
	return memcmp(&a, &b, sizeof(a)) == 0;
}

static void test_floor_ceil(void)
{
	static const double special[] = { 0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 1.5, -1.5,
					  0.49999999999999994, -0.49999999999999994, 0.3, -0.3,
					  0.9999999999999999, -0.9999999999999999, DBL_TRUE_MIN,
					  -DBL_TRUE_MIN, 4503599627370495.5, -4503599627370495.5,
					  4503599627370496.0, -4503599627370496.0, 9007199254740993.0,
					  1e300, -1e300, DBL_MIN, DBL_MAX, -DBL_MAX };
	size_t i;
	int bad = 0;
	/* libm's: the test calls them through pointers, so the compiler
	 * cannot expand them inline */
	double (*volatile lfloor)(double) = floor;
	double (*volatile lceil)(double) = ceil;
	for (i = 0; i < sizeof(special) / sizeof(special[0]); i++) {
		CHECK(same_bits(tfit_floor(special[i]), lfloor(special[i])));
		CHECK(same_bits(tfit_ceil(special[i]), lceil(special[i])));
	}
	CHECK(isnan(tfit_floor(NAN)) && isnan(tfit_ceil(NAN)));
	CHECK(tfit_floor(INFINITY) == INFINITY && tfit_floor(-INFINITY) == -INFINITY);
	CHECK(tfit_ceil(INFINITY) == INFINITY && tfit_ceil(-INFINITY) == -INFINITY);
	for (i = 0; i < 200000; i++) {
		double x = random_double();
		if (!same_bits(tfit_floor(x), lfloor(x)) || !same_bits(tfit_ceil(x), lceil(x)))
			bad++;
	}
	CHECK_I64(bad, 0);
}

static void test_round(void)
{
	static const double special[] = { 0.0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5,
					  0.49999999999999994, -0.49999999999999994, 0.3, -0.3,
					  4503599627370495.5, -4503599627370495.5, 4503599627370496.0,
					  9007199254740993.0, 1e300, -1e300, DBL_MIN, DBL_MAX };
	size_t i;
	int bad = 0, badf = 0;
	for (i = 0; i < sizeof(special) / sizeof(special[0]); i++) {
		CHECK(same_bits(tfit_round(special[i]), round(special[i])));
		CHECK(same_bitsf(tfit_roundf((float)special[i]), roundf((float)special[i])));
	}
	CHECK(isnan(tfit_round(NAN)) && isnan(tfit_roundf(NAN)));
	CHECK(tfit_round(INFINITY) == INFINITY && tfit_round(-INFINITY) == -INFINITY);
	CHECK(tfit_roundf(INFINITY) == INFINITY);
	CHECK(tfit_roundf(8388607.5f) == 8388608.0f);
	for (i = 0; i < 200000; i++) {
		double x = random_double();
		bad += !same_bits(tfit_round(x), round(x));
		badf += !same_bitsf(tfit_roundf((float)x), roundf((float)x));
	}
	CHECK_I64(bad, 0);
	CHECK_I64(badf, 0);
}

static void test_min_max(void)
{
	CHECK(tfit_fmax(1.0, 2.0) == 2.0 && tfit_fmax(2.0, 1.0) == 2.0);
	CHECK(tfit_fmin(1.0, 2.0) == 1.0 && tfit_fmin(2.0, 1.0) == 1.0);
	CHECK(tfit_fmax(NAN, 3.0) == 3.0 && tfit_fmax(3.0, NAN) == 3.0);
	CHECK(tfit_fmin(NAN, -3.0) == -3.0 && tfit_fmin(-3.0, NAN) == -3.0);
	CHECK(isnan(tfit_fmax(NAN, NAN)) && isnan(tfit_fmin(NAN, NAN)));
	CHECK(tfit_fmax(-INFINITY, -1e308) == -1e308 && tfit_fmin(INFINITY, 1e308) == 1e308);
	CHECK(tfit_fmaxf(1.0f, 2.0f) == 2.0f && tfit_fminf(1.0f, 2.0f) == 1.0f);
	CHECK(tfit_fmaxf(NAN, 3.0f) == 3.0f && tfit_fminf(3.0f, NAN) == 3.0f);
	{
		size_t i;
		int bad = 0;
		for (i = 0; i < 100000; i++) {
			double a = random_double(), b = random_double();
			if (a == b)
				continue; /* +0 and -0: either is right */
			bad += tfit_fmax(a, b) != fmax(a, b) || tfit_fmin(a, b) != fmin(a, b) ||
			       tfit_fmaxf((float)a, (float)b) != fmaxf((float)a, (float)b) ||
			       tfit_fminf((float)a, (float)b) != fminf((float)a, (float)b);
		}
		CHECK_I64(bad, 0);
	}
}

static void test_pow10(void)
{
	int k, bad_pow = 0, bad_strtod = 0;
	char text[16];
	for (k = -330; k <= 320; k++) {
		double p = tfit_pow10(k);
		snprintf(text, sizeof(text), "1e%d", k);
		bad_strtod += !same_bits(p, strtod(text, NULL));
		/* libm's pow(10, k): the same, or one unit in the last place
		 * off where it does not round correctly (glibc 2.36: k = 23,
		 * where 10^23 is halfway between two doubles, and k = 210) */
		if (k >= -307 && k <= 308 && !same_bits(p, pow(10.0, (double)k)))
			bad_pow += nextafter(p, INFINITY) != pow(10.0, (double)k) &&
				   nextafter(p, 0.0) != pow(10.0, (double)k);
	}
	CHECK_I64(bad_strtod, 0);
	CHECK_I64(bad_pow, 0);
	CHECK(tfit_pow10(22) == 1e22 && tfit_pow10(-3) == 0.001 && tfit_pow10(0) == 1.0);
	CHECK(tfit_pow10(309) == INFINITY && tfit_pow10(-325) == 0.0);
}

static void test_log10_exponent(void)
{
	int k, bad = 0;
	size_t i;
	for (k = -307; k <= 308; k++) {
		double p = tfit_pow10(k);
		bad += tfit_floor_log10(p) != k || tfit_ceil_log10(p) != k;
		bad += tfit_floor_log10(nextafter(p, 0.0)) != k - 1;
		bad += tfit_ceil_log10(nextafter(p, 0.0)) != k;
		if (k < 308) {
			bad += tfit_floor_log10(nextafter(p, INFINITY)) != k;
			bad += tfit_ceil_log10(nextafter(p, INFINITY)) != k + 1;
		}
	}
	CHECK_I64(bad, 0);
	/* libm's floor(log10(x)), away from the powers of ten where log10
	 * rounds to the integer */
	bad = 0;
	for (i = 0; i < 200000; i++) {
		double x = fabs(random_double()), l;
		if (x == 0)
			continue;
		l = log10(x);
		if (fabs(l - nearbyint(l)) < 1e-12)
			continue;
		bad += tfit_floor_log10(x) != (int)floor(l) || tfit_ceil_log10(x) != (int)ceil(l);
	}
	CHECK_I64(bad, 0);
	CHECK_I64(tfit_floor_log10(DBL_MAX), 308);
	CHECK_I64(tfit_ceil_log10(DBL_MAX), 309);
	CHECK_I64(tfit_floor_log10(4.9406564584124654e-324), -324);
	CHECK_I64(tfit_floor_log10(DBL_MIN), -308);
	CHECK_I64(tfit_floor_log10(INFINITY), 309);
	CHECK_I64(tfit_floor_log10(0.0), -325);
	CHECK_I64(tfit_floor_log10(-5.0), 0);
	CHECK_I64(tfit_floor_log10(NAN), 0);
	CHECK_I64(tfit_floor_log10(999.9999999999999), 2);
}

static void test_log10(void)
{
	int k, bad = 0;
	size_t i;
	double worst = 0;
	for (k = -307; k <= 308; k++)
		bad += tfit_log10(tfit_pow10(k)) != (double)k;
	CHECK_I64(bad, 0);
	/* within 2 units in the last place of libm's, over 600 decades */
	for (i = 0; i < 300000; i++) {
		double x = fabs(random_double()), want, got, ulp;
		if (i % 3 == 0)
			x = ldexp((double)(rng() >> 11) + 1.0, (int)(rng() % 2000) - 1074);
		if (!(x > 0))
			continue;
		want = log10(x);
		got = tfit_log10(x);
		ulp = nextafter(fabs(want), INFINITY) - fabs(want);
		if (fabs(got - want) / ulp > worst)
			worst = fabs(got - want) / ulp;
	}
	CHECK(worst <= 2.0);
	if (worst > 2.0)
		fprintf(stderr, "tfit_log10: worst error %.2f ulp\n", worst);
	CHECK(tfit_log10(0.0) == -INFINITY);
	CHECK(tfit_log10(INFINITY) == INFINITY);
	CHECK(isnan(tfit_log10(-1.0)) && isnan(tfit_log10(NAN)));
}

int main(void)
{
	test_floor_ceil();
	test_round();
	test_min_max();
	test_pow10();
	test_log10_exponent();
	test_log10();
	return tfit_test_finish();
}
