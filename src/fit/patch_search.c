/*
 * patch_search.c - tfit_patch_search(): the stage and patch grid that give
 * the smallest arena within a MAC budget (docs/optimize.md section 4).
 *
 * Stages: for each maximal run of CONV_2D / DEPTHWISE_CONV_2D / PAD / ADD
 * ops of subgraph 0, every prefix of the run that tfit_patch_stage_check()
 * accepts (one input, one output leaving it). Grids: g x g for g = 2 ..
 * TFIT_PATCH_MAX_GRID (limited by the stage output's size). A candidate
 * whose MACs exceed the budget is dropped; the others are ranked by the
 * live-bytes lower bound of the rewritten graph (tfit_patch_head_bound),
 * and the best of each grid size is evaluated exactly: rewritten, read
 * back, planned as TFLM plans it (head, tail, kTensorArenaSize) and with
 * the offline planner (heuristics and a short search). The smallest
 * estimated kTensorArenaSize wins; equal arenas go to fewer MACs.
 */
#include "fit/patch_search.h"
#include "tinyfit/plan.h"

#include <stdlib.h>
#include <string.h>

static int patchable_type(enum tfit_op_type t)
{
	return t == TFIT_OP_CONV_2D || t == TFIT_OP_DEPTHWISE_CONV_2D || t == TFIT_OP_PAD ||
	       t == TFIT_OP_ADD;
}

void tfit_patch_pick_release(struct tfit_patch_pick *p)
{
	if (!p)
		return;
	free(p->model);
	memset(p, 0, sizeof(*p));
}

struct cand {
	struct tfit_patch_stage st;
	uint32_t g;
	uint64_t macs, bound;
};

/* Rewrite, read back and plan one candidate; *arena is the estimated
 * kTensorArenaSize with the offline plan. */
static enum tfit_status evaluate(const struct tfit_model *m, const uint8_t *data, size_t len,
				 const char *name, const struct tfit_runtime *rt,
				 const struct cand *c, uint8_t **bytes, size_t *n_bytes,
				 uint64_t *arena, struct tfit_error *err)
{
	struct tfit_rw rw;
	struct tfit_model *pm = NULL;
	struct tfit_arena_plan p;
	struct tfit_offline_plan op;
	struct tfit_offline_opts oo;
	enum tfit_status st;
	memset(&op, 0, sizeof(op));
	memset(&oo, 0, sizeof(oo));
	*bytes = NULL;
	if ((st = tfit_patch_build(m, data, len, &c->st, c->g, c->g, &rw, err)) != TFIT_OK)
		return st;
	st = tfit_tflite_rewrite(data, len, name, &rw, bytes, n_bytes, err);
	tfit_rw_release(&rw);
	if (st != TFIT_OK)
		return st;
	if ((st = tfit_tflite_read_buffer(*bytes, *n_bytes, name, &pm, err)) != TFIT_OK)
		goto out;
	if ((st = tfit_plan_arena(pm, rt, NULL, &p, err)) != TFIT_OK)
		goto out;
	oo.node_limit = 2000;
	if ((st = tfit_plan_offline(pm, rt, &oo, &op, err)) != TFIT_OK) {
		tfit_arena_plan_release(&p);
		goto out;
	}
	*arena = p.arena_bytes - p.head_bytes + (op.improved ? op.head_bytes : p.head_bytes);
	tfit_arena_plan_release(&p);
	tfit_offline_plan_release(&op);
out:
	tfit_model_free(pm);
	if (st != TFIT_OK) {
		free(*bytes);
		*bytes = NULL;
	}
	return st;
}

enum tfit_status tfit_patch_search(const struct tfit_model *m, const uint8_t *data, size_t len,
				   const char *name, const struct tfit_runtime *rt,
				   double max_overhead, uint64_t baseline_arena,
				   struct tfit_patch_pick *out, struct tfit_error *err)
{
	const struct tfit_subgraph *sg = &m->subgraphs[0];
	struct cand best_of[TFIT_PATCH_MAX_GRID + 1];
	uint64_t budget = (uint64_t)((double)m->macs * (1.0 + max_overhead));
	uint32_t a, b, g;
	enum tfit_status st = TFIT_OK;
	char why[160];

	memset(out, 0, sizeof(*out));
	memset(best_of, 0, sizeof(best_of));
	out->best_arena = baseline_arena;
	if (m->n_subgraphs != 1 || max_overhead <= 0)
		return TFIT_OK;
	for (a = 0; a < sg->n_ops; a++) {
		if (!patchable_type(sg->ops[a].type) ||
		    (a > 0 && patchable_type(sg->ops[a - 1].type)))
			continue;
		for (b = a + 1; b <= sg->n_ops && patchable_type(sg->ops[b - 1].type); b++) {
			struct tfit_patch_stage s;
			const struct tfit_tensor *so;
			if (!tfit_patch_stage_check(m, data, len, a, b, &s, why, sizeof(why)))
				continue;
			so = &sg->tensors[s.out];
			for (g = 2; g <= TFIT_PATCH_MAX_GRID; g++) {
				struct tfit_rw rw;
				struct cand c;
				struct tfit_error e2;
				if (g > so->dims[1] || g > so->dims[2])
					break;
				c.st = s;
				c.g = g;
				c.macs = tfit_patch_macs(m, data, len, &s, g, g);
				if (c.macs > budget)
					continue;
				tfit_error_clear(&e2);
				if (tfit_patch_build(m, data, len, &s, g, g, &rw, &e2) != TFIT_OK)
					continue;
				c.bound = tfit_patch_head_bound(m, &rw);
				tfit_rw_release(&rw);
				out->candidates++;
				if (!best_of[g].g || c.bound < best_of[g].bound ||
				    (c.bound == best_of[g].bound && c.macs < best_of[g].macs))
					best_of[g] = c;
			}
		}
	}
	for (g = 2; g <= TFIT_PATCH_MAX_GRID; g++) {
		uint8_t *bytes;
		size_t n_bytes;
		uint64_t arena;
		if (!best_of[g].g)
			continue;
		if ((st = evaluate(m, data, len, name, rt, &best_of[g], &bytes, &n_bytes, &arena,
				   err)) != TFIT_OK)
			break;
		out->evaluated++;
		if (arena < out->best_arena ||
		    (out->found && arena == out->best_arena && best_of[g].macs < out->macs)) {
			free(out->model);
			out->found = 1;
			out->st = best_of[g].st;
			out->gh = out->gw = g;
			out->macs = best_of[g].macs;
			out->best_arena = arena;
			out->model = bytes;
			out->model_len = n_bytes;
		} else {
			free(bytes);
		}
	}
	if (st != TFIT_OK)
		tfit_patch_pick_release(out);
	return st;
}
