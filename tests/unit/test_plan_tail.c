/*
 * test_plan_tail.c - tfit_tail_simulate() (src/plan/arena_tail.c), which replays
 * AllocateTensors()' arena traffic once for all residues of the arena size
 * modulo the buffer alignment, against the straightforward replay it
 * replaced: one full pass per residue (below, as it was). Random models,
 * kernel allocations and layouts (alignments 1 to 256, struct alignments up
 * to the buffer alignment, builtin alignments over it, quantized and
 * variable I/O tensors, offline-planned variables, sizes that overflow 64
 * bits); every output must be equal: tail bytes, the tail breakdown,
 * arena_used_bytes, the planning peak, the smallest arena, the error.
 */
#include <stdlib.h>
#include <string.h>

#include "tfit_test.h"
#include "plan/plan_internal.h"
#include "tinyfit/checked.h"

/* ---- the reference: one replay per residue (arena_tail.c before the
 * single pass) ---- */

struct ref_sim {
	uint64_t align;              /* buffer alignment: the residue modulus */
	uint64_t r;                  /* arena size modulo align */
	uint64_t t;                  /* tail bytes used */
	uint64_t head;               /* head_ offset from the arena start */
	uint64_t need;               /* smallest arena size passing every check so far */
	uint64_t planning_need;      /* the planner's check alone */
	struct tfit_tail_breakdown *bd;
	int overflow;
};

static void need_at_least(struct ref_sim *s, uint64_t v)
{
	if (v > s->need)
		s->need = v;
}

static uint64_t add(struct ref_sim *s, uint64_t a, uint64_t b)
{
	uint64_t r;
	if (tfit_add_u64(a, b, &r) != TFIT_OK) {
		s->overflow = 1;
		return UINT64_MAX / 4;
	}
	return r;
}

static uint64_t mul(struct ref_sim *s, uint64_t a, uint64_t b)
{
	uint64_t r;
	if (tfit_mul_u64(a, b, &r) != TFIT_OK) {
		s->overflow = 1;
		return UINT64_MAX / 4;
	}
	return r;
}

/* (r - x) mod align, with r < align. */
static uint64_t residue_minus(const struct ref_sim *s, uint64_t x)
{
	return (s->r + s->align - x % s->align) % s->align;
}

/* AllocatePersistentBuffer(size, a): tail_ = AlignPointerDown(tail_ - size, a). */
static void tail_alloc(struct ref_sim *s, uint64_t size, uint64_t a, uint64_t *category)
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
static void temp_check(struct ref_sim *s, uint64_t temp_end)
{
	need_at_least(s, add(s, temp_end, s->t));
}

static uint64_t align_up(struct ref_sim *s, uint64_t v, uint64_t a)
{
	uint64_t r;
	if (tfit_align_up_u64(v, a, &r) != TFIT_OK) {
		s->overflow = 1;
		return UINT64_MAX / 4;
	}
	return r;
}

/* Persistent TfLiteTensor for a model input/output (AllocatePersistentTfLiteTensor). */
static void io_tensor(struct ref_sim *s, const struct tail_input *in, const struct tfit_tensor *t)
{
	const struct tfit_arena_layout *l = in->l;
	struct tfit_tail_breakdown dummy;
	struct tfit_tail_breakdown *bd = s->bd ? s->bd : &dummy;
	tail_alloc(s, l->tflite_tensor_bytes, l->struct_alignment, &bd->io_tensor_bytes);
	/* InitializeTfLiteTensorFromFlatbuffer: quantization when scale and zero
	 * point are both non-empty; the zero-point array has one int per scale */
	if (tfit_tensor_quant(t)->scale_count > 0 && tfit_tensor_quant(t)->zero_point_count > 0) {
		tail_alloc(s, l->affine_quantization_bytes, l->struct_alignment,
			   &bd->quantization_bytes);
		tail_alloc(s, add(s, l->int_array_header_bytes,
				  mul(s, l->int_array_elem_bytes, tfit_tensor_quant(t)->scale_count)),
			   l->struct_alignment, &bd->quantization_bytes);
	}
}

static void io_list(struct ref_sim *s, const struct tail_input *in, const int32_t *idx, uint32_t n)
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

static void replay(struct ref_sim *s, const struct tail_input *in, uint64_t *tail_bytes,
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

static enum tfit_status ref_tail_simulate(const struct tail_input *in, struct tfit_arena_plan *p,
			       struct tfit_error *err)
{
	uint64_t r, best = UINT64_MAX, align = in->l->buffer_alignment;

	for (r = 0; r < align; r++) {
		struct ref_sim s;
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
			if (tfit_add_u64(p->head_bytes, tail, &p->arena_used_bytes) != TFIT_OK)
				return tfit_error_set(err, TFIT_ERR_LIMIT, NULL, NULL,
						      "arena size overflows 64 bits");
		}
	}
	p->arena_bytes = best;
	return TFIT_OK;
}

/* ---- random inputs ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

/* Mostly small sizes, sometimes odd, rarely near 2^63 or 2^64 (overflow). */
static uint64_t some_bytes(int huge)
{
	uint64_t k = below(100);
	if (huge && k == 0)
		return below(2) ? UINT64_MAX / 2 + below(1000) : UINT64_MAX - below(1000);
	if (k < 20)
		return 0;
	if (k < 60)
		return below(64);
	return below(5000);
}

struct gen {
	struct tfit_model m;
	struct tfit_subgraph sg[3];
	struct tfit_tensor tensors[3][24];
	struct tfit_tensor_ext ext[3][24]; /* the tensors' out-of-line records */
	int32_t io[3][2][6];
	struct op_allocs ops[64];
	uint64_t bytes[256];
	int64_t offline[72];
	uint32_t tensor_base[4];
	struct kernel_allocs k;
	struct tfit_arena_layout l;
	struct tail_input in;
};

static const enum tfit_dtype dtypes[] = {
	TFIT_DTYPE_INT8, TFIT_DTYPE_FLOAT32, TFIT_DTYPE_INT16, TFIT_DTYPE_INT64,
	TFIT_DTYPE_INT4, TFIT_DTYPE_COMPLEX128,
};

static void generate(struct gen *g, int huge)
{
	uint32_t s, i, j, n_ops = 0, n_bytes = 0, n_tensors = 0;
	uint64_t lb;

	memset(g, 0, sizeof(*g));
	lb = below(10) < 6 ? 4 : below(9); /* 16 most of the time */
	g->l.buffer_alignment = (uint64_t)1 << lb;
	g->l.struct_alignment = (uint64_t)1 << below(lb + 1);
	g->l.allocator_objects_bytes = below(3) ? 124 : some_bytes(huge);
	g->l.subgraph_allocations_bytes = below(3) ? 8 : below(40);
	g->l.eval_tensor_bytes = below(3) ? 12 : 1 + below(40);
	g->l.node_and_registration_bytes = below(3) ? 32 : 1 + below(70);
	g->l.tflite_tensor_bytes = below(3) ? 32 : 1 + below(70);
	g->l.affine_quantization_bytes = below(3) ? 12 : below(30);
	g->l.int_array_header_bytes = 4;
	g->l.int_array_elem_bytes = below(2) ? 4 : 8;
	g->l.pointer_bytes = below(2) ? 4 : 8;
	g->l.scratch_request_bytes = below(3) ? 12 : below(30);
	g->l.max_scratch_per_op = below(3) ? 12 : below(20);
	g->l.scratch_handle_bytes = below(3) ? 4 : below(12);
	g->l.subgraph_offset_bytes = below(2) ? 4 : 8;
	g->l.allocation_info_bytes = below(3) ? 24 : below(50);
	g->l.planner_bytes_per_buffer = below(3) ? 40 : 1 + below(60);

	g->m.subgraphs = g->sg;
	g->m.n_subgraphs = 1 + (uint32_t)below(3);
	for (s = 0; s < g->m.n_subgraphs; s++) {
		struct tfit_subgraph *sg = &g->sg[s];
		uint32_t nt = (uint32_t)below(25);
		sg->tensors = g->tensors[s];
		sg->n_tensors = nt;
		g->tensor_base[s] = n_tensors;
		for (i = 0; i < nt; i++) {
			struct tfit_tensor *t = &sg->tensors[i];
			t->dtype = dtypes[below(sizeof(dtypes) / sizeof(dtypes[0]))];
			{
				/* its elements: the one dimension, or two when they
				 * are over an int32 dimension */
				uint64_t e = huge && below(200) == 0 ? UINT64_MAX / 16 : below(3000);
				t->rank = e > TFIT_DIM_MAX ? 2 : 1;
				tfit_tensor_dims_mut(t)[0] = (int32_t)(e > TFIT_DIM_MAX ? e >> 30 : e);
				if (t->rank == 2)
					tfit_tensor_dims_mut(t)[1] = 1 << 30;
			}
			t->flags = below(5) == 0 ? TFIT_TENSOR_VARIABLE : 0;
			g->ext[s][i] = tfit_tensor_ext_none;
			t->ext_ = &g->ext[s][i];
			t->ext_->quant.scale_count = below(3) ? 0 : (uint32_t)below(5);
			t->ext_->quant.zero_point_count =
				below(4) ? t->ext_->quant.scale_count : (uint32_t)below(3);
			g->offline[n_tensors + i] = below(3) ? TFIT_PLAN_ONLINE : (int64_t)below(4096);
		}
		n_tensors += nt;
		sg->inputs = g->io[s][0];
		sg->outputs = g->io[s][1];
		sg->n_inputs = (uint32_t)below(7);
		sg->n_outputs = (uint32_t)below(7);
		for (j = 0; j < 6; j++) {
			g->io[s][0][j] = (int32_t)below(nt + 3) - 1; /* -1 and out of range too */
			g->io[s][1][j] = (int32_t)below(nt + 3) - 1;
		}
		sg->n_ops = (uint32_t)below(21);
		for (i = 0; i < sg->n_ops; i++, n_ops++) {
			struct op_allocs *oa = &g->ops[n_ops];
			oa->builtin_bytes = below(2) ? some_bytes(huge) : 0;
			oa->builtin_align = (uint64_t)1 << below(5);
			oa->init_start = n_bytes;
			oa->n_init = (uint32_t)below(3);
			for (j = 0; j < oa->n_init; j++)
				g->bytes[n_bytes++] = some_bytes(huge);
			oa->prepare_start = n_bytes;
			oa->n_prepare = (uint32_t)below(3);
			for (j = 0; j < oa->n_prepare; j++)
				g->bytes[n_bytes++] = some_bytes(huge);
			oa->n_scratch = (uint32_t)below(3);
			oa->temp_bytes = below(2) ? below(400) : some_bytes(huge);
		}
	}
	g->tensor_base[g->m.n_subgraphs] = n_tensors;
	g->k.ops = g->ops;
	g->k.bytes = g->bytes;
	g->k.n_bytes = n_bytes;
	g->in.m = &g->m;
	g->in.l = &g->l;
	g->in.k = &g->k;
	g->in.head_bytes = below(10) ? below(100000) : some_bytes(huge);
	g->in.n_planned = (uint32_t)below(100);
	g->in.offline = below(4) ? NULL : g->offline;
	g->in.tensor_base = g->tensor_base;
}

static int same_plan(const struct tfit_arena_plan *a, const struct tfit_arena_plan *b)
{
	return a->tail_bytes == b->tail_bytes && a->arena_used_bytes == b->arena_used_bytes &&
	       a->planning_peak_bytes == b->planning_peak_bytes &&
	       a->arena_bytes == b->arena_bytes &&
	       memcmp(&a->tail, &b->tail, sizeof(a->tail)) == 0;
}

static void test_random(void)
{
	static struct gen g;
	int n, differ = 0, errors = 0, unaligned = 0;
	for (n = 0; n < 20000; n++) {
		struct tfit_arena_plan p, q;
		struct tfit_error e1, e2;
		enum tfit_status s1, s2;
		generate(&g, n % 4 == 3);
		memset(&p, 0, sizeof(p));
		memset(&q, 0, sizeof(q));
		memset(&e1, 0, sizeof(e1));
		memset(&e2, 0, sizeof(e2));
		p.head_bytes = q.head_bytes = g.in.head_bytes;
		s1 = tfit_tail_simulate(&g.in, &p, &e1);
		s2 = ref_tail_simulate(&g.in, &q, &e2);
		if (s1 != s2 || (s1 == TFIT_OK && !same_plan(&p, &q)) ||
		    (s1 != TFIT_OK && strcmp(e1.message, e2.message) != 0)) {
			if (differ++ < 5)
				fprintf(stderr, "case %d: status %d/%d arena %llu/%llu tail %llu/%llu "
					"planning %llu/%llu\n", n, (int)s1, (int)s2,
					(unsigned long long)p.arena_bytes,
					(unsigned long long)q.arena_bytes,
					(unsigned long long)p.tail_bytes,
					(unsigned long long)q.tail_bytes,
					(unsigned long long)p.planning_peak_bytes,
					(unsigned long long)q.planning_peak_bytes);
		}
		errors += s1 != TFIT_OK;
		/* the smallest arena is not always at a 16-aligned end */
		unaligned += s1 == TFIT_OK && p.arena_bytes % g.l.buffer_alignment != 0;
	}
	printf("%d cases, %d overflow errors, %d answers not aligned\n", n, errors, unaligned);
	CHECK(differ == 0);
	/* the generator reaches both overflow and residue-dependent answers */
	CHECK(errors > 100);
	CHECK(unaligned > 100);
}

int main(void)
{
	test_random();
	return tfit_test_finish();
}
