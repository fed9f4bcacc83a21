/*
 * c_emit.c - the field and array writers of the generated C initialisers
 * (c_emit.h), shared by the cost, runtime and device emitters.
 */
#include "c_emit.h"

#include <inttypes.h>
#include <stdarg.h>

void tfit_cemit_array_begin(struct tfit_strbuf *o, const char *type, const char *name_fmt, ...)
{
	va_list ap;
	tfit_strbuf_printf(o, "static const %s ", type);
	va_start(ap, name_fmt);
	tfit_strbuf_vprintf(o, name_fmt, ap);
	va_end(ap);
	tfit_strbuf_puts(o, "[] = {\n");
}

void tfit_cemit_array_end(struct tfit_strbuf *o)
{
	tfit_strbuf_puts(o, "};\n");
}

void tfit_cemit_row_begin(struct tfit_strbuf *o)
{
	tfit_strbuf_puts(o, "\t{ ");
}

void tfit_cemit_row_end(struct tfit_strbuf *o)
{
	tfit_strbuf_puts(o, "},\n");
}

void tfit_cemit_row_end_str(struct tfit_strbuf *o, const char *s)
{
	tfit_strbuf_c_literal(o, s);
	tfit_strbuf_puts(o, " },\n");
}

void tfit_cemit_str(struct tfit_strbuf *o, const char *s)
{
	tfit_strbuf_c_literal(o, s);
	tfit_strbuf_puts(o, ", ");
}

void tfit_cemit_dbl(struct tfit_strbuf *o, double v)
{
	tfit_strbuf_printf(o, "%a, ", v);
}

void tfit_cemit_u64(struct tfit_strbuf *o, uint64_t v)
{
	tfit_strbuf_printf(o, "UINT64_C(%" PRIu64 "), ", v);
}

void tfit_cemit_ref(struct tfit_strbuf *o, const char *ptr_type, int present, const char *name_fmt, ...)
{
	va_list ap;
	if (!present) {
		tfit_strbuf_puts(o, "NULL, ");
		return;
	}
	tfit_strbuf_printf(o, "(%s)", ptr_type);
	va_start(ap, name_fmt);
	tfit_strbuf_vprintf(o, name_fmt, ap);
	va_end(ap);
	tfit_strbuf_puts(o, ", ");
}

void tfit_cemit_str_array(struct tfit_strbuf *o, char *const *v, size_t n, const char *name_fmt, ...)
{
	va_list ap;
	size_t i;
	tfit_strbuf_puts(o, "static const char *const ");
	va_start(ap, name_fmt);
	tfit_strbuf_vprintf(o, name_fmt, ap);
	va_end(ap);
	tfit_strbuf_puts(o, "[] = { ");
	for (i = 0; i < n; i++)
		tfit_cemit_str(o, v[i]);
	tfit_strbuf_puts(o, "NULL };\n");
}
