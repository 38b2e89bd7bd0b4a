/* people_totp.c — the second factor's arithmetic: RFC 4648 base32, RFC 4226
 * HOTP and RFC 6238 TOTP (HMAC-SHA-1, 30 s steps), with no store and no
 * state (see people.h; people.c keeps the secrets). */
#include <gnutls/crypto.h>
#include <stdio.h>
#include <string.h>

#include "people.h"

static const char b32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int people_b32_decode(const char *s, uint8_t *out, size_t outlen)
{
	uint32_t acc = 0;
	int bits = 0, pad = 0;
	size_t n = 0;
	for (; *s; s++) {
		int c = (unsigned char)*s, v;
		if (c == ' ' || c == '-')
			continue;
		if (c == '=') {
			pad = 1;
			continue;
		}
		if (pad) /* data after padding */
			return -1;
		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if (c >= 'A' && c <= 'Z')
			v = c - 'A';
		else if (c >= '2' && c <= '7')
			v = c - '2' + 26;
		else
			return -1;
		acc = (acc << 5) | (uint32_t)v;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			if (n >= outlen)
				return -1;
			out[n++] = (uint8_t)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	/* what is left must be fewer than 5 bits (a whole character would be
	 * a byte short of data) and zero */
	if (bits >= 5 || acc != 0)
		return -1;
	return (int)n;
}

void people_b32_encode(const uint8_t *in, size_t n, char *out)
{
	uint32_t acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			*out++ = b32_alphabet[(acc >> bits) & 31];
		}
		acc &= (1u << bits) - 1;
	}
	if (bits)
		*out++ = b32_alphabet[(acc << (5 - bits)) & 31];
	*out = '\0';
}

uint32_t people_hotp(const uint8_t *key, size_t keylen, uint64_t counter, int digits)
{
	uint8_t msg[8], mac[20];
	static const uint32_t mod[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
				       100000000, 1000000000};
	for (int i = 7; i >= 0; i--, counter >>= 8)
		msg[i] = (uint8_t)counter;
	if (digits < 6 || digits > 9 ||
	    gnutls_hmac_fast(GNUTLS_MAC_SHA1, key, keylen, msg, sizeof msg, mac) < 0)
		return UINT32_MAX;
	int off = mac[19] & 15;
	uint32_t bin = ((uint32_t)(mac[off] & 0x7f) << 24) | ((uint32_t)mac[off + 1] << 16) |
		       ((uint32_t)mac[off + 2] << 8) | mac[off + 3];
	return bin % mod[digits];
}

int people_totp_code(const char *secret_b32, int64_t t, char code[7])
{
	uint8_t key[64];
	int n = people_b32_decode(secret_b32, key, sizeof key);
	code[0] = '\0';
	if (n <= 0 || t < 0)
		return -1;
	uint32_t v = people_hotp(key, (size_t)n, (uint64_t)t / 30, 6);
	explicit_bzero(key, sizeof key);
	if (v == UINT32_MAX)
		return -1;
	snprintf(code, 7, "%06u", (unsigned)v);
	return 0;
}
