/* device_internal.h - helpers shared by the src/device/ files only. */
#ifndef TINYFIT_DEVICE_INTERNAL_H
#define TINYFIT_DEVICE_INTERNAL_H

/* malloc'ed copy of s (NULL for NULL or on failure). */
char *tfit_device_strdup(const char *s);
/* ASCII case-insensitive compare (locale-independent). */
int tfit_device_strcasecmp(const char *a, const char *b);

#endif
