/* feed.c — fetching and running feeds (see feed.h). */
#include "feed.h"

#include "core/libs_curl.h"
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int feed_check(const store_feed_t *f, char *err, size_t errlen)
{
	ingest_format_t fmt;
	if (!model_name_ok(f->name)) {
		snprintf(err, errlen, "name: letters, digits, '.', '-', '_' (1 to %d)", MODEL_NAME_MAX);
		return -1;
	}
	if (!!f->url[0] == !!f->path[0]) {
		snprintf(err, errlen, "give exactly one of url and path");
		return -1;
	}
	if (f->url[0] && strncasecmp(f->url, "http://", 7) && strncasecmp(f->url, "https://", 8)) {
		snprintf(err, errlen, "url: only http:// and https:// are fetched");
		return -1;
	}
	if (ingest_format_parse(f->format, &fmt) || fmt == INGEST_AUTO || fmt == INGEST_RBLDNSD) {
		snprintf(err, errlen, "format: one of urlhaus, feodo, threatfox, sslbl, spamhaus-drop, "
			 "shadowserver, openphish, misp-freetext, misp-csv, list, csv");
		return -1;
	}
	if (f->classification[0] && rsit_check(f->classification)) {
		snprintf(err, errlen, "classification: '%s' is not a class/type of the Reference "
			 "Security Incident Taxonomy", f->classification);
		return -1;
	}
	if (strcmp(f->policy, "skip") && strcmp(f->policy, "reject")) {
		snprintf(err, errlen, "policy: skip or reject");
		return -1;
	}
	if (f->column[0] && ingest_column_map_check(f->column, err, errlen))
		return -1;
	if (f->every < 60 || f->every > 30 * 86400) {
		snprintf(err, errlen, "every: from 1m to 30d");
		return -1;
	}
	if (f->confidence < 0 || f->confidence > 100 || f->tlp >= TLP_NLEVELS) {
		snprintf(err, errlen, "confidence 0 to 100, a TLP level");
		return -1;
	}
	return 0;
}

/* ---- HTTP ---- */

typedef struct {
	FILE *out;
	int64_t got, max;
	char etag[256], last_modified[64];
} dl_t;

static size_t dl_write(char *p, size_t size, size_t n, void *arg)
{
	dl_t *d = arg;
	size_t len = size * n;
	if (d->got + (int64_t)len > d->max)
		return 0; /* over the limit: curl stops with a write error */
	d->got += (int64_t)len;
	return fwrite(p, 1, len, d->out);
}

/* Keep the ETag and Last-Modified response headers. */
static size_t dl_header(char *p, size_t size, size_t n, void *arg)
{
	dl_t *d = arg;
	size_t len = size * n;
	char *dst = NULL;
	size_t cap = 0, skip = 0;
	if (len > 5 && !strncasecmp(p, "etag:", 5))
		dst = d->etag, cap = sizeof d->etag, skip = 5;
	else if (len > 14 && !strncasecmp(p, "last-modified:", 14))
		dst = d->last_modified, cap = sizeof d->last_modified, skip = 14;
	if (dst) {
		while (skip < len && (p[skip] == ' ' || p[skip] == '\t'))
			skip++;
		size_t m = len - skip;
		while (m && (p[skip + m - 1] == '\r' || p[skip + m - 1] == '\n' || p[skip + m - 1] == ' '))
			m--;
		if (m < cap && !memchr(p + skip, '\n', m)) {
			memcpy(dst, p + skip, m);
			dst[m] = '\0';
		}
	}
	return len;
}

/* One attempt.  0 fetched, 1 not modified, -1 failed (*transient: worth
 * another try). */
static int fetch_once(const feed_env_t *env, const store_feed_t *f, dl_t *d, int *transient,
		      char *err, size_t errlen)
{
	CURL *h = curl_easy_init();
	struct curl_slist *hdr = NULL;
	char line[400];
	long code = 0;
	int rc = -1;

	*transient = 0;
	if (!h) {
		snprintf(err, errlen, "curl: out of memory");
		return -1;
	}
	if (f->etag[0]) {
		snprintf(line, sizeof line, "If-None-Match: %s", f->etag);
		hdr = curl_slist_append(hdr, line);
	}
	if (f->last_modified[0]) {
		snprintf(line, sizeof line, "If-Modified-Since: %s", f->last_modified);
		hdr = curl_slist_append(hdr, line);
	}
	curl_easy_setopt(h, CURLOPT_URL, f->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, ""); /* gzip, deflate, br as built */
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, dl_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, d);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, dl_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, d);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, env->timeout > 0 ? env->timeout : 60L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "c5hub-feed/1");
	CURLcode cr = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	if (cr == CURLE_WRITE_ERROR && d->got >= 0) {
		snprintf(err, errlen, "larger than the limit of %lld bytes", (long long)d->max);
	} else if (cr != CURLE_OK) {
		snprintf(err, errlen, "%s", curl_easy_strerror(cr));
		*transient = cr == CURLE_COULDNT_CONNECT || cr == CURLE_OPERATION_TIMEDOUT ||
			     cr == CURLE_RECV_ERROR || cr == CURLE_SEND_ERROR || cr == CURLE_GOT_NOTHING;
	} else if (code == 304) {
		rc = 1;
	} else if (code >= 200 && code < 300) {
		rc = 0;
	} else {
		snprintf(err, errlen, "HTTP %ld", code);
		*transient = code >= 500 || code == 429 || code == 408;
	}
	curl_slist_free_all(hdr);
	curl_easy_cleanup(h);
	return rc;
}

/* Download f->url into a temporary file (path in tmp, caller unlinks).
 * 0 fetched, 1 not modified, -1 failed. */
static int fetch(const feed_env_t *env, store_feed_t *f, char *tmp, size_t tmplen, char *err,
		 size_t errlen)
{
	const char *dir = getenv("TMPDIR");
	snprintf(tmp, tmplen, "%s/c5hub-feed-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		tmp[0] = '\0';
		return -1;
	}
	int rc = -1, transient = 0;
	for (int attempt = 0; attempt <= env->retries; attempt++) {
		if (attempt)
			sleep(1u << (attempt - 1)); /* 1 s, 2 s, 4 s ... */
		dl_t d = {.max = env->max_bytes > 0 ? env->max_bytes : 256LL << 20};
		if (ftruncate(fd, 0) || lseek(fd, 0, SEEK_SET) || !(d.out = fdopen(dup(fd), "w"))) {
			snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
			break;
		}
		rc = fetch_once(env, f, &d, &transient, err, errlen);
		if (fclose(d.out) && rc == 0) {
			snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
			rc = -1;
		}
		if (rc == 0) {
			snprintf(f->etag, sizeof f->etag, "%s", d.etag);
			snprintf(f->last_modified, sizeof f->last_modified, "%s", d.last_modified);
		}
		if (rc >= 0 || !transient)
			break;
	}
	close(fd);
	return rc;
}

/* ---- running ---- */

static int run_file(store_t *st, const feed_env_t *env, const store_feed_t *f, const char *path,
		    int64_t now, feed_result_t *out, char *err, size_t errlen)
{
	event_opts_t o = {.feed = f, .org_id = env->org_id, .wl = env->wl, .cons = env->cons,
			  .nc = env->nc, .now = now, .slice_ms = env->slice_ms,
			  .before_commit = env->before_commit, .arg = env->arg};
	event_stats_t s;
	if (event_ingest(st, &o, path, &s, err, errlen))
		return -1;
	out->files++;
	out->ev.records += s.records;
	out->ev.events += s.events;
	out->ev.duplicates += s.duplicates;
	out->ev.listed += s.listed;
	out->ev.notices += s.notices;
	if (!out->ev.skipped && s.skipped)
		memcpy(out->ev.first_bad, s.first_bad, sizeof s.first_bad);
	out->ev.skipped += s.skipped;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of a directory changed since the last good run, in
 * name order. */
static int run_dir(store_t *st, const feed_env_t *env, const store_feed_t *f, int64_t now,
		   feed_result_t *out, char *err, size_t errlen)
{
	DIR *d = opendir(f->path);
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	struct dirent *e;
	if (!d) {
		snprintf(err, errlen, "%s: %s", f->path, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		char p[2048];
		struct stat sb;
		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof p, "%s/%s", f->path, e->d_name);
		if (stat(p, &sb) || !S_ISREG(sb.st_mode) || (int64_t)sb.st_mtime < f->last_ok)
			continue;
		if (n == cap) {
			char **nn = realloc(names, (cap = cap ? cap * 2 : 16) * sizeof *nn);
			if (!nn) {
				rc = -1;
				break;
			}
			names = nn;
		}
		if (!(names[n] = strdup(p))) {
			rc = -1;
			break;
		}
		n++;
	}
	closedir(d);
	if (rc)
		snprintf(err, errlen, "out of memory");
	qsort(names, n, sizeof *names, by_name);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = run_file(st, env, f, names[i], now, out, err, errlen);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

static int save_state(store_t *st, const store_feed_t *f)
{
	if (store_begin(st))
		return -1;
	if (store_feed_update(st, f) || store_commit(st)) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

const char *feed_state(const store_feed_t *f)
{
	if (f->failures)
		return "FAILING";
	if (!f->last_run && !f->last_ok)
		return "never";
	if (f->records == 0 && f->skipped > 0)
		return "SKIPPED";
	if (f->records == 0)
		return "EMPTY";
	return "ok";
}

int feed_run(store_t *st, const feed_env_t *env, store_feed_t *f, feed_result_t *out, char *err,
	     size_t errlen)
{
	int64_t now = (int64_t)time(NULL);
	char tmp[1024] = "";
	struct stat sb;
	int rc;

	memset(out, 0, sizeof *out);
	f->last_run = now;
	if (f->url[0]) {
		rc = fetch(env, f, tmp, sizeof tmp, err, errlen);
		if (rc == 1)
			out->not_modified = 1;
		rc = rc == 0 ? run_file(st, env, f, tmp, now, out, err, errlen) : rc < 0 ? -1 : 0;
	} else if (stat(f->path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		rc = run_dir(st, env, f, now, out, err, errlen);
	} else {
		rc = run_file(st, env, f, f->path, now, out, err, errlen);
	}
	if (tmp[0])
		unlink(tmp);
	if (rc == 0) {
		int nothing_new = out->not_modified || out->files == 0;
		f->failures = 0;
		f->last_ok = now;
		f->next_run = now + f->every;
		if (!nothing_new) { /* else the last read's counts still say what the feed holds */
			f->records = out->ev.records;
			f->events = out->ev.events;
			f->skipped = out->ev.skipped;
			snprintf(f->last_error, sizeof f->last_error, "%s", out->ev.first_bad);
		}
	} else {
		f->failures++;
		int64_t back = 30LL << (f->failures < 10 ? f->failures : 10);
		f->next_run = now + (back < f->every ? back : f->every);
		snprintf(f->last_error, sizeof f->last_error, "%s", err);
		/* fetch it whole next time: what failed was maybe never stored */
		f->etag[0] = f->last_modified[0] = '\0';
	}
	if (save_state(st, f) && rc == 0) {
		snprintf(err, errlen, "store: %s", store_errmsg(st));
		return -1;
	}
	return rc;
}

typedef struct {
	store_feed_t *f;
	size_t n, cap;
	int64_t now;
} due_t;

static int collect_due(void *arg, const store_feed_t *f)
{
	due_t *d = arg;
	if (!f->enabled || f->next_run > d->now)
		return 0;
	if (d->n == d->cap) {
		store_feed_t *n = realloc(d->f, (d->cap = d->cap ? d->cap * 2 : 8) * sizeof *n);
		if (!n)
			return -1;
		d->f = n;
	}
	d->f[d->n++] = *f;
	return 0;
}

static int count_due(void *arg, const store_feed_t *f)
{
	int64_t *a = arg; /* a[0] now, a[1] count */
	a[1] += f->enabled && f->next_run <= a[0];
	return 0;
}

int feed_count_due(store_t *st, int64_t now)
{
	int64_t a[2] = {now, 0};
	return store_feed_list(st, count_due, a) ? 0 : (int)a[1];
}

int feed_run_due(store_t *st, const feed_env_t *env, int64_t now)
{
	due_t d = {.now = now};
	char err[512];
	feed_result_t r;
	if (store_feed_list(st, collect_due, &d)) {
		free(d.f);
		return 0;
	}
	for (size_t i = 0; i < d.n; i++)
		if (feed_run(st, env, &d.f[i], &r, err, sizeof err))
			fprintf(stderr, "c5hub: feed %s: %s\n", d.f[i].name, err);
	free(d.f);
	return (int)d.n;
}
