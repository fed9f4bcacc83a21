/*
 * keras_internal.h - the Keras/TF.js reader's layer half, shared by its
 * files: keras_reader.c (entry, TF.js wrapper, manifest, input shapes) and
 * keras_graph.c (model scopes, inbound nodes, nested and shared models; see
 * keras_graph.h) walk the model graph; keras_layers.c (the Keras class
 * table) and keras_config.c (config getters, adding layers) turn one
 * application of one Keras layer into layers of the list. Internal to
 * src/model/.
 *
 * Every cJSON pointer here is borrowed: from the tree the caller keeps
 * alive, or, when the top model's layers are streamed (keras_graph.c
 * tfit_keras_stream), from the one layer being read, deleted before the
 * next: a struct keras_app's config is valid only while it is added.
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
/* ... and at most one per KERAS_VALUES_PER_LAYER JSON values of the file,
 * but always KERAS_MIN_LAYERS (keras_reader.c) */
#define KERAS_VALUES_PER_LAYER 4
#define KERAS_MIN_LAYERS 4096

struct keras_rd {
	const char *file;
	struct tfit_error *err;
	const struct tfit_load_opts *opts;
	struct tfit_layer_list *out;
	struct tfit_jpath path;       /* the layer object being read */
	const cJSON *manifest;        /* TF.js weightsManifest, or NULL */
	size_t max_layers;            /* the expansion budget (keras_reader.c) */
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
enum tfit_status tfit_keras_fail(struct keras_rd *r, const char *key, const char *fmt, ...);

/* ---- keras_config.c ---- */

/* A known class in a configuration tinyfit cannot model: an error that
 * --skip-unknown turns into a zero-cost layer (sets r->unsupported). */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 3, 4)))
#endif
enum tfit_status tfit_keras_unsupported(struct keras_rd *r, const char *key, const char *fmt, ...);
enum tfit_status tfit_keras_nomem(struct keras_rd *r);
/* "<layer path>.config.<key>" into out. */
void tfit_keras_cfg_path(const struct keras_rd *r, const char *key, char *out, size_t size);
/* Typed fields of a layer's config; a missing or null field leaves *out
 * (tfit_keras_get_int fails on it when required). */
enum tfit_status tfit_keras_get_int(struct keras_rd *r, const cJSON *cfg, const char *key, int required,
			       int64_t min, int64_t max, int64_t *out);
enum tfit_status tfit_keras_get_num(struct keras_rd *r, const cJSON *cfg, const char *key, double *out);
enum tfit_status tfit_keras_get_bool(struct keras_rd *r, const cJSON *cfg, const char *key, int *out);
const char *tfit_keras_get_str(const cJSON *cfg, const char *key);
/* An int or a list of n ints, each >= min (kernel_size, strides, ...). */
enum tfit_status tfit_keras_get_tuple(struct keras_rd *r, const cJSON *cfg, const char *key, int n,
				 int64_t min, int64_t *out, int *present);
/* data_format must be channels_last (or any in a channels_first model). */
enum tfit_status tfit_keras_check_channels_last(struct keras_rd *r, const cJSON *cfg);
/* "same", "valid" and (Conv1D) "causal". */
enum tfit_status tfit_keras_get_padding(struct keras_rd *r, const cJSON *cfg, int allow_causal,
				   enum tfit_padding *out, int *causal);
/* The application's activation field (unknown: error, or linear and a
 * warning with --skip-unknown). */
enum tfit_status tfit_keras_get_activation(struct keras_rd *r, const struct keras_app *a,
				      const char *key, enum tfit_layer_act *out);
/* Append a layer for application a named a->name (part NULL) or
 * "<name>/<part>", with its shared-weights link; NULL on error (r->err). */
struct tfit_layer *tfit_keras_add(struct keras_rd *r, const struct keras_app *a,
			     enum tfit_layer_type type, const char *part,
			     char *const *inputs, size_t n_inputs);

/* ---- keras_layers.c ---- */

/* Add the layers of one application to r->out; the last one is named
 * a->name (helpers get "<name>/<part>"). Unknown or unsupported classes are
 * an error naming the class and layer, or with skip_unknown a zero-cost
 * layer and a warning. */
enum tfit_status tfit_keras_add_layer(struct keras_rd *r, const struct keras_app *a);

/* Sequential, Functional, Model: a model used as a layer. */
int tfit_keras_is_model_class(const char *class_name);
/* Classes whose extra call inputs are initial states, not data (LSTM...). */
int tfit_keras_takes_states(const char *class_name);
/* Declared weight count of a Keras layer in the TF.js manifest: the
 * elements of every weight named "<layer>/..."; -1 without a manifest. */
int64_t tfit_keras_manifest_params(const struct keras_rd *r, const char *keras_name);

#endif
