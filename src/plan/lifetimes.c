/*
 * lifetimes.c - tensor and scratch-buffer lifetimes in TFLM's allocation
 * scopes, as AllocationInfoBuilder::MarkAllocationLifetimes() marks them
 * (tensorflow/lite/micro/micro_allocation_info.cc, tflite-micro
 * 90b983c2b3f1):
 *  - the subgraph's inputs are created and used at the current scope;
 *  - each op opens a new scope: its outputs are created there (first
 *    creation only); then the subgraphs a control-flow op calls (IF:
 *    then, else; WHILE: cond, body; CALL_ONCE: init) are marked, each in a
 *    new scope; then the op's inputs (skipping -1) and outputs are used at
 *    the current scope, and its scratch buffers live from the op's scope to
 *    the current one;
 *  - the subgraph's outputs are created (if never before) and used at the
 *    final scope.
 * A subgraph called from several ops is marked each time; lifetimes only
 * grow. Tensors never touched keep -1.
 */
#include "plan_internal.h"

#include <stdlib.h>
#include <string.h>

#define MAX_CALL_DEPTH 64
#define MAX_SCOPES (1 << 28)

struct marker {
	const struct tfit_model *m;
	struct lifetimes *lt;
	uint32_t *scratch_start;   /* CSR by global op index */
	uint32_t *scratch_ids;
	uint32_t *op_base;
	int32_t scope;
	int32_t cap_times;
	uint8_t *on_stack;
	struct tfit_error *err;
};

static void first_created(int32_t *first, int32_t scope)
{
	if (*first == -1)
		*first = scope;
}

static enum tfit_status new_scope(struct marker *mk, int32_t sg, int32_t op)
{
	struct lifetimes *lt = mk->lt;
	if (mk->scope + 1 >= MAX_SCOPES)
		return tfit_error_set(mk->err, TFIT_ERR_LIMIT, NULL, NULL,
				      "more than %d allocation scopes (control flow "
				      "calls nested too often)", MAX_SCOPES);
	mk->scope++;
	if (mk->scope >= mk->cap_times) {
		int32_t cap = mk->cap_times * 2, *a, *b;
		a = realloc(lt->time_subgraph, (size_t)cap * sizeof(*a));
		if (a)
			lt->time_subgraph = a;
		b = realloc(lt->time_op, (size_t)cap * sizeof(*b));
		if (b)
			lt->time_op = b;
		if (!a || !b)
			return tfit_error_set(mk->err, TFIT_ERR_NOMEM, NULL, NULL,
					      "out of memory");
		mk->cap_times = cap;
	}
	lt->time_subgraph[mk->scope] = sg;
	lt->time_op[mk->scope] = op;
	return TFIT_OK;
}

static enum tfit_status mark(struct marker *mk, int32_t sgi, int depth);

static enum tfit_status mark_called(struct marker *mk, int32_t callee, int depth)
{
	enum tfit_status st;
	if (callee < 0)
		return TFIT_OK;
	if ((uint32_t)callee >= mk->m->n_subgraphs)
		return tfit_error_set(mk->err, TFIT_ERR_INPUT, NULL, NULL,
				      "control-flow op calls subgraph %d, but the model has %u",
				      callee, mk->m->n_subgraphs);
	if ((st = new_scope(mk, callee, -1)) != TFIT_OK)
		return st;
	return mark(mk, callee, depth + 1);
}

static enum tfit_status mark(struct marker *mk, int32_t sgi, int depth)
{
	const struct tfit_subgraph *sg = &mk->m->subgraphs[sgi];
	struct lifetimes *lt = mk->lt;
	int32_t *first = lt->first + lt->tensor_base[sgi];
	int32_t *last = lt->last + lt->tensor_base[sgi];
	uint32_t i, n;
	enum tfit_status st = TFIT_OK;

	if (depth > MAX_CALL_DEPTH)
		return tfit_error_set(mk->err, TFIT_ERR_LIMIT, NULL, NULL,
				      "control flow nested deeper than %d subgraphs",
				      MAX_CALL_DEPTH);
	if (mk->on_stack[sgi])
		return tfit_error_set(mk->err, TFIT_ERR_INPUT, NULL, NULL,
				      "subgraph %d calls itself (directly or through "
				      "other subgraphs)", sgi);
	mk->on_stack[sgi] = 1;

	for (i = 0; i < sg->n_inputs; i++) {
		int32_t t = sg->inputs[i];
		if (t < 0 || (uint32_t)t >= sg->n_tensors)
			continue;
		first_created(&first[t], mk->scope);
		last[t] = mk->scope;
	}
	for (i = 0; i < sg->n_ops; i++) {
		const struct tfit_op *op = &sg->ops[i];
		uint32_t g = mk->op_base[sgi] + i;
		int32_t start;

		if ((st = new_scope(mk, sgi, (int32_t)i)) != TFIT_OK)
			goto out;
		for (n = 0; n < op->n_outputs; n++)
			if (tfit_op_outputs(op)[n] >= 0 && (uint32_t)tfit_op_outputs(op)[n] < sg->n_tensors)
				first_created(&first[tfit_op_outputs(op)[n]], mk->scope);
		start = mk->scope;
		switch (op->type) {
		case TFIT_OP_IF:
		case TFIT_OP_WHILE:
		case TFIT_OP_CALL_ONCE:
			if ((st = mark_called(mk, op->opt->subgraph[0], depth)) != TFIT_OK ||
			    (op->type != TFIT_OP_CALL_ONCE &&
			     (st = mark_called(mk, op->opt->subgraph[1], depth)) != TFIT_OK))
				goto out;
			break;
		default:
			break;
		}
		for (n = 0; n < op->n_inputs; n++)
			if (op->inputs[n] >= 0 && (uint32_t)op->inputs[n] < sg->n_tensors)
				last[op->inputs[n]] = mk->scope;
		for (n = 0; n < op->n_outputs; n++)
			if (tfit_op_outputs(op)[n] >= 0 && (uint32_t)tfit_op_outputs(op)[n] < sg->n_tensors)
				last[tfit_op_outputs(op)[n]] = mk->scope;
		for (n = mk->scratch_start[g]; n < mk->scratch_start[g + 1]; n++) {
			uint32_t s = mk->scratch_ids[n];
			first_created(&lt->scratch_first[s], start);
			lt->scratch_last[s] = mk->scope;
		}
	}
	for (i = 0; i < sg->n_outputs; i++) {
		int32_t t = sg->outputs[i];
		if (t < 0 || (uint32_t)t >= sg->n_tensors)
			continue;
		first_created(&first[t], mk->scope);
		last[t] = mk->scope;
	}
out:
	mk->on_stack[sgi] = 0;
	return st;
}

void tfit_lifetimes_release_spans(struct lifetimes *lt)
{
	free(lt->first);
	free(lt->last);
	free(lt->scratch_first);
	free(lt->scratch_last);
	lt->first = lt->last = lt->scratch_first = lt->scratch_last = NULL;
}

void tfit_lifetimes_release(struct lifetimes *lt)
{
	free(lt->tensor_base);
	free(lt->first);
	free(lt->last);
	free(lt->scratch_first);
	free(lt->scratch_last);
	free(lt->time_subgraph);
	free(lt->time_op);
	memset(lt, 0, sizeof(*lt));
}

enum tfit_status tfit_lifetimes_mark(const struct tfit_model *m, const struct scratch_req *req,
				uint32_t n_req, struct lifetimes *lt, struct tfit_error *err)
{
	struct marker mk;
	uint32_t s, i, n_ops = 0;
	uint64_t total = 0;
	enum tfit_status st = TFIT_OK;

	memset(lt, 0, sizeof(*lt));
	memset(&mk, 0, sizeof(mk));
	mk.m = m;
	mk.lt = lt;
	mk.err = err;
	lt->tensor_base = calloc((size_t)m->n_subgraphs + 1, sizeof(uint32_t));
	mk.op_base = calloc((size_t)m->n_subgraphs + 1, sizeof(uint32_t));
	mk.on_stack = calloc((size_t)m->n_subgraphs + 1, 1);
	if (!lt->tensor_base || !mk.op_base || !mk.on_stack)
		goto nomem;
	for (s = 0; s < m->n_subgraphs; s++) {
		lt->tensor_base[s] = (uint32_t)total;
		mk.op_base[s] = n_ops;
		total += m->subgraphs[s].n_tensors;
		n_ops += m->subgraphs[s].n_ops;
		if (total > INT32_MAX || n_ops > INT32_MAX) {
			st = tfit_error_set(err, TFIT_ERR_LIMIT, NULL, NULL,
					    "more than 2^31 tensors or ops");
			goto out;
		}
	}
	lt->tensor_base[m->n_subgraphs] = (uint32_t)total;
	mk.op_base[m->n_subgraphs] = n_ops;
	lt->n_tensors = (uint32_t)total;
	lt->first = malloc((total + 1) * sizeof(int32_t));
	lt->last = malloc((total + 1) * sizeof(int32_t));
	lt->scratch_first = malloc(((size_t)n_req + 1) * sizeof(int32_t));
	lt->scratch_last = malloc(((size_t)n_req + 1) * sizeof(int32_t));
	mk.scratch_start = calloc((size_t)n_ops + 2, sizeof(uint32_t));
	mk.scratch_ids = malloc(((size_t)n_req + 1) * sizeof(uint32_t));
	mk.cap_times = 64;
	lt->time_subgraph = malloc((size_t)mk.cap_times * sizeof(int32_t));
	lt->time_op = malloc((size_t)mk.cap_times * sizeof(int32_t));
	if (!lt->first || !lt->last || !lt->scratch_first || !lt->scratch_last ||
	    !mk.scratch_start || !mk.scratch_ids || !lt->time_subgraph || !lt->time_op)
		goto nomem;
	for (i = 0; i < total; i++)
		lt->first[i] = lt->last[i] = -1;
	for (i = 0; i < n_req; i++)
		lt->scratch_first[i] = lt->scratch_last[i] = -1;
	/* scratch requests by op, CSR */
	for (i = 0; i < n_req; i++)
		mk.scratch_start[mk.op_base[req[i].subgraph] + req[i].op + 1]++;
	for (i = 1; i <= n_ops; i++)
		mk.scratch_start[i] += mk.scratch_start[i - 1];
	{
		uint32_t *fill = calloc((size_t)n_ops + 1, sizeof(uint32_t));
		if (!fill)
			goto nomem;
		for (i = 0; i < n_req; i++) {
			uint32_t g = mk.op_base[req[i].subgraph] + req[i].op;
			mk.scratch_ids[mk.scratch_start[g] + fill[g]++] = i;
		}
		free(fill);
	}
	lt->time_subgraph[0] = 0;
	lt->time_op[0] = -1;
	mk.scope = 0;
	if (m->n_subgraphs > 0 && (st = mark(&mk, 0, 0)) != TFIT_OK)
		goto out;
	lt->n_times = mk.scope + 1;
	/* the scope map goes into the plan, kept as long as it: its doubled
	 * capacity cut to what is used (a 40,001-scope model: 320 KB, not 512) */
	if (lt->n_times < mk.cap_times) {
		int32_t *a = realloc(lt->time_subgraph, (size_t)lt->n_times * sizeof(*a)), *b;
		if (a)
			lt->time_subgraph = a;
		b = realloc(lt->time_op, (size_t)lt->n_times * sizeof(*b));
		if (b)
			lt->time_op = b;
	}
	goto out;
nomem:
	st = tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
out:
	free(mk.op_base);
	free(mk.on_stack);
	free(mk.scratch_start);
	free(mk.scratch_ids);
	if (st != TFIT_OK)
		tfit_lifetimes_release(lt);
	return st;
}
