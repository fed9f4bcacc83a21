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

/* ---- advice (advice.c, advice_optimize.c) ---- */

/* Copy r's used/available figures into op (has_numbers, fits). */
void tfit_advice_numbers(struct tfit_fit_option *op, const struct tfit_fit_result *r);
/* "fits", "still does not fit" or "verdict unknown" for r (an option
 * re-evaluated), followed by " after" when after. */
const char *tfit_advice_outcome(const struct tfit_fit_result *r, int after);

/*
 * The option "fits after `tinyfit optimize`" for a .tflite whose arena does
 * not fit r's board: the model `tinyfit optimize` would write (patch-based
 * execution within the default MAC budget when it gives a smaller arena,
 * else the memory plan alone), evaluated on the same board. Appended to
 * out when it shrinks the arena (and, with fits_only, only when the board
 * then holds the model: the optimisation is not computed for a board no
 * optimised model can fit, e.g. whose flash the model's file alone
 * exceeds). Errors: out of memory only.
 */
enum tfit_status tfit_advice_optimize(struct tfit_fit_ctx *c, const struct tfit_fit_result *r,
				      const struct tfit_fit_opts *o, int fits_only,
				      struct tfit_fit_advice *out, struct tfit_error *err);
/* Free what tfit_advice_optimize kept in c (c->optimized). */
void tfit_advice_optimize_release(struct tfit_fit_ctx *c);
/* The same for one runtime's slot s of c. */
void tfit_advice_optimize_release_slot(struct tfit_fit_ctx *c, size_t s);

#endif
