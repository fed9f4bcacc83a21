/*
 * keras_internal.h - shared by the Keras/TF.js reader's two halves:
 * keras_reader.c walks the model graph (Sequential, Functional, nested
 * models, inbound nodes, shared layers, inputs, the TF.js weights manifest)
 * and keras_layers.c turns one application of one Keras layer into layers
 * of the list (the Keras class table). Internal to src/model/.
 *
 * The cJSON tree stays alive while the reader runs; every pointer into it
 * here is borrowed.
 */
#ifndef TINYFIT_KERAS_INTERNAL_H
#define TINYFIT_KERAS_INTERNAL_H

#include <cJSON.h>

#include "layer.h"
#include "tinyfit/model_io.h"
#include "util/json_util.h"

/* Models nested inside models (docs/limits.md): deeper is a limit error. */
#define KERAS_MAX_NESTING 16
/* Layers one file may expand to (a nested model applied n times is n
 * copies): more is a limit error, not an out-of-memory crash. */
#define KERAS_MAX_LAYERS 200000

struct keras_rd {
	const char *file;
	struct tfit_error *err;
	const struct tfit_load_opts *opts;
	struct tfit_layer_list *out;
	struct tfit_jpath path;       /* the layer object being read */
	const cJSON *manifest;        /* TF.js weightsManifest, or NULL */
	int skip_unknown;
	int channels_first;           /* some layer is data_format channels_first:
					 the model is read in channels_last order */
	int unsupported;              /* the last error was a known class in a
					 configuration tinyfit cannot model */
};

/* One application (call) of a Keras layer. */
struct keras_app {
	const char *class_name;
	const cJSON *config;          /* the layer's "config" object */
	const char *keras_name;       /* its Keras name (messages, weights manifest) */
	const char *name;             /* tinyfit name of this application */
	const char *canon;            /* tinyfit name of the first application */
	int shared;                   /* the layer has more than one application */
	char *const *inputs;          /* tinyfit names of its inputs */
	size_t n_inputs;
};

/* Errors at r->path + "." + key (key may be NULL or "config.kernel_size"). */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 3, 4)))
#endif
enum tfit_status keras_fail(struct keras_rd *r, const char *key, const char *fmt, ...);

/* Add the layers of one application to r->out; the last one is named
 * a->name (helpers get "<name>/<part>"). Unknown or unsupported classes are
 * an error naming the class and layer, or with skip_unknown a zero-cost
 * layer and a warning. */
enum tfit_status keras_add_layer(struct keras_rd *r, const struct keras_app *a);

/* Sequential, Functional, Model: a model used as a layer. */
int keras_is_model_class(const char *class_name);
/* Classes whose extra call inputs are initial states, not data (LSTM...). */
int keras_takes_states(const char *class_name);
/* Declared weight count of a Keras layer in the TF.js manifest: the
 * elements of every weight named "<layer>/..."; -1 without a manifest. */
int64_t keras_manifest_params(const struct keras_rd *r, const char *keras_name);

#endif
