/*
 * layer.h - the layer list that the JSON readers (native and Keras/TF.js)
 * produce and the lowering (lower.c) turns into the IR. Internal to
 * src/model/.
 *
 * A layer is what the user wrote (Keras-like: conv2d with an activation and
 * a following batch_normalization); the IR is what TFLite would deploy
 * (one CONV_2D op with the batch norm folded in and the ReLU fused).
 *
 * Ownership: struct tfit_layer_list owns every layer and string in it (the
 * strings in its pool); tfit_layer_list_release frees them.
 */
#ifndef TINYFIT_LAYER_H
#define TINYFIT_LAYER_H

#include <stddef.h>
#include <stdint.h>

#include "tinyfit/error.h"
#include "tinyfit/graph.h"

/* Layer types: one row each in tfit_layer_types[] (layer.c). */
enum tfit_layer_type {
	TFIT_LAYER_INPUT = 0,
	TFIT_LAYER_CONV1D,
	TFIT_LAYER_CONV2D,
	TFIT_LAYER_DEPTHWISE_CONV2D,
	TFIT_LAYER_SEPARABLE_CONV2D,
	TFIT_LAYER_CONV2D_TRANSPOSE,
	TFIT_LAYER_DENSE,
	TFIT_LAYER_MAX_POOL1D,
	TFIT_LAYER_AVG_POOL1D,
	TFIT_LAYER_MAX_POOL2D,
	TFIT_LAYER_AVG_POOL2D,
	TFIT_LAYER_GLOBAL_AVG_POOL1D,
	TFIT_LAYER_GLOBAL_MAX_POOL1D,
	TFIT_LAYER_GLOBAL_AVG_POOL2D,
	TFIT_LAYER_GLOBAL_MAX_POOL2D,
	TFIT_LAYER_FLATTEN,
	TFIT_LAYER_RESHAPE,
	TFIT_LAYER_ADD,
	TFIT_LAYER_SUBTRACT,
	TFIT_LAYER_MULTIPLY,
	TFIT_LAYER_MAXIMUM,
	TFIT_LAYER_MINIMUM,
	TFIT_LAYER_AVERAGE,
	TFIT_LAYER_CONCATENATE,
	TFIT_LAYER_BATCH_NORMALIZATION,
	TFIT_LAYER_ACTIVATION,
	TFIT_LAYER_DROPOUT,
	TFIT_LAYER_ZERO_PADDING1D,
	TFIT_LAYER_ZERO_PADDING2D,
	TFIT_LAYER_UPSAMPLING2D,
	TFIT_LAYER_LSTM,
	TFIT_LAYER_GRU,
	TFIT_LAYER_SIMPLE_RNN,
	TFIT_LAYER_EMBEDDING,
	TFIT_LAYER_RESCALING,       /* x*scale+offset: an element op */
	TFIT_LAYER_NORMALIZATION,   /* (x-mean)/sqrt(var): an element op */
	TFIT_LAYER_PERMUTE,
	TFIT_LAYER_CROPPING2D,
	TFIT_LAYER_IDENTITY,        /* no-op layers the converter drops */
	/* Appended for the Keras/TF.js reader (docs/keras.md), not part of
	 * the native format (TFIT_LAYER_FIRST_READER_ONLY). */
	TFIT_LAYER_PRELU,           /* max(x, 0) + alpha * min(x, 0), learned alpha */
	TFIT_LAYER_REVERSE,         /* REVERSE_V2 along axis (Bidirectional's backward pass) */
	TFIT_LAYER_TYPE_COUNT
};

/* Activation functions a layer may carry or an activation layer may be. */
enum tfit_layer_act {
	TFIT_LACT_LINEAR = 0,
	TFIT_LACT_RELU,
	TFIT_LACT_RELU6,
	TFIT_LACT_SIGMOID,
	TFIT_LACT_HARD_SIGMOID,
	TFIT_LACT_TANH,
	TFIT_LACT_SOFTMAX,
	TFIT_LACT_HARD_SWISH,
	TFIT_LACT_LEAKY_RELU,
	TFIT_LACT_ELU,
	TFIT_LACT_GELU,
	TFIT_LACT_SWISH,
	TFIT_LACT_EXP,
	TFIT_LACT_COUNT
};

struct tfit_layer_type_desc {
	const char *name;    /* native format name: "conv2d" */
	int min_inputs;      /* 0 for input layers */
	int max_inputs;      /* -1 = any number */
};

/* Types from here on are made by the Keras/TF.js reader only; the native
 * format's type names do not include them. */
#define TFIT_LAYER_FIRST_READER_ONLY TFIT_LAYER_PRELU

extern const struct tfit_layer_type_desc tfit_layer_types[TFIT_LAYER_TYPE_COUNT];

/* Lookups; return -1 when unknown (type lookups skip the reader-only types). */
int tfit_layer_type_parse(const char *name, enum tfit_layer_type *out);
int tfit_layer_act_parse(const char *name, enum tfit_layer_act *out);
const char *tfit_layer_act_name(enum tfit_layer_act a);
/* "input, conv1d, conv2d, ..." for error messages. */
const char *tfit_layer_type_list(void);
const char *tfit_layer_act_list(void);

/*
 * A layer: a header every layer has, then a union of the fields of one
 * group of types (tfit_layer_list_add() fills the defaults of the group its
 * type belongs to, so a reader or the lowering may touch only the fields
 * of its layer's group). The enums and flags are bytes. On LP64: 144 bytes
 * (the header 64, the union 80: the conv/pool group's ten int64); it was
 * 368 with every field side by side and 456 before that. A 50,000-layer
 * model's list is alive, whole, at the end of the reading and beside its
 * IR while it is lowered (issue #17, docs/limits.md).
 *
 * The sizes stay int64: the readers bound them at 2^40 (DIM_MAX in
 * native_reader.c, keras_*.c), and a window over 2^31 - 1 is a lowering
 * error of its own (lower_layers.c conv_out2). The path stays a string
 * (in the list's pool): a Keras layer's path ("config.layers[2].config.
 * layers[5]", "...config.layer" of a wrapper) is not made from an index.
 */
struct tfit_layer {
	char *name;
	char **inputs;              /* names of producing layers or model inputs */
	size_t n_inputs;
	char *path;                 /* JSON path for errors: "layers[3]" */
	char *class_name;           /* the source class for messages */
	/* Appended for the Keras/TF.js reader (docs/keras.md). */
	char *weights_from;         /* a shared layer's later application: the layer
				       whose weights it uses ("dense" for "dense@1");
				       NULL = its own. Its constants are named after it. */
	double alpha;               /* leaky relu: an activation layer's, or a
				       fused activation's (default 0.3, Keras') */
	uint8_t type;               /* enum tfit_layer_type */
	uint8_t dtype;              /* enum tfit_dtype: per-layer override;
				       UNKNOWN = model default */
	uint8_t activation;         /* enum tfit_layer_act, fused or the layer's own */
	uint8_t padding;            /* enum tfit_padding (conv, pool) */
	uint8_t use_bias;           /* conv, dense, rnn */
	/* A layer tinyfit cannot model, kept with zero cost (--skip-unknown):
	 * an identity layer with declared_params. */
	uint8_t zero_cost;
	uint8_t shared;             /* its weights serve several applications: the
				       lowering makes them one set of constant
				       tensors and counts their framework params once */
	uint8_t inputs_exact_;      /* inputs was made at exactly n_inputs
				       (tfit_layer_set_inputs), not at the next
				       power of two; for layer.c only */

	union {
		/* input layers: the shape without batch (shape_rank entries) */
		struct {
			int64_t shape[TFIT_MAX_RANK];
			int32_t shape_rank;
			uint8_t input_dtype;  /* enum tfit_dtype: UNKNOWN = activation dtype */
		};
		/* reshape/permute: the target (target_rank entries) */
		struct {
			int64_t target[TFIT_MAX_RANK];
			int32_t target_rank;
		};
		/* conv and pool layers */
		struct {
			int64_t filters;
			int64_t kernel[2];   /* kh, kw (conv1d: kw only, kh = 1) */
			int64_t strides[2];
			int64_t dilation[2];
			int64_t pool[2];
			int64_t depth_multiplier;
		};
		/* dense, rnn, embedding */
		struct {
			int64_t units;
			int64_t input_dim, output_dim; /* embedding */
			int32_t return_sequences;
			int32_t reset_after;           /* GRU */
		};
		/* padding/cropping/upsampling: [top, bottom, left, right] / [h, w] */
		struct {
			int64_t pad[4];
			int64_t size[2];
		};
		/* the rest: merges and reverse (axis), batch normalization,
		 * rescaling, prelu, identity (a zero-cost layer's params) */
		struct {
			/* rescaling: x * scale + offset (offset 0 = no ADD op) */
			double scale, offset;
			/* Params the source framework counts for a zero-cost layer
			 * when the file says them (TF.js weightsManifest); -1 =
			 * unknown. */
			int64_t declared_params;
			int32_t axis;              /* -8..8, bounded by the readers */
			uint32_t shared_axes;      /* prelu: bit i set = alpha shared along
						      axis i (axis 1 = the first after batch) */
			uint8_t bn_center, bn_scale; /* batch normalization */
		};
	};
};

/* Layers per chunk of a list: 1024 x 144 bytes = 144 KiB, above glibc's
 * 128 KiB mmap threshold (src/cli/main.c keeps it there), so a chunk the
 * lowering frees goes back to the system at once. */
#define TFIT_LAYER_CHUNK 1024

/* Strings of a list's pool looked at for an equal one before a copy is
 * made (tfit_layer_set_str): a few, so a lookup stays cheap. */
#define TFIT_LAYER_RECENT 8

struct tfit_layer_list {
	char *name;
	enum tfit_dtype dtype;       /* model default dtype */
	/* The layers in chunks of TFIT_LAYER_CHUNK (tfit_layer_at()): a layer
	 * never moves once added, and the lowering frees each chunk once its
	 * layers are lowered, so a 50,000-layer list (6.9 MiB) is not alive
	 * beside the whole IR (issue #17, docs/limits.md). */
	struct tfit_layer **chunks;
	size_t n_layers, n_chunks, cap_chunks;
	char **outputs;              /* explicit model outputs; none = last layer */
	size_t n_outputs;

	/* Appended for the Keras/TF.js reader (docs/keras.md). */
	char **warnings;             /* the reader's warnings, moved to the model */
	size_t n_warnings;
	int has_declared_params;     /* the file states its weight count (TF.js
				       weightsManifest): the lowering warns when the
				       computed params differ */
	int64_t declared_params;
	/* The layers' strings (name, path, class_name, weights_from, inputs
	 * and their array): one pool for the list (util/pool.h) instead of
	 * five or more blocks per layer (issue #17). Set them only with
	 * tfit_layer_set_str() and tfit_layer_add_input(), which share one
	 * copy of a string equal to one of the last TFIT_LAYER_RECENT
	 * they used (recent[], most recently used first). */
	struct tfit_pool_chunk *pool;
	char *recent[TFIT_LAYER_RECENT];
};

/* Layer i of l (i < l->n_layers; not after the lowering freed it). */
static inline struct tfit_layer *tfit_layer_at(const struct tfit_layer_list *l, size_t i)
{
	return &l->chunks[i / TFIT_LAYER_CHUNK][i % TFIT_LAYER_CHUNK];
}

void tfit_layer_list_init(struct tfit_layer_list *l);
void tfit_layer_list_release(struct tfit_layer_list *l);
/* Append a layer with defaults filled (strides 1, dilation 1, bias on,
 * padding valid, ...). Returns NULL on OOM. */
struct tfit_layer *tfit_layer_list_add(struct tfit_layer_list *l, enum tfit_layer_type type);
/* Add an input name to a layer of l (copied into l's pool). 0 or -1 on OOM. */
int tfit_layer_add_input(struct tfit_layer_list *l, struct tfit_layer *layer, const char *name);
/* Set the input names of a layer without inputs: n copies in l's pool, in
 * an array of exactly n (tfit_layer_add_input grows its array by doubling,
 * and the arrays it leaves behind stay in the pool: a layer of 20,000
 * inputs took 524,280 bytes of array for 160,000; issue #17). On a layer
 * with inputs it adds them one by one; a later tfit_layer_add_input works.
 * 0 or -1 on OOM. */
int tfit_layer_set_inputs(struct tfit_layer_list *l, struct tfit_layer *layer,
			  const char *const *names, size_t n);
/* Set one of a layer's strings (*dst: &layer->name, ->path, ->class_name or
 * ->weights_from) to a copy of s in l's pool (NULL stays NULL). 0, or -1
 * on OOM (*dst NULL). */
int tfit_layer_set_str(struct tfit_layer_list *l, char **dst, const char *s);
/* Add a formatted warning to the list (moved to the model by the lowering).
 * 0 or -1 on OOM. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
int tfit_layer_list_warn(struct tfit_layer_list *l, const char *fmt, ...);

/*
 * Lower a layer list into a new model: topological order, shape inference,
 * batch-norm folding, activation fusing, dropout removal, and TFLite's
 * deployment dtypes (int8 weights, int32 biases, per-channel quantization
 * for conv/depthwise). file is used in error messages; errors carry the
 * layer's JSON path. On success *out owns a fully analysed model.
 *
 * The model's params are the framework's count: the ops' source params,
 * shared weights once, plus the declared_params of zero-cost layers. The
 * list's warnings are copied to the model, and when the list declares its
 * weight count (has_declared_params) a difference is a warning.
 *
 * The lowering frees each chunk of l's layers once they are lowered (their
 * names stay in l's pool): afterwards, successful or not, l is only for
 * tfit_layer_list_release().
 */
enum tfit_status tfit_layers_lower(struct tfit_layer_list *l, const char *file,
				   enum tfit_model_format format, struct tfit_model **out,
				   struct tfit_error *err);

#endif
