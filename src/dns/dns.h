/* dns.h — the DNS blocklist (RFC 5782): wire format, zones and answers.
 *
 * dns_answer() turns one query packet into one response packet.  It knows
 * the DNS wire format (header, one question, EDNS0 OPT, name compression
 * for answers) and the blocklist zones: an IP zone (reversed IPv4 octets,
 * reversed IPv6 nibbles), a domain zone and a hash zone (MD5 / SHA-1 in one
 * label, SHA-256 split in two labels of 32 as Team Cymru's registry does).
 * Whether a key is listed is asked through a callback, so this file knows
 * nothing of the index.  Every read of the packet is bounds-checked; it is
 * fuzzed (fuzz/fuzz_dns.c). */
#ifndef C5_DNS_H
#define C5_DNS_H

#include <stddef.h>
#include <stdint.h>

#include "core/obs.h"

#define DNS_MAX_ZONES 3
#define DNS_UDP_MAX 512       /* without EDNS0 */
#define DNS_EDNS_MAX 1232     /* our advertised and largest UDP payload */
#define DNS_TCP_MAX 65535

enum { DNS_ZONE_IP = 0, DNS_ZONE_DOMAIN, DNS_ZONE_HASH };

/* What the listing callback returns for a listed key: the A record's last
 * octet (127.0.0.x) and the TXT text. */
typedef struct {
	uint8_t code;          /* 2 .. 255 */
	char txt[256];         /* at most 255 bytes, NUL-terminated */
} dns_listing_t;

/* Is o listed?  Return 1 and fill *out, or 0.  arg is dns_config_t.arg. */
typedef int (*dns_listed_fn)(void *arg, int zone_kind, const obs_t *o, dns_listing_t *out);

/* Is some listed name below this domain name?  (Then the name exists: NOERROR
 * with no data rather than NXDOMAIN.)  May be NULL. */
typedef int (*dns_below_fn)(void *arg, const char *name, size_t len);

typedef struct {
	char name[256];        /* zone apex, lower case, no trailing dot */
	int kind;              /* DNS_ZONE_* */
} dns_zone_t;

typedef struct {
	dns_zone_t zones[DNS_MAX_ZONES];
	int nzones;
	char ns[256];          /* NS target at every apex (and SOA MNAME) */
	char hostmaster[256];  /* SOA RNAME, as a domain name */
	uint32_t serial;
	uint32_t ttl;          /* of answers */
	uint32_t neg_ttl;      /* SOA minimum: negative caching */
	dns_listed_fn listed;
	dns_below_fn below;
	void *arg;
} dns_config_t;

/* Outcome of dns_answer(). */
enum { DNS_DROP = 0, DNS_REPLY = 1 };

/* Answer the query q (qlen bytes) into out (outcap bytes, at least 512).
 * tcp: the query came over TCP (no truncation below 65535).  Returns
 * DNS_REPLY with *outlen set, or DNS_DROP for packets not worth an answer
 * (shorter than a header, or a response). */
int dns_answer(const dns_config_t *c, const uint8_t *q, size_t qlen, int tcp,
	       uint8_t *out, size_t outcap, size_t *outlen);

/* Add a zone; returns 0, or -1 when the name is invalid or all slots are used. */
int dns_config_zone(dns_config_t *c, const char *name, int kind);

#endif
