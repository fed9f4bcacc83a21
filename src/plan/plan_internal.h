/*
 * plan_internal.h - what the files of src/plan/ share: the kernel
 * allocations resolved for one model (arena_plan.c), TFLM's lifetimes
 * (lifetimes.c) and the tail simulation (arena_tail.c). Not public.
 *
 * Ownership: each struct is filled by one function and released by its
 * _release(); the arrays are malloc'ed.
 */
#ifndef TINYFIT_PLAN_INTERNAL_H
#define TINYFIT_PLAN_INTERNAL_H

#include <stdint.h>

#include "tinyfit/plan.h"

/* A scratch buffer request, in TFLM's request order (Prepare order). */
struct scratch_req {
	uint32_t subgraph;
	uint32_t op;
	uint64_t bytes;
};

/* Per op (all subgraphs, in order): what its kernel takes from the arena.
 * 40 bytes: builtin_align is at most 16 (runtime_profile.c checks it). */
struct op_allocs {
	uint64_t builtin_bytes;
	uint64_t temp_bytes;               /* temp TfLiteTensors held in Prepare */
	uint32_t builtin_align;
	uint32_t init_start, n_init;       /* into kernel_allocs.bytes */
	uint32_t prepare_start, n_prepare;
	uint32_t n_scratch;                /* requests made by this op */
};

struct kernel_allocs {
	struct op_allocs *ops;             /* n_ops_total, subgraph-major */
	uint32_t *op_base;                 /* first ops[] index of each subgraph */
	uint64_t *bytes;                   /* persistent allocation sizes */
	uint32_t n_bytes;
	struct scratch_req *scratch;
	uint32_t n_scratch;
	uint32_t n_without_rule;           /* ops the profile has no row for */
	int32_t first_without_rule_sg, first_without_rule_op;
};

void tfit_kernel_allocs_release(struct kernel_allocs *k);

/*
 * A tensor's bytes as TFLM counts them in the arena (memory_helpers.cc
 * TfLiteTypeSizeOf: int4 takes a byte per element, resource 4 bytes).
 * Returns 0, or -1 for a type TFLM cannot size (string, variant, unknown)
 * or on overflow.
 */
int tfit_tflm_tensor_bytes(const struct tfit_tensor *t, uint64_t *bytes);

/* Lifetimes of every tensor (global index = subgraph base + tensor) and scratch. */
struct lifetimes {
	uint32_t *tensor_base;             /* first global index of each subgraph */
	uint32_t n_tensors;                /* over all subgraphs */
	int32_t *first, *last;             /* per global tensor; -1 = never */
	int32_t *scratch_first, *scratch_last;
	int32_t n_times;                   /* scopes used: last scope + 1 */
	int32_t *time_subgraph, *time_op;  /* which op opened each scope (-1: none);
					      n_times entries each, no more */
};

/*
 * Mark lifetimes as TFLM's AllocationInfoBuilder::MarkAllocationLifetimes(0)
 * does. Errors: TFIT_ERR_INPUT for a subgraph index out of range or a call
 * cycle, TFIT_ERR_LIMIT for nesting deeper than 64 or over 2^28 scopes.
 */
enum tfit_status tfit_lifetimes_mark(const struct tfit_model *m, const struct scratch_req *req,
				uint32_t n_req, struct lifetimes *lt, struct tfit_error *err);
void tfit_lifetimes_release(struct lifetimes *lt);
/* Free the lifetimes of the tensors and scratch buffers (first, last,
 * scratch_first, scratch_last), once a plan's buffers hold them; the rest
 * stays until tfit_lifetimes_release. */
void tfit_lifetimes_release_spans(struct lifetimes *lt);

/* Inputs of the tail simulation. */
struct tail_input {
	const struct tfit_model *m;
	const struct tfit_arena_layout *l;
	const struct kernel_allocs *k;     /* read by tfit_tail_begin only */
	uint64_t head_bytes;               /* read by tfit_tail_finish only */
	uint32_t n_planned;                /* buffers given to the planner */
	const int64_t *offline;            /* per global tensor, or NULL */
	const uint32_t *tensor_base;
};

/*
 * Replay AllocateTensors()' arena traffic (arena_tail.c) and fill p's
 * tail_bytes, tail breakdown, arena_used_bytes, planning_peak_bytes and
 * arena_bytes. Errors: TFIT_ERR_LIMIT on overflow.
 */
enum tfit_status tfit_tail_simulate(const struct tail_input *in, struct tfit_arena_plan *p,
			       struct tfit_error *err);

/*
 * The same in two steps, so that the kernels' allocations can be freed
 * before the planner places the buffers (issue #17): tfit_tail_begin
 * replays everything before the head becomes the plan's high-water mark
 * (it reads in->k, not in->head_bytes; p's tail breakdown is written from
 * here on) and returns the replay in *s; tfit_tail_finish replays the rest
 * with in->head_bytes (not in->k), fills p as tfit_tail_simulate does and
 * frees s, also on an error. An overflow in either step is reported by
 * tfit_tail_finish, as tfit_tail_simulate reports it. tfit_tail_free frees
 * a replay that is not finished (NULL-safe). Errors of tfit_tail_begin: a
 * buffer alignment out of range, TFIT_ERR_NOMEM (*s is then NULL).
 */
struct tail_sim;
enum tfit_status tfit_tail_begin(const struct tail_input *in, struct tfit_arena_plan *p,
				 struct tail_sim **s, struct tfit_error *err);
enum tfit_status tfit_tail_finish(struct tail_sim *s, const struct tail_input *in,
				  struct tfit_arena_plan *p, struct tfit_error *err);
void tfit_tail_free(struct tail_sim *s);

#endif
