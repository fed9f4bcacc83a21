/*
 * patch.h - patch-based execution (src/fit/ only; docs/optimize.md
 * section 4): a stage of a model's subgraph 0 (ops [first, end), a chain of
 * CONV_2D, DEPTHWISE_CONV_2D, PAD and ADD on one 4-D NHWC input) is
 * rewritten to compute its output tile by tile, each tile from the input
 * region its receptive field needs, with stock TFLM ops only.
 */
#ifndef TINYFIT_FIT_PATCH_H
#define TINYFIT_FIT_PATCH_H

#include <stddef.h>
#include <stdint.h>

#include "tinyfit/graph.h"
#include "tinyfit/model_io.h"

#define TFIT_PATCH_MAX_GRID 8   /* patches per side searched (<= TFIT_RW_MAX_INPUTS) */

struct tfit_patch_stage {
	uint32_t first, end;       /* ops [first, end) of subgraph 0 */
	int32_t in, out;           /* the stage's input and output tensors */
	uint32_t gh, gw;           /* the patch grid (rows x columns of tiles of out) */
};

/*
 * Whether ops [first, end) of m's subgraph 0 form a stage tinyfit can
 * patch; 0 with why filled (a sentence) when not. data/len: the .tflite
 * bytes (PAD amounts are read from them).
 */
int tfit_patch_stage_check(const struct tfit_model *m, const uint8_t *data, size_t len,
			   uint32_t first, uint32_t end, struct tfit_patch_stage *st,
			   char *why, size_t why_size);

/* MACs of m with the n stages (checked, in op order, not overlapping) run
 * patch by patch: each stage's original MACs replaced by the sum over its
 * tiles (the halo's recomputation included). UINT64_MAX on OOM. */
uint64_t tfit_patch_macs(const struct tfit_model *m, const uint8_t *data, size_t len,
			 const struct tfit_patch_stage *st, uint32_t n_stages);

/*
 * The rewrite of m (subgraph 0) that runs each of the n stages (in op
 * order, not overlapping; a stage may read the previous one's output) as
 * its gh x gw patches, one after the other (row by row, each row's tiles
 * concatenated along W, the rows along H into the stage's output tensor).
 * rw is filled (release with tfit_rw_release).
 */
enum tfit_status tfit_patch_build(const struct tfit_model *m, const uint8_t *data, size_t len,
				  const struct tfit_patch_stage *st, uint32_t n_stages,
				  struct tfit_rw *rw, struct tfit_error *err);

/* Largest sum of 16-byte-rounded non-constant tensor bytes live at one op
 * of the rewritten graph (a lower bound of its head, scratch excluded). */
uint64_t tfit_patch_head_bound(const struct tfit_model *m, const struct tfit_rw *rw);

/* A rough figure of the rewritten graph's persistent bytes (nodes and int8
 * conv per-channel data), to rank candidates before planning them; never
 * reported. */
uint64_t tfit_patch_tail_proxy(const struct tfit_model *m, const struct tfit_rw *rw);

#endif
