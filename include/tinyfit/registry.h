/*
 * registry.h - the one list of inference runtimes tinyfit knows: for each,
 * its id, display name, the versions its cost tables were measured with,
 * and whether a memory profile (arena rules, code size) exists for it.
 *
 * The list is built from the data, not written in code: every
 * data/cost/<id>.json (cost tables, docs/cost-format.md) and every
 * data/runtimes/<id>.json (memory profile, docs/runtime-format.md) adds its
 * runtime. A runtime with cost tables but no memory profile gets latency
 * estimates while its flash and RAM are reported unknown.
 *
 * Ownership: tfit_registry_build() fills a caller-owned registry that
 * tfit_registry_release() frees (NULL-safe, leaves it empty). Entries copy
 * every string. Nothing here prints, exits or reads the environment.
 *
 * Errors: TFIT_ERR_IO when a data directory cannot be read; resolving an id
 * gives TFIT_ERR_USAGE naming what exists ("unknown runtime 'x' (expected
 * one of: ...)", "runtime 'x-cube-ai' has no version '8.5' (versions: ...)").
 */
#ifndef TINYFIT_REGISTRY_H
#define TINYFIT_REGISTRY_H

#include <stddef.h>

#include "tinyfit/cost.h"
#include "tinyfit/error.h"

struct tfit_runtime_entry {
	char *id;                    /* "x-cube-ai" */
	char *name;                  /* display name from its cost file, else the id */
	char **versions;             /* versions its cost tables name, oldest first */
	size_t n_versions;
	int has_cost_tables;         /* data/cost/<id>.json */
	int has_memory_profile;      /* data/runtimes/<id>.json */
};

struct tfit_registry {
	struct tfit_runtime_entry *entries; /* sorted by id */
	size_t n;
};

void tfit_registry_init(struct tfit_registry *reg);
void tfit_registry_release(struct tfit_registry *reg);

/* Build the registry from the loaded cost tables and data_dir/runtimes/. */
enum tfit_status tfit_registry_build(const char *data_dir, const struct tfit_cost_db *db,
				     struct tfit_registry *reg, struct tfit_error *err);

/* The entry of id (any "@version" suffix ignored); NULL if none. */
const struct tfit_runtime_entry *tfit_registry_find(const struct tfit_registry *reg,
						    const char *id);

/*
 * Check "NAME" or "NAME@VERSION": the runtime must exist and, with a
 * version, have a cost table measured with that version. *out (may be
 * NULL) receives the entry. Errors: TFIT_ERR_USAGE as above.
 */
enum tfit_status tfit_registry_resolve(const struct tfit_registry *reg, const char *id,
				       const struct tfit_runtime_entry **out,
				       struct tfit_error *err);

/* A device loader's runtime check (device.h) that resolves names as
 * above: set db.runtime_check with it before loading profiles, and an
 * unknown runtime or version is a field error of the profile at
 * default_runtime. reg must outlive the loading. */
struct tfit_device_runtime_check;
void tfit_registry_runtime_check(const struct tfit_registry *reg,
				 struct tfit_device_runtime_check *check);

/* The ids as one comma-separated string into buf (truncated to size). */
void tfit_registry_list(const struct tfit_registry *reg, char *buf, size_t size);

#endif
