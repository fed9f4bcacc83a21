/*
 * model_load.c - read a model file of any supported format: detect it from
 * the content, run its reader, lower JSON layer lists into the IR.
 */
#include "tinyfit/model_io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "json_readers.h"
#include "tinyfit/fileio.h"
#include "util/json_util.h"

void tfit_load_opts_init(struct tfit_load_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->dtype = TFIT_DTYPE_UNKNOWN;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/*
 * Formats tinyfit does not read, recognised by their magic bytes or name, so
 * the error says what the file is and how to get something tinyfit reads
 * instead of a JSON or flatbuffer error. NULL when it is none of them.
 * Magic numbers: HDF5 "\x89HDF\r\n\x1a\n" (HDF5 file format spec, format
 * signature); ZIP "PK\x03\x04" (a Keras 3 .keras file and a PyTorch >= 1.6
 * .pt are ZIP archives); pickle protocol 2+ starts with 0x80 (a legacy
 * PyTorch .pt/.pth); ONNX and TensorFlow .pb are protobuf, without a magic
 * number, so only their names tell.
 */
static const char *unread_format(const char *name, const unsigned char *p, size_t len)
{
	if (len >= 8 && memcmp(p, "\x89HDF\r\n\x1a\n", 8) == 0)
		return "a Keras HDF5 (.h5) file, which tinyfit does not read: save the architecture "
		       "as JSON (open('model.json', 'w').write(model.to_json())) or convert the "
		       "model to .tflite (tf.lite.TFLiteConverter.from_keras_model)";
	if (ends_with(name, ".onnx"))
		return "an ONNX model, which tinyfit does not read: convert it to .tflite "
		       "(for example with onnx2tf: onnx2tf -i model.onnx)";
	if (ends_with(name, ".pb"))
		return "a TensorFlow SavedModel/GraphDef protobuf, which tinyfit does not read: "
		       "convert the SavedModel directory to .tflite "
		       "(tf.lite.TFLiteConverter.from_saved_model(dir))";
	if (ends_with(name, ".pt") || ends_with(name, ".pth") ||
	    (len >= 2 && p[0] == 0x80 && p[1] >= 2 && p[1] <= 5))
		return "a PyTorch model, which tinyfit does not read: export it to .tflite "
		       "(for example with ai-edge-torch) or to ONNX and then to .tflite with onnx2tf";
	if (ends_with(name, ".keras") || (len >= 4 && memcmp(p, "PK\x03\x04", 4) == 0))
		return "a ZIP archive (a Keras 3 .keras file), which tinyfit does not read: "
		       "give tinyfit the architecture inside it (unzip -p model.keras config.json "
		       "> model.json) or convert the model to .tflite "
		       "(tf.lite.TFLiteConverter.from_keras_model)";
	return NULL;
}

static int is_tflite(const unsigned char *p, size_t len)
{
	return len >= 8 && memcmp(p + 4, "TFL3", 4) == 0;
}

/* A file that is not text (a NUL or another control byte among its first
 * bytes) or is named *.tflite goes to the .tflite reader, which says what
 * is wrong with it ("wrong file identifier") instead of a JSON error. */
static int looks_binary(const char *name, const unsigned char *p, size_t len)
{
	size_t i, n = strlen(name);
	if (n >= 7 && strcmp(name + n - 7, ".tflite") == 0)
		return 1;
	if (n >= 5 && strcmp(name + n - 5, ".json") == 0)
		return 0;
	for (i = 0; i < len && i < 64; i++)
		if (p[i] < 0x09 || (p[i] > 0x0d && p[i] < 0x20))
			return 1;
	return 0;
}

/* The arrays read one element at a time (json_stream.c): tinyfit's own
 * "layers", then a Keras or TF.js model's (its "config.layers", or a
 * Sequential's bare "config" list of tfjs-layers and Keras 2.0-2.2). */
static const char *const native_layers[] = { "layers", NULL };
static const char *const keras_layers[] = { "config", "layers", NULL };
static const char *const keras_list[] = { "config", NULL };
static const char *const tfjs_layers[] = { "modelTopology", "model_config", "config", "layers", NULL };
static const char *const tfjs_list[] = { "modelTopology", "model_config", "config", NULL };
static const char *const tfjs_bare_layers[] = { "modelTopology", "config", "layers", NULL };
static const char *const tfjs_bare_list[] = { "modelTopology", "config", NULL };
const char *const *const tfit_model_streamed_arrays[] = {
	native_layers, keras_layers, keras_list, tfjs_layers, tfjs_list, tfjs_bare_layers,
	tfjs_bare_list, NULL
};

/* Parse text (prechecked) and run the reader its format needs; streamed:
 * leave the native "layers" in the text. */
static enum tfit_status read_json(const char *text, size_t len, const char *name,
				  const struct tfit_load_opts *o, int streamed,
				  struct tfit_layer_list *list, enum tfit_model_format *format,
				  struct tfit_error *err)
{
	struct tfit_json_doc doc;
	enum tfit_status rc;

	if (streamed)
		rc = tfit_json_doc_parse_any(&doc, text, len, name, tfit_model_streamed_arrays, err);
	else
		rc = tfit_json_doc_parse(&doc, text, len, name, NULL, err);
	if (rc != TFIT_OK)
		return rc;
	if (tfit_native_detect(doc.root) && doc.lazy &&
	    doc.lazy != cJSON_GetObjectItemCaseSensitive(doc.root, "layers")) {
		/* a Keras array left in the text of a native model */
		rc = tfit_error_set(err, TFIT_ERR_INPUT, name, NULL, "not a streamed format");
	} else if (tfit_native_detect(doc.root)) {
		rc = tfit_native_from_json(&doc, name, o, list, err);
	} else if (tfit_keras_detect(doc.root, format)) {
		rc = tfit_keras_from_doc(&doc, name, o, list, err);
	} else if (doc.lazy) {
		/* another format with one of those members: read the whole
		 * tree (the caller reads the text again whole) */
		rc = tfit_error_set(err, TFIT_ERR_INPUT, name, NULL, "not a streamed format");
	} else {
		rc = tfit_error_set(err, TFIT_ERR_INPUT, name, NULL,
				    "not a model tinyfit can read (expected tinyfit's JSON with \"layers\", "
				    "a Keras model.to_json() file, a TF.js model.json or a .tflite file)");
	}
	if (rc == TFIT_OK)
		rc = tfit_json_doc_finish(&doc, err);
	tfit_json_doc_release(&doc);
	return rc;
}

/*
 * The layers are read as they are parsed, so memory holds the tree of one
 * layer instead of the file's (issue #17). Any error, in the JSON or in the
 * model, reads the text again as one tree: the streamed walk may meet
 * problems in another order than tfit_json_parse (a duplicate key late in
 * the file is found after a bad layer early in it), and the error must be
 * the one the whole-tree reading gives. So only a file that loads is read
 * element by element; a broken one costs its tree, within the pre-scan's
 * budget (util/json_util.c).
 */
static enum tfit_status load_json(const char *text, size_t len, const char *name,
				  const struct tfit_load_opts *o, char **owned,
				  struct tfit_model **out, struct tfit_error *err)
{
	struct tfit_layer_list list;
	enum tfit_status rc;
	enum tfit_model_format format = TFIT_MODEL_FORMAT_NATIVE;
	int streamed = !(o && o->json_whole_tree);

	tfit_layer_list_init(&list);
	if ((rc = tfit_json_precheck(&text, &len, name, err)) != TFIT_OK)
		return rc;
	rc = read_json(text, len, name, o, streamed, &list, &format, err);
	if (rc != TFIT_OK && streamed) {
		tfit_layer_list_release(&list);
		tfit_layer_list_init(&list);
		format = TFIT_MODEL_FORMAT_NATIVE;
		rc = read_json(text, len, name, o, 0, &list, &format, err);
	}
	/* The layer list owns copies of everything it took from the text, so an
	 * owned text is dead now: free it before the lowering builds the IR
	 * beside the list (the file's size off the peak; issue #17). */
	if (rc == TFIT_OK && owned) {
		free(*owned);
		*owned = NULL;
	}
#ifdef __GLIBC__
	/* The reading's blocks (each layer's cJSON tree: the 20,000-way
	 * fan-in's last layer alone, 20,000 input names, is about 2 MB of
	 * nodes and strings) are freed into glibc's brk heap, which blocks
	 * made after them (the list's pool chunks) keep from shrinking: 2.3
	 * of its 2.5 MiB stayed resident, unused, through the lowering and
	 * the rest of the run. malloc_trim gives the free pages back; it moves
	 * no block, so later blocks go where they would have gone anyway and
	 * fault in only the pages they use (issue #17, docs/limits.md). */
	if (rc == TFIT_OK)
		malloc_trim(0);
#endif
	if (rc == TFIT_OK)
		rc = tfit_layers_lower(&list, name, format, out, err);
	tfit_layer_list_release(&list);
	return rc;
}

/* owned: the caller's heap copy of data, or NULL; a JSON model's text is
 * freed (and *owned set to NULL) as soon as it is read. */
static enum tfit_status load_buffer(const void *data, size_t len, const char *name,
				    const struct tfit_load_opts *o, char **owned,
				    struct tfit_model **out, struct tfit_error *err)
{
	enum tfit_status rc;
	*out = NULL;
	if (!is_tflite(data, len) && unread_format(name, data, len))
		return tfit_error_set(err, TFIT_ERR_INPUT, name, NULL, "%s",
				      unread_format(name, data, len));
	if (is_tflite(data, len) || looks_binary(name, data, len)) {
		rc = tfit_tflite_read_buffer(data, len, name, out, err);
		if (rc == TFIT_OK && o && o->dtype != TFIT_DTYPE_UNKNOWN)
			rc = tfit_model_convert_dtype(*out, o->dtype, err);
	} else {
		rc = load_json(data, len, name, o, owned, out, err);
	}
	if (rc != TFIT_OK) {
		tfit_model_free(*out);
		*out = NULL;
	}
	tfit_model_trim(*out);
	return rc;
}

enum tfit_status tfit_model_load_buffer(const void *data, size_t len, const char *name,
					const struct tfit_load_opts *o,
					struct tfit_model **out, struct tfit_error *err)
{
	return load_buffer(data, len, name, o, NULL, out, err);
}

enum tfit_status tfit_model_load_owned(char *data, size_t len, const char *name,
				       const struct tfit_load_opts *o,
				       struct tfit_model **out, struct tfit_error *err)
{
	enum tfit_status rc = load_buffer(data, len, name, o, &data, out, err);
	if (rc == TFIT_OK && (*out)->format == TFIT_MODEL_FORMAT_TFLITE) {
		(*out)->tflite_bytes = data;
		(*out)->tflite_len = len;
	} else {
		free(data);
	}
	return rc;
}

enum tfit_status tfit_model_load(const char *path, const struct tfit_load_opts *o,
				 struct tfit_model **out, struct tfit_error *err)
{
	char *data = NULL;
	size_t len = 0;
	enum tfit_status rc;
	unsigned char head[8];
	FILE *f = NULL;
	struct stat st;

	*out = NULL;
	/* .tflite files are mapped, not read, so weights are never touched. Only
	 * a regular file is sniffed this way: a pipe, a FIFO or a process
	 * substitution can be read once, so it is read whole and sniffed from
	 * the buffer (tfit_model_load_buffer). */
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
		f = fopen(path, "rb");
	if (f) {
		size_t n = fread(head, 1, sizeof(head), f);
		fclose(f);
		if (!is_tflite(head, n) && unread_format(path, head, n))
			return tfit_error_set(err, TFIT_ERR_INPUT, path, NULL, "%s",
					      unread_format(path, head, n));
		if (is_tflite(head, n) || (n > 0 && looks_binary(path, head, n))) {
			rc = tfit_tflite_read(path, out, err);
			if (rc == TFIT_OK && o && o->dtype != TFIT_DTYPE_UNKNOWN)
				rc = tfit_model_convert_dtype(*out, o->dtype, err);
			if (rc != TFIT_OK) {
				tfit_model_free(*out);
				*out = NULL;
			}
			tfit_model_trim(*out);
			return rc;
		}
	}
	rc = tfit_file_read(path, TFIT_FILE_MAX_BYTES, &data, &len, err);
	if (rc != TFIT_OK)
		return rc;
	return tfit_model_load_owned(data, len, path, o, out, err);
}
