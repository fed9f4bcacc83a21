/*
 * text_wrap.c - fit a finished text report to the terminal width: every
 * line longer than the width is wrapped at spaces with a hanging indent
 * ("  latency  308.0 ms ..." continues under "308.0", an indented line two
 * columns deeper than it starts), a word longer than a whole line is cut.
 * Table lines (box drawing or ASCII rules) are left alone: the table
 * renderer fits them itself (render_text.c). Widths count UTF-8 code
 * points, one column each (box drawing, blocks and the ellipsis are one
 * column wide); ANSI colour sequences count zero.
 */
#include "tinyfit/table.h"

#include <stdint.h>
#include <string.h>

/* Length in bytes of an ANSI CSI sequence at s ("\x1b[31;1m"), else 0. */
static size_t escape_len(const char *s, const char *end)
{
	const char *p = s + 2;
	if (end - s < 3 || s[0] != '\x1b' || s[1] != '[')
		return 0;
	while (p < end && ((*p >= '0' && *p <= '9') || *p == ';'))
		p++;
	return p < end ? (size_t)(p - s) + 1 : 0;
}

/* Walk s[0..n) a code point at a time (ANSI sequences take no column)
 * and stop before the code point that would make more than max_cols
 * columns: returns the bytes walked, *cols (may be NULL) the columns. */
static size_t walk_cols(const char *s, size_t n, size_t max_cols, size_t *cols)
{
	size_t w = 0, i = 0;
	while (i < n) {
		size_t e = escape_len(s + i, s + n);
		if (e) {
			i += e;
			continue;
		}
		if (((unsigned char)s[i] & 0xC0) != 0x80) {
			if (w == max_cols)
				break;
			w++;
		}
		i++;
	}
	if (cols)
		*cols = w;
	return i;
}

/* Display columns of s[0..n). */
static size_t span_cols(const char *s, size_t n)
{
	size_t w;
	(void)walk_cols(s, n, SIZE_MAX, &w);
	return w;
}

/* Bytes of s[0..n) that fill at most cols columns (whole code points). */
static size_t bytes_for_cols(const char *s, size_t n, size_t cols)
{
	return walk_cols(s, n, cols, NULL);
}

/* A table line: box drawing (U+2500..U+257F: E2 94/95 xx) or an ASCII
 * rule/row ("+-", "|") after the indentation. */
static int is_table_line(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && s[i] == ' ')
		i++;
	if (i + 2 < n && (unsigned char)s[i] == 0xE2 &&
	    ((unsigned char)s[i + 1] == 0x94 || (unsigned char)s[i + 1] == 0x95))
		return 1;
	return i + 1 < n && ((s[i] == '+' && s[i + 1] == '-') || s[i] == '|');
}

/* The column continuation lines start at: under the value of a
 * "  label    value" line (a word at most 4 columns in, then two or more
 * spaces), else two columns deeper than the line's own indentation. At
 * most half the width, so that the continuation keeps room. */
static size_t hanging_indent(const char *s, size_t n, size_t width)
{
	size_t lead = 0, i, k;
	while (lead < n && s[lead] == ' ')
		lead++;
	i = lead;
	while (i < n && s[i] != ' ')
		i++;
	k = i;
	while (k < n && s[k] == ' ')
		k++;
	if (lead <= 4 && i > lead && k - i >= 2 && k < n)
		lead = span_cols(s, k);
	else
		lead += 2;
	return lead > width / 2 ? width / 2 : lead;
}

/* A unit that stays on the line of its number ("15.62 KiB", "43.0 ms"):
 * the word at s, up to closing punctuation. */
static int is_unit(const char *s, size_t n)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "ms", "s", "mJ", "mW",
					     "MHz", "kHz", "Hz", "V", "mAh", "us" };
	size_t k = 0, i;
	while (k < n && s[k] != ' ' && s[k] != ')' && s[k] != ',' && s[k] != ';' && s[k] != '.')
		k++;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strlen(units[i]) == k && strncmp(s, units[i], k) == 0)
			return 1;
	return 0;
}

/* The end of the word starting at i: a number keeps its unit. */
static size_t word_end(const char *s, size_t n, size_t i)
{
	size_t we = i;
	while (we < n && s[we] != ' ')
		we++;
	if (we > i && s[we - 1] >= '0' && s[we - 1] <= '9' && we + 1 < n && s[we] == ' ' &&
	    is_unit(s + we + 1, n - we - 1)) {
		we++;
		while (we < n && s[we] != ' ')
			we++;
	}
	return we;
}

static void wrap_line(const char *s, size_t n, size_t width, struct tfit_strbuf *out)
{
	size_t indent = hanging_indent(s, n, width), col = 0, i = 0;
	int first = 1;
	/* the line's own indentation is kept as it is */
	while (i < n && s[i] == ' ') {
		tfit_strbuf_putc(out, ' ');
		col++;
		i++;
	}
	while (i < n) {
		size_t ws = i, we, w;
		while (i < n && s[i] == ' ')
			i++;
		we = word_end(s, n, i);
		if (we == i)
			break; /* trailing spaces */
		w = span_cols(s + i, we - i);
		if (!first && col + (i - ws) + w > width) {
			/* a new line under the hanging indent */
			tfit_strbuf_putc(out, '\n');
			tfit_strbuf_pad(out, ' ', indent);
			col = indent;
		} else if (!first) {
			tfit_strbuf_add(out, s + ws, i - ws);
			col += i - ws;
		}
		first = 0;
		while (col + w > width && width > col) {
			/* a word wider than the room left: cut it */
			size_t b = bytes_for_cols(s + i, we - i, width - col);
			tfit_strbuf_add(out, s + i, b);
			tfit_strbuf_putc(out, '\n');
			tfit_strbuf_pad(out, ' ', indent);
			col = indent;
			i += b;
			w = span_cols(s + i, we - i);
		}
		tfit_strbuf_add(out, s + i, we - i);
		col += w;
		i = we;
	}
}

void tfit_text_wrap(const char *text, size_t len, int width, struct tfit_strbuf *out)
{
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		size_t body = n && p[n - 1] == '\r' ? n - 1 : n;
		if (width <= 0 || span_cols(p, body) <= (size_t)width || is_table_line(p, body) ||
		    width < 20)
			tfit_strbuf_add(out, p, body);
		else
			wrap_line(p, body, (size_t)width, out);
		if (body < n)
			tfit_strbuf_putc(out, '\r');
		if (nl)
			tfit_strbuf_putc(out, '\n');
		p += n + (nl ? 1 : 0);
	}
}
