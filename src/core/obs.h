/* obs.h — observables: detection, validation and canonical form.
 *
 * An observable is a value that can be seen on a network: an address or prefix, a
 * domain name, a URL, an e-mail address, a file hash or an AS number.  obs_parse()
 * turns untrusted text into a typed, canonical observable or a one-line reason.
 * Type names follow STIX 2.1 where it has one. */
#ifndef C5_OBS_H
#define C5_OBS_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
	OBS_NONE = 0,
	OBS_IPV4,   /* ipv4-addr: address or prefix (plen < 32)   */
	OBS_IPV6,   /* ipv6-addr: address or prefix (plen < 128)  */
	OBS_DOMAIN, /* domain-name                                */
	OBS_URL,    /* url                                        */
	OBS_EMAIL,  /* email-addr                                 */
	OBS_MD5,
	OBS_SHA1,
	OBS_SHA256,
	OBS_ASN,    /* autonomous-system                          */
	OBS_NTYPES
} obs_type_t;

#define OBS_VALUE_MAX 2048 /* longest canonical value we accept (URLs) */

typedef struct {
	obs_type_t type;
	uint8_t plen;          /* prefix length; 32 / 128 for a single address */
	uint8_t addr[16];      /* IPv4 in addr[0..3], network byte order        */
	uint32_t asn;
	size_t len;            /* strlen(value)                                 */
	char value[OBS_VALUE_MAX + 1]; /* canonical text                        */
} obs_t;

/* STIX-style name of a type ("ipv4-addr", "sha256", ...); "" for OBS_NONE. */
const char *obs_type_name(obs_type_t t);
/* Inverse of obs_type_name(); also accepts "ip", "ipv4", "ipv6", "domain",
 * "email", "asn".  Returns OBS_NONE when unknown. */
obs_type_t obs_type_from_name(const char *name);

/* Parse text (len bytes, need not be NUL-terminated) into *o.
 * want: OBS_NONE to detect the type, or the type the caller insists on.
 * Returns 0, or -1 with a one-line reason in err (e.g. "invalid IPv4 address
 * '999.1.1.1'").  Never reads past len; safe on arbitrary bytes. */
int obs_parse(const char *text, size_t len, obs_type_t want, obs_t *o,
	      char *err, size_t errlen);

/* Undo the usual defanging of len bytes of in, into out (which may be in:
 * the result is never longer): hxxp:// and hxxps:// (any case) become
 * http:// and https://, "[.]", "(.)" and "{.}" a dot, "[:]" a colon, "[at]"
 * and "(at)" an at sign.  Returns the new length (out is not terminated);
 * equal to len when nothing was defanged. */
size_t obs_refang(const char *in, size_t len, char *out);

/* obs_parse() of a value a person pasted, refanged first (obs_refang).
 * *refanged (or NULL) is set when the text was defanged; the canonical
 * value in o is the refanged one.  Every path that reads a pasted value
 * (lookup, the look-up API, ingest, warnings) goes through here. */
int obs_parse_pasted(const char *text, size_t len, obs_type_t want, obs_t *o, int *refanged,
		     char *err, size_t errlen);

/* Rebuild an observable from a value that obs_parse() made canonical before
 * (as read back from the store): addresses are parsed, other values copied
 * after a cheap check.  0, or -1 when the value is not plausible. */
int obs_from_canonical(obs_type_t type, const char *value, size_t len, obs_t *o);

/* True when o is an address prefix rather than a single address. */
static inline int obs_is_prefix(const obs_t *o)
{
	return (o->type == OBS_IPV4 && o->plen < 32) ||
	       (o->type == OBS_IPV6 && o->plen < 128);
}

/* Clear the host bits of an IPv4 (t = OBS_IPV4, 4 bytes) or IPv6 address
 * beyond plen. */
void obs_mask(obs_type_t t, uint8_t *addr, unsigned plen);

/* Format an IPv4 / IPv6 address (with /plen when a prefix) in canonical form
 * (RFC 5952 for IPv6).  buf must hold at least 64 bytes. Returns strlen. */
size_t obs_format_ip(obs_type_t t, const uint8_t *addr, unsigned plen, char *buf);

/* Validate and canonicalise a domain name in place rules (case-fold, IDN to
 * A-label, trailing dot removed, labels checked).  out holds >= 254 bytes. */
int obs_canon_domain(const char *in, size_t len, char *out, char *err, size_t errlen);

#endif
