/*
 * advice.c - when a model does not fit: how much must go, and ranked
 * options with their resulting numbers (quantize, shrink the layer that
 * sets the arena peak, the cheapest board that fits, the board's own
 * external memory: the arena in PSRAM/SDRAM, the weights in external flash).
 */
#include "fit/fit_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tinyfit/cost.h"

#include "tinyfit/model_io.h"
#include "tinyfit/checked.h"
#include "tinyfit/plan.h"
#include "tinyfit/units.h"

const char *tfit_option_kind_name(enum tfit_option_kind k)
{
	switch (k) {
	case TFIT_OPTION_QUANTIZE: return "quantize";
	case TFIT_OPTION_SHRINK_LAYER: return "shrink_layer";
	case TFIT_OPTION_OTHER_BOARD: return "other_board";
	case TFIT_OPTION_OPTIMIZE: return "optimize";
	case TFIT_OPTION_EXTERNAL_MEMORY: return "external_memory";
	}
	return "unknown";
}

void tfit_advice_numbers(struct tfit_fit_option *op, const struct tfit_fit_result *r)
{
	/* the runtime's code and RAM outside its data (fit.h): the used
	 * totals are unknown, and so is whether the option fits */
	op->has_numbers = !r->runtime_outside;
	if (r->runtime_outside)
		return;
	op->fits = r->fits;
	op->flash_used_bytes = r->flash.used_bytes;
	op->flash_available_bytes = r->flash.available_bytes;
	op->sram_used_bytes = r->sram.used_bytes;
	op->sram_available_bytes = r->sram.available_bytes;
}

/* How an option's re-evaluation r came out, for its text: "fits", "still
 * does not fit" or "verdict unknown", with " after" appended when after. */
const char *tfit_advice_outcome(const struct tfit_fit_result *r, int after)
{
	static const char *const words[3][2] = {
		{ "fits", "fits after" },
		{ "still does not fit", "still does not fit after" },
		{ "verdict unknown", "verdict unknown after" },
	};
	int k = r->fits ? 0 : r->verdict == TFIT_VERDICT_UNKNOWN ? 2 : 1;
	return words[k][after ? 1 : 0];
}

/*
 * Re-evaluate the model converted to a smaller dtype on the same device.
 * The model is converted in place and restored exactly before returning
 * (tfit_model_dtype_save/restore, model_io.h): a deep copy doubled the
 * peak memory of `check` on a large model that does not fit (docs/limits.md,
 * "The hostile cases of issue #17"). The caller's context's plans of the
 * unconverted model are released while qc plans the converted one, and qc
 * is released before the restore, so nothing outlives the conversion; the
 * context's plans stay released (tfit_fit_advise plans them again at its
 * end, or a board that needs one on the way: at most one plan alive).
 */
static enum tfit_status quantize_option(struct tfit_fit_ctx *c, const struct tfit_fit_result *r,
					const struct tfit_fit_opts *o, struct tfit_fit_advice *out,
					struct tfit_error *err)
{
	enum tfit_dtype from = c->model->dtype, to;
	/* the context's model is the caller's, not const storage: it is
	 * changed only between the save and the restore below */
	struct tfit_model *m = (struct tfit_model *)c->model;
	struct tfit_dtype_saved *saved;
	struct tfit_fit_ctx qc;
	struct tfit_fit_result qr;
	struct tfit_fit_option *op;
	struct tfit_error qerr;
	char a[32], b[32];

	if (from == TFIT_DTYPE_FLOAT32 || from == TFIT_DTYPE_FLOAT16)
		to = TFIT_DTYPE_INT8;
	else if (from == TFIT_DTYPE_INT8)
		to = TFIT_DTYPE_INT4;
	else
		return TFIT_OK;
	/* The model's own plans are not needed while the converted model is
	 * planned: released, and planned again once the board advice no
	 * longer plans other runtimes (tfit_fit_advise; their size less at the
	 * advice's peak, 3 MiB on a 50,000-layer model; issue #17). */
	tfit_fit_ctx_drop_plans(c, NULL, 0);
	saved = tfit_model_dtype_save(m);
	if (!saved)
		return tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
	tfit_error_clear(&qerr);
	if (tfit_model_convert_dtype(m, to, &qerr) != TFIT_OK) {
		tfit_model_dtype_restore(m, saved);
		return TFIT_OK; /* cannot convert: no option */
	}
	tfit_fit_ctx_init(&qc, m, c->data_dir);
	qc.runtime_set = c->runtime_set;
	if (tfit_fit_evaluate(&qc, r->device, r->runtime, o, &qr, &qerr) == TFIT_OK) {
		op = &out->options[out->n_options++];
		memset(op, 0, sizeof(*op));
		op->kind = TFIT_OPTION_QUANTIZE;
		op->dtype = to;
		tfit_advice_numbers(op, &qr);
		/* outside the runtime's data its code and RAM are unknown: the
		 * known part is a lower bound (fit.c, outside_verdict) */
		snprintf(op->text, sizeof(op->text),
			 "quantize %s -> %s%s: flash %s%s, SRAM %s%s (%s)", tfit_dtype_name(from),
			 tfit_dtype_name(to), to == TFIT_DTYPE_INT4 ? " weights" : "",
			 qr.runtime_outside ? "at least " : "",
			 tfit_units_format_bytes(qr.runtime_outside
						 ? qr.flash.used_bytes - qr.flash.runtime_bytes
						 : qr.flash.used_bytes, a, sizeof(a)),
			 qr.runtime_outside ? "at least " : "",
			 tfit_units_format_bytes(qr.runtime_outside
						 ? qr.sram.used_bytes - qr.sram.runtime_bytes
						 : qr.sram.used_bytes, b, sizeof(b)),
			 tfit_advice_outcome(&qr, 0));
	}
	tfit_fit_ctx_release(&qc);
	tfit_model_dtype_restore(m, saved);
	return TFIT_OK;
}

/* The estimated latency of r (NaN without a cost model or an estimate). */
static double latency_of(struct tfit_fit_ctx *c, const struct tfit_fit_result *r)
{
	struct tfit_cost_result cr;
	struct tfit_error e;
	double ms = NAN;
	if (!c->cost_db)
		return NAN;
	tfit_error_clear(&e);
	if (tfit_fit_cost(c->cost_db, c->model, r, &cr, &e) == TFIT_OK && cr.latency_ms > 0)
		ms = cr.latency_ms;
	tfit_cost_result_release(&cr);
	return ms;
}

/*
 * The board's own external memory (docs/budgets.md "Where things go"): a
 * model whose arena does not fit on chip may fit with the arena in a PSRAM
 * or SDRAM region, one whose image does not fit the app flash may fit with
 * the weights in external flash. Each is the real placement re-evaluated
 * (tfit_fit_evaluate with --arena-in / --weights-in), offered only when it
 * fits, with the latency of both placements from the cost model, whose
 * external-memory factor (data/cost/memory.json) is an estimate.
 */
static enum tfit_status external_option(struct tfit_fit_ctx *c, const struct tfit_fit_result *r,
					const struct tfit_fit_opts *o, struct tfit_fit_advice *out)
{
	const struct tfit_device *d = r->device;
	const struct tfit_mem_region *app = tfit_device_app_flash_region(d);
	size_t i, pass;
	if (r->method != TFIT_METHOD_PLANNED || r->placement_missing || !o)
		return TFIT_OK;
	/* pass 0: the arena (SRAM over, nothing placed yet); pass 1: the weights */
	for (pass = 0; pass < 2; pass++) {
		const char *option = pass == 0 ? "--arena-in" : "--weights-in";
		if (pass == 0 && (o->arena_in || !out->sram_over_bytes))
			continue;
		if (pass == 1 && (o->weights_in || !out->flash_over_bytes || !app ||
				  app->kind != TFIT_MEM_FLASH))
			continue;
		for (i = 0; i < d->n_regions && out->n_options < TFIT_FIT_OPTIONS_MAX; i++) {
			const struct tfit_mem_region *g = &d->regions[i];
			struct tfit_fit_opts o2 = *o;
			struct tfit_fit_result er;
			struct tfit_fit_option *op;
			struct tfit_error e;
			char a[32], b[32], s[32], l1[32], l2[32], lat[200];
			if (pass == 0 ? (g->kind != TFIT_MEM_PSRAM && g->kind != TFIT_MEM_SDRAM)
				      : g->kind != TFIT_MEM_EXT_FLASH)
				continue;
			if (pass == 0)
				o2.arena_in = g->name;
			else
				o2.weights_in = g->name;
			tfit_error_clear(&e);
			if (tfit_fit_evaluate(c, d, r->runtime, &o2, &er, &e) != TFIT_OK || !er.fits)
				continue;
			op = &out->options[out->n_options++];
			memset(op, 0, sizeof(*op));
			op->kind = TFIT_OPTION_EXTERNAL_MEMORY;
			tfit_advice_numbers(op, &er);
			snprintf(op->option, sizeof(op->option), "%s", option);
			snprintf(op->region, sizeof(op->region), "%s", g->name);
			op->region_kind = g->kind;
			op->region_size_bytes = g->bytes;
			op->region_usable_bytes = g->usable_bytes;
			op->placed_bytes = pass == 0 ? er.sram.arena_bytes : er.weights.used_bytes;
			op->latency_ms = latency_of(c, &er);
			op->latency_internal_ms = latency_of(c, r);
			if (!isnan(op->latency_ms) && !isnan(op->latency_internal_ms))
				snprintf(lat, sizeof(lat), "latency %s (vs %s %s; the external-memory "
					 "cost is an estimate: cycles x %s, data/cost/memory.json)",
					 tfit_units_format_ms(op->latency_ms, l1, sizeof(l1)),
					 tfit_units_format_ms(op->latency_internal_ms, l2, sizeof(l2)),
					 pass == 0 ? "internal" : "from the app flash",
					 tfit_units_format_sig(pass == 0
						? c->cost_db->memory.activations_external_factor
						: c->cost_db->memory.weights_external_factor, 3, s, sizeof(s)));
			else
				snprintf(lat, sizeof(lat), "latency not estimated");
			snprintf(op->text, sizeof(op->text), "fits with `%s %s`: %s %s in %s %s "
				 "(region '%s', usable %s), %s", option, g->name,
				 pass == 0 ? "arena" : "weights",
				 tfit_units_format_bytes(op->placed_bytes, a, sizeof(a)),
				 tfit_units_format_bytes(g->bytes, b, sizeof(b)),
				 tfit_mem_kind_name(g->kind), g->name,
				 tfit_units_format_bytes(g->usable_bytes, s, sizeof(s)), lat);
			break; /* one per pass: the first region that holds it */
		}
	}
	return TFIT_OK;
}

static void shrink_option(const struct tfit_fit_result *r, struct tfit_fit_advice *out)
{
	const struct tfit_fit_tensor *t = NULL;
	struct tfit_fit_option *op;
	uint32_t i;
	char a[32], b[32];
	if (r->method != TFIT_METHOD_PLANNED || !out->sram_over_bytes)
		return;
	for (i = 0; i < r->n_peak; i++) {
		if (r->peak[i].producer >= 0) { /* largest first: the first produced one */
			t = &r->peak[i];
			break;
		}
	}
	if (!t)
		return;
	op = &out->options[out->n_options++];
	memset(op, 0, sizeof(*op));
	op->kind = TFIT_OPTION_SHRINK_LAYER;
	snprintf(op->layer, sizeof(op->layer), "%s", t->name);
	op->layer_output_bytes = t->bytes;
	snprintf(op->text, sizeof(op->text),
		 "shrink '%s': its %s output is the largest buffer live at the arena peak "
		 "(arena head %s); fewer filters or an earlier stride reduce it",
		 t->name, tfit_units_format_bytes(t->bytes, a, sizeof(a)),
		 tfit_units_format_bytes(r->sram.arena_head_bytes, b, sizeof(b)));
}

/* The runtime a board is evaluated with, without its version (the plans
 * are per runtime, as tfit_fit_evaluate keeps them): its length in *len. */
static const char *plan_key(const struct tfit_device *d, const char *runtime_override,
			    size_t *len)
{
	const char *id = runtime_override ? runtime_override : d->runtime;
	*len = strcspn(id, "@");
	return id;
}

/* held: 2 for the runtime of the board advised, 1 for another the context
 * already plans (another --device's), 0 for one only this advice needs. */
struct board_ref {
	const char *key;
	size_t key_len, index;
	int held;
};

/* The boards by held (the runtimes the context keeps last), then runtime,
 * then their index in the database. */
static int cmp_board_ref(const void *a, const void *b)
{
	const struct board_ref *x = a, *y = b;
	size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
	int k;
	if (x->held != y->held)
		return x->held < y->held ? -1 : 1;
	if ((k = memcmp(x->key, y->key, n)) != 0)
		return k;
	if (x->key_len != y->key_len)
		return x->key_len < y->key_len ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index);
}

/* Whether c plans runtime key[len] in one of its first n slots. */
static int held_in(const struct tfit_fit_ctx *c, uint32_t n, const char *key, size_t len)
{
	uint32_t i;
	for (i = 0; i < n; i++)
		if (c->runtimes[i] && strlen(c->runtimes[i]->id) == len &&
		    memcmp(c->runtimes[i]->id, key, len) == 0)
			return 1;
	return 0;
}

static enum tfit_status board_option(struct tfit_fit_ctx *c, const struct tfit_fit_result *r,
				     const struct tfit_device_db *db, const char *runtime_override,
				     const struct tfit_fit_opts *o, struct tfit_fit_advice *out,
				     struct tfit_error *err)
{
	const struct tfit_device *best = NULL;
	struct tfit_fit_result best_r, cand;
	struct board_ref *refs;
	uint64_t model_bytes = 0, overhead;
	size_t i, best_i = 0, own_len;
	int exact, dropped = 0;
	char a[32], b[32];
	uint32_t n_plans = c->n;
	const char *own = plan_key(r->device, runtime_override, &own_len);
	if (!db)
		return TFIT_OK;
	memset(&best_r, 0, sizeof(best_r));
	if (!o || o->method == TFIT_METHOD_PLANNED) /* o NULL: the defaults */
		/* the smallest a runtime stores it in: a lower bound for any */
		model_bytes = tfit_fit_model_flash_bytes(c->model, TFIT_MODEL_STORED_WEIGHTS,
							 &exact, &overhead);
	/* The boards by the runtime they plan with, each runtime's together:
	 * before the next runtime's boards every plan is released, the
	 * context's own included (each a full plan of the model, 2.2 MB on
	 * the 20,000-way fan-in), so one plan is alive at a time (issue #17).
	 * The runtimes the context keeps come last, the board's own at the
	 * very end: its plan, made again for its boards, is the one left, and
	 * no plan is made more often than when the board's own was kept
	 * throughout. The choice does not depend on the order: ties go to the
	 * board listed first, as they did when the boards were taken in the
	 * database's order. */
	refs = malloc((db->n_devices ? db->n_devices : 1) * sizeof(*refs));
	if (!refs)
		return tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
	for (i = 0; i < db->n_devices; i++) {
		refs[i].key = plan_key(&db->devices[i], runtime_override, &refs[i].key_len);
		refs[i].index = i;
		refs[i].held = refs[i].key_len == own_len && memcmp(refs[i].key, own, own_len) == 0
				       ? 2 : held_in(c, n_plans, refs[i].key, refs[i].key_len);
	}
	qsort(refs, db->n_devices, sizeof(*refs), cmp_board_ref);
	for (i = 0; i < db->n_devices; i++) {
		const struct tfit_device *d = &db->devices[refs[i].index];
		struct tfit_error e;
		uint64_t flash = tfit_device_model_flash_bytes(d);
		int better;
		if (i == 0 || refs[i].held != refs[i - 1].held ||
		    refs[i].key_len != refs[i - 1].key_len ||
		    memcmp(refs[i].key, refs[i - 1].key, refs[i].key_len) != 0) {
			/* a runtime's boards start: the previous runtime's plan goes;
			 * the board's own runtime's boards keep (or plan again)
			 * its plan alone */
			tfit_fit_ctx_forget_from(c, n_plans);
			dropped = refs[i].held == 2;
			if (dropped)
				tfit_fit_ctx_drop_plans(c, own, own_len);
		}
		if (d == r->device)
			continue;
		/* A board whose flash cannot hold the model itself cannot fit with
		 * any runtime: skip it before planning for its runtime (each
		 * runtime is a full plan of the model; bench/README.md) */
		if (flash && model_bytes > flash)
			continue;
		if (!dropped) { /* the context's plans, before this runtime's is made */
			tfit_fit_ctx_drop_plans(c, NULL, 0);
			dropped = 1;
		}
		tfit_error_clear(&e);
		if (tfit_fit_evaluate(c, d, runtime_override, o, &cand, &e) != TFIT_OK || !cand.fits)
			continue;
		/* cheapest with a known price; among unpriced boards, the smallest
		 * SRAM; on a tie, the board listed first */
		if (!best)
			better = 1;
		else if (d->price_usd > 0 && best->price_usd > 0)
			better = d->price_usd < best->price_usd ||
				 (d->price_usd == best->price_usd &&
				  (strcmp(d->id, best->id) < 0 ||
				   (strcmp(d->id, best->id) == 0 && refs[i].index < best_i)));
		else if (d->price_usd > 0 || best->price_usd > 0)
			better = d->price_usd > 0;
		else
			better = cand.sram.available_bytes < best_r.sram.available_bytes ||
				 (cand.sram.available_bytes == best_r.sram.available_bytes &&
				  refs[i].index < best_i);
		if (better) {
			best = d;
			best_i = refs[i].index;
			best_r = cand;
		}
	}
	free(refs);
	/* The last runtime's plan, when only this advice needed it */
	tfit_fit_ctx_forget_from(c, n_plans);
	if (!best)
		return TFIT_OK;
	{
		struct tfit_fit_option *op = &out->options[out->n_options++];
		memset(op, 0, sizeof(*op));
		op->kind = TFIT_OPTION_OTHER_BOARD;
		tfit_advice_numbers(op, &best_r);
		snprintf(op->device_id, sizeof(op->device_id), "%s", best->id);
		op->price_usd = best->price_usd;
		if (best->price_usd > 0)
			snprintf(op->text, sizeof(op->text),
				 "use %s (%s, $%.2f, the cheapest board that fits): flash %.1f%%, SRAM %.1f%% (%s)",
				 best->id, best->name, best->price_usd, best_r.flash_percent,
				 best_r.sram_percent, tfit_units_format_bytes(best_r.sram.used_bytes, a, sizeof(a)));
		else
			snprintf(op->text, sizeof(op->text),
				 "use %s (%s; no price in the database): flash %.1f%%, SRAM %.1f%% of %s",
				 best->id, best->name, best_r.flash_percent, best_r.sram_percent,
				 tfit_units_format_bytes(best_r.sram.available_bytes, b, sizeof(b)));
	}
	return TFIT_OK;
}

/* What must go from flash and from SRAM (the binding limit or the arena's
 * region). A limit the profile does not give (available 0) names nothing:
 * the margin against it is not a shortfall. The arena's region is measured
 * against its usable size, or its physical size when only that is known
 * (verdict.c: over the physical size, no usable figure is needed). */
static void over_bytes(const struct tfit_fit_result *r, struct tfit_fit_advice *out)
{
	uint64_t region = r->sram.region_bytes ? r->sram.region_bytes : r->sram.region_size_bytes;
	if (r->flash_margin_bytes < 0 && r->flash.available_bytes)
		out->flash_over_bytes = (uint64_t)(-(r->flash_margin_bytes + 1)) + 1;
	if (r->sram_margin_bytes < 0 && (r->sram_binding_region || r->sram.available_bytes))
		out->sram_over_bytes = (uint64_t)(-(r->sram_margin_bytes + 1)) + 1;
	if (r->limiting == TFIT_RES_ARENA_REGION && region && r->sram.arena_bytes > region &&
	    r->sram.arena_bytes - region > out->sram_over_bytes)
		out->sram_over_bytes = r->sram.arena_bytes - region;
}

enum tfit_status tfit_fit_advise_external(struct tfit_fit_ctx *c, const struct tfit_fit_result *r,
					  const struct tfit_fit_opts *o, struct tfit_fit_advice *out)
{
	memset(out, 0, sizeof(*out));
	if (r->fits || r->memory_unknown)
		return TFIT_OK;
	over_bytes(r, out);
	return external_option(c, r, o, out);
}

enum tfit_status tfit_fit_advise_optimize(struct tfit_fit_ctx *c, const struct tfit_fit_result *r,
					  const struct tfit_fit_opts *o, struct tfit_fit_advice *out,
					  struct tfit_error *err)
{
	memset(out, 0, sizeof(*out));
	if (r->fits || r->memory_unknown)
		return TFIT_OK;
	over_bytes(r, out);
	return tfit_advice_optimize(c, r, o, 1, out, err);
}

enum tfit_status tfit_fit_advise(struct tfit_fit_ctx *c, const struct tfit_fit_result *r,
				 const struct tfit_device_db *db, const char *runtime_override,
				 const struct tfit_fit_opts *o, struct tfit_fit_advice *out,
				 struct tfit_error *err)
{
	enum tfit_status rc;
	uint32_t i, j;
	memset(out, 0, sizeof(*out));
	if (r->fits || r->memory_unknown)
		return TFIT_OK;
	over_bytes(r, out);
	if ((rc = external_option(c, r, o, out)) != TFIT_OK ||
	    (rc = tfit_advice_optimize(c, r, o, 0, out, err)) != TFIT_OK)
		return rc;
	if ((rc = quantize_option(c, r, o, out, err)) != TFIT_OK)
		return rc;
	shrink_option(r, out);
	if ((rc = board_option(c, r, db, runtime_override, o, out, err)) != TFIT_OK ||
	    /* the context's plans released above, planned again in place */
	    (rc = tfit_fit_ctx_replan(c, err)) != TFIT_OK)
		return rc;
	/* rank: options that make it fit first (stable otherwise) */
	for (i = 1; i < out->n_options; i++) {
		struct tfit_fit_option t = out->options[i];
		for (j = i; j > 0 && t.fits && !out->options[j - 1].fits; j--)
			out->options[j] = out->options[j - 1];
		out->options[j] = t;
	}
	return TFIT_OK;
}
