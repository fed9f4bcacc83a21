/*
 * Unit tests for device-profile validation: one bad profile per error class
 * (tests/data/devices/bad/<class>/), each checked for its status, file,
 * JSON path and message; plus the good fixtures, parsed field by field.
 */
#include "tfit_test.h"
#include "tinyfit/device.h"
#include "tinyfit/fileio.h"
#include "tinyfit/registry.h"

#include <stdlib.h>

#define DATA TFIT_SOURCE_DIR "/tests/data/devices"

struct bad_case {
	const char *dir;
	const char *file;       /* expected err.file suffix */
	const char *path;       /* expected JSON path */
	int line;               /* expected line (syntax errors), else 0 */
	const char *message;    /* expected message substring */
};

static const struct bad_case cases[] = {
	{ "missing_field", "test_board.json", "vendor", 0,
	  "missing required field (expected a string)" },
	{ "wrong_type", "test_board.json", "cores", 0,
	  "expected an integer, got string \"two\"" },
	{ "unknown_core", "test_board.json", "core", 0,
	  "unknown core \"cortex-m99\" (expected one of: avr, cortex-m0plus," },
	{ "zero_clock", "test_board.json", "clock_mhz", 0,
	  "expected a positive number, got 0" },
	{ "negative_clock", "test_board.json", "clock_mhz", 0,
	  "expected a positive number, got -48" },
	{ "tiny_clock", "test_board.json", "clock_mhz", 0,
	  "4.9406564584124654e-324 MHz is too slow (at least 1 MHz; check the unit in the "
	  "field name)" },
	{ "inf_power", "test_board.json", "active_power_mw", 0,
	  "expected a finite number, got inf (out of the range of a double)" },
	{ "zero_memory", "test_board.json", "flash", 0,
	  "expected a positive size, got \"0KiB\"" },
	{ "regions_overflow", "test_board.json", "regions", 0,
	  "regions of sram add up to 327680 bytes, more than sram (262144 bytes)" },
	{ "region_usable_over", "test_board.json", "regions[0].usable", 0,
	  "usable size 262144 bytes is more than the region's size (196608 bytes)" },
	{ "region_bad_kind", "test_board.json", "regions[1].kind", 0,
	  "unknown memory kind \"ocram\" (expected one of: sram, dtcm, itcm, psram, sdram, flash, ext-flash)" },
	{ "bad_unit", "test_board.json", "regions[1].size", 0,
	  "expected a size such as \"256KiB\" (units B, KiB, MiB, GiB), got \"256 kb\"" },
	{ "decimal_unit", "test_board.json", "flash", 0,
	  "got \"512kB\"" },
	{ "size_as_number", "test_board.json", "flash", 0,
	  "expected a size string such as \"256KiB\", got number 524288" },
	{ "unknown_field", "test_board.json", "clok_mhz", 0,
	  "unknown field 'clok_mhz'" },
	{ "source_for_absent", "test_board.json", "sources.psram", 0,
	  "source for field 'psram', which the profile does not give" },
	{ "missing_sources", "test_board.json", "sources", 0,
	  "missing required field" },
	{ "bad_json", "test_board.json", "", 4, "invalid JSON" },
	{ "duplicate_id", "b.json", "id", 0,
	  "duplicate id \"test_board\" (also defined in " DATA "/bad/duplicate_id/a.json)" },
	{ "alias_clash", "b_board.json", "aliases[0]", 0,
	  "alias \"Shared\" already names \"a_board\"" },
	{ "bad_runtime_name", "test_board.json", "default_runtime", 0,
	  "invalid runtime name \"TensorFlow Lite\" (expected a runtime id such as tflm-cmsis-nn, "
	  "optionally @VERSION)" },
	{ "null_value", "test_board.json", "regions[0].name", 0,
	  "null is not allowed (leave the field out when the value is unknown)" },
	{ "bad_fpu", "test_board.json", "fpu", 0,
	  "unknown fpu \"single\" (expected one of: none, sp, dp)" },
};

static void test_bad(void)
{
	size_t i;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct bad_case *c = &cases[i];
		char dir[512];
		struct tfit_device_db db;
		struct tfit_error err;
		size_t fl, sl;
		snprintf(dir, sizeof(dir), "%s/bad/%s", DATA, c->dir);
		tfit_device_db_init(&db);
		tfit_error_clear(&err);
		CHECK(tfit_device_db_load_dir(&db, dir, &err) == TFIT_ERR_INPUT);
		CHECK_U64(db.n_devices, 0); /* nothing loaded, nothing skipped */
		fl = strlen(err.file);
		sl = strlen(c->file);
		if (fl < sl || strcmp(err.file + fl - sl, c->file) != 0) {
			fprintf(stderr, "case %s: file %s\n", c->dir, err.file);
			CHECK(0);
		}
		CHECK_STR(err.path, c->path);
		CHECK_I64(err.line, c->line);
		CHECK_CONTAINS(err.message, c->message);
		tfit_device_db_release(&db);
	}
}

static void test_good(void)
{
	struct tfit_device d;
	struct tfit_error err;
	const char *missing[16];

	CHECK(tfit_device_load_file(DATA "/good/full_board.json", &d, &err) == TFIT_OK);
	CHECK_STR(d.id, "full_board");
	CHECK_U64(d.flash_bytes, 512 * 1024);
	CHECK_U64(d.external_flash_bytes, 16 * 1024 * 1024);
	CHECK_U64(d.psram_bytes, 8 * 1024 * 1024);
	CHECK_U64(d.dram_bytes, 64 * 1024 * 1024);
	CHECK_U64(d.sram_bytes, 256 * 1024);
	/* listed: sram0, sram1, flash; implicit: ext-flash, psram, sdram */
	CHECK_U64(d.n_regions, 6);
	CHECK_STR(d.regions[1].name, "sram1");
	CHECK(d.regions[1].kind == TFIT_MEM_SRAM && d.regions[1].usable_bytes == 0);
	CHECK_U64(d.regions[0].usable_bytes, 180 * 1024);
	CHECK_STR(d.regions[0].usable_source, "test fixture");
	CHECK_U64(d.largest_region_bytes, 180 * 1024);
	CHECK(tfit_device_arena_region(&d) == &d.regions[0]);
	CHECK(tfit_device_app_flash_region(&d) == &d.regions[2]);
	CHECK_U64(d.regions[2].ota_slot_bytes, 192 * 1024);
	CHECK(tfit_device_region_find(&d, "PSRAM") != NULL);
	CHECK(tfit_device_region_find(&d, "psram")->implicit);
	CHECK_U64(tfit_device_region_find(&d, "psram")->bytes, 8 * 1024 * 1024);
	CHECK(tfit_device_region_find(&d, "sdram")->kind == TFIT_MEM_SDRAM);
	CHECK(tfit_device_region_find(&d, "ext-flash")->kind == TFIT_MEM_EXT_FLASH);
	CHECK(d.accel.present);
	CHECK_NEAR(d.accel.macs_per_cycle, 256, 0);
	CHECK_NEAR(d.accel.tops, 0.2, 1e-12);
	CHECK_NEAR(d.active_power_mw, 120.5, 1e-12);
	CHECK_NEAR(d.sleep_power_mw, 0.01, 1e-12);
	CHECK_NEAR(d.price_usd, 42, 0);
	CHECK_STR(d.runtime, "x-cube-ai");
	CHECK(d.runtime_from_profile);
	CHECK(d.reserve_from_profile);
	CHECK_U64(d.reserve_flash_bytes, 100 * 1024);
	CHECK_U64(d.reserve_sram_bytes, 16 * 1024);
	CHECK_U64(d.n_aliases, 2);
	CHECK_STR(d.aliases[0], "FB1");
	CHECK_U64(tfit_device_unsourced(&d, missing, 16), 0);
	CHECK_STR(tfit_device_source(&d, "price_usd"), "test fixture");
	CHECK(tfit_device_source(&d, "notes") == NULL);
	tfit_device_release(&d);
	tfit_device_release(&d); /* release twice is safe */

	/* only the required fields: defaults fill the rest */
	CHECK(tfit_device_load_file(DATA "/good/minimal_board.json", &d, &err) == TFIT_OK);
	CHECK_STR(d.runtime, "tflm");
	CHECK(!d.runtime_from_profile);
	CHECK_U64(d.reserve_flash_bytes, 0);
	CHECK_U64(d.reserve_sram_bytes, 2048);
	CHECK(!d.reserve_from_profile);
	CHECK(d.fpu == TFIT_FPU_UNKNOWN);
	CHECK(tfit_device_arena_region(&d) == NULL);
	CHECK_U64(d.n_regions, 0);
	/* mcu and core are facts: a profile without sources lists them */
	CHECK_U64(tfit_device_unsourced(&d, missing, 16), 2);
	CHECK_STR(missing[0], "mcu");
	CHECK_STR(missing[1], "core");
	tfit_device_release(&d);

	/* a region that says why it has no usable size; not beside one */
	{
		static const char text[] =
			"{\"id\":\"q\",\"name\":\"Q\",\"vendor\":\"V\",\"mcu\":\"M\",\"core\":\"cortex-m7\","
			"\"external_flash\":\"16MiB\",\"regions\":[{\"name\":\"qspi\",\"kind\":\"ext-flash\","
			"\"size\":\"16MiB\",\"usable_unknown\":\"a block device, not memory-mapped\"}],"
			"\"sources\":{}}";
		static const char both[] =
			"{\"id\":\"q\",\"name\":\"Q\",\"vendor\":\"V\",\"mcu\":\"M\",\"core\":\"cortex-m7\","
			"\"external_flash\":\"16MiB\",\"regions\":[{\"name\":\"qspi\",\"kind\":\"ext-flash\","
			"\"size\":\"16MiB\",\"usable\":\"1MiB\",\"usable_unknown\":\"why\"}],"
			"\"sources\":{}}";
		CHECK(tfit_device_parse(text, sizeof(text) - 1, "q.json", &d, &err) == TFIT_OK);
		CHECK_U64(d.n_regions, 1);
		CHECK_U64(d.regions[0].usable_bytes, 0);
		CHECK_STR(d.regions[0].usable_unknown, "a block device, not memory-mapped");
		tfit_device_release(&d);
		CHECK(tfit_device_parse(both, sizeof(both) - 1, "q.json", &d, &err) == TFIT_ERR_INPUT);
		CHECK_STR(err.path, "regions[0].usable_unknown");
		CHECK_CONTAINS(err.message, "give one of usable and usable_unknown");
	}

	/* no regions: an implicit one of the total, usable size unknown (the
	 * verdict says unknown, never fits) */
	{
		static const char text[] =
			"{\"id\":\"r\",\"name\":\"R\",\"vendor\":\"V\",\"mcu\":\"M\",\"core\":\"cortex-m7\","
			"\"sram\":\"1.5MiB\",\"sources\":{}}";
		CHECK(tfit_device_parse(text, sizeof(text) - 1, "mem.json", &d, &err) == TFIT_OK);
		CHECK_U64(d.n_regions, 1);
		CHECK(d.regions[0].implicit && d.regions[0].kind == TFIT_MEM_SRAM);
		CHECK_U64(d.regions[0].bytes, 1572864);
		CHECK_U64(d.regions[0].usable_bytes, 0);
		CHECK_U64(d.largest_region_bytes, 0);
		CHECK(tfit_device_arena_region(&d) == &d.regions[0]);
		CHECK_STR(d.file, "mem.json");
		tfit_device_release(&d);
	}
	/* the format-1 object form of sram gets a migration message */
	{
		static const char text[] =
			"{\"id\":\"r\",\"name\":\"R\",\"vendor\":\"V\",\"mcu\":\"M\",\"core\":\"cortex-m7\","
			"\"sram\":{\"total\":\"1.5MiB\"},\"sources\":{}}";
		CHECK(tfit_device_parse(text, sizeof(text) - 1, "old.json", &d, &err) == TFIT_ERR_INPUT);
		CHECK_STR(err.path, "sram");
		CHECK_CONTAINS(err.message, "top-level \"regions\"");
	}
	/* an uppercase id is rejected */
	{
		static const char text[] =
			"{\"id\":\"Board\",\"name\":\"R\",\"vendor\":\"V\",\"mcu\":\"M\",\"core\":\"cortex-m7\","
			"\"sources\":{}}";
		CHECK(tfit_device_parse(text, sizeof(text) - 1, "up.json", &d, &err) == TFIT_ERR_INPUT);
		CHECK_STR(err.path, "id");
		CHECK(d.id == NULL);
	}
	/* a file that cannot be read is an I/O error */
	CHECK(tfit_device_load_file(DATA "/good/absent.json", &d, &err) == TFIT_ERR_IO);
}

/* full_board.json with n extra aliases "a0".."a<n-1>" before its own two
 * ("FB1", "full"), and dup appended when not NULL; parsed. */
static enum tfit_status parse_with_aliases(size_t n, const char *dup, struct tfit_error *err)
{
	FILE *f = fopen(DATA "/good/full_board.json", "rb");
	char *text = NULL, *out = NULL, *at;
	long len;
	size_t i, pos, cap;
	struct tfit_device d;
	enum tfit_status rc = TFIT_ERR_IO;

	if (!f)
		return rc;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	text = calloc((size_t)len + 1, 1);
	cap = (size_t)len + n * 16 + 64;
	out = malloc(cap);
	if (!text || !out || fread(text, 1, (size_t)len, f) != (size_t)len)
		goto out;
	at = strstr(text, "\"aliases\": [");
	if (!at)
		goto out;
	at += strlen("\"aliases\": [");
	pos = (size_t)(at - text);
	memcpy(out, text, pos);
	for (i = 0; i < n; i++)
		pos += (size_t)snprintf(out + pos, cap - pos, "\"a%zu\",", i);
	if (dup)
		pos += (size_t)snprintf(out + pos, cap - pos, "\"%s\",", dup);
	memcpy(out + pos, at, strlen(at) + 1);
	pos += strlen(at);
	rc = tfit_device_parse(out, pos, "many.json", &d, err);
	if (rc == TFIT_OK) {
		CHECK_U64(d.n_aliases, n + 2 + (dup != NULL));
		tfit_device_release(&d);
	}
out:
	free(text);
	free(out);
	fclose(f);
	return rc;
}

/* At most TFIT_DEVICE_MAX_REGIONS regions (issue #17: the duplicate-name
 * check is pairwise, so the count is bounded before any region is parsed). */
static enum tfit_status parse_with_regions(size_t n, struct tfit_error *err)
{
	char *text = NULL, *out = NULL, *at;
	size_t len = 0, i, pos, cap;
	struct tfit_device d;
	enum tfit_status rc = tfit_file_read(DATA "/good/full_board.json", TFIT_FILE_MAX_BYTES,
					      &text, &len, err);
	const char *region = "{\"name\": \"x\", \"kind\": \"sram\", \"size\": \"1KiB\"},";

	if (rc != TFIT_OK)
		return rc;
	rc = TFIT_ERR_IO;
	cap = len + n * strlen(region) + 64;
	out = malloc(cap);
	at = out ? strstr(text, "\"regions\": [") : NULL;
	if (!at)
		goto out;
	at += strlen("\"regions\": [");
	pos = (size_t)(at - text);
	memcpy(out, text, pos);
	for (i = 0; i < n; i++)
		pos += (size_t)snprintf(out + pos, cap - pos, "%s", region);
	memcpy(out + pos, at, strlen(at) + 1);
	pos += strlen(at);
	tfit_error_clear(err);
	rc = tfit_device_parse(out, pos, "regions.json", &d, err);
	if (rc == TFIT_OK)
		tfit_device_release(&d);
out:
	free(text);
	free(out);
	return rc;
}

static void test_region_limits(void)
{
	struct tfit_error err;
	CHECK_I64(parse_with_regions(0, &err), TFIT_OK);
	CHECK_I64(parse_with_regions(TFIT_DEVICE_MAX_REGIONS + 1, &err), TFIT_ERR_LIMIT);
	CHECK_STR(err.path, "regions");
	CHECK_STR(err.message, "more than 256 regions (the limit; docs/limits.md)");
	CHECK_I64(parse_with_regions(100000, &err), TFIT_ERR_LIMIT);
}

/* At most TFIT_DEVICE_MAX_ALIASES aliases (issue #17: 100,000 aliases made
 * every command take 21 s); duplicates found by a hash set, not pairwise. */
static void test_alias_limits(void)
{
	struct tfit_error err;
	CHECK_I64(parse_with_aliases(TFIT_DEVICE_MAX_ALIASES - 2, NULL, &err), TFIT_OK);
	CHECK_I64(parse_with_aliases(TFIT_DEVICE_MAX_ALIASES - 1, NULL, &err), TFIT_ERR_LIMIT);
	CHECK_STR(err.path, "aliases");
	CHECK_STR(err.message, "more than 1024 aliases (the limit; docs/limits.md)");
	CHECK_I64(parse_with_aliases(100000, NULL, &err), TFIT_ERR_LIMIT);
	CHECK_I64(parse_with_aliases(10, "A7", &err), TFIT_ERR_INPUT);
	CHECK_STR(err.path, "aliases[10]");
	CHECK_STR(err.message, "duplicate alias \"A7\" (also aliases[7])");
}

/* A well-spelt runtime loads without a check; with the registry's check
 * (registry.h) an unknown runtime or version is a field error at
 * default_runtime, listed with the profile's other errors. */
static void test_runtime_registry(void)
{
	static const char versioned[] =
		"{\"id\":\"r\",\"name\":\"R\",\"vendor\":\"V\",\"mcu\":\"M\",\"core\":\"cortex-m7\","
		"\"default_runtime\":\"x-cube-ai@8.1\",\"sources\":{}}";
	static const char no_version[] =
		"{\"id\":\"r\",\"name\":\"R\",\"vendor\":\"V\",\"mcu\":\"M\",\"core\":\"cortex-m7\","
		"\"default_runtime\":\"x-cube-ai@8.5\",\"sources\":{}}";
	struct tfit_device d;
	struct tfit_device_db db;
	struct tfit_cost_db cdb;
	struct tfit_registry reg;
	struct tfit_device_runtime_check check;
	struct tfit_error err;
	tfit_error_clear(&err);
	CHECK(tfit_device_runtime_name_valid("x-cube-ai@8.1"));
	CHECK(tfit_device_runtime_name_valid("hale@max-performance"));
	CHECK(!tfit_device_runtime_name_valid("@8.1") && !tfit_device_runtime_name_valid("tflm@"));
	CHECK(!tfit_device_runtime_name_valid("a@b@c") && !tfit_device_runtime_name_valid(""));
	CHECK(!tfit_device_runtime_name_valid("TFLM"));
	CHECK(tfit_device_load_file(DATA "/bad/bad_runtime/test_board.json", &d, &err) == TFIT_OK);
	CHECK_STR(d.runtime, "tensorflow");
	tfit_device_release(&d);

	CHECK(tfit_cost_db_load(TFIT_SOURCE_DIR "/data", &cdb, &err) == TFIT_OK);
	CHECK(tfit_registry_build(TFIT_SOURCE_DIR "/data", &cdb, &reg, &err) == TFIT_OK);
	tfit_registry_runtime_check(&reg, &check);
	CHECK(tfit_device_parse_checked(versioned, sizeof(versioned) - 1, "v.json", &check, &d,
					&err) == TFIT_OK);
	CHECK_STR(d.runtime, "x-cube-ai@8.1");
	tfit_device_release(&d);
	CHECK(tfit_device_parse_checked(no_version, sizeof(no_version) - 1, "v.json", &check, &d,
					&err) == TFIT_ERR_INPUT);
	CHECK_STR(err.path, "default_runtime");
	CHECK_CONTAINS(err.message, "runtime 'x-cube-ai' has no version '8.5' (versions: ");

	/* through the database: the first error, and among the others */
	tfit_device_db_init(&db);
	db.runtime_check = check;
	CHECK(tfit_device_db_load_dir(&db, DATA "/bad/bad_runtime", &err) == TFIT_ERR_INPUT);
	CHECK_STR(err.path, "default_runtime");
	CHECK_CONTAINS(err.message, "unknown runtime 'tensorflow' (expected one of: ");
	CHECK_CONTAINS(err.message, "plumerai");
	CHECK(tfit_device_db_load_dir(&db, DATA "/bad/many_errors", &err) == TFIT_ERR_INPUT);
	CHECK_STR(err.path, "colour");
	CHECK_CONTAINS(err.message, "\n" DATA "/bad/many_errors/board.json: default_runtime: error: "
			"unknown runtime 'tflm-fast' (expected one of: ");
	CHECK_U64(db.n_devices, 0);
	tfit_device_db_release(&db);
	tfit_registry_release(&reg);
	tfit_cost_db_release(&cdb);
}

int main(void)
{
	test_bad();
	test_runtime_registry();
	test_good();
	test_alias_limits();
	test_region_limits();
	return tfit_test_finish();
}
