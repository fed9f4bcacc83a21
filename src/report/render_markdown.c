/*
 * render_markdown.c - GitHub-flavoured Markdown tables, paste-ready: a bold
 * caption, the table (numbers right-aligned), then notes as a paragraph.
 */
#include "tinyfit/table.h"

static void escaped(struct tfit_strbuf *out, const char *s)
{
	if (!s)
		return;
	for (; *s; s++) {
		/* GitHub's intraword underscores stay literal, so names like
		 * conv_2d are left readable; these would change the table */
		if (*s == '|' || *s == '\\' || *s == '*' || *s == '`' || *s == '<')
			tfit_strbuf_putc(out, '\\');
		if (*s == '\n' || *s == '\r')
			tfit_strbuf_putc(out, ' ');
		else
			tfit_strbuf_putc(out, *s);
	}
}

void tfit_render_table_markdown(const struct tfit_table *t, struct tfit_strbuf *out)
{
	size_t r, c;
	if (t->title) {
		tfit_strbuf_puts(out, "**");
		escaped(out, t->title);
		tfit_strbuf_puts(out, "**\n\n");
	}
	if (t->n_cols == 0)
		return;
	tfit_strbuf_putc(out, '|');
	for (c = 0; c < t->n_cols; c++) {
		tfit_strbuf_putc(out, ' ');
		escaped(out, t->cols[c].title);
		tfit_strbuf_puts(out, " |");
	}
	tfit_strbuf_puts(out, "\n|");
	for (c = 0; c < t->n_cols; c++)
		tfit_strbuf_puts(out, t->cols[c].align == TFIT_ALIGN_RIGHT ? "---:|" : "---|");
	tfit_strbuf_putc(out, '\n');
	for (r = 0; r < t->n_rows; r++) {
		int footer = t->n_footer_rows && r >= t->n_rows - t->n_footer_rows;
		tfit_strbuf_putc(out, '|');
		for (c = 0; c < t->n_cols; c++) {
			const char *text = t->cells[r * t->n_cols + c].text;
			tfit_strbuf_putc(out, ' ');
			if (footer && text && *text)
				tfit_strbuf_puts(out, "**");
			escaped(out, text);
			if (footer && text && *text)
				tfit_strbuf_puts(out, "**");
			tfit_strbuf_puts(out, " |");
		}
		tfit_strbuf_putc(out, '\n');
	}
	if (t->n_notes) {
		tfit_strbuf_putc(out, '\n');
		for (r = 0; r < t->n_notes; r++) {
			escaped(out, t->notes[r]);
			tfit_strbuf_puts(out, r + 1 < t->n_notes ? "  \n" : "\n");
		}
	}
}
