/* fileio.c - whole-file reads and atomic writes (see fileio.h). */
#define _POSIX_C_SOURCE 200809L
#include "tinyfit/fileio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum tfit_status tfit_file_read(const char *path, uint64_t max_bytes,
				char **data, size_t *len, struct tfit_error *err)
{
	FILE *f = NULL;
	char *buf = NULL;
	size_t cap = 0, n = 0;
	enum tfit_status rc = TFIT_OK;
	struct stat st;

	*data = NULL;
	*len = 0;
	f = fopen(path, "rb");
	if (!f) {
		rc = tfit_error_set(err, TFIT_ERR_IO, path, NULL,
				    "cannot open file: %s", strerror(errno));
		goto out;
	}
	if (fstat(fileno(f), &st) != 0)
		memset(&st, 0, sizeof(st)); /* unknown: the read loop decides */
	if (S_ISDIR(st.st_mode)) {
		rc = tfit_error_set(err, TFIT_ERR_IO, path, NULL,
				    "is a directory (expected a file)");
		goto out;
	}
	/* a regular file over the limit fails before anything is read (the
	 * loop below still enforces the limit for pipes and growing files) */
	if (S_ISREG(st.st_mode) && st.st_size > 0 && (uint64_t)st.st_size > max_bytes) {
		rc = tfit_error_set(err, TFIT_ERR_LIMIT, path, NULL,
				    "file is larger than %llu bytes (the limit for this kind of file)",
				    (unsigned long long)max_bytes);
		goto out;
	}
	for (;;) {
		size_t got;
		if (n + 1 >= cap) {
			size_t ncap = cap ? cap * 2 : 65536;
			char *p;
			if (ncap > max_bytes + 2)
				ncap = (size_t)max_bytes + 2;
			if (ncap <= n + 1) {
				rc = tfit_error_set(err, TFIT_ERR_LIMIT, path, NULL,
						    "file is larger than %llu bytes (the limit for this kind of file)",
						    (unsigned long long)max_bytes);
				goto out;
			}
			p = realloc(buf, ncap);
			if (!p) {
				rc = tfit_error_set(err, TFIT_ERR_NOMEM, path, NULL,
						    "out of memory reading file");
				goto out;
			}
			buf = p;
			cap = ncap;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		rc = tfit_error_set(err, TFIT_ERR_IO, path, NULL,
				    "read failed: %s", strerror(errno));
		goto out;
	}
	if (n > max_bytes) {
		rc = tfit_error_set(err, TFIT_ERR_LIMIT, path, NULL,
				    "file is larger than %llu bytes (the limit for this kind of file)",
				    (unsigned long long)max_bytes);
		goto out;
	}
	if (!buf) {
		buf = malloc(1);
		if (!buf) {
			rc = tfit_error_set(err, TFIT_ERR_NOMEM, path, NULL, "out of memory");
			goto out;
		}
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	buf = NULL;
out:
	free(buf);
	if (f)
		fclose(f);
	return rc;
}

enum tfit_status tfit_file_write_atomic(const char *path, const char *data,
					size_t len, struct tfit_error *err)
{
	char *tmp = NULL;
	size_t plen = strlen(path);
	FILE *f = NULL;
	enum tfit_status rc = TFIT_OK;

	tmp = malloc(plen + 32);
	if (!tmp)
		return tfit_error_set(err, TFIT_ERR_NOMEM, path, NULL, "out of memory");
	snprintf(tmp, plen + 32, "%s.tmp.%ld", path, (long)getpid());
	f = fopen(tmp, "wb");
	if (!f) {
		rc = tfit_error_set(err, TFIT_ERR_IO, path, NULL,
				    "cannot write report: %s", strerror(errno));
		goto out;
	}
	if ((len && fwrite(data, 1, len, f) != len) || fflush(f) != 0) {
		rc = tfit_error_set(err, TFIT_ERR_IO, path, NULL,
				    "cannot write report: %s", strerror(errno));
		goto out;
	}
	if (fclose(f) != 0) {
		f = NULL;
		rc = tfit_error_set(err, TFIT_ERR_IO, path, NULL,
				    "cannot write report: %s", strerror(errno));
		goto out;
	}
	f = NULL;
	if (rename(tmp, path) != 0) {
		rc = tfit_error_set(err, TFIT_ERR_IO, path, NULL,
				    "cannot write report: %s", strerror(errno));
		goto out;
	}
out:
	if (f)
		fclose(f);
	if (rc != TFIT_OK)
		remove(tmp);
	free(tmp);
	return rc;
}
