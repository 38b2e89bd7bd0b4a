/* fuzz_pki.c — libFuzzer target: what members send the PKI — certificate
 * signing requests (pki_csr_check, filed by API), certificates
 * (pki_cert_info) and a TLS client's DER chain (pki_verify_client) — on
 * arbitrary bytes.  Nothing random may be taken for a valid client
 * certificate of the hub's CA. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pki/pki.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];

static void cleanup(void)
{
	static const char *const files[] = {"ca.pem", "ca.key", "server.pem", "server.key",
					    "signer.pem", "signer.key"};
	char path[128];
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

static pki_trust_t *trust(void)
{
	static pki_trust_t *t;
	char path[128], err[512];
	size_t len;
	if (t)
		return t;
	snprintf(dir, sizeof dir, "/tmp/fuzz_pki.%d", (int)getpid());
	if (pki_init(dir, "Fuzz", NULL, 0, err, sizeof err))
		abort();
	atexit(cleanup);
	snprintf(path, sizeof path, "%s/ca.pem", dir);
	char *pem = pki_read_file(path, &len, err, sizeof err);
	if (!pem || !(t = pki_trust_new(pem, len, err, sizeof err)))
		abort();
	free(pem);
	return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pki_info_t info;
	char err[512], *text = malloc(size + 1);
	unsigned char fpr[32];
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (pki_csr_check(text, size, &info, err, sizeof err) == 0 && !info.dn[0])
		abort(); /* an accepted request has a subject */
	pki_cert_info(text, size, &info, err, sizeof err);
	/* the bytes as a chain of up to two DER certificates */
	const unsigned char *der[2] = {data, data + size / 2};
	unsigned lens[2] = {(unsigned)(size / 2), (unsigned)(size - size / 2)};
	if (pki_verify_client(trust(), der, lens, size ? 1 + (data[0] & 1) : 0, fpr, err, sizeof err) == 0)
		abort(); /* random bytes are never a certificate of our CA */
	free(text);
	return 0;
}
