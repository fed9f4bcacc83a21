/*
 * shipped.h - the data the build compiles into tinyfit: the runtime
 * profiles of data/runtimes/, the cost tables of data/cost/ and the boards
 * of devices/, loaded at build time by the validating
 * loader (a profile that does not load fails the build) and written as C
 * by tfit_datagen (src/gen/tfit_datagen.c) into the build tree
 * (shipped_data.c, never committed). tinyfit reads its built-in profiles
 * from here instead of parsing share/tinyfit/runtimes/ (src/cli
 * tfit_cli_runtimes); the JSON files stay the source of truth.
 */
#ifndef TINYFIT_SHIPPED_H
#define TINYFIT_SHIPPED_H

#include <stddef.h>

#include "tinyfit/cost.h"
#include "tinyfit/device.h"
#include "tinyfit/runtime.h"

/* Every shipped profile in id order, then NULL. */
extern const struct tfit_runtime *const tfit_shipped_runtimes[];

/* The board profiles of devices/, in the order the loader adds them
 * (file "<built-in>/NAME.json", as tinyfit names the built-in directory). */
extern const struct tfit_device tfit_shipped_devices[];
extern const size_t tfit_shipped_n_devices;

/* The cost database of data/cost/ (compiled = 1: nothing to release). */
extern const struct tfit_cost_db *const tfit_shipped_cost_db;

#endif
