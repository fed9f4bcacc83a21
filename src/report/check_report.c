/*
 * check_report.c - the fit report of `tinyfit check` for people: text (with
 * usage bars) and Markdown. Every number says whether it is exact or an
 * estimate and how it was made.
 */
#include "tinyfit/fit.h"
#include "tinyfit/report.h"
#include "tinyfit/units.h"

#include "draw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static void bar(struct tfit_strbuf *out, double pct, int ascii, int color)
{
	const int width = 20;
	int filled, i;
	/* clamp before converting: a model far over a board's memory gives
	 * percentages beyond INT_MAX, and such a double-to-int conversion is
	 * undefined (found by tests/fuzz, corpus/model_json/native_fits_no_board.json) */
	if (isnan(pct) || pct <= 0.0)
		filled = 0;
	else if (pct >= 100.0)
		filled = width;
	else
		filled = (int)(pct / 100.0 * width + 0.5);
	if (color)
		tfit_strbuf_puts(out, pct > 100.0 ? "\x1b[31m" : pct > 85.0 ? "\x1b[33m" : "\x1b[32m");
	for (i = 0; i < width; i++)
		tfit_strbuf_puts(out, i < filled ? (ascii ? "#" : "\xE2\x96\x88")
						 : (ascii ? "." : "\xE2\x96\x91"));
	if (color)
		tfit_strbuf_puts(out, "\x1b[0m");
}

static const char *b(uint64_t v, char *buf)
{
	return tfit_units_format_bytes(v, buf, 32);
}

static void margin_text(int64_t m, char *buf)
{
	char t[32];
	if (m >= 0)
		snprintf(buf, 48, "%s free", tfit_units_format_bytes((uint64_t)m, t, sizeof(t)));
	else
		snprintf(buf, 48, "%s over", tfit_units_format_bytes((uint64_t)(-(m + 1)) + 1, t, sizeof(t)));
}

static void model_header(const struct tfit_model *m, const char *file, struct tfit_strbuf *out, int md)
{
	char p[40], mac[40], dp[40], w[32];
	if (m->format == TFIT_MODEL_FORMAT_FLAGS) {
		tfit_strbuf_printf(out, "%sbare model%s (from --params, %s): %s params, %s MACs\n",
				   md ? "**" : "", md ? "**" : "", tfit_dtype_name(m->dtype),
				   tfit_units_format_int(m->params, p, sizeof(p)),
				   tfit_units_format_int(m->macs, mac, sizeof(mac)));
		return;
	}
	/* file: the path, filtered by the engine (report.h) */
	if (md) {
		tfit_strbuf_puts(out, "**");
		tfit_md_escape(out, m->name ? m->name : "model");
		tfit_strbuf_puts(out, "** (");
		tfit_md_escape(out, file ? file : tfit_model_format_name(m->format));
	} else {
		tfit_strbuf_printf(out, "%s (%s", m->name ? m->name : "model",
				   file ? file : tfit_model_format_name(m->format));
	}
	tfit_strbuf_printf(out, ", %s): %s params (%s deployed), %s MACs, weights %s\n",
			   tfit_dtype_name(m->dtype),
			   tfit_units_format_int(m->params, p, sizeof(p)),
			   tfit_units_format_int(m->deployed_params, dp, sizeof(dp)),
			   tfit_units_format_int(m->macs, mac, sizeof(mac)),
			   tfit_units_format_bytes(m->weights_bytes, w, sizeof(w)));
}

static void device_line(const struct tfit_fit_result *r, struct tfit_strbuf *out, int md)
{
	const struct tfit_device *d = r->device;
	if (md) {
		tfit_strbuf_puts(out, "### ");
		tfit_md_escape(out, d->name);
		tfit_strbuf_puts(out, " \\[");
		tfit_md_escape(out, d->id);
		tfit_strbuf_puts(out, "\\]: ");
		tfit_md_escape(out, d->core ? d->core->display : "?");
	} else {
		tfit_strbuf_printf(out, "%s [%s]: %s", d->name, d->id, d->core ? d->core->display : "?");
	}
	if (d->clock_mhz > 0) {
		char mhz[64];
		tfit_strbuf_printf(out, " @ %s MHz", tfit_units_format_sig(d->clock_mhz, 6, mhz, sizeof(mhz)));
	}
	if (r->method == TFIT_METHOD_PLANNED)
		tfit_strbuf_printf(out, ", runtime %s", r->runtime);
	tfit_strbuf_printf(out, ", %s method\n", tfit_method_name(r->method));
}

static void verdict_line(const struct tfit_fit_result *r, struct tfit_strbuf *out)
{
	static const char *const upper[] = { "FITS", "DOES NOT FIT", "DOES NOT RUN", "UNKNOWN" };
	tfit_strbuf_printf(out, "  verdict  %s", upper[r->verdict]);
	if (r->reason[0])
		tfit_strbuf_printf(out, ": %s", r->reason);
	else if (r->method == TFIT_METHOD_PLANNED && r->limiting != TFIT_RES_NONE &&
		 r->limiting != TFIT_RES_UNKNOWN)
		tfit_strbuf_printf(out, " (limiting: %s)", tfit_resource_name(r->limiting));
	tfit_strbuf_putc(out, '\n');
}

static const char *slot_text(const struct tfit_fit_flash *f)
{
	switch (f->slot_from) {
	case TFIT_SLOT_PROFILE: return "the profile's usable size (app slot)";
	case TFIT_SLOT_PARTITION: return "--partition";
	case TFIT_SLOT_OTA_PROFILE: return "--ota: one of the profile's two OTA slots";
	case TFIT_SLOT_OTA_HALF: return "--ota: half the usable app space, two equal slots";
	case TFIT_SLOT_TOTAL: return "the physical total";
	case TFIT_SLOT_UNKNOWN: break;
	}
	return "unknown: the profile gives no usable size";
}

static void advice_text(const struct tfit_fit_advice *a, struct tfit_strbuf *out, const char *indent,
			int md)
{
	char t[32];
	uint32_t i;
	if (!a)
		return;
	if (a->flash_over_bytes)
		tfit_strbuf_printf(out, "%sflash: %s must go\n", indent, b(a->flash_over_bytes, t));
	if (a->sram_over_bytes)
		tfit_strbuf_printf(out, "%sSRAM: %s must go\n", indent, b(a->sram_over_bytes, t));
	for (i = 0; i < a->n_options; i++)
		tfit_strbuf_printf(out, "%s%s%u. %s\n", indent, md ? "" : "option ", i + 1, a->options[i].text);
}

/* "  flash    ████░░ 182.52 KiB / 1.00 MiB (17.8%, 841.48 KiB free)" */
static void usage_line(struct tfit_strbuf *out, const char *label, uint64_t used, uint64_t avail,
		       double pct, int64_t margin, const struct tfit_render_opts *o)
{
	char t1[32], t2[32], mg[48];
	tfit_strbuf_puts(out, label);
	bar(out, pct, o->ascii, o->color);
	margin_text(margin, mg);
	if (avail)
		tfit_strbuf_printf(out, " %s / %s (%.1f%%, %s)\n", b(used, t1), b(avail, t2), pct, mg);
	else
		tfit_strbuf_printf(out, " %s / unknown\n", b(used, t1));
}

/* A used total with a term outside the runtime's data (fit.h,
 * runtime_outside): unknown, with the part that is known.
 * "  flash    unknown / 2.00 MiB (at least 88.30 KiB; code flash unknown)" */
static void outside_line(struct tfit_strbuf *out, const char *label, uint64_t used,
			 uint64_t unknown_term, uint64_t avail, const char *term)
{
	char t1[32], t2[32];
	tfit_strbuf_printf(out, "%sunknown / %s (at least %s; %s unknown)\n", label,
			   avail ? b(avail, t1) : "unknown",
			   b(used >= unknown_term ? used - unknown_term : 0, t2), term);
}

static void planned_text(const struct tfit_fit_result *r, const struct tfit_fit_advice *a,
			 const struct tfit_render_opts *o, struct tfit_strbuf *out)
{
	char t1[32], t2[32], t3[32], t4[32], sn[160];
	uint32_t i;
	const char *ind = "           ";
	if (r->memory_unknown) {
		verdict_line(r, out);
		tfit_strbuf_printf(out, "  flash    unknown / %s\n  SRAM     unknown / %s\n",
				   r->flash.available_bytes ? b(r->flash.available_bytes, t1) : "unknown",
				   r->sram.available_bytes ? b(r->sram.available_bytes, t2) : "unknown");
		return;
	}
	verdict_line(r, out);

	if (r->runtime_outside)
		outside_line(out, "  flash    ", r->flash.used_bytes, r->flash.runtime_bytes,
			     r->flash.available_bytes, r->terms.code);
	else
		usage_line(out, "  flash    ", r->flash.used_bytes, r->flash.available_bytes,
			   r->flash_percent, r->flash_margin_bytes, o);
	tfit_strbuf_printf(out, "%sapp slot: %s%s%s%s\n", ind, slot_text(&r->flash),
			   r->flash.region_name[0] ? " of region '" : "", r->flash.region_name,
			   r->flash.region_name[0] ? "'" : "");
	if (r->terms.model_stored == TFIT_MODEL_STORED_WEIGHTS)
		tfit_strbuf_printf(out, "%s%s %s%s%s (the model's constant tensors, the blob the "
				   "runtime generates in place of the model file; estimate)%s\n", ind,
				   r->terms.model, b(r->flash.model_bytes, t1),
				   r->terms.model_constant[0] ? " = " : "", r->terms.model_constant,
				   r->flash.model_in_image ? "" : ", stored outside the image");
	else
		tfit_strbuf_printf(out, "%s%s %s (weights %s + .tflite container %s, %s)%s\n", ind,
				   r->terms.model, b(r->flash.model_bytes, t1),
				   b(r->flash.weights_bytes, t2), b(r->flash.overhead_bytes, t3),
				   r->flash.model_exact ? "exact: the file's size" : "container estimated",
				   r->flash.model_in_image ? "" : ", stored outside the image");
	if (r->runtime_outside)
		tfit_strbuf_printf(out, "%s%s%s unknown (the %s profile's bound does not cover this "
				   "model: see the verdict) + firmware reserve %s\n", ind,
				   r->flash.model_in_image ? "+ " : "image: ", r->terms.code, r->runtime,
				   b(r->flash.reserve_bytes, t2));
	else if (r->flash.runtime_measured_on)
		tfit_strbuf_printf(out, "%s%s%s %s (%s profile, measured on %s) + firmware "
				   "reserve %s\n", ind, r->flash.model_in_image ? "+ " : "image: ",
				   r->terms.code, b(r->flash.runtime_bytes, t1), r->runtime,
				   r->flash.runtime_measured_on, b(r->flash.reserve_bytes, t2));
	else
		tfit_strbuf_printf(out, "%s%s%s %s (estimate, %s profile) + firmware reserve %s\n",
				   ind, r->flash.model_in_image ? "+ " : "image: ", r->terms.code,
				   b(r->flash.runtime_bytes, t1), r->runtime,
				   b(r->flash.reserve_bytes, t2));

	if (r->runtime_outside)
		outside_line(out, "  SRAM     ", r->sram.used_bytes, r->sram.runtime_bytes,
			     r->sram.available_bytes, r->terms.state);
	else
		usage_line(out, "  SRAM     ", r->sram.used_bytes, r->sram.available_bytes,
			   r->sram_total_percent, r->sram.available_bytes
			   ? tfit_fit_margin(r->sram.used_bytes, r->sram.available_bytes) : 0, o);
	tfit_strbuf_printf(out, "%s%s %s", ind, r->terms.arena, b(r->sram.arena_bytes, t1));
	if (r->terms.arena_constant[0])
		tfit_strbuf_printf(out, " = %s %llu", r->terms.arena_constant,
				   (unsigned long long)r->sram.arena_bytes);
	tfit_strbuf_printf(out, " (%s %s + %s %s, %s)%s\n",
			   r->terms.arena_head, b(r->sram.arena_head_bytes, t2),
			   r->terms.arena_tail, b(r->sram.arena_tail_bytes, t3),
			   r->sram.arena_offline_plan ? tfit_draw_plan_label(1) : r->terms.arena_plan,
			   r->sram.region_name[0] && r->sram.region_external ? ", not counted here: "
			   "it is in external RAM" : "");
	if (r->runtime_outside)
		tfit_strbuf_printf(out, "%s+ %s unknown (%s; it does not cover this model: see the "
				   "verdict) + reserve %s\n", ind, r->terms.state, r->terms.state_what,
				   b(r->sram.reserve_bytes, t4));
	else
		tfit_strbuf_printf(out, "%s+ %s %s (%s, estimate) + reserve %s\n", ind,
				   r->terms.state, b(r->sram.runtime_bytes, t1), r->terms.state_what,
				   b(r->sram.reserve_bytes, t4));
	if (r->sram.region_name[0]) {
		usage_line(out, "  region   ", r->sram.region_used_bytes, r->sram.region_bytes,
			   r->region_percent, r->sram.region_bytes ? tfit_fit_margin(r->sram.region_used_bytes,
											r->sram.region_bytes) : 0, o);
		tfit_strbuf_printf(out, "%s%s in '%s' (%s, %s; %s%s)%s%s\n", ind, r->terms.arena,
				   r->sram.region_name,
				   tfit_mem_kind_name(r->sram.region_kind),
				   b(r->sram.region_size_bytes, t1),
				   r->sram.region_bytes ? "usable after the platform: " : "usable size unknown",
				   r->sram.region_bytes ? b(r->sram.region_bytes, t2) : "",
				   r->sram.arena_placed ? ", --arena-in" : ", the default: largest usable internal RAM",
				   r->weights.same_as_arena ? "; the model too (--weights-in)" : "");
		if (!isnan(r->sram_total_percent) && !isnan(r->region_percent))
			tfit_strbuf_printf(out, "%sbinding: %s (%.1f%% vs %s %.1f%%)\n", ind,
					   r->sram_binding_region ? "the region" : "the SRAM total",
					   r->sram_percent,
					   r->sram_binding_region ? "total" : "region",
					   r->sram_binding_region ? r->sram_total_percent : r->region_percent);
	} else {
		tfit_strbuf_printf(out, "%sno RAM region known for the %s\n", ind, r->terms.arena);
	}
	if (r->weights.placed && !r->weights.same_as_arena) {
		usage_line(out, "  weights  ", r->weights.used_bytes, r->weights.available_bytes,
			   r->weights.available_bytes ? (double)r->weights.used_bytes * 100.0 /
			   (double)r->weights.available_bytes : NAN,
			   r->weights.available_bytes ? tfit_fit_margin(r->weights.used_bytes,
									   r->weights.available_bytes) : 0, o);
		tfit_strbuf_printf(out, "%smodel in '%s' (%s, %s; %s) by --weights-in\n", ind,
				   r->weights.region_name, tfit_mem_kind_name(r->weights.region_kind),
				   b(r->weights.region_bytes, t1),
				   r->weights.available_bytes ? "usable known" : "usable size unknown");
	}
	if (r->peak_op >= 0)
		tfit_strbuf_printf(out, "  peak     at op %d (%s): live", r->peak_op,
				   tfit_op_short_name(r->peak_op_name, sn, sizeof(sn)));
	else
		tfit_strbuf_puts(out, "  peak     before the first op: live");
	for (i = 0; i < r->n_peak; i++)
		tfit_strbuf_printf(out, "%s %s %s", i ? "," : "",
				   tfit_op_short_name(r->peak[i].name, sn, sizeof(sn)), b(r->peak[i].bytes, t1));
	tfit_strbuf_printf(out, "\n%slower bound %s (largest sum of live tensors), planner efficiency %.1f%%\n",
			   ind, b(r->sram.lower_bound_bytes, t1), r->planner_efficiency * 100.0);
	if (r->verdict == TFIT_VERDICT_DOES_NOT_FIT)
		advice_text(a, out, "  advice   ", 0);
}

/* Battery life: awake (at active power) for the --duty window or the
 * inference, asleep for the rest; each caveat said. sleep_mw: the
 * profile's sleep power (0 = none). */
static void battery_text(const struct tfit_check_timing *t, double sleep_mw, struct tfit_strbuf *out)
{
	char a[64], c[64], life[48], awake[256], sleep[256], n1[64], n2[64], n3[64];
#define SIG(v, k, b) tfit_units_format_sig((v), (k), (b), sizeof(b))
	if (!t->battery_known) {
		tfit_strbuf_puts(out, "  battery  unknown: the profile has no sourced active power figure "
				      "(battery life needs active power x awake time)\n");
		return;
	}
	if (!t->battery_feasible) {
		tfit_strbuf_printf(out, "  battery  %s inferences/s cannot keep up: each takes %s\n",
				   SIG(t->rate_hz, 6, n1), tfit_units_format_ms(t->latency_ms, a, sizeof(a)));
		return;
	}
	if (t->life_hours < 48.0)
		snprintf(life, sizeof(life), "%.1f hours", t->life_hours);
	else if (t->life_hours < 24.0 * 365.0 * 2.0)
		snprintf(life, sizeof(life), "%.1f days", t->life_hours / 24.0);
	else
		snprintf(life, sizeof(life), "%.1f years", t->life_hours / (24.0 * 365.0));
	if (t->awake_ms > 0)
		snprintf(awake, sizeof(awake), "awake %s at %s mW (%s) every %s",
			 tfit_units_format_ms(t->awake_ms > t->latency_ms ? t->awake_ms : t->latency_ms, a, sizeof(a)),
			 SIG(t->active_power_mw, 6, n1), t->power_scope ? t->power_scope : "scope unstated",
			 tfit_units_format_ms(1000.0 / t->rate_hz, c, sizeof(c)));
	else
		snprintf(awake, sizeof(awake), "%s inferences/s at %s mW (%s) for %s each",
			 SIG(t->rate_hz, 3, n1), SIG(t->active_power_mw, 6, n2), t->power_scope ? t->power_scope : "scope unstated",
			 tfit_units_format_ms(t->latency_ms, a, sizeof(a)));
	if (!t->sleep_power_known)
		snprintf(sleep, sizeof(sleep), "sleep not included (no sleep power in the profile): optimistic");
	else
		snprintf(sleep, sizeof(sleep), "asleep at %s mW (%s) otherwise%s", SIG(sleep_mw, 6, n1),
			 tfit_power_scope_text(t->sleep_power_scope),
			 t->sleep_power_scope && strcmp(t->sleep_power_scope, "chip") == 0 ?
			 ", the chip alone: optimistic for the board" : "");
	tfit_strbuf_printf(out, "  battery  %s on %s mAh at %s V: %s, %s; %s mW average (estimate)\n",
			   life, SIG(t->capacity_mah, 6, n1), SIG(t->voltage_v, 6, n2), awake, sleep,
			   SIG(t->average_power_mw, 3, n3));
#undef SIG
}

static void timing_text(const struct tfit_model *m, const struct tfit_check_timing *t,
			double sleep_mw, struct tfit_strbuf *out)
{
	char a[64], c[64], sn[160];
	uint32_t i;
	if (!t)
		return;
	if (t->has_latency) {
		tfit_strbuf_printf(out, "  latency  %s", tfit_units_format_ms(t->latency_ms, a, sizeof(a)));
		if (t->interval_pct > 0)
			tfit_strbuf_printf(out, " (\xC2\xB1%.0f%%)", t->interval_pct);
		tfit_strbuf_printf(out, " per inference (%s)\n", t->method);
		if (t->interval_pct > 0)
			tfit_strbuf_printf(out, "           range %s to %s (%s%s)\n",
					   tfit_units_format_ms(t->latency_ms_low, a, sizeof(a)),
					   tfit_units_format_ms(t->latency_ms_high, c, sizeof(c)),
					   t->interval_prior ? "wide: " : "", t->interval_basis);
		if (t->n_hot && t->latency_ms > 0) {
			tfit_strbuf_puts(out, "           slowest ops:");
			for (i = 0; i < t->n_hot; i++) {
				const struct tfit_op *op = &m->subgraphs[0].ops[t->hot[i]];
				tfit_strbuf_printf(out, "%s %u %s %s (%.0f%%)", i ? "," : "", t->hot[i],
						   op->name ? tfit_op_short_name(op->name, sn, sizeof(sn)) :
						   tfit_op_desc(op->type)->name,
						   tfit_units_format_ms(t->op_latency_ms[t->hot[i]], a, sizeof(a)),
						   t->op_latency_ms[t->hot[i]] * 100.0 / t->latency_ms);
			}
			tfit_strbuf_putc(out, '\n');
		}
		if (isnan(t->energy_mj))
			tfit_strbuf_printf(out, "  energy   \xE2\x80\x93 (%s)\n"
					   "           lower bound %s mJ per inference, a different quantity (%s)\n",
					   t->energy_method,
					   tfit_units_format_sig(t->energy_lower_bound_mj, 4, a, sizeof(a)),
					   t->energy_lower_bound_method);
		else
			tfit_strbuf_printf(out, "  energy   %s mJ per inference (%s)\n",
					   tfit_units_format_sig(t->energy_mj, 4, a, sizeof(a)), t->energy_method);
	} else if (t->note[0]) {
		tfit_strbuf_printf(out, "  latency  no estimate: %s\n", t->note);
	}
	tfit_check_rt_battery_text(t, sleep_mw, out);
}

void tfit_check_rt_battery_text(const struct tfit_check_timing *t, double sleep_mw,
				struct tfit_strbuf *out)
{
	char a[64], c[64], d[64];
	if (t->has_realtime)
		tfit_strbuf_printf(out, "  realtime %s: %s against a %s deadline (%s%s, %.1f%%)\n",
				   t->rt_pass ? "PASS" : "FAIL", tfit_units_format_ms(t->latency_ms, a, sizeof(a)),
				   tfit_units_format_ms(t->deadline_ms, c, sizeof(c)),
				   t->rt_margin_ms >= 0 ? "margin " : "over by ",
				   tfit_units_format_ms(t->rt_margin_ms >= 0 ? t->rt_margin_ms : -t->rt_margin_ms, d, sizeof(d)),
				   t->rt_margin_pct);
	if (t->has_battery)
		battery_text(t, sleep_mw, out);
}

/* "341 ms (+-12%)": the estimate and its interval. */
static void latency_cell(const struct tfit_check_timing *t, char *buf, size_t size)
{
	char ms[32];
	tfit_units_format_ms(t->latency_ms, ms, sizeof(ms));
	if (t->interval_pct > 0)
		snprintf(buf, size, "%s (\xC2\xB1%.0f%%)", ms, t->interval_pct);
	else
		snprintf(buf, size, "%s", ms);
}

static void textbook_text(const struct tfit_fit_result *r, struct tfit_strbuf *out)
{
	char lat[32], mult[64], eff[64];
	/* the course prints KB = 1024 bytes with two decimals */
	verdict_line(r, out);
	tfit_strbuf_printf(out, "  model size    %.2f KiB (params x bytes per param)  vs flash %.2f KiB\n",
			   r->textbook_model_bytes / 1024.0, (double)r->flash.available_bytes / 1024.0);
	tfit_strbuf_printf(out, "  required RAM  %.2f KiB (model size x %s)  vs RAM %.2f KiB: %.2f%% used\n",
			   r->textbook_ram_bytes / 1024.0,
			   tfit_units_format_sig(r->arena_multiplier, 2, mult, sizeof(mult)),
			   (double)r->sram.available_bytes / 1024.0,
			   r->sram.available_bytes ? r->textbook_ram_bytes * 100.0 / (double)r->sram.available_bytes : NAN);
	tfit_strbuf_printf(out, "  latency       %s (FLOPs / (MHz x %s), estimate)\n",
			   tfit_units_format_ms(r->textbook_latency_ms, lat, sizeof(lat)),
			   tfit_units_format_sig(r->efficiency, 2, eff, sizeof(eff)));
}

static void both_note(const struct tfit_fit_result *planned, const struct tfit_fit_result *tb,
		      struct tfit_strbuf *out)
{
	char a[32], c[32], mult[64];
	tfit_strbuf_printf(out, "  why they differ: the textbook takes %sx the model size (%s) as RAM; %s is %s, "
			   "the largest set of activations alive at once plus its bookkeeping, which has nothing to do with the weights' size\n",
			   tfit_units_format_sig(tb->arena_multiplier, 2, mult, sizeof(mult)),
			   tfit_units_format_bytes(tb->sram.arena_bytes, a, sizeof(a)) /* ceil, saturated */,
			   planned->terms.title,
			   tfit_units_format_bytes(planned->sram.arena_bytes, c, sizeof(c)));
}

/* The arena over time, once per plan (devices sharing a runtime share it). */
/* Whether a result deploys the model file (its container is estimated for
 * JSON models); X-CUBE-AI's weights blob has no container. */
static int any_file_stored(const struct tfit_check_report *rep)
{
	size_t i;
	for (i = 0; i < rep->n_results; i++)
		if (rep->results[i].terms.model_stored == TFIT_MODEL_STORED_FILE)
			return 1;
	return 0;
}

static void arena_timeline(const struct tfit_check_report *rep, size_t i,
			   const struct tfit_render_opts *o, struct tfit_strbuf *out)
{
	const struct tfit_fit_terms *t = &rep->results[i].terms;
	uint64_t left_out;
	struct tfit_arena_words w = tfit_arena_words_or_default(
		&(struct tfit_arena_words){ t->arena, t->arena_head, t->title, t->arena_plan });
	size_t j;
	const struct tfit_arena_timeline *tl = rep->timelines ? rep->timelines[i] : NULL;
	const struct tfit_arena_plan *p = rep->plans ? rep->plans[i] : NULL;
	int32_t n_times;
	if ((!tl && !p) || rep->results[i].memory_unknown)
		return;
	for (j = 0; j < i; j++)
		if (tl ? rep->timelines[j] == tl : rep->plans[j] == p) {
			tfit_strbuf_printf(out, "  %s over time: as for %s above (same runtime, same plan)\n",
					   w.buffer, rep->results[j].device->id);
			return;
		}
	if (tl) {
		n_times = tl->n_times;
		left_out = tfit_render_arena_text(rep->model, tl, "  ", &w, TFIT_ARENA_TEXT_MAX_ROWS, o, out);
	} else {
		n_times = p->n_times;
		left_out = tfit_render_arena_text_plan(rep->model, p, "  ", &w, TFIT_ARENA_TEXT_MAX_ROWS,
						       o, out);
	}
	if (left_out) {
		tfit_strbuf_puts(out, "  ");
		tfit_draw_elided_note(left_out, (uint64_t)n_times - 1,
				      rep->results[i].device->id, "`", "`", 0, out);
		tfit_strbuf_puts(out, "\n");
	}
}

void tfit_render_check_text(const struct tfit_check_report *rep, const struct tfit_render_opts *o,
			    struct tfit_strbuf *out)
{
	size_t i;
	model_header(rep->model, rep->model_file, out, 0);
	for (i = 0; i < rep->n_results; i++) {
		const struct tfit_fit_result *r = &rep->results[i];
		if (!(rep->both_methods && r->method == TFIT_METHOD_TEXTBOOK)) {
			tfit_strbuf_putc(out, '\n');
			device_line(r, out, 0);
		} else {
			tfit_strbuf_puts(out, "  -- textbook method (course formulas) --\n");
		}
		if (r->method == TFIT_METHOD_PLANNED)
			planned_text(r, &rep->advice[i], o, out);
		else
			textbook_text(r, out);
		arena_timeline(rep, i, o, out);
		timing_text(rep->model, rep->timing ? &rep->timing[i] : NULL, r->device->sleep_power_mw, out);
		if (rep->both_methods && r->method == TFIT_METHOD_TEXTBOOK && i > 0)
			both_note(&rep->results[i - 1], r, out);
	}
	tfit_render_gates(rep->gates, rep->n_gates, 0, TFIT_FORMAT_TEXT, o, out);
	tfit_strbuf_puts(out, "\nSizes in KiB/MiB (1 KiB = 1024 bytes). ");
	tfit_strbuf_puts(out, tfit_runtime_notes(rep->results, rep->n_results, "; ", out) ? "r" : "R");
	tfit_strbuf_puts(out, "untime code comes from the runtime profile "
			      "(measured on the build it names, else estimated)");
	tfit_strbuf_puts(out, any_file_stored(rep) ? " and, for JSON models, the .tflite container "
						     "is estimated.\n" : ".\n");
}

/* A limit, or "unknown" (0). */
static const char *avail_text(uint64_t v, char *buf)
{
	return v ? b(v, buf) : "unknown";
}

/* "12.3%", or "-" when it cannot be computed. */
static const char *pct_text(double pct, char *buf)
{
	if (isnan(pct))
		return "-";
	snprintf(buf, 32, "%.1f%%", pct);
	return buf;
}

static const char *md_verdict(const struct tfit_fit_result *r)
{
	switch (r->verdict) {
	case TFIT_VERDICT_FITS: return "fits";
	case TFIT_VERDICT_DOES_NOT_FIT: return "**does not fit**";
	case TFIT_VERDICT_DOES_NOT_RUN: return "**does not run**";
	case TFIT_VERDICT_UNKNOWN: break;
	}
	return "unknown";
}

void tfit_render_check_markdown(const struct tfit_check_report *rep, struct tfit_strbuf *out)
{
	size_t i;
	char t1[32], t2[32], t3[32], t4[32];
	model_header(rep->model, rep->model_file, out, 1);
	tfit_strbuf_puts(out, "\n| Device | Runtime | Method | Flash used | Flash available | Flash % | SRAM used | SRAM available | SRAM % | Arena | Latency (est.) | Energy (est.) | Verdict | Limiting |\n"
			      "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
	for (i = 0; i < rep->n_results; i++) {
		const struct tfit_fit_result *r = &rep->results[i];
		if (r->memory_unknown) {
			const struct tfit_check_timing *tm = rep->timing ? &rep->timing[i] : NULL;
			char lat[48] = "-", en[48] = "-";
			if (tm && tm->has_latency) {
				latency_cell(tm, lat, sizeof(lat));
				tfit_energy_text(tm->energy_mj, tm->power_scope, en, sizeof(en));
			}
			tfit_strbuf_puts(out, "| ");
			tfit_md_escape(out, r->device->id);
			tfit_strbuf_printf(out, " | %s | %s | unknown | %s | - | unknown | %s | - | unknown | %s | %s | %s | unknown |\n",
					   r->runtime, tfit_method_name(r->method),
					   avail_text(r->flash.available_bytes, t1),
					   avail_text(r->sram.available_bytes, t2), lat, en,
					   md_verdict(r));
			continue;
		}
		tfit_strbuf_puts(out, "| ");
		tfit_md_escape(out, r->device->id);
		tfit_strbuf_printf(out, " | %s | %s | %s | %s | %s | %s | ",
				   r->method == TFIT_METHOD_PLANNED ? r->runtime : "-",
				   tfit_method_name(r->method),
				   r->runtime_outside ? "unknown" : b(r->flash.used_bytes, t1),
				   avail_text(r->flash.available_bytes, t2), pct_text(r->flash_percent, t4),
				   r->runtime_outside ? "unknown" : b(r->sram.used_bytes, t3));
		{
			const struct tfit_check_timing *tm = rep->timing ? &rep->timing[i] : NULL;
			char lat[48] = "-", en[48] = "-", lim[96];
			if (r->method == TFIT_METHOD_TEXTBOOK)
				tfit_units_format_ms(r->textbook_latency_ms, lat, sizeof(lat));
			else if (tm && tm->has_latency) {
				latency_cell(tm, lat, sizeof(lat));
				tfit_energy_text(tm->energy_mj, tm->power_scope, en, sizeof(en));
			}
			tfit_strbuf_printf(out, "%s | %s | %s | %s | %s | %s | %s |\n",
					   avail_text(r->sram.available_bytes, t1),
					   pct_text(r->sram_percent, t4), b(r->sram.arena_bytes, t2), lat, en,
					   md_verdict(r), tfit_fit_limiting_text(r, lim, sizeof(lim)));
		}
	}
	for (i = 0; i < rep->n_results; i++) {
		const struct tfit_fit_result *r = &rep->results[i];
		if (r->verdict != TFIT_VERDICT_DOES_NOT_FIT || r->method != TFIT_METHOD_PLANNED) {
			if (r->reason[0])
				tfit_strbuf_printf(out, "\n**%s**: %s (%s).\n", r->device->id,
						   tfit_verdict_name(r->verdict), r->reason);
			continue;
		}
		tfit_strbuf_printf(out, "\n**%s** does not fit. Options:\n\n", r->device->id);
		advice_text(&rep->advice[i], out, "", 1);
	}
	{
		struct tfit_render_opts o;
		tfit_render_opts_init(&o);
		tfit_render_gates(rep->gates, rep->n_gates, 0, TFIT_FORMAT_MARKDOWN, &o, out);
	}
	tfit_strbuf_puts(out, "\nEnergy = the profile's sourced active power x estimated latency, of the board or "
			      "the chip as stated; \xE2\x80\x93 = the profile has no power figure.\n");
	tfit_strbuf_puts(out, "\nSizes in KiB/MiB (1 KiB = 1024 bytes). ");
	tfit_strbuf_puts(out, tfit_runtime_notes(rep->results, rep->n_results, "; ", out) ? "r" : "R");
	tfit_strbuf_puts(out, "untime code from the runtime profile (measured on the build it names, else estimated)");
	tfit_strbuf_puts(out, any_file_stored(rep) ? "; for JSON models, the .tflite container is estimated.\n"
						   : ".\n");
}
