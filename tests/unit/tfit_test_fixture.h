/*
 * tfit_test_fixture.h - generated fixture files under tests/data/tflite/:
 * a test builds the bytes, and tfit_check_fixture() checks that the
 * committed file holds exactly them (TFIT_WRITE_FIXTURES=1 writes them
 * first). Shared by the unit tests that generate fixtures.
 */
#ifndef TFIT_TEST_FIXTURE_H
#define TFIT_TEST_FIXTURE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tfit_test.h"
#include "tinyfit/fileio.h"

static inline void tfit_check_fixture(const char *name, const uint8_t *data, size_t len)
{
	char path[512];
	struct tfit_error err;
	FILE *f;
	char *disk = NULL;
	size_t n = 0;

	snprintf(path, sizeof(path), TFIT_SOURCE_DIR "/tests/data/tflite/%s", name);
	if (getenv("TFIT_WRITE_FIXTURES")) {
		f = fopen(path, "wb");
		CHECK(f && fwrite(data, 1, len, f) == len);
		if (f)
			CHECK(fclose(f) == 0);
	}
	tfit_error_clear(&err);
	CHECK(tfit_file_read(path, TFIT_FILE_MAX_BYTES, &disk, &n, &err) == TFIT_OK);
	CHECK_U64(n, len);
	CHECK(disk && n == len && memcmp(disk, data, len) == 0);
	free(disk);
}

#endif
