/* strbuf.c - growable string (see strbuf.h). */
#include "tinyfit/strbuf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tfit_strbuf_init(struct tfit_strbuf *sb)
{
	sb->buf = NULL;
	sb->len = 0;
	sb->cap = 0;
	sb->oom = 0;
}

void tfit_strbuf_release(struct tfit_strbuf *sb)
{
	free(sb->buf);
	tfit_strbuf_init(sb);
}

void tfit_strbuf_reset(struct tfit_strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

static int grow(struct tfit_strbuf *sb, size_t extra)
{
	size_t need, cap;
	char *p;
	if (sb->oom)
		return 0;
	if (extra > SIZE_MAX - sb->len - 1)
		goto fail;
	need = sb->len + extra + 1;
	if (need <= sb->cap)
		return 1;
	cap = sb->cap ? sb->cap : 64;
	while (cap < need) {
		if (cap > SIZE_MAX / 2) {
			cap = need;
			break;
		}
		cap *= 2;
	}
	p = realloc(sb->buf, cap);
	if (!p)
		goto fail;
	sb->buf = p;
	sb->cap = cap;
	return 1;
fail:
	sb->oom = 1;
	return 0;
}

void tfit_strbuf_add(struct tfit_strbuf *sb, const char *data, size_t len)
{
	if (!grow(sb, len))
		return;
	if (len)
		memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void tfit_strbuf_puts(struct tfit_strbuf *sb, const char *s)
{
	tfit_strbuf_add(sb, s, strlen(s));
}

void tfit_strbuf_putc(struct tfit_strbuf *sb, char c)
{
	tfit_strbuf_add(sb, &c, 1);
}

void tfit_strbuf_pad(struct tfit_strbuf *sb, char c, size_t n)
{
	if (!grow(sb, n))
		return;
	memset(sb->buf + sb->len, c, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void tfit_strbuf_vprintf(struct tfit_strbuf *sb, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		sb->oom = 1;
		return;
	}
	if (!grow(sb, (size_t)n))
		return;
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void tfit_strbuf_printf(struct tfit_strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tfit_strbuf_vprintf(sb, fmt, ap);
	va_end(ap);
}

const char *tfit_strbuf_str(const struct tfit_strbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

char *tfit_strbuf_detach(struct tfit_strbuf *sb)
{
	char *p;
	if (sb->oom) {
		tfit_strbuf_release(sb);
		return NULL;
	}
	if (!sb->buf && !grow(sb, 0))
		return NULL;
	if (sb->len == 0)
		sb->buf[0] = '\0';
	p = sb->buf;
	tfit_strbuf_init(sb);
	return p;
}

void tfit_strbuf_c_literal(struct tfit_strbuf *sb, const char *s)
{
	if (!s) {
		tfit_strbuf_puts(sb, "NULL");
		return;
	}
	tfit_strbuf_putc(sb, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			tfit_strbuf_printf(sb, "\\%c", c);
		else if (c < 32 || c > 126 || c == '?')
			tfit_strbuf_printf(sb, "\\%03o", c);
		else
			tfit_strbuf_putc(sb, (char)c);
	}
	tfit_strbuf_putc(sb, '"');
}
