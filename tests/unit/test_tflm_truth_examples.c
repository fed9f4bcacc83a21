/*
 * test_tflm_truth_examples.c - TFLM ground truth without ../shared: the
 * bundled examples whose graphs equal the MLPerf Tiny .tflite files plan to
 * exactly what TensorFlow Lite Micro allocated for those files
 * (tests/data/tflm-truth/examples.tsv, copied from
 * ../shared/models/TFLM-TRUTH.md). Head, tail, arena_used_bytes() and the
 * minimum arena that works must all match to the byte, for the reference
 * kernels and for CMSIS-NN. test_tflm_truth.c checks the .tflite files
 * themselves when ../shared is present.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tfit_test.h"
#include "tinyfit/model_io.h"
#include "tinyfit/plan.h"
#include "tinyfit/runtime.h"

#define DATA_DIR TFIT_SOURCE_DIR "/data"
#define TRUTH TFIT_SOURCE_DIR "/tests/data/tflm-truth/examples.tsv"

struct row {
	char example[64], tflite[64], runtime[32];
	unsigned long long used, min, head, tail;
};

static int parse_row(const char *line, struct row *r)
{
	if (line[0] == '#' || line[0] == '\n')
		return 0;
	return sscanf(line, "%63s %63s %31s %llu %llu %llu %llu", r->example, r->tflite,
		      r->runtime, &r->used, &r->min, &r->head, &r->tail) == 7;
}

static void check_row(const struct row *r)
{
	char path[512];
	struct tfit_model *m = NULL;
	struct tfit_runtime *rt = NULL;
	struct tfit_arena_plan p;
	struct tfit_error err;
	memset(&p, 0, sizeof(p));
	tfit_error_clear(&err);
	snprintf(path, sizeof(path), "%s/examples/%s", TFIT_SOURCE_DIR, r->example);
	CHECK(tfit_runtime_load(DATA_DIR, r->runtime, &rt, &err) == TFIT_OK);
	CHECK(tfit_model_load(path, NULL, &m, &err) == TFIT_OK);
	if (!rt || !m) {
		fprintf(stderr, "%s (%s): %s\n", r->example, r->runtime, err.message);
		goto out;
	}
	CHECK(tfit_plan_arena(m, rt, NULL, &p, &err) == TFIT_OK);
	if (p.head_bytes != r->head || p.tail_bytes != r->tail || p.arena_bytes != r->min ||
	    p.arena_used_bytes != r->used)
		fprintf(stderr, "%s as %s (%s): head %llu/%llu tail %llu/%llu used %llu/%llu "
			"arena %llu/%llu (tinyfit/TFLM)\n", r->example, r->tflite, r->runtime,
			(unsigned long long)p.head_bytes, r->head,
			(unsigned long long)p.tail_bytes, r->tail,
			(unsigned long long)p.arena_used_bytes, r->used,
			(unsigned long long)p.arena_bytes, r->min);
	CHECK_U64(p.head_bytes, r->head);
	CHECK_U64(p.tail_bytes, r->tail);
	CHECK_U64(p.arena_used_bytes, r->used);
	CHECK_U64(p.arena_bytes, r->min);
	tfit_arena_plan_release(&p);
out:
	tfit_model_free(m);
	tfit_runtime_free(rt);
}

int main(void)
{
	FILE *f = fopen(TRUTH, "r");
	char line[512];
	int rows = 0;
	CHECK(f != NULL);
	if (!f)
		return tfit_test_finish();
	while (fgets(line, sizeof(line), f)) {
		struct row r;
		if (!parse_row(line, &r))
			continue;
		check_row(&r);
		rows++;
	}
	fclose(f);
	printf("%d TFLM truth rows checked on the bundled examples\n", rows);
	CHECK(rows == 8);
	return tfit_test_finish();
}
