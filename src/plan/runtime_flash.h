/*
 * runtime_flash.h - the "flash" section of a runtime profile: parsing it
 * into struct tfit_runtime and releasing what it holds. Internal to
 * src/plan (runtime_profile.c calls it); the queries are in runtime.h.
 */
#ifndef TINYFIT_RUNTIME_FLASH_H
#define TINYFIT_RUNTIME_FLASH_H

#include "tinyfit/error.h"
#include "tinyfit/runtime.h"
#include "util/json_util.h"

/* Apply a profile's "flash" object to rt: keys it gives replace the base
 * profile's (kernels merge by op). */
enum tfit_status tfit_runtime_flash_parse(const cJSON *obj, const char *file,
					  struct tfit_jpath *p, struct tfit_runtime *rt,
					  struct tfit_error *err);

void tfit_runtime_flash_release(struct tfit_runtime *rt);

/* Deep-copy src's flash tables into dst (whose tables must be empty);
 * 0, or -1 out of memory (dst then holds what was copied, for release). */
int tfit_runtime_flash_clone(struct tfit_runtime *dst, const struct tfit_runtime *src);

#endif
