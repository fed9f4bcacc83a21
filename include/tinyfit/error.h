/*
 * error.h - the error record every fallible tinyfit function fills.
 *
 * Invariants: a function that returns a status other than TFIT_OK has filled
 * the caller-owned struct tfit_error it was given (code, message, and where
 * known the file, line/column and JSON path). On TFIT_OK the record is left
 * untouched. The struct holds fixed-size buffers only, so it owns no memory
 * and needs no release.
 */
#ifndef TINYFIT_ERROR_H
#define TINYFIT_ERROR_H

#include <stddef.h>

enum tfit_status {
	TFIT_OK = 0,
	TFIT_ERR_INPUT,    /* the user's file or value is wrong (exit 2) */
	TFIT_ERR_USAGE,    /* bad command line (exit 2) */
	TFIT_ERR_IO,       /* cannot read or write a file (exit 2) */
	TFIT_ERR_LIMIT,    /* input over a documented size/depth limit (exit 2) */
	TFIT_ERR_NOMEM,    /* out of memory */
	TFIT_ERR_INTERNAL  /* a bug in tinyfit */
};

#define TFIT_ERROR_FILE_MAX 512
#define TFIT_ERROR_PATH_MAX 256
#define TFIT_ERROR_MSG_MAX 4096

struct tfit_error {
	enum tfit_status code;
	char file[TFIT_ERROR_FILE_MAX];  /* "" when the error has no file */
	int line;                        /* 1-based; 0 when unknown */
	int column;                      /* 1-based; 0 when unknown */
	char path[TFIT_ERROR_PATH_MAX];  /* JSON path such as layers[3].kernel; "" when none */
	char message[TFIT_ERROR_MSG_MAX];/* lower-case, no trailing period */
};

/* Clear the record to TFIT_OK with empty strings. */
void tfit_error_clear(struct tfit_error *err);

/*
 * Fill err and return code. file and path may be NULL. The message is
 * printf-formatted and truncated to fit. Safe to call with err == NULL
 * (then it only returns code).
 */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 5, 6)))
#endif
enum tfit_status tfit_error_set(struct tfit_error *err, enum tfit_status code,
				const char *file, const char *path,
				const char *fmt, ...);

/* Same, with a line and column (for syntax errors). */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 6, 7)))
#endif
enum tfit_status tfit_error_set_at(struct tfit_error *err, enum tfit_status code,
				   const char *file, int line, int column,
				   const char *fmt, ...);

/*
 * Render in compiler style into buf (always NUL-terminated):
 *   file:line:col: error: message
 *   file: path: error: message
 *   file: error: message
 *   error: message
 */
void tfit_error_format(const struct tfit_error *err, char *buf, size_t buf_size);

/* Short English name of a status ("input error", ...). */
const char *tfit_status_name(enum tfit_status code);

#endif
