/*
 * patch_search.c - tfit_patch_search(): the stages and patch grids that
 * give the smallest arena within a MAC budget (docs/optimize.md section 4).
 *
 * Stages: for each maximal run of CONV_2D / DEPTHWISE_CONV_2D / PAD / ADD
 * ops of subgraph 0, every prefix of the run that tfit_patch_stage_check()
 * accepts (one input, one output leaving it), with a g x g grid, g = 2 ..
 * TFIT_PATCH_MAX_GRID (at most the stage output's size). Then the ranges
 * of the best single stages are split in two consecutive stages, each with
 * its own grid: a high-resolution part needs small tiles, a later part can
 * use fewer, and every tile of an int8 convolution costs its per-channel
 * data in the arena tail. A candidate whose MACs exceed the budget is
 * dropped; the others are ranked by the live-bytes lower bound of the
 * rewritten graph's head (tfit_patch_head_bound) plus a rough figure of its
 * tail (tfit_patch_tail_proxy), and the best TFIT_PATCH_EVALUATE are
 * evaluated exactly: rewritten, read back and planned as TFLM plans it
 * (head, tail, kTensorArenaSize) with the offline planner (heuristics and a
 * short search). The smallest kTensorArenaSize wins; equal arenas go to
 * fewer MACs.
 */
#include "fit/patch_search.h"
#include "tinyfit/plan.h"

#include <stdlib.h>
#include <string.h>

#define TFIT_PATCH_EVALUATE 10   /* candidates rewritten and planned */
#define TFIT_PATCH_SPLIT_RANGES 3 /* single-stage ranges tried in two stages */

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
	struct tfit_patch_stage st[TFIT_PATCH_MAX_STAGES];
	uint32_t n;
	uint64_t macs, rank;
};

struct pool {
	struct cand best[TFIT_PATCH_EVALUATE];   /* by rank, ascending */
	uint32_t n;
	struct cand ranges[TFIT_PATCH_SPLIT_RANGES]; /* best single stages, distinct ranges */
	uint32_t n_ranges;
	uint32_t candidates;
};

static int better(const struct cand *a, const struct cand *b)
{
	return a->rank < b->rank || (a->rank == b->rank && a->macs < b->macs);
}

static void keep_best(struct cand *list, uint32_t *n, uint32_t cap, const struct cand *c)
{
	uint32_t i;
	if (*n == cap && !better(c, &list[cap - 1]))
		return;
	i = *n < cap ? (*n)++ : cap - 1;
	while (i > 0 && better(c, &list[i - 1])) {
		list[i] = list[i - 1];
		i--;
	}
	list[i] = *c;
}

static void keep_range(struct pool *p, const struct cand *c)
{
	uint32_t i;
	for (i = 0; i < p->n_ranges; i++)
		if (p->ranges[i].st[0].first == c->st[0].first &&
		    p->ranges[i].st[0].end == c->st[0].end) {
			if (better(c, &p->ranges[i]))
				p->ranges[i] = *c;
			return;
		}
	keep_best(p->ranges, &p->n_ranges, TFIT_PATCH_SPLIT_RANGES, c);
}

/* Rank one candidate (within the budget) and keep it if it is among the best. */
static void consider(const struct tfit_model *m, const uint8_t *data, size_t len,
		     uint64_t budget, struct cand *c, struct pool *p)
{
	struct tfit_rw rw;
	struct tfit_error e2;
	uint32_t i;
	for (i = 0; i < c->n; i++) {
		const struct tfit_tensor *so = &m->subgraphs[0].tensors[c->st[i].out];
		if (c->st[i].gh > tfit_dim(so, 1) || c->st[i].gw > tfit_dim(so, 2))
			return;
	}
	c->macs = tfit_patch_macs(m, data, len, c->st, c->n);
	if (c->macs > budget)
		return;
	tfit_error_clear(&e2);
	if (tfit_patch_build(m, data, len, c->st, c->n, &rw, &e2) != TFIT_OK)
		return;
	c->rank = tfit_patch_head_bound(m, &rw) + tfit_patch_tail_proxy(m, &rw);
	tfit_rw_release(&rw);
	p->candidates++;
	keep_best(p->best, &p->n, TFIT_PATCH_EVALUATE, c);
	if (c->n == 1)
		keep_range(p, c);
}

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
	if ((st = tfit_patch_build(m, data, len, c->st, c->n, &rw, err)) != TFIT_OK)
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

/* Every single stage of every run, g x g. */
static void singles(const struct tfit_model *m, const uint8_t *data, size_t len,
		    uint64_t budget, struct pool *p)
{
	const struct tfit_subgraph *sg = &m->subgraphs[0];
	uint32_t a, b, g;
	char why[160];
	for (a = 0; a < sg->n_ops; a++) {
		if (!patchable_type(sg->ops[a].type) ||
		    (a > 0 && patchable_type(sg->ops[a - 1].type)))
			continue;
		for (b = a + 1; b <= sg->n_ops && patchable_type(sg->ops[b - 1].type); b++) {
			struct cand c;
			memset(&c, 0, sizeof(c));
			if (!tfit_patch_stage_check(m, data, len, a, b, &c.st[0], why, sizeof(why)))
				continue;
			c.n = 1;
			for (g = 2; g <= TFIT_PATCH_MAX_GRID; g++) {
				c.st[0].gh = c.st[0].gw = g;
				consider(m, data, len, budget, &c, p);
			}
		}
	}
}

/* The best single ranges [a, b) split at every m into [a, m) and [m, b). */
static void splits(const struct tfit_model *m, const uint8_t *data, size_t len,
		   uint64_t budget, struct pool *p)
{
	struct cand ranges[TFIT_PATCH_SPLIT_RANGES];
	uint32_t r, n = p->n_ranges, mid, ga, gb;
	char why[160];
	memcpy(ranges, p->ranges, sizeof(ranges));
	for (r = 0; r < n; r++) {
		uint32_t a = ranges[r].st[0].first, b = ranges[r].st[0].end;
		for (mid = a + 1; mid < b; mid++) {
			struct cand c;
			memset(&c, 0, sizeof(c));
			if (!tfit_patch_stage_check(m, data, len, a, mid, &c.st[0], why, sizeof(why)) ||
			    !tfit_patch_stage_check(m, data, len, mid, b, &c.st[1], why, sizeof(why)))
				continue;
			c.n = 2;
			for (ga = 2; ga <= TFIT_PATCH_MAX_GRID; ga++)
				for (gb = 2; gb <= TFIT_PATCH_MAX_GRID; gb++) {
					c.st[0].gh = c.st[0].gw = ga;
					c.st[1].gh = c.st[1].gw = gb;
					consider(m, data, len, budget, &c, p);
				}
		}
	}
}

enum tfit_status tfit_patch_search(const struct tfit_model *m, const uint8_t *data, size_t len,
				   const char *name, const struct tfit_runtime *rt,
				   double max_overhead, uint64_t baseline_arena,
				   struct tfit_patch_pick *out, struct tfit_error *err)
{
	struct pool *p;
	uint64_t budget = (uint64_t)((double)m->macs * (1.0 + max_overhead));
	uint32_t i;
	enum tfit_status st = TFIT_OK;

	memset(out, 0, sizeof(*out));
	out->best_arena = baseline_arena;
	if (m->n_subgraphs != 1 || max_overhead <= 0)
		return TFIT_OK;
	p = calloc(1, sizeof(*p));
	if (!p)
		return tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
	singles(m, data, len, budget, p);
	splits(m, data, len, budget, p);
	out->candidates = p->candidates;
	for (i = 0; i < p->n; i++) {
		uint8_t *bytes;
		size_t n_bytes;
		uint64_t arena;
		const struct cand *c = &p->best[i];
		if ((st = evaluate(m, data, len, name, rt, c, &bytes, &n_bytes, &arena, err)) !=
		    TFIT_OK)
			break;
		out->evaluated++;
		if (arena < out->best_arena ||
		    (out->found && arena == out->best_arena && c->macs < out->macs)) {
			free(out->model);
			out->found = 1;
			memcpy(out->st, c->st, sizeof(out->st));
			out->n_stages = c->n;
			out->macs = c->macs;
			out->best_arena = arena;
			out->model = bytes;
			out->model_len = n_bytes;
		} else {
			free(bytes);
		}
	}
	free(p);
	if (st != TFIT_OK)
		tfit_patch_pick_release(out);
	return st;
}
