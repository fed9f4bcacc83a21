/*
 * optimize.c - tfit_optimize(): read the model, plan it as TFLM does,
 * compute the optimised offline plan, write it into a copy of the model,
 * read the copy back and plan it again as TFLM will (the "after" figures
 * are that second plan's), and estimate latency before and after when a
 * board is given. See include/tinyfit/optimize.h and docs/optimize.md.
 */
#include "tinyfit/optimize.h"
#include "fit/patch_search.h"
#include "tinyfit/fit.h"
#include "tinyfit/model_io.h"
#include "tinyfit/plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tfit_optimize_result_release(struct tfit_optimize_result *r)
{
	if (!r)
		return;
	free(r->model_out);
	free(r->latency_method);
	tfit_model_free(r->model_after);
	memset(r, 0, sizeof(*r));
}

static uint32_t op_count(const struct tfit_model *m)
{
	uint32_t sg, n = 0;
	for (sg = 0; sg < m->n_subgraphs; sg++)
		n += m->subgraphs[sg].n_ops;
	return n;
}

/* Plan m (honouring its offline plan; known: m's plan already made) and
 * fill one side of the report. */
static enum tfit_status measure(const struct tfit_optimize_request *req,
				const struct tfit_model *m, const struct tfit_arena_plan *known,
				uint64_t file_bytes, struct tfit_optimize_side *s, char **method,
				struct tfit_error *err)
{
	struct tfit_arena_plan p;
	enum tfit_status st;
	if (known) {
		p = *known;
	} else if ((st = tfit_plan_arena(m, req->rt, NULL, &p, err)) != TFIT_OK) {
		return st;
	}
	s->head_bytes = p.head_bytes;
	s->tail_bytes = p.tail_bytes;
	s->arena_bytes = p.arena_bytes;
	s->macs = m->macs;
	s->n_ops = op_count(m);
	s->file_bytes = file_bytes;
	if (!known)
		tfit_arena_plan_release(&p);
	if (req->cost && req->dev) {
		struct tfit_cost_result c;
		memset(&c, 0, sizeof(c));
		if ((st = tfit_cost_estimate(req->cost, m, req->dev, req->runtime_id, &c, err)) !=
		    TFIT_OK)
			return st;
		s->has_latency = 1;
		s->latency_ms = c.latency_ms;
		if (method) {
			*method = c.method; /* moved: the whole text */
			c.method = NULL;
		}
		tfit_cost_result_release(&c);
	}
	return TFIT_OK;
}

static void describe_tensor(const struct tfit_model *m, int32_t t, char *buf, size_t size)
{
	char shape[64];
	const struct tfit_tensor *x = &m->subgraphs[0].tensors[t];
	snprintf(buf, size, "%s %s", x->name ? x->name : "(unnamed)",
		 tfit_shape_format(x, shape, sizeof(shape)));
}

/* Search a patch-based rewrite of m; when one beats the plan alone, *base
 * becomes the rewritten bytes (owned by pick) and *bm the model read from them. */
static enum tfit_status patch_step(const struct tfit_optimize_request *req,
				   const struct tfit_model *m, uint64_t plan_only_arena,
				   struct tfit_patch_pick *pick, struct tfit_model **bm,
				   struct tfit_optimize_result *out, struct tfit_error *err)
{
	const char *name = req->model_name ? req->model_name : "model";
	enum tfit_status st;
	uint32_t i;
	if ((st = tfit_patch_search(m, req->model_data, req->model_len, name, req->rt,
				    out->max_mac_overhead, plan_only_arena, pick, err)) != TFIT_OK)
		return st;
	out->patch_candidates = pick->candidates;
	out->patch_evaluated = pick->evaluated;
	if (!pick->found)
		return TFIT_OK;
	if ((st = tfit_tflite_read_buffer(pick->model, pick->model_len, name, bm, err)) != TFIT_OK)
		return st;
	out->patches_done = 1;
	out->n_patch_stages = pick->n_stages;
	for (i = 0; i < pick->n_stages && i < TFIT_OPTIMIZE_MAX_STAGES; i++) {
		struct tfit_optimize_stage *s = &out->patch[i];
		s->first_op = pick->st[i].first;
		s->last_op = pick->st[i].end - 1;
		s->rows = pick->st[i].gh;
		s->cols = pick->st[i].gw;
		describe_tensor(m, pick->st[i].in, s->in, sizeof(s->in));
		describe_tensor(m, pick->st[i].out, s->out, sizeof(s->out));
	}
	return TFIT_OK;
}

/* The output is the bytes given, copied. */
static enum tfit_status copy_bytes(struct tfit_optimize_result *out, const uint8_t *base,
				   size_t len, struct tfit_error *err)
{
	if (!(out->model_out = malloc(len + 1)))
		return tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
	memcpy(out->model_out, base, len);
	out->model_out_len = len;
	return TFIT_OK;
}

static enum tfit_status optimize_once(const struct tfit_optimize_request *req,
				      struct tfit_optimize_result *out, struct tfit_error *err)
{
	struct tfit_model *m = NULL, *m2 = NULL, *pm = NULL;
	const struct tfit_model *src, *bm;
	const uint8_t *base;
	size_t base_len;
	struct tfit_offline_plan op;
	struct tfit_offline_opts oo;
	struct tfit_patch_pick pick;
	enum tfit_status st;
	const char *name = req->model_name ? req->model_name : "model";

	memset(out, 0, sizeof(*out));
	memset(&op, 0, sizeof(op));
	memset(&pick, 0, sizeof(pick));
	snprintf(out->model_name, sizeof(out->model_name), "%s", name);
	snprintf(out->runtime, sizeof(out->runtime), "%s", req->rt->id);
	out->plan_only = req->plan_only;
	out->max_mac_overhead = req->plan_only ? 0
				: req->has_max_mac_overhead ? req->max_mac_overhead
				: TFIT_OPTIMIZE_DEFAULT_MAC_OVERHEAD;
	if (req->model) {
		src = req->model; /* the caller's, read from the same bytes */
	} else {
		if ((st = tfit_tflite_read_buffer(req->model_data, req->model_len, name, &m,
						  err)) != TFIT_OK)
			goto out;
		src = m;
	}
	if (src->has_offline_plan) {
		st = tfit_error_set(err, TFIT_ERR_INPUT, name, "metadata",
				    "the model already has an OfflineMemoryAllocation plan "
				    "(e.g. from Vela); tinyfit does not replace it (expected a "
				    "model without one)");
		goto out;
	}
	if ((st = measure(req, src, req->model ? req->plan : NULL, req->model_len, &out->before,
			  &out->latency_method, err)) != TFIT_OK)
		goto out;
	memset(&oo, 0, sizeof(oo));
	oo.node_limit = req->node_limit;
	if ((st = tfit_plan_offline(src, req->rt, &oo, &op, err)) != TFIT_OK)
		goto out;
	out->plan_only_arena_bytes = out->before.arena_bytes - out->before.head_bytes +
				     (op.improved ? op.head_bytes : out->before.head_bytes);
	bm = src;
	base = req->model_data;
	base_len = req->model_len;
	if (!req->plan_only && out->max_mac_overhead > 0) {
		if ((st = patch_step(req, src, out->plan_only_arena_bytes, &pick, &pm, out, err)) !=
		    TFIT_OK)
			goto out;
		if (pm) {
			bm = pm;
			base = pick.model;
			base_len = pick.model_len;
			tfit_offline_plan_release(&op);
			if ((st = tfit_plan_offline(pm, req->rt, &oo, &op, err)) != TFIT_OK)
				goto out;
		}
	}
	out->lower_bound_bytes = op.lower_bound_bytes;
	out->n_aliased = op.improved ? op.n_aliased : 0;
	out->n_scratch = op.n_scratch;
	out->search_nodes = op.search_nodes;
	out->proven_optimal = op.proven_optimal;
	if (!op.improved && !pm) {
		/* the output is the input: the same bytes plan the same, so
		 * "after" is "before" and nothing is read back (TFLM's plan
		 * must still be the one the offline planner replays) */
		out->after = out->before;
		out->model_out_len = base_len;
		if (!req->no_unchanged_copy && (st = copy_bytes(out, base, base_len, err)) != TFIT_OK)
			goto out;
		if (out->before.head_bytes != op.greedy_head_bytes)
			st = tfit_error_set(err, TFIT_ERR_INTERNAL, name, NULL,
					    "the model plans to a head of %llu bytes, not the "
					    "%llu replayed",
					    (unsigned long long)out->before.head_bytes,
					    (unsigned long long)op.greedy_head_bytes);
		goto out;
	}
	if (op.improved) {
		if ((st = tfit_tflite_add_offline_plan(base, base_len, name, op.offsets,
						       op.n_offsets, bm->n_subgraphs,
						       &out->model_out, &out->model_out_len,
						       err)) != TFIT_OK)
			goto out;
		out->plan_written = 1;
	} else if ((st = copy_bytes(out, base, base_len, err)) != TFIT_OK) {
		goto out;
	}
	/* the model read, the rewrite and its bytes are done with: freed before
	 * the written file is read back, so two models are never held at once */
	tfit_model_free(m);
	tfit_model_free(pm);
	tfit_patch_pick_release(&pick);
	m = pm = NULL;
	/* what TFLM will do with the written file */
	if ((st = tfit_tflite_read_buffer(out->model_out, out->model_out_len, name, &m2, err)) !=
	    TFIT_OK ||
	    (st = measure(req, m2, NULL, out->model_out_len, &out->after, NULL, err)) != TFIT_OK) {
		char msg[TFIT_ERROR_MSG_MAX];
		memcpy(msg, err->message, sizeof(msg));
		msg[sizeof(msg) - 1] = '\0';
		st = tfit_error_set(err, TFIT_ERR_INTERNAL, name, NULL,
				    "the optimised model does not read back: %s", msg);
		goto out;
	}
	out->ops_added = out->after.n_ops > out->before.n_ops
			 ? out->after.n_ops - out->before.n_ops : 0;
	if (out->after.head_bytes != (op.improved ? op.head_bytes : op.greedy_head_bytes)) {
		st = tfit_error_set(err, TFIT_ERR_INTERNAL, name, NULL,
				    "the optimised model plans to a head of %llu bytes, "
				    "not the %llu planned",
				    (unsigned long long)out->after.head_bytes,
				    (unsigned long long)(op.improved ? op.head_bytes
								     : op.greedy_head_bytes));
		goto out;
	}
	if (req->keep_model_after) {
		out->model_after = m2;
		m2 = NULL;
	}
out:
	if (st != TFIT_OK)
		tfit_optimize_result_release(out);
	tfit_offline_plan_release(&op);
	tfit_patch_pick_release(&pick);
	tfit_model_free(m);
	tfit_model_free(m2);
	tfit_model_free(pm);
	return st;
}

/* Whether the written model fits req->dev with req->rt (planned method,
 * the board's default placement), as `tinyfit check` would say. */
static enum tfit_status fits_device(const struct tfit_optimize_request *req,
				    const struct tfit_optimize_result *r, int *fits,
				    struct tfit_error *err)
{
	struct tfit_model *m = NULL;
	struct tfit_fit_ctx c;
	struct tfit_fit_opts o;
	struct tfit_fit_result fr;
	enum tfit_status st;
	*fits = 0;
	if ((st = tfit_tflite_read_buffer(r->model_out, r->model_out_len, r->model_name, &m,
					  err)) != TFIT_OK)
		return st;
	m->file_bytes = r->model_out_len;
	tfit_fit_ctx_init(&c, m, req->data_dir);
	c.runtime_set = req->runtime_set;
	tfit_fit_opts_init(&o);
	o.method = TFIT_METHOD_PLANNED;
	memset(&fr, 0, sizeof(fr));
	if ((st = tfit_fit_evaluate(&c, req->dev, req->rt->id, &o, &fr, err)) == TFIT_OK)
		*fits = fr.fits;
	tfit_fit_ctx_release(&c);
	tfit_model_free(m);
	return st;
}

enum tfit_status tfit_optimize(const struct tfit_optimize_request *req,
			       struct tfit_optimize_result *out, struct tfit_error *err)
{
	struct tfit_optimize_request q;
	struct tfit_optimize_result alt;
	enum tfit_status st;
	int fits, alt_fits;
	if ((st = optimize_once(req, out, err)) != TFIT_OK || !req->dev || !req->data_dir ||
	    !out->patches_done)
		return st;
	/* a rewrite grows the file and the tail: never trade a board the plan
	 * alone fits for a smaller arena that does not fit it */
	if ((st = fits_device(req, out, &fits, err)) != TFIT_OK || fits)
		goto fail_or_done;
	q = *req;
	q.plan_only = 1;
	if ((st = optimize_once(&q, &alt, err)) != TFIT_OK)
		goto fail_or_done;
	if ((st = fits_device(req, &alt, &alt_fits, err)) != TFIT_OK || !alt_fits) {
		tfit_optimize_result_release(&alt);
		goto fail_or_done;
	}
	alt.plan_only = 0;
	alt.max_mac_overhead = out->max_mac_overhead;
	alt.patch_candidates = out->patch_candidates;
	alt.patch_evaluated = out->patch_evaluated;
	alt.patch_dropped = 1;
	alt.dropped_arena_bytes = out->after.arena_bytes;
	alt.dropped_file_bytes = out->after.file_bytes;
	tfit_optimize_result_release(out);
	*out = alt;
	return TFIT_OK;
fail_or_done:
	if (st != TFIT_OK)
		tfit_optimize_result_release(out);
	return st;
}
