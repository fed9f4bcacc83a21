/*
 * test_xcubeai_zoo.c - the shipped X-CUBE-AI profile against the recorded
 * fit to ST's model zoo figures (tools/xcubeai-runtime-size/results/
 * xcubeai-zoo.json): the bound's constants are the fit's, the covered op
 * list, tensor limit and model dtypes are the data's, every published row
 * lies at or under the shipped bound, and a model outside the data gets
 * "unknown".
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tfit_test.h"
#include "tinyfit/fileio.h"
#include "tinyfit/fit.h"
#include "tinyfit/runtime.h"
#include "tinyfit/strbuf.h"
#include "util/json_util.h"

#define DATA_DIR TFIT_SOURCE_DIR "/data"
#define RESULTS TFIT_SOURCE_DIR "/tools/xcubeai-runtime-size/results/xcubeai-zoo.json"

static const cJSON *get(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	CHECK(v != NULL);
	return v;
}

static uint64_t u64_of(const cJSON *o, const char *key)
{
	const cJSON *v = get(o, key);
	return v && cJSON_IsNumber(v) ? (uint64_t)v->valuedouble : 0;
}

static int is_kernel(const struct tfit_code_table *t, const char *op)
{
	uint32_t i;
	for (i = 0; i < t->n_kernels; i++)
		if (strcmp(t->kernels[i].op, op) == 0)
			return 1;
	return 0;
}

/* The bound on one model of the data: the shipped constants, the model's
 * tensors and kernels as the tool read them. */
static void check_row(const struct tfit_runtime *rt, const cJSON *row)
{
	const cJSON *kinds = get(row, "op_kinds"), *k;
	const char *ops[64];
	size_t n = 0;
	uint64_t tensors = u64_of(row, "tensors"), ram, code;
	double pub_ram = get(row, "runtime_ram")->valuedouble * 1024.0;
	double pub_code = get(row, "code_flash")->valuedouble * 1024.0;
	cJSON_ArrayForEach(k, kinds) {
		CHECK(is_kernel(&rt->flash, k->valuestring));
		if (n < 64)
			ops[n++] = k->valuestring;
	}
	ram = tfit_runtime_state_bytes(rt, (uint32_t)n, tensors);
	code = tfit_code_table_bytes(&rt->flash, ops, n) + rt->flash.per_tensor_bytes * tensors;
	CHECK_U64(ram, u64_of(row, "runtime_ram_bound_bytes"));
	CHECK_U64(code, u64_of(row, "code_flash_bound_bytes"));
	CHECK((double)ram >= pub_ram);
	CHECK((double)code >= pub_code);
	CHECK(tensors <= rt->flash.max_tensors);
	/* the sums the verdict uses cover ST's totals */
	CHECK(cJSON_IsTrue(get(row, "total_ram_covered")));
	CHECK(cJSON_IsTrue(get(row, "total_flash_covered")));
}

static void test_shipped_bound(void)
{
	struct tfit_runtime *rt = NULL;
	struct tfit_error err;
	char *text = NULL;
	size_t len = 0, n = 0;
	cJSON *doc = NULL;
	const cJSON *bound, *b, *it, *covered;

	CHECK(tfit_runtime_load(DATA_DIR, "x-cube-ai", &rt, &err) == TFIT_OK);
	CHECK(tfit_file_read(RESULTS, 1u << 22, &text, &len, &err) == TFIT_OK);
	CHECK(text && tfit_json_parse(text, len, RESULTS, &doc, &err) == TFIT_OK);
	if (!rt || !doc)
		goto out;
	bound = get(doc, "bound");
	/* runtime RAM: a + b x tensors */
	b = get(bound, "runtime_ram");
	CHECK_STR(cJSON_GetArrayItem(get(b, "features"), 0)->valuestring, "tensors");
	CHECK_U64(cJSON_GetArraySize(get(b, "features")), 1);
	CHECK_U64(rt->state_fixed_bytes, u64_of(b, "base_bytes"));
	CHECK_U64(rt->state_per_tensor_bytes,
		  (uint64_t)cJSON_GetArrayItem(get(b, "per_feature_bytes"), 0)->valuedouble);
	CHECK_U64(rt->state_per_op_type_bytes, 0);
	/* code flash: a + b x tensors; the kernels' own code is inside the fit */
	b = get(bound, "code_flash");
	CHECK_STR(cJSON_GetArrayItem(get(b, "features"), 0)->valuestring, "tensors");
	CHECK_U64(cJSON_GetArraySize(get(b, "features")), 1);
	CHECK_U64(rt->flash.base_bytes, u64_of(b, "base_bytes"));
	CHECK_U64(rt->flash.per_tensor_bytes,
		  (uint64_t)cJSON_GetArrayItem(get(b, "per_feature_bytes"), 0)->valuedouble);
	CHECK_U64(rt->flash.default_kernel_bytes, 0);
	CHECK_U64(rt->n_flash_by_core, 0);
	/* what the data covers: its ops, its largest model */
	covered = get(doc, "covered");
	CHECK(rt->flash.listed_kernels_only);
	CHECK_U64(rt->flash.max_tensors, u64_of(covered, "max_tensors"));
	CHECK_U64(rt->flash.n_kernels, (uint64_t)cJSON_GetArraySize(get(covered, "op_kinds")));
	cJSON_ArrayForEach(it, get(covered, "op_kinds")) {
		CHECK(is_kernel(&rt->flash, it->valuestring));
		CHECK_U64(tfit_code_table_kernel_bytes(&rt->flash, it->valuestring), 0);
	}
	/* the model dtypes of the rows (all int8): a model of another dtype
	 * is outside the data, so the bound is not claimed for it */
	{
		struct tfit_strbuf want;
		tfit_strbuf_init(&want);
		cJSON_ArrayForEach(it, get(covered, "dtypes"))
			tfit_strbuf_printf(&want, "%s%s", want.len ? "," : "", it->valuestring);
		CHECK_STR(rt->flash.dtypes ? rt->flash.dtypes : "(none)", want.buf ? want.buf : "");
		CHECK_STR(want.buf ? want.buf : "", "int8");
		tfit_strbuf_release(&want);
	}
	cJSON_ArrayForEach(it, get(doc, "rows"))
		CHECK_STR(get(it, "dtype")->valuestring, "int8");
	/* the activations margin: the largest shortfall of the planned
	 * activations against ST's Activation RAM */
	CHECK_U64(rt->layout.fixed_bytes, u64_of(get(doc, "activations"), "max_under_bytes"));
	cJSON_ArrayForEach(it, get(doc, "rows")) {
		check_row(rt, it);
		n++;
	}
	CHECK_U64(n, 18);
	/* the float32 builds of two of those models lie under the int8 bound
	 * (at their int8 twins' tensors: their Keras .h5 files are not
	 * readable), but two small models do not cover float32: not listed */
	n = 0;
	cJSON_ArrayForEach(it, get(doc, "float32_twins")) {
		CHECK(cJSON_IsTrue(get(it, "runtime_ram_covered")));
		CHECK(cJSON_IsTrue(get(it, "code_flash_covered")));
		n++;
	}
	CHECK_U64(n, 2);
	CHECK(strstr(rt->flash.dtypes ? rt->flash.dtypes : "", "float32") == NULL);
out:
	cJSON_Delete(doc);
	free(text);
	tfit_runtime_free(rt);
}

int main(void)
{
	test_shipped_bound();
	return tfit_test_finish();
}
