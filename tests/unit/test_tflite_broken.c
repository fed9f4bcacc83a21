/*
 * test_tflite_broken.c - the broken-file corpus, container and values:
 * generated .tflite files truncated at every byte (so at every structural
 * boundary), with a wrong identifier, root/vtable offsets outside the file
 * or pointing backwards, absurd vtable sizes, overflowing vector lengths,
 * unterminated strings, out-of-range or negative tensor/buffer/opcode
 * indices, negative and overflowing dims and bad enums. Each is rejected
 * with TFIT_ERR_INPUT and the exact path and message; every read is from an
 * exact-size heap copy so ASan catches any byte read outside the file, and
 * again from a file (tfit_tflite_read, pread), which must fail the same way.
 * The graph-level cases are in test_tflite_broken_graph.c.
 */
#include "tflite_broken.h"

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

int main(void)
{
	test_truncation();
	test_header_and_vtables();
	test_offsets_vectors_strings();
	test_indices();
	test_dims_and_types();
	return tfit_test_finish();
}
