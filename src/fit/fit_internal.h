/* fit_internal.h - helpers shared by the src/fit/ files only. */
#ifndef TINYFIT_FIT_INTERNAL_H
#define TINYFIT_FIT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "tinyfit/fit.h"


/*
 * The first op the runtime cannot execute on d, as a reason in why (a
 * hybrid model, the Ethos-U op without an Ethos-U, a custom op without a
 * kernel rule in rt); returns 0 when every op runs.
 */
int tfit_fit_not_runnable(const struct tfit_model *m, const struct tfit_device *d,
			  const struct tfit_runtime *rt, char *why, size_t size);

/*
 * Resolve the placement of o (--arena-in, --weights-in, --partition, --ota)
 * on d into r: the arena's region (needs r->sram.arena_bytes set), the app
 * flash slot, the weights' region. An unknown region name or a non-RAM
 * arena region is TFIT_ERR_USAGE naming the device's regions.
 */
enum tfit_status tfit_fit_place(const struct tfit_device *d, const struct tfit_fit_opts *o,
				struct tfit_fit_result *r, struct tfit_error *err);

/*
 * The verdict of r from its used/available figures (and not_run_reason,
 * NULL or "" when the model runs), the limiting resource, the binding SRAM
 * percentage and the margins.
 */
void tfit_fit_verdict(struct tfit_fit_result *r, const char *not_run_reason);

#endif
