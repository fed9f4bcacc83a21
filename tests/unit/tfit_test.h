/*
 * tfit_test.h - the few assertion macros the unit tests use. Each test file
 * is its own executable: main() calls the test functions and returns
 * tfit_test_finish(). A failed check prints file:line and the values, and the
 * test goes on so that one run shows every failure.
 */
#ifndef TFIT_TEST_H
#define TFIT_TEST_H

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int tfit_test_failures;
static int tfit_test_checks;

#define CHECK(cond) do { \
	tfit_test_checks++; \
	if (!(cond)) { \
		tfit_test_failures++; \
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
	} \
} while (0)

#define CHECK_U64(actual, expected) do { \
	unsigned long long a_ = (unsigned long long)(actual); \
	unsigned long long e_ = (unsigned long long)(expected); \
	tfit_test_checks++; \
	if (a_ != e_) { \
		tfit_test_failures++; \
		fprintf(stderr, "%s:%d: %s = %llu, expected %llu\n", __FILE__, __LINE__, \
			#actual, a_, e_); \
	} \
} while (0)

#define CHECK_I64(actual, expected) do { \
	long long a_ = (long long)(actual); \
	long long e_ = (long long)(expected); \
	tfit_test_checks++; \
	if (a_ != e_) { \
		tfit_test_failures++; \
		fprintf(stderr, "%s:%d: %s = %lld, expected %lld\n", __FILE__, __LINE__, \
			#actual, a_, e_); \
	} \
} while (0)

#define CHECK_NEAR(actual, expected, tol) do { \
	double a_ = (double)(actual), e_ = (double)(expected); \
	tfit_test_checks++; \
	if (!(fabs(a_ - e_) <= (tol))) { \
		tfit_test_failures++; \
		fprintf(stderr, "%s:%d: %s = %.9g, expected %.9g (tolerance %g)\n", \
			__FILE__, __LINE__, #actual, a_, e_, (double)(tol)); \
	} \
} while (0)

#define CHECK_STR(actual, expected) do { \
	const char *a_ = (actual), *e_ = (expected); \
	tfit_test_checks++; \
	if (!a_ || !e_ || strcmp(a_, e_) != 0) { \
		tfit_test_failures++; \
		fprintf(stderr, "%s:%d: %s = \"%s\", expected \"%s\"\n", __FILE__, \
			__LINE__, #actual, a_ ? a_ : "(null)", e_ ? e_ : "(null)"); \
	} \
} while (0)

#define CHECK_CONTAINS(haystack, needle) do { \
	const char *h_ = (haystack), *n_ = (needle); \
	tfit_test_checks++; \
	if (!h_ || !strstr(h_, n_)) { \
		tfit_test_failures++; \
		fprintf(stderr, "%s:%d: \"%s\" does not contain \"%s\"\n", __FILE__, \
			__LINE__, h_ ? h_ : "(null)", n_); \
	} \
} while (0)

/* 1 when ../shared/ is beside the checkout (tests that need it skip otherwise). */
static inline int tfit_test_have_shared(void)
{
	struct stat st;
	return stat(TFIT_SHARED_DIR "/models", &st) == 0;
}

static inline int tfit_test_finish(void)
{
	if (tfit_test_failures) {
		fprintf(stderr, "%d of %d checks failed\n", tfit_test_failures, tfit_test_checks);
		return 1;
	}
	printf("%d checks passed\n", tfit_test_checks);
	return 0;
}

#endif
