/*
 * tflite_reader.h - state shared by the .tflite reader's files (src/model/
 * only): tflite_reader.c (model, operator codes, operators, subgraphs, entry
 * points) and tflite_tensor.c (buffers, tensors, metadata). Field numbers
 * are the positions of the fields in TFLite's schema.fbs (tflite-micro
 * 90b983c2b3f1, tensorflow/compiler/mlir/lite/schema/schema.fbs).
 */
#ifndef TINYFIT_TFLITE_READER_H
#define TINYFIT_TFLITE_READER_H

#include <stdint.h>

#include "model/flatbuf.h"
#include "tinyfit/graph.h"

/* Model table fields. */
enum { MODEL_VERSION = 0, MODEL_OPERATOR_CODES = 1, MODEL_SUBGRAPHS = 2,
       MODEL_BUFFERS = 4, MODEL_METADATA = 6, MODEL_EXTERNAL_BUFFERS = 9 };

#define ULL(x) ((unsigned long long)(x))

/*
 * Work units for n bytes of IR memory: one unit per 16 bytes, so the work
 * budget (a multiple of the file size) also bounds the memory a file can
 * make the reader allocate, however much it shares sub-objects.
 */
#define TFL_MEM_UNITS(n) ((uint64_t)(n) / 16u + 1u)

/* A decoded OperatorCode. */
struct opcode {
	int32_t code;            /* builtin code after the max() rule */
	enum tfit_op_type type;
	char *name;              /* custom code, or the schema name of a builtin
				    tinyfit has no row for; NULL otherwise */
	int warned;
};

/* A Buffer, decoded on first use. */
struct buffer_info {
	int read;
	int outside;             /* Buffer.offset/size data */
	uint64_t bytes;
	uint64_t offset;
};

/* The reader's state for one file. */
struct ctx {
	struct fb_reader fb;
	struct tfit_model *m;
	const char *file;
	struct tfit_error *err;
	struct fb_table root;
	struct fb_vec buffers;
	int has_buffers;
	struct buffer_info *bufs;
	struct fb_vec ext;
	int has_ext;
	struct opcode *codes;
	uint32_t n_codes;
};


/* A saved error path (objects reached by index get their own path). */
struct saved_path {
	char path[TFIT_ERROR_PATH_MAX];
	size_t len;
};

/* Set the path to "vec[i]", saving the old one in s; tfit_tfl_path_restore undoes it. */
void tfit_tfl_path_set(struct ctx *c, struct saved_path *s, const char *vec, unsigned long long i);
void tfit_tfl_path_restore(struct ctx *c, const struct saved_path *s);

/* TFIT_ERR_NOMEM with the file name. */
enum tfit_status tfit_tfl_nomem(struct ctx *c);

/* Copy a flatbuffer string into *out (charged to the work budget):
 * TFIT_ERR_INPUT at field when it is not valid UTF-8; control characters
 * become '?'. */
enum tfit_status tfit_tfl_copy_string(struct ctx *c, const char *field, const struct fb_str *s,
				      char **out);

/* Lower the Tensor table t into a new tensor of sg. */
enum tfit_status tfit_tfl_read_tensor(struct ctx *c, struct tfit_subgraph *sg,
				 const struct fb_table *t);

/* Model.metadata: min_runtime_version and OfflineMemoryAllocation. */
enum tfit_status tfit_tfl_read_metadata(struct ctx *c);

#endif
