/* text_filter.c - UTF-8 check and control-character filter (text_filter.h). */
#include "util/text_filter.h"

#include <stdlib.h>
#include <string.h>

size_t tfit_utf8_seq(const unsigned char *p, size_t left)
{
	unsigned c = p[0], cp;
	size_t n, i;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2, cp = c & 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3, cp = c & 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	if (left < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0; /* overlong, past U+10FFFF, or a surrogate */
	return n;
}

size_t tfit_utf8_invalid_at(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;
	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((k = tfit_utf8_seq(p + i, n - i)) == 0)
			return i;
		i += k;
	}
	return n;
}

/* 3 when p starts one of Unicode's bidirectional embedding, override or
 * isolate controls (U+202A to U+202E, U+2066 to U+2069: E2 80 AA-AE, E2 81
 * A6-A9), which reorder the text shown after them (a name could make the
 * rest of a line read backwards, "Trojan Source"); else 0. p is a NUL-
 * terminated string or has at least 3 bytes when p[0] is 0xE2 and p[1] is
 * 0x80 or 0x81. */
static size_t bidi_control(const unsigned char *p)
{
	if (p[0] != 0xE2)
		return 0;
	if (p[1] == 0x80)
		return p[2] >= 0xAA && p[2] <= 0xAE ? 3 : 0;
	if (p[1] == 0x81)
		return p[2] >= 0xA6 && p[2] <= 0xA9 ? 3 : 0;
	return 0;
}

const char *tfit_text_filter(const char *s, size_t max, char *out)
{
	const unsigned char *r = (const unsigned char *)(s ? s : "");
	size_t n = 0, k;
	while (*r) {
		if (*r < 0x20 || *r == 0x7F || (r[0] == 0xC2 && r[1] >= 0x80 && r[1] <= 0x9F) ||
		    bidi_control(r)) {
			/* before out[n] is written: it may be *r */
			k = *r == 0xC2 ? 2 : *r == 0xE2 ? 3 : 1;
			if (n + 1 > max)
				break;
			out[n++] = '?';
			r += k;
			continue;
		}
		k = *r < 0x80 ? 1 : *r < 0xE0 ? 2 : *r < 0xF0 ? 3 : 4;
		if (n + k > max)
			break;
		while (k-- && *r)
			out[n++] = (char)*r++;
	}
	out[n] = '\0';
	return out;
}

const char *tfit_text_filter_bytes(const char *s, size_t n, char *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, o = 0, k;
	while (i < n) {
		unsigned char c = p[i];
		if (c < 0x80) {
			out[o++] = (c < 0x20 || c == 0x7F) ? '?' : (char)c;
			i++;
		} else if ((k = tfit_utf8_seq(p + i, n - i)) == 0 ||
			   (c == 0xC2 && p[i + 1] <= 0x9F) || (k == 3 && bidi_control(p + i))) {
			/* not UTF-8, a C1 control or a bidirectional control (read
			 * before written) */
			out[o++] = '?';
			i += k ? k : 1;
		} else {
			while (k--)
				out[o++] = (char)p[i++];
		}
	}
	out[o] = '\0';
	return out;
}

char *tfit_text_filter_dup(const char *s)
{
	char *out;
	if (!s || !(out = malloc(strlen(s) + 1)))
		return NULL;
	tfit_text_filter_bytes(s, strlen(s), out);
	return out;
}
