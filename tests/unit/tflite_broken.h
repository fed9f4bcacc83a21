/*
 * tflite_broken.h - what the broken-file tests share (test_tflite_broken.c:
 * the container, indices and values; test_tflite_broken_graph.c: graph
 * structure, subgraphs, options, buffers, work budgets): read a generated
 * file from an exact-size heap copy and from a file, and compare the error.
 */
#ifndef TFLITE_BROKEN_H
#define TFLITE_BROKEN_H

#include "tfit_test.h"
#include "tflite_gen.h"

#include "tinyfit/graph.h"
#include "tinyfit/model_io.h"

#include <stdlib.h>
#include <unistd.h>

static struct tfit_error last_err;

/*
 * The same bytes read from a file (pread through the reader's block cache)
 * must give the same status, path and message as from memory.
 */
static inline void check_file_read(const uint8_t *data, size_t len, enum tfit_status want)
{
	char path[64];
	struct tfit_model *m = NULL;
	struct tfit_error err;
	enum tfit_status rc;
	FILE *f;
	int ok;

	if (len == 0)
		return; /* the file entry point says "file is empty" first */
	snprintf(path, sizeof(path), "/tmp/tfit_broken_%ld.tflite", (long)getpid());
	f = fopen(path, "wb");
	CHECK(f != NULL);
	if (!f)
		return;
	ok = fwrite(data, 1, len, f) == len;
	CHECK(fclose(f) == 0 && ok);
	tfit_error_clear(&err);
	rc = tfit_tflite_read(path, &m, &err);
	CHECK_I64(rc, want);
	if (rc == TFIT_OK)
		tfit_model_free(m);
	else
		CHECK(m == NULL);
	if (want != TFIT_OK) {
		CHECK_STR(err.path, last_err.path);
		CHECK_STR(err.message, last_err.message);
	}
	remove(path);
}

/* Read len bytes from an exact-size copy, then from a file; returns the status. */
static inline enum tfit_status read_copy(const uint8_t *data, size_t len)
{
	uint8_t *copy = malloc(len ? len : 1);
	struct tfit_model *m = NULL;
	enum tfit_status rc;
	if (!copy)
		abort();
	if (len)
		memcpy(copy, data, len);
	tfit_error_clear(&last_err);
	rc = tfit_tflite_read_buffer(copy, len, "broken.tflite", &m, &last_err);
	if (rc == TFIT_OK)
		tfit_model_free(m);
	else if (m != NULL)
		rc = TFIT_ERR_INTERNAL; /* *out must stay NULL on errors */
	free(copy);
	check_file_read(data, len, rc);
	return rc;
}

static inline void expect(int line, const struct fbb *b, enum tfit_status code,
		   const char *path, const char *msg)
{
	enum tfit_status rc = read_copy(b->buf, b->len);
	int before = tfit_test_failures;
	CHECK_I64(rc, code);
	if (path)
		CHECK_STR(last_err.path, path);
	if (msg)
		CHECK_CONTAINS(last_err.message, msg);
	if (code != TFIT_OK)
		CHECK_STR(last_err.file, "broken.tflite");
	if (tfit_test_failures != before)
		fprintf(stderr, "  (case at line %d: got \"%s: %s\")\n", line, last_err.path,
			last_err.message);
}

#define EXPECT(b, code, path, msg) expect(__LINE__, (b), (code), (path), (msg))

/* Position of field `field` of the table marked `mark` (0: absent). */
static inline size_t field_pos(const struct fbb *b, const char *mark, unsigned field)
{
	size_t t = fbb_find(b, mark), vt;
	unsigned off;
	if (t == (size_t)-1) {
		fprintf(stderr, "no mark %s\n", mark);
		abort();
	}
	vt = t - fbb_get32(b, t);
	off = (unsigned)b->buf[vt + 4 + 2 * field] | ((unsigned)b->buf[vt + 5 + 2 * field] << 8);
	return off ? t + off : 0;
}

static inline void build_small(struct fbb *b)
{
	struct gen_model g;
	gen_small_model(&g);
	gen_build(b, &g);
}

/* Overwrite element i of the int32 vector marked `mark`. */
static inline void set_vec_elem(struct fbb *b, const char *mark, unsigned i, int32_t v)
{
	fbb_put32(b, fbb_find(b, mark) + 4 + 4 * (size_t)i, (uint32_t)v);
}

#endif
