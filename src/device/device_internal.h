/* device_internal.h - helpers shared by the src/device/ files only. */
#ifndef TINYFIT_DEVICE_INTERNAL_H
#define TINYFIT_DEVICE_INTERNAL_H

/* malloc'ed copy of s (NULL for NULL or on failure). */
char *tfit_device_strdup(const char *s);
/* ASCII case-insensitive compare (locale-independent). */
int tfit_device_strcasecmp(const char *a, const char *b);

/* ASCII case-insensitive substring test ("" is in everything). */
int tfit_device_contains_ci(const char *hay, const char *needle);

/*
 * Fields that state a hardware fact and so take a source, in the order
 * `tinyfit devices show` prints them; NULL-terminated.
 */
const char *const *tfit_device_sourced_fields(void);

#endif
