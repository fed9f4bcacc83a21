/*
 * runtime_set.h - what runtime_profile.c and runtime_set.c share: loading
 * one profile file with its bases looked up in a set (each loaded once).
 * Internal to src/plan; the public calls are in runtime.h.
 */
#ifndef TINYFIT_RUNTIME_SET_H
#define TINYFIT_RUNTIME_SET_H

#include "tinyfit/error.h"
#include "tinyfit/runtime.h"

/* Load the profile file at path, `depth` levels of "base" deep; its base is
 * taken from set (loaded into it if need be) when set is not NULL. */
enum tfit_status tfit_runtime_load_path(const char *path, int depth, struct tfit_runtime_set *set,
					struct tfit_runtime **out, struct tfit_error *err);

/* tfit_runtime_load with bases taken from set (NULL: none). */
enum tfit_status tfit_runtime_load_in(const char *data_dir, const char *id,
				      struct tfit_runtime_set *set, struct tfit_runtime **out,
				      struct tfit_error *err);

/* The base profile `id` (file base_path) from set, loaded into it at depth
 * `depth` if it is not there yet. */
enum tfit_status tfit_runtime_set_base(struct tfit_runtime_set *set, const char *id,
				       const char *base_path, int depth,
				       const struct tfit_runtime **out, struct tfit_error *err);

#endif
