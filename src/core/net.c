/* net.c — listening addresses (see net.h). */
#include "net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int net_parse_addr(const char *addr, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[128];
	const char *colon = strrchr(addr, ':');
	char *end;
	if (!colon || (size_t)(colon - addr) >= sizeof host)
		return -1;
	memcpy(host, addr, (size_t)(colon - addr));
	host[colon - addr] = '\0';
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535)
		return -1;
	char *h = host;
	size_t hl = strlen(h);
	if (hl > 1 && h[0] == '[' && h[hl - 1] == ']') {
		h[hl - 1] = '\0';
		h++;
	}
	memset(ss, 0, sizeof *ss);
	struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
	if (inet_pton(AF_INET, h, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		*len = sizeof *v4;
	} else if (inet_pton(AF_INET6, h, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		*len = sizeof *v6;
	} else {
		return -1;
	}
	return 0;
}

static void sock_err(int e, char *err, size_t errlen)
{
	if (e == EADDRINUSE)
		snprintf(err, errlen, "address already in use");
	else
		snprintf(err, errlen, "%s", strerror(e));
}

int net_listen(const struct sockaddr_storage *ss, socklen_t sl, int type, int share, char *err,
	       size_t errlen)
{
	int one = 1, fd = socket(ss->ss_family, type | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		sock_err(errno, err, errlen);
		return -1;
	}
	if (type == SOCK_STREAM)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (share)
		setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
	if (ss->ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
	if (bind(fd, (const struct sockaddr *)ss, sl) || (type == SOCK_STREAM && listen(fd, 511))) {
		sock_err(errno, err, errlen);
		close(fd);
		return -1;
	}
	return fd;
}

int net_port_free(struct sockaddr_storage *ss, socklen_t sl, int type, char *err, size_t errlen)
{
	struct sockaddr_storage got;
	socklen_t gl = sizeof got;
	int fd = socket(ss->ss_family, type | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (const struct sockaddr *)ss, sl) ||
	    getsockname(fd, (struct sockaddr *)&got, &gl)) {
		sock_err(errno, err, errlen);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = ((struct sockaddr_in *)&got)->sin_port;
	else
		((struct sockaddr_in6 *)ss)->sin6_port = ((struct sockaddr_in6 *)&got)->sin6_port;
	return 0;
}
