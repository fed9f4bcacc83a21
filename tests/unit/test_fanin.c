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

/*
 * What the loaded IR holds on the heap (tfit_model_heap_count): the
 * tensor and op arrays at their counts, and one pool for the names and
 * index blocks, so a handful of blocks instead of one per name and per op
 * (issue #17: there were 160,000 small blocks, each at least glibc's
 * 32-byte chunk; bench/README.md has the resident sizes).
 */
static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(const char *const *)a, y = (uintptr_t)*(const char *const *)b;
	return x < y ? -1 : x > y;
}

static void check_heap(const struct tfit_model *m)
{
	const struct tfit_subgraph *sg = &m->subgraphs[0];
	struct tfit_model_heap h;
	uint64_t names = 0, io = 0;
	uint32_t i;
	for (i = 0; i < sg->n_tensors; i++)
		names += sg->tensors[i].name ? strlen(sg->tensors[i].name) + 1 : 0;
	for (i = 0; i < sg->n_ops; i++) {
		names += sg->ops[i].name ? strlen(sg->ops[i].name) + 1 : 0;
		io += 4 * ((uint64_t)sg->ops[i].n_inputs + sg->ops[i].n_outputs);
	}
	/* dense i of k digits: tensors "d<i>/kernel", "d<i>/bias", "d<i>" and
	 * its op "d<i>": 4k + 20 bytes with the NULs, over the 20,000:
	 * 4 x (10 x 1 + 90 x 2 + 900 x 3 + 9,000 x 4 + 10,000 x 5) + 20 x
	 * 20,000 = 755,560; the input "x" 2; the 19,999 ADDs are ops "sum"
	 * (79,996) with outputs "sum/partial1" .. "sum/partial19998" (12 x
	 * 19,998 + 9 x 1 + 90 x 2 + 900 x 3 + 9,000 x 4 + 9,999 x 5 =
	 * 328,860) and "sum" (4) */
	CHECK_U64(names, 1164422);
	{
		/* a name equal to one of the last two put in the pool shares
		 * it (graph.c): each dense op's with its output tensor "d<i>"
		 * and the ADDs' "sum" with the previous ADD's (and the last
		 * ADD's output "sum"), so the pool holds 1,164,422 - (10 x 3 +
		 * 90 x 4 + 900 x 5 + 9,000 x 6 + 10,000 x 7) - 4 x 19,999 =
		 * 955,536 bytes of names (was all 1,164,422) */
		const char **p = malloc((sg->n_tensors + sg->n_ops) * sizeof(*p));
		uint64_t own = 0;
		uint32_t n = 0, k;
		CHECK(p != NULL);
		if (p) {
			for (i = 0; i < sg->n_tensors; i++)
				if (sg->tensors[i].name)
					p[n++] = sg->tensors[i].name;
			for (i = 0; i < sg->n_ops; i++)
				if (sg->ops[i].name)
					p[n++] = sg->ops[i].name;
			qsort(p, n, sizeof(*p), cmp_ptr);
			for (k = 0; k < n; k++)
				own += k == 0 || p[k] != p[k - 1] ? strlen(p[k]) + 1 : 0;
			free(p);
		}
		CHECK_U64(own, 955536);
		for (i = 0; i < sg->n_ops; i++)
			if (sg->ops[i].type == TFIT_OP_FULLY_CONNECTED)
				CHECK(sg->ops[i].name == sg->tensors[tfit_op_outputs(&sg->ops[i])[0]].name);
	}
	/* 20,000 FULLY_CONNECTED of 3 inputs and 1 output, 19,999 ADDs of 2
	 * and 1: int32 each */
	CHECK_U64(io, 20000u * 16 + 19999u * 12);
	/* every tensor is quantized per tensor (an int8 model's kernels,
	 * biases and activations alike): one shared record for all 80,000 */
	{
		const struct tfit_tensor_ext *x[3] = { NULL, NULL, NULL };
		uint32_t n_ext = 0, n_rec = 0, j;
		for (i = 0; i < sg->n_tensors; i++) {
			const struct tfit_tensor_ext *e = sg->tensors[i].ext_;
			if (!e)
				continue;
			n_ext++;
			for (j = 0; j < n_rec && x[j] != e; j++)
				;
			if (j == n_rec && n_rec < 3)
				x[n_rec++] = e;
		}
		CHECK_U64(n_ext, 80000);
		CHECK_U64(n_rec, 1);
	}
	tfit_model_heap_count(m, &h);
	/* the 1,515,524 bytes used (1,724,410 before names were shared)
	 * fill chunks of 1 KiB, 2 KiB .. 512 KiB (1,047,552 bytes) and one
	 * of 1 MiB, each with a 24-byte header (src/util/pool.c): the names
	 * shared leave 209 KB of the 1 MiB chunk's pages untouched */
	CHECK_U64(h.pool_bytes, 1047552u + 1048576u + 11u * 24);
	/* model, subgraph array, model name and path, subgraph name, tensor
	 * and op arrays, subgraph inputs and outputs, and the 11 chunks */
	CHECK_U64(h.blocks, 9 + 11);
	CHECK_U64(h.bytes - h.pool_bytes,
		  sizeof(*m) + sizeof(*sg) + (uint64_t)sg->n_tensors * sizeof(struct tfit_tensor) +
		  (uint64_t)sg->n_ops * sizeof(struct tfit_op) + 4 + 4 + strlen(m->name) + 1 +
		  strlen(m->path) + 1 + strlen(sg->name) + 1);
	/* 80,000 tensors of 40 bytes and 39,999 ops of 56 (LP64) are
	 * 5,439,944 of the 7,536,788 bytes (63 per tensor or op; it was
	 * 8,176,788 with tensors of 48,
	 * 9,136,764 with ops of 80, 9,136,740 with a subgraph record 24
	 * bytes smaller (without the names it shares, which leave the
	 * pool's chunks as they were), 9,456,732 with ops of 88, 11,376,732 with tensors of 72,
	 * 12,976,708 with tensors of 80 and
	 * ops of 112, and 20,016,492 with tensors of 128 bytes and ops of
	 * 192: graph.h). The
	 * names and index blocks
	 * were 159,998 blocks of at least 32 bytes each in glibc (5.1 MB or
	 * more), and are 2.1 MB of pool; the tensors' one quantization
	 * record (graph.h) is 56 bytes there */
	if (sizeof(void *) == 8)
		CHECK_U64(h.bytes, 7536788);
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
	check_heap(m);
	plan_with(m, "tflm");
	plan_with(m, "tflm-cmsis-nn");
out:
	tfit_model_free(m);
	tfit_strbuf_release(&sb);
	return tfit_test_finish();
}
