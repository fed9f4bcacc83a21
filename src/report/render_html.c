/*
 * render_html.c - one standalone HTML file: inline CSS only (no external
 * assets), every text escaped, print-friendly (black on white, borders,
 * header row repeated on each printed page).
 */
#include "tinyfit/table.h"

#include "draw.h"

#include <stdlib.h>
#include <string.h>

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

/* raw holds a number (the whole of it): the sort key of a numeric cell */
static int raw_number(const char *raw)
{
	char *end;
	if (!raw || !*raw)
		return 0;
	(void)strtod(raw, &end);
	return *end == '\0';
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = s ? strlen(s) : 0, k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

/* The mark before a verdict-like (left-aligned, styled) cell, so the
 * verdict reads without colour: check, cross, question mark. */
static const char *style_icon(int style)
{
	switch (style) {
	case TFIT_STYLE_GOOD: return "<span class=\"icon\" aria-hidden=\"true\">&#10003;</span> ";
	case TFIT_STYLE_BAD: return "<span class=\"icon\" aria-hidden=\"true\">&#10007;</span> ";
	case TFIT_STYLE_UNKNOWN: return "<span class=\"icon\" aria-hidden=\"true\">?</span> ";
	default: return "";
	}
}

/* A small bar under a percentage (0..100 % of the cell's width; over 100
 * a full, hatched bar): decoration only, the number stays the text. */
static void usage_bar(struct tfit_strbuf *out, const char *raw)
{
	double pct = strtod(raw, NULL);
	if (!(pct >= 0))
		return;
	if (pct > 100.0)
		tfit_strbuf_puts(out, "<span class=\"ubar over\" aria-hidden=\"true\"><span style=\"width:100%\"></span></span>");
	else
		tfit_strbuf_printf(out, "<span class=\"ubar\" aria-hidden=\"true\"><span style=\"width:%.1f%%\">"
				   "</span></span>", pct);
}

static void fragment(const struct tfit_table *t, int rich, struct tfit_strbuf *out)
{
	size_t r, c;
	tfit_strbuf_puts(out, rich ? "<table class=\"sortable\">\n" : "<table>\n");
	if (t->title) {
		tfit_strbuf_puts(out, "<caption>");
		esc(out, t->title);
		tfit_strbuf_puts(out, "</caption>\n");
	}
	tfit_strbuf_puts(out, "<thead><tr>");
	for (c = 0; c < t->n_cols; c++) {
		if (t->cols[c].csv_only)
			continue;
		tfit_strbuf_puts(out, t->cols[c].align == TFIT_ALIGN_RIGHT ? "<th class=\"num\"" : "<th");
		if (rich && t->cols[c].key) {
			tfit_strbuf_puts(out, " data-key=\"");
			esc(out, t->cols[c].key);
			tfit_strbuf_putc(out, '"');
		}
		tfit_strbuf_putc(out, '>');
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
			const char *cls;
			if (t->cols[c].csv_only)
				continue;
			cls = style_class(ce->style);
			int num = t->cols[c].align == TFIT_ALIGN_RIGHT;
			/* a numeric column's cell without a number ("?", "-",
			 * "unknown": empty in CSV) is marked as such */
			int na = rich && num && ce->raw && !ce->raw[0];
			int sorted = rich && num && raw_number(ce->raw ? ce->raw : ce->text);
			tfit_strbuf_puts(out, "<td");
			if (num || cls || na) {
				tfit_strbuf_puts(out, " class=\"");
				if (num)
					tfit_strbuf_puts(out, cls || na ? "num " : "num");
				if (cls)
					tfit_strbuf_puts(out, cls);
				if (na)
					tfit_strbuf_puts(out, cls ? " na" : "na");
				tfit_strbuf_putc(out, '"');
			}
			if (sorted) {
				tfit_strbuf_puts(out, " data-v=\"");
				esc(out, ce->raw ? ce->raw : ce->text);
				tfit_strbuf_putc(out, '"');
			}
			tfit_strbuf_putc(out, '>');
			if (rich && !num)
				tfit_strbuf_puts(out, style_icon(ce->style));
			esc(out, ce->text);
			if (sorted && has_suffix(t->cols[c].key, "_percent"))
				usage_bar(out, ce->raw ? ce->raw : ce->text);
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

void tfit_render_table_html_fragment(const struct tfit_table *t, struct tfit_strbuf *out)
{
	fragment(t, 0, out);
}

void tfit_render_table_html_sortable(const struct tfit_table *t, struct tfit_strbuf *out)
{
	fragment(t, 1, out);
}

/*
 * Click a column's title to sort the rows by it (again: the other way).
 * Numeric columns sort on data-v (the raw number, never the formatted
 * text); cells without a number go last either way; ties keep the page's
 * order. Without script the table reads the same, in the page's order.
 */
void tfit_html_sort_script(struct tfit_strbuf *out)
{
	tfit_strbuf_puts(out,
		"<script>\n(function(){\n"
		"function key(r,i,num){var c=r.cells[i];if(!c)return null;"
		"if(num){var v=c.getAttribute('data-v');return v===null?null:parseFloat(v);}"
		"return c.textContent;}\n"
		"Array.prototype.forEach.call(document.querySelectorAll('table.sortable'),function(t){\n"
		"var body=t.tBodies[0],head=t.tHead&&t.tHead.rows[0];if(!body||!head)return;\n"
		"var ths=head.cells;\n"
		"Array.prototype.forEach.call(ths,function(th,i){\n"
		"var b=document.createElement('button');b.type='button';\n"
		"while(th.firstChild)b.appendChild(th.firstChild);th.appendChild(b);\n"
		"b.addEventListener('click',function(){\n"
		"var asc=th.getAttribute('aria-sort')!=='ascending',num=th.classList.contains('num');\n"
		"Array.prototype.forEach.call(ths,function(h){h.removeAttribute('aria-sort');});\n"
		"th.setAttribute('aria-sort',asc?'ascending':'descending');\n"
		"var rows=Array.prototype.map.call(body.rows,function(r,k){return {r:r,k:k,v:key(r,i,num)};});\n"
		"rows.sort(function(x,y){if(x.v===null||y.v===null)return (x.v===null)-(y.v===null)||x.k-y.k;\n"
		"var d=num?x.v-y.v:x.v.localeCompare(y.v);return (asc?d:-d)||x.k-y.k;});\n"
		"rows.forEach(function(x){body.appendChild(x.r);});});});\n"
		"t.classList.add('js-sortable');});\n"
		"})();\n</script>\n");
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
		/* no-value cells hatched, not only greyed: they stay apart in greyscale */
		"td.na{color:#444;font-style:italic;background:repeating-linear-gradient(135deg,#fff 0 4px,#e4e4e4 4px 6px)}\n"
		"td.unknown{background:repeating-linear-gradient(135deg,#fff 0 4px,#e4e4e4 4px 6px)}\n"
		"td .icon{font-weight:bold;font-style:normal}table.sortable td{white-space:nowrap}\n"
		".ubar{display:block;height:4px;margin-top:2px;background:#e4e4e4;min-width:4em}"
		".ubar span{display:block;height:100%;background:#1f78b4}\n"
		".ubar.over span{background:repeating-linear-gradient(135deg,#a30000 0 3px,#fff 3px 5px)}\n"
		"table.js-sortable th button{font:inherit;font-weight:bold;background:none;border:0;padding:0;cursor:pointer;color:inherit}\n"
		"th[aria-sort=ascending] button::after{content:\" \\25B2\"}th[aria-sort=descending] button::after{content:\" \\25BC\"}\n"
		"figure.chart{margin:1em 0}figure.chart figcaption{font-size:0.85em;color:#333}\n"
		"@media print{body{margin:0}th button::after{content:none}thead{display:table-header-group}tr{page-break-inside:avoid}"
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
