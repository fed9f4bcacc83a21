/*
 * compare_report.c - the cross-device comparison of `tinyfit compare` as
 * tables (text, Markdown, CSV, HTML share them) with a summary: how many
 * boards fit, the cheapest that fits, the fastest, the one with most
 * headroom.
 */
#include "draw.h"
#include "tinyfit/fit.h"
#include "tinyfit/report.h"
#include "tinyfit/units.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* A decimal with sig significant digits, never in scientific notation. */
static void sig_cell(struct tfit_table *t, size_t row, size_t col, double v, int sig)
{
	char text[64];
	tfit_table_set(t, row, col, tfit_units_format_sig(v, sig, text, sizeof(text)), NULL);
}

static void pct_cell(struct tfit_table *t, size_t row, size_t col, double pct)
{
	char text[32], raw[32];
	if (isnan(pct)) {
		tfit_table_set(t, row, col, "?", "");
		return;
	}
	snprintf(text, sizeof(text), "%.1f%%", pct);
	snprintf(raw, sizeof(raw), "%.2f", pct);
	tfit_table_set(t, row, col, text, raw);
	if (pct > 100.0)
		tfit_table_set_style(t, row, col, TFIT_STYLE_BAD);
	else if (pct > 85.0)
		tfit_table_set_style(t, row, col, TFIT_STYLE_WARN);
}

static void bytes_or_unknown(struct tfit_table *t, size_t row, size_t col, uint64_t v)
{
	if (v)
		tfit_table_set_bytes(t, row, col, v);
	else
		tfit_table_set(t, row, col, "?", "");
}

/* A used size, or "unknown" when the runtime has no memory profile, or
 * (runtime_term) when it holds the runtime's code or RAM and those are
 * outside the runtime's data (fit.h, runtime_outside). */
static void used_cell(struct tfit_table *t, size_t row, size_t col, const struct tfit_fit_result *r,
		      uint64_t v, int runtime_term)
{
	if (r->memory_unknown || (runtime_term && r->runtime_outside))
		tfit_table_set(t, row, col, "unknown", "");
	else
		tfit_table_set_bytes(t, row, col, v);
}

static void ms_cell(struct tfit_table *t, size_t row, size_t col, double ms)
{
	char text[32], raw[32];
	if (isnan(ms)) {
		tfit_table_set(t, row, col, "-", "");
		return;
	}
	snprintf(raw, sizeof(raw), "%.3f", ms);
	tfit_table_set(t, row, col, tfit_units_format_ms(ms, text, sizeof(text)), raw);
}

/* The estimate with its interval for people ("341 ms (+-12%)"), the bare
 * number for machines. */
static void latency_cell(struct tfit_table *t, size_t row, size_t col,
			 const struct tfit_compare_row *r)
{
	char text[48], ms[32], raw[32];
	if (isnan(r->latency_ms) || !(r->interval_pct > 0)) {
		ms_cell(t, row, col, r->latency_ms);
		return;
	}
	snprintf(raw, sizeof(raw), "%.3f", r->latency_ms);
	snprintf(text, sizeof(text), "%s (\xC2\xB1%.0f%%)",
		 tfit_units_format_ms(r->latency_ms, ms, sizeof(ms)), r->interval_pct);
	tfit_table_set(t, row, col, text, raw);
}

static const char *verdict(const struct tfit_fit_result *r)
{
	return tfit_verdict_name(r->verdict);
}

/* Lowest maximum of flash% and SRAM% among the boards that fit. */
static double headroom(const struct tfit_fit_result *r)
{
	double a = isnan(r->flash_percent) ? 100.0 : r->flash_percent;
	double b = isnan(r->sram_percent) ? 100.0 : r->sram_percent;
	return a > b ? a : b;
}

static const char *row_label(const struct tfit_compare_row *row)
{
	if (row->label)
		return row->label;
	return row->model && row->model->name ? row->model->name : "model";
}

static const char *error_label(const struct tfit_compare_error *e)
{
	return e->label ? e->label : e->file;
}

/*
 * Narrow terminals: which columns go first (render_text.c). Never the
 * device and model (the row's key), the percentages, the gates or the
 * verdict; of the rest the latency stays longest: at 80 columns a student
 * sees board, flash %, SRAM %, latency and verdict.
 */
static void set_drop_priorities(struct tfit_table *t)
{
	static const struct { const char *key; int prio; } drops[] = {
		{ "model", TFIT_COL_KEY }, { "device", TFIT_COL_KEY },
		{ "core", 9 }, { "energy_mj", 8 }, { "latency_ms_low", 8 }, { "latency_ms_high", 8 },
		{ "active_power_scope", 9 }, { "energy_lower_bound_mj", 9 },
		{ "limiting", 7 }, { "device_name", 7 }, { "file", 6 }, { "flash_used_bytes", 6 },
		{ "sram_used_bytes", 6 }, { "clock_mhz", 5 }, { "runtime", 5 }, { "price_usd", 4 },
		{ "arena_bytes", 3 }, { "flash_available_bytes", 2 }, { "sram_available_bytes", 2 },
		{ "latency_ms", 1 },
		/* the textbook's table (--method textbook, or joined by both) */
		{ "ram_bytes", 4 }, { "model_size_bytes", 3 }, { "required_ram_bytes", 2 },
		{ "textbook_ram_bytes", 4 }, { "textbook_model_size_bytes", 3 },
		{ "textbook_required_ram_bytes", 2 }, { "textbook_latency_ms", 5 },
	};
	size_t c, q;
	for (c = 0; c < t->n_cols; c++)
		for (q = 0; q < sizeof(drops) / sizeof(drops[0]); q++)
			if (t->cols[c].key && !strcmp(t->cols[c].key, drops[q].key))
				tfit_table_set_drop_priority(t, c, drops[q].prio);
}

/* The leading columns: Model (several models, or CSV), File and the
 * board's name and runtime (CSV), Device. */
static void lead_cols(const struct tfit_compare_report *rep, int multi, int runtime,
		      struct tfit_table *t)
{
	if (multi || rep->csv_columns)
		tfit_table_add_col(t, "Model", "model", TFIT_ALIGN_LEFT);
	if (rep->csv_columns)
		tfit_table_add_col(t, "File", "file", TFIT_ALIGN_LEFT);
	tfit_table_add_col(t, "Device", "device", TFIT_ALIGN_LEFT);
	if (rep->csv_columns) {
		tfit_table_add_col(t, "Board", "device_name", TFIT_ALIGN_LEFT);
		if (runtime)
			tfit_table_add_col(t, "Runtime", "runtime", TFIT_ALIGN_LEFT);
	}
}

static size_t lead_cells(const struct tfit_compare_report *rep, int multi, int runtime,
			 const struct tfit_compare_row *row, const struct tfit_fit_result *r,
			 struct tfit_table *t, size_t k)
{
	size_t c = 0;
	if (multi || rep->csv_columns)
		tfit_table_set(t, k, c++, row_label(row), NULL);
	if (rep->csv_columns)
		tfit_table_set(t, k, c++, row->file ? row->file : "", NULL);
	tfit_table_set(t, k, c++, r->device->id, NULL);
	if (rep->csv_columns) {
		tfit_table_set(t, k, c++, r->device->name ? r->device->name : "", NULL);
		if (runtime)
			tfit_table_set(t, k, c++, r->runtime, NULL);
	}
	return c;
}

/* One row per model that could not be read and per model-board pair that
 * could not be compared: its label, file and board, the verdict "error"
 * (the message in CSV, and as a note). */
static void error_list(const struct tfit_compare_report *rep, const struct tfit_compare_error *list,
		       size_t n, int multi, struct tfit_table *t, size_t verdict_col)
{
	size_t i;
	for (i = 0; i < n; i++) {
		const struct tfit_compare_error *e = &list[i];
		size_t k = tfit_table_add_row(t), c = 0;
		char raw[600];
		if (multi || rep->csv_columns)
			tfit_table_set(t, k, c++, error_label(e), NULL);
		if (rep->csv_columns)
			tfit_table_set(t, k, c++, e->file, NULL);
		if (e->device) {
			tfit_table_set(t, k, c++, e->device->id, NULL);
			if (rep->csv_columns)
				tfit_table_set(t, k, c, e->device->name ? e->device->name : "", NULL);
		} else {
			tfit_table_set(t, k, c, "-", "");
		}
		snprintf(raw, sizeof(raw), "error: %s", e->message);
		tfit_table_set(t, k, verdict_col, "error", raw);
		tfit_table_set_style(t, k, verdict_col, TFIT_STYLE_BAD);
		tfit_table_add_note(t, "Not compared: %s", e->message);
	}
}

static void error_rows(const struct tfit_compare_report *rep, int multi, struct tfit_table *t,
		       size_t verdict_col)
{
	error_list(rep, rep->errors, rep->n_errors, multi, t, verdict_col);
	error_list(rep, rep->pair_errors, rep->n_pair_errors, multi, t, verdict_col);
}

/* check's CSV: the advice options in their rank, as the text report
 * numbers them ("1. fits after ...; 2. use rpi_pico ..."); empty when it
 * fits. */
static void advice_cell(const struct tfit_fit_advice *a, struct tfit_table *t, size_t row,
			size_t col)
{
	struct tfit_strbuf b;
	uint32_t i;
	tfit_strbuf_init(&b);
	for (i = 0; a && i < a->n_options; i++)
		tfit_strbuf_printf(&b, "%s%u. %s", i ? "; " : "", i + 1, a->options[i].text);
	tfit_table_set(t, row, col, b.buf ? b.buf : "", NULL);
	if (b.oom)
		t->oom = 1;
	tfit_strbuf_release(&b);
}

/* The gates that failed on r: "arena, latency" ("arena;latency" in CSV),
 * "pass" when all hold. */
static void gates_cell(const struct tfit_compare_report *rep, const struct tfit_fit_result *r,
		       struct tfit_table *t, size_t row, size_t col)
{
	char text[160] = "", raw[160] = "";
	size_t i, n = 0;
	for (i = 0; i < rep->n_gates; i++) {
		const struct tfit_gate_result *g = &rep->gates[i];
		size_t tl = strlen(text), rl = strlen(raw);
		if (g->result != r || g->pass)
			continue;
		snprintf(text + tl, sizeof(text) - tl, "%s%s", n ? ", " : "FAIL: ", tfit_gate_kind_id(g->kind));
		snprintf(raw + rl, sizeof(raw) - rl, "%s%s", n ? ";" : "", tfit_gate_kind_id(g->kind));
		n++;
	}
	tfit_table_set(t, row, col, n ? text : "pass", raw);
	tfit_table_set_style(t, row, col, n ? TFIT_STYLE_BAD : TFIT_STYLE_GOOD);
}

/* What was planned, in each runtime's words (terms.title), each once:
 * "TFLM's arena", "TFLM's arena / X-CUBE-AI's activations". */
static void planned_title(const struct tfit_compare_report *rep, char *buf, size_t size)
{
	size_t i, j, len = 0;
	buf[0] = '\0';
	for (i = 0; i < rep->n_rows; i++) {
		const struct tfit_fit_result *r = rep->rows[i].planned;
		int seen = 0, n;
		if (!r || r->memory_unknown || !r->terms.title[0])
			continue;
		for (j = 0; j < i && !seen; j++)
			seen = rep->rows[j].planned && !rep->rows[j].planned->memory_unknown &&
			       strcmp(rep->rows[j].planned->terms.title, r->terms.title) == 0;
		if (seen)
			continue;
		n = snprintf(buf + len, size - len, "%s%s", len ? " / " : "", r->terms.title);
		if (n < 0 || (size_t)n >= size - len)
			break;
		len += (size_t)n;
	}
	if (!len) /* no planned row (errors only) */
		snprintf(buf, size, "%s", tfit_runtime_terms_generic()->title);
}

/* Each runtime's own words for its figures (terms.note), once per runtime. */
static void runtime_terms_note(const struct tfit_compare_report *rep, struct tfit_table *t)
{
	struct tfit_strbuf b;
	size_t i, j;
	tfit_strbuf_init(&b);
	for (i = 0; i < rep->n_rows; i++) {
		const struct tfit_fit_result *r = rep->rows[i].planned;
		int seen = 0;
		if (!r || r->memory_unknown || !r->terms.note[0])
			continue;
		for (j = 0; j < i && !seen; j++)
			seen = rep->rows[j].planned && !rep->rows[j].planned->memory_unknown &&
			       strcmp(rep->rows[j].planned->terms.note, r->terms.note) == 0;
		if (!seen)
			tfit_strbuf_printf(&b, "%s%s", b.len ? "; " : "", r->terms.note);
	}
	if (b.len)
		tfit_table_add_note(t, "%s.", b.buf);
	tfit_strbuf_release(&b);
}

static void summary(const struct tfit_compare_report *rep, int textbook, struct tfit_table *t)
{
	size_t i, q, fit = 0, n = 0, priced = 0;
	int multi = rep->n_models + rep->n_errors > 1;
	const struct tfit_compare_row *cheap = NULL, *fast = NULL, *room = NULL;
	for (i = 0; i < rep->n_rows; i++) {
		const struct tfit_compare_row *row = &rep->rows[i];
		const struct tfit_fit_result *r = textbook ? row->textbook : row->planned;
		if (!r)
			continue;
		n++;
		if (r->device->price_usd > 0)
			priced++;
		if (!r->fits)
			continue;
		fit++;
		if (r->device->price_usd > 0 &&
		    (!cheap || r->device->price_usd < (textbook ? cheap->textbook : cheap->planned)->device->price_usd))
			cheap = row;
		if (!textbook && !isnan(row->latency_ms) && (!fast || row->latency_ms < fast->latency_ms))
			fast = row;
		if (!room || headroom(r) < headroom(textbook ? room->textbook : room->planned))
			room = row;
	}
	for (i = 0; i < rep->n_hidden; i++)
		n += (textbook ? rep->hidden[i].textbook : rep->hidden[i].planned) != NULL;
	{
		size_t failed = tfit_gates_failed(rep->gates, rep->n_gates, NULL);
		if (failed)
			tfit_table_add_note(t, "%zu of %zu %s fit%s, but %zu of %zu gates failed (see Gates): the check fails.",
					    fit, n, rep->n_models > 1 ? "model-board pairs" : "boards",
					    textbook ? " by the course formulas" : "", failed, rep->n_gates);
		else
			tfit_table_add_note(t, "%zu of %zu %s fit%s%s.", fit, n,
					    rep->n_models > 1 ? "model-board pairs" : "boards",
					    textbook ? " by the course formulas" : "",
					    rep->gates_given ? " and every gate holds" : "");
		if (rep->n_hidden) {
			/* --fits-only: the rows left out still count; a few are
			 * named, many are counted by verdict */
			char list[1024] = "";
			size_t k, len = 0, shown = 0, by[4] = { 0, 0, 0, 0 };
			for (k = 0; k < rep->n_hidden; k++) {
				const struct tfit_compare_row *h = &rep->hidden[k];
				const struct tfit_fit_result *r = textbook ? h->textbook : h->planned;
				if (!r)
					continue;
				by[r->verdict <= TFIT_VERDICT_UNKNOWN ? r->verdict : TFIT_VERDICT_UNKNOWN]++;
				if (rep->n_hidden <= 8 && len + 1 < sizeof(list)) {
					len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s%s%s (%s)",
								shown++ ? ", " : "", multi ? row_label(h) : "",
								multi ? " on " : "", r->device->id,
								tfit_verdict_name(r->verdict));
					if (len >= sizeof(list))
						len = sizeof(list) - 1;
				}
			}
			if (rep->n_hidden > 8)
				snprintf(list, sizeof(list), "%zu that do not fit, %zu that do not run, "
					 "%zu unknown", by[TFIT_VERDICT_DOES_NOT_FIT],
					 by[TFIT_VERDICT_DOES_NOT_RUN], by[TFIT_VERDICT_UNKNOWN]);
			tfit_table_add_note(t, "Not shown (--fits-only): %s; JSON lists them under \"hidden\".",
					    list);
		}
		if (rep->n_errors)
			tfit_table_add_note(t, "%zu of %zu models could not be read (see Not compared): "
					    "the comparison is incomplete (exit code 2).",
					    rep->n_errors, rep->n_errors + rep->n_models);
		if (rep->n_pair_errors)
			tfit_table_add_note(t, "%zu of %zu %s could not be compared (see Not compared): "
					    "the comparison is incomplete (exit code 2).",
					    rep->n_pair_errors, n + rep->n_pair_errors,
					    rep->n_models > 1 ? "model-board pairs" : "boards");
	}
	/* a board without the region --arena-in/--weights-in named: say why */
	for (i = 0; i < rep->n_rows; i++) {
		const struct tfit_fit_result *r = textbook ? rep->rows[i].textbook : rep->rows[i].planned;
		if (r && r->placement_missing && r->reason[0])
			tfit_table_add_note(t, "%s: %s (%s).", r->device->id, tfit_verdict_name(r->verdict),
					    r->reason);
	}
	/* does not fit on chip, but does in the board's own external memory,
	 * then: does after `tinyfit optimize` (check's advice, the same
	 * sentences) */
	for (q = 0; q < 2; q++) {
		for (i = 0; !textbook && i < rep->n_rows; i++) {
			const struct tfit_compare_row *row = &rep->rows[i];
			const struct tfit_fit_option *op = q == 0 ? row->external : row->optimize;
			if (row->planned && op)
				tfit_table_add_note(t, "%s%s%s: %s.", multi ? row_label(row) : "",
						    multi ? " on " : "", row->planned->device->id,
						    op->text);
		}
	}
	/* with several models every line names the model as well as the board */
	if (cheap) {
		const struct tfit_fit_result *r = textbook ? cheap->textbook : cheap->planned;
		/* say how many boards had a price to compare: most profiles have none */
		tfit_table_add_note(t, "Cheapest that fits (among %zu priced %s%s of %zu): %s%s%s (%s, $%.2f).",
				    priced, rep->n_models > 1 ? "model-board pair" : "board", priced == 1 ? "" : "s", n,
				    multi ? row_label(cheap) : "", multi ? " on " : "", r->device->id,
				    r->device->name, r->device->price_usd);
	}
	if (fast) {
		char ms[32];
		tfit_table_add_note(t, "Fastest that fits: %s%s%s (%s, estimated).", multi ? row_label(fast) : "",
				    multi ? " on " : "", fast->planned->device->id,
				    tfit_units_format_ms(fast->latency_ms, ms, sizeof(ms)));
	}
	if (room) {
		const struct tfit_fit_result *r = textbook ? room->textbook : room->planned;
		tfit_table_add_note(t, "Most headroom: %s%s%s (flash %.1f%%, %s %.1f%% used).",
				    multi ? row_label(room) : "", multi ? " on " : "", r->device->id,
				    r->flash_percent, textbook ? "RAM" : "SRAM", r->sram_percent);
	}
}

const char *tfit_power_scope_text(const char *scope)
{
	return scope ? scope : "unstated";
}

const char *tfit_energy_text(double energy_mj, const char *power_scope, char *buf, size_t size)
{
	if (isnan(energy_mj))
		snprintf(buf, size, "\xE2\x80\x93");
	else
	{
		char mj[64];
		snprintf(buf, size, "%s mJ (%s%s)", tfit_units_format_sig(energy_mj, 3, mj, sizeof(mj)),
			 power_scope ? "" : "scope ", tfit_power_scope_text(power_scope));
	}
	return buf;
}

void tfit_compare_table_planned(const struct tfit_compare_report *rep, struct tfit_table *t)
{
	size_t i, c, verdict_col;
	int multi = rep->n_models + rep->n_errors > 1;
	char title[512];
	size_t boards = (rep->n_rows + rep->n_hidden + rep->n_pair_errors) /
			(rep->n_models ? rep->n_models : 1);
	char planned[192];
	planned_title(rep, planned, sizeof(planned));
	if (multi || !rep->n_models)
		snprintf(title, sizeof(title), "%zu models on %zu board%s (planned: %s)",
			 rep->n_models + rep->n_errors, boards, boards == 1 ? "" : "s", planned);
	else
		snprintf(title, sizeof(title), "%s on %zu board%s (planned: %s)",
			 rep->labels && rep->labels[0] ? rep->labels[0] :
			 rep->models[0]->name ? rep->models[0]->name : "model", boards,
			 boards == 1 ? "" : "s", planned);
	tfit_table_init(t, title);
	lead_cols(rep, multi, 1, t);
	tfit_table_add_col(t, "Core", "core", TFIT_ALIGN_LEFT);
	tfit_table_add_col(t, "MHz", "clock_mhz", TFIT_ALIGN_RIGHT);
	tfit_table_add_col(t, "Flash used", "flash_used_bytes", TFIT_ALIGN_RIGHT);
	tfit_table_add_col(t, "Flash", "flash_available_bytes", TFIT_ALIGN_RIGHT);
	tfit_table_add_col(t, "Flash %", "flash_used_percent", TFIT_ALIGN_RIGHT);
	tfit_table_add_col(t, "SRAM used", "sram_used_bytes", TFIT_ALIGN_RIGHT);
	tfit_table_add_col(t, "SRAM", "sram_available_bytes", TFIT_ALIGN_RIGHT);
	tfit_table_add_col(t, "SRAM %", "sram_used_percent", TFIT_ALIGN_RIGHT);
	tfit_table_add_col(t, "Arena", "arena_bytes", TFIT_ALIGN_RIGHT);
	tfit_table_add_col(t, "Latency", "latency_ms", TFIT_ALIGN_RIGHT);
	tfit_table_add_col(t, "Energy", "energy_mj", TFIT_ALIGN_RIGHT);
	tfit_table_add_col(t, "Price", "price_usd", TFIT_ALIGN_RIGHT);
	verdict_col = t->n_cols;
	tfit_table_add_col(t, "Verdict", "verdict", TFIT_ALIGN_LEFT);
	tfit_table_add_col(t, "Limiting", "limiting", TFIT_ALIGN_LEFT);
	/* appended, so the columns before keep their places */
	tfit_table_add_col(t, "Latency low", "latency_ms_low", TFIT_ALIGN_RIGHT);
	tfit_table_add_col(t, "Latency high", "latency_ms_high", TFIT_ALIGN_RIGHT);
	tfit_table_add_col(t, "Power scope", "active_power_scope", TFIT_ALIGN_LEFT);
	tfit_table_add_col(t, "Energy lower bound", "energy_lower_bound_mj", TFIT_ALIGN_RIGHT);
	if (rep->gates_given)
		tfit_table_add_col(t, "Gates", "gates_failed", TFIT_ALIGN_LEFT);
	/* last, so every column before keeps its place; the other formats
	 * say the same in the notes under the table */
	tfit_table_add_col(t, "Reason", "reason", TFIT_ALIGN_LEFT);
	tfit_table_set_csv_only(t, t->n_cols - 1);
	/* after it, for the same reason: "--arena-in psram" when the board's
	 * external memory makes it fit (the notes say it for the others) */
	tfit_table_add_col(t, "External memory", "external_memory", TFIT_ALIGN_LEFT);
	tfit_table_set_csv_only(t, t->n_cols - 1);
	/* and after that: check's "fits after `tinyfit optimize`" sentence */
	tfit_table_add_col(t, "Optimize", "optimize", TFIT_ALIGN_LEFT);
	tfit_table_set_csv_only(t, t->n_cols - 1);
	if (rep->advice_column) { /* check: every advice option, ranked */
		tfit_table_add_col(t, "Advice", "advice", TFIT_ALIGN_LEFT);
		tfit_table_set_csv_only(t, t->n_cols - 1);
	}
	set_drop_priorities(t);
	for (i = 0; i < rep->n_rows; i++) {
		const struct tfit_compare_row *row = &rep->rows[i];
		const struct tfit_fit_result *r = row->planned;
		const struct tfit_device *d;
		size_t k;
		if (!r)
			continue;
		d = r->device;
		k = tfit_table_add_row(t);
		c = lead_cells(rep, multi, 1, row, r, t, k);
		tfit_table_set(t, k, c++, d->core ? d->core->display : "?", d->core ? d->core->id : "");
		if (d->clock_mhz > 0)
			sig_cell(t, k, c++, d->clock_mhz, 6);
		else
			tfit_table_set(t, k, c++, "?", "");
		used_cell(t, k, c++, r, r->flash.used_bytes, 1);
		bytes_or_unknown(t, k, c++, r->flash.available_bytes);
		pct_cell(t, k, c++, r->flash_percent);
		used_cell(t, k, c++, r, r->sram.used_bytes, 1);
		bytes_or_unknown(t, k, c++, r->sram.available_bytes);
		pct_cell(t, k, c++, r->sram_percent);
		used_cell(t, k, c++, r, r->sram.arena_bytes, 0);
		latency_cell(t, k, c++, row);
		{
			char text[160], raw[64];
			tfit_energy_text(row->energy_mj, row->power_scope, text, sizeof(text));
			/* CSV: 6 decimals, and at least 6 significant digits below
			 * 1 mJ (0.000000694, not 0.000001 or 6.94e-07) */
			if (isnan(row->energy_mj))
				raw[0] = '\0';
			else if (fabs(row->energy_mj) >= 1.0)
				snprintf(raw, sizeof(raw), "%.6f", row->energy_mj);
			else
				tfit_units_format_sig(row->energy_mj, 6, raw, sizeof(raw));
			tfit_table_set(t, k, c++, text, raw);
		}
		if (d->price_usd > 0) {
			char text[32], raw[32];
			snprintf(text, sizeof(text), "$%.2f", d->price_usd);
			snprintf(raw, sizeof(raw), "%.2f", d->price_usd);
			tfit_table_set(t, k, c++, text, raw);
		} else {
			tfit_table_set(t, k, c++, "?", "");
		}
		tfit_table_set(t, k, c, verdict(r), NULL);
		tfit_table_set_style(t, k, c++, r->fits ? TFIT_STYLE_GOOD :
				     r->verdict == TFIT_VERDICT_UNKNOWN ? TFIT_STYLE_UNKNOWN : TFIT_STYLE_BAD);
		{
			char lim[96];
			tfit_table_set(t, k, c++, tfit_fit_limiting_text(r, lim, sizeof(lim)),
				       tfit_resource_name(r->limiting));
		}
		ms_cell(t, k, c++, row->interval_pct > 0 ? row->latency_ms_low : NAN);
		ms_cell(t, k, c++, row->interval_pct > 0 ? row->latency_ms_high : NAN);
		if (isnan(row->energy_mj))
			tfit_table_set(t, k, c++, "\xE2\x80\x93", "");
		else
			tfit_table_set(t, k, c++, tfit_power_scope_text(row->power_scope), NULL);
		if (isnan(row->energy_lower_bound_mj)) {
			tfit_table_set(t, k, c++, "\xE2\x80\x93", "");
		} else {
			char text[80], raw[64];
			snprintf(text, sizeof(text), "%s mJ",
				 tfit_units_format_sig(row->energy_lower_bound_mj, 3, raw, sizeof(raw)));
			snprintf(raw, sizeof(raw), "%.9f", row->energy_lower_bound_mj);
			tfit_table_set(t, k, c++, text, raw);
		}
		if (rep->gates_given)
			gates_cell(rep, r, t, k, c++);
		tfit_table_set(t, k, c++, r->reason, NULL);
		if (row->external) {
			char flag[96];
			/* "arena in psram": no leading '-' (a CSV cell would be quoted as a formula) */
			snprintf(flag, sizeof(flag), "%s in %s",
				 strstr(row->external->option, "arena") ? "arena" : "weights",
				 row->external->region);
			tfit_table_set(t, k, c++, flag, NULL);
		} else {
			tfit_table_set(t, k, c++, "", NULL);
		}
		tfit_table_set(t, k, c++, row->optimize ? row->optimize->text : "", NULL);
		if (rep->advice_column)
			advice_cell(row->advice, t, k, c++);
	}
	error_rows(rep, multi, t, verdict_col);
	summary(rep, 0, t);
	tfit_table_add_note(t, "Flash used = the model as the runtime stores it + runtime code (runtime profile: "
			       "measured on one build, or estimated) + firmware reserve; SRAM used = the runtime's "
			       "working buffer + its own RAM + reserve; KiB = 1024 bytes.");
	runtime_terms_note(rep, t);
	tfit_table_add_note(t, "Latency and energy are estimates: per-op cycles from the runtime's calibrated "
			       "per-core cost tables (docs/latency-model.md); - = no estimate (no clock or no cost "
			       "table for the core). Energy = the profile's sourced active power x latency, "
			       "of the board or of the chip alone as Power scope says; \xE2\x80\x93 = the profile "
			       "has no power figure. Energy lower bound = per-operation energy (45 nm figures: "
			       "MACs and SRAM traffic only), a different quantity: never compare it with Energy.");
}

void tfit_compare_table_textbook(const struct tfit_compare_report *rep, struct tfit_table *t)
{
	size_t i, c, verdict_col;
	int multi = rep->n_models + rep->n_errors > 1;
	double mult = 0, eff = 0;
	char title[512];
	snprintf(title, sizeof(title), "%s (textbook: the course formulas)",
		 multi || !rep->n_models ? "models" :
		 rep->labels && rep->labels[0] ? rep->labels[0] :
		 (rep->models[0]->name ? rep->models[0]->name : "model"));
	tfit_table_init(t, title);
	lead_cols(rep, multi, 0, t);
	tfit_table_add_col(t, "CPU MHz", "clock_mhz", TFIT_ALIGN_RIGHT);
	tfit_table_add_col(t, "RAM (KiB)", "ram_bytes", TFIT_ALIGN_RIGHT);
	tfit_table_add_col(t, "Model size (KiB)", "model_size_bytes", TFIT_ALIGN_RIGHT);
	tfit_table_add_col(t, "Required RAM (KiB)", "required_ram_bytes", TFIT_ALIGN_RIGHT);
	tfit_table_add_col(t, "RAM usage %", "ram_usage_percent", TFIT_ALIGN_RIGHT);
	tfit_table_add_col(t, "Latency", "latency_ms", TFIT_ALIGN_RIGHT);
	verdict_col = t->n_cols;
	tfit_table_add_col(t, "Compatible", "compatible", TFIT_ALIGN_LEFT);
	if (rep->gates_given && !rep->show_planned)
		tfit_table_add_col(t, "Gates", "gates_failed", TFIT_ALIGN_LEFT);
	set_drop_priorities(t);
	for (i = 0; i < rep->n_rows; i++) {
		const struct tfit_compare_row *row = &rep->rows[i];
		const struct tfit_fit_result *r = row->textbook;
		char text[48], raw[48];
		size_t k;
		if (!r)
			continue;
		mult = r->arena_multiplier;
		eff = r->efficiency;
		k = tfit_table_add_row(t);
		c = lead_cells(rep, multi, 0, row, r, t, k);
		if (r->device->clock_mhz > 0)
			sig_cell(t, k, c++, r->device->clock_mhz, 6);
		else
			tfit_table_set(t, k, c++, "?", "");
		/* the course prints KB = 1024 bytes with two decimals */
		snprintf(text, sizeof(text), "%.2f", (double)r->sram.available_bytes / 1024.0);
		snprintf(raw, sizeof(raw), "%llu", (unsigned long long)r->sram.available_bytes);
		tfit_table_set(t, k, c++, r->sram.available_bytes ? text : "?", raw);
		snprintf(text, sizeof(text), "%.2f", r->textbook_model_bytes / 1024.0);
		snprintf(raw, sizeof(raw), "%.2f", r->textbook_model_bytes);
		tfit_table_set(t, k, c++, text, raw);
		snprintf(text, sizeof(text), "%.2f", r->textbook_ram_bytes / 1024.0);
		snprintf(raw, sizeof(raw), "%.2f", r->textbook_ram_bytes);
		tfit_table_set(t, k, c++, text, raw);
		pct_cell(t, k, c++, r->sram.available_bytes ?
			 r->textbook_ram_bytes * 100.0 / (double)r->sram.available_bytes : NAN);
		ms_cell(t, k, c++, r->textbook_latency_ms);
		tfit_table_set(t, k, c, r->fits ? "yes" : "no", NULL);
		tfit_table_set_style(t, k, c++, r->fits ? TFIT_STYLE_GOOD : TFIT_STYLE_BAD);
		if (rep->gates_given && !rep->show_planned)
			gates_cell(rep, r, t, k, c++);
	}
	if (!rep->show_planned)
		error_rows(rep, multi, t, verdict_col);
	summary(rep, 1, t);
	{
		char m_text[64], e_text[64];
		tfit_table_add_note(t, "Course formulas: model size = params x bytes per param; required RAM = model size x %s; "
				       "latency = 2 x MACs / (MHz x 10^6 x %s); compatible when model size <= flash and "
				       "required RAM <= RAM (device totals); KiB = 1024 bytes.",
				    tfit_units_format_sig(mult, 2, m_text, sizeof(m_text)),
				    tfit_units_format_sig(eff, 2, e_text, sizeof(e_text)));
	}
}

/* Append b's method-specific columns to a (same rows, same order). */
static void join_textbook(struct tfit_table *a, const struct tfit_table *b)
{
	struct tfit_table j;
	size_t r, c, skip = 0;
	/* b's leading model/file/device/MHz columns repeat a's */
	while (skip < b->n_cols && b->cols[skip].key &&
	       (!strcmp(b->cols[skip].key, "model") || !strcmp(b->cols[skip].key, "file") ||
		!strcmp(b->cols[skip].key, "device") || !strcmp(b->cols[skip].key, "device_name") ||
		!strcmp(b->cols[skip].key, "clock_mhz")))
		skip++;
	tfit_table_init(&j, a->title);
	for (c = 0; c < a->n_cols; c++) {
		tfit_table_add_col(&j, a->cols[c].title, a->cols[c].key, a->cols[c].align);
		if (a->cols[c].csv_only)
			tfit_table_set_csv_only(&j, c);
	}
	for (c = skip; c < b->n_cols; c++) {
		char key[96];
		snprintf(key, sizeof(key), "textbook_%s", b->cols[c].key ? b->cols[c].key : "value");
		tfit_table_add_col(&j, b->cols[c].title, key, b->cols[c].align);
	}
	for (r = 0; r < a->n_rows; r++) {
		size_t k = tfit_table_add_row(&j);
		for (c = 0; c < a->n_cols; c++) {
			const struct tfit_table_cell *x = tfit_table_cell(a, r, c);
			tfit_table_set(&j, k, c, x->text, x->raw);
		}
		/* a's error rows (after its results) have no textbook figures */
		for (c = skip; r < b->n_rows && c < b->n_cols; c++) {
			const struct tfit_table_cell *x = tfit_table_cell(b, r, c);
			tfit_table_set(&j, k, a->n_cols + c - skip, x->text, x->raw);
		}
	}
	set_drop_priorities(&j);
	if (j.oom)
		a->oom = 1;
	tfit_table_release(a);
	*a = j;
}

void tfit_render_compare(const struct tfit_compare_report *rep_in, enum tfit_format fmt,
			 const struct tfit_render_opts *o, struct tfit_strbuf *out)
{
	struct tfit_table a, b;
	struct tfit_compare_report copy = *rep_in;
	const struct tfit_compare_report *rep = &copy;
	copy.csv_columns = fmt == TFIT_FORMAT_CSV;
	switch (fmt) {
	case TFIT_FORMAT_TEXT:
	case TFIT_FORMAT_MARKDOWN:
	case TFIT_FORMAT_CSV:
	case TFIT_FORMAT_HTML:
		break; /* the tables below */
	case TFIT_FORMAT_JSON:
		tfit_render_compare_json(rep, out);
		return;
	case TFIT_FORMAT_SVG:   /* a comparison has no picture */
	case TFIT_FORMAT_COUNT: /* not a format; no default: a new format must be handled here */
		return;
	}
	if (rep->show_planned)
		tfit_compare_table_planned(rep, &a);
	if (rep->show_textbook)
		tfit_compare_table_textbook(rep, &b);
	if (fmt == TFIT_FORMAT_HTML) {
		tfit_render_compare_html(rep, rep->show_planned ? &a : NULL,
					 rep->show_textbook ? &b : NULL, o, out);
	} else if (fmt == TFIT_FORMAT_CSV && rep->show_planned && rep->show_textbook) {
		/* one CSV, one header row: the course's columns joined on */
		join_textbook(&a, &b);
		tfit_render_table_csv(&a, o, out);
	} else {
		if (rep->show_planned)
			tfit_render_table(&a, fmt, o, out);
		if (rep->show_planned && rep->show_textbook)
			tfit_strbuf_puts(out, "\n");
		if (rep->show_textbook)
			tfit_render_table(&b, fmt, o, out);
		tfit_render_gates(rep->gates, rep->n_gates, rep->n_models > 1, fmt, o, out);
	}
	if (rep->show_planned) {
		if (a.oom)
			out->oom = 1;
		tfit_table_release(&a);
	}
	if (rep->show_textbook) {
		if (b.oom)
			out->oom = 1;
		tfit_table_release(&b);
	}
}
