/* patch_search.h - the search for the best patch-based rewrite (src/fit/ only). */
#ifndef TINYFIT_FIT_PATCH_SEARCH_H
#define TINYFIT_FIT_PATCH_SEARCH_H

#include "fit/patch.h"
#include "tinyfit/runtime.h"

#define TFIT_PATCH_MAX_STAGES 2

struct tfit_patch_pick {
	int found;                   /* a rewrite beats baseline_arena */
	struct tfit_patch_stage st[TFIT_PATCH_MAX_STAGES]; /* with their grids */
	uint32_t n_stages;
	uint64_t macs;               /* of the rewritten model */
	uint64_t best_arena;         /* its estimated kTensorArenaSize (or the baseline) */
	uint32_t candidates;         /* stage and grid choices within the MAC budget */
	uint32_t evaluated;          /* of those, rewritten and planned */
	uint8_t *model;              /* the rewritten .tflite (no offline plan yet) */
	size_t model_len;
};

/*
 * Search stages and grids of m (read from data/len) whose MACs are at most
 * m->macs * (1 + max_overhead) for the smallest arena under rt; found is 1
 * when one is below baseline_arena. Release with tfit_patch_pick_release().
 */
enum tfit_status tfit_patch_search(const struct tfit_model *m, const uint8_t *data, size_t len,
				   const char *name, const struct tfit_runtime *rt,
				   double max_overhead, uint64_t baseline_arena,
				   struct tfit_patch_pick *out, struct tfit_error *err);
void tfit_patch_pick_release(struct tfit_patch_pick *p);

#endif
