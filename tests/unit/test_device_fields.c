/*
 * The one table of profile fields (src/device/device_tables.c) and the
 * documentation's table (docs/device-format.md "Fields") list the same
 * fields, in the same order, with the same required and source rules; the
 * parser accepts exactly those keys and rejects any other. So a field cannot
 * be added to one place and forgotten in another.
 */
#include "tfit_test.h"
#include "tinyfit/device.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROWS 64

struct doc_row {
	char name[64];
	int required;
	enum tfit_device_source_rule source;
};

/* Cell k (0-based) of a Markdown table row "| a | b | ... |" into buf. */
static int cell(const char *line, int k, char *buf, size_t size)
{
	const char *p = line, *e;
	int i;
	for (i = 0; i <= k; i++) {
		p = strstr(p, "| ");
		if (!p)
			return -1;
		p += 2;
	}
	e = strstr(p, " |");
	if (!e || (size_t)(e - p) >= size)
		return -1;
	memcpy(buf, p, (size_t)(e - p));
	buf[e - p] = '\0';
	return 0;
}

static size_t read_doc(struct doc_row *rows)
{
	FILE *f = fopen(TFIT_SOURCE_DIR "/docs/device-format.md", "r");
	char line[4096];
	size_t n = 0;
	int in = 0;
	CHECK(f != NULL);
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char name[128], req[64], src[128];
		if (!strncmp(line, "## Fields", 9)) {
			in = 1;
			continue;
		}
		if (in && !strncmp(line, "#", 1))
			break;
		if (!in || strncmp(line, "| `", 3) != 0)
			continue;
		CHECK(cell(line, 0, name, sizeof(name)) == 0);
		CHECK(cell(line, 3, req, sizeof(req)) == 0);
		CHECK(cell(line, 4, src, sizeof(src)) == 0);
		CHECK(n < MAX_ROWS);
		if (n >= MAX_ROWS)
			break;
		/* `name` -> name */
		snprintf(rows[n].name, sizeof(rows[n].name), "%.*s", (int)strlen(name) - 2, name + 1);
		rows[n].required = !strcmp(req, "yes");
		rows[n].source = !strncmp(src, "required", 8) ? TFIT_DEVICE_SOURCE_HW
				 : !strncmp(src, "may", 3)    ? TFIT_DEVICE_SOURCE_MAY
							      : TFIT_DEVICE_SOURCE_NO;
		n++;
	}
	fclose(f);
	return n;
}

static void test_doc_matches_table(void)
{
	static struct doc_row rows[MAX_ROWS];
	size_t n = read_doc(rows), i;
	const char *const *names = tfit_device_field_names();
	CHECK_U64(n, tfit_device_field_count());
	CHECK_U64(n, 27);
	for (i = 0; i < n && i < tfit_device_field_count(); i++) {
		const struct tfit_device_field *f = tfit_device_field_at(i);
		CHECK_STR(rows[i].name, f->name);
		CHECK_STR(names[i], f->name);
		CHECK(rows[i].required == f->required);
		if (rows[i].source != f->source)
			fprintf(stderr, "field %s: the docs' source rule differs\n", f->name);
		CHECK(rows[i].source == f->source);
	}
	CHECK(names[tfit_device_field_count()] == NULL);
}

/* The parser takes every field of the table and nothing else. */
static void test_parser_uses_table(void)
{
	struct tfit_device d;
	struct tfit_error err;
	const char *ok = "{\"id\": \"x\", \"name\": \"X\", \"vendor\": \"V\", \"mcu\": \"M\","
			 " \"core\": \"cortex-m4\", \"notes\": \"n\", \"$schema\": \"s\","
			 " \"sources\": {}}";
	const char *bad = "{\"id\": \"x\", \"name\": \"X\", \"vendor\": \"V\", \"mcu\": \"M\","
			  " \"core\": \"cortex-m4\", \"clok_mhz\": 1, \"sources\": {}}";
	size_t i;
	CHECK(tfit_device_parse(ok, strlen(ok), "ok.json", &d, &err) == TFIT_OK);
	tfit_device_release(&d);
	CHECK(tfit_device_parse(bad, strlen(bad), "bad.json", &d, &err) == TFIT_ERR_INPUT);
	/* the message lists the valid keys: every field of the table */
	for (i = 0; i < tfit_device_field_count(); i++)
		CHECK_CONTAINS(err.message, tfit_device_field_at(i)->name);
	/* required fields: leaving one out is an error naming it */
	for (i = 0; i < tfit_device_field_count(); i++) {
		const struct tfit_device_field *f = tfit_device_field_at(i);
		char text[512], key[80];
		const char *p;
		size_t len;
		if (!f->required || !strcmp(f->name, "sources"))
			continue;
		snprintf(key, sizeof(key), "\"%s\": ", f->name);
		p = strstr(ok, key);
		CHECK(p != NULL);
		if (!p)
			continue;
		/* drop "key": "value", from the valid profile */
		len = (size_t)(strchr(strchr(p + strlen(key) + 1, '"') + 1, ',') + 1 - p);
		snprintf(text, sizeof(text), "%.*s%s", (int)(p - ok), ok, p + len);
		CHECK(tfit_device_parse(text, strlen(text), "r.json", &d, &err) != TFIT_OK);
	}
}

/* A source for a field that takes none: the message lists exactly the
 * table's fields whose source rule is not NO, in the table's order. */
static void test_source_error_lists_table(void)
{
	struct tfit_device d;
	struct tfit_error err;
	const char *bad = "{\"id\": \"x\", \"name\": \"X\", \"vendor\": \"V\", \"mcu\": \"M\","
			  " \"core\": \"cortex-m4\", \"notes\": \"n\","
			  " \"sources\": {\"notes\": \"a citation\"}}";
	const char *p, *e;
	char list[1024], want[1024];
	size_t i, len = 0;
	CHECK(tfit_device_parse(bad, strlen(bad), "src.json", &d, &err) == TFIT_ERR_INPUT);
	CHECK_STR(err.path, "sources.notes");
	CHECK_CONTAINS(err.message, "'notes' is not a field that takes a source");
	p = strstr(err.message, "(expected one of: ");
	CHECK(p != NULL);
	if (!p)
		return;
	p += strlen("(expected one of: ");
	e = strchr(p, ')');
	CHECK(e != NULL && (size_t)(e - p) < sizeof(list));
	if (!e || (size_t)(e - p) >= sizeof(list))
		return;
	snprintf(list, sizeof(list), "%.*s", (int)(e - p), p);
	want[0] = '\0';
	for (i = 0; i < tfit_device_field_count(); i++) {
		const struct tfit_device_field *f = tfit_device_field_at(i);
		if (f->source == TFIT_DEVICE_SOURCE_NO)
			continue;
		len += (size_t)snprintf(want + len, sizeof(want) - len, "%s%s", len ? ", " : "", f->name);
	}
	CHECK_STR(list, want);
	/* and the table has the fields a reader expects there */
	CHECK_CONTAINS(list, "clock_mhz");
	CHECK_CONTAINS(list, "default_runtime");
	CHECK(strstr(list, "notes") == NULL && strstr(list, "aliases") == NULL);
}

int main(void)
{
	test_doc_matches_table();
	test_parser_uses_table();
	test_source_error_lists_table();
	return tfit_test_finish();
}
