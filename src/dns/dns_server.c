/* dns_server.c — sockets and threads of the DNS blocklist (see dns_server.h).
 * UDP workers read and answer batches of up to 32 datagrams per system call
 * inside one index read-side section; one TCP thread polls every TCP client
 * at once and answers pipelined length-prefixed queries (RFC 7766), with a
 * whole-message deadline, an idle timeout and a per-address limit.  Listing policy: an indicator is
 * published when the score of its reports at or under max_tlp is at or above
 * min_score (see listed()). */
#include "dns_server.h"
#include "core/net.h"
#include "wlist/wlist.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
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
	atomic_long tcp_refused, tcp_timeouts; /* TCP clients turned away, timed out */
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

/* ---- TCP (RFC 7766): one poll thread serves every client at once ---- */

#define TCP_CLIENTS 256      /* TCP clients served at once */
#define TCP_PER_ADDR 16      /* of them from one address */
#define TCP_IDLE_MS 10000    /* silence allowed between two queries */
#define TCP_MSG_MS 5000      /* a query's whole message, from its first byte; an answer's drain */
#define TCP_QUERY_MAX 4096   /* the largest query taken (a longer one ends the connection) */

typedef struct {
	int fd;
	struct sockaddr_storage addr;
	uint8_t in[2 + TCP_QUERY_MAX];
	size_t inlen;
	uint8_t *out; /* what the client has not read yet of an answer (malloc'd) */
	size_t outlen, outoff;
	int64_t deadline; /* ms: the idle or the whole-message deadline */
	int busy;         /* a message is half in or an answer half out */
} tcp_conn_t;

typedef struct {
	dns_server_t *s;
	tcp_conn_t *c[TCP_CLIENTS];
	int n;
	uint8_t *scratch; /* 2 + DNS_TCP_MAX: the answer being written */
	view_t v;
	dns_config_t cfg;
} tcp_loop_t;

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int same_host(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return 0;
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
		      &((const struct sockaddr_in6 *)b)->sin6_addr, 16) == 0;
}

static void tcp_drop(tcp_loop_t *t, int i)
{
	close(t->c[i]->fd);
	free(t->c[i]->out);
	free(t->c[i]);
	t->c[i] = t->c[--t->n];
}

/* Take every waiting connection; over the limits, close it at once. */
static void tcp_accept(tcp_loop_t *t)
{
	for (;;) {
		struct sockaddr_storage a;
		socklen_t al = sizeof a;
		int fd = accept4(t->s->tcp, (struct sockaddr *)&a, &al, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		int same = 0;
		for (int i = 0; i < t->n; i++)
			same += same_host(&t->c[i]->addr, &a);
		tcp_conn_t *c = NULL;
		if (t->n >= TCP_CLIENTS || same >= TCP_PER_ADDR || !(c = calloc(1, sizeof *c))) {
			atomic_fetch_add(&t->s->tcp_refused, 1);
			close(fd);
			continue;
		}
		c->fd = fd;
		c->addr = a;
		c->deadline = now_ms() + TCP_IDLE_MS;
		t->c[t->n++] = c;
	}
}

/* Write what is pending; 0 when all of it went, 1 when some waits, -1 on error. */
static int tcp_flush(tcp_conn_t *c)
{
	while (c->outoff < c->outlen) {
		ssize_t k = send(c->fd, c->out + c->outoff, c->outlen - c->outoff, MSG_NOSIGNAL);
		if (k < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? 1 : -1;
		c->outoff += (size_t)k;
	}
	free(c->out);
	c->out = NULL;
	c->outlen = c->outoff = 0;
	return 0;
}

/* Answer every whole query in c->in, in order, while the client reads its
 * answers; 0, or -1 to end the connection. */
static int tcp_answer(tcp_loop_t *t, tcp_conn_t *c)
{
	size_t off = 0;
	while (!c->out && c->inlen - off >= 2) {
		size_t n = (size_t)c->in[off] << 8 | c->in[off + 1], len;
		if (n == 0 || n > TCP_QUERY_MAX)
			return -1;
		if (c->inlen - off < 2 + n)
			break;
		t->v.now = hub_now();
		t->v.snap = idx_enter(t->s->hub->idx);
		int rc = dns_answer(&t->cfg, c->in + off + 2, n, 1, t->scratch + 2, DNS_TCP_MAX, &len);
		idx_leave(t->s->hub->idx);
		off += 2 + n;
		if (rc != DNS_REPLY)
			return -1;
		t->scratch[0] = (uint8_t)(len >> 8);
		t->scratch[1] = (uint8_t)len;
		ssize_t k = send(c->fd, t->scratch, len + 2, MSG_NOSIGNAL);
		if (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return -1;
		size_t sent = k < 0 ? 0 : (size_t)k;
		if (sent < len + 2) { /* the client reads slowly: keep the rest, read no more */
			if (!(c->out = malloc(len + 2 - sent)))
				return -1;
			memcpy(c->out, t->scratch + sent, len + 2 - sent);
			c->outlen = len + 2 - sent;
		}
	}
	if (off)
		c->busy = 0; /* a message done: the next one has its own deadline */
	memmove(c->in, c->in + off, c->inlen - off);
	c->inlen -= off;
	return 0;
}

/* After some progress: a whole-message deadline while a query is half in or
 * an answer half out (set when that message began), else the idle deadline. */
static void tcp_deadline(tcp_conn_t *c, int64_t now)
{
	int busy = c->inlen > 0 || c->out;
	if (busy && !c->busy)
		c->deadline = now + TCP_MSG_MS;
	else if (!busy)
		c->deadline = now + TCP_IDLE_MS;
	c->busy = busy;
}

static void *tcp_worker(void *arg)
{
	dns_server_t *s = arg;
	tcp_loop_t *t = calloc(1, sizeof *t);
	struct pollfd p[1 + TCP_CLIENTS];
	if (!t || !(t->scratch = malloc(2 + DNS_TCP_MAX))) {
		free(t);
		return NULL;
	}
	t->s = s;
	t->v.s = s;
	t->cfg = s->cfg;
	t->cfg.arg = &t->v;
	while (!atomic_load(&s->stop)) {
		p[0] = (struct pollfd){s->tcp, t->n < TCP_CLIENTS ? POLLIN : 0, 0};
		for (int i = 0; i < t->n; i++)
			p[1 + i] = (struct pollfd){t->c[i]->fd, t->c[i]->out ? POLLOUT : POLLIN, 0};
		int n = t->n;
		if (poll(p, (nfds_t)(1 + n), 200) < 0 && errno != EINTR)
			break;
		int64_t now = now_ms();
		/* backwards: tcp_drop moves the last client into the hole */
		for (int i = n - 1; i >= 0; i--) {
			tcp_conn_t *c = t->c[i];
			short ev = p[1 + i].revents;
			int bad = 0;
			if (ev & (POLLERR | POLLNVAL)) {
				bad = 1;
			} else if (c->out && (ev & (POLLOUT | POLLHUP))) {
				bad = tcp_flush(c) < 0 || (!c->out && tcp_answer(t, c));
			} else if (!c->out && (ev & (POLLIN | POLLHUP))) {
				ssize_t k = recv(c->fd, c->in + c->inlen, sizeof c->in - c->inlen, 0);
				if (k == 0 || (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
					bad = 1;
				else if (k > 0)
					c->inlen += (size_t)k, bad = tcp_answer(t, c);
			} else if (now >= c->deadline) {
				bad = 1;
				atomic_fetch_add(&s->tcp_timeouts, 1);
			}
			if (bad)
				tcp_drop(t, i);
			else if (ev)
				tcp_deadline(c, now);
		}
		if (p[0].revents & POLLIN)
			tcp_accept(t);
	}
	while (t->n)
		tcp_drop(t, t->n - 1);
	free(t->scratch);
	free(t);
	return NULL;
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
	/* The UDP threads share one port through SO_REUSEPORT, which would also
	 * let another process join it: the port is first bound once alone, so
	 * that a port in use (by anyone) is refused; with port 0 that picks it. */
	char why[128];
	if (net_port_free(&ss, sl, SOCK_DGRAM, why, sizeof why)) {
		snprintf(err, errlen, "cannot listen on udp %s: %s", o->addr, why);
		goto fail;
	}
	s->port = ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
						: ((struct sockaddr_in6 *)&ss)->sin6_port);
	for (int i = 0; i < s->nudp; i++) {
		struct timeval tv = {0, 200000}; /* the workers look at stop this often */
		if ((s->udp[i] = net_listen(&ss, sl, SOCK_DGRAM, 1, why, sizeof why)) < 0) {
			snprintf(err, errlen, "cannot listen on udp %s: %s", o->addr, why);
			s->nudp = i;
			goto fail;
		}
		setsockopt(s->udp[i], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	}
	if ((s->tcp = net_listen(&ss, sl, SOCK_STREAM, 0, why, sizeof why)) < 0 ||
	    fcntl(s->tcp, F_SETFL, O_NONBLOCK)) {
		snprintf(err, errlen, "cannot listen on tcp %s: %s", o->addr, why);
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
