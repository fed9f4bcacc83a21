/*
 * test_device_lookup.c - the device database finds boards by hash
 * (device_db.c, struct tfit_device_index) with the answers of the scan it
 * replaced: ids case-insensitively before aliases, the first board of an id,
 * the last board in database order of an alias, overrides in place. Each
 * answer is compared with the scan (the same database without its index).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tfit_test.h"
#include "tinyfit/device.h"

#define N_BOARDS 5000

/* Strings of the boards, owned here (the boards are added as compiled = 1,
 * so the database frees none of them). */
static char ids[N_BOARDS + 8][32];
static char aliases[N_BOARDS + 8][32];
static char *alias_lists[N_BOARDS + 8][1];

static void add(struct tfit_device_db *db, size_t slot, const char *id, const char *alias,
		const char *name)
{
	struct tfit_device d;
	struct tfit_error err;
	memset(&d, 0, sizeof(d));
	tfit_error_clear(&err);
	snprintf(ids[slot], sizeof(ids[slot]), "%s", id);
	d.id = ids[slot];
	d.name = (char *)name;
	if (alias) {
		snprintf(aliases[slot], sizeof(aliases[slot]), "%s", alias);
		alias_lists[slot][0] = aliases[slot];
		d.aliases = alias_lists[slot];
		d.n_aliases = 1;
	}
	d.file = (char *)"<test>/board.json";
	d.compiled = 1;
	CHECK(tfit_device_db_add(db, &d, &err) == TFIT_OK);
}

/* The hash answer and the scan's (the same boards, no index). */
static void same_as_scan(const struct tfit_device_db *db, const char *name)
{
	struct tfit_device_db scan = *db;
	const struct tfit_device *hashed = tfit_device_db_find(db, name);
	scan.index = NULL;
	if (hashed != tfit_device_db_find(&scan, name)) {
		fprintf(stderr, "lookup of '%s': hash and scan differ\n", name);
		CHECK(0);
	}
}

static void test_many(void)
{
	struct tfit_device_db db;
	char name[40];
	size_t i;
	tfit_device_db_init(&db);
	for (i = 0; i < N_BOARDS; i++) {
		char id[32], alias[32];
		snprintf(id, sizeof(id), "board%zu", i);
		snprintf(alias, sizeof(alias), "Alias%zu", i);
		add(&db, i, id, alias, "generated");
	}
	CHECK_U64(db.n_devices, N_BOARDS);
	CHECK(db.index != NULL);
	for (i = 0; i < N_BOARDS; i += 7) {
		snprintf(name, sizeof(name), "board%zu", i);
		CHECK(tfit_device_db_find(&db, name) == &db.devices[i]);
		snprintf(name, sizeof(name), "BOARD%zu", i);
		CHECK(tfit_device_db_find(&db, name) == &db.devices[i]);
		snprintf(name, sizeof(name), "alias%zu", i);
		CHECK(tfit_device_db_find(&db, name) == &db.devices[i]);
		same_as_scan(&db, name);
	}
	CHECK(tfit_device_db_find(&db, "board5000") == NULL);
	CHECK(tfit_device_db_find(&db, "") == NULL);
	same_as_scan(&db, "board5000");
	tfit_device_db_release(&db);
}

static void test_rules(void)
{
	struct tfit_device_db db;
	const struct tfit_device *d;
	tfit_device_db_init(&db);
	add(&db, N_BOARDS + 0, "alpha", "m", "alpha v1");   /* index 0 */
	add(&db, N_BOARDS + 1, "beta", "alpha2", "beta");   /* index 1 */
	add(&db, N_BOARDS + 2, "gamma", "m", "gamma");      /* index 2: m's last */
	add(&db, N_BOARDS + 3, "Delta", "beta", "delta");   /* alias = another's id */
	/* ids before aliases; the last board in order of an alias */
	CHECK((d = tfit_device_db_find(&db, "beta")) != NULL && strcmp(d->id, "beta") == 0);
	CHECK((d = tfit_device_db_find(&db, "M")) != NULL && strcmp(d->id, "gamma") == 0);
	CHECK((d = tfit_device_db_find(&db, "delta")) != NULL && strcmp(d->id, "Delta") == 0);
	/* an override keeps the place, takes the id, and is found at once */
	add(&db, N_BOARDS + 4, "alpha", "m", "alpha v2");
	CHECK_U64(db.n_devices, 4);
	CHECK((d = tfit_device_db_find(&db, "ALPHA")) == &db.devices[0]);
	CHECK_STR(d->name, "alpha v2");
	CHECK((d = tfit_device_db_find(&db, "m")) != NULL && strcmp(d->id, "gamma") == 0);
	/* gamma redefined without the alias: m is alpha's again */
	add(&db, N_BOARDS + 5, "gamma", NULL, "gamma v2");
	CHECK((d = tfit_device_db_find(&db, "m")) == &db.devices[0]);
	/* an id that differs only by case is a second board: the first wins */
	add(&db, N_BOARDS + 6, "ALPHA", NULL, "upper");
	CHECK_U64(db.n_devices, 5);
	CHECK(tfit_device_db_find(&db, "alpha") == &db.devices[0]);
	same_as_scan(&db, "alpha");
	same_as_scan(&db, "m");
	same_as_scan(&db, "beta");
	same_as_scan(&db, "alpha2");
	same_as_scan(&db, "nothing");
	tfit_device_db_release(&db);
}

int main(void)
{
	test_many();
	test_rules();
	return tfit_test_finish();
}
