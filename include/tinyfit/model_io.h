/*
 * model_io.h - reading models: tinyfit's native JSON, Keras/TF.js JSON and
 * .tflite flatbuffers, all lowered into the IR of graph.h.
 *
 * Ownership: on TFIT_OK *out is a new model the caller frees with
 * tfit_model_free(); on error *out is NULL and err says what is wrong and
 * where (file, line:column or JSON path, or byte offset for .tflite).
 */
#ifndef TINYFIT_MODEL_IO_H
#define TINYFIT_MODEL_IO_H

#include <stddef.h>
#include <stdint.h>

#include "tinyfit/error.h"
#include "tinyfit/graph.h"

struct tfit_load_opts {
	enum tfit_dtype dtype;         /* re-evaluate as this dtype; UNKNOWN = as written */
	int skip_unknown;              /* Keras: count unknown layer classes as zero-cost */
	int has_input_shape;           /* Keras: --input-shape given */
	int32_t input_rank;            /* without batch */
	int64_t input_shape[TFIT_MAX_RANK];
};

void tfit_load_opts_init(struct tfit_load_opts *o);

/*
 * Read a model file of any supported format, detected from its content
 * (the "TFL3" identifier for .tflite; for JSON, tinyfit's "layers" with
 * "type", Keras' "class_name"/"config", or TF.js "modelTopology").
 */
enum tfit_status tfit_model_load(const char *path, const struct tfit_load_opts *o,
				 struct tfit_model **out, struct tfit_error *err);

/* The same from memory; name is used in messages. */
enum tfit_status tfit_model_load_buffer(const void *data, size_t len, const char *name,
					const struct tfit_load_opts *o,
					struct tfit_model **out, struct tfit_error *err);

/* .tflite only (src/model/tflite_reader.c). tfit_tflite_read maps the file
 * and touches only the metadata pages. */
enum tfit_status tfit_tflite_read(const char *path, struct tfit_model **out,
				  struct tfit_error *err);
enum tfit_status tfit_tflite_read_buffer(const void *data, size_t len,
					 const char *name_for_errors,
					 struct tfit_model **out, struct tfit_error *err);

/*
 * Re-evaluate a model as if converted to dtype (float32, float16, int8,
 * int4): weights, biases, activations and quantization parameters change as
 * the TFLite converter would make them; shapes and ops stay. Re-runs the
 * analysis.
 */
enum tfit_status tfit_model_convert_dtype(struct tfit_model *m, enum tfit_dtype dtype,
					  struct tfit_error *err);

/*
 * A copy of the .tflite in data (len bytes, already read successfully by
 * tfit_tflite_read_buffer) with an OfflineMemoryAllocation metadata entry
 * holding n_offsets arena offsets (one per tensor of every subgraph,
 * subgraph 0 first; -1 = let TFLM plan it) for a model of n_subgraphs
 * subgraphs. New objects are prepended and the original bytes follow
 * unchanged at a 16-aligned position (src/model/tflite_writer.c,
 * docs/optimize.md). *out is malloc'ed (caller frees). Errors:
 * TFIT_ERR_INPUT for a model that already has such a plan, stores buffer
 * data at absolute offsets, has Model fields this schema does not know, or
 * would reach 2 GiB; TFIT_ERR_NOMEM.
 */
enum tfit_status tfit_tflite_add_offline_plan(const void *data, size_t len, const char *name,
					      const int32_t *offsets, uint32_t n_offsets,
					      uint32_t n_subgraphs, uint8_t **out,
					      size_t *out_len, struct tfit_error *err);

/* Bytes tfit_tflite_add_offline_plan() adds to a model with n_buffers
 * Buffers and n_metadata Metadata entries for n_offsets offsets (exact). */
uint64_t tfit_tflite_offline_plan_growth(uint32_t n_buffers, uint32_t n_metadata,
					 uint32_t n_offsets);

#endif
