/*
 * patch_halo.h - the halo tracing of patch-based execution, shared by
 * patch_halo.c (which ops form a stage, each tile's receptive field, the
 * MACs it recomputes) and patch_emit.c (the ops written for each tile).
 * src/fit/ only; docs/optimize.md section 4.
 */
#ifndef TINYFIT_FIT_PATCH_HALO_H
#define TINYFIT_FIT_PATCH_HALO_H

#include "fit/patch.h"

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

static inline int rect_empty(const struct rect *r)
{
	return r->h1 <= r->h0 || r->w1 <= r->w0;
}

static inline int rect_eq(const struct rect *a, const struct rect *b)
{
	return a->h0 == b->h0 && a->h1 == b->h1 && a->w0 == b->w0 && a->w1 == b->w1;
}

/* r clipped to an h x w tensor (the part outside is padding). */
static inline struct rect rect_clip(struct rect r, int32_t h, int32_t w)
{
	if (r.h0 < 0) r.h0 = 0;
	if (r.w0 < 0) r.w0 = 0;
	if (r.h1 > h) r.h1 = h;
	if (r.w1 > w) r.w1 = w;
	return r;
}

static inline const struct tfit_tensor *halo_tensor(const struct tfit_model *m, int32_t i)
{
	return &m->subgraphs[0].tensors[i];
}

/* The stage's ops, analysed (calloc'd, one per op of st; NULL when st is
 * not a stage tinyfit can patch or on OOM). */
struct sop *tfit_halo_stage_ops(const struct tfit_model *m, const uint8_t *data, size_t len,
				const struct tfit_patch_stage *st);

/* The tile (r, c) of an H x W output cut gh x gw. */
struct rect tfit_halo_tile(int32_t h, int32_t w, uint32_t gh, uint32_t gw, uint32_t r,
			   uint32_t c);

/* Regions for one tile t of the stage's output: need[t] per tensor
 * (clipped), req[k] per op (the op's input window, unclipped). need has one
 * entry per tensor of subgraph 0. */
void tfit_halo_regions(const struct tfit_model *m, const struct sop *s, uint32_t n,
		       struct rect t, struct rect *need, struct rect *req);

#endif
