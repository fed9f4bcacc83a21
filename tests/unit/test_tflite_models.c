/*
 * test_tflite_models.c - every real model in ../shared/models/ (34 files)
 * and ../shared/models/seanet/ (127 single-op files) reads, with the tensor
 * and operator counts TFLM reports in ../shared/models/TFLM-TRUTH.md and
 * spot checks of what the IR carries. Skips (77) without ../shared.
 */
#define _POSIX_C_SOURCE 200809L
#include "tfit_test.h"

#include "tinyfit/fileio.h"
#include "tinyfit/graph.h"
#include "tinyfit/model_io.h"

#include <dirent.h>
#include <stdlib.h>

#define MODELS TFIT_SHARED_DIR "/models/"

/* Tensors and ops of subgraph 0 (all these models have one subgraph). The
 * counts of the models in TFLM-TRUTH.md are TFLM's own; the others were
 * read with tinyfit and checked against MANIFEST.md's input/output shapes. */
static const struct {
	const char *file;
	uint32_t tensors, ops;
	enum tfit_dtype dtype;
} models[] = {
	{ "ad01_fp32.tflite", 31, 10, TFIT_DTYPE_FLOAT32 },
	{ "ad01_int8.tflite", 31, 10, TFIT_DTYPE_INT8 },
	{ "audio_preprocessor_float.tflite", 33, 16, TFIT_DTYPE_INT16 },
	{ "audio_preprocessor_int8.tflite", 43, 22, TFIT_DTYPE_INT16 },
	{ "dtln_noise_suppression.tflite", 45, 4, TFIT_DTYPE_INT8 },
	{ "hello_world_float.tflite", 10, 3, TFIT_DTYPE_FLOAT32 },
	{ "hello_world_int8.tflite", 10, 3, TFIT_DTYPE_INT8 },
	{ "keyword_scrambled.tflite", 54, 15, TFIT_DTYPE_INT8 },
	{ "keyword_scrambled_8bit.tflite", 54, 15, TFIT_DTYPE_INT8 },
	{ "kws_ref_model.tflite", 35, 13, TFIT_DTYPE_INT8 },
	{ "kws_ref_model_float32.tflite", 35, 13, TFIT_DTYPE_INT8 },
	{ "micro_speech_lstm.tflite", 27, 4, TFIT_DTYPE_INT8 },
	{ "micro_speech_quantized.tflite", 10, 4, TFIT_DTYPE_INT8 },
	{ "person_detect.tflite", 89, 31, TFIT_DTYPE_INT8 },
	{ "person_detect_vela.tflite", 6, 1, TFIT_DTYPE_UINT8 },
	{ "pretrainedResnet.tflite", 38, 16, TFIT_DTYPE_FLOAT32 },
	{ "pretrainedResnet_large_float.tflite", 38, 16, TFIT_DTYPE_FLOAT32 },
	{ "pretrainedResnet_large_int8.tflite", 38, 16, TFIT_DTYPE_INT8 },
	{ "pretrainedResnet_quant.tflite", 38, 16, TFIT_DTYPE_INT8 },
	{ "seanet_add0.tflite", 3, 1, TFIT_DTYPE_INT16 },
	{ "seanet_conv0.tflite", 4, 1, TFIT_DTYPE_INT8 },
	{ "seanet_leaky_relu0.tflite", 2, 1, TFIT_DTYPE_INT16 },
	{ "seanet_pad0.tflite", 3, 1, TFIT_DTYPE_INT16 },
	{ "seanet_quantize0.tflite", 2, 1, TFIT_DTYPE_INT32 },
	{ "seanet_strided_slice0.tflite", 5, 1, TFIT_DTYPE_INT16 },
	{ "seanet_sub0.tflite", 3, 1, TFIT_DTYPE_INT16 },
	{ "seanet_transpose_conv0.tflite", 5, 1, TFIT_DTYPE_INT8 },
	{ "simple_add_model.tflite", 3, 1, TFIT_DTYPE_INT8 },
	{ "str_ww_ref_model.tflite", 31, 11, TFIT_DTYPE_INT8 },
	{ "test_conv_model.tflite", 15, 7, TFIT_DTYPE_INT8 },
	{ "trained_lstm.tflite", 22, 4, TFIT_DTYPE_FLOAT32 },
	{ "trained_lstm_int8.tflite", 27, 4, TFIT_DTYPE_INT8 },
	{ "vww_96_float.tflite", 89, 31, TFIT_DTYPE_FLOAT32 },
	{ "vww_96_int8.tflite", 89, 31, TFIT_DTYPE_INT8 },
};

static struct tfit_model *load(const char *file)
{
	char path[512];
	struct tfit_model *m = NULL;
	struct tfit_error err;
	snprintf(path, sizeof(path), MODELS "%s", file);
	tfit_error_clear(&err);
	if (tfit_tflite_read(path, &m, &err) != TFIT_OK) {
		char buf[1024];
		tfit_error_format(&err, buf, sizeof(buf));
		fprintf(stderr, "%s\n", buf);
	}
	return m;
}

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/*
 * The file entry point (pread through the reader's block cache) and the
 * memory entry point (the whole file in one buffer) build the same IR: the
 * models are larger than a cache block, so tables, vectors and strings
 * straddle blocks here.
 */
static void check_same_as_memory(const char *file, const struct tfit_model *m)
{
	char path[512];
	struct tfit_model *b = NULL;
	struct tfit_error err;
	char *data = NULL;
	size_t n = 0;
	uint32_t s, i, k;

	snprintf(path, sizeof(path), MODELS "%s", file);
	tfit_error_clear(&err);
	CHECK(tfit_file_read(path, TFIT_FILE_MAX_BYTES, &data, &n, &err) == TFIT_OK);
	if (!data)
		return;
	CHECK_I64(tfit_tflite_read_buffer(data, n, path, &b, &err), TFIT_OK);
	free(data);
	if (!b)
		return;
	CHECK_U64(b->file_bytes, m->file_bytes);
	CHECK_U64(b->n_subgraphs, m->n_subgraphs);
	CHECK_U64(b->n_warnings, m->n_warnings);
	CHECK(same_str(b->min_runtime_version, m->min_runtime_version));
	CHECK_U64(b->has_offline_plan, m->has_offline_plan);
	for (s = 0; s < b->n_subgraphs && s < m->n_subgraphs; s++) {
		const struct tfit_subgraph *x = &b->subgraphs[s], *y = &m->subgraphs[s];
		CHECK(same_str(x->name, y->name));
		CHECK_U64(x->n_tensors, y->n_tensors);
		CHECK_U64(x->n_ops, y->n_ops);
		for (i = 0; i < x->n_tensors && i < y->n_tensors; i++) {
			const struct tfit_tensor *p = &x->tensors[i], *q = &y->tensors[i];
			CHECK(same_str(p->name, q->name));
			CHECK(p->rank == q->rank && p->dtype == q->dtype && p->flags == q->flags);
			CHECK(p->rank != q->rank || memcmp(tfit_tensor_dims32(p), tfit_tensor_dims32(q),
						    (size_t)p->rank * sizeof(int32_t)) == 0);
			CHECK_U64(tfit_tensor_data_bytes(p), tfit_tensor_data_bytes(q));
			CHECK_U64(tfit_tensor_data_offset(p), tfit_tensor_data_offset(q));
			CHECK_U64(tfit_tensor_quant(p)->scale_count, tfit_tensor_quant(q)->scale_count);
			CHECK_I64(tfit_tensor_offline_offset(p), tfit_tensor_offline_offset(q));
		}
		for (i = 0; i < x->n_ops && i < y->n_ops; i++) {
			const struct tfit_op *p = &x->ops[i], *q = &y->ops[i];
			CHECK(p->type == q->type && p->tflite_code == q->tflite_code);
			CHECK(same_str(tfit_op_custom_name(p), tfit_op_custom_name(q)));
			CHECK(p->n_inputs == q->n_inputs && p->n_outputs == q->n_outputs);
			for (k = 0; k < p->n_inputs && k < q->n_inputs; k++)
				CHECK_I64(p->inputs[k], q->inputs[k]);
			for (k = 0; k < p->n_outputs && k < q->n_outputs; k++)
				CHECK_I64(tfit_op_outputs(p)[k], tfit_op_outputs(q)[k]);
			CHECK_U64(tfit_op_macs(p), tfit_op_macs(q));
			CHECK_U64(tfit_op_elem_ops(p), tfit_op_elem_ops(q));
			CHECK_U64(tfit_op_params(x, p), tfit_op_params(y, q));
		}
	}
	tfit_model_free(b);
}

static void test_all_models(void)
{
	size_t i;
	for (i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
		struct tfit_model *m = load(models[i].file);
		CHECK(m != NULL);
		if (!m)
			continue;
		check_same_as_memory(models[i].file, m);
		CHECK_U64(m->n_subgraphs, 1);
		CHECK_U64(m->subgraphs[0].n_tensors, models[i].tensors);
		CHECK_U64(m->subgraphs[0].n_ops, models[i].ops);
		CHECK_I64(m->dtype, models[i].dtype);
		CHECK_I64(m->format, TFIT_MODEL_FORMAT_TFLITE);
		CHECK_U64(m->tflite_version, 3);
		CHECK_I64(m->hybrid, strcmp(models[i].file, "kws_ref_model_float32.tflite") == 0);
		if (m->subgraphs[0].n_tensors != models[i].tensors)
			fprintf(stderr, "  in %s\n", models[i].file);
		tfit_model_free(m);
	}
}

static void test_seanet(void)
{
	DIR *d = opendir(MODELS "seanet");
	struct dirent *e;
	int n = 0;
	CHECK(d != NULL);
	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		char file[300];
		struct tfit_model *m;
		size_t len = strlen(e->d_name);
		if (len < 7 || strcmp(e->d_name + len - 7, ".tflite") != 0)
			continue;
		snprintf(file, sizeof(file), "seanet/%s", e->d_name);
		m = load(file);
		CHECK(m != NULL);
		if (m) {
			CHECK_U64(m->subgraphs[0].n_ops, 1);
			CHECK(m->subgraphs[0].ops[0].type != TFIT_OP_UNKNOWN);
			tfit_model_free(m);
		}
		n++;
	}
	closedir(d);
	CHECK_I64(n, 127);
}

static void test_kws(void)
{
	struct tfit_model *m = load("kws_ref_model.tflite");
	const struct tfit_subgraph *sg;
	CHECK(m != NULL);
	if (!m)
		return;
	sg = &m->subgraphs[0];
	CHECK_STR(m->min_runtime_version, "1.5.0");
	CHECK_U64(m->n_warnings, 0);
	CHECK_U64(m->file_bytes, 53936);
	/* input [1,49,10,1] int8 (batch dynamic), output [1,12] */
	CHECK_I64(sg->inputs[0], 0);
	CHECK_I64(sg->tensors[0].rank, 4);
	CHECK_I64(tfit_dim(&sg->tensors[0], 1), 49);
	CHECK_U64(sg->tensors[0].dynamic_dims, 1);
	CHECK_U64(sg->tensors[0].flags, 0);
	CHECK_I64(sg->outputs[0], 34);
	CHECK_U64(tfit_tensor_bytes(&sg->tensors[34]), 12);
	/* first conv: 64x10x4x1 per-channel int8 weights, stride 2, SAME, relu */
	CHECK_I64(sg->ops[0].type, TFIT_OP_CONV_2D);
	CHECK_I64(sg->ops[0].inputs[1], 17);
	CHECK_U64(sg->tensors[17].flags & TFIT_TENSOR_FLAGS, TFIT_TENSOR_CONST);
	CHECK_U64(tfit_tensor_data_bytes(&sg->tensors[17]), 2560);
	CHECK_U64(tfit_tensor_quant(&sg->tensors[17])->scale_count, 64);
	CHECK_I64(sg->ops[0].opt->stride_h, 2);
	CHECK_I64(sg->ops[0].opt->stride_w, 2);
	CHECK_I64(sg->ops[0].opt->padding, TFIT_PAD_SAME);
	CHECK_I64(sg->ops[0].opt->activation, TFIT_ACT_RELU);
	/* depthwise weights quantized along dim 3 */
	CHECK_I64(sg->ops[1].type, TFIT_OP_DEPTHWISE_CONV_2D);
	CHECK_I64(tfit_tensor_quant(&sg->tensors[5])->quantized_dimension, 3);
	CHECK_I64(sg->ops[1].opt->depth_multiplier, 1);
	/* average pool 25x5, VALID */
	CHECK_I64(sg->ops[9].type, TFIT_OP_AVERAGE_POOL_2D);
	CHECK_I64(sg->ops[9].opt->filter_h, 25);
	CHECK_I64(sg->ops[9].opt->filter_w, 5);
	CHECK_I64(sg->ops[9].opt->stride_h, 25);
	CHECK_I64(sg->ops[9].opt->padding, TFIT_PAD_VALID);
	CHECK_I64(sg->ops[12].type, TFIT_OP_SOFTMAX);
	tfit_model_free(m);
}

static void test_special_models(void)
{
	struct tfit_model *m;
	const struct tfit_subgraph *sg;
	static const int64_t vela_offsets[6] = { 0, -1, -1, 0, 0, 0 };
	const int32_t *mid;
	uint32_t n_mid;
	int i;

	/* the hybrid file TFLM rejects */
	m = load("kws_ref_model_float32.tflite");
	CHECK(m != NULL);
	if (m) {
		CHECK_I64(m->hybrid, 1);
		CHECK_I64(m->hybrid_subgraph, 0);
		CHECK_I64(m->hybrid_op, 0);
		CHECK_I64(m->subgraphs[0].tensors[m->subgraphs[0].inputs[0]].dtype,
			  TFIT_DTYPE_FLOAT32);
		CHECK_U64(m->n_warnings, 1);
		tfit_model_free(m);
	}

	/* Vela: one ethos-u custom op and an offline plan for its 6 tensors */
	m = load("person_detect_vela.tflite");
	CHECK(m != NULL);
	if (m) {
		sg = &m->subgraphs[0];
		CHECK_I64(sg->ops[0].type, TFIT_OP_CUSTOM);
		CHECK_STR(tfit_op_custom_name(&sg->ops[0]), "ethos-u");
		CHECK_I64(m->has_offline_plan, 1);
		CHECK_U64(m->offline_plan_tensors, 6);
		for (i = 0; i < 6; i++)
			CHECK_I64(tfit_tensor_offline_offset(&sg->tensors[i]), vela_offsets[i]);
		CHECK_U64(m->n_warnings, 1);
		tfit_model_free(m);
	}

	/* LSTM: units from the weights, tanh, 5 zero-size intermediates */
	m = load("micro_speech_lstm.tflite");
	CHECK(m != NULL);
	if (m) {
		sg = &m->subgraphs[0];
		CHECK_I64(sg->ops[0].type, TFIT_OP_UNIDIRECTIONAL_SEQUENCE_LSTM);
		CHECK_U64(sg->ops[0].n_inputs, 24);
		mid = tfit_op_intermediates(&sg->ops[0], &n_mid);
		CHECK_U64(n_mid, 5);
		CHECK_I64(sg->ops[0].opt->units, 80);
		CHECK_I64(sg->ops[0].opt->activation, TFIT_ACT_TANH);
		for (i = 0; i < (int)n_mid; i++)
			CHECK_U64(tfit_tensor_bytes(&sg->tensors[mid[i]]), 0);
		tfit_model_free(m);
	}

	/* SVDF: rank 1, units = weights_feature rows / rank; state is variable */
	m = load("keyword_scrambled.tflite");
	CHECK(m != NULL);
	if (m) {
		uint32_t nvar = 0, t;
		sg = &m->subgraphs[0];
		CHECK_I64(sg->ops[1].type, TFIT_OP_SVDF);
		CHECK_I64(sg->ops[1].opt->rank, 1);
		CHECK_I64(sg->ops[1].opt->units, 64);
		CHECK_I64(sg->ops[9].opt->units, 32);
		for (t = 0; t < sg->n_tensors; t++)
			nvar += (sg->tensors[t].flags & TFIT_TENSOR_VARIABLE) != 0;
		CHECK_U64(nvar, 7);   /* TFLM-TRUTH: 7 variable buffers */
		tfit_model_free(m);
	}

	/* signal-library custom ops, one warning per name */
	m = load("audio_preprocessor_int8.tflite");
	CHECK(m != NULL);
	if (m) {
		sg = &m->subgraphs[0];
		CHECK_STR(tfit_op_custom_name(&sg->ops[0]), "SignalWindow");
		CHECK_U64(m->n_warnings, 9);
		tfit_model_free(m);
	}
}

int main(void)
{
	if (!tfit_test_have_shared())
		return 77;
	test_all_models();
	test_seanet();
	test_kws();
	test_special_models();
	return tfit_test_finish();
}
