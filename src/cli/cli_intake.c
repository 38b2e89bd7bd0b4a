/* cli_intake.c — `c5hub intake`: the mail gateway's command.  An MTA pipes
 * one message on stdin (a Postfix alias: cirt: "|/usr/bin/c5hub --db
 * /var/lib/c5hub/hub.db intake"); the exit status is what MTAs understand
 * (sysexits.h): 0 taken, 65 over the size limit (the text on stdout goes
 * back to the sender in the bounce), 75 the store was busy or failing (the
 * MTA keeps the message and tries again: never a silent loss).
 * `c5hub intake send`: e-mail the case entries written to reporters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "cli.h"
#include "intake/intake.h"

static int conf_open(store_t *st, notify_conf_t *nc, const char *file, const char *smtp)
{
	char err[600];
	if (notify_conf_load(nc, file, err, sizeof err))
		return cli_fail("intake: %s", err);
	if (smtp) {
		if (strncmp(smtp, "smtp://", 7) && strncmp(smtp, "smtps://", 8))
			return cli_fail("intake: --smtp: give smtp://HOST:PORT, not '%s'", smtp);
		snprintf(nc->smtp, sizeof nc->smtp, "%s", smtp);
	}
	if (notify_conf_sender(nc, st, err, sizeof err))
		return cli_fail("intake: %s", err);
	return 0;
}

static int intake_send(cli_t *c)
{
	const char *smtp = NULL, *file = NULL;
	for (int i = 1, r; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--smtp", &smtp)) || (r = cli_opt(c, &i, "--notify", &file))) {
			if (r < 0)
				return 2;
			continue;
		}
		return cli_fail("intake send: unexpected argument '%s'", c->argv[i]);
	}
	store_t *st = cli_store(c, 0);
	if (!st)
		return 2;
	notify_conf_t nc;
	int rc = conf_open(st, &nc, file, smtp);
	if (!rc) {
		long sent = 0;
		char err[600];
		if (intake_send_replies(st, &nc, (int64_t)time(NULL), &sent, err, sizeof err))
			rc = cli_fail("intake send: %s (%ld sent)", err, sent);
		else
			printf("intake send: %ld sent\n", sent);
		notify_conf_free(&nc);
	}
	store_close(st);
	return rc;
}

int cli_intake(cli_t *c)
{
	if (c->argc >= 1 && !strcmp(c->argv[0], "send"))
		return intake_send(c);
	const char *smtp = NULL, *file = NULL, *maxs = NULL, *cs = NULL;
	for (int i = 0, r; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--smtp", &smtp)) || (r = cli_opt(c, &i, "--notify", &file)) ||
		    (r = cli_opt(c, &i, "--max-size", &maxs)) ||
		    (r = cli_opt(c, &i, "--fallback-charset", &cs))) {
			if (r < 0)
				return EX_USAGE;
			continue;
		}
		cli_fail("intake: unexpected argument '%s'", c->argv[i]);
		return EX_USAGE;
	}
	intake_opts_t o = {.fallback_charset = cs};
	if (maxs) {
		char *end;
		unsigned long long v = strtoull(maxs, &end, 10);
		if (end == maxs || *end || v == 0 || v > ((unsigned long long)1 << 31)) {
			cli_fail("intake: --max-size: give a number of bytes (1 to 2 GiB), not '%s'", maxs);
			return EX_USAGE;
		}
		o.max_size = (size_t)v;
	}
	size_t max = o.max_size ? o.max_size : INTAKE_MAX_DEFAULT;
	/* the message: up to the limit kept, the rest counted and dropped
	 * (read to the end: the MTA must see it all taken) */
	size_t cap = 1 << 16, len = 0, total = 0;
	char *buf = malloc(cap), chunk[65536];
	if (!buf) {
		cli_fail("intake: out of memory");
		return EX_TEMPFAIL;
	}
	for (size_t n; (n = fread(chunk, 1, sizeof chunk, stdin)) > 0;) {
		total += n;
		if (len + n <= max + 1) {
			if (len + n > cap) {
				while (cap < len + n)
					cap *= 2;
				char *p = realloc(buf, cap);
				if (!p) {
					free(buf);
					cli_fail("intake: out of memory");
					return EX_TEMPFAIL;
				}
				buf = p;
			}
			memcpy(buf + len, chunk, n);
			len += n;
		}
	}
	if (ferror(stdin)) {
		free(buf);
		cli_fail("intake: reading the message: read error");
		return EX_TEMPFAIL;
	}
	store_t *st = cli_store(c, STORE_SHORT);
	if (!st) {
		free(buf);
		return EX_TEMPFAIL;
	}
	intake_result_t r;
	char err[600];
	int rc = EX_OK;
	if (total > max) {
		/* over the limit: nothing stored; the answer rides on the bounce */
		o.max_size = max;
		intake_take(st, buf, total > len ? max + 1 : len, &o, &r, err, sizeof err);
		snprintf(r.why, sizeof r.why,
			 "Your message of %zu bytes is over this gateway's limit of %zu bytes: "
			 "nothing of it was kept. Send the files in smaller messages, or a link to them.",
			 total, max);
		printf("%s\n", r.why);
		rc = EX_DATAERR;
		goto out;
	}
	if (intake_take(st, buf, len, &o, &r, err, sizeof err)) {
		cli_fail("intake: %s (the MTA will try again)", err);
		rc = EX_TEMPFAIL;
		goto out;
	}
	static const char *const what[] = {"", "opened", "joined", "kept unreadable", "a duplicate", ""};
	fprintf(stderr, "intake: %s %s from %s, %zu attachments%s%s\n", what[r.outcome],
		r.ref[0] ? r.ref : "-", r.from[0] ? r.from : "unknown", r.attachments,
		r.no_answer ? "; no answer: " : "", r.no_answer ? r.no_answer : "");
	if (r.outcome == INTAKE_OPENED && !r.no_answer) {
		notify_conf_t nc;
		if (conf_open(st, &nc, file, smtp) == 0) {
			if (intake_acknowledge(st, &nc, &r, err, sizeof err))
				fprintf(stderr, "intake: %s taken; its acknowledgement not sent: %s\n",
					r.ref, err);
			notify_conf_free(&nc);
		}
	}
out:
	store_close(st);
	free(buf);
	return rc;
}
