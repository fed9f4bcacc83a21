/*
 * tflite_ops.h - the .tflite reader's internal helpers (src/model/ only):
 * TFLite enums (TensorType, BuiltinOperator names), builtin options decoding
 * (tflite_ops.c) and the whole-model checks run after lowering
 * (tflite_check.c). Enum values are from TFLite's schema.fbs
 * (tensorflow/compiler/mlir/lite/schema/schema.fbs in tflite-micro
 * 90b983c2b3f1).
 */
#ifndef TINYFIT_TFLITE_OPS_H
#define TINYFIT_TFLITE_OPS_H

#include <stdint.h>

#include "model/flatbuf.h"
#include "tinyfit/graph.h"

/* BuiltinOperator codes the reader treats specially. */
#define TFL_OP_CALL 31
#define TFL_OP_CUSTOM 32
#define TFL_OP_IF 118
#define TFL_OP_WHILE 119
#define TFL_OP_CALL_ONCE 129
/* The highest BuiltinOperator value in the schema this reader knows. */
#define TFL_OP_MAX_KNOWN 209

/*
 * Lower-case schema name of a BuiltinOperator ("hashtable_lookup"), or NULL
 * when the code is not in the schema.
 */
const char *tfit_tfl_builtin_name(int32_t code);

/*
 * tinyfit dtype for a TensorType value. Returns 0, or -1 when tinyfit has no
 * such dtype; *name gets the schema's name when known ("INT2"), else NULL.
 */
int tfit_tfl_dtype(int32_t tensor_type, enum tfit_dtype *out, const char **name);

/*
 * Decode an Operator table's builtin_options for builtin code `code` into
 * opt (already initialised with tfit_op_options_init). Reads only the fields
 * the IR keeps; checks enum ranges and that strides, dilations and pooling
 * windows are positive. Errors name the path of the operator.
 */
enum tfit_status tfit_tfl_decode_options(struct fb_reader *r, const struct fb_table *op,
				    int32_t code, struct tfit_op_options *opt);

/*
 * Input and output counts of every operator of subgraph si, as TFLite
 * Micro's Prepare checks them (tflite_arity.c): TFIT_ERR_INPUT naming
 * subgraphs[si].operators[i].inputs or .outputs and the TFLM kernel file.
 */
enum tfit_status tfit_tfl_check_arity(const struct tfit_subgraph *sg, uint32_t si,
				 const char *file, struct tfit_error *err);

/*
 * Whole-model checks and facts after every subgraph is lowered: operator
 * arity (tfit_tfl_check_arity), operator order (no op reads a tensor that it or
 * a later op produces: no cycles; one producer per tensor),
 * control-flow subgraph indices and call cycles, the hybrid diagnosis, the
 * model dtype and LSTM/SVDF/RNN units from the tensors. Errors are
 * TFIT_ERR_INPUT with the file name and the operator's path.
 */
enum tfit_status tfit_tfl_check_model(struct tfit_model *m, const char *file,
				 struct tfit_error *err);

#endif
