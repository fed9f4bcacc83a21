/* options.c - the option parser shared by every command (see cli.h). */
#include "cli.h"
#include "util/strmap.h"

#include <stdlib.h>
#include <string.h>

static long find_long(const struct tfit_optdef *defs, size_t n, const char *name, size_t len)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (strlen(defs[i].name) == len && strncmp(defs[i].name, name, len) == 0)
			return (long)i;
	return -1;
}

static long find_short(const struct tfit_optdef *defs, size_t n, char c)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (defs[i].short_name && defs[i].short_name == c)
			return (long)i;
	return -1;
}

static enum tfit_status unknown_option(const struct tfit_optdef *defs, size_t n,
				       const char *arg, size_t len, struct tfit_error *err)
{
	size_t i, best = 99, best_i = 0;
	char name[64];
	if (len >= sizeof(name))
		len = sizeof(name) - 1;
	memcpy(name, arg, len);
	name[len] = '\0';
	for (i = 0; i < n; i++) {
		size_t d = tfit_edit_distance(name, defs[i].name);
		if (d < best) {
			best = d;
			best_i = i;
		}
	}
	if (best <= 2)
		return tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL,
				      "unknown option '--%s' (did you mean --%s?)", name,
				      defs[best_i].name);
	return tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL, "unknown option '--%s'", name);
}

static int add_value(struct tfit_args *a, size_t i, const char *v)
{
	const char **p = realloc((void *)a->values[i], (a->counts[i] + 1) * sizeof(*p));
	if (!p)
		return -1;
	p[a->counts[i]] = v;
	a->values[i] = p;
	return 0;
}

enum tfit_status tfit_args_parse(struct tfit_args *a, const struct tfit_optdef *defs,
				 int argc, char **argv, struct tfit_error *err)
{
	size_t n = 0;
	int i, only_positional = 0;

	memset(a, 0, sizeof(*a));
	while (defs[n].name)
		n++;
	a->defs = defs;
	a->n_defs = n;
	a->counts = calloc(n + 1, sizeof(*a->counts));
	a->values = calloc(n + 1, sizeof(*a->values));
	a->positional = calloc((size_t)(argc > 0 ? argc : 1), sizeof(char *));
	if (!a->counts || !a->values || !a->positional)
		return tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];
		long idx;
		const char *value = NULL;

		if (only_positional || arg[0] != '-' || strcmp(arg, "-") == 0) {
			a->positional[a->n_positional++] = argv[i];
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			only_positional = 1;
			continue;
		}
		if (arg[1] == '-') {
			const char *name = arg + 2;
			const char *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);
			idx = find_long(defs, n, name, len);
			if (idx < 0)
				return unknown_option(defs, n, name, len, err);
			if (eq) {
				if (!defs[idx].takes_value)
					return tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL,
							      "option '--%s' takes no value",
							      defs[idx].name);
				value = eq + 1;
			}
		} else {
			idx = find_short(defs, n, arg[1]);
			if (idx < 0 || arg[2] != '\0') {
				if (idx >= 0 && defs[idx].takes_value) {
					value = arg + 2; /* -oFILE */
				} else {
					return tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL,
							      "unknown option '%s'", arg);
				}
			}
		}
		if (defs[idx].takes_value && !value) {
			if (i + 1 >= argc)
				return tfit_error_set(err, TFIT_ERR_USAGE, NULL, NULL,
						      "option '--%s' needs a value (%s)",
						      defs[idx].name,
						      defs[idx].metavar ? defs[idx].metavar : "VALUE");
			value = argv[++i];
		}
		if (value && add_value(a, (size_t)idx, value) != 0)
			return tfit_error_set(err, TFIT_ERR_NOMEM, NULL, NULL, "out of memory");
		a->counts[idx]++;
	}
	return TFIT_OK;
}

void tfit_args_release(struct tfit_args *a)
{
	size_t i;
	if (a->values)
		for (i = 0; i < a->n_defs; i++)
			free((void *)a->values[i]);
	free(a->values);
	free(a->counts);
	free(a->positional);
	memset(a, 0, sizeof(*a));
}

static long def_index(const struct tfit_args *a, const char *name)
{
	return find_long(a->defs, a->n_defs, name, strlen(name));
}

size_t tfit_args_count(const struct tfit_args *a, const char *name)
{
	long i = def_index(a, name);
	return i < 0 || !a->counts ? 0 : a->counts[i];
}

const char *tfit_args_get(const struct tfit_args *a, const char *name)
{
	long i = def_index(a, name);
	if (i < 0 || !a->counts || a->counts[i] == 0 || !a->values[i])
		return NULL;
	return a->values[i][a->counts[i] - 1];
}

size_t tfit_args_all(const struct tfit_args *a, const char *name, const char *const **out)
{
	long i = def_index(a, name);
	*out = NULL;
	if (i < 0 || !a->counts || !a->values[i])
		return 0;
	*out = a->values[i];
	return a->counts[i];
}

void tfit_cli_print_help(FILE *f, const char *usage, const char *description,
			 const struct tfit_optdef *defs)
{
	size_t i;
	fprintf(f, "usage: %s\n", usage);
	if (description)
		fprintf(f, "\n%s\n", description);
	fprintf(f, "\noptions:\n");
	for (i = 0; defs[i].name; i++) {
		char left[64];
		if (defs[i].short_name)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", defs[i].short_name,
				 defs[i].name, defs[i].takes_value ? " " : "",
				 defs[i].takes_value && defs[i].metavar ? defs[i].metavar : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", defs[i].name,
				 defs[i].takes_value ? " " : "",
				 defs[i].takes_value && defs[i].metavar ? defs[i].metavar : "");
		fprintf(f, "  %-28s %s\n", left, defs[i].help ? defs[i].help : "");
	}
}
