/* json_util.c - JSON parsing with line:column errors and typed getters. */
#include "json_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tinyfit/strbuf.h"
#include "strmap.h"
#include "numeric.h"
#include "text_filter.h"

void tfit_jpath_init(struct tfit_jpath *p)
{
	p->buf[0] = '\0';
	p->len = 0;
}

static size_t append(struct tfit_jpath *p, const char *s)
{
	size_t old = p->len, n = strlen(s);
	if (p->len + n >= sizeof(p->buf))
		n = sizeof(p->buf) - 1 - p->len;
	memcpy(p->buf + p->len, s, n);
	p->len += n;
	p->buf[p->len] = '\0';
	return old;
}

size_t tfit_jpath_key(struct tfit_jpath *p, const char *key)
{
	size_t old = p->len;
	if (p->len)
		append(p, ".");
	append(p, key);
	return old;
}

size_t tfit_jpath_index(struct tfit_jpath *p, size_t i)
{
	char tmp[32];
	snprintf(tmp, sizeof(tmp), "[%zu]", i);
	return append(p, tmp);
}

void tfit_jpath_restore(struct tfit_jpath *p, size_t len)
{
	if (len < sizeof(p->buf)) {
		p->len = len;
		p->buf[len] = '\0';
	}
}

const char *tfit_jpath_child(const struct tfit_jpath *p, const char *key,
			     char *out, size_t out_size)
{
	struct tfit_jpath tmp = *p;
	size_t n;
	if (key)
		tfit_jpath_key(&tmp, key);
	n = tmp.len < out_size ? tmp.len : out_size - 1;
	memcpy(out, tmp.buf, n);
	out[n] = '\0';
	return out;
}

static void offset_to_line_col(const char *text, size_t len, size_t off,
			       int *line, int *col)
{
	size_t i;
	int l = 1, c = 1;
	if (off > len)
		off = len;
	for (i = 0; i < off; i++) {
		if (text[i] == '\n') {
			l++;
			c = 1;
		} else {
			c++;
		}
	}
	*line = l;
	*col = c;
}

static int depth_ok(const cJSON *item, int depth)
{
	const cJSON *c;
	if (depth > TFIT_JSON_MAX_DEPTH)
		return 0;
	for (c = item ? item->child : NULL; c; c = c->next)
		if ((cJSON_IsObject(c) || cJSON_IsArray(c)) && !depth_ok(c, depth + 1))
			return 0;
	return 1;
}

/*
 * Values a JSON text may hold: one per 8 bytes, plus 2^17. cJSON takes
 * about 80 bytes per value (its node and malloc's header), so the tree
 * stays within about 10 times the file; the real models and profiles have
 * one value per 14 bytes or more. A 60 MB array of zeros (30 million
 * values, 2.4 GB as a tree) is refused before it is built.
 */
#define JSON_BYTES_PER_VALUE 8
#define JSON_MIN_VALUES (1u << 17)
/* cJSON copies a number into a 64-byte buffer: a longer one fails. */
#define JSON_MAX_NUMBER_CHARS 63

struct prescan {
	size_t off;        /* where the problem is */
	char msg[128];
	int limit;         /* 1: a limit, not a syntax problem */
};

static int hex4(const char *p, size_t left, unsigned *v)
{
	unsigned x = 0;
	size_t i;
	if (left < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		char c = p[i];
		x <<= 4;
		if (c >= '0' && c <= '9')
			x |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			x |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			x |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*v = x;
	return 0;
}

/*
 * One pass over the raw text before cJSON sees it: nesting depth (cJSON
 * recurses), the number of values (the tree's memory), strings that are
 * valid UTF-8 with \u escapes that pair their surrogates and are not
 * \u0000 (a raw NUL byte is refused below), and numbers cJSON
 * can hold. Syntax errors are left to cJSON and tfit_json_locate_error.
 * Returns 0, or -1 with ps filled.
 */
static int prescan(const char *text, size_t len, struct prescan *ps)
{
	size_t i, values = 1, num_run = 0;
	size_t max_values = len / JSON_BYTES_PER_VALUE + JSON_MIN_VALUES;
	int depth = 0;
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)text[i];
		if (ch == '"') {
			num_run = 0;
			for (i++; i < len && text[i] != '"'; i++) {
				unsigned char c = (unsigned char)text[i];
				if (c == '\\') {
					unsigned u, lo;
					if (i + 1 < len && text[i + 1] == 'u' && hex4(text + i + 2, len - i - 2, &u) == 0) {
						if (u == 0) {
							/* cJSON ends a string at an escaped NUL: the rest
							 * would be lost, and two keys that differ only
							 * after one would read as duplicates */
							ps->off = i;
							snprintf(ps->msg, sizeof(ps->msg),
								 "\\u0000 (NUL) in a string (expected a string without NUL: the "
								 "rest of it would be lost)");
							return -1;
						}
						if (u >= 0xDC00 && u <= 0xDFFF) {
							ps->off = i;
							snprintf(ps->msg, sizeof(ps->msg),
								 "lone UTF-16 surrogate \\u%04x in a string (a low half with no high half before it)", u);
							return -1;
						}
						if (u >= 0xD800 && u <= 0xDBFF) {
							if (!(i + 11 < len + 0 && text[i + 6] == '\\' && text[i + 7] == 'u' &&
							      hex4(text + i + 8, len - i - 8, &lo) == 0 && lo >= 0xDC00 && lo <= 0xDFFF)) {
								ps->off = i;
								snprintf(ps->msg, sizeof(ps->msg),
									 "lone UTF-16 surrogate \\u%04x in a string (expected a pair such as \\ud83d\\ude00)", u);
								return -1;
							}
							i += 6;
						}
						i += 5;
					} else {
						i++;
					}
				} else if (c >= 0x80) {
					size_t n = tfit_utf8_seq((const unsigned char *)text + i, len - i);
					if (n == 0) {
						ps->off = i;
						snprintf(ps->msg, sizeof(ps->msg),
							 "invalid UTF-8 in a string (byte 0x%02x)", c);
						return -1;
					}
					i += n - 1;
				}
			}
			continue;
		}
		if ((ch >= '0' && ch <= '9') || ch == '-' || ch == '+' || ch == '.' || ch == 'e' || ch == 'E') {
			if (++num_run > JSON_MAX_NUMBER_CHARS) {
				ps->off = i - num_run + 1;
				snprintf(ps->msg, sizeof(ps->msg), "number longer than %d characters",
					 JSON_MAX_NUMBER_CHARS);
				return -1;
			}
			continue;
		}
		num_run = 0;
		if (ch == '[' || ch == '{') {
			values++;
			if (++depth > TFIT_JSON_MAX_DEPTH + 1) {
				ps->limit = 1;
				ps->off = i;
				snprintf(ps->msg, sizeof(ps->msg), "JSON nesting deeper than %d levels (the limit)",
					 TFIT_JSON_MAX_DEPTH);
				return -1;
			}
		} else if (ch == ']' || ch == '}') {
			depth--;
		} else if (ch == ',' && ++values > max_values) {
			ps->limit = 1;
			ps->off = i;
			snprintf(ps->msg, sizeof(ps->msg),
				 "more than %zu JSON values in %zu bytes (the limit: one per %d bytes, plus %u)",
				 max_values, len, JSON_BYTES_PER_VALUE, JSON_MIN_VALUES);
			return -1;
		}
	}
	return 0;
}

/*
 * Duplicate keys: JSON leaves them undefined, and readers disagree (cJSON
 * takes the first, Python, jq and JavaScript the last), so two tools would
 * read the same file differently. An error naming both members. Small
 * objects compare pairwise; large ones through a hash set. This runs
 * before the tree is filtered (two keys that differ only in their control
 * characters are not duplicates), so the keys it quotes, in the message
 * and the path, go through the filter into a buffer.
 */
static enum tfit_status no_duplicate_keys(const cJSON *obj, const char *file, char *path,
					  size_t plen, size_t cap, struct tfit_error *err)
{
	const cJSON *c;
	size_t n = 0, i;
	char shown[101];
	if (cJSON_IsObject(obj)) {
		for (c = obj->child; c; c = c->next)
			n++;
		if (n > 1 && n <= 32) {
			const cJSON *a;
			size_t ia = 0;
			for (a = obj->child; a; a = a->next, ia++) {
				size_t ib = ia + 1;
				for (c = a->next; c; c = c->next, ib++)
					if (a->string && c->string && strcmp(a->string, c->string) == 0)
						goto dup_found;
				continue;
dup_found:
				return tfit_error_set(err, TFIT_ERR_INPUT, file, plen ? path : NULL,
						      "duplicate key \"%s\" (members %zu and %zu of this object, from 1; "
						      "JSON readers differ on which one counts)",
						      tfit_text_filter(a->string, 100, shown), ia + 1, ib + 1);
			}
		} else if (n > 32) {
			struct tfit_strmap seen;
			size_t prev;
			tfit_strmap_init(&seen);
			for (c = obj->child, i = 0; c; c = c->next, i++) {
				if (!c->string)
					continue;
				if (tfit_strmap_get(&seen, c->string, &prev)) {
					tfit_strmap_release(&seen);
					return tfit_error_set(err, TFIT_ERR_INPUT, file, plen ? path : NULL,
							      "duplicate key \"%s\" (members %zu and %zu of this object, from 1; "
							      "JSON readers differ on which one counts)",
							      tfit_text_filter(c->string, 100, shown), prev + 1, i + 1);
				}
				if (tfit_strmap_put(&seen, c->string, i) != 0) {
					tfit_strmap_release(&seen);
					return tfit_error_set(err, TFIT_ERR_NOMEM, file, NULL, "out of memory");
				}
			}
			tfit_strmap_release(&seen);
		}
	}
	for (c = obj->child, i = 0; c; c = c->next, i++) {
		enum tfit_status st;
		int w;
		if (!cJSON_IsObject(c) && !cJSON_IsArray(c))
			continue;
		if (cJSON_IsObject(obj))
			w = snprintf(path + plen, cap - plen, "%s%s", plen ? "." : "",
				     tfit_text_filter(c->string, 60, shown));
		else
			w = snprintf(path + plen, cap - plen, "[%zu]", i);
		if (w < 0 || (size_t)w >= cap - plen)
			w = (int)(cap - plen - 1);
		st = no_duplicate_keys(c, file, path, plen + (size_t)w, cap, err);
		path[plen] = '\0';
		if (st != TFIT_OK)
			return st;
	}
	return TFIT_OK;
}

/*
 * Control characters (C0, DEL, C1) in any string or key become '?', in
 * place: names and descriptions from a file reach terminals and CI logs,
 * where ESC, OSC 52 or a bare CR can rewrite what is shown. The one filter
 * (util/text_filter.h), which the .tflite reader applies to its strings too.
 */
static void filter_controls(char *s)
{
	if (s)
		tfit_text_filter(s, strlen(s), s);
}

static void filter_tree(cJSON *v)
{
	cJSON *c;
	for (c = v->child; c; c = c->next) {
		filter_controls(c->string);
		if (cJSON_IsString(c))
			filter_controls(c->valuestring);
		else if (c->child)
			filter_tree(c);
	}
}

enum tfit_status tfit_json_precheck(const char **textp, size_t *lenp, const char *file,
				    struct tfit_error *err)
{
	const char *text = *textp;
	size_t len = *lenp, i;
	{
		struct prescan ps;
		memset(&ps, 0, sizeof(ps));
		if (prescan(text, len, &ps) != 0) {
			int line, col;
			if (ps.limit)
				return tfit_error_set(err, TFIT_ERR_LIMIT, file, NULL, "%s", ps.msg);
			offset_to_line_col(text, len, ps.off, &line, &col);
			return tfit_error_set_at(err, TFIT_ERR_INPUT, file, line, col, "%s", ps.msg);
		}
	}
	/* Skip a UTF-8 byte order mark, which some editors write. */
	if (len >= 3 && (unsigned char)text[0] == 0xEF &&
	    (unsigned char)text[1] == 0xBB && (unsigned char)text[2] == 0xBF) {
		text += 3;
		len -= 3;
	}
	for (i = 0; i < len; i++) {
		if (text[i] == '\0') {
			int line, col;
			offset_to_line_col(text, len, i, &line, &col);
			return tfit_error_set_at(err, TFIT_ERR_INPUT, file, line, col,
						 "invalid JSON: NUL byte in text");
		}
	}
	*textp = text;
	*lenp = len;
	return TFIT_OK;
}

enum tfit_status tfit_json_parse_checked(const char *text, size_t len, const char *file,
					 cJSON **out, struct tfit_error *err)
{
	const char *end = NULL;
	cJSON *root;

	*out = NULL;
	root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (root) {
		/* trailing garbage check (cJSON's require_null_terminated needs a
		 * NUL exactly at len; do it by hand for buffers that end early) */
		const char *p = end;
		while (p && p < text + len &&
		       (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
			p++;
		if (p && p < text + len) {
			int line, col;
			cJSON_Delete(root);
			offset_to_line_col(text, len, (size_t)(p - text), &line, &col);
			return tfit_error_set_at(err, TFIT_ERR_INPUT, file, line, col,
						 "invalid JSON: unexpected text after the end of the document");
		}
	}
	if (!root) {
		int line, col;
		size_t off = 0;
		char msg[128];
		if (tfit_json_locate_error(text, len, &off, msg, sizeof(msg)) == 0)
			/* valid by the grammar, within the pre-scan's bounds
			 * (strings, numbers), yet cJSON refused it: its
			 * allocations failed */
			return tfit_error_set(err, TFIT_ERR_NOMEM, file, NULL,
					      "out of memory while parsing %zu bytes of JSON", len);
		offset_to_line_col(text, len, off, &line, &col);
		return tfit_error_set_at(err, TFIT_ERR_INPUT, file, line, col,
					 "invalid JSON: %s", msg);
	}
	if (!depth_ok(root, 1)) {
		cJSON_Delete(root);
		return tfit_error_set(err, TFIT_ERR_LIMIT, file, NULL,
				      "JSON nesting deeper than %d levels (the limit)",
				      TFIT_JSON_MAX_DEPTH);
	}
	{
		char path[TFIT_ERROR_PATH_MAX];
		enum tfit_status st;
		path[0] = '\0';
		if ((st = no_duplicate_keys(root, file, path, 0, sizeof(path), err)) != TFIT_OK) {
			cJSON_Delete(root);
			return st;
		}
	}
	filter_tree(root);
	*out = root;
	return TFIT_OK;
}

enum tfit_status tfit_json_parse(const char *text, size_t len, const char *file,
				 cJSON **out, struct tfit_error *err)
{
	enum tfit_status rc;
	*out = NULL;
	if ((rc = tfit_json_precheck(&text, &len, file, err)) != TFIT_OK)
		return rc;
	return tfit_json_parse_checked(text, len, file, out, err);
}

enum tfit_status tfit_json_check_element(cJSON *item, int depth, const char *file,
					 struct tfit_error *err)
{
	char path[TFIT_ERROR_PATH_MAX];
	enum tfit_status st;
	if (!cJSON_IsObject(item) && !cJSON_IsArray(item)) {
		if (cJSON_IsString(item))
			filter_controls(item->valuestring);
		return TFIT_OK;
	}
	if (!depth_ok(item, depth))
		return tfit_error_set(err, TFIT_ERR_LIMIT, file, NULL,
				      "JSON nesting deeper than %d levels (the limit)",
				      TFIT_JSON_MAX_DEPTH);
	path[0] = '\0';
	if ((st = no_duplicate_keys(item, file, path, 0, sizeof(path), err)) != TFIT_OK)
		return st;
	filter_tree(item);
	return TFIT_OK;
}

const char *tfit_json_type_name(const cJSON *item)
{
	if (!item) return "nothing";
	if (cJSON_IsObject(item)) return "object";
	if (cJSON_IsArray(item)) return "array";
	if (cJSON_IsString(item)) return "string";
	if (cJSON_IsNumber(item)) return "number";
	if (cJSON_IsTrue(item)) return "true";
	if (cJSON_IsFalse(item)) return "false";
	if (cJSON_IsNull(item)) return "null";
	return "invalid";
}

const char *tfit_json_found_name(const cJSON *item)
{
	if (cJSON_IsString(item) && item->valuestring && !item->valuestring[0])
		return "an empty string";
	return tfit_json_type_name(item);
}

enum tfit_status tfit_json_type_error(const char *file, const struct tfit_jpath *p,
				      const char *key, const char *expected,
				      const cJSON *found, struct tfit_error *err)
{
	char path[TFIT_ERROR_PATH_MAX];
	tfit_jpath_child(p, key, path, sizeof(path));
	if (found && cJSON_IsString(found))
		return tfit_error_set(err, TFIT_ERR_INPUT, file, path,
				      "expected %s, got string \"%.60s\"", expected,
				      found->valuestring);
	if (found && cJSON_IsNumber(found))
		return tfit_error_set(err, TFIT_ERR_INPUT, file, path,
				      "expected %s, got number %.17g", expected,
				      found->valuedouble);
	return tfit_error_set(err, TFIT_ERR_INPUT, file, path, "expected %s, got %s",
			      expected, tfit_json_type_name(found));
}

static enum tfit_status missing(const char *file, const struct tfit_jpath *p,
				const char *key, const char *expected,
				struct tfit_error *err)
{
	char path[TFIT_ERROR_PATH_MAX];
	tfit_jpath_child(p, key, path, sizeof(path));
	return tfit_error_set(err, TFIT_ERR_INPUT, file, path,
			      "missing required field (expected %s)", expected);
}

enum tfit_status tfit_json_opt_string(const cJSON *obj, const char *key, const char *file,
				      const struct tfit_jpath *p, const char **out,
				      int *present, struct tfit_error *err)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (present)
		*present = 0;
	if (!it || cJSON_IsNull(it))
		return TFIT_OK;
	if (!cJSON_IsString(it) || !it->valuestring)
		return tfit_json_type_error(file, p, key, "a string", it, err);
	if (present)
		*present = 1;
	*out = it->valuestring;
	return TFIT_OK;
}

enum tfit_status tfit_json_dup_opt_string(const cJSON *obj, const char *key, const char *file,
					  const struct tfit_jpath *p, char **out,
					  struct tfit_error *err)
{
	const char *s = NULL;
	size_t n;
	char *copy;
	enum tfit_status rc = tfit_json_opt_string(obj, key, file, p, &s, NULL, err);
	if (rc != TFIT_OK || !s)
		return rc;
	n = strlen(s);
	if (!(copy = malloc(n + 1)))
		return tfit_error_set(err, TFIT_ERR_NOMEM, file, NULL, "out of memory");
	memcpy(copy, s, n + 1);
	*out = copy;
	return TFIT_OK;
}

enum tfit_status tfit_json_req_string(const cJSON *obj, const char *key, const char *file,
				      const struct tfit_jpath *p, const char **out,
				      struct tfit_error *err)
{
	int present = 0;
	enum tfit_status rc = tfit_json_opt_string(obj, key, file, p, out, &present, err);
	if (rc != TFIT_OK)
		return rc;
	if (!present)
		return missing(file, p, key, "a string", err);
	return TFIT_OK;
}

enum tfit_status tfit_json_item_int(const cJSON *item, const char *file,
				    const char *path, int64_t min, int64_t max,
				    int64_t *out, struct tfit_error *err)
{
	double v;
	if (!cJSON_IsNumber(item)) {
		if (item && cJSON_IsString(item))
			return tfit_error_set(err, TFIT_ERR_INPUT, file, path,
					      "expected an integer, got string \"%.60s\"",
					      item->valuestring);
		return tfit_error_set(err, TFIT_ERR_INPUT, file, path,
				      "expected an integer, got %s", tfit_json_type_name(item));
	}
	v = item->valuedouble;
	if (!isfinite(v) || v != tfit_floor(v))
		return tfit_error_set(err, TFIT_ERR_INPUT, file, path,
				      "expected an integer, got %.17g", v);
	if (fabs(v) > 9007199254740992.0)
		return tfit_error_set(err, TFIT_ERR_INPUT, file, path,
				      "integer %.17g is too large (over 2^53)", v);
	if (v < (double)min || v > (double)max) {
		if (min == 1 && v <= 0)
			return tfit_error_set(err, TFIT_ERR_INPUT, file, path,
					      "expected a positive integer, got %.17g", v);
		return tfit_error_set(err, TFIT_ERR_INPUT, file, path,
				      "expected an integer from %lld to %lld, got %.17g",
				      (long long)min, (long long)max, v);
	}
	*out = (int64_t)v;
	return TFIT_OK;
}

enum tfit_status tfit_json_opt_int(const cJSON *obj, const char *key, const char *file,
				   const struct tfit_jpath *p, int64_t min, int64_t max,
				   int64_t *out, int *present, struct tfit_error *err)
{
	char path[TFIT_ERROR_PATH_MAX];
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
	enum tfit_status rc;
	if (present)
		*present = 0;
	if (!it || cJSON_IsNull(it))
		return TFIT_OK;
	tfit_jpath_child(p, key, path, sizeof(path));
	rc = tfit_json_item_int(it, file, path, min, max, out, err);
	if (rc == TFIT_OK && present)
		*present = 1;
	return rc;
}

enum tfit_status tfit_json_req_int(const cJSON *obj, const char *key, const char *file,
				   const struct tfit_jpath *p, int64_t min, int64_t max,
				   int64_t *out, struct tfit_error *err)
{
	int present = 0;
	enum tfit_status rc = tfit_json_opt_int(obj, key, file, p, min, max, out, &present, err);
	if (rc != TFIT_OK)
		return rc;
	if (!present)
		return missing(file, p, key, "an integer", err);
	return TFIT_OK;
}

enum tfit_status tfit_json_opt_number(const cJSON *obj, const char *key, const char *file,
				      const struct tfit_jpath *p, double min, double max,
				      double *out, int *present, struct tfit_error *err)
{
	char path[TFIT_ERROR_PATH_MAX];
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (present)
		*present = 0;
	if (!it || cJSON_IsNull(it))
		return TFIT_OK;
	if (!cJSON_IsNumber(it) || !isfinite(it->valuedouble))
		return tfit_json_type_error(file, p, key, "a number", it, err);
	if (it->valuedouble < min || it->valuedouble > max) {
		tfit_jpath_child(p, key, path, sizeof(path));
		return tfit_error_set(err, TFIT_ERR_INPUT, file, path,
				      "expected a number from %g to %g, got %.17g",
				      min, max, it->valuedouble);
	}
	*out = it->valuedouble;
	if (present)
		*present = 1;
	return TFIT_OK;
}

enum tfit_status tfit_json_opt_bool(const cJSON *obj, const char *key, const char *file,
				    const struct tfit_jpath *p, int *out, int *present,
				    struct tfit_error *err)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (present)
		*present = 0;
	if (!it || cJSON_IsNull(it))
		return TFIT_OK;
	if (!cJSON_IsBool(it))
		return tfit_json_type_error(file, p, key, "true or false", it, err);
	*out = cJSON_IsTrue(it) ? 1 : 0;
	if (present)
		*present = 1;
	return TFIT_OK;
}

enum tfit_status tfit_json_check_keys(const cJSON *obj, const char *const *allowed,
				      const char *file, const struct tfit_jpath *p,
				      struct tfit_error *err)
{
	const cJSON *c;
	for (c = obj ? obj->child : NULL; c; c = c->next) {
		const char *const *a;
		int ok = 0;
		for (a = allowed; *a; a++) {
			if (c->string && strcmp(c->string, *a) == 0) {
				ok = 1;
				break;
			}
		}
		if (!ok) {
			struct tfit_strbuf sb = TFIT_STRBUF_INIT;
			char path[TFIT_ERROR_PATH_MAX];
			enum tfit_status rc;
			for (a = allowed; *a; a++) {
				if (a != allowed)
					tfit_strbuf_puts(&sb, ", ");
				tfit_strbuf_puts(&sb, *a);
			}
			tfit_jpath_child(p, c->string ? c->string : "?", path, sizeof(path));
			rc = tfit_error_set(err, TFIT_ERR_INPUT, file, path,
					    "unknown field '%s' (expected one of: %s)",
					    c->string ? c->string : "?", tfit_strbuf_str(&sb));
			tfit_strbuf_release(&sb);
			return rc;
		}
	}
	return TFIT_OK;
}

enum tfit_status tfit_json_check_object(const cJSON *obj, const char *const *allowed,
					const char *file, const struct tfit_jpath *p,
					struct tfit_error *err)
{
	if (!cJSON_IsObject(obj))
		return tfit_error_set(err, TFIT_ERR_INPUT, file, p->buf,
				      "expected an object, got %s", tfit_json_type_name(obj));
	return tfit_json_check_keys(obj, allowed, file, p, err);
}
