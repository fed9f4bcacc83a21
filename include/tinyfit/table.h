/*
 * table.h - the one table model every tabular renderer draws from
 * (text, markdown, csv, html). A command builds a struct tfit_table from its
 * report and hands it to tfit_render_table(); JSON is rendered from the
 * report structs instead (see report.h).
 *
 * Ownership: the table owns copies of every string given to it;
 * tfit_table_release() frees them. Cells hold a display text (humanised,
 * with units) and optionally a raw text (the plain number for CSV, e.g.
 * bytes); raw NULL means "same as text".
 */
#ifndef TINYFIT_TABLE_H
#define TINYFIT_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "tinyfit/strbuf.h"

enum tfit_format {
	TFIT_FORMAT_TEXT = 0,
	TFIT_FORMAT_MARKDOWN,
	TFIT_FORMAT_CSV,
	TFIT_FORMAT_JSON,
	TFIT_FORMAT_HTML,
	TFIT_FORMAT_SVG,      /* check, layers: the arena timeline alone */
	TFIT_FORMAT_COUNT
};
/* "text", "markdown", "csv", "json", "html", "svg". */
const char *tfit_format_name(enum tfit_format f);
/* Parse a format name ("md" is accepted for markdown); -1 when unknown. */
int tfit_format_parse(const char *name, enum tfit_format *out);

enum tfit_align { TFIT_ALIGN_LEFT = 0, TFIT_ALIGN_RIGHT };

struct tfit_table_col {
	char *title;            /* "Weights" */
	char *key;              /* "weights_bytes": CSV header, snake_case with unit */
	enum tfit_align align;
	int drop_priority;      /* text output too wide: columns with the highest
				   priority are hidden first; 0 = never hidden;
				   TFIT_COL_KEY = never hidden, shortened last */
	int csv_only;           /* 1: only CSV has the column (a machine-readable
				   repeat of what the other formats say in notes) */
};

struct tfit_table_cell {
	char *text;             /* shown in text/markdown/html; NULL = empty */
	char *raw;              /* CSV value; NULL = text */
	int style;              /* TFIT_STYLE_* hint for colour/emphasis */
};

#define TFIT_STYLE_NONE 0
#define TFIT_STYLE_GOOD 1   /* e.g. "fits" */
#define TFIT_STYLE_BAD  2   /* e.g. "does not fit" */
#define TFIT_STYLE_WARN 3
#define TFIT_STYLE_BOLD 4
#define TFIT_STYLE_UNKNOWN 5 /* e.g. "unknown": neither good nor bad */

struct tfit_pool_chunk;

struct tfit_table {
	char *title;                   /* caption; NULL for none */
	struct tfit_table_col *cols;
	size_t n_cols;
	struct tfit_table_cell *cells; /* n_rows * n_cols, row-major */
	size_t n_rows, cap_rows;
	size_t n_footer_rows;          /* the last rows are totals (rule above them) */
	char **notes;                  /* lines printed under the table */
	size_t n_notes;
	int oom;                       /* set on any failed allocation */
	struct tfit_pool_chunk *strings; /* the cells' texts (src/util/pool.h): a
					    malloc block each cost 32 bytes or more,
					    10 MB for a 40,000-op layer table */
};

void tfit_table_init(struct tfit_table *t, const char *title);
void tfit_table_release(struct tfit_table *t);
/* Columns must all be added before the first row. */
void tfit_table_add_col(struct tfit_table *t, const char *title, const char *key,
			enum tfit_align align);
/* Let the text renderer hide column col when the terminal is too narrow
 * (higher priority = hidden earlier), or mark it TFIT_COL_KEY: the column
 * that names the row (a device id), cut with an ellipsis only when nothing
 * else is left to shorten. */
#define TFIT_COL_KEY (-1)
void tfit_table_set_drop_priority(struct tfit_table *t, size_t col, int priority);
/* Show column col in CSV only (text, Markdown and HTML leave it out). */
void tfit_table_set_csv_only(struct tfit_table *t, size_t col);
/* Append an empty row; returns its index. */
size_t tfit_table_add_row(struct tfit_table *t);
/* Set a cell (copies both strings; raw may be NULL). */
void tfit_table_set(struct tfit_table *t, size_t row, size_t col, const char *text,
		    const char *raw);
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 4, 5)))
#endif
void tfit_table_setf(struct tfit_table *t, size_t row, size_t col, const char *fmt, ...);
/* Set a byte count: text humanised ("12.50 KiB"), raw the exact number. */
void tfit_table_set_bytes(struct tfit_table *t, size_t row, size_t col, uint64_t bytes);
/* Set a count: text exact with separators ("2,656,768"), raw the plain number. */
void tfit_table_set_count(struct tfit_table *t, size_t row, size_t col, uint64_t n);
/* Set a plain integer (text and raw alike). */
void tfit_table_set_u64(struct tfit_table *t, size_t row, size_t col, uint64_t n);
void tfit_table_set_style(struct tfit_table *t, size_t row, size_t col, int style);
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
void tfit_table_add_note(struct tfit_table *t, const char *fmt, ...);
const struct tfit_table_cell *tfit_table_cell(const struct tfit_table *t, size_t row,
					      size_t col);

struct tfit_render_opts {
	int ascii;          /* text: ASCII rules instead of UTF-8 box drawing */
	int color;          /* text: ANSI colour (the CLI decides: TTY and no NO_COLOR) */
	int width;          /* text: terminal width to fit in; 0 = unlimited */
	int crlf;           /* csv: CRLF line ends (RFC 4180) instead of LF */
};

void tfit_render_opts_init(struct tfit_render_opts *o);

/* Render a table in fmt into out: text, Markdown, CSV or HTML. JSON and
 * SVG have no table form: nothing is appended (the report's own renderer
 * handles them). Deterministic. */
void tfit_render_table(const struct tfit_table *t, enum tfit_format fmt,
		       const struct tfit_render_opts *o, struct tfit_strbuf *out);
/* tfit_render_table, then the table's allocation failure carried into
 * out->oom and the table released (a report that is one table). */
void tfit_render_table_release(struct tfit_table *t, enum tfit_format fmt,
			       const struct tfit_render_opts *o, struct tfit_strbuf *out);
void tfit_render_table_text(const struct tfit_table *t, const struct tfit_render_opts *o,
			    struct tfit_strbuf *out);
void tfit_render_table_markdown(const struct tfit_table *t, struct tfit_strbuf *out);

/*
 * Fit a finished text report of len bytes to width columns into out:
 * every longer line is wrapped at spaces with a hanging indent (under the
 * value of a "  label    value" line, else two columns deeper than the
 * line starts), a word wider than a line is cut; table lines (box drawing
 * or ASCII rules) are copied as they are, since the table renderer fits
 * them. Columns are UTF-8 code points, ANSI colour sequences count zero.
 * width <= 0 (unlimited) or below 20 copies text unchanged.
 */
void tfit_text_wrap(const char *text, size_t len, int width, struct tfit_strbuf *out);

/*
 * Append s for Markdown (GitHub-flavoured, CommonMark): every character a
 * renderer would interpret is backslash-escaped (\ ` * [ ] < ! | ~ & #
 * and _ unless it sits between two letters or digits, where it cannot
 * start emphasis), and line breaks become spaces. Every text that comes
 * from an input goes through it in Markdown output.
 */
void tfit_md_escape(struct tfit_strbuf *out, const char *s);
/* CSV: LF line ends, or CRLF with o->crlf (o may be NULL). */
void tfit_render_table_csv(const struct tfit_table *t, const struct tfit_render_opts *o,
			   struct tfit_strbuf *out);
/* A complete standalone HTML document (no external assets). */
void tfit_render_table_html(const struct tfit_table *t, struct tfit_strbuf *out);
/* A standalone document's head (inline CSS) and tail, for multi-table pages. */
void tfit_render_html_begin(const char *title, struct tfit_strbuf *out);
void tfit_render_html_end(struct tfit_strbuf *out);
/* An HTML fragment (<table>...</table> and notes) for multi-table documents. */
void tfit_render_table_html_fragment(const struct tfit_table *t, struct tfit_strbuf *out);

#endif
