/*
 * tfit_test_model.h - loading a model from the repository's examples/ for
 * unit tests (shared so each test does not carry its own copy).
 */
#ifndef TFIT_TEST_MODEL_H
#define TFIT_TEST_MODEL_H

#include <stdio.h>

#include "tinyfit/model_io.h"

/* examples/<name>, or NULL with the reader's message on stderr. */
static inline struct tfit_model *tfit_test_load_example(const char *name)
{
	char path[512];
	struct tfit_model *m = NULL;
	struct tfit_error err;
	snprintf(path, sizeof(path), "%s/examples/%s", TFIT_SOURCE_DIR, name);
	if (tfit_model_load(path, NULL, &m, &err) != TFIT_OK)
		fprintf(stderr, "%s: %s\n", name, err.message);
	return m;
}

#endif
