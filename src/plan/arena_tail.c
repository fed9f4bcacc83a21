/*
 * arena_tail.c - replay the arena traffic of TFLM's AllocateTensors() to get
 * the tail, the planning-phase peak and the smallest arena that works.
 *
 * TFLM's SingleArenaBufferAllocator (arena_allocator/
 * single_arena_buffer_allocator.cc) keeps three pointers: head_ (end of the
 * resizable head buffer), temp_ (temporary allocations above the head) and
 * tail_ (persistent allocations, growing down from the arena end, each
 * aligned down to its alignment). An allocation fails when the tail would
 * go below head_, a temp allocation when temp_ would pass tail_, a head
 * resize when the head would pass tail_. The order of traffic, from
 * micro_interpreter.cc (AllocateTensors), micro_allocator.cc and
 * micro_interpreter_graph.cc, is:
 *   1. allocator objects (MicroAllocator::Create, StartModelAllocation);
 *      the head reserves room for kMaxScratchBuffersPerOp scratch requests;
 *      SubgraphAllocations, TfLiteEvalTensor arrays, NodeAndRegistration
 *      arrays;
 *   2. builtin options of every op (PrepareNodeAndRegistrationData...);
 *   3. every kernel's Init() (InitSubgraphs);
 *   4. every kernel's Prepare() with its temp TfLiteTensors, persistent
 *      data and scratch requests; after each op the head is resized to
 *      (requests + kMaxScratchBuffersPerOp) requests
 *      (FinishPrepareNodeAllocations);
 *   5. FinishModelAllocation: scratch handles (tail); AllocationInfo per
 *      tensor and request and the subgraph offsets (temp); variable tensor
 *      buffers (tail, checked against head_ only); the planner's working
 *      memory (temp: all that is left between the 16-aligned temp_ and the
 *      16-aligned tail, which must hold per_buffer_size() per buffer); then
 *      the head becomes the plan's high-water mark;
 *   6. the interpreter's input/output TfLiteTensor pointer arrays and
 *      persistent TfLiteTensors with their quantization (tail).
 * The tail's alignment padding depends on where the arena ends, so the
 * replay is done for each residue of the arena size modulo the buffer
 * alignment (the arena start is aligned); within one residue every check is
 * "size >= something", so the smallest working size of that residue is the
 * largest of those bounds, and the answer the smallest over residues.
 */
#include "plan_internal.h"
#include "tinyfit/checked.h"

#include <string.h>

struct sim {
	uint64_t align;              /* buffer alignment: the residue modulus */
	uint64_t r;                  /* arena size modulo align */
	uint64_t t;                  /* tail bytes used */
	uint64_t head;               /* head_ offset from the arena start */
	uint64_t need;               /* smallest arena size passing every check so far */
	uint64_t planning_need;      /* the planner's check alone */
	struct tfit_tail_breakdown *bd;
	int overflow;
};

static void need_at_least(struct sim *s, uint64_t v)
{
	if (v > s->need)
		s->need = v;
}

static uint64_t add(struct sim *s, uint64_t a, uint64_t b)
{
	uint64_t r;
	if (!tfit_add_u64(a, b, &r)) {
		s->overflow = 1;
		return UINT64_MAX / 4;
	}
	return r;
}

static uint64_t mul(struct sim *s, uint64_t a, uint64_t b)
{
	uint64_t r;
	if (!tfit_mul_u64(a, b, &r)) {
		s->overflow = 1;
		return UINT64_MAX / 4;
	}
	return r;
}

/* (r - x) mod align, with r < align. */
static uint64_t residue_minus(const struct sim *s, uint64_t x)
{
	return (s->r + s->align - x % s->align) % s->align;
}

/* AllocatePersistentBuffer(size, a): tail_ = AlignPointerDown(tail_ - size, a). */
static void tail_alloc(struct sim *s, uint64_t size, uint64_t a, uint64_t *category)
{
	uint64_t end = add(s, s->t, size);
	uint64_t pad = a > 1 ? residue_minus(s, end) % a : 0;
	s->t = add(s, end, pad);
	if (s->bd) {
		*category = add(s, *category, size);
		s->bd->padding_bytes = add(s, s->bd->padding_bytes, pad);
	}
	need_at_least(s, add(s, s->head, s->t));
}

/* A temp allocation (or head resize) reaching temp_end must stay below tail_. */
static void temp_check(struct sim *s, uint64_t temp_end)
{
	need_at_least(s, add(s, temp_end, s->t));
}

static uint64_t align_up(struct sim *s, uint64_t v, uint64_t a)
{
	uint64_t r;
	if (!tfit_align_up_u64(v, a, &r)) {
		s->overflow = 1;
		return UINT64_MAX / 4;
	}
	return r;
}

/* Persistent TfLiteTensor for a model input/output (AllocatePersistentTfLiteTensor). */
static void io_tensor(struct sim *s, const struct tail_input *in, const struct tfit_tensor *t)
{
	const struct tfit_arena_layout *l = in->l;
	struct tfit_tail_breakdown dummy;
	struct tfit_tail_breakdown *bd = s->bd ? s->bd : &dummy;
	tail_alloc(s, l->tflite_tensor_bytes, l->struct_alignment, &bd->io_tensor_bytes);
	/* InitializeTfLiteTensorFromFlatbuffer: quantization when scale and zero
	 * point are both non-empty; the zero-point array has one int per scale */
	if (t->quant.scale_count > 0 && t->quant.zero_point_count > 0) {
		tail_alloc(s, l->affine_quantization_bytes, l->struct_alignment,
			   &bd->quantization_bytes);
		tail_alloc(s, add(s, l->int_array_header_bytes,
				  mul(s, l->int_array_elem_bytes, t->quant.scale_count)),
			   l->struct_alignment, &bd->quantization_bytes);
	}
}

static void io_list(struct sim *s, const struct tail_input *in, const int32_t *idx, uint32_t n)
{
	const struct tfit_subgraph *sg = &in->m->subgraphs[0];
	struct tfit_tail_breakdown dummy;
	struct tfit_tail_breakdown *bd = s->bd ? s->bd : &dummy;
	uint32_t i;
	/* MicroAllocator::AllocatePersistentBuffer: buffer alignment */
	tail_alloc(s, mul(s, in->l->pointer_bytes, n), in->l->buffer_alignment,
		   &bd->io_tensor_bytes);
	for (i = 0; i < n; i++)
		if (idx[i] >= 0 && (uint32_t)idx[i] < sg->n_tensors)
			io_tensor(s, in, &sg->tensors[idx[i]]);
}

static void replay(struct sim *s, const struct tail_input *in, uint64_t *tail_bytes,
		   uint64_t *planning_need)
{
	const struct tfit_model *m = in->m;
	const struct tfit_arena_layout *l = in->l;
	const struct kernel_allocs *k = in->k;
	struct tfit_tail_breakdown dummy;
	struct tfit_tail_breakdown *bd = s->bd ? s->bd : &dummy;
	uint64_t sa = l->struct_alignment, ba = l->buffer_alignment;
	uint64_t requests = 0, temp_end, total_tensors = 0;
	uint32_t sg, i, j, g;

	memset(&dummy, 0, sizeof(dummy));
	/* 1. allocator objects, head for scratch requests, per-graph arrays */
	tail_alloc(s, l->allocator_objects_bytes, sa, &bd->allocator_bytes);
	s->head = mul(s, l->scratch_request_bytes, l->max_scratch_per_op);
	temp_check(s, s->head);
	tail_alloc(s, mul(s, l->subgraph_allocations_bytes, m->n_subgraphs), sa,
		   &bd->allocator_bytes);
	for (sg = 0; sg < m->n_subgraphs; sg++) {
		total_tensors = add(s, total_tensors, m->subgraphs[sg].n_tensors);
		tail_alloc(s, mul(s, l->eval_tensor_bytes, m->subgraphs[sg].n_tensors), sa,
			   &bd->eval_tensor_bytes);
	}
	for (sg = 0; sg < m->n_subgraphs; sg++)
		tail_alloc(s, mul(s, l->node_and_registration_bytes, m->subgraphs[sg].n_ops),
			   sa, &bd->node_bytes);

	/* 2. builtin options */
	g = 0;
	for (sg = 0; sg < m->n_subgraphs; sg++)
		for (i = 0; i < m->subgraphs[sg].n_ops; i++, g++)
			if (k->ops[g].builtin_bytes)
				tail_alloc(s, k->ops[g].builtin_bytes, k->ops[g].builtin_align,
					   &bd->builtin_data_bytes);
	/* 3. Init() */
	g = 0;
	for (sg = 0; sg < m->n_subgraphs; sg++)
		for (i = 0; i < m->subgraphs[sg].n_ops; i++, g++)
			for (j = 0; j < k->ops[g].n_init; j++)
				tail_alloc(s, k->bytes[k->ops[g].init_start + j], ba,
					   &bd->kernel_persistent_bytes);
	/* 4. Prepare() */
	g = 0;
	for (sg = 0; sg < m->n_subgraphs; sg++) {
		for (i = 0; i < m->subgraphs[sg].n_ops; i++, g++) {
			const struct op_allocs *oa = &k->ops[g];
			for (j = 0; j < oa->n_prepare; j++)
				tail_alloc(s, k->bytes[oa->prepare_start + j], ba,
					   &bd->kernel_persistent_bytes);
			temp_check(s, add(s, s->head, oa->temp_bytes));
			requests = add(s, requests, oa->n_scratch);
			s->head = mul(s, l->scratch_request_bytes,
				      add(s, requests, l->max_scratch_per_op));
			temp_check(s, s->head);
		}
	}
	/* 5. FinishModelAllocation */
	if (requests > 0)
		tail_alloc(s, mul(s, l->scratch_handle_bytes, requests), sa,
			   &bd->scratch_handle_bytes);
	temp_end = add(s, align_up(s, s->head, sa),
		       mul(s, l->subgraph_offset_bytes, m->n_subgraphs));
	temp_end = add(s, align_up(s, temp_end, sa),
		       mul(s, l->allocation_info_bytes, add(s, total_tensors, requests)));
	temp_check(s, temp_end);
	for (sg = 0; sg < m->n_subgraphs; sg++) {
		const struct tfit_subgraph *g2 = &m->subgraphs[sg];
		for (i = 0; i < g2->n_tensors; i++) {
			if (!(g2->tensors[i].flags & TFIT_TENSOR_VARIABLE))
				continue;
			if (in->offline && in->offline[in->tensor_base[sg] + i] != TFIT_PLAN_ONLINE)
				continue; /* planned in the head at its offline offset */
			{
				uint64_t vb = 0;
				(void)tflm_tensor_bytes(&g2->tensors[i], &vb);
				tail_alloc(s, vb, ba, &bd->variable_bytes);
			}
		}
	}
	{
		/* GreedyMemoryPlanner::Init gets GetAvailableMemory(16) bytes and
		 * holds remaining / per_buffer_size() buffers */
		uint64_t x = add(s, align_up(s, temp_end, ba),
				 mul(s, l->planner_bytes_per_buffer, in->n_planned));
		uint64_t v = add(s, add(s, x, s->t), residue_minus(s, s->t));
		*planning_need = v;
		need_at_least(s, v);
	}
	s->head = in->head_bytes;
	temp_check(s, s->head);
	/* 6. interpreter inputs and outputs (subgraph 0) */
	io_list(s, in, m->subgraphs[0].inputs, m->subgraphs[0].n_inputs);
	io_list(s, in, m->subgraphs[0].outputs, m->subgraphs[0].n_outputs);
	*tail_bytes = s->t;
}

enum tfit_status tail_simulate(const struct tail_input *in, struct tfit_arena_plan *p,
			       struct tfit_error *err)
{
	uint64_t r, best = UINT64_MAX, align = in->l->buffer_alignment;

	for (r = 0; r < align; r++) {
		struct sim s;
		uint64_t tail = 0, planning = 0, size;
		memset(&s, 0, sizeof(s));
		s.align = align;
		s.r = r;
		if (r == 0) {
			memset(&p->tail, 0, sizeof(p->tail));
			s.bd = &p->tail;
		}
		replay(&s, in, &tail, &planning);
		if (s.overflow)
			return tfit_error_set(err, TFIT_ERR_LIMIT, NULL, NULL,
					      "arena size overflows 64 bits");
		/* smallest size >= need with size % align == r */
		size = s.need + (r + align - s.need % align) % align;
		if (size < best)
			best = size;
		if (r == 0) {
			p->tail_bytes = tail;
			p->planning_peak_bytes = planning;
			if (!tfit_add_u64(p->head_bytes, tail, &p->arena_used_bytes))
				return tfit_error_set(err, TFIT_ERR_LIMIT, NULL, NULL,
						      "arena size overflows 64 bits");
		}
	}
	p->arena_bytes = best;
	return TFIT_OK;
}
