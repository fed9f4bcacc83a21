/*
 * Unit tests for the device database: load order and overrides (with
 * temporary directories), case-insensitive id/alias lookup, "did you mean"
 * suggestions, and the filtered, sorted listings.
 */
#define _POSIX_C_SOURCE 200809L
#include "tfit_test.h"
#include "tinyfit/device.h"

#include <stdlib.h>
#include <unistd.h>

#define KIB 1024ULL

static char tmp_root[256];

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fputs(text, f);
	fclose(f);
}

static void make_dir(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", tmp_root, name);
	CHECK(mkdir(out, 0700) == 0);
}

/* A profile with id, SRAM in KiB, and one alias. */
static void profile(const char *dir, const char *file, const char *id, const char *name,
		    unsigned sram_kib, const char *alias)
{
	char text[1024];
	snprintf(text, sizeof(text),
		 "{\"id\": \"%s\", \"name\": \"%s\", \"vendor\": \"Acme\", \"mcu\": \"A1\",\n"
		 " \"core\": \"cortex-m4f\", \"clock_mhz\": 80, \"flash\": \"1MiB\",\n"
		 " \"sram\": \"%uKiB\", \"aliases\": [\"%s\"],\n"
		 " \"sources\": {\"mcu\": \"t\", \"core\": \"t\", \"clock_mhz\": \"t\", \"flash\": \"t\",\n"
		 "             \"sram\": \"t\"}}\n", id, name, sram_kib, alias);
	write_file(dir, file, text);
}

static void test_override_order(void)
{
	char a[300], b[300], c[300];
	const char *dirs[3];
	struct tfit_device_db db;
	struct tfit_error err;
	const struct tfit_device *d;
	char want[600];

	make_dir(a, sizeof(a), "builtin");
	make_dir(b, sizeof(b), "env");
	make_dir(c, sizeof(c), "cli");
	profile(a, "board_x.json", "board_x", "Board X", 64, "bx");
	profile(a, "board_y.json", "board_y", "Board Y", 32, "by");
	profile(b, "x-lab.json", "board_x", "Board X (lab)", 48, "bx-lab");
	profile(c, "x-mine.json", "board_x", "Board X (mine)", 40, "bx-mine");
	profile(c, "board_z.json", "board_z", "Board Z", 16, "bz");
	dirs[0] = a;
	dirs[1] = b;
	dirs[2] = c;

	/* built-in, then env, then --device-dir: the last definition wins */
	tfit_device_db_init(&db);
	tfit_error_clear(&err);
	CHECK(tfit_device_db_load_dirs(&db, dirs, 3, &err) == TFIT_OK);
	CHECK_U64(db.n_devices, 3);
	d = tfit_device_db_find(&db, "board_x");
	CHECK(d != NULL);
	if (d) {
		CHECK_U64(d->sram_bytes, 40 * KIB);
		CHECK_STR(d->name, "Board X (mine)");
		snprintf(want, sizeof(want), "%s/x-mine.json", c);
		CHECK_STR(d->file, want);
		snprintf(want, sizeof(want), "%s/x-lab.json", b);
		CHECK_STR(d->overrides, want);
	}
	/* the overriding profile's aliases replace the old ones */
	CHECK(tfit_device_db_find(&db, "bx-mine") == d);
	CHECK(tfit_device_db_find(&db, "bx") == NULL);
	d = tfit_device_db_find(&db, "board_y");
	CHECK(d && d->overrides == NULL && d->sram_bytes == 32 * KIB);
	/* listing keeps first-definition order */
	CHECK_STR(db.devices[0].id, "board_x");
	CHECK_STR(db.devices[1].id, "board_y");
	CHECK_STR(db.devices[2].id, "board_z");
	tfit_device_db_release(&db);

	/* reversed order: the built-in definition wins */
	dirs[0] = c;
	dirs[2] = a;
	tfit_device_db_init(&db);
	CHECK(tfit_device_db_load_dirs(&db, dirs, 3, &err) == TFIT_OK);
	d = tfit_device_db_find(&db, "BOARD_X");
	CHECK(d && d->sram_bytes == 64 * KIB);
	tfit_device_db_release(&db);

	/* a missing directory is an I/O error naming it */
	tfit_device_db_init(&db);
	snprintf(want, sizeof(want), "%s/nope", tmp_root);
	CHECK(tfit_device_db_load_dir(&db, want, &err) == TFIT_ERR_IO);
	CHECK_STR(err.file, want);
	CHECK_CONTAINS(err.message, "cannot open device directory");
	tfit_device_db_release(&db);
}

static void test_failed_load_leaves_db(void)
{
	char a[300], bad[300];
	struct tfit_device_db db;
	struct tfit_error err;
	make_dir(a, sizeof(a), "ok");
	make_dir(bad, sizeof(bad), "broken");
	profile(a, "board_x.json", "board_x", "Board X", 64, "bx");
	profile(bad, "board_x.json", "board_x", "Board X v2", 96, "bx2");
	write_file(bad, "zz.json", "{\"id\": \"zz\"}");
	tfit_device_db_init(&db);
	CHECK(tfit_device_db_load_dir(&db, a, &err) == TFIT_OK);
	CHECK(tfit_device_db_load_dir(&db, bad, &err) == TFIT_ERR_INPUT);
	CHECK_CONTAINS(err.file, "zz.json");
	/* nothing of the broken directory went in */
	CHECK_U64(db.n_devices, 1);
	CHECK_U64(db.devices[0].sram_bytes, 64 * KIB);
	tfit_device_db_release(&db);
}

/* A labelled directory records and reports files under the label. */
static void test_label(void)
{
	char a[300], bad[300];
	struct tfit_device_db db;
	struct tfit_error err;
	const struct tfit_device *d;
	make_dir(a, sizeof(a), "labelled");
	make_dir(bad, sizeof(bad), "labelled_bad");
	profile(a, "board_x.json", "board_x", "Board X", 64, "bx");
	write_file(bad, "oops.json", "{\"id\": \"oops\", \"name\": 1}");
	tfit_device_db_init(&db);
	CHECK(tfit_device_db_load_dir_as(&db, a, "<built-in>", &err) == TFIT_OK);
	d = tfit_device_db_find(&db, "bx");
	CHECK(d && !strcmp(d->file, "<built-in>/board_x.json"));
	CHECK(tfit_device_db_load_dir_as(&db, bad, "lab/", &err) == TFIT_ERR_INPUT);
	CHECK_STR(err.file, "lab/oops.json");
	CHECK_STR(err.path, "name");
	tfit_device_db_release(&db);
}

static struct tfit_device_db shipped;

static void test_lookup_and_suggest(void)
{
	struct tfit_error err;
	const struct tfit_device *d = NULL;
	const char *s[5];
	size_t n;

	tfit_device_db_init(&shipped);
	CHECK(tfit_device_db_load_dir(&shipped, TFIT_SOURCE_DIR "/devices", &err) == TFIT_OK);
	CHECK((d = tfit_device_db_find(&shipped, "Esp32")) && !strcmp(d->id, "esp32_devkitc"));
	CHECK((d = tfit_device_db_find(&shipped, "NANO33BLE_SENSE")) && !strcmp(d->id, "nano33ble_sense"));
	CHECK(tfit_device_db_find(&shipped, "") == NULL);
	CHECK(tfit_device_db_find(&shipped, "nano33ble_senze") == NULL);

	n = tfit_device_db_suggest(&shipped, "nano33ble_senze", s, 5);
	CHECK(n >= 1);
	if (n)
		CHECK_STR(s[0], "nano33ble_sense");
	n = tfit_device_db_suggest(&shipped, "esp32_devkit", s, 5);
	CHECK(n >= 1);
	if (n)
		CHECK_STR(s[0], "esp32_devkitc");
	n = tfit_device_db_suggest(&shipped, "f746", s, 5);
	CHECK(n >= 1);
	if (n)
		CHECK_STR(s[0], "disco_f746ng");
	CHECK_U64(tfit_device_db_suggest(&shipped, "qwertyuiopasdf", s, 5), 0);

	CHECK(tfit_device_db_find_or_error(&shipped, "rpi_pic", &d, &err) == TFIT_ERR_USAGE);
	CHECK(d == NULL);
	CHECK_CONTAINS(err.message, "unknown device 'rpi_pic' (did you mean rpi_pico");
	CHECK(tfit_device_db_find_or_error(&shipped, "zzzzzzzzzzzzzzzz", &d, &err) == TFIT_ERR_USAGE);
	CHECK_CONTAINS(err.message, "'tinyfit devices' lists the known ids");
	CHECK(tfit_device_db_find_or_error(&shipped, "pico", &d, &err) == TFIT_OK);
	CHECK(d && !strcmp(d->id, "rpi_pico"));
}

static void test_select(void)
{
	struct tfit_device_filter f;
	const struct tfit_device **v = NULL;
	struct tfit_error err;
	size_t n = 0, i;
	enum tfit_device_sort s;

	memset(&f, 0, sizeof(f));
	f.core = "cortex-m0plus";
	CHECK(tfit_device_db_select(&shipped, &f, TFIT_DEVICE_SORT_ID, &v, &n, &err) == TFIT_OK);
	CHECK_U64(n, 4); /* nanorp2040, nucleo_g0b1re, rpi_pico, syntiant_tinyml */
	if (n == 4) {
		CHECK_STR(v[0]->id, "nanorp2040");
		CHECK_STR(v[3]->id, "syntiant_tinyml");
	}
	free(v);

	/* family names filter too; SRAM descending, ties by id */
	f.core = "arm-m-helium";
	CHECK(tfit_device_db_select(&shipped, &f, TFIT_DEVICE_SORT_SRAM, &v, &n, &err) == TFIT_OK);
	CHECK_U64(n, 3); /* 13.5 MiB, 3327 KiB, 1 MiB */
	if (n == 3) {
		CHECK_STR(v[0]->id, "alif_e7_devkit");
		CHECK_STR(v[1]->id, "stm32n6570_dk");
		CHECK_STR(v[2]->id, "ek_ra8d1");
	}
	free(v);

	memset(&f, 0, sizeof(f));
	f.vendor = "arduino";
	f.min_sram_bytes = 256 * KIB;
	CHECK(tfit_device_db_select(&shipped, &f, TFIT_DEVICE_SORT_ID, &v, &n, &err) == TFIT_OK);
	for (i = 0; i < n; i++) {
		CHECK(v[i]->sram_bytes >= 256 * KIB);
		CHECK_CONTAINS(v[i]->vendor, "Arduino");
	}
	CHECK_U64(n, 5); /* arduino_nano_esp32, nano33ble_sense, nanorp2040, nicla_vision, portenta_h7 */
	free(v);

	memset(&f, 0, sizeof(f));
	f.min_flash_bytes = 1024ULL * 1024 * 1024;
	CHECK(tfit_device_db_select(&shipped, &f, TFIT_DEVICE_SORT_FLASH, &v, &n, &err) == TFIT_OK);
	CHECK(n >= 4);
	if (n)
		CHECK_STR(v[0]->id, "rpi4"); /* the course's 32768000 KB SD card */
	free(v);

	/* price: ascending, unknown prices last */
	CHECK(tfit_device_db_select(&shipped, NULL, TFIT_DEVICE_SORT_PRICE, &v, &n, &err) == TFIT_OK);
	CHECK_U64(n, shipped.n_devices);
	if (n) {
		CHECK_STR(v[0]->id, "rpi_pico");
		CHECK(v[n - 1]->price_usd == 0);
	}
	free(v);

	CHECK(tfit_device_db_select(&shipped, NULL, TFIT_DEVICE_SORT_CLOCK, &v, &n, &err) == TFIT_OK);
	if (n)
		CHECK_STR(v[0]->id, "rpi5");
	free(v);

	memset(&f, 0, sizeof(f));
	f.core = "cortex-m9";
	CHECK(tfit_device_db_select(&shipped, &f, TFIT_DEVICE_SORT_ID, &v, &n, &err) == TFIT_ERR_USAGE);
	CHECK_CONTAINS(err.message, "unknown core 'cortex-m9'");
	CHECK(v == NULL && n == 0);

	CHECK(tfit_device_sort_parse("sram", &s) == 0 && s == TFIT_DEVICE_SORT_SRAM);
	CHECK(tfit_device_sort_parse("ram", &s) != 0);
	CHECK_STR(tfit_device_sort_name(TFIT_DEVICE_SORT_PRICE), "price");
	tfit_device_db_release(&shipped);
}

static void test_tables(void)
{
	uint64_t f = 0, s = 0;
	CHECK(tfit_device_core_find("cortex-m4f") != NULL);
	CHECK(tfit_device_core_find("Cortex-M4F") == NULL);
	CHECK(tfit_device_runtime_name_valid("tflm-esp-nn"));
	CHECK(!tfit_device_runtime_name_valid("tflm esp nn"));
	tfit_device_class_reserve(TFIT_DEVICE_CLASS_MCU, &f, &s);
	CHECK_U64(f, 0); /* the runtime code is in the runtime profile, not the reserve */
	CHECK_U64(s, 2048);
	tfit_device_class_reserve(TFIT_DEVICE_CLASS_LINUX, &f, &s);
	CHECK_U64(f, 0);
	CHECK_U64(s, 0);
	CHECK(tfit_device_simd_valid("helium"));
	CHECK(!tfit_device_simd_valid("mve"));
	CHECK_STR(tfit_core_family_name(TFIT_CORE_FAMILY_XTENSA), "xtensa");
}

static void rm_rf(const char *root)
{
	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", root);
}

int main(void)
{
	snprintf(tmp_root, sizeof(tmp_root), "/tmp/tfit_device_db_XXXXXX");
	if (!mkdtemp(tmp_root)) {
		perror("mkdtemp");
		return 1;
	}
	test_tables();
	test_override_order();
	test_failed_load_leaves_db();
	test_label();
	test_lookup_and_suggest();
	test_select();
	rm_rf(tmp_root);
	return tfit_test_finish();
}
