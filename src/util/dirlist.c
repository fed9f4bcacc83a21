/* dirlist.c - sorted directory listings (see dirlist.h). */
#include "dirlist.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void tfit_dir_list_free(char **names)
{
	size_t i;
	if (!names)
		return;
	for (i = 0; names[i]; i++)
		free(names[i]);
	free(names);
}

enum tfit_status tfit_dir_list(const char *dir, const char *what, const char *suffix,
			       char ***names, size_t *n, struct tfit_error *err)
{
	DIR *d;
	struct dirent *e;
	char **list = NULL;
	size_t count = 0, cap = 0, slen = strlen(suffix);
	enum tfit_status rc = TFIT_OK;

	*names = NULL;
	if (n)
		*n = 0;
	d = opendir(dir);
	if (!d)
		return tfit_error_set(err, TFIT_ERR_IO, dir, NULL, "cannot open %s directory: %s",
				      what, strerror(errno));
	list = calloc(1, sizeof(*list));
	if (!list)
		goto nomem;
	cap = 1;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		/* hidden files (editor backups, ".x.json") are not profiles */
		if (len <= slen || e->d_name[0] == '.' || strcmp(e->d_name + len - slen, suffix) != 0)
			continue;
		if (count + 1 >= cap) {
			char **p = realloc(list, cap * 2 * sizeof(*p));
			if (!p)
				goto nomem;
			list = p;
			cap *= 2;
		}
		list[count] = malloc(len + 1);
		if (!list[count])
			goto nomem;
		memcpy(list[count], e->d_name, len + 1);
		list[++count] = NULL;
	}
	qsort(list, count, sizeof(*list), cmp_names);
	*names = list;
	if (n)
		*n = count;
	list = NULL;
	goto out;
nomem:
	rc = tfit_error_set(err, TFIT_ERR_NOMEM, dir, NULL, "out of memory");
out:
	tfit_dir_list_free(list);
	closedir(d);
	return rc;
}
