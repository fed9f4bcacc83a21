/*
 * html_regions.c - check's HTML: one bar per memory limit the verdict
 * checks (fit/verdict.c): the firmware image against the app slot of its
 * flash region, everything in on-chip RAM against the RAM total, the arena
 * (and the model, with --weights-in there) against the usable size of the
 * arena's region, the model against the usable size of its --weights-in
 * region. Each bar is drawn against the region's physical size with the
 * usable size as a line, so the platform's share is visible; the limit
 * with the least room (the verdict's "limiting", the one that binds) is
 * outlined and says so in words.
 */
#include "draw.h"

#include <stdio.h>

#include "tinyfit/fit.h"
#include "tinyfit/units.h"

struct limit {
	enum tfit_resource res;
	const char *what;          /* "app slot", "RAM total", "arena region" */
	const char *region;        /* the region's name, or NULL */
	const char *kind;          /* its kind, or NULL */
	uint64_t used_bytes;
	uint64_t usable_bytes;     /* 0 = unknown */
	uint64_t physical_bytes;   /* 0 = unknown or the same as usable */
	const char *parts;         /* what is counted, in words */
	const char *unknown;       /* a part outside the runtime's data (fit.h, runtime_outside):
				      used_bytes is then the known rest, a lower bound; or NULL */
};

/* used without the runtime's term when that term is unknown */
static uint64_t known_part(const struct tfit_fit_result *r, uint64_t used, uint64_t term)
{
	return !r->runtime_outside ? used : used >= term ? used - term : 0;
}

/* words[k] holds limit k's parts, in the runtime's words (terms). */
static size_t limits_of(const struct tfit_fit_result *r, struct limit *l, char words[4][192])
{
	const struct tfit_fit_terms *t = &r->terms;
	size_t n = 0;
	if (r->flash.model_in_image)
		snprintf(words[0], 192, "%s + %s + firmware reserve", t->model, t->code);
	else
		snprintf(words[0], 192, "%s + firmware reserve (the %s is stored elsewhere)", t->code,
			 t->model);
	l[n] = (struct limit){ TFIT_RES_FLASH, "app slot", r->flash.region_name[0] ? r->flash.region_name : NULL,
			       NULL, known_part(r, r->flash.used_bytes, r->flash.runtime_bytes),
			       r->flash.available_bytes, r->flash.region_bytes, words[0],
			       r->runtime_outside ? t->code : NULL };
	n++;
	if (r->sram.region_external)
		snprintf(words[1], 192, "%s + reserve (the %s is in external RAM)", t->state, t->arena);
	else
		snprintf(words[1], 192, "%s + %s + reserve", t->arena, t->state);
	l[n] = (struct limit){ TFIT_RES_SRAM, "on-chip RAM total", NULL, NULL,
			       known_part(r, r->sram.used_bytes, r->sram.runtime_bytes),
			       r->sram.available_bytes, 0, words[1],
			       r->runtime_outside ? t->state : NULL };
	n++;
	if (r->method != TFIT_METHOD_PLANNED || !r->sram.region_name[0])
		return n;
	if (r->weights.same_as_arena)
		snprintf(words[2], 192, "%s + %s (--weights-in)", t->arena, t->model);
	else
		snprintf(words[2], 192, "%s", t->arena);
	l[n] = (struct limit){ TFIT_RES_ARENA_REGION, "arena region", r->sram.region_name,
			       tfit_mem_kind_name(r->sram.region_kind), r->sram.region_used_bytes,
			       r->sram.region_bytes, r->sram.region_size_bytes, words[2], NULL };
	n++;
	if (r->weights.placed && !r->weights.same_as_arena) {
		snprintf(words[3], 192, "%s (--weights-in)", t->model);
		l[n] = (struct limit){ TFIT_RES_WEIGHTS_REGION, "weights region", r->weights.region_name,
				       tfit_mem_kind_name(r->weights.region_kind), r->weights.used_bytes,
				       r->weights.available_bytes, r->weights.region_bytes, words[3], NULL };
		n++;
	}
	return n;
}

void tfit_render_region_bars_html(const struct tfit_fit_result *r, const char *id, struct tfit_strbuf *out)
{
	/* label column, bar, figures to the right */
	const double left = 190, w = 380, rowh = 34, bh = 16;
	struct limit l[4];
	char words[4][192];
	size_t n = limits_of(r, l, words), i;
	char a[32], b[32], c[32];
	if (r->memory_unknown)
		return;
	tfit_strbuf_printf(out, "<svg class=\"regions\" width=\"%.0f\" height=\"%.0f\" role=\"img\" "
			   "aria-labelledby=\"%s-t\"><title id=\"%s-t\">Memory limits checked: ", left + w + 260,
			   rowh * (double)n + 8, id, id);
	for (i = 0; i < n; i++) {
		tfit_strbuf_printf(out, "%s%s", i ? "; " : "", l[i].what);
		if (l[i].region) {
			tfit_strbuf_puts(out, " ");
			tfit_html_escape(out, l[i].region);
		}
		tfit_strbuf_printf(out, " %s%s of %s%s", l[i].unknown ? "at least " : "",
				   tfit_units_format_bytes(l[i].used_bytes, a, sizeof(a)),
				   l[i].usable_bytes ? tfit_units_format_bytes(l[i].usable_bytes, b, sizeof(b))
				   : "unknown", r->limiting == l[i].res ? " (limiting)" : "");
	}
	tfit_strbuf_puts(out, "</title>\n<g font-size=\"12\">\n");
	for (i = 0; i < n; i++) {
		const struct limit *x = &l[i];
		double y = 4 + rowh * (double)i, scale, uw, pw;
		int binding = r->limiting == x->res;
		int over = x->usable_bytes && x->used_bytes > x->usable_bytes;
		uint64_t top = x->used_bytes;
		if (x->usable_bytes > top)
			top = x->usable_bytes;
		if (x->physical_bytes > top)
			top = x->physical_bytes;
		scale = top ? w / (double)top : 0;
		/* the label: what and where, "binding" in words for the limit
		 * that decides */
		tfit_strbuf_printf(out, "<text x=\"0\" y=\"%.1f\"%s>%s", y + 12,
				   binding ? " font-weight=\"bold\"" : "", x->what);
		if (x->region) {
			tfit_strbuf_puts(out, " &#39;");
			tfit_html_escape(out, x->region);
			tfit_strbuf_puts(out, "&#39;");
		}
		tfit_strbuf_puts(out, "</text>");
		if (x->kind || binding)
			tfit_strbuf_printf(out, "<text x=\"0\" y=\"%.1f\" font-size=\"10\" fill=\"#444\">%s%s%s</text>",
					   y + 25, x->kind ? x->kind : "", x->kind && binding ? ", " : "",
					   binding ? "limiting (the verdict&#39;s)" : "");
		tfit_strbuf_puts(out, "\n");
		/* the physical size (outline), the usable size (line), the
		 * used bytes (fill; over the usable size hatched) */
		if (x->physical_bytes)
			tfit_strbuf_printf(out, "<rect x=\"%.0f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\" "
					   "fill=\"#f2f2f2\" stroke=\"#999\"><title>physical size %s</title></rect>\n",
					   left, y, (double)x->physical_bytes * scale, bh,
					   tfit_units_format_bytes(x->physical_bytes, a, sizeof(a)));
		uw = over ? (double)x->usable_bytes * scale : (double)x->used_bytes * scale;
		tfit_strbuf_printf(out, "<rect x=\"%.0f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\" fill=\"%s\">"
				   "<title>%s: %s%s</title></rect>\n", left, y, uw, bh, binding ? "#1f4e79" : "#1f78b4",
				   x->parts, x->unknown ? "at least " : "",
				   tfit_units_format_bytes(x->used_bytes, a, sizeof(a)));
		if (over) {
			pw = (double)(x->used_bytes - x->usable_bytes) * scale;
			tfit_strbuf_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\" "
					   "fill=\"url(#%s-over)\" stroke=\"#a30000\"><title>over the usable size by "
					   "%s</title></rect>\n", left + uw, y, pw, bh, id,
					   tfit_units_format_bytes(x->used_bytes - x->usable_bytes, a, sizeof(a)));
		}
		if (x->usable_bytes) {
			double ux = left + (double)x->usable_bytes * scale;
			tfit_strbuf_printf(out, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#000\" "
					   "stroke-width=\"2\"><title>usable %s</title></line>\n", ux, ux, y - 2,
					   y + bh + 2, tfit_units_format_bytes(x->usable_bytes, a, sizeof(a)));
		}
		if (binding)
			tfit_strbuf_printf(out, "<rect x=\"%.0f\" y=\"%.1f\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" "
					   "stroke=\"#000\" stroke-width=\"1.5\" stroke-dasharray=\"4 2\"/>\n",
					   left - 3, y - 3, w + 6, bh + 6);
		/* the figures in words */
		tfit_strbuf_printf(out, "<text x=\"%.0f\" y=\"%.1f\">%s%s of %s", left + w + 12, y + 12,
				   x->unknown ? "at least " : "",
				   tfit_units_format_bytes(x->used_bytes, a, sizeof(a)),
				   x->usable_bytes ? tfit_units_format_bytes(x->usable_bytes, b, sizeof(b)) : "? (usable unknown)");
		if (x->unknown)
			tfit_strbuf_printf(out, " (%s unknown)", x->unknown);
		else if (x->usable_bytes)
			tfit_strbuf_printf(out, " (%.1f%%)", (double)x->used_bytes * 100.0 / (double)x->usable_bytes);
		tfit_strbuf_puts(out, "</text>");
		if (x->physical_bytes && x->physical_bytes != x->usable_bytes)
			tfit_strbuf_printf(out, "<text x=\"%.0f\" y=\"%.1f\" font-size=\"10\" fill=\"#444\">physical %s</text>",
					   left + w + 12, y + 25, tfit_units_format_bytes(x->physical_bytes, c, sizeof(c)));
		tfit_strbuf_puts(out, "\n");
	}
	tfit_strbuf_printf(out, "</g>\n<defs><pattern id=\"%s-over\" width=\"6\" height=\"6\" "
			   "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" "
			   "height=\"6\" fill=\"#fff\"/><rect width=\"3\" height=\"6\" fill=\"#a30000\"/></pattern>"
			   "</defs>\n</svg>\n", id);
}
