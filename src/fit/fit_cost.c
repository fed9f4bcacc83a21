/*
 * fit_cost.c - the latency and energy estimate of a fit result: the cost
 * model (src/cost) run on the result's device with the external-memory
 * costs of the placement the verdict checked, so the latency always follows
 * the placement (docs/budgets.md "Where things go").
 */
#include "tinyfit/fit.h"

#include <stdio.h>
#include <string.h>

#include "tinyfit/cost.h"

enum tfit_status tfit_fit_cost(const struct tfit_cost_db *db, const struct tfit_model *m,
			       const struct tfit_fit_result *r, struct tfit_cost_result *cr,
			       struct tfit_error *err)
{
	struct tfit_cost_target tg;
	enum tfit_status rc;
	char wwhere[96], awhere[96];
	memset(cr, 0, sizeof(*cr));
	rc = tfit_cost_target_from_device(r->device, m->weights_bytes, &tg, err);
	if (rc != TFIT_OK)
		return rc;
	if (r->method == TFIT_METHOD_PLANNED) {
		/* the placement decides, consistently with the verdict */
		tg.weights_external = tfit_fit_weights_external(r);
		/* placed by --weights-in, or the app image's region (ext-flash
		 * whenever tfit_fit_weights_external says external) */
		tg.weights_ext_flash = tg.weights_external &&
			(!r->weights.placed || r->weights.region_kind == TFIT_MEM_EXT_FLASH);
		tg.activations_external = tfit_fit_arena_external(r);
		/* name the placement the verdict used, not a generic "external flash" */
		tg.weights_where = tfit_fit_weights_where(r, wwhere, sizeof(wwhere));
		if (tg.activations_external) {
			snprintf(awhere, sizeof(awhere), "region '%s' (%s)", r->sram.region_name,
				 tfit_mem_kind_name(r->sram.region_kind));
			tg.activations_where = awhere;
		}
	}
	return tfit_cost_estimate_target(db, m, &tg, r->runtime, cr, err);
}
