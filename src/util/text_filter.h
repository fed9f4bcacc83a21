/*
 * text_filter.h - the one filter for strings read from an input file
 * (issue #17): every reader checks that a string is valid UTF-8 and turns
 * its control characters into '?' where it reads the string (json_util.c
 * for every JSON input, tflite_reader.c for .tflite strings), so that
 * nothing a file holds can move the cursor, set the window title, write
 * the clipboard (OSC 52) or rewrite a line (CR) on a terminal or in a CI
 * log, and so that --format json stays valid JSON.
 */
#ifndef TINYFIT_TEXT_FILTER_H
#define TINYFIT_TEXT_FILTER_H

#include <stddef.h>

/* Length of the valid multi-byte UTF-8 sequence at p (2 to 4 bytes, within
 * left), or 0: not a lead byte, cut, overlong, a surrogate (U+D800 to
 * U+DFFF) or past U+10FFFF. */
size_t tfit_utf8_seq(const unsigned char *p, size_t left);

/* Offset of the first byte of s[0..n) that does not start a valid UTF-8
 * sequence (as tfit_utf8_seq), or n when s is valid UTF-8. */
size_t tfit_utf8_invalid_at(const char *s, size_t n);

/*
 * Copy the valid UTF-8 string s into out with its control characters (C0
 * U+0000 to U+001F, DEL U+007F, C1 U+0080 to U+009F, and the
 * bidirectional embedding, override and isolate controls U+202A to U+202E
 * and U+2066 to U+2069) as '?', at most max
 * bytes, cut at a character boundary; returns out. out holds max + 1
 * bytes. out may be s (the filter in place, max = strlen(s)): the copy is
 * never longer than s.
 */
const char *tfit_text_filter(const char *s, size_t max, char *out);

/*
 * The same filter for bytes that need not be UTF-8 (a file name, from the
 * command line or a directory listing, shown as a model's name or a
 * board's file): the n bytes of s are copied into out with each control
 * character, and each byte that does not start a valid UTF-8 sequence, as
 * '?'. out holds n + 1 bytes and may be s. Returns out.
 */
const char *tfit_text_filter_bytes(const char *s, size_t n, char *out);
/* tfit_text_filter_bytes into a malloc'd copy of the string s (the caller
 * frees it), or NULL when s is NULL or memory runs out. */
char *tfit_text_filter_dup(const char *s);

#endif
