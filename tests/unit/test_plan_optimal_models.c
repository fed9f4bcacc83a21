/*
 * test_plan_optimal_models.c - tfit_plan_offline() on the shared models
 * (../shared/models; exit 77 when absent): for both TFLM builds, the head
 * is never above TFLM's greedy head, reaches the lower bound (after
 * RESHAPE aliasing, 16-byte sizes) on every model, and the offsets read
 * back as an offline plan give exactly that head. Exact figures for the
 * models TFLM's greedy plan leaves room in.
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
#define MODELS TFIT_SHARED_DIR "/models"

struct expect {
	const char *file, *runtime;
	uint64_t greedy, head;
};

/* TFLM's head (TFLM-TRUTH.md) and the optimised one. */
static const struct expect expected[] = {
	{ "vww_96_int8.tflite", "tflm", 73728, 55296 },
	{ "vww_96_int8.tflite", "tflm-cmsis-nn", 73728, 55296 },
	{ "vww_96_float.tflite", "tflm", 294912, 221184 },
	{ "vww_96_float.tflite", "tflm-cmsis-nn", 294912, 221184 },
	{ "kws_ref_model.tflite", "tflm", 16000, 16000 },
	{ "audio_preprocessor_int8.tflite", "tflm", 3040, 3040 },
	{ "large/mobilenet_v2_quantized_1x3x224x224.tflite", "tflm", 2451840, 2451840 },
};

static int check_model(const char *path, const struct tfit_runtime *rt, uint64_t *greedy,
		       uint64_t *head)
{
	struct tfit_model *m = NULL;
	struct tfit_offline_plan op;
	struct tfit_arena_plan p;
	struct tfit_error err;
	uint32_t sg, i, k = 0;
	if (tfit_tflite_read(path, &m, &err) != TFIT_OK)
		return -1;
	if (m->has_offline_plan || tfit_plan_offline(m, rt, NULL, &op, &err) != TFIT_OK) {
		tfit_model_free(m);
		return -1;
	}
	CHECK(op.head_bytes <= op.greedy_head_bytes);
	if (op.head_bytes != op.lower_bound_bytes || !op.proven_optimal)
		fprintf(stderr, "%s (%s): head %llu, bound %llu\n", path, rt->id,
			(unsigned long long)op.head_bytes,
			(unsigned long long)op.lower_bound_bytes);
	CHECK_U64(op.head_bytes, op.lower_bound_bytes);
	CHECK(op.proven_optimal);
	*greedy = op.greedy_head_bytes;
	*head = op.head_bytes;
	if (op.improved) {
		for (sg = 0; sg < m->n_subgraphs; sg++)
			for (i = 0; i < m->subgraphs[sg].n_tensors; i++)
				CHECK(tfit_tensor_set_offline_offset(&m->subgraphs[sg],
								     &m->subgraphs[sg].tensors[i],
								     op.offsets[k++]) == 0);
		m->has_offline_plan = 1;
		m->offline_plan_tensors = op.n_offsets;
		CHECK(tfit_plan_arena(m, rt, NULL, &p, &err) == TFIT_OK);
		CHECK_U64(p.head_bytes, op.head_bytes);
		tfit_arena_plan_release(&p);
	}
	tfit_offline_plan_release(&op);
	tfit_model_free(m);
	return 0;
}

int main(void)
{
	struct tfit_runtime *rt[2] = { NULL, NULL };
	struct tfit_error err;
	char cmd[600], name[512];
	size_t i;
	int r, n = 0;
	FILE *ls;
	if (!tfit_test_have_shared())
		return 77;
	CHECK(tfit_runtime_load(DATA_DIR, "tflm", &rt[0], &err) == TFIT_OK);
	CHECK(tfit_runtime_load(DATA_DIR, "tflm-cmsis-nn", &rt[1], &err) == TFIT_OK);
	if (!rt[0] || !rt[1])
		return tfit_test_finish();
	for (i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
		uint64_t g = 0, h = 0;
		snprintf(name, sizeof(name), MODELS "/%s", expected[i].file);
		CHECK(check_model(name, rt[strcmp(expected[i].runtime, "tflm") != 0], &g, &h) == 0);
		CHECK_U64(g, expected[i].greedy);
		CHECK_U64(h, expected[i].head);
	}
	/* every model that plans (the hybrid one and Vela's offline plan do not) */
	snprintf(cmd, sizeof(cmd), "ls %s/*.tflite %s/seanet/*.tflite 2>/dev/null", MODELS, MODELS);
	ls = popen(cmd, "r");
	CHECK(ls != NULL);
	while (ls && fgets(name, sizeof(name), ls)) {
		uint64_t g, h;
		name[strcspn(name, "\n")] = '\0';
		for (r = 0; r < 2; r++)
			n += check_model(name, rt[r], &g, &h) == 0;
	}
	if (ls)
		pclose(ls);
	printf("%d model/runtime pairs optimised\n", n);
	CHECK(n > 300);
	tfit_runtime_free(rt[0]);
	tfit_runtime_free(rt[1]);
	return tfit_test_finish();
}
