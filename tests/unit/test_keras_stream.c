/*
 * The Keras/TF.js reader with the top model's layers streamed
 * (tfit_keras_from_doc, src/model/keras_graph.c tfit_keras_stream; issue
 * #17): on every Keras model of the repository, and of ../shared/models/keras/
 * when it is there, the streamed reading must succeed by itself (no
 * fallback to the whole tree) and give the same layer list, field by
 * field, as the whole-tree reading (tfit_keras_from_json). Models the
 * streamed walk cannot read (a reference to a later layer, channels_first
 * after the first layer) must fail it and still load, through the
 * whole-tree reading, to the same model; broken ones give the whole-tree
 * error. tfit_json_count_values must count what the tree holds (the
 * expansion budget depends on it).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tfit_test.h"
#include "model/json_readers.h"
#include "model/layer.h"
#include "tinyfit/fileio.h"
#include "tinyfit/model_io.h"
#include "util/json_util.h"

static size_t tree_values(const cJSON *v)
{
	size_t n = 1;
	const cJSON *c;
	for (c = v ? v->child : NULL; c; c = c->next)
		n += tree_values(c);
	return n;
}

static const char *nz(const char *s)
{
	return s ? s : "(null)";
}

static void check_same_layers(const struct tfit_layer_list *a, const struct tfit_layer_list *b)
{
	size_t i, j;
	CHECK_STR(nz(a->name), nz(b->name));
	CHECK_U64(a->n_layers, b->n_layers);
	CHECK_U64(a->n_outputs, b->n_outputs);
	CHECK_U64(a->n_warnings, b->n_warnings);
	CHECK_U64(a->has_declared_params, b->has_declared_params);
	CHECK_I64(a->declared_params, b->declared_params);
	for (i = 0; i < a->n_outputs && i < b->n_outputs; i++)
		CHECK_STR(a->outputs[i], b->outputs[i]);
	for (i = 0; i < a->n_warnings && i < b->n_warnings; i++)
		CHECK_STR(a->warnings[i], b->warnings[i]);
	for (i = 0; i < a->n_layers && i < b->n_layers; i++) {
		struct tfit_layer x = *tfit_layer_at(a, i), y = *tfit_layer_at(b, i);
		CHECK_STR(nz(x.name), nz(y.name));
		CHECK_STR(nz(x.path), nz(y.path));
		CHECK_STR(nz(x.class_name), nz(y.class_name));
		CHECK_STR(nz(x.weights_from), nz(y.weights_from));
		CHECK_U64(x.n_inputs, y.n_inputs);
		for (j = 0; j < x.n_inputs && j < y.n_inputs; j++)
			CHECK_STR(x.inputs[j], y.inputs[j]);
		/* every other field: the structs with their pointers cleared
		 * (tfit_layer_list_add zeroes each layer, padding included) */
		x.name = y.name = NULL;
		x.path = y.path = NULL;
		x.class_name = y.class_name = NULL;
		x.weights_from = y.weights_from = NULL;
		x.inputs = y.inputs = NULL;
		CHECK(memcmp(&x, &y, sizeof(x)) == 0);
	}
}

/* Read text both ways; *streamed: the streamed reading succeeded. */
static void compare_readings(const char *text, size_t len, const char *name, int *streamed)
{
	struct tfit_json_doc doc;
	struct tfit_layer_list s, w;
	struct tfit_error err;
	cJSON *root = NULL;
	enum tfit_status rs = TFIT_ERR_INPUT, rw;
	const char *t = text;
	size_t n = len;

	tfit_error_clear(&err);
	*streamed = 0;
	tfit_layer_list_init(&s);
	tfit_layer_list_init(&w);
	/* a text that is not JSON cJSON accepts: nothing to compare here */
	if (tfit_json_precheck(&t, &n, name, &err) != TFIT_OK)
		return;
	rw = tfit_json_parse_checked(t, n, name, &root, &err);
	if (rw == TFIT_OK) {
		CHECK_U64(tfit_json_count_values(t, n), tree_values(root));
		rw = tfit_keras_from_json(root, name, NULL, &w, &err);
	}
	if (tfit_json_doc_parse_any(&doc, t, n, name, tfit_model_streamed_arrays, &err) == TFIT_OK) {
		CHECK(doc.lazy != NULL);
		rs = tfit_keras_from_doc(&doc, name, NULL, &s, &err);
		if (rs == TFIT_OK)
			rs = tfit_json_doc_finish(&doc, &err);
		tfit_json_doc_release(&doc);
	}
	*streamed = rs == TFIT_OK;
	if (rs == TFIT_OK) {
		CHECK(rw == TFIT_OK);
		if (rw == TFIT_OK)
			check_same_layers(&s, &w);
	}
	cJSON_Delete(root);
	tfit_layer_list_release(&s);
	tfit_layer_list_release(&w);
}

/* A Keras file that must stream, and load the same both ways. */
static void check_streams(const char *path)
{
	char *text = NULL;
	size_t len = 0;
	struct tfit_error err;
	int streamed = 0, before = tfit_test_failures;
	tfit_error_clear(&err);
	CHECK(tfit_file_read(path, TFIT_FILE_MAX_BYTES, &text, &len, &err) == TFIT_OK);
	if (!text)
		return;
	compare_readings(text, len, path, &streamed);
	/* channels_first after the first layer is read from the whole tree */
	CHECK(streamed || strstr(text, "\"channels_first\""));
	if (tfit_test_failures != before)
		fprintf(stderr, "  in %s\n", path);
	free(text);
}

static void test_repository_models(void)
{
	static const char *const files[] = {
		"examples/keras/activity_mlp.json", "examples/keras/ad_autoencoder.json",
		"examples/keras/hvac_lstm.json", "examples/keras/ic_resnet8.json",
		"examples/keras/kws_dscnn.json", "examples/keras/vww_mobilenet.json",
		"tests/data/keras/conv1d.json", "tests/data/keras/conv_zoo.json",
		"tests/data/keras/nested_shared_model.json", "tests/data/keras/recurrent.json",
		"tests/data/keras/shared_dense.json",
		"tests/data/limits/keras_long_names.json",
	};
	size_t i;
	char p[4096];
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", TFIT_SOURCE_DIR, files[i]);
		check_streams(p);
	}
}

/* The real models: those whose whole-tree reading succeeds must stream. */
static int test_shared_models(void)
{
	char dir[4096], p[8192];
	DIR *d;
	struct dirent *e;
	int n = 0;
	snprintf(dir, sizeof(dir), "%s/models/keras", TFIT_SHARED_DIR);
	if (!(d = opendir(dir)))
		return 0;
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);
		struct tfit_model *m = NULL;
		struct tfit_error err;
		if (l < 5 || strcmp(e->d_name + l - 5, ".json") != 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		tfit_error_clear(&err);
		/* some need --input-shape or --skip-unknown: compare those
		 * that load as they are */
		if (tfit_model_load(p, NULL, &m, &err) == TFIT_OK)
			check_streams(p);
		tfit_model_free(m);
		n++;
	}
	closedir(d);
	return n;
}

/* The whole model loaded both ways (tfit_model_load_buffer) is the same. */
static void check_loads_same(const char *text, const char *name, int want_streamed)
{
	struct tfit_load_opts o;
	struct tfit_model *a = NULL, *b = NULL;
	struct tfit_error ea, eb;
	enum tfit_status ra, rb;
	int streamed = -1, before = tfit_test_failures;
	size_t len = strlen(text);
	tfit_load_opts_init(&o);
	tfit_error_clear(&ea);
	tfit_error_clear(&eb);
	ra = tfit_model_load_buffer(text, len, name, &o, &a, &ea);
	o.json_whole_tree = 1;
	rb = tfit_model_load_buffer(text, len, name, &o, &b, &eb);
	CHECK_U64(ra, rb);
	if (ra != TFIT_OK) {
		CHECK_STR(ea.message, eb.message);
		CHECK_STR(ea.path, eb.path);
		CHECK_U64(ea.line, eb.line);
		CHECK_U64(ea.column, eb.column);
	}
	if (ra == TFIT_OK && rb == TFIT_OK) {
		size_t i;
		CHECK_U64(a->params, b->params);
		CHECK_U64(a->macs, b->macs);
		CHECK_U64(a->n_warnings, b->n_warnings);
		for (i = 0; i < a->n_warnings && i < b->n_warnings; i++)
			CHECK_STR(a->warnings[i], b->warnings[i]);
		CHECK_U64(a->subgraphs[0].n_ops, b->subgraphs[0].n_ops);
		CHECK_U64(a->subgraphs[0].n_tensors, b->subgraphs[0].n_tensors);
	}
	compare_readings(text, len, name, &streamed);
	CHECK_I64(streamed, want_streamed);
	if (tfit_test_failures != before)
		fprintf(stderr, "  in %s: %s\n", name, ea.message);
	tfit_model_free(a);
	tfit_model_free(b);
}

#define FHEAD "{\"class_name\": \"Functional\", \"config\": {\"name\": \"f\", \"layers\": [\n" \
	"{\"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 8], \"name\": \"in\"}, " \
	"\"name\": \"in\", \"inbound_nodes\": []},\n"
#define DENSE(n, from) "{\"class_name\": \"Dense\", \"config\": {\"name\": \"" n "\", \"units\": 4}, " \
	"\"name\": \"" n "\", \"inbound_nodes\": [[[\"" from "\", 0, 0, {}]]]}"
#define FTAIL(out) "], \"input_layers\": [[\"in\", 0, 0]], \"output_layers\": [[\"" out "\", 0, 0]]}}"
#define SHEAD "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"s\", \"layers\": [\n" \
	"{\"class_name\": \"Dense\", \"config\": {\"name\": \"d0\", \"units\": 4, \"batch_input_shape\": [null, 8]}},\n"
#define SDENSE(n) "{\"class_name\": \"Dense\", \"config\": {\"name\": \"" n "\", \"units\": 4}}"
/* a nested Sequential applied twice by a later layer */
#define NESTED "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"inner\", \"layers\": [" \
	"{\"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 4], \"name\": \"ii\"}}, " \
	SDENSE("id") "]}, \"name\": \"inner\", \"inbound_nodes\": [[[\"a\", 0, 0, {}]], [[\"b\", 0, 0, {}]]]}"

static void test_constructed(void)
{
	/* streams */
	check_loads_same(FHEAD DENSE("a", "in") ",\n" DENSE("b", "a") ",\n" DENSE("c", "b") FTAIL("c"),
			 "chain.json", 1);
	check_loads_same(FHEAD DENSE("a", "in") ",\n" DENSE("b", "a") ",\n" NESTED ",\n"
			 "{\"class_name\": \"Add\", \"config\": {\"name\": \"sum\"}, \"name\": \"sum\", "
			 "\"inbound_nodes\": [[[\"inner\", 0, 0, {}], [\"inner\", 1, 0, {}]]]}" FTAIL("sum"),
			 "nested_later.json", 1);
	check_loads_same(SHEAD SDENSE("d1") ",\n" SDENSE("d2") "]}}", "seq.json", 1);
	check_loads_same("{\"class_name\": \"Sequential\", \"config\": [\n"
			 "{\"class_name\": \"Dense\", \"config\": {\"name\": \"d0\", \"units\": 4, "
			 "\"batch_input_shape\": [null, 8]}},\n" SDENSE("d1") "]}", "bare_list.json", 1);
	check_loads_same("{\"modelTopology\": {\"model_config\": " SHEAD SDENSE("d1") "]}}}, "
			 "\"weightsManifest\": [{\"weights\": [{\"shape\": [8, 4]}]}]}", "tfjs.json", 1);
	/* a reference to a later layer: not streamed, loads whole */
	check_loads_same(FHEAD DENSE("b", "a") ",\n" DENSE("a", "in") FTAIL("b"), "forward.json", 0);
	/* channels_first after the first layer: the whole tree's warning */
	check_loads_same("{\"class_name\": \"Sequential\", \"config\": {\"name\": \"s\", \"layers\": [\n"
			 "{\"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 3, 8, 8], \"name\": \"i\"}},\n"
			 "{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"c\", \"filters\": 4, \"kernel_size\": 3, "
			 "\"data_format\": \"channels_first\"}}]}}", "channels_first.json", 0);
	/* errors: the whole tree's */
	check_loads_same(FHEAD DENSE("a", "in") ",\n" DENSE("a", "in") FTAIL("a"), "duplicate_name.json", 0);
	check_loads_same(FHEAD DENSE("a", "in") ",\n" DENSE("b", "nope") FTAIL("b"), "unknown.json", 0);
	check_loads_same(SHEAD SDENSE("d1") ",\n{\"class_name\": \"Dense\", \"config\": {\"name\": \"d2\", "
			 "\"units\": 4, \"units\": 5}}]}}", "duplicate_key.json", 0);
	check_loads_same(SHEAD SDENSE("d1") ",\n{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\xff\", "
			 "\"units\": 4}}]}}", "utf8.json", 0);
	check_loads_same(SHEAD SDENSE("d1") ",\n" SDENSE("d2\\u001b]0;x") "]}}", "control.json", 1);
	check_loads_same(SHEAD SDENSE("d1") ",\n" SDENSE("d2") ",]}}", "syntax.json", 0);
}

int main(void)
{
	test_constructed();
	test_repository_models();
	if (tfit_test_have_shared() && test_shared_models() == 0)
		CHECK(!"no model in ../shared/models/keras");
	return tfit_test_finish();
}
