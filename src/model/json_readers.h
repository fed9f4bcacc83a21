/*
 * json_readers.h - the JSON model readers (native and Keras/TF.js) turn a
 * parsed cJSON tree into a layer list; model_load.c detects the format,
 * calls one, and lowers the list. Internal to src/model/.
 */
#ifndef TINYFIT_JSON_READERS_H
#define TINYFIT_JSON_READERS_H

#include <cJSON.h>

#include "layer.h"
#include "tinyfit/model_io.h"
#include "util/json_util.h"

/* tinyfit's own format (docs/model-format.md). Its "layers" may be the
 * document's lazy array (json_stream.c): they are walked once, in order. */
enum tfit_status tfit_native_from_json(struct tfit_json_doc *doc, const char *file,
				       const struct tfit_load_opts *o,
				       struct tfit_layer_list *out, struct tfit_error *err);

/* 1 when root looks like tinyfit's own format (it reads only the first
 * of the layers, so a lazy document's tree tells). */
int tfit_native_detect(const cJSON *root);

/*
 * Keras model.to_json() (Keras 2, tf.keras 2.13+, Keras 3) and TF.js layers
 * models (src/model/keras_reader.c, docs/keras.md). Uses o->skip_unknown
 * and o->has_input_shape/input_rank/input_shape; o->dtype sets the model
 * dtype.
 */
enum tfit_status tfit_keras_from_json(const cJSON *root, const char *file,
				      const struct tfit_load_opts *o,
				      struct tfit_layer_list *out, struct tfit_error *err);
/* The same from a document (json_stream.c) whose lazy array, if any, is
 * the top model's "layers" (or a Sequential's bare layer list): its layers
 * are read one at a time (tfit_keras_stream). Fails on any model the
 * streamed walk cannot read as the whole tree would (a lazy array that is
 * not the top model's layers, a reference to a later layer, channels_first
 * after the first layer): the caller then reads the text again whole. */
enum tfit_status tfit_keras_from_doc(struct tfit_json_doc *doc, const char *file,
				     const struct tfit_load_opts *o,
				     struct tfit_layer_list *out, struct tfit_error *err);

/* The arrays the model readers stream (model_load.c): the lazy_paths of
 * tfit_json_doc_parse_any, tinyfit's "layers" first, then the Keras and
 * TF.js layer lists. */
extern const char *const *const tfit_model_streamed_arrays[];

/* 1 when root is a Keras model ("class_name" and "config") or a TF.js
 * model ("modelTopology"); *format says which. */
int tfit_keras_detect(const cJSON *root, enum tfit_model_format *format);

#endif
