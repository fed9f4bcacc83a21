/*
 * verdict.c - placement and the verdict of the planned method: which
 * memory region the arena, the weights and the firmware image go to, the
 * checks each placement implies, and one verdict out of fits / does not
 * fit / does not run / unknown. docs/budgets.md describes the rules.
 *
 * Never optimistic: a check whose limit the profile does not give (a
 * region without a usable size, flash without an app slot) is "unknown"
 * unless the physical size already rules the fit out.
 */
#include "tinyfit/fit.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tinyfit/checked.h"
#include "fit_internal.h"

const char *tfit_verdict_name(enum tfit_verdict v)
{
	switch (v) {
	case TFIT_VERDICT_FITS: return "fits";
	case TFIT_VERDICT_DOES_NOT_FIT: return "does not fit";
	case TFIT_VERDICT_DOES_NOT_RUN: return "does not run";
	case TFIT_VERDICT_UNKNOWN: break;
	}
	return "unknown";
}

const char *tfit_verdict_id(enum tfit_verdict v)
{
	switch (v) {
	case TFIT_VERDICT_FITS: return "fits";
	case TFIT_VERDICT_DOES_NOT_FIT: return "does_not_fit";
	case TFIT_VERDICT_DOES_NOT_RUN: return "does_not_run";
	case TFIT_VERDICT_UNKNOWN: break;
	}
	return "unknown";
}

int tfit_verdict_exit_code(enum tfit_verdict v)
{
	switch (v) {
	case TFIT_VERDICT_FITS: return 0;
	case TFIT_VERDICT_DOES_NOT_FIT:
	case TFIT_VERDICT_DOES_NOT_RUN: return 1;
	case TFIT_VERDICT_UNKNOWN: break;
	}
	return 3;
}

const char *tfit_slot_from_id(enum tfit_slot_from f)
{
	static const char *const ids[] = { "unknown", "profile", "partition", "ota_profile",
					   "ota_half", "total" };
	return (unsigned)f < sizeof(ids) / sizeof(ids[0]) ? ids[f] : "unknown";
}

static int verdict_rank(enum tfit_verdict v)
{
	switch (v) {
	case TFIT_VERDICT_FITS: return 0;
	case TFIT_VERDICT_UNKNOWN: return 1;
	case TFIT_VERDICT_DOES_NOT_FIT: return 2;
	case TFIT_VERDICT_DOES_NOT_RUN: break;
	}
	return 3;
}

enum tfit_verdict tfit_verdict_worse(enum tfit_verdict a, enum tfit_verdict b)
{
	return verdict_rank(b) > verdict_rank(a) ? b : a;
}

/* An op the runtime cannot execute, as a reason; 0 when every op runs. */
int tfit_fit_not_runnable(const struct tfit_model *m, const struct tfit_device *d,
			  const struct tfit_runtime *rt, char *why, size_t size)
{
	uint32_t s, i;
	if (m->hybrid) {
		snprintf(why, size, "hybrid model (float activations with integer weights at "
			 "subgraph %d op %d): TFLite Micro rejects it", (int)m->hybrid_subgraph,
			 (int)m->hybrid_op);
		return 1;
	}
	for (s = 0; s < m->n_subgraphs; s++) {
		for (i = 0; i < m->subgraphs[s].n_ops; i++) {
			const struct tfit_op *op = &m->subgraphs[s].ops[i];
			const struct tfit_kernel_rule *rule = NULL;
			struct tfit_error e;
			if (op->type != TFIT_OP_CUSTOM && op->type != TFIT_OP_UNKNOWN)
				continue;
			if (tfit_op_custom_name(op) && strcmp(tfit_op_custom_name(op), "ethos-u") == 0) {
				/* Vela output: the whole graph runs on an Arm Ethos-U NPU. */
				if (d->accel.present && d->accel.name &&
				    strstr(d->accel.name, "Ethos-U"))
					continue;
				snprintf(why, size, "op %u is the Ethos-U custom op 'ethos-u' (a Vela-"
					 "compiled model) and %s has no Arm Ethos-U NPU", i, d->id);
				return 1;
			}
			tfit_error_clear(&e);
			if (rt && tfit_runtime_find_rule(rt, m, s, i, &rule, &e) == TFIT_OK && rule)
				continue;
			snprintf(why, size, "op %u is the custom op '%s', which runtime %s has no "
				 "kernel for", i, tfit_op_custom_name(op) ? tfit_op_custom_name(op) : "?",
				 rt ? rt->id : "?");
			return 1;
		}
	}
	return 0;
}

static void copy_name(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

/* An internal data region whose usable size is unknown but whose size
 * could hold need: the arena might fit there. */
static const struct tfit_mem_region *maybe_region(const struct tfit_device *d, uint64_t need)
{
	size_t i;
	for (i = 0; i < d->n_regions; i++) {
		const struct tfit_mem_region *g = &d->regions[i];
		if ((g->kind == TFIT_MEM_SRAM || g->kind == TFIT_MEM_DTCM) && !g->usable_bytes &&
		    g->bytes >= need)
			return g;
	}
	return NULL;
}

/*
 * A region by name, else by kind ("psram" finds the board's PSRAM region
 * whatever it is called). A kind the board does not have is no error: the
 * result does not fit, with the reason (a comparison runs on every board).
 * Any other unknown name is a usage error listing the board's regions.
 */
static enum tfit_status find_region(const struct tfit_device *d, const char *name,
				    const char *option, int lenient, const struct tfit_mem_region **out,
				    struct tfit_fit_result *r, struct tfit_error *err)
{
	char names[512];
	enum tfit_mem_kind k;
	size_t i;
	*out = tfit_device_region_find(d, name);
	if (*out)
		return TFIT_OK;
	if (tfit_mem_kind_parse(name, &k) == 0) {
		for (i = 0; i < d->n_regions; i++)
			if (d->regions[i].kind == k) {
				*out = &d->regions[i];
				return TFIT_OK;
			}
		if (!r->placement_missing) {
			snprintf(r->reason, sizeof(r->reason), "%s %s: the profile of %s lists no %s "
				 "memory (the board has none, or its profile does not give it)",
				 option, name, d->id, name);
			copy_name(r->missing_region, sizeof(r->missing_region), name);
		}
		r->placement_missing = 1;
		return TFIT_OK;
	}
	tfit_device_region_names(d, names, sizeof(names));
	if (lenient) {
		if (!r->placement_missing) {
			snprintf(r->reason, sizeof(r->reason), "%s %.40s: %.40s has no memory region '%.40s' (its regions: %.80s)",
				 option, name, d->id, name, names[0] ? names : "none");
			copy_name(r->missing_region, sizeof(r->missing_region), name);
		}
		r->placement_missing = 1;
		return TFIT_OK;
	}
	return tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL,
			      "%s: %s has no memory region '%s' (its regions: %s)", option, d->id,
			      name, names[0] ? names : "none");
}

enum tfit_status tfit_fit_place(const struct tfit_device *d, const struct tfit_fit_opts *o,
				struct tfit_fit_result *r, struct tfit_error *err)
{
	const struct tfit_mem_region *ar = NULL, *wr = NULL, *app = tfit_device_app_flash_region(d);
	enum tfit_status rc;

	if (o->arena_in) {
		if ((rc = find_region(d, o->arena_in, "--arena-in", o->missing_region_is_verdict, &ar, r, err)) != TFIT_OK)
			return rc;
		if (ar && !tfit_mem_kind_is_ram(ar->kind))
			return tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL,
					      "--arena-in: region '%s' of %s is %s, not RAM (the "
					      "arena is written at run time)", ar->name, d->id,
					      tfit_mem_kind_name(ar->kind));
		r->sram.arena_placed = ar != NULL;
	}
	if (!ar) {
		/* no --arena-in, or it named a memory the profile lacks: the
		 * default region, so the verdict can still say whether the
		 * board holds the model where it would go by default */
		ar = tfit_device_arena_region(d);
		/* the largest known region is too small, but one of unknown
		 * usable size might hold it: the honest answer is "unknown" */
		if (ar && ar->usable_bytes && ar->usable_bytes < r->sram.arena_bytes) {
			const struct tfit_mem_region *m2 = maybe_region(d, r->sram.arena_bytes);
			if (m2)
				ar = m2;
		}
	}
	if (o->weights_in) {
		if ((rc = find_region(d, o->weights_in, "--weights-in", o->missing_region_is_verdict, &wr, r, err)) != TFIT_OK)
			return rc;
	}
	if (ar) {
		copy_name(r->sram.region_name, sizeof(r->sram.region_name), ar->name);
		r->sram.region_kind = ar->kind;
		r->sram.region_bytes = ar->usable_bytes;
		r->sram.region_size_bytes = ar->bytes;
		r->sram.region_external = tfit_mem_kind_is_external(ar->kind);
	}
	if (app) {
		copy_name(r->flash.region_name, sizeof(r->flash.region_name), app->name);
		r->flash.region_bytes = app->bytes;
		r->flash.available_bytes = app->usable_bytes;
		r->flash.slot_from = app->usable_bytes ? TFIT_SLOT_PROFILE : TFIT_SLOT_UNKNOWN;
		if (o->ota) {
			if (app->ota_slot_bytes) {
				r->flash.available_bytes = app->ota_slot_bytes;
				r->flash.slot_from = TFIT_SLOT_OTA_PROFILE;
			} else if (app->usable_bytes) {
				r->flash.available_bytes = app->usable_bytes / 2;
				r->flash.slot_from = TFIT_SLOT_OTA_HALF;
			}
		}
	}
	if (o->partition_bytes) {
		r->flash.available_bytes = o->partition_bytes;
		r->flash.slot_from = TFIT_SLOT_PARTITION;
		if (!app)
			copy_name(r->flash.region_name, sizeof(r->flash.region_name), "(--partition)");
	}
	r->flash.model_in_image = 1;
	if (wr && wr != app) {
		r->weights.placed = 1;
		r->flash.model_in_image = tfit_mem_kind_is_ram(wr->kind); /* copied from the image */
		copy_name(r->weights.region_name, sizeof(r->weights.region_name), wr->name);
		r->weights.region_kind = wr->kind;
		r->weights.available_bytes = wr->usable_bytes;
		r->weights.region_bytes = wr->bytes;
		r->weights.same_as_arena = wr == ar;
	}
	return TFIT_OK;
}

struct check {
	enum tfit_resource res;
	uint64_t used, avail, bound;
	const char *what;
};

static double ratio_of(const struct check *c)
{
	return c->avail ? (double)c->used / (double)c->avail : NAN;
}

static double pct(uint64_t used, uint64_t avail)
{
	return avail ? (double)used * 100.0 / (double)avail : NAN;
}

void tfit_fit_verdict(struct tfit_fit_result *r, const char *not_run_reason)
{
	struct check c[4];
	int n = 0, i, fails = 0, unknown = -1;
	double worst = -1.0;

	c[n].res = TFIT_RES_FLASH;
	c[n].used = r->flash.used_bytes;
	c[n].avail = r->flash.available_bytes;
	c[n].bound = r->flash.region_bytes;
	c[n++].what = "the app slot (usable flash)";
	c[n].res = TFIT_RES_SRAM;
	c[n].used = r->sram.used_bytes;
	c[n].avail = r->sram.available_bytes;
	c[n].bound = r->sram.available_bytes;
	c[n++].what = "the RAM total";
	if (r->method == TFIT_METHOD_PLANNED) {
		c[n].res = TFIT_RES_ARENA_REGION;
		c[n].used = r->sram.region_used_bytes;
		c[n].avail = r->sram.region_bytes;
		c[n].bound = r->sram.region_size_bytes;
		c[n++].what = "the usable size of the arena's region";
		if (r->weights.placed && !r->weights.same_as_arena) {
			c[n].res = TFIT_RES_WEIGHTS_REGION;
			c[n].used = r->weights.used_bytes;
			c[n].avail = r->weights.available_bytes;
			c[n].bound = r->weights.region_bytes;
			c[n++].what = "the usable size of the weights' region";
		}
	}
	r->limiting = TFIT_RES_NONE;
	for (i = 0; i < n; i++) {
		double q;
		if (!c[i].avail) {
			if (c[i].bound && c[i].used > c[i].bound) {
				/* over the physical size: no usable figure needed */
				if (!fails || worst < (double)c[i].used / (double)c[i].bound) {
					worst = (double)c[i].used / (double)c[i].bound;
					r->limiting = c[i].res;
				}
				fails = 1;
			} else if (unknown < 0) {
				unknown = i;
			}
			continue;
		}
		q = ratio_of(&c[i]);
		if (c[i].used > c[i].avail) {
			if (!fails || q > worst) {
				worst = q;
				r->limiting = c[i].res;
			}
			fails = 1;
		} else if (!fails && q > worst) {
			worst = q;
			r->limiting = c[i].res;
		}
	}
	if (!r->placement_missing)
		r->reason[0] = '\0';
	if (not_run_reason && not_run_reason[0]) {
		r->verdict = TFIT_VERDICT_DOES_NOT_RUN;
		snprintf(r->reason, sizeof(r->reason), "%s", not_run_reason);
	} else if (r->placement_missing) {
		/* a profile leaves out a memory the board lacks and one nobody
		 * sourced alike (docs/device-format.md): the placement asked for
		 * cannot be checked. Where the model does not fit the default
		 * placement either, the board cannot hold it as far as its
		 * profile knows: does not fit; otherwise unknown */
		size_t len = strlen(r->reason);
		r->verdict = fails ? TFIT_VERDICT_DOES_NOT_FIT : TFIT_VERDICT_UNKNOWN;
		if (len < sizeof(r->reason))
			snprintf(r->reason + len, sizeof(r->reason) - len, "; %s",
				 fails ? "it does not fit the default placement either"
				 : unknown >= 0 ? "with the default placement the verdict is unknown too"
				 : "checked with the default placement instead, where it fits");
		r->limiting = TFIT_RES_MISSING_REGION;
	} else if (fails) {
		r->verdict = TFIT_VERDICT_DOES_NOT_FIT;
	} else if (unknown >= 0) {
		r->verdict = TFIT_VERDICT_UNKNOWN;
		r->limiting = TFIT_RES_UNKNOWN;
		if (c[unknown].res == TFIT_RES_ARENA_REGION && !r->sram.region_name[0])
			snprintf(r->reason, sizeof(r->reason), "%s lists no RAM region for the "
				 "arena", r->device->id);
		else if (c[unknown].res == TFIT_RES_ARENA_REGION || c[unknown].res == TFIT_RES_WEIGHTS_REGION) {
			const char *name = c[unknown].res == TFIT_RES_ARENA_REGION ? r->sram.region_name
										    : r->weights.region_name;
			const struct tfit_mem_region *g = tfit_device_region_find(r->device, name);
			if (g && g->usable_unknown) /* the profile says why */
				snprintf(r->reason, sizeof(r->reason), "no usable size for region '%s' "
					 "of %s: %s", name, r->device->id, g->usable_unknown);
			else
				snprintf(r->reason, sizeof(r->reason), "the profile of %s gives no "
					 "sourced usable size for region '%s' (what the application has "
					 "there after the platform)", r->device->id, name);
		}
		else if (c[unknown].res == TFIT_RES_FLASH)
			snprintf(r->reason, sizeof(r->reason), "the profile of %s gives no usable "
				 "flash (app slot) size%s%s; --partition SIZE supplies one",
				 r->device->id, r->flash.region_name[0] ? " for region " : "",
				 r->flash.region_name);
		else
			snprintf(r->reason, sizeof(r->reason), "the profile of %s gives no %s figure",
				 r->device->id, "RAM");
	} else {
		r->verdict = TFIT_VERDICT_FITS;
	}
	r->fits = r->verdict == TFIT_VERDICT_FITS;

	/* one binding SRAM figure: the total's or the region's, whichever is
	 * fuller; both stay in the result */
	r->flash_percent = pct(r->flash.used_bytes, r->flash.available_bytes);
	r->sram_total_percent = pct(r->sram.used_bytes, r->sram.available_bytes);
	r->region_percent = r->method == TFIT_METHOD_PLANNED
				    ? pct(r->sram.region_used_bytes, r->sram.region_bytes) : NAN;
	r->sram_percent = r->sram_total_percent;
	r->sram_binding_region = 0;
	if (!isnan(r->region_percent) &&
	    (isnan(r->sram_total_percent) || r->region_percent > r->sram_total_percent)) {
		r->sram_percent = r->region_percent;
		r->sram_binding_region = 1;
	}
	r->flash_margin_bytes = tfit_fit_margin(r->flash.used_bytes, r->flash.available_bytes);
	r->sram_margin_bytes = r->sram_binding_region
		? tfit_fit_margin(r->sram.region_used_bytes, r->sram.region_bytes)
		: tfit_fit_margin(r->sram.used_bytes, r->sram.available_bytes);
}

int tfit_fit_weights_external(const struct tfit_fit_result *r)
{
	const struct tfit_mem_region *app;
	if (r->method != TFIT_METHOD_PLANNED)
		return 0;
	/* a Linux board loads the model from storage into DRAM: no XIP */
	if (r->device->device_class == TFIT_DEVICE_CLASS_LINUX && !r->weights.placed)
		return 0;
	if (r->weights.placed)
		return tfit_mem_kind_is_external(r->weights.region_kind);
	app = tfit_device_app_flash_region(r->device);
	return app && app->kind == TFIT_MEM_EXT_FLASH;
}

const char *tfit_fit_weights_where(const struct tfit_fit_result *r, char *buf, size_t size)
{
	const struct tfit_mem_region *app;
	if (!tfit_fit_weights_external(r))
		return NULL;
	if (r->weights.placed) {
		snprintf(buf, size, "region '%s' (%s)", r->weights.region_name,
			 tfit_mem_kind_name(r->weights.region_kind));
		return buf;
	}
	app = tfit_device_app_flash_region(r->device);
	if (!app || !app->name)
		return NULL;
	snprintf(buf, size, "region '%s' (%s)", app->name, tfit_mem_kind_name(app->kind));
	return buf;
}

int tfit_fit_arena_external(const struct tfit_fit_result *r)
{
	return r->method == TFIT_METHOD_PLANNED && r->sram.region_name[0] && r->sram.region_external;
}
