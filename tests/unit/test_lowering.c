/*
 * Shape inference for every layer type (edge cases included) and the
 * converter's lowering: batch-norm folding, activation fusing, dropout
 * removal, flatten as reshape, mixed precision.
 */
#include "model/lower_ctx.h"
#include "tfit_test.h"
#include "tinyfit/model_io.h"

static struct tfit_model *build(const char *json, struct tfit_error *err)
{
	struct tfit_model *m = NULL;
	tfit_error_clear(err);
	if (tfit_model_load_buffer(json, strlen(json), "t.json", NULL, &m, err) != TFIT_OK)
		return NULL;
	return m;
}

/* The output tensor of the last op. */
static const struct tfit_tensor *last_out(const struct tfit_model *m)
{
	const struct tfit_subgraph *sg = &m->subgraphs[0];
	return &sg->tensors[tfit_op_outputs(&sg->ops[sg->n_ops - 1])[0]];
}

static void shape_is(const char *what, const char *json, int rank, int64_t d1, int64_t d2,
		     int64_t d3)
{
	struct tfit_error err;
	struct tfit_model *m = build(json, &err);
	const struct tfit_tensor *t;
	if (!m) {
		fprintf(stderr, "%s: unexpected error: %s: %s\n", what, err.path, err.message);
		CHECK(m != NULL);
		return;
	}
	t = last_out(m);
	CHECK_I64(t->rank, rank);
	if (rank > 1) CHECK_I64(tfit_dim(t, 1), d1);
	if (rank > 2) CHECK_I64(tfit_dim(t, 2), d2);
	if (rank > 3) CHECK_I64(tfit_dim(t, 3), d3);
	tfit_model_free(m);
}

#define M(shape, layers) "{\"inputs\":[{\"name\":\"x\",\"shape\":" shape "}],\"layers\":[" layers "]}"

static void test_conv_shapes(void)
{
	/* SAME: ceil(in/stride) */
	shape_is("same odd", M("[7,7,3]", "{\"type\":\"conv2d\",\"filters\":4,\"kernel\":3,\"strides\":2,\"padding\":\"same\",\"inputs\":[\"x\"]}"), 4, 4, 4, 4);
	/* VALID: floor((in - k)/s) + 1 */
	shape_is("valid", M("[7,7,3]", "{\"type\":\"conv2d\",\"filters\":4,\"kernel\":3,\"strides\":2,\"inputs\":[\"x\"]}"), 4, 3, 3, 4);
	/* valid down to exactly 1 */
	shape_is("valid to 1", M("[5,5,1]", "{\"type\":\"conv2d\",\"filters\":2,\"kernel\":5,\"inputs\":[\"x\"]}"), 4, 1, 1, 2);
	/* stride larger than kernel: 1x1 kernel, stride 3 on 10 -> 4 */
	shape_is("stride > kernel", M("[10,10,2]", "{\"type\":\"conv2d\",\"filters\":2,\"kernel\":1,\"strides\":3,\"inputs\":[\"x\"]}"), 4, 4, 4, 2);
	/* dilation 2 with a 3x3 kernel covers 5x5: 9 -> 5 */
	shape_is("dilation", M("[9,9,1]", "{\"type\":\"conv2d\",\"filters\":1,\"kernel\":3,\"dilation\":2,\"inputs\":[\"x\"]}"), 4, 5, 5, 1);
	/* non-square kernel and strides (DS-CNN's first layer) */
	shape_is("kws conv", M("[49,10,1]", "{\"type\":\"conv2d\",\"filters\":64,\"kernel\":[10,4],\"strides\":[2,2],\"padding\":\"same\",\"inputs\":[\"x\"]}"), 4, 25, 5, 64);
	shape_is("depthwise mult", M("[8,8,3]", "{\"type\":\"depthwise_conv2d\",\"kernel\":3,\"depth_multiplier\":2,\"padding\":\"same\",\"inputs\":[\"x\"]}"), 4, 8, 8, 6);
	shape_is("separable", M("[8,8,3]", "{\"type\":\"separable_conv2d\",\"filters\":5,\"kernel\":3,\"strides\":2,\"padding\":\"same\",\"inputs\":[\"x\"]}"), 4, 4, 4, 5);
	shape_is("conv1d", M("[50,3]", "{\"type\":\"conv1d\",\"filters\":8,\"kernel\":5,\"strides\":2,\"inputs\":[\"x\"]}"), 3, 23, 8, 0);
	shape_is("transpose", M("[4,4,8]", "{\"type\":\"conv2d_transpose\",\"filters\":3,\"kernel\":3,\"strides\":2,\"padding\":\"same\",\"inputs\":[\"x\"]}"), 4, 8, 8, 3);
	shape_is("transpose valid", M("[4,4,8]", "{\"type\":\"conv2d_transpose\",\"filters\":3,\"kernel\":3,\"strides\":2,\"inputs\":[\"x\"]}"), 4, 9, 9, 3);
}

static void test_other_shapes(void)
{
	shape_is("max pool default", M("[9,9,4]", "{\"type\":\"max_pool2d\",\"inputs\":[\"x\"]}"), 4, 4, 4, 4);
	shape_is("avg pool same", M("[9,9,4]", "{\"type\":\"avg_pool2d\",\"pool_size\":2,\"padding\":\"same\",\"inputs\":[\"x\"]}"), 4, 5, 5, 4);
	shape_is("pool1d", M("[10,4]", "{\"type\":\"max_pool1d\",\"pool_size\":3,\"inputs\":[\"x\"]}"), 3, 3, 4, 0);
	shape_is("gap", M("[5,5,16]", "{\"type\":\"global_avg_pool2d\",\"inputs\":[\"x\"]}"), 2, 16, 0, 0);
	shape_is("gmp", M("[5,5,16]", "{\"type\":\"global_max_pool2d\",\"inputs\":[\"x\"]}"), 2, 16, 0, 0);
	shape_is("flatten", M("[5,5,16]", "{\"type\":\"flatten\",\"inputs\":[\"x\"]}"), 2, 400, 0, 0);
	shape_is("reshape -1", M("[4,6]", "{\"type\":\"reshape\",\"target_shape\":[3,-1],\"inputs\":[\"x\"]}"), 3, 3, 8, 0);
	shape_is("dense 3d", M("[10,6]", "{\"type\":\"dense\",\"units\":4,\"inputs\":[\"x\"]}"), 3, 10, 4, 0);
	shape_is("zero pad", M("[5,5,2]", "{\"type\":\"zero_padding2d\",\"padding\":[[1,2],[3,4]],\"inputs\":[\"x\"]}"), 4, 8, 12, 2);
	shape_is("upsample", M("[5,4,2]", "{\"type\":\"upsampling2d\",\"size\":[2,3],\"inputs\":[\"x\"]}"), 4, 10, 12, 2);
	shape_is("concat", "{\"inputs\":[{\"name\":\"a\",\"shape\":[4,4,3]},{\"name\":\"b\",\"shape\":[4,4,5]}],\"layers\":[{\"type\":\"concatenate\",\"inputs\":[\"a\",\"b\"]}]}", 4, 4, 4, 8);
	shape_is("add broadcast", "{\"inputs\":[{\"name\":\"a\",\"shape\":[4,4,3]},{\"name\":\"b\",\"shape\":[1,1,3]}],\"layers\":[{\"type\":\"add\",\"inputs\":[\"a\",\"b\"]}]}", 4, 4, 4, 3);
	shape_is("lstm seq", M("[20,8]", "{\"type\":\"lstm\",\"units\":6,\"return_sequences\":true,\"inputs\":[\"x\"]}"), 3, 20, 6, 0);
	shape_is("lstm last", M("[20,8]", "{\"type\":\"lstm\",\"units\":6,\"inputs\":[\"x\"]}"), 2, 6, 0, 0);
	shape_is("gru", M("[20,8]", "{\"type\":\"gru\",\"units\":6,\"inputs\":[\"x\"]}"), 2, 6, 0, 0);
	shape_is("rnn", M("[20,8]", "{\"type\":\"simple_rnn\",\"units\":6,\"return_sequences\":true,\"inputs\":[\"x\"]}"), 3, 20, 6, 0);
	shape_is("avg pool1d same", M("[10,4]", "{\"type\":\"avg_pool1d\",\"pool_size\":3,\"strides\":2,\"padding\":\"same\",\"inputs\":[\"x\"]}"), 3, 5, 4, 0);
	shape_is("gap1d", M("[10,4]", "{\"type\":\"global_avg_pool1d\",\"inputs\":[\"x\"]}"), 2, 4, 0, 0);
	shape_is("gmp1d", M("[10,4]", "{\"type\":\"global_max_pool1d\",\"inputs\":[\"x\"]}"), 2, 4, 0, 0);
	shape_is("zero pad1d", M("[10,4]", "{\"type\":\"zero_padding1d\",\"padding\":[2,3],\"inputs\":[\"x\"]}"), 3, 15, 4, 0);
	shape_is("crop", M("[10,9,2]", "{\"type\":\"cropping2d\",\"cropping\":[[1,2],[3,1]],\"inputs\":[\"x\"]}"), 4, 7, 5, 2);
	shape_is("permute", M("[3,5,7]", "{\"type\":\"permute\",\"dims\":[3,1,2],\"inputs\":[\"x\"]}"), 4, 7, 3, 5);
	shape_is("rescaling", M("[3,5]", "{\"type\":\"rescaling\",\"scale\":0.5,\"offset\":-1,\"inputs\":[\"x\"]}"), 3, 3, 5, 0);
	shape_is("normalization", M("[3,5]", "{\"type\":\"normalization\",\"inputs\":[\"x\"]}"), 3, 3, 5, 0);
	shape_is("bn standalone", M("[3,5]", "{\"type\":\"batch_normalization\",\"inputs\":[\"x\"]}"), 3, 3, 5, 0);
	shape_is("identity+dropout", M("[6]", "{\"type\":\"dense\",\"units\":2,\"inputs\":[\"x\"]},{\"type\":\"identity\"},{\"type\":\"dropout\",\"rate\":0.5}"), 2, 2, 0, 0);
	shape_is("multiply 3", "{\"inputs\":[{\"name\":\"a\",\"shape\":[4,3]},{\"name\":\"b\",\"shape\":[4,3]},{\"name\":\"c\",\"shape\":[1,3]}],\"layers\":[{\"type\":\"multiply\",\"inputs\":[\"a\",\"b\",\"c\"]}]}", 3, 4, 3, 0);
	shape_is("subtract", "{\"inputs\":[{\"name\":\"a\",\"shape\":[4,3]},{\"name\":\"b\",\"shape\":[4,3]}],\"layers\":[{\"type\":\"subtract\",\"inputs\":[\"a\",\"b\"]}]}", 3, 4, 3, 0);
	shape_is("maximum", "{\"inputs\":[{\"name\":\"a\",\"shape\":[4,3]},{\"name\":\"b\",\"shape\":[4,3]}],\"layers\":[{\"type\":\"maximum\",\"inputs\":[\"a\",\"b\"]}]}", 3, 4, 3, 0);
	shape_is("minimum", "{\"inputs\":[{\"name\":\"a\",\"shape\":[4,3]},{\"name\":\"b\",\"shape\":[4,3]}],\"layers\":[{\"type\":\"minimum\",\"inputs\":[\"a\",\"b\"]}]}", 3, 4, 3, 0);
	shape_is("average", "{\"inputs\":[{\"name\":\"a\",\"shape\":[4,3]},{\"name\":\"b\",\"shape\":[4,3]}],\"layers\":[{\"type\":\"average\",\"inputs\":[\"a\",\"b\"]}]}", 3, 4, 3, 0);
	shape_is("input layer", "{\"layers\":[{\"name\":\"x\",\"type\":\"input\",\"shape\":[8]},{\"type\":\"dense\",\"units\":3}]}", 2, 3, 0, 0);
	shape_is("conv1d same dilated", M("[20,3]", "{\"type\":\"conv1d\",\"filters\":4,\"kernel\":3,\"dilation\":4,\"padding\":\"same\",\"inputs\":[\"x\"]}"), 3, 20, 4, 0);
	shape_is("embedding", "{\"inputs\":[{\"name\":\"ids\",\"shape\":[12],\"dtype\":\"int32\"}],\"layers\":[{\"type\":\"embedding\",\"input_dim\":100,\"output_dim\":16,\"inputs\":[\"ids\"]}]}", 3, 12, 16, 0);
}

static void test_params_recurrent(void)
{
	struct tfit_error err;
	struct tfit_model *m;
	/* GRU reset_after (Keras default): 3x(in*u + u*u + 2u) = 3x(48+36+12) = 288 */
	m = build(M("[20,8]", "{\"type\":\"gru\",\"units\":6,\"inputs\":[\"x\"]}"), &err);
	CHECK(m && m->params == 288);
	/* GRU MACs: 20 steps x 3x(8+6)x6 = 5,040 */
	CHECK(m && m->macs == 5040);
	tfit_model_free(m);
	m = build(M("[20,8]", "{\"type\":\"gru\",\"units\":6,\"reset_after\":false,\"inputs\":[\"x\"]}"), &err);
	CHECK(m && m->params == 270);
	tfit_model_free(m);
	/* SimpleRNN: in*u + u*u + u = 48 + 36 + 6 = 90; MACs 20x(8+6)x6 = 1,680 */
	m = build(M("[20,8]", "{\"type\":\"simple_rnn\",\"units\":6,\"inputs\":[\"x\"]}"), &err);
	CHECK(m && m->params == 90 && m->macs == 1680);
	tfit_model_free(m);
	/* Embedding 100x16 = 1,600 params, 0 MACs */
	m = build("{\"inputs\":[{\"name\":\"ids\",\"shape\":[12],\"dtype\":\"int32\"}],\"layers\":[{\"type\":\"embedding\",\"input_dim\":100,\"output_dim\":16,\"inputs\":[\"ids\"]}]}", &err);
	CHECK(m && m->params == 1600 && m->macs == 0);
	tfit_model_free(m);
}

static void test_folding_and_fusing(void)
{
	struct tfit_error err;
	struct tfit_model *m;
	const struct tfit_subgraph *sg;

	/* conv (no bias) -> bn -> relu -> dropout: one CONV_2D op with a bias
	 * created by the fold and ReLU fused */
	m = build(M("[8,8,3]", "{\"type\":\"conv2d\",\"filters\":4,\"kernel\":3,\"use_bias\":false,\"inputs\":[\"x\"]},"
		    "{\"type\":\"batch_normalization\"},{\"type\":\"activation\",\"activation\":\"relu\"},{\"type\":\"dropout\"}"), &err);
	CHECK(m != NULL);
	if (m) {
		sg = &m->subgraphs[0];
		CHECK_U64(sg->n_ops, 1);
		CHECK(sg->ops[0].type == TFIT_OP_CONV_2D);
		CHECK(sg->ops[0].opt->activation == TFIT_ACT_RELU);
		/* Keras: 3x3x3x4 = 108 + bn 16 = 124; deployed 108 + bias 4 = 112 */
		CHECK_U64(m->params, 124);
		CHECK_U64(m->deployed_params, 112);
		tfit_model_free(m);
	}
	/* relu before bn: the bn cannot fold and becomes MUL + ADD */
	m = build(M("[8,8,3]", "{\"type\":\"conv2d\",\"filters\":4,\"kernel\":3,\"activation\":\"relu\",\"inputs\":[\"x\"]},"
		    "{\"type\":\"batch_normalization\"}"), &err);
	CHECK(m != NULL);
	if (m) {
		sg = &m->subgraphs[0];
		CHECK_U64(sg->n_ops, 3);
		CHECK(sg->ops[1].type == TFIT_OP_MUL && sg->ops[2].type == TFIT_OP_ADD);
		CHECK_U64(m->params, 112 + 16);
		CHECK_U64(m->deployed_params, 112 + 8);
		tfit_model_free(m);
	}
	/* a conv output read twice is not folded into (the other reader needs
	 * the unnormalised value) */
	m = build("{\"inputs\":[{\"name\":\"x\",\"shape\":[8,8,3]}],\"layers\":["
		  "{\"name\":\"c\",\"type\":\"conv2d\",\"filters\":4,\"kernel\":1,\"inputs\":[\"x\"]},"
		  "{\"name\":\"bn\",\"type\":\"batch_normalization\",\"inputs\":[\"c\"]},"
		  "{\"name\":\"sum\",\"type\":\"add\",\"inputs\":[\"c\",\"bn\"]}]}", &err);
	CHECK(m != NULL);
	if (m) {
		CHECK_U64(m->subgraphs[0].n_ops, 4); /* conv, mul, add(bn), add */
		tfit_model_free(m);
	}
	/* relu6 after add fuses; sigmoid does not */
	m = build("{\"inputs\":[{\"name\":\"a\",\"shape\":[4]},{\"name\":\"b\",\"shape\":[4]}],\"layers\":["
		  "{\"type\":\"add\",\"inputs\":[\"a\",\"b\"]},{\"type\":\"activation\",\"activation\":\"relu6\"},"
		  "{\"type\":\"activation\",\"activation\":\"sigmoid\"}]}", &err);
	CHECK(m != NULL);
	if (m) {
		sg = &m->subgraphs[0];
		CHECK_U64(sg->n_ops, 2);
		CHECK(sg->ops[0].opt->activation == TFIT_ACT_RELU6);
		CHECK(sg->ops[1].type == TFIT_OP_LOGISTIC);
		tfit_model_free(m);
	}
	/* flatten becomes RESHAPE with a 2-element int32 shape constant */
	m = build(M("[2,3,4]", "{\"type\":\"flatten\",\"inputs\":[\"x\"]}"), &err);
	CHECK(m != NULL);
	if (m) {
		sg = &m->subgraphs[0];
		CHECK(sg->ops[0].type == TFIT_OP_RESHAPE);
		CHECK_U64(m->weights_bytes, 8);
		CHECK_U64(m->deployed_params, 0);
		tfit_model_free(m);
	}
}

static void test_dtypes(void)
{
	struct tfit_error err;
	struct tfit_model *m;
	const struct tfit_subgraph *sg;
	const char *json = "{\"dtype\":\"int8\",\"inputs\":[{\"name\":\"x\",\"shape\":[8,8,3]}],\"layers\":["
			   "{\"name\":\"c\",\"type\":\"conv2d\",\"filters\":4,\"kernel\":3,\"inputs\":[\"x\"]},"
			   "{\"name\":\"dw\",\"type\":\"depthwise_conv2d\",\"kernel\":3,\"depth_multiplier\":2},"
			   "{\"type\":\"flatten\"},{\"name\":\"fc\",\"type\":\"dense\",\"units\":3,\"dtype\":\"float32\"}]}";
	m = build(json, &err);
	CHECK(m != NULL);
	if (!m)
		return;
	sg = &m->subgraphs[0];
	/* conv weights int8 [4,3,3,3] per-channel (4 scales), bias int32 [4] */
	CHECK(sg->tensors[sg->ops[0].inputs[1]].dtype == TFIT_DTYPE_INT8);
	CHECK_U64(tfit_tensor_quant(&sg->tensors[sg->ops[0].inputs[1]])->scale_count, 4);
	CHECK(sg->tensors[sg->ops[0].inputs[2]].dtype == TFIT_DTYPE_INT32);
	/* depthwise per-channel on the last axis: 4 channels x 2 = 8 scales */
	CHECK_U64(tfit_tensor_quant(&sg->tensors[sg->ops[1].inputs[1]])->scale_count, 8);
	CHECK_I64(tfit_tensor_quant(&sg->tensors[sg->ops[1].inputs[1]])->quantized_dimension, 3);
	/* the float32 dense layer gets a DEQUANTIZE before it */
	CHECK(sg->ops[3].type == TFIT_OP_DEQUANTIZE);
	CHECK(sg->ops[4].type == TFIT_OP_FULLY_CONNECTED);
	CHECK(sg->tensors[sg->ops[4].inputs[1]].dtype == TFIT_DTYPE_FLOAT32);
	tfit_model_free(m);

	/* --dtype int4 on the same model: weights pack two per byte */
	{
		struct tfit_load_opts o;
		tfit_load_opts_init(&o);
		o.dtype = TFIT_DTYPE_INT4;
		CHECK(tfit_model_load_buffer(json, strlen(json), "t.json", &o, &m, &err) == TFIT_OK);
		if (m) {
			sg = &m->subgraphs[0];
			/* 4x3x3x3 = 108 int4 weights = 54 bytes */
			CHECK_U64(tfit_tensor_bytes(&sg->tensors[sg->ops[0].inputs[1]]), 54);
			tfit_model_free(m);
		}
	}
}

/* Explicit outputs are resolved to layers before the lowering (the name
 * map is released then, issue #17): an output keeps its producer from being
 * fused into, the model's outputs follow the list, and an unknown one is an
 * error after every layer is lowered, so a layer's error comes first. */
static void test_outputs(void)
{
#define OUT_MODEL(outputs, kernel) \
	"{\"inputs\":[{\"name\":\"x\",\"shape\":[4,4,2]}],\"layers\":[" \
	"{\"name\":\"c\",\"type\":\"conv2d\",\"filters\":2,\"kernel\":" kernel ",\"inputs\":[\"x\"]}," \
	"{\"name\":\"r\",\"type\":\"activation\",\"activation\":\"relu\"}]" outputs "}"
	struct tfit_error err;
	struct tfit_model *m;
	const struct tfit_subgraph *sg;

	/* no outputs: the relu fuses into the conv, one op */
	m = build(OUT_MODEL("", "1"), &err);
	CHECK(m != NULL);
	if (m) {
		CHECK_U64(m->subgraphs[0].n_ops, 1);
		tfit_model_free(m);
	}
	/* c is an output: CONV_2D then RELU, outputs [c's tensor, r's] */
	m = build(OUT_MODEL(",\"outputs\":[\"c\",\"r\"]", "1"), &err);
	CHECK(m != NULL);
	if (m) {
		sg = &m->subgraphs[0];
		CHECK_U64(sg->n_ops, 2);
		CHECK(sg->ops[0].type == TFIT_OP_CONV_2D);
		CHECK(sg->ops[0].opt->activation == TFIT_ACT_NONE);
		CHECK(sg->ops[1].type == TFIT_OP_RELU);
		CHECK_U64(sg->n_outputs, 2);
		if (sg->n_outputs == 2) {
			CHECK_I64(sg->outputs[0], tfit_op_outputs(&sg->ops[0])[0]);
			CHECK_I64(sg->outputs[1], tfit_op_outputs(&sg->ops[1])[0]);
		}
		tfit_model_free(m);
	}
	/* an unknown output */
	m = build(OUT_MODEL(",\"outputs\":[\"c\",\"nope\"]", "1"), &err);
	CHECK(m == NULL);
	CHECK_STR(err.path, "outputs[1]");
	CHECK_STR(err.message, "unknown layer 'nope' (expected the name of a layer)");
	/* and a layer that cannot be lowered (a 5x5 kernel on 4x4, VALID): the
	 * layer's error */
	m = build(OUT_MODEL(",\"outputs\":[\"nope\"]", "5"), &err);
	CHECK(m == NULL);
	CHECK(strncmp(err.path, "layers[0]", 9) == 0);
	tfit_model_free(m);
#undef OUT_MODEL
	/* one per layer while lowering (LP64): 2 x int32 indices, the count, 2
	 * flags and 2 of padding; it was 32 with a name pointer and a size_t */
	if (sizeof(void *) == 8)
		CHECK_U64(sizeof(struct lower_value), 16);
}

/* The lowering keeps layer indices and input positions in uint32_t: a list
 * with more layer inputs than that is a limit error before any is read
 * (the count is set, the names are not there). */
static void test_index_limit(void)
{
	struct tfit_layer_list l;
	struct tfit_layer *in, *add;
	struct tfit_model *m = NULL;
	struct tfit_error err;
	tfit_error_clear(&err);
	tfit_layer_list_init(&l);
	in = tfit_layer_list_add(&l, TFIT_LAYER_INPUT);
	CHECK(in != NULL);
	if (!in || tfit_layer_set_str(&l, &in->name, "x") != 0)
		goto out;
	add = tfit_layer_list_add(&l, TFIT_LAYER_ADD);
	CHECK(add != NULL);
	if (!add)
		goto out;
	add->n_inputs = (size_t)UINT32_MAX / 2 + 1; /* 2,147,483,648 */
	CHECK(tfit_layers_lower(&l, "t.json", TFIT_MODEL_FORMAT_NATIVE, &m, &err) == TFIT_ERR_LIMIT);
	CHECK(m == NULL);
	CHECK_STR(err.path, "layers");
	CHECK_STR(err.message, "the model has more than 1073741823 layers or 2147483647 layer inputs (the limit)");
	add->n_inputs = 0;
out:
	tfit_layer_list_release(&l);
}

int main(void)
{
	test_conv_shapes();
	test_other_shapes();
	test_params_recurrent();
	test_folding_and_fusing();
	test_dtypes();
	test_outputs();
	test_index_limit();
	return tfit_test_finish();
}
