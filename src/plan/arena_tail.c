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
 * traffic is replayed for each residue r of the arena size modulo the buffer
 * alignment (the arena start is aligned); within one residue every check is
 * "size >= something", so the smallest working size of that residue is the
 * largest of those bounds, and the answer the smallest over residues.
 *
 * The residues share one pass. What an allocation does to residue r depends
 * only on q = (r - tail bytes) mod alignment, the arena end's misalignment
 * below the tail: the padding is a function of q and the size, and so is the
 * next q. Two residues that reach the same q therefore pad alike from then
 * on, and their tails differ by a constant. They are merged into one class:
 * its leader (the one with the larger tail) is replayed, the other follows
 * "behind" bytes below it, and its bounds are the leader's minus that. Each
 * merge first settles the bounds met so far. Usually the first allocation
 * aligned to the buffer alignment merges all residues, so a model is walked
 * once with one class instead of once per residue, with the same numbers
 * (tests/unit/test_plan_tail.c replays per residue and compares).
 */
#include "plan_internal.h"
#include "tinyfit/checked.h"

#include <string.h>
#include <stdlib.h>

/* One residue of the arena size modulo the buffer alignment. */
struct residue {
	uint64_t t;        /* leader: tail bytes used */
	uint64_t need;     /* leader: largest bound since its class last changed (0: none) */
	uint64_t settled;  /* largest bound settled for this residue */
	uint64_t behind;   /* the leader's tail minus this residue's (0 for a leader) */
	uint32_t leader;   /* the residue replayed for this one's class */
};

struct tail_sim {
	uint64_t align;              /* buffer alignment: the residue modulus */
	struct residue *res;         /* [align] */
	uint32_t *leaders;           /* residues replayed, [n_leaders] */
	uint32_t n_leaders;
	uint64_t *seen_stamp;        /* [align], for finding leaders with equal q */
	uint32_t *seen_leader;
	uint64_t stamp;
	uint64_t head;               /* head_ offset from the arena start */
	struct tfit_tail_breakdown *bd;  /* for residue 0 (a 16-aligned end) */
	uint64_t planning_need;      /* the planning phase's arena (residue 0) */
	int overflow;
};

static uint64_t add(struct tail_sim *s, uint64_t a, uint64_t b)
{
	uint64_t r;
	if (tfit_add_u64(a, b, &r) != TFIT_OK) {
		s->overflow = 1;
		return UINT64_MAX / 4;
	}
	return r;
}

static uint64_t mul(struct tail_sim *s, uint64_t a, uint64_t b)
{
	uint64_t r;
	if (tfit_mul_u64(a, b, &r) != TFIT_OK) {
		s->overflow = 1;
		return UINT64_MAX / 4;
	}
	return r;
}

static uint64_t align_up(struct tail_sim *s, uint64_t v, uint64_t a)
{
	uint64_t r;
	if (tfit_align_up_u64(v, a, &r) != TFIT_OK) {
		s->overflow = 1;
		return UINT64_MAX / 4;
	}
	return r;
}

/* x mod a; alignments are powers of two (runtime_profile.c checks them) */
static uint64_t mod(uint64_t x, uint64_t a)
{
	return (a & (a - 1)) == 0 ? x & (a - 1) : x % a;
}

/* (r - x) mod align, with r < align. */
static uint64_t residue_minus(const struct tail_sim *s, uint64_t r, uint64_t x)
{
	return mod(r + s->align - mod(x, s->align), s->align);
}

static void need_at_least(struct residue *x, uint64_t v)
{
	if (v > x->need)
		x->need = v;
}

/* Fold a leader's bounds since its class last changed into every member. */
static void settle(struct tail_sim *s, uint32_t leader)
{
	struct residue *l = &s->res[leader];
	uint64_t r;
	for (r = 0; r < s->align; r++) {
		struct residue *x = &s->res[r];
		if (x->leader != leader || l->need <= x->behind)
			continue;
		if (l->need - x->behind > x->settled)
			x->settled = l->need - x->behind;
	}
	l->need = 0;
}

/* Leaders whose q became equal form one class from here on. */
static void merge_classes(struct tail_sim *s)
{
	uint32_t i, n = 0;
	s->stamp++;
	for (i = 0; i < s->n_leaders; i++) {
		uint32_t r = s->leaders[i], o, keep, drop;
		uint64_t q = residue_minus(s, r, s->res[r].t), d, x;
		if (s->seen_stamp[q] != s->stamp) {
			s->seen_stamp[q] = s->stamp;
			s->seen_leader[q] = r;
			continue;
		}
		o = s->seen_leader[q];
		/* the larger tail leads: a follower's sums never exceed the
		 * leader's, so overflow is caught where a per-residue replay
		 * would catch it */
		keep = s->res[o].t >= s->res[r].t ? o : r;
		drop = keep == o ? r : o;
		settle(s, keep);
		settle(s, drop);
		d = s->res[keep].t - s->res[drop].t;
		for (x = 0; x < s->align; x++)
			if (s->res[x].leader == drop) {
				s->res[x].leader = keep;
				s->res[x].behind += d;
			}
		s->seen_leader[q] = keep;
	}
	for (i = 0; i < s->n_leaders; i++)
		if (s->res[s->leaders[i]].leader == s->leaders[i])
			s->leaders[n++] = s->leaders[i];
	s->n_leaders = n;
}

/* AllocatePersistentBuffer(size, a): tail_ = AlignPointerDown(tail_ - size, a). */
static void tail_alloc(struct tail_sim *s, uint64_t size, uint64_t a, uint64_t *category)
{
	uint32_t i, lead0 = s->res[0].leader;
	uint64_t pad0 = 0;
	for (i = 0; i < s->n_leaders; i++) {
		uint32_t r = s->leaders[i];
		struct residue *x = &s->res[r];
		uint64_t end = add(s, x->t, size);
		uint64_t pad = a > 1 ? mod(residue_minus(s, r, end), a) : 0;
		x->t = add(s, end, pad);
		if (r == lead0)
			pad0 = pad;
		need_at_least(x, add(s, s->head, x->t));
	}
	*category = add(s, *category, size);
	s->bd->padding_bytes = add(s, s->bd->padding_bytes, pad0);
	if (a > 1 && s->n_leaders > 1)
		merge_classes(s);
}

/* A temp allocation (or head resize) reaching temp_end must stay below tail_. */
static void temp_check(struct tail_sim *s, uint64_t temp_end)
{
	uint32_t i;
	for (i = 0; i < s->n_leaders; i++) {
		struct residue *x = &s->res[s->leaders[i]];
		need_at_least(x, add(s, temp_end, x->t));
	}
}

/* Persistent TfLiteTensor for a model input/output (AllocatePersistentTfLiteTensor). */
static void io_tensor(struct tail_sim *s, const struct tail_input *in, const struct tfit_tensor *t)
{
	const struct tfit_arena_layout *l = in->l;
	tail_alloc(s, l->tflite_tensor_bytes, l->struct_alignment, &s->bd->io_tensor_bytes);
	/* InitializeTfLiteTensorFromFlatbuffer: quantization when scale and zero
	 * point are both non-empty; the zero-point array has one int per scale */
	if (tfit_tensor_quant(t)->scale_count > 0 && tfit_tensor_quant(t)->zero_point_count > 0) {
		tail_alloc(s, l->affine_quantization_bytes, l->struct_alignment,
			   &s->bd->quantization_bytes);
		tail_alloc(s, add(s, l->int_array_header_bytes,
				  mul(s, l->int_array_elem_bytes, tfit_tensor_quant(t)->scale_count)),
			   l->struct_alignment, &s->bd->quantization_bytes);
	}
}

static void io_list(struct tail_sim *s, const struct tail_input *in, const int32_t *idx, uint32_t n)
{
	const struct tfit_subgraph *sg = &in->m->subgraphs[0];
	uint32_t i;
	/* MicroAllocator::AllocatePersistentBuffer: buffer alignment */
	tail_alloc(s, mul(s, in->l->pointer_bytes, n), in->l->buffer_alignment,
		   &s->bd->io_tensor_bytes);
	for (i = 0; i < n; i++)
		if (idx[i] >= 0 && (uint32_t)idx[i] < sg->n_tensors)
			io_tensor(s, in, &sg->tensors[idx[i]]);
}

/* Residue 0's tail bytes. */
static uint64_t tail0(const struct tail_sim *s)
{
	return s->res[s->res[0].leader].t - s->res[0].behind;
}

/* Steps 1 to 5, up to the planner's working memory: all that needs the
 * kernels' allocations (in->k), none of it the plan's head. */
static void replay_begin(struct tail_sim *s, const struct tail_input *in)
{
	const struct tfit_model *m = in->m;
	const struct tfit_arena_layout *l = in->l;
	const struct kernel_allocs *k = in->k;
	struct tfit_tail_breakdown *bd = s->bd;
	uint64_t sa = l->struct_alignment, ba = l->buffer_alignment;
	uint64_t requests = 0, temp_end, total_tensors = 0;
	uint32_t sg, i, j, g;

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
				(void)tfit_tflm_tensor_bytes(&g2->tensors[i], &vb);
				tail_alloc(s, vb, ba, &bd->variable_bytes);
			}
		}
	}
	{
		/* GreedyMemoryPlanner::Init gets GetAvailableMemory(16) bytes and
		 * holds remaining / per_buffer_size() buffers */
		uint64_t x = add(s, align_up(s, temp_end, ba),
				 mul(s, l->planner_bytes_per_buffer, in->n_planned));
		uint64_t t0 = tail0(s);
		for (i = 0; i < s->n_leaders; i++) {
			uint32_t r = s->leaders[i];
			struct residue *e = &s->res[r];
			need_at_least(e, add(s, add(s, x, e->t), residue_minus(s, r, e->t)));
		}
		/* residue 0 pads as its leader does: same q */
		s->planning_need = add(s, add(s, x, t0), residue_minus(s, 0, t0));
	}
}

/* The rest: the head becomes the plan's high-water mark (in->head_bytes),
 * then the interpreter's inputs and outputs. */
static void replay_finish(struct tail_sim *s, const struct tail_input *in)
{
	const struct tfit_model *m = in->m;

	s->head = in->head_bytes;
	temp_check(s, s->head);
	/* 6. interpreter inputs and outputs (subgraph 0) */
	io_list(s, in, m->subgraphs[0].inputs, m->subgraphs[0].n_inputs);
	io_list(s, in, m->subgraphs[0].outputs, m->subgraphs[0].n_outputs);
}

void tfit_tail_free(struct tail_sim *s)
{
	if (!s)
		return;
	free(s->res);
	free(s->leaders);
	free(s->seen_stamp);
	free(s->seen_leader);
	free(s);
}

enum tfit_status tfit_tail_begin(const struct tail_input *in, struct tfit_arena_plan *p,
				 struct tail_sim **out, struct tfit_error *err)
{
	uint64_t r, align = in->l->buffer_alignment;
	struct tail_sim *s;

	*out = NULL;
	if (align == 0 || align > UINT32_MAX)
		return tfit_error_set(err, TFIT_ERR_INPUT, NULL, NULL,
				      "buffer alignment %llu out of range",
				      (unsigned long long)align);
	s = calloc(1, sizeof(*s));
	if (!s)
		return tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
	s->align = align;
	s->res = calloc((size_t)align, sizeof(*s->res));
	s->leaders = malloc((size_t)align * sizeof(*s->leaders));
	s->seen_stamp = calloc((size_t)align, sizeof(*s->seen_stamp));
	s->seen_leader = calloc((size_t)align, sizeof(*s->seen_leader));
	if (!s->res || !s->leaders || !s->seen_stamp || !s->seen_leader) {
		tfit_tail_free(s);
		return tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
	}
	for (r = 0; r < align; r++) {
		s->res[r].leader = (uint32_t)r;
		s->leaders[r] = (uint32_t)r;
	}
	s->n_leaders = (uint32_t)align;
	memset(&p->tail, 0, sizeof(p->tail));
	s->bd = &p->tail;
	replay_begin(s, in);
	*out = s; /* an overflow is reported by tfit_tail_finish */
	return TFIT_OK;
}

enum tfit_status tfit_tail_finish(struct tail_sim *s, const struct tail_input *in,
				  struct tfit_arena_plan *p, struct tfit_error *err)
{
	uint64_t r, best = UINT64_MAX, align = s->align, tail;
	enum tfit_status st = TFIT_OK;

	s->bd = &p->tail;
	replay_finish(s, in);
	if (s->overflow) {
		st = tfit_error_set(err, TFIT_ERR_LIMIT, NULL, NULL,
				    "arena size overflows 64 bits");
		goto out;
	}
	for (r = 0; r < s->n_leaders; r++)
		settle(s, s->leaders[r]);
	for (r = 0; r < align; r++) {
		/* smallest size >= need with size % align == r */
		uint64_t need = s->res[r].settled;
		uint64_t size = need + (r + align - need % align) % align;
		if (size < best)
			best = size;
	}
	tail = tail0(s);
	p->tail_bytes = tail;
	p->planning_peak_bytes = s->planning_need;
	if (tfit_add_u64(p->head_bytes, tail, &p->arena_used_bytes) != TFIT_OK) {
		st = tfit_error_set(err, TFIT_ERR_LIMIT, NULL, NULL,
				    "arena size overflows 64 bits");
		goto out;
	}
	p->arena_bytes = best;
out:
	tfit_tail_free(s);
	return st;
}

enum tfit_status tfit_tail_simulate(const struct tail_input *in, struct tfit_arena_plan *p,
			       struct tfit_error *err)
{
	struct tail_sim *s;
	enum tfit_status st = tfit_tail_begin(in, p, &s, err);
	return st != TFIT_OK ? st : tfit_tail_finish(s, in, p, err);
}
