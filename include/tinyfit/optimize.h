/*
 * optimize.h - `tinyfit optimize`: a model that needs a smaller TFLM arena,
 * written as a .tflite that stock TensorFlow Lite Micro runs (docs/optimize.md).
 *
 * What it does today: the memory plan. tfit_plan_offline() (plan.h) places
 * every buffer TFLM plans, with TFLM's lifetimes and 16-byte rounding, for
 * the smallest head it can find (proven optimal where the search
 * completes), and the placement is written into the model as
 * OfflineMemoryAllocation metadata (tfit_tflite_add_offline_plan(),
 * model_io.h). The written model is then read back and planned the way
 * TFLM plans it: the "after" figures are that plan's, not the optimiser's
 * claim. Patch-based execution (src/fit/patch_*.c): unless plan_only, the
 * stage and patch grid with the smallest arena within the MAC budget is
 * rewritten into per-patch stock ops first, then planned as above.
 *
 * Ownership: the caller owns the request's buffers; tfit_optimize() fills
 * a caller-allocated result whose output model bytes (model_out) it
 * allocates; tfit_optimize_result_release() frees and zeroes it (safe on a
 * zeroed or released result). Nothing here prints, writes files or reads
 * the environment.
 */
#ifndef TINYFIT_OPTIMIZE_H
#define TINYFIT_OPTIMIZE_H

#include <stddef.h>
#include <stdint.h>

#include "tinyfit/cost.h"
#include "tinyfit/device.h"
#include "tinyfit/error.h"
#include "tinyfit/graph.h"
#include "tinyfit/plan.h"
#include "tinyfit/runtime.h"

struct tfit_optimize_request {
	const void *model_data;           /* the .tflite file's bytes */
	size_t model_len;
	const char *model_name;           /* for messages ("vww_96_int8.tflite") */
	const struct tfit_runtime *rt;    /* TFLM build whose arena is planned */
	const struct tfit_cost_db *cost;  /* optional: latency on dev */
	const struct tfit_device *dev;    /* optional */
	const char *runtime_id;           /* cost runtime (NULL: the board's) */
	uint64_t node_limit;              /* tfit_plan_pack()'s; 0 = default */
	int plan_only;                    /* no patch-based rewrite */
	const char *data_dir;             /* with dev: check the rewritten model fits it
					     (runtime profiles); NULL: not checked */
	struct tfit_runtime_set *runtime_set; /* with data_dir: its profiles, each loaded
					     once (runtime.h); NULL: parsed from data_dir */
	int has_max_mac_overhead;         /* else TFIT_OPTIMIZE_DEFAULT_MAC_OVERHEAD */
	double max_mac_overhead;          /* MACs a rewrite may add, a fraction (0.15) */

	/* For a caller that already holds the model (check's advice,
	 * advice_optimize.c), so that it is not read and planned twice: */
	const struct tfit_model *model;   /* model_data as read by tfit_tflite_read_buffer()
					     (NULL: read here); not changed */
	const struct tfit_arena_plan *plan; /* with model: tfit_plan_arena(model, rt, NULL)
					     (NULL: planned here) */
	int keep_model_after;             /* the written file read back goes to
					     result.model_after instead of being freed */
	int no_unchanged_copy;            /* nothing improves: model_out stays NULL (the
					     input unchanged) instead of a copy */
};

/* The budget (#19: "at most +15% MACs"). */
#define TFIT_OPTIMIZE_DEFAULT_MAC_OVERHEAD 0.15

/* One stage run patch by patch. */
#define TFIT_OPTIMIZE_MAX_STAGES 2
struct tfit_optimize_stage {
	uint32_t first_op, last_op;       /* original op indices */
	uint32_t rows, cols;              /* the grid */
	char in[128], out[128];           /* its input/output: "name 1x112x112x32" */
};

/* One side of the before/after comparison. */
struct tfit_optimize_side {
	uint64_t head_bytes;
	uint64_t tail_bytes;
	uint64_t arena_bytes;             /* kTensorArenaSize */
	uint64_t macs;
	uint32_t n_ops;
	uint64_t file_bytes;
	int has_latency;
	double latency_ms;                /* estimate (cost tables), when has_latency */
};

struct tfit_optimize_result {
	struct tfit_optimize_side before, after;
	char model_name[256];
	char runtime[64];                 /* the TFLM build planned */
	char *latency_method;             /* the cost estimate's method (owned, never cut), or
					     NULL */
	uint64_t lower_bound_bytes;       /* no plan of these buffers does better */
	uint32_t n_aliased;               /* RESHAPE outputs placed on their input */
	uint32_t n_scratch;               /* scratch buffers TFLM still places */
	uint64_t search_nodes;
	int proven_optimal;
	int plan_written;                 /* 0: TFLM's own plan is already the best
					     found; model_out is the input unchanged */
	uint32_t ops_added;               /* ops after minus ops before */
	int patches_done;                 /* 1: a stage runs patch by patch */
	double max_mac_overhead;          /* the budget searched (0 with plan_only) */
	int plan_only;
	uint64_t plan_only_arena_bytes;   /* kTensorArenaSize with the plan alone */
	uint32_t n_patch_stages;          /* stages rewritten (0 .. TFIT_OPTIMIZE_MAX_STAGES) */
	struct tfit_optimize_stage patch[TFIT_OPTIMIZE_MAX_STAGES];
	uint32_t patch_candidates;        /* stage and grid choices within the budget */
	uint32_t patch_evaluated;         /* of those, rewritten and planned */
	int patch_dropped;                /* the best rewrite did not fit dev while the
					     plan alone does: the plan alone is written */
	uint64_t dropped_arena_bytes;     /* that rewrite's kTensorArenaSize */
	uint64_t dropped_file_bytes;      /* and its file size */
	uint8_t *model_out;               /* the optimised .tflite */
	size_t model_out_len;
	/* with keep_model_after: model_out as read back (owned; NULL when
	 * nothing was written, plan_written 0 and no patches) */
	struct tfit_model *model_after;
};

/*
 * Optimise the model. When neither a plan nor a rewrite improves on TFLM's
 * own plan, the output is the input: the "after" side is the "before"
 * side (the same bytes plan the same), nothing is read back. Errors: TFIT_ERR_INPUT for a model tinyfit cannot
 * read or TFLM cannot run, one that already has an OfflineMemoryAllocation
 * plan (refused: it may come from a tool that knows more, e.g. Vela for
 * Ethos-U), or one the writer refuses; TFIT_ERR_INTERNAL when the written
 * model does not read back with the planned head (never expected);
 * TFIT_ERR_LIMIT, TFIT_ERR_NOMEM.
 */
enum tfit_status tfit_optimize(const struct tfit_optimize_request *req,
			       struct tfit_optimize_result *out, struct tfit_error *err);
void tfit_optimize_result_release(struct tfit_optimize_result *r);

#endif
