/*
 * flatbuf.h - a bounds-checked FlatBuffers reader (internal to src/model/).
 *
 * Written for tinyfit from the FlatBuffers binary format description (no
 * generated code). Nothing in the buffer is trusted: every uoffset, soffset,
 * vtable, field, vector and string is checked against the buffer before it is
 * read, as google/flatbuffers' Verifier does, and reading charges a work
 * budget so that a file built from shared sub-objects cannot make the reader
 * do (or allocate) more than a fixed multiple of the file's size.
 *
 * The format, little-endian throughout:
 *   buffer:  uoffset32 root table position, then (optionally) a 4-byte file
 *            identifier at bytes 4..8;
 *   table:   soffset32 s at its start; its vtable is at table - s;
 *   vtable:  uint16 vtable bytes, uint16 table inline bytes, then one uint16
 *            per field: the field's offset inside the table, 0 = absent;
 *   offsets to tables, vectors and strings: uoffset32 relative to where the
 *            offset itself is stored (always forwards);
 *   vector:  uint32 element count, then the elements;
 *   string:  uint32 byte count, the bytes, a NUL.
 *
 * Checks (each failure fills the tfit_error with the byte offset, the object
 * path such as "subgraphs[0].tensors[3].shape" and what was wrong):
 *   - every object lies inside [0, len); lengths times element sizes are
 *     computed in 64 bits and cannot wrap;
 *   - offsets, soffsets and vector lengths are 4-byte aligned, vtables 2-byte
 *     aligned, scalar fields and vector elements aligned to their size;
 *   - a vtable is at least 4 bytes, even, inside the buffer; every field
 *     offset it lists is 0 or inside the table's inline bytes;
 *   - a string's NUL terminator is inside the buffer;
 *   - nested tables are at most FB_MAX_DEPTH deep;
 *   - the reader's total work stays under the budget given at init
 *     (TFIT_ERR_LIMIT).
 *
 * Two sources: a buffer in memory (tfit_fb_reader_init), or an open file read
 * with pread() (tfit_fb_reader_init_fd). A file is never mapped: every load goes
 * through a small direct-mapped cache of FB_BLOCK_BYTES blocks
 * (FB_CACHE_BLOCKS of them), so the process holds only the blocks it reads,
 * at most FB_CACHE_BLOCKS * FB_BLOCK_BYTES, however large the file and
 * however its metadata is spread over it (a mapping would make the kernel
 * map every cached 64 KiB chunk around each touched byte: a .tflite whose
 * 2,000 Buffer tables sit between 50 KB weights would map all of it). The
 * checks and their messages are the same for both sources. A failed or
 * short read makes the loads return zeros and is remembered (tfit_fb_io_error):
 * the caller must report it instead of whatever the zeros caused.
 *
 * Ownership: the reader borrows the buffer or the descriptor; a file reader
 * owns its cache (tfit_fb_reader_release). Nothing else here allocates.
 */
#ifndef TINYFIT_FLATBUF_H
#define TINYFIT_FLATBUF_H

#include <stddef.h>
#include <stdint.h>

#include "tinyfit/error.h"

/* Nesting limit for tables (the FlatBuffers Verifier's default is 64). */
#define FB_MAX_DEPTH 64

/* File reader cache: 256 blocks of 4 KiB (1 MiB at most, allocated lazily
 * by the kernel: only blocks read count in the RSS). */
#define FB_BLOCK_SHIFT 12
#define FB_BLOCK_BYTES (1u << FB_BLOCK_SHIFT)
#define FB_CACHE_BLOCKS 256u

struct fb_cache;

struct fb_reader {
	const uint8_t *data;              /* memory source; NULL for a file */
	int fd;                           /* file source (-1 for memory) */
	struct fb_cache *cache;           /* file blocks read so far */
	int io_errno;                     /* first failed read (0: none) */
	uint8_t scratch[8];               /* a load that straddles two blocks */
	uint64_t len;                     /* readable bytes */
	const char *file;                 /* name used in error messages */
	struct tfit_error *err;
	uint64_t work_left;               /* budget; see tfit_fb_charge() */
	char path[TFIT_ERROR_PATH_MAX];   /* where we are: "subgraphs[0].tensors[3]" */
	size_t path_len;
};

struct fb_table {
	uint64_t pos;          /* table start (its soffset) */
	uint64_t vtable;       /* vtable start */
	uint16_t vtable_bytes;
	uint16_t table_bytes;  /* inline bytes of the table */
	unsigned depth;
	const char *type;      /* schema type name, for messages ("Tensor") */
};

struct fb_vec {
	uint64_t pos;          /* the length prefix */
	uint64_t elems;        /* first element */
	uint32_t n;
	uint32_t elem_bytes;
};

struct fb_str {
	uint32_t len;          /* bytes before the NUL terminator (may hold NULs) */
	uint64_t pos;          /* the length prefix; the bytes start at pos + 4 */
};

/*
 * Start reading len bytes at data. file names the input in errors;
 * work_budget bounds the number of work units (see tfit_fb_charge).
 */
void tfit_fb_reader_init(struct fb_reader *r, const void *data, uint64_t len,
		    const char *file, struct tfit_error *err, uint64_t work_budget);

/*
 * Start reading the first len bytes of the file open at fd, with pread()
 * through the block cache. TFIT_ERR_NOMEM when the cache cannot be
 * allocated. The descriptor stays the caller's; release with
 * tfit_fb_reader_release().
 */
enum tfit_status tfit_fb_reader_init_fd(struct fb_reader *r, int fd, uint64_t len,
				   const char *file, struct tfit_error *err,
				   uint64_t work_budget);

/* Free a file reader's cache (NULL-safe, no-op for a memory reader). */
void tfit_fb_reader_release(struct fb_reader *r);

/* errno of the first failed or short file read (EIO when short), 0 if none. */
int tfit_fb_io_error(const struct fb_reader *r);

/* Append to the path ("[3]", ".tensors"); returns the old length for tfit_fb_path_pop. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
size_t tfit_fb_path_push(struct fb_reader *r, const char *fmt, ...);
void tfit_fb_path_pop(struct fb_reader *r, size_t old_len);

/*
 * Fail with TFIT_ERR_INPUT at the current path (plus ".field" when field is
 * not NULL). Returns TFIT_ERR_INPUT.
 */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 3, 4)))
#endif
enum tfit_status tfit_fb_fail(struct fb_reader *r, const char *field, const char *fmt, ...);

/* Spend units of the work budget; TFIT_ERR_LIMIT when it runs out. */
enum tfit_status tfit_fb_charge(struct fb_reader *r, uint64_t units);

/*
 * Open the root table. ident (4 characters) is checked at bytes 4..8 when
 * not NULL. type names the root type for messages.
 */
enum tfit_status tfit_fb_root(struct fb_reader *r, const char *ident, const char *type,
			 struct fb_table *out);

/* 1 when the field is present in the table's vtable. */
/* Where field's value is stored (table position + its vtable offset), 0
 * when absent; the field lies inside the table's checked inline bytes. */
uint64_t tfit_fb_field_pos(struct fb_reader *r, const struct fb_table *t, unsigned field);
/* How many field slots the table's vtable has. */
unsigned tfit_fb_field_count(const struct fb_table *t);

int tfit_fb_has(struct fb_reader *r, const struct fb_table *t, unsigned field);

/*
 * Scalar fields (field = index in the schema's field order; a union takes
 * two slots: its _type then its value). An absent field yields def.
 */
enum tfit_status tfit_fb_u8(struct fb_reader *r, const struct fb_table *t, unsigned field,
		       const char *name, uint8_t def, uint8_t *out);
enum tfit_status tfit_fb_i8(struct fb_reader *r, const struct fb_table *t, unsigned field,
		       const char *name, int8_t def, int8_t *out);
enum tfit_status tfit_fb_i32(struct fb_reader *r, const struct fb_table *t, unsigned field,
			const char *name, int32_t def, int32_t *out);
enum tfit_status tfit_fb_u32(struct fb_reader *r, const struct fb_table *t, unsigned field,
			const char *name, uint32_t def, uint32_t *out);
enum tfit_status tfit_fb_u64(struct fb_reader *r, const struct fb_table *t, unsigned field,
			const char *name, uint64_t def, uint64_t *out);
enum tfit_status tfit_fb_f32(struct fb_reader *r, const struct fb_table *t, unsigned field,
			const char *name, float def, float *out);
/* A bool field: any non-zero byte is true. */
enum tfit_status tfit_fb_bool(struct fb_reader *r, const struct fb_table *t, unsigned field,
			 const char *name, int def, int *out);

/*
 * Offset fields. *present is set to 0 when the field is absent (out is then
 * zeroed) and 1 otherwise. type names the table type for messages.
 */
enum tfit_status tfit_fb_table_field(struct fb_reader *r, const struct fb_table *t,
				unsigned field, const char *name, const char *type,
				struct fb_table *out, int *present);
enum tfit_status tfit_fb_vector_field(struct fb_reader *r, const struct fb_table *t,
				 unsigned field, const char *name, uint32_t elem_bytes,
				 struct fb_vec *out, int *present);
enum tfit_status tfit_fb_string_field(struct fb_reader *r, const struct fb_table *t,
				 unsigned field, const char *name, struct fb_str *out,
				 int *present);

/*
 * Element i (< v->n, checked) of a vector of tables / strings. The path is
 * not changed: callers push "[i]" themselves. parent_depth is the depth of
 * the table holding the vector.
 */
enum tfit_status tfit_fb_vec_table(struct fb_reader *r, const struct fb_vec *v, uint32_t i,
			      unsigned parent_depth, const char *type,
			      struct fb_table *out);
enum tfit_status tfit_fb_vec_string(struct fb_reader *r, const struct fb_vec *v, uint32_t i,
			       struct fb_str *out);

/*
 * Scalar elements of an already checked vector (i < v->n and the element
 * size are the caller's contract; they are asserted by returning 0 when
 * violated, never reading outside the buffer).
 */
uint8_t tfit_fb_vec_u8(struct fb_reader *r, const struct fb_vec *v, uint32_t i);
int32_t tfit_fb_vec_i32(struct fb_reader *r, const struct fb_vec *v, uint32_t i);
uint32_t tfit_fb_vec_u32(struct fb_reader *r, const struct fb_vec *v, uint32_t i);
int64_t tfit_fb_vec_i64(struct fb_reader *r, const struct fb_vec *v, uint32_t i);

/*
 * Copy n bytes at pos into dst. -1 (dst untouched) when [pos, pos + n) is
 * not inside the input: callers pass ranges they have checked.
 */
int tfit_fb_read(struct fb_reader *r, uint64_t pos, void *dst, uint64_t n);

/* A little-endian uint32 at a checked position; 0 when outside the input. */
uint32_t tfit_fb_u32_at(struct fb_reader *r, uint64_t pos);

/*
 * 1 when the string, up to its first NUL (as strcmp sees it), equals lit
 * (a short literal: at most 63 characters).
 */
int tfit_fb_str_equals(struct fb_reader *r, const struct fb_str *s, const char *lit);

#endif
