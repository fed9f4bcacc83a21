/*
 * advice_optimize.c - the advice "fits after `tinyfit optimize`": when a
 * .tflite's arena does not fit a board, the model `tinyfit optimize` would
 * write for it (tfit_optimize(): patch-based execution within the default
 * MAC budget when that gives a smaller arena than the memory plan alone,
 * and the offline memory plan; docs/optimize.md) is read back and
 * evaluated on the same board, so its numbers are TFLM's plan of the file
 * written, with its real size. The text says which it is: the plan alone
 * (+0% MACs; or why a rewrite was dropped) or patches (the grids and the
 * MACs added).
 *
 * The patch search needs the model's bytes: those the model was read from
 * when it was read whole (standard input, a pipe: tflite_bytes), else they
 * are read again from the model's path (a regular file is read in blocks,
 * not kept). A model with neither (built in memory) gets the plan alone,
 * evaluated on a copy carrying the offsets.
 *
 * The optimisation is computed once per model and runtime and kept in the
 * fit context (struct tfit_fit_optimized): `check` on several boards and
 * `compare` on every board reuse it; only the choice between the rewrite
 * and the plan alone is made per board.
 */
#include "fit/fit_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tinyfit/checked.h"
#include "tinyfit/fileio.h"
#include "tinyfit/model_io.h"
#include "tinyfit/optimize.h"
#include "tinyfit/plan.h"
#include "tinyfit/units.h"

/* The model with the optimised offline plan alone (no bytes to rewrite):
 * a copy carrying the offsets, its file larger by what the writer adds.
 * NULL when the plan does not improve or on OOM (*oom set). */
static struct tfit_model *plan_only_copy(const struct tfit_model *m,
					 const struct tfit_runtime *rt, int *oom)
{
	struct tfit_offline_plan op;
	struct tfit_model *copy = NULL;
	struct tfit_error e;
	uint32_t sg, i, k = 0;
	tfit_error_clear(&e);
	if (tfit_plan_offline(m, rt, NULL, &op, &e) != TFIT_OK) {
		*oom = e.code == TFIT_ERR_NOMEM;
		return NULL;
	}
	if (op.improved && !(copy = tfit_model_clone(m)))
		*oom = 1;
	for (sg = 0; copy && sg < copy->n_subgraphs; sg++) {
		struct tfit_subgraph *s = &copy->subgraphs[sg];
		for (i = 0; i < s->n_tensors; i++) {
			if (tfit_tensor_set_offline_offset(s, &s->tensors[i], op.offsets[k++]) != 0) {
				tfit_model_free(copy);
				copy = NULL;
				*oom = 1;
				break;
			}
		}
	}
	if (copy) {
		copy->has_offline_plan = 1;
		copy->offline_plan_tensors = op.n_offsets;
		copy->file_bytes = tfit_sat_add_u64(copy->file_bytes,
			tfit_tflite_offline_plan_growth(m->tflite_buffers, m->tflite_metadata,
							op.n_offsets));
	}
	tfit_offline_plan_release(&op);
	return copy;
}

/* What `tinyfit optimize` writes for one model and runtime, computed
 * once per fit context (the model) and runtime: the board plays no part
 * in the rewrite, only in whether a rewrite that does not fit the board
 * gives way to the plan alone (optimize.c's rule, applied per board in
 * pick() below). */
struct tfit_fit_optimized {
	int done;                     /* computed (model NULL: nothing improves) */
	struct tfit_model *model;     /* optimize's output, read back */
	struct tfit_fit_ctx ctx;      /* its plans */
	struct tfit_fit_option opt;   /* patched, patches, mac_overhead */
	uint64_t arena_bytes;         /* its kTensorArenaSize */
	int alt_done;                 /* the plan alone (only after a rewrite) */
	struct tfit_model *alt;
	struct tfit_fit_ctx alt_ctx;
	struct tfit_fit_option alt_opt;
};

/* The model `tinyfit optimize` writes for m (read back from the bytes
 * written), and what it did in opt (plan_only: the memory plan alone).
 * m and its plan with rt are reused, not read and planned again; only its
 * bytes are (the rewrite needs them). No board: the rewrite does not
 * depend on one. NULL when nothing improves, the bytes cannot be read or
 * on OOM (*oom set). */
static struct tfit_model *optimized(const struct tfit_model *m, const struct tfit_runtime *rt,
				    const struct tfit_arena_plan *plan, int plan_only,
				    struct tfit_fit_option *opt, uint64_t *arena_bytes, int *oom)
{
	struct tfit_optimize_request q;
	struct tfit_optimize_result res;
	struct tfit_model *out = NULL;
	struct tfit_error e;
	char *data = NULL;
	size_t len = m->tflite_len;
	uint32_t i;
	tfit_error_clear(&e);
	if (!m->tflite_bytes &&
	    tfit_file_read(m->path, TFIT_FILE_MAX_BYTES, &data, &len, &e) != TFIT_OK) {
		*oom = e.code == TFIT_ERR_NOMEM;
		return NULL;
	}
	memset(&q, 0, sizeof(q));
	q.model_data = m->tflite_bytes ? m->tflite_bytes : data;
	q.model_len = len;
	q.model_name = m->name;
	q.rt = rt;
	q.plan_only = plan_only;
	q.model = m;
	q.plan = plan;
	q.keep_model_after = 1;
	q.no_unchanged_copy = 1;
	memset(&res, 0, sizeof(res));
	if (tfit_optimize(&q, &res, &e) != TFIT_OK) {
		*oom = e.code == TFIT_ERR_NOMEM;
		free(data);
		return NULL;
	}
	free(data);
	if (res.after.arena_bytes < res.before.arena_bytes && res.model_after) {
		out = res.model_after; /* taken over */
		res.model_after = NULL;
		out->file_bytes = res.model_out_len;
		*arena_bytes = res.after.arena_bytes;
		opt->patched = res.patches_done;
		opt->mac_overhead = res.before.macs
				    ? ((double)res.after.macs - (double)res.before.macs) /
					      (double)res.before.macs
				    : 0.0;
		for (i = 0; i < res.n_patch_stages; i++) {
			size_t n = strlen(opt->patches);
			snprintf(opt->patches + n, sizeof(opt->patches) - n, "%s%ux%u ops %u-%u",
				 i ? "; " : "", res.patch[i].rows, res.patch[i].cols,
				 res.patch[i].first_op, res.patch[i].last_op);
		}
	}
	tfit_optimize_result_release(&res);
	return out;
}

/* Whether om fits d with runtime rt_id as `tinyfit check` would say with
 * the board's default placement (optimize.c's fits_device). */
static int fits_board(struct tfit_fit_ctx *oc, const struct tfit_device *d, const char *rt_id)
{
	struct tfit_fit_opts o;
	struct tfit_fit_result fr;
	struct tfit_error e;
	tfit_fit_opts_init(&o);
	o.method = TFIT_METHOD_PLANNED;
	tfit_error_clear(&e);
	return tfit_fit_evaluate(oc, d, rt_id, &o, &fr, &e) == TFIT_OK && fr.fits;
}

/* The cache entry of runtime rt (c's plan with it: plan) in c, computed
 * on first use. NULL on OOM. */
static struct tfit_fit_optimized *entry(struct tfit_fit_ctx *c, const struct tfit_runtime *rt,
					const struct tfit_arena_plan *plan, int *oom)
{
	const struct tfit_model *m = c->model;
	struct tfit_fit_optimized *x;
	uint32_t s;
	for (s = 0; s < c->n && c->runtimes[s] != rt; s++)
		;
	if (s == c->n) /* not one of c's runtimes: never expected */
		return NULL;
	if (!c->optimized[s] && !(c->optimized[s] = calloc(1, sizeof(*x)))) {
		*oom = 1;
		return NULL;
	}
	x = c->optimized[s];
	if (!x->done) {
		x->done = 1;
		x->model = m->path || m->tflite_bytes
				   ? optimized(m, rt, plan, 0, &x->opt, &x->arena_bytes, oom)
				   : plan_only_copy(m, rt, oom);
		if (x->model) {
			tfit_fit_ctx_init(&x->ctx, x->model, c->data_dir);
			x->ctx.runtime_set = c->runtime_set;
		}
	}
	return x;
}

/* The model optimize writes for r's board: the rewrite, or the plan alone
 * when the rewrite does not fit the board and the plan alone does
 * (*dropped: the rewrite's kTensorArenaSize). NULL: none. */
static struct tfit_fit_ctx *pick(struct tfit_fit_ctx *c, struct tfit_fit_optimized *x,
				 const struct tfit_fit_result *r, const struct tfit_runtime *rt,
				 const struct tfit_arena_plan *plan, struct tfit_fit_option *opt,
				 uint64_t *dropped, int *oom)
{
	*dropped = 0;
	if (!x->model)
		return NULL;
	*opt = x->opt;
	if (!x->opt.patched || fits_board(&x->ctx, r->device, rt->id))
		return &x->ctx;
	if (!x->alt_done) {
		uint64_t unused = 0;
		x->alt_done = 1;
		x->alt = optimized(c->model, rt, plan, 1, &x->alt_opt, &unused, oom);
		if (x->alt) {
			tfit_fit_ctx_init(&x->alt_ctx, x->alt, c->data_dir);
			x->alt_ctx.runtime_set = c->runtime_set;
		}
	}
	if (!x->alt || !fits_board(&x->alt_ctx, r->device, rt->id))
		return &x->ctx;
	*opt = x->alt_opt;
	*dropped = x->arena_bytes;
	return &x->alt_ctx;
}

/*
 * Whether no model `tinyfit optimize` writes can fit r's board, whatever
 * its arena, so that the optimisation is not computed: compare's rows want
 * only a fitting result, and check's advice names no option that cannot
 * make the model fit (computing one rewrites the model, which reads the
 * whole file: 100 MB of weights for a board whose flash they exceed
 * anyway, bench/README.md). Two facts hold for every
 * model it writes (the rewrite, the plan alone, evaluated with the same
 * board, runtime and options): the flash available comes from the board
 * and the options alone (tfit_fit_place), and the written .tflite holds
 * the model's bytes unchanged after what it prepends
 * (tfit_tflite_rewrite, tfit_tflite_add_offline_plan), so the model's
 * flash, counted as its file's size (model_exact), only grows. Hence:
 * - no usable flash figure: the flash check is unknown or over the
 *   region's size, never within it;
 * - the model's file and the reserve alone exceed the flash available:
 *   the written model's file, its runtime code and the reserve do too.
 */
static int cannot_fit_after(const struct tfit_fit_result *r)
{
	if (!r->flash.available_bytes)
		return 1;
	return r->flash.model_in_image && r->flash.model_exact &&
	       tfit_sat_add_u64(r->flash.model_bytes, r->flash.reserve_bytes) >
		       r->flash.available_bytes;
}

void tfit_advice_optimize_release_slot(struct tfit_fit_ctx *c, size_t s)
{
	struct tfit_fit_optimized *x = c->optimized[s];
	if (!x)
		return;
	if (x->model)
		tfit_fit_ctx_release(&x->ctx);
	if (x->alt)
		tfit_fit_ctx_release(&x->alt_ctx);
	tfit_model_free(x->model);
	tfit_model_free(x->alt);
	free(x);
	c->optimized[s] = NULL;
}

void tfit_advice_optimize_release(struct tfit_fit_ctx *c)
{
	size_t s;
	for (s = 0; s < sizeof(c->optimized) / sizeof(c->optimized[0]); s++)
		tfit_advice_optimize_release_slot(c, s);
}

enum tfit_status tfit_advice_optimize(struct tfit_fit_ctx *c, const struct tfit_fit_result *r,
				      const struct tfit_fit_opts *o, int fits_only,
				      struct tfit_fit_advice *out, struct tfit_error *err)
{
	const struct tfit_model *m = c->model;
	const struct tfit_runtime *rt;
	const struct tfit_arena_plan *plan;
	struct tfit_fit_optimized *x;
	struct tfit_fit_ctx *oc;
	struct tfit_fit_result orr;
	struct tfit_fit_option opt;
	struct tfit_error e;
	char a[32], how[192];
	uint64_t dropped = 0;
	int oom = 0;

	if (r->method != TFIT_METHOD_PLANNED || !out->sram_over_bytes ||
	    m->format != TFIT_MODEL_FORMAT_TFLITE || m->has_offline_plan || m->dtype_converted ||
	    out->n_options >= TFIT_FIT_OPTIONS_MAX || cannot_fit_after(r))
		return TFIT_OK;
	tfit_error_clear(&e);
	if (tfit_fit_ctx_plan(c, r->runtime, &rt, &plan, &e) != TFIT_OK ||
	    rt->arena_kind != TFIT_ARENA_TFLM)
		return TFIT_OK;
	memset(&opt, 0, sizeof(opt));
	x = entry(c, rt, plan, &oom);
	oc = x ? pick(c, x, r, rt, plan, &opt, &dropped, &oom) : NULL;
	if (oom)
		return tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
	if (!oc)
		return TFIT_OK;
	if (tfit_fit_evaluate(oc, r->device, r->runtime, o, &orr, &e) == TFIT_OK &&
	    orr.sram.arena_bytes < r->sram.arena_bytes && (orr.fits || !fits_only)) {
		opt.kind = TFIT_OPTION_OPTIMIZE;
		tfit_advice_numbers(&opt, &orr);
		opt.arena_bytes = orr.sram.arena_bytes;
		if (opt.patched)
			snprintf(how, sizeof(how), "patch-based execution, %s, and an optimal "
				 "memory plan", opt.patches);
		else if (dropped)
			snprintf(how, sizeof(how), "the memory plan alone: the patch-based "
				 "rewrite, kTensorArenaSize %llu, does not fit the board",
				 (unsigned long long)dropped);
		else
			snprintf(how, sizeof(how), "the memory plan alone: an optimal plan "
				 "written into the .tflite");
		snprintf(opt.text, sizeof(opt.text),
			 "%s `tinyfit optimize`: arena %s (-%.0f%%), +%.1f%% MACs (%s)",
			 tfit_advice_outcome(&orr, 1),
			 tfit_units_format_bytes(orr.sram.arena_bytes, a, sizeof(a)),
			 100.0 * (double)(r->sram.arena_bytes - orr.sram.arena_bytes) /
				 (double)r->sram.arena_bytes,
			 100.0 * opt.mac_overhead, how);
		out->options[out->n_options++] = opt;
	}
	return TFIT_OK;
}
