/*
 * fileio.h - reading whole input files and writing reports atomically.
 *
 * Ownership: tfit_file_read hands the caller a malloc'ed buffer (NUL-terminated
 * one byte past len, so text parsers may use it as a string) that the caller
 * frees. tfit_file_write_report never leaves a partial report behind
 * (see below).
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

/*
 * Write a report to path, safely for what path is:
 * - missing or a regular file: written to a new file in the same directory
 *   (mkstemp, O_EXCL, ".NAME.tinyfit-XXXXXX") with the old file's mode (new
 *   files: 0666 minus the umask), then renamed over path, so readers see
 *   the old report or the new one, never half of one;
 * - a symbolic link: written through to its target (by the same rules), the
 *   link stays;
 * - a character device (/dev/null, a terminal), a FIFO or a socket: written
 *   directly, never replaced; /dev/stdout, /dev/stderr and /dev/fd/N write
 *   to that descriptor;
 * - a directory or a block device: an error.
 * Errors: TFIT_ERR_IO naming path ("cannot write report: ...").
 */
enum tfit_status tfit_file_write_report(const char *path, const char *data, size_t len,
					struct tfit_error *err);

/*
 * Remove the temporary file of a report being written when SIGINT, SIGTERM
 * or SIGHUP arrives, then die of the signal as before. Only the command-line
 * program calls this (it changes process-wide signal handling).
 */
void tfit_file_cleanup_on_signals(void);

/* 1 when both paths name the same existing file (device and inode). */
int tfit_file_same(const char *a, const char *b);

#endif
