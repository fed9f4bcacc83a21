/*
 * arena_plan.c - tfit_plan_arena(): resolve each kernel's arena requests
 * from the runtime profile, mark TFLM lifetimes, build the planner's buffer
 * list in TFLM's order (AllocationInfo: every tensor of every subgraph, then
 * every scratch request; CreatePlan adds those that need allocating, sizes
 * rounded up with AlignSizeUp to MicroArenaBufferAlignment()), place them
 * with the greedy planner, compute the lower bound and replay the tail.
 */
#include "plan_internal.h"
#include "tinyfit/checked.h"

#include <stdlib.h>
#include <string.h>

#include "rule_expr.h"

void tfit_kernel_allocs_release(struct kernel_allocs *k)
{
	free(k->ops);
	free(k->op_base);
	free(k->bytes);
	free(k->scratch);
	memset(k, 0, sizeof(*k));
}

void tfit_arena_plan_release(struct tfit_arena_plan *p)
{
	if (!p)
		return;
	free(p->buffers);
	free(p->peak_buffers);
	free(p->scope_subgraph);
	free(p->scope_op);
	memset(p, 0, sizeof(*p));
}

int tfit_tflm_tensor_bytes(const struct tfit_tensor *t, uint64_t *bytes)
{
	uint64_t size;
	switch (t->dtype) {
	case TFIT_DTYPE_INT4:     /* unpacked in the arena */
	case TFIT_DTYPE_INT8:
	case TFIT_DTYPE_UINT8:
	case TFIT_DTYPE_BOOL: size = 1; break;
	case TFIT_DTYPE_FLOAT16:
	case TFIT_DTYPE_BFLOAT16:
	case TFIT_DTYPE_INT16:
	case TFIT_DTYPE_UINT16: size = 2; break;
	case TFIT_DTYPE_FLOAT32:
	case TFIT_DTYPE_INT32:
	case TFIT_DTYPE_UINT32:
	case TFIT_DTYPE_RESOURCE: size = 4; break;
	case TFIT_DTYPE_FLOAT64:
	case TFIT_DTYPE_INT64:
	case TFIT_DTYPE_UINT64:
	case TFIT_DTYPE_COMPLEX64: size = 8; break;
	case TFIT_DTYPE_COMPLEX128: size = 16; break;
	default: return -1;
	}
	return tfit_mul_u64(tfit_tensor_elements(t), size, bytes) == TFIT_OK ? 0 : -1;
}

/* TFLM sizes every tensor of every subgraph while planning (micro_allocation_info.cc). */
static enum tfit_status check_types(const struct tfit_model *m, struct tfit_error *err)
{
	uint32_t sg, i;
	uint64_t b;
	for (sg = 0; sg < m->n_subgraphs; sg++)
		for (i = 0; i < m->subgraphs[sg].n_tensors; i++)
			if (tfit_tflm_tensor_bytes(&m->subgraphs[sg].tensors[i], &b) != 0)
				return tfit_error_set(err, TFIT_ERR_INPUT, NULL, NULL,
						      "tensor %u of subgraph %u is %s, which TFLite "
						      "Micro cannot place in its arena", i, sg,
						      tfit_dtype_name(m->subgraphs[sg].tensors[i].dtype));
	return TFIT_OK;
}

/* Whether TFLM's planner gets a buffer for tensor t (offline offset off or
 * TFIT_PLAN_ONLINE): not a constant, not a variable unless offline-planned
 * (InitializeAllocationInfo), not empty. *bytes: its size in the arena. */
static int planned(const struct tfit_tensor *t, int64_t off, uint64_t *bytes)
{
	*bytes = 0;
	(void)tfit_tflm_tensor_bytes(t, bytes); /* checked by check_types */
	if ((t->flags & TFIT_TENSOR_VARIABLE) && off != TFIT_PLAN_ONLINE)
		return 1;
	return !(t->flags & TFIT_TENSOR_CONST) && !(t->flags & TFIT_TENSOR_VARIABLE) &&
	       *bytes != 0;
}

static const char *op_label(const struct tfit_op *op)
{
	if ((op->type == TFIT_OP_CUSTOM || op->type == TFIT_OP_UNKNOWN) && tfit_op_custom_name(op))
		return tfit_op_custom_name(op);
	return tfit_op_desc(op->type)->name;
}

static enum tfit_status push_bytes(struct kernel_allocs *k, uint32_t *cap, uint64_t v,
				   struct tfit_error *err)
{
	if (k->n_bytes == *cap) {
		uint32_t c2 = *cap ? *cap * 2 : 256;
		uint64_t *b = realloc(k->bytes, (size_t)c2 * sizeof(*b));
		if (!b)
			return tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
		k->bytes = b;
		*cap = c2;
	}
	k->bytes[k->n_bytes++] = v;
	return TFIT_OK;
}

/* Evaluate a list of conditional allocations; calls back per taken entry. */
static enum tfit_status eval_list(const struct tfit_rule_alloc *a, uint32_t n,
				  const struct tfit_subgraph *sg, const struct tfit_op *op,
				  uint32_t op_index, uint64_t *vals, uint32_t *n_vals,
				  struct tfit_error *err)
{
	uint32_t i;
	enum tfit_status st;
	*n_vals = 0;
	for (i = 0; i < n; i++) {
		int64_t v = 1;
		if (a[i].when && (st = tfit_rule_expr_eval(a[i].when, sg, op, &v, err)) != TFIT_OK)
			goto fail;
		if (!v)
			continue;
		if ((st = tfit_rule_expr_eval(a[i].bytes, sg, op, &v, err)) != TFIT_OK)
			goto fail;
		if (v < 0) {
			st = tfit_error_set(err, TFIT_ERR_INPUT, NULL, NULL,
					    "'%s' gives %lld bytes", tfit_rule_expr_text(a[i].bytes),
					    (long long)v);
			goto fail;
		}
		vals[(*n_vals)++] = (uint64_t)v;
	}
	return TFIT_OK;
fail: {
		char msg[TFIT_ERROR_MSG_MAX];
		memcpy(msg, err->message, sizeof(msg));
		msg[sizeof(msg) - 1] = '\0';
		return tfit_error_set(err, st, NULL, NULL, "op %u (%s): %s", op_index,
				      op_label(op), msg);
	}
}

/* Temp TfLiteTensors a kernel holds in Prepare: each input and output. */
static uint64_t prepare_temp_bytes(const struct tfit_arena_layout *l,
				   const struct tfit_subgraph *sg, const struct tfit_op *op)
{
	uint64_t total = 0, v;
	uint32_t i;
	for (i = 0; i < op->n_inputs + op->n_outputs; i++) {
		int32_t ti = i < op->n_inputs ? op->inputs[i] : tfit_op_outputs(op)[i - op->n_inputs];
		const struct tfit_tensor *t;
		if (ti < 0 || (uint32_t)ti >= sg->n_tensors)
			continue;
		t = &sg->tensors[ti];
		total = tfit_sat_add_u64(total, l->tflite_tensor_bytes);
		if (tfit_tensor_quant(t)->scale_count > 0 && tfit_tensor_quant(t)->zero_point_count > 0) {
			v = tfit_sat_add_u64(l->affine_quantization_bytes, l->int_array_header_bytes);
			v = tfit_sat_add_u64(v, (uint64_t)tfit_tensor_quant(t)->scale_count * l->int_array_elem_bytes);
			total = tfit_sat_add_u64(total, v);
		}
	}
	return total;
}

/*
 * The profile's kernel rows for each builtin op type, in the order
 * tfit_runtime_find_rule() tries them (a row names one op; "custom:" rows
 * never match a builtin), so that each op tries only its own rows instead
 * of comparing names with every row.
 */
struct rule_index {
	uint32_t start[TFIT_OP_COUNT + 1];
	uint32_t *ids;
};

static int is_builtin(enum tfit_op_type t)
{
	return (unsigned)t < TFIT_OP_COUNT && t != TFIT_OP_CUSTOM && t != TFIT_OP_UNKNOWN;
}

/* Each builtin type's kernel rules, in the runtime's order: one pass to
 * count them by type (the op's name looked up, not compared with every
 * type's: a plan is made for every runtime a compare uses), one to place
 * them. */
/* The builtin type a kernel rule is for; TFIT_OP_COUNT for a custom op's
 * rule or a name tinyfit has no type for. */
static uint32_t rule_type(const char *op)
{
	uint32_t t;
	if (strncmp(op, "custom:", 7) == 0)
		return TFIT_OP_COUNT;
	t = (uint32_t)tfit_op_from_name(op);
	return is_builtin((enum tfit_op_type)t) ? t : TFIT_OP_COUNT;
}

static enum tfit_status rule_index_build(struct rule_index *ri, const struct tfit_runtime *rt,
					 struct tfit_error *err)
{
	uint32_t t, i, n = 0;
	uint32_t at[TFIT_OP_COUNT];
	memset(ri, 0, sizeof(*ri));
	for (i = 0; i < rt->n_kernels; i++)
		if ((t = rule_type(rt->kernels[i].op)) < TFIT_OP_COUNT)
			ri->start[t + 1]++;
	for (t = 0; t < TFIT_OP_COUNT; t++) {
		ri->start[t + 1] += ri->start[t];
		at[t] = ri->start[t];
	}
	n = ri->start[TFIT_OP_COUNT];
	if (!(ri->ids = malloc(((size_t)n + 1) * sizeof(*ri->ids))))
		return tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
	for (i = 0; i < rt->n_kernels; i++)
		if ((t = rule_type(rt->kernels[i].op)) < TFIT_OP_COUNT)
			ri->ids[at[t]++] = i;
	return TFIT_OK;
}

/* tfit_runtime_find_rule() through the index. */
static enum tfit_status find_rule(const struct rule_index *ri, const struct tfit_runtime *rt,
				  const struct tfit_model *m, uint32_t sg, uint32_t op_index,
				  const struct tfit_kernel_rule **rule, struct tfit_error *err)
{
	const struct tfit_subgraph *g = &m->subgraphs[sg];
	const struct tfit_op *op = &g->ops[op_index];
	uint32_t j;
	if (!is_builtin(op->type))
		return tfit_runtime_find_rule(rt, m, sg, op_index, rule, err);
	*rule = NULL;
	for (j = ri->start[op->type]; j < ri->start[op->type + 1]; j++) {
		const struct tfit_kernel_rule *k = &rt->kernels[ri->ids[j]];
		if (k->when) {
			int64_t v;
			enum tfit_status st = tfit_rule_expr_eval(k->when, g, op, &v, err);
			if (st != TFIT_OK)
				return st;
			if (!v)
				continue;
		}
		*rule = k;
		return TFIT_OK;
	}
	return TFIT_OK;
}

static enum tfit_status resolve_with(const struct tfit_model *m, const struct tfit_runtime *rt,
				     const struct rule_index *ri, struct kernel_allocs *k,
				     struct tfit_error *err)
{
	uint32_t sg, i, j, n_ops = 0, cap = 0, scap = 0;
	uint64_t vals[64];
	uint32_t n_vals;
	enum tfit_status st;

	memset(k, 0, sizeof(*k));
	k->first_without_rule_sg = k->first_without_rule_op = -1;
	for (sg = 0; sg < m->n_subgraphs; sg++)
		n_ops += m->subgraphs[sg].n_ops;
	k->ops = calloc((size_t)n_ops + 1, sizeof(*k->ops));
	k->op_base = calloc((size_t)m->n_subgraphs + 1, sizeof(*k->op_base));
	if (!k->ops || !k->op_base)
		return tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
	n_ops = 0;
	for (sg = 0; sg < m->n_subgraphs; sg++) {
		const struct tfit_subgraph *g = &m->subgraphs[sg];
		k->op_base[sg] = n_ops;
		for (i = 0; i < g->n_ops; i++, n_ops++) {
			const struct tfit_op *op = &g->ops[i];
			struct op_allocs *oa = &k->ops[n_ops];
			const struct tfit_kernel_rule *r;

			oa->temp_bytes = prepare_temp_bytes(&rt->layout, g, op);
			oa->builtin_align = 1;
			if ((st = find_rule(ri, rt, m, sg, i, &r, err)) != TFIT_OK) {
				char msg[TFIT_ERROR_MSG_MAX];
				memcpy(msg, err->message, sizeof(msg));
				return tfit_error_set(err, st, NULL, NULL, "op %u (%s): %s", i,
						      op_label(op), msg);
			}
			if (!r) {
				if (k->n_without_rule++ == 0) {
					k->first_without_rule_sg = (int32_t)sg;
					k->first_without_rule_op = (int32_t)i;
				}
				continue;
			}
			if (r->error && sg == 0)
				return tfit_error_set(err, TFIT_ERR_INPUT, NULL, NULL,
						      "op %u (%s): %s (runtime %s)", i,
						      op_label(op), r->error, rt->id);
			if (r->error)
				return tfit_error_set(err, TFIT_ERR_INPUT, NULL, NULL,
						      "op %u (%s) of subgraph %u: %s (runtime %s)",
						      i, op_label(op), sg, r->error, rt->id);
			oa->builtin_bytes = r->builtin_data_bytes;
			/* the profile's align is a power of two up to 16 */
			oa->builtin_align = r->builtin_data_align ? (uint32_t)r->builtin_data_align : 1;
			if ((st = eval_list(r->init, r->n_init, g, op, i, vals, &n_vals, err)) != TFIT_OK)
				return st;
			oa->init_start = k->n_bytes;
			oa->n_init = n_vals;
			for (j = 0; j < n_vals; j++)
				if ((st = push_bytes(k, &cap, vals[j], err)) != TFIT_OK)
					return st;
			if ((st = eval_list(r->prepare, r->n_prepare, g, op, i, vals, &n_vals,
					    err)) != TFIT_OK)
				return st;
			oa->prepare_start = k->n_bytes;
			oa->n_prepare = n_vals;
			for (j = 0; j < n_vals; j++)
				if ((st = push_bytes(k, &cap, vals[j], err)) != TFIT_OK)
					return st;
			if ((st = eval_list(r->scratch, r->n_scratch, g, op, i, vals, &n_vals,
					    err)) != TFIT_OK)
				return st;
			oa->n_scratch = n_vals;
			for (j = 0; j < n_vals; j++) {
				if (k->n_scratch == scap) {
					uint32_t c2 = scap ? scap * 2 : 64;
					struct scratch_req *s = realloc(k->scratch, c2 * sizeof(*s));
					if (!s)
						return tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL,
								      "out of memory");
					k->scratch = s;
					scap = c2;
				}
				k->scratch[k->n_scratch].subgraph = sg;
				k->scratch[k->n_scratch].op = i;
				k->scratch[k->n_scratch].bytes = vals[j];
				k->n_scratch++;
			}
		}
	}
	k->op_base[m->n_subgraphs] = n_ops;
	return TFIT_OK;
}

static enum tfit_status resolve_kernels(const struct tfit_model *m, const struct tfit_runtime *rt,
					struct kernel_allocs *k, struct tfit_error *err)
{
	struct rule_index ri;
	enum tfit_status st;
	memset(k, 0, sizeof(*k));
	if ((st = rule_index_build(&ri, rt, err)) == TFIT_OK)
		st = resolve_with(m, rt, &ri, k, err);
	free(ri.ids);
	return st;
}

/* TFLM's CheckDynamicTensors (micro_interpreter_graph.cc) on op outputs. */
static enum tfit_status check_shapes(const struct tfit_model *m, struct tfit_error *err)
{
	uint32_t sg, i, n;
	int32_t d;
	for (sg = 0; sg < m->n_subgraphs; sg++) {
		const struct tfit_subgraph *g = &m->subgraphs[sg];
		for (i = 0; i < g->n_ops; i++) {
			for (n = 0; n < g->ops[i].n_outputs; n++) {
				const struct tfit_tensor *t;
				int32_t ti = tfit_op_outputs(&g->ops[i])[n];
				if (ti < 0 || (uint32_t)ti >= g->n_tensors)
					continue;
				t = &g->tensors[ti];
				if (t->rank == 1 && tfit_dim(t, 0) == 0)
					continue;
				for (d = 0; d < t->rank; d++)
					if (tfit_dim(t, d) <= 0)
						return tfit_error_set(
							err, TFIT_ERR_INPUT, NULL, NULL,
							"op %u (%s) of subgraph %u has a dynamic "
							"output tensor %d (dimension %d is %lld); "
							"TFLite Micro needs static shapes",
							i, op_label(&g->ops[i]), sg, ti, d,
							(long long)tfit_dim(t, d));
			}
		}
	}
	return TFIT_OK;
}

static enum tfit_status lower_bound(struct tfit_arena_plan *p, const struct lifetimes *lt,
				    struct tfit_error *err)
{
	/* slot = time + 1 so that never-used buffers (-1) have a slot */
	uint64_t *delta = calloc((size_t)lt->n_times + 3, sizeof(*delta));
	uint64_t *minus = calloc((size_t)lt->n_times + 3, sizeof(*minus));
	uint64_t live = 0, best = 0;
	int32_t t, best_t = 0;
	uint32_t i, n = 0;
	enum tfit_status st = TFIT_OK;

	if (!delta || !minus)
		goto nomem;
	for (i = 0; i < p->n_buffers; i++) {
		delta[p->buffers[i].first_time + 1] =
			tfit_sat_add_u64(delta[p->buffers[i].first_time + 1], p->buffers[i].bytes);
		minus[p->buffers[i].last_time + 2] =
			tfit_sat_add_u64(minus[p->buffers[i].last_time + 2], p->buffers[i].bytes);
	}
	for (t = 0; t <= lt->n_times; t++) {
		live = tfit_sat_add_u64(live, delta[t]) - minus[t];
		if (live > best) {
			best = live;
			best_t = t;
		}
	}
	/* The planner's head is an arena that works, so no lower bound is
	 * above it: a sum of "live" buffers over the head means the buffers
	 * share memory by design (an offline plan, such as Vela's, overlaps
	 * buffers tinyfit's lifetimes call live together). Capped, the bound
	 * and the efficiency never read above the plan (never over 100%). */
	if (best > p->head_bytes)
		best = p->head_bytes;
	p->lower_bound_bytes = best;
	p->peak_time = best_t - 1;
	p->efficiency = p->head_bytes ? (double)best / (double)p->head_bytes : 1.0;
	p->peak_subgraph = p->peak_op = -1;
	if (p->peak_time >= 0 && p->peak_time < lt->n_times)
		tfit_plan_scope(p, p->peak_time, &p->peak_subgraph, &p->peak_op);
	for (i = 0; i < p->n_buffers; i++)
		if (p->buffers[i].first_time <= p->peak_time &&
		    p->buffers[i].last_time >= p->peak_time)
			n++;
	p->peak_buffers = malloc(((size_t)n + 1) * sizeof(*p->peak_buffers));
	if (!p->peak_buffers)
		goto nomem;
	for (i = 0; i < p->n_buffers; i++)
		if (p->buffers[i].first_time <= p->peak_time &&
		    p->buffers[i].last_time >= p->peak_time)
			p->peak_buffers[p->n_peak_buffers++] = i;
	goto out;
nomem:
	st = tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
out:
	free(delta);
	free(minus);
	return st;
}

/* bytes rounded up to the runtime's buffer alignment, as TFLM's CreatePlan
 * passes them (AlignSizeUp to MicroArenaBufferAlignment()). */
static enum tfit_status aligned(uint64_t bytes, const struct tfit_runtime *rt, uint64_t *out,
				struct tfit_error *err)
{
	if (tfit_align_up_u64(bytes, rt->layout.buffer_alignment, out) != TFIT_OK)
		return tfit_error_set(err, TFIT_ERR_LIMIT, NULL, NULL,
				      "buffer of %llu bytes overflows", (unsigned long long)bytes);
	return TFIT_OK;
}

/* The plan's buffer list from the planner's buffers gb and their offsets,
 * in the same order (the tensors planned, walked again, then the scratch
 * requests of k): what the planner does not keep (which tensor, its
 * producing op, its size before rounding) comes from the model; the size
 * as planned is the size rounded up to out->buffer_alignment (checked). */
static enum tfit_status fill_buffers(const struct tfit_model *m, const struct kernel_allocs *k,
				     const uint32_t *tensor_base, const int64_t *offline,
				     const struct tfit_greedy_buffer *gb, const uint64_t *offsets,
				     uint32_t n, struct tfit_arena_plan *out, struct tfit_error *err)
{
	uint32_t sg, i, j = 0;
	out->buffers = calloc((size_t)n + 1, sizeof(*out->buffers));
	if (!out->buffers)
		return tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
	for (sg = 0; sg < m->n_subgraphs; sg++) {
		const struct tfit_subgraph *g = &m->subgraphs[sg];
		for (i = 0; i < g->n_tensors; i++) {
			int64_t off = offline ? offline[tensor_base[sg] + i] : TFIT_PLAN_ONLINE;
			uint64_t bytes = 0;
			struct tfit_plan_buffer *b;
			if (!planned(&g->tensors[i], off, &bytes))
				continue;
			b = &out->buffers[j];
			b->kind = TFIT_PLAN_TENSOR;
			b->subgraph = sg;
			b->tensor = (int32_t)i;
			b->op = -1;
			b->first_time = gb[j].first_time;
			b->last_time = gb[j].last_time;
			if (b->first_time >= 0 && b->first_time < out->n_times) {
				int32_t s_sg, s_op;
				tfit_plan_scope(out, b->first_time, &s_sg, &s_op);
				if (s_sg == (int32_t)sg)
					b->op = s_op;
			}
			b->bytes = bytes;
			b->offset = offsets[j];
			if (tfit_plan_buffer_aligned_bytes(out, b) != gb[j].bytes)
				return tfit_error_set(err, TFIT_ERR_INTERNAL, NULL, NULL,
						      "buffer %u: planned size differs from its rounding", j);
			j++;
		}
	}
	for (i = 0; i < k->n_scratch; i++, j++) {
		struct tfit_plan_buffer *b = &out->buffers[j];
		b->kind = TFIT_PLAN_SCRATCH;
		b->subgraph = k->scratch[i].subgraph;
		b->tensor = -1;
		b->op = (int32_t)k->scratch[i].op;
		b->first_time = gb[j].first_time;
		b->last_time = gb[j].last_time;
		b->bytes = k->scratch[i].bytes;
		b->offset = offsets[j];
		if (tfit_plan_buffer_aligned_bytes(out, b) != gb[j].bytes)
			return tfit_error_set(err, TFIT_ERR_INTERNAL, NULL, NULL,
					      "buffer %u: planned size differs from its rounding", j);
		out->n_scratch++;
	}
	out->n_buffers = j;
	return TFIT_OK;
}

/* What a plan keeps of the kernels' allocations once the tail replay no
 * longer needs them: the scratch requests (the buffer list's last part). */
static void kernel_allocs_keep_scratch(struct kernel_allocs *k)
{
	free(k->ops);
	free(k->op_base);
	free(k->bytes);
	k->ops = NULL;
	k->op_base = NULL;
	k->bytes = NULL;
	k->n_bytes = 0;
}

/* Whether every scope s is opened by op s - 1 of subgraph 0 (scope 0 by
 * none): a model without control flow, whose plan keeps no scope map. */
static int identity_scopes(const struct lifetimes *lt)
{
	int32_t s;
	for (s = 0; s < lt->n_times; s++)
		if (lt->time_subgraph[s] != 0 || lt->time_op[s] != s - 1)
			return 0;
	return 1;
}

/*
 * Each phase's arrays are freed as soon as it ends (issue #17: a plan of a
 * model of many buffers is made while the model, and in `check`'s advice
 * nothing else of size, is alive): the kernels' allocations once the tail
 * is replayed up to the planner (it needs the head only at its end), the
 * lifetimes once the planner's buffers hold them, and the plan's buffer
 * list is built after the placement, from the planner's buffers and
 * offsets, so that it is not alive beside the planner's own state.
 */
enum tfit_status tfit_plan_arena(const struct tfit_model *m, const struct tfit_runtime *rt,
				 const struct tfit_plan_opts *o, struct tfit_arena_plan *out,
				 struct tfit_error *err)
{
	struct kernel_allocs k;
	struct lifetimes lt;
	struct tail_input in;
	struct tail_sim *tail = NULL;
	struct tfit_greedy_buffer *gb = NULL;
	uint64_t *offsets = NULL, persistent = 0;
	int64_t *offline = NULL;
	uint32_t sg, i, n = 0, cap;
	int use_offline;
	enum tfit_status st;

	memset(out, 0, sizeof(*out));
	memset(&k, 0, sizeof(k));
	memset(&lt, 0, sizeof(lt));
	if (!m || m->n_subgraphs == 0 || m->subgraphs[0].n_ops == 0)
		return tfit_error_set(err, TFIT_ERR_INPUT, NULL, NULL,
				      "the model has no operators to plan");
	if ((st = check_shapes(m, err)) != TFIT_OK || (st = check_types(m, err)) != TFIT_OK)
		goto out;
	if ((st = resolve_kernels(m, rt, &k, err)) != TFIT_OK)
		goto out;
	if ((st = tfit_lifetimes_mark(m, k.scratch, k.n_scratch, &lt, err)) != TFIT_OK)
		goto out;

	use_offline = m->has_offline_plan && !(o && o->ignore_offline_plan);
	if (use_offline && m->offline_plan_tensors != lt.n_tensors) {
		/* micro_allocation_info.cc GetOfflinePlannedOffsets: the plan must
		 * have one entry per tensor of every subgraph, else
		 * AllocateTensors() fails */
		st = tfit_error_set(err, TFIT_ERR_INPUT, NULL, NULL,
				    "the OfflineMemoryAllocation metadata has %u entries but the model has %u tensors: "
				    "TFLM's AllocateTensors() fails on it",
				    m->offline_plan_tensors, lt.n_tensors);
		goto out;
	}
	if (use_offline) {
		offline = malloc(((size_t)lt.n_tensors + 1) * sizeof(*offline));
		if (!offline)
			goto nomem;
		for (sg = 0; sg < m->n_subgraphs; sg++)
			for (i = 0; i < m->subgraphs[sg].n_tensors; i++) {
				int64_t v = tfit_tensor_offline_offset(&m->subgraphs[sg].tensors[i]);
				offline[lt.tensor_base[sg] + i] = v < 0 ? TFIT_PLAN_ONLINE : v;
			}
		out->used_offline_plan = 1;
	}

	/* counted first, so the plan holds exactly its buffers (a model of
	 * constants and activations plans about half its tensors) */
	cap = k.n_scratch;
	for (sg = 0; sg < m->n_subgraphs; sg++)
		for (i = 0; i < m->subgraphs[sg].n_tensors; i++) {
			uint64_t bytes;
			cap += (uint32_t)planned(&m->subgraphs[sg].tensors[i],
						 offline ? offline[lt.tensor_base[sg] + i]
							 : TFIT_PLAN_ONLINE, &bytes);
		}
	/* the tail up to the planner, which needs the kernels' allocations */
	in.m = m;
	in.l = &rt->layout;
	in.k = &k;
	in.head_bytes = 0;
	in.n_planned = cap;
	in.offline = offline;
	in.tensor_base = lt.tensor_base;
	if (rt->arena_kind == TFIT_ARENA_TFLM) {
		if ((st = tfit_tail_begin(&in, out, &tail, err)) != TFIT_OK)
			goto out;
	} else {
		/* a code generator: planned activations plus its fixed state */
		persistent = rt->layout.fixed_bytes;
		for (i = 0; i < k.n_bytes; i++)
			persistent = tfit_sat_add_u64(persistent, k.bytes[i]);
	}
	in.k = NULL;
	out->n_ops_without_rule = k.n_without_rule;
	out->first_op_without_rule_subgraph = k.first_without_rule_sg;
	out->first_op_without_rule = k.first_without_rule_op;
	kernel_allocs_keep_scratch(&k);

	/* the planner's buffers, in AllocationInfo order: tensors of each
	 * subgraph, then scratch requests; sizes rounded up with AlignSizeUp */
	gb = calloc((size_t)cap + 1, sizeof(*gb));
	if (!gb)
		goto nomem;
	for (sg = 0; sg < m->n_subgraphs; sg++) {
		const struct tfit_subgraph *g = &m->subgraphs[sg];
		for (i = 0; i < g->n_tensors; i++) {
			uint32_t gi = lt.tensor_base[sg] + i;
			int64_t off = offline ? offline[gi] : TFIT_PLAN_ONLINE;
			uint64_t bytes = 0;
			if (!planned(&g->tensors[i], off, &bytes))
				continue;
			if ((st = aligned(bytes, rt, &gb[n].bytes, err)) != TFIT_OK)
				goto out;
			gb[n].first_time = lt.first[gi];
			gb[n].last_time = lt.last[gi];
			gb[n].offline_offset = off;
			n++;
		}
	}
	for (i = 0; i < k.n_scratch; i++, n++) {
		if ((st = aligned(k.scratch[i].bytes, rt, &gb[n].bytes, err)) != TFIT_OK)
			goto out;
		gb[n].first_time = lt.scratch_first[i];
		gb[n].last_time = lt.scratch_last[i];
		gb[n].offline_offset = TFIT_PLAN_ONLINE;
	}
	out->n_times = lt.n_times;
	/* the scope-to-op map goes to the plan (reports draw one column per
	 * scope), unless it is scope s = op s - 1 of subgraph 0 throughout
	 * (tfit_plan_scope); the per-tensor lifetimes are in gb now */
	if (!identity_scopes(&lt)) {
		out->scope_subgraph = lt.time_subgraph;
		out->scope_op = lt.time_op;
	} else {
		free(lt.time_subgraph);
		free(lt.time_op);
	}
	lt.time_subgraph = NULL;
	lt.time_op = NULL;
	tfit_lifetimes_release_spans(&lt);

	offsets = calloc((size_t)n + 1, sizeof(*offsets));
	if (!offsets)
		goto nomem;
	if ((st = tfit_plan_greedy(gb, n, offsets, &out->head_bytes, err)) != TFIT_OK)
		goto out;
	out->buffer_alignment = rt->layout.buffer_alignment;
	if ((st = fill_buffers(m, &k, lt.tensor_base, offline, gb, offsets, n, out, err)) != TFIT_OK)
		goto out;
	free(gb);
	free(offsets);
	gb = NULL;
	offsets = NULL;
	if ((st = lower_bound(out, &lt, err)) != TFIT_OK)
		goto out;

	if (rt->arena_kind == TFIT_ARENA_TFLM) {
		in.head_bytes = out->head_bytes;
		st = tfit_tail_finish(tail, &in, out, err);
		tail = NULL; /* freed by tfit_tail_finish */
	} else {
		out->tail_bytes = persistent;
		out->tail.kernel_persistent_bytes = persistent - rt->layout.fixed_bytes;
		out->tail.allocator_bytes = rt->layout.fixed_bytes;
		out->arena_used_bytes = tfit_sat_add_u64(out->head_bytes, persistent);
		out->planning_peak_bytes = out->arena_used_bytes;
		out->arena_bytes = out->arena_used_bytes;
	}
	goto out;
nomem:
	st = tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
out:
	if (st != TFIT_OK)
		tfit_arena_plan_release(out);
	tfit_tail_free(tail);
	tfit_kernel_allocs_release(&k);
	tfit_lifetimes_release(&lt);
	free(gb);
	free(offsets);
	free(offline);
	return st;
}
