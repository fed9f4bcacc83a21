/*
 * runtime_terms.c - a runtime profile's "deploys" section (format:
 * docs/runtime-format.md). Each runtime describes its deployment in its own
 * words: TFLM links the .tflite file and plans one tensor arena
 * (kTensorArenaSize); X-CUBE-AI generates a weights blob (ro) and one
 * activations buffer (rw). The reports take the words from here, so no
 * renderer names a runtime.
 */
#include "runtime_terms.h"

#include "tinyfit/graph.h"

#include <stdlib.h>
#include <string.h>

/* The strings of struct tfit_runtime_terms, with their JSON keys and
 * generic words, in one table. */
#define TERM_FIELDS(X) \
	X(model, "model", "model") \
	X(model_constant, "model_constant", "") \
	X(arena, "arena", "arena") \
	X(arena_constant, "arena_constant", "") \
	X(arena_head, "arena_head", "head") \
	X(arena_tail, "arena_tail", "tail") \
	X(arena_plan, "arena_plan", "the runtime profile's plan") \
	X(state, "state", "runtime state") \
	X(state_what, "state_what", "outside the arena") \
	X(code, "code", "runtime code") \
	X(note, "note", "The arena is the runtime profile's estimate") \
	X(title, "title", "the runtime's arena")

const struct tfit_runtime_terms *tfit_runtime_terms_generic(void)
{
	static const struct tfit_runtime_terms generic = {
		TFIT_MODEL_STORED_FILE,
#define INIT(f, key, def) (char *)def,
		TERM_FIELDS(INIT)
#undef INIT
		(char *)""
	};
	return &generic;
}

int tfit_runtime_terms_defaults(struct tfit_runtime_terms *t)
{
	t->model_stored = TFIT_MODEL_STORED_FILE;
#define SET(f, key, def) if (tfit_strdup_to(&t->f, def) != 0) return -1;
	TERM_FIELDS(SET)
#undef SET
	return tfit_strdup_to(&t->source, "");
}

void tfit_runtime_terms_release(struct tfit_runtime_terms *t)
{
#define FREE(f, key, def) free(t->f); t->f = NULL;
	TERM_FIELDS(FREE)
#undef FREE
	free(t->source);
	t->source = NULL;
}

int tfit_runtime_terms_clone(struct tfit_runtime_terms *dst, const struct tfit_runtime_terms *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->model_stored = src->model_stored;
#define COPY(f, key, def) if (tfit_strdup_to(&dst->f, src->f) != 0) return -1;
	TERM_FIELDS(COPY)
#undef COPY
	return tfit_strdup_to(&dst->source, src->source);
}

/* The room a report has for the word of JSON key key (TFIT_TERM_SIZES). */
static size_t term_size(const char *key)
{
#define SIZE(f, size) if (strcmp(key, #f) == 0) return size;
	TFIT_TERM_SIZES(SIZE)
#undef SIZE
	return (size_t)-1;
}

/* "deploys": {"model": "file" | "weights", "terms": {...}, "source": "..."} */
enum tfit_status tfit_runtime_terms_parse(const cJSON *obj, const char *file,
					  struct tfit_jpath *p, struct tfit_runtime *rt,
					  struct tfit_error *err)
{
	static const char *const keys[] = { "model", "terms", "source", "notes", NULL };
	static const char *const term_keys[] = {
#define KEY(f, key, def) key,
		TERM_FIELDS(KEY)
#undef KEY
		NULL
	};
	struct tfit_runtime_terms *t = &rt->terms;
	const cJSON *terms;
	const char *s = NULL;
	size_t mark = tfit_jpath_key(p, "deploys");
	enum tfit_status st;

	if ((st = tfit_json_check_object(obj, keys, file, p, err)) != TFIT_OK)
		goto out;
	if ((st = tfit_json_opt_string(obj, "model", file, p, &s, NULL, err)) != TFIT_OK)
		goto out;
	if (s) {
		if (strcmp(s, "file") == 0) {
			t->model_stored = TFIT_MODEL_STORED_FILE;
		} else if (strcmp(s, "weights") == 0) {
			t->model_stored = TFIT_MODEL_STORED_WEIGHTS;
		} else {
			tfit_jpath_key(p, "model");
			st = tfit_error_set(err, TFIT_ERR_INPUT, file, p->buf,
					    "expected \"file\" (the model file is linked in) or "
					    "\"weights\" (a weights blob the runtime generates), got \"%s\"",
					    s);
			goto out;
		}
	}
	if (cJSON_GetObjectItemCaseSensitive(obj, "source")) {
		char *src = NULL;
		if ((st = tfit_json_dup_opt_string(obj, "source", file, p, &src, err)) != TFIT_OK)
			goto out;
		if (src) {
			free(t->source);
			t->source = src;
		}
	}
	terms = cJSON_GetObjectItemCaseSensitive(obj, "terms");
	if (terms && !cJSON_IsNull(terms)) {
		size_t m2 = tfit_jpath_key(p, "terms");
		if ((st = tfit_json_check_object(terms, term_keys, file, p, err)) != TFIT_OK)
			goto out;
#define GET(f, key, def) \
		if (cJSON_GetObjectItemCaseSensitive(terms, key)) { \
			char *v = NULL; \
			if ((st = tfit_json_dup_opt_string(terms, key, file, p, &v, err)) != TFIT_OK) \
				goto out; \
			if (v && strlen(v) >= term_size(key)) { \
				tfit_jpath_key(p, key); \
				st = tfit_error_set(err, TFIT_ERR_INPUT, file, p->buf, \
						    "%zu characters, longer than a report's " \
						    "room for this word (at most %zu)", \
						    strlen(v), term_size(key) - 1); \
				free(v); \
				goto out; \
			} \
			if (v) { \
				free(t->f); \
				t->f = v; \
			} \
		}
		TERM_FIELDS(GET)
#undef GET
		tfit_jpath_restore(p, m2);
	}
out:
	tfit_jpath_restore(p, mark);
	return st;
}
