/*
 * test_tflite_writer.c - tfit_tflite_add_offline_plan() and tfit_optimize()
 * on generated models: the written file reads back with the plan, the
 * original bytes follow the new prefix unchanged at a 16-aligned position,
 * the plan words are [1, subgraphs, n, offsets...], refusals (an existing
 * plan, buffer data at absolute offsets), and tfit_optimize() end to end
 * on tests/data/tflite/reshape_fc.tflite (written here; TFIT_WRITE_FIXTURES=1
 * rewrites it): TFLM's greedy head 4000 B -> 2016 B.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "tfit_test.h"
#include "tfit_test_fixture.h"
#include "tflite_gen.h"
#include "tinyfit/model_io.h"
#include "tinyfit/optimize.h"
#include "tinyfit/plan.h"
#include "tinyfit/runtime.h"

#define DATA_DIR TFIT_SOURCE_DIR "/data"

/*
 * input [1,16] int8 -> fully_connected (2000 units) -> a [1,2000] ->
 * reshape -> r [1,40,50] -> fully_connected (3 units) -> out [1,3].
 * Tensors: 0 input, 1 w1, 2 b1, 3 a, 4 shape, 5 r, 6 w2, 7 b2, 8 out.
 */
static void gen_reshape_model(struct gen_model *m)
{
	static const int32_t in_shape[] = { 1, 16 }, w1_shape[] = { 2000, 16 };
	static const int32_t b1_shape[] = { 2000 }, a_shape[] = { 1, 2000 };
	static const int32_t s_shape[] = { 3 }, r_shape[] = { 1, 40, 50 };
	static const int32_t w2_shape[] = { 3, 2000 }, b2_shape[] = { 3 };
	static const int32_t out_shape[] = { 1, 3 };
	struct gen_subgraph *s = &m->sg[0];
	struct gen_op *o;
	int i;

	memset(m, 0, sizeof(*m));
	m->version = 3;
	m->n_codes = 2;
	m->codes[0].builtin = m->codes[0].deprecated_builtin = 9;   /* FULLY_CONNECTED */
	m->codes[1].builtin = m->codes[1].deprecated_builtin = 22;  /* RESHAPE */
	m->n_subgraphs = 1;
	s->name = "main";
	s->n_tensors = 9;
	gen_tensor(&s->tensors[0], "input", 9, 2, in_shape, 0);
	gen_tensor(&s->tensors[1], "fc1/weights", 9, 2, w1_shape, 1);
	gen_tensor(&s->tensors[2], "fc1/bias", 2, 1, b1_shape, 2);
	gen_tensor(&s->tensors[3], "fc1/out", 9, 2, a_shape, 0);
	gen_tensor(&s->tensors[4], "reshape/shape", 2, 1, s_shape, 3);
	gen_tensor(&s->tensors[5], "reshape/out", 9, 3, r_shape, 0);
	gen_tensor(&s->tensors[6], "fc2/weights", 9, 2, w2_shape, 4);
	gen_tensor(&s->tensors[7], "fc2/bias", 2, 1, b2_shape, 5);
	gen_tensor(&s->tensors[8], "output", 9, 2, out_shape, 0);
	for (i = 0; i < 9; i++)
		if (i != 4)
			s->tensors[i].n_scale = s->tensors[i].n_zero_point = 1;
	s->n_in = 1;
	s->in[0] = 0;
	s->n_out = 1;
	s->out[0] = 8;
	s->n_ops = 3;
	o = &s->ops[0];
	o->opcode = 0;
	o->n_in = 3; o->in[0] = 0; o->in[1] = 1; o->in[2] = 2;
	o->n_out = 1; o->out[0] = 3;
	o->options_type = 8;
	o = &s->ops[1];
	o->opcode = 1;
	o->n_in = 2; o->in[0] = 3; o->in[1] = 4;
	o->n_out = 1; o->out[0] = 5;
	o = &s->ops[2];
	o->opcode = 0;
	o->n_in = 3; o->in[0] = 5; o->in[1] = 6; o->in[2] = 7;
	o->n_out = 1; o->out[0] = 8;
	o->options_type = 8;
	m->n_buffers = 6;
	m->buffers[1].data_len = 32000;
	m->buffers[2].data_len = 8000;
	m->buffers[3].data_len = 12;
	m->buffers[4].data_len = 6000;
	m->buffers[5].data_len = 12;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void test_write_and_read_back(const struct fbb *b)
{
	int32_t offs[9] = { 2016, -1, -1, 0, -1, 0, -1, -1, 2016 };
	struct tfit_model *m = NULL;
	struct tfit_error err;
	uint8_t *out = NULL;
	size_t len = 0, prefix, i;
	const uint8_t *w;

	CHECK(tfit_tflite_add_offline_plan(b->buf, b->len, "m", offs, 9, 1, &out, &len, &err) ==
	      TFIT_OK);
	if (!out)
		return;
	prefix = len - b->len;
	CHECK(prefix % 16 == 0);
	CHECK(memcmp(out + prefix, b->buf, b->len) == 0);
	CHECK(memcmp(out + 4, "TFL3", 4) == 0);
	/* the plan's words, found by their header */
	w = NULL;
	for (i = 0; i + 12 <= prefix; i += 4)
		if (le32(out + i) == 1 && le32(out + i + 4) == 1 && le32(out + i + 8) == 9) {
			w = out + i;
			break;
		}
	CHECK(w != NULL);
	CHECK(w && (size_t)(w - out) % 16 == 0);
	CHECK(w && le32(w - 4) == 12 + 4 * 9);
	for (i = 0; w && i < 9; i++)
		CHECK_I64((int32_t)le32(w + 12 + 4 * i), offs[i]);
	CHECK(tfit_tflite_read_buffer(out, len, "m", &m, &err) == TFIT_OK);
	if (m) {
		CHECK(m->has_offline_plan);
		CHECK_U64(m->offline_plan_tensors, 9);
		CHECK_I64(tfit_tensor_offline_offset(&m->subgraphs[0].tensors[0]), 2016);
		CHECK_I64(tfit_tensor_offline_offset(&m->subgraphs[0].tensors[5]), 0);
		CHECK_I64(tfit_tensor_offline_offset(&m->subgraphs[0].tensors[1]), -1);
		CHECK_U64(m->subgraphs[0].n_ops, 3);
		CHECK_U64(tfit_tensor_data_bytes(&m->subgraphs[0].tensors[1]), 32000);
	}
	tfit_model_free(m);
	/* a second plan is refused */
	{
		uint8_t *again = NULL;
		size_t n2;
		CHECK(tfit_tflite_add_offline_plan(out, len, "m", offs, 9, 1, &again, &n2, &err) ==
		      TFIT_ERR_INPUT);
		CHECK(strstr(err.message, "already has an OfflineMemoryAllocation") != NULL);
		free(again);
	}
	free(out);
}

static void test_refuses_offset_buffers(void)
{
	struct gen_model gm;
	struct fbb b;
	int32_t offs[9] = { 0 };
	uint8_t *out = NULL;
	size_t len;
	struct tfit_error err;
	gen_reshape_model(&gm);
	gm.buffers[1].data_len = 0;
	gm.buffers[1].offset = 64;
	gm.buffers[1].size = 16;
	fbb_init(&b);
	gen_build(&b, &gm);
	CHECK(tfit_tflite_add_offline_plan(b.buf, b.len, "m", offs, 9, 1, &out, &len, &err) ==
	      TFIT_ERR_INPUT);
	CHECK(strstr(err.message, "absolute file offset") != NULL);
	CHECK(strcmp(err.path, "buffers[1].offset") == 0);
	free(out);
	fbb_free(&b);
}

static void test_optimize(const struct fbb *b, const struct tfit_runtime *rt)
{
	struct tfit_optimize_request q;
	struct tfit_optimize_result r;
	struct tfit_error err;
	memset(&q, 0, sizeof(q));
	q.model_data = b->buf;
	q.model_len = b->len;
	q.model_name = "reshape_fc.tflite";
	q.rt = rt;
	CHECK(tfit_optimize(&q, &r, &err) == TFIT_OK);
	CHECK_U64(r.before.head_bytes, 4000);  /* a and r both live at the reshape */
	CHECK_U64(r.after.head_bytes, 2016);   /* r on a: 2000 + the input or output */
	CHECK_U64(r.lower_bound_bytes, 2016);
	CHECK_U64(r.before.tail_bytes, r.after.tail_bytes);
	CHECK_U64(r.after.arena_bytes + 4000 - 2016, r.before.arena_bytes);
	CHECK_U64(r.n_aliased, 1);
	CHECK(r.plan_written && r.proven_optimal);
	CHECK_U64(r.ops_added, 0);
	CHECK_U64(r.before.macs, r.after.macs);
	CHECK_U64(r.model_out_len % 16, b->len % 16);
	/* the growth the advice counts is exactly what was written: 6 buffers,
	 * no metadata, 9 offsets */
	CHECK_U64(r.model_out_len - b->len, tfit_tflite_offline_plan_growth(6, 0, 9));
	tfit_optimize_result_release(&r);
}

int main(void)
{
	struct gen_model gm;
	struct fbb b;
	struct tfit_runtime *rt = NULL;
	struct tfit_error err;
	gen_reshape_model(&gm);
	fbb_init(&b);
	gen_build(&b, &gm);
	tfit_check_fixture("reshape_fc.tflite", b.buf, b.len);
	test_write_and_read_back(&b);
	test_refuses_offset_buffers();
	CHECK(tfit_runtime_load(DATA_DIR, "tflm", &rt, &err) == TFIT_OK);
	if (rt)
		test_optimize(&b, rt);
	tfit_runtime_free(rt);
	fbb_free(&b);
	return tfit_test_finish();
}
