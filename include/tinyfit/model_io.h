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
	int json_whole_tree;           /* JSON: parse the whole file into one tree
					  before reading it, instead of the layers
					  one at a time (the reference the streamed
					  reading is tested against) */
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
/* The same from a malloc'd buffer that the call takes over: a .tflite
 * model keeps it (tflite_bytes), otherwise it is freed. */
enum tfit_status tfit_model_load_owned(char *data, size_t len, const char *name,
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
 * Everything tfit_model_convert_dtype() changes in m (each tensor's dtype,
 * bytes, data bytes and quantization scheme, the model's dtype and
 * totals), saved so that a conversion can be undone: `check`'s
 * quantization advice converts the model it is given in place and
 * restores it, instead of converting a deep copy (a copy doubled the peak
 * memory of a large model: docs/limits.md). About 5 bytes per tensor:
 * its dtype and quantization as one of a few classes the tensors share,
 * its sizes when they are not what its dimensions give; each op's
 * analysis is computed again from the restored tensors
 * (tfit_model_analyze), as it was when the model was loaded.
 * tfit_model_dtype_save returns NULL on out of memory;
 * tfit_model_dtype_restore puts m back exactly as it was saved (m must not
 * have gained or lost tensors or ops since) and frees s. Both NULL-safe in s.
 * tfit_model_dtype_saved_bytes: the heap s holds (its arrays, as used).
 */
struct tfit_dtype_saved;
struct tfit_dtype_saved *tfit_model_dtype_save(const struct tfit_model *m);
size_t tfit_model_dtype_saved_bytes(const struct tfit_dtype_saved *s);
void tfit_model_dtype_restore(struct tfit_model *m, struct tfit_dtype_saved *s);

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

/*
 * A rewrite of subgraph 0 of a .tflite (tfit_tflite_rewrite(),
 * src/model/tflite_rewrite.c): the tensor list and the operator list are
 * replaced, everything else (the other subgraphs, buffers, metadata,
 * signatures, operator codes) is kept. Used by patch-based execution
 * (src/fit/patch.c, docs/optimize.md section 4).
 *
 * Tensor i of the new subgraph is either the original tensor i, unchanged
 * (keep = 1: indices of kept tensors never move, so the subgraph's inputs,
 * outputs, signatures and the untouched operators stay valid), or a new
 * tensor: the type and quantization of original tensor `like` with a new
 * shape and no data, or (like = -1) an int32 constant holding
 * words[word0 .. word0 + n_words).
 */
#define TFIT_RW_MAX_INPUTS 10  /* TFLM concatenation.cc kMaxInputNum */

struct tfit_rw_tensor {
	int keep;
	int32_t like;
	int32_t rank;
	int32_t dims[4];
	uint32_t word0, n_words;
	char name[64];
};

enum tfit_rw_options {
	TFIT_RW_OPT_COPY = 0,   /* the `from` op's builtin options, as they are */
	TFIT_RW_OPT_VALID,      /* the `from` conv/depthwise options, padding VALID */
	TFIT_RW_OPT_EMPTY,      /* an empty options table of the op's type */
	TFIT_RW_OPT_CONCAT      /* ConcatenationOptions { axis, no activation } */
};

/* TFLite BuiltinOperator codes the rewrite creates (schema.fbs). */
enum { TFIT_TFL_ADD = 0, TFIT_TFL_CONCATENATION = 2, TFIT_TFL_CONV_2D = 3,
       TFIT_TFL_DEPTHWISE_CONV_2D = 4, TFIT_TFL_PAD = 34, TFIT_TFL_STRIDED_SLICE = 45 };

struct tfit_rw_op {
	int32_t orig;           /* >= 0: the original operator, its table unchanged */
	int32_t builtin;        /* a new operator: its builtin code */
	int32_t from;           /* new: the original op whose opcode entry (when the
				   builtin is the same) and options it copies; -1 */
	enum tfit_rw_options options;
	int32_t axis;           /* TFIT_RW_OPT_CONCAT */
	int32_t inputs[TFIT_RW_MAX_INPUTS];
	uint32_t n_inputs;
	int32_t output;
};

struct tfit_rw {
	struct tfit_rw_tensor *tensors;
	uint32_t n_tensors, cap_tensors;
	struct tfit_rw_op *ops;
	uint32_t n_ops, cap_ops;
	int32_t *words;
	uint32_t n_words, cap_words;
};

void tfit_rw_release(struct tfit_rw *rw);

/*
 * Write the .tflite in data (read successfully by tfit_tflite_read_buffer)
 * with subgraph 0's tensors and operators replaced as rw says. New objects
 * are prepended, the original follows byte for byte at a 16-aligned
 * position (as tfit_tflite_add_offline_plan). *out is malloc'ed. Errors:
 * TFIT_ERR_INPUT (a schema field the writer does not know, data at
 * absolute offsets, an inconsistent rewrite), TFIT_ERR_NOMEM.
 */
enum tfit_status tfit_tflite_rewrite(const void *data, size_t len, const char *name,
				     const struct tfit_rw *rw, uint8_t **out, size_t *out_len,
				     struct tfit_error *err);

#endif
