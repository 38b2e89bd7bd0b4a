/* form.h — reading what browsers send: url-encoded form fields and query
 * strings (application/x-www-form-urlencoded) and cookies.  Untrusted input:
 * every length is bounded, every escape checked (fuzz/fuzz_form.c). */
#ifndef C5_FORM_H
#define C5_FORM_H

#include <stddef.h>

/* The value of field name in body[0..len) ("a=1&b=x%20y+z"), decoded
 * ('+' is a space, %XX a byte) into out.  1 when found, 0 when absent, -1
 * when it is malformed (a bad escape, a NUL, or longer than outlen - 1). */
int form_get(const char *body, size_t len, const char *name, char *out, size_t outlen);

/* The value of cookie name in a Cookie header ("a=1; b=2") into out.
 * 1 found, 0 absent, -1 too long. */
int form_cookie(const char *header, const char *name, char *out, size_t outlen);

/* Append s percent-encoded for a URL query into out (outlen bytes, always
 * terminated; truncated at a whole escape).  Returns the length written. */
size_t form_encode(const char *s, char *out, size_t outlen);

#endif
