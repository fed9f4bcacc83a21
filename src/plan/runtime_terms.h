/*
 * runtime_terms.h - the "deploys" section of a runtime profile: what the
 * runtime's flash holds of the model and the runtime's own words for each
 * part (struct tfit_runtime_terms, runtime.h). Internal to src/plan
 * (runtime_profile.c calls it).
 */
#ifndef TINYFIT_RUNTIME_TERMS_H
#define TINYFIT_RUNTIME_TERMS_H

#include "tinyfit/error.h"
#include "tinyfit/runtime.h"
#include "util/json_util.h"

/* The generic words and TFIT_MODEL_STORED_FILE; 0, or -1 out of memory
 * (what was set is released by tfit_runtime_terms_release). */
int tfit_runtime_terms_defaults(struct tfit_runtime_terms *t);

/* Apply a profile's "deploys" object to rt->terms: the keys it gives
 * replace what rt has (its base's, or the defaults). */
enum tfit_status tfit_runtime_terms_parse(const cJSON *obj, const char *file,
					  struct tfit_jpath *p, struct tfit_runtime *rt,
					  struct tfit_error *err);

void tfit_runtime_terms_release(struct tfit_runtime_terms *t);

/* Deep copy; 0, or -1 out of memory (dst then holds what was copied). */
int tfit_runtime_terms_clone(struct tfit_runtime_terms *dst, const struct tfit_runtime_terms *src);

#endif
