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
		t->dtype = d;
		/* the file's scales and zero points no longer describe it */
		tfit_tensor_set_quant_values(sg, t, NULL); /* frees: never fails */
		if (tfit_tensor_update_bytes(t) != 0) {
			rc = tfit_error_set(err, TFIT_ERR_INPUT, file, NULL,
					    "tensor '%s' overflows 64 bits as %s",
					    t->name ? t->name : "?", tfit_dtype_name(d));
			goto out;
		}
		if (t->flags & TFIT_TENSOR_CONST)
			t->data_bytes = t->bytes;
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

/* What convert_subgraph writes, per tensor. The ops' figures are not
 * saved: tfit_model_analyze wrote them last, from the tensors alone, and
 * writes them again from the restored tensors (56 bytes per op less at the
 * quantize advice's peak, 2.8 MB on a 50,000-layer model; issue #17). */
struct saved_tensor {                     /* 48 bytes on LP64 */
	uint64_t bytes, data_bytes;
	uint32_t scale_count, zero_point_count;
	int32_t quantized_dimension;
	unsigned char dtype;
	struct tfit_quant_values *values; /* a copy, owned until restored */
	struct tfit_tensor_ext *ext;      /* the tensor's record (graph.h) */
};

struct tfit_dtype_saved {
	enum tfit_dtype dtype;
	int dtype_converted;
	uint64_t params, deployed_params, macs, elem_ops, weights_bytes;
	struct saved_tensor *tensors;    /* every subgraph's, in order, or after
					    tfit_model_dtype_save_shrink those
					    the conversion changed */
	size_t n_tensors;
	unsigned char *changed;          /* NULL: every tensor saved; else bit k
					    set: tensor k (over every subgraph)
					    has the next entry */
};

struct tfit_dtype_saved *tfit_model_dtype_save(const struct tfit_model *m)
{
	struct tfit_dtype_saved *s = calloc(1, sizeof(*s));
	size_t nt = 0, kt = 0;
	uint32_t g, i;
	if (!s)
		return NULL;
	for (g = 0; g < m->n_subgraphs; g++)
		nt += m->subgraphs[g].n_tensors;
	s->tensors = calloc(nt ? nt : 1, sizeof(*s->tensors));
	if (!s->tensors)
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
		for (i = 0; i < sg->n_tensors; i++) {
			const struct tfit_tensor *t = &sg->tensors[i];
			struct saved_tensor *st = &s->tensors[kt++];
			const struct tfit_quant *q = tfit_tensor_quant(t);
			st->bytes = t->bytes;
			st->data_bytes = t->data_bytes;
			st->scale_count = q->scale_count;
			st->zero_point_count = q->zero_point_count;
			st->quantized_dimension = q->quantized_dimension;
			st->dtype = (unsigned char)t->dtype;
			st->ext = t->ext_;
			if (q->values) {
				if (!(st->values = malloc(sizeof(*st->values))))
					goto fail;
				*st->values = *q->values;
			}
		}
	}
	return s;
fail:
	for (kt = 0; s->tensors && kt < nt; kt++)
		free(s->tensors[kt].values);
	free(s->tensors);
	free(s);
	return NULL;
}

/* Whether t is as st saved it: restoring it would change nothing. */
static int unchanged(const struct tfit_tensor *t, const struct saved_tensor *st)
{
	const struct tfit_quant *q = tfit_tensor_quant(t);
	return t->bytes == st->bytes && t->data_bytes == st->data_bytes &&
	       (unsigned char)t->dtype == st->dtype && t->ext_ == st->ext &&
	       q->scale_count == st->scale_count && q->zero_point_count == st->zero_point_count &&
	       q->quantized_dimension == st->quantized_dimension && !q->values == !st->values &&
	       (!st->values || memcmp(q->values, st->values, sizeof(*st->values)) == 0);
}

void tfit_model_dtype_save_shrink(const struct tfit_model *m, struct tfit_dtype_saved *s)
{
	size_t kt = 0, n = 0;
	uint32_t g, i;
	struct saved_tensor *kept;
	unsigned char *changed;
	if (!s || s->changed)
		return; /* already shrunk */
	for (g = 0; g < m->n_subgraphs; g++)
		kt += m->subgraphs[g].n_tensors;
	if (kt != s->n_tensors || !(changed = calloc(kt / 8 + 1, 1)))
		return; /* not this model's save, or no memory: kept whole */
	kt = 0;
	for (g = 0; g < m->n_subgraphs; g++)
		for (i = 0; i < m->subgraphs[g].n_tensors; i++, kt++)
			if (!unchanged(&m->subgraphs[g].tensors[i], &s->tensors[kt])) {
				changed[kt / 8] |= (unsigned char)(1u << (kt % 8));
				n++;
			}
	if (n == s->n_tensors || !(kept = malloc((n ? n : 1) * sizeof(*kept)))) {
		free(changed);
		return; /* nothing to drop, or no memory: kept whole */
	}
	for (kt = 0, n = 0; kt < s->n_tensors; kt++) {
		if (changed[kt / 8] & (1u << (kt % 8)))
			kept[n++] = s->tensors[kt]; /* its values move with it */
		else
			free(s->tensors[kt].values); /* the tensor has its own, the same */
	}
	free(s->tensors);
	s->tensors = kept;
	s->n_tensors = n;
	s->changed = changed;
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
		for (i = 0; i < sg->n_tensors; i++, kt++) {
			struct tfit_tensor *t = &sg->tensors[i];
			const struct saved_tensor *st;
			if (s->changed && !(s->changed[kt / 8] & (1u << (kt % 8))))
				continue; /* not changed by the conversion */
			if (j >= s->n_tensors)
				break; /* not this model's save */
			st = &s->tensors[j++];
			t->bytes = st->bytes;
			t->data_bytes = st->data_bytes;
			t->dtype = (enum tfit_dtype)st->dtype;
			/* A conversion only sets schemes: a tensor that had a
			 * record of its own still has it, one that had none or
			 * a shared one gets that back. */
			t->ext_ = st->ext;
			if (t->ext_ && !t->ext_->shared_) {
				t->ext_->quant.scale_count = st->scale_count;
				t->ext_->quant.zero_point_count = st->zero_point_count;
				t->ext_->quant.quantized_dimension = st->quantized_dimension;
				free(t->ext_->quant.values);
				t->ext_->quant.values = st->values; /* moved back */
			} else {
				free(st->values); /* none: such a record has no numbers */
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
	free(s->tensors);
	free(s->changed);
	free(s);
}
