/* form.h — reading what browsers send: url-encoded form fields and query
 * strings (application/x-www-form-urlencoded), multipart/form-data bodies
 * (a form with a file) and cookies.  Untrusted input:
 * every length is bounded, every escape checked (fuzz/fuzz_web.c,
 * fuzz/fuzz_multipart.c). */
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

/* ---- multipart/form-data (RFC 7578: forms that send a file) ---- */

#define FORM_BOUNDARY_MAX 70 /* RFC 2046 */

/* The boundary of a Content-Type header ("multipart/form-data;
 * boundary=XYZ", quoted or not) into out.  1; 0 when the type is not
 * multipart/form-data (or ctype is NULL); -1 when its boundary is missing,
 * empty, longer than FORM_BOUNDARY_MAX or than outlen - 1. */
int form_boundary(const char *ctype, char *out, size_t outlen);

/* The first part named name of a multipart/form-data body[0..len): 1 with
 * *val and *vlen (borrowed from body: its bytes as sent, NULs included)
 * and, when fname is not NULL, its file name (or "", truncated to fnlen -
 * 1 bytes) in fname; 0 when there is none; -1 when the body is malformed
 * up to that part (no delimiter, a part without its end, header lines
 * over 8 KB). */
int form_part(const char *body, size_t len, const char *boundary, const char *name, const char **val,
	      size_t *vlen, char *fname, size_t fnlen);

#endif
