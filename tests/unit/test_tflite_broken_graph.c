/*
 * test_tflite_broken_graph.c - the broken-file corpus, graph level: ops that
 * form cycles or read tensors out of range, subgraph calls that loop or point
 * nowhere, bad option tables, buffers and metadata, and a file built from
 * shared objects that would take quadratic work (TFIT_ERR_LIMIT). Same
 * harness as test_tflite_broken.c (tflite_broken.h): exact path and message,
 * from an exact-size heap copy and from a file.
 */
#include "tflite_broken.h"

/* ---- graph structure ----------------------------------------------------- */

static void test_graph_structure(void)
{
	struct gen_model g;
	struct fbb b;

	gen_small_model(&g);
	g.n_subgraphs = 0;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs", "the model has no subgraphs");
	fbb_free(&b);

	/* no subgraphs field at all */
	build_small(&b);
	{
		size_t root = fbb_get32(&b, 0), vt = root - fbb_get32(&b, root);
		fbb_put16(&b, vt + 4 + 2 * 2, 0);
	}
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs", "the model has no subgraphs");
	fbb_free(&b);

	gen_small_model(&g);
	g.sg[0].n_ops = 0;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators", "the main subgraph has no operators");
	fbb_free(&b);

	gen_small_model(&g);
	g.sg[0].n_in = 0;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].inputs", "the main subgraph has no inputs");
	fbb_free(&b);

	/* op 0 reads op 1's output: a cycle / wrong order */
	gen_small_model(&g);
	g.sg[0].ops[0].in[0] = 6;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[0].inputs[0]",
	       "operator conv_2d reads tensor 6 before operators[1] produces it: the "
	       "operators form a cycle or are not in execution order");
	fbb_free(&b);

	/* an op reading its own output */
	gen_small_model(&g);
	g.sg[0].ops[2].in[0] = 7;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[2].inputs[0]",
	       "operator softmax reads tensor 7, its own output: the operators form a cycle");
	fbb_free(&b);

	/* opcode rules */
	gen_small_model(&g);
	g.codes[2] = (struct gen_opcode){ 32, 32, NULL };
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "operator_codes[2].custom_code",
	       "custom operator has no custom_code name");
	fbb_free(&b);
	g.codes[2] = (struct gen_opcode){ -5, -7, NULL };
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "operator_codes[2].builtin_code",
	       "builtin operator code -5 is negative");
	fbb_free(&b);
}

/* Three subgraphs: main calls 1 (and 2) through IF/WHILE options. */
static void control_flow_model(struct gen_model *g, int32_t code, uint8_t tag,
			       int32_t a, int32_t b2, int sub_calls_self)
{
	static const int32_t one[] = { 1 };
	struct gen_op *o;
	int k;
	gen_small_model(g);
	g->codes[2] = (struct gen_opcode){ (int8_t)(code < 127 ? code : 127), code, NULL };
	o = &g->sg[0].ops[2];
	o->options_type = tag;
	o->n_opt = 2;
	o->opt[0] = (struct gen_field){ 0, 4, (uint32_t)a };
	o->opt[1] = (struct gen_field){ 1, 4, (uint32_t)b2 };
	g->n_subgraphs = 3;
	for (k = 1; k < 3; k++) {
		struct gen_subgraph *s = &g->sg[k];
		memset(s, 0, sizeof(*s));
		s->n_tensors = 2;
		gen_tensor(&s->tensors[0], "x", 9, 1, one, 0);
		gen_tensor(&s->tensors[1], "y", 9, 1, one, 0);
		s->n_in = s->n_out = 1;
		s->out[0] = 1;
		s->n_ops = 1;
		s->ops[0].opcode = 1;
		s->ops[0].n_in = 2;    /* x twice: FULLY_CONNECTED needs 2 */
		s->ops[0].n_out = 1;
		s->ops[0].out[0] = 1;
	}
	if (sub_calls_self) {
		/* subgraph 2's op is the same IF/WHILE, calling back into 1 */
		o = &g->sg[2].ops[0];
		o->opcode = 2;
		o->options_type = tag;
		o->n_opt = 2;
		o->opt[0] = (struct gen_field){ 0, 4, 1 };
		o->opt[1] = (struct gen_field){ 1, 4, 2 };
	}
}

static void test_subgraph_calls(void)
{
	struct gen_model g;
	struct fbb b;

	control_flow_model(&g, 118, 92, 1, 2, 0);   /* IF then 1 else 2: fine */
	gen_build(&b, &g);
	EXPECT(&b, TFIT_OK, NULL, NULL);
	fbb_free(&b);

	control_flow_model(&g, 118, 92, 0, 2, 0);   /* IF calling the main graph */
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[2]",
	       "if calls subgraph 0, which is already running: the subgraph calls form "
	       "a cycle");
	fbb_free(&b);

	control_flow_model(&g, 119, 93, 1, 2, 1);   /* WHILE body 2 -> 1 -> ... 2 */
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[2].operators[0]",
	       "calls subgraph 2, which is already running");
	fbb_free(&b);

	control_flow_model(&g, 118, 92, 1, 5, 0);
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[2].builtin_options",
	       "if calls subgraph 5, out of range (the model has 3 subgraphs)");
	fbb_free(&b);

	control_flow_model(&g, 118, 92, -1, 2, 0);
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[2].builtin_options",
	       "if calls subgraph -1, out of range");
	fbb_free(&b);

	/* CALL_ONCE (code 129 > 127: deprecated_builtin_code holds the placeholder) */
	control_flow_model(&g, 129, 103, 0, 0, 0);
	g.sg[0].ops[2].n_opt = 1;
	g.sg[0].ops[2].n_in = g.sg[0].ops[2].n_out = 0; /* call_once.cc: none */
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[2]",
	       "call_once calls subgraph 0, which is already running");
	fbb_free(&b);
}

/* ---- operator arity (tflite_arity.c) and one producer per tensor ---------- */

/* The small model with its last op (softmax, code slot 2) turned into ADD. */
static void add_model(struct gen_model *g)
{
	gen_small_model(g);
	g->codes[2] = (struct gen_opcode){ 0, 0, NULL };  /* ADD */
	g->sg[0].ops[2].n_in = 2;
	g->sg[0].ops[2].in[0] = 6;
	g->sg[0].ops[2].in[1] = 6;
}

static void test_arity(void)
{
	struct gen_model g;
	struct fbb b;

	add_model(&g);
	gen_build(&b, &g);
	EXPECT(&b, TFIT_OK, NULL, NULL);
	fbb_free(&b);

	add_model(&g);
	g.sg[0].ops[2].n_in = 0;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[2].inputs",
	       "add has 0 inputs; TFLite Micro needs at least 2 (add_common.cc)");
	fbb_free(&b);

	add_model(&g);
	g.sg[0].ops[2].n_out = 0;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[2].outputs",
	       "add has 0 outputs; TFLite Micro needs at least 1 (add_common.cc)");
	fbb_free(&b);

	add_model(&g);
	g.sg[0].ops[2].n_in = 3;
	g.sg[0].ops[2].in[1] = -1;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[2].inputs[1]",
	       "input 1 of add is absent (-1); TFLite Micro needs its first 2 inputs "
	       "(add_common.cc)");
	fbb_free(&b);

	add_model(&g);
	g.sg[0].ops[2].n_out = 2;
	g.sg[0].ops[2].out[1] = 7;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[2].outputs[1]",
	       "operator add lists tensor 7 twice (outputs[0] and outputs[1]): an "
	       "operator writes each output once");
	fbb_free(&b);

	/* softmax writes fc/out, which the fully connected op already wrote */
	gen_small_model(&g);
	g.sg[0].ops[2].out[0] = 6;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[2].outputs[0]",
	       "operator softmax writes tensor 6, already an output of operators[1]: a "
	       "tensor has one producer");
	fbb_free(&b);

	/* conv: weights absent, and one input too many */
	gen_small_model(&g);
	g.sg[0].ops[0].in[1] = -1;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[0].inputs[1]",
	       "input 1 of conv_2d is absent (-1); TFLite Micro needs its first 2 inputs "
	       "(conv_common.cc)");
	fbb_free(&b);
	gen_small_model(&g);
	g.sg[0].ops[0].n_in = 4;
	g.sg[0].ops[0].in[3] = 2;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[0].inputs",
	       "conv_2d has 4 inputs; TFLite Micro needs 2 or 3 (conv_common.cc)");
	fbb_free(&b);

	/* the bias is optional: absent (-1) or left out */
	gen_small_model(&g);
	g.sg[0].ops[0].in[2] = -1;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_OK, NULL, NULL);
	fbb_free(&b);
	gen_small_model(&g);
	g.sg[0].ops[0].n_in = 2;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_OK, NULL, NULL);
	fbb_free(&b);

	/* softmax with two outputs */
	gen_small_model(&g);
	g.sg[0].ops[2].n_out = 2;
	g.sg[0].ops[2].out[1] = 3;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[2].outputs",
	       "softmax has 2 outputs; TFLite Micro needs exactly 1 (softmax_common.cc)");
	fbb_free(&b);
}

/* ---- options ------------------------------------------------------------- */

static void test_options(void)
{
	struct gen_model g;
	struct fbb b;

	gen_small_model(&g);
	g.sg[0].ops[0].options_type = 5; /* Pool2DOptions on a conv */
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[0].builtin_options_type",
	       "operator conv_2d (builtin 3) carries Pool2DOptions (union type 5), which "
	       "belongs to another operator");
	fbb_free(&b);

	gen_small_model(&g);
	g.sg[0].ops[0].opt[0].v = 0; /* stride_w 0 */
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[0].builtin_options.stride_w",
	       "stride_w is 0 (expected a positive number)");
	fbb_free(&b);

	gen_small_model(&g);
	g.sg[0].ops[0].opt[1].v = (uint32_t)-2; /* stride_h -2 */
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[0].builtin_options.stride_h",
	       "stride_h is -2");
	fbb_free(&b);

	gen_small_model(&g);
	g.sg[0].ops[0].opt[2].v = 9; /* activation 9 */
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT,
	       "subgraphs[0].operators[0].builtin_options.fused_activation_function",
	       "fused activation 9 is not an ActivationFunctionType (0 to 5)");
	fbb_free(&b);

	gen_small_model(&g);
	g.sg[0].ops[0].opt[3] = (struct gen_field){ 0, 1, 3 }; /* padding 3 */
	g.sg[0].ops[0].n_opt = 4;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[0].builtin_options.padding",
	       "padding 3 is not a Padding value");
	fbb_free(&b);

	gen_small_model(&g);
	g.sg[0].ops[0].opt[3] = (struct gen_field){ 4, 4, 0 }; /* dilation_w 0 */
	g.sg[0].ops[0].n_opt = 4;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT,
	       "subgraphs[0].operators[0].builtin_options.dilation_w_factor",
	       "dilation_w_factor is 0");
	fbb_free(&b);

	/* the options table missing although its type is set */
	build_small(&b);
	{
		size_t t = fbb_find(&b, "subgraphs[0].operators[0]");
		size_t vt = t - fbb_get32(&b, t);
		fbb_put16(&b, vt + 4 + 2 * 4, 0);
	}
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[0].builtin_options",
	       "builtin_options_type is Conv2DOptions (1) but the options table is missing");
	fbb_free(&b);

	/* a misaligned 4-byte field inside the options table */
	build_small(&b);
	{
		size_t t = fbb_find(&b, "subgraphs[0].operators[0].builtin_options");
		size_t vt = t - fbb_get32(&b, t);
		unsigned off = (unsigned)b.buf[vt + 6] | ((unsigned)b.buf[vt + 7] << 8);
		fbb_put16(&b, vt + 6, (uint16_t)(off + 1));
	}
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[0].builtin_options.stride_w",
	       "is not 4-byte aligned");
	fbb_free(&b);
}

/* ---- buffers and metadata ------------------------------------------------ */

static void test_buffers_and_metadata(void)
{
	struct gen_model g;
	struct fbb b;
	static uint8_t plan[24];
	static const uint8_t short_plan[8] = { 1, 0, 0, 0, 1, 0, 0, 0 };

	gen_small_model(&g);
	g.buffers[3].data_len = 0;
	g.buffers[3].offset = 1ull << 40;
	g.buffers[3].size = 192;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "buffers[3].offset",
	       "data at offset 1099511627776 with size 192 runs past the end of the file");
	fbb_free(&b);
	g.buffers[3].offset = 16;
	g.buffers[3].size = UINT64_MAX - 8;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "buffers[3].offset", "runs past the end of the file");
	fbb_free(&b);

	/* buffers[1].data length past the end, reached from a tensor */
	build_small(&b);
	fbb_put32(&b, fbb_find(&b, "buffers[1].data"), 0x10000000u);
	EXPECT(&b, TFIT_ERR_INPUT, "buffers[1].data", "(length 268435456)");
	fbb_free(&b);

	/* metadata: buffer index, offline plan shorter than it claims, bad offset */
	gen_small_model(&g);
	g.n_metadata = 1;
	g.metadata[0] = (struct gen_metadata){ "OfflineMemoryAllocation", 9 };
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "metadata[0].buffer",
	       "buffer index 9 is out of range (the model has 6 buffers)");
	fbb_free(&b);

	g.n_buffers = 7;
	g.buffers[6].data_len = sizeof(short_plan);
	g.buffers[6].data = short_plan;
	g.metadata[0].buffer = 6;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "metadata[0].buffer",
	       "OfflineMemoryAllocation buffer 6 holds 8 bytes");
	fbb_free(&b);

	memset(plan, 0, sizeof(plan));
	plan[0] = 1;
	plan[4] = 1;
	plan[8] = 8;   /* claims 8 offsets, holds 3 */
	g.buffers[6].data_len = sizeof(plan);
	g.buffers[6].data = plan;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "metadata[0].buffer",
	       "OfflineMemoryAllocation lists 8 offsets but its buffer 6 holds only 24 bytes "
	       "(needs 44)");
	fbb_free(&b);

	{
		static uint8_t plan8[44];
		int i;
		memset(plan8, 0xFF, sizeof(plan8));   /* every offset -1 */
		memset(plan8, 0, 12);
		plan8[0] = 1;
		plan8[4] = 1;
		plan8[8] = 8;
		plan8[12 + 4 * 3] = 0xFB;             /* tensor 3: -5 */
		g.buffers[6].data_len = sizeof(plan8);
		g.buffers[6].data = plan8;
		gen_build(&b, &g);
		EXPECT(&b, TFIT_ERR_INPUT, "metadata[0].buffer",
		       "OfflineMemoryAllocation offset -5 for subgraphs[0].tensors[3] is "
		       "negative");
		fbb_free(&b);
		for (i = 0; i < 4; i++)
			plan8[12 + 4 * 3 + i] = 0;
		gen_build(&b, &g);
		EXPECT(&b, TFIT_OK, NULL, NULL);
		fbb_free(&b);
	}
}

/*
 * 2000 operators that all point at one operator table whose inputs vector
 * holds 200000 entries: 4e8 index copies from a ~0.8 MB file. The work
 * budget stops it (TFIT_ERR_LIMIT) before the copies happen.
 */
static void test_work_budget(void)
{
	struct fbb b;
	struct gen_table t;
	size_t ops_slot, vec, in_slot, out_slot, big, outs, i;
	const uint32_t n_ops = 2000, n_in = 200000;
	static const int32_t seven[] = { 7 };

	build_small(&b);
	ops_slot = field_pos(&b, "subgraphs[0]", 3);
	/* appended: the operators vector, one Operator table, its vectors */
	vec = fbb_vector(&b, n_ops, 4, NULL);
	t = fbb_table_begin(&b, 3);
	fbb_field(&b, &t, 0, 4, 2);              /* opcode_index: softmax */
	in_slot = fbb_field_offset(&b, &t, 1);
	out_slot = fbb_field_offset(&b, &t, 2);
	fbb_table_end(&b, &t);
	big = fbb_vector(&b, n_in, 4, NULL);
	memset(b.buf + big + 4, 0xFF, 4 * (size_t)n_in);  /* every input -1 */
	outs = fbb_vec_i32(&b, 1, seven);
	fbb_patch(&b, in_slot, big);
	fbb_patch(&b, out_slot, outs);
	for (i = 0; i < n_ops; i++)
		fbb_patch(&b, vec + 4 + 4 * i, t.pos);
	fbb_patch(&b, ops_slot, vec);
	EXPECT(&b, TFIT_ERR_LIMIT, NULL, "too much work");
	fbb_free(&b);
}

/*
 * 30000 subgraph slots that all point at one subgraph: each would be
 * lowered again (8 tensors, 3 ops), about 150 MB of IR from a 0.12 MB file.
 * The budget, which charges IR memory too, stops it.
 */
static void test_shared_subgraphs(void)
{
	struct fbb b;
	size_t sg_slot, sg0, vec, i;
	const uint32_t n = 30000;

	build_small(&b);
	sg_slot = field_pos(&b, "model", 2);
	sg0 = fbb_find(&b, "subgraphs[0]");
	(void)sg0;
	vec = fbb_vector(&b, n, 4, NULL);
	fbb_patch(&b, sg_slot, vec);
	/* the copies must come after the vector: re-emit subgraph 0 by
	 * pointing every slot at a fresh copy of the whole small model's
	 * subgraph, written once after the vector */
	{
		struct gen_model g;
		struct fbb tail;
		size_t base, k;
		gen_small_model(&g);
		gen_build(&tail, &g);
		/* append tail's bytes after the vector, 16-aligned so every
		 * alignment inside it is kept, and relocate nothing: offsets
		 * inside tail are relative, so they stay valid */
		fbb_align(&b, 16);
		base = fbb_bytes(&b, tail.buf, tail.len);
		k = base + fbb_find(&tail, "subgraphs[0]");
		for (i = 0; i < n; i++)
			fbb_patch(&b, vec + 4 + 4 * i, k);
		/* the buffers of the copy are the original's: same indices */
		fbb_free(&tail);
	}
	EXPECT(&b, TFIT_ERR_LIMIT, NULL, "too much work");
	fbb_free(&b);
}

int main(void)
{
	test_graph_structure();
	test_subgraph_calls();
	test_arity();
	test_options();
	test_buffers_and_metadata();
	test_work_budget();
	test_shared_subgraphs();
	return tfit_test_finish();
}
