/*
 * strbuf.h - a growable NUL-terminated string, the sink renderers write to.
 *
 * Ownership: the strbuf owns buf; tfit_strbuf_release frees it and resets the
 * struct. On allocation failure the strbuf sets oom and ignores further
 * appends, so callers check oom once at the end rather than after every
 * append.
 */
#ifndef TINYFIT_STRBUF_H
#define TINYFIT_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct tfit_strbuf {
	char *buf;   /* NUL-terminated; NULL until the first append */
	size_t len;  /* bytes before the NUL */
	size_t cap;
	int oom;     /* 1 after any failed allocation */
};

#define TFIT_STRBUF_INIT { NULL, 0, 0, 0 }

void tfit_strbuf_init(struct tfit_strbuf *sb);
void tfit_strbuf_release(struct tfit_strbuf *sb);
void tfit_strbuf_reset(struct tfit_strbuf *sb); /* len = 0, keeps memory */

void tfit_strbuf_add(struct tfit_strbuf *sb, const char *data, size_t len);
void tfit_strbuf_puts(struct tfit_strbuf *sb, const char *s);
void tfit_strbuf_putc(struct tfit_strbuf *sb, char c);
/* Append c n times. */
void tfit_strbuf_pad(struct tfit_strbuf *sb, char c, size_t n);
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
void tfit_strbuf_printf(struct tfit_strbuf *sb, const char *fmt, ...);
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 0)))
#endif
void tfit_strbuf_vprintf(struct tfit_strbuf *sb, const char *fmt, va_list ap);

/* The contents, "" when empty (never NULL). */
const char *tfit_strbuf_str(const struct tfit_strbuf *sb);

/* s as a C string literal ("NULL" for NULL), with octal escapes for every
 * byte that is not printable ASCII (for generated C: shipped_data.c). */
void tfit_strbuf_c_literal(struct tfit_strbuf *sb, const char *s);

/* Take ownership of the buffer (caller frees); the strbuf is reset. NULL if oom. */
char *tfit_strbuf_detach(struct tfit_strbuf *sb);

#endif
