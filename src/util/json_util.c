/* json_util.c - JSON parsing with line:column errors and typed getters. */
#include "json_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tinyfit/strbuf.h"

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

/* Nesting depth of raw text, counted before cJSON recurses into it. */
static int raw_depth_ok(const char *text, size_t len)
{
	size_t i;
	int depth = 0, in_str = 0;
	for (i = 0; i < len; i++) {
		char ch = text[i];
		if (in_str) {
			if (ch == '\\')
				i++;
			else if (ch == '"')
				in_str = 0;
			continue;
		}
		if (ch == '"')
			in_str = 1;
		else if (ch == '[' || ch == '{') {
			if (++depth > TFIT_JSON_MAX_DEPTH + 1)
				return 0;
		} else if (ch == ']' || ch == '}')
			depth--;
	}
	return 1;
}

enum tfit_status tfit_json_parse(const char *text, size_t len, const char *file,
				 cJSON **out, struct tfit_error *err)
{
	const char *end = NULL;
	cJSON *root;
	size_t i;

	*out = NULL;
	if (!raw_depth_ok(text, len))
		return tfit_error_set(err, TFIT_ERR_LIMIT, file, NULL,
				      "JSON nesting deeper than %d levels (the limit)",
				      TFIT_JSON_MAX_DEPTH);
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
		if (tfit_json_locate_error(text, len, &off, msg, sizeof(msg)) == 0) {
			/* valid by the grammar but cJSON refused it (e.g. out of memory) */
			snprintf(msg, sizeof(msg), "cannot parse this JSON");
			off = 0;
		}
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
	*out = root;
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
	if (!isfinite(v) || v != floor(v))
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
