/*
 * plan.h - the tensor arena, as TensorFlow Lite Micro plans it.
 *
 * tfit_plan_arena() reproduces what TFLM's MicroInterpreter::AllocateTensors()
 * does with a model (tflite-micro 90b983c2b3f1, docs/arena.md):
 *  - lifetimes in TFLM's allocation scopes (AllocationInfoBuilder,
 *    micro_allocation_info.cc): subgraph inputs from the scope before the
 *    first op, outputs to the last scope, other tensors from their producer
 *    to their last consumer; constants, variables and empty tensors are not
 *    planned; control-flow ops (IF, WHILE, CALL_ONCE) open nested scopes for
 *    the subgraphs they call; scratch buffers live for their op;
 *  - TFLM's GreedyMemoryPlanner, same result to the byte (16-byte aligned
 *    sizes, offline-planned buffers first, largest first with TFLM's tie
 *    order, first gap), in O(sum of overlaps * log) instead of O(n^2);
 *  - the tail (persistent part) and the planning-phase peak for the
 *    runtime's 32-bit structure sizes and kernel rules (runtime.h), and from
 *    them the smallest arena with which AllocateTensors() succeeds.
 *
 * Units: every size is in bytes (uint64_t); times are TFLM allocation
 * scopes (0 = the main graph's inputs, op i of a graph without control flow
 * = scope i + 1).
 *
 * Ownership: a struct tfit_arena_plan is caller-allocated; tfit_plan_arena()
 * fills it and allocates its arrays; tfit_arena_plan_release() frees them
 * and zeroes the struct (safe on a zeroed or already released plan). On an
 * error return the plan is left released. Nothing here prints.
 */
#ifndef TINYFIT_PLAN_H
#define TINYFIT_PLAN_H

#include <stdint.h>

#include "tinyfit/error.h"
#include "tinyfit/graph.h"
#include "tinyfit/runtime.h"

/* Offset value meaning "plan this buffer online" (TFLM's kOnlinePlannedBuffer). */
#define TFIT_PLAN_ONLINE (-1)

/* One buffer handed to the greedy planner. */
struct tfit_greedy_buffer {
	uint64_t bytes;          /* already aligned, as TFLM's CreatePlan passes them */
	int32_t first_time;      /* first scope the buffer is live (inclusive) */
	int32_t last_time;       /* last scope (inclusive), >= first_time */
	int64_t offline_offset;  /* TFIT_PLAN_ONLINE or a fixed offset */
};

/*
 * Place buffers exactly as TFLM's GreedyMemoryPlanner does; offsets[i] gets
 * buffer i's offset and *head_bytes the high-water mark (max offset+bytes,
 * 0 for n == 0). offsets[] is the placement's working array too: after an
 * error its contents are unspecified. Errors: TFIT_ERR_INPUT for a buffer with last < first or a
 * negative offline offset other than TFIT_PLAN_ONLINE; TFIT_ERR_LIMIT when
 * an offset overflows; TFIT_ERR_NOMEM.
 */
enum tfit_status tfit_plan_greedy(const struct tfit_greedy_buffer *bufs, uint32_t n,
				  uint64_t *offsets, uint64_t *head_bytes,
				  struct tfit_error *err);

/*
 * First fit in a given order, TFLM's placement walk without its sort:
 * buffers order[0], order[1], ... (a permutation of 0..n-1) each go at
 * their offline offset or at the lowest gap left by the buffers placed
 * before them that overlap them in time. tfit_plan_greedy() is this with
 * TFLM's order; tfit_plan_pack()'s heuristics use their own orders. The
 * walk costs at most work_max steps (0: the greedy planner's 2^29, about
 * half a second), else TFIT_ERR_LIMIT. Other errors as tfit_plan_greedy().
 */
enum tfit_status tfit_plan_first_fit(const struct tfit_greedy_buffer *bufs, uint32_t n,
				     const uint32_t *order, uint64_t work_max,
				     uint64_t *offsets, uint64_t *head_bytes,
				     struct tfit_error *err);

enum tfit_plan_buffer_kind {
	TFIT_PLAN_TENSOR = 0,    /* a non-constant tensor */
	TFIT_PLAN_SCRATCH        /* a scratch buffer a kernel requested */
};

/* 40 bytes: the size as planned (rounded up to the plan's buffer_alignment)
 * is tfit_plan_buffer_aligned_bytes(); an offline offset is the model's
 * (tfit_tensor_offline_offset, unless the plan ignored it). */
struct tfit_plan_buffer {
	uint64_t bytes;          /* as the tensor/request needs it */
	uint64_t offset;         /* arena offset chosen by the planner */
	int32_t tensor;          /* tensor index in the subgraph; -1 for scratch */
	int32_t op;              /* scratch: the requesting op; tensor: its producer or -1 */
	int32_t first_time, last_time;
	uint32_t subgraph;
	uint8_t kind;            /* enum tfit_plan_buffer_kind */
};

/* The tail, by what TFLM puts there (requested bytes; padding separately). */
struct tfit_tail_breakdown {
	uint64_t allocator_bytes;         /* allocator, planner, SubgraphAllocations objects */
	uint64_t eval_tensor_bytes;       /* TfLiteEvalTensor per tensor */
	uint64_t node_bytes;              /* NodeAndRegistration per op */
	uint64_t builtin_data_bytes;      /* parsed builtin options */
	uint64_t kernel_persistent_bytes; /* kernel OpData, per-channel arrays, LUTs */
	uint64_t scratch_handle_bytes;    /* ScratchBufferHandle per scratch request */
	uint64_t variable_bytes;          /* variable tensor buffers */
	uint64_t io_tensor_bytes;         /* persistent TfLiteTensor + pointer arrays for I/O */
	uint64_t quantization_bytes;      /* their quantization structs and zero points */
	uint64_t padding_bytes;           /* alignment padding between tail allocations */
};

struct tfit_plan_opts {
	int ignore_offline_plan;          /* plan every buffer online */
};

struct tfit_arena_plan {
	struct tfit_plan_buffer *buffers; /* planned buffers, in TFLM's AddBuffer order */
	uint32_t n_buffers;
	uint64_t buffer_alignment;        /* the runtime's: each buffer's bytes rounded up to it */
	uint32_t n_scratch;               /* how many of them are scratch buffers */
	int32_t n_times;                  /* allocation scopes used (last time + 1) */
	/* n_times entries: the subgraph and op that open each scope (scope 0:
	 * 0 and -1, the inputs); both NULL when every scope s is op s - 1 of
	 * subgraph 0 (a model without control flow: 8 bytes a scope not kept;
	 * issue #17). Read them with tfit_plan_scope(). */
	int32_t *scope_subgraph;
	int32_t *scope_op;

	uint64_t head_bytes;              /* planner high-water mark */
	uint64_t tail_bytes;              /* persistent part, 16-aligned arena end */
	uint64_t arena_used_bytes;        /* head + tail: TFLM's arena_used_bytes() */
	uint64_t planning_peak_bytes;     /* arena AllocateTensors needs while planning */
	uint64_t arena_bytes;             /* smallest arena that works (kTensorArenaSize) */
	struct tfit_tail_breakdown tail;

	uint64_t lower_bound_bytes;       /* max over scopes of live planned bytes */
	double efficiency;                /* lower_bound / head (1 when head is 0) */
	int32_t peak_time;                /* scope of the lower bound (first one) */
	int32_t peak_subgraph;            /* the op running at peak_time, or -1 */
	int32_t peak_op;                  /* (-1: the scope before the first op) */
	uint32_t *peak_buffers;           /* indices into buffers live at peak_time */
	uint32_t n_peak_buffers;

	/* 1: the model's OfflineMemoryAllocation was honoured, and buffers it
	 * places may share addresses while live together (an in-place
	 * RESHAPE); 0: every buffer was placed by the greedy planner, which
	 * never puts two buffers live at a common scope on common addresses */
	int used_offline_plan;

	/* Ops the runtime profile has no kernel row for: their kernel data (if
	 * any) is not counted. -1 when every op has a row. */
	uint32_t n_ops_without_rule;
	int32_t first_op_without_rule_subgraph;
	int32_t first_op_without_rule;
};

/* A buffer's size as planned: its bytes rounded up to the plan's buffer
 * alignment (as the planner rounded them; the sum cannot overflow, the
 * planner refused such a buffer). A plan without an alignment (0) plans
 * the bytes as they are. */
static inline uint64_t tfit_plan_buffer_aligned_bytes(const struct tfit_arena_plan *p,
						      const struct tfit_plan_buffer *b)
{
	uint64_t a = p->buffer_alignment, t;
	if (a == 0)
		return b->bytes;
	t = b->bytes + (a - 1);
	return t - t % a;
}

/* The subgraph and op that open scope s of p, 0 <= s < p->n_times (scope
 * 0: subgraph 0, op -1, the inputs; a subgraph's own inputs: op -1). */
static inline void tfit_plan_scope(const struct tfit_arena_plan *p, int32_t s, int32_t *subgraph,
				   int32_t *op)
{
	if (!p->scope_op || !p->scope_subgraph) {
		*subgraph = 0;
		*op = s - 1;
		return;
	}
	*subgraph = p->scope_subgraph[s];
	*op = p->scope_op[s];
}

/*
 * Plan model m's arena for runtime rt (o may be NULL for defaults).
 * Errors: TFIT_ERR_INPUT when TFLM would reject the model (a kernel rule's
 * diagnosis, e.g. "op 2 (conv_2d): hybrid models are not supported on
 * TFLite Micro", a dynamic or negative shape, an offline plan whose length
 * differs from the tensor count, a subgraph call cycle), TFIT_ERR_LIMIT on
 * size overflow, TFIT_ERR_NOMEM.
 */
enum tfit_status tfit_plan_arena(const struct tfit_model *m, const struct tfit_runtime *rt,
				 const struct tfit_plan_opts *o, struct tfit_arena_plan *out,
				 struct tfit_error *err);

void tfit_arena_plan_release(struct tfit_arena_plan *p);

/* ---- the arena over time (src/plan/plan_live.c) ---- */

/* Bytes (aligned, as planned) live at each scope 0..p->n_times-1, buffers
 * sharing addresses counted once (an offline plan's in-place RESHAPE; a
 * plan without one has no such buffers, used_offline_plan, and its bytes
 * are a sum: 8 bytes a scope and nothing a buffer); the caller frees.
 * NULL on out of memory or when the plan has no scopes. */
uint64_t *tfit_plan_live_bytes(const struct tfit_arena_plan *p);

/*
 * What a picture of a plan's arena over time needs when it does not draw
 * the buffers themselves (check's text report): the bytes live at each
 * scope and the scope map, 8 bytes a scope (16 with control flow) where
 * the plan keeps 40 bytes a buffer (issue #17). Ownership as struct
 * tfit_arena_plan: tfit_arena_timeline_make() fills a caller's struct and
 * allocates its arrays, tfit_arena_timeline_release() frees and zeroes.
 */
struct tfit_arena_timeline {
	uint64_t *live_bytes;       /* n_times entries: tfit_plan_live_bytes() */
	int32_t n_times;            /* as the plan's */
	int32_t *scope_subgraph;    /* copies of the plan's scope map (NULL: */
	int32_t *scope_op;          /* scope s is op s - 1; tfit_arena_timeline_scope) */
	uint64_t head_bytes;        /* the plan's head */
	int32_t peak_time;          /* the plan's scope of the lower bound */
	int used_offline_plan;      /* as the plan's */
};

/* Errors: TFIT_ERR_NOMEM (out released). */
enum tfit_status tfit_arena_timeline_make(const struct tfit_arena_plan *p,
					  struct tfit_arena_timeline *out, struct tfit_error *err);
void tfit_arena_timeline_release(struct tfit_arena_timeline *t);

/* tfit_plan_scope() for a timeline. */
static inline void tfit_arena_timeline_scope(const struct tfit_arena_timeline *t, int32_t s,
					     int32_t *subgraph, int32_t *op)
{
	if (!t->scope_op || !t->scope_subgraph) {
		*subgraph = 0;
		*op = s - 1;
		return;
	}
	*subgraph = t->scope_subgraph[s];
	*op = t->scope_op[s];
}

/* ---- a smaller head: optimal placement (src/plan/optimal_planner.c) ---- */

/* One buffer for tfit_plan_pack(): its (aligned) size and lifetime. */
struct tfit_pack_item {
	uint64_t bytes;
	int32_t first_time, last_time;   /* inclusive scopes; first >= -1 */
};

/* Branch-and-bound nodes tfit_plan_pack() visits by default, and the most
 * buffers it searches over (beyond that: heuristics only). */
#define TFIT_PACK_DEFAULT_NODES 200000u
#define TFIT_PACK_MAX_SEARCH 1024u

struct tfit_pack_opts {
	uint64_t node_limit;   /* 0: TFIT_PACK_DEFAULT_NODES */
	uint64_t upper_bytes;  /* a head already known (e.g. TFLM's greedy plan):
				  only a smaller one is searched for; 0: none */
};

struct tfit_pack_result {
	uint64_t head_bytes;           /* max offset + bytes of the placement returned */
	uint64_t heuristic_head_bytes; /* the best first-fit heuristic's head */
	uint64_t lower_bound_bytes;    /* max over scopes of the bytes live there */
	uint64_t nodes;                /* search nodes visited */
	int searched;                  /* the branch and bound ran */
	int complete;                  /* proven: no placement has a head below
					  min(head_bytes, upper_bytes if given) */
};

/*
 * Place n buffers (no two that are live at the same scope may overlap) with
 * the smallest head found: the lower bound, first-fit heuristics, then a
 * branch and bound over placement orders (MiniMalloc's canonical
 * solutions) with a node limit; deterministic. offsets[i] gets buffer i's
 * offset (0 for empty buffers); offsets are sums of sizes, so 16-aligned
 * sizes give 16-aligned offsets. Errors: TFIT_ERR_INPUT for a bad
 * lifetime, TFIT_ERR_LIMIT for sizes that could overflow, TFIT_ERR_NOMEM.
 */
enum tfit_status tfit_plan_pack(const struct tfit_pack_item *items, uint32_t n,
				const struct tfit_pack_opts *o, uint64_t *offsets,
				struct tfit_pack_result *res, struct tfit_error *err);

/* ---- an offline plan for TFLM (src/plan/offline_planner.c) ---- */

struct tfit_offline_opts {
	int no_alias;          /* do not place RESHAPE outputs on their inputs */
	uint64_t node_limit;   /* tfit_plan_pack()'s; 0 = its default */
};

/*
 * Offsets for TFLM's OfflineMemoryAllocation metadata that make its planner
 * reach a smaller head than its own greedy plan, for the same lifetimes and
 * 16-byte rounding (tflite-micro 90b983c2b3f1 micro_allocation_info.cc,
 * greedy_memory_planner.cc: offline buffers are placed at their offsets,
 * overlaps allowed; scratch buffers are not tensors and stay online, placed
 * by the greedy planner around the fixed ones: head_bytes is computed that
 * way, with tfit_plan_greedy()).
 *
 * Aliasing: in a model with one subgraph, the output of a RESHAPE whose
 * input and output are both planned, of equal size and not variables is
 * placed at its input's offset; TFLM's reshape kernel then skips the copy
 * (kernels/reshape.cc EvalReshapeReference: "Do nothing for in-place
 * reshape"). No other kernel checks for in-place operation (squeeze.cc
 * always memcpy's), so no other op is aliased.
 */
struct tfit_offline_plan {
	int32_t *offsets;             /* one per tensor of every subgraph, subgraph 0
					 first; -1 = TFLM plans it (constants...) */
	uint32_t n_offsets;
	uint64_t greedy_head_bytes;   /* TFLM's own plan (any offline plan ignored) */
	uint64_t head_bytes;          /* TFLM's head with these offsets */
	uint64_t lower_bound_bytes;   /* max over scopes of live aligned bytes,
					 after aliasing: no placement does better */
	uint32_t n_aliased;           /* RESHAPE outputs placed on their input */
	uint32_t n_scratch;           /* scratch buffers (left to TFLM's planner) */
	uint64_t search_nodes;        /* branch-and-bound nodes visited */
	int searched;                 /* the branch and bound ran */
	int proven_optimal;           /* head_bytes is the best possible placement
					 of these buffers (search complete, or the
					 lower bound reached) */
	int improved;                 /* head_bytes < greedy_head_bytes; when 0
					 every offset is -1: keep TFLM's plan */
};

/*
 * Compute the offline plan of model m for runtime rt (o may be NULL).
 * Errors: as tfit_plan_arena(), and from tfit_plan_pack(). Ownership as
 * struct tfit_arena_plan: tfit_offline_plan_release() frees and zeroes.
 */
enum tfit_status tfit_plan_offline(const struct tfit_model *m, const struct tfit_runtime *rt,
				   const struct tfit_offline_opts *o,
				   struct tfit_offline_plan *out, struct tfit_error *err);
void tfit_offline_plan_release(struct tfit_offline_plan *p);

#endif
