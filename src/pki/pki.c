/* pki.c — certificate authority, requests, issuing and CRLs with GnuTLS
 * (see pki.h).  Every GnuTLS call is checked; every error names the step. */
#include "pki.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <gnutls/crypto.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/pkcs7.h>
#include <gnutls/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CA_DAYS 3650
#define SERVER_DAYS 825
#define FILE_MAX (1 << 20)

struct pki_ca {
	gnutls_x509_crt_t crt;
	gnutls_x509_privkey_t key;
};

/* Set err to "what: GnuTLS's reason" and return -1. */
static int gfail(char *err, size_t errlen, const char *what, int rc)
{
	snprintf(err, errlen, "%s: %s", what, gnutls_strerror(rc));
	return -1;
}

#define G(call, what)                                               \
	do {                                                        \
		int g_rc_ = (call);                                 \
		if (g_rc_ < 0) {                                    \
			gfail(err, errlen, what, g_rc_);            \
			goto out;                                   \
		}                                                   \
	} while (0)

char *pki_read_file(const char *path, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (!(buf = malloc(FILE_MAX + 1))) {
		snprintf(err, errlen, "%s: out of memory", path);
		fclose(f);
		return NULL;
	}
	size_t n = fread(buf, 1, FILE_MAX + 1, f);
	int bad = ferror(f);
	fclose(f);
	if (bad || n > FILE_MAX) {
		snprintf(err, errlen, "%s: %s", path, bad ? "read error" : "larger than 1 MiB");
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Write data to path, created new with mode (never over an existing file). */
static int write_new(const char *path, const void *data, size_t len, mode_t mode, char *err,
		     size_t errlen)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	ssize_t w = write(fd, data, len);
	if (w != (ssize_t)len || fsync(fd) || close(fd)) {
		snprintf(err, errlen, "%s: cannot write", path);
		if (w == (ssize_t)len)
			return -1;
		close(fd);
		return -1;
	}
	return 0;
}

/* A GnuTLS export as a NUL-terminated string of our own (caller frees). */
static char *text_of(const gnutls_datum_t *d, char *err, size_t errlen)
{
	char *t = malloc(d->size + 1);
	if (!t) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	memcpy(t, d->data, d->size);
	t[d->size] = '\0';
	return t;
}

static void hex(const unsigned char *b, size_t n, char *out)
{
	static const char d[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = d[b[i] >> 4];
		out[2 * i + 1] = d[b[i] & 15];
	}
	out[2 * n] = '\0';
}

/* 16 random bytes, positive and without a leading zero byte. */
static void new_serial(unsigned char s[16])
{
	gnutls_rnd(GNUTLS_RND_NONCE, s, 16);
	s[0] = (unsigned char)((s[0] & 0x7F) | 0x40);
}

static int export_key(gnutls_x509_privkey_t key, const char *path, char *err, size_t errlen)
{
	gnutls_datum_t d = {0};
	int rc = gnutls_x509_privkey_export2(key, GNUTLS_X509_FMT_PEM, &d);
	if (rc < 0)
		return gfail(err, errlen, "export key", rc);
	rc = write_new(path, d.data, d.size, 0600, err, errlen);
	gnutls_memset(d.data, 0, d.size);
	gnutls_free(d.data);
	return rc;
}

static int export_crt(gnutls_x509_crt_t crt, const char *path, char *err, size_t errlen)
{
	gnutls_datum_t d = {0};
	int rc = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &d);
	if (rc < 0)
		return gfail(err, errlen, "export certificate", rc);
	rc = write_new(path, d.data, d.size, 0644, err, errlen);
	gnutls_free(d.data);
	return rc;
}

static int new_key(gnutls_x509_privkey_t *key, char *err, size_t errlen)
{
	int rc = gnutls_x509_privkey_init(key);
	if (rc < 0)
		return gfail(err, errlen, "key", rc);
	rc = gnutls_x509_privkey_generate2(*key, GNUTLS_PK_ECDSA,
					   GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0, NULL, 0);
	if (rc < 0) {
		gnutls_x509_privkey_deinit(*key);
		*key = NULL;
		return gfail(err, errlen, "generate key", rc);
	}
	return 0;
}

/* Serial, validity from now, version 3, subject key id. */
static int crt_common(gnutls_x509_crt_t crt, int days, char *err, size_t errlen)
{
	unsigned char serial[16], id[64];
	size_t idlen = sizeof id;
	time_t now = time(NULL);
	int rc = -1;
	new_serial(serial);
	G(gnutls_x509_crt_set_version(crt, 3), "certificate version");
	G(gnutls_x509_crt_set_serial(crt, serial, sizeof serial), "serial");
	G(gnutls_x509_crt_set_activation_time(crt, now - 300), "validity");
	G(gnutls_x509_crt_set_expiration_time(crt, now + (time_t)days * 86400), "validity");
	G(gnutls_x509_crt_get_key_id(crt, GNUTLS_KEYID_USE_SHA1, id, &idlen), "key id");
	G(gnutls_x509_crt_set_subject_key_id(crt, id, idlen), "subject key id");
	rc = 0;
out:
	return rc;
}

static int set_issuer_id(gnutls_x509_crt_t crt, gnutls_x509_crt_t ca, char *err, size_t errlen)
{
	unsigned char id[64];
	size_t idlen = sizeof id;
	int rc = -1;
	G(gnutls_x509_crt_get_subject_key_id(ca, id, &idlen, NULL), "CA key id");
	G(gnutls_x509_crt_set_authority_key_id(crt, id, idlen), "authority key id");
	rc = 0;
out:
	return rc;
}

static int make_ca(const char *dir, const char *name, char *err, size_t errlen)
{
	gnutls_x509_privkey_t key = NULL;
	gnutls_x509_crt_t crt = NULL;
	char dn[PKI_DN_MAX], path[4096];
	int rc = -1;
	if (new_key(&key, err, errlen))
		return -1;
	G(gnutls_x509_crt_init(&crt), "certificate");
	G(gnutls_x509_crt_set_key(crt, key), "CA key");
	snprintf(dn, sizeof dn, "CN=%s Root CA,O=%s", name, name);
	G(gnutls_x509_crt_set_dn(crt, dn, NULL), "CA name (use letters, digits and spaces)");
	if (crt_common(crt, CA_DAYS, err, errlen))
		goto out;
	G(gnutls_x509_crt_set_basic_constraints(crt, 1, 0), "basic constraints");
	G(gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN),
	  "key usage");
	G(gnutls_x509_crt_sign2(crt, crt, key, GNUTLS_DIG_SHA256, 0), "sign CA certificate");
	snprintf(path, sizeof path, "%s/ca.key", dir);
	if (export_key(key, path, err, errlen))
		goto out;
	snprintf(path, sizeof path, "%s/ca.pem", dir);
	rc = export_crt(crt, path, err, errlen);
out:
	gnutls_x509_crt_deinit(crt);
	gnutls_x509_privkey_deinit(key);
	return rc;
}

static int add_san(gnutls_x509_crt_t crt, const char *n, char *err, size_t errlen)
{
	unsigned char a[16];
	int rc;
	if (inet_pton(AF_INET, n, a) == 1)
		rc = gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS, a, 4, GNUTLS_FSAN_APPEND);
	else if (inet_pton(AF_INET6, n, a) == 1)
		rc = gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS, a, 16, GNUTLS_FSAN_APPEND);
	else
		rc = gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME, n, (unsigned)strlen(n),
							  GNUTLS_FSAN_APPEND);
	if (rc < 0) {
		char what[300];
		snprintf(what, sizeof what, "server name '%.200s'", n);
		return gfail(err, errlen, what, rc);
	}
	return 0;
}

static int make_server(const char *dir, pki_ca_t *ca, const char *const *names, size_t n,
		       char *err, size_t errlen)
{
	gnutls_x509_privkey_t key = NULL;
	gnutls_x509_crt_t crt = NULL;
	char dn[PKI_DN_MAX], path[4096];
	int rc = -1;
	if (new_key(&key, err, errlen))
		return -1;
	G(gnutls_x509_crt_init(&crt), "certificate");
	G(gnutls_x509_crt_set_key(crt, key), "server key");
	snprintf(dn, sizeof dn, "CN=%s", n ? names[0] : "localhost");
	G(gnutls_x509_crt_set_dn(crt, dn, NULL), "server name");
	if (crt_common(crt, SERVER_DAYS, err, errlen) || set_issuer_id(crt, ca->crt, err, errlen) ||
	    add_san(crt, "localhost", err, errlen) || add_san(crt, "127.0.0.1", err, errlen))
		goto out;
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], "localhost") && strcmp(names[i], "127.0.0.1") &&
		    add_san(crt, names[i], err, errlen))
			goto out;
	G(gnutls_x509_crt_set_basic_constraints(crt, 0, -1), "basic constraints");
	G(gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_DIGITAL_SIGNATURE), "key usage");
	G(gnutls_x509_crt_set_key_purpose_oid(crt, GNUTLS_KP_TLS_WWW_SERVER, 0), "key purpose");
	G(gnutls_x509_crt_sign2(crt, ca->crt, ca->key, GNUTLS_DIG_SHA256, 0), "sign server certificate");
	snprintf(path, sizeof path, "%s/server.key", dir);
	if (export_key(key, path, err, errlen))
		goto out;
	snprintf(path, sizeof path, "%s/server.pem", dir);
	rc = export_crt(crt, path, err, errlen);
out:
	gnutls_x509_crt_deinit(crt);
	gnutls_x509_privkey_deinit(key);
	return rc;
}

/* The certificate that signs advisories and exports (S/MIME-style:
 * digitalSignature, emailProtection, so `openssl cms -verify` accepts it). */
static int make_signer(const char *dir, pki_ca_t *ca, const char *name, char *err, size_t errlen)
{
	gnutls_x509_privkey_t key = NULL;
	gnutls_x509_crt_t crt = NULL;
	char dn[PKI_DN_MAX], path[4096];
	int rc = -1;
	if (new_key(&key, err, errlen))
		return -1;
	G(gnutls_x509_crt_init(&crt), "certificate");
	G(gnutls_x509_crt_set_key(crt, key), "signer key");
	snprintf(dn, sizeof dn, "CN=%s Advisories,O=%s", name, name);
	G(gnutls_x509_crt_set_dn(crt, dn, NULL), "signer name");
	if (crt_common(crt, SERVER_DAYS, err, errlen) || set_issuer_id(crt, ca->crt, err, errlen))
		goto out;
	G(gnutls_x509_crt_set_basic_constraints(crt, 0, -1), "basic constraints");
	G(gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_NON_REPUDIATION),
	  "key usage");
	G(gnutls_x509_crt_set_key_purpose_oid(crt, GNUTLS_KP_EMAIL_PROTECTION, 0), "key purpose");
	G(gnutls_x509_crt_sign2(crt, ca->crt, ca->key, GNUTLS_DIG_SHA256, 0), "sign signer certificate");
	snprintf(path, sizeof path, "%s/signer.key", dir);
	if (export_key(key, path, err, errlen))
		goto out;
	snprintf(path, sizeof path, "%s/signer.pem", dir);
	rc = export_crt(crt, path, err, errlen);
out:
	gnutls_x509_crt_deinit(crt);
	gnutls_x509_privkey_deinit(key);
	return rc;
}

int pki_init(const char *dir, const char *name, const char *const *names, size_t n, char *err,
	     size_t errlen)
{
	char path[4096];
	if (mkdir(dir, 0700) && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof path, "%s/ca.pem", dir);
	if (access(path, F_OK) != 0 && make_ca(dir, name, err, errlen))
		return -1;
	pki_ca_t *ca = pki_ca_load(dir, err, errlen);
	int made = 0, rc = ca ? 0 : -1;
	snprintf(path, sizeof path, "%s/signer.pem", dir);
	if (!rc && access(path, F_OK) != 0 && !(rc = make_signer(dir, ca, name, err, errlen)))
		made++;
	snprintf(path, sizeof path, "%s/server.pem", dir);
	if (!rc && access(path, F_OK) != 0 && !(rc = make_server(dir, ca, names, n, err, errlen)))
		made++;
	if (!rc && !made) {
		snprintf(err, errlen, "%s already exists (and the CA and signer): remove server.pem and "
				      "server.key to make a new server certificate", path);
		rc = -1;
	}
	pki_ca_free(ca);
	return rc;
}

pki_ca_t *pki_ca_load(const char *dir, char *err, size_t errlen)
{
	char path[4096];
	size_t len;
	char *pem = NULL;
	pki_ca_t *ca = calloc(1, sizeof *ca);
	int rc = -1;
	if (!ca) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(path, sizeof path, "%s/ca.pem", dir);
	if (!(pem = pki_read_file(path, &len, err, errlen)))
		goto out;
	gnutls_datum_t d = {(unsigned char *)pem, (unsigned)len};
	G(gnutls_x509_crt_init(&ca->crt), "certificate");
	G(gnutls_x509_crt_import(ca->crt, &d, GNUTLS_X509_FMT_PEM), "ca.pem");
	unsigned is_ca = 0;
	if (gnutls_x509_crt_get_basic_constraints(ca->crt, NULL, &is_ca, NULL) < 0 || !is_ca) {
		snprintf(err, errlen, "%s: not a CA certificate", path);
		goto out;
	}
	free(pem);
	snprintf(path, sizeof path, "%s/ca.key", dir);
	if (!(pem = pki_read_file(path, &len, err, errlen)))
		goto out;
	d = (gnutls_datum_t){(unsigned char *)pem, (unsigned)len};
	G(gnutls_x509_privkey_init(&ca->key), "key");
	G(gnutls_x509_privkey_import(ca->key, &d, GNUTLS_X509_FMT_PEM), "ca.key");
	rc = 0;
out:
	if (pem) {
		gnutls_memset(pem, 0, strlen(pem));
		free(pem);
	}
	if (rc) {
		pki_ca_free(ca);
		return NULL;
	}
	return ca;
}

void pki_ca_free(pki_ca_t *ca)
{
	if (!ca)
		return;
	if (ca->crt)
		gnutls_x509_crt_deinit(ca->crt);
	if (ca->key)
		gnutls_x509_privkey_deinit(ca->key);
	free(ca);
}

/* ---- requests and certificates ---- */

static int import_crq(gnutls_x509_crq_t *crq, const char *pem, size_t len, char *err, size_t errlen)
{
	gnutls_datum_t d = {(unsigned char *)pem, (unsigned)len};
	int rc = gnutls_x509_crq_init(crq);
	if (rc < 0)
		return gfail(err, errlen, "request", rc);
	if (len == 0 || !memmem(pem, len, "-----BEGIN", 10) ||
	    (rc = gnutls_x509_crq_import(*crq, &d, GNUTLS_X509_FMT_PEM)) < 0) {
		gnutls_x509_crq_deinit(*crq);
		*crq = NULL;
		return gfail(err, errlen, "not a PEM certificate signing request", rc < 0 ? rc : GNUTLS_E_BASE64_DECODING_ERROR);
	}
	return 0;
}

int pki_csr_check(const char *pem, size_t len, pki_info_t *info, char *err, size_t errlen)
{
	gnutls_x509_crq_t crq = NULL;
	gnutls_datum_t dn = {0};
	unsigned bits = 0;
	int rc = -1;
	memset(info, 0, sizeof *info);
	if (import_crq(&crq, pem, len, err, errlen))
		return -1;
	if (gnutls_x509_crq_verify(crq, 0) < 0) {
		snprintf(err, errlen, "the request's signature does not verify");
		goto out;
	}
	int alg = gnutls_x509_crq_get_pk_algorithm(crq, &bits);
	info->key_bits = (int)bits;
	snprintf(info->key_alg, sizeof info->key_alg, "%s", gnutls_pk_get_name((gnutls_pk_algorithm_t)alg));
	if ((alg == GNUTLS_PK_RSA && bits < 2048) || (alg == GNUTLS_PK_ECDSA && bits < 256) ||
	    (alg != GNUTLS_PK_RSA && alg != GNUTLS_PK_ECDSA && alg != GNUTLS_PK_EDDSA_ED25519)) {
		snprintf(err, errlen, "key too weak or of an unsupported kind (%s, %u bits): use RSA of "
				      "2048 bits or more, ECDSA P-256 or more, or Ed25519", info->key_alg, bits);
		goto out;
	}
	G(gnutls_x509_crq_get_dn3(crq, &dn, 0), "request subject");
	if (dn.size == 0) {
		snprintf(err, errlen, "the request has no subject name");
		goto out;
	}
	snprintf(info->dn, sizeof info->dn, "%.*s", (int)dn.size, (const char *)dn.data);
	size_t on = sizeof info->org;
	if (gnutls_x509_crq_get_dn_by_oid(crq, GNUTLS_OID_X520_ORGANIZATION_NAME, 0, 0, info->org, &on) < 0)
		info->org[0] = '\0';
	rc = 0;
out:
	gnutls_free(dn.data);
	gnutls_x509_crq_deinit(crq);
	return rc;
}

static int crt_info(gnutls_x509_crt_t crt, pki_info_t *info, char *err, size_t errlen)
{
	unsigned char buf[64];
	size_t n = sizeof buf;
	gnutls_datum_t dn = {0};
	unsigned bits = 0;
	int rc = -1;
	memset(info, 0, sizeof *info);
	G(gnutls_x509_crt_get_serial(crt, buf, &n), "serial");
	hex(buf, n > 16 ? 16 : n, info->serial);
	n = sizeof buf;
	G(gnutls_x509_crt_get_fingerprint(crt, GNUTLS_DIG_SHA256, buf, &n), "fingerprint");
	hex(buf, 32, info->fpr);
	G(gnutls_x509_crt_get_dn3(crt, &dn, 0), "subject");
	snprintf(info->dn, sizeof info->dn, "%.*s", (int)dn.size, (const char *)dn.data);
	info->not_before = (int64_t)gnutls_x509_crt_get_activation_time(crt);
	info->not_after = (int64_t)gnutls_x509_crt_get_expiration_time(crt);
	int alg = gnutls_x509_crt_get_pk_algorithm(crt, &bits);
	info->key_bits = (int)bits;
	snprintf(info->key_alg, sizeof info->key_alg, "%s", gnutls_pk_get_name((gnutls_pk_algorithm_t)alg));
	rc = 0;
out:
	gnutls_free(dn.data);
	return rc;
}

int pki_cert_info(const char *pem, size_t len, pki_info_t *info, char *err, size_t errlen)
{
	gnutls_x509_crt_t crt = NULL;
	gnutls_datum_t d = {(unsigned char *)pem, (unsigned)len};
	int rc = -1;
	G(gnutls_x509_crt_init(&crt), "certificate");
	G(gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_PEM), "not a PEM certificate");
	rc = crt_info(crt, info, err, errlen);
out:
	if (crt)
		gnutls_x509_crt_deinit(crt);
	return rc;
}

int pki_issue(pki_ca_t *ca, const char *csr_pem, size_t len, int days, char **cert_pem,
	      pki_info_t *info, char *err, size_t errlen)
{
	gnutls_x509_crq_t crq = NULL;
	gnutls_x509_crt_t crt = NULL;
	gnutls_datum_t out_pem = {0};
	pki_info_t check;
	int rc = -1;
	*cert_pem = NULL;
	if (days < 1 || days > 825) {
		snprintf(err, errlen, "validity must be 1 to 825 days");
		return -1;
	}
	if (pki_csr_check(csr_pem, len, &check, err, errlen) || import_crq(&crq, csr_pem, len, err, errlen))
		return -1;
	G(gnutls_x509_crt_init(&crt), "certificate");
	G(gnutls_x509_crt_set_crq(crt, crq), "take the request's name and key");
	if (crt_common(crt, days, err, errlen) || set_issuer_id(crt, ca->crt, err, errlen))
		goto out;
	G(gnutls_x509_crt_set_basic_constraints(crt, 0, -1), "basic constraints");
	G(gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_DIGITAL_SIGNATURE |
					     (strcmp(check.key_alg, "RSA") ? 0 : GNUTLS_KEY_KEY_ENCIPHERMENT)),
	  "key usage");
	G(gnutls_x509_crt_set_key_purpose_oid(crt, GNUTLS_KP_TLS_WWW_CLIENT, 0), "key purpose");
	G(gnutls_x509_crt_sign2(crt, ca->crt, ca->key, GNUTLS_DIG_SHA256, 0), "sign certificate");
	G(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &out_pem), "export certificate");
	if (crt_info(crt, info, err, errlen))
		goto out;
	if (!(*cert_pem = text_of(&out_pem, err, errlen)))
		goto out;
	rc = 0;
out:
	gnutls_free(out_pem.data);
	if (crt)
		gnutls_x509_crt_deinit(crt);
	gnutls_x509_crq_deinit(crq);
	return rc;
}

static int unhex(const char *s, unsigned char *out, size_t max, size_t *n)
{
	size_t l = strlen(s);
	if (l == 0 || l % 2 || l / 2 > max)
		return -1;
	for (size_t i = 0; i < l / 2; i++) {
		unsigned v;
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (unsigned char)v;
	}
	*n = l / 2;
	return 0;
}

int pki_crl(pki_ca_t *ca, const char *const *serials, const int64_t *when, size_t n, int next_days,
	    char **pem, char *err, size_t errlen)
{
	gnutls_x509_crl_t crl = NULL;
	gnutls_datum_t out = {0};
	unsigned char id[64], num[8];
	size_t idlen = sizeof id;
	time_t now = time(NULL);
	int rc = -1;
	*pem = NULL;
	G(gnutls_x509_crl_init(&crl), "CRL");
	G(gnutls_x509_crl_set_version(crl, 2), "CRL version");
	G(gnutls_x509_crl_set_this_update(crl, now), "CRL time");
	G(gnutls_x509_crl_set_next_update(crl, now + (time_t)next_days * 86400), "CRL time");
	for (int i = 0; i < 8; i++)
		num[i] = (unsigned char)((uint64_t)now >> (56 - 8 * i));
	G(gnutls_x509_crl_set_number(crl, num, sizeof num), "CRL number");
	G(gnutls_x509_crt_get_subject_key_id(ca->crt, id, &idlen, NULL), "CA key id");
	G(gnutls_x509_crl_set_authority_key_id(crl, id, idlen), "CRL authority key id");
	for (size_t i = 0; i < n; i++) {
		unsigned char s[64];
		size_t sl;
		if (unhex(serials[i], s, sizeof s, &sl)) {
			snprintf(err, errlen, "bad serial '%.70s'", serials[i]);
			goto out;
		}
		G(gnutls_x509_crl_set_crt_serial(crl, s, sl, (time_t)when[i]), "CRL entry");
	}
	G(gnutls_x509_crl_sign2(crl, ca->crt, ca->key, GNUTLS_DIG_SHA256, 0), "sign CRL");
	G(gnutls_x509_crl_export2(crl, GNUTLS_X509_FMT_PEM, &out), "export CRL");
	if (!(*pem = text_of(&out, err, errlen)))
		goto out;
	rc = 0;
out:
	gnutls_free(out.data);
	if (crl)
		gnutls_x509_crl_deinit(crl);
	return rc;
}

/* ---- checking client certificates ---- */

struct pki_trust {
	gnutls_x509_trust_list_t list;
};

/* A trust list holding the one CA certificate in ca_pem. */
static int trust_list(const char *ca_pem, size_t len, gnutls_x509_trust_list_t *out, char *err,
		      size_t errlen)
{
	gnutls_x509_crt_t ca = NULL;
	gnutls_datum_t d = {(unsigned char *)ca_pem, (unsigned)len};
	int rc = -1;
	*out = NULL;
	G(gnutls_x509_trust_list_init(out, 0), "trust list");
	G(gnutls_x509_crt_init(&ca), "certificate");
	G(gnutls_x509_crt_import(ca, &d, GNUTLS_X509_FMT_PEM), "CA certificate");
	G(gnutls_x509_trust_list_add_cas(*out, &ca, 1, 0), "trust list");
	ca = NULL; /* the list owns it now */
	rc = 0;
out:
	if (ca)
		gnutls_x509_crt_deinit(ca);
	if (rc && *out) {
		gnutls_x509_trust_list_deinit(*out, 1);
		*out = NULL;
	}
	return rc;
}

pki_trust_t *pki_trust_new(const char *ca_pem, size_t len, char *err, size_t errlen)
{
	pki_trust_t *t = calloc(1, sizeof *t);
	if (!t) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (trust_list(ca_pem, len, &t->list, err, errlen)) {
		free(t);
		return NULL;
	}
	return t;
}

void pki_trust_free(pki_trust_t *t)
{
	if (!t)
		return;
	if (t->list)
		gnutls_x509_trust_list_deinit(t->list, 1);
	free(t);
}

int pki_verify_client(pki_trust_t *t, const unsigned char *const *der, const unsigned *lens,
		      unsigned n, unsigned char fpr[32], char *why, size_t whylen)
{
	gnutls_x509_crt_t chain[8] = {0};
	unsigned status = 0;
	size_t fl = 32;
	int rc = -1;
	if (n == 0 || n > 8) {
		snprintf(why, whylen, n ? "certificate chain too long" : "no client certificate");
		return -1;
	}
	for (unsigned i = 0; i < n; i++) {
		gnutls_datum_t d = {(unsigned char *)der[i], lens[i]};
		if (gnutls_x509_crt_init(&chain[i]) < 0 ||
		    gnutls_x509_crt_import(chain[i], &d, GNUTLS_X509_FMT_DER) < 0) {
			snprintf(why, whylen, "unreadable client certificate");
			goto out;
		}
	}
	gnutls_typed_vdata_st purpose = {.type = GNUTLS_DT_KEY_PURPOSE_OID,
					 .data = (unsigned char *)GNUTLS_KP_TLS_WWW_CLIENT};
	if (gnutls_x509_trust_list_verify_crt2(t->list, chain, n, &purpose, 1, 0, &status, NULL) < 0) {
		snprintf(why, whylen, "client certificate could not be verified");
		goto out;
	}
	if (status) {
		gnutls_datum_t txt = {0};
		if (gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &txt, 0) == 0) {
			snprintf(why, whylen, "client certificate refused: %.*s", (int)txt.size,
				 (const char *)txt.data);
			gnutls_free(txt.data);
		} else {
			snprintf(why, whylen, "client certificate refused");
		}
		goto out;
	}
	if (gnutls_x509_crt_get_fingerprint(chain[0], GNUTLS_DIG_SHA256, fpr, &fl) < 0 || fl != 32) {
		snprintf(why, whylen, "client certificate fingerprint");
		goto out;
	}
	rc = 0;
out:
	for (unsigned i = 0; i < n; i++)
		if (chain[i])
			gnutls_x509_crt_deinit(chain[i]);
	return rc;
}

/* ---- signed advisories (detached CMS / PKCS #7) ---- */

int pki_sign(const char *dir, const void *data, size_t len, char **p7, char *err, size_t errlen)
{
	char path[4096], *cpem = NULL, *kpem = NULL;
	size_t cl, kl;
	gnutls_x509_crt_t crt = NULL;
	gnutls_privkey_t key = NULL;
	gnutls_pkcs7_t pk = NULL;
	gnutls_datum_t out = {0};
	int rc = -1;
	*p7 = NULL;
	snprintf(path, sizeof path, "%s/signer.pem", dir);
	if (!(cpem = pki_read_file(path, &cl, err, errlen)))
		goto out;
	snprintf(path, sizeof path, "%s/signer.key", dir);
	if (!(kpem = pki_read_file(path, &kl, err, errlen)))
		goto out;
	gnutls_datum_t cd = {(unsigned char *)cpem, (unsigned)cl}, kd = {(unsigned char *)kpem, (unsigned)kl};
	gnutls_datum_t dd = {(unsigned char *)data, (unsigned)len};
	G(gnutls_x509_crt_init(&crt), "certificate");
	G(gnutls_x509_crt_import(crt, &cd, GNUTLS_X509_FMT_PEM), "signer.pem");
	G(gnutls_privkey_init(&key), "key");
	G(gnutls_privkey_import_x509_raw(key, &kd, GNUTLS_X509_FMT_PEM, NULL, 0), "signer.key");
	G(gnutls_pkcs7_init(&pk), "signature");
	G(gnutls_pkcs7_sign(pk, crt, key, &dd, NULL, NULL, GNUTLS_DIG_SHA256,
			    GNUTLS_PKCS7_INCLUDE_TIME | GNUTLS_PKCS7_INCLUDE_CERT), "sign");
	G(gnutls_pkcs7_export2(pk, GNUTLS_X509_FMT_PEM, &out), "export signature");
	if (!(*p7 = text_of(&out, err, errlen)))
		goto out;
	rc = 0;
out:
	gnutls_free(out.data);
	if (pk)
		gnutls_pkcs7_deinit(pk);
	if (key)
		gnutls_privkey_deinit(key);
	if (crt)
		gnutls_x509_crt_deinit(crt);
	if (kpem) {
		gnutls_memset(kpem, 0, kl);
		free(kpem);
	}
	free(cpem);
	return rc;
}

int pki_verify_signature(const char *ca_pem, size_t ca_len, const void *data, size_t len,
			 const char *p7_pem, size_t p7_len, char *signer, size_t signer_len, char *err,
			 size_t errlen)
{
	gnutls_pkcs7_t pk = NULL;
	gnutls_x509_trust_list_t tl = NULL;
	gnutls_pkcs7_signature_info_st si;
	int rc = -1, have_si = 0;
	gnutls_datum_t pd = {(unsigned char *)p7_pem, (unsigned)p7_len};
	gnutls_datum_t dd = {(unsigned char *)data, (unsigned)len};
	if (trust_list(ca_pem, ca_len, &tl, err, errlen))
		return -1;
	G(gnutls_pkcs7_init(&pk), "signature");
	G(gnutls_pkcs7_import(pk, &pd, GNUTLS_X509_FMT_PEM), "not a PEM PKCS #7 signature");
	G(gnutls_pkcs7_get_signature_info(pk, 0, &si), "signature");
	have_si = 1;
	int v = gnutls_pkcs7_verify(pk, tl, NULL, 0, 0, &dd, 0);
	if (v < 0) {
		/* intact but signed by someone this CA did not certify?  Then
		 * the signature is not bad: the signer is not trusted here. */
		gnutls_datum_t raw = {0}, sdn = {0};
		gnutls_x509_crt_t crt = NULL;
		int intact = gnutls_pkcs7_get_crt_raw2(pk, 0, &raw) >= 0 && gnutls_x509_crt_init(&crt) >= 0 &&
			     gnutls_x509_crt_import(crt, &raw, GNUTLS_X509_FMT_DER) >= 0 &&
			     gnutls_pkcs7_verify_direct(pk, crt, 0, &dd, 0) >= 0;
		if (intact && gnutls_x509_crt_get_dn3(crt, &sdn, 0) >= 0) {
			snprintf(err, errlen, "the signature is intact, but its signer (%.*s) is not trusted by "
				 "this CA", (int)sdn.size, (const char *)sdn.data);
			gnutls_free(sdn.data);
		} else if (intact) {
			snprintf(err, errlen, "the signature is intact, but its signer is not trusted by this CA");
		} else {
			gfail(err, errlen, "the signature does not verify", v);
		}
		if (crt)
			gnutls_x509_crt_deinit(crt);
		gnutls_free(raw.data);
		rc = intact ? -2 : -1;
		goto out;
	}
	gnutls_datum_t dn = {0};
	if (gnutls_x509_rdn_get2(&si.issuer_dn, &dn, 0) >= 0) {
		snprintf(signer, signer_len, "%.*s", (int)dn.size, (const char *)dn.data);
		gnutls_free(dn.data);
	} else {
		snprintf(signer, signer_len, "?");
	}
	rc = 0;
out:
	if (have_si)
		gnutls_pkcs7_signature_info_deinit(&si);
	if (pk)
		gnutls_pkcs7_deinit(pk);
	gnutls_x509_trust_list_deinit(tl, 1);
	return rc;
}
