/* dns_server.c — sockets and threads of the DNS blocklist (see dns_server.h).
 * UDP workers read and answer batches of up to 32 datagrams per system call
 * inside one index read-side section; one TCP thread serves length-prefixed
 * queries (RFC 7766) with short timeouts.  Listing policy: an indicator is
 * published when the score of its reports at or under max_tlp is at or above
 * min_score (see listed()). */
#include "dns_server.h"
#include "core/net.h"
#include "wlist/wlist.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 32
#define MAX_THREADS 16

typedef struct {
	struct dns_server *s;
	int fd;
	uint8_t in[BATCH][1500];
	uint8_t out[BATCH][DNS_EDNS_MAX];
} udp_worker_t;

struct dns_server {
	hub_t *hub;
	dns_config_t cfg;
	int min_score;
	tlp_t max_tlp;
	char txt[256];
	int nudp;
	int udp[MAX_THREADS];
	pthread_t th[MAX_THREADS];
	udp_worker_t *wk[MAX_THREADS];
	int tcp;
	pthread_t tcp_th;
	int started;
	atomic_int stop;
	uint16_t port;
};

typedef struct { /* one worker's view: the snapshot it is reading */
	dns_server_t *s;
	const idx_snap_t *snap;
	uint32_t now; /* minutes, see rep.h */
} view_t;

/* Listed by the hub's verdict for the public (reports at or under max_tlp)
 * at min_score; the answer code is that of the strongest report's
 * classification. */
static int listed(void *arg, int kind, const obs_t *o, dns_listing_t *out)
{
	view_t *v = arg;
	dns_server_t *s = v->s;
	hub_t *h = s->hub;
	hub_verdict_t vd;
	tlp_view_t pub = {.max_tlp = s->max_tlp};
	(void)kind;
	if (hub_verdict(h, v->snap, o, &pub, v->now, s->min_score, 0, &vd))
		return 0; /* out of memory: not listed, as for any failure to look */
	if (!vd.listed) {
		hub_verdict_done(&vd);
		return 0;
	}
	out->code = (uint8_t)rep_code(h->rep, vd.reps[vd.res.best].cls);
	hub_verdict_done(&vd);
	size_t t = 0;
	for (const char *p = s->txt; *p && t < sizeof out->txt - 1; p++) {
		if (*p != '$') {
			out->txt[t++] = *p;
			continue;
		}
		size_t l = o->len < sizeof out->txt - 1 - t ? o->len : sizeof out->txt - 1 - t;
		memcpy(out->txt + t, o->value, l);
		t += l;
	}
	out->txt[t] = '\0';
	return 1;
}

static int below(void *arg, const char *name, size_t len)
{
	view_t *v = arg;
	return idx_has_below(v->snap, name, len);
}

static void *udp_worker(void *arg)
{
	udp_worker_t *w = arg;
	dns_server_t *s = w->s;
	int fd = w->fd;
	uint8_t (*in)[1500] = w->in, (*outb)[DNS_EDNS_MAX] = w->out;
	struct mmsghdr rm[BATCH], sm[BATCH];
	struct iovec riov[BATCH], siov[BATCH];
	struct sockaddr_storage from[BATCH];
	view_t v = {.s = s};
	dns_config_t cfg = s->cfg;
	cfg.arg = &v;

	while (fd >= 0 && !atomic_load(&s->stop)) {
		for (int i = 0; i < BATCH; i++) {
			riov[i] = (struct iovec){in[i], sizeof in[i]};
			rm[i] = (struct mmsghdr){.msg_hdr = {.msg_name = &from[i], .msg_namelen = sizeof from[i],
							     .msg_iov = &riov[i], .msg_iovlen = 1}};
		}
		int n = recvmmsg(fd, rm, BATCH, MSG_WAITFORONE, NULL);
		if (n <= 0)
			continue; /* timeout (to look at stop) or a transient error */
		int m = 0;
		v.now = hub_now();
		v.snap = idx_enter(s->hub->idx);
		for (int i = 0; i < n; i++) {
			size_t len;
			if (dns_answer(&cfg, in[i], rm[i].msg_len, 0, outb[m], sizeof outb[m], &len) != DNS_REPLY)
				continue;
			siov[m] = (struct iovec){outb[m], len};
			sm[m] = (struct mmsghdr){.msg_hdr = {.msg_name = &from[i],
							     .msg_namelen = rm[i].msg_hdr.msg_namelen,
							     .msg_iov = &siov[m], .msg_iovlen = 1}};
			m++;
		}
		idx_leave(s->hub->idx);
		for (int sent = 0; sent < m;) {
			int k = sendmmsg(fd, sm + sent, (unsigned)(m - sent), 0);
			if (k <= 0)
				break;
			sent += k;
		}
	}
	return NULL;
}

static int read_full(int fd, uint8_t *b, size_t n)
{
	for (size_t got = 0; got < n;) {
		ssize_t k = read(fd, b + got, n - got);
		if (k <= 0)
			return -1;
		got += (size_t)k;
	}
	return 0;
}

/* One TCP client: up to 100 queries, 2 s of silence ends it. */
static void tcp_client(dns_server_t *s, int fd, uint8_t *in, uint8_t *out)
{
	struct timeval tv = {2, 0};
	view_t v = {.s = s};
	dns_config_t cfg = s->cfg;
	cfg.arg = &v;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	for (int q = 0; q < 100 && !atomic_load(&s->stop); q++) {
		uint8_t l[2];
		size_t len;
		if (read_full(fd, l, 2))
			return;
		size_t n = (size_t)l[0] << 8 | l[1];
		if (n == 0 || read_full(fd, in, n))
			return;
		v.now = hub_now();
		v.snap = idx_enter(s->hub->idx);
		int rc = dns_answer(&cfg, in, n, 1, out + 2, DNS_TCP_MAX, &len);
		idx_leave(s->hub->idx);
		if (rc != DNS_REPLY)
			return;
		out[0] = (uint8_t)(len >> 8);
		out[1] = (uint8_t)len;
		if (write(fd, out, len + 2) != (ssize_t)(len + 2))
			return;
	}
}

static void *tcp_worker(void *arg)
{
	dns_server_t *s = arg;
	uint8_t *in = malloc(DNS_TCP_MAX), *out = malloc(DNS_TCP_MAX + 2);
	while (in && out && !atomic_load(&s->stop)) {
		struct pollfd p = {s->tcp, POLLIN, 0};
		if (poll(&p, 1, 200) <= 0)
			continue;
		int fd = accept(s->tcp, NULL, NULL);
		if (fd < 0)
			continue;
		tcp_client(s, fd, in, out);
		close(fd);
	}
	free(in);
	free(out);
	return NULL;
}

static void set_port(struct sockaddr_storage *ss, uint16_t port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
}

static int open_sock(const struct sockaddr_storage *ss, socklen_t sl, int type)
{
	int one = 1, fd = socket(ss->ss_family, type | SOCK_CLOEXEC, 0);
	struct timeval tv = {0, 200000};
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (type == SOCK_DGRAM) {
		setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	}
	if (bind(fd, (const struct sockaddr *)ss, sl) || (type == SOCK_STREAM && listen(fd, 128))) {
		close(fd);
		return -1;
	}
	return fd;
}

int dns_server_start(hub_t *hub, const dns_server_opts_t *o, dns_server_t **out, char *err,
		     size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	dns_server_t *s = calloc(1, sizeof *s);
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	*out = NULL;
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s->hub = hub;
	s->tcp = -1;
	s->min_score = o->min_score;
	s->max_tlp = o->max_tlp;
	snprintf(s->txt, sizeof s->txt, "%s", o->txt ? o->txt : "Listed by c5hub: $");
	s->cfg = (dns_config_t){.ttl = 300, .neg_ttl = 60, .serial = (uint32_t)time(NULL),
				.listed = listed, .below = below};
	const char *zones[3] = {o->ip_zone, o->domain_zone, o->hash_zone};
	for (int k = 0; k < 3; k++)
		if (zones[k] && dns_config_zone(&s->cfg, zones[k], k)) {
			snprintf(err, errlen, "bad zone name '%s'", zones[k]);
			goto fail;
		}
	if (!s->cfg.nzones) {
		snprintf(err, errlen, "give at least one of --ip-zone, --domain-zone, --hash-zone");
		goto fail;
	}
	snprintf(s->cfg.ns, sizeof s->cfg.ns, "ns.%s", s->cfg.zones[0].name);
	snprintf(s->cfg.hostmaster, sizeof s->cfg.hostmaster, "hostmaster.%s", s->cfg.zones[0].name);
	if (net_parse_addr(o->addr, &ss, &sl)) {
		snprintf(err, errlen, "bad DNS address '%s' (want HOST:PORT)", o->addr);
		goto fail;
	}
	if (o->threads > MAX_THREADS) {
		snprintf(err, errlen, "dns-threads: at most %d", MAX_THREADS);
		goto fail;
	}
	s->nudp = o->threads > 0 ? o->threads : ncpu < 1 ? 1 : ncpu > MAX_THREADS ? MAX_THREADS : (int)ncpu;
	for (int i = 0; i < s->nudp; i++) {
		if ((s->udp[i] = open_sock(&ss, sl, SOCK_DGRAM)) < 0) {
			snprintf(err, errlen, "cannot listen on udp %s: %s", o->addr, strerror(errno));
			s->nudp = i;
			goto fail;
		}
		if (i == 0) { /* port 0: every other socket binds the port the first got */
			struct sockaddr_storage got;
			socklen_t gl = sizeof got;
			getsockname(s->udp[0], (struct sockaddr *)&got, &gl);
			s->port = ntohs(got.ss_family == AF_INET ? ((struct sockaddr_in *)&got)->sin_port
								 : ((struct sockaddr_in6 *)&got)->sin6_port);
			set_port(&ss, s->port);
		}
	}
	if ((s->tcp = open_sock(&ss, sl, SOCK_STREAM)) < 0) {
		snprintf(err, errlen, "cannot listen on tcp %s: %s", o->addr, strerror(errno));
		goto fail;
	}
	for (int i = 0; i < s->nudp; i++)
		if (!(s->wk[i] = malloc(sizeof *s->wk[i])) ||
		    (s->wk[i]->s = s, s->wk[i]->fd = s->udp[i],
		     pthread_create(&s->th[i], NULL, udp_worker, s->wk[i]))) {
			snprintf(err, errlen, "cannot start threads");
			atomic_store(&s->stop, 1);
			for (int k = 0; k < i; k++)
				pthread_join(s->th[k], NULL);
			goto fail;
		}
	if (pthread_create(&s->tcp_th, NULL, tcp_worker, s)) {
		atomic_store(&s->stop, 1);
		for (int k = 0; k < s->nudp; k++)
			pthread_join(s->th[k], NULL);
		snprintf(err, errlen, "cannot start threads");
		goto fail;
	}
	s->started = 1;
	*out = s;
	return 0;
fail:
	for (int i = 0; i < s->nudp; i++) {
		close(s->udp[i]);
		free(s->wk[i]);
	}
	if (s->tcp >= 0)
		close(s->tcp);
	free(s);
	return -1;
}

void dns_server_stop(dns_server_t *s)
{
	if (!s)
		return;
	atomic_store(&s->stop, 1);
	for (int i = 0; i < s->nudp; i++)
		pthread_join(s->th[i], NULL);
	pthread_join(s->tcp_th, NULL);
	for (int i = 0; i < s->nudp; i++) {
		close(s->udp[i]);
		free(s->wk[i]);
	}
	close(s->tcp);
	free(s);
}

uint16_t dns_server_port(const dns_server_t *s)
{
	return s->port;
}
