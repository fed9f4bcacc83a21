/*
 * html_check.c - the per-board sections of `tinyfit check --format html`,
 * after the comparison table: the verdict in words and colour, flash and
 * SRAM as stacked bars by part against the board's capacity, the arena
 * over time (svg_arena.c, once per plan), per-layer latency bars with the
 * slowest ops named, and the advice. Inline SVG only, every name escaped.
 */
#include "draw.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tinyfit/fit.h"
#include "tinyfit/report.h"
#include "tinyfit/units.h"

struct part {
	const char *name;
	uint64_t bytes;
	int unknown;            /* outside the runtime's data: not drawn, named "unknown" */
};

/* Dark and light fills in turn, so parts stay apart in greyscale; each
 * part is also named with its bytes in the legend (not colour alone). */
static const char *const part_fill[] = { "#1f78b4", "#a6cee3", "#33a02c", "#b2df8a", "#e66101" };

static void stacked_bar(struct tfit_strbuf *out, const char *id, const char *what,
			const struct part *parts, size_t n, uint64_t capacity)
{
	const double w = 640, left = 70, bh = 26;
	uint64_t total = 0, scale;
	double x = left;
	size_t i;
	int unknown = 0;
	char a[32], b[32];
	for (i = 0; i < n; i++) {
		if (parts[i].unknown)
			unknown = 1;
		else
			total += parts[i].bytes;
	}
	scale = total > capacity ? total : capacity;
	if (!scale)
		scale = 1;
	tfit_strbuf_printf(out, "<svg class=\"bar\" width=\"%.0f\" height=\"%.0f\" role=\"img\" "
			   "aria-labelledby=\"%s-t\"><title id=\"%s-t\">%s: %s%s used of %s</title>\n",
			   left + w + 160, bh + 24.0 + 16.0 * (double)((n + 2) / 3), id, id, what,
			   unknown ? "unknown, at least " : "",
			   tfit_units_format_bytes(total, a, sizeof(a)),
			   capacity ? tfit_units_format_bytes(capacity, b, sizeof(b)) : "unknown capacity");
	tfit_strbuf_printf(out, "<text x=\"0\" y=\"18\" font-size=\"13\" font-weight=\"bold\">%s</text>\n", what);
	for (i = 0; i < n; i++) {
		double pw = (double)parts[i].bytes * w / (double)scale;
		if (parts[i].unknown)
			continue;
		tfit_strbuf_printf(out, "<rect x=\"%.1f\" y=\"2\" width=\"%.1f\" height=\"%.0f\" fill=\"%s\" "
				   "stroke=\"#fff\" stroke-width=\"1\"><title>%s: %s</title></rect>\n", x, pw, bh,
				   part_fill[i % 5], parts[i].name,
				   tfit_units_format_bytes(parts[i].bytes, a, sizeof(a)));
		x += pw;
	}
	if (capacity) {
		double cx = left + (double)capacity * w / (double)scale;
		tfit_strbuf_printf(out, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"0\" y2=\"%.0f\" stroke=\"#000\" "
				   "stroke-width=\"2\"/><text x=\"%.1f\" y=\"18\" font-size=\"12\">%s %s%s</text>\n",
				   cx, cx, bh + 4, cx + 4, total > capacity ? "capacity" : "of",
				   tfit_units_format_bytes(capacity, a, sizeof(a)),
				   total > capacity ? " (over)" : "");
	}
	for (i = 0; i < n; i++) {
		double lx = left + (double)(i % 3) * 240, ly = bh + 20 + 16.0 * (double)(i / 3);
		/* an unknown part is not in the bar: an empty swatch */
		tfit_strbuf_printf(out, "<rect x=\"%.0f\" y=\"%.0f\" width=\"12\" height=\"10\" fill=\"%s\"%s/>"
				   "<text x=\"%.0f\" y=\"%.0f\" font-size=\"12\">%s %s</text>\n", lx, ly - 9,
				   parts[i].unknown ? "#fff" : part_fill[i % 5],
				   parts[i].unknown ? " stroke=\"#999\"" : "", lx + 16, ly, parts[i].name, parts[i].unknown
				   ? "unknown" : tfit_units_format_bytes(parts[i].bytes, a, sizeof(a)));
	}
	tfit_strbuf_puts(out, "</svg>\n");
}

static void verdict(const struct tfit_fit_result *r, struct tfit_strbuf *out)
{
	if (r->memory_unknown || r->limiting == TFIT_RES_UNKNOWN ||
	    r->limiting == TFIT_RES_MISSING_REGION)
		tfit_strbuf_puts(out, "<p class=\"verdict unknown\">? Unknown: ");
	else if (r->fits)
		tfit_strbuf_puts(out, "<p class=\"verdict good\">&#10003; Fits");
	else
		tfit_strbuf_printf(out, "<p class=\"verdict bad\">&#10007; Does not fit (limiting: %s)",
				   tfit_resource_name(r->limiting));
	if (r->memory_unknown)
		tfit_html_escape(out, r->memory_note);
	else if ((r->limiting == TFIT_RES_UNKNOWN || r->limiting == TFIT_RES_MISSING_REGION) &&
		 r->reason[0])
		tfit_html_escape(out, r->reason); /* the text report's words (verdict.c) */
	else if (r->limiting == TFIT_RES_UNKNOWN)
		tfit_strbuf_puts(out, "the profile lacks a memory figure");
	tfit_strbuf_puts(out, "</p>\n");
}

/* The real-time and battery lines of the text report, one list item each
 * ("realtime PASS: ..." -> "Real time: PASS: ..."), so the page says what
 * the terminal says (issue #18). */
static void rt_battery_html(const struct tfit_check_timing *t, double sleep_mw,
			    struct tfit_strbuf *out)
{
	struct tfit_strbuf lines;
	const char *p;
	tfit_strbuf_init(&lines);
	tfit_check_rt_battery_text(t, sleep_mw, &lines);
	tfit_strbuf_puts(out, "<h3>Real time and battery (estimate)</h3>\n<ul>\n");
	for (p = tfit_strbuf_str(&lines); *p;) {
		const char *end = strchr(p, '\n'), *word, *rest;
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char line[1024];
		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, p, n);
		line[n] = '\0';
		for (word = line; *word == ' '; word++)
			;
		for (rest = word; *rest && *rest != ' '; rest++)
			;
		while (*rest == ' ')
			rest++;
		tfit_strbuf_printf(out, "<li><b>%s</b>: ",
				   strncmp(word, "realtime", 8) == 0 ? "Real time" : "Battery");
		tfit_html_escape(out, rest);
		tfit_strbuf_puts(out, "</li>\n");
		p += n;
		if (*p == '\n')
			p++;
	}
	tfit_strbuf_puts(out, "</ul>\n");
	tfit_strbuf_release(&lines);
}

/* Under a chart that left ops out (issue #17), as the text report says it. */
static void elided_note(uint64_t left_out, uint64_t n_ops, const char *device_id,
			struct tfit_strbuf *out)
{
	tfit_strbuf_puts(out, "<p class=\"elided\">");
	tfit_draw_elided_note(left_out, n_ops, device_id, "<code>", "</code>", 1, out);
	tfit_strbuf_puts(out, ".</p>\n");
}

void tfit_render_check_html(const struct tfit_check_report *rep, struct tfit_strbuf *out)
{
	size_t i, j;
	char id[32];
	for (i = 0; i < rep->n_results; i++) {
		const struct tfit_fit_result *r = &rep->results[i];
		const struct tfit_fit_advice *adv = &rep->advice[i];
		int shown = 0;
		uint64_t left_out;
		if (r->method != TFIT_METHOD_PLANNED)
			continue;
		tfit_strbuf_puts(out, "<section class=\"board\">\n<h2>");
		tfit_html_escape(out, r->device->name);
		tfit_strbuf_puts(out, " <small>[");
		tfit_html_escape(out, r->device->id);
		tfit_strbuf_puts(out, "], runtime ");
		tfit_html_escape(out, r->runtime);
		tfit_strbuf_puts(out, "</small></h2>\n");
		verdict(r, out);
		if (!r->memory_unknown) {
			/* the runtime's own words (its profile's "deploys") */
			int blob = r->terms.model_stored == TFIT_MODEL_STORED_WEIGHTS;
			char head[112], tail[112];
			int out_ = r->runtime_outside;
			struct part fl[4] = { { blob ? r->terms.model : "weights", r->flash.weights_bytes, 0 },
					      { ".tflite container", r->flash.overhead_bytes, 0 },
					      { r->terms.code, r->flash.runtime_bytes, out_ },
					      { "firmware reserve", r->flash.reserve_bytes, 0 } };
			struct part sr[4] = { { head, r->sram.arena_head_bytes, 0 },
					      { tail, r->sram.arena_tail_bytes, 0 },
					      { r->terms.state, r->sram.runtime_bytes, out_ },
					      { "reserve", r->sram.reserve_bytes, 0 } };
			snprintf(head, sizeof(head), "%s %s", r->terms.arena, r->terms.arena_head);
			snprintf(tail, sizeof(tail), "%s %s", r->terms.arena, r->terms.arena_tail);
			if (blob) /* no container: the blob is all of it */
				fl[1] = fl[2], fl[2] = fl[3];
			snprintf(id, sizeof(id), "flash%zu", i);
			stacked_bar(out, id, "Flash", fl, blob ? 3 : 4, r->flash.available_bytes);
			snprintf(id, sizeof(id), "sram%zu", i);
			stacked_bar(out, id, "SRAM", sr, 4, r->sram.available_bytes);
			tfit_strbuf_puts(out, "<h3>Memory limits</h3>\n");
			snprintf(id, sizeof(id), "regions%zu", i);
			tfit_render_region_bars_html(r, id, out);
		}
		if (rep->plans && rep->plans[i]) {
			struct tfit_arena_words w = tfit_arena_words_or_default(
				&(struct tfit_arena_words){ r->terms.arena, r->terms.arena_head,
							    r->terms.title, r->terms.arena_plan });
			for (j = 0; j < i; j++)
				if (rep->plans[j] == rep->plans[i]) {
					tfit_strbuf_puts(out, "<p>");
					tfit_html_escape(out, w.title);
					tfit_strbuf_puts(out, " over time: as for ");
					tfit_html_escape(out, rep->results[j].device->id);
					tfit_strbuf_puts(out, " above (same runtime, same plan).</p>\n");
					shown = 1;
					break;
				}
			if (!shown) {
				tfit_strbuf_puts(out, "<h3>");
				tfit_html_escape(out, w.title);
				tfit_strbuf_puts(out, " over time</h3>\n<figure>");
				snprintf(id, sizeof(id), "arena%zu", i);
				left_out = tfit_render_arena_svg(rep->model, rep->plans[i], r->runtime, &w, id, 0,
								 TFIT_ARENA_TEXT_MAX_ROWS, NULL, out);
				tfit_strbuf_puts(out, "</figure>\n");
				if (left_out)
					elided_note(left_out, (uint64_t)rep->plans[i]->n_times - 1, r->device->id,
						    out);
			}
		}
		if (rep->timing && rep->timing[i].has_latency && rep->timing[i].op_latency_ms) {
			tfit_strbuf_puts(out, "<h3>Latency per layer (estimate)</h3>\n");
			snprintf(id, sizeof(id), "lat%zu", i);
			left_out = tfit_render_latency_html(rep->model, rep->timing[i].op_latency_ms,
							    rep->timing[i].n_ops, rep->timing[i].latency_ms,
							    rep->timing[i].method, id,
							    TFIT_ARENA_TEXT_MAX_ROWS - 1, out);
			if (left_out)
				elided_note(left_out, rep->timing[i].n_ops, r->device->id, out);
		}
		if (rep->timing && (rep->timing[i].has_realtime || rep->timing[i].has_battery))
			rt_battery_html(&rep->timing[i], r->device->sleep_power_mw, out);
		if (!r->fits && (adv->flash_over_bytes || adv->sram_over_bytes || adv->n_options)) {
			char a[32];
			uint32_t k;
			tfit_strbuf_puts(out, "<h3>Advice</h3>\n<ul>\n");
			if (adv->flash_over_bytes)
				tfit_strbuf_printf(out, "<li>flash: %s must go</li>\n",
						   tfit_units_format_bytes(adv->flash_over_bytes, a, sizeof(a)));
			if (adv->sram_over_bytes)
				tfit_strbuf_printf(out, "<li>SRAM: %s must go</li>\n",
						   tfit_units_format_bytes(adv->sram_over_bytes, a, sizeof(a)));
			tfit_strbuf_puts(out, "</ul>\n<ol>\n");
			for (k = 0; k < adv->n_options; k++) {
				tfit_strbuf_puts(out, "<li>");
				tfit_html_escape(out, adv->options[k].text);
				tfit_strbuf_puts(out, "</li>\n");
			}
			tfit_strbuf_puts(out, "</ol>\n");
		}
		tfit_strbuf_puts(out, "</section>\n");
	}
}
