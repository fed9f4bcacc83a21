/*
 * offline_planner.c - tfit_plan_offline(): an OfflineMemoryAllocation plan
 * for a model that makes TFLM's head smaller than its greedy plan's.
 *
 * The buffers and lifetimes are exactly the ones tfit_plan_arena() builds
 * (TFLM's AllocationInfo, 16-byte aligned sizes); RESHAPE outputs that can
 * share their input's memory are merged with it first (one buffer, the
 * union of both lifetimes); tfit_plan_pack() places the result; then the
 * tensors' offsets are fixed and TFLM's greedy planner is replayed with the
 * scratch buffers online, as TFLM will run it. If that is not below TFLM's
 * own head, the plan is dropped (never worse than TFLM's greedy plan).
 */
#include "tinyfit/plan.h"
#include "tinyfit/checked.h"

#include <stdlib.h>
#include <string.h>

void tfit_offline_plan_release(struct tfit_offline_plan *p)
{
	if (!p)
		return;
	free(p->offsets);
	memset(p, 0, sizeof(*p));
}

static uint32_t find_root(uint32_t *parent, uint32_t i)
{
	while (parent[i] != i) {
		parent[i] = parent[parent[i]];
		i = parent[i];
	}
	return i;
}

/* Merge RESHAPE outputs into their inputs where TFLM can run it in place. */
static uint32_t alias_reshapes(const struct tfit_model *m, const struct tfit_arena_plan *ap,
			       const int32_t *buf_of, uint32_t *parent)
{
	const struct tfit_subgraph *g = &m->subgraphs[0];
	uint32_t i, n = 0;
	if (m->n_subgraphs != 1)
		return 0; /* control flow copies between subgraphs' tensors */
	for (i = 0; i < g->n_ops; i++) {
		const struct tfit_op *op = &g->ops[i];
		int32_t x, y, bx, by;
		uint32_t rx, ry;
		if (op->type != TFIT_OP_RESHAPE || op->n_inputs < 1 || op->n_outputs < 1)
			continue;
		x = op->inputs[0];
		y = tfit_op_outputs(op)[0];
		if (x < 0 || y < 0 || x == y)
			continue;
		bx = buf_of[x];
		by = buf_of[y];
		if (bx < 0 || by < 0)
			continue; /* a constant input, or an empty tensor */
		if ((g->tensors[x].flags | g->tensors[y].flags) & TFIT_TENSOR_VARIABLE)
			continue;
		if (ap->buffers[bx].bytes != ap->buffers[by].bytes)
			continue;
		rx = find_root(parent, (uint32_t)bx);
		ry = find_root(parent, (uint32_t)by);
		if (rx == ry)
			continue;
		parent[ry] = rx;
		n++;
	}
	return n;
}

enum tfit_status tfit_plan_offline(const struct tfit_model *m, const struct tfit_runtime *rt,
				   const struct tfit_offline_opts *o,
				   struct tfit_offline_plan *out, struct tfit_error *err)
{
	struct tfit_plan_opts po = { 1 };
	struct tfit_arena_plan ap;
	struct tfit_pack_opts pk;
	struct tfit_pack_result pr;
	struct tfit_pack_item *items = NULL;
	struct tfit_greedy_buffer *gb = NULL;
	uint64_t *item_off = NULL, *offsets = NULL, head = 0;
	uint32_t *parent = NULL, *item_of = NULL, *base = NULL;
	int32_t *buf_of = NULL;
	uint32_t i, sg, n_items = 0, total = 0;
	enum tfit_status st;

	memset(out, 0, sizeof(*out));
	memset(&ap, 0, sizeof(ap));
	if ((st = tfit_plan_arena(m, rt, &po, &ap, err)) != TFIT_OK)
		return st;
	base = calloc((size_t)m->n_subgraphs + 1, sizeof(*base));
	if (!base)
		goto nomem;
	for (sg = 0; sg < m->n_subgraphs; sg++) {
		base[sg] = total;
		total += m->subgraphs[sg].n_tensors;
	}
	out->n_offsets = total;
	out->offsets = malloc(((size_t)total + 1) * sizeof(*out->offsets));
	buf_of = malloc(((size_t)m->subgraphs[0].n_tensors + 1) * sizeof(*buf_of));
	parent = malloc(((size_t)ap.n_buffers + 1) * sizeof(*parent));
	item_of = malloc(((size_t)ap.n_buffers + 1) * sizeof(*item_of));
	items = calloc((size_t)ap.n_buffers + 1, sizeof(*items));
	item_off = calloc((size_t)ap.n_buffers + 1, sizeof(*item_off));
	gb = calloc((size_t)ap.n_buffers + 1, sizeof(*gb));
	offsets = calloc((size_t)ap.n_buffers + 1, sizeof(*offsets));
	if (!out->offsets || !buf_of || !parent || !item_of || !items || !item_off || !gb ||
	    !offsets)
		goto nomem;
	for (i = 0; i < total; i++)
		out->offsets[i] = TFIT_PLAN_ONLINE;
	for (i = 0; i < m->subgraphs[0].n_tensors; i++)
		buf_of[i] = -1;
	for (i = 0; i < ap.n_buffers; i++) {
		parent[i] = i;
		if (ap.buffers[i].kind == TFIT_PLAN_TENSOR && ap.buffers[i].subgraph == 0)
			buf_of[ap.buffers[i].tensor] = (int32_t)i;
		if (ap.buffers[i].kind == TFIT_PLAN_SCRATCH)
			out->n_scratch++;
	}
	if (!(o && o->no_alias))
		out->n_aliased = alias_reshapes(m, &ap, buf_of, parent);

	/* one item per alias group (its root), in buffer order */
	for (i = 0; i < ap.n_buffers; i++)
		if (find_root(parent, i) == i) {
			item_of[i] = n_items;
			items[n_items].bytes = tfit_plan_buffer_aligned_bytes(&ap, &ap.buffers[i]);
			items[n_items].first_time = ap.buffers[i].first_time;
			items[n_items].last_time = ap.buffers[i].last_time;
			n_items++;
		}
	for (i = 0; i < ap.n_buffers; i++) {
		uint32_t r = find_root(parent, i);
		struct tfit_pack_item *it = &items[item_of[r]];
		item_of[i] = item_of[r];
		if (ap.buffers[i].first_time < it->first_time)
			it->first_time = ap.buffers[i].first_time;
		if (ap.buffers[i].last_time > it->last_time)
			it->last_time = ap.buffers[i].last_time;
		if (tfit_plan_buffer_aligned_bytes(&ap, &ap.buffers[i]) > it->bytes)
			it->bytes = tfit_plan_buffer_aligned_bytes(&ap, &ap.buffers[i]);
	}

	memset(&pk, 0, sizeof(pk));
	pk.node_limit = o ? o->node_limit : 0;
	pk.upper_bytes = ap.head_bytes;
	if ((st = tfit_plan_pack(items, n_items, &pk, item_off, &pr, err)) != TFIT_OK)
		goto out;
	out->greedy_head_bytes = ap.head_bytes;
	out->lower_bound_bytes = pr.lower_bound_bytes;
	out->search_nodes = pr.nodes;
	out->searched = pr.searched;

	/* what TFLM does with it: tensors fixed, scratch buffers online */
	for (i = 0; i < ap.n_buffers; i++) {
		const struct tfit_plan_buffer *b = &ap.buffers[i];
		uint64_t off = item_off[item_of[i]];
		gb[i].bytes = tfit_plan_buffer_aligned_bytes(&ap, b);
		gb[i].first_time = b->first_time;
		gb[i].last_time = b->last_time;
		gb[i].offline_offset = TFIT_PLAN_ONLINE;
		if (b->kind == TFIT_PLAN_TENSOR) {
			if (off > INT32_MAX) {
				st = tfit_error_set(err, TFIT_ERR_LIMIT, NULL, NULL,
						    "arena offset %llu does not fit the int32 "
						    "OfflineMemoryAllocation format",
						    (unsigned long long)off);
				goto out;
			}
			gb[i].offline_offset = (int64_t)off;
		}
	}
	if ((st = tfit_plan_greedy(gb, ap.n_buffers, offsets, &head, err)) != TFIT_OK)
		goto out;
	if (head < ap.head_bytes) {
		out->improved = 1;
		out->head_bytes = head;
		for (i = 0; i < ap.n_buffers; i++)
			if (ap.buffers[i].kind == TFIT_PLAN_TENSOR)
				out->offsets[base[ap.buffers[i].subgraph] + ap.buffers[i].tensor] =
					(int32_t)gb[i].offline_offset;
		out->proven_optimal = head == pr.head_bytes &&
				      (pr.complete || head <= pr.lower_bound_bytes);
	} else {
		out->head_bytes = ap.head_bytes;
		/* TFLM's plan is the best when the search proved nothing beats it */
		out->proven_optimal = pr.complete && pr.head_bytes >= ap.head_bytes;
	}
	goto out;
nomem:
	st = tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
out:
	if (st != TFIT_OK)
		tfit_offline_plan_release(out);
	tfit_arena_plan_release(&ap);
	free(base);
	free(buf_of);
	free(parent);
	free(item_of);
	free(items);
	free(item_off);
	free(gb);
	free(offsets);
	return st;
}
