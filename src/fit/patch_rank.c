/*
 * patch_rank.c - figures that rank a patch-based rewrite before it is
 * planned (patch_search.c): a lower bound of its head and a rough figure
 * of its tail (docs/optimize.md section 4, "The search").
 */
#include "fit/patch_halo.h"

#include <stdlib.h>

static uint64_t rw_bytes(const struct tfit_model *m, const struct tfit_rw *rw, uint32_t i)
{
	const struct tfit_rw_tensor *t = &rw->tensors[i];
	uint64_t n = 1;
	int32_t j;
	if (t->keep) {
		const struct tfit_tensor *o = halo_tensor(m, (int32_t)i);
		if (o->flags & (TFIT_TENSOR_CONST | TFIT_TENSOR_VARIABLE))
			return 0;
		return (tfit_tensor_bytes(o) + 15) / 16 * 16;
	}
	if (t->like < 0)
		return 0;
	for (j = 0; j < t->rank; j++)
		n *= (uint64_t)t->dims[j];
	n *= tfit_dtype_bits(halo_tensor(m, t->like)->dtype) / 8;
	return (n + 15) / 16 * 16;
}

uint64_t tfit_patch_head_bound(const struct tfit_model *m, const struct tfit_rw *rw)
{
	const struct tfit_subgraph *sg = &m->subgraphs[0];
	int64_t *first = malloc(sizeof(int64_t) * rw->n_tensors);
	int64_t *last = malloc(sizeof(int64_t) * rw->n_tensors);
	int64_t *delta = calloc((size_t)rw->n_ops + 2, sizeof(int64_t));
	uint64_t best = 0;
	int64_t cur = 0;
	uint32_t i, k, j;
	if (!first || !last || !delta) {
		best = UINT64_MAX;
		goto out;
	}
	for (i = 0; i < rw->n_tensors; i++) {
		first[i] = -1;
		last[i] = -1;
	}
	for (i = 0; i < sg->n_inputs; i++)
		if (sg->inputs[i] >= 0 && (uint32_t)sg->inputs[i] < rw->n_tensors)
			first[sg->inputs[i]] = 0;
	for (k = 0; k < rw->n_ops; k++) {
		const struct tfit_rw_op *o = &rw->ops[k];
		const int32_t *in, *out;
		uint32_t n_in, n_out;
		if (o->orig >= 0) {
			in = sg->ops[o->orig].inputs;
			n_in = sg->ops[o->orig].n_inputs;
			out = tfit_op_outputs(&sg->ops[o->orig]);
			n_out = sg->ops[o->orig].n_outputs;
		} else {
			in = o->inputs;
			n_in = o->n_inputs;
			out = &o->output;
			n_out = 1;
		}
		for (j = 0; j < n_in; j++)
			if (in[j] >= 0) {
				if (first[in[j]] < 0)
					first[in[j]] = k;
				last[in[j]] = k;
			}
		for (j = 0; j < n_out; j++)
			if (out[j] >= 0) {
				if (first[out[j]] < 0)
					first[out[j]] = k;
				last[out[j]] = k;
			}
	}
	for (i = 0; i < sg->n_outputs; i++)
		if (sg->outputs[i] >= 0 && (uint32_t)sg->outputs[i] < rw->n_tensors)
			last[sg->outputs[i]] = rw->n_ops ? rw->n_ops - 1 : 0;
	for (i = 0; i < rw->n_tensors; i++) {
		uint64_t b;
		if (first[i] < 0)
			continue;
		b = rw_bytes(m, rw, i);
		delta[first[i]] += (int64_t)b;
		delta[last[i] + 1] -= (int64_t)b;
	}
	for (k = 0; k < rw->n_ops; k++) {
		cur += delta[k];
		if ((uint64_t)cur > best)
			best = (uint64_t)cur;
	}
out:
	free(first);
	free(last);
	free(delta);
	return best;
}

/* ---- a ranking proxy of the tail ------------------------------------------ */

/* Rough persistent bytes of one op on 32-bit TFLM: its NodeAndRegistration
 * and, for an int8 convolution, the kernel's per-channel multiplier and
 * shift arrays (8 bytes per output channel, kernels/conv_common.cc) plus
 * its OpData. Only used to rank candidates before they are planned. */
static uint64_t op_tail(const struct tfit_model *m, int32_t builtin, int32_t out_like)
{
	const struct tfit_tensor *o = halo_tensor(m, out_like);
	uint64_t b = 32 + 48;
	if ((builtin == TFIT_TFL_CONV_2D || builtin == TFIT_TFL_DEPTHWISE_CONV_2D) &&
	    o->dtype == TFIT_DTYPE_INT8 && o->rank == 4)
		b += 8 * (uint64_t)tfit_dim(o, 3);
	return b;
}

uint64_t tfit_patch_tail_proxy(const struct tfit_model *m, const struct tfit_rw *rw)
{
	const struct tfit_subgraph *sg = &m->subgraphs[0];
	uint64_t b = 12 * (uint64_t)rw->n_tensors;
	uint32_t k;
	for (k = 0; k < rw->n_ops; k++) {
		const struct tfit_rw_op *o = &rw->ops[k];
		if (o->orig >= 0) {
			const struct tfit_op *x = &sg->ops[o->orig];
			int32_t code = tfit_op_desc(x->type)->tflite_code;
			if (x->n_outputs && tfit_op_outputs(x)[0] >= 0)
				b += op_tail(m, code, tfit_op_outputs(x)[0]);
		} else {
			const struct tfit_rw_tensor *t = &rw->tensors[o->output];
			b += op_tail(m, o->builtin, t->keep ? o->output : t->like);
		}
	}
	return b;
}
