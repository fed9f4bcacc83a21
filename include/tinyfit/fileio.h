/*
 * fileio.h - reading whole input files and writing reports atomically.
 *
 * Ownership: tfit_file_read hands the caller a malloc'ed buffer (NUL-terminated
 * one byte past len, so text parsers may use it as a string) that the caller
 * frees. tfit_file_write_atomic writes to "<path>.tmp.<pid>" in the same
 * directory and renames it over path, so a failure never leaves a partial
 * report behind.
 */
#ifndef TINYFIT_FILEIO_H
#define TINYFIT_FILEIO_H

#include <stddef.h>
#include <stdint.h>

#include "tinyfit/error.h"

/* Largest input file tinyfit reads whole (JSON models, device profiles). */
#define TFIT_FILE_MAX_BYTES (256ULL * 1024 * 1024)

enum tfit_status tfit_file_read(const char *path, uint64_t max_bytes,
				char **data, size_t *len, struct tfit_error *err);

enum tfit_status tfit_file_write_atomic(const char *path, const char *data,
					size_t len, struct tfit_error *err);

#endif
