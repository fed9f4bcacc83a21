/*
 * patch.c - patch-based execution of a stage of CONV_2D, DEPTHWISE_CONV_2D,
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
 */
#include "fit/patch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum skind { SK_CONV, SK_DW, SK_PAD, SK_ADD };

struct sop {
	enum skind kind;
	int32_t op;
	int32_t in[2];
	uint32_t n_in;
	int32_t out;
	int32_t kh, kw, sh, sw, dh, dw;
	int32_t pt, pl;       /* conv: top/left padding; PAD: leading amounts */
	uint64_t mpp;         /* MACs per output pixel */
};

struct rect {
	int32_t h0, h1, w0, w1;
};

static int rect_empty(const struct rect *r)
{
	return r->h1 <= r->h0 || r->w1 <= r->w0;
}

static int rect_eq(const struct rect *a, const struct rect *b)
{
	return a->h0 == b->h0 && a->h1 == b->h1 && a->w0 == b->w0 && a->w1 == b->w1;
}

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

static struct rect rect_clip(struct rect r, int32_t h, int32_t w)
{
	if (r.h0 < 0) r.h0 = 0;
	if (r.w0 < 0) r.w0 = 0;
	if (r.h1 > h) r.h1 = h;
	if (r.w1 > w) r.w1 = w;
	return r;
}

static uint64_t rect_area(const struct rect *r)
{
	return rect_empty(r) ? 0 : (uint64_t)(r->h1 - r->h0) * (uint64_t)(r->w1 - r->w0);
}

static const struct tfit_tensor *T(const struct tfit_model *m, int32_t i)
{
	return &m->subgraphs[0].tensors[i];
}

static int is_act4(const struct tfit_model *m, int32_t i)
{
	const struct tfit_tensor *t;
	if (i < 0 || (uint32_t)i >= m->subgraphs[0].n_tensors)
		return 0;
	t = T(m, i);
	return t->rank == 4 && t->dims[0] == 1 && !(t->flags & (TFIT_TENSOR_CONST |
							       TFIT_TENSOR_VARIABLE)) &&
	       (t->dtype == TFIT_DTYPE_INT8 || t->dtype == TFIT_DTYPE_FLOAT32) &&
	       t->dims[1] > 0 && t->dims[2] > 0 && t->dims[3] > 0 && t->dims[1] < (1 << 24) &&
	       t->dims[2] < (1 << 24);
}

static int is_const(const struct tfit_model *m, int32_t i)
{
	return i >= 0 && (uint32_t)i < m->subgraphs[0].n_tensors &&
	       (T(m, i)->flags & TFIT_TENSOR_CONST) && !(T(m, i)->flags & TFIT_TENSOR_DATA_OUTSIDE);
}

static int same_quant(const struct tfit_tensor *a, const struct tfit_tensor *b)
{
	return a->dtype == b->dtype && a->quant.scale_count == b->quant.scale_count &&
	       a->quant.zero_point_count == b->quant.zero_point_count &&
	       a->quant.has_values && b->quant.has_values &&
	       a->quant.scale_min == b->quant.scale_min && a->quant.scale_max == b->quant.scale_max &&
	       a->quant.zero_point_min == b->quant.zero_point_min &&
	       a->quant.zero_point_max == b->quant.zero_point_max;
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
	const struct tfit_tensor *p = T(m, t);
	unsigned w = p->dtype == TFIT_DTYPE_INT32 ? 4 : p->dtype == TFIT_DTYPE_INT64 ? 8 : 0;
	unsigned i, b;
	if (!w || p->rank != 2 || p->dims[0] != 4 || p->dims[1] != 2 || !p->data_offset ||
	    p->data_bytes < 8u * w || p->data_offset + 8u * w > len)
		return -1;
	for (i = 0; i < 8; i++) {
		uint64_t u = 0;
		for (b = 0; b < w; b++)
			u |= (uint64_t)data[p->data_offset + i * w + b] << (8 * b);
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
		if (op->n_outputs != 1 || !is_act4(m, op->outputs[0]))
			return WHY("op %u: its output is not one 4-D int8 or float32 tensor of batch 1",
				   k);
		x->out = op->outputs[0];
		o = T(m, x->out);
		if (op->type == TFIT_OP_CONV_2D || op->type == TFIT_OP_DEPTHWISE_CONV_2D) {
			const struct tfit_tensor *in, *f;
			int32_t oh, ow;
			if (op->n_inputs < 2 || op->n_inputs > 3 || !is_act4(m, op->inputs[0]) ||
			    !is_const(m, op->inputs[1]) ||
			    (op->n_inputs == 3 && op->inputs[2] >= 0 && !is_const(m, op->inputs[2])))
				return WHY("op %u: a convolution whose input is not a 4-D "
					   "activation or whose weights are not constant", k);
			in = T(m, op->inputs[0]);
			f = T(m, op->inputs[1]);
			if (in->dtype != o->dtype || f->rank != 4)
				return WHY("op %u: mixed types or a filter that is not 4-D", k);
			x->kind = op->type == TFIT_OP_CONV_2D ? SK_CONV : SK_DW;
			x->in[0] = op->inputs[0];
			x->n_in = 1;
			x->kh = (int32_t)f->dims[1];
			x->kw = (int32_t)f->dims[2];
			x->sh = op->opt.stride_h;
			x->sw = op->opt.stride_w;
			x->dh = op->opt.dilation_h;
			x->dw = op->opt.dilation_w;
			if (tflm_pad(op->opt.padding, (int32_t)in->dims[1], x->kh, x->sh, x->dh, &oh,
				     &x->pt) ||
			    tflm_pad(op->opt.padding, (int32_t)in->dims[2], x->kw, x->sw, x->dw, &ow,
				     &x->pl) ||
			    oh != o->dims[1] || ow != o->dims[2])
				return WHY("op %u: output shape is not TFLM's for its padding", k);
			x->mpp = op->macs / ((uint64_t)o->dims[1] * (uint64_t)o->dims[2]);
		} else if (op->type == TFIT_OP_PAD) {
			int64_t v[8];
			const struct tfit_tensor *in;
			if (op->n_inputs != 2 || !is_act4(m, op->inputs[0]) ||
			    !is_const(m, op->inputs[1]) ||
			    pad_amounts(m, data, len, op->inputs[1], v))
				return WHY("op %u: a PAD without a constant [4, 2] paddings input", k);
			in = T(m, op->inputs[0]);
			if (v[0] || v[1] || v[6] || v[7] || v[2] < 0 || v[3] < 0 || v[4] < 0 ||
			    v[5] < 0 || v[2] > 1024 || v[3] > 1024 || v[4] > 1024 || v[5] > 1024 ||
			    in->dims[1] + v[2] + v[3] != o->dims[1] ||
			    in->dims[2] + v[4] + v[5] != o->dims[2] || in->dims[3] != o->dims[3])
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
					if (T(m, op->inputs[i])->dims[j] != o->dims[j])
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
			for (i = 0; i < op->n_inputs + op->n_intermediates; i++) {
				int32_t u = i < op->n_inputs ? op->inputs[i]
						: op->intermediates[i - op->n_inputs];
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

static struct sop *analyze_alloc(const struct tfit_model *m, const uint8_t *data, size_t len,
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

/* The tile (r, c) of an H x W output cut gh x gw. */
static struct rect tile(int32_t h, int32_t w, uint32_t gh, uint32_t gw, uint32_t r, uint32_t c)
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
static void regions(const struct tfit_model *m, const struct sop *s, uint32_t n,
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
			const struct tfit_tensor *in = T(m, x->in[i]);
			struct rect c = rect_clip(q, (int32_t)in->dims[1], (int32_t)in->dims[2]);
			rect_join(&need[x->in[i]], &c);
		}
	}
}

/* MACs of one stage run as its grid's tiles (UINT64_MAX on OOM). */
static uint64_t stage_macs(const struct tfit_model *m, const uint8_t *data, size_t len,
			   const struct tfit_patch_stage *st, uint64_t *orig)
{
	uint32_t n = st->end - st->first, r, c, k;
	struct sop *s = analyze_alloc(m, data, len, st);
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
		*orig += m->subgraphs[0].ops[s[k].op].macs;
	o = T(m, st->out);
	for (r = 0; r < st->gh; r++)
		for (c = 0; c < st->gw; c++) {
			regions(m, s, n, tile((int32_t)o->dims[1], (int32_t)o->dims[2], st->gh, st->gw,
					      r, c), need, req);
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

/* ---- building the rewrite ------------------------------------------------ */

struct emit {
	const struct tfit_model *m;
	struct tfit_rw *rw;
	int32_t *free_slots;     /* removed tensors' indices, reused first */
	uint32_t n_free, next_free;
	int oom, bad;            /* bad: a tile's window lies wholly in padding */
	int32_t *consts;         /* the constant tensors made so far */
	uint32_t n_consts, cap_consts;
	uint32_t tile_r, tile_c;
};

static void *grow(void *p, uint32_t *cap, uint32_t need, size_t elem, int *oom)
{
	uint32_t c = *cap ? *cap : 64;
	void *q;
	if (need <= *cap)
		return p;
	while (c < need)
		c *= 2;
	q = realloc(p, (size_t)c * elem);
	if (!q) {
		*oom = 1;
		return p;
	}
	*cap = c;
	return q;
}

static int32_t new_tensor(struct emit *e, int32_t like, const int32_t *dims, int32_t rank,
			  const char *what)
{
	struct tfit_rw *rw = e->rw;
	struct tfit_rw_tensor *t;
	int32_t idx;
	if (e->next_free < e->n_free) {
		idx = e->free_slots[e->next_free++];
	} else {
		rw->tensors = grow(rw->tensors, &rw->cap_tensors, rw->n_tensors + 1,
				   sizeof(*rw->tensors), &e->oom);
		if (e->oom)
			return -1;
		idx = (int32_t)rw->n_tensors++;
	}
	t = &rw->tensors[idx];
	memset(t, 0, sizeof(*t));
	t->like = like;
	t->rank = rank;
	memcpy(t->dims, dims, sizeof(int32_t) * (size_t)rank);
	snprintf(t->name, sizeof(t->name), "tinyfit_patch_%u_%u/%s", e->tile_r, e->tile_c, what);
	return idx;
}

static int32_t const_tensor(struct emit *e, const int32_t *w, uint32_t n, int32_t rank,
			    const int32_t *dims)
{
	struct tfit_rw *rw = e->rw;
	uint32_t i;
	int32_t idx;
	for (i = 0; i < e->n_consts; i++) {
		const struct tfit_rw_tensor *t = &rw->tensors[e->consts[i]];
		if (t->n_words == n && t->rank == rank &&
		    !memcmp(t->dims, dims, sizeof(int32_t) * (size_t)rank) &&
		    !memcmp(rw->words + t->word0, w, sizeof(int32_t) * n))
			return e->consts[i];
	}
	e->consts = grow(e->consts, &e->cap_consts, e->n_consts + 1, sizeof(int32_t), &e->oom);
	rw->words = grow(rw->words, &rw->cap_words, rw->n_words + n, sizeof(int32_t), &e->oom);
	if (e->oom)
		return -1;
	idx = new_tensor(e, -1, dims, rank, "const");
	if (idx < 0)
		return -1;
	rw->tensors[idx].word0 = rw->n_words;
	rw->tensors[idx].n_words = n;
	e->consts[e->n_consts++] = idx;
	memcpy(rw->words + rw->n_words, w, sizeof(int32_t) * n);
	rw->n_words += n;
	return idx;
}

static struct tfit_rw_op *new_op(struct emit *e, int32_t builtin, int32_t from,
				 enum tfit_rw_options opts)
{
	struct tfit_rw *rw = e->rw;
	struct tfit_rw_op *o;
	rw->ops = grow(rw->ops, &rw->cap_ops, rw->n_ops + 1, sizeof(*rw->ops), &e->oom);
	if (e->oom)
		return NULL;
	o = &rw->ops[rw->n_ops++];
	memset(o, 0, sizeof(*o));
	o->orig = -1;
	o->builtin = builtin;
	o->from = from;
	o->options = opts;
	return o;
}

static void orig_op(struct emit *e, int32_t k)
{
	struct tfit_rw_op *o = new_op(e, 0, -1, TFIT_RW_OPT_COPY);
	if (o)
		o->orig = k;
}

/* A tensor holding region r of tensor t (whose channels are c). */
static void dims_of(const struct tfit_model *m, int32_t t, const struct rect *r, int32_t d[4])
{
	d[0] = 1;
	d[1] = r->h1 - r->h0;
	d[2] = r->w1 - r->w0;
	d[3] = (int32_t)T(m, t)->dims[3];
}

struct held {
	int32_t idx;       /* tensor holding it */
	struct rect r;     /* the region of the original tensor it holds */
};

/* Region want of original tensor t, from what h holds (STRIDED_SLICE when larger). */
static int32_t cut(struct emit *e, int32_t t, const struct held *h, const struct rect *want)
{
	int32_t d[4], b[4], en[4], one[4] = { 1, 1, 1, 1 }, vd[1] = { 4 }, bi, ei, si, out;
	struct tfit_rw_op *o;
	if (rect_eq(&h->r, want))
		return h->idx;
	dims_of(e->m, t, want, d);
	b[0] = 0;
	b[1] = want->h0 - h->r.h0;
	b[2] = want->w0 - h->r.w0;
	b[3] = 0;
	en[0] = 1;
	en[1] = want->h1 - h->r.h0;
	en[2] = want->w1 - h->r.w0;
	en[3] = d[3];
	bi = const_tensor(e, b, 4, 1, vd);
	ei = const_tensor(e, en, 4, 1, vd);
	si = const_tensor(e, one, 4, 1, vd);
	out = new_tensor(e, t, d, 4, "slice");
	o = new_op(e, TFIT_TFL_STRIDED_SLICE, -1, TFIT_RW_OPT_EMPTY);
	if (!o || bi < 0 || ei < 0 || si < 0 || out < 0)
		return -1;
	o->inputs[0] = h->idx;
	o->inputs[1] = bi;
	o->inputs[2] = ei;
	o->inputs[3] = si;
	o->n_inputs = 4;
	o->output = out;
	return out;
}

/* x (holding clip(q)) padded to the window q; `like` gives the result's type. */
static int32_t pad_to(struct emit *e, int32_t x, int32_t like, const struct rect *clip,
		      const struct rect *q)
{
	int32_t p[8], d[4], pd[2] = { 4, 2 }, pi, out;
	struct tfit_rw_op *o;
	memset(p, 0, sizeof(p));
	p[2] = clip->h0 - q->h0;
	p[3] = q->h1 - clip->h1;
	p[4] = clip->w0 - q->w0;
	p[5] = q->w1 - clip->w1;
	if (!p[2] && !p[3] && !p[4] && !p[5])
		return x;
	dims_of(e->m, like, q, d);
	pi = const_tensor(e, p, 8, 2, pd);
	out = new_tensor(e, like, d, 4, "pad");
	o = new_op(e, TFIT_TFL_PAD, -1, TFIT_RW_OPT_EMPTY);
	if (!o || pi < 0 || out < 0)
		return -1;
	o->inputs[0] = x;
	o->inputs[1] = pi;
	o->n_inputs = 2;
	o->output = out;
	return out;
}

static int32_t concat(struct emit *e, const int32_t *in, uint32_t n, int32_t axis, int32_t out)
{
	struct tfit_rw_op *o;
	if (n == 1)
		return in[0];
	o = new_op(e, TFIT_TFL_CONCATENATION, -1, TFIT_RW_OPT_CONCAT);
	if (!o || out < 0)
		return -1;
	memcpy(o->inputs, in, sizeof(int32_t) * n);
	o->n_inputs = n;
	o->axis = axis;
	o->output = out;
	return out;
}

/* Emit one tile's ops; returns the tensor holding the tile of S. */
static int32_t emit_tile(struct emit *e, const struct sop *s, uint32_t n, int32_t stage_in,
			 const struct rect *need, const struct rect *req, struct held *cur)
{
	const struct tfit_model *m = e->m;
	uint32_t k, i;
	cur[stage_in].idx = stage_in;
	cur[stage_in].r.h0 = 0;
	cur[stage_in].r.w0 = 0;
	cur[stage_in].r.h1 = (int32_t)T(m, stage_in)->dims[1];
	cur[stage_in].r.w1 = (int32_t)T(m, stage_in)->dims[2];
	for (k = 0; k < n; k++) {
		const struct sop *x = &s[k];
		const struct tfit_op *op = &m->subgraphs[0].ops[x->op];
		const struct rect *r = &need[x->out];
		int32_t d[4], out = -1;
		struct tfit_rw_op *o;
		if (rect_empty(r))
			continue;
		if (x->kind == SK_ADD) {
			int32_t a[2];
			for (i = 0; i < 2; i++)
				a[i] = cut(e, x->in[i], &cur[x->in[i]], r);
			dims_of(m, x->out, r, d);
			out = new_tensor(e, x->out, d, 4, "add");
			o = new_op(e, TFIT_TFL_ADD, x->op, TFIT_RW_OPT_COPY);
			if (!o || a[0] < 0 || a[1] < 0 || out < 0)
				return -1;
			o->inputs[0] = a[0];
			o->inputs[1] = a[1];
			o->n_inputs = 2;
			o->output = out;
		} else {
			const struct tfit_tensor *in = T(m, x->in[0]);
			struct rect c = rect_clip(req[k], (int32_t)in->dims[1], (int32_t)in->dims[2]);
			int32_t xin;
			if (rect_empty(&c)) {
				e->bad = 1;
				return -1;
			}
			xin = cut(e, x->in[0], &cur[x->in[0]], &c);
			if (xin < 0)
				return -1;
			if (x->kind == SK_PAD) {
				out = pad_to(e, xin, x->out, &c, &req[k]);
			} else {
				int32_t xp = pad_to(e, xin, x->in[0], &c, &req[k]);
				dims_of(m, x->out, r, d);
				out = new_tensor(e, x->out, d, 4, x->kind == SK_CONV ? "conv" : "dwconv");
				o = new_op(e, x->kind == SK_CONV ? TFIT_TFL_CONV_2D
								 : TFIT_TFL_DEPTHWISE_CONV_2D,
					   x->op, TFIT_RW_OPT_VALID);
				if (!o || xp < 0 || out < 0)
					return -1;
				o->inputs[0] = xp;
				o->inputs[1] = op->inputs[1];
				o->inputs[2] = op->n_inputs > 2 ? op->inputs[2] : -1;
				o->n_inputs = op->n_inputs > 2 ? 3 : 2;
				o->output = out;
			}
		}
		if (out < 0)
			return -1;
		cur[x->out].idx = out;
		cur[x->out].r = *r;
	}
	return cur[s[n - 1].out].idx;
}

/* Emit one stage's tiles, row by row, and the concatenations into S. */
static enum tfit_status emit_stage(struct emit *e, const uint8_t *data, size_t len,
				   const struct tfit_patch_stage *st, struct rect *need,
				   struct held *cur, struct tfit_error *err)
{
	const struct tfit_model *m = e->m;
	uint32_t n = st->end - st->first, r, c, gh = st->gh, gw = st->gw;
	const struct tfit_tensor *so = T(m, st->out);
	int32_t rows[TFIT_RW_MAX_INPUTS], tiles[TFIT_RW_MAX_INPUTS];
	struct sop *s = analyze_alloc(m, data, len, st);
	struct rect *req = calloc(n, sizeof(*req));
	enum tfit_status ret = TFIT_OK;
	if (!s || !req) {
		ret = s ? tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory")
			: tfit_error_set(err, TFIT_ERR_INPUT, m->name, NULL,
					 "ops %u..%u are not a stage tinyfit can patch", st->first,
					 st->end - 1);
		goto out;
	}
	for (r = 0; r < gh; r++) {
		int32_t d[4];
		struct rect rowr;
		for (c = 0; c < gw; c++) {
			struct rect t = tile((int32_t)so->dims[1], (int32_t)so->dims[2], gh, gw, r, c);
			e->tile_r = r;
			e->tile_c = c;
			regions(m, s, n, t, need, req);
			tiles[c] = emit_tile(e, s, n, st->in, need, req, cur);
			if (tiles[c] < 0 && e->bad) {
				ret = tfit_error_set(err, TFIT_ERR_INPUT, m->name, NULL,
						     "tile %u,%u of a %ux%u grid reads only padding",
						     r, c, gh, gw);
				goto out;
			}
			if (tiles[c] < 0)
				goto fail;
		}
		rowr = tile((int32_t)so->dims[1], (int32_t)so->dims[2], gh, 1, r, 0);
		dims_of(m, st->out, &rowr, d);
		rows[r] = gh == 1 ? st->out : gw == 1 ? tiles[0] : new_tensor(e, st->out, d, 4, "row");
		if (gw > 1 && concat(e, tiles, gw, 2, rows[r]) < 0)
			goto fail;
	}
	if (gh > 1 && concat(e, rows, gh, 1, st->out) < 0)
		goto fail;
	goto out;
fail:
	ret = tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
out:
	free(s);
	free(req);
	return ret;
}

enum tfit_status tfit_patch_build(const struct tfit_model *m, const uint8_t *data, size_t len,
				  const struct tfit_patch_stage *st, uint32_t n_stages,
				  struct tfit_rw *rw, struct tfit_error *err)
{
	const struct tfit_subgraph *sg = &m->subgraphs[0];
	uint32_t k, i, n_internal = 0;
	struct emit e;
	struct rect *need = NULL;
	struct held *cur = NULL;
	enum tfit_status ret = TFIT_OK;

	memset(rw, 0, sizeof(*rw));
	memset(&e, 0, sizeof(e));
	e.m = m;
	e.rw = rw;
	for (i = 0; i < n_stages; i++) {
		const struct tfit_tensor *so;
		if (st[i].first >= st[i].end || st[i].end > sg->n_ops ||
		    (i > 0 && st[i].first < st[i - 1].end))
			return tfit_error_set(err, TFIT_ERR_INPUT, m->name, NULL,
					      "patch stages out of order or overlapping");
		so = T(m, st[i].out);
		if (st[i].gh < 1 || st[i].gw < 1 || st[i].gh > TFIT_RW_MAX_INPUTS ||
		    st[i].gw > TFIT_RW_MAX_INPUTS || st[i].gh > so->dims[1] ||
		    st[i].gw > so->dims[2])
			return tfit_error_set(err, TFIT_ERR_INPUT, m->name, NULL,
					      "a %ux%u patch grid does not fit a %lldx%lld stage "
					      "output", st[i].gh, st[i].gw, (long long)so->dims[1],
					      (long long)so->dims[2]);
		n_internal += st[i].end - st[i].first - 1;
	}
	need = calloc(sg->n_tensors, sizeof(*need));
	cur = calloc(sg->n_tensors, sizeof(*cur));
	e.free_slots = calloc(n_internal + 1, sizeof(int32_t));
	rw->tensors = calloc(sg->n_tensors + 1, sizeof(*rw->tensors));
	if (!need || !cur || !e.free_slots || !rw->tensors) {
		ret = tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
		goto out;
	}
	rw->cap_tensors = sg->n_tensors + 1;
	rw->n_tensors = sg->n_tensors;
	for (k = 0; k < sg->n_tensors; k++)
		rw->tensors[k].keep = 1;
	for (i = 0; i < n_stages; i++)
		for (k = st[i].first; k + 1 < st[i].end; k++)
			e.free_slots[e.n_free++] = sg->ops[k].outputs[0];
	for (k = 0, i = 0; k < sg->n_ops;) {
		if (i < n_stages && k == st[i].first) {
			if ((ret = emit_stage(&e, data, len, &st[i], need, cur, err)) != TFIT_OK)
				goto out;
			k = st[i++].end;
			continue;
		}
		orig_op(&e, (int32_t)k++);
	}
	if (e.oom) {
		ret = tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
		goto out;
	}
	if (e.next_free < e.n_free)
		ret = tfit_error_set(err, TFIT_ERR_INTERNAL, m->name, NULL,
				     "patching left %u tensors unused", e.n_free - e.next_free);
out:
	if (ret != TFIT_OK)
		tfit_rw_release(rw);
	free(need);
	free(cur);
	free(e.free_slots);
	free(e.consts);
	return ret;
}

/* ---- a lower bound of the rewritten graph's head ------------------------ */

static uint64_t rw_bytes(const struct tfit_model *m, const struct tfit_rw *rw, uint32_t i)
{
	const struct tfit_rw_tensor *t = &rw->tensors[i];
	uint64_t n = 1;
	int32_t j;
	if (t->keep) {
		const struct tfit_tensor *o = T(m, (int32_t)i);
		if (o->flags & (TFIT_TENSOR_CONST | TFIT_TENSOR_VARIABLE))
			return 0;
		return (o->bytes + 15) / 16 * 16;
	}
	if (t->like < 0)
		return 0;
	for (j = 0; j < t->rank; j++)
		n *= (uint64_t)t->dims[j];
	n *= tfit_dtype_bits(T(m, t->like)->dtype) / 8;
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
			out = sg->ops[o->orig].outputs;
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
	const struct tfit_tensor *o = T(m, out_like);
	uint64_t b = 32 + 48;
	if ((builtin == TFIT_TFL_CONV_2D || builtin == TFIT_TFL_DEPTHWISE_CONV_2D) &&
	    o->dtype == TFIT_DTYPE_INT8 && o->rank == 4)
		b += 8 * (uint64_t)o->dims[3];
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
			if (x->n_outputs && x->outputs[0] >= 0)
				b += op_tail(m, code, x->outputs[0]);
		} else {
			const struct tfit_rw_tensor *t = &rw->tensors[o->output];
			b += op_tail(m, o->builtin, t->keep ? o->output : t->like);
		}
	}
	return b;
}
