/* fuzz_dns.c — libFuzzer target: the DNS blocklist answer path on arbitrary
 * packets (the first byte picks UDP or TCP), against zones of every kind; an
 * answer must fit its buffer and echo the query id. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "dns/dns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int listed(void *arg, int kind, const obs_t *o, dns_listing_t *out)
{
	(void)arg;
	(void)kind;
	if (o->len % 3)
		return 0;
	out->code = (uint8_t)(o->len & 0xff);
	snprintf(out->txt, sizeof out->txt, "listed %s", o->value);
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static dns_config_t c;
	static uint8_t out[DNS_TCP_MAX];
	size_t len = 0;
	if (!c.nzones) {
		c.ttl = 300;
		c.neg_ttl = 60;
		c.listed = listed;
		snprintf(c.ns, sizeof c.ns, "ns.bl.test");
		snprintf(c.hostmaster, sizeof c.hostmaster, "hostmaster.bl.test");
		dns_config_zone(&c, "ip.bl.test", DNS_ZONE_IP);
		dns_config_zone(&c, "dbl.bl.test", DNS_ZONE_DOMAIN);
		dns_config_zone(&c, "hash.bl.test", DNS_ZONE_HASH);
	}
	if (size < 1)
		return 0;
	int tcp = data[0] & 1;
	size_t cap = tcp ? sizeof out : (size_t)512 + (size_t)(data[0] >> 1) * 8;
	if (dns_answer(&c, data + 1, size - 1, tcp, out, cap, &len) == DNS_REPLY) {
		if (len > cap || len < 12 || out[0] != data[1] || out[1] != data[2])
			__builtin_trap();
	}
	return 0;
}
