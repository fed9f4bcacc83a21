/*
 * fuzz_device.c - libFuzzer harness for device profiles
 * (tfit_device_parse). A profile that parses is added to a database, looked
 * up, and used to fit and cost a fixed model, with every device and check
 * renderer (fuzz_pipeline.c).
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_pipeline.h"
#include "tinyfit/device.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tfit_device d;
	struct tfit_device_db db;
	struct tfit_error err;
	const struct tfit_device *found;
	const char *sugg[4];
	if (tfit_device_parse((const char *)data, size, "fuzz.json", &d, &err) != TFIT_OK)
		return 0;
	tfit_device_db_init(&db);
	if (tfit_device_db_add(&db, &d, &err) != TFIT_OK) {
		tfit_device_release(&d);
		return 0;
	}
	if (tfit_device_db_find_or_error(&db, db.devices[0].id, &found, &err) == TFIT_OK)
		fuzz_device_pipeline(&db, found);
	(void)tfit_device_db_suggest(&db, "nano33", sugg, 4);
	tfit_device_db_release(&db);
	return 0;
}
