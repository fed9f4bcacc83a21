/*
 * c_emit.h - writers for the generated C initialisers of the shipped data
 * (build/.../generated/shipped_data.c, src/gen/tfit_datagen.c), shared by
 * the three emitters: src/cost/cost_emit.c, src/plan/runtime_emit.c and
 * src/device/device_emit.c.
 *
 * Each field writer appends its value and ", ", so an array of structs is
 * tfit_cemit_array_begin ("static const struct T sym_3[] = {"), per row
 * tfit_cemit_row_begin ("\t{ "), the fields ("\"a\", 0x1p+0, ") and
 * tfit_cemit_row_end ("},"), then tfit_cemit_array_end ("};"); a row whose
 * last field is a string ends with tfit_cemit_row_end_str ("\"a\" },").
 * The same data gives the same text: test_shipped_data compares the
 * compiled copy's text with the loaders'.
 */
#ifndef TINYFIT_UTIL_C_EMIT_H
#define TINYFIT_UTIL_C_EMIT_H

#include <stddef.h>
#include <stdint.h>

#include "tinyfit/strbuf.h"

/* "static const TYPE NAME[] = {\n", NAME from the printf format name_fmt. */
void tfit_cemit_array_begin(struct tfit_strbuf *o, const char *type, const char *name_fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "};\n" */
void tfit_cemit_array_end(struct tfit_strbuf *o);
/* "\t{ " */
void tfit_cemit_row_begin(struct tfit_strbuf *o);
/* "},\n" (after fields that each end in ", ") */
void tfit_cemit_row_end(struct tfit_strbuf *o);
/* s as the row's last field: the literal and " },\n" */
void tfit_cemit_row_end_str(struct tfit_strbuf *o, const char *s);

/* s as a C string literal (tfit_strbuf_c_literal: escaped, NULL for NULL). */
void tfit_cemit_str(struct tfit_strbuf *o, const char *s);
/* v exactly: a hexadecimal floating constant. */
void tfit_cemit_dbl(struct tfit_strbuf *o, double v);
/* UINT64_C(v) */
void tfit_cemit_u64(struct tfit_strbuf *o, uint64_t v);
/* "(PTR_TYPE)NAME" when present, else NULL (ptr_type "struct T *",
 * "char **"); NAME from name_fmt ("%s_%u" for an array, "&%s_%u" for an
 * object). */
void tfit_cemit_ref(struct tfit_strbuf *o, const char *ptr_type, int present, const char *name_fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* A NULL-terminated array of the n strings of v:
 * "static const char *const NAME[] = { "a", "b", NULL };\n". */
void tfit_cemit_str_array(struct tfit_strbuf *o, char *const *v, size_t n, const char *name_fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
