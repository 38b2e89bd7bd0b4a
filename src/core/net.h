/* net.h — listening addresses: "HOST:PORT" with an IPv4 or IPv6 host (in
 * brackets or not), as the HTTP and DNS servers take them. */
#ifndef C5_NET_H
#define C5_NET_H

#include <sys/socket.h>

/* Parse addr into ss / len.  0, or -1 when it is not IP:PORT (0..65535). */
int net_parse_addr(const char *addr, struct sockaddr_storage *ss, socklen_t *len);

#endif
