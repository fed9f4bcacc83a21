/*
 * patch_emit.c - the ops of patch-based execution (docs/optimize.md
 * section 4): for each tile of each stage, in the stage's order, the
 * STRIDED_SLICE that cuts an input from the tensor holding it, the PAD that
 * adds the part of the window outside the tensor (the tensor's zero point
 * for int8, 0.0 for float: what TFLM's conv pads with), the conv with
 * padding VALID, the ADD; then the CONCATENATIONs of the tiles into the
 * stage's output. The regions come from patch_halo.c.
 */
#include "fit/patch_halo.h"

#include <stdlib.h>
#include <string.h>

struct emit {
	const struct tfit_model *m;
	struct tfit_rw *rw;
	int32_t *free_slots;     /* removed tensors' indices, reused first */
	uint32_t n_free, next_free;
	int oom, bad;            /* bad: a tile's window lies wholly in padding */
	/* the constant tensors made so far, by the hash of their shape and
	 * words: an open-addressing table of tensor index + 1 (0: empty),
	 * n_slots a power of two kept at most half full */
	uint32_t *const_slots;
	uint32_t n_consts, n_slots;
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

/* Decimal digits of v at p (no terminator); returns their count. */
static size_t put_u32(char *p, uint32_t v)
{
	char tmp[10];
	size_t n = 0, i;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		p[i] = tmp[n - 1 - i];
	return n;
}

/* "tinyfit_patch_R_C/what" into name[64], as snprintf would write it: the
 * search builds about a thousand rewrites per model, each with thousands
 * of tensors, and snprintf was a third of its time. The longest name is
 * 14 + 10 + 1 + 10 + 1 + 6 = 42 bytes. */
static void patch_name(char name[64], uint32_t r, uint32_t c, const char *what)
{
	static const char prefix[] = "tinyfit_patch_";
	size_t n = sizeof(prefix) - 1, w = strlen(what);
	memcpy(name, prefix, n);
	n += put_u32(name + n, r);
	name[n++] = '_';
	n += put_u32(name + n, c);
	name[n++] = '/';
	if (w > 63 - n)
		w = 63 - n;
	memcpy(name + n, what, w);
	name[n + w] = '\0';
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
	patch_name(t->name, e->tile_r, e->tile_c, what);
	return idx;
}

/* FNV-1a over a constant's rank, shape and words. */
static uint32_t const_hash(const int32_t *w, uint32_t n, int32_t rank, const int32_t *dims)
{
	uint32_t h = 2166136261u, i;
	h = (h ^ (uint32_t)rank) * 16777619u;
	h = (h ^ n) * 16777619u;
	for (i = 0; i < (uint32_t)rank; i++)
		h = (h ^ (uint32_t)dims[i]) * 16777619u;
	for (i = 0; i < n; i++)
		h = (h ^ (uint32_t)w[i]) * 16777619u;
	return h;
}

static int same_const(const struct tfit_rw *rw, int32_t idx, const int32_t *w, uint32_t n,
		      int32_t rank, const int32_t *dims)
{
	const struct tfit_rw_tensor *t = &rw->tensors[idx];
	return t->n_words == n && t->rank == rank &&
	       !memcmp(t->dims, dims, sizeof(int32_t) * (size_t)rank) &&
	       !memcmp(rw->words + t->word0, w, sizeof(int32_t) * n);
}

/* Double the table (or make its first 64 slots). */
static int grow_consts(struct emit *e)
{
	uint32_t n = e->n_slots ? e->n_slots * 2 : 64, i, j;
	uint32_t *s = calloc(n, sizeof(*s));
	if (!s)
		return -1;
	for (i = 0; i < e->n_slots; i++) {
		const struct tfit_rw_tensor *t;
		if (!e->const_slots[i])
			continue;
		t = &e->rw->tensors[e->const_slots[i] - 1];
		j = const_hash(e->rw->words + t->word0, t->n_words, t->rank, t->dims) & (n - 1);
		while (s[j])
			j = (j + 1) & (n - 1);
		s[j] = e->const_slots[i];
	}
	free(e->const_slots);
	e->const_slots = s;
	e->n_slots = n;
	return 0;
}

/* The int32 constant of shape dims holding w[0..n): one tensor per
 * distinct constant of the rewrite (the same begin, end or padding words
 * are shared by every tile that needs them). */
static int32_t const_tensor(struct emit *e, const int32_t *w, uint32_t n, int32_t rank,
			    const int32_t *dims)
{
	struct tfit_rw *rw = e->rw;
	uint32_t j;
	int32_t idx;
	if ((e->n_consts + 1) * 2 > e->n_slots && grow_consts(e) != 0) {
		e->oom = 1;
		return -1;
	}
	j = const_hash(w, n, rank, dims) & (e->n_slots - 1);
	for (; e->const_slots[j]; j = (j + 1) & (e->n_slots - 1))
		if (same_const(rw, (int32_t)e->const_slots[j] - 1, w, n, rank, dims))
			return (int32_t)e->const_slots[j] - 1;
	rw->words = grow(rw->words, &rw->cap_words, rw->n_words + n, sizeof(int32_t), &e->oom);
	if (e->oom)
		return -1;
	idx = new_tensor(e, -1, dims, rank, "const");
	if (idx < 0)
		return -1;
	rw->tensors[idx].word0 = rw->n_words;
	rw->tensors[idx].n_words = n;
	e->const_slots[j] = (uint32_t)idx + 1;
	e->n_consts++;
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
	d[3] = (int32_t)tfit_dim(halo_tensor(m, t), 3);
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
	cur[stage_in].r.h1 = (int32_t)tfit_dim(halo_tensor(m, stage_in), 1);
	cur[stage_in].r.w1 = (int32_t)tfit_dim(halo_tensor(m, stage_in), 2);
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
			const struct tfit_tensor *in = halo_tensor(m, x->in[0]);
			struct rect c = rect_clip(req[k], (int32_t)tfit_dim(in, 1),
						  (int32_t)tfit_dim(in, 2));
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
	const struct tfit_tensor *so = halo_tensor(m, st->out);
	int32_t rows[TFIT_RW_MAX_INPUTS], tiles[TFIT_RW_MAX_INPUTS];
	struct sop *s = tfit_halo_stage_ops(m, data, len, st);
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
			struct rect t = tfit_halo_tile((int32_t)tfit_dim(so, 1), (int32_t)tfit_dim(so, 2),
						       gh, gw, r, c);
			e->tile_r = r;
			e->tile_c = c;
			tfit_halo_regions(m, s, n, t, need, req);
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
		rowr = tfit_halo_tile((int32_t)tfit_dim(so, 1), (int32_t)tfit_dim(so, 2), gh, 1, r, 0);
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
		so = halo_tensor(m, st[i].out);
		if (st[i].gh < 1 || st[i].gw < 1 || st[i].gh > TFIT_RW_MAX_INPUTS ||
		    st[i].gw > TFIT_RW_MAX_INPUTS || st[i].gh > tfit_dim(so, 1) ||
		    st[i].gw > tfit_dim(so, 2))
			return tfit_error_set(err, TFIT_ERR_INPUT, m->name, NULL,
					      "a %ux%u patch grid does not fit a %lldx%lld stage "
					      "output", st[i].gh, st[i].gw, (long long)tfit_dim(so, 1),
					      (long long)tfit_dim(so, 2));
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
			e.free_slots[e.n_free++] = tfit_op_outputs(&sg->ops[k])[0];
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
	free(e.const_slots);
	return ret;
}
