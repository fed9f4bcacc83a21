/*
 * device_db.c - the device database: loading directories in order with
 * overrides, lookup by id or alias, "did you mean" suggestions, and the
 * filtered, sorted listings of `tinyfit devices`.
 */
#define _POSIX_C_SOURCE 200809L
#include "tinyfit/device.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tinyfit/fileio.h"
#include "tinyfit/strbuf.h"
#include "device_internal.h"
#include "util/dirlist.h"
#include "util/strmap.h"
#include "util/text_filter.h"

static int lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

int tfit_device_strcasecmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		int ca = lower((unsigned char)*a), cb = lower((unsigned char)*b);
		if (ca != cb || !ca)
			return ca - cb;
	}
}

void tfit_device_db_init(struct tfit_device_db *db)
{
	memset(db, 0, sizeof(*db));
}

/* The hash lookup of a database (device.h: db->index). */
struct tfit_device_index {
	struct tfit_strmap exact;   /* id -> index, as given: the override rule */
	struct tfit_strmap ids;     /* id, case-insensitive -> the first index */
	struct tfit_strmap aliases; /* alias, case-insensitive -> the last index */
	int lookup_built;           /* ids and aliases match devices[] */
};

static void index_free(struct tfit_device_index *ix)
{
	if (!ix)
		return;
	tfit_strmap_release(&ix->exact);
	tfit_strmap_release(&ix->ids);
	tfit_strmap_release(&ix->aliases);
	free(ix);
}

void tfit_device_db_release(struct tfit_device_db *db)
{
	size_t i;
	if (!db)
		return;
	for (i = 0; i < db->n_devices; i++)
		tfit_device_release(&db->devices[i]);
	free(db->devices);
	index_free(db->index);
	memset(db, 0, sizeof(*db));
}

/* The index of db, made on the first add (with the devices already there,
 * for a database filled by hand). NULL when out of memory. */
static struct tfit_device_index *index_of(struct tfit_device_db *db)
{
	struct tfit_device_index *ix;
	size_t i;
	if (db->index)
		return db->index;
	if (!(ix = calloc(1, sizeof(*ix))))
		return NULL;
	tfit_strmap_init(&ix->exact);
	tfit_strmap_init_ci(&ix->ids);
	tfit_strmap_init_ci(&ix->aliases);
	for (i = 0; i < db->n_devices; i++) {
		if (tfit_strmap_put(&ix->exact, db->devices[i].id, i) != 0) {
			index_free(ix);
			return NULL;
		}
	}
	db->index = ix;
	return ix;
}

/* Build the case-insensitive lookup of ids (the first board of an id
 * wins) and aliases (the last board in order wins), as the scan it
 * replaces answered. 0, or -1 when out of memory (the caller scans). */
static int build_lookup(const struct tfit_device_db *db)
{
	struct tfit_device_index *ix = db->index;
	size_t i, j, at;
	tfit_strmap_release(&ix->ids);
	tfit_strmap_release(&ix->aliases);
	tfit_strmap_init_ci(&ix->ids);
	tfit_strmap_init_ci(&ix->aliases);
	for (i = 0; i < db->n_devices; i++) {
		const struct tfit_device *d = &db->devices[i];
		if (!tfit_strmap_get(&ix->ids, d->id, &at) && tfit_strmap_put(&ix->ids, d->id, i) != 0)
			return -1;
		for (j = 0; j < d->n_aliases; j++)
			if (tfit_strmap_put(&ix->aliases, d->aliases[j], i) != 0)
				return -1;
	}
	ix->lookup_built = 1;
	return 0;
}

static struct tfit_device *find_id(struct tfit_device_db *db, const char *id)
{
	size_t i;
	if (db->index)
		return tfit_strmap_get(&db->index->exact, id, &i) ? &db->devices[i] : NULL;
	for (i = 0; i < db->n_devices; i++)
		if (strcmp(db->devices[i].id, id) == 0)
			return &db->devices[i];
	return NULL;
}

enum tfit_status tfit_device_db_add(struct tfit_device_db *db, struct tfit_device *dev,
				    struct tfit_error *err)
{
	struct tfit_device_index *ix = index_of(db);
	struct tfit_device *old;
	if (!ix)
		return tfit_error_set(err, TFIT_ERR_NOMEM, dev->file, NULL, "out of memory");
	ix->lookup_built = 0;
	old = find_id(db, dev->id);
	if (old) {
		/* A later directory overrides: keep the position (so listings
		 * stay in first-definition order) and remember the loser. */
		char *loser = old->compiled ? tfit_device_strdup(old->file) : old->file;
		if (old->compiled && !loser)
			return tfit_error_set(err, TFIT_ERR_NOMEM, dev->file, NULL,
					      "out of memory");
		/* the same id at the same place: the map keeps the new id's
		 * pointer (put compares with the old one, still valid here) */
		if (tfit_strmap_put(&ix->exact, dev->id, (size_t)(old - db->devices)) != 0) {
			if (old->compiled)
				free(loser);
			return tfit_error_set(err, TFIT_ERR_NOMEM, dev->file, NULL, "out of memory");
		}
		old->file = NULL;
		tfit_device_release(old);
		*old = *dev;
		free(old->overrides);
		old->overrides = loser;
		memset(dev, 0, sizeof(*dev));
		return TFIT_OK;
	}
	if (db->n_devices == db->cap) {
		size_t cap = db->cap ? db->cap * 2 : 64;
		struct tfit_device *p = realloc(db->devices, cap * sizeof(*p));
		if (!p)
			return tfit_error_set(err, TFIT_ERR_NOMEM, dev->file, NULL,
					      "out of memory");
		db->devices = p;
		db->cap = cap;
	}
	if (tfit_strmap_put(&ix->exact, dev->id, db->n_devices) != 0)
		return tfit_error_set(err, TFIT_ERR_NOMEM, dev->file, NULL, "out of memory");
	db->devices[db->n_devices++] = *dev;
	memset(dev, 0, sizeof(*dev));
	return TFIT_OK;
}

enum tfit_status tfit_device_db_add_compiled(struct tfit_device_db *db,
					     const struct tfit_device *devs, size_t n,
					     struct tfit_error *err)
{
	size_t i;
	for (i = 0; i < n; i++) {
		struct tfit_device d = devs[i];
		enum tfit_status rc;
		d.compiled = 1;
		d.overrides = NULL;
		if ((rc = tfit_device_db_add(db, &d, err)) != TFIT_OK)
			return rc;
	}
	return TFIT_OK;
}

/*
 * Check one parsed device against the others of its directory, then add its
 * id and aliases to names (case-insensitive, name -> index in batch): one
 * hash lookup per name, so a directory loads in time linear in its names.
 */
static enum tfit_status check_batch(struct tfit_device *const *batch, struct tfit_strmap *names,
				    size_t self, struct tfit_error *err)
{
	const struct tfit_device *dev = batch[self], *other;
	size_t j, at;
	char path[64];
	if (tfit_strmap_get(names, dev->id, &at)) {
		other = batch[at];
		if (strcmp(other->id, dev->id) == 0)
			return tfit_error_set(err, TFIT_ERR_INPUT, dev->file, "id",
					      "duplicate id \"%s\" (also defined in %s)", dev->id,
					      other->file);
		return tfit_error_set(err, TFIT_ERR_INPUT, dev->file, "id",
				      "id \"%s\" is already an alias of \"%s\" (%s)", dev->id,
				      other->id, other->file);
	}
	for (j = 0; j < dev->n_aliases; j++) {
		if (tfit_strmap_get(names, dev->aliases[j], &at)) {
			other = batch[at];
			snprintf(path, sizeof(path), "aliases[%zu]", j);
			return tfit_error_set(err, TFIT_ERR_INPUT, dev->file, path,
					      "alias \"%s\" already names \"%s\" (%s)",
					      dev->aliases[j], other->id, other->file);
		}
	}
	/* parse_aliases already refused an alias repeating the id or another
	 * alias of the same profile */
	if (tfit_strmap_put(names, dev->id, self) != 0)
		return tfit_error_set(err, TFIT_ERR_NOMEM, dev->file, NULL, "out of memory");
	for (j = 0; j < dev->n_aliases; j++)
		if (tfit_strmap_put(names, dev->aliases[j], self) != 0)
			return tfit_error_set(err, TFIT_ERR_NOMEM, dev->file, NULL,
					      "out of memory");
	return TFIT_OK;
}

enum tfit_status tfit_device_db_load_dir(struct tfit_device_db *db, const char *dir,
					 struct tfit_error *err)
{
	return tfit_device_db_load_dir_as(db, dir, dir, err);
}

/* Read dir/name and parse it under the name label/name, its runtime
 * checked by check. */
static enum tfit_status load_one(const char *dir, const char *label, const char *name,
				 const struct tfit_device_runtime_check *check,
				 struct tfit_strbuf *path, struct tfit_device *dev,
				 struct tfit_error *err)
{
	char *data = NULL;
	size_t len = 0;
	enum tfit_status rc;
	tfit_strbuf_reset(path);
	tfit_strbuf_puts(path, dir);
	if (dir[0] && dir[strlen(dir) - 1] != '/')
		tfit_strbuf_putc(path, '/');
	tfit_strbuf_puts(path, name);
	if (path->oom)
		return tfit_error_set(err, TFIT_ERR_NOMEM, dir, NULL, "out of memory");
	rc = tfit_file_read(tfit_strbuf_str(path), TFIT_FILE_MAX_BYTES, &data, &len, err);
	if (rc != TFIT_OK)
		return rc;
	tfit_strbuf_reset(path);
	tfit_strbuf_puts(path, label);
	if (label[0] && label[strlen(label) - 1] != '/')
		tfit_strbuf_putc(path, '/');
	tfit_strbuf_puts(path, name);
	if (path->oom) {
		rc = tfit_error_set(err, TFIT_ERR_NOMEM, dir, NULL, "out of memory");
	} else {
		/* the name the profile is known by in messages and reports:
		 * file names may hold any byte (control characters and bytes
		 * that are not UTF-8 become '?', as in the profile's strings) */
		if (path->buf) {
			tfit_text_filter_bytes(path->buf, path->len, path->buf);
			path->len = strlen(path->buf);
		}
		rc = tfit_device_parse_checked(data, len, tfit_strbuf_str(path), check, dev,
					       err);
	}
	free(data);
	return rc;
}

enum tfit_status tfit_device_db_load_dir_as(struct tfit_device_db *db, const char *dir,
					    const char *label, struct tfit_error *err)
{
	char **names = NULL;
	size_t n_names = 0, i, n_batch = 0;
	struct tfit_device *batch = NULL;
	struct tfit_device **batch_ptrs = NULL;
	enum tfit_status rc = TFIT_OK;
	struct tfit_strbuf path = TFIT_STRBUF_INIT;
	struct tfit_strmap seen;

	tfit_strmap_init_ci(&seen);
	/* in name order, so that which of two duplicates is reported is stable */
	if ((rc = tfit_dir_list(dir, "device", ".json", &names, &n_names, err)) != TFIT_OK)
		return rc;
	if (n_names == 0)
		goto out;
	batch = calloc(n_names, sizeof(*batch));
	batch_ptrs = calloc(n_names, sizeof(*batch_ptrs));
	if (!batch || !batch_ptrs) {
		rc = tfit_error_set(err, TFIT_ERR_NOMEM, dir, NULL, "out of memory");
		goto out;
	}
	/* Parse and check the whole directory before touching db, so that a
	 * failed load leaves the database as it was. */
	for (i = 0; i < n_names; i++) {
		rc = load_one(dir, label, names[i], &db->runtime_check, &path, &batch[n_batch], err);
		if (rc != TFIT_OK)
			goto out;
		n_batch++;
		batch_ptrs[n_batch - 1] = &batch[n_batch - 1];
		rc = check_batch(batch_ptrs, &seen, n_batch - 1, err);
		if (rc != TFIT_OK)
			goto out;
	}
	for (i = 0; i < n_batch; i++) {
		rc = tfit_device_db_add(db, &batch[i], err);
		if (rc != TFIT_OK)
			goto out;
	}
out:
	tfit_dir_list_free(names);
	for (i = 0; batch && i < n_batch; i++)
		tfit_device_release(&batch[i]);
	free(batch);
	free(batch_ptrs);
	tfit_strbuf_release(&path);
	tfit_strmap_release(&seen);
	return rc;
}

enum tfit_status tfit_device_db_load_dirs(struct tfit_device_db *db, const char *const *dirs,
					  size_t n, struct tfit_error *err)
{
	size_t i;
	for (i = 0; i < n; i++) {
		enum tfit_status rc = tfit_device_db_load_dir(db, dirs[i], err);
		if (rc != TFIT_OK)
			return rc;
	}
	return TFIT_OK;
}

const struct tfit_device *tfit_device_db_find(const struct tfit_device_db *db,
					      const char *name)
{
	size_t i, j;
	const struct tfit_device *hit = NULL;
	if (!db || !name || !name[0])
		return NULL;
	if (db->index && (db->index->lookup_built || build_lookup(db) == 0)) {
		/* by hash: the same answer as the scan below */
		if (tfit_strmap_get(&db->index->ids, name, &i) ||
		    tfit_strmap_get(&db->index->aliases, name, &i))
			return &db->devices[i];
		return NULL;
	}
	for (i = 0; i < db->n_devices; i++)
		if (tfit_device_strcasecmp(db->devices[i].id, name) == 0)
			return &db->devices[i];
	/* Aliases: the last match wins, so a later directory can take over an
	 * alias as well as an id. */
	for (i = 0; i < db->n_devices; i++)
		for (j = 0; j < db->devices[i].n_aliases; j++)
			if (tfit_device_strcasecmp(db->devices[i].aliases[j], name) == 0)
				hit = &db->devices[i];
	return hit;
}

/* Case-insensitive Levenshtein distance, capped at 64 characters. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[65];
	if (la > 64)
		la = 64;
	if (lb > 64)
		lb = 64;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = lower((unsigned char)a[i - 1]) ==
				      lower((unsigned char)b[j - 1]) ? 0 : 1;
			size_t best = diag + cost;
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

int tfit_device_contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle), i, j;
	for (i = 0; hay[i]; i++) {
		for (j = 0; j < n && hay[i + j]; j++)
			if (lower((unsigned char)hay[i + j]) != lower((unsigned char)needle[j]))
				break;
		if (j == n)
			return 1;
	}
	return n == 0;
}

struct scored {
	const char *id;
	size_t score;
};

static int cmp_scored(const void *a, const void *b)
{
	const struct scored *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? -1 : 1;
	return strcmp(x->id, y->id);
}

size_t tfit_device_db_suggest(const struct tfit_device_db *db, const char *name,
			      const char **out, size_t max)
{
	struct scored *s;
	size_t i, j, n = 0, len, limit;
	if (!db || !name || !db->n_devices || !max)
		return 0;
	len = strlen(name);
	/* About one typo per three characters, at least two. */
	limit = len / 3 > 2 ? len / 3 : 2;
	s = calloc(db->n_devices, sizeof(*s));
	if (!s)
		return 0;
	for (i = 0; i < db->n_devices; i++) {
		const struct tfit_device *d = &db->devices[i];
		size_t best = edit_distance(name, d->id);
		for (j = 0; j < d->n_aliases; j++) {
			size_t e = edit_distance(name, d->aliases[j]);
			if (e < best)
				best = e;
		}
		/* A name that is part of an id ("f746") is a good hint too;
		 * rank it just after close typos. */
		if (best > limit && len >= 3 && tfit_device_contains_ci(d->id, name))
			best = limit;
		if (best <= limit) {
			s[n].id = d->id;
			s[n].score = best;
			n++;
		}
	}
	qsort(s, n, sizeof(*s), cmp_scored);
	if (n > max)
		n = max;
	for (i = 0; i < n; i++)
		out[i] = s[i].id;
	free(s);
	return n;
}

enum tfit_status tfit_device_db_find_or_error(const struct tfit_device_db *db,
					      const char *name,
					      const struct tfit_device **out,
					      struct tfit_error *err)
{
	const char *sugg[5];
	size_t n, i;
	struct tfit_strbuf sb = TFIT_STRBUF_INIT;
	enum tfit_status rc;

	*out = tfit_device_db_find(db, name);
	if (*out)
		return TFIT_OK;
	n = tfit_device_db_suggest(db, name, sugg, 5);
	for (i = 0; i < n; i++) {
		tfit_strbuf_puts(&sb, i ? ", " : " (did you mean ");
		tfit_strbuf_puts(&sb, sugg[i]);
	}
	if (n)
		tfit_strbuf_puts(&sb, "?)");
	else
		tfit_strbuf_puts(&sb, " ('tinyfit devices' lists the known ids)");
	rc = tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL, "unknown device '%.100s'%s",
			    name ? name : "", tfit_strbuf_str(&sb));
	tfit_strbuf_release(&sb);
	return rc;
}
