/* test_net.c — listening sockets: a port in use is refused with "address
 * already in use" (TCP and UDP, whoever holds it), never shared; our own
 * SO_REUSEPORT group of UDP sockets shares one port. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <netinet/in.h>
#include <unistd.h>

#include "core/net.h"

static uint16_t port_of(int fd)
{
	struct sockaddr_in a;
	socklen_t l = sizeof a;
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &l), 0);
	return ntohs(a.sin_port);
}

static void addr(struct sockaddr_storage *ss, socklen_t *sl, uint16_t port)
{
	char s[32];
	snprintf(s, sizeof s, "127.0.0.1:%u", port);
	assert_int_equal(net_parse_addr(s, ss, sl), 0);
}

static void test_tcp_in_use(void **state)
{
	(void)state;
	struct sockaddr_storage ss;
	socklen_t sl;
	char err[128];
	addr(&ss, &sl, 0);
	int a = net_listen(&ss, sl, SOCK_STREAM, 0, err, sizeof err);
	assert_true(a >= 0);
	addr(&ss, &sl, port_of(a));
	assert_int_equal(net_listen(&ss, sl, SOCK_STREAM, 0, err, sizeof err), -1);
	assert_string_equal(err, "address already in use");
	close(a);
	int b = net_listen(&ss, sl, SOCK_STREAM, 0, err, sizeof err); /* free again: taken */
	assert_true(b >= 0);
	close(b);
}

static void test_udp_group(void **state)
{
	(void)state;
	struct sockaddr_storage ss;
	socklen_t sl;
	char err[128];
	addr(&ss, &sl, 0);
	assert_int_equal(net_port_free(&ss, sl, SOCK_DGRAM, err, sizeof err), 0);
	uint16_t port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	assert_true(port > 0); /* port 0: the one the system picked */
	int a = net_listen(&ss, sl, SOCK_DGRAM, 1, err, sizeof err);
	int b = net_listen(&ss, sl, SOCK_DGRAM, 1, err, sizeof err);
	assert_true(a >= 0 && b >= 0);
	assert_int_equal(port_of(a), port);
	assert_int_equal(port_of(b), port);
	/* another server asking first whether the port is free is refused */
	assert_int_equal(net_port_free(&ss, sl, SOCK_DGRAM, err, sizeof err), -1);
	assert_string_equal(err, "address already in use");
	close(a);
	close(b);
}

static void test_udp_foreign(void **state)
{
	(void)state;
	struct sockaddr_storage ss;
	socklen_t sl;
	char err[128];
	int other = socket(AF_INET, SOCK_DGRAM, 0); /* someone else's plain socket */
	addr(&ss, &sl, 0);
	assert_int_equal(bind(other, (struct sockaddr *)&ss, sl), 0);
	addr(&ss, &sl, port_of(other));
	assert_int_equal(net_port_free(&ss, sl, SOCK_DGRAM, err, sizeof err), -1);
	assert_string_equal(err, "address already in use");
	assert_int_equal(net_listen(&ss, sl, SOCK_DGRAM, 1, err, sizeof err), -1);
	close(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp_in_use),
		cmocka_unit_test(test_udp_group),
		cmocka_unit_test(test_udp_foreign),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
