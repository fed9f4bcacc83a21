/*
 * dirlist.h - the sorted file names of a directory (device profiles,
 * runtime profiles and cost tables are all "*.json" files of one directory,
 * loaded in name order so that results never depend on readdir's order).
 * Internal to src/.
 */
#ifndef TINYFIT_DIRLIST_H
#define TINYFIT_DIRLIST_H

#include <stddef.h>

#include "tinyfit/error.h"

/*
 * The names (not paths) of the entries of dir ending in suffix (longer than
 * it, not starting with '.'), sorted bytewise, as a NULL-terminated array in *names (count in *n,
 * which may be NULL). The caller frees it with tfit_dir_list_free().
 * Errors: TFIT_ERR_IO "<dir>: error: cannot open <what> directory: <reason>"
 * (what: "device", "cost table", ...),
 * TFIT_ERR_NOMEM.
 */
enum tfit_status tfit_dir_list(const char *dir, const char *what, const char *suffix,
			       char ***names, size_t *n, struct tfit_error *err);
void tfit_dir_list_free(char **names);

#endif
