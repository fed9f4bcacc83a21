/*
 * tflite_ops.c - TFLite enums and builtin options for the .tflite reader
 * (see tflite_ops.h). Field numbers are the order of the fields in each
 * table of TFLite's schema.fbs (tflite-micro 90b983c2b3f1); a union takes two
 * slots (_type, value). Schema defaults apply to absent fields (flatbuffers
 * writers omit a field equal to its default, e.g. padding SAME = 0).
 */
#include "model/tflite_ops.h"

#include <stddef.h>
#include <stdio.h>

/* BuiltinOperator names, lower-cased from schema.fbs. */
static const char *const builtin_names[TFL_OP_MAX_KNOWN + 1] = {
	[0] = "add",
	[1] = "average_pool_2d",
	[2] = "concatenation",
	[3] = "conv_2d",
	[4] = "depthwise_conv_2d",
	[5] = "depth_to_space",
	[6] = "dequantize",
	[7] = "embedding_lookup",
	[8] = "floor",
	[9] = "fully_connected",
	[10] = "hashtable_lookup",
	[11] = "l2_normalization",
	[12] = "l2_pool_2d",
	[13] = "local_response_normalization",
	[14] = "logistic",
	[15] = "lsh_projection",
	[16] = "lstm",
	[17] = "max_pool_2d",
	[18] = "mul",
	[19] = "relu",
	[20] = "relu_n1_to_1",
	[21] = "relu6",
	[22] = "reshape",
	[23] = "resize_bilinear",
	[24] = "rnn",
	[25] = "softmax",
	[26] = "space_to_depth",
	[27] = "svdf",
	[28] = "tanh",
	[29] = "concat_embeddings",
	[30] = "skip_gram",
	[31] = "call",
	[32] = "custom",
	[33] = "embedding_lookup_sparse",
	[34] = "pad",
	[35] = "unidirectional_sequence_rnn",
	[36] = "gather",
	[37] = "batch_to_space_nd",
	[38] = "space_to_batch_nd",
	[39] = "transpose",
	[40] = "mean",
	[41] = "sub",
	[42] = "div",
	[43] = "squeeze",
	[44] = "unidirectional_sequence_lstm",
	[45] = "strided_slice",
	[46] = "bidirectional_sequence_rnn",
	[47] = "exp",
	[48] = "topk_v2",
	[49] = "split",
	[50] = "log_softmax",
	[51] = "delegate",
	[52] = "bidirectional_sequence_lstm",
	[53] = "cast",
	[54] = "prelu",
	[55] = "maximum",
	[56] = "arg_max",
	[57] = "minimum",
	[58] = "less",
	[59] = "neg",
	[60] = "padv2",
	[61] = "greater",
	[62] = "greater_equal",
	[63] = "less_equal",
	[64] = "select",
	[65] = "slice",
	[66] = "sin",
	[67] = "transpose_conv",
	[68] = "sparse_to_dense",
	[69] = "tile",
	[70] = "expand_dims",
	[71] = "equal",
	[72] = "not_equal",
	[73] = "log",
	[74] = "sum",
	[75] = "sqrt",
	[76] = "rsqrt",
	[77] = "shape",
	[78] = "pow",
	[79] = "arg_min",
	[80] = "fake_quant",
	[81] = "reduce_prod",
	[82] = "reduce_max",
	[83] = "pack",
	[84] = "logical_or",
	[85] = "one_hot",
	[86] = "logical_and",
	[87] = "logical_not",
	[88] = "unpack",
	[89] = "reduce_min",
	[90] = "floor_div",
	[91] = "reduce_any",
	[92] = "square",
	[93] = "zeros_like",
	[94] = "fill",
	[95] = "floor_mod",
	[96] = "range",
	[97] = "resize_nearest_neighbor",
	[98] = "leaky_relu",
	[99] = "squared_difference",
	[100] = "mirror_pad",
	[101] = "abs",
	[102] = "split_v",
	[103] = "unique",
	[104] = "ceil",
	[105] = "reverse_v2",
	[106] = "add_n",
	[107] = "gather_nd",
	[108] = "cos",
	[109] = "where",
	[110] = "rank",
	[111] = "elu",
	[112] = "reverse_sequence",
	[113] = "matrix_diag",
	[114] = "quantize",
	[115] = "matrix_set_diag",
	[116] = "round",
	[117] = "hard_swish",
	[118] = "if",
	[119] = "while",
	[120] = "non_max_suppression_v4",
	[121] = "non_max_suppression_v5",
	[122] = "scatter_nd",
	[123] = "select_v2",
	[124] = "densify",
	[125] = "segment_sum",
	[126] = "batch_matmul",
	[127] = "placeholder_for_greater_op_codes",
	[128] = "cumsum",
	[129] = "call_once",
	[130] = "broadcast_to",
	[131] = "rfft2d",
	[132] = "conv_3d",
	[133] = "imag",
	[134] = "real",
	[135] = "complex_abs",
	[136] = "hashtable",
	[137] = "hashtable_find",
	[138] = "hashtable_import",
	[139] = "hashtable_size",
	[140] = "reduce_all",
	[141] = "conv_3d_transpose",
	[142] = "var_handle",
	[143] = "read_variable",
	[144] = "assign_variable",
	[145] = "broadcast_args",
	[146] = "random_standard_normal",
	[147] = "bucketize",
	[148] = "random_uniform",
	[149] = "multinomial",
	[150] = "gelu",
	[151] = "dynamic_update_slice",
	[152] = "relu_0_to_1",
	[153] = "unsorted_segment_prod",
	[154] = "unsorted_segment_max",
	[155] = "unsorted_segment_sum",
	[156] = "atan2",
	[157] = "unsorted_segment_min",
	[158] = "sign",
	[159] = "bitcast",
	[160] = "bitwise_xor",
	[161] = "right_shift",
	[162] = "stablehlo_logistic",
	[163] = "stablehlo_add",
	[164] = "stablehlo_divide",
	[165] = "stablehlo_multiply",
	[166] = "stablehlo_maximum",
	[167] = "stablehlo_reshape",
	[168] = "stablehlo_clamp",
	[169] = "stablehlo_concatenate",
	[170] = "stablehlo_broadcast_in_dim",
	[171] = "stablehlo_convolution",
	[172] = "stablehlo_slice",
	[173] = "stablehlo_custom_call",
	[174] = "stablehlo_reduce",
	[175] = "stablehlo_abs",
	[176] = "stablehlo_and",
	[177] = "stablehlo_cosine",
	[178] = "stablehlo_exponential",
	[179] = "stablehlo_floor",
	[180] = "stablehlo_log",
	[181] = "stablehlo_minimum",
	[182] = "stablehlo_negate",
	[183] = "stablehlo_or",
	[184] = "stablehlo_power",
	[185] = "stablehlo_remainder",
	[186] = "stablehlo_rsqrt",
	[187] = "stablehlo_select",
	[188] = "stablehlo_subtract",
	[189] = "stablehlo_tanh",
	[190] = "stablehlo_scatter",
	[191] = "stablehlo_compare",
	[192] = "stablehlo_convert",
	[193] = "stablehlo_dynamic_slice",
	[194] = "stablehlo_dynamic_update_slice",
	[195] = "stablehlo_pad",
	[196] = "stablehlo_iota",
	[197] = "stablehlo_dot_general",
	[198] = "stablehlo_reduce_window",
	[199] = "stablehlo_sort",
	[200] = "stablehlo_while",
	[201] = "stablehlo_gather",
	[202] = "stablehlo_transpose",
	[203] = "dilate",
	[204] = "stablehlo_rng_bit_generator",
	[205] = "reduce_window",
	[206] = "stablehlo_composite",
	[207] = "stablehlo_shift_left",
	[208] = "stablehlo_cbrt",
	[209] = "stablehlo_case",
};

const char *tfit_tfl_builtin_name(int32_t code)
{
	if (code < 0 || code > TFL_OP_MAX_KNOWN)
		return NULL;
	return builtin_names[code];
}

/* TensorType (schema.fbs) -> tinyfit dtype; UNKNOWN: no tinyfit dtype. */
static const struct {
	const char *name;
	enum tfit_dtype dtype;
} tensor_types[] = {
	{ "FLOAT32", TFIT_DTYPE_FLOAT32 },     /* 0 */
	{ "FLOAT16", TFIT_DTYPE_FLOAT16 },
	{ "INT32", TFIT_DTYPE_INT32 },
	{ "UINT8", TFIT_DTYPE_UINT8 },
	{ "INT64", TFIT_DTYPE_INT64 },
	{ "STRING", TFIT_DTYPE_STRING },       /* 5 */
	{ "BOOL", TFIT_DTYPE_BOOL },
	{ "INT16", TFIT_DTYPE_INT16 },
	{ "COMPLEX64", TFIT_DTYPE_COMPLEX64 },
	{ "INT8", TFIT_DTYPE_INT8 },
	{ "FLOAT64", TFIT_DTYPE_FLOAT64 },     /* 10 */
	{ "COMPLEX128", TFIT_DTYPE_COMPLEX128 },
	{ "UINT64", TFIT_DTYPE_UINT64 },
	{ "RESOURCE", TFIT_DTYPE_RESOURCE },
	{ "VARIANT", TFIT_DTYPE_VARIANT },
	{ "UINT32", TFIT_DTYPE_UINT32 },       /* 15 */
	{ "UINT16", TFIT_DTYPE_UINT16 },
	{ "INT4", TFIT_DTYPE_INT4 },
	{ "BFLOAT16", TFIT_DTYPE_BFLOAT16 },
	{ "INT2", TFIT_DTYPE_UNKNOWN },
	{ "UINT4", TFIT_DTYPE_UNKNOWN },       /* 20 */
	{ "FLOAT8_E4M3FN", TFIT_DTYPE_UNKNOWN },
	{ "FLOAT8_E5M2", TFIT_DTYPE_UNKNOWN },
};

int tfit_tfl_dtype(int32_t tensor_type, enum tfit_dtype *out, const char **name)
{
	*out = TFIT_DTYPE_UNKNOWN;
	*name = NULL;
	if (tensor_type < 0 ||
	    (size_t)tensor_type >= sizeof(tensor_types) / sizeof(tensor_types[0]))
		return -1;
	*name = tensor_types[tensor_type].name;
	*out = tensor_types[tensor_type].dtype;
	return *out == TFIT_DTYPE_UNKNOWN ? -1 : 0;
}

/* BuiltinOptions union tags (1-based position in the union) the IR uses. */
enum {
	OPT_CONV2D = 1, OPT_DEPTHWISE = 2, OPT_POOL2D = 5, OPT_SVDF = 6,
	OPT_RNN = 7, OPT_FULLY_CONNECTED = 8, OPT_CONCATENATION = 10, OPT_ADD = 11,
	OPT_LSTM = 14, OPT_CALL = 16, OPT_MUL = 21, OPT_GATHER = 23, OPT_SUB = 28,
	OPT_DIV = 29, OPT_SEQUENCE_RNN = 31, OPT_TRANSPOSE_CONV = 49, OPT_PACK = 59,
	OPT_ONE_HOT = 61, OPT_UNPACK = 64, OPT_BIDI_LSTM = 69, OPT_BIDI_RNN = 70,
	OPT_UNI_LSTM = 71, OPT_LEAKY_RELU = 75, OPT_IF = 92, OPT_WHILE = 93,
	OPT_CALL_ONCE = 103, OPT_CONV3D = 106
};

/* Which builtin codes may carry each decoded options table. */
static const struct {
	uint8_t tag;
	const char *name;
	int32_t codes[3];     /* -1 terminated when shorter */
} option_users[] = {
	{ OPT_CONV2D, "Conv2DOptions", { 3, -1, -1 } },
	{ OPT_DEPTHWISE, "DepthwiseConv2DOptions", { 4, -1, -1 } },
	{ OPT_POOL2D, "Pool2DOptions", { 1, 17, 12 } },
	{ OPT_SVDF, "SVDFOptions", { 27, -1, -1 } },
	{ OPT_RNN, "RNNOptions", { 24, -1, -1 } },
	{ OPT_FULLY_CONNECTED, "FullyConnectedOptions", { 9, -1, -1 } },
	{ OPT_CONCATENATION, "ConcatenationOptions", { 2, -1, -1 } },
	{ OPT_ADD, "AddOptions", { 0, -1, -1 } },
	{ OPT_LSTM, "LSTMOptions", { 16, -1, -1 } },
	{ OPT_CALL, "CallOptions", { TFL_OP_CALL, -1, -1 } },
	{ OPT_MUL, "MulOptions", { 18, -1, -1 } },
	{ OPT_GATHER, "GatherOptions", { 36, -1, -1 } },
	{ OPT_SUB, "SubOptions", { 41, -1, -1 } },
	{ OPT_DIV, "DivOptions", { 42, -1, -1 } },
	{ OPT_SEQUENCE_RNN, "SequenceRNNOptions", { 35, -1, -1 } },
	{ OPT_TRANSPOSE_CONV, "TransposeConvOptions", { 67, -1, -1 } },
	{ OPT_PACK, "PackOptions", { 83, -1, -1 } },
	{ OPT_ONE_HOT, "OneHotOptions", { 85, -1, -1 } },
	{ OPT_UNPACK, "UnpackOptions", { 88, -1, -1 } },
	{ OPT_BIDI_LSTM, "BidirectionalSequenceLSTMOptions", { 52, -1, -1 } },
	{ OPT_BIDI_RNN, "BidirectionalSequenceRNNOptions", { 46, -1, -1 } },
	{ OPT_UNI_LSTM, "UnidirectionalSequenceLSTMOptions", { 44, -1, -1 } },
	{ OPT_LEAKY_RELU, "LeakyReluOptions", { 98, -1, -1 } },
	{ OPT_IF, "IfOptions", { TFL_OP_IF, -1, -1 } },
	{ OPT_WHILE, "WhileOptions", { TFL_OP_WHILE, -1, -1 } },
	{ OPT_CALL_ONCE, "CallOnceOptions", { TFL_OP_CALL_ONCE, -1, -1 } },
	{ OPT_CONV3D, "Conv3DOptions", { 132, 141, -1 } },
};

#define OPT_FIELD "builtin_options"

static enum tfit_status get_padding(struct fb_reader *r, const struct fb_table *t,
				    unsigned field, struct tfit_op_options *opt)
{
	int8_t v;
	enum tfit_status rc = tfit_fb_i8(r, t, field, OPT_FIELD ".padding", 0, &v);
	if (rc != TFIT_OK)
		return rc;
	if (v != 0 && v != 1)
		return tfit_fb_fail(r, OPT_FIELD ".padding", "padding %d is not a Padding "
			       "value (0 SAME, 1 VALID)", v);
	opt->padding = v == 0 ? TFIT_PAD_SAME : TFIT_PAD_VALID;
	return TFIT_OK;
}

static enum tfit_status get_activation(struct fb_reader *r, const struct fb_table *t,
				       unsigned field, struct tfit_op_options *opt)
{
	/* ActivationFunctionType NONE..SIGN_BIT (0..5) map in order onto
	 * TFIT_ACT_NONE..TFIT_ACT_SIGN_BIT. */
	static const enum tfit_activation acts[] = {
		TFIT_ACT_NONE, TFIT_ACT_RELU, TFIT_ACT_RELU_N1_TO_1,
		TFIT_ACT_RELU6, TFIT_ACT_TANH, TFIT_ACT_SIGN_BIT
	};
	int8_t v;
	enum tfit_status rc = tfit_fb_i8(r, t, field, OPT_FIELD ".fused_activation_function",
				    0, &v);
	if (rc != TFIT_OK)
		return rc;
	if (v < 0 || v > 5)
		return tfit_fb_fail(r, OPT_FIELD ".fused_activation_function",
			       "fused activation %d is not an ActivationFunctionType "
			       "(0 to 5)", v);
	opt->activation = acts[v];
	return TFIT_OK;
}

/* A positive int32 field (stride, dilation, window). */
static enum tfit_status get_positive(struct fb_reader *r, const struct fb_table *t,
				     unsigned field, const char *name, int32_t def,
				     int32_t *out)
{
	char path[64];
	enum tfit_status rc;
	int32_t v;
	int n = snprintf(path, sizeof(path), OPT_FIELD ".%s", name);
	(void)n;
	rc = tfit_fb_i32(r, t, field, path, def, &v);
	if (rc != TFIT_OK)
		return rc;
	if (v <= 0)
		return tfit_fb_fail(r, path, "%s is %d (expected a positive number)", name, v);
	*out = v;
	return TFIT_OK;
}

static enum tfit_status get_i32(struct fb_reader *r, const struct fb_table *t,
				unsigned field, const char *path, int32_t def, int32_t *out)
{
	return tfit_fb_i32(r, t, field, path, def, out);
}

/* Conv2D: padding, stride_w, stride_h, act, dilation_w, dilation_h. */
static enum tfit_status conv2d(struct fb_reader *r, const struct fb_table *t,
			       struct tfit_op_options *o)
{
	enum tfit_status rc;
	if ((rc = get_padding(r, t, 0, o)) || (rc = get_positive(r, t, 1, "stride_w", 0, &o->stride_w)) ||
	    (rc = get_positive(r, t, 2, "stride_h", 0, &o->stride_h)) ||
	    (rc = get_activation(r, t, 3, o)) ||
	    (rc = get_positive(r, t, 4, "dilation_w_factor", 1, &o->dilation_w)) ||
	    (rc = get_positive(r, t, 5, "dilation_h_factor", 1, &o->dilation_h)))
		return rc;
	return TFIT_OK;
}

/* DepthwiseConv2D: padding, stride_w, stride_h, depth_multiplier, act,
 * dilation_w, dilation_h. depth_multiplier is kept as written (converters
 * after TF 2.0 may write 0; kernels derive it from the tensors). */
static enum tfit_status depthwise(struct fb_reader *r, const struct fb_table *t,
				  struct tfit_op_options *o)
{
	enum tfit_status rc;
	if ((rc = get_padding(r, t, 0, o)) || (rc = get_positive(r, t, 1, "stride_w", 0, &o->stride_w)) ||
	    (rc = get_positive(r, t, 2, "stride_h", 0, &o->stride_h)) ||
	    (rc = get_i32(r, t, 3, OPT_FIELD ".depth_multiplier", 0, &o->depth_multiplier)) ||
	    (rc = get_activation(r, t, 4, o)) ||
	    (rc = get_positive(r, t, 5, "dilation_w_factor", 1, &o->dilation_w)) ||
	    (rc = get_positive(r, t, 6, "dilation_h_factor", 1, &o->dilation_h)))
		return rc;
	if (o->depth_multiplier < 0)
		return tfit_fb_fail(r, OPT_FIELD ".depth_multiplier", "depth multiplier %d is "
			       "negative", o->depth_multiplier);
	return TFIT_OK;
}

/* Pool2D: padding, stride_w, stride_h, filter_width, filter_height, act. */
static enum tfit_status pool2d(struct fb_reader *r, const struct fb_table *t,
			       struct tfit_op_options *o)
{
	enum tfit_status rc;
	if ((rc = get_padding(r, t, 0, o)) || (rc = get_positive(r, t, 1, "stride_w", 0, &o->stride_w)) ||
	    (rc = get_positive(r, t, 2, "stride_h", 0, &o->stride_h)) ||
	    (rc = get_positive(r, t, 3, "filter_width", 0, &o->filter_w)) ||
	    (rc = get_positive(r, t, 4, "filter_height", 0, &o->filter_h)) ||
	    (rc = get_activation(r, t, 5, o)))
		return rc;
	return TFIT_OK;
}

/* TransposeConv: padding, stride_w, stride_h, act. */
static enum tfit_status transpose_conv(struct fb_reader *r, const struct fb_table *t,
				       struct tfit_op_options *o)
{
	enum tfit_status rc;
	if ((rc = get_padding(r, t, 0, o)) || (rc = get_positive(r, t, 1, "stride_w", 0, &o->stride_w)) ||
	    (rc = get_positive(r, t, 2, "stride_h", 0, &o->stride_h)) ||
	    (rc = get_activation(r, t, 3, o)))
		return rc;
	return TFIT_OK;
}

/* Conv3D: padding, stride_d, stride_w, stride_h, act, dilation_d, _w, _h.
 * The IR keeps the spatial (h, w) strides and dilations. */
static enum tfit_status conv3d(struct fb_reader *r, const struct fb_table *t,
			       struct tfit_op_options *o)
{
	enum tfit_status rc;
	int32_t d;
	if ((rc = get_padding(r, t, 0, o)) || (rc = get_positive(r, t, 1, "stride_d", 0, &d)) ||
	    (rc = get_positive(r, t, 2, "stride_w", 0, &o->stride_w)) ||
	    (rc = get_positive(r, t, 3, "stride_h", 0, &o->stride_h)) ||
	    (rc = get_activation(r, t, 4, o)) ||
	    (rc = get_positive(r, t, 5, "dilation_d_factor", 1, &d)) ||
	    (rc = get_positive(r, t, 6, "dilation_w_factor", 1, &o->dilation_w)) ||
	    (rc = get_positive(r, t, 7, "dilation_h_factor", 1, &o->dilation_h)))
		return rc;
	return TFIT_OK;
}

/* Decode the options table of union tag `tag`. */
static enum tfit_status decode(struct fb_reader *r, const struct fb_table *t, uint8_t tag,
			       struct tfit_op_options *o)
{
	enum tfit_status rc = TFIT_OK;
	int b;
	switch (tag) {
	case OPT_CONV2D:
		return conv2d(r, t, o);
	case OPT_DEPTHWISE:
		return depthwise(r, t, o);
	case OPT_POOL2D:
		return pool2d(r, t, o);
	case OPT_TRANSPOSE_CONV:
		return transpose_conv(r, t, o);
	case OPT_CONV3D:
		return conv3d(r, t, o);
	case OPT_SVDF: /* rank, act */
		if ((rc = get_positive(r, t, 0, "rank", 0, &o->rank)))
			return rc;
		return get_activation(r, t, 1, o);
	case OPT_RNN:               /* act */
	case OPT_FULLY_CONNECTED:   /* act, weights_format, keep_num_dims, ... */
	case OPT_ADD:               /* act, pot_scale_int16 */
	case OPT_MUL:
	case OPT_SUB:
	case OPT_DIV:
	case OPT_LSTM:              /* act, cell_clip, proj_clip, kernel_type */
		return get_activation(r, t, 0, o);
	case OPT_CONCATENATION: /* axis, act */
		if ((rc = get_i32(r, t, 0, OPT_FIELD ".axis", 0, &o->axis)))
			return rc;
		return get_activation(r, t, 1, o);
	case OPT_GATHER: /* axis, batch_dims */
	case OPT_ONE_HOT: /* axis */
		return get_i32(r, t, 0, OPT_FIELD ".axis", 0, &o->axis);
	case OPT_PACK: /* values_count, axis */
	case OPT_UNPACK: /* num, axis */
		return get_i32(r, t, 1, OPT_FIELD ".axis", 0, &o->axis);
	case OPT_SEQUENCE_RNN: /* time_major, act */
	case OPT_BIDI_RNN:
		if ((rc = tfit_fb_bool(r, t, 0, OPT_FIELD ".time_major", 0, &b)))
			return rc;
		o->time_major = b;
		return get_activation(r, t, 1, o);
	case OPT_UNI_LSTM: /* act, cell_clip, proj_clip, time_major */
		if ((rc = get_activation(r, t, 0, o)) ||
		    (rc = tfit_fb_bool(r, t, 3, OPT_FIELD ".time_major", 0, &b)))
			return rc;
		o->time_major = b;
		return TFIT_OK;
	case OPT_BIDI_LSTM: /* act, cell_clip, proj_clip, merge_outputs, time_major = true */
		if ((rc = get_activation(r, t, 0, o)) ||
		    (rc = tfit_fb_bool(r, t, 4, OPT_FIELD ".time_major", 1, &b)))
			return rc;
		o->time_major = b;
		return TFIT_OK;
	case OPT_LEAKY_RELU: /* alpha */
		return tfit_fb_f32(r, t, 0, OPT_FIELD ".alpha", 0.0f, &o->alpha);
	case OPT_IF: /* then_subgraph_index, else_subgraph_index */
	case OPT_WHILE: /* cond_subgraph_index, body_subgraph_index */
		if ((rc = get_i32(r, t, 0, OPT_FIELD ".subgraph_index", 0, &o->subgraph[0])))
			return rc;
		return get_i32(r, t, 1, OPT_FIELD ".subgraph_index", 0, &o->subgraph[1]);
	case OPT_CALL_ONCE: /* init_subgraph_index */
		return get_i32(r, t, 0, OPT_FIELD ".init_subgraph_index", 0, &o->subgraph[0]);
	case OPT_CALL: { /* subgraph: uint */
		uint32_t s;
		if ((rc = tfit_fb_u32(r, t, 0, OPT_FIELD ".subgraph", 0, &s)))
			return rc;
		if (s > INT32_MAX)
			return tfit_fb_fail(r, OPT_FIELD ".subgraph", "subgraph index %lu is out "
				       "of range", (unsigned long)s);
		o->subgraph[0] = (int32_t)s;
		return TFIT_OK;
	}
	default:
		return TFIT_OK;
	}
}

enum tfit_status tfit_tfl_decode_options(struct fb_reader *r, const struct fb_table *op,
				    int32_t code, struct tfit_op_options *opt)
{
	/* Operator fields: 3 builtin_options_type, 4 builtin_options. */
	struct fb_table t;
	enum tfit_status rc;
	uint8_t tag;
	int present, k;
	size_t i, row = SIZE_MAX;

	if ((rc = tfit_fb_u8(r, op, 3, "builtin_options_type", 0, &tag)) != TFIT_OK)
		return rc;
	if (tag == 0)
		return TFIT_OK;
	for (i = 0; i < sizeof(option_users) / sizeof(option_users[0]); i++)
		if (option_users[i].tag == tag)
			row = i;
	if (row == SIZE_MAX)
		return TFIT_OK; /* options the IR does not keep */
	for (k = 0; k < 3; k++)
		if (option_users[row].codes[k] == code)
			break;
	if (k == 3) {
		const char *nm = tfit_tfl_builtin_name(code);
		return tfit_fb_fail(r, "builtin_options_type", "operator %s (builtin %ld) carries "
			       "%s (union type %u), which belongs to another operator",
			       nm ? nm : "?", (long)code, option_users[row].name,
			       (unsigned)tag);
	}
	if ((rc = tfit_fb_table_field(r, op, 4, OPT_FIELD, option_users[row].name, &t,
				 &present)) != TFIT_OK)
		return rc;
	if (!present)
		return tfit_fb_fail(r, OPT_FIELD, "builtin_options_type is %s (%u) but the "
			       "options table is missing", option_users[row].name,
			       (unsigned)tag);
	return decode(r, &t, tag, opt);
}
