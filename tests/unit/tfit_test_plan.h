/*
 * tfit_test_plan.h - planning a model's arena under the repository's
 * `tflm` runtime profile for unit tests ("plan or fail": shared so each
 * test does not carry its own copy).
 */
#ifndef TFIT_TEST_PLAN_H
#define TFIT_TEST_PLAN_H

#include <stdio.h>
#include <string.h>

#include "tfit_test.h"
#include "tinyfit/plan.h"
#include "tinyfit/runtime.h"

/* Plan m with data/runtimes/tflm.json into *plan (zeroed first; the caller
 * releases it with tfit_arena_plan_release() either way). 1 when planned;
 * else a failed check with the loader's or the planner's message on
 * stderr ("plan: ..."), and 0. */
static inline int tfit_test_plan_tflm(const struct tfit_model *m, struct tfit_arena_plan *plan)
{
	struct tfit_runtime *rt = NULL;
	struct tfit_error err;
	char msg[1600];
	int ok = 0;

	memset(plan, 0, sizeof(*plan));
	if (tfit_runtime_load(TFIT_SOURCE_DIR "/data", "tflm", &rt, &err) == TFIT_OK &&
	    tfit_plan_arena(m, rt, NULL, plan, &err) == TFIT_OK)
		ok = 1;
	else {
		tfit_error_format(&err, msg, sizeof(msg));
		fprintf(stderr, "plan: %s\n", msg);
	}
	CHECK(ok);
	tfit_runtime_free(rt);
	return ok;
}

#endif
