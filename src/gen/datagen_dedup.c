/*
 * datagen_dedup.c - merge identical `static const` objects of the C that
 * tfit_datagen writes. See datagen_dedup.h.
 */
#include "datagen_dedup.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* An open-addressing map from a string to a name (both owned). */
struct map {
	char **keys, **vals;
	size_t cap, n;
};

static uint64_t hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a, 64 bit */
	size_t i;
	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211u;
	}
	return h;
}

static size_t slot(const struct map *m, const char *key, size_t len)
{
	size_t i = (size_t)hash(key, len) & (m->cap - 1);
	while (m->keys[i] && (strlen(m->keys[i]) != len || memcmp(m->keys[i], key, len) != 0))
		i = (i + 1) & (m->cap - 1);
	return i;
}

static const char *map_get(const struct map *m, const char *key, size_t len)
{
	size_t i;
	if (!m->cap)
		return NULL;
	i = slot(m, key, len);
	return m->keys[i] ? m->vals[i] : NULL;
}

static char *dup_n(const char *s, size_t len)
{
	char *p = malloc(len + 1);
	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

/* Put key -> val (key not yet in m). 0 or -1 (out of memory). */
static int map_put(struct map *m, const char *key, size_t len, const char *val, size_t val_len)
{
	size_t i;
	if (2 * (m->n + 1) > m->cap) {
		struct map g = { NULL, NULL, m->cap ? 2 * m->cap : 1024, 0 };
		g.keys = calloc(g.cap, sizeof(*g.keys));
		g.vals = calloc(g.cap, sizeof(*g.vals));
		if (!g.keys || !g.vals) {
			free(g.keys);
			free(g.vals);
			return -1;
		}
		for (i = 0; i < m->cap; i++) {
			if (m->keys[i]) {
				size_t j = slot(&g, m->keys[i], strlen(m->keys[i]));
				g.keys[j] = m->keys[i];
				g.vals[j] = m->vals[i];
			}
		}
		g.n = m->n;
		free(m->keys);
		free(m->vals);
		*m = g;
	}
	i = slot(m, key, len);
	m->keys[i] = dup_n(key, len);
	m->vals[i] = dup_n(val, val_len);
	if (!m->keys[i] || !m->vals[i])
		return -1;
	m->n++;
	return 0;
}

static void map_release(struct map *m)
{
	size_t i;
	for (i = 0; i < m->cap; i++) {
		free(m->keys[i]);
		free(m->vals[i]);
	}
	free(m->keys);
	free(m->vals);
}

static int starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Does the line at s begin a new chunk (a definition, a comment, a
 * directive, or an empty line)? */
static int chunk_start(const char *s)
{
	return starts(s, "static const ") || starts(s, "const ") || starts(s, "/*") || *s == '#' ||
	       *s == '\n';
}

/* Append s[0, len) to out with every identifier outside string literals
 * replaced by its canonical name. */
static void rename_refs(const struct map *canon, const char *s, size_t len, struct tfit_strbuf *out)
{
	size_t i = 0;
	while (i < len) {
		size_t j = i;
		if (s[i] == '"') {
			for (j = i + 1; j < len && s[j] != '"'; j++)
				if (s[j] == '\\' && j + 1 < len)
					j++;
			j = j < len ? j + 1 : len;
			tfit_strbuf_add(out, s + i, j - i);
		} else if (is_ident(s[i])) {
			const char *to;
			while (j < len && is_ident(s[j]))
				j++;
			to = (s[i] >= '0' && s[i] <= '9') ? NULL : map_get(canon, s + i, j - i);
			if (to)
				tfit_strbuf_puts(out, to);
			else
				tfit_strbuf_add(out, s + i, j - i);
		} else {
			for (j = i + 1; j < len && s[j] != '"' && !is_ident(s[j]); j++)
				;
			tfit_strbuf_add(out, s + i, j - i);
		}
		i = j;
	}
}

/* The name a definition's first line declares: [*start, *end) in def.
 * 0, or -1 when the line has no "NAME =" / "NAME[] =". */
static int def_name(const char *def, size_t *start, size_t *end)
{
	const char *eq = strchr(def, '=');
	const char *nl = strchr(def, '\n');
	const char *p;
	if (!eq || (nl && nl < eq))
		return -1;
	p = eq;
	while (p > def && (p[-1] == ' ' || p[-1] == '[' || p[-1] == ']'))
		p--;
	*end = (size_t)(p - def);
	while (p > def && is_ident(p[-1]))
		p--;
	*start = (size_t)(p - def);
	return *start < *end ? 0 : -1;
}

int tfit_datagen_dedup(const char *src, struct tfit_strbuf *out)
{
	struct map seen = { NULL, NULL, 0, 0 }, canon = { NULL, NULL, 0, 0 };
	struct tfit_strbuf def = TFIT_STRBUF_INIT, key = TFIT_STRBUF_INIT;
	const char *p = src;
	int rc = 0;

	while (*p && rc == 0) {
		/* the chunk: this line and the lines up to the next chunk start */
		const char *q = strchr(p, '\n');
		size_t s0, s1;
		const char *name_of_first;
		q = q ? q + 1 : p + strlen(p);
		if (starts(p, "static const ") || starts(p, "const "))
			while (*q && !chunk_start(q)) {
				const char *nl = strchr(q, '\n');
				q = nl ? nl + 1 : q + strlen(q);
			}
		tfit_strbuf_reset(&def);
		rename_refs(&canon, p, (size_t)(q - p), &def);
		if (def.oom) {
			rc = -1;
			break;
		}
		if (!starts(p, "static const ") || def_name(def.buf, &s0, &s1) != 0) {
			tfit_strbuf_add(out, def.buf, def.len);
			p = q;
			continue;
		}
		/* the key: the definition without its name */
		tfit_strbuf_reset(&key);
		tfit_strbuf_add(&key, def.buf, s0);
		tfit_strbuf_add(&key, def.buf + s1, def.len - s1);
		if (key.oom) {
			rc = -1;
			break;
		}
		name_of_first = map_get(&seen, key.buf, key.len);
		if (name_of_first) {
			/* a copy: its references now name the first */
			if (map_put(&canon, def.buf + s0, s1 - s0, name_of_first, strlen(name_of_first)) != 0)
				rc = -1;
		} else {
			if (map_put(&seen, key.buf, key.len, def.buf + s0, s1 - s0) != 0)
				rc = -1;
			tfit_strbuf_add(out, def.buf, def.len);
		}
		p = q;
	}
	if (out->oom)
		rc = -1;
	if (rc != 0)
		out->oom = 1;
	tfit_strbuf_release(&def);
	tfit_strbuf_release(&key);
	map_release(&seen);
	map_release(&canon);
	return rc;
}
