/*
 * dtype_convert.c - re-evaluate a model as if converted to another dtype
 * (`--dtype`): the TFLite converter's deployment types for each tensor role.
 *   float32: everything float32, no quantization parameters
 *   float16: float16 weights and biases, float32 activations
 *   int8:    int8 weights (per-channel for conv and depthwise, per-tensor
 *            otherwise), int32 biases, int8 activations
 *   int4:    as int8 with int4 weights (packed two per byte)
 * Integer configuration tensors (shapes, axes, paddings, indices) keep
 * their type.
 */
#include "tinyfit/model_io.h"

#include <stdlib.h>
#include <string.h>

enum role { ROLE_KEEP = 0, ROLE_ACT, ROLE_WEIGHT, ROLE_BIAS };

static int is_numeric(enum tfit_dtype d)
{
	return d == TFIT_DTYPE_FLOAT32 || d == TFIT_DTYPE_FLOAT16 || d == TFIT_DTYPE_BFLOAT16 ||
	       d == TFIT_DTYPE_INT8 || d == TFIT_DTYPE_UINT8 || d == TFIT_DTYPE_INT16 ||
	       d == TFIT_DTYPE_INT4;
}

/* The bias input slot of an op type, -1 when it has none. */
static int bias_slot(const struct tfit_op *op, uint32_t *first, uint32_t *last)
{
	switch (op->type) {
	case TFIT_OP_CONV_2D: case TFIT_OP_DEPTHWISE_CONV_2D: case TFIT_OP_FULLY_CONNECTED:
	case TFIT_OP_CONV_3D:
		*first = *last = 2;
		return 0;
	case TFIT_OP_TRANSPOSE_CONV:
		*first = *last = 3;
		return 0;
	case TFIT_OP_UNIDIRECTIONAL_SEQUENCE_LSTM: case TFIT_OP_LSTM:
		*first = 12;
		*last = 15;
		return 0;
	case TFIT_OP_UNIDIRECTIONAL_SEQUENCE_RNN: case TFIT_OP_RNN: case TFIT_OP_GRU:
	case TFIT_OP_SVDF:
		*first = *last = 3;
		return 0;
	default:
		return -1;
	}
}

static uint32_t weight_channels(const struct tfit_op *op, const struct tfit_tensor *w, int32_t *qdim)
{
	*qdim = 0;
	if (w->rank == 0)
		return 1;
	if (op->type == TFIT_OP_CONV_2D || op->type == TFIT_OP_TRANSPOSE_CONV)
		return (uint32_t)tfit_dim(w, 0);
	if (op->type == TFIT_OP_DEPTHWISE_CONV_2D) {
		*qdim = w->rank - 1;
		return (uint32_t)tfit_dim(w, w->rank - 1);
	}
	return 1;
}

static enum tfit_status convert_subgraph(struct tfit_subgraph *sg, enum tfit_dtype to,
					 struct tfit_error *err, const char *file)
{
	unsigned char *role = calloc(sg->n_tensors ? sg->n_tensors : 1, 1);
	uint32_t *qcount = calloc(sg->n_tensors ? sg->n_tensors : 1, sizeof(uint32_t));
	int32_t *qdim = calloc(sg->n_tensors ? sg->n_tensors : 1, sizeof(int32_t));
	uint32_t i, k;
	int quant = to == TFIT_DTYPE_INT8 || to == TFIT_DTYPE_INT4;
	enum tfit_status rc = TFIT_OK;

	if (!role || !qcount || !qdim) {
		rc = tfit_error_set(err, TFIT_ERR_NOMEM, file, NULL, "out of memory");
		goto out;
	}
	for (i = 0; i < sg->n_tensors; i++) {
		const struct tfit_tensor *t = &sg->tensors[i];
		if (!(t->flags & TFIT_TENSOR_CONST) && is_numeric(t->dtype))
			role[i] = ROLE_ACT;
	}
	for (k = 0; k < sg->n_ops; k++) {
		const struct tfit_op *op = &sg->ops[k];
		enum tfit_analysis_kind an = tfit_op_desc(op->type)->analysis;
		uint32_t bf = 0, bl = 0, w_ch = 1;
		int32_t w_dim = 0;
		int has_bias = bias_slot(op, &bf, &bl) == 0;
		if (an == TFIT_ANALYSIS_MOVE || an == TFIT_ANALYSIS_NONE || an == TFIT_ANALYSIS_REDUCE)
			continue;
		for (i = 0; i < op->n_inputs; i++) {
			int32_t ti = op->inputs[i];
			const struct tfit_tensor *t;
			if (ti < 0 || (uint32_t)ti >= sg->n_tensors)
				continue;
			t = &sg->tensors[ti];
			if (!(t->flags & TFIT_TENSOR_CONST))
				continue;
			if (has_bias && i >= bf && i <= bl) {
				role[ti] = ROLE_BIAS;
				qcount[ti] = w_ch;
			} else if (is_numeric(t->dtype)) {
				role[ti] = ROLE_WEIGHT;
				if (i == 1 || (op->type == TFIT_OP_TRANSPOSE_CONV && i == 1)) {
					w_ch = weight_channels(op, t, &w_dim);
					qcount[ti] = w_ch;
					qdim[ti] = w_dim;
				} else {
					qcount[ti] = 1;
				}
			}
		}
	}
	for (i = 0; i < sg->n_tensors; i++) {
		struct tfit_tensor *t = &sg->tensors[i];
		enum tfit_dtype d = t->dtype;
		uint32_t count;
		uint64_t data_bytes;
		int32_t dim = tfit_tensor_quant(t)->quantized_dimension;
		switch (role[i]) {
		case ROLE_ACT:
			d = quant ? TFIT_DTYPE_INT8 : TFIT_DTYPE_FLOAT32;
			count = quant ? 1 : 0;
			break;
		case ROLE_WEIGHT:
			d = to == TFIT_DTYPE_INT4 ? TFIT_DTYPE_INT4 : to;
			count = quant ? qcount[i] : 0;
			dim = qdim[i];
			break;
		case ROLE_BIAS:
			d = quant ? TFIT_DTYPE_INT32 : (to == TFIT_DTYPE_FLOAT16 ? TFIT_DTYPE_FLOAT16
									  : TFIT_DTYPE_FLOAT32);
			count = quant ? qcount[i] : 0;
			break;
		default:
			continue;
		}
		if (tfit_tensor_set_quant_scheme(sg, t, count, count, dim) != 0) {
			rc = tfit_error_set(err, TFIT_ERR_NOMEM, file, NULL, "out of memory");
			goto out;
		}
		data_bytes = tfit_tensor_data_bytes(t);
		t->dtype = d;
		/* the file's scales and zero points no longer describe it */
		tfit_tensor_set_quant_values(sg, t, NULL); /* frees: never fails */
		if (tfit_tensor_check_bytes(t) != 0) {
			rc = tfit_error_set(err, TFIT_ERR_INPUT, file, NULL,
					    "tensor '%s' overflows 64 bits as %s",
					    t->name ? t->name : "?", tfit_dtype_name(d));
			goto out;
		}
		/* a constant's data is converted; another tensor's data
		 * bytes stay as they were */
		if (tfit_tensor_set_data_bytes(sg, t, (t->flags & TFIT_TENSOR_CONST)
						   ? tfit_tensor_bytes(t) : data_bytes) != 0) {
			rc = tfit_error_set(err, TFIT_ERR_NOMEM, file, NULL, "out of memory");
			goto out;
		}
	}
out:
	free(role);
	free(qcount);
	free(qdim);
	return rc;
}

enum tfit_status tfit_model_convert_dtype(struct tfit_model *m, enum tfit_dtype dtype,
					  struct tfit_error *err)
{
	uint32_t s;
	enum tfit_status rc;
	if (dtype != TFIT_DTYPE_FLOAT32 && dtype != TFIT_DTYPE_FLOAT16 &&
	    dtype != TFIT_DTYPE_INT8 && dtype != TFIT_DTYPE_INT4)
		return tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL,
				      "cannot convert to %s (expected float32, float16, int8 or int4)",
				      tfit_dtype_name(dtype));
	for (s = 0; s < m->n_subgraphs; s++) {
		rc = convert_subgraph(&m->subgraphs[s], dtype, err, m->path);
		if (rc != TFIT_OK)
			return rc;
	}
	m->dtype = dtype;
	m->dtype_converted = 1;
	return tfit_model_analyze(m, err);
}

/*
 * What convert_subgraph writes, per tensor, kept small (issue #17: 48 bytes
 * a tensor was 7.2 MB at the quantize advice's peak on a 50,000-layer
 * model). The ops' figures are not saved: tfit_model_analyze wrote them
 * last, from the tensors alone, and writes them again from the restored
 * tensors.
 *
 * A tensor's dtype and quantization (its record and the scheme in it) are
 * a class shared by the tensors that have the same: a JSON model has a
 * handful, each tensor of a .tflite file with numbers of its own has one
 * (its record is its own). Each tensor keeps one code: the index of its
 * class and two bits saying how its data bytes come back: 0, equal to its
 * bytes (which are computed from its dimensions and dtype,
 * tfit_tensor_bytes(), and a conversion does not change the dimensions),
 * or, for any other tensor, as they are saved, in order.
 * The codes are 1 byte each while there are at most 64 classes (a JSON
 * model), 2 up to 16,384, else 4: the save is alive while the converted
 * model is planned, the peak of `check` on the 20,000-way JSON fan-in,
 * where 5 bytes a tensor were 0.40 MB (issue #17).
 */
struct saved_class {                      /* 32 bytes on LP64 */
	struct tfit_tensor_ext *ext;      /* the tensors' record (graph.h) */
	struct tfit_quant_values *values; /* a copy, owned until restored */
	uint32_t scale_count, zero_point_count;
	int32_t quantized_dimension;
	unsigned char dtype;
};

enum {
	/* data_bytes: */
	HOW_DATA_SAME = 0, /* equal to the bytes */
	HOW_DATA_ZERO = 1, /* 0 */
	HOW_DATA_SAVED = 2 /* the next entry of data_bytes */
};

struct tfit_dtype_saved {
	enum tfit_dtype dtype;
	int dtype_converted;
	uint64_t params, deployed_params, macs, elem_ops, weights_bytes;
	size_t n_tensors;            /* over every subgraph, in order */
	void *code;                  /* per tensor: class << 2 | HOW_* */
	size_t width;                /* of a code: 1, 2 or 4 bytes */
	struct saved_class *classes; /* n_classes of cap_classes */
	size_t n_classes, cap_classes;
	uint64_t *data_bytes;        /* n_data_bytes of cap_data_bytes */
	size_t n_data_bytes, cap_data_bytes;
};

static void saved_free(struct tfit_dtype_saved *s)
{
	size_t k;
	if (!s)
		return;
	for (k = 0; k < s->n_classes; k++)
		free(s->classes[k].values);
	free(s->code);
	free(s->classes);
	free(s->data_bytes);
	free(s);
}

/* The code of tensor k (s->code holds the first n_tensors). */
static uint32_t code_get(const struct tfit_dtype_saved *s, size_t k)
{
	const unsigned char *p = (const unsigned char *)s->code + k * s->width;
	uint16_t v2;
	uint32_t v4;
	if (s->width == 1)
		return *p;
	if (s->width == 2) {
		memcpy(&v2, p, 2);
		return v2;
	}
	memcpy(&v4, p, 4);
	return v4;
}

static void code_set(struct tfit_dtype_saved *s, size_t k, uint32_t v)
{
	unsigned char *p = (unsigned char *)s->code + k * s->width;
	uint16_t v2 = (uint16_t)v;
	if (s->width == 1)
		*p = (unsigned char)v;
	else if (s->width == 2)
		memcpy(p, &v2, 2);
	else
		memcpy(p, &v, 4);
}

/* Sets tensor k's code, the first k set before; the codes are widened to
 * hold v if they cannot (each moved from the last, so that none is written
 * over before it is read). -1: no memory (the codes as they were). */
static int code_put(struct tfit_dtype_saved *s, size_t k, uint32_t v)
{
	size_t w = s->width, j;
	void *p;
	while (w < 4 && v > (w == 1 ? 0xffu : 0xffffu))
		w *= 2;
	if (w != s->width) {
		size_t old = s->width;
		if (!(p = realloc(s->code, (s->n_tensors ? s->n_tensors : 1) * w)))
			return -1;
		s->code = p;
		for (j = k; j > 0; j--) {
			uint32_t c;
			s->width = old;
			c = code_get(s, j - 1);
			s->width = w;
			code_set(s, j - 1, c);
		}
		s->width = w;
	}
	code_set(s, k, v);
	return 0;
}

static int grow_to(void **a, size_t n, size_t *cap, size_t size)
{
	void *p;
	size_t c;
	if (n < *cap)
		return 0;
	c = *cap ? *cap * 2 : 16;
	if (c > SIZE_MAX / size || !(p = realloc(*a, c * size)))
		return -1;
	*a = p;
	*cap = c;
	return 0;
}

/* The class of t: one of the last 8 made if it matches (the tensors of a
 * model come in runs of the same few), else a new one. -1: no memory. */
static int64_t class_of(struct tfit_dtype_saved *s, const struct tfit_tensor *t)
{
	const struct tfit_quant *q = tfit_tensor_quant(t);
	struct saved_class *c;
	size_t k;
	for (k = s->n_classes; k > 0 && k + 8 > s->n_classes; k--) {
		c = &s->classes[k - 1];
		if (c->ext == t->ext_ && c->dtype == (unsigned char)t->dtype &&
		    c->scale_count == q->scale_count && c->zero_point_count == q->zero_point_count &&
		    c->quantized_dimension == q->quantized_dimension && !c->values == !q->values &&
		    (!q->values || memcmp(c->values, q->values, sizeof(*q->values)) == 0))
			return (int64_t)(k - 1);
	}
	if (s->n_classes > (UINT32_MAX >> 2) ||
	    grow_to((void **)&s->classes, s->n_classes, &s->cap_classes, sizeof(*c)) != 0)
		return -1;
	c = &s->classes[s->n_classes];
	memset(c, 0, sizeof(*c));
	if (q->values) {
		if (!(c->values = malloc(sizeof(*c->values))))
			return -1;
		*c->values = *q->values;
	}
	c->ext = t->ext_;
	c->dtype = (unsigned char)t->dtype;
	c->scale_count = q->scale_count;
	c->zero_point_count = q->zero_point_count;
	c->quantized_dimension = q->quantized_dimension;
	return (int64_t)s->n_classes++;
}

struct tfit_dtype_saved *tfit_model_dtype_save(const struct tfit_model *m)
{
	struct tfit_dtype_saved *s = calloc(1, sizeof(*s));
	size_t nt = 0, kt = 0;
	uint32_t g, i;
	if (!s)
		return NULL;
	for (g = 0; g < m->n_subgraphs; g++)
		nt += m->subgraphs[g].n_tensors;
	s->code = malloc(nt ? nt : 1);
	s->width = 1;
	if (!s->code)
		goto fail;
	s->n_tensors = nt;
	s->dtype = m->dtype;
	s->dtype_converted = m->dtype_converted;
	s->params = m->params;
	s->deployed_params = m->deployed_params;
	s->macs = m->macs;
	s->elem_ops = m->elem_ops;
	s->weights_bytes = m->weights_bytes;
	for (g = 0; g < m->n_subgraphs; g++) {
		const struct tfit_subgraph *sg = &m->subgraphs[g];
		for (i = 0; i < sg->n_tensors; i++, kt++) {
			const struct tfit_tensor *t = &sg->tensors[i];
			int64_t c = class_of(s, t);
			uint64_t data_bytes = tfit_tensor_data_bytes(t);
			unsigned how = data_bytes == tfit_tensor_bytes(t) ? HOW_DATA_SAME
				       : data_bytes == 0 ? HOW_DATA_ZERO : HOW_DATA_SAVED;
			if (c < 0)
				goto fail;
			if (how == HOW_DATA_SAVED) {
				if (grow_to((void **)&s->data_bytes, s->n_data_bytes, &s->cap_data_bytes,
					    sizeof(*s->data_bytes)) != 0)
					goto fail;
				s->data_bytes[s->n_data_bytes++] = data_bytes;
			}
			if (code_put(s, kt, (uint32_t)c << 2 | how) != 0)
				goto fail;
		}
	}
	return s;
fail:
	saved_free(s);
	return NULL;
}

size_t tfit_model_dtype_saved_bytes(const struct tfit_dtype_saved *s)
{
	size_t k, n;
	if (!s)
		return 0;
	n = sizeof(*s) + s->n_tensors * s->width +
	    s->n_classes * sizeof(*s->classes) + s->n_data_bytes * sizeof(*s->data_bytes);
	for (k = 0; k < s->n_classes; k++)
		n += s->classes[k].values ? sizeof(*s->classes[k].values) : 0;
	return n;
}

void tfit_model_dtype_restore(struct tfit_model *m, struct tfit_dtype_saved *s)
{
	size_t kt = 0, j = 0;
	uint32_t g, i;
	struct tfit_error ignored;
	if (!s)
		return;
	for (g = 0; g < m->n_subgraphs; g++) {
		struct tfit_subgraph *sg = &m->subgraphs[g];
		for (i = 0; i < sg->n_tensors && kt < s->n_tensors; i++, kt++) {
			struct tfit_tensor *t = &sg->tensors[i];
			uint32_t code = code_get(s, kt);
			struct saved_class *c = &s->classes[code >> 2];
			unsigned how = code & 3;
			uint64_t data_bytes;
			t->dtype = (enum tfit_dtype)c->dtype;
			if (how == HOW_DATA_SAVED) {
				if (j >= s->n_data_bytes)
					break; /* not this model's save */
				data_bytes = s->data_bytes[j++];
			} else {
				/* its bytes as when saved: the dimensions and dtype
				 * are the same */
				data_bytes = how == HOW_DATA_SAME ? tfit_tensor_bytes(t) : 0;
			}
			/* data bytes other than the bytes are in the out-of-line
			 * record, which a conversion does not change (it only
			 * sets them equal to the bytes) */
			if (data_bytes == tfit_tensor_bytes(t))
				t->flags |= TFIT_TENSOR_DATA_SAME_;
			else
				t->flags &= (uint8_t)~TFIT_TENSOR_DATA_SAME_;
			/* A conversion only sets schemes: a tensor that had a
			 * record of its own still has it, one that had none or
			 * a shared one gets that back. */
			t->ext_ = c->ext;
			if (t->ext_ && !t->ext_->shared_) {
				/* a record of its own: the class is this tensor's alone */
				t->ext_->quant.scale_count = c->scale_count;
				t->ext_->quant.zero_point_count = c->zero_point_count;
				t->ext_->quant.quantized_dimension = c->quantized_dimension;
				free(t->ext_->quant.values);
				t->ext_->quant.values = c->values; /* moved back */
				c->values = NULL;
			}
		}
	}
	/* The ops' figures from the restored tensors, as when the model was
	 * loaded (or last converted): the same inputs, so the same values and
	 * no error (its only failure, memory for the weight-buffer sort,
	 * touches only the model's totals, set from the save below). */
	tfit_error_clear(&ignored);
	(void)tfit_model_analyze(m, &ignored);
	m->dtype = s->dtype;
	m->dtype_converted = s->dtype_converted;
	m->params = s->params;
	m->deployed_params = s->deployed_params;
	m->macs = s->macs;
	m->elem_ops = s->elem_ops;
	m->weights_bytes = s->weights_bytes;
	saved_free(s); /* and the numbers of classes with none of their own */
}
