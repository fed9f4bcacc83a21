/*
 * json_stream.c - a JSON document read with its one large array left in
 * the text (json_util.h, struct tfit_json_doc): the model readers' "layers"
 * array is parsed one element at a time, so a 50,000-layer model never
 * holds the cJSON tree of the whole file (issue #17; about 10 times the
 * file, docs/limits.md).
 *
 * The whole text has passed tfit_json_precheck (the byte pre-scan). A byte
 * scanner finds the array through plain keys ({"layers": [...]}) and its
 * closing bracket; the tree is the text without the elements after the
 * first (a copy with them cut out, parsed and checked as tfit_json_parse
 * would), and each later element is parsed by cJSON where it stands
 * (cJSON_ParseWithLengthOpts stops at its end), checked the same way
 * (depth, duplicate keys, control characters) and deleted before the
 * next. The separators between elements are checked against cJSON's
 * grammar, and the walk must end at the bracket the scanner found, so the
 * pieces accept exactly the texts cJSON accepts whole.
 */
#include "json_util.h"

#include <stdlib.h>
#include <string.h>

#define NONE ((size_t)-1)

/* cJSON's whitespace: every byte up to the space (cJSON.c,
 * buffer_skip_whitespace). */
static size_t skip_ws(const char *t, size_t len, size_t p)
{
	while (p < len && (unsigned char)t[p] <= 32)
		p++;
	return p;
}

/* After the string that starts at p (a '"'), or NONE; *plain: it has no
 * escape. */
static size_t skip_string(const char *t, size_t len, size_t p, int *plain)
{
	*plain = 1;
	for (p++; p < len; p++) {
		if (t[p] == '\\') {
			*plain = 0;
			p++;
		} else if (t[p] == '"') {
			return p + 1;
		}
	}
	return NONE;
}

/* After the value at p, by its bytes only (cJSON checks each piece
 * afterwards), or NONE. */
static size_t skip_value(const char *t, size_t len, size_t p)
{
	size_t depth = 0;
	int plain;
	if (p >= len)
		return NONE;
	if (t[p] == '"')
		return skip_string(t, len, p, &plain);
	if (t[p] != '{' && t[p] != '[') {
		while (p < len && (unsigned char)t[p] > 32 && t[p] != ',' && t[p] != ']' &&
		       t[p] != '}' && t[p] != ':')
			p++;
		return p;
	}
	while (p < len) {
		if (t[p] == '"') {
			if ((p = skip_string(t, len, p, &plain)) == NONE)
				return NONE;
			continue;
		}
		if (t[p] == '{' || t[p] == '[') {
			depth++;
		} else if (t[p] == '}' || t[p] == ']') {
			if (--depth == 0)
				return p + 1;
		}
		p++;
	}
	return NONE;
}

/* The '[' of the array at path (plain keys from the root object), or NONE;
 * *depth: the nesting depth of its elements (the root is 1). */
static size_t find_array(const char *t, size_t len, const char *const *path, int *depth)
{
	size_t p = skip_ws(t, len, 0);
	int d = 1;
	if (p >= len || t[p] != '{')
		return NONE;
	p++;
	for (;;) {
		size_t key, end;
		int plain;
		p = skip_ws(t, len, p);
		if (p >= len || t[p] != '"')
			return NONE;
		key = p + 1;
		if ((end = skip_string(t, len, p, &plain)) == NONE)
			return NONE;
		p = skip_ws(t, len, end);
		if (p >= len || t[p] != ':')
			return NONE;
		p = skip_ws(t, len, p + 1);
		if (p >= len)
			return NONE;
		if (plain && end - 1 - key == strlen(*path) && memcmp(t + key, *path, end - 1 - key) == 0) {
			if (!path[1]) {
				*depth = d + 2;
				return t[p] == '[' ? p : NONE;
			}
			if (t[p] != '{')
				return NONE;
			path++;
			d++;
			p++;
			continue;
		}
		if ((p = skip_value(t, len, p)) == NONE)
			return NONE;
		p = skip_ws(t, len, p);
		if (p >= len || t[p] != ',')
			return NONE;
		p++;
	}
}

static enum tfit_status walk_error(struct tfit_json_doc *doc, struct tfit_error *err)
{
	/* normally never shown: the caller reads the text again whole and
	 * reports tfit_json_parse's error */
	return tfit_error_set(err, TFIT_ERR_INPUT, doc->file, NULL,
			      "invalid JSON in an array read element by element");
}

/* Parse the next element of the lazy array into doc->owned (NULL at its
 * end), deleting the one before. */
static enum tfit_status step(struct tfit_json_doc *doc, struct tfit_error *err)
{
	const char *t = doc->text, *end = NULL;
	size_t len = doc->len, p;
	cJSON_Delete(doc->owned);
	doc->owned = NULL;
	if (doc->done)
		return TFIT_OK;
	p = skip_ws(t, len, doc->pos);
	if (p < len && t[p] == ']') {
		if (p != doc->close)
			return walk_error(doc, err);
		doc->done = 1;
		return TFIT_OK;
	}
	if (p >= len || t[p] != ',')
		return walk_error(doc, err);
	p = skip_ws(t, len, p + 1);
	/* cJSON skips a byte order mark at the start of what it is given,
	 * which inside the array is an error */
	if (p >= doc->close || (unsigned char)t[p] == 0xEF)
		return walk_error(doc, err);
	doc->owned = cJSON_ParseWithLengthOpts(t + p, len - p, &end, 0);
	if (!doc->owned || !end || (size_t)(end - t) > doc->close)
		return walk_error(doc, err);
	doc->pos = (size_t)(end - t);
	return tfit_json_check_element(doc->owned, doc->lazy_depth, doc->file, err);
}

enum tfit_status tfit_json_doc_parse(struct tfit_json_doc *doc, const char *text, size_t len,
				     const char *file, const char *const *lazy_path,
				     struct tfit_error *err)
{
	size_t open = NONE, first, a, b, p;
	int depth = 0;
	const char *end = NULL;
	cJSON *e;
	char *skel;
	enum tfit_status rc;

	memset(doc, 0, sizeof(*doc));
	doc->file = file;
	doc->text = text;
	doc->len = len;
	if (lazy_path && lazy_path[0])
		open = find_array(text, len, lazy_path, &depth);
	if (open == NONE)
		return tfit_json_parse_checked(text, len, file, &doc->root, err);
	first = skip_ws(text, len, open + 1);
	if (first >= len || text[first] == ']' || (unsigned char)text[first] == 0xEF)
		return tfit_json_parse_checked(text, len, file, &doc->root, err);
	/* the first element stays in the tree; where it ends, as cJSON sees it */
	e = cJSON_ParseWithLengthOpts(text + first, len - first, &end, 0);
	cJSON_Delete(e);
	if (!e || !end)
		return tfit_json_parse_checked(text, len, file, &doc->root, err);
	a = (size_t)(end - text);
	/* the closing bracket, by bytes */
	for (p = a;;) {
		p = skip_ws(text, len, p);
		if (p < len && text[p] == ']')
			break;
		if (p >= len || text[p] != ',' ||
		    (p = skip_value(text, len, skip_ws(text, len, p + 1))) == NONE)
			return tfit_json_parse_checked(text, len, file, &doc->root, err);
	}
	b = p;
	skel = malloc(a + (len - b) + 1);
	if (!skel)
		return tfit_error_set(err, TFIT_ERR_NOMEM, file, NULL, "out of memory");
	memcpy(skel, text, a);
	memcpy(skel + a, text + b, len - b);
	skel[a + (len - b)] = '\0';
	rc = tfit_json_parse_checked(skel, a + (len - b), file, &doc->root, err);
	free(skel);
	if (rc != TFIT_OK)
		return rc;
	doc->lazy = doc->root;
	for (; *lazy_path; lazy_path++)
		doc->lazy = cJSON_GetObjectItemCaseSensitive(doc->lazy, *lazy_path);
	if (!cJSON_IsArray(doc->lazy) || cJSON_GetArraySize(doc->lazy) != 1) {
		doc->lazy = NULL;
		return walk_error(doc, err);
	}
	doc->lazy_depth = depth;
	doc->pos = a;
	doc->close = b;
	return TFIT_OK;
}

enum tfit_status tfit_json_doc_finish(struct tfit_json_doc *doc, struct tfit_error *err)
{
	enum tfit_status rc = TFIT_OK;
	if (!doc->lazy)
		return TFIT_OK;
	doc->walking = 1;
	while (!doc->done && (rc = step(doc, err)) == TFIT_OK)
		;
	cJSON_Delete(doc->owned);
	doc->owned = NULL;
	return rc;
}

void tfit_json_doc_release(struct tfit_json_doc *doc)
{
	cJSON_Delete(doc->owned);
	cJSON_Delete(doc->root);
	memset(doc, 0, sizeof(*doc));
}

void tfit_json_iter_init(struct tfit_json_iter *it, struct tfit_json_doc *doc,
			 const cJSON *array)
{
	it->doc = doc;
	it->lazy = doc && doc->lazy && array == doc->lazy;
	it->cur = array ? array->child : NULL;
}

enum tfit_status tfit_json_iter_next(struct tfit_json_iter *it, const cJSON **item,
				     struct tfit_error *err)
{
	enum tfit_status rc;
	*item = NULL;
	if (!it->lazy) {
		*item = it->cur;
		if (it->cur)
			it->cur = it->cur->next;
		return TFIT_OK;
	}
	if (it->cur) {
		/* the first element, from the tree; the lazy array is walked once */
		if (it->doc->walking)
			return walk_error(it->doc, err);
		it->doc->walking = 1;
		*item = it->cur;
		it->cur = NULL;
		return TFIT_OK;
	}
	if ((rc = step(it->doc, err)) != TFIT_OK)
		return rc;
	*item = it->doc->owned;
	return TFIT_OK;
}

/* ---- more than one array path (the Keras reader's "layers") ---- */

enum tfit_status tfit_json_doc_parse_any(struct tfit_json_doc *doc, const char *text, size_t len,
					 const char *file, const char *const *const *lazy_paths,
					 struct tfit_error *err)
{
	size_t i;
	int depth;
	for (i = 0; lazy_paths && lazy_paths[i]; i++) {
		if (find_array(text, len, lazy_paths[i], &depth) != NONE)
			return tfit_json_doc_parse(doc, text, len, file, lazy_paths[i], err);
	}
	return tfit_json_doc_parse(doc, text, len, file, NULL, err);
}

cJSON *tfit_json_iter_take(struct tfit_json_iter *it)
{
	cJSON *o;
	if (!it->lazy || !it->doc)
		return NULL;
	o = it->doc->owned;
	it->doc->owned = NULL;
	return o;
}

/* The values of a text cJSON accepts, as cJSON counts its nodes (every
 * object, array, string, number and literal; keys are not nodes). */
size_t tfit_json_count_values(const char *t, size_t len)
{
	size_t p = 0, n = 0;
	int plain;
	while (p < len) {
		unsigned char c = (unsigned char)t[p];
		if (c == '"') {
			size_t e = skip_string(t, len, p, &plain);
			if (e == NONE)
				break;
			p = skip_ws(t, len, e);
			if (p >= len || t[p] != ':')
				n++; /* a string value, not a key */
			continue;
		}
		if (c == '{' || c == '[') {
			n++;
			p++;
		} else if (c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n') {
			n++;
			p = skip_value(t, len, p);
		} else {
			p++;
		}
	}
	return n;
}
