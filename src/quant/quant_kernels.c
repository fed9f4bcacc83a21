/*
 * quant_kernels.c - which TFLM kernels run int16 (16x8) activations.
 *
 * Source: tflite-micro at commit 90b983c2b3f1480642e040bbd2ddb37b998f3424
 * (2026-08-20). "reference" lists the ops whose kernel file in
 * tensorflow/lite/micro/kernels/ (or its *_common.cc) has a kTfLiteInt16
 * case; "cmsis-nn" the same for tensorflow/lite/micro/kernels/cmsis_nn/.
 * Ops that only move bytes (reshape, squeeze, gather, ...) have no type
 * switch and are listed as type-agnostic. Every other op has no int16 case
 * in that tree, so TFLM rejects it in Prepare or Eval (reported as a
 * warning, since a newer TFLM may add it).
 * docs/quantization.md shows how to redo this table with grep.
 */
#include "quant_internal.h"

#include <stdio.h>
#include <string.h>

static const enum tfit_op_type int16_reference[] = {
	TFIT_OP_RELU, TFIT_OP_RELU6, TFIT_OP_ADD, TFIT_OP_BATCH_MATMUL, TFIT_OP_CAST,
	TFIT_OP_EQUAL, TFIT_OP_NOT_EQUAL, TFIT_OP_GREATER, TFIT_OP_GREATER_EQUAL, TFIT_OP_LESS,
	TFIT_OP_LESS_EQUAL, TFIT_OP_CONCATENATION, TFIT_OP_CONV_2D, TFIT_OP_DEPTHWISE_CONV_2D,
	TFIT_OP_DEQUANTIZE, TFIT_OP_DYNAMIC_UPDATE_SLICE, TFIT_OP_ABS, TFIT_OP_RSQRT,
	TFIT_OP_EXPAND_DIMS, TFIT_OP_FILL, TFIT_OP_FULLY_CONNECTED, TFIT_OP_LEAKY_RELU,
	TFIT_OP_LOGISTIC, TFIT_OP_MAXIMUM, TFIT_OP_MINIMUM, TFIT_OP_MUL, TFIT_OP_PACK, TFIT_OP_PAD,
	TFIT_OP_PADV2, TFIT_OP_AVERAGE_POOL_2D, TFIT_OP_MAX_POOL_2D, TFIT_OP_PRELU,
	TFIT_OP_QUANTIZE, TFIT_OP_MEAN, TFIT_OP_SUM, TFIT_OP_REDUCE_MAX,
	TFIT_OP_RESIZE_NEAREST_NEIGHBOR, TFIT_OP_REVERSE_V2, TFIT_OP_SELECT, TFIT_OP_SELECT_V2,
	TFIT_OP_SLICE, TFIT_OP_SOFTMAX, TFIT_OP_SPLIT, TFIT_OP_SPLIT_V,
	TFIT_OP_SQUARED_DIFFERENCE, TFIT_OP_STRIDED_SLICE, TFIT_OP_SUB, TFIT_OP_SVDF,
	TFIT_OP_TANH, TFIT_OP_TRANSPOSE, TFIT_OP_TRANSPOSE_CONV,
	TFIT_OP_UNIDIRECTIONAL_SEQUENCE_LSTM, TFIT_OP_UNPACK
};

static const enum tfit_op_type int16_cmsis_nn[] = {
	TFIT_OP_ADD, TFIT_OP_BATCH_MATMUL, TFIT_OP_CONV_2D, TFIT_OP_DEPTHWISE_CONV_2D,
	TFIT_OP_FULLY_CONNECTED, TFIT_OP_MAXIMUM, TFIT_OP_MINIMUM, TFIT_OP_MUL, TFIT_OP_PAD,
	TFIT_OP_AVERAGE_POOL_2D, TFIT_OP_MAX_POOL_2D, TFIT_OP_SOFTMAX, TFIT_OP_SVDF,
	TFIT_OP_TRANSPOSE, TFIT_OP_TRANSPOSE_CONV, TFIT_OP_UNIDIRECTIONAL_SEQUENCE_LSTM
};

static int in_list(enum tfit_op_type t, const enum tfit_op_type *list, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (list[i] == t)
			return 1;
	return 0;
}

/* Append "name" to a comma list once (the list is a set of op names). */
static void add_name(char *buf, size_t size, const char *name)
{
	size_t len = strlen(buf), n = strlen(name);
	const char *p = buf;
	while ((p = strstr(p, name)) != NULL) {
		if ((p == buf || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
			return;
		p += n;
	}
	snprintf(buf + len, size - len, "%s%s", len ? ", " : "", name);
}

int tfit_quant_int16_findings(const struct tfit_model *m, struct tfit_quant_model_report *rep)
{
	const struct tfit_subgraph *sg = &m->subgraphs[0];
	char both[512] = "", ref_only[512] = "", copy[256] = "", none[512] = "";
	uint32_t k, i, n_ops = 0, n_none = 0;
	int32_t first_none = -1;

	for (k = 0; k < sg->n_ops; k++) {
		const struct tfit_op *op = &sg->ops[k];
		const char *name = tfit_op_desc(op->type)->name;
		int i16 = 0;
		for (i = 0; i < op->n_inputs + op->n_outputs && !i16; i++) {
			int32_t ti = i < op->n_inputs ? op->inputs[i] : tfit_op_outputs(op)[i - op->n_inputs];
			if (ti >= 0 && !(sg->tensors[ti].flags & TFIT_TENSOR_CONST) &&
			    sg->tensors[ti].dtype == TFIT_DTYPE_INT16 && tfit_tensor_quant(&sg->tensors[ti])->scale_count)
				i16 = 1;
		}
		if (!i16)
			continue;
		n_ops++;
		if (in_list(op->type, int16_reference, sizeof(int16_reference) / sizeof(int16_reference[0]))) {
			if (in_list(op->type, int16_cmsis_nn, sizeof(int16_cmsis_nn) / sizeof(int16_cmsis_nn[0])))
				add_name(both, sizeof(both), name);
			else
				add_name(ref_only, sizeof(ref_only), name);
		} else if (tfit_op_desc(op->type)->analysis == TFIT_ANALYSIS_MOVE) {
			add_name(copy, sizeof(copy), name);
		} else {
			add_name(none, sizeof(none), name);
			n_none++;
			if (first_none < 0)
				first_none = (int32_t)k;
		}
	}
	/* int16 activations are symmetric (Z = 0) in TFLite's 16x8 scheme; the
	 * int16 paths of fully connected (cmsis_nn/fully_connected.cc) and
	 * concatenation (concatenation.cc) check it. QUANTIZE and DEQUANTIZE
	 * take any zero point (an int16 model input with Z = -32768 is fine),
	 * and only inputs are checked: softmax with int8 input writes int16
	 * with Z = -32768 by design (softmax_common.cc). */
	for (k = 0; k < sg->n_ops; k++) {
		const struct tfit_op *op = &sg->ops[k];
		if (op->type == TFIT_OP_QUANTIZE || op->type == TFIT_OP_DEQUANTIZE)
			continue;
		for (i = 0; i < op->n_inputs; i++) {
			int32_t ti = op->inputs[i];
			const struct tfit_tensor *t = ti >= 0 ? &sg->tensors[ti] : NULL;
			if (t && t->dtype == TFIT_DTYPE_INT16 && !(t->flags & TFIT_TENSOR_CONST) &&
			    tfit_tensor_quant(t)->values && tfit_tensor_quant(t)->values->zero_point_nonzero &&
			    tfit_quant_add_finding(rep, TFIT_QF_INT16, 1, ti, (int32_t)k,
					      "op %lu (%s): int16 activation '%s' has zero point %lld: "
					      "TFLite's 16x8 scheme makes int16 activations symmetric and "
					      "TFLM's int16 kernels (fully connected, concatenation, softmax, ...) require Z = 0",
					      (unsigned long)k, tfit_op_desc(op->type)->name,
					      t->name ? t->name : "(unnamed)",
					      (long long)tfit_tensor_quant(t)->values->zero_point_first))
				return -1;
		}
	}
	if (n_ops == 0)
		return 0;
	return tfit_quant_add_finding(rep, TFIT_QF_INT16, n_none ? 1 : 0, -1, first_none,
				 "%lu op(s) run int16 activations (16x8 quantization, 2 bytes per "
				 "activation): reference and CMSIS-NN int16 kernels: %s; reference only: %s; "
				 "type-agnostic copies: %s; no int16 kernel in TFLM (fails at Prepare/Eval): "
				 "%s (tflite-micro 90b983c)", (unsigned long)n_ops,
				 both[0] ? both : "none", ref_only[0] ? ref_only : "none",
				 copy[0] ? copy : "none", none[0] ? none : "none");
}
