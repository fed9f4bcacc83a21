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

static inline void tfit_check_fixture(const char *name, const uint8_t *data, size_t len)
{
	char path[512];
	FILE *f;
	uint8_t *disk;
	long n;

	snprintf(path, sizeof(path), TFIT_SOURCE_DIR "/tests/data/tflite/%s", name);
	if (getenv("TFIT_WRITE_FIXTURES")) {
		f = fopen(path, "wb");
		CHECK(f && fwrite(data, 1, len, f) == len);
		if (f)
			CHECK(fclose(f) == 0);
	}
	f = fopen(path, "rb");
	CHECK(f != NULL);
	if (!f)
		return;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	disk = malloc((size_t)n + 1);
	CHECK(disk && fread(disk, 1, (size_t)n, f) == (size_t)n);
	CHECK_U64(n, len);
	CHECK(disk && (size_t)n == len && memcmp(disk, data, len) == 0);
	free(disk);
	fclose(f);
}

#endif
