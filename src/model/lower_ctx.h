/*
 * lower_ctx.h - state shared by lower.c (ordering, names, dtypes, fusing)
 * and lower_layers.c (one builder per layer type). Internal to src/model/.
 */
#ifndef TINYFIT_LOWER_CTX_H
#define TINYFIT_LOWER_CTX_H

#include "layer.h"

/* What a layer name resolves to while lowering: 16 bytes, one per layer
 * (was 32 with the name, unused, and a size_t count; issue #17). */
struct lower_value {
	int32_t tensor;        /* the tensor holding the layer's output */
	int32_t op;            /* the op that wrote it, -1 for graph inputs */
	uint32_t consumers;    /* layers reading it (stops at UINT32_MAX: only
				  "exactly 1" is asked) */
	uint8_t is_output;     /* a model output */
	uint8_t is_input;      /* an input layer: a model input */
};

/* One more layer reads v. */
static inline void tfit_lower_add_consumer(struct lower_value *v)
{
	if (v->consumers < UINT32_MAX)
		v->consumers++;
}

struct lower_ctx {
	const struct tfit_layer_list *list; /* its chunks are freed as lowered */
	const char *file;
	struct tfit_model *m;
	struct tfit_subgraph *sg;
	struct tfit_error *err;
	struct lower_value *values;   /* one per layer (index = layer index) */
	uint32_t *order;              /* execution order of layer indices */
	/* input k of layer i names layer input_idx[input_at[i] + k]: resolved
	 * once (lookups by name were O(layers) each, O(n^2) per model), in
	 * one block of 4-byte indices with order (issue #17; at most 2^30 - 1
	 * layers and 2^31 - 1 inputs, tfit_layers_lower checks) */
	uint32_t *input_at;           /* n_layers + 1 starts */
	uint32_t *input_idx;
	size_t *output_idx;           /* [i]: the layer list->outputs[i] names,
					 SIZE_MAX when none (an error set_outputs()
					 reports after the lowering, as before) */
	/* what the end of the lowering needs of the layers, taken before
	 * their records are freed: the declared params of zero-cost layers */
	uint64_t extra_params;
	int extra_overflow;
	/* the layer being lowered */
	const struct tfit_layer *layer;
	size_t layer_index;
};

/* Dtypes a layer deploys with. */
struct lower_dtypes {
	enum tfit_dtype act;     /* activations */
	enum tfit_dtype weight;  /* weights */
	enum tfit_dtype bias;    /* biases */
	int quantized;           /* integer model: quantization params present */
};

void tfit_lower_dtypes_for(const struct lower_ctx *c, const struct tfit_layer *layer,
		      struct lower_dtypes *dt);

/* Errors at the current layer: "file: layers[3].kernel: error: ..." */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 3, 4)))
#endif
enum tfit_status tfit_lower_fail(struct lower_ctx *c, const char *field, const char *fmt, ...);

/* Set the framework params minus the deployed ones of op (added to what
 * it has when add is set). 0, or -1 with an error set (OOM). */
int tfit_lower_params_delta(struct lower_ctx *c, int32_t op, int64_t delta, int add);

/* New activation tensor (per-tensor quantization when quantized). -1 on error. */
int32_t tfit_lower_act(struct lower_ctx *c, const char *name, enum tfit_dtype dt, int quantized,
		  int32_t rank, const int64_t *dims);
/* New constant tensor; qcount scales (0 = not quantized), qdim the channel axis. */
int32_t tfit_lower_const(struct lower_ctx *c, const char *suffix, enum tfit_dtype dt,
		    int32_t rank, const int64_t *dims, uint32_t qcount, int32_t qdim);
/* A 1-D int32 configuration constant (shapes, axes, paddings). */
int32_t tfit_lower_config(struct lower_ctx *c, const char *suffix, int64_t n);
/* Add an op for the current layer. -1 on OOM (err filled). */
int32_t tfit_lower_op(struct lower_ctx *c, enum tfit_op_type type, const int32_t *in, uint32_t n_in,
		 int32_t out, const struct tfit_op_options *opt);
/* Record the current layer's output. */
void tfit_lower_set_output(struct lower_ctx *c, int32_t tensor, int32_t op);
/*
 * The input tensor i of the current layer, converted to dtype dt when it has
 * another one (QUANTIZE/DEQUANTIZE ops as the converter inserts).
 */
int32_t tfit_lower_input(struct lower_ctx *c, size_t i, enum tfit_dtype dt, int quantized);
/* The layer index that input i of the current layer names. */
size_t tfit_lower_input_layer(const struct lower_ctx *c, size_t i);

/* Output size along one axis with TensorFlow's SAME/VALID rules; -1 when
 * the window does not fit (VALID) or a value is not positive. */
int64_t tfit_lower_conv_out(int64_t in, int64_t k, int64_t stride, int64_t dilation,
		       enum tfit_padding pad);

/* Apply the layer's own activation after op (fusing relu/relu6). Returns the
 * final tensor or -1. */
int32_t tfit_lower_activation(struct lower_ctx *c, int32_t op, int32_t tensor,
			 enum tfit_layer_act act, double alpha,
			 const struct lower_dtypes *dt);

/* The builders: lower the current layer (lower_layers.c dispatches). */
enum tfit_status tfit_lower_layer(struct lower_ctx *c);

/* ---- shared by the builders (lower_shape.c) ---- */

/* A copy of a tensor's shape (tensor pointers move when tensors are added). */
struct lower_shape {
	int32_t rank;
	int64_t d[TFIT_MAX_RANK];
};

/* Return the current error (or out-of-memory) when expr is negative. */
#define LOWER_TRY(expr) do { if ((expr) < 0) return c->err->code ? c->err->code : TFIT_ERR_NOMEM; } while (0)

void tfit_lower_shape_of(const struct lower_ctx *c, int32_t t, struct lower_shape *s);
/* "49x10x1": the shape without the batch dimension, as users write it. */
const char *tfit_lower_shape_str(const struct lower_shape *s, char *buf, size_t size);
/* A usage error unless s has rank (batch included); what names the axes. */
enum tfit_status tfit_lower_need_rank(struct lower_ctx *c, const struct lower_shape *s, int32_t rank,
				 const char *what);
/* New activation tensor named after the layer / "layer/suffix". */
int32_t tfit_lower_out_tensor(struct lower_ctx *c, const struct lower_dtypes *dt,
			 const struct lower_shape *s);
int32_t tfit_lower_named_tensor(struct lower_ctx *c, const char *suffix,
			   const struct lower_dtypes *dt, const struct lower_shape *s);
/* Fill s from a list of dims. */
void tfit_lower_mk(struct lower_shape *s, int32_t rank, const int64_t *d);
/* RESHAPE x to s (with an int32 shape constant); the output is named after
 * the layer when named_output, else "layer/suffix". -1 on error. */
int32_t tfit_lower_reshape_to(struct lower_ctx *c, int32_t x, const struct lower_shape *s,
			 const char *suffix, const struct lower_dtypes *dt, int named_output);
/* Apply the layer's own activation after op and record the output. */
enum tfit_status tfit_lower_finish(struct lower_ctx *c, int32_t op, int32_t t,
			      const struct lower_dtypes *dt);

/* Builders in lower_move.c and lower_recurrent.c. */
enum tfit_status tfit_lower_build_reshape(struct lower_ctx *c, const struct lower_dtypes *dt);
enum tfit_status tfit_lower_build_permute(struct lower_ctx *c, const struct lower_dtypes *dt);
enum tfit_status tfit_lower_build_pad_crop(struct lower_ctx *c, const struct lower_dtypes *dt);
enum tfit_status tfit_lower_build_upsampling(struct lower_ctx *c, const struct lower_dtypes *dt);
enum tfit_status tfit_lower_build_recurrent(struct lower_ctx *c, const struct lower_dtypes *dt);
enum tfit_status tfit_lower_build_embedding(struct lower_ctx *c, const struct lower_dtypes *dt);
enum tfit_status tfit_lower_build_reverse(struct lower_ctx *c, const struct lower_dtypes *dt);

#endif
