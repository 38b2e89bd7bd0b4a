/* dns_server.h — the DNS blocklist server: UDP (one socket per thread, bound
 * with SO_REUSEPORT, batches of datagrams per system call) and TCP (every
 * client at once, pipelined, with deadlines and a per-address limit),
 * answering from the hub's look-up index through dns_answer(). */
#ifndef C5_DNS_SERVER_H
#define C5_DNS_SERVER_H

#include "dns/dns.h"
#include "hub/hub.h"

typedef struct dns_server dns_server_t;

typedef struct {
	const char *addr;          /* "127.0.0.1:5353"; port 0 picks one */
	const char *ip_zone, *domain_zone, *hash_zone; /* NULL: not served */
	int min_score;             /* publish at or above (0..100) */
	tlp_t max_tlp;             /* publish at or under (default GREEN) */
	const char *txt;           /* TXT template, '$' replaced by the value */
	int threads;               /* UDP threads; 0: one per core */
} dns_server_opts_t;

/* Start serving; 0, or -1 with the reason in err (a port in use, over UDP
 * or TCP, by this or any other process: "... address already in use"). */
int dns_server_start(hub_t *hub, const dns_server_opts_t *o, dns_server_t **out, char *err,
		     size_t errlen);
void dns_server_stop(dns_server_t *s);
uint16_t dns_server_port(const dns_server_t *s);

#endif
