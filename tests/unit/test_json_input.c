/*
 * test_json_input.c - what every JSON input goes through before a reader
 * sees it (src/util/json_util.c, issue #17): the pre-scan (UTF-8, UTF-16
 * surrogates, number length, value budget), out of memory reported as such,
 * duplicate keys, and the control-character filter.
 */
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "tfit_test.h"
#include "util/json_util.h"

static enum tfit_status parse(const char *text, struct tfit_error *err)
{
	cJSON *root = NULL;
	enum tfit_status st;
	tfit_error_clear(err);
	st = tfit_json_parse(text, strlen(text), "t.json", &root, err);
	cJSON_Delete(root);
	return st;
}

static void test_utf8(void)
{
	static const char *const bad[] = {
		"{\"a\": \"\xff\"}", "{\"a\": \"\xc0\xaf\"}" /* overlong '/' */,
		"{\"a\": \"\xed\xa0\x80\"}" /* a surrogate in UTF-8 */,
		"{\"a\": \"\xf4\x90\x80\x80\"}" /* past U+10FFFF */, "{\"a\": \"\xe2\x82\"}" /* cut */,
		"{\"a\": \"\\ud800\"}", "{\"a\": \"\\udfff\"}", "{\"a\": \"\\ud800\\u0041\"}", NULL
	};
	struct tfit_error err;
	int i;
	for (i = 0; bad[i]; i++) {
		CHECK(parse(bad[i], &err) == TFIT_ERR_INPUT);
		CHECK_U64((uint64_t)err.line, 1);
		CHECK_U64((uint64_t)err.column, 8);
	}
	CHECK(parse("{\"a\": \"\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \\ud83d\\ude00\"}", &err) == TFIT_OK);
}

static int fail_after = -1;
static void *failing_malloc(size_t n)
{
	if (fail_after == 0)
		return NULL;
	if (fail_after > 0)
		fail_after--;
	return malloc(n);
}

/* cJSON's allocations failing is "out of memory", not "invalid JSON". */
static void test_out_of_memory(void)
{
	cJSON_Hooks hooks = { failing_malloc, free };
	struct tfit_error err;
	cJSON_InitHooks(&hooks);
	fail_after = 3;
	CHECK(parse("{\"a\": [1, 2, 3, 4, 5, 6], \"b\": \"text\"}", &err) == TFIT_ERR_NOMEM);
	CHECK_CONTAINS(err.message, "out of memory while parsing");
	fail_after = -1;
	cJSON_InitHooks(NULL);
	CHECK(parse("{\"a\": [1, 2, 3, 4, 5, 6], \"b\": \"text\"}", &err) == TFIT_OK);
}

static void test_limits(void)
{
	struct tfit_error err;
	size_t n = 4u << 20, i;
	char *big = malloc(n + 16);
	/* a number cJSON would cut at 63 characters */
	CHECK(parse("[1234567890123456789012345678901234567890123456789012345678901234]", &err) == TFIT_ERR_INPUT);
	CHECK_CONTAINS(err.message, "number longer than 63 characters");
	CHECK(parse("[123456789012345678901234567890123456789012345678901234567890123]", &err) == TFIT_OK);
	/* 4 MiB of "0,": 2 million values, over one per 8 bytes + 2^17 */
	if (big) {
		big[0] = '[';
		for (i = 1; i + 2 < n; i += 2) {
			big[i] = '0';
			big[i + 1] = ',';
		}
		big[i++] = '0';
		big[i++] = ']';
		big[i] = '\0';
		CHECK(parse(big, &err) == TFIT_ERR_LIMIT);
		CHECK_CONTAINS(err.message, "JSON values in");
	}
	free(big);
}

static void test_duplicate_keys(void)
{
	struct tfit_error err;
	char text[4096];
	size_t k = 0;
	int i;
	CHECK(parse("{\"a\": 1, \"b\": {\"c\": 1, \"d\": 2, \"c\": 3}}", &err) == TFIT_ERR_INPUT);
	CHECK_CONTAINS(err.path, "b");
	CHECK_CONTAINS(err.message, "duplicate key \"c\" (members 1 and 3");
	CHECK(parse("[{\"a\": 1}, {\"a\": 2}]", &err) == TFIT_OK);
	/* a large object goes through the hash set */
	k += (size_t)snprintf(text + k, sizeof(text) - k, "{");
	for (i = 0; i < 100; i++)
		k += (size_t)snprintf(text + k, sizeof(text) - k, "\"k%d\": %d, ", i, i);
	snprintf(text + k, sizeof(text) - k, "\"k57\": 0}");
	CHECK(parse(text, &err) == TFIT_ERR_INPUT);
	CHECK_CONTAINS(err.message, "duplicate key \"k57\" (members 58 and 101");
}

/* The keys a duplicate-key error quotes (and the path it names) come from
 * the tree before its control characters are filtered: they are shown
 * filtered, and cut at a character boundary. */
static void test_duplicate_key_shown(void)
{
	struct tfit_error err;
	char text[512];
	size_t k = 0;
	int i;
	CHECK(parse("{\"a\\u001b]0;t\\u0007\": {\"x\\u001b[2J\\r\\u0085\": 1, \"x\\u001b[2J\\r\\u0085\": 2}}",
		    &err) == TFIT_ERR_INPUT);
	CHECK_STR(err.path, "a?]0;t?");
	CHECK_STR(err.message, "duplicate key \"x?[2J??\" (members 1 and 2 of this object, from 1; "
		  "JSON readers differ on which one counts)");
	/* "x" and 60 two-byte characters: the path keeps 60 bytes, so it ends
	 * after 29 of them (59 bytes), not inside the 30th */
	k += (size_t)snprintf(text + k, sizeof(text) - k, "{\"x");
	for (i = 0; i < 60; i++)
		k += (size_t)snprintf(text + k, sizeof(text) - k, "\xc3\xa9");
	snprintf(text + k, sizeof(text) - k, "\": {\"b\": 1, \"b\": 2}}");
	CHECK(parse(text, &err) == TFIT_ERR_INPUT);
	CHECK_U64(strlen(err.path), 59);
	CHECK(strncmp(err.path, "x\xc3\xa9", 3) == 0);
	CHECK(memcmp(err.path + 57, "\xc3\xa9", 2) == 0);
}

static void test_control_filter(void)
{
	const char *text = "{\"n\\u001b\": \"a\\u001b]52;c;x\\u0007\\r\\nb\\u007f\xc2\x85\xc2\xa0z\"}";
	cJSON *root = NULL;
	struct tfit_error err;
	CHECK(tfit_json_parse(text, strlen(text), "t.json", &root, &err) == TFIT_OK);
	if (root) {
		CHECK(strcmp(root->child->string, "n?") == 0);
		/* C0, DEL and C1 (U+0085) become '?'; U+00A0 stays */
		CHECK(strcmp(root->child->valuestring, "a?]52;c;x???b??\xc2\xa0z") == 0);
	}
	cJSON_Delete(root);
}

int main(void)
{
	test_utf8();
	test_out_of_memory();
	test_limits();
	test_duplicate_keys();
	test_duplicate_key_shown();
	test_control_filter();
	return tfit_test_finish();
}
