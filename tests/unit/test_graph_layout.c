/*
 * test_graph_layout.c - struct tfit_tensor keeps 4 dimensions inline and
 * the rest out of line, and the quantization numbers by pointer
 * (include/tinyfit/graph.h): ranks 5 to 8 still work end to end (the
 * .tflite reader, JSON shape inference, clone, dtype conversion and its
 * undo, the arena planner), and the struct stays small.
 */
#include "tfit_test.h"
#include "tflite_gen.h"

#include "tinyfit/graph.h"
#include "tinyfit/model_io.h"
#include "tinyfit/plan.h"
#include "tinyfit/runtime.h"

#include <stdlib.h>

#define DATA_DIR TFIT_SOURCE_DIR "/data"

static void check_dims(const struct tfit_tensor *t, int32_t rank, const int64_t *want)
{
	int32_t i;
	CHECK_I64(t->rank, rank);
	for (i = 0; i < rank && i < t->rank; i++)
		CHECK_I64(tfit_dim(t, i), want[i]);
}

/* On LP64: a tensor is 40 bytes (it was 208 with 8 inline dimensions and
 * 52 bytes of quantization numbers that only a .tflite's quantized tensors
 * have, then 128 with its quantization scheme, data offset and offline
 * offset inline, then 80 with its element count stored, then 72 with int64
 * dimensions and its data bytes stored, then 48 with its bytes stored),
 * an op 56 (208, then 192 without
 * padding between its fields, with its 68 bytes of options and its
 * .tflite fields inline, then 112 with its outputs pointer, source params
 * and output bytes stored, then 88 with its source params delta inline,
 * then 80 with its params, weight bytes and element ops stored). */
static void test_sizes(void)
{
	if (sizeof(void *) == 8) {
		CHECK_U64(sizeof(struct tfit_tensor), 40);
		CHECK_U64(sizeof(struct tfit_tensor_ext), 56);
		CHECK_U64(sizeof(struct tfit_quant), 24);
		CHECK_U64(sizeof(struct tfit_op), 56);
		CHECK_U64(sizeof(struct tfit_op_options), 68);
	}
	CHECK(sizeof(struct tfit_tensor) <= 40);
	CHECK(sizeof(struct tfit_op) <= 56);
}

/*
 * The out-of-line record (graph.h): absent, a tensor reads the defaults;
 * tensors with the same scheme and nothing else share one record, which a
 * change to one of them does not touch; a clone and a dtype conversion
 * and its undo keep every value.
 */
static void test_tensor_ext(void)
{
	static const int64_t d[2] = { 4, 8 };
	static const struct tfit_quant_values qv = { 0.5f, 0.5f, 0.5f, 0, 0, 0, 0, 0 };
	struct tfit_model *m = tfit_model_new(), *c = NULL;
	struct tfit_subgraph *sg;
	struct tfit_dtype_saved *saved;
	struct tfit_tensor *t;
	struct tfit_error err;
	uint32_t i;
	CHECK(m != NULL);
	if (!m)
		return;
	sg = &m->subgraphs[0];
	for (i = 0; i < 5; i++)
		CHECK_I64(tfit_subgraph_add_tensor(sg, "t", TFIT_DTYPE_INT8, 2, d, 0, &err), i);
	{
		/* a dimension over int32 (one the lowering computed) is an
		 * input error naming the tensor */
		static const int64_t over[2] = { 4, (int64_t)INT32_MAX + 1 };
		CHECK_I64(tfit_subgraph_add_tensor(sg, "big", TFIT_DTYPE_INT8, 2, over, 0, &err), -1);
		CHECK_I64(err.code, TFIT_ERR_INPUT);
		CHECK_STR(err.message, "tensor 'big' has dimension 2147483648, above 2147483647 "
				       "(a .tflite shape is int32)");
		CHECK_U64(sg->n_tensors, 5);
	}
	t = sg->tensors;
	CHECK(t[0].ext_ == NULL);
	CHECK_U64(tfit_tensor_quant(&t[0])->scale_count, 0);
	CHECK(tfit_tensor_quant(&t[0])->values == NULL);
	CHECK_I64(tfit_tensor_offline_offset(&t[0]), -1);
	CHECK_U64(tfit_tensor_data_offset(&t[0]), 0);
	/* "not quantized" and "plan online" make no record */
	CHECK(tfit_tensor_set_quant_scheme(sg, &t[0], 0, 0, 0) == 0);
	CHECK(tfit_tensor_set_offline_offset(sg, &t[0], -1) == 0);
	CHECK(tfit_tensor_set_quant_values(sg, &t[0], NULL) == 0);
	CHECK(t[0].ext_ == NULL);
	/* one record for the same scheme, another for another */
	CHECK(tfit_tensor_set_quant_scheme(sg, &t[0], 1, 1, 0) == 0);
	CHECK(tfit_tensor_set_quant_scheme(sg, &t[1], 1, 1, 0) == 0);
	CHECK(tfit_tensor_set_quant_scheme(sg, &t[2], 8, 8, 1) == 0);
	CHECK(tfit_tensor_set_quant_scheme(sg, &t[3], 1, 1, 0) == 0);
	CHECK(t[0].ext_ != NULL && t[0].ext_ == t[1].ext_ && t[1].ext_ == t[3].ext_);
	CHECK(t[2].ext_ != NULL && t[2].ext_ != t[0].ext_);
	CHECK_U64(tfit_tensor_quant(&t[2])->scale_count, 8);
	CHECK_I64(tfit_tensor_quant(&t[2])->quantized_dimension, 1);
	/* an offset or numbers give a tensor a record of its own */
	CHECK(tfit_tensor_set_offline_offset(sg, &t[1], 64) == 0);
	CHECK(tfit_tensor_set_quant_values(sg, &t[3], &qv) == 0);
	CHECK(t[1].ext_ != t[0].ext_ && t[3].ext_ != t[0].ext_ && t[1].ext_ != t[3].ext_);
	CHECK_I64(tfit_tensor_offline_offset(&t[0]), -1);
	CHECK_I64(tfit_tensor_offline_offset(&t[1]), 64);
	CHECK_U64(tfit_tensor_quant(&t[1])->scale_count, 1);
	CHECK(tfit_tensor_quant(&t[0])->values == NULL);
	CHECK(tfit_tensor_quant(&t[3])->values != NULL);
	/* a scheme set on a tensor with its own record stays in it */
	CHECK(tfit_tensor_set_quant_scheme(sg, &t[1], 4, 1, 0) == 0);
	CHECK_U64(tfit_tensor_quant(&t[1])->scale_count, 4);
	CHECK_I64(tfit_tensor_offline_offset(&t[1]), 64);
	CHECK_U64(tfit_tensor_quant(&t[0])->scale_count, 1);
	/* and "not quantized" drops a shared one */
	CHECK(tfit_tensor_set_quant_scheme(sg, &t[2], 0, 0, 0) == 0);
	CHECK(t[2].ext_ == NULL);

	c = tfit_model_clone(m);
	CHECK(c != NULL);
	if (c) {
		const struct tfit_tensor *u = c->subgraphs[0].tensors;
		CHECK(u[0].ext_ != NULL && u[0].ext_ != t[0].ext_ && u[4].ext_ == NULL);
		CHECK(u[2].ext_ == NULL);
		CHECK_I64(tfit_tensor_offline_offset(&u[1]), 64);
		CHECK_U64(tfit_tensor_quant(&u[1])->scale_count, 4);
		CHECK(tfit_tensor_quant(&u[3])->values != tfit_tensor_quant(&t[3])->values);
		CHECK(tfit_tensor_quant(&u[3])->values != NULL &&
		      tfit_tensor_quant(&u[3])->values->scale_min == 0.5f);
	}

	/* float32 and back (a conversion sets schemes; the undo restores them
	 * and the numbers) */
	CHECK(tfit_subgraph_add_op(sg, TFIT_OP_ADD, "a", (const int32_t[]){ 0, 1 }, 2,
				   (const int32_t[]){ 2 }, 1, NULL) == 0);
	saved = tfit_model_dtype_save(m);
	CHECK(saved != NULL);
	CHECK(tfit_model_convert_dtype(m, TFIT_DTYPE_FLOAT32, &err) == TFIT_OK);
	CHECK_U64(tfit_tensor_quant(&t[0])->scale_count, 0);
	CHECK(tfit_tensor_quant(&t[3])->values == NULL);
	CHECK_I64(tfit_tensor_offline_offset(&t[1]), 64);
	tfit_model_dtype_restore(m, saved);
	CHECK_U64(tfit_tensor_quant(&t[0])->scale_count, 1);
	CHECK_U64(tfit_tensor_quant(&t[1])->scale_count, 4);
	CHECK(t[2].ext_ == NULL);
	CHECK(tfit_tensor_quant(&t[3])->values != NULL);
	CHECK_I64(tfit_tensor_offline_offset(&t[1]), 64);
	tfit_model_free(c);
	tfit_model_free(m);
}

/* set_shape moves the dimensions between inline and owned storage. */
/* A tensor's data bytes (graph.h): none when added; equal to its bytes,
 * they are a flag and follow the bytes; other ones are in a record of the
 * tensor's own, never a shared one; a clone has the same. */
static void test_data_bytes(void)
{
	static const int64_t d[2] = { 4, 8 };
	struct tfit_model *m = tfit_model_new(), *c;
	struct tfit_subgraph *sg;
	struct tfit_tensor *t;
	struct tfit_error err;
	CHECK(m != NULL);
	if (!m)
		return;
	sg = &m->subgraphs[0];
	CHECK_I64(tfit_subgraph_add_tensor(sg, "a", TFIT_DTYPE_INT8, 2, d, 0, &err), 0);
	CHECK_I64(tfit_subgraph_add_tensor(sg, "b", TFIT_DTYPE_INT8, 2, d, 0, &err), 1);
	t = sg->tensors;
	CHECK_U64(tfit_tensor_data_bytes(&t[0]), 0);
	CHECK(tfit_tensor_set_data_bytes(sg, &t[0], 32) == 0);
	CHECK(t[0].ext_ == NULL);
	CHECK_U64(tfit_tensor_data_bytes(&t[0]), 32);
	CHECK_U64(t[0].flags & TFIT_TENSOR_FLAGS, 0);
	t[0].dtype = TFIT_DTYPE_INT16; /* its bytes change: its data bytes follow */
	CHECK_U64(tfit_tensor_bytes(&t[0]), 64);
	CHECK_U64(tfit_tensor_data_bytes(&t[0]), 64);
	t[0].dtype = TFIT_DTYPE_INT8;
	CHECK(tfit_tensor_set_data_bytes(sg, &t[0], 0) == 0);
	CHECK(t[0].ext_ == NULL);
	CHECK_U64(tfit_tensor_data_bytes(&t[0]), 0);
	CHECK(tfit_tensor_set_quant_scheme(sg, &t[0], 1, 1, 0) == 0);
	CHECK(tfit_tensor_set_quant_scheme(sg, &t[1], 1, 1, 0) == 0);
	CHECK(t[0].ext_ == t[1].ext_ && t[0].ext_->shared_);
	CHECK(tfit_tensor_set_data_bytes(sg, &t[0], 7) == 0);
	CHECK(t[0].ext_ != t[1].ext_ && !t[0].ext_->shared_);
	CHECK_U64(tfit_tensor_data_bytes(&t[0]), 7);
	CHECK_U64(tfit_tensor_data_bytes(&t[1]), 0);
	CHECK_U64(tfit_tensor_quant(&t[0])->scale_count, 1);
	CHECK(tfit_tensor_set_data_bytes(sg, &t[0], 32) == 0);
	CHECK_U64(tfit_tensor_data_bytes(&t[0]), 32);
	CHECK(tfit_tensor_set_data_bytes(sg, &t[0], 0) == 0);
	CHECK_U64(tfit_tensor_data_bytes(&t[0]), 0);
	CHECK(tfit_tensor_set_quant_scheme(sg, &t[0], 0, 0, 0) == 0);
	CHECK(tfit_tensor_set_quant_scheme(sg, &t[1], 0, 0, 0) == 0);
	CHECK(t[1].ext_ == NULL);
	CHECK(tfit_tensor_set_data_bytes(sg, &t[0], 5) == 0);
	CHECK(tfit_tensor_set_data_bytes(sg, &t[1], 32) == 0);
	c = tfit_model_clone(m);
	CHECK(c != NULL);
	if (c) {
		CHECK_U64(tfit_tensor_data_bytes(&c->subgraphs[0].tensors[0]), 5);
		CHECK_U64(tfit_tensor_data_bytes(&c->subgraphs[0].tensors[1]), 32);
		CHECK(c->subgraphs[0].tensors[0].ext_ != t[0].ext_);
	}
	tfit_model_free(c);
	tfit_model_free(m);
}

static void test_set_shape(void)
{
	static const int64_t d8[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, d2[2] = { 9, 10 };
	struct tfit_tensor t;
	memset(&t, 0, sizeof(t));
	CHECK(tfit_tensor_set_shape(&t, 8, d8) == 0);
	check_dims(&t, 8, d8);
	CHECK(tfit_tensor_check_bytes(&t) == 0);
	CHECK_U64(tfit_tensor_elements(&t), 40320);
	CHECK(tfit_tensor_set_shape(&t, 2, d2) == 0);
	check_dims(&t, 2, d2);
	CHECK_U64(tfit_tensor_elements(&t), 90); /* computed, not stored */
	{
		/* a zero dimension anywhere gives 0; a product over 64 bits
		 * (dimensions changed in place, not checked since) saturates */
		static const int64_t z[3] = { INT32_MAX, INT32_MAX, 0 },
				     big[3] = { INT32_MAX, INT32_MAX, INT32_MAX };
		CHECK(tfit_tensor_set_shape(&t, 3, z) == 0);
		CHECK_U64(tfit_tensor_elements(&t), 0);
		CHECK(tfit_tensor_set_shape(&t, 3, big) == 0);
		CHECK_I64(tfit_dim(&t, 2), 2147483647);
		CHECK_U64(tfit_tensor_elements(&t), UINT64_MAX);
		CHECK(tfit_tensor_check_bytes(&t) == -1);
	}
	{
		/* dimensions are int32 as in a .tflite: one above, or below
		 * -1, is refused and the tensor keeps its shape */
		static const int64_t over[2] = { 3, (int64_t)INT32_MAX + 1 }, under[1] = { -2 },
				     d6[6] = { 1, 2, 3, 4, 5, 6 }, over6[6] = { 1, 2, 3, 4, 5, 1LL << 40 };
		CHECK(tfit_tensor_set_shape(&t, 2, d2) == 0);
		CHECK(tfit_tensor_set_shape(&t, 2, over) == -1);
		CHECK(tfit_tensor_set_shape(&t, 1, under) == -1);
		check_dims(&t, 2, d2);
		CHECK(tfit_tensor_set_shape(&t, 6, d6) == 0);
		CHECK(tfit_tensor_set_shape(&t, 6, over6) == -1);
		check_dims(&t, 6, d6);
		CHECK(tfit_tensor_set_shape(&t, 0, NULL) == 0);
		CHECK_U64(tfit_tensor_elements(&t), 1); /* a scalar */
	}
	CHECK(tfit_tensor_set_shape(&t, 5, d8 + 3) == 0);
	check_dims(&t, 5, d8 + 3);
	{
		int64_t cur[TFIT_MAX_RANK];
		tfit_tensor_copy_dims(&t, cur);
		CHECK(tfit_tensor_set_shape(&t, 5, cur) == 0); /* its own again */
	}
	CHECK_I64(tfit_dim(&t, 0), 4);
	CHECK(tfit_tensor_set_shape(&t, 0, NULL) == 0);
	CHECK_I64(t.rank, 0);
	tfit_tensor_release(&t);
}

/*
 * A tensor's bytes are computed from its dimensions and dtype
 * (tfit_tensor_bytes(), graph.h): by hand for each kind of dtype, and for
 * every dtype and every shape of rank 0 to 4 over dimensions from 0 to
 * 2^31 - 1, what tfit_dtype_bytes() gives for its element count wherever
 * tfit_tensor_check_bytes() (the check where shapes are set) accepts it;
 * where it refuses, the bytes saturate, never wrap (0 for a dtype of no
 * width, or a zero dimension after a product that overflowed, which the
 * check refuses as it meets them in order).
 */
static void test_tensor_bytes(void)
{
	static const int64_t dims[] = { 0, 1, 2, 3, 7, 65535, 1 << 30, INT32_MAX };
	static const struct {
		enum tfit_dtype dtype;
		int32_t rank;
		int64_t dims[3];
		uint64_t bytes;
	} hand[] = {
		{ TFIT_DTYPE_FLOAT32, 0, { 0 }, 4 },           /* a scalar */
		{ TFIT_DTYPE_INT4, 1, { 7 }, 4 },              /* 28 bits: 4 bytes */
		{ TFIT_DTYPE_INT4, 2, { 3, 2 }, 3 },
		{ TFIT_DTYPE_INT4, 0, { 0 }, 1 },
		{ TFIT_DTYPE_BOOL, 1, { 5 }, 5 },              /* a byte each */
		{ TFIT_DTYPE_INT8, 3, { 2, 0, 3 }, 0 },        /* a zero dimension */
		{ TFIT_DTYPE_COMPLEX128, 1, { 2 }, 32 },
		{ TFIT_DTYPE_STRING, 1, { 100 }, 0 },          /* no fixed width */
		{ TFIT_DTYPE_UNKNOWN, 1, { 100 }, 0 },
		/* 2^61 elements: 2^63 bytes as int32, 2^60 as int4 */
		{ TFIT_DTYPE_INT32, 3, { 1 << 30, 1 << 30, 2 }, 1ull << 63 },
		{ TFIT_DTYPE_INT4, 3, { 1 << 30, 1 << 30, 2 }, 1ull << 60 },
	};
	struct tfit_tensor t;
	int64_t d[4];
	uint64_t n_ok = 0, n_refused = 0, n_bad = 0;
	uint32_t i, dt, k, rank;
	memset(&t, 0, sizeof(t));
	for (i = 0; i < sizeof(hand) / sizeof(hand[0]); i++) {
		t.dtype = (uint8_t)hand[i].dtype;
		CHECK(tfit_tensor_set_shape(&t, hand[i].rank, hand[i].dims) == 0);
		CHECK(tfit_tensor_check_bytes(&t) == 0);
		CHECK_U64(tfit_tensor_bytes(&t), hand[i].bytes);
	}
	/* 2^61 float64 elements are 2^64 bytes, 2^62 int4 ones 2^64 bits:
	 * refused, and saturated */
	t.dtype = TFIT_DTYPE_FLOAT64;
	CHECK(tfit_tensor_set_shape(&t, 3, hand[9].dims) == 0);
	CHECK(tfit_tensor_check_bytes(&t) == -1);
	CHECK_U64(tfit_tensor_bytes(&t), UINT64_MAX);
	t.dtype = TFIT_DTYPE_INT4;
	d[0] = d[1] = 1 << 30, d[2] = 4;
	CHECK(tfit_tensor_set_shape(&t, 3, d) == 0);
	CHECK(tfit_tensor_check_bytes(&t) == -1);
	CHECK_U64(tfit_tensor_bytes(&t), UINT64_MAX);
	for (dt = 0; dt < TFIT_DTYPE_COUNT; dt++) {
		for (rank = 0; rank <= 4; rank++) {
			uint32_t n_shapes = 1;
			for (k = 0; k < rank; k++)
				n_shapes *= (uint32_t)(sizeof(dims) / sizeof(dims[0]));
			for (i = 0; i < n_shapes; i++) {
				uint32_t x = i;
				uint64_t want;
				for (k = 0; k < rank; k++) {
					d[k] = dims[x % (sizeof(dims) / sizeof(dims[0]))];
					x /= (uint32_t)(sizeof(dims) / sizeof(dims[0]));
				}
				t.dtype = (uint8_t)dt;
				if (tfit_tensor_set_shape(&t, (int32_t)rank, d) != 0) {
					n_bad++;
					continue;
				}
				if (tfit_tensor_check_bytes(&t) == 0) {
					n_ok++;
					if (tfit_dtype_bytes((enum tfit_dtype)dt, tfit_tensor_elements(&t),
							     &want) != 0 ||
					    tfit_tensor_bytes(&t) != want)
						n_bad++;
				} else {
					n_refused++;
					if (tfit_tensor_bytes(&t) !=
					    (tfit_dtype_bits((enum tfit_dtype)dt) &&
					     tfit_tensor_elements(&t) ? UINT64_MAX : 0))
						n_bad++;
				}
			}
		}
	}
	CHECK_U64(n_bad, 0);
	/* 20 dtypes x (1 + 8 + 64 + 512 + 4096) shapes */
	CHECK_U64(n_ok + n_refused, 20 * 4681);
	CHECK(n_ok > 0 && n_refused > 0);
	tfit_tensor_release(&t);
}

/* An op's inputs and outputs share one block; set_inputs keeps the outputs. */
static void test_op_io(void)
{
	static const int32_t in[2] = { 0, 1 }, out[2] = { 2, 3 }, more[4] = { 5, 6, 7, 8 };
	struct tfit_model *m = tfit_model_new();
	struct tfit_op *op;
	int32_t k;
	CHECK(m != NULL);
	if (!m)
		return;
	k = tfit_subgraph_add_op(&m->subgraphs[0], TFIT_OP_ADD, "a", in, 2, out, 2, NULL);
	CHECK_I64(k, 0);
	if (k == 0) {
		op = &m->subgraphs[0].ops[0];
		CHECK(tfit_op_outputs(op) == op->inputs + 2);
		CHECK(tfit_op_set_inputs(&m->subgraphs[0], op, more, 4) == 0);
		CHECK_U64(op->n_inputs, 4);
		CHECK_I64(op->inputs[3], 8);
		CHECK_U64(op->n_outputs, 2);
		CHECK_I64(tfit_op_outputs(op)[0], 2);
		CHECK_I64(tfit_op_outputs(op)[1], 3);
		/* the fields that are not stored (no tensors: no params) */
		CHECK_U64(tfit_op_params(&m->subgraphs[0], op), 0);
		CHECK(tfit_op_set_source_params_delta(&m->subgraphs[0], op, 5) == 0);
		CHECK_U64(tfit_op_source_params(&m->subgraphs[0], op), 5);
		CHECK(op->ext_ != NULL); /* the delta is out of line */
		CHECK(tfit_op_set_source_params_delta(&m->subgraphs[0], op, 0) == 0);
		CHECK_I64(tfit_op_source_params_delta(op), 0);
		op->n_outputs = 0;
		CHECK(tfit_op_outputs(op) == NULL);
		CHECK_U64(tfit_op_output_bytes(&m->subgraphs[0], op), 0);
		op->n_outputs = 2;
		CHECK(tfit_op_set_inputs(&m->subgraphs[0], op, op->inputs + 1, 1) == 0); /* from itself */
		CHECK_I64(op->inputs[0], 6);
		CHECK_I64(tfit_op_outputs(op)[1], 3);
	}
	k = tfit_subgraph_add_op(&m->subgraphs[0], TFIT_OP_ADD, "b", NULL, 0, out, 1, NULL);
	CHECK_I64(k, 1);
	if (k == 1)
		CHECK_I64(tfit_op_outputs(&m->subgraphs[0].ops[1])[0], 2);
	tfit_model_free(m);
}

/*
 * An op's deployed params are not stored (graph.h): tfit_op_params() sums
 * the elements of its constant inputs, tfit_op_source_params() adds the
 * delta, both saturating; tfit_model_analyze() makes an overflow of either
 * an input error. Its MACs and element ops share one field.
 */
static void test_op_params(void)
{
	static const int64_t d10[1] = { 10 };
	/* (2^31 - 1)^2 * 4 = 2^64 - 2^34 + 4 elements (int8); (2^31 - 1)^2 =
	 * 2^62 - 2^32 + 1 (int4: 2^61 - 2^31 + 1 bytes) */
	static const int64_t huge[3] = { INT32_MAX, INT32_MAX, 4 }, quarter[2] = { INT32_MAX, INT32_MAX };
	static const int32_t in_a[2] = { 0, 1 }, in_b[1] = { 2 }, in_q[5] = { 3, 3, 3, 3, 3 };
	static const int32_t out[1] = { 1 };
	const uint64_t huge_n = UINT64_MAX - (UINT64_C(1) << 34) + 5;
	struct tfit_model *m = tfit_model_new();
	struct tfit_subgraph *sg;
	struct tfit_op *op;
	struct tfit_error err;
	CHECK(m != NULL);
	if (!m)
		return;
	sg = &m->subgraphs[0];
	CHECK_I64(tfit_subgraph_add_tensor(sg, "w", TFIT_DTYPE_INT8, 1, d10, TFIT_TENSOR_CONST, &err), 0);
	CHECK_I64(tfit_subgraph_add_tensor(sg, "x", TFIT_DTYPE_INT8, 1, d10, 0, &err), 1);
	/* constant one at a time below: the two would overflow the model's
	 * weight bytes */
	CHECK_I64(tfit_subgraph_add_tensor(sg, "h", TFIT_DTYPE_INT8, 3, huge, 0, &err), 2);
	CHECK_I64(tfit_subgraph_add_tensor(sg, "q", TFIT_DTYPE_INT4, 2, quarter, 0, &err), 3);
	CHECK_I64(tfit_subgraph_add_op(sg, TFIT_OP_ADD, "a", in_a, 2, out, 1, NULL), 0);
	CHECK_I64(tfit_subgraph_add_op(sg, TFIT_OP_RESHAPE, "r", in_a, 2, out, 1, NULL), 1);
	if (sg->n_ops != 2 || sg->n_tensors != 4) {
		tfit_model_free(m);
		return;
	}
	op = &sg->ops[0];
	CHECK_U64(tfit_op_params(sg, op), 10); /* w; x is not constant */
	CHECK_U64(tfit_op_params(sg, &sg->ops[1]), 0); /* a reshape's shape is configuration */
	CHECK(tfit_op_set_source_params_delta(sg, op, -11) == 0);
	CHECK_U64(tfit_op_source_params(sg, op), 0);
	CHECK(tfit_op_set_source_params_delta(sg, op, -10) == 0);
	CHECK_U64(tfit_op_source_params(sg, op), 0);
	CHECK(tfit_op_set_source_params_delta(sg, op, -3) == 0);
	CHECK_U64(tfit_op_source_params(sg, op), 7);
	CHECK(tfit_op_set_source_params_delta(sg, op, INT64_MIN) == 0);
	CHECK_U64(tfit_op_source_params(sg, op), 0);
	CHECK(tfit_op_set_source_params_delta(sg, op, 5) == 0);
	CHECK_U64(tfit_op_source_params(sg, op), 15);
	CHECK(tfit_model_analyze(m, &err) == TFIT_OK);
	CHECK_U64(tfit_op_elem_ops(op), 10); /* an add: its output's elements */
	CHECK_U64(tfit_op_macs(op), 0);
	CHECK_U64(tfit_op_weights_bytes(sg, op), 10);
	CHECK_U64(m->deployed_params, 10);
	CHECK_U64(m->params, 15);
	/* one input of 2^64 - 2^34 + 4 elements: exact; the delta saturates */
	CHECK(tfit_op_set_inputs(sg, op, in_b, 1) == 0);
	CHECK_U64(tfit_op_params(sg, op), 0); /* not constant */
	sg->tensors[2].flags |= TFIT_TENSOR_CONST;
	CHECK_U64(tfit_op_params(sg, op), huge_n);
	CHECK(tfit_op_set_source_params_delta(sg, op, INT64_MAX) == 0);
	CHECK_U64(tfit_op_source_params(sg, op), UINT64_MAX); /* saturates, unanalysed */
	CHECK(tfit_model_analyze(m, &err) == TFIT_ERR_INPUT);
	CHECK_STR(err.message, "op 0 (add a): its size or work overflows 64 bits");
	CHECK(tfit_op_set_source_params_delta(sg, op, 0) == 0);
	CHECK(tfit_model_analyze(m, &err) == TFIT_OK);
	CHECK_U64(m->deployed_params, huge_n);
	/* q five times: its params overflow, its bytes (5 x (2^61 - 2^31 + 1)) do not */
	CHECK(tfit_op_set_inputs(sg, op, in_q, 5) == 0);
	sg->tensors[2].flags = 0;
	sg->tensors[3].flags |= TFIT_TENSOR_CONST;
	CHECK_U64(tfit_op_params(sg, op), UINT64_MAX); /* saturates, unanalysed */
	tfit_error_clear(&err);
	CHECK(tfit_model_analyze(m, &err) == TFIT_ERR_INPUT);
	CHECK_STR(err.message, "op 0 (add a): its size or work overflows 64 bits");
	CHECK_U64(tfit_op_weights_bytes(sg, op), 5 * ((UINT64_C(1) << 61) - (UINT64_C(1) << 31) + 1));
	tfit_model_free(m);
}

/*
 * An op's MACs and element ops share one field (work_), read by its
 * analysis kind: each op below has the one its kind counts and 0 for the
 * other (docs/op-conventions.md). Hand figures from op_analysis.c's
 * compute_work(): batch matmul [1,2,3] x [1,3,4] -> [1,2,4]: 8 outputs x
 * K 3 = 24 MACs; SVDF, input [2,5], feature weights [6,5] and time
 * weights [6,4]: (30 + 24) x batch 2 = 108 MACs; mean of [1,2,3]: its 6
 * input elements; add: its 8 output elements.
 */
static void test_op_work_kinds(void)
{
	static const int64_t a[3] = { 1, 2, 3 }, b[3] = { 1, 3, 4 }, ab[3] = { 1, 2, 4 };
	static const int64_t x[2] = { 2, 5 }, wf[2] = { 6, 5 }, wt[2] = { 6, 4 }, y[2] = { 2, 3 };
	static const int64_t one[1] = { 1 };
	static const int32_t in_bmm[2] = { 0, 1 }, out_bmm[1] = { 2 };
	static const int32_t in_svdf[3] = { 3, 4, 5 }, out_svdf[1] = { 6 };
	static const int32_t in_mean[2] = { 0, 7 }, out_mean[1] = { 8 };
	static const int32_t in_add[2] = { 2, 2 }, out_add[1] = { 9 };
	struct tfit_model *m = tfit_model_new();
	struct tfit_subgraph *sg;
	struct tfit_error err;
	const struct tfit_op *op;
	CHECK(m != NULL);
	if (!m)
		return;
	sg = &m->subgraphs[0];
	CHECK_I64(tfit_subgraph_add_tensor(sg, "a", TFIT_DTYPE_INT8, 3, a, 0, &err), 0);
	CHECK_I64(tfit_subgraph_add_tensor(sg, "b", TFIT_DTYPE_INT8, 3, b, TFIT_TENSOR_CONST, &err), 1);
	CHECK_I64(tfit_subgraph_add_tensor(sg, "ab", TFIT_DTYPE_INT8, 3, ab, 0, &err), 2);
	CHECK_I64(tfit_subgraph_add_tensor(sg, "x", TFIT_DTYPE_INT8, 2, x, 0, &err), 3);
	CHECK_I64(tfit_subgraph_add_tensor(sg, "wf", TFIT_DTYPE_INT8, 2, wf, TFIT_TENSOR_CONST, &err), 4);
	CHECK_I64(tfit_subgraph_add_tensor(sg, "wt", TFIT_DTYPE_INT16, 2, wt, TFIT_TENSOR_CONST, &err), 5);
	CHECK_I64(tfit_subgraph_add_tensor(sg, "y", TFIT_DTYPE_INT8, 2, y, 0, &err), 6);
	CHECK_I64(tfit_subgraph_add_tensor(sg, "axis", TFIT_DTYPE_INT32, 1, one, TFIT_TENSOR_CONST, &err), 7);
	CHECK_I64(tfit_subgraph_add_tensor(sg, "mean", TFIT_DTYPE_INT8, 1, one, 0, &err), 8);
	CHECK_I64(tfit_subgraph_add_tensor(sg, "sum", TFIT_DTYPE_INT8, 3, ab, 0, &err), 9);
	CHECK_I64(tfit_subgraph_add_op(sg, TFIT_OP_BATCH_MATMUL, "bmm", in_bmm, 2, out_bmm, 1, NULL), 0);
	CHECK_I64(tfit_subgraph_add_op(sg, TFIT_OP_SVDF, "svdf", in_svdf, 3, out_svdf, 1, NULL), 1);
	CHECK_I64(tfit_subgraph_add_op(sg, TFIT_OP_MEAN, "mean", in_mean, 2, out_mean, 1, NULL), 2);
	CHECK_I64(tfit_subgraph_add_op(sg, TFIT_OP_ADD, "add", in_add, 2, out_add, 1, NULL), 3);
	if (sg->n_ops != 4 || sg->n_tensors != 10) {
		tfit_model_free(m);
		return;
	}
	CHECK(tfit_model_analyze(m, &err) == TFIT_OK);
	op = &sg->ops[0]; /* bmm: its constant b is params and weights */
	CHECK_U64(tfit_op_macs(op), 24);
	CHECK_U64(tfit_op_elem_ops(op), 0);
	CHECK_U64(tfit_op_params(sg, op), 12);
	CHECK_U64(tfit_op_weights_bytes(sg, op), 12);
	op = &sg->ops[1]; /* svdf: 30 + 24 params, 30 + 48 bytes (int16 time weights) */
	CHECK_U64(tfit_op_macs(op), 108);
	CHECK_U64(tfit_op_elem_ops(op), 0);
	CHECK_U64(tfit_op_params(sg, op), 54);
	CHECK_U64(tfit_op_weights_bytes(sg, op), 78);
	op = &sg->ops[2]; /* mean: the axis is configuration, not params, but bytes */
	CHECK_U64(tfit_op_macs(op), 0);
	CHECK_U64(tfit_op_elem_ops(op), 6);
	CHECK_U64(tfit_op_params(sg, op), 0);
	CHECK_U64(tfit_op_weights_bytes(sg, op), 4);
	op = &sg->ops[3]; /* add: the same tensor twice, not constant */
	CHECK_U64(tfit_op_macs(op), 0);
	CHECK_U64(tfit_op_elem_ops(op), 8);
	CHECK_U64(tfit_op_params(sg, op), 0);
	CHECK_U64(tfit_op_weights_bytes(sg, op), 0);
	CHECK_U64(m->macs, 24 + 108);
	CHECK_U64(m->elem_ops, 6 + 8);
	CHECK_U64(m->deployed_params, 12 + 54);
	tfit_model_free(m);
}

/*
 * Op options are shared and read-only: ops without options point to
 * tfit_op_options_default, ops with equal ones to one record; changing
 * one op's options leaves the others alone. The .tflite fields are a
 * record of their own, absent for other ops; a clone keeps all of it.
 */
static void test_op_shared(void)
{
	static const int32_t in[1] = { 0 }, out[1] = { 1 }, mid[2] = { 2, 3 };
	struct tfit_model *m = tfit_model_new(), *c = NULL;
	struct tfit_subgraph *sg;
	struct tfit_op_options o, same, other;
	const struct tfit_op *op;
	uint32_t n_mid;
	int i;
	CHECK(m != NULL);
	if (!m)
		return;
	sg = &m->subgraphs[0];
	tfit_op_options_init(&o);
	CHECK(memcmp(&o, &tfit_op_options_default, sizeof(o)) == 0);
	same = o;
	same.stride_h = same.stride_w = 2;
	other = same;
	other.padding = TFIT_PAD_SAME;
	CHECK_I64(tfit_subgraph_add_op(sg, TFIT_OP_RELU, "a", in, 1, out, 1, NULL), 0);
	CHECK_I64(tfit_subgraph_add_op(sg, TFIT_OP_RELU, "b", in, 1, out, 1, &o), 1);
	CHECK_I64(tfit_subgraph_add_op(sg, TFIT_OP_CONV_2D, "c", in, 1, out, 1, &same), 2);
	CHECK_I64(tfit_subgraph_add_op(sg, TFIT_OP_CONV_2D, "d", in, 1, out, 1, &other), 3);
	CHECK_I64(tfit_subgraph_add_op(sg, TFIT_OP_CONV_2D, "e", in, 1, out, 1, &same), 4);
	op = sg->ops;
	CHECK(op[0].opt == &tfit_op_options_default && op[1].opt == &tfit_op_options_default);
	CHECK(op[2].opt == op[4].opt && op[2].opt != op[3].opt);
	CHECK_I64(op[4].opt->stride_w, 2);
	CHECK_I64(op[3].opt->padding, TFIT_PAD_SAME);
	other.activation = TFIT_ACT_RELU;
	CHECK(tfit_op_set_options(sg, &sg->ops[4], &other) == 0);
	CHECK_I64(op[4].opt->activation, TFIT_ACT_RELU);
	CHECK_I64(op[2].opt->activation, TFIT_ACT_NONE);
	CHECK_I64(op[3].opt->activation, TFIT_ACT_NONE);
	CHECK(tfit_op_set_options(sg, &sg->ops[2], &o) == 0);
	CHECK(op[2].opt == &tfit_op_options_default);
	/* the .tflite fields */
	CHECK(op[0].ext_ == NULL && tfit_op_custom_name(&op[0]) == NULL);
	CHECK(tfit_op_intermediates(&op[0], &n_mid) == NULL && n_mid == 0);
	CHECK(tfit_op_set_tflite(sg, &sg->ops[1], "MyOp", mid, 2) == 0);
	CHECK_STR(tfit_op_custom_name(&op[1]), "MyOp");
	CHECK(tfit_op_intermediates(&op[1], &n_mid) != NULL);
	CHECK_U64(n_mid, 2);
	CHECK_I64(tfit_op_intermediates(&op[1], &n_mid)[1], 3);
	CHECK(tfit_op_set_tflite(sg, &sg->ops[3], NULL, mid, 1) == 0);
	CHECK(tfit_op_custom_name(&op[3]) == NULL);
	c = tfit_model_clone(m);
	CHECK(c != NULL);
	if (c) {
		const struct tfit_op *p = c->subgraphs[0].ops;
		CHECK(p[0].opt == &tfit_op_options_default);
		CHECK(p[3].opt != op[3].opt);
		for (i = 0; i < 5; i++)
			CHECK(memcmp(p[i].opt, op[i].opt, sizeof(*p[i].opt)) == 0);
		CHECK(tfit_op_custom_name(&p[1]) != tfit_op_custom_name(&op[1]));
		CHECK_STR(tfit_op_custom_name(&p[1]), "MyOp");
		CHECK_I64(tfit_op_intermediates(&p[1], &n_mid)[0], 2);
		CHECK_U64(n_mid, 2);
		CHECK_I64(tfit_op_intermediates(&p[3], &n_mid)[0], 2);
		CHECK_U64(n_mid, 1);
		CHECK(p[2].ext_ == NULL);
	}
	tfit_model_free(m);
	tfit_model_free(c);
}

/* x, y [1,2,3,4,5,6] -> ADD -> s; a, b [1,1,2,1,3,1,1,2] (rank 8) -> ADD -> c */
static void gen_rank_model(struct gen_model *m)
{
	static const int32_t s6[] = { 1, 2, 3, 4, 5, 6 };
	static const int32_t s8[] = { 1, 1, 2, 1, 3, 1, 1, 2 };
	struct gen_subgraph *s = &m->sg[0];
	memset(m, 0, sizeof(*m));
	m->version = 3;
	m->n_codes = 1;
	m->codes[0].builtin = 0; /* ADD */
	m->n_subgraphs = 1;
	s->name = "main";
	s->n_tensors = 6;
	gen_tensor(&s->tensors[0], "x", 0, 6, s6, 0);
	gen_tensor(&s->tensors[1], "y", 0, 6, s6, 0);
	gen_tensor(&s->tensors[2], "s", 0, 6, s6, 0);
	gen_tensor(&s->tensors[3], "a", 0, 8, s8, 0);
	gen_tensor(&s->tensors[4], "b", 0, 8, s8, 0);
	gen_tensor(&s->tensors[5], "c", 0, 8, s8, 0);
	s->n_in = 4;
	s->in[0] = 0; s->in[1] = 1; s->in[2] = 3; s->in[3] = 4;
	s->n_out = 2;
	s->out[0] = 2; s->out[1] = 5;
	s->n_ops = 2;
	s->ops[0].n_in = 2; s->ops[0].in[0] = 0; s->ops[0].in[1] = 1;
	s->ops[0].n_out = 1; s->ops[0].out[0] = 2;
	s->ops[1].n_in = 2; s->ops[1].in[0] = 3; s->ops[1].in[1] = 4;
	s->ops[1].n_out = 1; s->ops[1].out[0] = 5;
	m->n_buffers = 1;
}

static void test_tflite_rank6(void)
{
	static const int64_t d6[] = { 1, 2, 3, 4, 5, 6 };
	static const int64_t d8[] = { 1, 1, 2, 1, 3, 1, 1, 2 };
	struct gen_model g;
	struct fbb b;
	struct tfit_error err;
	struct tfit_model *m = NULL, *c;
	struct tfit_dtype_saved *saved;
	struct tfit_runtime *rt = NULL;
	struct tfit_arena_plan p;
	char shape[64];
	const struct tfit_subgraph *sg;

	gen_rank_model(&g);
	gen_build(&b, &g);
	tfit_error_clear(&err);
	CHECK(tfit_tflite_read_buffer(b.buf, b.len, "rank6.tflite", &m, &err) == TFIT_OK);
	fbb_free(&b);
	if (!m) {
		fprintf(stderr, "read failed: %s: %s\n", err.path, err.message);
		return;
	}
	sg = &m->subgraphs[0];
	CHECK_U64(sg->n_tensors, 6);
	check_dims(&sg->tensors[0], 6, d6);
	check_dims(&sg->tensors[2], 6, d6);
	check_dims(&sg->tensors[5], 8, d8);
	CHECK_U64(tfit_tensor_elements(&sg->tensors[2]), 720);
	CHECK_U64(tfit_tensor_bytes(&sg->tensors[2]), 2880);
	CHECK_U64(tfit_tensor_bytes(&sg->tensors[5]), 48);
	CHECK_STR(tfit_shape_format(&sg->tensors[2], shape, sizeof(shape)), "1x2x3x4x5x6");
	CHECK_STR(tfit_shape_format(&sg->tensors[5], shape, sizeof(shape)), "1x1x2x1x3x1x1x2");
	CHECK_U64(tfit_op_elem_ops(&sg->ops[0]), 720);
	CHECK_U64(tfit_op_output_bytes(sg, &sg->ops[0]), 2880);

	/* a clone owns its own dimensions */
	c = tfit_model_clone(m);
	CHECK(c != NULL);
	if (c) {
		CHECK(tfit_tensor_dims32(&c->subgraphs[0].tensors[2]) !=
		      tfit_tensor_dims32(&sg->tensors[2]));
		check_dims(&c->subgraphs[0].tensors[2], 6, d6);
		check_dims(&c->subgraphs[0].tensors[5], 8, d8);
	}

	/* int8 in place and back: shapes stay, bytes follow the dtype */
	saved = tfit_model_dtype_save(m);
	CHECK(saved != NULL);
	CHECK(tfit_model_convert_dtype(m, TFIT_DTYPE_INT8, &err) == TFIT_OK);
	check_dims(&sg->tensors[2], 6, d6);
	CHECK_U64(tfit_tensor_bytes(&sg->tensors[2]), 720);
	tfit_model_dtype_restore(m, saved);
	CHECK_U64(tfit_tensor_bytes(&sg->tensors[2]), 2880);
	check_dims(&sg->tensors[5], 8, d8);

	/* the planner sees every dimension: the peak is at op 0, where x, y,
	 * s (2880 bytes each) and the rank-8 inputs a, b (48 each) are live */
	if (tfit_runtime_load(DATA_DIR, "tflm", &rt, &err) == TFIT_OK) {
		CHECK(tfit_plan_arena(c ? c : m, rt, NULL, &p, &err) == TFIT_OK);
		CHECK_U64(p.head_bytes, 3 * 2880 + 2 * 48);
		tfit_arena_plan_release(&p);
		tfit_runtime_free(rt);
	} else {
		CHECK(!"the tflm runtime profile loads");
	}
	tfit_model_free(m); /* the clone must not depend on it */
	if (c)
		check_dims(&c->subgraphs[0].tensors[5], 8, d8);
	tfit_model_free(c);
}

/* JSON shape inference over a rank-6 tensor (batch + 5 dimensions). */
static void test_json_rank6(void)
{
	static const char json[] =
		"{\"format\": \"tinyfit-model\", \"name\": \"r6\", \"dtype\": \"float32\","
		" \"inputs\": [{\"name\": \"x\", \"shape\": [2, 3, 4, 5, 6]}],"
		" \"layers\": ["
		"  {\"name\": \"d\", \"type\": \"dense\", \"units\": 7, \"activation\": \"relu\","
		"   \"inputs\": [\"x\"]},"
		"  {\"name\": \"f\", \"type\": \"flatten\"},"
		"  {\"name\": \"o\", \"type\": \"dense\", \"units\": 3}]}";
	static const int64_t in[] = { 1, 2, 3, 4, 5, 6 }, dense[] = { 1, 2, 3, 4, 5, 7 };
	static const int64_t flat[] = { 1, 840 };
	struct tfit_error err;
	struct tfit_model *m = NULL;
	const struct tfit_subgraph *sg;
	tfit_error_clear(&err);
	CHECK(tfit_model_load_buffer(json, strlen(json), "r6.json", NULL, &m, &err) == TFIT_OK);
	if (!m) {
		fprintf(stderr, "load failed: %s: %s\n", err.path, err.message);
		return;
	}
	sg = &m->subgraphs[0];
	CHECK_U64(sg->n_ops, 3);
	check_dims(&sg->tensors[sg->inputs[0]], 6, in);
	check_dims(&sg->tensors[tfit_op_outputs(&sg->ops[0])[0]], 6, dense);
	CHECK_U64(tfit_tensor_bytes(&sg->tensors[tfit_op_outputs(&sg->ops[0])[0]]), 3360);
	check_dims(&sg->tensors[tfit_op_outputs(&sg->ops[1])[0]], 2, flat);
	CHECK_U64(tfit_op_macs(&sg->ops[0]), 5040);
	CHECK_U64(tfit_op_params(sg, &sg->ops[0]), 49);
	tfit_model_free(m);
}

/*
 * The subgraph's pool (src/util/pool.c): small names and index blocks fill
 * one chunk; a block over a quarter of the largest chunk (1 MiB) gets a
 * chunk of its own behind the current one, which keeps filling; a clone
 * has its own pool with the same contents.
 */
static void test_pool(void)
{
	enum { N_BIG = 100000 }; /* 400,000 bytes of inputs: over 256 KiB */
	struct tfit_model *m = tfit_model_new(), *c = NULL;
	struct tfit_subgraph *sg;
	struct tfit_model_heap h0, h1, h2;
	int32_t *big = malloc(N_BIG * sizeof(*big)), out = 1, k;
	const int64_t d1 = 4;
	struct tfit_error err;
	uint32_t i;
	CHECK(m != NULL && big != NULL);
	if (!m || !big)
		goto out;
	sg = &m->subgraphs[0];
	for (i = 0; i < N_BIG; i++)
		big[i] = (int32_t)(i % 2);
	CHECK_I64(tfit_subgraph_add_tensor(sg, "a", TFIT_DTYPE_INT8, 1, &d1, 0, &err), 0);
	CHECK_I64(tfit_subgraph_add_tensor(sg, "bb", TFIT_DTYPE_INT8, 1, &d1, 0, &err), 1);
	CHECK_I64(tfit_subgraph_add_tensor(sg, NULL, TFIT_DTYPE_INT8, 1, &d1, 0, &err), 2);
	CHECK(sg->tensors[2].name == NULL);
	tfit_model_heap_count(m, &h0);
	/* one 1 KiB chunk (and its 24-byte header) holds "a" and "bb" */
	CHECK_U64(h0.pool_bytes, 1024 + 24);
	k = tfit_subgraph_add_op(sg, TFIT_OP_ADD, "big", big, N_BIG, &out, 1, NULL);
	CHECK_I64(k, 0);
	tfit_model_heap_count(m, &h1);
	/* "big" fits the first chunk; its 400,004-byte block has its own */
	CHECK_U64(h1.pool_bytes, 1024 + 24 + 400004 + 24);
	CHECK_U64(h1.blocks, h0.blocks + 2); /* the chunk and the op array */
	k = tfit_subgraph_add_op(sg, TFIT_OP_ADD, "small", big, 2, &out, 1, NULL);
	CHECK_I64(k, 1);
	tfit_model_heap_count(m, &h2);
	CHECK_U64(h2.pool_bytes, h1.pool_bytes); /* the first chunk keeps filling */
	CHECK_STR(sg->ops[0].name, "big");
	CHECK_STR(sg->ops[1].name, "small");
	CHECK_STR(sg->tensors[1].name, "bb");
	CHECK_I64(sg->ops[0].inputs[N_BIG - 1], 1);
	CHECK_I64(tfit_op_outputs(&sg->ops[0])[0], 1);
	CHECK_I64(tfit_op_outputs(&sg->ops[1])[0], 1);
	/* 4-byte alignment of index blocks after odd-length names */
	CHECK(((uintptr_t)sg->ops[1].inputs & 3u) == 0);
	c = tfit_model_clone(m);
	CHECK(c != NULL);
	if (c) {
		const struct tfit_subgraph *cs = &c->subgraphs[0];
		CHECK(cs->pool != NULL && cs->pool != sg->pool);
		CHECK(cs->ops[0].inputs != sg->ops[0].inputs);
		CHECK_I64(cs->ops[0].inputs[N_BIG - 2], 0);
		CHECK_STR(cs->tensors[1].name, "bb");
		CHECK(cs->tensors[2].name == NULL);
	}
out:
	tfit_model_free(c);
	tfit_model_free(m);
	free(big);
}

int main(void)
{
	test_sizes();
	test_tensor_ext();
	test_data_bytes();
	test_set_shape();
	test_tensor_bytes();
	test_op_io();
	test_op_params();
	test_op_work_kinds();
	test_op_shared();
	test_pool();
	test_tflite_rank6();
	test_json_rank6();
	return tfit_test_finish();
}
