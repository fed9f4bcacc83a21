/*
 * test_patch.c - patch-based execution (src/fit/patch_halo.c, patch_emit.c, patch_rank.c, patch_search.c,
 * src/model/tflite_rewrite.c) on a generated model, written to
 * tests/data/tflite/patch_chain.tflite (TFIT_WRITE_FIXTURES=1 rewrites it;
 * the golden tests optimize_patch_* read it):
 *
 *   input [1,96,96,3] -> PAD (bottom/right 1) -> p [1,97,97,3]
 *     -> CONV_2D 3x3 /2 VALID (8) -> c [1,48,48,8]
 *     -> DEPTHWISE_CONV_2D 3x3 /1 SAME -> d [1,48,48,8]
 *     -> ADD (c, d) -> a [1,48,48,8]
 *     -> DEPTHWISE_CONV_2D 3x3 /2 SAME -> e [1,24,24,8]
 *     -> AVERAGE_POOL_2D 24x24 -> g [1,1,1,8] -> RESHAPE -> out [1,8]
 *
 * Checks, by hand: the stage checks (what is accepted, what is refused and
 * why), the MACs of a patched stage (halo recomputation), the rewritten
 * graph (its ops in order, each tile's shapes), and tfit_optimize() end to
 * end: the rewrite it picks, read back, with the MACs and ops it reports.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fit/patch.h"
#include "tfit_test.h"
#include "tfit_test_fixture.h"
#include "tflite_gen.h"
#include "tinyfit/model_io.h"
#include "tinyfit/optimize.h"
#include "tinyfit/runtime.h"

static const uint8_t paddings[32] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
				      0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
static const uint8_t new_shape[8] = { 1, 0, 0, 0, 8, 0, 0, 0 };

static void opt(struct gen_op *o, unsigned idx, unsigned size, uint64_t v)
{
	o->opt[o->n_opt].idx = idx;
	o->opt[o->n_opt].size = size;
	o->opt[o->n_opt++].v = v;
}

static void gen_chain(struct gen_model *m)
{
	static const int32_t in[] = { 1, 96, 96, 3 }, pd[] = { 4, 2 }, p[] = { 1, 97, 97, 3 };
	static const int32_t w1[] = { 8, 3, 3, 3 }, b8[] = { 8 }, c[] = { 1, 48, 48, 8 };
	static const int32_t e[] = { 1, 24, 24, 8 };
	static const int32_t w2[] = { 1, 3, 3, 8 }, g[] = { 1, 1, 1, 8 }, s2[] = { 2 };
	static const int32_t out[] = { 1, 8 };
	/* the ops: opcode index, inputs, output, BuiltinOptions tag and its
	 * fields (index, bytes, value) */
	static const struct {
		uint32_t opcode;
		int n_in;
		int32_t in[3], out;
		uint8_t options_type;
		int n_opt;
		unsigned opt[5][3];
	} ops[] = {
		{ 0, 2, { 0, 1 }, 2, 0, 0, { { 0 } } },                        /* PAD */
		{ 1, 3, { 2, 3, 4 }, 5, 1, 4,                                  /* CONV_2D */
		  { { 0, 1, 1 } /* VALID */, { 1, 4, 2 }, { 2, 4, 2 }, { 3, 1, 3 } /* RELU6 */ } },
		{ 2, 3, { 5, 6, 7 }, 8, 2, 5,                                  /* DEPTHWISE_CONV_2D */
		  { { 0, 1, 0 } /* SAME */, { 1, 4, 1 }, { 2, 4, 1 }, { 3, 4, 1 }, { 4, 1, 3 } } },
		{ 3, 2, { 5, 8 }, 9, 11, 0, { { 0 } } },                       /* ADD */
		{ 2, 3, { 9, 10, 11 }, 12, 2, 5,                               /* DEPTHWISE_CONV_2D */
		  { { 0, 1, 0 } /* SAME */, { 1, 4, 2 }, { 2, 4, 2 }, { 3, 4, 1 }, { 4, 1, 3 } } },
		{ 4, 1, { 12 }, 13, 5, 5,                                      /* AVERAGE_POOL_2D */
		  { { 0, 1, 1 }, { 1, 4, 1 }, { 2, 4, 1 }, { 3, 4, 24 }, { 4, 4, 24 } } },
		{ 5, 2, { 13, 14 }, 15, 0, 0, { { 0 } } },                     /* RESHAPE */
	};
	struct gen_subgraph *s = &m->sg[0];
	struct gen_op *o;
	int i;

	memset(m, 0, sizeof(*m));
	m->version = 3;
	m->n_codes = 6;
	m->codes[0].builtin = m->codes[0].deprecated_builtin = 34; /* PAD */
	m->codes[1].builtin = m->codes[1].deprecated_builtin = 3;  /* CONV_2D */
	m->codes[2].builtin = m->codes[2].deprecated_builtin = 4;  /* DEPTHWISE_CONV_2D */
	m->codes[3].builtin = m->codes[3].deprecated_builtin = 0;  /* ADD */
	m->codes[4].builtin = m->codes[4].deprecated_builtin = 1;  /* AVERAGE_POOL_2D */
	m->codes[5].builtin = m->codes[5].deprecated_builtin = 22; /* RESHAPE */
	m->n_subgraphs = 1;
	s->name = "main";
	s->n_tensors = 16;
	gen_tensor(&s->tensors[0], "input", 9, 4, in, 0);
	gen_tensor(&s->tensors[1], "pad/paddings", 2, 2, pd, 1);
	gen_tensor(&s->tensors[2], "pad/out", 9, 4, p, 0);
	gen_tensor(&s->tensors[3], "conv/weights", 9, 4, w1, 2);
	gen_tensor(&s->tensors[4], "conv/bias", 2, 1, b8, 3);
	gen_tensor(&s->tensors[5], "conv/out", 9, 4, c, 0);
	gen_tensor(&s->tensors[6], "dw/weights", 9, 4, w2, 4);
	gen_tensor(&s->tensors[7], "dw/bias", 2, 1, b8, 5);
	gen_tensor(&s->tensors[8], "dw/out", 9, 4, c, 0);
	gen_tensor(&s->tensors[9], "add/out", 9, 4, c, 0);
	gen_tensor(&s->tensors[10], "dw2/weights", 9, 4, w2, 6);
	gen_tensor(&s->tensors[11], "dw2/bias", 2, 1, b8, 7);
	gen_tensor(&s->tensors[12], "dw2/out", 9, 4, e, 0);
	gen_tensor(&s->tensors[13], "pool/out", 9, 4, g, 0);
	gen_tensor(&s->tensors[14], "reshape/shape", 2, 1, s2, 8);
	gen_tensor(&s->tensors[15], "output", 9, 2, out, 0);
	for (i = 0; i < 16; i++)
		if (i != 1 && i != 14)
			s->tensors[i].n_scale = s->tensors[i].n_zero_point = 1;
	s->n_in = 1;
	s->in[0] = 0;
	s->n_out = 1;
	s->out[0] = 15;
	for (i = 0; i < (int)(sizeof(ops) / sizeof(ops[0])); i++) {
		int k;
		o = &s->ops[s->n_ops++];
		o->opcode = ops[i].opcode;
		o->n_in = ops[i].n_in;
		for (k = 0; k < ops[i].n_in; k++)
			o->in[k] = ops[i].in[k];
		o->n_out = 1;
		o->out[0] = ops[i].out;
		o->options_type = ops[i].options_type;
		for (k = 0; k < ops[i].n_opt; k++)
			opt(o, ops[i].opt[k][0], ops[i].opt[k][1], ops[i].opt[k][2]);
	}
	m->n_buffers = 9;
	m->buffers[1].data_len = 32;
	m->buffers[1].data = paddings;
	m->buffers[2].data_len = 216;
	m->buffers[3].data_len = 32;
	m->buffers[4].data_len = 72;
	m->buffers[5].data_len = 32;
	m->buffers[6].data_len = 72;
	m->buffers[7].data_len = 32;
	m->buffers[8].data_len = 8;
	m->buffers[8].data = new_shape;
}

static void test_stage_checks(const struct tfit_model *m, const uint8_t *d, size_t len)
{
	/* ops [first, end): a stage or why not, and the stage's input and
	 * output tensors when it is (-1: not checked) */
	static const struct {
		uint32_t first, end;
		int ok;
		int64_t in, out;
		const char *why;
	} cases[] = {
		{ 0, 5, 1, 0, 12, NULL },
		{ 0, 4, 1, -1, 9, NULL },
		{ 0, 2, 1, -1, 5, NULL },
		/* conv/out is read by the ADD after a stage ending at the depthwise */
		{ 0, 3, 0, -1, -1, "op 1's output is also read after the stage" },
		/* the pool is not a patchable op */
		{ 0, 6, 0, -1, -1,
		  "op 5 (average_pool_2d) is not CONV_2D, DEPTHWISE_CONV_2D, PAD or ADD" },
		/* an ADD cannot start a stage (it reads two tensors) */
		{ 3, 4, 0, -1, -1, "the stage starts with an ADD" },
	};
	size_t i;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tfit_patch_stage st;
		char why[160];
		int ok = tfit_patch_stage_check(m, d, len, cases[i].first, cases[i].end, &st, why,
						sizeof(why));
		CHECK(!ok == !cases[i].ok);
		if (cases[i].in >= 0)
			CHECK_U64(st.in, (uint64_t)cases[i].in);
		if (cases[i].out >= 0)
			CHECK_U64(st.out, (uint64_t)cases[i].out);
		if (cases[i].why)
			CHECK_STR(why, cases[i].why);
	}
}

static void test_macs(const struct tfit_model *m, const uint8_t *d, size_t len)
{
	struct tfit_patch_stage st;
	char why[160];
	uint64_t conv = 48 * 48 * 8 * 27, dw = 48 * 48 * 8 * 9, dw2 = 24 * 24 * 8 * 9;
	CHECK(tfit_patch_stage_check(m, d, len, 0, 4, &st, why, sizeof(why)));
	CHECK_U64(m->macs, conv + dw + dw2);
	/* 2x2 tiles of a = 24x24; d needs them, c needs 25 rows/cols (one halo
	 * row and column towards the inside): 4 x 25 x 25 conv pixels */
	st.gh = st.gw = 2;
	CHECK_U64(tfit_patch_macs(m, d, len, &st, 1), 4 * 25 * 25 * 8 * 27 + dw + dw2);
	/* 4x1: tiles of 12 x 48; c: the two outer tiles 13 rows, the inner 14 */
	st.gh = 4;
	st.gw = 1;
	CHECK_U64(tfit_patch_macs(m, d, len, &st, 1),
		  (13 + 14 + 14 + 13) * 48 * 8 * 27 + dw + dw2);
	/* the conv alone has no halo: no recomputation */
	CHECK(tfit_patch_stage_check(m, d, len, 0, 2, &st, why, sizeof(why)));
	st.gh = st.gw = 2;
	CHECK_U64(tfit_patch_macs(m, d, len, &st, 1), m->macs);
}

static const struct tfit_rw_op *find_op(const struct tfit_rw *rw, int32_t out)
{
	uint32_t i;
	for (i = 0; i < rw->n_ops; i++)
		if (rw->ops[i].orig < 0 && rw->ops[i].output == out)
			return &rw->ops[i];
	return NULL;
}

static void test_build(const struct tfit_model *m, const uint8_t *d, size_t len)
{
	struct tfit_patch_stage st;
	struct tfit_rw rw;
	struct tfit_error err;
	struct tfit_model *pm = NULL;
	uint8_t *out = NULL;
	size_t out_len = 0;
	char why[160];
	const struct tfit_rw_op *o;
	uint32_t i, slices = 0, pads = 0, convs = 0, dws = 0, adds = 0, cats = 0;
	CHECK(tfit_patch_stage_check(m, d, len, 0, 4, &st, why, sizeof(why)));
	st.gh = st.gw = 2;
	CHECK(tfit_patch_build(m, d, len, &st, 1, &rw, &err) == TFIT_OK);
	for (i = 0; i < rw.n_ops; i++) {
		const struct tfit_rw_op *x = &rw.ops[i];
		if (x->orig >= 0)
			continue;
		slices += x->builtin == TFIT_TFL_STRIDED_SLICE;
		pads += x->builtin == TFIT_TFL_PAD;
		convs += x->builtin == TFIT_TFL_CONV_2D;
		dws += x->builtin == TFIT_TFL_DEPTHWISE_CONV_2D;
		adds += x->builtin == TFIT_TFL_ADD;
		cats += x->builtin == TFIT_TFL_CONCATENATION;
	}
	/* per tile: a slice of the input, a conv, a pad of c for the depthwise
	 * (its SAME border: the outer side of each tile), a depthwise, a slice
	 * of c for the ADD, an ADD. The model's PAD is bottom/right only: the
	 * two tiles touching it pad the input; its zero-sized side vanishes. */
	CHECK_U64(slices, 4 + 4);
	CHECK_U64(pads, 4 + 3);
	CHECK_U64(convs, 4);
	CHECK_U64(dws, 4);
	CHECK_U64(adds, 4);
	CHECK_U64(cats, 2 + 1);
	CHECK_U64(rw.ops[0].builtin, TFIT_TFL_STRIDED_SLICE);
	CHECK_U64(rw.ops[rw.n_ops - 1].orig, 6);
	CHECK_U64(rw.ops[rw.n_ops - 2].orig, 5);
	CHECK_U64(rw.ops[rw.n_ops - 3].orig, 4);
	/* the last concatenation writes the stage output, rows along H */
	o = find_op(&rw, 9);
	CHECK(o && o->builtin == TFIT_TFL_CONCATENATION && o->axis == 1 && o->n_inputs == 2);
	/* the first tile's conv: 25x25 (its 24x24 and the depthwise's halo) */
	o = &rw.ops[1];
	CHECK_U64(o->builtin, TFIT_TFL_CONV_2D);
	CHECK_U64(rw.tensors[o->output].dims[1], 25);
	CHECK_U64(rw.tensors[o->output].dims[2], 25);
	CHECK_U64(rw.tensors[rw.ops[0].output].dims[1], 51); /* input rows 0..50 */
	/* below the original head: input 27,648 + p 28,224 (16-rounded) */
	CHECK(tfit_patch_head_bound(m, &rw) < 27648 + 28240);
	/* the written file reads back with the rewritten graph */
	CHECK(tfit_tflite_rewrite(d, len, "chain", &rw, &out, &out_len, &err) == TFIT_OK);
	CHECK(out && tfit_tflite_read_buffer(out, out_len, "chain", &pm, &err) == TFIT_OK);
	if (pm) {
		CHECK_U64(pm->subgraphs[0].n_ops, rw.n_ops);
		CHECK_U64(pm->subgraphs[0].n_tensors, rw.n_tensors);
		CHECK_U64(pm->macs, tfit_patch_macs(m, d, len, &st, 1));
		CHECK_U64(pm->subgraphs[0].ops[1].opt->padding, TFIT_PAD_VALID);
		CHECK_STR(pm->subgraphs[0].tensors[9].name, "add/out");
	}
	tfit_model_free(pm);
	free(out);
	tfit_rw_release(&rw);
}

/* Two stages: [PAD, CONV] as 2x2, then [DEPTHWISE, ADD, DEPTHWISE] as 3x3,
 * the second reading the first's output (c) twice (depthwise and ADD). */
static void test_two_stages(const struct tfit_model *m, const uint8_t *d, size_t len)
{
	struct tfit_patch_stage st[2];
	struct tfit_rw rw;
	struct tfit_error err;
	struct tfit_model *pm = NULL;
	uint8_t *out = NULL;
	size_t out_len = 0;
	char why[160];
	uint64_t conv = 48 * 48 * 8 * 27, dw = 48 * 48 * 8 * 9, dw2 = 24 * 24 * 8 * 9;
	CHECK(tfit_patch_stage_check(m, d, len, 0, 2, &st[0], why, sizeof(why)));
	CHECK(tfit_patch_stage_check(m, d, len, 2, 5, &st[1], why, sizeof(why)));
	CHECK_U64(st[1].in, 5);
	st[0].gh = st[0].gw = 2;
	st[1].gh = st[1].gw = 3;
	/* the conv alone recomputes nothing; e's 3x3 tiles are 8x8, each needs
	 * 2*7 + 3 = 17 rows/cols of d, the last one 16 (clipped: SAME pads
	 * stride 2 on an even size at the bottom/right only) */
	CHECK_U64(tfit_patch_macs(m, d, len, st, 2),
		  conv + (uint64_t)(16 + 17 + 17) * (16 + 17 + 17) * 8 * 9 + dw2);
	CHECK(dw > 0);
	CHECK(tfit_patch_build(m, d, len, st, 2, &rw, &err) == TFIT_OK);
	CHECK(tfit_tflite_rewrite(d, len, "chain", &rw, &out, &out_len, &err) == TFIT_OK);
	CHECK(out && tfit_tflite_read_buffer(out, out_len, "chain", &pm, &err) == TFIT_OK);
	if (pm)
		CHECK_U64(pm->macs, tfit_patch_macs(m, d, len, st, 2));
	/* the first stage's concatenation writes c before the second reads it */
	CHECK(rw.n_ops > 3 && rw.ops[rw.n_ops - 1].orig == 6 && rw.ops[rw.n_ops - 2].orig == 5);
	tfit_model_free(pm);
	free(out);
	tfit_rw_release(&rw);
}

static void test_optimize(const uint8_t *d, size_t len)
{
	struct tfit_runtime *rt = NULL;
	struct tfit_optimize_request q;
	struct tfit_optimize_result r;
	struct tfit_error err;
	CHECK(tfit_runtime_load(TFIT_SOURCE_DIR "/data", "tflm", &rt, &err) == TFIT_OK);
	if (!rt)
		return;
	memset(&q, 0, sizeof(q));
	q.model_data = d;
	q.model_len = len;
	q.model_name = "patch_chain.tflite";
	q.rt = rt;
	CHECK(tfit_optimize(&q, &r, &err) == TFIT_OK);
	CHECK_U64(r.patches_done, 1);
	CHECK_U64(r.n_patch_stages, 1);
	CHECK_U64(r.patch[0].first_op, 0);
	CHECK_U64(r.patch[0].last_op, 4);
	CHECK(r.after.head_bytes < r.before.head_bytes);
	CHECK(r.after.arena_bytes < r.plan_only_arena_bytes);
	CHECK(r.after.macs <= r.before.macs + r.before.macs * 15 / 100);
	printf("patch_chain: %ux%u, head %llu -> %llu, arena %llu -> %llu (plan alone %llu), "
	       "MACs %llu -> %llu\n", r.patch[0].rows, r.patch[0].cols,
	       (unsigned long long)r.before.head_bytes, (unsigned long long)r.after.head_bytes,
	       (unsigned long long)r.before.arena_bytes, (unsigned long long)r.after.arena_bytes,
	       (unsigned long long)r.plan_only_arena_bytes, (unsigned long long)r.before.macs,
	       (unsigned long long)r.after.macs);
	tfit_optimize_result_release(&r);
	/* --plan-only: no rewrite */
	q.plan_only = 1;
	CHECK(tfit_optimize(&q, &r, &err) == TFIT_OK);
	CHECK_U64(r.patches_done, 0);
	CHECK_U64(r.after.macs, r.before.macs);
	tfit_optimize_result_release(&r);
	/* a budget below the cheapest grid's overhead: no rewrite */
	q.plan_only = 0;
	q.has_max_mac_overhead = 1;
	q.max_mac_overhead = 0.01;
	CHECK(tfit_optimize(&q, &r, &err) == TFIT_OK);
	CHECK_U64(r.patches_done, 0);
	tfit_optimize_result_release(&r);
	tfit_runtime_free(rt);
}

int main(void)
{
	struct gen_model g;
	struct fbb b;
	struct tfit_model *m = NULL;
	struct tfit_error err;
	gen_chain(&g);
	gen_build(&b, &g);
	CHECK(!b.oom);
	tfit_check_fixture("patch_chain.tflite", b.buf, b.len);
	CHECK(tfit_tflite_read_buffer(b.buf, b.len, "chain", &m, &err) == TFIT_OK);
	if (m) {
		test_stage_checks(m, b.buf, b.len);
		test_macs(m, b.buf, b.len);
		test_build(m, b.buf, b.len);
		test_two_stages(m, b.buf, b.len);
		test_optimize(b.buf, b.len);
	}
	tfit_model_free(m);
	fbb_free(&b);
	return tfit_test_finish();
}
