/*
 * test_fanin.c - issue #17's 20,000-way fan-in as a test: 20,000 dense
 * layers reading one input, summed by one add (the generator of
 * bench/hostile_gen.c, native JSON). It once took 86 s in `check` (the
 * greedy planner re-sorted each buffer's overlap list; docs/limits.md).
 * Here it must load, lower and plan with TFLM's greedy planner inside the
 * planner's work budget, with the exact figures below. No time is asserted
 * (bench/ measures it: tinyfit_bench --hostile).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tfit_test.h"
#include "tinyfit/model_io.h"
#include "tinyfit/plan.h"
#include "tinyfit/runtime.h"
#include "tinyfit/strbuf.h"

#define N_DENSE 20000u

static void gen_model(struct tfit_strbuf *sb)
{
	uint32_t i;
	tfit_strbuf_puts(sb, "{\"format\": \"tinyfit-model\", \"name\": \"fanin20k\", \"dtype\": \"int8\",\n"
			 " \"inputs\": [{\"name\": \"x\", \"shape\": [8]}],\n \"layers\": [\n");
	for (i = 0; i < N_DENSE; i++)
		tfit_strbuf_printf(sb, "  {\"name\": \"d%u\", \"type\": \"dense\", \"units\": 8, \"inputs\": \"x\"},\n", i);
	tfit_strbuf_puts(sb, "  {\"name\": \"sum\", \"type\": \"add\", \"inputs\": [");
	for (i = 0; i < N_DENSE; i++)
		tfit_strbuf_printf(sb, "%s\"d%u\"", i ? ", " : "", i);
	tfit_strbuf_puts(sb, "]}\n ]}\n");
}

static void plan_with(const struct tfit_model *m, const char *rt_id)
{
	struct tfit_runtime *rt = NULL;
	struct tfit_arena_plan plan;
	struct tfit_error err;
	char msg[1600];
	memset(&plan, 0, sizeof(plan));
	CHECK(tfit_runtime_load(TFIT_SOURCE_DIR "/data", rt_id, &rt, &err) == TFIT_OK);
	if (!rt)
		return;
	if (tfit_plan_arena(m, rt, NULL, &plan, &err) != TFIT_OK) {
		tfit_error_format(&err, msg, sizeof(msg));
		fprintf(stderr, "plan (%s): %s\n", rt_id, msg);
		CHECK(0);
		goto out;
	}
	printf("%s: %u buffers, head %llu, lower bound %llu\n", rt_id, plan.n_buffers,
	       (unsigned long long)plan.head_bytes, (unsigned long long)plan.lower_bound_bytes);
	/* every activation is 8 int8 elements (16 bytes aligned). The dense
	 * layers run first (file order), so at the first ADD the 20,000 dense
	 * outputs and the ADD's output are live: 20,001 buffers, the most at
	 * any scope (before it: the input and the dense outputs so far). The
	 * lower bound counts the bytes the tensors need (8 each), the head
	 * the aligned buffers: TFLM's greedy placement packs them exactly. No
	 * scratch buffers: x, 20,000 dense and 19,999 ADD outputs */
	CHECK_U64(plan.n_buffers, 1u + N_DENSE + (N_DENSE - 1));
	CHECK_U64(plan.lower_bound_bytes, (N_DENSE + 1) * 8u);
	CHECK_U64(plan.head_bytes, (N_DENSE + 1) * 16u);
out:
	tfit_arena_plan_release(&plan);
	tfit_runtime_free(rt);
}

int main(void)
{
	struct tfit_strbuf sb = TFIT_STRBUF_INIT;
	struct tfit_model *m = NULL;
	struct tfit_error err;
	char msg[1600];

	gen_model(&sb);
	CHECK(!sb.oom);
	if (tfit_model_load_buffer(sb.buf, sb.len, "fanin20k.json", NULL, &m, &err) != TFIT_OK) {
		tfit_error_format(&err, msg, sizeof(msg));
		fprintf(stderr, "load: %s\n", msg);
		CHECK(0);
		goto out;
	}
	/* a dense layer is FULLY_CONNECTED with its weights, bias and output;
	 * the 20,000-input add is 19,999 two-input ADDs (Keras' Add sums its
	 * inputs one at a time: the converter emits one ADD per addition) */
	CHECK_U64(m->subgraphs[0].n_ops, N_DENSE + (N_DENSE - 1));
	CHECK_U64(m->subgraphs[0].n_tensors, 1 + 3 * N_DENSE + (N_DENSE - 1));
	CHECK_U64(m->params, (uint64_t)N_DENSE * (8 * 8 + 8));
	CHECK_U64(m->macs, (uint64_t)N_DENSE * 8 * 8);
	/* int8 weights, int32 biases */
	CHECK_U64(m->weights_bytes, (uint64_t)N_DENSE * (8 * 8 + 8 * 4));
	plan_with(m, "tflm");
	plan_with(m, "tflm-cmsis-nn");
out:
	tfit_model_free(m);
	tfit_strbuf_release(&sb);
	return tfit_test_finish();
}
