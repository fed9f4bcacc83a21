/*
 * patch_halo.c - patch-based execution of a stage of CONV_2D, DEPTHWISE_CONV_2D,
 * PAD and ADD ops (docs/optimize.md section 4).
 *
 * The stage's output S (H x W) is cut into gh x gw tiles. For each tile the
 * region every stage tensor must hold is found backwards through the ops
 * (the receptive field: a conv's output rows [o0, o1) need input rows
 * [o0*s - pad, (o1-1)*s - pad + (k-1)*d + 1), a PAD's shift by its
 * leading amount, an ADD's are its output's), clipped to the tensor (the
 * part outside is padding) and joined over the tensor's consumers. Then the
 * tile's ops are emitted in the stage's order: each input is cut from the
 * tensor that holds it (STRIDED_SLICE, when the region held is larger),
 * the part of the receptive field outside the tensor is added explicitly
 * (PAD, whose value is the tensor's zero point for int8 and 0 for float, as
 * TFLM's conv pads: tflite-micro 90b983c2b3f1 kernels/pad.cc uses the
 * output zero point; conv's padded taps contribute (zp + input_offset) = 0),
 * and every conv runs with padding VALID. Each output value is computed
 * from the same input values, weights and arithmetic as before, so the
 * outputs are the same bytes. The tiles of a row are concatenated along W
 * after the row, the rows along H into S at the end (CONCATENATION, at most
 * 10 inputs: concatenation.cc kMaxInputNum). TFLM runs the ops in this
 * order, so only one tile's intermediates are live at a time.
 *
 * TFLM's SAME padding (kernels/padding.h ComputePaddingHeightWidth): out =
 * ceil(in / stride), total = max(0, (out-1)*stride + (k-1)*d + 1 - in), the
 * top/left pad total / 2 (the odd pixel goes to the bottom/right).
 *
 * This file finds the stage and each tile's regions (and MACs);
 * patch_emit.c writes the ops, patch_rank.c ranks a rewrite.
 */
#include "fit/patch_halo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void rect_join(struct rect *a, const struct rect *b)
{
	if (rect_empty(b))
		return;
	if (rect_empty(a)) {
		*a = *b;
		return;
	}
	if (b->h0 < a->h0) a->h0 = b->h0;
	if (b->h1 > a->h1) a->h1 = b->h1;
	if (b->w0 < a->w0) a->w0 = b->w0;
	if (b->w1 > a->w1) a->w1 = b->w1;
}

static uint64_t rect_area(const struct rect *r)
{
	return rect_empty(r) ? 0 : (uint64_t)(r->h1 - r->h0) * (uint64_t)(r->w1 - r->w0);
}

static int is_act4(const struct tfit_model *m, int32_t i)
{
	const struct tfit_tensor *t;
	if (i < 0 || (uint32_t)i >= m->subgraphs[0].n_tensors)
		return 0;
	t = halo_tensor(m, i);
	return t->rank == 4 && tfit_dim(t, 0) == 1 && !(t->flags & (TFIT_TENSOR_CONST |
							       TFIT_TENSOR_VARIABLE)) &&
	       (t->dtype == TFIT_DTYPE_INT8 || t->dtype == TFIT_DTYPE_FLOAT32) &&
	       tfit_dim(t, 1) > 0 && tfit_dim(t, 2) > 0 && tfit_dim(t, 3) > 0 &&
	       tfit_dim(t, 1) < (1 << 24) &&
	       tfit_dim(t, 2) < (1 << 24);
}

static int is_const(const struct tfit_model *m, int32_t i)
{
	return i >= 0 && (uint32_t)i < m->subgraphs[0].n_tensors &&
	       (halo_tensor(m, i)->flags & TFIT_TENSOR_CONST) &&
	       !(halo_tensor(m, i)->flags & TFIT_TENSOR_DATA_OUTSIDE);
}

static int same_quant(const struct tfit_tensor *a, const struct tfit_tensor *b)
{
	return a->dtype == b->dtype && tfit_tensor_quant(a)->scale_count == tfit_tensor_quant(b)->scale_count &&
	       tfit_tensor_quant(a)->zero_point_count == tfit_tensor_quant(b)->zero_point_count &&
	       tfit_tensor_quant(a)->values && tfit_tensor_quant(b)->values &&
	       tfit_tensor_quant(a)->values->scale_min == tfit_tensor_quant(b)->values->scale_min &&
	       tfit_tensor_quant(a)->values->scale_max == tfit_tensor_quant(b)->values->scale_max &&
	       tfit_tensor_quant(a)->values->zero_point_min == tfit_tensor_quant(b)->values->zero_point_min &&
	       tfit_tensor_quant(a)->values->zero_point_max == tfit_tensor_quant(b)->values->zero_point_max;
}

/* TFLM's padding.h: output size and leading padding of one dimension. */
static int tflm_pad(enum tfit_padding p, int32_t in, int32_t k, int32_t s, int32_t d,
		    int32_t *out, int32_t *lead)
{
	int32_t eff = (k - 1) * d + 1, total;
	if (s <= 0 || d <= 0 || k <= 0)
		return -1;
	*out = p == TFIT_PAD_SAME ? (in + s - 1) / s : (in + s - eff) / s;
	total = (*out - 1) * s + eff - in;
	*lead = total > 0 ? total / 2 : 0;
	return 0;
}

/* The PAD op's amounts from its constant [4, 2] paddings. */
static int pad_amounts(const struct tfit_model *m, const uint8_t *data, size_t len, int32_t t,
		       int64_t v[8])
{
	const struct tfit_tensor *p = halo_tensor(m, t);
	unsigned w = p->dtype == TFIT_DTYPE_INT32 ? 4 : p->dtype == TFIT_DTYPE_INT64 ? 8 : 0;
	unsigned i, b;
	if (!w || p->rank != 2 || tfit_dim(p, 0) != 4 || tfit_dim(p, 1) != 2 || !tfit_tensor_data_offset(p) ||
	    tfit_tensor_data_bytes(p) < 8u * w || tfit_tensor_data_offset(p) + 8u * w > len)
		return -1;
	for (i = 0; i < 8; i++) {
		uint64_t u = 0;
		for (b = 0; b < w; b++)
			u |= (uint64_t)data[tfit_tensor_data_offset(p) + i * w + b] << (8 * b);
		v[i] = w == 4 ? (int64_t)(int32_t)(uint32_t)u : (int64_t)u;
	}
	return 0;
}

#define WHY(...) (snprintf(why, why_size, __VA_ARGS__), 0)

static int analyze(const struct tfit_model *m, const uint8_t *data, size_t len, uint32_t first,
		   uint32_t end, struct sop *s, struct tfit_patch_stage *st, char *why,
		   size_t why_size)
{
	const struct tfit_subgraph *sg = &m->subgraphs[0];
	uint32_t k, j, i;
	if (first >= end || end > sg->n_ops)
		return WHY("no ops");
	for (k = first; k < end; k++) {
		const struct tfit_op *op = &sg->ops[k];
		struct sop *x = &s[k - first];
		const struct tfit_tensor *o;
		memset(x, 0, sizeof(*x));
		x->op = (int32_t)k;
		if (op->n_outputs != 1 || !is_act4(m, tfit_op_outputs(op)[0]))
			return WHY("op %u: its output is not one 4-D int8 or float32 tensor of batch 1",
				   k);
		x->out = tfit_op_outputs(op)[0];
		o = halo_tensor(m, x->out);
		if (op->type == TFIT_OP_CONV_2D || op->type == TFIT_OP_DEPTHWISE_CONV_2D) {
			const struct tfit_tensor *in, *f;
			int32_t oh, ow;
			if (op->n_inputs < 2 || op->n_inputs > 3 || !is_act4(m, op->inputs[0]) ||
			    !is_const(m, op->inputs[1]) ||
			    (op->n_inputs == 3 && op->inputs[2] >= 0 && !is_const(m, op->inputs[2])))
				return WHY("op %u: a convolution whose input is not a 4-D "
					   "activation or whose weights are not constant", k);
			in = halo_tensor(m, op->inputs[0]);
			f = halo_tensor(m, op->inputs[1]);
			if (in->dtype != o->dtype || f->rank != 4)
				return WHY("op %u: mixed types or a filter that is not 4-D", k);
			x->kind = op->type == TFIT_OP_CONV_2D ? SK_CONV : SK_DW;
			x->in[0] = op->inputs[0];
			x->n_in = 1;
			x->kh = (int32_t)tfit_dim(f, 1);
			x->kw = (int32_t)tfit_dim(f, 2);
			x->sh = op->opt->stride_h;
			x->sw = op->opt->stride_w;
			x->dh = op->opt->dilation_h;
			x->dw = op->opt->dilation_w;
			if (tflm_pad(op->opt->padding, (int32_t)tfit_dim(in, 1), x->kh, x->sh, x->dh, &oh,
				     &x->pt) ||
			    tflm_pad(op->opt->padding, (int32_t)tfit_dim(in, 2), x->kw, x->sw, x->dw, &ow,
				     &x->pl) ||
			    oh != tfit_dim(o, 1) || ow != tfit_dim(o, 2))
				return WHY("op %u: output shape is not TFLM's for its padding", k);
			x->mpp = tfit_op_macs(op) / ((uint64_t)tfit_dim(o, 1) * (uint64_t)tfit_dim(o, 2));
		} else if (op->type == TFIT_OP_PAD) {
			int64_t v[8];
			const struct tfit_tensor *in;
			if (op->n_inputs != 2 || !is_act4(m, op->inputs[0]) ||
			    !is_const(m, op->inputs[1]) ||
			    pad_amounts(m, data, len, op->inputs[1], v))
				return WHY("op %u: a PAD without a constant [4, 2] paddings input", k);
			in = halo_tensor(m, op->inputs[0]);
			if (v[0] || v[1] || v[6] || v[7] || v[2] < 0 || v[3] < 0 || v[4] < 0 ||
			    v[5] < 0 || v[2] > 1024 || v[3] > 1024 || v[4] > 1024 || v[5] > 1024 ||
			    tfit_dim(in, 1) + v[2] + v[3] != tfit_dim(o, 1) ||
			    tfit_dim(in, 2) + v[4] + v[5] != tfit_dim(o, 2) ||
			    tfit_dim(in, 3) != tfit_dim(o, 3))
				return WHY("op %u: a PAD of the batch or channels, or negative", k);
			if (!same_quant(in, o))
				return WHY("op %u: a PAD whose output quantization differs from its "
					   "input's", k);
			x->kind = SK_PAD;
			x->in[0] = op->inputs[0];
			x->n_in = 1;
			x->pt = (int32_t)v[2];
			x->pl = (int32_t)v[4];
		} else if (op->type == TFIT_OP_ADD) {
			if (op->n_inputs != 2 || !is_act4(m, op->inputs[0]) ||
			    !is_act4(m, op->inputs[1]))
				return WHY("op %u: an ADD of a constant", k);
			for (i = 0; i < 2; i++)
				for (j = 1; j < 4; j++)
					if (tfit_dim(halo_tensor(m, op->inputs[i]), j) != tfit_dim(o, j))
						return WHY("op %u: an ADD that broadcasts", k);
			x->kind = SK_ADD;
			x->in[0] = op->inputs[0];
			x->in[1] = op->inputs[1];
			x->n_in = 2;
		} else {
			return WHY("op %u (%s) is not CONV_2D, DEPTHWISE_CONV_2D, PAD or ADD", k,
				   tfit_op_desc(op->type)->name);
		}
	}
	if (s[0].kind == SK_ADD)
		return WHY("the stage starts with an ADD");
	st->first = first;
	st->end = end;
	st->in = s[0].in[0];
	st->out = s[end - first - 1].out;
	/* every activation input: the stage input or an earlier stage output */
	for (k = 0; k < end - first; k++)
		for (i = 0; i < s[k].n_in; i++) {
			int32_t t = s[k].in[i];
			int found = t == st->in;
			for (j = 0; j < k && !found; j++)
				found = s[j].out == t;
			if (!found)
				return WHY("op %u reads a tensor from outside the stage other than "
					   "its input", s[k].op);
		}
	for (k = 0; k < end - first; k++)
		if (s[k].out == st->in)
			return WHY("the stage writes its input");
	/* internal tensors: used inside only, and used */
	for (k = 0; k + 1 < end - first; k++) {
		int32_t t = s[k].out;
		int used = 0;
		for (j = 0; j < sg->n_outputs; j++)
			if (sg->outputs[j] == t)
				return WHY("op %u's output is a model output", s[k].op);
		for (j = 0; j < sg->n_ops; j++) {
			const struct tfit_op *op = &sg->ops[j];
			uint32_t n_mid;
			const int32_t *mid = tfit_op_intermediates(op, &n_mid);
			for (i = 0; i < op->n_inputs + n_mid; i++) {
				int32_t u = i < op->n_inputs ? op->inputs[i] : mid[i - op->n_inputs];
				if (u != t)
					continue;
				if (j < first || j >= end)
					return WHY("op %u's output is also read after the stage",
						   s[k].op);
				used = 1;
			}
		}
		if (!used)
			return WHY("op %u's output is not used", s[k].op);
	}
	return 1;
}

struct sop *tfit_halo_stage_ops(const struct tfit_model *m, const uint8_t *data, size_t len,
				const struct tfit_patch_stage *st)
{
	struct tfit_patch_stage tmp;
	char why[160];
	struct sop *s = calloc(st->end - st->first, sizeof(*s));
	if (s && !analyze(m, data, len, st->first, st->end, s, &tmp, why, sizeof(why))) {
		free(s);
		return NULL;
	}
	return s;
}

int tfit_patch_stage_check(const struct tfit_model *m, const uint8_t *data, size_t len,
			   uint32_t first, uint32_t end, struct tfit_patch_stage *st,
			   char *why, size_t why_size)
{
	struct sop *s;
	int ok;
	if (first >= end || end > m->subgraphs[0].n_ops)
		return WHY("no ops");
	s = calloc(end - first, sizeof(*s));
	if (!s)
		return WHY("out of memory");
	ok = analyze(m, data, len, first, end, s, st, why, why_size);
	free(s);
	return ok;
}

struct rect tfit_halo_tile(int32_t h, int32_t w, uint32_t gh, uint32_t gw, uint32_t r,
			   uint32_t c)
{
	struct rect t;
	t.h0 = (int32_t)((int64_t)h * r / gh);
	t.h1 = (int32_t)((int64_t)h * (r + 1) / gh);
	t.w0 = (int32_t)((int64_t)w * c / gw);
	t.w1 = (int32_t)((int64_t)w * (c + 1) / gw);
	return t;
}

/* Regions for one tile: need[t] per tensor (clipped), req[k] per op (the
 * op's input window, unclipped). need has one entry per tensor of sg 0. */
void tfit_halo_regions(const struct tfit_model *m, const struct sop *s, uint32_t n,
		       struct rect t, struct rect *need, struct rect *req)
{
	uint32_t k, i;
	for (k = 0; k < n; k++)
		for (i = 0; i < s[k].n_in; i++)
			memset(&need[s[k].in[i]], 0, sizeof(struct rect));
	for (k = 0; k < n; k++)
		memset(&need[s[k].out], 0, sizeof(struct rect));
	need[s[n - 1].out] = t;
	for (k = n; k-- > 0;) {
		const struct sop *x = &s[k];
		struct rect r = need[x->out], q = r;
		memset(&req[k], 0, sizeof(req[k]));
		if (rect_empty(&r))
			continue;
		if (x->kind == SK_CONV || x->kind == SK_DW) {
			q.h0 = r.h0 * x->sh - x->pt;
			q.h1 = (r.h1 - 1) * x->sh - x->pt + (x->kh - 1) * x->dh + 1;
			q.w0 = r.w0 * x->sw - x->pl;
			q.w1 = (r.w1 - 1) * x->sw - x->pl + (x->kw - 1) * x->dw + 1;
		} else if (x->kind == SK_PAD) {
			q.h0 = r.h0 - x->pt;
			q.h1 = r.h1 - x->pt;
			q.w0 = r.w0 - x->pl;
			q.w1 = r.w1 - x->pl;
		}
		req[k] = q;
		for (i = 0; i < x->n_in; i++) {
			const struct tfit_tensor *in = halo_tensor(m, x->in[i]);
			struct rect c = rect_clip(q, (int32_t)tfit_dim(in, 1),
						  (int32_t)tfit_dim(in, 2));
			rect_join(&need[x->in[i]], &c);
		}
	}
}

/* MACs of one stage run as its grid's tiles (UINT64_MAX on OOM). */
static uint64_t stage_macs(const struct tfit_model *m, const uint8_t *data, size_t len,
			   const struct tfit_patch_stage *st, uint64_t *orig)
{
	uint32_t n = st->end - st->first, r, c, k;
	struct sop *s = tfit_halo_stage_ops(m, data, len, st);
	struct rect *need = calloc(m->subgraphs[0].n_tensors, sizeof(*need));
	struct rect *req = calloc(n, sizeof(*req));
	const struct tfit_tensor *o;
	uint64_t macs = 0;
	*orig = 0;
	if (!s || !need || !req) {
		macs = UINT64_MAX;
		goto out;
	}
	for (k = 0; k < n; k++)
		*orig += tfit_op_macs(&m->subgraphs[0].ops[s[k].op]);
	o = halo_tensor(m, st->out);
	for (r = 0; r < st->gh; r++)
		for (c = 0; c < st->gw; c++) {
			struct rect t = tfit_halo_tile((int32_t)tfit_dim(o, 1), (int32_t)tfit_dim(o, 2),
						       st->gh, st->gw, r, c);
			tfit_halo_regions(m, s, n, t, need, req);
			for (k = 0; k < n; k++)
				macs += rect_area(&need[s[k].out]) * s[k].mpp;
		}
out:
	free(s);
	free(need);
	free(req);
	return macs;
}

uint64_t tfit_patch_macs(const struct tfit_model *m, const uint8_t *data, size_t len,
			 const struct tfit_patch_stage *st, uint32_t n_stages)
{
	uint64_t macs = m->macs, orig, pm;
	uint32_t i;
	for (i = 0; i < n_stages; i++) {
		if ((pm = stage_macs(m, data, len, &st[i], &orig)) == UINT64_MAX)
			return UINT64_MAX;
		macs = macs - orig + pm;
	}
	return macs;
}
