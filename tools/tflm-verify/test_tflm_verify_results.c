/*
 * test_tflm_verify_results.c - tinyfit's optimize figures against what the
 * real TensorFlow Lite Micro did with the same models
 * (tools/tflm-verify/results/results.jsonl, recorded by tools/tflm-verify):
 * for every recorded model, tfit_optimize() today gives the recorded heads,
 * they equal the heads TFLM planned for the original and the optimised
 * file, the optimised model's smallest working arena is smaller by exactly
 * the head saved, and TFLM's outputs were byte-identical on every input.
 * Models from ../shared are skipped when it is absent (the repo's own
 * tests/data/tflite/reshape_fc.tflite always runs).
 */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tfit_test.h"
#include "tinyfit/fileio.h"
#include "tinyfit/optimize.h"
#include "tinyfit/runtime.h"

#define RESULTS TFIT_SOURCE_DIR "/tools/tflm-verify/results/results.jsonl"

static uint64_t num(const cJSON *o, const char *a, const char *b)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, a);
	x = b ? cJSON_GetObjectItemCaseSensitive(x, b) : x;
	return cJSON_IsNumber(x) ? (uint64_t)x->valuedouble : UINT64_MAX;
}

static int check_line(const char *line, const struct tfit_runtime *rt)
{
	cJSON *j = cJSON_Parse(line);
	const cJSON *t, *f, *name;
	char path[600];
	char *data = NULL;
	size_t len = 0;
	struct tfit_optimize_request q;
	struct tfit_optimize_result r;
	struct tfit_error err;
	int ran = 0;
	CHECK(j != NULL);
	if (!j)
		return 0;
	name = cJSON_GetObjectItemCaseSensitive(j, "model");
	t = cJSON_GetObjectItemCaseSensitive(j, "tinyfit");
	f = cJSON_GetObjectItemCaseSensitive(j, "tflm");
	CHECK(cJSON_IsString(name) && t && f);
	if (!cJSON_IsString(name) || !t || !f)
		goto out;
	snprintf(path, sizeof(path), "%s/tests/data/tflite/%s", TFIT_SOURCE_DIR, name->valuestring);
	if (tfit_file_read(path, 1u << 30, &data, &len, &err) != TFIT_OK) {
		snprintf(path, sizeof(path), "%s/models/%s", TFIT_SHARED_DIR, name->valuestring);
		if (tfit_file_read(path, 1u << 30, &data, &len, &err) != TFIT_OK)
			goto out; /* ../shared absent */
	}
	ran = 1;
	memset(&q, 0, sizeof(q));
	q.model_data = data;
	q.model_len = len;
	q.model_name = name->valuestring;
	q.rt = rt;
	CHECK(tfit_optimize(&q, &r, &err) == TFIT_OK);
	/* tinyfit today = tinyfit when recorded = what TFLM planned */
	CHECK_U64(r.before.head_bytes, num(t, "head_before_bytes", NULL));
	CHECK_U64(r.after.head_bytes, num(t, "head_after_bytes", NULL));
	CHECK_U64(r.before.head_bytes, num(f, "original", "head_bytes"));
	CHECK_U64(r.after.head_bytes, num(f, "optimised", "head_bytes"));
	/* the plan changes nothing but the head: the smallest arena shrinks by it */
	CHECK_U64(num(f, "original", "min_arena_bytes") - num(f, "optimised", "min_arena_bytes"),
		  r.before.head_bytes - r.after.head_bytes);
	CHECK_U64(num(f, "original", "tail_bytes"), num(f, "optimised", "tail_bytes"));
	CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(f, "allocate_ok")));
	CHECK(num(f, "inputs", NULL) >= 5);
	CHECK_U64(num(f, "identical_outputs", NULL), num(f, "inputs", NULL));
	CHECK_U64(num(f, "invoked", NULL), num(f, "inputs", NULL));
	tfit_optimize_result_release(&r);
out:
	free(data);
	cJSON_Delete(j);
	return ran;
}

int main(void)
{
	struct tfit_runtime *rt = NULL;
	struct tfit_error err;
	FILE *f = fopen(RESULTS, "r");
	char line[8192];
	int lines = 0, ran = 0;
	CHECK(f != NULL);
	CHECK(tfit_runtime_load(TFIT_SOURCE_DIR "/data", "tflm", &rt, &err) == TFIT_OK);
	while (f && rt && fgets(line, sizeof(line), f)) {
		if (line[0] != '{')
			continue;
		lines++;
		ran += check_line(line, rt);
	}
	if (f)
		fclose(f);
	printf("%d recorded models, %d checked\n", lines, ran);
	CHECK(lines >= 3);
	CHECK(ran >= 1);
	tfit_runtime_free(rt);
	return tfit_test_finish();
}
