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
};

/*
 * Whether ops [first, end) of m's subgraph 0 form a stage tinyfit can
 * patch; 0 with why filled (a sentence) when not. data/len: the .tflite
 * bytes (PAD amounts are read from them).
 */
int tfit_patch_stage_check(const struct tfit_model *m, const uint8_t *data, size_t len,
			   uint32_t first, uint32_t end, struct tfit_patch_stage *st,
			   char *why, size_t why_size);

/* MACs of the stage run as gh x gw patches (the original stage's MACs
 * plus the halo's recomputation). */
uint64_t tfit_patch_macs(const struct tfit_model *m, const uint8_t *data, size_t len,
			 const struct tfit_patch_stage *st, uint32_t gh, uint32_t gw);

/*
 * The rewrite of m (subgraph 0) that runs the stage as gh x gw patches,
 * one after the other (row by row, each row's tiles concatenated along W,
 * the rows along H into the stage's output tensor). rw is filled (release
 * with tfit_rw_release); *ops_added = new ops minus removed ones.
 */
enum tfit_status tfit_patch_build(const struct tfit_model *m, const uint8_t *data, size_t len,
				  const struct tfit_patch_stage *st, uint32_t gh, uint32_t gw,
				  struct tfit_rw *rw, struct tfit_error *err);

/* Largest sum of 16-byte-rounded non-constant tensor bytes live at one op
 * of the rewritten graph (a lower bound of its head, scratch excluded). */
uint64_t tfit_patch_head_bound(const struct tfit_model *m, const struct tfit_rw *rw);

#endif
