/*
 * The streamed JSON reading (src/util/json_stream.c, issue #17): a model
 * whose layers are parsed one at a time must be the same model as the one
 * read from the whole tree (tfit_load_opts.json_whole_tree), and a broken
 * file must give the same error (code, path, line, column, message).
 */
#include <stdlib.h>
#include <string.h>

#include "tfit_test.h"
#include "tinyfit/fileio.h"
#include "tinyfit/model_io.h"
#include "util/json_util.h"

struct outcome {
	enum tfit_status rc;
	struct tfit_error err;
	struct tfit_model *m;
};

static void load_both(const char *text, size_t len, const char *name, struct outcome *s,
		      struct outcome *w)
{
	struct tfit_load_opts o;
	tfit_load_opts_init(&o);
	tfit_error_clear(&s->err);
	tfit_error_clear(&w->err);
	s->rc = tfit_model_load_buffer(text, len, name, &o, &s->m, &s->err);
	o.json_whole_tree = 1;
	w->rc = tfit_model_load_buffer(text, len, name, &o, &w->m, &w->err);
}

/* The same model: every tensor and op, and the totals. */
static void check_same_model(const struct tfit_model *a, const struct tfit_model *b,
			     const char *what)
{
	uint32_t g, i, k;
	int before = tfit_test_failures;
	CHECK(a && b);
	if (!a || !b)
		return;
	CHECK_STR(a->name, b->name);
	CHECK_U64(a->format, b->format);
	CHECK_U64(a->params, b->params);
	CHECK_U64(a->deployed_params, b->deployed_params);
	CHECK_U64(a->macs, b->macs);
	CHECK_U64(a->weights_bytes, b->weights_bytes);
	CHECK_U64(a->n_warnings, b->n_warnings);
	for (i = 0; i < a->n_warnings && i < b->n_warnings; i++)
		CHECK_STR(a->warnings[i], b->warnings[i]);
	CHECK_U64(a->n_subgraphs, b->n_subgraphs);
	for (g = 0; g < a->n_subgraphs && g < b->n_subgraphs; g++) {
		const struct tfit_subgraph *x = &a->subgraphs[g], *y = &b->subgraphs[g];
		CHECK_U64(x->n_tensors, y->n_tensors);
		CHECK_U64(x->n_ops, y->n_ops);
		for (i = 0; i < x->n_tensors && i < y->n_tensors; i++) {
			CHECK_STR(x->tensors[i].name ? x->tensors[i].name : "",
				  y->tensors[i].name ? y->tensors[i].name : "");
			CHECK_U64(x->tensors[i].dtype, y->tensors[i].dtype);
			CHECK_U64(tfit_tensor_bytes(&x->tensors[i]), tfit_tensor_bytes(&y->tensors[i]));
			CHECK_U64(x->tensors[i].rank, y->tensors[i].rank);
		}
		for (i = 0; i < x->n_ops && i < y->n_ops; i++) {
			CHECK_U64(x->ops[i].type, y->ops[i].type);
			CHECK_U64(x->ops[i].n_inputs, y->ops[i].n_inputs);
			CHECK_U64(x->ops[i].n_outputs, y->ops[i].n_outputs);
			for (k = 0; k < x->ops[i].n_inputs && k < y->ops[i].n_inputs; k++)
				CHECK_I64(x->ops[i].inputs[k], y->ops[i].inputs[k]);
			for (k = 0; k < x->ops[i].n_outputs && k < y->ops[i].n_outputs; k++)
				CHECK_I64(tfit_op_outputs(&x->ops[i])[k], tfit_op_outputs(&y->ops[i])[k]);
			CHECK_U64(tfit_op_macs(&x->ops[i]), tfit_op_macs(&y->ops[i]));
		}
	}
	if (tfit_test_failures != before)
		fprintf(stderr, "  (model %s)\n", what);
}

static void check_same(const char *text, size_t len, const char *name)
{
	struct outcome s, w;
	load_both(text, len, name, &s, &w);
	CHECK_U64(s.rc, w.rc);
	if (s.rc == TFIT_OK && w.rc == TFIT_OK) {
		check_same_model(s.m, w.m, name);
	} else {
		CHECK_U64(s.err.code, w.err.code);
		CHECK_STR(s.err.file, w.err.file);
		CHECK_STR(s.err.path, w.err.path);
		CHECK_I64(s.err.line, w.err.line);
		CHECK_I64(s.err.column, w.err.column);
		CHECK_STR(s.err.message, w.err.message);
		if (strcmp(s.err.message, w.err.message) != 0)
			fprintf(stderr, "  (input %s)\n", name);
	}
	tfit_model_free(s.m);
	tfit_model_free(w.m);
}

static void check_file(const char *rel)
{
	char path[1024];
	char *text = NULL;
	size_t len = 0;
	struct tfit_error err;
	snprintf(path, sizeof(path), "%s/%s", TFIT_SOURCE_DIR, rel);
	if (tfit_file_read(path, TFIT_FILE_MAX_BYTES, &text, &len, &err) != TFIT_OK) {
		fprintf(stderr, "cannot read %s: %s\n", path, err.message);
		CHECK(0);
		return;
	}
	check_same(text, len, rel);
	free(text);
}

/* Every JSON model the repository has, good and broken. */
static void test_repository_models(void)
{
	static const char *const files[] = {
		"examples/activity_mlp.json", "examples/ad_autoencoder.json",
		"examples/hvac_lstm.json", "examples/ic_resnet8.json",
		"examples/kws_dscnn.json", "examples/vww_mobilenet.json",
		"examples/keras/activity_mlp.json", "examples/keras/ad_autoencoder.json",
		"examples/keras/hvac_lstm.json", "examples/keras/ic_resnet8.json",
		"examples/keras/kws_dscnn.json", "examples/keras/vww_mobilenet.json",
		"tests/data/csv_tricky_names.json", "tests/data/fits_no_board.json",
		"tests/data/fused_names.json",
		"tests/data/keras/conv1d.json", "tests/data/keras/conv_zoo.json",
		"tests/data/keras/nested_shared_model.json", "tests/data/keras/recurrent.json",
		"tests/data/keras/shared_dense.json", "tests/data/keras/tfjs_graph_model.json",
		"tests/data/bad/cycle.json", "tests/data/bad/hybrid_float16.json",
		"tests/data/bad/kernel_arity.json", "tests/data/bad/kernel_huge_same.json",
		"tests/data/bad/kernel_too_big.json", "tests/data/bad/missing_field.json",
		"tests/data/bad/negative_dim.json", "tests/data/bad/no_inputs.json",
		"tests/data/bad/no_layers.json", "tests/data/bad/overflow_dim.json",
		"tests/data/bad/shape_mismatch.json", "tests/data/bad/syntax_error.json",
		"tests/data/bad/truncated.json", "tests/data/bad/unknown_field.json",
		"tests/data/bad/unknown_input.json", "tests/data/bad/unknown_type.json",
		"tests/data/bad/wrong_type.json", "tests/data/bad/zero_dim.json",
		"tests/data/limits/dim_2p63.json", "tests/data/limits/keras_long_names.json",
		"tests/data/limits/keras_nested_twice_16.json", "tests/data/limits/params_2p61.json",
		"tests/data/limits/weights_2p64.json",
	};
	size_t i;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		check_file(files[i]);
}

#define HEAD "{\"format\": \"tinyfit-model\", \"name\": \"t\",\n \"inputs\": [{\"name\": \"x\", \"shape\": [8]}],\n"
#define L1 "  {\"name\": \"a\", \"type\": \"dense\", \"units\": 4}"
#define L2 "  {\"name\": \"b\", \"type\": \"dense\", \"units\": 3}"

/* Broken files: the error must be the whole-tree reading's, wherever the
 * streamed walk meets it first. */
static void test_malformed(void)
{
	static const char *const texts[] = {
		/* well-formed first, as references */
		HEAD " \"layers\": [\n" L1 ",\n" L2 "\n ]}\n",
		HEAD " \"layers\": [\n" L1 "\n ], \"outputs\": [\"a\"]}\n",
		/* a control character in a later layer's name is filtered */
		HEAD " \"layers\": [\n" L1 ",\n  {\"name\": \"b\\u001b]0;x\", \"type\": \"dense\", \"units\": 3}\n ]}\n",
		/* syntax errors inside and after the array */
		HEAD " \"layers\": [\n" L1 ",\n" L2 ",\n ]}\n",
		HEAD " \"layers\": [\n" L1 ",\n" L2 " " L1 "\n ]}\n",
		HEAD " \"layers\": [\n" L1 ",\n  {\"name\": \"b\" \"type\": 1}\n ]}\n",
		HEAD " \"layers\": [\n" L1 ",\n" L2 "\n ]\n",
		HEAD " \"layers\": [\n" L1 ",\n" L2 "\n ]} x\n",
		HEAD " \"layers\": [\n" L1 ",\n" L2 "\n ], \"outputs\": [\"b\",]}\n",
		HEAD " \"layers\": [\n" L1 ",\n" L2 "\n ]}]\n",
		HEAD " \"layers\": [\n" L1 ",\n  01\n ]}\n",
		HEAD " \"layers\": [\n" L1 ", \xef\xbb\xbf" L2 "\n ]}\n",
		HEAD " \"layers\": [\n" L1 ",\n  tru\n ]}\n",
		/* a bad layer early, a syntax error or a duplicate key later:
		 * the JSON error wins, as when the tree is built first */
		HEAD " \"layers\": [\n  {\"name\": \"a\", \"type\": \"dense\", \"units\": -4},\n" L2 ",\n ]}\n",
		HEAD " \"layers\": [\n  {\"name\": \"a\", \"type\": \"dense\", \"units\": -4},\n"
		     "  {\"name\": \"b\", \"name\": \"c\", \"type\": \"dense\", \"units\": 3}\n ]}\n",
		HEAD " \"layers\": [\n  {\"name\": \"a\", \"type\": \"dense\", \"units\": -4},\n" L2 "\n ], \"name\": \"again\"}\n",
		/* model errors in later layers */
		HEAD " \"layers\": [\n" L1 ",\n  {\"name\": \"b\", \"type\": \"dense\", \"unit\": 3}\n ]}\n",
		HEAD " \"layers\": [\n" L1 ",\n  {\"name\": \"b\", \"type\": \"dense\", \"units\": 3, \"inputs\": \"nope\"}\n ]}\n",
		HEAD " \"layers\": [\n" L1 ",\n  7\n ]}\n",
		HEAD " \"layers\": [\n" L1 ",\n  \"text\"\n ]}\n",
		/* the layers written with an escaped key, or twice */
		HEAD " \"lay\\u0065rs\": [\n" L1 ",\n" L2 "\n ]}\n",
		HEAD " \"layers\": [\n" L1 ",\n" L2 "\n ], \"layers\": []}\n",
		HEAD " \"layers\": []}\n",
		/* nesting at the limit inside a later layer */
		HEAD " \"layers\": [\n" L1 ",\n  {\"name\": \"b\", \"type\": \"dense\", \"units\": 3, \"comment\":"
		     " [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
		     "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}\n ]}\n",
		HEAD " \"layers\": [\n" L1 ",\n  {\"name\": \"b\", \"type\": \"dense\", \"units\": 3, \"comment\":"
		     " [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
		     "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}\n ]}\n",
		/* a Keras file with a top-level "layers" member */
		("{\"class_name\": \"Sequential\", \"layers\": [1, 2], \"config\": {\"name\": \"s\", \"layers\": ["
		 "{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 2, \"batch_input_shape\": [null, 3]}}]}}"),
	};
	size_t i;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		char name[32];
		snprintf(name, sizeof(name), "case%zu.json", i);
		check_same(texts[i], strlen(texts[i]), name);
	}
}

/* The document itself: a lazy array holds one element in the tree, and the
 * walk gives every element once, in order. */
static void test_doc_walk(void)
{
	static const char *const path[] = { "layers", NULL };
	const char *text = "{\"a\": 1, \"layers\": [ {\"n\": 0}, {\"n\": 1} ,{\"n\": 2}], \"b\": [3]}";
	struct tfit_json_doc doc;
	struct tfit_json_iter it;
	struct tfit_error err;
	const cJSON *e, *layers;
	int n = 0;
	tfit_error_clear(&err);
	CHECK(tfit_json_doc_parse(&doc, text, strlen(text), "t.json", path, &err) == TFIT_OK);
	layers = cJSON_GetObjectItemCaseSensitive(doc.root, "layers");
	CHECK(doc.lazy != NULL && doc.lazy == layers);
	CHECK_U64(cJSON_GetArraySize(layers), 1);
	CHECK(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc.root, "b")));
	tfit_json_iter_init(&it, &doc, layers);
	while (tfit_json_iter_next(&it, &e, &err) == TFIT_OK && e) {
		CHECK_I64((int64_t)cJSON_GetObjectItemCaseSensitive(e, "n")->valuedouble, n);
		n++;
	}
	CHECK_I64(n, 3);
	/* a second walk is refused (the elements are gone) */
	tfit_json_iter_init(&it, &doc, layers);
	CHECK(tfit_json_iter_next(&it, &e, &err) != TFIT_OK);
	CHECK(tfit_json_doc_finish(&doc, &err) == TFIT_OK);
	tfit_json_doc_release(&doc);

	/* finish checks the elements no walk reached */
	text = "{\"layers\": [1, 2, {\"k\": 1, \"k\": 2}]}";
	CHECK(tfit_json_doc_parse(&doc, text, strlen(text), "t.json", path, &err) == TFIT_OK);
	CHECK(doc.lazy != NULL);
	CHECK(tfit_json_doc_finish(&doc, &err) != TFIT_OK);
	tfit_json_doc_release(&doc);
}

int main(void)
{
	test_doc_walk();
	test_malformed();
	test_repository_models();
	return tfit_test_finish();
}
