/*
 * render_csv.c - RFC 4180 CSV: one header row of column keys, raw numbers,
 * CRLF line ends, fields quoted when they hold a comma, quote, CR or LF.
 * A text field that begins with = + - @ (or tab/CR) is prefixed with a
 * single quote so spreadsheets do not run it as a formula (OWASP "CSV
 * injection"); plain numbers such as -3.5 are left as they are.
 */
#include "tinyfit/table.h"

#include <stdlib.h>
#include <string.h>

static int is_number(const char *s)
{
	char *end;
	if (!*s)
		return 0;
	(void)strtod(s, &end);
	return *end == '\0' && strspn(s, "+-0123456789.eE") == strlen(s);
}

static void field(struct tfit_strbuf *out, const char *s)
{
	int quote, neutralise;
	if (!s)
		return;
	neutralise = (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
		      s[0] == '\t' || s[0] == '\r') && !is_number(s);
	quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		tfit_strbuf_putc(out, '"');
	if (neutralise)
		tfit_strbuf_putc(out, '\'');
	for (; *s; s++) {
		if (*s == '"')
			tfit_strbuf_putc(out, '"');
		tfit_strbuf_putc(out, *s);
	}
	if (quote)
		tfit_strbuf_putc(out, '"');
}

void tfit_render_table_csv(const struct tfit_table *t, const struct tfit_render_opts *o,
			   struct tfit_strbuf *out)
{
	size_t r, c;
	const char *eol = o && o->crlf ? "\r\n" : "\n";
	for (c = 0; c < t->n_cols; c++) {
		if (c)
			tfit_strbuf_putc(out, ',');
		field(out, t->cols[c].key ? t->cols[c].key : t->cols[c].title);
	}
	tfit_strbuf_puts(out, eol);
	for (r = 0; r < t->n_rows; r++) {
		for (c = 0; c < t->n_cols; c++) {
			const struct tfit_table_cell *ce = &t->cells[r * t->n_cols + c];
			if (c)
				tfit_strbuf_putc(out, ',');
			field(out, ce->raw ? ce->raw : ce->text);
		}
		tfit_strbuf_puts(out, eol);
	}
}
