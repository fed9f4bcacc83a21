/*
 * numeric.h - the few functions of <math.h> that tinyfit needs beyond what
 * compilers expand inline (fabs, isnan, isfinite), so that the executable
 * does not load libm.so: mapping libm and running its start-up costs
 * every process about 300 KiB of resident memory (bench/README.md, "What
 * the peak RSS is made of"), for ten small functions. floor and ceil are
 * here too: gcc expands them inline from -O1, but gcc -O0 and clang 14
 * (on baseline x86-64, without SSE4.1's roundsd) call libm's.
 *
 * Each has the C standard's meaning (C11 7.12) for finite and infinite
 * arguments and NaN; tests/unit/test_numeric.c checks them against libm's.
 * Internal to src/.
 */
#ifndef TINYFIT_NUMERIC_H
#define TINYFIT_NUMERIC_H

/* floor() / ceil(): the nearest integer below / above x (-0.0 kept, and
 * ceil of x in (-1, 0) is -0.0, as C11 F.10.6 says). */
double tfit_floor(double x);
double tfit_ceil(double x);

/* round(): the nearest integer, halfway cases away from zero. */
double tfit_round(double x);
float tfit_roundf(float x);

/* fmax() / fmin(): a NaN argument gives the other argument. */
double tfit_fmax(double a, double b);
double tfit_fmin(double a, double b);
float tfit_fmaxf(float a, float b);
float tfit_fminf(float a, float b);

/* 10^k as the nearest double (what strtod makes of "1e<k>"): exact for
 * 0 <= k <= 22, 0 below -323, +inf above 308. */
double tfit_pow10(int k);

/* The largest k with tfit_pow10(k) <= x, for a finite x > 0: the decimal
 * exponent of x, exact also just below a power of ten. As with libm's
 * floor(log10(x)) fed to pow(10, k): +inf gives 309 (tfit_pow10: +inf),
 * 0 gives -325 (tfit_pow10: 0); NaN and x < 0 give 0. */
int tfit_floor_log10(double x);

/* The smallest k with tfit_pow10(k) >= x, for a finite x > 0; the other
 * arguments as tfit_floor_log10. */
int tfit_ceil_log10(double x);

/* log10(x): exact at powers of ten, within a few units in the last place
 * elsewhere; NaN for x < 0 or NaN, -inf for 0, +inf for +inf. */
double tfit_log10(double x);

#endif
