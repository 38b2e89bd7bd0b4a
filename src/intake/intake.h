/* intake.h — the mail gateway: reports in by e-mail (an MTA pipes each
 * message to `c5hub intake`), replies out by e-mail.
 *
 * What it owns: taking one message in — the size limit, parsing (mail.h),
 * the sender matched to a constituent (a person's account, an abuse
 * contact, then the sender's domain in the constituency), the message kept
 * whole and every attachment as evidence (SHA-256 and custody from the
 * first byte), a subject naming a case (or, when the subject lost it, an
 * In-Reply-To / References naming one of the hub's own messages) joining
 * that case's timeline as the reporter's reply (else a new case), a
 * message (its bytes) taken once, all in ONE store transaction (a crash
 * leaves nothing half-stored); and the e-mail
 * side of a case: its thread (reporter address, language, Message-IDs),
 * the acknowledgement of a new report and the entries "to the reporter"
 * sent from templates (data/mail/KIND.LANG.txt: ack, rfi, advice, closure,
 * in English and French) through SMTP (libcurl), threaded (In-Reply-To,
 * References, the case reference and [TLP:X] in the subject).  Automatic
 * mail (mail_is_auto) is taken in but never answered. */
#ifndef C5_INTAKE_H
#define C5_INTAKE_H

#include <stddef.h>
#include <stdint.h>

#include "notify/notify.h"
#include "store/store_case.h"

#define INTAKE_MAX_DEFAULT ((size_t)25 << 20)

typedef struct {
	size_t max_size;              /* bytes; 0: INTAKE_MAX_DEFAULT */
	const char *fallback_charset; /* mail_opts_t's; NULL: guessed */
	int64_t now;                  /* 0: the clock */
} intake_opts_t;

enum {
	INTAKE_OPENED = 1,    /* a new case                               */
	INTAKE_JOINED,        /* the reporter's reply on its case         */
	INTAKE_KEPT,          /* unreadable: kept whole in a flagged case  */
	INTAKE_DUPLICATE,     /* this Message-ID was taken before: nothing */
	INTAKE_TOO_BIG,       /* over the limit: nothing stored           */
};

typedef struct {
	int outcome;                     /* INTAKE_* */
	char ref[CASE_REF_MAX + 1];      /* the case (opened, joined, kept) */
	int64_t case_id, org_id;         /* org_id: the reporter organisation */
	int matched;                     /* the sender was matched to org_id */
	size_t attachments;              /* evidence made from attachments */
	char from[256];                  /* the sender's address, "" unknown */
	char message_id[256];
	const char *no_answer;           /* why nothing is sent back, or NULL */
	char why[200];                   /* KEPT: why it could not be read;
					    TOO_BIG: the answer to the sender */
} intake_result_t;

/* Take raw[0..len) in (see above); r says what became of it.  0 (taken,
 * kept, a duplicate or too big: r->outcome), or -1 with err when the store
 * failed or was busy — nothing was stored and the MTA should try again. */
int intake_take(store_t *st, const char *raw, size_t len, const intake_opts_t *o,
		intake_result_t *r, char *err, size_t errlen);

/* Send the acknowledgement of the case r opened (when r says to answer):
 * template ack in the thread's language, threaded under the report.  0
 * (sent, or nothing to send), or -1 with err (the case stays as it is). */
int intake_acknowledge(store_t *st, const notify_conf_t *c, const intake_result_t *r, char *err,
		       size_t errlen);

/* The case comment path's function: e-mail every reporter entry written
 * by the hub's team and not yet sent (case_outbox) to its case's thread —
 * template closure for an entry ending the case, rfi while the case waits
 * for the reporter, advice otherwise — and mark each sent (a step of the
 * lifecycle other than the closing one is marked without a message).  A case with no
 * e-mail thread is left to its other channels (console, API).  *sent gets
 * how many went; 0, or -1 with err (the first failure: the rest wait). */
int intake_send_replies(store_t *st, const notify_conf_t *c, int64_t now, long *sent, char *err,
			size_t errlen);

/* Render template kind ("ack", "rfi", "advice", "closure") in lang ("en",
 * "fr"; another: "en") for case cs with text (the entry's; or NULL): the
 * subject and the body (each malloc'd).  0, or -1. */
int intake_render(const char *kind, const char *lang, const store_case_t *cs, const char *hub,
		  const char *text, char **subject, char **body);

#endif
