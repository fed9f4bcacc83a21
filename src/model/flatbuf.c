/*
 * flatbuf.c - the bounds-checked FlatBuffers reader (see flatbuf.h for the
 * format and the list of checks). The rules follow the FlatBuffers binary
 * format documentation (google/flatbuffers docs/source/internals.md) and
 * what its Verifier (include/flatbuffers/verifier.h) accepts: offsets are
 * unsigned and point forwards, a value >= 2^31 is rejected as "negative";
 * offset prefixes are 4-aligned; every byte is checked before it is loaded.
 * All positions are uint64_t so that pos + length cannot wrap.
 *
 * Every load goes through at() (or tfit_fb_read), which returns the bytes from
 * memory or, for a file, from the pread() block cache; the checks never
 * look at where the bytes came from.
 */
#define _POSIX_C_SOURCE 200809L
#include "model/flatbuf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Direct-mapped: block b lives in slot b % FB_CACHE_BLOCKS. A .tflite is
 * read as a few interleaved forward streams (a vector of offsets, the
 * tables it points to, their vtables, the buffers), which rarely collide;
 * a collision costs one more pread. */
struct fb_cache {
	uint64_t tag[FB_CACHE_BLOCKS];   /* block index + 1; 0 = empty */
	uint8_t bytes[FB_CACHE_BLOCKS][FB_BLOCK_BYTES];
};

static uint16_t load_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t load_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static uint64_t load_u64(const uint8_t *p)
{
	return (uint64_t)load_u32(p) | ((uint64_t)load_u32(p + 4) << 32);
}

void tfit_fb_reader_init(struct fb_reader *r, const void *data, uint64_t len,
		    const char *file, struct tfit_error *err, uint64_t work_budget)
{
	memset(r, 0, sizeof(*r));
	r->data = data;
	r->fd = -1;
	r->len = data ? len : 0;
	r->file = file;
	r->err = err;
	r->work_left = work_budget;
}

enum tfit_status tfit_fb_reader_init_fd(struct fb_reader *r, int fd, uint64_t len,
				   const char *file, struct tfit_error *err,
				   uint64_t work_budget)
{
	tfit_fb_reader_init(r, NULL, 0, file, err, work_budget);
	/* calloc: the kernel backs the zeroed blocks only once written */
	r->cache = calloc(1, sizeof(*r->cache));
	if (!r->cache)
		return tfit_error_set(err, TFIT_ERR_NOMEM, file, NULL, "out of memory");
	r->fd = fd;
	r->len = len;
	return TFIT_OK;
}

void tfit_fb_reader_release(struct fb_reader *r)
{
	if (!r)
		return;
	free(r->cache);
	r->cache = NULL;
}

int tfit_fb_io_error(const struct fb_reader *r)
{
	return r->io_errno;
}

/* Block b of the file, read into its cache slot unless it is there
 * (zeros after a failed read, which is remembered). */
static const uint8_t *block(struct fb_reader *r, uint64_t b)
{
	unsigned slot = (unsigned)(b % FB_CACHE_BLOCKS);
	uint8_t *dst = r->cache->bytes[slot];
	uint64_t start = b << FB_BLOCK_SHIFT, want, got = 0;

	if (r->cache->tag[slot] == b + 1)
		return dst;
	r->cache->tag[slot] = 0;
	want = r->len - start < FB_BLOCK_BYTES ? r->len - start : FB_BLOCK_BYTES;
	while (got < want) {
		ssize_t n = pread(r->fd, dst + got, (size_t)(want - got), (off_t)(start + got));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			/* 0: the file shrank since it was measured */
			if (!r->io_errno)
				r->io_errno = n < 0 ? errno : EIO;
			memset(dst, 0, FB_BLOCK_BYTES);
			return dst;
		}
		got += (uint64_t)n;
	}
	r->cache->tag[slot] = b + 1;
	return dst;
}

/* at() for a file when the bytes are not in one cached block. */
static const uint8_t *at_slow(struct fb_reader *r, uint64_t pos, unsigned n)
{
	unsigned i;
	if ((pos & (FB_BLOCK_BYTES - 1)) + n <= FB_BLOCK_BYTES)
		return block(r, pos >> FB_BLOCK_SHIFT) + (pos & (FB_BLOCK_BYTES - 1));
	for (i = 0; i < n && i < sizeof(r->scratch); i++)
		r->scratch[i] = block(r, (pos + i) >> FB_BLOCK_SHIFT)
					[(pos + i) & (FB_BLOCK_BYTES - 1)];
	return r->scratch;
}

/*
 * The n <= 8 bytes at pos, which the caller has checked are inside the
 * input. The pointer is valid until the next load. Called for every load,
 * so the cache hit is inline.
 */
static inline const uint8_t *at(struct fb_reader *r, uint64_t pos, unsigned n)
{
	uint64_t b = pos >> FB_BLOCK_SHIFT, off = pos & (FB_BLOCK_BYTES - 1);
	unsigned slot = (unsigned)(b % FB_CACHE_BLOCKS);
	if (r->data)
		return r->data + pos;
	if (off + n <= FB_BLOCK_BYTES && r->cache->tag[slot] == b + 1)
		return r->cache->bytes[slot] + off;
	return at_slow(r, pos, n);
}

size_t tfit_fb_path_push(struct fb_reader *r, const char *fmt, ...)
{
	size_t old = r->path_len;
	va_list ap;
	int n;
	if (old + 1 >= sizeof(r->path))
		return old;
	va_start(ap, fmt);
	n = vsnprintf(r->path + old, sizeof(r->path) - old, fmt, ap);
	va_end(ap);
	if (n < 0)
		r->path[old] = '\0';
	else if ((size_t)n >= sizeof(r->path) - old)
		r->path_len = sizeof(r->path) - 1;
	else
		r->path_len = old + (size_t)n;
	return old;
}

void tfit_fb_path_pop(struct fb_reader *r, size_t old_len)
{
	if (old_len < sizeof(r->path)) {
		r->path_len = old_len;
		r->path[old_len] = '\0';
	}
}

/* Append src to buf (size bytes, NUL-terminated), truncating. */
static void append(char *buf, size_t size, size_t *len, const char *src)
{
	size_t n = strlen(src);
	if (*len + 1 >= size)
		return;
	if (n > size - 1 - *len)
		n = size - 1 - *len;
	memcpy(buf + *len, src, n);
	*len += n;
	buf[*len] = '\0';
}

/* The current path plus ".field" (or just field at the top). */
static void full_path(const struct fb_reader *r, const char *field, char *buf, size_t size)
{
	size_t len = 0;
	if (size == 0)
		return;
	buf[0] = '\0';
	append(buf, size, &len, r->path);
	if (field && len)
		append(buf, size, &len, ".");
	if (field)
		append(buf, size, &len, field);
}

enum tfit_status tfit_fb_fail(struct fb_reader *r, const char *field, const char *fmt, ...)
{
	char path[TFIT_ERROR_PATH_MAX];
	char msg[TFIT_ERROR_MSG_MAX];
	va_list ap;
	full_path(r, field, path, sizeof(path));
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return tfit_error_set(r->err, TFIT_ERR_INPUT, r->file, path[0] ? path : NULL,
			      "%s", msg);
}

enum tfit_status tfit_fb_charge(struct fb_reader *r, uint64_t units)
{
	char path[TFIT_ERROR_PATH_MAX];
	if (units <= r->work_left) {
		r->work_left -= units;
		return TFIT_OK;
	}
	r->work_left = 0;
	full_path(r, NULL, path, sizeof(path));
	return tfit_error_set(r->err, TFIT_ERR_LIMIT, r->file, path[0] ? path : NULL,
			      "the flatbuffer takes too much work to read (objects shared "
			      "or repeated beyond the reader's budget of a fixed multiple "
			      "of the file size)");
}

/* 1 when [pos, pos + n) lies inside the buffer. */
static int in_bounds(const struct fb_reader *r, uint64_t pos, uint64_t n)
{
	return pos <= r->len && n <= r->len - pos;
}

int tfit_fb_read(struct fb_reader *r, uint64_t pos, void *dst, uint64_t n)
{
	uint8_t *d = dst;
	if (!in_bounds(r, pos, n))
		return -1;
	if (r->data) {
		if (n)
			memcpy(d, r->data + pos, (size_t)n);
		return 0;
	}
	while (n > 0) {
		uint64_t off = pos & (FB_BLOCK_BYTES - 1);
		uint64_t k = FB_BLOCK_BYTES - off < n ? FB_BLOCK_BYTES - off : n;
		memcpy(d, block(r, pos >> FB_BLOCK_SHIFT) + off, (size_t)k);
		d += k;
		pos += k;
		n -= k;
	}
	return 0;
}

uint32_t tfit_fb_u32_at(struct fb_reader *r, uint64_t pos)
{
	return in_bounds(r, pos, 4) ? load_u32(at(r, pos, 4)) : 0;
}

int tfit_fb_str_equals(struct fb_reader *r, const struct fb_str *s, const char *lit)
{
	char buf[64];
	size_t k = strlen(lit);
	/* the NUL terminator at pos + 4 + len was checked: k + 1 bytes are
	 * inside the input whenever k <= len */
	if (k >= sizeof(buf) || k > s->len || tfit_fb_read(r, s->pos + 4, buf, k + 1) != 0)
		return 0;
	return memcmp(buf, lit, k) == 0 && buf[k] == '\0';
}

#define ULL(x) ((unsigned long long)(x))

/*
 * Follow the uoffset stored at pos (already known to be in bounds and
 * aligned) and return its target.
 */
static enum tfit_status follow(struct fb_reader *r, const char *field, uint64_t pos,
			       uint64_t *target)
{
	uint32_t o = load_u32(at(r, pos, 4));
	if (o == 0)
		return tfit_fb_fail(r, field, "offset at %llu is 0 (points at itself)", ULL(pos));
	if (o >= 0x80000000u)
		return tfit_fb_fail(r, field, "offset at %llu is %llu, negative as a signed "
			       "32-bit offset (points backwards)", ULL(pos), ULL(o));
	if (!in_bounds(r, pos + o, 1))
		return tfit_fb_fail(r, field, "offset at %llu points to %llu, past the end of "
			       "the file (%llu bytes)", ULL(pos), ULL(pos + o), ULL(r->len));
	*target = pos + o;
	return TFIT_OK;
}

static enum tfit_status open_table(struct fb_reader *r, const char *field, uint64_t pos,
				   unsigned depth, const char *type, struct fb_table *out)
{
	int64_t soff;
	int64_t vt;
	uint16_t vbytes, tbytes;
	unsigned i, nfields;
	enum tfit_status rc;

	memset(out, 0, sizeof(*out));
	if (depth > FB_MAX_DEPTH) {
		char path[TFIT_ERROR_PATH_MAX];
		full_path(r, field, path, sizeof(path));
		return tfit_error_set(r->err, TFIT_ERR_LIMIT, r->file, path[0] ? path : NULL,
				      "tables are nested more than %d deep", FB_MAX_DEPTH);
	}
	if ((rc = tfit_fb_charge(r, 1)) != TFIT_OK)
		return rc;
	if (pos % 4 != 0)
		return tfit_fb_fail(r, field, "%s table at offset %llu is not 4-byte aligned",
			       type, ULL(pos));
	if (!in_bounds(r, pos, 4))
		return tfit_fb_fail(r, field, "%s table at offset %llu runs past the end of the "
			       "file (%llu bytes)", type, ULL(pos), ULL(r->len));
	soff = (int32_t)load_u32(at(r, pos, 4));
	vt = (int64_t)pos - soff;
	if (vt < 0 || !in_bounds(r, (uint64_t)vt, 4))
		return tfit_fb_fail(r, field, "%s table at offset %llu: its vtable at offset %lld "
			       "is outside the file (%llu bytes)", type, ULL(pos),
			       (long long)vt, ULL(r->len));
	if (vt % 2 != 0)
		return tfit_fb_fail(r, field, "%s table at offset %llu: its vtable at offset %lld "
			       "is not 2-byte aligned", type, ULL(pos), (long long)vt);
	vbytes = load_u16(at(r, (uint64_t)vt, 2));
	tbytes = load_u16(at(r, (uint64_t)vt + 2, 2));
	if (vbytes < 4 || vbytes % 2 != 0)
		return tfit_fb_fail(r, field, "%s table at offset %llu: vtable at offset %lld has "
			       "invalid size %u (expected an even number >= 4)", type,
			       ULL(pos), (long long)vt, (unsigned)vbytes);
	if (!in_bounds(r, (uint64_t)vt, vbytes))
		return tfit_fb_fail(r, field, "%s table at offset %llu: vtable at offset %lld with "
			       "size %u runs past the end of the file (%llu bytes)", type,
			       ULL(pos), (long long)vt, (unsigned)vbytes, ULL(r->len));
	if (tbytes < 4 || !in_bounds(r, pos, tbytes))
		return tfit_fb_fail(r, field, "%s table at offset %llu: its size %u %s", type,
			       ULL(pos), (unsigned)tbytes,
			       tbytes < 4 ? "is smaller than its 4-byte vtable offset"
					  : "runs past the end of the file");
	nfields = (vbytes - 4u) / 2u;
	if ((rc = tfit_fb_charge(r, nfields / 16u)) != TFIT_OK)
		return rc;
	for (i = 0; i < nfields; i++) {
		uint16_t fo = load_u16(at(r, (uint64_t)vt + 4 + 2 * i, 2));
		if (fo != 0 && (fo < 4 || fo >= tbytes))
			return tfit_fb_fail(r, field, "%s table at offset %llu: field %u is at "
				       "offset %u, outside the table's %u bytes", type,
				       ULL(pos), i, (unsigned)fo, (unsigned)tbytes);
	}
	out->pos = pos;
	out->vtable = (uint64_t)vt;
	out->vtable_bytes = vbytes;
	out->table_bytes = tbytes;
	out->depth = depth;
	out->type = type;
	return TFIT_OK;
}

enum tfit_status tfit_fb_root(struct fb_reader *r, const char *ident, const char *type,
			 struct fb_table *out)
{
	uint64_t root;
	uint64_t min = ident ? 8 : 4;
	uint8_t head[8];
	memset(out, 0, sizeof(*out));
	if (r->len < min)
		return tfit_fb_fail(r, NULL, "file is %llu bytes, too short for a flatbuffer "
			       "(at least %llu: root offset%s)", ULL(r->len), ULL(min),
			       ident ? " and file identifier" : "");
	(void)tfit_fb_read(r, 0, head, min);
	if (ident && memcmp(head + 4, ident, 4) != 0) {
		char got[4 * 4 + 1];
		size_t k = 0;
		int i;
		for (i = 0; i < 4; i++) {
			unsigned char c = head[4 + i];
			if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"')
				got[k++] = (char)c;
			else
				k += (size_t)snprintf(got + k, sizeof(got) - k, "\\x%02x", c);
		}
		got[k] = '\0';
		return tfit_fb_fail(r, NULL, "wrong file identifier \"%s\" at bytes 4..8 "
			       "(expected \"%.4s\")", got, ident);
	}
	root = load_u32(head);
	if (root < min || root >= 0x80000000u || !in_bounds(r, root, 4))
		return tfit_fb_fail(r, NULL, "root table offset %llu is outside the file "
			       "(%llu bytes)%s", ULL(root), ULL(r->len),
			       root < min ? " or inside the header" : "");
	return open_table(r, NULL, root, 1, type, out);
}

/* The field's offset inside the table, or 0 when absent. */
static uint16_t field_off(struct fb_reader *r, const struct fb_table *t, unsigned field)
{
	uint64_t slot = 4 + 2 * (uint64_t)field;
	if (r->len == 0 || t->vtable_bytes == 0 || slot + 2 > t->vtable_bytes)
		return 0;
	return load_u16(at(r, t->vtable + slot, 2));
}

uint64_t tfit_fb_field_pos(struct fb_reader *r, const struct fb_table *t, unsigned field)
{
	uint16_t off = field_off(r, t, field);
	return off ? t->pos + off : 0;
}

unsigned tfit_fb_field_count(const struct fb_table *t)
{
	return t->vtable_bytes >= 4 ? (unsigned)(t->vtable_bytes - 4) / 2 : 0;
}

int tfit_fb_has(struct fb_reader *r, const struct fb_table *t, unsigned field)
{
	return field_off(r, t, field) != 0;
}

/* Position of a present scalar field of size n, checked; 0 when absent. */
static enum tfit_status scalar_pos(struct fb_reader *r, const struct fb_table *t,
				   unsigned field, const char *name, unsigned n,
				   uint64_t *pos)
{
	uint16_t fo = field_off(r, t, field);
	*pos = 0;
	if (fo == 0)
		return TFIT_OK;
	if ((uint32_t)fo + n > t->table_bytes)
		return tfit_fb_fail(r, name, "%s table at offset %llu: %u-byte field at offset %u "
			       "runs past the table's %u bytes", t->type, ULL(t->pos), n,
			       (unsigned)fo, (unsigned)t->table_bytes);
	if ((t->pos + fo) % n != 0)
		return tfit_fb_fail(r, name, "%s table at offset %llu: %u-byte field at offset "
			       "%llu is not %u-byte aligned", t->type, ULL(t->pos), n,
			       ULL(t->pos + fo), n);
	*pos = t->pos + fo;
	return TFIT_OK;
}

enum tfit_status tfit_fb_u8(struct fb_reader *r, const struct fb_table *t, unsigned field,
		       const char *name, uint8_t def, uint8_t *out)
{
	uint64_t pos;
	enum tfit_status rc = scalar_pos(r, t, field, name, 1, &pos);
	*out = def;
	if (rc == TFIT_OK && pos)
		*out = *at(r, pos, 1);
	return rc;
}

enum tfit_status tfit_fb_i8(struct fb_reader *r, const struct fb_table *t, unsigned field,
		       const char *name, int8_t def, int8_t *out)
{
	uint8_t v;
	enum tfit_status rc = tfit_fb_u8(r, t, field, name, (uint8_t)def, &v);
	*out = (int8_t)v;
	return rc;
}

enum tfit_status tfit_fb_bool(struct fb_reader *r, const struct fb_table *t, unsigned field,
			 const char *name, int def, int *out)
{
	uint8_t v;
	enum tfit_status rc = tfit_fb_u8(r, t, field, name, def ? 1 : 0, &v);
	*out = v != 0;
	return rc;
}

enum tfit_status tfit_fb_u32(struct fb_reader *r, const struct fb_table *t, unsigned field,
			const char *name, uint32_t def, uint32_t *out)
{
	uint64_t pos;
	enum tfit_status rc = scalar_pos(r, t, field, name, 4, &pos);
	*out = def;
	if (rc == TFIT_OK && pos)
		*out = load_u32(at(r, pos, 4));
	return rc;
}

enum tfit_status tfit_fb_i32(struct fb_reader *r, const struct fb_table *t, unsigned field,
			const char *name, int32_t def, int32_t *out)
{
	uint32_t v;
	enum tfit_status rc = tfit_fb_u32(r, t, field, name, (uint32_t)def, &v);
	*out = (int32_t)v;
	return rc;
}

enum tfit_status tfit_fb_u64(struct fb_reader *r, const struct fb_table *t, unsigned field,
			const char *name, uint64_t def, uint64_t *out)
{
	uint64_t pos;
	enum tfit_status rc = scalar_pos(r, t, field, name, 8, &pos);
	*out = def;
	if (rc == TFIT_OK && pos)
		*out = load_u64(at(r, pos, 8));
	return rc;
}

enum tfit_status tfit_fb_f32(struct fb_reader *r, const struct fb_table *t, unsigned field,
			const char *name, float def, float *out)
{
	uint64_t pos;
	enum tfit_status rc = scalar_pos(r, t, field, name, 4, &pos);
	*out = def;
	if (rc == TFIT_OK && pos) {
		uint32_t bits = load_u32(at(r, pos, 4));
		memcpy(out, &bits, sizeof(*out));
	}
	return rc;
}

/* Target of a present offset field; *target = 0 when absent. */
static enum tfit_status offset_target(struct fb_reader *r, const struct fb_table *t,
				      unsigned field, const char *name, uint64_t *target)
{
	uint64_t pos;
	enum tfit_status rc = scalar_pos(r, t, field, name, 4, &pos);
	*target = 0;
	if (rc != TFIT_OK || pos == 0)
		return rc;
	return follow(r, name, pos, target);
}

enum tfit_status tfit_fb_table_field(struct fb_reader *r, const struct fb_table *t,
				unsigned field, const char *name, const char *type,
				struct fb_table *out, int *present)
{
	uint64_t target;
	enum tfit_status rc = offset_target(r, t, field, name, &target);
	memset(out, 0, sizeof(*out));
	*present = 0;
	if (rc != TFIT_OK || target == 0)
		return rc;
	*present = 1;
	return open_table(r, name, target, t->depth + 1, type, out);
}

static enum tfit_status open_vector(struct fb_reader *r, const char *name, uint64_t pos,
				    uint32_t elem_bytes, struct fb_vec *out)
{
	uint32_t n;
	uint64_t bytes;
	enum tfit_status rc;
	memset(out, 0, sizeof(*out));
	if ((rc = tfit_fb_charge(r, 1)) != TFIT_OK)
		return rc;
	if (pos % 4 != 0)
		return tfit_fb_fail(r, name, "vector at offset %llu is not 4-byte aligned", ULL(pos));
	if (!in_bounds(r, pos, 4))
		return tfit_fb_fail(r, name, "vector at offset %llu runs past the end of the file "
			       "(%llu bytes)", ULL(pos), ULL(r->len));
	n = load_u32(at(r, pos, 4));
	bytes = (uint64_t)n * elem_bytes; /* < 2^35: cannot wrap */
	if (!in_bounds(r, pos + 4, bytes))
		return tfit_fb_fail(r, name, "vector at offset %llu runs past the end of the file "
			       "(length %llu)", ULL(pos), ULL(n));
	out->pos = pos;
	out->elems = pos + 4;
	out->n = n;
	out->elem_bytes = elem_bytes;
	return TFIT_OK;
}

enum tfit_status tfit_fb_vector_field(struct fb_reader *r, const struct fb_table *t,
				 unsigned field, const char *name, uint32_t elem_bytes,
				 struct fb_vec *out, int *present)
{
	uint64_t target;
	enum tfit_status rc = offset_target(r, t, field, name, &target);
	memset(out, 0, sizeof(*out));
	*present = 0;
	if (rc != TFIT_OK || target == 0)
		return rc;
	*present = 1;
	return open_vector(r, name, target, elem_bytes, out);
}

static enum tfit_status open_string(struct fb_reader *r, const char *name, uint64_t pos,
				    struct fb_str *out)
{
	uint32_t n;
	enum tfit_status rc;
	memset(out, 0, sizeof(*out));
	if ((rc = tfit_fb_charge(r, 1)) != TFIT_OK)
		return rc;
	if (pos % 4 != 0)
		return tfit_fb_fail(r, name, "string at offset %llu is not 4-byte aligned", ULL(pos));
	if (!in_bounds(r, pos, 4))
		return tfit_fb_fail(r, name, "string at offset %llu runs past the end of the file "
			       "(%llu bytes)", ULL(pos), ULL(r->len));
	n = load_u32(at(r, pos, 4));
	if (!in_bounds(r, pos + 4, (uint64_t)n))
		return tfit_fb_fail(r, name, "string at offset %llu runs past the end of the file "
			       "(length %llu)", ULL(pos), ULL(n));
	if (!in_bounds(r, pos + 4 + n, 1) || *at(r, pos + 4 + n, 1) != 0)
		return tfit_fb_fail(r, name, "string at offset %llu (length %llu) has no NUL "
			       "terminator inside the file", ULL(pos), ULL(n));
	out->len = n;
	out->pos = pos;
	return TFIT_OK;
}

enum tfit_status tfit_fb_string_field(struct fb_reader *r, const struct fb_table *t,
				 unsigned field, const char *name, struct fb_str *out,
				 int *present)
{
	uint64_t target;
	enum tfit_status rc = offset_target(r, t, field, name, &target);
	memset(out, 0, sizeof(*out));
	*present = 0;
	if (rc != TFIT_OK || target == 0)
		return rc;
	*present = 1;
	return open_string(r, name, target, out);
}

/* Position of offset element i of a vector of offsets. */
static enum tfit_status elem_target(struct fb_reader *r, const struct fb_vec *v, uint32_t i,
				    uint64_t *target)
{
	if (v->elem_bytes != 4 || i >= v->n)
		return tfit_fb_fail(r, NULL, "element %llu of a vector of %llu offsets requested "
			       "(internal misuse)", ULL(i), ULL(v->n));
	return follow(r, NULL, v->elems + 4 * (uint64_t)i, target);
}

enum tfit_status tfit_fb_vec_table(struct fb_reader *r, const struct fb_vec *v, uint32_t i,
			      unsigned parent_depth, const char *type,
			      struct fb_table *out)
{
	uint64_t target;
	enum tfit_status rc = elem_target(r, v, i, &target);
	memset(out, 0, sizeof(*out));
	if (rc != TFIT_OK)
		return rc;
	return open_table(r, NULL, target, parent_depth + 1, type, out);
}

enum tfit_status tfit_fb_vec_string(struct fb_reader *r, const struct fb_vec *v, uint32_t i,
			       struct fb_str *out)
{
	uint64_t target;
	enum tfit_status rc = elem_target(r, v, i, &target);
	memset(out, 0, sizeof(*out));
	if (rc != TFIT_OK)
		return rc;
	return open_string(r, NULL, target, out);
}

/* Element bytes when the caller's contract holds, else NULL (never read). */
static const uint8_t *elem_ptr(struct fb_reader *r, const struct fb_vec *v,
			       uint32_t i, uint32_t size)
{
	uint64_t pos;
	if (i >= v->n || v->elem_bytes != size)
		return NULL;
	pos = v->elems + (uint64_t)i * size;
	if (!in_bounds(r, pos, size))
		return NULL;
	return at(r, pos, size);
}

uint8_t tfit_fb_vec_u8(struct fb_reader *r, const struct fb_vec *v, uint32_t i)
{
	const uint8_t *p = elem_ptr(r, v, i, 1);
	return p ? *p : 0;
}

uint32_t tfit_fb_vec_u32(struct fb_reader *r, const struct fb_vec *v, uint32_t i)
{
	const uint8_t *p = elem_ptr(r, v, i, 4);
	return p ? load_u32(p) : 0;
}

int32_t tfit_fb_vec_i32(struct fb_reader *r, const struct fb_vec *v, uint32_t i)
{
	return (int32_t)tfit_fb_vec_u32(r, v, i);
}

int64_t tfit_fb_vec_i64(struct fb_reader *r, const struct fb_vec *v, uint32_t i)
{
	const uint8_t *p = elem_ptr(r, v, i, 8);
	return p ? (int64_t)load_u64(p) : 0;
}
