/* net.h — listening addresses: "HOST:PORT" with an IPv4 or IPv6 host (in
 * brackets or not), as the HTTP and DNS servers take them, and the listening
 * sockets themselves (a port in use is refused, never shared). */
#ifndef C5_NET_H
#define C5_NET_H

#include <sys/socket.h>

/* Parse addr into ss / len.  0, or -1 when it is not IP:PORT (0..65535). */
int net_parse_addr(const char *addr, struct sockaddr_storage *ss, socklen_t *len);

/* A socket bound to ss (and listening, for SOCK_STREAM), close-on-exec and
 * blocking.  SO_REUSEADDR on TCP only (a restart may bind over
 * TIME_WAIT; Linux never lets two TCP listeners share a port with it);
 * share != 0 adds SO_REUSEPORT, for the caller's own group of UDP sockets
 * on one port, which must first have been bound once without it (see
 * net_port_free).  The socket, or -1 with the reason in err ("address
 * already in use", ...). */
int net_listen(const struct sockaddr_storage *ss, socklen_t sl, int type, int share, char *err,
	       size_t errlen);

/* Is ss free for type (no socket of any process bound to it)?  Binds a
 * socket without SO_REUSEADDR/SO_REUSEPORT and closes it; with port 0 the
 * port the system picked is written back into ss.  0, or -1 with the
 * reason in err. */
int net_port_free(struct sockaddr_storage *ss, socklen_t sl, int type, char *err, size_t errlen);

#endif
