/*
 * test_runtime_flash.c - the runtime's code size (src/plan/runtime_flash.c):
 * the "flash" section of runtime profiles, shared code counted once, what a
 * child profile inherits (measured_on, shared groups), the errors, and the
 * shipped profiles' measured figures.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tfit_test.h"
#include "tinyfit/device.h"
#include "tinyfit/fileio.h"
#include "tinyfit/runtime.h"
#include "util/json_util.h"

#define DATA_DIR TFIT_SOURCE_DIR "/data"
#define RESULTS TFIT_SOURCE_DIR "/tools/runtime-code-size/results/"

static char dir[256], rdir[300];

static void write_profile(const char *id, const char *text)
{
	char path[400];
	FILE *f;
	snprintf(path, sizeof(path), "%s/%s.json", rdir, id);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void remove_profile(const char *id)
{
	char path[400];
	snprintf(path, sizeof(path), "%s/%s.json", rdir, id);
	remove(path);
}

#define ARENA "\"arena\": {\"kind\": \"tflm\", \"eval_tensor_bytes\": 12," \
	      " \"node_and_registration_bytes\": 32, \"tflite_tensor_bytes\": 32," \
	      " \"planner_bytes_per_buffer\": 40}"

static uint64_t code(const struct tfit_runtime *rt, const char *a, const char *b, const char *c)
{
	const char *ops[3];
	size_t n = 0;
	if (a)
		ops[n++] = a;
	if (b)
		ops[n++] = b;
	if (c)
		ops[n++] = c;
	return tfit_code_table_bytes(&rt->flash, ops, n);
}

static void test_shared_groups(void)
{
	struct tfit_runtime *rt = NULL;
	struct tfit_error err;

	write_profile("base", "{\"id\": \"base\", " ARENA ","
		      " \"flash\": {\"base_bytes\": 1000, \"default_kernel_bytes\": 7,"
		      " \"kernels\": {\"conv_2d\": 100, \"depthwise_conv_2d\": 50, \"add\": 10,"
		      "  \"custom:SignalRfft\": 30},"
		      " \"shared\": [{\"kernels\": [\"conv_2d\", \"depthwise_conv_2d\"], \"bytes\": 400},"
		      "  {\"kernels\": [\"conv_2d\", \"add\", \"custom:SignalRfft\"], \"bytes\": 20}],"
		      " \"measured_on\": \"a test build\"}}");
	CHECK(tfit_runtime_load(dir, "base", &rt, &err) == TFIT_OK);
	if (rt) {
		CHECK_U64(rt->flash.n_groups, 2);
		CHECK_STR(rt->flash.measured_on, "a test build");
		CHECK_U64(code(rt, NULL, NULL, NULL), 1000);
		/* one kernel: its own code and every group it is in */
		CHECK_U64(code(rt, "conv_2d", NULL, NULL), 1000 + 100 + 400 + 20);
		CHECK_U64(code(rt, "add", NULL, NULL), 1000 + 10 + 20);
		/* two kernels sharing a group: the group once */
		CHECK_U64(code(rt, "conv_2d", "depthwise_conv_2d", NULL),
			  1000 + 100 + 50 + 400 + 20);
		CHECK_U64(code(rt, "depthwise_conv_2d", "add", NULL), 1000 + 50 + 10 + 400 + 20);
		CHECK_U64(code(rt, "custom:SignalRfft", "conv_2d", "add"),
			  1000 + 30 + 100 + 10 + 400 + 20);
		/* an op with no figure of its own takes the default and no group */
		CHECK_U64(code(rt, "mean", NULL, NULL), 1000 + 7);
		tfit_runtime_free(rt);
		rt = NULL;
	}

	/* a child inherits measured_on and the groups unless it replaces them */
	write_profile("child", "{\"id\": \"child\", \"base\": \"base\","
		      " \"flash\": {\"kernels\": {\"add\": 15}}}");
	CHECK(tfit_runtime_load(dir, "child", &rt, &err) == TFIT_OK);
	if (rt) {
		CHECK_STR(rt->flash.measured_on, "a test build");
		CHECK_U64(code(rt, "add", NULL, NULL), 1000 + 15 + 20);
		tfit_runtime_free(rt);
		rt = NULL;
	}
	write_profile("child2", "{\"id\": \"child2\", \"base\": \"base\","
		      " \"flash\": {\"measured_on\": null, \"shared\": []}}");
	CHECK(tfit_runtime_load(dir, "child2", &rt, &err) == TFIT_OK);
	if (rt) {
		CHECK(rt->flash.measured_on == NULL);
		CHECK_U64(rt->flash.n_groups, 0);
		CHECK_U64(code(rt, "conv_2d", "depthwise_conv_2d", NULL), 1000 + 100 + 50);
		tfit_runtime_free(rt);
		rt = NULL;
	}
}

/* A per-core table serves the boards of that core; others get the default. */
static void test_by_core(void)
{
	struct tfit_runtime *rt = NULL;
	struct tfit_error err;
	const struct tfit_code_table *t;
	const char *ops[] = { "conv_2d", "add" };

	write_profile("cores", "{\"id\": \"cores\", " ARENA ","
		      " \"flash\": {\"base_bytes\": 1000, \"kernels\": {\"conv_2d\": 100},"
		      " \"measured_on\": \"core A\","
		      " \"by_core\": {\"cortex-m0plus\": {\"base_bytes\": 1300, \"default_kernel_bytes\": 9,"
		      "  \"kernels\": {\"conv_2d\": 140},"
		      "  \"shared\": [{\"kernels\": [\"conv_2d\", \"add\"], \"bytes\": 50}],"
		      "  \"measured_on\": \"core B\"}}}}");
	CHECK(tfit_runtime_load(dir, "cores", &rt, &err) == TFIT_OK);
	if (rt) {
		CHECK_U64(rt->n_flash_by_core, 1);
		t = tfit_runtime_code_table(rt, "cortex-m0plus");
		CHECK(t != &rt->flash);
		CHECK_STR(t->measured_on, "core B");
		CHECK_U64(tfit_code_table_bytes(t, ops, 2), 1300 + 140 + 9 + 50);
		t = tfit_runtime_code_table(rt, "cortex-m4f");
		CHECK(t == &rt->flash);
		CHECK_STR(t->measured_on, "core A");
		CHECK_U64(tfit_code_table_bytes(t, ops, 2), 1000 + 100);
		CHECK(tfit_runtime_code_table(rt, NULL) == &rt->flash);
		tfit_runtime_free(rt);
		rt = NULL;
	}
	/* a child inherits the per-core tables */
	write_profile("cores2", "{\"id\": \"cores2\", \"base\": \"cores\"}");
	CHECK(tfit_runtime_load(dir, "cores2", &rt, &err) == TFIT_OK);
	if (rt) {
		CHECK_STR(tfit_runtime_code_table(rt, "cortex-m0plus")->measured_on, "core B");
		tfit_runtime_free(rt);
	}
	remove_profile("cores");
	remove_profile("cores2");
}

static void test_errors(void)
{
	static const struct {
		const char *flash, *path, *message;
	} cases[] = {
		{ "{\"shared\": 3}", "flash.shared", "expected an array" },
		{ "{\"shared\": [{\"kernels\": [\"conv2d\"], \"bytes\": 1}]}", "flash.shared[0]",
		  "expected an op name, got conv2d" },
		{ "{\"shared\": [{\"kernels\": [\"add\"]}]}", "flash.shared[0]",
		  "non-empty array of op names" },
		{ "{\"shared\": [{\"kernels\": [], \"bytes\": 1}]}", "flash.shared[0]",
		  "non-empty array of op names" },
		{ "{\"shared\": [{\"kernels\": [\"add\"], \"bytes\": -1}]}", "flash.shared[0].bytes",
		  "" },
		{ "{\"shared\": [{\"kernels\": [\"add\"], \"bytes\": 1, \"colour\": 2}]}",
		  "flash.shared[0].colour", "colour" },
		{ "{\"measured_on\": 5}", "flash.measured_on", "" },
		{ "{\"by_core\": [1]}", "flash.by_core", "expected an object of core id" },
		{ "{\"by_core\": {\"cortex-m0plus\": {\"base_bytes\": 1, \"by_core\": {}}}}",
		  "flash.by_core.cortex-m0plus.by_core", "by_core" },
		{ "{\"by_core\": {\"cortex-m0plus\": {\"shared\": 2}}}",
		  "flash.by_core.cortex-m0plus.shared", "expected an array" },
		{ "{\"archs\": \"armv7e-m\"}", "flash.archs", "expected a non-empty array" },
		{ "{\"archs\": []}", "flash.archs", "expected a non-empty array" },
		{ "{\"archs\": [\"armv7e-m\", \"Cortex-M4\"]}", "flash.archs[1]",
		  "core architecture as the core table names it, lower-case" },
		{ "{\"archs\": [3]}", "flash.archs[0]", "got number" },
		{ "{\"dtypes\": \"int8\"}", "flash.dtypes",
		  "expected a non-empty array of model dtypes" },
		{ "{\"dtypes\": []}", "flash.dtypes", "expected a non-empty array of model dtypes" },
		{ "{\"dtypes\": [\"int8\", \"INT8\"]}", "flash.dtypes[1]",
		  "expected a dtype as tinyfit names it (\"int8\", \"float32\", \"int16\", ...), "
		  "got \"INT8\"" },
		{ "{\"dtypes\": [\"fp32\"]}", "flash.dtypes[0]", "got \"fp32\"" },
		{ "{\"dtypes\": [null]}", "flash.dtypes[0]", "got null" },
		{ "{\"by_core\": {\"cortex-m0plus\": {\"dtypes\": [\"int9\"]}}}",
		  "flash.by_core.cortex-m0plus.dtypes[0]", "got \"int9\"" },
	};
	size_t i;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[512];
		struct tfit_runtime *rt = NULL;
		struct tfit_error err;
		snprintf(text, sizeof(text), "{\"id\": \"bad\", " ARENA ", \"flash\": %s}",
			 cases[i].flash);
		write_profile("bad", text);
		tfit_error_clear(&err);
		CHECK(tfit_runtime_load(dir, "bad", &rt, &err) == TFIT_ERR_INPUT);
		CHECK(rt == NULL);
		if (strncmp(err.path, cases[i].path, strlen(cases[i].path)) != 0)
			fprintf(stderr, "case %zu: path %s, expected %s\n", i, err.path,
				cases[i].path);
		CHECK(strncmp(err.path, cases[i].path, strlen(cases[i].path)) == 0);
		CHECK_CONTAINS(err.message, cases[i].message);
		tfit_runtime_free(rt);
	}
}

/* "dtypes": the model dtypes a fitted table's data covers, kept
 * comma-separated as tinyfit names them; a per-core table has its own, a
 * child profile inherits its base's. */
static void test_dtypes(void)
{
	struct tfit_runtime *rt = NULL;
	struct tfit_error err;

	write_profile("dt", "{\"id\": \"dt\", " ARENA ", \"flash\": {\"base_bytes\": 10,"
		      " \"dtypes\": [\"int8\", \"float32\"],"
		      " \"by_core\": {\"cortex-m0plus\": {\"base_bytes\": 20, \"dtypes\": [\"int16\"]}}}}");
	write_profile("dt2", "{\"id\": \"dt2\", \"base\": \"dt\"}");
	CHECK(tfit_runtime_load(dir, "dt2", &rt, &err) == TFIT_OK);
	if (rt) {
		CHECK_STR(rt->flash.dtypes, "int8,float32");
		CHECK_STR(tfit_runtime_code_table(rt, "cortex-m0plus")->dtypes, "int16");
		CHECK(rt->flash.archs == NULL);
		tfit_runtime_free(rt);
		rt = NULL;
	}
	/* without the key: any dtype */
	write_profile("dt", "{\"id\": \"dt\", " ARENA ", \"flash\": {\"base_bytes\": 10}}");
	CHECK(tfit_runtime_load(dir, "dt", &rt, &err) == TFIT_OK);
	CHECK(rt && rt->flash.dtypes == NULL);
	tfit_runtime_free(rt);
	remove_profile("dt");
	remove_profile("dt2");
}

/* A runtime's word longer than a report's room for it (TFIT_TERM_SIZES:
 * the note 255 characters, the title 63) is an error at parse, never cut. */
static void test_terms_length(void)
{
	static const struct {
		const char *key;
		size_t len;
		int ok;
	} cases[] = { { "note", 255, 1 }, { "note", 256, 0 }, { "title", 63, 1 },
		      { "title", 64, 0 }, { "arena", 300, 0 } };
	size_t i;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[1024], word[400], path[64], msg[80];
		struct tfit_runtime *rt = NULL;
		struct tfit_error err;
		memset(word, 'w', cases[i].len);
		word[cases[i].len] = '\0';
		snprintf(text, sizeof(text), "{\"id\": \"bad\", " ARENA ", \"deploys\": "
			 "{\"terms\": {\"%s\": \"%s\"}}}", cases[i].key, word);
		write_profile("bad", text);
		tfit_error_clear(&err);
		if (cases[i].ok) {
			CHECK(tfit_runtime_load(dir, "bad", &rt, &err) == TFIT_OK);
			if (rt) {
				const char *got = strcmp(cases[i].key, "note") == 0
							  ? rt->terms.note : rt->terms.title;
				CHECK(strcmp(got, word) == 0);
			}
		} else {
			CHECK(tfit_runtime_load(dir, "bad", &rt, &err) == TFIT_ERR_INPUT);
			CHECK(rt == NULL);
			snprintf(path, sizeof(path), "deploys.terms.%s", cases[i].key);
			CHECK_STR(err.path, path);
			snprintf(msg, sizeof(msg), "%zu characters, longer than a report's room "
				 "for this word (at most ", cases[i].len);
			CHECK_CONTAINS(err.message, msg);
		}
		tfit_runtime_free(rt);
	}
}

/* The shipped profiles: TFLM and TFLM + CMSIS-NN measured, the others not. */
static void test_shipped(void)
{
	static const struct {
		const char *id;
		int measured;
	} want[] = { { "tflm", 1 }, { "tflm-cmsis-nn", 1 }, { "tflm-esp-nn", 0 },
		     { "x-cube-ai", 0 } };
	size_t i;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct tfit_runtime *rt = NULL;
		struct tfit_error err;
		CHECK(tfit_runtime_load(DATA_DIR, want[i].id, &rt, &err) == TFIT_OK);
		if (!rt)
			continue;
		CHECK((rt->flash.measured_on != NULL) == want[i].measured);
		if (want[i].measured) {
			CHECK_CONTAINS(rt->flash.measured_on, "Cortex-M4F");
			CHECK(rt->flash.n_groups > 0);
			/* sharing never makes two kernels cost more than each alone */
			CHECK(code(rt, "conv_2d", "depthwise_conv_2d", NULL) <=
			      code(rt, "conv_2d", NULL, NULL) +
			      code(rt, "depthwise_conv_2d", NULL, NULL) - rt->flash.base_bytes);
		}
		/* archs names core table architectures (the parser checks only
		 * the spelling); X-CUBE-AI's rows are Cortex-M7 and Cortex-M33 */
		if (rt->flash.archs) {
			const char *a = rt->flash.archs;
			while (*a) {
				size_t n = strcspn(a, ","), c;
				int known = 0;
				for (c = 0; c < tfit_device_core_count(); c++)
					known |= strlen(tfit_device_core_at(c)->arch) == n &&
						 strncmp(tfit_device_core_at(c)->arch, a, n) == 0;
				CHECK(known);
				a += n + (a[n] == ',');
			}
		}
		CHECK(strcmp(want[i].id, "x-cube-ai") != 0 ||
		      (rt->flash.archs && strcmp(rt->flash.archs, "armv7e-m,armv8-m.main") == 0));
		/* dtypes: X-CUBE-AI's fitted rows are int8 models only
		 * (tools/xcubeai-runtime-size); TFLM's figures have no list */
		CHECK(strcmp(want[i].id, "x-cube-ai") != 0 ||
		      (rt->flash.dtypes && strcmp(rt->flash.dtypes, "int8") == 0));
		CHECK(strncmp(want[i].id, "tflm", 4) != 0 || rt->flash.dtypes == NULL);
		tfit_runtime_free(rt);
	}
}

/*
 * The measurements behind the shipped figures (tools/runtime-code-size/
 * results): for each op set that was linked for real, the profile gives the
 * prediction recorded there, and that prediction is within 3% of the image.
 */
static void test_measured_sets(const char *runtime_id, const char *core, const char *results)
{
	struct tfit_runtime *rt = NULL;
	struct tfit_error err;
	char *text = NULL;
	size_t len = 0;
	cJSON *doc = NULL;
	const cJSON *v, *set;
	const struct tfit_code_table *t;
	size_t n = 0;

	CHECK(tfit_runtime_load(DATA_DIR, runtime_id, &rt, &err) == TFIT_OK);
	CHECK(tfit_file_read(results, 1u << 22, &text, &len, &err) == TFIT_OK);
	CHECK(text && tfit_json_parse(text, len, results, &doc, &err) == TFIT_OK);
	if (!rt || !doc)
		goto out;
	t = tfit_runtime_code_table(rt, core);
	CHECK(core == NULL || t != &rt->flash);
	CHECK_U64(t->base_bytes,
		  (uint64_t)cJSON_GetObjectItemCaseSensitive(doc, "base_bytes")->valuedouble);
	v = cJSON_GetObjectItemCaseSensitive(doc, "validation");
	cJSON_ArrayForEach(set, v) {
		const cJSON *ops = cJSON_GetObjectItemCaseSensitive(set, "ops"), *o;
		const char *names[64];
		size_t k = 0;
		double measured = cJSON_GetObjectItemCaseSensitive(set, "measured")->valuedouble;
		double predicted = cJSON_GetObjectItemCaseSensitive(set, "predicted")->valuedouble;
		cJSON_ArrayForEach(o, ops)
			if (k < 64)
				names[k++] = o->valuestring;
		CHECK_U64(tfit_code_table_bytes(t, names, k), (uint64_t)predicted);
		CHECK(predicted <= measured * 1.03 && predicted >= measured * 0.97);
		n++;
	}
	CHECK(n >= 9);
out:
	cJSON_Delete(doc);
	free(text);
	tfit_runtime_free(rt);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/tfit_test_flash_%ld_%ld", (long)getpid(),
		 (long)time(NULL));
	mkdir(dir, 0700);
	snprintf(rdir, sizeof(rdir), "%s/runtimes", dir);
	mkdir(rdir, 0700);
	test_shared_groups();
	test_by_core();
	test_errors();
	test_dtypes();
	test_terms_length();
	test_shipped();
	test_measured_sets("tflm", NULL, RESULTS "tflm-cortex-m4f.json");
	test_measured_sets("tflm-cmsis-nn", NULL, RESULTS "tflm-cmsis-nn-cortex-m4f.json");
	test_measured_sets("tflm", "cortex-m0plus", RESULTS "tflm-cortex-m0plus.json");
	test_measured_sets("tflm-cmsis-nn", "cortex-m0plus", RESULTS "tflm-cmsis-nn-cortex-m0plus.json");
	test_measured_sets("tflm", "cortex-m33", RESULTS "tflm-cortex-m33.json");
	test_measured_sets("tflm-cmsis-nn", "cortex-m33", RESULTS "tflm-cmsis-nn-cortex-m33.json");
	remove_profile("base");
	remove_profile("child");
	remove_profile("child2");
	remove_profile("bad");
	rmdir(rdir);
	rmdir(dir);
	return tfit_test_finish();
}
