/*
 * tflite_arity.c - per-operator input and output counts of a .tflite
 * subgraph, checked as TFLite Micro's Prepare functions check them, so a
 * file that TFLM refuses to run is an input error here instead of an answer.
 *
 * Every row cites the kernel file of tflite-micro 90b983c2b3f1
 * (tensorflow/lite/micro/kernels/) whose Prepare does the check. TFLM
 * checks arity in two ways:
 *   - explicitly: TF_LITE_ENSURE_EQ(context, NumInputs(node), 2) (exact
 *     counts: in_max = in_req) or node->inputs->size == 3 (conv: 2 or 3);
 *   - implicitly: AllocateTempInputTensor(node, k) returns nullptr when input
 *     k is past the end or -1 (an absent optional input), and Prepare does
 *     TF_LITE_ENSURE(context, input != nullptr): the first in_req inputs must
 *     exist and not be -1; extra inputs are ignored (in_max = ANY).
 *     The LSTM takes exactly 24 inputs of which many are optional (-1:
 *     no peephole, no projection, no layer norm), so only its input (0)
 *     must be present (lstm_shared.h lists the indices).
 * Outputs the same way. Ops without a row (custom ops, builtins whose
 * kernels tinyfit has not read) are not checked for arity. That a tensor has
 * one producer and an op lists an output once is checked for every op by
 * tflite_check.c.
 */
#include "model/tflite_ops.h"

#include <stdio.h>
#include <stdlib.h>

#define ANY 0xffffu

struct arity {
	enum tfit_op_type type;
	uint16_t in_req, in_max;    /* fewest and most inputs */
	uint16_t out_req, out_max;  /* fewest and most outputs */
	const char *source;         /* tflite-micro kernels/ file */
	uint16_t in_present;        /* leading inputs that may not be -1 */
};

static const struct arity arities[] = {
	{ TFIT_OP_CONV_2D, 2, 3, 1, 1, "conv_common.cc", 2 },
	{ TFIT_OP_DEPTHWISE_CONV_2D, 2, 3, 1, 1, "depthwise_conv_common.cc", 2 },
	{ TFIT_OP_TRANSPOSE_CONV, 3, 4, 1, 1, "transpose_conv.cc", 3 },
	{ TFIT_OP_FULLY_CONNECTED, 2, ANY, 1, ANY, "fully_connected.cc", 2 },
	{ TFIT_OP_BATCH_MATMUL, 2, 2, 1, 1, "batch_matmul.cc", 2 },
	{ TFIT_OP_UNIDIRECTIONAL_SEQUENCE_LSTM, 24, 24, 1, 1, "unidirectional_sequence_lstm.cc", 1 },
	{ TFIT_OP_SVDF, 5, 5, 1, 1, "svdf_common.cc", 5 },
	{ TFIT_OP_AVERAGE_POOL_2D, 1, ANY, 1, ANY, "pooling_common.cc", 1 },
	{ TFIT_OP_MAX_POOL_2D, 1, ANY, 1, ANY, "pooling_common.cc", 1 },
	{ TFIT_OP_L2_POOL_2D, 1, 1, 1, 1, "l2_pool_2d.cc", 1 },
	{ TFIT_OP_MEAN, 2, 2, 1, 1, "reduce_common.cc", 2 },
	{ TFIT_OP_SUM, 2, 2, 1, 1, "reduce_common.cc", 2 },
	{ TFIT_OP_REDUCE_MAX, 2, 2, 1, 1, "reduce_common.cc", 2 },
	{ TFIT_OP_REDUCE_MIN, 2, 2, 1, 1, "reduce_common.cc", 2 },
	{ TFIT_OP_CUMSUM, 2, 2, 1, 1, "cumsum.cc", 2 },
	{ TFIT_OP_ADD, 2, ANY, 1, ANY, "add_common.cc", 2 },
	{ TFIT_OP_SUB, 2, ANY, 1, ANY, "sub_common.cc", 2 },
	{ TFIT_OP_MUL, 2, 2, 1, 1, "mul_common.cc", 2 },
	{ TFIT_OP_ADD_N, 2, ANY, 1, 1, "add_n.cc", 2 },
	{ TFIT_OP_SQUARED_DIFFERENCE, 2, 2, 1, 1, "squared_difference.cc", 2 },
	{ TFIT_OP_FLOOR_DIV, 2, 2, 1, 1, "floor_div.cc", 2 },
	{ TFIT_OP_FLOOR_MOD, 2, 2, 1, 1, "floor_mod.cc", 2 },
	{ TFIT_OP_PRELU, 2, ANY, 1, ANY, "prelu_common.cc", 2 },
	{ TFIT_OP_ELU, 1, 1, 1, 1, "elu.cc", 1 },
	{ TFIT_OP_HARD_SWISH, 1, 1, 1, 1, "hard_swish_common.cc", 1 },
	{ TFIT_OP_LEAKY_RELU, 1, 1, 1, 1, "leaky_relu_common.cc", 1 },
	{ TFIT_OP_RELU, 1, ANY, 1, ANY, "activations_common.cc", 1 },
	{ TFIT_OP_RELU6, 1, ANY, 1, ANY, "activations_common.cc", 1 },
	{ TFIT_OP_LOGISTIC, 1, ANY, 1, ANY, "logistic_common.cc", 1 },
	{ TFIT_OP_TANH, 1, 1, 1, 1, "tanh.cc", 1 },
	{ TFIT_OP_SOFTMAX, 1, 1, 1, 1, "softmax_common.cc", 1 },
	{ TFIT_OP_LOG_SOFTMAX, 1, 1, 1, 1, "log_softmax.cc", 1 },
	{ TFIT_OP_EXP, 1, 1, 1, 1, "exp.cc", 1 },
	{ TFIT_OP_ABS, 1, 1, 1, 1, "elementwise.cc", 1 },
	{ TFIT_OP_SIN, 1, 1, 1, 1, "elementwise.cc", 1 },
	{ TFIT_OP_COS, 1, 1, 1, 1, "elementwise.cc", 1 },
	{ TFIT_OP_LOG, 1, 1, 1, 1, "elementwise.cc", 1 },
	{ TFIT_OP_SQRT, 1, 1, 1, 1, "elementwise.cc", 1 },
	{ TFIT_OP_RSQRT, 1, 1, 1, 1, "elementwise.cc", 1 },
	{ TFIT_OP_SQUARE, 1, 1, 1, 1, "elementwise.cc", 1 },
	{ TFIT_OP_LOGICAL_NOT, 1, 1, 1, 1, "elementwise.cc", 1 },
	{ TFIT_OP_CEIL, 1, 1, 1, 1, "ceil.cc", 1 },
	{ TFIT_OP_ROUND, 1, 1, 1, 1, "round.cc", 1 },
	{ TFIT_OP_L2_NORMALIZATION, 1, 1, 1, 1, "l2norm.cc", 1 },
	{ TFIT_OP_SELECT_V2, 3, 3, 1, 1, "select.cc", 3 },
	{ TFIT_OP_QUANTIZE, 1, 1, 1, 1, "quantize_common.cc", 1 },
	{ TFIT_OP_DEQUANTIZE, 1, 1, 1, 1, "dequantize_common.cc", 1 },
	{ TFIT_OP_CAST, 1, 1, 1, 1, "cast.cc", 1 },
	{ TFIT_OP_RESHAPE, 1, 2, 1, 1, "reshape_common.cc", 1 },
	{ TFIT_OP_SQUEEZE, 1, 1, 1, 1, "squeeze.cc", 1 },
	{ TFIT_OP_EXPAND_DIMS, 2, 2, 1, 1, "expand_dims.cc", 2 },
	{ TFIT_OP_CONCATENATION, 1, 10, 1, ANY, "concatenation.cc (kMaxInputNum 10)", 1 },
	{ TFIT_OP_SPLIT, 2, ANY, 1, ANY, "split.cc", 2 },
	{ TFIT_OP_SPLIT_V, 3, 3, 1, ANY, "split_v.cc", 3 },
	{ TFIT_OP_SLICE, 3, 3, 1, 1, "slice.cc", 3 },
	{ TFIT_OP_STRIDED_SLICE, 4, 4, 1, 1, "strided_slice_common.cc", 4 },
	{ TFIT_OP_TRANSPOSE, 2, 2, 1, 1, "transpose_common.cc", 2 },
	{ TFIT_OP_PAD, 2, 3, 1, 1, "pad_common.cc", 2 },
	{ TFIT_OP_PADV2, 2, 3, 1, 1, "pad_common.cc", 2 },
	{ TFIT_OP_BROADCAST_TO, 2, 2, 1, 1, "broadcast_to.cc", 2 },
	{ TFIT_OP_BROADCAST_ARGS, 2, 2, 1, 1, "broadcast_args.cc", 2 },
	{ TFIT_OP_GATHER, 2, 2, 1, 1, "gather.cc", 2 },
	{ TFIT_OP_GATHER_ND, 2, 2, 1, 1, "gather_nd.cc", 2 },
	{ TFIT_OP_EMBEDDING_LOOKUP, 2, 2, 1, 1, "embedding_lookup.cc", 2 },
	{ TFIT_OP_DEPTH_TO_SPACE, 1, 1, 1, 1, "depth_to_space.cc", 1 },
	{ TFIT_OP_SPACE_TO_DEPTH, 1, 1, 1, 1, "space_to_depth.cc", 1 },
	{ TFIT_OP_BATCH_TO_SPACE_ND, 3, 3, 1, 1, "batch_to_space_nd.cc", 3 },
	{ TFIT_OP_SPACE_TO_BATCH_ND, 3, 3, 1, 1, "space_to_batch_nd.cc", 3 },
	{ TFIT_OP_RESIZE_BILINEAR, 2, 2, 1, 1, "resize_bilinear.cc", 2 },
	{ TFIT_OP_RESIZE_NEAREST_NEIGHBOR, 2, 2, 1, 1, "resize_nearest_neighbor.cc", 2 },
	{ TFIT_OP_REVERSE_V2, 2, 2, 1, 1, "reverse.cc", 2 },
	{ TFIT_OP_DYNAMIC_UPDATE_SLICE, 3, 3, 1, 1, "dynamic_update_slice.cc", 3 },
	{ TFIT_OP_ZEROS_LIKE, 1, 1, 1, 1, "zeros_like.cc", 1 },
	{ TFIT_OP_FILL, 2, ANY, 1, ANY, "fill.cc", 2 },
	{ TFIT_OP_SHAPE, 1, 1, 1, 1, "shape.cc", 1 },
	{ TFIT_OP_IF, 1, ANY, 0, ANY, "if.cc", 1 },
	{ TFIT_OP_CALL_ONCE, 0, 0, 0, 0, "call_once.cc", 0 },
	{ TFIT_OP_ASSIGN_VARIABLE, 2, 2, 0, 0, "assign_variable.cc", 2 },
};

static const struct arity *arity_of(enum tfit_op_type type)
{
	static signed short row[TFIT_OP_COUNT];
	static int built;
	size_t i;
	if (!built) {
		for (i = 0; i < TFIT_OP_COUNT; i++)
			row[i] = -1;
		for (i = 0; i < sizeof(arities) / sizeof(arities[0]); i++)
			row[arities[i].type] = (signed short)i;
		built = 1;
	}
	if ((unsigned)type >= TFIT_OP_COUNT || row[type] < 0)
		return NULL;
	return &arities[row[type]];
}

static void counts(char *buf, size_t n, uint16_t req, uint16_t max)
{
	if (max == req)
		snprintf(buf, n, "exactly %u", (unsigned)req);
	else if (max == ANY)
		snprintf(buf, n, "at least %u", (unsigned)req);
	else if (max == req + 1)
		snprintf(buf, n, "%u or %u", (unsigned)req, (unsigned)max);
	else
		snprintf(buf, n, "%u to %u", (unsigned)req, (unsigned)max);
}

static enum tfit_status check_op(const struct tfit_op *op, const char *label,
				 unsigned long si, unsigned long oi, const char *file,
				 struct tfit_error *err)
{
	const struct arity *a = arity_of(op->type);
	char path[TFIT_ERROR_PATH_MAX], want[40];
	uint32_t k;

	if (a && (op->n_inputs < a->in_req || op->n_inputs > a->in_max)) {
		counts(want, sizeof(want), a->in_req, a->in_max);
		snprintf(path, sizeof(path), "subgraphs[%lu].operators[%lu].inputs", si, oi);
		return tfit_error_set(err, TFIT_ERR_INPUT, file, path,
				      "%s has %lu input%s; TFLite Micro needs %s (%s)", label,
				      (unsigned long)op->n_inputs, op->n_inputs == 1 ? "" : "s",
				      want, a->source);
	}
	for (k = 0; a && k < a->in_present; k++) {
		if (op->inputs[k] >= 0)
			continue;
		snprintf(path, sizeof(path), "subgraphs[%lu].operators[%lu].inputs[%lu]", si, oi,
			 (unsigned long)k);
		return tfit_error_set(err, TFIT_ERR_INPUT, file, path,
				      "input %lu of %s is absent (-1); TFLite Micro needs "
				      "its first %u input%s (%s)", (unsigned long)k, label,
				      (unsigned)a->in_present, a->in_present == 1 ? "" : "s",
				      a->source);
	}
	if (a && (op->n_outputs < a->out_req || op->n_outputs > a->out_max)) {
		counts(want, sizeof(want), a->out_req, a->out_max);
		snprintf(path, sizeof(path), "subgraphs[%lu].operators[%lu].outputs", si, oi);
		return tfit_error_set(err, TFIT_ERR_INPUT, file, path,
				      "%s has %lu output%s; TFLite Micro needs %s (%s)", label,
				      (unsigned long)op->n_outputs, op->n_outputs == 1 ? "" : "s",
				      want, a->source);
	}
	return TFIT_OK;
}

enum tfit_status tfit_tfl_check_arity(const struct tfit_subgraph *sg, uint32_t si,
				 const char *file, struct tfit_error *err)
{
	uint32_t i;
	enum tfit_status rc;

	for (i = 0; i < sg->n_ops; i++) {
		const struct tfit_op *op = &sg->ops[i];
		const char *label = tfit_op_custom_name(op) ? tfit_op_custom_name(op) : tfit_op_desc(op->type)->name;
		if ((rc = check_op(op, label, si, i, file, err)) != TFIT_OK)
			return rc;
	}
	return TFIT_OK;
}
