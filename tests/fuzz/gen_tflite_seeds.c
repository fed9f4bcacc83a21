/*
 * gen_tflite_seeds.c - writes the generated seeds of corpus/tflite/ with
 * the unit tests' flatbuffer builder (tests/unit/tflite_gen.h): small valid
 * models that reach the reader's and planner's paths the hand-made files of
 * tests/data/tflite/ do not (float32, control flow, a residual add, an
 * offline plan's metadata). Run once by hand when the builder changes:
 *   cmake --build BUILD --target gen_tflite_seeds &&
 *   BUILD/tests/fuzz/gen_tflite_seeds tests/fuzz/corpus/tflite
 */
#include <stdio.h>

#include "tflite_gen.h"

static void write_seed(const char *dir, const char *name, const struct gen_model *g)
{
	struct fbb b;
	char path[1024];
	FILE *f;
	fbb_init(&b);
	gen_build(&b, g);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(b.buf, 1, b.len, f) != b.len || fclose(f) != 0) {
		fprintf(stderr, "gen_tflite_seeds: cannot write %s\n", path);
		exit(1);
	}
	fbb_free(&b);
}

/* The small model with its last op an IF or WHILE (code, options tag)
 * calling subgraphs 1 and 2 (IF: then/else; WHILE: cond/body). */
static void control_flow(struct gen_model *g, int32_t code, uint8_t tag)
{
	static const int32_t one[] = { 1 };
	struct gen_op *o;
	int k;
	gen_small_model(g);
	g->codes[2] = (struct gen_opcode){ (int8_t)code, code, NULL };
	o = &g->sg[0].ops[2];
	o->n_in = 2;
	o->in[0] = 6;
	o->in[1] = 6;
	o->options_type = tag;
	o->n_opt = 2;
	o->opt[0] = (struct gen_field){ 0, 4, 1 };
	o->opt[1] = (struct gen_field){ 1, 4, 2 };
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
}

int main(int argc, char **argv)
{
	struct gen_model g;
	const char *dir = argc > 1 ? argv[1] : ".";

	/* the small int8 model itself is tests/data/tflite/small_conv.tflite */
	/* all float32 (TensorType FLOAT32 = 0), biases too */
	gen_small_model(&g);
	for (int i = 0; i < g.sg[0].n_tensors; i++) {
		g.sg[0].tensors[i].type = 0;
		g.sg[0].tensors[i].n_scale = g.sg[0].tensors[i].n_zero_point = 0;
	}
	g.buffers[1].data_len = 288;
	g.buffers[2].data_len = 16;
	g.buffers[3].data_len = 768;
	g.buffers[4].data_len = 12;
	write_seed(dir, "gen_small_float32.tflite", &g);

	control_flow(&g, 118, 92); /* IF, IfOptions */
	write_seed(dir, "gen_if.tflite", &g);
	control_flow(&g, 119, 93); /* WHILE, WhileOptions */
	write_seed(dir, "gen_while.tflite", &g);

	/* a subgraph call cycle: WHILE in main calls 1 and 2; subgraph 2's
	 * only op is the same WHILE calling 1 and 2 again (a hostile input:
	 * the reader must say so, not recurse; tests/golden/limits_tflite_call_cycle) */
	control_flow(&g, 119, 93);
	g.sg[2].ops[0].opcode = 2;
	g.sg[2].ops[0].options_type = 93;
	g.sg[2].ops[0].n_opt = 2;
	g.sg[2].ops[0].opt[0] = (struct gen_field){ 0, 4, 1 };
	g.sg[2].ops[0].opt[1] = (struct gen_field){ 1, 4, 2 };
	write_seed(dir, "gen_call_cycle.tflite", &g);

	/* a residual: softmax replaced by ADD(fc_out, fc_out) (AddOptions = 11) */
	gen_small_model(&g);
	g.codes[2] = (struct gen_opcode){ 0, 0, NULL };
	g.sg[0].ops[2].n_in = 2;
	g.sg[0].ops[2].in[1] = 6;
	g.sg[0].ops[2].options_type = 11;
	write_seed(dir, "gen_add.tflite", &g);

	/* OfflineMemoryAllocation metadata: [version 0, subgraph 0, 8 tensors,
	 * offsets...] with -1 (online) for every tensor but the input */
	gen_small_model(&g);
	{
		static const int32_t plan[3 + 8] = { 0, 0, 8, 0, -1, -1, -1, -1, -1, -1, -1 };
		g.n_buffers = 7;
		g.buffers[6].data_len = sizeof(plan);
		g.buffers[6].data = (const uint8_t *)plan;
		g.n_metadata = 1;
		g.metadata[0].name = "OfflineMemoryAllocation";
		g.metadata[0].buffer = 6;
	}
	write_seed(dir, "gen_offline_plan.tflite", &g);
	return 0;
}
