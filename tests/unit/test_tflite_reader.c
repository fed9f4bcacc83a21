/*
 * test_tflite_reader.c - the .tflite reader on generated models and on the
 * checked-in fixtures (tests/data/tflite/): what the IR carries (tensors,
 * ops, options, buffers, quantization, metadata, offline plan, hybrid
 * diagnosis) and the file entry point (mmap, errors). Needs no ../shared.
 */
#define _POSIX_C_SOURCE 200809L
#include "tfit_test.h"
#include "tfit_test_fixture.h"
#include "tflite_gen.h"

#include "tinyfit/graph.h"
#include "tinyfit/model_io.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

static struct tfit_model *read_gen(const struct gen_model *g, struct fbb *b,
				   enum tfit_status *rc, struct tfit_error *err)
{
	struct tfit_model *m = NULL;
	gen_build(b, g);
	tfit_error_clear(err);
	*rc = tfit_tflite_read_buffer(b->buf, b->len, "gen.tflite", &m, err);
	if (*rc != TFIT_OK)
		fprintf(stderr, "read failed: %s: %s\n", err->path, err->message);
	return m;
}

static void test_small_model(void)
{
	struct gen_model g;
	struct fbb b;
	struct tfit_error err;
	enum tfit_status rc;
	struct tfit_model *m;
	const struct tfit_subgraph *sg;

	gen_small_model(&g);
	m = read_gen(&g, &b, &rc, &err);
	CHECK_I64(rc, TFIT_OK);
	if (!m) {
		fbb_free(&b);
		return;
	}
	CHECK_I64(m->format, TFIT_MODEL_FORMAT_TFLITE);
	CHECK_STR(m->name, "gen");
	CHECK_U64(m->tflite_version, 3);
	CHECK_U64(m->file_bytes, b.len);
	CHECK_I64(m->dtype, TFIT_DTYPE_INT8);
	CHECK_I64(m->hybrid, 0);
	CHECK_I64(m->has_offline_plan, 0);
	CHECK_U64(m->n_warnings, 0);
	CHECK_U64(m->n_subgraphs, 1);
	sg = &m->subgraphs[0];
	CHECK_STR(sg->name, "main");
	CHECK_U64(sg->n_tensors, 8);
	CHECK_U64(sg->n_ops, 3);
	CHECK_U64(sg->n_inputs, 1);
	CHECK_I64(sg->inputs[0], 0);
	CHECK_U64(sg->n_outputs, 1);
	CHECK_I64(sg->outputs[0], 7);

	/* tensors */
	CHECK_STR(sg->tensors[0].name, "input");
	CHECK_I64(sg->tensors[0].rank, 4);
	CHECK_I64(tfit_dim(&sg->tensors[0], 1), 8);
	CHECK_U64(tfit_tensor_bytes(&sg->tensors[0]), 128);
	CHECK_U64(sg->tensors[0].flags, 0);
	CHECK_U64(tfit_tensor_quant(&sg->tensors[0])->scale_count, 1);
	CHECK_I64(tfit_tensor_offline_offset(&sg->tensors[0]), -1);
	CHECK_U64(sg->tensors[1].flags & TFIT_TENSOR_FLAGS, TFIT_TENSOR_CONST);
	CHECK_U64(tfit_tensor_data_bytes(&sg->tensors[1]), 72);
	CHECK_U64(tfit_tensor_bytes(&sg->tensors[1]), 72);
	CHECK_I64(sg->tensors[1].buffer, 1);
	CHECK_U64(tfit_tensor_data_offset(&sg->tensors[1]), fbb_find(&b, "buffers[1].data") + 4);
	CHECK_U64(tfit_tensor_data_offset(&sg->tensors[1]) % 16, 0);
	CHECK_U64(tfit_tensor_quant(&sg->tensors[1])->scale_count, 4);
	CHECK_U64(tfit_tensor_quant(&sg->tensors[1])->zero_point_count, 4);
	CHECK_I64(sg->tensors[2].dtype, TFIT_DTYPE_INT32);
	CHECK_U64(tfit_tensor_data_bytes(&sg->tensors[2]), 16);
	CHECK_U64(sg->tensors[3].flags, 0);
	CHECK_U64(tfit_tensor_bytes(&sg->tensors[3]), 64);
	CHECK_U64(tfit_tensor_data_offset(&sg->tensors[3]), 0);
	CHECK_U64(tfit_tensor_data_bytes(&sg->tensors[4]), 192);
	CHECK_U64(tfit_tensor_data_bytes(&sg->tensors[5]), 12);
	CHECK(sg->tensors[7].name == NULL);
	CHECK_U64(sg->tensors[7].flags, 0);    /* buffer 5 is empty */

	/* ops and options */
	CHECK_I64(sg->ops[0].type, TFIT_OP_CONV_2D);
	CHECK_I64(sg->ops[0].tflite_code, 3);
	CHECK(tfit_op_custom_name(&sg->ops[0]) == NULL);
	CHECK_U64(sg->ops[0].n_inputs, 3);
	CHECK_I64(sg->ops[0].inputs[1], 1);
	CHECK_I64(tfit_op_outputs(&sg->ops[0])[0], 3);
	CHECK_I64(sg->ops[0].opt->stride_h, 2);
	CHECK_I64(sg->ops[0].opt->stride_w, 2);
	CHECK_I64(sg->ops[0].opt->dilation_h, 1);
	CHECK_I64(sg->ops[0].opt->padding, TFIT_PAD_SAME);  /* schema default */
	CHECK_I64(sg->ops[0].opt->activation, TFIT_ACT_RELU);
	CHECK_I64(sg->ops[1].type, TFIT_OP_FULLY_CONNECTED);
	CHECK_I64(sg->ops[1].opt->activation, TFIT_ACT_NONE);
	CHECK_I64(sg->ops[2].type, TFIT_OP_SOFTMAX);
	CHECK(sg->ops[2].ext_ == NULL); /* no intermediates, no custom name */

	/* tfit_model_analyze ran: conv 4x4x4 outputs x 3x3x2, FC 64x3 */
	CHECK_U64(tfit_op_macs(&sg->ops[0]), 1152);
	CHECK_U64(tfit_op_macs(&sg->ops[1]), 192);
	CHECK_U64(m->macs, 1344);
	CHECK_U64(m->weights_bytes, 72 + 16 + 192 + 12);
	tfit_model_free(m);
	fbb_free(&b);
}

/*
 * The converter stores identical constants once: two tensors pointing at one
 * buffer are one set of bytes in the file and in flash, so weights_bytes
 * counts the buffer once (each op still shows it among its own weights).
 */
static void test_shared_buffer(void)
{
	static const int32_t fcw_shape[] = { 4, 64 };
	static const int32_t four[] = { 4 };
	static const int32_t fc_shape[] = { 1, 4 };
	struct gen_model g;
	struct fbb b;
	struct tfit_error err;
	enum tfit_status rc;
	struct tfit_model *m;
	struct gen_subgraph *s;

	gen_small_model(&g);
	s = &g.sg[0];
	/* FC now has 4 outputs, and its int32 [4] bias shares conv's buffer 2 */
	gen_tensor(&s->tensors[4], "fc/weights", 9, 2, fcw_shape, 3);
	gen_tensor(&s->tensors[5], "fc/bias", 2, 1, four, 2);
	gen_tensor(&s->tensors[6], "fc/out", 9, 2, fc_shape, 0);
	gen_tensor(&s->tensors[7], NULL, 9, 2, fc_shape, 5);
	g.buffers[3].data_len = 256;
	g.buffers[4].data_len = 0;
	m = read_gen(&g, &b, &rc, &err);
	CHECK_I64(rc, TFIT_OK);
	if (m) {
		CHECK_I64(m->subgraphs[0].tensors[5].buffer, 2);
		CHECK_U64(tfit_op_weights_bytes(&m->subgraphs[0], &m->subgraphs[0].ops[0]), 72 + 16);
		CHECK_U64(tfit_op_weights_bytes(&m->subgraphs[0], &m->subgraphs[0].ops[1]), 256 + 16);
		CHECK_U64(m->weights_bytes, 72 + 16 + 256);
		tfit_model_free(m);
	}
	fbb_free(&b);
}

static void test_codes_and_warnings(void)
{
	struct gen_model g;
	struct fbb b;
	struct tfit_error err;
	enum tfit_status rc;
	struct tfit_model *m;
	struct gen_subgraph *s;
	int i;

	gen_small_model(&g);
	/* code 0: CONV_2D written as deprecated 3, builtin 0 (old converters) */
	g.codes[0].builtin = 0;
	/* code 1: a custom op used twice; code 2: HASHTABLE_LOOKUP (no row);
	 * code 3: GELU through the placeholder rule (127 + builtin 150);
	 * code 4: a builtin beyond the schema */
	g.codes[1] = (struct gen_opcode){ 32, 32, "MyOp" };
	g.sg[0].tensors[3].name = "conv\x1b[31m\x7fout";
	g.codes[2] = (struct gen_opcode){ 10, 10, NULL };
	g.codes[3] = (struct gen_opcode){ 127, 150, NULL };
	g.codes[4] = (struct gen_opcode){ 127, 999, NULL };
	g.n_codes = 5;
	s = &g.sg[0];
	s->ops[1].options_type = 0;
	for (i = 3; i < 7; i++) {
		struct gen_op *o = &s->ops[i];
		memset(o, 0, sizeof(*o));
		o->opcode = (uint32_t)(i == 3 ? 1 : i - 2);
		o->n_in = 1;
		o->in[0] = 7;
		o->n_out = 0;
	}
	s->n_ops = 7;
	m = read_gen(&g, &b, &rc, &err);
	CHECK_I64(rc, TFIT_OK);
	if (m) {
		const struct tfit_subgraph *sg = &m->subgraphs[0];
		CHECK_I64(sg->ops[0].type, TFIT_OP_CONV_2D);
		CHECK_I64(sg->ops[0].tflite_code, 3);
		CHECK_STR(sg->tensors[3].name, "conv?[31m?out"); /* no escapes */
		CHECK_I64(sg->ops[1].type, TFIT_OP_CUSTOM);
		CHECK_STR(tfit_op_custom_name(&sg->ops[1]), "MyOp");
		CHECK_I64(sg->ops[3].type, TFIT_OP_CUSTOM);
		CHECK_I64(sg->ops[4].type, TFIT_OP_UNKNOWN);
		CHECK_STR(tfit_op_custom_name(&sg->ops[4]), "hashtable_lookup");
		CHECK_I64(sg->ops[4].tflite_code, 10);
		CHECK_I64(sg->ops[5].type, TFIT_OP_GELU);
		CHECK_I64(sg->ops[5].tflite_code, 150);
		CHECK_I64(sg->ops[6].type, TFIT_OP_UNKNOWN);
		CHECK_STR(tfit_op_custom_name(&sg->ops[6]), "builtin_999");
		/* one warning per name: MyOp, hashtable_lookup, builtin_999 */
		CHECK_U64(m->n_warnings, 3);
		if (m->n_warnings == 3) {
			CHECK_CONTAINS(m->warnings[0], "'MyOp'");
			CHECK_CONTAINS(m->warnings[1], "'hashtable_lookup'");
		}
		tfit_model_free(m);
	}
	fbb_free(&b);
}

static void test_hybrid_and_dtype(void)
{
	struct gen_model g;
	struct fbb b;
	struct tfit_error err;
	enum tfit_status rc;
	struct tfit_model *m;

	gen_small_model(&g);
	g.sg[0].tensors[0].type = 0;    /* float32 input into int8 conv weights */
	g.sg[0].tensors[3].type = 0;
	m = read_gen(&g, &b, &rc, &err);
	CHECK_I64(rc, TFIT_OK);
	if (m) {
		CHECK_I64(m->hybrid, 1);
		CHECK_I64(m->hybrid_subgraph, 0);
		CHECK_I64(m->hybrid_op, 0);
		CHECK_I64(m->dtype, TFIT_DTYPE_INT8);
		CHECK_U64(m->n_warnings, 1);
		if (m->n_warnings)
			CHECK_CONTAINS(m->warnings[0], "Hybrid models are not supported on "
				       "TFLite Micro");
		tfit_model_free(m);
	}
	fbb_free(&b);

	/* all float: not hybrid, float32 model */
	gen_small_model(&g);
	g.sg[0].tensors[0].type = 0;
	g.sg[0].tensors[1].type = 0;
	g.buffers[1].data_len = 288;
	m = read_gen(&g, &b, &rc, &err);
	CHECK_I64(rc, TFIT_OK);
	if (m) {
		CHECK_I64(m->hybrid, 0);
		CHECK_I64(m->hybrid_op, -1);
		tfit_model_free(m);
	}
	fbb_free(&b);
}

static void test_control_flow(void)
{
	struct gen_model g;
	struct fbb b;
	struct tfit_error err;
	enum tfit_status rc;
	struct tfit_model *m;
	struct gen_op *o;
	static const int32_t one[] = { 1 };
	int k;

	gen_small_model(&g);
	g.codes[2] = (struct gen_opcode){ 118, 118, NULL }; /* IF */
	o = &g.sg[0].ops[2];
	o->n_in = 2;
	o->in[0] = 6;
	o->in[1] = 6;
	o->options_type = 92; /* IfOptions */
	o->n_opt = 2;
	o->opt[0] = (struct gen_field){ 0, 4, 1 };
	o->opt[1] = (struct gen_field){ 1, 4, 2 };
	g.n_subgraphs = 3;
	for (k = 1; k < 3; k++) {
		struct gen_subgraph *s = &g.sg[k];
		memset(s, 0, sizeof(*s));
		s->n_tensors = 2;
		gen_tensor(&s->tensors[0], "x", 9, 1, one, 0);
		gen_tensor(&s->tensors[1], "y", 9, 1, one, 0);
		s->n_in = s->n_out = 1;
		s->in[0] = 0;
		s->out[0] = 1;
		s->n_ops = 1;
		s->ops[0].opcode = 1; /* any op: FULLY_CONNECTED without options */
		s->ops[0].n_in = 2;    /* x twice: FULLY_CONNECTED needs 2 */
		s->ops[0].n_out = 1;
		s->ops[0].out[0] = 1;
	}
	m = read_gen(&g, &b, &rc, &err);
	CHECK_I64(rc, TFIT_OK);
	if (m) {
		CHECK_U64(m->n_subgraphs, 3);
		CHECK_I64(m->subgraphs[0].ops[2].type, TFIT_OP_IF);
		CHECK_I64(m->subgraphs[0].ops[2].opt->subgraph[0], 1);
		CHECK_I64(m->subgraphs[0].ops[2].opt->subgraph[1], 2);
		CHECK_U64(m->subgraphs[2].n_tensors, 2);
		CHECK(m->subgraphs[1].name == NULL);
		tfit_model_free(m);
	}
	fbb_free(&b);
}

static void put_words(uint8_t *p, const int32_t *w, int n)
{
	int i, k;
	for (i = 0; i < n; i++)
		for (k = 0; k < 4; k++)
			p[4 * i + k] = (uint8_t)((uint32_t)w[i] >> (8 * k));
}

static void test_metadata(void)
{
	struct gen_model g;
	struct fbb b;
	struct tfit_error err;
	enum tfit_status rc;
	struct tfit_model *m;
	uint8_t plan[4 * 11];
	static const int32_t words[] = { 1, 1, 8, -1, -1, -1, 0, -1, -1, 64, 128 };
	static const uint8_t ver[8] = { '2', '.', '7', '.', '0', 0, 0, 0 };

	put_words(plan, words, 11);
	gen_small_model(&g);
	g.n_buffers = 8;
	g.buffers[6].data_len = sizeof(plan);
	g.buffers[6].data = plan;
	g.buffers[7].data_len = sizeof(ver);
	g.buffers[7].data = ver;
	g.n_metadata = 2;
	g.metadata[0] = (struct gen_metadata){ "min_runtime_version", 7 };
	g.metadata[1] = (struct gen_metadata){ "OfflineMemoryAllocation", 6 };
	m = read_gen(&g, &b, &rc, &err);
	CHECK_I64(rc, TFIT_OK);
	if (m) {
		const struct tfit_subgraph *sg = &m->subgraphs[0];
		CHECK_STR(m->min_runtime_version, "2.7.0");
		CHECK_I64(m->has_offline_plan, 1);
		CHECK_U64(m->offline_plan_tensors, 8);
		CHECK_I64(tfit_tensor_offline_offset(&sg->tensors[0]), -1);
		CHECK_I64(tfit_tensor_offline_offset(&sg->tensors[3]), 0);
		CHECK_I64(tfit_tensor_offline_offset(&sg->tensors[6]), 64);
		CHECK_I64(tfit_tensor_offline_offset(&sg->tensors[7]), 128);
		CHECK_U64(m->n_warnings, 0);
		tfit_model_free(m);
	}
	fbb_free(&b);

	/* 7 offsets for 8 tensors: kept as a fact, not applied, warned */
	{
		int32_t w2[11];
		memcpy(w2, words, sizeof(w2));
		w2[2] = 7;
		put_words(plan, w2, 11);
	}
	m = read_gen(&g, &b, &rc, &err);
	CHECK_I64(rc, TFIT_OK);
	if (m) {
		CHECK_I64(m->has_offline_plan, 1);
		CHECK_U64(m->offline_plan_tensors, 7);
		CHECK_I64(tfit_tensor_offline_offset(&m->subgraphs[0].tensors[3]), -1);
		CHECK_U64(m->n_warnings, 1);
		tfit_model_free(m);
	}
	fbb_free(&b);
}

static void test_tensor_details(void)
{
	struct gen_model g;
	struct fbb b;
	struct tfit_error err;
	enum tfit_status rc;
	struct tfit_model *m;
	struct gen_tensor *t;
	int32_t scalar_unused = 0;

	(void)scalar_unused;
	gen_small_model(&g);
	t = &g.sg[0].tensors[0];
	t->n_signature = 4;
	t->signature[0] = -1;
	t->signature[1] = 8;
	t->signature[2] = -1;
	t->signature[3] = 2;
	g.sg[0].tensors[2].is_variable = 1;
	g.sg[0].tensors[5].rank = -1;    /* no shape: a scalar */
	g.sg[0].tensors[1].quantized_dimension = 0;
	m = read_gen(&g, &b, &rc, &err);
	CHECK_I64(rc, TFIT_OK);
	if (m) {
		const struct tfit_subgraph *sg = &m->subgraphs[0];
		CHECK_U64(sg->tensors[0].dynamic_dims, 0x5);
		CHECK_U64(sg->tensors[2].flags & TFIT_TENSOR_FLAGS, TFIT_TENSOR_CONST | TFIT_TENSOR_VARIABLE);
		CHECK_I64(sg->tensors[5].rank, 0);
		CHECK_U64(tfit_tensor_elements(&sg->tensors[5]), 1);
		CHECK_U64(tfit_tensor_bytes(&sg->tensors[5]), 4);
		tfit_model_free(m);
	}
	fbb_free(&b);
}

/* Buffer.offset/size data stored after the flatbuffer (>2 GB layout). */
static void test_data_after_flatbuffer(void)
{
	struct gen_model g;
	struct fbb b;
	struct tfit_error err;
	struct tfit_model *m = NULL;
	enum tfit_status rc;
	size_t fb_len;

	gen_small_model(&g);
	g.buffers[3].data_len = 0;
	g.buffers[3].offset = 0;      /* patched below */
	g.buffers[3].size = 192;
	gen_build(&b, &g);
	fb_len = b.len;
	/* point buffers[3].offset at the end of the flatbuffer and append */
	{
		size_t bt = fbb_find(&b, "buffers[3]");
		size_t vt = bt - fbb_get32(&b, bt);
		size_t off_field = bt + (size_t)(b.buf[vt + 6] | (b.buf[vt + 7] << 8));
		fbb_put64(&b, off_field, fb_len);
	}
	fbb_bytes(&b, NULL, 192);
	tfit_error_clear(&err);
	rc = tfit_tflite_read_buffer(b.buf, b.len, "big.tflite", &m, &err);
	CHECK_I64(rc, TFIT_OK);
	if (m) {
		const struct tfit_tensor *t = &m->subgraphs[0].tensors[4];
		CHECK_U64(t->flags & TFIT_TENSOR_FLAGS, TFIT_TENSOR_CONST | TFIT_TENSOR_DATA_OUTSIDE);
		CHECK_U64(tfit_tensor_data_bytes(t), 192);
		CHECK_U64(tfit_tensor_data_offset(t), fb_len);
		tfit_model_free(m);
	}
	/* the same without the appended bytes runs past the end of the file */
	rc = tfit_tflite_read_buffer(b.buf, fb_len, "big.tflite", &m, &err);
	CHECK_I64(rc, TFIT_ERR_INPUT);
	CHECK_STR(err.path, "buffers[3].offset");
	CHECK_CONTAINS(err.message, "runs past the end of the file");
	fbb_free(&b);
}

static int write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	int ok;
	if (!f)
		return -1;
	ok = fwrite(data, 1, len, f) == len;
	return fclose(f) == 0 && ok ? 0 : -1;
}

static void test_file_entry(void)
{
	struct gen_model g;
	struct fbb b;
	struct tfit_error err;
	struct tfit_model *m = NULL;
	char path[64];
	enum tfit_status rc;

	snprintf(path, sizeof(path), "/tmp/tfit_tflite_%ld.tflite", (long)getpid());
	gen_small_model(&g);
	gen_build(&b, &g);
	CHECK(write_file(path, b.buf, b.len) == 0);
	tfit_error_clear(&err);
	rc = tfit_tflite_read(path, &m, &err);
	CHECK_I64(rc, TFIT_OK);
	if (m) {
		CHECK_STR(m->path, path);
		CHECK_U64(m->subgraphs[0].n_tensors, 8);
		CHECK_U64(m->file_bytes, b.len);
		tfit_model_free(m);
	}
	/* empty file */
	CHECK(write_file(path, "", 0) == 0);
	rc = tfit_tflite_read(path, &m, &err);
	CHECK_I64(rc, TFIT_ERR_INPUT);
	CHECK_CONTAINS(err.message, "empty");
	CHECK(m == NULL);
	remove(path);
	/* missing file, directory */
	rc = tfit_tflite_read(path, &m, &err);
	CHECK_I64(rc, TFIT_ERR_IO);
	CHECK_STR(err.file, path);
	rc = tfit_tflite_read("/tmp", &m, &err);
	CHECK_I64(rc, TFIT_ERR_IO);
	CHECK_CONTAINS(err.message, "directory");
	fbb_free(&b);
}

/*
 * A model whose 512 MiB of weights sit after the flatbuffer in a sparse
 * file: it must read without touching the weight pages, so the process's
 * peak resident size grows by far less than the weights (reading or
 * mapping them in would add 512 MiB). Not timed: speed is bench/'s.
 */
static void test_large_sparse_file(void)
{
	struct gen_model g;
	struct fbb b;
	struct tfit_error err;
	struct tfit_model *m = NULL;
	char path[64];
	const uint64_t weights = 512ull << 20;
	struct rusage ru0, ru1;
	int fd;
	size_t bt, vt, fo;

	gen_small_model(&g);
	g.buffers[3].data_len = 0;
	g.buffers[3].size = weights;
	gen_build(&b, &g);
	bt = fbb_find(&b, "buffers[3]");
	vt = bt - fbb_get32(&b, bt);
	fo = bt + (size_t)(b.buf[vt + 6] | (b.buf[vt + 7] << 8));
	fbb_put64(&b, fo, 4096);
	snprintf(path, sizeof(path), "/tmp/tfit_sparse_%ld.tflite", (long)getpid());
	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
	CHECK(fd >= 0);
	if (fd < 0)
		goto out;
	CHECK(write(fd, b.buf, b.len) == (ssize_t)b.len);
	CHECK(ftruncate(fd, (off_t)(4096 + weights)) == 0);
	close(fd);
	CHECK(getrusage(RUSAGE_SELF, &ru0) == 0);
	CHECK_I64(tfit_tflite_read(path, &m, &err), TFIT_OK);
	CHECK(getrusage(RUSAGE_SELF, &ru1) == 0);
	CHECK(ru1.ru_maxrss - ru0.ru_maxrss < 128L * 1024); /* KiB: under 128 MiB */
	if (m) {
		CHECK_U64(m->file_bytes, 4096 + weights);
		CHECK_U64(tfit_tensor_data_bytes(&m->subgraphs[0].tensors[4]), weights);
		tfit_model_free(m);
	}
	remove(path);
out:
	fbb_free(&b);
}

/*
 * The checked-in fixtures are the generator's output, byte for byte
 * (TFIT_WRITE_FIXTURES=1 rewrites them after a deliberate change): a valid
 * model and broken ones for the golden CLI cases (layers_tflite_*,
 * check_tflite_add_*).
 */
/*
 * A FULLY_CONNECTED whose weights are not constant: the 3x64 int8 weights
 * are the model's second input instead of a buffer. TFLite Micro runs it:
 * FullyConnectedPrepare (kernels/fully_connected.cc) checks only the
 * types, and Eval reads the weights through GetTensorData like any input
 * (CMSIS-NN only skips its precomputed kernel sums when the filter is not
 * constant, kernels/cmsis_nn/fully_connected.cc). So the weights are
 * counted in the arena (an input, planned like one), not in flash, and
 * are no parameters; the MACs are the same.
 */
static void test_fc_activation_weights(void)
{
	struct gen_model g;
	struct fbb b;
	struct tfit_model *m = NULL;
	struct tfit_error err;
	const struct tfit_op *fc;

	gen_small_model(&g);
	g.sg[0].tensors[4].buffer = 0;
	g.sg[0].n_in = 2;
	g.sg[0].in[1] = 4;
	gen_build(&b, &g);
	tfit_check_fixture("fc_activation_weights.tflite", b.buf, b.len);
	fbb_free(&b);
	CHECK_I64(tfit_tflite_read(TFIT_SOURCE_DIR "/tests/data/tflite/fc_activation_weights.tflite",
				   &m, &err), TFIT_OK);
	if (!m)
		return;
	CHECK(!(m->subgraphs[0].tensors[4].flags & TFIT_TENSOR_CONST));
	fc = &m->subgraphs[0].ops[1];
	CHECK(fc->type == TFIT_OP_FULLY_CONNECTED);
	CHECK_U64(tfit_op_params(&m->subgraphs[0], fc), 3);             /* the bias only */
	CHECK_U64(tfit_op_weights_bytes(&m->subgraphs[0], fc), 12); /* 3 int32 biases */
	CHECK_U64(tfit_op_macs(fc), 192);             /* 3 x 64, as with constant weights */
	/* conv 4x3x3x2 int8 + 4 int32 biases + the FC's 3 int32 biases */
	CHECK_U64(m->weights_bytes, 72 + 16 + 12);
	tfit_model_free(m);
}

static void test_fixtures(void)
{
	struct gen_model g;
	struct fbb b;
	struct tfit_error err;
	struct tfit_model *m = NULL;
	size_t pos;

	gen_small_model(&g);
	gen_build(&b, &g);
	tfit_check_fixture("small_conv.tflite", b.buf, b.len);
	CHECK_I64(tfit_tflite_read(TFIT_SOURCE_DIR "/tests/data/tflite/small_conv.tflite",
				   &m, &err), TFIT_OK);
	if (m) {
		CHECK_STR(m->name, "small_conv");
		CHECK_U64(m->subgraphs[0].n_ops, 3);
		tfit_model_free(m);
	}
	/* truncated inside the fourth tensor table */
	pos = fbb_find(&b, "subgraphs[0].tensors[3]");
	tfit_check_fixture("truncated.tflite", b.buf, pos + 2);
	/* a shape vector claiming 4e9 dims */
	pos = fbb_find(&b, "subgraphs[0].tensors[3].shape");
	fbb_put32(&b, pos, 4000000000u);
	tfit_check_fixture("shape_overflow.tflite", b.buf, b.len);
	fbb_put32(&b, pos, 4);
	memcpy(b.buf + 4, "TFL2", 4);
	tfit_check_fixture("bad_identifier.tflite", b.buf, b.len);
	fbb_free(&b);
	/* op 0 reads op 1's output */
	g.sg[0].ops[0].in[0] = 6;
	gen_build(&b, &g);
	tfit_check_fixture("op_cycle.tflite", b.buf, b.len);
	fbb_free(&b);
	/* the softmax turned into an ADD with no inputs, then with one output
	 * listed twice (TFLM's Prepare rejects both; tflite_arity.c) */
	gen_small_model(&g);
	g.codes[2] = (struct gen_opcode){ 0, 0, NULL };
	g.sg[0].ops[2].n_in = 0;
	gen_build(&b, &g);
	tfit_check_fixture("add_no_inputs.tflite", b.buf, b.len);
	fbb_free(&b);
	g.sg[0].ops[2].n_in = 2;
	g.sg[0].ops[2].in[1] = 6;
	g.sg[0].ops[2].n_out = 2;
	g.sg[0].ops[2].out[1] = 7;
	gen_build(&b, &g);
	tfit_check_fixture("add_output_twice.tflite", b.buf, b.len);
	fbb_free(&b);
	test_fc_activation_weights();
}

int main(void)
{
	test_small_model();
	test_shared_buffer();
	test_codes_and_warnings();
	test_hybrid_and_dtype();
	test_control_flow();
	test_metadata();
	test_tensor_details();
	test_data_after_flatbuffer();
	test_file_entry();
	test_large_sparse_file();
	test_fixtures();
	return tfit_test_finish();
}
