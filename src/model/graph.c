/* graph.c - building and freeing the IR (see graph.h). */
#include "tinyfit/graph.h"
#include "tinyfit/checked.h"
#include "util/pool.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const dtype_names[TFIT_DTYPE_COUNT] = {
	[TFIT_DTYPE_UNKNOWN] = "unknown",
	[TFIT_DTYPE_FLOAT32] = "float32",
	[TFIT_DTYPE_FLOAT16] = "float16",
	[TFIT_DTYPE_BFLOAT16] = "bfloat16",
	[TFIT_DTYPE_FLOAT64] = "float64",
	[TFIT_DTYPE_INT4] = "int4",
	[TFIT_DTYPE_INT8] = "int8",
	[TFIT_DTYPE_UINT8] = "uint8",
	[TFIT_DTYPE_INT16] = "int16",
	[TFIT_DTYPE_UINT16] = "uint16",
	[TFIT_DTYPE_INT32] = "int32",
	[TFIT_DTYPE_UINT32] = "uint32",
	[TFIT_DTYPE_INT64] = "int64",
	[TFIT_DTYPE_UINT64] = "uint64",
	[TFIT_DTYPE_BOOL] = "bool",
	[TFIT_DTYPE_STRING] = "string",
	[TFIT_DTYPE_COMPLEX64] = "complex64",
	[TFIT_DTYPE_COMPLEX128] = "complex128",
	[TFIT_DTYPE_RESOURCE] = "resource",
	[TFIT_DTYPE_VARIANT] = "variant",
};

/* In the header's inline tfit_dtype_bits(), which every tensor's bytes
 * are computed with (tfit_tensor_bytes()). */
const uint8_t tfit_dtype_bits_[TFIT_DTYPE_COUNT] = {
	[TFIT_DTYPE_UNKNOWN] = 0,
	[TFIT_DTYPE_FLOAT32] = 32,
	[TFIT_DTYPE_FLOAT16] = 16,
	[TFIT_DTYPE_BFLOAT16] = 16,
	[TFIT_DTYPE_FLOAT64] = 64,
	[TFIT_DTYPE_INT4] = 4,
	[TFIT_DTYPE_INT8] = 8,
	[TFIT_DTYPE_UINT8] = 8,
	[TFIT_DTYPE_INT16] = 16,
	[TFIT_DTYPE_UINT16] = 16,
	[TFIT_DTYPE_INT32] = 32,
	[TFIT_DTYPE_UINT32] = 32,
	[TFIT_DTYPE_INT64] = 64,
	[TFIT_DTYPE_UINT64] = 64,
	[TFIT_DTYPE_BOOL] = 8,
	[TFIT_DTYPE_STRING] = 0,
	[TFIT_DTYPE_COMPLEX64] = 64,
	[TFIT_DTYPE_COMPLEX128] = 128,
	[TFIT_DTYPE_RESOURCE] = 0,
	[TFIT_DTYPE_VARIANT] = 0,
};

const char *tfit_dtype_name(enum tfit_dtype t)
{
	return (unsigned)t < TFIT_DTYPE_COUNT ? dtype_names[t] : "unknown";
}

enum tfit_dtype tfit_dtype_parse(const char *name)
{
	int i;
	if (!name)
		return TFIT_DTYPE_UNKNOWN;
	for (i = 1; i < TFIT_DTYPE_COUNT; i++)
		if (strcmp(dtype_names[i], name) == 0)
			return (enum tfit_dtype)i;
	return TFIT_DTYPE_UNKNOWN;
}

int tfit_dtype_bytes(enum tfit_dtype t, uint64_t n, uint64_t *bytes)
{
	unsigned bits = tfit_dtype_bits(t);
	uint64_t v;
	if (bits % 8 == 0) {
		if (tfit_mul_u64(n, bits / 8, &v) != TFIT_OK)
			return -1;
	} else {
		/* sub-byte types pack densely: ceil(n * bits / 8) */
		if (tfit_mul_u64(n, bits, &v) != TFIT_OK || tfit_add_u64(v, 7, &v) != TFIT_OK)
			return -1;
		v /= 8;
	}
	*bytes = v;
	return 0;
}

const char *tfit_activation_name(enum tfit_activation a)
{
	switch (a) {
	case TFIT_ACT_NONE: return "none";
	case TFIT_ACT_RELU: return "relu";
	case TFIT_ACT_RELU_N1_TO_1: return "relu_n1_to_1";
	case TFIT_ACT_RELU6: return "relu6";
	case TFIT_ACT_TANH: return "tanh";
	case TFIT_ACT_SIGN_BIT: return "sign_bit";
	case TFIT_ACT_SIGMOID: return "sigmoid";
	}
	return "none";
}

const char *tfit_model_format_name(enum tfit_model_format f)
{
	switch (f) {
	case TFIT_MODEL_FORMAT_NATIVE: return "tinyfit";
	case TFIT_MODEL_FORMAT_KERAS: return "keras";
	case TFIT_MODEL_FORMAT_TFJS: return "tfjs";
	case TFIT_MODEL_FORMAT_TFLITE: return "tflite";
	case TFIT_MODEL_FORMAT_FLAGS: return "flags";
	}
	return "unknown";
}

const struct tfit_op_options tfit_op_options_default = {
	.stride_h = 1, .stride_w = 1, .dilation_h = 1, .dilation_w = 1,
	.depth_multiplier = 1, .padding = TFIT_PAD_VALID, .activation = TFIT_ACT_NONE,
	.axis = -1, .subgraph = { -1, -1 },
};

void tfit_op_options_init(struct tfit_op_options *o)
{
	memset(o, 0, sizeof(*o));
	o->stride_h = o->stride_w = 1;
	o->dilation_h = o->dilation_w = 1;
	o->depth_multiplier = 1;
	o->padding = TFIT_PAD_VALID;
	o->activation = TFIT_ACT_NONE;
	o->axis = -1;
	o->subgraph[0] = o->subgraph[1] = -1;
}

enum tfit_status tfit_strdup_to(char **dst, const char *src)
{
	size_t n;
	char *p;
	*dst = NULL;
	if (!src)
		return TFIT_OK;
	n = strlen(src);
	p = malloc(n + 1);
	if (!p)
		return TFIT_ERR_NOMEM;
	memcpy(p, src, n + 1);
	*dst = p;
	return TFIT_OK;
}

/* Names and index blocks live in the subgraph's pool (util/pool.h). */
/* A name in sg's pool: one of the last two used when it is the same
 * (names are never written through a tensor or op), else a copy, which
 * replaces the one of the two used longer ago. */
static int pool_strdup(struct tfit_subgraph *sg, char **dst, const char *s)
{
	uint32_t i;
	if (s)
		for (i = 0; i < 2; i++)
			if (sg->names_[i] && strcmp(s, sg->names_[i]) == 0) {
				*dst = (char *)(uintptr_t)sg->names_[i];
				sg->n_names_ = 1 - i; /* the other is replaced next */
				return 0;
			}
	if (tfit_pool_strdup(&sg->pool, dst, s) != 0)
		return -1;
	if (*dst) {
		sg->names_[sg->n_names_ & 1] = *dst;
		sg->n_names_ = 1 - (sg->n_names_ & 1);
	}
	return 0;
}

static void subgraph_release(struct tfit_subgraph *sg)
{
	uint32_t i;
	for (i = 0; i < sg->n_tensors; i++)
		tfit_tensor_release(&sg->tensors[i]);
	/* ops own nothing: their names, index blocks, options and .tflite
	 * fields are in the pool */
	tfit_pool_free(&sg->pool);
	free(sg->tensors);
	free(sg->ops);
	free(sg->inputs);
	free(sg->outputs);
	free(sg->name);
	memset(sg, 0, sizeof(*sg));
}

struct tfit_model *tfit_model_new(void)
{
	struct tfit_model *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	if (tfit_model_add_subgraph(m, "main") < 0) {
		free(m);
		return NULL;
	}
	return m;
}

void tfit_model_free(struct tfit_model *m)
{
	uint32_t i;
	if (!m)
		return;
	for (i = 0; i < m->n_subgraphs; i++)
		subgraph_release(&m->subgraphs[i]);
	free(m->subgraphs);
	for (i = 0; i < m->n_warnings; i++)
		free(m->warnings[i]);
	free(m->warnings);
	free(m->name);
	free(m->path);
	free(m->min_runtime_version);
	free(m->tflite_bytes);
	free(m);
}

int32_t tfit_model_add_subgraph(struct tfit_model *m, const char *name)
{
	struct tfit_subgraph *p;
	if (m->n_subgraphs >= INT32_MAX)
		return -1;
	p = realloc(m->subgraphs, (m->n_subgraphs + 1) * sizeof(*p));
	if (!p)
		return -1;
	m->subgraphs = p;
	memset(&p[m->n_subgraphs], 0, sizeof(*p));
	if (tfit_strdup_to(&p[m->n_subgraphs].name, name) != TFIT_OK)
		return -1;
	return (int32_t)m->n_subgraphs++;
}

void tfit_model_warn(struct tfit_model *m, const char *fmt, ...)
{
	va_list ap;
	char buf[512];
	char **p;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	p = realloc(m->warnings, (m->n_warnings + 1) * sizeof(*p));
	if (!p)
		return;
	m->warnings = p;
	if (tfit_strdup_to(&p[m->n_warnings], buf) == TFIT_OK)
		m->n_warnings++;
}

/* Shrink an array of elem_size items to its n used ones (kept on failure). */
static void trim(void **arr, uint32_t n, uint32_t *cap, size_t elem_size)
{
	void *p;
	if (n == 0 || n >= *cap)
		return;
	p = realloc(*arr, (size_t)n * elem_size);
	if (!p)
		return;
	*arr = p;
	*cap = n;
}

void tfit_model_trim(struct tfit_model *m)
{
	uint32_t s;
	for (s = 0; m && s < m->n_subgraphs; s++) {
		struct tfit_subgraph *sg = &m->subgraphs[s];
		trim((void **)&sg->tensors, sg->n_tensors, &sg->cap_tensors, sizeof(*sg->tensors));
		trim((void **)&sg->ops, sg->n_ops, &sg->cap_ops, sizeof(*sg->ops));
	}
}

/* Grow an array of elem_size items to hold one more; 0 or -1 on OOM. */
static int grow(void **arr, uint32_t n, uint32_t *cap, size_t elem_size)
{
	uint32_t ncap;
	void *p;
	if (n < *cap)
		return 0;
	if (*cap >= UINT32_MAX / 2)
		return -1;
	ncap = *cap ? *cap * 2 : 16;
	p = realloc(*arr, (size_t)ncap * elem_size);
	if (!p)
		return -1;
	*arr = p;
	*cap = ncap;
	return 0;
}

int tfit_tensor_set_shape(struct tfit_tensor *t, int32_t rank, const int64_t *dims)
{
	int32_t *out = NULL, *d = t->dims_.in;
	int32_t i;
	for (i = 0; i < rank; i++)
		if (dims[i] < -1 || dims[i] > TFIT_DIM_MAX)
			return -1;
	if (rank > TFIT_INLINE_RANK) {
		if (!(out = malloc((size_t)rank * sizeof(*out))))
			return -1;
		d = out;
	}
	if (t->rank > TFIT_INLINE_RANK)
		free(t->dims_.out);
	for (i = 0; i < rank; i++)
		d[i] = (int32_t)dims[i];
	t->rank = (int8_t)rank;
	if (out)
		t->dims_.out = out;
	return 0;
}

int tfit_tensor_set_data_bytes(struct tfit_subgraph *sg, struct tfit_tensor *t, uint64_t v)
{
	struct tfit_tensor_ext *x;
	if (v == tfit_tensor_bytes(t)) {
		t->flags |= TFIT_TENSOR_DATA_SAME_;
		return 0;
	}
	if (tfit_tensor_ext(t)->data_bytes != v) {
		if (!(x = tfit_tensor_ext_mut(sg, t)))
			return -1;
		x->data_bytes = v;
	}
	t->flags &= (uint8_t)~TFIT_TENSOR_DATA_SAME_;
	return 0;
}

const struct tfit_quant_values tfit_quant_no_values;
const struct tfit_tensor_ext tfit_tensor_ext_none = { { 0, 0, 0, NULL }, 0, -1, 0, 0 };

struct tfit_tensor_ext *tfit_tensor_ext_mut(struct tfit_subgraph *sg, struct tfit_tensor *t)
{
	struct tfit_tensor_ext *x;
	if (t->ext_ && !t->ext_->shared_)
		return t->ext_;
	x = tfit_pool_alloc(&sg->pool, sizeof(*x), _Alignof(struct tfit_tensor_ext));
	if (!x)
		return NULL;
	*x = *tfit_tensor_ext(t);
	x->shared_ = 0;
	t->ext_ = x;
	return x;
}

/* A shared record holding only this scheme: one of the last
 * TFIT_SHARED_SCHEMES made for sg, or a new one. NULL on OOM. */
static struct tfit_tensor_ext *shared_scheme(struct tfit_subgraph *sg, uint32_t scale_count,
					     uint32_t zero_point_count, int32_t quantized_dimension)
{
	struct tfit_tensor_ext *x;
	uint32_t i, n = sg->n_schemes_ < TFIT_SHARED_SCHEMES ? sg->n_schemes_ : TFIT_SHARED_SCHEMES;
	for (i = 0; i < n; i++) {
		x = sg->schemes_[i];
		if (x->quant.scale_count == scale_count &&
		    x->quant.zero_point_count == zero_point_count &&
		    x->quant.quantized_dimension == quantized_dimension)
			return x;
	}
	x = tfit_pool_alloc(&sg->pool, sizeof(*x), _Alignof(struct tfit_tensor_ext));
	if (!x)
		return NULL;
	*x = tfit_tensor_ext_none;
	x->quant.scale_count = scale_count;
	x->quant.zero_point_count = zero_point_count;
	x->quant.quantized_dimension = quantized_dimension;
	x->shared_ = 1;
	sg->schemes_[sg->n_schemes_++ % TFIT_SHARED_SCHEMES] = x;
	return x;
}

int tfit_tensor_set_offline_offset(struct tfit_subgraph *sg, struct tfit_tensor *t, int64_t off)
{
	struct tfit_tensor_ext *x;
	if (off == tfit_tensor_offline_offset(t))
		return 0;
	if (!(x = tfit_tensor_ext_mut(sg, t)))
		return -1;
	x->offline_offset = off;
	return 0;
}

int tfit_tensor_set_quant_scheme(struct tfit_subgraph *sg, struct tfit_tensor *t,
				 uint32_t scale_count, uint32_t zero_point_count,
				 int32_t quantized_dimension)
{
	struct tfit_tensor_ext *x = t->ext_;
	if (!x || x->shared_) {
		/* it has nothing but a scheme: share one */
		if (!scale_count && !zero_point_count && !quantized_dimension) {
			t->ext_ = NULL;
			return 0;
		}
		if (!(x = shared_scheme(sg, scale_count, zero_point_count, quantized_dimension)))
			return -1;
		t->ext_ = x;
		return 0;
	}
	x->quant.scale_count = scale_count;
	x->quant.zero_point_count = zero_point_count;
	x->quant.quantized_dimension = quantized_dimension;
	return 0;
}

int tfit_tensor_set_quant_values(struct tfit_subgraph *sg, struct tfit_tensor *t,
				 const struct tfit_quant_values *v)
{
	struct tfit_quant_values *c = NULL;
	struct tfit_tensor_ext *x;
	if (!v && (!t->ext_ || t->ext_->shared_))
		return 0; /* a shared record has no numbers */
	if (!(x = tfit_tensor_ext_mut(sg, t)))
		return -1;
	if (v) {
		if (!(c = malloc(sizeof(*c))))
			return -1;
		*c = *v;
	}
	free(x->quant.values);
	x->quant.values = c;
	return 0;
}

void tfit_tensor_release(struct tfit_tensor *t)
{
	if (t->ext_ && !t->ext_->shared_)
		free(t->ext_->quant.values); /* the record itself is in the pool */
	if (t->rank > TFIT_INLINE_RANK)
		free(t->dims_.out);
	t->name = NULL;
	t->ext_ = NULL;
	t->rank = 0;
}

int tfit_tensor_check_bytes(const struct tfit_tensor *t)
{
	const int32_t *dims = tfit_tensor_dims32(t);
	uint64_t n = 1, bytes;
	int32_t i;
	for (i = 0; i < t->rank; i++) {
		if (dims[i] < 0 || tfit_mul_u64(n, (uint64_t)dims[i], &n) != TFIT_OK)
			return -1;
	}
	if (tfit_dtype_bytes(t->dtype, n, &bytes) != 0)
		return -1;
	return 0;
}

int32_t tfit_subgraph_add_tensor(struct tfit_subgraph *sg, const char *name,
				 enum tfit_dtype dtype, int32_t rank,
				 const int64_t *dims, uint32_t flags,
				 struct tfit_error *err)
{
	struct tfit_tensor *t;
	int32_t i;
	if (rank < 0 || rank > TFIT_MAX_RANK) {
		tfit_error_set(err, TFIT_ERR_INPUT, NULL, NULL,
			       "tensor '%s' has rank %d (expected 0 to %d)",
			       name ? name : "?", rank, TFIT_MAX_RANK);
		return -1;
	}
	if (sg->n_tensors >= INT32_MAX ||
	    grow((void **)&sg->tensors, sg->n_tensors, &sg->cap_tensors, sizeof(*t)) != 0) {
		tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
		return -1;
	}
	for (i = 0; i < rank; i++) {
		if (dims[i] < 0) {
			tfit_error_set(err, TFIT_ERR_INPUT, NULL, NULL,
				       "tensor '%s' has negative dimension %lld",
				       name ? name : "?", (long long)dims[i]);
			return -1;
		}
		if (dims[i] > TFIT_DIM_MAX) {
			tfit_error_set(err, TFIT_ERR_INPUT, NULL, NULL,
				       "tensor '%s' has dimension %lld, above %d (a .tflite shape is int32)",
				       name ? name : "?", (long long)dims[i], TFIT_DIM_MAX);
			return -1;
		}
	}
	t = &sg->tensors[sg->n_tensors];
	memset(t, 0, sizeof(*t));
	t->dtype = dtype;
	t->flags = (uint8_t)(flags & ~TFIT_TENSOR_DATA_SAME_); /* no data until set */
	t->buffer = -1;
	if (tfit_tensor_set_shape(t, rank, dims) != 0) {
		tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
		return -1;
	}
	if (tfit_tensor_check_bytes(t) != 0) {
		tfit_tensor_release(t);
		tfit_error_set(err, TFIT_ERR_INPUT, NULL, NULL,
			       "tensor '%s' is too large: its size overflows 64 bits",
			       name ? name : "?");
		return -1;
	}
	if (pool_strdup(sg, &t->name, name) != 0) {
		tfit_tensor_release(t);
		tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
		return -1;
	}
	return (int32_t)sg->n_tensors++;
}

static int dup_indices(int32_t **dst, const int32_t *src, uint32_t n)
{
	*dst = NULL;
	if (n == 0)
		return 0;
	*dst = malloc((size_t)n * sizeof(int32_t));
	if (!*dst)
		return -1;
	memcpy(*dst, src, (size_t)n * sizeof(int32_t));
	return 0;
}

/* One block of sg's pool for an op's inputs then outputs (NULL when both
 * are empty). 0 or -1 on OOM (op unchanged). */
static int set_io_block(struct tfit_subgraph *sg, struct tfit_op *op, const int32_t *inputs,
			uint32_t n_in, const int32_t *outputs, uint32_t n_out)
{
	int32_t *blk = NULL;
	if (n_in + (uint64_t)n_out > 0) {
		if (n_in + (uint64_t)n_out > SIZE_MAX / 2 / sizeof(int32_t) ||
		    !(blk = tfit_pool_alloc(&sg->pool, ((size_t)n_in + n_out) * sizeof(int32_t),
					    sizeof(int32_t))))
			return -1;
		if (n_in)
			memmove(blk, inputs, (size_t)n_in * sizeof(int32_t));
		if (n_out)
			memmove(blk + n_in, outputs, (size_t)n_out * sizeof(int32_t));
	}
	op->inputs = blk;
	op->n_inputs = n_in;
	op->n_outputs = n_out;
	return 0;
}

int tfit_op_set_inputs(struct tfit_subgraph *sg, struct tfit_op *op, const int32_t *inputs,
		       uint32_t n_inputs)
{
	return set_io_block(sg, op, inputs, n_inputs, tfit_op_outputs(op), op->n_outputs);
}

/*
 * The shared read-only copy of o for sg's ops: the default, one of the
 * last TFIT_SHARED_SCHEMES made, or a new one in the pool. The options
 * are 17 four-byte fields (no padding), so equal bytes are equal options.
 * NULL on OOM.
 */
static const struct tfit_op_options *shared_options(struct tfit_subgraph *sg,
						    const struct tfit_op_options *o)
{
	struct tfit_op_options *x;
	uint32_t i, n = sg->n_options_ < TFIT_SHARED_SCHEMES ? sg->n_options_ : TFIT_SHARED_SCHEMES;
	if (!o || memcmp(o, &tfit_op_options_default, sizeof(*o)) == 0)
		return &tfit_op_options_default;
	for (i = 0; i < n; i++)
		if (memcmp(sg->options_[i], o, sizeof(*o)) == 0)
			return sg->options_[i];
	x = tfit_pool_alloc(&sg->pool, sizeof(*x), _Alignof(struct tfit_op_options));
	if (!x)
		return NULL;
	*x = *o;
	sg->options_[sg->n_options_++ % TFIT_SHARED_SCHEMES] = x;
	return x;
}

int tfit_op_set_options(struct tfit_subgraph *sg, struct tfit_op *op,
			const struct tfit_op_options *opt)
{
	const struct tfit_op_options *x = shared_options(sg, opt);
	if (!x)
		return -1;
	op->opt = x;
	return 0;
}

int tfit_op_set_tflite(struct tfit_subgraph *sg, struct tfit_op *op, const char *custom_name,
		       const int32_t *intermediates, uint32_t n_intermediates)
{
	struct tfit_op_ext *x;
	uint64_t mid_bytes = (uint64_t)n_intermediates * sizeof(int32_t);
	int64_t delta = tfit_op_source_params_delta(op);
	if (!custom_name && !n_intermediates && !delta) {
		op->ext_ = NULL;
		return 0;
	}
	if (mid_bytes > SIZE_MAX / 2 ||
	    !(x = tfit_pool_alloc(&sg->pool, sizeof(*x), _Alignof(struct tfit_op_ext))))
		return -1;
	memset(x, 0, sizeof(*x));
	x->source_params_delta = delta;
	if (tfit_pool_strdup(&sg->pool, &x->custom_name, custom_name) != 0)
		return -1;
	if (n_intermediates) {
		if (!(x->intermediates = tfit_pool_alloc(&sg->pool, (size_t)mid_bytes,
							 sizeof(int32_t))))
			return -1;
		memcpy(x->intermediates, intermediates, (size_t)mid_bytes);
		x->n_intermediates = n_intermediates;
	}
	op->ext_ = x;
	return 0;
}

int tfit_op_set_source_params_delta(struct tfit_subgraph *sg, struct tfit_op *op, int64_t delta)
{
	struct tfit_op_ext *x;
	if (!op->ext_ && !delta)
		return 0;
	if (!op->ext_) {
		if (!(x = tfit_pool_alloc(&sg->pool, sizeof(*x), _Alignof(struct tfit_op_ext))))
			return -1;
		memset(x, 0, sizeof(*x));
		op->ext_ = x;
	}
	/* an op's record is its own (tfit_op_set_tflite() or above), made
	 * in sg's pool: never shared */
	((struct tfit_op_ext *)op->ext_)->source_params_delta = delta;
	return 0;
}

int32_t tfit_subgraph_add_op(struct tfit_subgraph *sg, enum tfit_op_type type,
			     const char *name, const int32_t *inputs, uint32_t n_inputs,
			     const int32_t *outputs, uint32_t n_outputs,
			     const struct tfit_op_options *opt)
{
	struct tfit_op *op;
	if (sg->n_ops >= INT32_MAX ||
	    grow((void **)&sg->ops, sg->n_ops, &sg->cap_ops, sizeof(*op)) != 0)
		return -1;
	op = &sg->ops[sg->n_ops];
	memset(op, 0, sizeof(*op));
	op->type = (uint16_t)type;
	op->tflite_code = -1;
	if (!(op->opt = shared_options(sg, opt)) || pool_strdup(sg, &op->name, name) != 0 ||
	    set_io_block(sg, op, inputs, n_inputs, outputs, n_outputs) != 0)
		return -1; /* what it took from the pool goes with the subgraph */
	return (int32_t)sg->n_ops++;
}

int tfit_subgraph_set_io(struct tfit_subgraph *sg, const int32_t *inputs, uint32_t n_in,
			 const int32_t *outputs, uint32_t n_out)
{
	int32_t *in = NULL, *out = NULL;
	if (dup_indices(&in, inputs, n_in) != 0 || dup_indices(&out, outputs, n_out) != 0) {
		free(in);
		return -1;
	}
	free(sg->inputs);
	free(sg->outputs);
	sg->inputs = in;
	sg->n_inputs = n_in;
	sg->outputs = out;
	sg->n_outputs = n_out;
	return 0;
}

char *tfit_shape_format(const struct tfit_tensor *t, char *buf, size_t buf_size)
{
	size_t len = 0;
	int32_t i;
	if (buf_size == 0)
		return buf;
	buf[0] = '\0';
	if (t->rank == 0) {
		snprintf(buf, buf_size, "scalar");
		return buf;
	}
	for (i = 0; i < t->rank && len < buf_size; i++) {
		int n = snprintf(buf + len, buf_size - len, "%s%lld", i ? "x" : "",
				 (long long)tfit_dim(t, i));
		if (n < 0)
			break;
		len += (size_t)n;
	}
	return buf;
}

static int clone_indices(int32_t **dst, const int32_t *src, uint32_t n)
{
	return dup_indices(dst, src, n);
}

static int clone_subgraph(struct tfit_subgraph *d, const struct tfit_subgraph *s)
{
	int64_t dims[TFIT_MAX_RANK];
	uint32_t i;
	memset(d, 0, sizeof(*d));
	if (tfit_strdup_to(&d->name, s->name) != TFIT_OK)
		return -1;
	if (s->n_tensors) {
		d->tensors = calloc(s->n_tensors, sizeof(*d->tensors));
		if (!d->tensors)
			return -1;
		d->cap_tensors = s->n_tensors;
	}
	for (i = 0; i < s->n_tensors; i++) {
		const struct tfit_tensor *st = &s->tensors[i];
		struct tfit_tensor *t = &d->tensors[i];
		*t = *st;
		t->name = NULL;
		t->ext_ = NULL;
		t->rank = 0; /* owns no dimensions until they are copied */
		d->n_tensors++;
		tfit_tensor_copy_dims(st, dims);
		if (pool_strdup(d, &t->name, st->name) != 0 ||
		    tfit_tensor_set_shape(t, st->rank, dims) != 0)
			return -1;
		if (st->ext_ && st->ext_->shared_) {
			const struct tfit_quant *q = &st->ext_->quant;
			if (tfit_tensor_set_quant_scheme(d, t, q->scale_count, q->zero_point_count,
							 q->quantized_dimension) != 0)
				return -1;
		} else if (st->ext_) {
			struct tfit_tensor_ext *x = tfit_tensor_ext_mut(d, t);
			if (!x)
				return -1;
			*x = *st->ext_;
			x->quant.values = NULL;
			if (tfit_tensor_set_quant_values(d, t, st->ext_->quant.values) != 0)
				return -1;
		}
	}
	if (s->n_ops) {
		d->ops = calloc(s->n_ops, sizeof(*d->ops));
		if (!d->ops)
			return -1;
		d->cap_ops = s->n_ops;
	}
	for (i = 0; i < s->n_ops; i++) {
		const struct tfit_op *so = &s->ops[i];
		struct tfit_op *o = &d->ops[i];
		const int32_t *mid;
		uint32_t n_mid;
		*o = *so;
		o->name = NULL;
		o->inputs = NULL;
		o->opt = &tfit_op_options_default;
		o->ext_ = NULL;
		d->n_ops++;
		mid = tfit_op_intermediates(so, &n_mid);
		if (pool_strdup(d, &o->name, so->name) != 0 ||
		    !(o->opt = shared_options(d, so->opt)) ||
		    tfit_op_set_tflite(d, o, tfit_op_custom_name(so), mid, n_mid) != 0 ||
		    tfit_op_set_source_params_delta(d, o, tfit_op_source_params_delta(so)) != 0 ||
		    set_io_block(d, o, so->inputs, so->n_inputs, tfit_op_outputs(so), so->n_outputs) != 0)
			return -1;
	}
	if (clone_indices(&d->inputs, s->inputs, s->n_inputs) != 0 ||
	    clone_indices(&d->outputs, s->outputs, s->n_outputs) != 0)
		return -1;
	d->n_inputs = s->n_inputs;
	d->n_outputs = s->n_outputs;
	return 0;
}

struct tfit_model *tfit_model_clone(const struct tfit_model *m)
{
	struct tfit_model *c = calloc(1, sizeof(*c));
	uint32_t i;
	if (!c)
		return NULL;
	*c = *m;
	c->name = c->path = c->min_runtime_version = NULL;
	c->tflite_bytes = NULL; /* a clone is changed by its user: not these bytes */
	c->tflite_len = 0;
	c->subgraphs = NULL;
	c->n_subgraphs = 0;
	c->warnings = NULL;
	c->n_warnings = 0;
	if (tfit_strdup_to(&c->name, m->name) != TFIT_OK || tfit_strdup_to(&c->path, m->path) != TFIT_OK ||
	    tfit_strdup_to(&c->min_runtime_version, m->min_runtime_version) != TFIT_OK)
		goto fail;
	if (m->n_subgraphs) {
		c->subgraphs = calloc(m->n_subgraphs, sizeof(*c->subgraphs));
		if (!c->subgraphs)
			goto fail;
	}
	for (i = 0; i < m->n_subgraphs; i++) {
		c->n_subgraphs++;
		if (clone_subgraph(&c->subgraphs[i], &m->subgraphs[i]) != 0)
			goto fail;
	}
	return c;
fail:
	tfit_model_free(c);
	return NULL;
}

static void heap_add(struct tfit_model_heap *h, const void *p, uint64_t bytes)
{
	if (p) {
		h->blocks++;
		h->bytes += bytes;
	}
}

static void heap_str(struct tfit_model_heap *h, const char *s)
{
	if (s)
		heap_add(h, s, (uint64_t)strlen(s) + 1);
}

void tfit_model_heap_count(const struct tfit_model *m, struct tfit_model_heap *out)
{
	uint32_t s, i;
	memset(out, 0, sizeof(*out));
	if (!m)
		return;
	heap_add(out, m, sizeof(*m));
	heap_add(out, m->subgraphs, (uint64_t)m->n_subgraphs * sizeof(*m->subgraphs));
	heap_str(out, m->name);
	heap_str(out, m->path);
	heap_str(out, m->min_runtime_version);
	heap_add(out, m->warnings, (uint64_t)m->n_warnings * sizeof(*m->warnings));
	for (i = 0; i < m->n_warnings; i++)
		heap_str(out, m->warnings[i]);
	heap_add(out, m->tflite_bytes, m->tflite_len);
	for (s = 0; s < m->n_subgraphs; s++) {
		const struct tfit_subgraph *sg = &m->subgraphs[s];
		heap_str(out, sg->name);
		heap_add(out, sg->tensors, (uint64_t)sg->cap_tensors * sizeof(*sg->tensors));
		heap_add(out, sg->ops, (uint64_t)sg->cap_ops * sizeof(*sg->ops));
		heap_add(out, sg->inputs, (uint64_t)sg->n_inputs * sizeof(*sg->inputs));
		heap_add(out, sg->outputs, (uint64_t)sg->n_outputs * sizeof(*sg->outputs));
		{
			uint64_t pb = 0;
			tfit_pool_count(sg->pool, &out->blocks, &pb);
			out->bytes += pb;
			out->pool_bytes += pb;
		}
		for (i = 0; i < sg->n_tensors; i++) {
			const struct tfit_tensor *t = &sg->tensors[i];
			if (t->rank > TFIT_INLINE_RANK)
				heap_add(out, t->dims_.out, (uint64_t)t->rank * sizeof(int32_t));
			heap_add(out, tfit_tensor_quant(t)->values, sizeof(struct tfit_quant_values));
		}
	}
}
