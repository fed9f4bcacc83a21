/*
 * test_plan.c - tfit_plan_arena() on hand-built models: TFLM's lifetime
 * rules (inputs from scope 0, outputs to the end, producer to last
 * consumer, constants and variables not planned, control-flow subgraphs in
 * nested scopes, scratch buffers for their op), offline offsets, the lower
 * bound and peak op, the tail replay on a hand-worked model, errors, the
 * runtime-profile loader and its expression language, and a 100,000-op
 * chain under a second.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>

#include "tfit_test.h"
#include "tinyfit/plan.h"
#include "tinyfit/runtime.h"
#include "plan/rule_expr.h"

#define DATA_DIR TFIT_SOURCE_DIR "/data"

static struct tfit_runtime *ref_rt;

static int32_t tensor(struct tfit_subgraph *sg, enum tfit_dtype t, int64_t n, uint32_t flags)
{
	struct tfit_error err;
	int64_t dims[2] = { 1, n };
	int32_t i = tfit_subgraph_add_tensor(sg, NULL, t, 2, dims, flags, &err);
	CHECK(i >= 0);
	return i;
}

static void op2(struct tfit_subgraph *sg, enum tfit_op_type type, int32_t a, int32_t b, int32_t out)
{
	int32_t in[2] = { a, b };
	struct tfit_op_options o;
	tfit_op_options_init(&o);
	CHECK(tfit_subgraph_add_op(sg, type, NULL, in, b < -1 ? 1 : 2, &out, 1, &o) >= 0);
}

static const struct tfit_plan_buffer *buffer_of(const struct tfit_arena_plan *p, uint32_t sg,
						int32_t t)
{
	uint32_t i;
	for (i = 0; i < p->n_buffers; i++)
		if (p->buffers[i].kind == TFIT_PLAN_TENSOR && p->buffers[i].subgraph == sg &&
		    p->buffers[i].tensor == t)
			return &p->buffers[i];
	return NULL;
}

/* in(100 f32) -relu-> a -relu-> b -relu-> out; a weight const tensor unplanned */
static void test_chain_lifetimes(void)
{
	struct tfit_model *m = tfit_model_new();
	struct tfit_subgraph *sg = &m->subgraphs[0];
	struct tfit_arena_plan p;
	struct tfit_error err;
	const struct tfit_plan_buffer *b;
	int32_t in = tensor(sg, TFIT_DTYPE_FLOAT32, 100, 0);
	int32_t a = tensor(sg, TFIT_DTYPE_FLOAT32, 100, 0);
	int32_t w = tensor(sg, TFIT_DTYPE_FLOAT32, 100, TFIT_TENSOR_CONST);
	int32_t c = tensor(sg, TFIT_DTYPE_FLOAT32, 100, 0);
	int32_t out = tensor(sg, TFIT_DTYPE_FLOAT32, 100, 0);
	op2(sg, TFIT_OP_RELU, in, -2, a);
	op2(sg, TFIT_OP_MUL, a, w, c);
	op2(sg, TFIT_OP_RELU, c, -2, out);
	CHECK(tfit_subgraph_set_io(sg, &in, 1, &out, 1) == 0);

	CHECK(tfit_plan_arena(m, ref_rt, NULL, &p, &err) == TFIT_OK);
	CHECK_U64(p.n_buffers, 4);        /* the constant is not planned */
	CHECK_U64(p.n_times, 4);          /* scope 0 + three ops */
	CHECK(p.scope_op == NULL && p.scope_subgraph == NULL); /* scope s = op s - 1 */
	b = buffer_of(&p, 0, in);
	CHECK(b && b->first_time == 0 && b->last_time == 1);
	b = buffer_of(&p, 0, a);
	CHECK(b && b->first_time == 1 && b->last_time == 2 && b->op == 0);
	CHECK(b && b->bytes == 400 && tfit_plan_buffer_aligned_bytes(&p, b) == 400);
	b = buffer_of(&p, 0, c);
	CHECK(b && b->first_time == 2 && b->last_time == 3 && b->op == 1);
	b = buffer_of(&p, 0, out);
	CHECK(b && b->first_time == 3 && b->last_time == 3);
	CHECK(buffer_of(&p, 0, w) == NULL);
	CHECK_U64(p.head_bytes, 800);
	CHECK_U64(p.lower_bound_bytes, 800);
	CHECK_NEAR(p.efficiency, 1.0, 1e-9);
	CHECK(p.peak_time == 1);          /* first scope where 800 bytes are live */
	CHECK(p.peak_op == 0 && p.peak_subgraph == 0);
	CHECK_U64(p.n_peak_buffers, 2);
	CHECK_U64(p.n_ops_without_rule, 0);
	CHECK(p.first_op_without_rule == -1);

	/* Hand-worked tail (tflm.json, 16-aligned arena end): allocator objects
	 * 132, eval tensors 5 x 12 = 60, nodes 3 x 32 = 96 (288 so far); mul's
	 * TfLiteMulParams, 1 byte (289); then Init() in op order, each at a
	 * 16-aligned address: ReluOpData 28 (317 -> 320), OpDataMul 36 (356 ->
	 * 368), ReluOpData 28 (396 -> 400); the input pointer array 4 (404 ->
	 * 416) and TfLiteTensor 32 (448); the output array (452 -> 464) and
	 * tensor (496). */
	CHECK_U64(p.tail_bytes, 496);
	CHECK_U64(p.tail.allocator_bytes, 132);
	CHECK_U64(p.tail.eval_tensor_bytes, 60);
	CHECK_U64(p.tail.node_bytes, 96);
	CHECK_U64(p.tail.builtin_data_bytes, 1);
	CHECK_U64(p.tail.kernel_persistent_bytes, 28 + 36 + 28);
	CHECK_U64(p.tail.io_tensor_bytes, 72);
	CHECK_U64(p.tail.padding_bytes, 496 - 132 - 60 - 96 - 1 - 92 - 72);
	CHECK_U64(p.arena_used_bytes, 800 + 496);
	/* planning: the head holds 12 scratch requests (144), then the subgraph
	 * offsets 4 and AllocationInfo 5 x 24: temp ends at 268 -> 272, plus the
	 * planner's 4 x 40 = 432; the tail then is 400: 832 < 1296, so the
	 * final head + tail check decides */
	CHECK_U64(p.planning_peak_bytes, 272 + 160 + 400);
	CHECK_U64(p.arena_bytes, 1296);
	tfit_arena_plan_release(&p);
	tfit_arena_plan_release(&p); /* safe twice */
	tfit_model_free(m);
}

/* Sizes are rounded up to 16 before planning; the lower bound uses raw bytes. */
static void test_alignment(void)
{
	struct tfit_model *m = tfit_model_new();
	struct tfit_subgraph *sg = &m->subgraphs[0];
	struct tfit_arena_plan p;
	struct tfit_error err;
	int32_t in = tensor(sg, TFIT_DTYPE_INT8, 10, 0);
	int32_t out = tensor(sg, TFIT_DTYPE_INT8, 33, 0);
	op2(sg, TFIT_OP_RELU, in, -2, out);
	CHECK(tfit_subgraph_set_io(sg, &in, 1, &out, 1) == 0);
	CHECK(tfit_plan_arena(m, ref_rt, NULL, &p, &err) == TFIT_OK);
	/* the size as planned: the bytes rounded up to the runtime's 16 */
	CHECK_U64(p.buffer_alignment, 16);
	CHECK_U64(buffer_of(&p, 0, in)->bytes, 10);
	CHECK_U64(buffer_of(&p, 0, out)->bytes, 33);
	CHECK_U64(tfit_plan_buffer_aligned_bytes(&p, buffer_of(&p, 0, in)), 16);
	CHECK_U64(tfit_plan_buffer_aligned_bytes(&p, buffer_of(&p, 0, out)), 48);
	/* 40 bytes a buffer (issue #17): the planned size is derived */
	CHECK_U64(sizeof(struct tfit_plan_buffer), 40);
	CHECK_U64(buffer_of(&p, 0, out)->offset, 0);  /* larger first */
	CHECK_U64(buffer_of(&p, 0, in)->offset, 48);
	CHECK_U64(p.head_bytes, 64);
	CHECK_U64(p.lower_bound_bytes, 43);
	CHECK_NEAR(p.efficiency, 43.0 / 64.0, 1e-9);
	tfit_arena_plan_release(&p);
	tfit_model_free(m);
}

/* Residual: in -> x; x -> b1 -> b2; add(x, b2) -> out. Variables go to the tail. */
static void test_residual_and_variables(void)
{
	struct tfit_model *m = tfit_model_new();
	struct tfit_subgraph *sg = &m->subgraphs[0];
	struct tfit_arena_plan p;
	struct tfit_error err;
	const struct tfit_plan_buffer *b;
	int32_t in = tensor(sg, TFIT_DTYPE_INT8, 64, 0);
	int32_t x = tensor(sg, TFIT_DTYPE_INT8, 64, 0);
	int32_t b1 = tensor(sg, TFIT_DTYPE_INT8, 64, 0);
	int32_t b2 = tensor(sg, TFIT_DTYPE_INT8, 64, 0);
	int32_t out = tensor(sg, TFIT_DTYPE_INT8, 64, 0);
	int32_t var = tensor(sg, TFIT_DTYPE_INT8, 100, TFIT_TENSOR_VARIABLE);
	int32_t empty = tensor(sg, TFIT_DTYPE_INT8, 0, 0);
	op2(sg, TFIT_OP_RELU, in, -2, x);
	op2(sg, TFIT_OP_RELU, x, -2, b1);
	op2(sg, TFIT_OP_ADD, b1, var, b2);
	op2(sg, TFIT_OP_ADD, x, b2, out);
	CHECK(tfit_subgraph_set_io(sg, &in, 1, &out, 1) == 0);
	CHECK(tfit_plan_arena(m, ref_rt, NULL, &p, &err) == TFIT_OK);
	b = buffer_of(&p, 0, x);
	CHECK(b && b->first_time == 1 && b->last_time == 4); /* to its last consumer */
	CHECK(buffer_of(&p, 0, var) == NULL);                /* variable: tail */
	CHECK(buffer_of(&p, 0, empty) == NULL);              /* 0 bytes: not planned */
	CHECK_U64(p.tail.variable_bytes, 100);
	/* x lives across both branches: three 64-byte buffers at once */
	CHECK_U64(p.head_bytes, 192);
	CHECK_U64(p.lower_bound_bytes, 192);
	tfit_arena_plan_release(&p);
	tfit_model_free(m);
}

/* IF in subgraph 0 calling subgraphs 1 and 2: nested scopes */
static void test_control_flow(void)
{
	struct tfit_model *m = tfit_model_new();
	struct tfit_subgraph *g0, *g1, *g2;
	struct tfit_arena_plan p;
	struct tfit_error err;
	struct tfit_op_options o, call_opt;
	const struct tfit_plan_buffer *b;
	int32_t in, cond, out, ins[2], t1i, t1o, t2i, t2o, s1, s2;

	s1 = tfit_model_add_subgraph(m, "then");
	s2 = tfit_model_add_subgraph(m, "else");
	CHECK(s1 == 1 && s2 == 2);
	g0 = &m->subgraphs[0];
	g1 = &m->subgraphs[1];
	g2 = &m->subgraphs[2];
	in = tensor(g0, TFIT_DTYPE_FLOAT32, 8, 0);
	cond = tensor(g0, TFIT_DTYPE_BOOL, 1, 0);
	out = tensor(g0, TFIT_DTYPE_FLOAT32, 8, 0);
	tfit_op_options_init(&o);
	o.subgraph[0] = 1;
	o.subgraph[1] = 2;
	ins[0] = cond;
	ins[1] = in;
	CHECK(tfit_subgraph_add_op(g0, TFIT_OP_IF, NULL, ins, 2, &out, 1, &o) >= 0);
	ins[0] = in;
	ins[1] = cond;
	CHECK(tfit_subgraph_set_io(g0, ins, 2, &out, 1) == 0);
	t1i = tensor(g1, TFIT_DTYPE_FLOAT32, 8, 0);
	t1o = tensor(g1, TFIT_DTYPE_FLOAT32, 8, 0);
	op2(g1, TFIT_OP_RELU, t1i, -2, t1o);
	CHECK(tfit_subgraph_set_io(g1, &t1i, 1, &t1o, 1) == 0);
	t2i = tensor(g2, TFIT_DTYPE_FLOAT32, 8, 0);
	t2o = tensor(g2, TFIT_DTYPE_FLOAT32, 8, 0);
	op2(g2, TFIT_OP_TANH, t2i, -2, t2o);
	CHECK(tfit_subgraph_set_io(g2, &t2i, 1, &t2o, 1) == 0);

	CHECK(tfit_plan_arena(m, ref_rt, NULL, &p, &err) == TFIT_OK);
	/* scopes: 0 inputs; 1 the IF op; 2 enter then, 3 relu; 4 enter else,
	 * 5 tanh; the IF's inputs are used at 5 */
	CHECK_U64(p.n_times, 6);
	/* the scope map is kept, scope by scope (subgraph, op): (0, -1)
	 * inputs, (0, 0) the IF, (1, -1) then's inputs, (1, 0) relu, (2, -1)
	 * else's inputs, (2, 0) tanh */
	CHECK(p.scope_op != NULL && p.scope_subgraph != NULL);
	if (p.scope_op && p.scope_subgraph) {
		static const int32_t want_sg[6] = { 0, 0, 1, 1, 2, 2 }, want_op[6] = { -1, 0, -1, 0, -1, 0 };
		int32_t s, sg, op;
		for (s = 0; s < 6; s++) {
			tfit_plan_scope(&p, s, &sg, &op);
			CHECK(sg == want_sg[s] && op == want_op[s]);
		}
	}
	b = buffer_of(&p, 0, in);
	CHECK(b && b->first_time == 0 && b->last_time == 5);
	b = buffer_of(&p, 0, out);
	CHECK(b && b->first_time == 1 && b->last_time == 5);
	b = buffer_of(&p, 1, t1i);
	CHECK(b && b->first_time == 2 && b->last_time == 3);
	b = buffer_of(&p, 1, t1o);
	CHECK(b && b->first_time == 3 && b->last_time == 3);
	b = buffer_of(&p, 2, t2i);
	CHECK(b && b->first_time == 4 && b->last_time == 5);
	/* then- and else-branch buffers share memory */
	CHECK(buffer_of(&p, 1, t1i)->offset == buffer_of(&p, 2, t2i)->offset ||
	      buffer_of(&p, 1, t1o)->offset == buffer_of(&p, 2, t2o)->offset ||
	      buffer_of(&p, 1, t1i)->offset == buffer_of(&p, 2, t2o)->offset);
	/* the IF kernel has no row in tflm.json */
	CHECK_U64(p.n_ops_without_rule, 1);
	CHECK(p.first_op_without_rule_subgraph == 0 && p.first_op_without_rule == 0);
	/* two subgraphs' worth of allocator objects in the tail */
	CHECK_U64(p.tail.allocator_bytes, 124 + 3 * 8);
	tfit_arena_plan_release(&p);

	/* a subgraph that calls itself is an input error */
	m->subgraphs[1].ops[0].type = TFIT_OP_CALL_ONCE;
	call_opt = *m->subgraphs[1].ops[0].opt;
	call_opt.subgraph[0] = 1;
	CHECK(tfit_op_set_options(&m->subgraphs[1], &m->subgraphs[1].ops[0], &call_opt) == 0);
	CHECK(tfit_plan_arena(m, ref_rt, NULL, &p, &err) == TFIT_ERR_INPUT);
	CHECK_CONTAINS(err.message, "calls itself");
	call_opt.subgraph[0] = 9;
	CHECK(tfit_op_set_options(&m->subgraphs[1], &m->subgraphs[1].ops[0], &call_opt) == 0);
	CHECK(tfit_plan_arena(m, ref_rt, NULL, &p, &err) == TFIT_ERR_INPUT);
	CHECK_CONTAINS(err.message, "subgraph 9");
	tfit_model_free(m);
}

/* Offline plan: offsets kept (also for a variable, which then moves to the head) */
static void test_offline(void)
{
	struct tfit_model *m = tfit_model_new();
	struct tfit_subgraph *sg = &m->subgraphs[0];
	struct tfit_arena_plan p;
	struct tfit_plan_opts o;
	struct tfit_error err;
	int32_t in = tensor(sg, TFIT_DTYPE_INT8, 32, 0);
	int32_t var = tensor(sg, TFIT_DTYPE_INT8, 32, TFIT_TENSOR_VARIABLE);
	int32_t out = tensor(sg, TFIT_DTYPE_INT8, 32, 0);
	op2(sg, TFIT_OP_ADD, in, var, out);
	CHECK(tfit_subgraph_set_io(sg, &in, 1, &out, 1) == 0);
	m->has_offline_plan = 1;
	CHECK(tfit_tensor_set_offline_offset(sg, &sg->tensors[in], 0) == 0);
	CHECK(tfit_tensor_set_offline_offset(sg, &sg->tensors[var], 64) == 0);
	CHECK(tfit_tensor_set_offline_offset(sg, &sg->tensors[out], -1) == 0);
	/* a plan with the wrong number of entries: TFLM fails AllocateTensors */
	m->offline_plan_tensors = 2;
	CHECK(tfit_plan_arena(m, ref_rt, NULL, &p, &err) == TFIT_ERR_INPUT);
	CHECK_CONTAINS(err.message, "has 2 entries but the model has 3 tensors");
	m->offline_plan_tensors = 3;
	CHECK(tfit_plan_arena(m, ref_rt, NULL, &p, &err) == TFIT_OK);
	CHECK(p.used_offline_plan);
	CHECK_U64(buffer_of(&p, 0, in)->offset, 0);
	CHECK_U64(buffer_of(&p, 0, var)->offset, 64);
	CHECK_U64(buffer_of(&p, 0, out)->offset, 32); /* the online one fills the gap */
	CHECK_U64(p.tail.variable_bytes, 0);
	CHECK_U64(p.head_bytes, 96);
	tfit_arena_plan_release(&p);
	memset(&o, 0, sizeof(o));
	o.ignore_offline_plan = 1;
	CHECK(tfit_plan_arena(m, ref_rt, &o, &p, &err) == TFIT_OK);
	CHECK(!p.used_offline_plan);
	CHECK_U64(p.tail.variable_bytes, 32);
	CHECK_U64(p.head_bytes, 64);
	tfit_arena_plan_release(&p);
	tfit_model_free(m);
}

static void test_errors(void)
{
	struct tfit_model *m = tfit_model_new();
	struct tfit_subgraph *sg = &m->subgraphs[0];
	struct tfit_arena_plan p;
	struct tfit_error err;
	int32_t in, w, out;
	CHECK(tfit_plan_arena(m, ref_rt, NULL, &p, &err) == TFIT_ERR_INPUT); /* no ops */
	in = tensor(sg, TFIT_DTYPE_FLOAT32, 8, 0);
	w = tensor(sg, TFIT_DTYPE_INT8, 8, TFIT_TENSOR_CONST);
	out = tensor(sg, TFIT_DTYPE_FLOAT32, 8, 0);
	op2(sg, TFIT_OP_FULLY_CONNECTED, in, w, out);
	CHECK(tfit_subgraph_set_io(sg, &in, 1, &out, 1) == 0);
	CHECK(tfit_plan_arena(m, ref_rt, NULL, &p, &err) == TFIT_ERR_INPUT);
	CHECK_CONTAINS(err.message, "op 0 (fully_connected)");
	CHECK_CONTAINS(err.message, "Hybrid models are not supported");
	sg->tensors[w].dtype = TFIT_DTYPE_FLOAT32;
	tfit_tensor_dims_mut(&sg->tensors[out])[1] = 0; /* a dynamic output */
	CHECK(tfit_plan_arena(m, ref_rt, NULL, &p, &err) == TFIT_ERR_INPUT);
	CHECK_CONTAINS(err.message, "dynamic");
	CHECK(p.buffers == NULL);
	tfit_tensor_dims_mut(&sg->tensors[out])[1] = 8;
	/* TFLM sizes int4 activations at a byte per element (memory_helpers.cc) */
	sg->tensors[in].dtype = TFIT_DTYPE_INT4;
	CHECK(tfit_tensor_check_bytes(&sg->tensors[in]) == 0);
	CHECK_U64(tfit_tensor_bytes(&sg->tensors[in]), 4);
	sg->tensors[w].dtype = TFIT_DTYPE_INT4;
	CHECK(tfit_plan_arena(m, ref_rt, NULL, &p, &err) == TFIT_OK);
	CHECK(buffer_of(&p, 0, in) && buffer_of(&p, 0, in)->bytes == 8);
	tfit_arena_plan_release(&p);
	/* strings cannot be sized */
	sg->tensors[w].dtype = TFIT_DTYPE_STRING;
	CHECK(tfit_plan_arena(m, ref_rt, NULL, &p, &err) == TFIT_ERR_INPUT);
	CHECK_CONTAINS(err.message, "string");
	tfit_model_free(m);
}

/* Scratch buffers live for their op and are planned after the tensors. */
static void test_scratch(void)
{
	struct tfit_model *m = tfit_model_new();
	struct tfit_subgraph *sg = &m->subgraphs[0];
	struct tfit_arena_plan p;
	struct tfit_error err;
	int64_t d4[4] = { 1, 1, 49, 64 }, wf[2] = { 64, 64 };
	int32_t in, wt, ws, bias, state, out, ins[5];
	struct tfit_op_options o;
	in = tensor(sg, TFIT_DTYPE_INT8, 64, 0);
	wt = tfit_subgraph_add_tensor(sg, NULL, TFIT_DTYPE_INT8, 2, wf, TFIT_TENSOR_CONST, &err);
	ws = tfit_subgraph_add_tensor(sg, NULL, TFIT_DTYPE_INT16, 2, wf, TFIT_TENSOR_CONST, &err);
	bias = tensor(sg, TFIT_DTYPE_INT32, 64, TFIT_TENSOR_CONST);
	state = tensor(sg, TFIT_DTYPE_INT16, 64 * 64, TFIT_TENSOR_VARIABLE);
	out = tensor(sg, TFIT_DTYPE_INT8, 64, 0);
	(void)d4;
	ins[0] = in;
	ins[1] = wt;
	ins[2] = ws;
	ins[3] = bias;
	ins[4] = state;
	tfit_op_options_init(&o);
	o.rank = 1;
	CHECK(tfit_subgraph_add_op(sg, TFIT_OP_SVDF, NULL, ins, 5, &out, 1, &o) >= 0);
	CHECK(tfit_subgraph_set_io(sg, &in, 1, &out, 1) == 0);
	CHECK(tfit_plan_arena(m, ref_rt, NULL, &p, &err) == TFIT_OK);
	/* svdf int8: batch x filters x 4 and batch x units x 4 (svdf_common.cc) */
	CHECK_U64(p.n_scratch, 2);
	CHECK_U64(p.n_buffers, 4);
	CHECK(p.buffers[2].kind == TFIT_PLAN_SCRATCH && p.buffers[2].bytes == 256);
	CHECK(p.buffers[3].kind == TFIT_PLAN_SCRATCH && p.buffers[3].bytes == 256);
	CHECK(p.buffers[2].first_time == 1 && p.buffers[2].last_time == 1 && p.buffers[2].op == 0);
	CHECK_U64(p.tail.scratch_handle_bytes, 8);
	CHECK_U64(p.tail.variable_bytes, 8192);
	CHECK_U64(p.head_bytes, 64 + 64 + 256 + 256);
	tfit_arena_plan_release(&p);
	tfit_model_free(m);
}

static void test_long_chain(void)
{
	struct tfit_model *m = tfit_model_new();
	struct tfit_subgraph *sg = &m->subgraphs[0];
	struct tfit_arena_plan p;
	struct tfit_error err;
	int32_t prev, first, i;
	clock_t t0;
	double secs;
	first = prev = tensor(sg, TFIT_DTYPE_INT8, 1000, 0);
	for (i = 0; i < 100000; i++) {
		int32_t next = tensor(sg, TFIT_DTYPE_INT8, 1000 + (i % 7) * 16, 0);
		op2(sg, TFIT_OP_RELU, prev, -2, next);
		prev = next;
	}
	CHECK(tfit_subgraph_set_io(sg, &first, 1, &prev, 1) == 0);
	t0 = clock();
	CHECK(tfit_plan_arena(m, ref_rt, NULL, &p, &err) == TFIT_OK);
	secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	printf("100000-op chain: arena planned in %.3f s (head %llu, arena %llu)\n", secs,
	       (unsigned long long)p.head_bytes, (unsigned long long)p.arena_bytes);
	CHECK(p.head_bytes <= 3 * 1104); /* two live at a time; greedy fragments a little */
	CHECK_U64(p.n_buffers, 100001);
	CHECK_U64(p.n_times, 100001);
	CHECK(p.arena_bytes >= p.planning_peak_bytes);
	/* a chain without control flow: scope s is op s - 1, and the plan
	 * keeps no scope map (issue #17: 800,008 bytes here) */
	CHECK(p.scope_subgraph == NULL && p.scope_op == NULL);
	{
		int32_t s_sg = -5, s_op = -5;
		tfit_plan_scope(&p, 0, &s_sg, &s_op);
		CHECK(s_sg == 0 && s_op == -1);
		tfit_plan_scope(&p, 100000, &s_sg, &s_op);
		CHECK(s_sg == 0 && s_op == 99999);
	}
	tfit_arena_plan_release(&p);
	tfit_model_free(m);
}

static void test_expressions(void)
{
	struct tfit_model *m = tfit_model_new();
	struct tfit_subgraph *sg = &m->subgraphs[0];
	struct tfit_rule_expr *e = NULL;
	struct tfit_error err;
	struct tfit_op_options o;
	int64_t dims[4] = { 1, 10, 20, 3 }, fdims[4] = { 8, 3, 3, 3 }, v = 0;
	int32_t ins[3], out;
	static const struct {
		const char *text;
		int64_t value;
	} cases[] = {
		{ "1 + 2 * 3", 7 }, { "(1 + 2) * 3", 9 }, { "7 / 2", 3 }, { "7 % 4", 3 },
		{ "-3 + 5", 2 }, { "!0 && 3 > 2", 1 }, { "2 >= 3 || 1 != 1", 0 },
		{ "in0_h * in0_w * in0_c", 600 }, { "in0_elems", 600 }, { "in0_bytes", 600 },
		{ "in1_d0", 8 }, { "in1_last", 3 }, { "in1_rank", 4 }, { "in1_const", 1 },
		{ "in2_present", 0 }, { "in2_d0", 0 }, { "in5_type", 0 }, { "out0_type == i8", 1 },
		{ "in0_type == f32", 0 }, { "in1_qch", 8 }, { "stride_w", 2 }, { "pad_same", 1 },
		{ "n_in", 3 }, { "max(3, 9) - min(3, 9)", 6 }, { "align(13, 4)", 16 },
		{ "ceil_div(13, 4)", 4 }, { "in0_c == 3 ? 10 : 20", 10 },
		{ "1 ? 5 : 7 / 0", 5 }, { "0 && 1 / 0", 0 }, { "dil_h * depth_mult", 1 },
	};
	size_t i;
	ins[0] = tfit_subgraph_add_tensor(sg, NULL, TFIT_DTYPE_INT8, 4, dims, 0, &err);
	ins[1] = tfit_subgraph_add_tensor(sg, NULL, TFIT_DTYPE_INT8, 4, fdims, TFIT_TENSOR_CONST, &err);
	ins[2] = -1;
	CHECK(tfit_tensor_set_quant_scheme(sg, &sg->tensors[ins[1]], 8, 0, 0) == 0);
	out = tfit_subgraph_add_tensor(sg, NULL, TFIT_DTYPE_INT8, 4, dims, 0, &err);
	tfit_op_options_init(&o);
	o.stride_w = 2;
	o.padding = TFIT_PAD_SAME;
	CHECK(tfit_subgraph_add_op(sg, TFIT_OP_CONV_2D, NULL, ins, 3, &out, 1, &o) >= 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		e = NULL;
		if (tfit_rule_expr_compile(cases[i].text, "t.json", "k", &e, &err) != TFIT_OK) {
			fprintf(stderr, "'%s': %s\n", cases[i].text, err.message);
			CHECK(0);
			continue;
		}
		CHECK(tfit_rule_expr_eval(e, sg, &sg->ops[0], &v, &err) == TFIT_OK);
		if (v != cases[i].value)
			fprintf(stderr, "'%s' = %lld\n", cases[i].text, (long long)v);
		CHECK_I64(v, cases[i].value);
		tfit_rule_expr_free(e);
	}
	/* compile errors name the column */
	CHECK(tfit_rule_expr_compile("in0_c + bogus", "t.json", "kernels[0].init[0].bytes", &e,
				     &err) == TFIT_ERR_INPUT);
	CHECK_CONTAINS(err.message, "unknown name at column 9");
	CHECK_STR(err.path, "kernels[0].init[0].bytes");
	CHECK(tfit_rule_expr_compile("(1 + 2", NULL, NULL, &e, &err) == TFIT_ERR_INPUT);
	CHECK(tfit_rule_expr_compile("1 +", NULL, NULL, &e, &err) == TFIT_ERR_INPUT);
	CHECK(tfit_rule_expr_compile("1 2", NULL, NULL, &e, &err) == TFIT_ERR_INPUT);
	CHECK(tfit_rule_expr_compile("max(1)", NULL, NULL, &e, &err) == TFIT_ERR_INPUT);
	{
		char deep[300];
		memset(deep, '(', 200);
		strcpy(deep + 200, "1");
		CHECK(tfit_rule_expr_compile(deep, NULL, NULL, &e, &err) == TFIT_ERR_LIMIT);
	}
	/* evaluation errors */
	CHECK(tfit_rule_expr_compile("in0_c / in2_c", NULL, NULL, &e, &err) == TFIT_OK);
	CHECK(tfit_rule_expr_eval(e, sg, &sg->ops[0], &v, &err) == TFIT_ERR_INPUT);
	CHECK_CONTAINS(err.message, "division by zero");
	tfit_rule_expr_free(e);
	CHECK(tfit_rule_expr_compile("9223372036854775807 + 1", NULL, NULL, &e, &err) == TFIT_OK);
	CHECK(tfit_rule_expr_eval(e, sg, &sg->ops[0], &v, &err) == TFIT_ERR_INPUT);
	CHECK_CONTAINS(err.message, "overflow");
	tfit_rule_expr_free(e);
	tfit_rule_expr_free(NULL);
	tfit_model_free(m);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void test_runtime_loader(void)
{
	struct tfit_runtime *rt = NULL;
	struct tfit_error err;
	char dir[256], rdir[300], path[400];
	char **ids = NULL;
	size_t i;

	/* the shipped profiles load and list */
	CHECK(tfit_runtime_ids(DATA_DIR, &ids, &err) == TFIT_OK);
	if (ids) {
		static const char *const want[] = { "tflm", "tflm-cmsis-nn", "tflm-esp-nn",
						    "x-cube-ai" };
		for (i = 0; i < 4; i++) {
			size_t j;
			int found = 0;
			for (j = 0; ids[j]; j++)
				found |= strcmp(ids[j], want[i]) == 0;
			CHECK(found);
			CHECK(tfit_runtime_load(DATA_DIR, want[i], &rt, &err) == TFIT_OK);
			if (rt) {
				CHECK_STR(rt->id, want[i]);
				CHECK(rt->flash.base_bytes > 0);
				/* per kernel, or (X-CUBE-AI's fitted bound) per tensor */
				CHECK(tfit_code_table_kernel_bytes(&rt->flash, "conv_2d") > 0 ||
				      rt->flash.per_tensor_bytes > 0);
			}
			tfit_runtime_free(rt);
			rt = NULL;
		}
		tfit_runtime_ids_free(ids);
	}
	CHECK(tfit_runtime_load(DATA_DIR, "tflm-cmsis", &rt, &err) == TFIT_ERR_INPUT);
	CHECK_CONTAINS(err.message, "unknown runtime 'tflm-cmsis'");
	CHECK_CONTAINS(err.message, "tflm-cmsis-nn");
	CHECK(tfit_runtime_load(DATA_DIR, "../etc/passwd", &rt, &err) == TFIT_ERR_INPUT);

	/* a child profile overrides its base's rules and inherits the rest */
	snprintf(dir, sizeof(dir), "/tmp/tfit_test_plan_%ld", (long)time(NULL) ^ (long)clock());
	mkdir(dir, 0700);
	snprintf(rdir, sizeof(rdir), "%s/runtimes", dir);
	mkdir(rdir, 0700);
	snprintf(path, sizeof(path), "%s/base.json", rdir);
	write_file(path, "{\"id\": \"base\", \"arena\": {\"kind\": \"tflm\", \"eval_tensor_bytes\": 12,"
			 " \"node_and_registration_bytes\": 32, \"tflite_tensor_bytes\": 32,"
			 " \"planner_bytes_per_buffer\": 40},"
			 " \"flash\": {\"base_bytes\": 1000, \"kernels\": {\"add\": 10}},"
			 " \"kernels\": [{\"op\": \"add\", \"init\": [{\"bytes\": 60}]},"
			 "  {\"op\": \"mul\", \"init\": [{\"bytes\": 36}]}]}");
	snprintf(path, sizeof(path), "%s/child.json", rdir);
	write_file(path, "{\"id\": \"child\", \"base\": \"base\", \"flash\": {\"kernels\": {\"add\": 20}},"
			 " \"kernels\": [{\"op\": \"add\", \"when\": \"in0_type == i8\","
			 " \"init\": [{\"bytes\": \"in0_elems * 2\"}]}]}");
	CHECK(tfit_runtime_load(dir, "child", &rt, &err) == TFIT_OK);
	if (rt) {
		CHECK_U64(rt->n_kernels, 3);
		CHECK_STR(rt->kernels[0].op, "add");
		CHECK(rt->kernels[0].when != NULL);
		CHECK_U64(rt->flash.base_bytes, 1000);
		CHECK_U64(tfit_code_table_kernel_bytes(&rt->flash, "add"), 20);
		CHECK_U64(rt->layout.eval_tensor_bytes, 12);
		tfit_runtime_free(rt);
		rt = NULL;
	}
	/* schema errors carry the JSON path */
	snprintf(path, sizeof(path), "%s/bad1.json", rdir);
	write_file(path, "{\"id\": \"bad1\", \"arena\": {\"kind\": \"tflm\", \"eval_tensor_bytes\": 12,"
			 " \"node_and_registration_bytes\": 32, \"tflite_tensor_bytes\": 32,"
			 " \"planner_bytes_per_buffer\": 40},"
			 " \"kernels\": [{\"op\": \"add\"}, {\"op\": \"conv_2d\", \"scratch\": [{\"bytes\": \"in0_q + 1\"}]}]}");
	CHECK(tfit_runtime_load(dir, "bad1", &rt, &err) == TFIT_ERR_INPUT);
	CHECK_STR(err.path, "kernels[1].scratch[0].bytes");
	CHECK_CONTAINS(err.message, "unknown name");
	snprintf(path, sizeof(path), "%s/bad2.json", rdir);
	write_file(path, "{\"id\": \"bad2\", \"base\": \"base\", \"kernels\": [{\"op\": \"conv2d\"}]}");
	CHECK(tfit_runtime_load(dir, "bad2", &rt, &err) == TFIT_ERR_INPUT);
	CHECK_CONTAINS(err.message, "unknown op 'conv2d'");
	snprintf(path, sizeof(path), "%s/bad3.json", rdir);
	write_file(path, "{\"id\": \"bad3\", \"arena\": {\"kind\": \"tflm\"}}");
	CHECK(tfit_runtime_load(dir, "bad3", &rt, &err) == TFIT_ERR_INPUT);
	snprintf(path, sizeof(path), "%s/bad4.json", rdir);
	write_file(path, "{\"id\": \"bad4\", \"base\": \"bad4\"}");
	CHECK(tfit_runtime_load(dir, "bad4", &rt, &err) == TFIT_ERR_LIMIT);
	snprintf(path, sizeof(path), "%s/bad5.json", rdir);
	write_file(path, "{\"id\": \"bad5\",\n \"kernels\": [,]}");
	CHECK(tfit_runtime_load(dir, "bad5", &rt, &err) == TFIT_ERR_INPUT);
	CHECK(err.line == 2);
	snprintf(path, sizeof(path), "%s/bad6.json", rdir);
	write_file(path, "{\"id\": \"bad6\", \"colour\": 1}");
	CHECK(tfit_runtime_load(dir, "bad6", &rt, &err) == TFIT_ERR_INPUT);
	CHECK_CONTAINS(err.message, "colour");
	CHECK(rt == NULL);
	{
		/* a set loads each file once: the base of child stays in it (its
		 * file can go), a second request returns the same profile, a
		 * profile with a base equals the one tfit_runtime_load gives */
		struct tfit_runtime_set *set = NULL;
		const struct tfit_runtime *c1 = NULL, *c2 = NULL, *b1 = NULL;
		struct tfit_runtime *ref = NULL;
		uint32_t k;
		CHECK(tfit_runtime_load(dir, "child", &ref, &err) == TFIT_OK);
		CHECK(tfit_runtime_set_new(dir, &set, &err) == TFIT_OK);
		CHECK(tfit_runtime_set_get(set, "child", &c1, &err) == TFIT_OK);
		snprintf(path, sizeof(path), "%s/base.json", rdir);
		remove(path);
		CHECK(tfit_runtime_set_get(set, "child", &c2, &err) == TFIT_OK);
		CHECK(c1 == c2);
		CHECK(tfit_runtime_set_get(set, "base", &b1, &err) == TFIT_OK);
		CHECK(b1 != NULL && b1 != c1);
		if (b1)
			CHECK_STR(b1->id, "base");
		if (c1 && ref) {
			CHECK_STR(c1->id, "child");
			CHECK_U64(c1->n_kernels, ref->n_kernels);
			for (k = 0; k < c1->n_kernels && k < ref->n_kernels; k++) {
				CHECK_STR(c1->kernels[k].op, ref->kernels[k].op);
				CHECK_U64(c1->kernels[k].n_init, ref->kernels[k].n_init);
			}
			CHECK_U64(tfit_code_table_kernel_bytes(&c1->flash, "add"), 20);
			CHECK_U64(c1->flash.base_bytes, 1000);
			CHECK_U64(c1->layout.eval_tensor_bytes, 12);
		}
		CHECK(tfit_runtime_set_get(set, "bad4", &c2, &err) == TFIT_ERR_LIMIT);
		CHECK(tfit_runtime_set_get(set, "nosuch", &c2, &err) == TFIT_ERR_INPUT);
		CHECK_CONTAINS(err.message, "unknown runtime 'nosuch'");
		tfit_runtime_set_free(set);
		tfit_runtime_free(ref);
	}
	{
		static const char *const names[] = { "base", "child", "bad1", "bad2", "bad3",
						     "bad4", "bad5", "bad6" };
		for (i = 0; i < 8; i++) {
			snprintf(path, sizeof(path), "%s/%s.json", rdir, names[i]);
			remove(path);
		}
		rmdir(rdir);
		rmdir(dir);
	}
}

int main(void)
{
	struct tfit_error err;
	if (tfit_runtime_load(DATA_DIR, "tflm", &ref_rt, &err) != TFIT_OK) {
		fprintf(stderr, "%s\n", err.message);
		return 1;
	}
	test_chain_lifetimes();
	test_alignment();
	test_residual_and_variables();
	test_control_flow();
	test_offline();
	test_errors();
	test_scratch();
	test_long_chain();
	test_expressions();
	test_runtime_loader();
	tfit_runtime_free(ref_rt);
	return tfit_test_finish();
}
