/* sla.h — service-level timers: SLA policies and team calendars as data
 * (data/sla.conf, or an operator's file), business time between two
 * instants with pauses, when each target falls due, and the state of a
 * timer (ok, warning, breached).  Pure: no store, no case, no server; the
 * one input from outside is the hub's clock, sla_now().
 *
 * The file, line by line ('#' starts a comment, indentation is free):
 *   warn PERCENT%                 a running timer warns at this share of its
 *                                 target (default 75%)
 *   calendar NAME                 opens a calendar; the lines below up to the
 *                                 next calendar/team/policy belong to it:
 *     always                      open 24 hours a day, 7 days a week
 *     zone ZONE                   UTC, +hh:mm / -hh:mm, or a tz name
 *                                 (Europe/Paris: its daylight-saving rules)
 *     hours DAYS HH:MM-HH:MM[,HH:MM-HH:MM...]
 *                                 open hours, local time; DAYS: mon..sun,
 *                                 a range mon-fri or a list sat,sun; 24:00
 *                                 ends a day
 *     holiday YYYY-MM-DD [name]   closed all that (local) day
 *     holidays FILE               one holiday a line, as above (relative to
 *                                 this file's folder)
 *   team NAME CALENDAR [lead ADDRESS]
 *                                 the team's calendar and lead (who is
 *                                 warned with the assignee); team * names
 *                                 the calendar of every other team
 *   policy SEVERITY [CLASS[/TYPE]] [ack DUR] [response DUR] [resolve DUR]
 *                                 the targets, in business time of the
 *                                 team's calendar (s, m, h, d); the most
 *                                 precise classification wins
 * Every error names file:line.  Ownership: an sla_conf_t owns everything it
 * holds; sla_conf_free releases it. */
#ifndef C5_SLA_H
#define C5_SLA_H

#include <stddef.h>
#include <stdint.h>

#include "core/model.h"

#define SLA_NAME_MAX 63
#define SLA_SLOTS_MAX 8      /* open periods a day */
#define SLA_NEVER INT64_MAX  /* a due instant that never comes (paused, closed) */

/* ---- the clock ---- */

/* The hub's "now", the one source for every timer.  Real time, unless the
 * environment says C5HUB_NOW: a time (model_time_parse) or the path of a
 * file holding one, read at each call (tests run the clock forward by
 * rewriting it, never by sleeping).  sla_clock_forced() says whether it is
 * overridden (serve logs it). */
int64_t sla_now(void);
int sla_clock_forced(void);

/* ---- time zones ---- */

typedef struct {
	char name[SLA_NAME_MAX + 1];
	int32_t fixed;       /* the offset when ntrans == 0 (seconds east) */
	int64_t *trans;      /* UTC instants, ascending */
	int32_t *off;        /* the offset from trans[i] on; off_before before trans[0] */
	int32_t off_before;
	size_t ntrans;
} sla_zone_t;

/* Load zone "UTC", "+hh:mm", "-hh:mm" or a tz database name (read from
 * /usr/share/zoneinfo, TZif).  0, or -1 with a reason in err. */
int sla_zone_load(sla_zone_t *z, const char *name, char *err, size_t errlen);
void sla_zone_free(sla_zone_t *z);
/* The offset (seconds east of UTC) in force at UTC instant t. */
int32_t sla_zone_offset(const sla_zone_t *z, int64_t t);
/* The UTC instant of local wall-clock seconds (as if UTC): a time skipped
 * by a clock change counts from after it, a repeated time is its first. */
int64_t sla_zone_utc(const sla_zone_t *z, int64_t local);

/* ---- calendars ---- */

typedef struct {
	char name[SLA_NAME_MAX + 1];
	int always;
	sla_zone_t zone;
	uint16_t slot[7][SLA_SLOTS_MAX][2]; /* [weekday 0 = Sunday][i] = {from, to} minutes */
	int nslot[7];
	int32_t *holiday;   /* local days since 1970-01-01, ascending */
	size_t nholiday, capholiday;
} sla_calendar_t;

/* A pause: the clock stops in [from, to); to = SLA_NEVER while it lasts. */
typedef struct {
	int64_t from, to;
} sla_span_t;

/* Business seconds of cal in [from, to) outside the pauses (any order,
 * may overlap). */
int64_t sla_business(const sla_calendar_t *cal, int64_t from, int64_t to, const sla_span_t *pause,
		     size_t npause);
/* The instant at which amount business seconds have passed since start
 * (pauses as above); SLA_NEVER if an open pause or a closed calendar holds
 * it back for ever (beyond ten years). */
int64_t sla_due(const sla_calendar_t *cal, int64_t start, int64_t amount, const sla_span_t *pause,
		size_t npause);

/* ---- policies ---- */

typedef enum { SLA_ACK, SLA_RESPONSE, SLA_RESOLVE, SLA_NTARGET } sla_target_t;
/* "ack", "response", "resolve" */
const char *sla_target_name(sla_target_t t);

typedef struct {
	char severity[12];
	char classification[MODEL_CLASS_MAX + 1]; /* "" : any */
	int64_t target[SLA_NTARGET];              /* business seconds; 0 : none */
	int line;
} sla_policy_t;

typedef struct {
	char name[SLA_NAME_MAX + 1];   /* "*" : every other team */
	size_t calendar;               /* index into conf->cal */
	char lead[SLA_NAME_MAX + 1];   /* the lead's e-mail address, or "" */
} sla_team_t;

typedef struct {
	int warn_pct;                  /* 1..99 */
	sla_calendar_t *cal;
	size_t ncal, capcal;
	sla_team_t *team;
	size_t nteam, capteam;
	sla_policy_t *pol;
	size_t npol, cappol;
} sla_conf_t;

/* The built-in data/sla.conf, or file instead of it (NULL: built in).
 * 0, or -1 with "file:line: reason" in err (conf then empty). */
int sla_conf_load(sla_conf_t *c, const char *file, char *err, size_t errlen);
/* Parse text named name (file names in it are relative to dir, NULL: the
 * current folder) into c, which it initialises.  All or nothing: on error
 * c is empty (sla_conf_free is still safe). */
int sla_conf_parse(sla_conf_t *c, const char *text, const char *name, const char *dir, char *err,
		   size_t errlen);
void sla_conf_free(sla_conf_t *c);

/* The policy for severity and classification (class/type exact, then its
 * class, then any), or NULL. */
const sla_policy_t *sla_policy_find(const sla_conf_t *c, const char *severity,
				    const char *classification);
/* The team's entry (or the "*" one, else NULL). */
const sla_team_t *sla_team_find(const sla_conf_t *c, const char *team);
/* The calendar of team (its own, "*", else the first one). */
const sla_calendar_t *sla_calendar_for(const sla_conf_t *c, const char *team);

/* ---- timers ---- */

typedef enum { SLA_NONE, SLA_OK, SLA_WARNING, SLA_BREACHED, SLA_MET } sla_state_t;
/* "none", "ok", "warning", "breached", "met" */
const char *sla_state_name(sla_state_t s);

typedef struct {
	sla_state_t state;   /* MET: stopped in time; BREACHED: late, stopped or not */
	int64_t target;      /* business seconds (0: no target, state NONE) */
	int64_t used;        /* business seconds used, at stop or now */
	int64_t due;         /* the instant of the breach (SLA_NEVER while paused) */
	int64_t warn_at;     /* the instant of the warning */
	int paused;          /* an open pause holds it now */
} sla_timer_t;

/* The timer of a target of target business seconds started at start,
 * stopped at stop (0: running), seen at now. */
void sla_timer(const sla_conf_t *c, const sla_calendar_t *cal, int64_t target, int64_t start,
	       int64_t stop, const sla_span_t *pause, size_t npause, int64_t now, sla_timer_t *out);

#endif
