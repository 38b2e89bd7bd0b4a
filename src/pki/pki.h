/* pki.h — the hub's public-key infrastructure (ITU-T X.509, with GnuTLS).
 *
 * What it owns: making the hub's certificate authority and server
 * certificate, checking certificate signing requests, issuing client
 * certificates (clientAuth) from them, and certificate revocation lists.
 * It works on PEM in memory and on the files of one directory; it knows
 * nothing of the store (the CLI and the server keep requests and issued
 * certificates there) and never logs or returns a private key.
 *
 * Files in a PKI directory: ca.pem, ca.key, server.pem, server.key,
 * signer.pem, signer.key, crl.pem (keys are created with mode 0600; an
 * existing CA may be copied in instead). */
#ifndef C5_PKI_H
#define C5_PKI_H

#include <stddef.h>
#include <stdint.h>

#define PKI_SERIAL_HEX 33   /* 16 random bytes as hex, NUL */
#define PKI_FPR_HEX 65      /* SHA-256 as hex, NUL */
#define PKI_DN_MAX 512

typedef struct pki_ca pki_ca_t;

/* Create dir (if missing) with a new CA ("<name> Root CA", ECDSA P-256,
 * 10 years) and a server certificate for the names given (DNS names or
 * IP addresses; "localhost" and 127.0.0.1 always), unless ca.pem and ca.key
 * are already there, in which case only the server certificate is made.
 * 0, or -1 with the reason in err. */
int pki_init(const char *dir, const char *name, const char *const *server_names, size_t nnames,
	     char *err, size_t errlen);

/* Load the CA of dir (certificate and key).  NULL with err on failure. */
pki_ca_t *pki_ca_load(const char *dir, char *err, size_t errlen);
void pki_ca_free(pki_ca_t *ca);

/* What a request or a certificate says of itself. */
typedef struct {
	char dn[PKI_DN_MAX];        /* subject distinguished name (RFC 4514) */
	char serial[PKI_SERIAL_HEX];
	char fpr[PKI_FPR_HEX];      /* SHA-256 of the DER certificate */
	int64_t not_before, not_after;
	int key_bits;
	char key_alg[16];           /* "RSA", "EC/ECDSA", "EdDSA (Ed25519)" */
	char org[256];              /* the subject's first O= (requests), or "" */
} pki_info_t;

/* Check a PEM CSR: it parses, its self-signature verifies, its key is strong
 * enough (RSA >= 2048 bits, EC >= 256), its subject is not empty.  Fills
 * info (dn, key, org).  0, or -1 with the reason. */
int pki_csr_check(const char *pem, size_t len, pki_info_t *info, char *err, size_t errlen);

/* Issue a client certificate (clientAuth, not a CA) for the CSR, valid for
 * days from now, with a random serial.  *cert_pem (malloc'd, caller frees)
 * and info (serial, fingerprint, validity) on success; -1 with err. */
int pki_issue(pki_ca_t *ca, const char *csr_pem, size_t len, int days, char **cert_pem,
	      pki_info_t *info, char *err, size_t errlen);

/* Read a PEM certificate's serial, fingerprint, subject and validity. */
int pki_cert_info(const char *pem, size_t len, pki_info_t *info, char *err, size_t errlen);

/* A CRL signed by the CA listing the serials (hex) with their revocation
 * times, valid for next_days.  *pem malloc'd.  0 or -1 with err. */
int pki_crl(pki_ca_t *ca, const char *const *serials, const int64_t *when, size_t n,
	    int next_days, char **pem, char *err, size_t errlen);

/* Read a whole small file (certificates, keys, CSRs: at most 1 MiB). */
char *pki_read_file(const char *path, size_t *len, char *err, size_t errlen);


/* ---- checking client certificates (TLS) ---- */
typedef struct pki_trust pki_trust_t;
/* A trust anchor from the CA certificate (PEM).  NULL with err. */
pki_trust_t *pki_trust_new(const char *ca_pem, size_t len, char *err, size_t errlen);
void pki_trust_free(pki_trust_t *t);
/* Verify a peer's chain (DER, leaf first) for TLS client authentication:
 * signed by the CA, inside its validity period, with the clientAuth key
 * purpose.  fpr gets the SHA-256 of the leaf.  0, or -1 with the reason. */
int pki_verify_client(pki_trust_t *t, const unsigned char *const *der, const unsigned *lens,
		      unsigned n, unsigned char fpr[32], char *why, size_t whylen);

/* ---- signed advisories ---- */
/* A detached CMS (PKCS #7) signature of data by the hub's signer
 * (signer.pem / signer.key of dir, made by pki_init), with the signer's
 * certificate and the signing time; *p7 PEM, malloc'd.  0 or -1 with err.
 * Anyone verifies it with `openssl cms -verify -binary -content FILE -in
 * SIG -inform PEM -CAfile ca.pem`. */
int pki_sign(const char *dir, const void *data, size_t len, char **p7, char *err, size_t errlen);
/* Verify a detached signature of data against the CA; signer gets the
 * signer's issuer name.  0; -2 when the signature is intact but its signer
 * is not certified by this CA; -1 (bad or unreadable signature); err says
 * which. */
int pki_verify_signature(const char *ca_pem, size_t ca_len, const void *data, size_t len,
			 const char *p7_pem, size_t p7_len, char *signer, size_t signer_len, char *err,
			 size_t errlen);

#endif
