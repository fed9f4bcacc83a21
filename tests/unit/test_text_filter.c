/*
 * test_text_filter.c - every reader's strings go through the one filter of
 * util/text_filter.h (issue #17): a name holding every control character
 * (C0 U+0001 to U+001F, DEL U+007F, C1 U+0080 to U+009F, and the
 * bidirectional override U+202E) is stored with each of them as '?' by the
 * native JSON, Keras (streamed and whole tree, nested models), TF.js, board
 * profile, runtime profile and .tflite readers; characters that are not
 * controls (U+00A0, U+00E9) are kept. Invalid UTF-8 is an error with its position in each reader, and a
 * duplicate key an error naming both members in each JSON reader (runtime
 * profiles are compiled in, so this is the only test of their loader's
 * strings; the CLI's readers have golden cases, tests/golden/hostile_*).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tfit_test.h"
#include "tflite_gen.h"

#include "tinyfit/device.h"
#include "tinyfit/graph.h"
#include "tinyfit/model_io.h"
#include "tinyfit/runtime.h"
#include "util/text_filter.h"

/* 31 C0 + DEL + 32 C1 controls, then U+00A0, U+202E (right-to-left
 * override, filtered too) and U+00E9: raw UTF-8 and as JSON \u escapes. */
static char raw[256], esc[1024], want[256];

static void make_names(void)
{
	size_t r = 0, e = 0, w = 0;
	unsigned cp;
	for (cp = 1; cp <= 0x9F; cp++) {
		if (cp >= 0x20 && cp < 0x7F)
			continue;
		if (cp < 0x80) {
			raw[r++] = (char)cp;
		} else {
			raw[r++] = (char)0xC2;
			raw[r++] = (char)cp;
		}
		e += (size_t)snprintf(esc + e, sizeof(esc) - e, "\\u%04x", cp);
		want[w++] = '?';
	}
	memcpy(raw + r, "\xc2\xa0\xe2\x80\xae\xc3\xa9", 7);
	r += 7;
	raw[r] = '\0';
	e += (size_t)snprintf(esc + e, sizeof(esc) - e, "\\u00a0\\u202e\\u00e9");
	memcpy(want + w, "\xc2\xa0?\xc3\xa9", 6);
}

/* text with every `from` replaced by `to` (malloc'd) */
static char *replace(const char *text, const char *from, const char *to)
{
	size_t n = strlen(text), k = strlen(to), f = strlen(from), o = 0;
	char *out = malloc(n * (k + 1) + 1);
	const char *p = text, *q;
	if (!out)
		return NULL;
	while ((q = strstr(p, from)) != NULL) {
		memcpy(out + o, p, (size_t)(q - p));
		o += (size_t)(q - p);
		memcpy(out + o, to, k);
		o += k;
		p = q + f;
	}
	strcpy(out + o, p);
	return out;
}

static char *subst(const char *text, const char *s)
{
	return replace(text, "NAME", s);
}

static void test_filter(void)
{
	char out[256], cut[8];
	CHECK_U64(strlen(want), 64 + 5);
	CHECK_STR(tfit_text_filter(raw, sizeof(out) - 1, out), want);
	/* in place */
	{
		char copy[256];
		strcpy(copy, raw);
		tfit_text_filter(copy, strlen(copy), copy);
		CHECK_STR(copy, want);
	}
	/* cut at a character boundary: 7 bytes hold "a" and two of the three
	 * three-byte U+20AC */
	CHECK_STR(tfit_text_filter("a\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac", 7, cut), "a\xe2\x82\xac\xe2\x82\xac");
	/* every bidirectional embedding, override and isolate control, and
	 * the marks beside them that are kept (U+2029, U+202F, U+2065, U+206A
	 * are not controls of that kind) */
	CHECK_STR(tfit_text_filter("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad\xe2\x80\xae"
				   "\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9", 27, out), "?????????");
	CHECK_STR(tfit_text_filter("\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa", 12, out),
		  "\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa");
	CHECK_STR(tfit_text_filter_bytes("x\xe2\x81\xa6y\xe2\x80", 7, out), "x?y??");
	CHECK_U64(tfit_utf8_invalid_at(raw, strlen(raw)), strlen(raw));
	CHECK_U64(tfit_utf8_invalid_at("ab\xc3", 3), 2);           /* cut */
	CHECK_U64(tfit_utf8_invalid_at("a\xc0\xaf", 3), 1);        /* overlong */
	CHECK_U64(tfit_utf8_invalid_at("\xed\xa0\x80", 3), 0);     /* a surrogate */
	CHECK_U64(tfit_utf8_invalid_at("\xf4\x90\x80\x80", 4), 0); /* past U+10FFFF */
	CHECK_U64(tfit_utf8_invalid_at("x\x9b", 2), 1);            /* a raw 8-bit CSI */
	/* bytes that need not be UTF-8 (file names): each control and each
	 * byte that does not start a valid sequence is one '?' */
	{
		char bytes[] = "a\x1b]0;t\x07\xff\xc2\x85\x9b\xe2\x82\xc3\xa9\xe2\x80\xae.tflite";
		char *dup = tfit_text_filter_dup(bytes);
		CHECK_STR(tfit_text_filter_bytes(bytes, strlen(bytes), out),
			  "a?]0;t????\?\?\xc3\xa9?.tflite");
		CHECK_STR(dup ? dup : "", out);
		tfit_text_filter_bytes(bytes, strlen(bytes), bytes); /* in place */
		CHECK_STR(bytes, out);
		free(dup);
		CHECK(tfit_text_filter_dup(NULL) == NULL);
	}
}

static struct tfit_model *load(const char *tmpl, const char *s, const char *file,
			       int whole_tree, enum tfit_status *rc, struct tfit_error *err)
{
	struct tfit_load_opts o;
	struct tfit_model *m = NULL;
	char *text = subst(tmpl, s);
	tfit_load_opts_init(&o);
	o.json_whole_tree = whole_tree;
	tfit_error_clear(err);
	*rc = text ? tfit_model_load_buffer(text, strlen(text), file, &o, &m, err) : TFIT_ERR_NOMEM;
	free(text);
	return m;
}

static const char *native =
	"{\"format\": \"tinyfit-model\", \"name\": \"NAME\", \"dtype\": \"int8\", "
	"\"inputs\": [{\"name\": \"x\", \"shape\": [8]}], "
	"\"layers\": [{\"name\": \"a\", \"type\": \"dense\", \"units\": 4}, "
	"{\"name\": \"NAME\", \"type\": \"dense\", \"units\": 2}]}";

static const char *keras =
	"{\"class_name\": \"Sequential\", \"config\": {\"name\": \"NAME\", \"layers\": ["
	"{\"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 8], \"name\": \"in\"}}, "
	"{\"class_name\": \"Dense\", \"config\": {\"name\": \"a\", \"units\": 4}}, "
	"{\"class_name\": \"Dense\", \"config\": {\"name\": \"NAME\", \"units\": 2}}]}}";

/* a functional model applying a nested Sequential named NAME, whose one
 * Dense layer is named NAME too */
static const char *nested =
	"{\"class_name\": \"Functional\", \"config\": {\"name\": \"outer\", \"layers\": ["
	"{\"class_name\": \"InputLayer\", \"name\": \"in\", \"config\": {\"batch_input_shape\": [null, 8], \"name\": \"in\"}, \"inbound_nodes\": []}, "
	"{\"class_name\": \"Sequential\", \"name\": \"NAME\", \"config\": {\"name\": \"NAME\", \"layers\": ["
	"{\"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 8], \"name\": \"nin\"}}, "
	"{\"class_name\": \"Dense\", \"config\": {\"name\": \"NAME\", \"units\": 2}}]}, "
	"\"inbound_nodes\": [[[\"in\", 0, 0, {}]]]}], "
	"\"input_layers\": [[\"in\", 0, 0]], \"output_layers\": [[\"NAME\", 0, 0]]}}";

static const char *tfjs_tmpl =
	"{\"format\": \"layers-model\", \"modelTopology\": {\"class_name\": \"Sequential\", "
	"\"config\": {\"name\": \"NAME\", \"layers\": ["
	"{\"class_name\": \"Dense\", \"config\": {\"name\": \"NAME\", \"units\": 2, \"batch_input_shape\": [null, 8]}}]}}}";

/* the last op's name (NULL-safe) */
static const char *last_op_name(const struct tfit_model *m)
{
	const struct tfit_subgraph *sg = m && m->n_subgraphs ? &m->subgraphs[0] : NULL;
	return sg && sg->n_ops && sg->ops[sg->n_ops - 1].name ? sg->ops[sg->n_ops - 1].name : "(none)";
}

static void test_json_models(void)
{
	struct tfit_error err;
	enum tfit_status rc;
	struct tfit_model *m;
	char name[512];
	int whole;

	for (whole = 0; whole <= 1; whole++) {
		m = load(native, esc, "n.json", whole, &rc, &err);
		CHECK_I64(rc, TFIT_OK);
		if (m) {
			CHECK_STR(m->name, want);
			CHECK_STR(last_op_name(m), want);
		}
		tfit_model_free(m);

		m = load(keras, esc, "k.json", whole, &rc, &err);
		CHECK_I64(rc, TFIT_OK);
		if (m) {
			CHECK_STR(m->name, want);
			CHECK_STR(last_op_name(m), want);
		}
		tfit_model_free(m);

		/* the nested model's layer is named "<model>/<layer>" */
		m = load(nested, esc, "nested.json", whole, &rc, &err);
		CHECK_I64(rc, TFIT_OK);
		snprintf(name, sizeof(name), "%s/%s", want, want);
		if (m)
			CHECK_STR(last_op_name(m), name);
		tfit_model_free(m);

		m = load(tfjs_tmpl, esc, "model.json", whole, &rc, &err);
		CHECK_I64(rc, TFIT_OK);
		if (m) {
			CHECK_STR(m->name, want);
			CHECK_STR(last_op_name(m), want);
		}
		tfit_model_free(m);

		/* invalid UTF-8: an error at its line and column, in every reader */
		m = load(native, "ok\xff", "n.json", whole, &rc, &err);
		CHECK_I64(rc, TFIT_ERR_INPUT);
		CHECK_STR(err.message, "invalid UTF-8 in a string (byte 0xff)");
		CHECK_I64(err.line, 1);
		CHECK_I64(err.column, 40);
		tfit_model_free(m);
		m = load(nested, "ok\xfe", "nested.json", whole, &rc, &err);
		CHECK_I64(rc, TFIT_ERR_INPUT);
		CHECK_STR(err.message, "invalid UTF-8 in a string (byte 0xfe)");
		CHECK_I64(err.column, 232);
		tfit_model_free(m);
		m = load(tfjs_tmpl, "ok\xc0\xaf", "model.json", whole, &rc, &err);
		CHECK_I64(rc, TFIT_ERR_INPUT);
		CHECK_STR(err.message, "invalid UTF-8 in a string (byte 0xc0)");
		tfit_model_free(m);
	}
}

/* a model read through the loader with every `from` replaced by `to` */
static enum tfit_status load_dup(const char *tmpl, const char *from, const char *to, int whole_tree,
				 struct tfit_error *err)
{
	char *text = replace(tmpl, from, to);
	struct tfit_model *m;
	enum tfit_status rc = TFIT_ERR_NOMEM;
	if (text) {
		m = load(text, "n", "m.json", whole_tree, &rc, err);
		tfit_model_free(m);
	}
	free(text);
	return rc;
}

static void test_duplicate_keys(void)
{
	struct tfit_error err;
	int whole;
	for (whole = 0; whole <= 1; whole++) {
		/* in the nested model's Dense layer, read by the streamed walk
		 * as part of one layer of the top model */
		CHECK_I64(load_dup(nested, "\"units\": 2", "\"units\": 2, \"units\": 3", whole, &err),
			  TFIT_ERR_INPUT);
		CHECK_STR(err.path, "config.layers[1].config.layers[1].config");
		CHECK_STR(err.message, "duplicate key \"units\" (members 2 and 3 of this object, from 1; "
			  "JSON readers differ on which one counts)");
		/* TF.js: in a layer, and beside modelTopology */
		CHECK_I64(load_dup(tfjs_tmpl, "\"units\": 2", "\"units\": 2, \"units\": 3", whole, &err),
			  TFIT_ERR_INPUT);
		CHECK_STR(err.path, "modelTopology.config.layers[0].config");
		CHECK_I64(load_dup(tfjs_tmpl, "\"format\": \"layers-model\"",
				   "\"format\": \"layers-model\", \"format\": \"graph-model\"", whole, &err),
			  TFIT_ERR_INPUT);
		CHECK_STR(err.path, "");
		CHECK_STR(err.message, "duplicate key \"format\" (members 1 and 2 of this object, from 1; "
			  "JSON readers differ on which one counts)");
	}
}

static void test_device(void)
{
	static const char *board =
		"{\"id\": \"hb\", \"name\": \"NAME\", \"vendor\": \"NAME\", \"mcu\": \"NAME\", "
		"\"core\": \"cortex-m4f\", \"clock_mhz\": 100, \"flash\": \"512KiB\", \"sram\": \"256KiB\", "
		"\"sources\": {\"flash\": \"NAME\"}, \"notes\": \"NAME\"}";
	struct tfit_device dev;
	struct tfit_error err;
	char *text = subst(board, esc);
	memset(&dev, 0, sizeof(dev));
	tfit_error_clear(&err);
	CHECK_I64(tfit_device_parse(text, strlen(text), "hb.json", &dev, &err), TFIT_OK);
	CHECK_STR(dev.name ? dev.name : "", want);
	CHECK_STR(dev.vendor ? dev.vendor : "", want);
	CHECK_STR(dev.mcu ? dev.mcu : "", want);
	CHECK_STR(dev.notes ? dev.notes : "", want);
	tfit_device_release(&dev);
	free(text);

	text = subst(board, "x\\u001b\", \"v\\u001b]0;\\u0007\": 1, \"v\\u001b]0;\\u0007\": 2, \"z\": \"");
	memset(&dev, 0, sizeof(dev));
	CHECK_I64(tfit_device_parse(text, strlen(text), "hb.json", &dev, &err), TFIT_ERR_INPUT);
	CHECK_STR(err.message, "duplicate key \"v?]0;?\" (members 3 and 4 of this object, from 1; "
		  "JSON readers differ on which one counts)");
	tfit_device_release(&dev);
	free(text);

	text = subst(board, "\xe2\x82");
	memset(&dev, 0, sizeof(dev));
	CHECK_I64(tfit_device_parse(text, strlen(text), "hb.json", &dev, &err), TFIT_ERR_INPUT);
	CHECK_STR(err.message, "invalid UTF-8 in a string (byte 0xe2)");
	CHECK_I64(err.line, 1);
	CHECK_I64(err.column, 23);
	tfit_device_release(&dev);
	free(text);
}

/* A runtime profile is read from a file only by tfit_datagen (at build
 * time) and by library callers: data/runtimes/tflm.json with its "name"
 * replaced, in a temporary file. */
static void test_runtime(void)
{
	char path[] = "/tmp/tfit_rt_XXXXXX";
	char *text = NULL, *body = NULL, *p;
	struct tfit_runtime *rt = NULL;
	struct tfit_error err;
	FILE *f = fopen(TFIT_SOURCE_DIR "/data/runtimes/tflm.json", "rb");
	long n;
	int fd, i;
	static const char *const names[] = { NULL, "ok\xff", NULL };
	CHECK(f != NULL);
	if (!f)
		return;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	text = calloc(1, (size_t)n + 1);
	if (text && fread(text, 1, (size_t)n, f) != (size_t)n)
		n = 0;
	fclose(f);
	p = text ? strstr(text, "\"name\": \"TensorFlow Lite Micro, reference kernels\"") : NULL;
	CHECK(p != NULL);
	if (!p) {
		free(text);
		return;
	}
	memcpy(p, "\"name\": \"NAME\"                                    ", 50);
	for (i = 0; i < 3; i++) {
		const char *s = i == 0 ? esc : i == 1 ? names[1]
				: "x\", \"id\": \"tflm\", \"n\": \"";
		free(body);
		body = subst(text, s);
		fd = mkstemp(path);
		CHECK(fd >= 0);
		if (fd < 0 || !body)
			break;
		if (write(fd, body, strlen(body)) != (ssize_t)strlen(body))
			CHECK(0);
		close(fd);
		tfit_error_clear(&err);
		rt = NULL;
		if (i == 0) {
			CHECK_I64(tfit_runtime_load_file(path, &rt, &err), TFIT_OK);
			if (rt)
				CHECK_STR(rt->name, want);
		} else if (i == 1) {
			CHECK_I64(tfit_runtime_load_file(path, &rt, &err), TFIT_ERR_INPUT);
			CHECK_STR(err.message, "invalid UTF-8 in a string (byte 0xff)");
			CHECK_I64(err.line, 4);
			CHECK_I64(err.column, 14);
		} else {
			/* "id" is member 2 of the profile, "name" member 3: the
			 * "id" after it member 4 */
			CHECK_I64(tfit_runtime_load_file(path, &rt, &err), TFIT_ERR_INPUT);
			CHECK_STR(err.message, "duplicate key \"id\" (members 2 and 4 of this object, from 1; "
				  "JSON readers differ on which one counts)");
		}
		tfit_runtime_free(rt);
		unlink(path);
		memcpy(path + strlen(path) - 6, "XXXXXX", 6);
	}
	free(body);
	free(text);
}

static void test_tflite(void)
{
	struct gen_model g;
	struct fbb b;
	struct tfit_error err;
	struct tfit_model *m = NULL;
	enum tfit_status rc;

	gen_small_model(&g);
	g.sg[0].tensors[3].name = raw;   /* conv/out */
	g.sg[0].name = raw;
	gen_build(&b, &g);
	tfit_error_clear(&err);
	rc = tfit_tflite_read_buffer(b.buf, b.len, "gen.tflite", &m, &err);
	CHECK_I64(rc, TFIT_OK);
	if (m) {
		CHECK_STR(m->subgraphs[0].tensors[3].name, want);
		CHECK_STR(m->subgraphs[0].name, want);
	}
	tfit_model_free(m);
	m = NULL;
	fbb_free(&b);

	g.sg[0].name = "main";
	g.sg[0].tensors[3].name = "conv\x9bout";
	gen_build(&b, &g);
	rc = tfit_tflite_read_buffer(b.buf, b.len, "gen.tflite", &m, &err);
	CHECK_I64(rc, TFIT_ERR_INPUT);
	CHECK_STR(err.path, "subgraphs[0].tensors[3].name");
	{
		char msg[128];
		snprintf(msg, sizeof(msg), "invalid UTF-8 in a string (byte 0x9b at file offset %zu)",
			 fbb_find(&b, "subgraphs[0].tensors[3].name") + 4 + 4);
		CHECK_STR(err.message, msg);
	}
	tfit_model_free(m);
	fbb_free(&b);
}

int main(void)
{
	make_names();
	test_filter();
	test_json_models();
	test_duplicate_keys();
	test_device();
	test_runtime();
	test_tflite();
	return tfit_test_finish();
}
