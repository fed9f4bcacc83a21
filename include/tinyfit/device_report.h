/*
 * The board database as reports: the `tinyfit devices` list and the
 * `tinyfit devices show` table, and their JSON documents. Implemented in
 * src/report/device_report.c; the device module itself only loads and
 * queries profiles (ARCHITECTURE.md: report may use device, not the reverse).
 */
#ifndef TINYFIT_DEVICE_REPORT_H
#define TINYFIT_DEVICE_REPORT_H

#include <stddef.h>

#include "tinyfit/device.h"
#include "tinyfit/strbuf.h"
#include "tinyfit/table.h"


/*
 * The `tinyfit devices` table of devs[0..n): ID, Name, Core, MHz, Flash,
 * SRAM, Max block (largest SRAM region), Accelerator, Price. Flash is the
 * on-chip flash, or the external flash marked "ext" when the board has none
 * on chip; CSV cells carry raw bytes, MHz and USD; unknown values are
 * empty. compact leaves out Name and Accelerator (for a narrow terminal).
 * t must be uninitialised; the caller releases it.
 */
void tfit_device_list_table(const struct tfit_device *const *devs, size_t n, int compact,
			    struct tfit_table *t);

/*
 * The `tinyfit devices show` table: one row per field the profile gives
 * (Field, Value, Source), where Source is a reference "[n]" to a note
 * "[n] citation" under the table, plus the file that defined the board and
 * the file it overrode.
 */
void tfit_device_show_table(const struct tfit_device *d, struct tfit_table *t);

/*
 * JSON documents (schema_version 1, docs/device-format.md "JSON output"):
 * {"schema_version", "tinyfit_version", "command": "devices",
 *  "devices": [...]} and {..., "command": "devices show", "device": {...}}.
 * Sizes are raw bytes; unknown values are null.
 */
void tfit_device_render_list_json(const struct tfit_device *const *devs, size_t n,
				  struct tfit_strbuf *out);
void tfit_device_render_show_json(const struct tfit_device *d, struct tfit_strbuf *out);

/* `tinyfit devices`: the list (show NULL) or one board. */
struct tfit_devices_report {
	const struct tfit_device *const *devices; /* the list, in order */
	size_t n_devices;
	const struct tfit_device *show;           /* `devices show ID`, or NULL */
};

/* Text lists narrower than this many columns get the compact table. */
#define TFIT_DEVICE_LIST_FULL_WIDTH 200

/*
 * The devices report in fmt (every format but SVG, which draws nothing).
 * The text list on a terminal narrower than TFIT_DEVICE_LIST_FULL_WIDTH
 * (o->width) is the compact table rather than clipped ids. One switch, no
 * default: a new format must be handled here.
 */
void tfit_render_devices(const struct tfit_devices_report *r, enum tfit_format fmt,
			 const struct tfit_render_opts *o, struct tfit_strbuf *out);

#endif
