/*
 * test_tflite_broken.c - the broken-file corpus: generated .tflite files
 * truncated at every byte (so at every structural boundary), with a wrong
 * identifier, root/vtable offsets outside the file or pointing backwards,
 * absurd vtable sizes, overflowing vector lengths, unterminated strings,
 * out-of-range or negative tensor/buffer/opcode indices, negative and
 * overflowing dims, no subgraphs, cycles between ops and between subgraphs,
 * bad enums and metadata, and a file built from shared objects that would
 * take quadratic work. Each is rejected with TFIT_ERR_INPUT (the budget
 * case: TFIT_ERR_LIMIT), the exact path and message; every read is from an
 * exact-size heap copy so ASan catches any byte read outside the file, and
 * again from a file (tfit_tflite_read, pread), which must fail the same way.
 */
#include "tfit_test.h"
#include "tflite_gen.h"

#include "tinyfit/graph.h"
#include "tinyfit/model_io.h"

#include <stdlib.h>
#include <unistd.h>

static struct tfit_error last_err;

/*
 * The same bytes read from a file (pread through the reader's block cache)
 * must give the same status, path and message as from memory.
 */
static void check_file_read(const uint8_t *data, size_t len, enum tfit_status want)
{
	char path[64];
	struct tfit_model *m = NULL;
	struct tfit_error err;
	enum tfit_status rc;
	FILE *f;
	int ok;

	if (len == 0)
		return; /* the file entry point says "file is empty" first */
	snprintf(path, sizeof(path), "/tmp/tfit_broken_%ld.tflite", (long)getpid());
	f = fopen(path, "wb");
	CHECK(f != NULL);
	if (!f)
		return;
	ok = fwrite(data, 1, len, f) == len;
	CHECK(fclose(f) == 0 && ok);
	tfit_error_clear(&err);
	rc = tfit_tflite_read(path, &m, &err);
	CHECK_I64(rc, want);
	if (rc == TFIT_OK)
		tfit_model_free(m);
	else
		CHECK(m == NULL);
	if (want != TFIT_OK) {
		CHECK_STR(err.path, last_err.path);
		CHECK_STR(err.message, last_err.message);
	}
	remove(path);
}

/* Read len bytes from an exact-size copy, then from a file; returns the status. */
static enum tfit_status read_copy(const uint8_t *data, size_t len)
{
	uint8_t *copy = malloc(len ? len : 1);
	struct tfit_model *m = NULL;
	enum tfit_status rc;
	if (!copy)
		abort();
	if (len)
		memcpy(copy, data, len);
	tfit_error_clear(&last_err);
	rc = tfit_tflite_read_buffer(copy, len, "broken.tflite", &m, &last_err);
	if (rc == TFIT_OK)
		tfit_model_free(m);
	else if (m != NULL)
		rc = TFIT_ERR_INTERNAL; /* *out must stay NULL on errors */
	free(copy);
	check_file_read(data, len, rc);
	return rc;
}

static void expect(int line, const struct fbb *b, enum tfit_status code,
		   const char *path, const char *msg)
{
	enum tfit_status rc = read_copy(b->buf, b->len);
	int before = tfit_test_failures;
	CHECK_I64(rc, code);
	if (path)
		CHECK_STR(last_err.path, path);
	if (msg)
		CHECK_CONTAINS(last_err.message, msg);
	if (code != TFIT_OK)
		CHECK_STR(last_err.file, "broken.tflite");
	if (tfit_test_failures != before)
		fprintf(stderr, "  (case at line %d: got \"%s: %s\")\n", line, last_err.path,
			last_err.message);
}

#define EXPECT(b, code, path, msg) expect(__LINE__, (b), (code), (path), (msg))

/* Position of field `field` of the table marked `mark` (0: absent). */
static size_t field_pos(const struct fbb *b, const char *mark, unsigned field)
{
	size_t t = fbb_find(b, mark), vt;
	unsigned off;
	if (t == (size_t)-1) {
		fprintf(stderr, "no mark %s\n", mark);
		abort();
	}
	vt = t - fbb_get32(b, t);
	off = (unsigned)b->buf[vt + 4 + 2 * field] | ((unsigned)b->buf[vt + 5 + 2 * field] << 8);
	return off ? t + off : 0;
}

static void build_small(struct fbb *b)
{
	struct gen_model g;
	gen_small_model(&g);
	gen_build(b, &g);
}

/* ---- truncation ---------------------------------------------------------- */

static void test_truncation(void)
{
	struct fbb b;
	size_t len, last, ok = 0, input = 0, i;
	build_small(&b);
	/* the last structure the reader needs is the last Buffer table */
	last = fbb_find(&b, "buffers[5]");
	for (len = 0; len < b.len; len++) {
		enum tfit_status rc = read_copy(b.buf, len);
		if (rc == TFIT_OK) {
			ok++;
			CHECK(len > last);
		} else {
			input++;
			CHECK_I64(rc, TFIT_ERR_INPUT);
			CHECK(last_err.message[0] != '\0');
		}
	}
	CHECK(input >= last);
	/* at every recorded structure boundary: rejected, naming the file */
	for (i = 0; i < b.n_marks; i++) {
		if (b.marks[i].pos > last)
			continue;
		CHECK_I64(read_copy(b.buf, b.marks[i].pos), TFIT_ERR_INPUT);
		CHECK_STR(last_err.file, "broken.tflite");
	}
	CHECK_I64(read_copy(b.buf, 0), TFIT_ERR_INPUT);
	CHECK_CONTAINS(last_err.message, "file is 0 bytes, too short");
	(void)ok;
	fbb_free(&b);
}

/* ---- header, root, vtables ----------------------------------------------- */

static void test_header_and_vtables(void)
{
	struct fbb b;
	size_t root, vt;
	char msg[160];

	build_small(&b);
	memcpy(b.buf + 4, "TFL2", 4);
	EXPECT(&b, TFIT_ERR_INPUT, "", "wrong file identifier \"TFL2\" at bytes 4..8 "
	       "(expected \"TFL3\")");
	memcpy(b.buf + 4, "\x01\x02\"Z", 4);
	EXPECT(&b, TFIT_ERR_INPUT, "", "wrong file identifier \"\\x01\\x02\\x22Z\"");
	memcpy(b.buf + 4, "TFL3", 4);

	root = fbb_get32(&b, 0);
	fbb_put32(&b, 0, 0xFFFFFF00u);
	EXPECT(&b, TFIT_ERR_INPUT, "", "root table offset 4294967040 is outside the file");
	fbb_put32(&b, 0, 4);
	EXPECT(&b, TFIT_ERR_INPUT, "", "or inside the header");
	fbb_put32(&b, 0, (uint32_t)b.len);
	EXPECT(&b, TFIT_ERR_INPUT, "", "root table offset");
	fbb_put32(&b, 0, (uint32_t)root + 2);
	EXPECT(&b, TFIT_ERR_INPUT, "", "Model table at offset");
	fbb_put32(&b, 0, (uint32_t)root);

	/* soffset to a vtable before the start / after the end / misaligned */
	vt = root - fbb_get32(&b, root);
	fbb_put32(&b, root, 0x7FFFFFF0u);
	snprintf(msg, sizeof(msg), "Model table at offset %zu: its vtable at offset %lld is "
		 "outside the file", root, (long long)root - 0x7FFFFFF0ll);
	EXPECT(&b, TFIT_ERR_INPUT, "", msg);
	fbb_put32(&b, root, (uint32_t)-1000000);
	EXPECT(&b, TFIT_ERR_INPUT, "", "is outside the file");
	fbb_put32(&b, root, (uint32_t)(root - vt) + 1);
	EXPECT(&b, TFIT_ERR_INPUT, "", "is not 2-byte aligned");
	fbb_put32(&b, root, (uint32_t)(root - vt));

	/* absurd vtable and table sizes */
	fbb_put16(&b, vt, 2);
	EXPECT(&b, TFIT_ERR_INPUT, "", "has invalid size 2 (expected an even number >= 4)");
	fbb_put16(&b, vt, 7);
	EXPECT(&b, TFIT_ERR_INPUT, "", "has invalid size 7");
	fbb_put16(&b, vt, 65534);
	EXPECT(&b, TFIT_ERR_INPUT, "", "with size 65534 runs past the end of the file");
	fbb_put16(&b, vt, 4 + 2 * 7);
	fbb_put16(&b, vt + 2, 65535);
	EXPECT(&b, TFIT_ERR_INPUT, "", "its size 65535 runs past the end of the file");
	fbb_put16(&b, vt + 2, 2);
	EXPECT(&b, TFIT_ERR_INPUT, "", "its size 2 is smaller than its 4-byte vtable offset");
	fbb_free(&b);

	/* a field offset outside the table */
	build_small(&b);
	root = fbb_get32(&b, 0);
	vt = root - fbb_get32(&b, root);
	fbb_put16(&b, vt + 4 + 2 * 2, 0xFFF0);
	EXPECT(&b, TFIT_ERR_INPUT, "", "field 2 is at offset 65520, outside the table's");
	fbb_free(&b);

	/* a nested table's vtable size */
	build_small(&b);
	{
		size_t t = fbb_find(&b, "subgraphs[0].tensors[3]");
		size_t tvt = t - fbb_get32(&b, t);
		fbb_put16(&b, tvt, 3);
		EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].tensors[3]", "Tensor table at offset");
	}
	fbb_free(&b);
}

/* ---- offsets, vectors, strings ------------------------------------------- */

static void test_offsets_vectors_strings(void)
{
	struct fbb b;
	size_t slot, shape, name, s;
	char msg[200];

	build_small(&b);
	slot = field_pos(&b, "model", 2); /* subgraphs */
	fbb_put32(&b, slot, 0x80000010u);
	snprintf(msg, sizeof(msg), "offset at %zu is 2147483664, negative as a signed "
		 "32-bit offset (points backwards)", slot);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs", msg);
	fbb_put32(&b, slot, 0);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs", "is 0 (points at itself)");
	fbb_put32(&b, slot, 0x7FFFFFF0u);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs", "past the end of the file");
	fbb_put32(&b, slot, 2);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs", "is not 4-byte aligned");
	fbb_free(&b);

	/* a vector length that overflows */
	build_small(&b);
	shape = fbb_find(&b, "subgraphs[0].tensors[3].shape");
	fbb_put32(&b, shape, 4000000000u);
	snprintf(msg, sizeof(msg), "vector at offset %zu runs past the end of the file "
		 "(length 4000000000)", shape);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].tensors[3].shape", msg);
	fbb_put32(&b, shape, 0xFFFFFFFFu);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].tensors[3].shape", "(length 4294967295)");
	fbb_free(&b);

	/* the tensors vector of tables: count past the end */
	build_small(&b);
	fbb_put32(&b, fbb_find(&b, "subgraphs[0].tensors"), 1u << 30);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].tensors", "(length 1073741824)");
	fbb_free(&b);

	/* strings: no terminator, length past the end */
	build_small(&b);
	name = fbb_find(&b, "subgraphs[0].tensors[0].name");
	b.buf[name + 4 + 5] = 'x'; /* "input" NUL -> 'x' */
	snprintf(msg, sizeof(msg), "string at offset %zu (length 5) has no NUL terminator",
		 name);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].tensors[0].name", msg);
	b.buf[name + 4 + 5] = 0;
	fbb_put32(&b, name, 0x7FFFFFF0u);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].tensors[0].name",
	       "runs past the end of the file (length 2147483632)");
	fbb_free(&b);

	/* a string whose NUL would be the byte after the file */
	build_small(&b);
	s = fbb_find(&b, "subgraphs[0].name"); /* "main" */
	fbb_put32(&b, s, (uint32_t)(b.len - s - 4));
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].name", "has no NUL terminator");
	fbb_free(&b);

	/* custom_code string of an operator code */
	{
		struct gen_model g;
		gen_small_model(&g);
		g.codes[2] = (struct gen_opcode){ 32, 32, "Custom" };
		gen_build(&b, &g);
		s = fbb_find(&b, "operator_codes[2].custom_code");
		b.buf[s + 4 + 6] = '!';
		EXPECT(&b, TFIT_ERR_INPUT, "operator_codes[2].custom_code", "no NUL terminator");
		fbb_free(&b);
	}
}

/* ---- TFLite indices and values ------------------------------------------- */

static void set_vec_elem(struct fbb *b, const char *mark, unsigned i, int32_t v)
{
	fbb_put32(b, fbb_find(b, mark) + 4 + 4 * (size_t)i, (uint32_t)v);
}

static void test_indices(void)
{
	struct fbb b;

	build_small(&b);
	set_vec_elem(&b, "subgraphs[0].operators[1].inputs", 1, 99);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[1].inputs[1]",
	       "tensor index 99 is out of range (the subgraph has 8 tensors)");
	set_vec_elem(&b, "subgraphs[0].operators[1].inputs", 1, -5);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[1].inputs[1]",
	       "tensor index -5 is negative (only -1, an absent optional input, is allowed)");
	set_vec_elem(&b, "subgraphs[0].operators[1].inputs", 1, 4);
	set_vec_elem(&b, "subgraphs[0].operators[2].outputs", 0, -1);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[2].outputs[0]",
	       "tensor index -1 is negative");
	set_vec_elem(&b, "subgraphs[0].operators[2].outputs", 0, 8);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[2].outputs[0]", "out of range");
	set_vec_elem(&b, "subgraphs[0].operators[2].outputs", 0, 7);
	set_vec_elem(&b, "subgraphs[0].inputs", 0, 8);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].inputs[0]", "tensor index 8 is out of range");
	set_vec_elem(&b, "subgraphs[0].inputs", 0, -1);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].inputs[0]", "tensor index -1 is negative");
	set_vec_elem(&b, "subgraphs[0].inputs", 0, 0);
	set_vec_elem(&b, "subgraphs[0].outputs", 0, 1000);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].outputs[0]", "out of range");
	set_vec_elem(&b, "subgraphs[0].outputs", 0, 7);
	EXPECT(&b, TFIT_OK, NULL, NULL);

	/* buffer and opcode indices */
	fbb_put32(&b, field_pos(&b, "subgraphs[0].tensors[1]", 2), 6);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].tensors[1].buffer",
	       "buffer index 6 is out of range (the model has 6 buffers)");
	fbb_put32(&b, field_pos(&b, "subgraphs[0].tensors[1]", 2), 0xFFFFFFFFu);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].tensors[1].buffer",
	       "buffer index 4294967295 is out of range");
	fbb_put32(&b, field_pos(&b, "subgraphs[0].tensors[1]", 2), 1);
	fbb_put32(&b, field_pos(&b, "subgraphs[0].operators[0]", 0), 3);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[0].opcode_index",
	       "operator code index 3 is out of range (the model has 3 operator codes)");
	fbb_put32(&b, field_pos(&b, "subgraphs[0].operators[0]", 0), 0x80000000u);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[0].opcode_index",
	       "operator code index 2147483648 is out of range");
	fbb_free(&b);
}

static void test_dims_and_types(void)
{
	struct gen_model g;
	struct fbb b;
	size_t shape;
	int i;

	build_small(&b);
	shape = fbb_find(&b, "subgraphs[0].tensors[0].shape");
	fbb_put32(&b, shape + 8, (uint32_t)-3);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].tensors[0].shape[1]",
	       "dimension -3 is negative");
	for (i = 0; i < 4; i++)
		fbb_put32(&b, shape + 4 + 4 * (size_t)i, 0x7FFFFFFFu);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].tensors[0].shape",
	       "the element count overflows 64 bits");
	fbb_free(&b);

	/* elements fit in 64 bits, bytes do not: int32 [2^31-1, 2^31-1, 3] */
	gen_small_model(&g);
	g.sg[0].tensors[3].type = 2;
	g.sg[0].tensors[3].rank = 3;
	g.sg[0].tensors[3].shape[0] = 0x7FFFFFFF;
	g.sg[0].tensors[3].shape[1] = 0x7FFFFFFF;
	g.sg[0].tensors[3].shape[2] = 3;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].tensors[3].shape",
	       "elements of int32 overflow 64 bits of bytes");
	fbb_free(&b);

	/* rank over the limit */
	gen_small_model(&g);
	g.sg[0].tensors[3].rank = 9;
	for (i = 0; i < 9; i++)
		g.sg[0].tensors[3].shape[i] = 1;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].tensors[3].shape",
	       "rank 9 is over tinyfit's limit of 8 dimensions");
	fbb_free(&b);

	/* tensor types */
	gen_small_model(&g);
	g.sg[0].tensors[3].type = 99;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].tensors[3].type",
	       "tensor type 99 is not a TensorType (0 to 22)");
	fbb_free(&b);
	g.sg[0].tensors[3].type = -1;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].tensors[3].type", "tensor type -1");
	fbb_free(&b);
	g.sg[0].tensors[3].type = 19;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].tensors[3].type",
	       "tensor type INT2 (19) is not supported by tinyfit");
	fbb_free(&b);

	/* quantization */
	gen_small_model(&g);
	g.sg[0].tensors[1].quantized_dimension = -2;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].tensors[1].quantization.quantized_dimension",
	       "quantized dimension -2 is negative");
	fbb_free(&b);
	gen_small_model(&g);
	g.sg[0].tensors[1].n_zero_point = 3;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].tensors[1].quantization.zero_point",
	       "3 zero points for 4 scales");
	fbb_free(&b);
	gen_small_model(&g);
	g.sg[0].tensors[1].n_scale = 0x40000;  /* fine: counts only */
	g.sg[0].tensors[1].n_zero_point = 1;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_OK, NULL, NULL);
	fbb_put32(&b, fbb_find(&b, "subgraphs[0].tensors[1].quantization.scale"), 0x40000000u);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].tensors[1].quantization.scale",
	       "(length 1073741824)");
	fbb_free(&b);
}

/* ---- graph structure ----------------------------------------------------- */

static void test_graph_structure(void)
{
	struct gen_model g;
	struct fbb b;

	gen_small_model(&g);
	g.n_subgraphs = 0;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs", "the model has no subgraphs");
	fbb_free(&b);

	/* no subgraphs field at all */
	build_small(&b);
	{
		size_t root = fbb_get32(&b, 0), vt = root - fbb_get32(&b, root);
		fbb_put16(&b, vt + 4 + 2 * 2, 0);
	}
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs", "the model has no subgraphs");
	fbb_free(&b);

	gen_small_model(&g);
	g.sg[0].n_ops = 0;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators", "the main subgraph has no operators");
	fbb_free(&b);

	gen_small_model(&g);
	g.sg[0].n_in = 0;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].inputs", "the main subgraph has no inputs");
	fbb_free(&b);

	/* op 0 reads op 1's output: a cycle / wrong order */
	gen_small_model(&g);
	g.sg[0].ops[0].in[0] = 6;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[0].inputs[0]",
	       "operator conv_2d reads tensor 6 before operators[1] produces it: the "
	       "operators form a cycle or are not in execution order");
	fbb_free(&b);

	/* an op reading its own output */
	gen_small_model(&g);
	g.sg[0].ops[2].in[0] = 7;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[2].inputs[0]",
	       "operator softmax reads tensor 7, its own output: the operators form a cycle");
	fbb_free(&b);

	/* opcode rules */
	gen_small_model(&g);
	g.codes[2] = (struct gen_opcode){ 32, 32, NULL };
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "operator_codes[2].custom_code",
	       "custom operator has no custom_code name");
	fbb_free(&b);
	g.codes[2] = (struct gen_opcode){ -5, -7, NULL };
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "operator_codes[2].builtin_code",
	       "builtin operator code -5 is negative");
	fbb_free(&b);
}

/* Three subgraphs: main calls 1 (and 2) through IF/WHILE options. */
static void control_flow_model(struct gen_model *g, int32_t code, uint8_t tag,
			       int32_t a, int32_t b2, int sub_calls_self)
{
	static const int32_t one[] = { 1 };
	struct gen_op *o;
	int k;
	gen_small_model(g);
	g->codes[2] = (struct gen_opcode){ (int8_t)(code < 127 ? code : 127), code, NULL };
	o = &g->sg[0].ops[2];
	o->options_type = tag;
	o->n_opt = 2;
	o->opt[0] = (struct gen_field){ 0, 4, (uint32_t)a };
	o->opt[1] = (struct gen_field){ 1, 4, (uint32_t)b2 };
	g->n_subgraphs = 3;
	for (k = 1; k < 3; k++) {
		struct gen_subgraph *s = &g->sg[k];
		memset(s, 0, sizeof(*s));
		s->n_tensors = 2;
		gen_tensor(&s->tensors[0], "x", 9, 1, one, 0);
		gen_tensor(&s->tensors[1], "y", 9, 1, one, 0);
		s->n_in = s->n_out = 1;
		s->out[0] = 1;
		s->n_ops = 1;
		s->ops[0].opcode = 1;
		s->ops[0].n_in = 1;
		s->ops[0].n_out = 1;
		s->ops[0].out[0] = 1;
	}
	if (sub_calls_self) {
		/* subgraph 2's op is the same IF/WHILE, calling back into 1 */
		o = &g->sg[2].ops[0];
		o->opcode = 2;
		o->options_type = tag;
		o->n_opt = 2;
		o->opt[0] = (struct gen_field){ 0, 4, 1 };
		o->opt[1] = (struct gen_field){ 1, 4, 2 };
	}
}

static void test_subgraph_calls(void)
{
	struct gen_model g;
	struct fbb b;

	control_flow_model(&g, 118, 92, 1, 2, 0);   /* IF then 1 else 2: fine */
	gen_build(&b, &g);
	EXPECT(&b, TFIT_OK, NULL, NULL);
	fbb_free(&b);

	control_flow_model(&g, 118, 92, 0, 2, 0);   /* IF calling the main graph */
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[2]",
	       "if calls subgraph 0, which is already running: the subgraph calls form "
	       "a cycle");
	fbb_free(&b);

	control_flow_model(&g, 119, 93, 1, 2, 1);   /* WHILE body 2 -> 1 -> ... 2 */
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[2].operators[0]",
	       "calls subgraph 2, which is already running");
	fbb_free(&b);

	control_flow_model(&g, 118, 92, 1, 5, 0);
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[2].builtin_options",
	       "if calls subgraph 5, out of range (the model has 3 subgraphs)");
	fbb_free(&b);

	control_flow_model(&g, 118, 92, -1, 2, 0);
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[2].builtin_options",
	       "if calls subgraph -1, out of range");
	fbb_free(&b);

	/* CALL_ONCE (code 129 > 127: deprecated_builtin_code holds the placeholder) */
	control_flow_model(&g, 129, 103, 0, 0, 0);
	g.sg[0].ops[2].n_opt = 1;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[2]",
	       "call_once calls subgraph 0, which is already running");
	fbb_free(&b);
}

/* ---- options ------------------------------------------------------------- */

static void test_options(void)
{
	struct gen_model g;
	struct fbb b;

	gen_small_model(&g);
	g.sg[0].ops[0].options_type = 5; /* Pool2DOptions on a conv */
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[0].builtin_options_type",
	       "operator conv_2d (builtin 3) carries Pool2DOptions (union type 5), which "
	       "belongs to another operator");
	fbb_free(&b);

	gen_small_model(&g);
	g.sg[0].ops[0].opt[0].v = 0; /* stride_w 0 */
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[0].builtin_options.stride_w",
	       "stride_w is 0 (expected a positive number)");
	fbb_free(&b);

	gen_small_model(&g);
	g.sg[0].ops[0].opt[1].v = (uint32_t)-2; /* stride_h -2 */
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[0].builtin_options.stride_h",
	       "stride_h is -2");
	fbb_free(&b);

	gen_small_model(&g);
	g.sg[0].ops[0].opt[2].v = 9; /* activation 9 */
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT,
	       "subgraphs[0].operators[0].builtin_options.fused_activation_function",
	       "fused activation 9 is not an ActivationFunctionType (0 to 5)");
	fbb_free(&b);

	gen_small_model(&g);
	g.sg[0].ops[0].opt[3] = (struct gen_field){ 0, 1, 3 }; /* padding 3 */
	g.sg[0].ops[0].n_opt = 4;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[0].builtin_options.padding",
	       "padding 3 is not a Padding value");
	fbb_free(&b);

	gen_small_model(&g);
	g.sg[0].ops[0].opt[3] = (struct gen_field){ 4, 4, 0 }; /* dilation_w 0 */
	g.sg[0].ops[0].n_opt = 4;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT,
	       "subgraphs[0].operators[0].builtin_options.dilation_w_factor",
	       "dilation_w_factor is 0");
	fbb_free(&b);

	/* the options table missing although its type is set */
	build_small(&b);
	{
		size_t t = fbb_find(&b, "subgraphs[0].operators[0]");
		size_t vt = t - fbb_get32(&b, t);
		fbb_put16(&b, vt + 4 + 2 * 4, 0);
	}
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[0].builtin_options",
	       "builtin_options_type is Conv2DOptions (1) but the options table is missing");
	fbb_free(&b);

	/* a misaligned 4-byte field inside the options table */
	build_small(&b);
	{
		size_t t = fbb_find(&b, "subgraphs[0].operators[0].builtin_options");
		size_t vt = t - fbb_get32(&b, t);
		unsigned off = (unsigned)b.buf[vt + 6] | ((unsigned)b.buf[vt + 7] << 8);
		fbb_put16(&b, vt + 6, (uint16_t)(off + 1));
	}
	EXPECT(&b, TFIT_ERR_INPUT, "subgraphs[0].operators[0].builtin_options.stride_w",
	       "is not 4-byte aligned");
	fbb_free(&b);
}

/* ---- buffers and metadata ------------------------------------------------ */

static void test_buffers_and_metadata(void)
{
	struct gen_model g;
	struct fbb b;
	static uint8_t plan[24];
	static const uint8_t short_plan[8] = { 1, 0, 0, 0, 1, 0, 0, 0 };

	gen_small_model(&g);
	g.buffers[3].data_len = 0;
	g.buffers[3].offset = 1ull << 40;
	g.buffers[3].size = 192;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "buffers[3].offset",
	       "data at offset 1099511627776 with size 192 runs past the end of the file");
	fbb_free(&b);
	g.buffers[3].offset = 16;
	g.buffers[3].size = UINT64_MAX - 8;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "buffers[3].offset", "runs past the end of the file");
	fbb_free(&b);

	/* buffers[1].data length past the end, reached from a tensor */
	build_small(&b);
	fbb_put32(&b, fbb_find(&b, "buffers[1].data"), 0x10000000u);
	EXPECT(&b, TFIT_ERR_INPUT, "buffers[1].data", "(length 268435456)");
	fbb_free(&b);

	/* metadata: buffer index, offline plan shorter than it claims, bad offset */
	gen_small_model(&g);
	g.n_metadata = 1;
	g.metadata[0] = (struct gen_metadata){ "OfflineMemoryAllocation", 9 };
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "metadata[0].buffer",
	       "buffer index 9 is out of range (the model has 6 buffers)");
	fbb_free(&b);

	g.n_buffers = 7;
	g.buffers[6].data_len = sizeof(short_plan);
	g.buffers[6].data = short_plan;
	g.metadata[0].buffer = 6;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "metadata[0].buffer",
	       "OfflineMemoryAllocation buffer 6 holds 8 bytes");
	fbb_free(&b);

	memset(plan, 0, sizeof(plan));
	plan[0] = 1;
	plan[4] = 1;
	plan[8] = 8;   /* claims 8 offsets, holds 3 */
	g.buffers[6].data_len = sizeof(plan);
	g.buffers[6].data = plan;
	gen_build(&b, &g);
	EXPECT(&b, TFIT_ERR_INPUT, "metadata[0].buffer",
	       "OfflineMemoryAllocation lists 8 offsets but its buffer 6 holds only 24 bytes "
	       "(needs 44)");
	fbb_free(&b);

	{
		static uint8_t plan8[44];
		int i;
		memset(plan8, 0xFF, sizeof(plan8));   /* every offset -1 */
		memset(plan8, 0, 12);
		plan8[0] = 1;
		plan8[4] = 1;
		plan8[8] = 8;
		plan8[12 + 4 * 3] = 0xFB;             /* tensor 3: -5 */
		g.buffers[6].data_len = sizeof(plan8);
		g.buffers[6].data = plan8;
		gen_build(&b, &g);
		EXPECT(&b, TFIT_ERR_INPUT, "metadata[0].buffer",
		       "OfflineMemoryAllocation offset -5 for subgraphs[0].tensors[3] is "
		       "negative");
		fbb_free(&b);
		for (i = 0; i < 4; i++)
			plan8[12 + 4 * 3 + i] = 0;
		gen_build(&b, &g);
		EXPECT(&b, TFIT_OK, NULL, NULL);
		fbb_free(&b);
	}
}

/*
 * 2000 operators that all point at one operator table whose inputs vector
 * holds 200000 entries: 4e8 index copies from a ~0.8 MB file. The work
 * budget stops it (TFIT_ERR_LIMIT) before the copies happen.
 */
static void test_work_budget(void)
{
	struct fbb b;
	struct gen_table t;
	size_t ops_slot, vec, in_slot, out_slot, big, outs, i;
	const uint32_t n_ops = 2000, n_in = 200000;
	static const int32_t seven[] = { 7 };

	build_small(&b);
	ops_slot = field_pos(&b, "subgraphs[0]", 3);
	/* appended: the operators vector, one Operator table, its vectors */
	vec = fbb_vector(&b, n_ops, 4, NULL);
	t = fbb_table_begin(&b, 3);
	fbb_field(&b, &t, 0, 4, 2);              /* opcode_index: softmax */
	in_slot = fbb_field_offset(&b, &t, 1);
	out_slot = fbb_field_offset(&b, &t, 2);
	fbb_table_end(&b, &t);
	big = fbb_vector(&b, n_in, 4, NULL);
	memset(b.buf + big + 4, 0xFF, 4 * (size_t)n_in);  /* every input -1 */
	outs = fbb_vec_i32(&b, 1, seven);
	fbb_patch(&b, in_slot, big);
	fbb_patch(&b, out_slot, outs);
	for (i = 0; i < n_ops; i++)
		fbb_patch(&b, vec + 4 + 4 * i, t.pos);
	fbb_patch(&b, ops_slot, vec);
	EXPECT(&b, TFIT_ERR_LIMIT, NULL, "too much work");
	fbb_free(&b);
}

/*
 * 30000 subgraph slots that all point at one subgraph: each would be
 * lowered again (8 tensors, 3 ops), about 150 MB of IR from a 0.12 MB file.
 * The budget, which charges IR memory too, stops it.
 */
static void test_shared_subgraphs(void)
{
	struct fbb b;
	size_t sg_slot, sg0, vec, i;
	const uint32_t n = 30000;

	build_small(&b);
	sg_slot = field_pos(&b, "model", 2);
	sg0 = fbb_find(&b, "subgraphs[0]");
	(void)sg0;
	vec = fbb_vector(&b, n, 4, NULL);
	fbb_patch(&b, sg_slot, vec);
	/* the copies must come after the vector: re-emit subgraph 0 by
	 * pointing every slot at a fresh copy of the whole small model's
	 * subgraph, written once after the vector */
	{
		struct gen_model g;
		struct fbb tail;
		size_t base, k;
		gen_small_model(&g);
		gen_build(&tail, &g);
		/* append tail's bytes after the vector, 16-aligned so every
		 * alignment inside it is kept, and relocate nothing: offsets
		 * inside tail are relative, so they stay valid */
		fbb_align(&b, 16);
		base = fbb_bytes(&b, tail.buf, tail.len);
		k = base + fbb_find(&tail, "subgraphs[0]");
		for (i = 0; i < n; i++)
			fbb_patch(&b, vec + 4 + 4 * i, k);
		/* the buffers of the copy are the original's: same indices */
		fbb_free(&tail);
	}
	EXPECT(&b, TFIT_ERR_LIMIT, NULL, "too much work");
	fbb_free(&b);
}

int main(void)
{
	test_truncation();
	test_header_and_vtables();
	test_offsets_vectors_strings();
	test_indices();
	test_dims_and_types();
	test_graph_structure();
	test_subgraph_calls();
	test_options();
	test_buffers_and_metadata();
	test_work_budget();
	test_shared_subgraphs();
	return tfit_test_finish();
}
