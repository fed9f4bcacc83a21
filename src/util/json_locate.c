/*
 * json_locate.c - find where and why JSON text is malformed. cJSON only says
 * that parsing failed (and its position is often the end of the input), so
 * when it fails this scanner walks the text by the JSON grammar (RFC 8259)
 * and reports the first offending byte with what was expected there.
 */
#include "json_util.h"

#include <stdio.h>
#include <string.h>

struct scan {
	const char *s;
	size_t len, pos;
	const char *msg;
	char buf[96];
};

static void ws(struct scan *c)
{
	while (c->pos < c->len && (c->s[c->pos] == ' ' || c->s[c->pos] == '\t' ||
				   c->s[c->pos] == '\n' || c->s[c->pos] == '\r'))
		c->pos++;
}

static int fail(struct scan *c, const char *expected)
{
	if (c->pos >= c->len) {
		snprintf(c->buf, sizeof(c->buf), "unexpected end of file (expected %s)", expected);
	} else {
		unsigned char ch = (unsigned char)c->s[c->pos];
		if (ch >= 32 && ch < 127)
			snprintf(c->buf, sizeof(c->buf), "expected %s, got '%c'", expected, ch);
		else
			snprintf(c->buf, sizeof(c->buf), "expected %s, got byte 0x%02x", expected, ch);
	}
	c->msg = c->buf;
	return -1;
}

static int string(struct scan *c)
{
	c->pos++; /* opening quote */
	while (c->pos < c->len) {
		unsigned char ch = (unsigned char)c->s[c->pos];
		if (ch == '"') {
			c->pos++;
			return 0;
		}
		if (ch < 32)
			return fail(c, "a closing '\"' (control characters must be escaped)");
		if (ch == '\\') {
			c->pos++;
			if (c->pos >= c->len)
				break;
			if (strchr("\"\\/bfnrt", c->s[c->pos])) {
				c->pos++;
			} else if (c->s[c->pos] == 'u') {
				int k;
				c->pos++;
				for (k = 0; k < 4; k++, c->pos++)
					if (c->pos >= c->len || !strchr("0123456789abcdefABCDEF", c->s[c->pos]))
						return fail(c, "4 hex digits after \\u");
			} else {
				return fail(c, "a valid escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
			}
			continue;
		}
		c->pos++;
	}
	return fail(c, "a closing '\"'");
}

static int number(struct scan *c)
{
	size_t start = c->pos;
	if (c->s[c->pos] == '-')
		c->pos++;
	if (c->pos < c->len && c->s[c->pos] == '0') {
		c->pos++;
	} else if (c->pos < c->len && c->s[c->pos] >= '1' && c->s[c->pos] <= '9') {
		while (c->pos < c->len && c->s[c->pos] >= '0' && c->s[c->pos] <= '9')
			c->pos++;
	} else {
		return fail(c, "a digit");
	}
	if (c->pos < c->len && c->s[c->pos] == '.') {
		c->pos++;
		if (c->pos >= c->len || c->s[c->pos] < '0' || c->s[c->pos] > '9')
			return fail(c, "a digit after '.'");
		while (c->pos < c->len && c->s[c->pos] >= '0' && c->s[c->pos] <= '9')
			c->pos++;
	}
	if (c->pos < c->len && (c->s[c->pos] == 'e' || c->s[c->pos] == 'E')) {
		c->pos++;
		if (c->pos < c->len && (c->s[c->pos] == '+' || c->s[c->pos] == '-'))
			c->pos++;
		if (c->pos >= c->len || c->s[c->pos] < '0' || c->s[c->pos] > '9')
			return fail(c, "a digit in the exponent");
		while (c->pos < c->len && c->s[c->pos] >= '0' && c->s[c->pos] <= '9')
			c->pos++;
	}
	(void)start;
	return 0;
}

static int literal(struct scan *c, const char *word)
{
	size_t n = strlen(word);
	if (c->len - c->pos >= n && memcmp(c->s + c->pos, word, n) == 0) {
		c->pos += n;
		return 0;
	}
	return fail(c, "a value (object, array, string, number, true, false or null)");
}

static int value(struct scan *c, int depth);

static int container(struct scan *c, int depth, char close)
{
	int first = 1;
	c->pos++;
	for (;;) {
		ws(c);
		if (c->pos < c->len && c->s[c->pos] == close) {
			if (!first)
				return fail(c, close == '}' ? "a field name after ','" : "a value after ','");
			c->pos++;
			return 0;
		}
		if (close == '}') {
			if (c->pos >= c->len || c->s[c->pos] != '"')
				return fail(c, first ? "a field name in double quotes or '}'"
						     : "a field name in double quotes");
			if (string(c) != 0)
				return -1;
			ws(c);
			if (c->pos >= c->len || c->s[c->pos] != ':')
				return fail(c, "':' after the field name");
			c->pos++;
			ws(c);
		}
		if (value(c, depth + 1) != 0)
			return -1;
		first = 0;
		ws(c);
		if (c->pos < c->len && c->s[c->pos] == ',') {
			c->pos++;
			ws(c);
			if (c->pos < c->len && c->s[c->pos] == close)
				return fail(c, close == '}' ? "another field after ',' (trailing commas are not allowed)"
							    : "another value after ',' (trailing commas are not allowed)");
			continue;
		}
		if (c->pos < c->len && c->s[c->pos] == close) {
			c->pos++;
			return 0;
		}
		return fail(c, close == '}' ? "',' or '}'" : "',' or ']'");
	}
}

static int value(struct scan *c, int depth)
{
	ws(c);
	if (depth > TFIT_JSON_MAX_DEPTH)
		return fail(c, "less nesting");
	if (c->pos >= c->len)
		return fail(c, "a value");
	switch (c->s[c->pos]) {
	case '{': return container(c, depth, '}');
	case '[': return container(c, depth, ']');
	case '"': return string(c);
	case 't': return literal(c, "true");
	case 'f': return literal(c, "false");
	case 'n': return literal(c, "null");
	default:
		if (c->s[c->pos] == '-' || (c->s[c->pos] >= '0' && c->s[c->pos] <= '9'))
			return number(c);
		return fail(c, "a value (object, array, string, number, true, false or null)");
	}
}

int tfit_json_locate_error(const char *text, size_t len, size_t *offset, char *msg,
			   size_t msg_size)
{
	struct scan c;
	memset(&c, 0, sizeof(c));
	c.s = text;
	c.len = len;
	if (value(&c, 1) == 0) {
		ws(&c);
		if (c.pos >= c.len)
			return 0; /* valid */
		fail(&c, "the end of the document");
	}
	*offset = c.pos;
	snprintf(msg, msg_size, "%s", c.msg ? c.msg : "invalid JSON");
	return -1;
}
