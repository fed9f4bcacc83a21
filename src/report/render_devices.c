/*
 * render_devices.c - `tinyfit devices` in every format: the one dispatch on
 * the format for the board list and the board page (device_report.h).
 */
#include "tinyfit/device_report.h"

static void render_table(const struct tfit_devices_report *r, enum tfit_format fmt,
			 const struct tfit_render_opts *o, struct tfit_strbuf *out)
{
	struct tfit_table t;
	if (r->show) {
		tfit_device_show_table(r->show, &t);
	} else {
		/* the full table needs about 200 columns; a narrower terminal
		 * gets the compact one rather than clipped ids */
		tfit_device_list_table(r->devices, r->n_devices,
				       fmt == TFIT_FORMAT_TEXT && o->width > 0 &&
				       o->width < TFIT_DEVICE_LIST_FULL_WIDTH, &t);
	}
	tfit_render_table(&t, fmt, o, out);
	if (t.oom)
		out->oom = 1;
	tfit_table_release(&t);
}

void tfit_render_devices(const struct tfit_devices_report *r, enum tfit_format fmt,
			 const struct tfit_render_opts *o, struct tfit_strbuf *out)
{
	switch (fmt) {
	case TFIT_FORMAT_TEXT:
	case TFIT_FORMAT_MARKDOWN:
	case TFIT_FORMAT_CSV:
	case TFIT_FORMAT_HTML:
		render_table(r, fmt, o, out);
		break;
	case TFIT_FORMAT_JSON:
		if (r->show)
			tfit_device_render_show_json(r->show, out);
		else
			tfit_device_render_list_json(r->devices, r->n_devices, out);
		break;
	case TFIT_FORMAT_SVG:   /* a board list has no picture */
	case TFIT_FORMAT_COUNT: /* not a format; no default: a new format must be handled here */
		break;
	}
}
