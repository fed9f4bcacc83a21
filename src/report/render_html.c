/*
 * render_html.c - one standalone HTML file: inline CSS only (no external
 * assets), every text escaped, print-friendly (black on white, borders,
 * header row repeated on each printed page).
 */
#include "tinyfit/table.h"

#include "draw.h"

#define esc tfit_html_escape

void tfit_html_escape(struct tfit_strbuf *out, const char *s)
{
	if (!s)
		return;
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n' && *s != '\r') {
			/* not allowed in XML 1.0 (an SVG file): U+FFFD instead */
			tfit_strbuf_puts(out, "\xEF\xBF\xBD");
			continue;
		}
		switch (*s) {
		case '&': tfit_strbuf_puts(out, "&amp;"); break;
		case '<': tfit_strbuf_puts(out, "&lt;"); break;
		case '>': tfit_strbuf_puts(out, "&gt;"); break;
		case '"': tfit_strbuf_puts(out, "&quot;"); break;
		case '\'': tfit_strbuf_puts(out, "&#39;"); break;
		default: tfit_strbuf_putc(out, *s); break;
		}
	}
}

static const char *style_class(int style)
{
	switch (style) {
	case TFIT_STYLE_GOOD: return "good";
	case TFIT_STYLE_BAD: return "bad";
	case TFIT_STYLE_WARN: return "warn";
	case TFIT_STYLE_BOLD: return "bold";
	case TFIT_STYLE_UNKNOWN: return "unknown";
	default: return NULL;
	}
}

void tfit_render_table_html_fragment(const struct tfit_table *t, struct tfit_strbuf *out)
{
	size_t r, c;
	tfit_strbuf_puts(out, "<table>\n");
	if (t->title) {
		tfit_strbuf_puts(out, "<caption>");
		esc(out, t->title);
		tfit_strbuf_puts(out, "</caption>\n");
	}
	tfit_strbuf_puts(out, "<thead><tr>");
	for (c = 0; c < t->n_cols; c++) {
		tfit_strbuf_puts(out, t->cols[c].align == TFIT_ALIGN_RIGHT ?
				 "<th class=\"num\">" : "<th>");
		esc(out, t->cols[c].title);
		tfit_strbuf_puts(out, "</th>");
	}
	tfit_strbuf_puts(out, "</tr></thead>\n<tbody>\n");
	for (r = 0; r < t->n_rows; r++) {
		int footer = t->n_footer_rows && r >= t->n_rows - t->n_footer_rows;
		if (footer && r == t->n_rows - t->n_footer_rows)
			tfit_strbuf_puts(out, "</tbody>\n<tfoot>\n");
		tfit_strbuf_puts(out, "<tr>");
		for (c = 0; c < t->n_cols; c++) {
			const struct tfit_table_cell *ce = &t->cells[r * t->n_cols + c];
			const char *cls = style_class(ce->style);
			tfit_strbuf_puts(out, "<td");
			if (t->cols[c].align == TFIT_ALIGN_RIGHT || cls) {
				tfit_strbuf_puts(out, " class=\"");
				if (t->cols[c].align == TFIT_ALIGN_RIGHT)
					tfit_strbuf_puts(out, cls ? "num " : "num");
				if (cls)
					tfit_strbuf_puts(out, cls);
				tfit_strbuf_putc(out, '"');
			}
			tfit_strbuf_putc(out, '>');
			esc(out, ce->text);
			tfit_strbuf_puts(out, "</td>");
		}
		tfit_strbuf_puts(out, "</tr>\n");
	}
	tfit_strbuf_puts(out, t->n_footer_rows ? "</tfoot>\n" : "</tbody>\n");
	tfit_strbuf_puts(out, "</table>\n");
	for (r = 0; r < t->n_notes; r++) {
		tfit_strbuf_puts(out, "<p class=\"note\">");
		esc(out, t->notes[r]);
		tfit_strbuf_puts(out, "</p>\n");
	}
}

void tfit_render_html_begin(const char *title, struct tfit_strbuf *out)
{
	tfit_strbuf_puts(out,
		"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
	esc(out, title ? title : "tinyfit report");
	tfit_strbuf_puts(out,
		"</title>\n<style>\n"
		"body{font-family:system-ui,-apple-system,\"Segoe UI\",sans-serif;margin:2em;color:#111;background:#fff}\n"
		"table{border-collapse:collapse;margin:1em 0;font-size:0.9em;display:block;overflow-x:auto;max-width:100%}\n"
		"caption{text-align:left;font-weight:bold;padding:0.3em 0}\n"
		"th,td{border:1px solid #999;padding:0.25em 0.6em;vertical-align:top}\n"
		"th{background:#eee}\n"
		"td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
		"tfoot td{font-weight:bold;border-top:2px solid #333}\n"
		".good{color:#065f13}.bad{color:#a30000;font-weight:bold}.warn{color:#8a5a00}.bold{font-weight:bold}\n"
		".unknown{color:#444;font-style:italic}\n"
		"p.verdict{font-size:1.3em;font-weight:bold;padding:0.3em 0.6em;border-left:0.4em solid}\n"
		"p.verdict.good{background:#e6f4ea}p.verdict.bad{background:#fdecea}p.verdict.unknown{background:#eee}\n"
		"section.board{border-top:2px solid #333;margin-top:1.5em}svg{max-width:100%;height:auto;display:block;margin:0.5em 0}\n"
		"p.note{color:#333;font-size:0.85em;margin:0.2em 0}\n"
		"@media print{body{margin:0}thead{display:table-header-group}tr{page-break-inside:avoid}"
		"section.board,figure,svg{page-break-inside:avoid}}\n"
		"</style>\n</head>\n<body>\n");
}

void tfit_render_html_end(struct tfit_strbuf *out)
{
	tfit_strbuf_puts(out, "</body>\n</html>\n");
}

void tfit_render_table_html(const struct tfit_table *t, struct tfit_strbuf *out)
{
	tfit_render_html_begin(t->title, out);
	tfit_render_table_html_fragment(t, out);
	tfit_render_html_end(out);
}
