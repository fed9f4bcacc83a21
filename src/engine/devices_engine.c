/*
 * devices_engine.c - tfit_devices_run: `tinyfit devices [list|show ID]` as
 * one library call: open the boards, then select and sort the list or find
 * the one board. See engine.h.
 */
#include "tinyfit/engine.h"

#include <stdlib.h>
#include <string.h>

enum tfit_status tfit_devices_run(const struct tfit_devices_request *req, struct tfit_devices_result *res,
				  struct tfit_error *err)
{
	const struct tfit_device_db *db;
	enum tfit_status st;
	memset(res, 0, sizeof(*res));
	if (!req->boards.given && req->boards.n_dirs == 0) {
		res->usage_error = 1;
		return tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL,
				      "no device directory (the built-in database was not "
				      "found; use --device-dir DIR or $TINYFIT_DEVICES)");
	}
	if ((st = tfit_engine_boards(&req->boards, &res->db, &res->db_open, &db, err)) != TFIT_OK)
		return st;
	if (req->show_id) {
		if ((st = tfit_device_db_find_or_error(db, req->show_id, &res->show, err)) != TFIT_OK) {
			res->usage_error = 1;
			return st;
		}
		res->report.show = res->show;
		return TFIT_OK;
	}
	if ((st = tfit_device_db_select(db, &req->filter, req->sort, &res->list, &res->n_list, err)) != TFIT_OK) {
		char msg[TFIT_ERROR_MSG_MAX];
		memcpy(msg, err->message, sizeof(msg));
		res->usage_error = 1;
		return tfit_error_set(err, st, NULL, NULL, "--core: %s", msg);
	}
	res->report.devices = res->list;
	res->report.n_devices = res->n_list;
	return TFIT_OK;
}

void tfit_devices_result_release(struct tfit_devices_result *res)
{
	free(res->list);
	if (res->db_open)
		tfit_device_db_release(&res->db);
	memset(res, 0, sizeof(*res));
}
