/* error.c - filling and formatting struct tfit_error (see error.h). */
#include "tinyfit/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void tfit_error_clear(struct tfit_error *err)
{
	if (!err)
		return;
	memset(err, 0, sizeof(*err));
	err->code = TFIT_OK;
}

static void copy_str(char *dst, size_t dst_size, const char *src)
{
	size_t n;
	if (!src) {
		dst[0] = '\0';
		return;
	}
	n = strlen(src);
	if (n >= dst_size)
		n = dst_size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 7, 0)))
#endif
static enum tfit_status fill(struct tfit_error *err, enum tfit_status code,
			     const char *file, int line, int column,
			     const char *path, const char *fmt, va_list ap)
{
	if (!err)
		return code;
	err->code = code;
	copy_str(err->file, sizeof(err->file), file);
	copy_str(err->path, sizeof(err->path), path);
	err->line = line;
	err->column = column;
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	return code;
}

enum tfit_status tfit_error_set(struct tfit_error *err, enum tfit_status code,
				const char *file, const char *path,
				const char *fmt, ...)
{
	va_list ap;
	enum tfit_status rc;
	va_start(ap, fmt);
	rc = fill(err, code, file, 0, 0, path, fmt, ap);
	va_end(ap);
	return rc;
}

enum tfit_status tfit_error_set_at(struct tfit_error *err, enum tfit_status code,
				   const char *file, int line, int column,
				   const char *fmt, ...)
{
	va_list ap;
	enum tfit_status rc;
	va_start(ap, fmt);
	rc = fill(err, code, file, line, column, NULL, fmt, ap);
	va_end(ap);
	return rc;
}

void tfit_error_format(const struct tfit_error *err, char *buf, size_t buf_size)
{
	if (!buf || buf_size == 0)
		return;
	if (!err) {
		snprintf(buf, buf_size, "error: unknown error");
		return;
	}
	if (err->file[0] && err->line > 0 && err->column > 0)
		snprintf(buf, buf_size, "%s:%d:%d: error: %s", err->file,
			 err->line, err->column, err->message);
	else if (err->file[0] && err->line > 0)
		snprintf(buf, buf_size, "%s:%d: error: %s", err->file,
			 err->line, err->message);
	else if (err->file[0] && err->path[0])
		snprintf(buf, buf_size, "%s: %s: error: %s", err->file,
			 err->path, err->message);
	else if (err->file[0])
		snprintf(buf, buf_size, "%s: error: %s", err->file,
			 err->message);
	else if (err->path[0])
		snprintf(buf, buf_size, "%s: error: %s", err->path,
			 err->message);
	else
		snprintf(buf, buf_size, "error: %s", err->message);
}

const char *tfit_status_name(enum tfit_status code)
{
	switch (code) {
	case TFIT_OK: return "ok";
	case TFIT_ERR_INPUT: return "input error";
	case TFIT_ERR_USAGE: return "usage error";
	case TFIT_ERR_IO: return "i/o error";
	case TFIT_ERR_LIMIT: return "limit exceeded";
	case TFIT_ERR_NOMEM: return "out of memory";
	case TFIT_ERR_INTERNAL: return "internal error";
	}
	return "unknown error";
}
