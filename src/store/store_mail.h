/* store_mail.h — the store's side of the mail gateway: each case's e-mail
 * thread (the reporter's address, the language of the replies, the
 * Message-IDs the replies thread under) and the Message-IDs taken in (a
 * message the MTA hands over twice is taken once).  SQLite: store_mail.c.
 * Errors are the store's (store.h). */
#ifndef C5_STORE_MAIL_H
#define C5_STORE_MAIL_H

#include "store/store.h"

#define STORE_MAIL_ID_MAX 255

typedef struct store_mail_thread {
	int64_t case_id;
	char addr[256];                       /* the reporter's address       */
	char lang[8];                         /* "en", "fr"                   */
	char root_id[STORE_MAIL_ID_MAX + 1];  /* the first message's id       */
	char last_id[STORE_MAIL_ID_MAX + 1];  /* the latest message's id      */
	int64_t sent;                         /* replies sent (numbers ids)   */
} store_mail_thread_t;

/* Insert or replace the thread of t->case_id. */
int store_mail_thread_put(store_t *st, const store_mail_thread_t *t);
/* STORE_ENOTFOUND when the case has none. */
int store_mail_thread_get(store_t *st, int64_t case_id, store_mail_thread_t *out);
/* Record a Message-ID taken in for case_id; STORE_EEXISTS when it was
 * already (*case_id_out, or NULL, gets that case). */
int store_mail_seen_add(store_t *st, const char *message_id, int64_t case_id, int64_t at,
			int64_t *case_id_out);

#endif
