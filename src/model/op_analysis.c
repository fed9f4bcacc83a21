/*
 * op_analysis.c - per-op params, MACs, element ops and bytes, computed once
 * from the IR (tfit_model_analyze). The conventions are documented in
 * docs/op-conventions.md and follow the usual ones:
 *   conv2d     MACs = Hout*Wout*Cout * Kh*Kw*Cin/groups
 *   depthwise  MACs = Hout*Wout*C*mult * Kh*Kw
 *   fully conn MACs = in * out (per batch row)
 *   LSTM       MACs = steps * 4*(in+units)*units   (GRU: 3*, RNN: 1*)
 *   pooling, elementwise, data movement: 0 MACs, counted as element ops.
 * Params are the elements of an op's constant inputs, except the constant
 * "configuration" inputs of shape/axis/padding ops (reshape's shape, pad's
 * paddings, mean's axis), which are not learned parameters.
 */
#include "tinyfit/checked.h"
#include "tinyfit/graph.h"

#include <stdlib.h>
#include <string.h>

static const struct tfit_tensor *tensor_at(const struct tfit_subgraph *sg, const struct tfit_op *op,
				     uint32_t i)
{
	if (i >= op->n_inputs || op->inputs[i] < 0 || (uint32_t)op->inputs[i] >= sg->n_tensors)
		return NULL;
	return &sg->tensors[op->inputs[i]];
}

static const struct tfit_tensor *output_at(const struct tfit_subgraph *sg, const struct tfit_op *op,
				     uint32_t i)
{
	if (i >= op->n_outputs || tfit_op_outputs(op)[i] < 0 || (uint32_t)tfit_op_outputs(op)[i] >= sg->n_tensors)
		return NULL;
	return &sg->tensors[tfit_op_outputs(op)[i]];
}

static int64_t last_dim(const struct tfit_tensor *t)
{
	return t && t->rank > 0 ? tfit_dim(t, t->rank - 1) : 1;
}

/* Product of a checked chain; 0 on success, -1 on overflow. */
static int mul3(uint64_t a, uint64_t b, uint64_t c, uint64_t *out)
{
	uint64_t t;
	if (tfit_mul_u64(a, b, &t) != TFIT_OK || tfit_mul_u64(t, c, out) != TFIT_OK)
		return -1;
	return 0;
}

/* The input index holding the weights/filter, by op type. */
static int weight_input(const struct tfit_op *op)
{
	switch (op->type) {
	case TFIT_OP_TRANSPOSE_CONV:
		return 1; /* [output_shape, weights, input, bias] */
	default:
		return 1; /* [input, weights, bias, ...] */
	}
}

/* The analysis kinds whose ops count multiply-accumulates; the others
 * count element ops (or nothing). */
static int kind_counts_macs(enum tfit_analysis_kind k)
{
	switch (k) {
	case TFIT_ANALYSIS_CONV:
	case TFIT_ANALYSIS_DWCONV:
	case TFIT_ANALYSIS_TCONV:
	case TFIT_ANALYSIS_FC:
	case TFIT_ANALYSIS_BMM:
	case TFIT_ANALYSIS_LSTM:
	case TFIT_ANALYSIS_GRU:
	case TFIT_ANALYSIS_RNN:
	case TFIT_ANALYSIS_SVDF:
		return 1;
	case TFIT_ANALYSIS_NONE:
	case TFIT_ANALYSIS_POOL:
	case TFIT_ANALYSIS_ELEM:
	case TFIT_ANALYSIS_REDUCE:
	case TFIT_ANALYSIS_GATHER:
	case TFIT_ANALYSIS_MOVE:
		return 0;
	}
	return 0;
}

int tfit_op_type_counts_macs(enum tfit_op_type type)
{
	return kind_counts_macs(tfit_op_desc(type)->analysis);
}

/*
 * The work of one op: its MACs when its kind counts them
 * (kind_counts_macs()), else its element ops. One number, because no op
 * has both (struct tfit_op keeps one field for them).
 */
static int compute_work(const struct tfit_subgraph *sg, const struct tfit_op *op, uint64_t *work)
{
	const struct tfit_op_desc *d = tfit_op_desc(op->type);
	const struct tfit_tensor *out = output_at(sg, op, 0);
	const struct tfit_tensor *in = tensor_at(sg, op, 0);
	const struct tfit_tensor *w = tensor_at(sg, op, (uint32_t)weight_input(op));
	int64_t wdims[TFIT_MAX_RANK], idims[TFIT_MAX_RANK];
	const int64_t *wd = w ? wdims : NULL, *id = in ? idims : NULL;
	uint64_t out_elems = out ? tfit_tensor_elements(out) : 0;
	uint64_t per, steps, batch, units, inner;
	uint32_t i;

	if (w)
		tfit_tensor_copy_dims(w, wdims);
	if (in)
		tfit_tensor_copy_dims(in, idims);
	*work = 0;
	switch (d->analysis) {
	case TFIT_ANALYSIS_CONV: {
		/* per output element: filter elements / Cout. conv_2d filter is
		 * OHWI (Cout first); conv_3d is DHWIO (Cout last). */
		int64_t cout = 1;
		if (!w || w->rank == 0)
			return 0;
		cout = op->type == TFIT_OP_CONV_3D ? last_dim(w) : wd[0];
		if (cout <= 0)
			return 0;
		per = tfit_tensor_elements(w) / (uint64_t)cout;
		return tfit_mul_u64(out_elems, per, work) == TFIT_OK ? 0 : -1;
	}
	case TFIT_ANALYSIS_DWCONV:
		/* filter [1, Kh, Kw, C*mult]: Kh*Kw MACs per output element */
		if (!w || w->rank < 3)
			return 0;
		return mul3(out_elems, (uint64_t)wd[1], (uint64_t)wd[2], work);
	case TFIT_ANALYSIS_TCONV: {
		/* every input element scatters into Kh*Kw*Cout outputs */
		const struct tfit_tensor *x = tensor_at(sg, op, 2);
		if (!w || w->rank < 4 || !x)
			return 0;
		if (mul3(tfit_tensor_elements(x), (uint64_t)wd[1], (uint64_t)wd[2], &per) != 0)
			return -1;
		return tfit_mul_u64(per, (uint64_t)wd[0], work) == TFIT_OK ? 0 : -1;
	}
	case TFIT_ANALYSIS_FC:
		/* weights [out, in]: in MACs per output element */
		if (!w || w->rank < 2)
			return 0;
		return tfit_mul_u64(out_elems, (uint64_t)last_dim(w), work) == TFIT_OK ? 0 : -1;
	case TFIT_ANALYSIS_BMM:
		/* [.., M, K] x [.., K, N]: K MACs per output element */
		return tfit_mul_u64(out_elems, (uint64_t)last_dim(in), work) == TFIT_OK ? 0 : -1;
	case TFIT_ANALYSIS_POOL: {
		uint64_t win = (uint64_t)(op->opt->filter_h > 0 ? op->opt->filter_h : 1) *
			       (uint64_t)(op->opt->filter_w > 0 ? op->opt->filter_w : 1);
		return tfit_mul_u64(out_elems, win, work) == TFIT_OK ? 0 : -1;
	}
	case TFIT_ANALYSIS_REDUCE:
		*work = in ? tfit_tensor_elements(in) : out_elems;
		return 0;
	case TFIT_ANALYSIS_ELEM:
	case TFIT_ANALYSIS_MOVE:
	case TFIT_ANALYSIS_GATHER:
		for (i = 0; i < op->n_outputs; i++) {
			const struct tfit_tensor *o = output_at(sg, op, i);
			if (o && tfit_acc_u64(work, tfit_tensor_elements(o)) != TFIT_OK)
				return -1;
		}
		return 0;
	case TFIT_ANALYSIS_LSTM:
	case TFIT_ANALYSIS_GRU:
	case TFIT_ANALYSIS_RNN: {
		/* input [B, T, in] (batch major) or [T, B, in] (time major);
		 * output [B, T, units] or [B, units]. */
		uint64_t gates = d->analysis == TFIT_ANALYSIS_LSTM ? 4 :
				 d->analysis == TFIT_ANALYSIS_GRU ? 3 : 1;
		if (!in || !out || in->rank < 2)
			return 0;
		units = (uint64_t)(op->opt->units > 0 ? op->opt->units : last_dim(out));
		inner = (uint64_t)last_dim(in);
		if (in->rank >= 3) {
			steps = (uint64_t)(op->opt->time_major ? id[0] : id[1]);
			batch = (uint64_t)(op->opt->time_major ? id[1] : id[0]);
		} else {
			steps = 1;
			batch = (uint64_t)id[0];
		}
		if (op->type == TFIT_OP_BIDIRECTIONAL_SEQUENCE_LSTM)
			gates *= 2;
		{
			uint64_t a, b2, c;
			if (tfit_add_u64(inner, units, &a) != TFIT_OK || mul3(gates, a, units, &b2) != 0 ||
			    mul3(b2, steps, batch, &c) != 0)
				return -1;
			*work = c;
		}
		return 0;
	}
	case TFIT_ANALYSIS_SVDF: {
		/* weights_feature [filters, in], weights_time [filters, memory] */
		const struct tfit_tensor *wf = tensor_at(sg, op, 1);
		const struct tfit_tensor *wt = tensor_at(sg, op, 2);
		uint64_t a = wf ? tfit_tensor_elements(wf) : 0, b = wt ? tfit_tensor_elements(wt) : 0;
		batch = in && in->rank > 0 ? (uint64_t)id[0] : 1;
		if (tfit_add_u64(a, b, &a) != TFIT_OK || tfit_mul_u64(a, batch, work) != TFIT_OK)
			return -1;
		return 0;
	}
	case TFIT_ANALYSIS_NONE:
		return 0;
	}
	return 0;
}

static int counts_as_params(const struct tfit_op *op)
{
	enum tfit_analysis_kind k = tfit_op_desc(op->type)->analysis;
	return k != TFIT_ANALYSIS_MOVE && k != TFIT_ANALYSIS_NONE && k != TFIT_ANALYSIS_REDUCE;
}

/*
 * The bytes of op's constant inputs into *bytes and its deployed params
 * (their elements, but for configuration inputs: docs/op-conventions.md)
 * into *params: 0, or -1 when either overflows (that one saturated).
 */
static int sum_const_inputs(const struct tfit_subgraph *sg, const struct tfit_op *op,
			    uint64_t *bytes, uint64_t *params)
{
	int counts = counts_as_params(op), rc = 0;
	uint32_t i;
	*bytes = *params = 0;
	for (i = 0; i < op->n_inputs; i++) {
		const struct tfit_tensor *t = tensor_at(sg, op, i);
		if (!t || !(t->flags & TFIT_TENSOR_CONST))
			continue;
		if (tfit_acc_u64(bytes, tfit_tensor_bytes(t)) != TFIT_OK) {
			*bytes = UINT64_MAX;
			rc = -1;
		}
		/* TRANSPOSE_CONV's input 0 is its int32 output shape: configuration */
		if (!counts || (op->type == TFIT_OP_TRANSPOSE_CONV && i == 0))
			continue;
		if (tfit_acc_u64(params, tfit_tensor_elements(t)) != TFIT_OK) {
			*params = UINT64_MAX;
			rc = -1;
		}
	}
	return rc;
}

uint64_t tfit_op_weights_bytes(const struct tfit_subgraph *sg, const struct tfit_op *op)
{
	uint64_t bytes, params;
	(void)sum_const_inputs(sg, op, &bytes, &params);
	return bytes;
}

uint64_t tfit_op_params(const struct tfit_subgraph *sg, const struct tfit_op *op)
{
	uint64_t bytes, params;
	(void)sum_const_inputs(sg, op, &bytes, &params);
	return params;
}

uint64_t tfit_op_source_params(const struct tfit_subgraph *sg, const struct tfit_op *op)
{
	uint64_t params = tfit_op_params(sg, op);
	int64_t delta = tfit_op_source_params_delta(op);
	if (delta < 0)
		return (uint64_t)(-(delta + 1)) + 1 > params
			? 0 : params - ((uint64_t)(-(delta + 1)) + 1);
	return params > UINT64_MAX - (uint64_t)delta ? UINT64_MAX : params + (uint64_t)delta;
}

static enum tfit_status analyze_op(const struct tfit_model *m, const struct tfit_subgraph *sg,
				   struct tfit_op *op, uint32_t index, struct tfit_error *err)
{
	uint32_t i;
	const struct tfit_tensor *w;
	uint64_t bytes, params, chk = 0;

	op->cost_class = tfit_op_desc(op->type)->cost_class;
	op->is_1x1 = 0;
	/* tfit_op_weights_bytes() and tfit_op_params() sum them again, saturating */
	if (sum_const_inputs(sg, op, &bytes, &params) != 0)
		goto overflow;
	for (i = 0; i < op->n_outputs; i++) {
		const struct tfit_tensor *t = output_at(sg, op, i);
		/* tfit_op_output_bytes() sums them again, unchecked */
		if (t && tfit_acc_u64(&chk, tfit_tensor_bytes(t)) != TFIT_OK)
			goto overflow;
	}
	if (compute_work(sg, op, &op->work_) != 0)
		goto overflow;
	/* tfit_op_source_params() adds them again, unchecked */
	if (tfit_op_source_params_delta(op) > 0 &&
	    tfit_add_u64(params, (uint64_t)tfit_op_source_params_delta(op), &chk) != TFIT_OK)
		goto overflow;
	w = tensor_at(sg, op, 1);
	if (op->type == TFIT_OP_CONV_2D && w && w->rank == 4 && tfit_dim(w, 1) == 1 &&
	    tfit_dim(w, 2) == 1 && op->opt->stride_h == 1 && op->opt->stride_w == 1)
		op->is_1x1 = 1;
	return TFIT_OK;
overflow:
	return tfit_error_set(err, TFIT_ERR_INPUT, m->path, NULL,
			      "op %u (%s%s%s): its size or work overflows 64 bits", index,
			      tfit_op_desc(op->type)->name, op->name ? " " : "",
			      op->name ? op->name : "");
}

struct buffer_use {
	int32_t buffer;
	uint64_t bytes;
};

static int cmp_buffer_use(const void *a, const void *b)
{
	int32_t x = ((const struct buffer_use *)a)->buffer;
	int32_t y = ((const struct buffer_use *)b)->buffer;
	return (x > y) - (x < y);
}

/*
 * Weight bytes count each constant tensor once, even when two ops share it,
 * and each .tflite buffer once, even when two tensors point at it: the
 * converter stores identical constants in one buffer, which the file and the
 * flash image hold once. Of the tensors sharing a buffer, the largest counts.
 */
static enum tfit_status sum_weights_bytes(struct tfit_model *m, const struct tfit_subgraph *sg,
					  struct tfit_error *err)
{
	struct buffer_use *use = NULL;
	uint32_t i, n = 0;
	enum tfit_status rc = TFIT_OK;

	for (i = 0; i < sg->n_tensors; i++)
		if ((sg->tensors[i].flags & TFIT_TENSOR_CONST) && sg->tensors[i].buffer > 0)
			n++;
	if (n > 0 && !(use = malloc((size_t)n * sizeof(*use))))
		return tfit_error_set(err, TFIT_ERR_NOMEM, m->path, NULL, "out of memory");
	n = 0;
	for (i = 0; i < sg->n_tensors; i++) {
		const struct tfit_tensor *t = &sg->tensors[i];
		if (!(t->flags & TFIT_TENSOR_CONST))
			continue;
		if (t->buffer > 0) {
			use[n].buffer = t->buffer;
			use[n++].bytes = tfit_tensor_bytes(t);
		} else if (tfit_acc_u64(&m->weights_bytes, tfit_tensor_bytes(t)) != TFIT_OK) {
			goto overflow;
		}
	}
	if (n > 0)
		qsort(use, n, sizeof(*use), cmp_buffer_use);
	for (i = 0; i < n;) {
		uint64_t largest = use[i].bytes;
		uint32_t j = i + 1;
		for (; j < n && use[j].buffer == use[i].buffer; j++)
			if (use[j].bytes > largest)
				largest = use[j].bytes;
		if (tfit_acc_u64(&m->weights_bytes, largest) != TFIT_OK)
			goto overflow;
		i = j;
	}
	free(use);
	return rc;
overflow:
	free(use);
	return tfit_error_set(err, TFIT_ERR_INPUT, m->path, NULL,
			      "model totals overflow 64 bits");
}

enum tfit_status tfit_model_analyze(struct tfit_model *m, struct tfit_error *err)
{
	uint32_t s, i;
	enum tfit_status rc;

	m->params = m->deployed_params = m->macs = m->elem_ops = m->weights_bytes = 0;
	for (s = 0; s < m->n_subgraphs; s++) {
		struct tfit_subgraph *sg = &m->subgraphs[s];
		for (i = 0; i < sg->n_ops; i++) {
			rc = analyze_op(m, sg, &sg->ops[i], i, err);
			if (rc != TFIT_OK)
				return rc;
		}
	}
	if (m->n_subgraphs == 0)
		return TFIT_OK;
	{
		const struct tfit_subgraph *sg = &m->subgraphs[0];
		for (i = 0; i < sg->n_ops; i++) {
			const struct tfit_op *op = &sg->ops[i];
			if (tfit_acc_u64(&m->params, tfit_op_source_params(sg, op)) != TFIT_OK ||
			    tfit_acc_u64(&m->deployed_params, tfit_op_params(sg, op)) != TFIT_OK ||
			    tfit_acc_u64(&m->macs, tfit_op_macs(op)) != TFIT_OK ||
			    tfit_acc_u64(&m->elem_ops, tfit_op_elem_ops(op)) != TFIT_OK)
				goto overflow;
		}
		rc = sum_weights_bytes(m, sg, err);
		if (rc != TFIT_OK)
			return rc;
	}
	if (m->framework_params)
		m->params = m->framework_params;
	return TFIT_OK;
overflow:
	return tfit_error_set(err, TFIT_ERR_INPUT, m->path, NULL,
			      "model totals overflow 64 bits");
}
