/*
 * test_flatbuf.c - the bounds-checked FlatBuffers reader (src/model/
 * flatbuf.c) on hand-built buffers: scalar fields and defaults, vectors,
 * strings, nested tables, the depth limit, the work budget, alignment and
 * size checks, error paths. Every read is from an exact-size heap copy so
 * ASan sees any read outside the buffer; the file source (pread) is read
 * across block boundaries and with a file shorter than announced.
 */
#include "tfit_test.h"
#include "tflite_gen.h"

#include "model/flatbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

struct fixture {
	uint8_t *copy;
	struct fb_reader r;
	struct tfit_error err;
};

static void open_copy(struct fixture *f, const struct fbb *b, size_t len, uint64_t budget)
{
	f->copy = malloc(len ? len : 1);
	if (!f->copy)
		abort();
	memcpy(f->copy, b->buf, len);
	tfit_error_clear(&f->err);
	tfit_fb_reader_init(&f->r, f->copy, len, "t.bin", &f->err, budget);
}

static void close_copy(struct fixture *f)
{
	free(f->copy);
	f->copy = NULL;
}

/* Root table: u8 7, i32 -5, u64 2^40+3, f32 1.5, (field 4 absent), string
 * "hi", vector of int64 {1, -2}, vector of one table {u32 42}. */
static void build_basic(struct fbb *b, int with_ident)
{
	struct gen_table root, child;
	size_t s_str, s_vec, s_tabs, p, v;
	static const uint8_t i64s[16] = { 1, 0, 0, 0, 0, 0, 0, 0,
					  0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };
	fbb_init(b);
	fbb_bytes(b, NULL, with_ident ? 8 : 4);
	if (with_ident)
		memcpy(b->buf + 4, "TEST", 4);
	root = fbb_table_begin(b, 8);
	fbb_put32(b, 0, (uint32_t)root.pos);
	fbb_mark(b, root.pos, "root");
	fbb_field(b, &root, 0, 1, 7);
	fbb_field(b, &root, 1, 4, (uint32_t)-5);
	fbb_field(b, &root, 2, 8, (1ull << 40) + 3);
	fbb_field(b, &root, 3, 4, 0x3FC00000u); /* 1.5f */
	s_str = fbb_field_offset(b, &root, 5);
	s_vec = fbb_field_offset(b, &root, 6);
	s_tabs = fbb_field_offset(b, &root, 7);
	fbb_table_end(b, &root);
	p = fbb_string(b, "hi");
	fbb_patch(b, s_str, p);
	fbb_mark(b, p, "string");
	p = fbb_vector(b, 2, 8, i64s);
	fbb_patch(b, s_vec, p);
	fbb_mark(b, p, "i64s");
	v = fbb_vector(b, 1, 4, NULL);
	fbb_patch(b, s_tabs, v);
	child = fbb_table_begin(b, 1);
	fbb_patch(b, v + 4, child.pos);
	fbb_mark(b, child.pos, "child");
	fbb_field(b, &child, 0, 4, 42);
	fbb_table_end(b, &child);
}

static void test_fields(void)
{
	struct fbb b;
	struct fixture f;
	struct fb_table root, t;
	struct fb_vec v;
	struct fb_str s;
	uint8_t u8v;
	int8_t i8v;
	int32_t i32v;
	uint32_t u32v;
	uint64_t u64v;
	float fv;
	int present, bv;

	build_basic(&b, 1);
	open_copy(&f, &b, b.len, 1000);
	CHECK_I64(tfit_fb_root(&f.r, "TEST", "Root", &root), TFIT_OK);
	CHECK_I64(tfit_fb_u8(&f.r, &root, 0, "a", 0, &u8v), TFIT_OK);
	CHECK_U64(u8v, 7);
	CHECK_I64(tfit_fb_i8(&f.r, &root, 0, "a", 0, &i8v), TFIT_OK);
	CHECK_I64(i8v, 7);
	CHECK_I64(tfit_fb_i32(&f.r, &root, 1, "b", 0, &i32v), TFIT_OK);
	CHECK_I64(i32v, -5);
	CHECK_I64(tfit_fb_u64(&f.r, &root, 2, "c", 0, &u64v), TFIT_OK);
	CHECK_U64(u64v, (1ull << 40) + 3);
	CHECK_I64(tfit_fb_f32(&f.r, &root, 3, "d", 0.0f, &fv), TFIT_OK);
	CHECK_NEAR(fv, 1.5, 0);
	/* absent fields give the default: inside the vtable and beyond it */
	CHECK(!tfit_fb_has(&f.r, &root, 4));
	CHECK_I64(tfit_fb_u32(&f.r, &root, 4, "e", 77, &u32v), TFIT_OK);
	CHECK_U64(u32v, 77);
	CHECK_I64(tfit_fb_bool(&f.r, &root, 40, "z", 1, &bv), TFIT_OK);
	CHECK_I64(bv, 1);
	CHECK_I64(tfit_fb_table_field(&f.r, &root, 4, "e", "T", &t, &present), TFIT_OK);
	CHECK_I64(present, 0);
	/* string, vectors, nested table */
	CHECK_I64(tfit_fb_string_field(&f.r, &root, 5, "s", &s, &present), TFIT_OK);
	CHECK(present && s.len == 2 && tfit_fb_str_equals(&f.r, &s, "hi"));
	CHECK_I64(tfit_fb_vector_field(&f.r, &root, 6, "v", 8, &v, &present), TFIT_OK);
	CHECK_U64(v.n, 2);
	CHECK_I64(tfit_fb_vec_i64(&f.r, &v, 0), 1);
	CHECK_I64(tfit_fb_vec_i64(&f.r, &v, 1), -2);
	CHECK_I64(tfit_fb_vec_i64(&f.r, &v, 2), 0);   /* out of range: 0, no read */
	CHECK_I64(tfit_fb_vec_i32(&f.r, &v, 0), 0);   /* wrong element size: 0 */
	CHECK_I64(tfit_fb_vector_field(&f.r, &root, 7, "tabs", 4, &v, &present), TFIT_OK);
	CHECK_I64(tfit_fb_vec_table(&f.r, &v, 0, root.depth, "Child", &t), TFIT_OK);
	CHECK_U64(t.depth, 2);
	CHECK_I64(tfit_fb_u32(&f.r, &t, 0, "x", 0, &u32v), TFIT_OK);
	CHECK_U64(u32v, 42);
	CHECK_I64(tfit_fb_vec_table(&f.r, &v, 1, root.depth, "Child", &t), TFIT_ERR_INPUT);
	CHECK_CONTAINS(f.err.message, "internal misuse");
	/* reading a 4-byte field as a string: its target is not a string */
	CHECK_I64(tfit_fb_string_field(&f.r, &root, 1, "b", &s, &present), TFIT_ERR_INPUT);
	close_copy(&f);

	/* no identifier */
	fbb_free(&b);
	build_basic(&b, 0);
	open_copy(&f, &b, b.len, 1000);
	CHECK_I64(tfit_fb_root(&f.r, NULL, "Root", &root), TFIT_OK);
	close_copy(&f);
	open_copy(&f, &b, 3, 1000);
	CHECK_I64(tfit_fb_root(&f.r, NULL, "Root", &root), TFIT_ERR_INPUT);
	CHECK_CONTAINS(f.err.message, "file is 3 bytes, too short for a flatbuffer (at least 4: "
		       "root offset)");
	close_copy(&f);
	fbb_free(&b);
}

static void test_field_checks(void)
{
	struct fbb b;
	struct fixture f;
	struct fb_table root;
	struct fb_vec v;
	uint32_t u32v;
	uint64_t u64v;
	int present;
	size_t vt, root_pos;

	build_basic(&b, 1);
	root_pos = fbb_find(&b, "root");
	vt = root_pos - fbb_get32(&b, root_pos);
	/* field 1 (4 bytes) moved to the last 2 bytes of the table */
	{
		unsigned tsize = (unsigned)b.buf[vt + 2] | ((unsigned)b.buf[vt + 3] << 8);
		fbb_put16(&b, vt + 4 + 2, (uint16_t)(tsize - 2));
		open_copy(&f, &b, b.len, 1000);
		CHECK_I64(tfit_fb_root(&f.r, "TEST", "Root", &root), TFIT_OK);
		CHECK_I64(tfit_fb_u32(&f.r, &root, 1, "b", 0, &u32v), TFIT_ERR_INPUT);
		CHECK_STR(f.err.path, "b");
		CHECK_CONTAINS(f.err.message, "4-byte field at offset");
		CHECK_CONTAINS(f.err.message, "runs past the table's");
		close_copy(&f);
		fbb_free(&b);
	}
	/* u64 field moved off its 8-byte alignment */
	build_basic(&b, 1);
	{
		unsigned off = (unsigned)b.buf[vt + 8] | ((unsigned)b.buf[vt + 9] << 8);
		fbb_put16(&b, vt + 8, (uint16_t)(off - 4));
		open_copy(&f, &b, b.len, 1000);
		CHECK_I64(tfit_fb_root(&f.r, "TEST", "Root", &root), TFIT_OK);
		CHECK_I64(tfit_fb_u64(&f.r, &root, 2, "c", 0, &u64v), TFIT_ERR_INPUT);
		CHECK_CONTAINS(f.err.message, "is not 8-byte aligned");
		close_copy(&f);
	}
	fbb_free(&b);
	/* int64 vector whose elements run one byte past the end */
	build_basic(&b, 1);
	open_copy(&f, &b, fbb_find(&b, "i64s") + 4 + 15, 1000);
	CHECK_I64(tfit_fb_root(&f.r, "TEST", "Root", &root), TFIT_OK);
	CHECK_I64(tfit_fb_vector_field(&f.r, &root, 6, "v", 8, &v, &present), TFIT_ERR_INPUT);
	CHECK_CONTAINS(f.err.message, "runs past the end of the file (length 2)");
	close_copy(&f);
	fbb_free(&b);
}

/* A chain of n tables, each pointing at the next through field 0. */
static void build_chain(struct fbb *b, int n)
{
	size_t slot = 0;
	int i;
	fbb_init(b);
	fbb_bytes(b, NULL, 4);
	for (i = 0; i < n; i++) {
		struct gen_table t = fbb_table_begin(b, 1);
		if (i == 0)
			fbb_put32(b, 0, (uint32_t)t.pos);
		else
			fbb_patch(b, slot, t.pos);
		slot = i + 1 < n ? fbb_field_offset(b, &t, 0) : 0;
		fbb_table_end(b, &t);
	}
}

static void test_depth_and_budget(void)
{
	struct fbb b;
	struct fixture f;
	struct fb_table t, next;
	int present = 1, depth = 1;
	enum tfit_status rc = TFIT_OK;

	build_chain(&b, FB_MAX_DEPTH + 6);
	open_copy(&f, &b, b.len, 1000);
	CHECK_I64(tfit_fb_root(&f.r, NULL, "Node", &t), TFIT_OK);
	while (present) {
		rc = tfit_fb_table_field(&f.r, &t, 0, "next", "Node", &next, &present);
		if (rc != TFIT_OK)
			break;
		t = next;
		depth++;
	}
	CHECK_I64(rc, TFIT_ERR_LIMIT);
	CHECK_I64(depth, FB_MAX_DEPTH);
	CHECK_STR(f.err.path, "next");
	CHECK_CONTAINS(f.err.message, "nested more than 64 deep");
	close_copy(&f);

	/* the work budget: 5 units for root + 4 tables + 1 vtable scan */
	open_copy(&f, &b, b.len, 4);
	CHECK_I64(tfit_fb_root(&f.r, NULL, "Node", &t), TFIT_OK);
	CHECK_I64(tfit_fb_table_field(&f.r, &t, 0, "next", "Node", &t, &present), TFIT_OK);
	CHECK_I64(tfit_fb_table_field(&f.r, &t, 0, "next", "Node", &t, &present), TFIT_OK);
	CHECK_I64(tfit_fb_table_field(&f.r, &t, 0, "next", "Node", &t, &present), TFIT_OK);
	CHECK_I64(tfit_fb_table_field(&f.r, &t, 0, "next", "Node", &t, &present), TFIT_ERR_LIMIT);
	CHECK_CONTAINS(f.err.message, "too much work");
	CHECK_I64(tfit_fb_charge(&f.r, 1), TFIT_ERR_LIMIT);
	close_copy(&f);
	fbb_free(&b);
}

static void test_paths(void)
{
	struct fixture f;
	struct fbb b;
	size_t a, c;
	int i;

	fbb_init(&b);
	fbb_bytes(&b, NULL, 8);
	open_copy(&f, &b, b.len, 10);
	a = tfit_fb_path_push(&f.r, "subgraphs[%d]", 2);
	c = tfit_fb_path_push(&f.r, ".tensors[%d]", 17);
	CHECK_STR(f.r.path, "subgraphs[2].tensors[17]");
	CHECK_I64(tfit_fb_fail(&f.r, "shape", "bad %s", "thing"), TFIT_ERR_INPUT);
	CHECK_STR(f.err.path, "subgraphs[2].tensors[17].shape");
	CHECK_STR(f.err.message, "bad thing");
	CHECK_STR(f.err.file, "t.bin");
	tfit_fb_path_pop(&f.r, c);
	CHECK_STR(f.r.path, "subgraphs[2]");
	tfit_fb_path_pop(&f.r, a);
	CHECK_STR(f.r.path, "");
	CHECK_I64(tfit_fb_fail(&f.r, NULL, "top"), TFIT_ERR_INPUT);
	CHECK_STR(f.err.path, "");
	/* a path longer than the buffer is truncated, never overflows */
	for (i = 0; i < 100; i++)
		tfit_fb_path_push(&f.r, ".level%d", i);
	CHECK_U64(strlen(f.r.path), TFIT_ERROR_PATH_MAX - 1);
	CHECK_I64(tfit_fb_fail(&f.r, "field", "deep"), TFIT_ERR_INPUT);
	CHECK_U64(strlen(f.err.path), TFIT_ERROR_PATH_MAX - 1);
	close_copy(&f);
	fbb_free(&b);
}

/*
 * The file source (pread through the block cache) reads the same values as
 * memory, with the basic buffer placed so that its tables, vtables, vector
 * elements and string straddle the first block boundary; a file shorter
 * than the length given makes the reader remember EIO.
 */
static void test_file_source(void)
{
	struct fbb b;
	char path[64];
	uint8_t *img;
	uint64_t base;
	size_t img_len;

	build_basic(&b, 1);
	snprintf(path, sizeof(path), "/tmp/tfit_fb_%ld.bin", (long)getpid());
	for (base = FB_BLOCK_BYTES - 96; base <= FB_BLOCK_BYTES + 8; base += 8) {
		struct fb_reader r;
		struct tfit_error err;
		struct fb_table root, t;
		struct fb_vec v;
		struct fb_str str;
		uint8_t u8;
		int32_t i32;
		uint64_t u64;
		uint32_t u32;
		float f32;
		int present, fd;
		/* header, padding, then the buffer: offsets are relative, only
		 * the root offset moves */
		img_len = (size_t)base + b.len;
		img = calloc(1, img_len);
		if (!img)
			abort();
		memcpy(img + base, b.buf, b.len);
		memcpy(img + 4, "TEST", 4);
		{
			uint32_t root_pos = (uint32_t)(base + fbb_get32(&b, 0));
			img[0] = (uint8_t)root_pos;
			img[1] = (uint8_t)(root_pos >> 8);
			img[2] = (uint8_t)(root_pos >> 16);
			img[3] = (uint8_t)(root_pos >> 24);
		}
		fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0600);
		CHECK(fd >= 0);
		if (fd < 0 || write(fd, img, img_len) != (ssize_t)img_len) {
			free(img);
			break;
		}
		tfit_error_clear(&err);
		CHECK_I64(tfit_fb_reader_init_fd(&r, fd, img_len, "t.bin", &err, 1000), TFIT_OK);
		CHECK_I64(tfit_fb_root(&r, "TEST", "Root", &root), TFIT_OK);
		CHECK_I64(tfit_fb_u8(&r, &root, 0, "a", 0, &u8), TFIT_OK);
		CHECK_U64(u8, 7);
		CHECK_I64(tfit_fb_i32(&r, &root, 1, "b", 0, &i32), TFIT_OK);
		CHECK_I64(i32, -5);
		CHECK_I64(tfit_fb_u64(&r, &root, 2, "c", 0, &u64), TFIT_OK);
		CHECK_U64(u64, (1ull << 40) + 3);
		CHECK_I64(tfit_fb_f32(&r, &root, 3, "d", 0.0f, &f32), TFIT_OK);
		CHECK(f32 == 1.5f);
		CHECK_I64(tfit_fb_string_field(&r, &root, 5, "s", &str, &present), TFIT_OK);
		CHECK(present && str.len == 2 && tfit_fb_str_equals(&r, &str, "hi"));
		CHECK(!tfit_fb_str_equals(&r, &str, "h") && !tfit_fb_str_equals(&r, &str, "hid"));
		CHECK_I64(tfit_fb_vector_field(&r, &root, 6, "v", 8, &v, &present), TFIT_OK);
		CHECK(present && v.n == 2);
		CHECK_I64(tfit_fb_vec_i64(&r, &v, 0), 1);
		CHECK_I64(tfit_fb_vec_i64(&r, &v, 1), -2);
		CHECK_I64(tfit_fb_vector_field(&r, &root, 7, "t", 4, &v, &present), TFIT_OK);
		CHECK_I64(tfit_fb_vec_table(&r, &v, 0, root.depth, "Child", &t), TFIT_OK);
		CHECK_I64(tfit_fb_u32(&r, &t, 0, "x", 0, &u32), TFIT_OK);
		CHECK_U64(u32, 42);
		CHECK_I64(tfit_fb_io_error(&r), 0);
		tfit_fb_reader_release(&r);
		/* the file is shorter than the reader was told */
		CHECK_I64(tfit_fb_reader_init_fd(&r, fd, img_len + 16, "t.bin", &err, 1000),
			  TFIT_OK);
		(void)tfit_fb_root(&r, "TEST", "Root", &root);
		CHECK_U64(tfit_fb_u32_at(&r, img_len + 4), 0);
		CHECK_I64(tfit_fb_io_error(&r), EIO);
		tfit_fb_reader_release(&r);
		close(fd);
		free(img);
	}
	remove(path);
	fbb_free(&b);
}

int main(void)
{
	test_fields();
	test_field_checks();
	test_depth_and_budget();
	test_paths();
	test_file_source();
	return tfit_test_finish();
}
