/*
 * render_markdown.c - GitHub-flavoured Markdown tables, paste-ready: a bold
 * caption, the table (numbers right-aligned), then notes as a paragraph.
 */
#include "tinyfit/table.h"

#include <string.h>

static int alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (unsigned char)c >= 0x80;
}

void tfit_md_escape(struct tfit_strbuf *out, const char *s)
{
	const char *p;
	if (!s)
		return;
	for (p = s; *p; p++) {
		/* GitHub's intraword underscores stay literal, so names like
		 * conv_2d are left readable; the rest would change the text
		 * (emphasis, links, images, HTML, tables, entities) */
		int intraword = *p == '_' && p > s && alnum(p[-1]) && alnum(p[1]);
		if (strchr("\\`*[]<!|~&#_", *p) && !intraword)
			tfit_strbuf_putc(out, '\\');
		if (*p == '\n' || *p == '\r')
			tfit_strbuf_putc(out, ' ');
		else
			tfit_strbuf_putc(out, *p);
	}
}

void tfit_render_table_markdown(const struct tfit_table *t, struct tfit_strbuf *out)
{
	size_t r, c;
	if (t->title) {
		tfit_strbuf_puts(out, "**");
		tfit_md_escape(out, t->title);
		tfit_strbuf_puts(out, "**\n\n");
	}
	if (t->n_cols == 0)
		return;
	tfit_strbuf_putc(out, '|');
	for (c = 0; c < t->n_cols; c++) {
		if (t->cols[c].csv_only)
			continue;
		tfit_strbuf_putc(out, ' ');
		tfit_md_escape(out, t->cols[c].title);
		tfit_strbuf_puts(out, " |");
	}
	tfit_strbuf_puts(out, "\n|");
	for (c = 0; c < t->n_cols; c++)
		if (!t->cols[c].csv_only)
			tfit_strbuf_puts(out, t->cols[c].align == TFIT_ALIGN_RIGHT ? "---:|" : "---|");
	tfit_strbuf_putc(out, '\n');
	for (r = 0; r < t->n_rows; r++) {
		int footer = t->n_footer_rows && r >= t->n_rows - t->n_footer_rows;
		tfit_strbuf_putc(out, '|');
		for (c = 0; c < t->n_cols; c++) {
			const char *text = t->cells[r * t->n_cols + c].text;
			if (t->cols[c].csv_only)
				continue;
			tfit_strbuf_putc(out, ' ');
			if (footer && text && *text)
				tfit_strbuf_puts(out, "**");
			tfit_md_escape(out, text);
			if (footer && text && *text)
				tfit_strbuf_puts(out, "**");
			tfit_strbuf_puts(out, " |");
		}
		tfit_strbuf_putc(out, '\n');
	}
	if (t->n_notes) {
		tfit_strbuf_putc(out, '\n');
		for (r = 0; r < t->n_notes; r++) {
			tfit_md_escape(out, t->notes[r]);
			tfit_strbuf_puts(out, r + 1 < t->n_notes ? "  \n" : "\n");
		}
	}
}
