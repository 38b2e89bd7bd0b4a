/* evidence.c — evidence files and their chain of custody (see evidence.h). */
#include <errno.h>
#include <fcntl.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "evidence/evidence.h"

static int sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char d[32];
	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, data, len, d))
		return -1;
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
	return 0;
}

/* A record's hash: over the one before, the file's SHA-256 and its fields. */
static int custody_hash(const store_custody_t *c, const char *file_sha, char out[65])
{
	char buf[1024];
	int n = snprintf(buf, sizeof buf, "%s|%s|%lld|%lld|%s|%s|%s", c->prev, file_sha,
			 (long long)c->evidence_id, (long long)c->at, c->actor, c->action, c->detail);
	return n < 0 ? -1 : sha256_hex(buf, (size_t)(n < (int)sizeof buf ? n : (int)sizeof buf - 1), out);
}

typedef struct {
	char last[65];
} last_t;

static int last_cb(void *arg, const store_custody_t *c)
{
	snprintf(((last_t *)arg)->last, 65, "%s", c->hash);
	return 0;
}

/* Append a custody record for e, chained to its last one. */
static int custody(store_t *st, const store_evidence_t *e, const char *actor, const char *action,
		   const char *detail)
{
	last_t l = {""};
	store_custody_t c = {.evidence_id = e->id, .at = (int64_t)time(NULL)};
	if (store_custody_list(st, e->id, last_cb, &l))
		return -1;
	snprintf(c.prev, sizeof c.prev, "%s", l.last[0] ? l.last : "0");
	snprintf(c.actor, sizeof c.actor, "%s", actor);
	snprintf(c.action, sizeof c.action, "%s", action);
	snprintf(c.detail, sizeof c.detail, "%s", detail ? detail : "");
	if (custody_hash(&c, e->sha256, c.hash))
		return -1;
	return store_custody_add(st, &c);
}

static void *read_file(const char *path, int64_t *size, char *err, size_t errlen)
{
	struct stat sb;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	void *buf = NULL;
	if (fd < 0 || fstat(fd, &sb)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(sb.st_mode) || sb.st_size > EVIDENCE_FILE_MAX) {
		snprintf(err, errlen, "%s: not a regular file of at most %lld bytes", path,
			 (long long)EVIDENCE_FILE_MAX);
		goto out;
	}
	if (!(buf = malloc(sb.st_size ? (size_t)sb.st_size : 1))) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	size_t got = 0;
	while (got < (size_t)sb.st_size) {
		ssize_t n = read(fd, (char *)buf + got, (size_t)sb.st_size - got);
		if (n <= 0) {
			snprintf(err, errlen, "%s: read failed", path);
			free(buf);
			buf = NULL;
			goto out;
		}
		got += (size_t)n;
	}
	*size = sb.st_size;
out:
	if (fd >= 0)
		close(fd);
	return buf;
}

typedef struct {
	int found;
} inc_t;

static int inc_cb(void *arg, const store_stix_t *o)
{
	((inc_t *)arg)->found = 1;
	(void)o;
	return 1;
}

int evidence_add(store_t *st, const char *incident, const char *path, int64_t org_id, tlp_t tlp,
		 const char *actor, const char *note, store_evidence_t *out, char *err,
		 size_t errlen)
{
	inc_t f = {0};
	store_stix_filter_t sf = {.view = TLP_VIEW_ALL, .tlp_max = TLP_RED, .id = incident, .limit = 1};
	if (strncmp(incident, "incident--", 10) || store_stix_list(st, &sf, inc_cb, &f) || !f.found)
		return snprintf(err, errlen, "no incident '%s' here", incident), -1;
	int64_t size;
	void *data = read_file(path, &size, err, errlen);
	if (!data)
		return -1;
	const char *base = strrchr(path, '/');
	int rc = evidence_add_data(st, incident, base ? base + 1 : path, data, size, org_id, tlp, actor,
				   note, out, err, errlen);
	free(data);
	return rc;
}

int evidence_add_data(store_t *st, const char *holder, const char *name, const void *data,
		      int64_t size, int64_t org_id, tlp_t tlp, const char *actor, const char *note,
		      store_evidence_t *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	if (size < 0 || size > EVIDENCE_FILE_MAX)
		return snprintf(err, errlen, "%s: over %lld bytes", name,
				(long long)EVIDENCE_FILE_MAX), -1;
	snprintf(out->incident, sizeof out->incident, "%s", holder);
	snprintf(out->name, sizeof out->name, "%s", name);
	out->size = size;
	out->org_id = org_id;
	out->tlp = tlp;
	out->data = (void *)data;
	char detail[300];
	int rc = sha256_hex(data, (size_t)size, out->sha256) || store_evidence_add(st, out);
	snprintf(detail, sizeof detail, "%s%s%s", out->name, note && *note ? ": " : "", note ? note : "");
	if (!rc)
		rc = custody(st, out, actor, "acquired", detail);
	out->data = NULL;
	if (rc)
		snprintf(err, errlen, "store: %s", store_errmsg(st));
	return rc ? -1 : 0;
}

int evidence_give(store_t *st, int64_t id, const char *actor, const char *to, store_evidence_t *e,
		  void **data, char *err, size_t errlen)
{
	char sha[65];
	*data = NULL;
	int rc = store_evidence_get(st, id, e, data);
	if (rc == STORE_ENOTFOUND)
		return STORE_ENOTFOUND;
	if (rc)
		return snprintf(err, errlen, "store: %s", store_errmsg(st)), -1;
	if (sha256_hex(*data, (size_t)e->size, sha) || strcmp(sha, e->sha256)) {
		free(*data);
		*data = NULL;
		return snprintf(err, errlen, "evidence %lld: its bytes do not match the SHA-256 recorded "
				"when it came in (%s); not given", (long long)id, e->sha256), -1;
	}
	if (custody(st, e, actor, "exported", to)) {
		free(*data);
		*data = NULL;
		return snprintf(err, errlen, "store: %s", store_errmsg(st)), -1;
	}
	return 0;
}

int evidence_export(store_t *st, int64_t id, const char *out_path, const char *actor,
		    const char *reason, char *err, size_t errlen)
{
	store_evidence_t e;
	void *data;
	char sha[65], tmp[4200];
	int rc = store_evidence_get(st, id, &e, &data);
	if (rc == STORE_ENOTFOUND)
		return snprintf(err, errlen, "no evidence %lld", (long long)id), -1;
	if (rc)
		return snprintf(err, errlen, "store: %s", store_errmsg(st)), -1;
	if (sha256_hex(data, (size_t)e.size, sha) || strcmp(sha, e.sha256)) {
		free(data);
		return snprintf(err, errlen, "evidence %lld: its bytes do not match the SHA-256 recorded "
				"when it came in (%s); not written", (long long)id, e.sha256), -1;
	}
	snprintf(tmp, sizeof tmp, "%s.tmp", out_path);
	FILE *f = fopen(tmp, "wx");
	int bad = !f || fwrite(data, 1, (size_t)e.size, f) != (size_t)e.size;
	if (f && fclose(f))
		bad = 1;
	free(data);
	/* link, not rename: a file already there is never replaced */
	if (bad || link(tmp, out_path)) {
		int exists = !bad && errno == EEXIST;
		remove(tmp);
		return snprintf(err, errlen, "%s: %s", out_path,
				exists ? "already exists; not overwritten" : "cannot write"), -1;
	}
	remove(tmp);
	char detail[300];
	snprintf(detail, sizeof detail, "to %s%s%s", out_path, reason && *reason ? ": " : "",
		 reason ? reason : "");
	if (custody(st, &e, actor, "exported", detail))
		return snprintf(err, errlen, "store: %s", store_errmsg(st)), -1;
	return 0;
}

typedef struct {
	evidence_report_t *r;
	const store_evidence_t *e;
	char prev[65];
	int broken;
} walk_t;

static int walk_cb(void *arg, const store_custody_t *c)
{
	walk_t *w = arg;
	char h[65];
	if (w->broken)
		return 1;
	if (strcmp(c->prev, w->prev)) {
		w->r->bad_seq = c->seq;
		snprintf(w->r->why, sizeof w->r->why, "record %lld does not follow the one before it "
			 "(one removed or reordered)", (long long)c->seq);
		return w->broken = 1;
	}
	if (custody_hash(c, w->e->sha256, h) || strcmp(h, c->hash)) {
		w->r->bad_seq = c->seq;
		snprintf(w->r->why, sizeof w->r->why, "record %lld was altered", (long long)c->seq);
		return w->broken = 1;
	}
	snprintf(w->prev, sizeof w->prev, "%s", c->hash);
	w->r->records++;
	return 0;
}

int evidence_verify(store_t *st, int64_t id, evidence_report_t *r, char *err, size_t errlen)
{
	store_evidence_t e;
	void *data;
	char sha[65];
	memset(r, 0, sizeof *r);
	int rc = store_evidence_get(st, id, &e, &data);
	if (rc)
		return snprintf(err, errlen, rc == STORE_ENOTFOUND ? "no evidence %lld" : "store error on %lld",
				(long long)id), -1;
	r->data_ok = !sha256_hex(data, (size_t)e.size, sha) && !strcmp(sha, e.sha256);
	free(data);
	walk_t w = {.r = r, .e = &e, .prev = "0"};
	if (store_custody_list(st, id, walk_cb, &w))
		return snprintf(err, errlen, "store: %s", store_errmsg(st)), -1;
	if (!w.broken && !r->records)
		snprintf(r->why, sizeof r->why, "no custody record at all");
	if (!r->data_ok && !r->why[0])
		snprintf(r->why, sizeof r->why, "its bytes do not match the SHA-256 recorded");
	return 0;
}
