/*
 * graph.h - tinyfit's one intermediate representation: a model is a list of
 * subgraphs of tensors and operators, shaped like a .tflite file. Every
 * reader (native JSON, Keras/TF.js JSON, .tflite) lowers into it; the
 * planner, cost model and reports only ever see this.
 *
 * Ownership: a struct tfit_model owns everything reachable from it (strings,
 * arrays, subgraphs); tfit_model_free() releases it all and is NULL-safe.
 * Builders copy the strings and index arrays they are given.
 *
 * Invariants after a reader returns TFIT_OK:
 *  - subgraph 0 is the main graph; it has at least one op and one input;
 *  - every tensor index in ops/inputs/outputs is -1 (an absent optional
 *    input) or in [0, n_tensors);
 *  - every tensor has rank <= TFIT_MAX_RANK and dims >= 0, and the product
 *    of its dims times its element size (tfit_tensor_bytes(), computed, not
 *    stored) has been checked to fit 64 bits;
 *  - ops are in execution order;
 *  - tfit_model_analyze() has filled every op's analysis fields and the
 *    model totals.
 */
#ifndef TINYFIT_GRAPH_H
#define TINYFIT_GRAPH_H

#include <stddef.h>
#include <stdint.h>

#include "tinyfit/error.h"
#include "tinyfit/ops.h"

#define TFIT_MAX_RANK 8

/* Element types. Values are tinyfit's own (not TFLite's TensorType). */
enum tfit_dtype {
	TFIT_DTYPE_UNKNOWN = 0,
	TFIT_DTYPE_FLOAT32,
	TFIT_DTYPE_FLOAT16,
	TFIT_DTYPE_BFLOAT16,
	TFIT_DTYPE_FLOAT64,
	TFIT_DTYPE_INT4,      /* packed two per byte */
	TFIT_DTYPE_INT8,
	TFIT_DTYPE_UINT8,
	TFIT_DTYPE_INT16,
	TFIT_DTYPE_UINT16,
	TFIT_DTYPE_INT32,
	TFIT_DTYPE_UINT32,
	TFIT_DTYPE_INT64,
	TFIT_DTYPE_UINT64,
	TFIT_DTYPE_BOOL,
	TFIT_DTYPE_STRING,
	TFIT_DTYPE_COMPLEX64,
	TFIT_DTYPE_COMPLEX128,
	TFIT_DTYPE_RESOURCE,
	TFIT_DTYPE_VARIANT,
	TFIT_DTYPE_COUNT
};

/* Bits per element by dtype (graph.c; read with tfit_dtype_bits()). */
extern const uint8_t tfit_dtype_bits_[TFIT_DTYPE_COUNT];

/* Bits per element (int4: 4, bool: 8, string/resource/variant/unknown:
 * 0). Inline: every tensor's bytes are computed from it
 * (tfit_tensor_bytes()). */
static inline unsigned tfit_dtype_bits(enum tfit_dtype t)
{
	return (unsigned)t < TFIT_DTYPE_COUNT ? tfit_dtype_bits_[t] : 0;
}
const char *tfit_dtype_name(enum tfit_dtype t); /* "float32", "int8", ... */
/* Parse a dtype name; returns TFIT_DTYPE_UNKNOWN if not recognised. */
enum tfit_dtype tfit_dtype_parse(const char *name);
/*
 * Bytes for n elements of t (int4 rounds up to whole bytes). Returns 0 and
 * stores the result, or -1 on overflow.
 */
int tfit_dtype_bytes(enum tfit_dtype t, uint64_t n, uint64_t *bytes);

enum tfit_padding { TFIT_PAD_SAME = 0, TFIT_PAD_VALID };

/* Fused activations (TFLite's ActivationFunctionType plus the Keras ones). */
enum tfit_activation {
	TFIT_ACT_NONE = 0,
	TFIT_ACT_RELU,
	TFIT_ACT_RELU_N1_TO_1,
	TFIT_ACT_RELU6,
	TFIT_ACT_TANH,
	TFIT_ACT_SIGN_BIT,
	TFIT_ACT_SIGMOID
};
const char *tfit_activation_name(enum tfit_activation a);

/* Tensor flags. */
#define TFIT_TENSOR_CONST    0x1u  /* data is in the model (weights, biases, shapes) */
#define TFIT_TENSOR_VARIABLE 0x2u  /* persistent state (LSTM/SVDF state, VAR_HANDLE) */
/*
 * Constant data stored outside the flatbuffer: after it in the same file
 * (Buffer.offset/size, models over 2 GB) or in another file
 * (Tensor.external_buffer). Set together with TFIT_TENSOR_CONST. TFLM looks
 * only at Buffer.data, so it would treat such a tensor as an activation.
 */
#define TFIT_TENSOR_DATA_OUTSIDE 0x4u
#define TFIT_TENSOR_SPARSE   0x8u  /* .tflite sparsity parameters: data_bytes is
				      the compressed size, bytes the dense one */
/* The flags above (what a reader or builder sets). */
#define TFIT_TENSOR_FLAGS    0xfu
/* graph.c: its data bytes equal its bytes (tfit_tensor_data_bytes()); set
 * only through tfit_tensor_set_data_bytes() */
#define TFIT_TENSOR_DATA_SAME_ 0x10u

/*
 * The numbers of a quantization, summarised for `tinyfit quant`
 * (docs/quantization.md). Only the .tflite reader knows them; they live
 * out of line (struct tfit_quant.values) because most tensors have none.
 */
struct tfit_quant_values {
	float scale_min, scale_max;         /* over the scale_count scales, as stored (float32) */
	float scale_first;                  /* scale[0] */
	uint32_t zero_point_nonzero;        /* how many zero points are not 0 */
	int64_t zero_point_min, zero_point_max; /* over the zero points (0 when none) */
	int64_t zero_point_first;           /* zero_point[0] */
	uint32_t scale_invalid;             /* scales that are <= 0, NaN or infinite */
};

struct tfit_quant {
	uint32_t scale_count;       /* 0: not quantized; 1: per tensor; >1: per channel */
	uint32_t zero_point_count;
	int32_t quantized_dimension;
	/* The numbers, summarised (owned by the tensor; tfit_tensor_set_quant_values()).
	 * NULL when they are not known: the JSON readers and a --dtype
	 * conversion know the scheme but not the numbers. */
	struct tfit_quant_values *values;
};

/* The numbers of q, or all zero when they are not known (q->values NULL). */
extern const struct tfit_quant_values tfit_quant_no_values;
static inline const struct tfit_quant_values *tfit_quant_nums(const struct tfit_quant *q)
{
	return q->values ? q->values : &tfit_quant_no_values;
}

/*
 * Dimensions kept inside struct tfit_tensor; a tensor of a higher rank
 * (up to TFIT_MAX_RANK) keeps them in an owned array instead. Almost every
 * tensor has rank 4 or less, and the IR's size is what bounds the memory
 * of a wide model (docs/limits.md).
 */
#define TFIT_INLINE_RANK 4

struct tfit_subgraph;

/*
 * What only some tensors have, out of line so that the others do not pay
 * for it: quantization (the .tflite reader, a quantized JSON layer, a
 * --dtype conversion), the offset of constant data in a .tflite file and an
 * offline arena offset. Records live in the tensor's subgraph's pool and
 * are set only through graph.c (tfit_tensor_set_quant_scheme(),
 * tfit_tensor_set_quant_values(), tfit_tensor_set_offline_offset(),
 * tfit_tensor_ext_mut()); read them with tfit_tensor_quant(),
 * tfit_tensor_data_offset() and tfit_tensor_offline_offset(), which give
 * the defaults when a tensor has none. A record that holds only a
 * quantization scheme (the JSON readers' "int8, per tensor", "int8, 16
 * channels on dimension 3") is shared by the tensors that have the same
 * one: one record for 60,000 tensors of a quantized 20,000-way fan-in.
 */
struct tfit_tensor_ext {
	struct tfit_quant quant;    /* scale_count 0: not quantized */
	uint64_t data_offset;       /* byte offset of the constant data in the file
				       (0 when none or outside the file; .tflite) */
	int64_t offline_offset;     /* arena offset from an offline plan; -1 = plan online */
	uint64_t data_bytes;        /* bytes of constant data in the file when they
				       are not the tensor's bytes (0 if none) */
	uint32_t shared_;           /* graph.c: a scheme-only record tensors share
				       (never written through a tensor) */
};

/* The defaults: not quantized, data offset 0, offline offset -1, no data. */
extern const struct tfit_tensor_ext tfit_tensor_ext_none;

/*
 * The largest dimension a tensor can have: a .tflite stores shapes as
 * int32 (TFLite schema Tensor.shape: [int]), so no deployable model has a
 * larger one. The readers reject one above it; tfit_subgraph_add_tensor()
 * does too (a shape the lowering computes).
 */
#define TFIT_DIM_MAX INT32_MAX

/*
 * A tensor. Its dimensions are read with tfit_dim() or
 * tfit_tensor_copy_dims() and set with tfit_tensor_set_shape() (never
 * through dims_ directly: where they live depends on the rank; they are
 * stored as int32 and read as int64); its element count and bytes are
 * computed from them and its dtype (tfit_tensor_elements(),
 * tfit_tensor_bytes()), and its data bytes from its bytes when equal
 * (tfit_tensor_data_bytes()). 40 bytes on LP64 (was 48 with its bytes
 * stored, 72 with int64 dimensions and data_bytes stored, 80 with the
 * element count, 128 with the quantization, data offset and offline
 * offset inline, and 208 before that; docs/limits.md).
 */
struct tfit_tensor {
	char *name;                 /* NULL when the file gives none */
	union {
		int32_t in[TFIT_INLINE_RANK]; /* rank <= TFIT_INLINE_RANK */
		int32_t *out;               /* rank > TFIT_INLINE_RANK: owned, rank entries */
	} dims_;                    /* int32 as in a .tflite (TFIT_DIM_MAX) */
	struct tfit_tensor_ext *ext_; /* NULL: the defaults (tfit_tensor_ext_none) */
	int32_t buffer;             /* .tflite buffer index; -1 for JSON readers */
	int8_t rank;                /* 0 to TFIT_MAX_RANK */
	uint8_t dtype;              /* enum tfit_dtype */
	uint8_t flags;              /* TFIT_TENSOR_* */
	uint8_t dynamic_dims;       /* bit i set: shape_signature[i] is -1, the size
				       of dim i is only known at run time (dims[i]
				       holds the file's placeholder, usually 1;
				       .tflite) */
};

/* The tensor's out-of-line fields, or the defaults when it has none. */
static inline const struct tfit_tensor_ext *tfit_tensor_ext(const struct tfit_tensor *t)
{
	return t->ext_ ? t->ext_ : &tfit_tensor_ext_none;
}

/* Its quantization (scale_count 0 when it has none). */
static inline const struct tfit_quant *tfit_tensor_quant(const struct tfit_tensor *t)
{
	return &tfit_tensor_ext(t)->quant;
}

static inline uint64_t tfit_tensor_data_offset(const struct tfit_tensor *t)
{
	return tfit_tensor_ext(t)->data_offset;
}

/* Its offline arena offset, -1 when it is planned online. */
static inline int64_t tfit_tensor_offline_offset(const struct tfit_tensor *t)
{
	return tfit_tensor_ext(t)->offline_offset;
}

/* Set them (one of sg's tensors; an out-of-line record is made only when
 * they are neither its bytes nor the record's). If its bytes change
 * later, data bytes that were equal to them follow. 0, or -1 on OOM (t
 * unchanged). */
int tfit_tensor_set_data_bytes(struct tfit_subgraph *sg, struct tfit_tensor *t, uint64_t v);

/*
 * The out-of-line fields of t (one of sg's tensors) to change them, its
 * own (made in sg's pool from what it has, or the defaults, when it has
 * none or shares one). NULL on OOM.
 */
struct tfit_tensor_ext *tfit_tensor_ext_mut(struct tfit_subgraph *sg, struct tfit_tensor *t);

/* Set t's quantization scheme (the numbers, if any, are kept; no record is
 * made for "not quantized"). 0, or -1 on OOM (t unchanged). */
int tfit_tensor_set_quant_scheme(struct tfit_subgraph *sg, struct tfit_tensor *t,
				 uint32_t scale_count, uint32_t zero_point_count,
				 int32_t quantized_dimension);

/* Set t's offline offset (-1: plan online; no record is made for it). 0,
 * or -1 on OOM (t unchanged). */
int tfit_tensor_set_offline_offset(struct tfit_subgraph *sg, struct tfit_tensor *t, int64_t off);

/* The tensor's rank dimensions as stored (read only; valid until its
 * shape is set again). */
static inline const int32_t *tfit_tensor_dims32(const struct tfit_tensor *t)
{
	return t->rank > TFIT_INLINE_RANK ? t->dims_.out : t->dims_.in;
}

/* Dimension i (0 <= i < rank). */
static inline int64_t tfit_dim(const struct tfit_tensor *t, int32_t i)
{
	return tfit_tensor_dims32(t)[i];
}

/*
 * Its element count: the product of its dimensions (1 for a scalar, 0
 * when one is 0). Not stored: tfit_tensor_check_bytes() (which every
 * tensor a builder adds or a dtype conversion changes goes through) has
 * checked that it fits 64 bits; it saturates, never wraps, for dimensions
 * changed in place and not checked since.
 */
static inline uint64_t tfit_tensor_elements(const struct tfit_tensor *t)
{
	const int32_t *d = tfit_tensor_dims32(t);
	uint64_t n = 1;
	int32_t i;
	for (i = 0; i < t->rank; i++)
		if (d[i] <= 0)
			return 0;
	for (i = 0; i < t->rank; i++)
		n = n > UINT64_MAX / (uint64_t)d[i] ? UINT64_MAX : n * (uint64_t)d[i];
	return n;
}

/*
 * Its bytes: its element count at its dtype's width, a sub-byte dtype
 * packed (int4: two elements a byte, the last byte whole), 0 for a dtype
 * of no fixed width (string, resource, variant, unknown); what
 * tfit_dtype_bytes() gives for its element count. Not stored (a 64-bit
 * field until issue #17): tfit_tensor_check_bytes() has checked that it
 * fits 64 bits, so it is exact; like the element count it saturates,
 * never wraps, for dimensions or a dtype changed in place and not checked
 * since.
 */
static inline uint64_t tfit_tensor_bytes(const struct tfit_tensor *t)
{
	uint64_t n = tfit_tensor_elements(t);
	unsigned bits = tfit_dtype_bits((enum tfit_dtype)t->dtype);
	if (bits % 8 == 0)
		return bits == 0 ? 0 : n > UINT64_MAX / (bits / 8) ? UINT64_MAX : n * (bits / 8);
	return n > (UINT64_MAX - 7) / bits ? UINT64_MAX : (n * bits + 7) / 8;
}

/* Bytes of constant data in the file (0 if none): its bytes, or what its
 * out-of-line record holds when they differ (a sparse or external tensor). */
static inline uint64_t tfit_tensor_data_bytes(const struct tfit_tensor *t)
{
	return (t->flags & TFIT_TENSOR_DATA_SAME_) ? tfit_tensor_bytes(t)
						  : tfit_tensor_ext(t)->data_bytes;
}

/* The same, to change dimensions in place (the rank stays; 0 to
 * TFIT_DIM_MAX each). */
static inline int32_t *tfit_tensor_dims_mut(struct tfit_tensor *t)
{
	return t->rank > TFIT_INLINE_RANK ? t->dims_.out : t->dims_.in;
}

/* Copy the dimensions into out, zero beyond the rank. */
static inline void tfit_tensor_copy_dims(const struct tfit_tensor *t, int64_t out[TFIT_MAX_RANK])
{
	const int32_t *d = tfit_tensor_dims32(t);
	int32_t i;
	for (i = 0; i < TFIT_MAX_RANK; i++)
		out[i] = i < t->rank ? d[i] : 0;
}

/*
 * Set the rank and dimensions (copied; rank 0 to TFIT_MAX_RANK, not
 * checked here) without checking the bytes they give
 * (tfit_tensor_check_bytes()). 0, or -1 on OOM or a dimension outside -1
 * to TFIT_DIM_MAX (the tensor unchanged).
 */
int tfit_tensor_set_shape(struct tfit_tensor *t, int32_t rank, const int64_t *dims);

/* Store a copy of the quantization numbers of t (one of sg's tensors;
 * NULL: none). 0, or -1 on OOM (the tensor unchanged). */
int tfit_tensor_set_quant_values(struct tfit_subgraph *sg, struct tfit_tensor *t,
				 const struct tfit_quant_values *v);

/* Free what a tensor owns (dimensions beyond the inline ones and
 * quantization numbers; its name and out-of-line record are in its
 * subgraph's pool) and clear its name and record; the struct itself is the
 * caller's. */
void tfit_tensor_release(struct tfit_tensor *t);

/* Operator options. Fields an op type does not use stay at their defaults. */
struct tfit_op_options {
	int32_t stride_h, stride_w;       /* default 1 */
	int32_t dilation_h, dilation_w;   /* default 1 */
	int32_t filter_h, filter_w;       /* pooling window; 0 if unused */
	int32_t depth_multiplier;         /* default 1 */
	enum tfit_padding padding;
	enum tfit_activation activation;  /* fused activation */
	int32_t axis;
	int32_t units;                    /* recurrent state size */
	int32_t rank;                     /* SVDF rank */
	int32_t time_major;
	int32_t reset_after;              /* GRU */
	int32_t subgraph[2];              /* IF then/else, WHILE cond/body, CALL_ONCE init; -1 */
	float alpha;                      /* leaky relu */
};

void tfit_op_options_init(struct tfit_op_options *o);

/* The options tfit_op_options_init() gives (what an op without options
 * points to). */
extern const struct tfit_op_options tfit_op_options_default;

/*
 * What only some ops have, out of line in the subgraph's pool: a .tflite
 * op's custom code and intermediates (tfit_op_set_tflite()), a JSON op's
 * framework params other than its deployed ones
 * (tfit_op_set_source_params_delta()); read with tfit_op_custom_name(),
 * tfit_op_intermediates() and tfit_op_source_params_delta().
 */
struct tfit_op_ext {
	char *custom_name;          /* custom op code, or the builtin's name for an
				       unknown builtin; NULL otherwise */
	int32_t *intermediates;     /* .tflite intermediates (LSTM) */
	int64_t source_params_delta;/* set by JSON readers: framework params minus
				       deployed params (a folded batch norm adds 4*C,
				       the bias the fold creates subtracts C); 0 for .tflite */
	uint32_t n_intermediates;
};

/*
 * An operator. inputs and outputs share one block in the subgraph's pool
 * (the outputs follow the inputs: tfit_op_outputs()), and name is in the
 * pool too: change the number of inputs only with tfit_op_set_inputs(). Its
 * options are read-only and shared: tfit_op_options_default, or one record
 * in the pool for the ops of a subgraph that have the same ones (every conv
 * of a model with stride 2 and 'same' padding). What can be had from the
 * other fields is not stored: the outputs (tfit_op_outputs()), the
 * deployed params and the weight bytes (tfit_op_params(),
 * tfit_op_weights_bytes(): sums over its constant inputs), the source
 * framework's params (tfit_op_source_params()) and the output bytes
 * (tfit_op_output_bytes()); its MACs and element ops share one field,
 * since an op has one or the other by its analysis kind (tfit_op_macs(),
 * tfit_op_elem_ops()); the framework's params other than the deployed
 * ones, which few ops have, are out of line (tfit_op_source_params_delta()).
 * 56 bytes on LP64 (was 80 with its params, element ops and weight bytes
 * stored, 88 with that delta inline, 112 with those three stored, 192
 * with the 68 bytes of options and the .tflite fields inline, 208 before;
 * docs/limits.md).
 */
struct tfit_op {
	char *name;                 /* layer name (JSON readers) or NULL */
	int32_t *inputs;            /* tensor indices; -1 = absent optional input;
				       then the n_outputs output indices */
	const struct tfit_op_options *opt; /* never NULL; set by tfit_subgraph_add_op() */
	const struct tfit_op_ext *ext_;    /* NULL: none (JSON readers) */

	/* Filled by tfit_model_analyze() (docs/op-conventions.md). */
	uint64_t work_;             /* its MACs if its analysis kind counts them,
				       else its element ops: read with
				       tfit_op_macs() and tfit_op_elem_ops() */

	int32_t tflite_code;        /* raw builtin code from the file; -1 otherwise */
	uint32_t n_inputs;
	uint32_t n_outputs;
	uint16_t type;              /* enum tfit_op_type */
	uint8_t cost_class;         /* enum tfit_cost_class; tfit_model_analyze() */
	uint8_t is_1x1;             /* conv with a 1x1 kernel, stride 1 (tfit_model_analyze()) */
};

/* The op's n_outputs output tensor indices (-1: absent), in the block of
 * its inputs, after them; NULL when it has none. */
static inline int32_t *tfit_op_outputs(const struct tfit_op *op)
{
	return op->n_outputs ? op->inputs + op->n_inputs : NULL;
}

/*
 * Whether ops of this type count multiply-accumulates (conv, depthwise,
 * transpose conv, fully connected, batch matmul, the recurrent ops, SVDF:
 * 1) or element ops (0; docs/op-conventions.md): an op has one or the
 * other, never both.
 */
int tfit_op_type_counts_macs(enum tfit_op_type type);

/* Its multiply-accumulates (0 for an op that counts element ops);
 * tfit_model_analyze() set them. */
static inline uint64_t tfit_op_macs(const struct tfit_op *op)
{
	return tfit_op_type_counts_macs((enum tfit_op_type)op->type) ? op->work_ : 0;
}

/* Its element operations (0 for an op that counts MACs). */
static inline uint64_t tfit_op_elem_ops(const struct tfit_op *op)
{
	return tfit_op_type_counts_macs((enum tfit_op_type)op->type) ? 0 : op->work_;
}

/*
 * The deployed params of op (one of sg's ops): the elements of its
 * constant inputs, except those of data-movement and reduction ops (their
 * configuration: reshape's shape, mean's axes), of ops without an
 * analysis (custom, control flow) and a transpose conv's output shape
 * (docs/op-conventions.md). Not stored: computed from its inputs in
 * O(n_inputs); tfit_model_analyze() has checked that the sum does not
 * overflow; it saturates if asked before that.
 */
uint64_t tfit_op_params(const struct tfit_subgraph *sg, const struct tfit_op *op);

/*
 * The bytes of op's constant inputs at their dtype (one of sg's ops; a
 * constant another op reads too counts here as well, the model's total
 * counts it once: docs/op-conventions.md). Not stored: computed in
 * O(n_inputs); tfit_model_analyze() has checked that the sum does not
 * overflow; it saturates if asked before that.
 */
uint64_t tfit_op_weights_bytes(const struct tfit_subgraph *sg, const struct tfit_op *op);

/*
 * The params as the source framework counts them (folded batch norm
 * included): tfit_op_params() + source_params_delta, 0 when the delta
 * takes away more than those. tfit_model_analyze() has checked that the
 * sum does not overflow; it saturates if asked before that.
 */
static inline int64_t tfit_op_source_params_delta(const struct tfit_op *op)
{
	return op->ext_ ? op->ext_->source_params_delta : 0;
}

uint64_t tfit_op_source_params(const struct tfit_subgraph *sg, const struct tfit_op *op);

/* Set the framework params minus the deployed ones of op (one of sg's
 * ops; a record is made only for a delta other than 0). 0, or -1 on OOM
 * (the op unchanged). */
int tfit_op_set_source_params_delta(struct tfit_subgraph *sg, struct tfit_op *op, int64_t delta);

/* Replace the options of op (one of sg's ops; copied, or shared with
 * another op's). 0, or -1 on OOM (the op unchanged). */
int tfit_op_set_options(struct tfit_subgraph *sg, struct tfit_op *op,
			const struct tfit_op_options *opt);

/* The custom op code or unknown builtin's name (.tflite), or NULL. */
static inline const char *tfit_op_custom_name(const struct tfit_op *op)
{
	return op->ext_ ? op->ext_->custom_name : NULL;
}

/* The .tflite intermediates (*n of them; NULL and 0 when none). */
static inline const int32_t *tfit_op_intermediates(const struct tfit_op *op, uint32_t *n)
{
	*n = op->ext_ ? op->ext_->n_intermediates : 0;
	return op->ext_ ? op->ext_->intermediates : NULL;
}

/* Set the .tflite-only fields of op (one of sg's ops; copied into sg's
 * pool; its source params delta is kept). 0, or -1 on OOM (the op
 * unchanged). */
int tfit_op_set_tflite(struct tfit_subgraph *sg, struct tfit_op *op, const char *custom_name,
		       const int32_t *intermediates, uint32_t n_intermediates);

/* A block of a pool (src/util/pool.c; opaque). */
struct tfit_pool_chunk;

/* How many of the last shared records (quantization schemes, op options)
 * a subgraph looks through before it makes a new one. */
#define TFIT_SHARED_SCHEMES 8

struct tfit_subgraph {
	char *name;
	struct tfit_tensor *tensors;
	uint32_t n_tensors, cap_tensors;
	struct tfit_op *ops;
	uint32_t n_ops, cap_ops;
	int32_t *inputs;
	uint32_t n_inputs;
	int32_t *outputs;
	uint32_t n_outputs;
	/*
	 * Where its tensors' and ops' names and its ops' input/output blocks
	 * live: a few large blocks owned by the subgraph and freed with it,
	 * instead of one malloc per name and per op (160,000 small blocks, a
	 * third of the IR's heap on a 20,000-way fan-in; docs/limits.md).
	 * Only graph.c's builders put anything there: a name or an index
	 * block is never freed or reallocated on its own.
	 */
	struct tfit_pool_chunk *pool;
	/* The last shared quantization records and op options made in the
	 * pool (graph.c). */
	struct tfit_tensor_ext *schemes_[TFIT_SHARED_SCHEMES];
	const struct tfit_op_options *options_[TFIT_SHARED_SCHEMES];
	uint32_t n_schemes_, n_options_;
	/* The last two names used in the pool (graph.c): a tensor or op
	 * given the same as one of them shares it (a layer's op and its output
	 * tensor, a chain of ADDs named after one layer). Names are
	 * read-only. */
	const char *names_[2];
	uint32_t n_names_;          /* the slot replaced next */
};

/*
 * The sum of the bytes of op's output tensors (op one of sg's ops; an
 * absent output, -1, counts 0). tfit_model_analyze() has checked that the
 * sum does not overflow; it saturates if asked before that. O(n_outputs).
 */
static inline uint64_t tfit_op_output_bytes(const struct tfit_subgraph *sg, const struct tfit_op *op)
{
	const int32_t *out = tfit_op_outputs(op);
	uint64_t sum = 0;
	uint32_t i;
	for (i = 0; i < op->n_outputs; i++)
		if (out[i] >= 0 && (uint32_t)out[i] < sg->n_tensors) {
			uint64_t b = tfit_tensor_bytes(&sg->tensors[out[i]]);
			sum = b > UINT64_MAX - sum ? UINT64_MAX : sum + b;
		}
	return sum;
}

enum tfit_model_format {
	TFIT_MODEL_FORMAT_NATIVE = 0,  /* tinyfit's own JSON */
	TFIT_MODEL_FORMAT_KERAS,       /* Keras model.to_json() */
	TFIT_MODEL_FORMAT_TFJS,        /* TensorFlow.js layers model.json */
	TFIT_MODEL_FORMAT_TFLITE,
	TFIT_MODEL_FORMAT_FLAGS        /* a bare model from --params/--macs */
};
const char *tfit_model_format_name(enum tfit_model_format f);

struct tfit_model {
	char *name;
	char *path;                       /* the file it came from, or NULL */
	enum tfit_model_format format;
	enum tfit_dtype dtype;            /* the model's (weight) dtype */
	struct tfit_subgraph *subgraphs;  /* [0] is the main graph */
	uint32_t n_subgraphs;
	uint64_t file_bytes;              /* size of the model file (0 if none) */
	int dtype_converted;              /* tfit_model_convert_dtype() changed the
					     dtypes: file_bytes no longer describes them */
	uint32_t tflite_version;          /* schema version, 0 if not .tflite */
	char *min_runtime_version;        /* .tflite metadata, or NULL */
	int has_offline_plan;             /* OfflineMemoryAllocation metadata present */

	/* Model-level facts set by readers that know them. */
	uint64_t framework_params;        /* params as the framework counts them
					     (Keras "Total params"); 0 = use the
					     sum of tfit_op_source_params() */

	/* Warnings for the user (the core never prints); owned strings. */
	char **warnings;
	uint32_t n_warnings;

	/* Totals over subgraph 0, filled by tfit_model_analyze(). */
	uint64_t params;                  /* as the source framework counts them */
	uint64_t deployed_params;
	uint64_t macs;
	uint64_t elem_ops;
	uint64_t weights_bytes;

	/* Appended for the .tflite reader (docs/tflite-reader.md). */
	int hybrid;                       /* float32 activations meet int8/uint8/int4
					     weights in a conv, depthwise, transpose
					     conv or fully connected op: TFLM rejects
					     it ("Hybrid models are not supported on
					     TFLite Micro") */
	int32_t hybrid_subgraph;          /* the first such op (valid when hybrid) */
	int32_t hybrid_op;
	uint32_t offline_plan_tensors;    /* entries in the OfflineMemoryAllocation
					     plan; when it differs from the tensor
					     count over all subgraphs the offsets are
					     not applied (TFLM fails AllocateTensors) */
	uint32_t tflite_buffers;          /* Model.buffers and Model.metadata entries */
	uint32_t tflite_metadata;         /* (what adding an offline plan grows by) */
	/* The .tflite's bytes when it was read whole into memory (standard
	 * input, a pipe: tfit_model_load_owned()), so that what needs them
	 * again (check's `tinyfit optimize` advice rewrites the file) does not
	 * read the input twice. Owned; NULL for a regular file (read in
	 * blocks, not kept: read again from path) and for a clone. */
	char *tflite_bytes;
	size_t tflite_len;
};

/* Allocate an empty model (one empty main subgraph). NULL on OOM. */
struct tfit_model *tfit_model_new(void);
void tfit_model_free(struct tfit_model *m);

/* A deep copy of m (NULL on OOM). */
struct tfit_model *tfit_model_clone(const struct tfit_model *m);

/* Add a subgraph; returns its index or -1 on OOM. */
int32_t tfit_model_add_subgraph(struct tfit_model *m, const char *name);

/* Duplicate and store a string field (NULL stays NULL). TFIT_OK, or
 * TFIT_ERR_NOMEM (*dst NULL). */
enum tfit_status tfit_strdup_to(char **dst, const char *src);

/* Add a formatted warning to the model. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
void tfit_model_warn(struct tfit_model *m, const char *fmt, ...);

/*
 * Add a tensor: copies name and dims, computes its bytes with checked
 * arithmetic. Returns the index, or -1 on overflow/OOM/bad rank (err filled:
 * TFIT_ERR_INPUT "tensor 'x' has NNN elements, over 2^64 bytes" etc.).
 * Negative dims are rejected.
 */
int32_t tfit_subgraph_add_tensor(struct tfit_subgraph *sg, const char *name,
				 enum tfit_dtype dtype, int32_t rank,
				 const int64_t *dims, uint32_t flags,
				 struct tfit_error *err);

/* Add an op (copies the index arrays). Returns its index or -1 on OOM. */
int32_t tfit_subgraph_add_op(struct tfit_subgraph *sg, enum tfit_op_type type,
			     const char *name, const int32_t *inputs, uint32_t n_inputs,
			     const int32_t *outputs, uint32_t n_outputs,
			     const struct tfit_op_options *opt);

/*
 * Give back the unused capacity of every subgraph's tensor and op arrays:
 * they grow by doubling, so a reader leaves up to twice what is used
 * (54 MiB of tensors for 31 MiB used on a 50,000-layer Keras model). The
 * loaders call it once a model is read; a failed shrink keeps the array.
 */
void tfit_model_trim(struct tfit_model *m);

/* Replace the inputs of op (one of sg's ops; copied into sg's pool, and
 * they may point into its current ones), its outputs kept. The old block
 * stays in the pool until the subgraph is freed. 0, or -1 on OOM (the op
 * unchanged). */
int tfit_op_set_inputs(struct tfit_subgraph *sg, struct tfit_op *op, const int32_t *inputs,
		       uint32_t n_inputs);

/*
 * What a model's IR holds on the heap, by its own accounting: blocks
 * (arrays at their capacity, pool blocks, owned dimension and quantization
 * number blocks, names of the model and its subgraphs, warnings) and their bytes as requested from malloc (its
 * per-block header not counted). For tests and measurements.
 */
struct tfit_model_heap {
	uint64_t blocks;
	uint64_t bytes;
	uint64_t pool_bytes;   /* of which in the subgraphs' pools */
};
void tfit_model_heap_count(const struct tfit_model *m, struct tfit_model_heap *out);

/* Set the subgraph's input/output lists (copied). 0 or -1 on OOM. */
int tfit_subgraph_set_io(struct tfit_subgraph *sg, const int32_t *inputs, uint32_t n_in,
			 const int32_t *outputs, uint32_t n_out);

/* Check that a tensor's element count and bytes (tfit_tensor_elements(),
 * tfit_tensor_bytes()) fit 64 bits, as every builder does when it sets a
 * shape or a dtype, so that computing them never saturates. 0, or -1 on
 * overflow or a negative dimension. */
int tfit_tensor_check_bytes(const struct tfit_tensor *t);

/* Format a shape as "1x49x10x1" ("scalar" for rank 0). */
char *tfit_shape_format(const struct tfit_tensor *t, char *buf, size_t buf_size);

/*
 * Per-op analysis: fills the MACs or element ops (work_), cost_class and
 * is_1x1 of every op of every subgraph (checking that tfit_op_params(),
 * tfit_op_source_params(), tfit_op_weights_bytes() and
 * tfit_op_output_bytes(), which are not stored, do not overflow),
 * and the model totals (over subgraph 0). Overflow is an input error naming
 * the op. Readers call it last; callers that change dtypes call it again.
 */
enum tfit_status tfit_model_analyze(struct tfit_model *m, struct tfit_error *err);

#endif
