/* mail_int.h — what the parts of the mail module share: the transfer
 * decoders (mail_text.c) used by the parser (mail.c). */
#ifndef C5_MAIL_INT_H
#define C5_MAIL_INT_H

#include "mail.h"

/* Decoders writing into out, which has room for n bytes (never more is
 * written); each returns the bytes written. */
size_t mail_b64_decode(const char *s, size_t n, unsigned char *out);
size_t mail_qp_decode(const char *s, size_t n, unsigned char *out, int header);
/* From the first line after "begin ..." to "end". */
size_t mail_uu_decode(const char *s, size_t n, unsigned char *out);

#endif
