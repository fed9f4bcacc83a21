/*
 * ops.h - operator types and their descriptors (the rows of op_list.h).
 *
 * Invariants: every op in a graph has a type from this enum; TFIT_OP_CUSTOM
 * and TFIT_OP_UNKNOWN keep their own name in tfit_op.custom_name. Descriptors
 * are static and never freed.
 */
#ifndef TINYFIT_OPS_H
#define TINYFIT_OPS_H

#include <stdint.h>

enum tfit_op_type {
#define TFIT_OP(id, name, code, keras, cost, analysis) TFIT_OP_##id,
#include "tinyfit/op_list.h"
#undef TFIT_OP
	TFIT_OP_COUNT
};

/* Cost-model buckets (issue: latency model). */
enum tfit_cost_class {
	TFIT_COST_NONE = 0,
	TFIT_COST_CONV,        /* standard convolution (1x1 is told apart by the kernel) */
	TFIT_COST_DEPTHWISE,
	TFIT_COST_FC,
	TFIT_COST_POOL,
	TFIT_COST_ELEMENTWISE,
	TFIT_COST_SOFTMAX,
	TFIT_COST_RECURRENT,
	TFIT_COST_DATA_MOVE,
	TFIT_COST_CLASS_COUNT
};

/* How an op's params/MACs/element ops are computed (src/model/op_analysis.c). */
enum tfit_analysis_kind {
	TFIT_ANALYSIS_NONE = 0,
	TFIT_ANALYSIS_CONV,
	TFIT_ANALYSIS_DWCONV,
	TFIT_ANALYSIS_TCONV,
	TFIT_ANALYSIS_FC,
	TFIT_ANALYSIS_BMM,
	TFIT_ANALYSIS_POOL,
	TFIT_ANALYSIS_ELEM,
	TFIT_ANALYSIS_REDUCE,
	TFIT_ANALYSIS_LSTM,
	TFIT_ANALYSIS_GRU,
	TFIT_ANALYSIS_RNN,
	TFIT_ANALYSIS_SVDF,
	TFIT_ANALYSIS_GATHER,
	TFIT_ANALYSIS_MOVE
};

struct tfit_op_desc {
	enum tfit_op_type type;
	const char *name;              /* "conv_2d" */
	int32_t tflite_code;           /* BuiltinOperator, -1 when none */
	const char *keras_class;       /* "Conv2D" or NULL */
	enum tfit_cost_class cost_class;
	enum tfit_analysis_kind analysis;
};

/* Descriptor for a type (never NULL for a valid type; UNKNOWN otherwise). */
const struct tfit_op_desc *tfit_op_desc(enum tfit_op_type type);

/* Type for a TFLite builtin code; TFIT_OP_UNKNOWN when tinyfit has no row. */
enum tfit_op_type tfit_op_from_tflite(int32_t builtin_code);

/* Type for a printed name ("conv_2d"); TFIT_OP_COUNT when none. */
enum tfit_op_type tfit_op_from_name(const char *name);

const char *tfit_cost_class_name(enum tfit_cost_class c);

#endif
