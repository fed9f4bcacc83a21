/* table.c - the shared table model (see table.h). */
#include "tinyfit/table.h"
#include "tinyfit/units.h"
#include "util/pool.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const format_names[TFIT_FORMAT_COUNT] = {
	"text", "markdown", "csv", "json", "html", "svg"
};

const char *tfit_format_name(enum tfit_format f)
{
	return (unsigned)f < TFIT_FORMAT_COUNT ? format_names[f] : "unknown";
}

int tfit_format_parse(const char *name, enum tfit_format *out)
{
	int i;
	if (!name)
		return -1;
	if (strcmp(name, "md") == 0) {
		*out = TFIT_FORMAT_MARKDOWN;
		return 0;
	}
	for (i = 0; i < TFIT_FORMAT_COUNT; i++) {
		if (strcmp(name, format_names[i]) == 0) {
			*out = (enum tfit_format)i;
			return 0;
		}
	}
	return -1;
}

static char *dup_or_null(struct tfit_table *t, const char *s)
{
	size_t n;
	char *p;
	if (!s)
		return NULL;
	n = strlen(s);
	p = malloc(n + 1);
	if (!p) {
		t->oom = 1;
		return NULL;
	}
	memcpy(p, s, n + 1);
	return p;
}

void tfit_table_init(struct tfit_table *t, const char *title)
{
	memset(t, 0, sizeof(*t));
	t->title = dup_or_null(t, title);
}

void tfit_table_release(struct tfit_table *t)
{
	size_t i;
	for (i = 0; i < t->n_cols; i++) {
		free(t->cols[i].title);
		free(t->cols[i].key);
	}
	tfit_pool_free(&t->strings); /* every cell's text */
	for (i = 0; i < t->n_notes; i++)
		free(t->notes[i]);
	free(t->cols);
	free(t->cells);
	free(t->notes);
	free(t->title);
	memset(t, 0, sizeof(*t));
}

void tfit_table_add_col(struct tfit_table *t, const char *title, const char *key,
			enum tfit_align align)
{
	struct tfit_table_col *p;
	if (t->n_rows) {
		t->oom = 1; /* misuse: columns after rows */
		return;
	}
	p = realloc(t->cols, (t->n_cols + 1) * sizeof(*p));
	if (!p) {
		t->oom = 1;
		return;
	}
	t->cols = p;
	p[t->n_cols].title = dup_or_null(t, title);
	p[t->n_cols].key = dup_or_null(t, key);
	p[t->n_cols].align = align;
	p[t->n_cols].drop_priority = 0;
	p[t->n_cols].csv_only = 0;
	t->n_cols++;
}

void tfit_table_set_drop_priority(struct tfit_table *t, size_t col, int priority)
{
	if (col < t->n_cols)
		t->cols[col].drop_priority = priority;
}

void tfit_table_set_csv_only(struct tfit_table *t, size_t col)
{
	if (col < t->n_cols)
		t->cols[col].csv_only = 1;
}

size_t tfit_table_add_row(struct tfit_table *t)
{
	if (t->n_rows == t->cap_rows) {
		size_t cap = t->cap_rows ? t->cap_rows * 2 : 16;
		struct tfit_table_cell *p;
		if (t->n_cols == 0 || cap > SIZE_MAX / sizeof(*p) / t->n_cols) {
			t->oom = 1;
			return t->n_rows ? t->n_rows - 1 : 0;
		}
		p = realloc(t->cells, cap * t->n_cols * sizeof(*p));
		if (!p) {
			t->oom = 1;
			return t->n_rows ? t->n_rows - 1 : 0;
		}
		t->cells = p;
		t->cap_rows = cap;
	}
	memset(&t->cells[t->n_rows * t->n_cols], 0, t->n_cols * sizeof(*t->cells));
	return t->n_rows++;
}

void tfit_table_set(struct tfit_table *t, size_t row, size_t col, const char *text,
		    const char *raw)
{
	struct tfit_table_cell *c;
	if (row >= t->n_rows || col >= t->n_cols)
		return;
	c = &t->cells[row * t->n_cols + col];
	/* in the table's pool: a text set again stays there until the release */
	if (tfit_pool_strdup(&t->strings, &c->text, text) != 0 ||
	    tfit_pool_strdup(&t->strings, &c->raw, raw) != 0)
		t->oom = 1;
}

void tfit_table_setf(struct tfit_table *t, size_t row, size_t col, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	tfit_table_set(t, row, col, buf, NULL);
}

void tfit_table_set_bytes(struct tfit_table *t, size_t row, size_t col, uint64_t bytes)
{
	char text[32], raw[32];
	snprintf(raw, sizeof(raw), "%llu", (unsigned long long)bytes);
	tfit_table_set(t, row, col, tfit_units_format_bytes(bytes, text, sizeof(text)), raw);
}

void tfit_table_set_count(struct tfit_table *t, size_t row, size_t col, uint64_t n)
{
	char text[40], raw[32];
	snprintf(raw, sizeof(raw), "%llu", (unsigned long long)n);
	tfit_table_set(t, row, col, tfit_units_format_int(n, text, sizeof(text)), raw);
}

void tfit_table_set_u64(struct tfit_table *t, size_t row, size_t col, uint64_t n)
{
	char raw[32];
	snprintf(raw, sizeof(raw), "%llu", (unsigned long long)n);
	tfit_table_set(t, row, col, raw, NULL);
}

void tfit_table_set_style(struct tfit_table *t, size_t row, size_t col, int style)
{
	if (row < t->n_rows && col < t->n_cols)
		t->cells[row * t->n_cols + col].style = style;
}

void tfit_table_add_note(struct tfit_table *t, const char *fmt, ...)
{
	va_list ap;
	char **p, *note;
	int len;
	/* the size first, so a note (a latency method, say) is never cut */
	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0 || !(note = malloc((size_t)len + 1))) {
		t->oom = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(note, (size_t)len + 1, fmt, ap);
	va_end(ap);
	p = realloc(t->notes, (t->n_notes + 1) * sizeof(*p));
	if (!p) {
		free(note);
		t->oom = 1;
		return;
	}
	t->notes = p;
	p[t->n_notes++] = note;
}

const struct tfit_table_cell *tfit_table_cell(const struct tfit_table *t, size_t row,
					      size_t col)
{
	if (row >= t->n_rows || col >= t->n_cols)
		return NULL;
	return &t->cells[row * t->n_cols + col];
}

void tfit_render_opts_init(struct tfit_render_opts *o)
{
	memset(o, 0, sizeof(*o));
}

void tfit_render_table(const struct tfit_table *t, enum tfit_format fmt,
		       const struct tfit_render_opts *o, struct tfit_strbuf *out)
{
	switch (fmt) {
	case TFIT_FORMAT_MARKDOWN:
		tfit_render_table_markdown(t, out);
		break;
	case TFIT_FORMAT_CSV:
		tfit_render_table_csv(t, o, out);
		break;
	case TFIT_FORMAT_HTML:
		tfit_render_table_html(t, out);
		break;
	case TFIT_FORMAT_TEXT:
		tfit_render_table_text(t, o, out);
		break;
	case TFIT_FORMAT_JSON:  /* JSON is rendered from report structs, not tables */
	case TFIT_FORMAT_SVG:   /* pictures are drawn from the arena plan */
	case TFIT_FORMAT_COUNT: /* not a format; no default: a new format must be handled here */
		break;          /* nothing: never another format in their place */
	}
}

void tfit_render_table_release(struct tfit_table *t, enum tfit_format fmt,
			       const struct tfit_render_opts *o, struct tfit_strbuf *out)
{
	tfit_render_table(t, fmt, o, out);
	if (t->oom)
		out->oom = 1;
	tfit_table_release(t);
}
