/*
 * test_json_out.c - numbers in JSON output (src/report/json_out.h): a
 * non-finite value is never written as a number; an infinity (an overflow)
 * becomes null with a "<key>_reason" beside it, a NaN (a value not known,
 * documented per field) a plain null; finite values keep their decimals.
 * A document with lazy arrays (tfit_jo_add_lazy, issue #17) prints to the
 * same bytes as cJSON_Print of the whole tree: empty, one element and
 * several, objects, empty objects, raw numbers and null as elements, at
 * several depths, a lazy array inside a lazy array's element, strings
 * holding a newline, a tab and the marker byte.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tfit_test.h"
#include "report/json_out.h"

/* an element: kind 0 an object (with an inner array that is lazy when l
 * is set), 1 a raw number or null, 2 an empty object */
struct elem_ctx {
	int kind;
	size_t inner;               /* the inner array's length */
	struct tfit_jo_lazies *l;   /* NULL: the tree */
};

static cJSON *elem(const void *ctx, size_t i);

static void add_array(cJSON *obj, const char *key, const struct elem_ctx *c, size_t n,
		      struct tfit_jo_lazies *l)
{
	cJSON *a;
	size_t i;
	if (l) {
		tfit_jo_add_lazy(obj, key, l, elem, c, n);
		return;
	}
	a = cJSON_CreateArray();
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(a, elem(c, i));
	tfit_jo_add(obj, key, a);
}

static const struct elem_ctx raws_lazy = { 1, 0, NULL };

static cJSON *elem(const void *ctx, size_t i)
{
	const struct elem_ctx *c = ctx;
	cJSON *o;
	char nb[32];
	if (c->kind == 1) {
		if (i == 1)
			return cJSON_CreateNull();
		snprintf(nb, sizeof(nb), "%zu.50", i);
		return cJSON_CreateRaw(nb);
	}
	o = cJSON_CreateObject();
	if (c->kind == 2)
		return o;
	tfit_jo_u64(o, "index", i);
	cJSON_AddItemToObject(o, "name", cJSON_CreateString("a\nb\t\x01" "c"));
	tfit_jo_add(o, "empty", cJSON_CreateObject());
	{
		cJSON *shape = cJSON_CreateArray();
		cJSON_AddItemToArray(shape, cJSON_CreateRaw("1"));
		cJSON_AddItemToArray(shape, cJSON_CreateRaw("8"));
		tfit_jo_add(o, "shape", shape);
	}
	add_array(o, "inner", &raws_lazy, c->inner + i, c->l);
	return o;
}

/* The document printed with lazy arrays (lazy) or as one tree. */
static char *render(int lazy)
{
	struct tfit_jo_lazies l = TFIT_JO_LAZIES_INIT, *lp = lazy ? &l : NULL;
	struct tfit_strbuf out = TFIT_STRBUF_INIT;
	struct elem_ctx objs = { 0, 0, lp }, raws = { 1, 0, lp }, empties = { 2, 0, lp };
	cJSON *doc = tfit_jo_document("test"), *mo = cJSON_CreateObject(), *arr, *inner;
	size_t n;
	add_array(doc, "none", &objs, 0, lp);
	add_array(doc, "one", &objs, 1, lp);
	for (n = 0; n < 4; n++) {
		cJSON *o = cJSON_CreateObject();
		char key[16];
		snprintf(key, sizeof(key), "objects%zu", n);
		add_array(mo, key, &objs, n, lp);
		snprintf(key, sizeof(key), "raws%zu", n);
		add_array(mo, key, &raws, n, lp);
		add_array(o, "empties", &empties, n, lp);
		tfit_jo_add(mo, key[0] == 'r' ? "deeper" : "x", o);
		tfit_jo_u64(mo, "after", n);
	}
	tfit_jo_add(doc, "model", mo);
	/* lazy arrays in an object inside a tree array */
	arr = cJSON_CreateArray();
	inner = cJSON_CreateObject();
	add_array(inner, "objects", &objs, 3, lp);
	tfit_jo_add(inner, "z", cJSON_CreateFalse());
	cJSON_AddItemToArray(arr, inner);
	cJSON_AddItemToArray(arr, cJSON_CreateObject());
	tfit_jo_add(doc, "results", arr);
	tfit_jo_finish_lazy(doc, lp, &out);
	CHECK(!out.oom);
	return tfit_strbuf_detach(&out);
}

int main(void)
{
	char *tree = render(0), *lazy = render(1);
	CHECK_STR(lazy, tree);
	CHECK(tree && strchr(tree, 0x01) == NULL); /* the string's byte is escaped */
	CHECK_CONTAINS(tree, "\"none\":\t[],\n");
	CHECK_CONTAINS(tree, "\t\t\"raws3\":\t[0.50, null, 2.50],\n");
	CHECK_CONTAINS(tree, "\t\t\t\t\t\"inner\":\t[0.50, null]\n\t\t\t\t}],\n");
	CHECK_CONTAINS(tree, "\"name\":\t\"a\\nb\\t\\u0001c\",\n");
	CHECK_CONTAINS(tree, "\"empties\":\t[{\n\t\t\t\t}, {\n\t\t\t\t}]\n");
	free(tree);
	free(lazy);
	{
	cJSON *o = cJSON_CreateObject();
	char *text;
	tfit_jo_num(o, "a_ms", INFINITY, 4);
	tfit_jo_num(o, "b_mj", -INFINITY, 4);
	tfit_jo_num(o, "c_ms", NAN, 4);
	tfit_jo_num(o, "d_ms", 1.5, 2);
	CHECK(tfit_jo_nonfinite(o, "e", 2.0) == 0);
	text = cJSON_PrintUnformatted(o);
	CHECK_STR(text, "{\"a_ms\":null,\"a_ms_reason\":\"" TFIT_JO_INF_REASON "\","
			"\"b_mj\":null,\"b_mj_reason\":\"" TFIT_JO_NEG_INF_REASON "\","
			"\"c_ms\":null,\"d_ms\":1.50}");
	free(text);
	cJSON_Delete(o);
	}
	return tfit_test_finish();
}
