/*
 * tflite_reader.c - read a TensorFlow Lite flatbuffer (.tflite) into the IR.
 *
 * The file is read with pread() through flatbuf.c's block cache, never
 * mapped, and only its metadata is read: tables, shapes, index vectors and
 * the 4-byte length prefix of each constant buffer. Weight bytes are never
 * read, so a large model costs its metadata and the cache, at most 1 MiB
 * (docs/tflite-reader.md). Every structure goes through the
 * bounds-checked reader of flatbuf.c; this file adds the TFLite rules:
 * indices in range, dims non-negative, sizes without overflow, the
 * operator-code rule builtin = max(deprecated_builtin_code, builtin_code)
 * (tflite-micro schema_utils.cc GetBuiltinCode), the constant-buffer rule
 * (a tensor is constant when its Buffer has data: micro_allocator.cc
 * GetFlatbufferTensorBuffer) and the OfflineMemoryAllocation metadata
 * (micro_allocation_info.cc GetOfflinePlannedOffsets: int32 words
 * [version, subgraphs, n, offset_0 .. offset_n-1] over the tensors of all
 * subgraphs in order, -1 = plan online).
 *
 * Field numbers are the positions of the fields in schema.fbs (tflite-micro
 * 90b983c2b3f1, tensorflow/compiler/mlir/lite/schema/schema.fbs).
 */
#define _POSIX_C_SOURCE 200809L
#include "tinyfit/model_io.h"

#include "model/flatbuf.h"
#include "model/tflite_ops.h"
#include "model/tflite_reader.h"
#include "tinyfit/checked.h"
#include "tinyfit/graph.h"
#include "util/text_filter.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { OC_DEPRECATED_BUILTIN = 0, OC_CUSTOM_CODE = 1, OC_BUILTIN = 3 };
enum { SG_TENSORS = 0, SG_INPUTS = 1, SG_OUTPUTS = 2, SG_OPERATORS = 3, SG_NAME = 4 };
enum { OP_OPCODE_INDEX = 0, OP_INPUTS = 1, OP_OUTPUTS = 2, OP_INTERMEDIATES = 8 };

/* Work budget: units per file byte, plus a floor for tiny files. Reading a
 * well-formed model costs well under one unit per byte. */
#define WORK_PER_BYTE 4u
#define WORK_FLOOR 1000000u

void tfit_tfl_path_set(struct ctx *c, struct saved_path *s, const char *vec, unsigned long long i)
{
	memcpy(s->path, c->fb.path, sizeof(s->path));
	s->len = c->fb.path_len;
	c->fb.path[0] = '\0';
	c->fb.path_len = 0;
	tfit_fb_path_push(&c->fb, "%s[%llu]", vec, i);
}

void tfit_tfl_path_restore(struct ctx *c, const struct saved_path *s)
{
	memcpy(c->fb.path, s->path, sizeof(s->path));
	c->fb.path_len = s->len;
}

enum tfit_status tfit_tfl_nomem(struct ctx *c)
{
	return tfit_error_set(c->err, TFIT_ERR_NOMEM, c->file, NULL, "out of memory");
}

/*
 * Copy a flatbuffer string (it may hold NULs: the copy stops at the first).
 * Names end up on terminals and in reports, and a file must not be able to
 * send escape sequences there or make --format json invalid: the string
 * must be valid UTF-8 (an error naming the field and the byte's offset in
 * the file), and control characters become '?' (util/text_filter.h, the
 * filter of every JSON input).
 */
enum tfit_status tfit_tfl_copy_string(struct ctx *c, const char *field, const struct fb_str *s,
				      char **out)
{
	enum tfit_status rc = tfit_fb_charge(&c->fb, TFL_MEM_UNITS(s->len));
	char *p, *q;
	size_t n, bad;
	if (rc != TFIT_OK)
		return rc;
	p = malloc((size_t)s->len + 1);
	if (!p)
		return tfit_tfl_nomem(c);
	/* inside the file: tfit_fb_string_field checked the bytes and the NUL */
	if (tfit_fb_read(&c->fb, s->pos + 4, p, s->len) != 0)
		memset(p, 0, (size_t)s->len);
	p[s->len] = '\0';
	n = strlen(p);
	if ((bad = tfit_utf8_invalid_at(p, n)) < n) {
		unsigned byte = (unsigned char)p[bad];
		free(p);
		return tfit_fb_fail(&c->fb, field, "invalid UTF-8 in a string (byte 0x%02x at file offset %llu)",
				    byte, (unsigned long long)(s->pos + 4 + bad));
	}
	if (n < s->len && (q = realloc(p, n + 1)) != NULL)
		p = q;
	tfit_text_filter(p, n, p);
	*out = p;
	return TFIT_OK;
}

/* ---- operator codes ---------------------------------------------------- */

static enum tfit_status read_opcode(struct ctx *c, const struct fb_table *t, struct opcode *oc)
{
	int8_t dep;
	int32_t builtin;
	struct fb_str custom;
	int has_custom;
	uint8_t first = 0;
	enum tfit_status rc;

	if ((rc = tfit_fb_i8(&c->fb, t, OC_DEPRECATED_BUILTIN, "deprecated_builtin_code", 0, &dep)) ||
	    (rc = tfit_fb_i32(&c->fb, t, OC_BUILTIN, "builtin_code", 0, &builtin)) ||
	    (rc = tfit_fb_string_field(&c->fb, t, OC_CUSTOM_CODE, "custom_code", &custom,
				  &has_custom)))
		return rc;
	/* schema_utils.cc GetBuiltinCode: the larger of the two fields. */
	oc->code = builtin > dep ? builtin : dep;
	if (oc->code < 0)
		return tfit_fb_fail(&c->fb, "builtin_code", "builtin operator code %ld is negative",
			       (long)oc->code);
	oc->type = tfit_op_from_tflite(oc->code);
	if (oc->code == TFL_OP_CUSTOM) {
		oc->type = TFIT_OP_CUSTOM;
		/* the first byte is the NUL terminator when the string is empty */
		if (has_custom)
			(void)tfit_fb_read(&c->fb, custom.pos + 4, &first, 1);
		if (!has_custom || first == 0)
			return tfit_fb_fail(&c->fb, "custom_code", "custom operator has no "
				       "custom_code name");
		return tfit_tfl_copy_string(c, "custom_code", &custom, &oc->name);
	}
	if (oc->type == TFIT_OP_UNKNOWN || oc->type == TFIT_OP_CUSTOM) {
		const char *nm = tfit_tfl_builtin_name(oc->code);
		char buf[32];
		oc->type = TFIT_OP_UNKNOWN;
		if (!nm) {
			snprintf(buf, sizeof(buf), "builtin_%ld", (long)oc->code);
			nm = buf;
		}
		if (tfit_strdup_to(&oc->name, nm) != TFIT_OK)
			return tfit_tfl_nomem(c);
	}
	return TFIT_OK;
}

static enum tfit_status read_opcodes(struct ctx *c)
{
	struct fb_vec v;
	int present;
	uint32_t i;
	enum tfit_status rc;

	if ((rc = tfit_fb_vector_field(&c->fb, &c->root, MODEL_OPERATOR_CODES, "operator_codes",
				  4, &v, &present)))
		return rc;
	if (!present || v.n == 0)
		return TFIT_OK;
	if ((rc = tfit_fb_charge(&c->fb, TFL_MEM_UNITS((uint64_t)v.n * sizeof(*c->codes)))))
		return rc;
	c->codes = calloc(v.n, sizeof(*c->codes));
	if (!c->codes)
		return tfit_tfl_nomem(c);
	c->n_codes = v.n;
	for (i = 0; i < v.n; i++) {
		struct fb_table t;
		size_t old = tfit_fb_path_push(&c->fb, "operator_codes[%lu]", (unsigned long)i);
		if ((rc = tfit_fb_vec_table(&c->fb, &v, i, c->root.depth, "OperatorCode", &t)) ||
		    (rc = read_opcode(c, &t, &c->codes[i])))
			return rc;
		tfit_fb_path_pop(&c->fb, old);
	}
	return TFIT_OK;
}

/* ---- operators --------------------------------------------------------- */

/*
 * Copy an index vector. allow_absent: -1 means an absent optional input.
 * *out is NULL for an empty or absent vector.
 */
static enum tfit_status read_indices(struct ctx *c, const struct fb_table *t, unsigned field,
				     const char *name, uint32_t n_tensors, int allow_absent,
				     int32_t **out, uint32_t *n_out)
{
	struct fb_vec v;
	int present;
	uint32_t i;
	int32_t *a;
	enum tfit_status rc;

	*out = NULL;
	*n_out = 0;
	if ((rc = tfit_fb_vector_field(&c->fb, t, field, name, 4, &v, &present)) || !present ||
	    v.n == 0)
		return rc;
	if ((rc = tfit_fb_charge(&c->fb, v.n)))
		return rc;
	a = malloc((size_t)v.n * sizeof(*a));
	if (!a)
		return tfit_tfl_nomem(c);
	for (i = 0; i < v.n; i++) {
		int32_t x = tfit_fb_vec_i32(&c->fb, &v, i);
		if (x < (allow_absent ? -1 : 0) || (x >= 0 && (uint32_t)x >= n_tensors)) {
			char f[48];
			snprintf(f, sizeof(f), "%s[%lu]", name, (unsigned long)i);
			free(a);
			if (x < 0)
				return tfit_fb_fail(&c->fb, f, "tensor index %ld is negative%s", (long)x,
					       allow_absent ? " (only -1, an absent optional "
							      "input, is allowed)" : "");
			return tfit_fb_fail(&c->fb, f, "tensor index %ld is out of range (the "
				       "subgraph has %lu tensors)", (long)x,
				       (unsigned long)n_tensors);
		}
		a[i] = x;
	}
	*out = a;
	*n_out = v.n;
	return TFIT_OK;
}

/* Warn once per operator name tinyfit does not model. The scan over the
 * operator codes is charged to the work budget (a file with a huge number
 * of distinct custom names would otherwise cost quadratic time). */
static enum tfit_status warn_unknown(struct ctx *c, uint32_t code_index)
{
	struct opcode *oc = &c->codes[code_index];
	enum tfit_status rc;
	uint32_t i;
	if (oc->warned)
		return TFIT_OK;
	if ((rc = tfit_fb_charge(&c->fb, c->n_codes)))
		return rc;
	for (i = 0; i < c->n_codes; i++)
		if (c->codes[i].name && strcmp(c->codes[i].name, oc->name) == 0)
			c->codes[i].warned = 1;
	if (oc->type == TFIT_OP_CUSTOM)
		tfit_model_warn(c->m, "custom operator '%s' is not modelled by tinyfit: its "
				"tensors count for memory, its MACs and latency are not "
				"estimated", oc->name);
	else
		tfit_model_warn(c->m, "operator '%s' (builtin %ld) is not modelled by "
				"tinyfit: its tensors count for memory, its MACs and latency "
				"are not estimated", oc->name, (long)oc->code);
	return TFIT_OK;
}

static enum tfit_status read_operator(struct ctx *c, struct tfit_subgraph *sg,
				      const struct fb_table *t)
{
	uint32_t opcode_index, n_in = 0, n_out = 0, n_mid = 0;
	int32_t *in = NULL, *out = NULL, *mid = NULL, idx;
	struct tfit_op_options opt;
	struct opcode *oc;
	struct tfit_op *op;
	enum tfit_status rc;

	if ((rc = tfit_fb_u32(&c->fb, t, OP_OPCODE_INDEX, "opcode_index", 0, &opcode_index)))
		goto out;
	if (opcode_index >= c->n_codes) {
		rc = tfit_fb_fail(&c->fb, "opcode_index", "operator code index %lu is out of range "
			     "(the model has %lu operator codes)", (unsigned long)opcode_index,
			     (unsigned long)c->n_codes);
		goto out;
	}
	oc = &c->codes[opcode_index];
	tfit_op_options_init(&opt);
	if ((rc = read_indices(c, t, OP_INPUTS, "inputs", sg->n_tensors, 1, &in, &n_in)) ||
	    (rc = read_indices(c, t, OP_OUTPUTS, "outputs", sg->n_tensors, 0, &out, &n_out)) ||
	    (rc = read_indices(c, t, OP_INTERMEDIATES, "intermediates", sg->n_tensors, 0,
			       &mid, &n_mid)) ||
	    (rc = tfit_tfl_decode_options(&c->fb, t, oc->code, &opt)))
		goto out;
	/* the op, and at most a record of options and one of .tflite fields */
	if ((rc = tfit_fb_charge(&c->fb, TFL_MEM_UNITS(sizeof(struct tfit_op) +
						       sizeof(struct tfit_op_options) +
						       sizeof(struct tfit_op_ext)))))
		goto out;
	idx = tfit_subgraph_add_op(sg, oc->type, NULL, in, n_in, out, n_out, &opt);
	if (idx < 0) {
		rc = tfit_tfl_nomem(c);
		goto out;
	}
	op = &sg->ops[idx];
	op->tflite_code = oc->code;
	if (tfit_op_set_tflite(sg, op, oc->name, mid, n_mid) != 0) {
		rc = tfit_tfl_nomem(c);
		goto out;
	}
	if (oc->name)
		rc = warn_unknown(c, opcode_index);
out:
	free(in);
	free(out);
	free(mid);
	return rc;
}

/* ---- subgraphs --------------------------------------------------------- */

static enum tfit_status read_subgraph(struct ctx *c, uint32_t si, const struct fb_table *t)
{
	struct tfit_subgraph *sg;
	struct fb_vec tensors, ops;
	struct fb_str name;
	int has_tensors, has_ops, has_name;
	int32_t *in = NULL, *out = NULL;
	uint32_t n_in = 0, n_out = 0, i;
	enum tfit_status rc;

	sg = &c->m->subgraphs[si];
	if ((rc = tfit_fb_string_field(&c->fb, t, SG_NAME, "name", &name, &has_name)))
		return rc;
	/* Subgraph 0 keeps tfit_model_new()'s "main" when the file names none. */
	if (has_name) {
		free(sg->name);
		sg->name = NULL;
		if ((rc = tfit_tfl_copy_string(c, "name", &name, &sg->name)))
			return rc;
	}

	if ((rc = tfit_fb_vector_field(&c->fb, t, SG_TENSORS, "tensors", 4, &tensors, &has_tensors)))
		return rc;
	for (i = 0; has_tensors && i < tensors.n; i++) {
		struct fb_table tt;
		size_t old = tfit_fb_path_push(&c->fb, ".tensors[%lu]", (unsigned long)i);
		if ((rc = tfit_fb_vec_table(&c->fb, &tensors, i, t->depth, "Tensor", &tt)) ||
		    (rc = tfit_tfl_read_tensor(c, sg, &tt)))
			return rc;
		tfit_fb_path_pop(&c->fb, old);
	}
	if ((rc = read_indices(c, t, SG_INPUTS, "inputs", sg->n_tensors, 0, &in, &n_in)) ||
	    (rc = read_indices(c, t, SG_OUTPUTS, "outputs", sg->n_tensors, 0, &out, &n_out)))
		goto out;
	if (tfit_subgraph_set_io(sg, in, n_in, out, n_out) != 0) {
		rc = tfit_tfl_nomem(c);
		goto out;
	}
	if ((rc = tfit_fb_vector_field(&c->fb, t, SG_OPERATORS, "operators", 4, &ops, &has_ops)))
		goto out;
	for (i = 0; has_ops && i < ops.n; i++) {
		struct fb_table ot;
		size_t old = tfit_fb_path_push(&c->fb, ".operators[%lu]", (unsigned long)i);
		if ((rc = tfit_fb_vec_table(&c->fb, &ops, i, t->depth, "Operator", &ot)) ||
		    (rc = read_operator(c, sg, &ot)))
			goto out;
		tfit_fb_path_pop(&c->fb, old);
	}
	if (si == 0 && sg->n_ops == 0)
		rc = tfit_fb_fail(&c->fb, "operators", "the main subgraph has no operators");
	else if (si == 0 && sg->n_inputs == 0)
		rc = tfit_fb_fail(&c->fb, "inputs", "the main subgraph has no inputs");
out:
	free(in);
	free(out);
	return rc;
}

static enum tfit_status read_subgraphs(struct ctx *c)
{
	struct fb_vec v;
	int present;
	uint32_t i;
	enum tfit_status rc;

	if ((rc = tfit_fb_vector_field(&c->fb, &c->root, MODEL_SUBGRAPHS, "subgraphs", 4, &v,
				  &present)))
		return rc;
	if (!present || v.n == 0)
		return tfit_fb_fail(&c->fb, "subgraphs", "the model has no subgraphs");
	/* All subgraph slots at once (tfit_model_add_subgraph grows the array
	 * one entry at a time, quadratic in a file that lists many); the
	 * charge bounds the count by the work budget. tfit_model_new() made
	 * subgraph 0 ("main"); the others start zeroed, nameless. */
	if ((rc = tfit_fb_charge(&c->fb, TFL_MEM_UNITS((uint64_t)v.n *
						  sizeof(struct tfit_subgraph)))))
		return rc;
	if (v.n > 1) {
		struct tfit_subgraph *p = realloc(c->m->subgraphs, (size_t)v.n * sizeof(*p));
		if (!p)
			return tfit_tfl_nomem(c);
		c->m->subgraphs = p;
		memset(&p[1], 0, (size_t)(v.n - 1) * sizeof(*p));
		c->m->n_subgraphs = v.n;
	}
	for (i = 0; i < v.n; i++) {
		struct fb_table t;
		size_t old = tfit_fb_path_push(&c->fb, "subgraphs[%lu]", (unsigned long)i);
		if ((rc = tfit_fb_vec_table(&c->fb, &v, i, c->root.depth, "SubGraph", &t)) ||
		    (rc = read_subgraph(c, i, &t)))
			return rc;
		tfit_fb_path_pop(&c->fb, old);
	}
	return TFIT_OK;
}

/* ---- entry points ------------------------------------------------------ */

/* "dir/kws.tflite" -> "kws"; a file name may hold any byte: its control
 * characters and bytes that are not UTF-8 become '?', as in the file's own
 * strings (tfit_tfl_copy_string), since the name is shown everywhere */
static enum tfit_status set_model_name(struct ctx *c, const char *file)
{
	const char *base = strrchr(file, '/');
	size_t n;
	char *s;
	base = base ? base + 1 : file;
	n = strlen(base);
	if (n > 7 && strcmp(base + n - 7, ".tflite") == 0)
		n -= 7;
	s = malloc(n + 1);
	if (!s)
		return tfit_tfl_nomem(c);
	tfit_text_filter_bytes(base, n, s);
	free(c->m->name);
	c->m->name = s;
	return TFIT_OK;
}

static enum tfit_status read_model(struct ctx *c)
{
	uint32_t version;
	enum tfit_status rc;

	if ((rc = tfit_fb_root(&c->fb, "TFL3", "Model", &c->root)) ||
	    (rc = tfit_fb_u32(&c->fb, &c->root, MODEL_VERSION, "version", 0, &version)))
		return rc;
	c->m->tflite_version = version;
	if (version != 3)
		tfit_model_warn(c->m, "schema version %lu (TFLite Micro expects 3)",
				(unsigned long)version);
	if ((rc = tfit_fb_vector_field(&c->fb, &c->root, MODEL_BUFFERS, "buffers", 4, &c->buffers,
				  &c->has_buffers)))
		return rc;
	c->m->tflite_buffers = c->has_buffers ? c->buffers.n : 0;
	if (c->has_buffers && c->buffers.n > 0) {
		c->bufs = calloc(c->buffers.n, sizeof(*c->bufs));
		if (!c->bufs)
			return tfit_tfl_nomem(c);
	} else {
		c->has_buffers = 0;
	}
	if ((rc = tfit_fb_vector_field(&c->fb, &c->root, MODEL_EXTERNAL_BUFFERS, "external_buffers",
				  4, &c->ext, &c->has_ext)) ||
	    (rc = read_opcodes(c)) || (rc = read_subgraphs(c)) || (rc = tfit_tfl_read_metadata(c)))
		return rc;
	if ((rc = tfit_tfl_check_model(c->m, c->file, c->err)))
		return rc;
	return tfit_model_analyze(c->m, c->err);
}

/*
 * Read the model from the reader c->fb (set up by the caller, memory or
 * file), len bytes. A failed file read overrides whatever error (or
 * success) the zeros it left behind led to.
 */
static enum tfit_status read_source(struct ctx *c, uint64_t len, struct tfit_model **out)
{
	uint32_t i;
	enum tfit_status rc;

	c->m = tfit_model_new();
	if (!c->m)
		return tfit_error_set(c->err, TFIT_ERR_NOMEM, c->file, NULL, "out of memory");
	c->m->format = TFIT_MODEL_FORMAT_TFLITE;
	c->m->file_bytes = len;
	c->m->hybrid_subgraph = -1;
	c->m->hybrid_op = -1;
	if ((rc = set_model_name(c, c->file)) == TFIT_OK)
		rc = read_model(c);
	if (tfit_fb_io_error(&c->fb))
		rc = tfit_error_set(c->err, TFIT_ERR_IO, c->file, NULL, "cannot read file: %s",
				    strerror(tfit_fb_io_error(&c->fb)));
	for (i = 0; i < c->n_codes; i++)
		free(c->codes[i].name);
	free(c->codes);
	free(c->bufs);
	if (rc != TFIT_OK) {
		tfit_model_free(c->m);
		return rc;
	}
	*out = c->m;
	return TFIT_OK;
}

/* The work budget for a file of len bytes. */
static uint64_t work_budget(uint64_t len)
{
	uint64_t budget = WORK_FLOOR;
	if (tfit_acc_u64(&budget, len * WORK_PER_BYTE) != TFIT_OK)
		budget = UINT64_MAX;
	return budget;
}

enum tfit_status tfit_tflite_read_buffer(const void *data, size_t len,
					 const char *name_for_errors,
					 struct tfit_model **out, struct tfit_error *err)
{
	struct ctx c;
	const char *file = name_for_errors ? name_for_errors : "model.tflite";

	*out = NULL;
	memset(&c, 0, sizeof(c));
	c.file = file;
	c.err = err;
	tfit_fb_reader_init(&c.fb, data, len, file, err, work_budget(len));
	return read_source(&c, len, out);
}

enum tfit_status tfit_tflite_read(const char *path, struct tfit_model **out,
				  struct tfit_error *err)
{
	struct stat st;
	struct ctx c;
	uint64_t len;
	int fd;
	enum tfit_status rc;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return tfit_error_set(err, TFIT_ERR_IO, path, NULL, "cannot open file: %s",
				      strerror(errno));
	if (fstat(fd, &st) != 0) {
		rc = tfit_error_set(err, TFIT_ERR_IO, path, NULL, "cannot stat file: %s",
				    strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = tfit_error_set(err, TFIT_ERR_IO, path, NULL, "%s",
				    S_ISDIR(st.st_mode) ? "is a directory (expected a file)"
							: "is not a regular file");
		goto out;
	}
	if (st.st_size <= 0) {
		rc = tfit_error_set(err, TFIT_ERR_INPUT, path, NULL, "file is empty (0 bytes), "
				    "not a .tflite flatbuffer");
		goto out;
	}
	len = (uint64_t)st.st_size;
	/* Not mapped: a mapping of a cached file gets every 64 KiB chunk
	 * around a touched byte mapped (fault-around), and a .tflite's Buffer
	 * tables sit between the weights, so reading 2,000 of them mapped a
	 * whole 100 MB file. pread() through the reader's block cache holds
	 * only the blocks read. No read-ahead: the reads are scattered and
	 * read-ahead would fetch weights from disk. */
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM);
	c.file = path;
	c.err = err;
	if ((rc = tfit_fb_reader_init_fd(&c.fb, fd, len, path, err, work_budget(len))) != TFIT_OK)
		goto out;
	rc = read_source(&c, len, out);
	if (rc == TFIT_OK && tfit_strdup_to(&(*out)->path, path) != TFIT_OK) {
		tfit_model_free(*out);
		*out = NULL;
		rc = tfit_error_set(err, TFIT_ERR_NOMEM, path, NULL, "out of memory");
	}
out:
	tfit_fb_reader_release(&c.fb);
	close(fd);
	return rc;
}
