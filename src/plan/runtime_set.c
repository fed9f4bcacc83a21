/*
 * runtime_set.c - the runtime profiles of one data directory, each loaded
 * at most once per set (runtime.h): a profile's file is parsed on its first
 * request, a base file once for all the profiles that inherit from it.
 */
#include "tinyfit/runtime.h"

#include <stdlib.h>
#include <string.h>

#include "runtime_set.h"

#define RUNTIME_SET_MAX 64

struct tfit_runtime_set {
	char *data_dir;                          /* NULL: only the given profiles */
	char *key[RUNTIME_SET_MAX];              /* the id asked for (the file's name) */
	const struct tfit_runtime *rt[RUNTIME_SET_MAX];
	int owned[RUNTIME_SET_MAX];              /* 1: loaded here, freed with the set */
	size_t n;
};

enum tfit_status tfit_runtime_set_new(const char *data_dir, struct tfit_runtime_set **out,
				      struct tfit_error *err)
{
	struct tfit_runtime_set *s = calloc(1, sizeof(*s));
	*out = NULL;
	if (!s || (data_dir && tfit_strdup_to(&s->data_dir, data_dir) != TFIT_OK)) {
		free(s);
		return tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
	}
	*out = s;
	return TFIT_OK;
}

enum tfit_status tfit_runtime_set_add_static(struct tfit_runtime_set *s,
					     const struct tfit_runtime *rt, struct tfit_error *err)
{
	if (s->n == RUNTIME_SET_MAX)
		return tfit_error_set(err, TFIT_ERR_LIMIT, NULL, NULL,
				      "more than %d runtime profiles", RUNTIME_SET_MAX);
	if (tfit_strdup_to(&s->key[s->n], rt->id) != TFIT_OK)
		return tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
	s->owned[s->n] = 0;
	s->rt[s->n++] = rt;
	return TFIT_OK;
}

static const struct tfit_runtime *find(const struct tfit_runtime_set *s, const char *id)
{
	size_t i;
	for (i = 0; i < s->n; i++)
		if (strcmp(s->key[i], id) == 0)
			return s->rt[i];
	return NULL;
}

static enum tfit_status keep(struct tfit_runtime_set *s, const char *key,
			     struct tfit_runtime *rt, const struct tfit_runtime **out,
			     struct tfit_error *err)
{
	if (s->n == RUNTIME_SET_MAX) {
		tfit_runtime_free(rt);
		return tfit_error_set(err, TFIT_ERR_LIMIT, NULL, NULL,
				      "more than %d runtime profiles", RUNTIME_SET_MAX);
	}
	if (tfit_strdup_to(&s->key[s->n], key) != TFIT_OK) {
		tfit_runtime_free(rt);
		return tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
	}
	s->owned[s->n] = 1;
	s->rt[s->n++] = rt;
	*out = rt;
	return TFIT_OK;
}

enum tfit_status tfit_runtime_set_get(struct tfit_runtime_set *s, const char *id,
				      const struct tfit_runtime **out, struct tfit_error *err)
{
	struct tfit_runtime *rt = NULL;
	enum tfit_status st;
	*out = id ? find(s, id) : NULL;
	if (*out)
		return TFIT_OK;
	st = tfit_runtime_load_in(s->data_dir, id, s, &rt, err);
	if (st != TFIT_OK)
		return st;
	return keep(s, id, rt, out, err);
}

enum tfit_status tfit_runtime_set_base(struct tfit_runtime_set *s, const char *id,
				       const char *base_path, int depth,
				       const struct tfit_runtime **out, struct tfit_error *err)
{
	struct tfit_runtime *rt = NULL;
	enum tfit_status st;
	*out = find(s, id);
	if (*out)
		return TFIT_OK;
	st = tfit_runtime_load_path(base_path, depth, s, &rt, err);
	if (st != TFIT_OK)
		return st;
	return keep(s, id, rt, out, err);
}

void tfit_runtime_set_free(struct tfit_runtime_set *s)
{
	size_t i;
	if (!s)
		return;
	for (i = 0; i < s->n; i++)
		if (s->owned[i])
			tfit_runtime_free((struct tfit_runtime *)s->rt[i]);
	for (i = 0; i < s->n; i++)
		free(s->key[i]);
	free(s->data_dir);
	free(s);
}
