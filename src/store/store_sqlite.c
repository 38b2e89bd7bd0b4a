/* store_sqlite.c — the SQLite back end of the store (see store.h).
 *
 * One database file in WAL mode, synchronous=FULL: a committed transaction is
 * on disk before store_commit() returns, so an acknowledged write survives a
 * crash of the process or the machine.  Schema changes are numbered
 * migrations tracked in PRAGMA user_version.  Prepared statements are cached
 * per connection. */
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <errno.h>
#include <fcntl.h>

#include "core/util.h"
#include <sys/file.h>
#include <sys/mman.h>
#include <pthread.h>
#include <stdint.h>

#include "store.h"
#include "store_sqlite_int.h"
#include "store_assess.h"

/* ---- schema ---- */

/* The indicators' columns after their id, since schema 10. */
#define IND_COLUMNS                                                              \
	"  vkey INTEGER NOT NULL,"                                               \
	"  type TEXT NOT NULL,"                                                  \
	"  value TEXT NOT NULL,"                                                 \
	"  source TEXT NOT NULL,"                                                \
	"  org_id INTEGER NOT NULL REFERENCES orgs(id),"                         \
	"  tlp INTEGER NOT NULL CHECK (tlp BETWEEN 0 AND 4),"                    \
	"  confidence INTEGER NOT NULL CHECK (confidence BETWEEN 0 AND 100),"    \
	"  classification TEXT NOT NULL,"                                        \
	"  first_seen INTEGER NOT NULL,"                                         \
	"  last_seen INTEGER NOT NULL,"                                          \
	"  valid_until INTEGER,"                                                 \
	"  created INTEGER NOT NULL,"                                            \
	"  updated INTEGER NOT NULL);"

/* migrations[i] takes the schema from version i to i + 1. */
static const char *const migrations[] = {
	/* 0 -> 1: the foundation */
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"INSERT INTO meta(key, value) VALUES('seq', '0');"
	"CREATE TABLE orgs("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	"  type TEXT NOT NULL,"
	"  country TEXT NOT NULL,"
	"  created INTEGER NOT NULL);"
	/* tlp: 0 clear, 1 green, 2 amber, 3 amber+strict, 4 red */
	"CREATE TABLE indicators("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  type TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  source TEXT NOT NULL,"
	"  org_id INTEGER NOT NULL REFERENCES orgs(id),"
	"  tlp INTEGER NOT NULL CHECK (tlp BETWEEN 0 AND 4),"
	"  confidence INTEGER NOT NULL CHECK (confidence BETWEEN 0 AND 100),"
	"  classification TEXT NOT NULL,"
	"  first_seen INTEGER NOT NULL,"
	"  last_seen INTEGER NOT NULL,"
	"  valid_until INTEGER,"
	"  created INTEGER NOT NULL,"
	"  updated INTEGER NOT NULL,"
	"  UNIQUE(value, type, source, org_id));"
	/* the change feed: rows a transaction inserts have ids from its
	 * txn_ids.first_id on; rows it updates are logged in touched (by
	 * sq_put_indicator: a trigger would double the cost of every insert);
	 * rows it deletes leave tombstones.  No per-insert index write. */
	"CREATE TABLE txn_ids(seq INTEGER PRIMARY KEY, first_id INTEGER NOT NULL);"
	"CREATE TABLE touched(id INTEGER NOT NULL, seq INTEGER NOT NULL);"
	"CREATE INDEX touched_seq ON touched(seq);"
	"CREATE TABLE tombstones(id INTEGER PRIMARY KEY, seq INTEGER NOT NULL);"
	"CREATE INDEX tombstones_seq ON tombstones(seq);"
	"CREATE TABLE tokens("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  hash BLOB NOT NULL UNIQUE,"
	"  prefix TEXT NOT NULL,"
	"  org_id INTEGER NOT NULL REFERENCES orgs(id),"
	"  role TEXT NOT NULL,"
	"  label TEXT NOT NULL DEFAULT '',"
	"  created INTEGER NOT NULL,"
	"  revoked INTEGER);",
	/* 1 -> 2: trust in reporters (reputation scores); name is the source
	 * name, the org id in decimal, or '' for the default */
	"CREATE TABLE trust("
	"  kind TEXT NOT NULL CHECK (kind IN ('default', 'source', 'org')),"
	"  name TEXT NOT NULL,"
	"  value INTEGER NOT NULL CHECK (value BETWEEN 0 AND 100),"
	"  updated INTEGER NOT NULL,"
	"  PRIMARY KEY(kind, name));"
	"INSERT INTO meta(key, value) VALUES('trust_version', '0');",
	/* 2 -> 3: X.509 enrolment: requests and the certificates issued */
	"CREATE TABLE pki_requests("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  org_id INTEGER NOT NULL REFERENCES orgs(id),"
	"  role TEXT NOT NULL,"
	"  dn TEXT NOT NULL,"
	"  csr TEXT NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),"
	"  created INTEGER NOT NULL,"
	"  decided INTEGER);"
	"CREATE TABLE certs("
	"  serial TEXT PRIMARY KEY,"
	"  fingerprint TEXT NOT NULL UNIQUE,"
	"  org_id INTEGER NOT NULL REFERENCES orgs(id),"
	"  role TEXT NOT NULL,"
	"  dn TEXT NOT NULL,"
	"  not_before INTEGER NOT NULL,"
	"  not_after INTEGER NOT NULL,"
	"  request_id INTEGER REFERENCES pki_requests(id),"
	"  created INTEGER NOT NULL,"
	"  revoked INTEGER);"
	"INSERT INTO meta(key, value) VALUES('pki_version', '0');",
	/* 3 -> 4: the audit log, a hash chain (see audit.h) */
	"CREATE TABLE audit("
	"  seq INTEGER PRIMARY KEY,"
	"  ts INTEGER NOT NULL,"
	"  org_id INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  addr TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  object TEXT NOT NULL,"
	"  detail TEXT NOT NULL,"
	"  prev BLOB NOT NULL,"
	"  hash BLOB NOT NULL);"
	"INSERT INTO meta(key, value) VALUES('audit_head', '0');",
	/* 4 -> 5: how each organisation must authenticate */
	"ALTER TABLE orgs ADD COLUMN auth_policy TEXT NOT NULL DEFAULT 'any' "
	"CHECK (auth_policy IN ('any', 'token', 'certificate', 'both'));",
	/* 5 -> 6: keep the issued certificate, so a member can fetch it by API */
	"ALTER TABLE certs ADD COLUMN pem TEXT NOT NULL DEFAULT '';",
	/* 6 -> 7: the constituency: which networks, AS numbers and domains each
	 * organisation answers for, and where its abuse reports go */
	"CREATE TABLE constituency("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  org_id INTEGER NOT NULL REFERENCES orgs(id),"
	"  type TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  abuse_contact TEXT NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  UNIQUE(org_id, type, value));"
	"INSERT INTO meta(key, value) VALUES('constituency_version', '0');",
	/* 7 -> 8: watch and warn (store_watch.c): feeds and their run state,
	 * events with the raw record, notices (event x organisation), the
	 * deliveries that carry them, early warnings, and how each
	 * organisation wants to be told */
	"CREATE TABLE feeds("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	"  url TEXT NOT NULL, path TEXT NOT NULL, format TEXT NOT NULL,"
	"  classification TEXT NOT NULL, col TEXT NOT NULL, policy TEXT NOT NULL,"
	"  tlp INTEGER NOT NULL, confidence INTEGER NOT NULL, enabled INTEGER NOT NULL,"
	"  every INTEGER NOT NULL, created INTEGER NOT NULL,"
	"  etag TEXT NOT NULL DEFAULT '', last_modified TEXT NOT NULL DEFAULT '',"
	"  last_error TEXT NOT NULL DEFAULT '', last_run INTEGER NOT NULL DEFAULT 0,"
	"  last_ok INTEGER NOT NULL DEFAULT 0, next_run INTEGER NOT NULL DEFAULT 0,"
	"  failures INTEGER NOT NULL DEFAULT 0, records INTEGER NOT NULL DEFAULT 0,"
	"  events INTEGER NOT NULL DEFAULT 0, skipped INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE events("
	"  id INTEGER PRIMARY KEY,"
	"  feed_id INTEGER NOT NULL, type TEXT NOT NULL, value TEXT NOT NULL,"
	"  classification TEXT NOT NULL, tlp INTEGER NOT NULL,"
	"  source_time INTEGER NOT NULL, observed INTEGER NOT NULL,"
	"  line INTEGER NOT NULL, raw TEXT NOT NULL);"
	"CREATE INDEX events_observed ON events(observed);"
	"CREATE TABLE notices("
	"  org_id INTEGER NOT NULL, event_id INTEGER NOT NULL, due INTEGER NOT NULL,"
	"  delivery_id INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY(org_id, event_id)) WITHOUT ROWID;"
	"CREATE INDEX notices_open ON notices(due, org_id) WHERE delivery_id = 0;"
	"CREATE INDEX notices_delivery ON notices(delivery_id) WHERE delivery_id <> 0;"
	"CREATE TABLE deliveries("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  org_id INTEGER NOT NULL, kind TEXT NOT NULL, warning_id INTEGER NOT NULL,"
	"  channel TEXT NOT NULL, target TEXT NOT NULL, tlp INTEGER NOT NULL,"
	"  events INTEGER NOT NULL, created INTEGER NOT NULL,"
	"  state TEXT NOT NULL, attempts INTEGER NOT NULL, next_try INTEGER NOT NULL,"
	"  sent_at INTEGER NOT NULL, last_error TEXT NOT NULL);"
	"CREATE INDEX deliveries_pending ON deliveries(next_try) WHERE state = 'pending';"
	"CREATE TABLE prefs("
	"  org_id INTEGER PRIMARY KEY, channel TEXT NOT NULL, frequency TEXT NOT NULL,"
	"  webhook TEXT NOT NULL, secret TEXT NOT NULL, contact_247 TEXT NOT NULL,"
	"  webhook_247 TEXT NOT NULL);"
	"CREATE TABLE warnings("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  org_id INTEGER NOT NULL, author TEXT NOT NULL, title TEXT NOT NULL,"
	"  classification TEXT NOT NULL, severity TEXT NOT NULL, tlp INTEGER NOT NULL,"
	"  audience TEXT NOT NULL, observables TEXT NOT NULL, created INTEGER NOT NULL);",
	/* 8 -> 9: a feed run remembers only its own feed's recent events */
	"DROP INDEX events_observed;"
	"CREATE INDEX events_feed_observed ON events(feed_id, observed);",
	/* 9 -> 10: indicators found by a 64-bit hash of their value
	 * (c5_vkey) instead of a unique index on the text: a feed of a million
	 * new URLs inserts into an index a fifth the size, so each write slice
	 * rewrites fewer pages.  The store keeps (value, type, source, org)
	 * unique itself (sq_put_indicator); a hash collision costs one more
	 * row compared, never a wrong match.  AUTOINCREMENT's high-water mark
	 * is carried over so that ids are never reused. */
	"CREATE TEMP TABLE keep_seq AS SELECT seq FROM sqlite_sequence WHERE name = 'indicators';"
	"CREATE TABLE indicators_v10("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	IND_COLUMNS
	"INSERT INTO indicators_v10 SELECT id, c5_vkey(value), type, value, source, org_id, tlp,"
	"  confidence, classification, first_seen, last_seen, valid_until, created, updated"
	"  FROM indicators ORDER BY id;"
	"DROP TABLE indicators;"
	"ALTER TABLE indicators_v10 RENAME TO indicators;"
	"CREATE INDEX indicators_vkey ON indicators(vkey);"
	"UPDATE sqlite_sequence SET seq = max(seq, (SELECT seq FROM keep_seq)) WHERE name = 'indicators';"
	"INSERT INTO sqlite_sequence(name, seq) SELECT 'indicators', seq FROM keep_seq"
	"  WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'indicators');"
	"DROP TABLE keep_seq;",
	/* 10 -> 11: STIX objects as received (store_stix.c), one row per version
	 * (vus: the version in microseconds), their named recipients, which
	 * indicators were made from which object; TAXII collections, who may
	 * read and write them, their members in the order added (added: the
	 * date added to the collection, strictly increasing, the paging key),
	 * and the status resources of TAXII posts (store_taxii.c) */
	"CREATE TABLE stix_objects("
	"  rid INTEGER PRIMARY KEY,"
	"  id TEXT NOT NULL, version TEXT NOT NULL, vus INTEGER NOT NULL, type TEXT NOT NULL,"
	"  spec_version TEXT NOT NULL, tlp INTEGER NOT NULL, org_id INTEGER NOT NULL,"
	"  origin INTEGER NOT NULL, added INTEGER NOT NULL, indexed INTEGER NOT NULL,"
	"  json TEXT NOT NULL, UNIQUE(id, vus));"
	"CREATE TABLE stix_recipients(rid INTEGER NOT NULL, org_id INTEGER NOT NULL,"
	"  PRIMARY KEY(rid, org_id)) WITHOUT ROWID;"
	"CREATE TABLE stix_made(ind_id INTEGER PRIMARY KEY, rid INTEGER NOT NULL);"
	"CREATE TABLE taxii_collections(cid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
	"  alias TEXT NOT NULL UNIQUE, title TEXT NOT NULL, description TEXT NOT NULL,"
	"  tlp INTEGER NOT NULL, created INTEGER NOT NULL);"
	"CREATE TABLE taxii_access(cid INTEGER NOT NULL, org_id INTEGER NOT NULL,"
	"  can_read INTEGER NOT NULL, can_write INTEGER NOT NULL, PRIMARY KEY(cid, org_id)) WITHOUT ROWID;"
	"CREATE TABLE taxii_members(cid INTEGER NOT NULL, added INTEGER NOT NULL, rid INTEGER NOT NULL,"
	"  PRIMARY KEY(cid, added), UNIQUE(cid, rid)) WITHOUT ROWID;"
	"CREATE TABLE taxii_status(id TEXT PRIMARY KEY, org_id INTEGER NOT NULL,"
	"  created INTEGER NOT NULL, json TEXT NOT NULL);"
	"CREATE TABLE taxii_peers(name TEXT PRIMARY KEY, url TEXT NOT NULL, collection TEXT NOT NULL,"
	"  token TEXT NOT NULL, org_id INTEGER NOT NULL, into_cid INTEGER NOT NULL,"
	"  push_cid INTEGER NOT NULL, every INTEGER NOT NULL, next_run INTEGER NOT NULL,"
	"  last_run INTEGER NOT NULL, last_error TEXT NOT NULL, objects INTEGER NOT NULL);",
	/* 11 -> 12: a peer's TLS files (mutual TLS); evidence files attached to
	 * incidents and their chain of custody (store_evidence.c); permissions
	 * to re-share STIX objects (store_stix.c) */
	"ALTER TABLE taxii_peers ADD COLUMN cacert TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE taxii_peers ADD COLUMN cert TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE taxii_peers ADD COLUMN key TEXT NOT NULL DEFAULT '';"
	"CREATE TABLE evidence(id INTEGER PRIMARY KEY AUTOINCREMENT, incident TEXT NOT NULL,"
	"  name TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL, org_id INTEGER NOT NULL,"
	"  tlp INTEGER NOT NULL, added INTEGER NOT NULL, data BLOB NOT NULL);"
	"CREATE INDEX evidence_incident ON evidence(incident);"
	"CREATE TABLE custody(seq INTEGER PRIMARY KEY AUTOINCREMENT, evidence_id INTEGER NOT NULL,"
	"  at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL,"
	"  prev TEXT NOT NULL, hash TEXT NOT NULL);"
	"CREATE INDEX custody_evidence ON custody(evidence_id, seq);"
	/* who may share a STIX object wider than its creator did (its
	 * creator's permission, recorded) */
	"CREATE TABLE stix_permits(id TEXT NOT NULL, org_id INTEGER NOT NULL, by_org INTEGER NOT NULL,"
	"  at INTEGER NOT NULL, PRIMARY KEY(id, org_id)) WITHOUT ROWID;",
	/* 12 -> 13: which indicators are shared with which named recipients
	 * (for the hub's look-ups): found from the object's recipients, and a
	 * version the hub watches, bumped whenever a recipient is named or an
	 * indicator is made from an object that has recipients */
	"CREATE INDEX stix_made_rid ON stix_made(rid);"
	"INSERT INTO meta(key, value) VALUES('share_version', '0');"
	"CREATE TRIGGER stix_shared AFTER INSERT ON stix_recipients BEGIN"
	"  UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'share_version'; END;"
	"CREATE TRIGGER stix_made_shared AFTER INSERT ON stix_made"
	"  WHEN EXISTS (SELECT 1 FROM stix_recipients WHERE rid = NEW.rid) BEGIN"
	"  UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'share_version'; END;",
	/* 13 -> 14: feed runs at 200,000 records a second.  Indicators lose
	 * AUTOINCREMENT (a read and a write of sqlite_sequence per insert, a
	 * sixth of the cost): the store gives ids itself and keeps the
	 * high-water mark in the same sqlite_sequence row, once per
	 * transaction (sq_commit), so ids are still never reused.  Events
	 * carry the rest of their report (confidence, last seen, valid until)
	 * so that an indicator can be made again from its event; a feed run
	 * is recorded with the range of event ids it wrote and, while its
	 * indicators are not all written, the first event still to do
	 * (pending).  That record replaces the index on (feed, observed),
	 * one more B-tree write per event. */
	"CREATE TEMP TABLE keep_seq AS SELECT max("
	"  coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'indicators'), 0),"
	"  coalesce((SELECT max(id) FROM indicators), 0)) AS seq;"
	"CREATE TABLE indicators_v14("
	"  id INTEGER PRIMARY KEY,"
	IND_COLUMNS
	"INSERT INTO indicators_v14 SELECT id, vkey, type, value, source, org_id, tlp, confidence,"
	"  classification, first_seen, last_seen, valid_until, created, updated"
	"  FROM indicators ORDER BY id;"
	"DROP TABLE indicators;"
	"ALTER TABLE indicators_v14 RENAME TO indicators;"
	"CREATE INDEX indicators_vkey ON indicators(vkey);"
	"DELETE FROM sqlite_sequence WHERE name = 'indicators';"
	"INSERT INTO sqlite_sequence(name, seq) SELECT 'indicators', seq FROM keep_seq;"
	"DROP TABLE keep_seq;"
	"ALTER TABLE events ADD COLUMN confidence INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE events ADD COLUMN last_seen INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE events ADD COLUMN valid_until INTEGER NOT NULL DEFAULT 0;"
	"CREATE TABLE feed_runs("
	"  id INTEGER PRIMARY KEY, feed_id INTEGER NOT NULL, org_id INTEGER NOT NULL,"
	"  observed INTEGER NOT NULL, first_event INTEGER NOT NULL, last_event INTEGER NOT NULL,"
	"  pending INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX feed_runs_feed ON feed_runs(feed_id, observed);"
	"CREATE INDEX feed_runs_pending ON feed_runs(pending) WHERE pending <> 0;"
	"INSERT INTO feed_runs(feed_id, org_id, observed, first_event, last_event)"
	"  SELECT feed_id, 0, observed, min(id), max(id) FROM events GROUP BY feed_id, observed;"
	"DROP INDEX events_feed_observed;",
	/* 14 -> 15: people who sign in to the web console (src/people/):
	 * accounts (a password as Argon2id text, an optional TOTP second
	 * factor), one-time enrolment links and sessions (both kept as the
	 * SHA-256 of their secret), sign-in failures by account and address,
	 * and each organisation's second-factor policy */
	"CREATE TABLE users("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  email TEXT NOT NULL UNIQUE,"
	"  org_id INTEGER NOT NULL REFERENCES orgs(id),"
	"  role TEXT NOT NULL CHECK (role IN ('reader', 'contributor', 'analyst', 'admin')),"
	"  name TEXT NOT NULL DEFAULT '',"
	"  password TEXT NOT NULL DEFAULT '',"
	"  disabled INTEGER NOT NULL DEFAULT 0,"
	"  totp_secret TEXT NOT NULL DEFAULT '',"
	"  totp_confirmed INTEGER NOT NULL DEFAULT 0,"
	"  totp_last INTEGER NOT NULL DEFAULT 0,"
	"  created INTEGER NOT NULL,"
	"  last_signin INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX users_org ON users(org_id);"
	"CREATE TABLE enrol_links("
	"  hash BLOB PRIMARY KEY,"
	"  user_id INTEGER NOT NULL REFERENCES users(id),"
	"  created INTEGER NOT NULL,"
	"  expires INTEGER NOT NULL,"
	"  used INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX enrol_links_user ON enrol_links(user_id);"
	"CREATE TABLE sessions("
	"  hash BLOB PRIMARY KEY,"
	"  user_id INTEGER NOT NULL REFERENCES users(id),"
	"  created INTEGER NOT NULL,"
	"  last_seen INTEGER NOT NULL,"
	"  addr TEXT NOT NULL);"
	"CREATE INDEX sessions_user ON sessions(user_id);"
	"CREATE TABLE login_failures(key TEXT NOT NULL, t INTEGER NOT NULL);"
	"CREATE INDEX login_failures_key ON login_failures(key, t);"
	"ALTER TABLE orgs ADD COLUMN totp_policy TEXT NOT NULL DEFAULT 'optional' "
	"CHECK (totp_policy IN ('optional', 'required'));",
	/* incident cases (src/case/, store_case.c): the case with its SLA
	 * instants and version, its timeline, tasks, links, affected
	 * constituents, the intervals it waited for the reporter and the
	 * reference counter per year */
	"CREATE TABLE cases("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT, ref TEXT NOT NULL UNIQUE, title TEXT NOT NULL,"
	"  classification TEXT NOT NULL, severity TEXT NOT NULL, tlp INTEGER NOT NULL,"
	"  reporter_org INTEGER NOT NULL REFERENCES orgs(id), assignee INTEGER NOT NULL DEFAULT 0,"
	"  team TEXT NOT NULL DEFAULT '', status TEXT NOT NULL, resolution TEXT NOT NULL DEFAULT '',"
	"  source TEXT NOT NULL DEFAULT '', version INTEGER NOT NULL DEFAULT 1,"
	"  created INTEGER NOT NULL, updated INTEGER NOT NULL,"
	"  acknowledged_at INTEGER NOT NULL DEFAULT 0, first_response_at INTEGER NOT NULL DEFAULT 0,"
	"  resolved_at INTEGER NOT NULL DEFAULT 0, waiting_since INTEGER NOT NULL DEFAULT 0,"
	"  merged_into INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX cases_reporter ON cases(reporter_org, id);"
	"CREATE INDEX cases_status ON cases(status, id);"
	"CREATE INDEX cases_class ON cases(classification, id);"
	"CREATE INDEX cases_assignee ON cases(assignee, id) WHERE assignee <> 0;"
	"CREATE TABLE case_counters(year INTEGER PRIMARY KEY, n INTEGER NOT NULL);"
	"CREATE TABLE case_entries("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT, case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  created INTEGER NOT NULL, kind TEXT NOT NULL, visibility INTEGER NOT NULL,"
	"  author TEXT NOT NULL, author_org INTEGER NOT NULL, text TEXT NOT NULL,"
	"  sent_at INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX case_entries_case ON case_entries(case_id, id);"
	"CREATE INDEX case_entries_outbox ON case_entries(id) WHERE visibility = 1 AND sent_at = 0;"
	"CREATE TABLE case_tasks("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT, case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  title TEXT NOT NULL, assignee INTEGER NOT NULL DEFAULT 0, due INTEGER NOT NULL DEFAULT 0,"
	"  done_at INTEGER NOT NULL DEFAULT 0, created INTEGER NOT NULL);"
	"CREATE INDEX case_tasks_case ON case_tasks(case_id);"
	"CREATE TABLE case_links("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT, case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  kind TEXT NOT NULL, obs_type INTEGER NOT NULL DEFAULT 0, target TEXT NOT NULL,"
	"  created INTEGER NOT NULL, UNIQUE(case_id, kind, obs_type, target));"
	"CREATE INDEX case_links_target ON case_links(kind, target);"
	"CREATE TABLE case_affected("
	"  case_id INTEGER NOT NULL REFERENCES cases(id), org_id INTEGER NOT NULL REFERENCES orgs(id),"
	"  manual INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(case_id, org_id));"
	"CREATE INDEX case_affected_org ON case_affected(org_id);"
	"CREATE TABLE case_waits("
	"  case_id INTEGER NOT NULL REFERENCES cases(id), t_from INTEGER NOT NULL,"
	"  t_to INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(case_id, t_from));",
	/* -> next: national self-assessment (src/assess/, store_assess.c):
	 * questionnaire versions as loaded, assessments (an entity, one
	 * questionnaire version, one period, a TLP level, a state) with their
	 * history, answers with their review, and roadmap items */
	"CREATE TABLE assess_questionnaires(id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  name TEXT NOT NULL, version INTEGER NOT NULL, json TEXT NOT NULL, loaded INTEGER NOT NULL,"
	"  UNIQUE(name, version));"
	"CREATE TABLE assessments(id INTEGER PRIMARY KEY AUTOINCREMENT, entity TEXT NOT NULL,"
	"  org_id INTEGER NOT NULL REFERENCES orgs(id),"
	"  qn_id INTEGER NOT NULL REFERENCES assess_questionnaires(id), period TEXT NOT NULL,"
	"  tlp INTEGER NOT NULL, state TEXT NOT NULL DEFAULT 'draft'"
	"  CHECK (state IN ('draft', 'submitted', 'validated')),"
	"  created INTEGER NOT NULL, updated INTEGER NOT NULL);"
	"CREATE INDEX assessments_entity ON assessments(entity, period);"
	"CREATE TABLE assess_history(seq INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  assessment INTEGER NOT NULL REFERENCES assessments(id), at INTEGER NOT NULL,"
	"  actor TEXT NOT NULL, what TEXT NOT NULL);"
	"CREATE INDEX assess_history_a ON assess_history(assessment, seq);"
	"CREATE TABLE assess_answers(assessment INTEGER NOT NULL REFERENCES assessments(id),"
	"  question TEXT NOT NULL, value TEXT NOT NULL, by TEXT NOT NULL, at INTEGER NOT NULL,"
	"  evidence TEXT NOT NULL DEFAULT '', source TEXT NOT NULL DEFAULT '',"
	"  review TEXT NOT NULL DEFAULT 'pending' CHECK (review IN ('pending', 'accepted', 'rejected')),"
	"  reviewer TEXT NOT NULL DEFAULT '', comment TEXT NOT NULL DEFAULT '',"
	"  PRIMARY KEY(assessment, question));"
	"CREATE TABLE assess_roadmap(assessment INTEGER NOT NULL REFERENCES assessments(id),"
	"  action TEXT NOT NULL, priority REAL NOT NULL, rank INTEGER NOT NULL, why TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'proposed'"
	"  CHECK (state IN ('proposed', 'accepted', 'deferred', 'done')),"
	"  assignee TEXT NOT NULL DEFAULT '', updated INTEGER NOT NULL,"
	"  PRIMARY KEY(assessment, action));",
	/* 15 -> 16: the Cybersecurity Gateway (src/gw/): directory entries,
	 * resources with their attachments, news, and the search index (FTS5
	 * over title and text, gw_docs holding each document's facets and
	 * visibility); gw_meta's generation rises with every change (the
	 * public pages' ETag) */
	"CREATE TABLE gw_entries("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT, org_id INTEGER NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN ('organisation', 'initiative', 'team')),"
	"  name TEXT NOT NULL, stakeholder TEXT NOT NULL CHECK (stakeholder IN ('government', "
	"'private', 'civil-society', 'international', 'academia')),"
	"  country TEXT NOT NULL, sector TEXT NOT NULL DEFAULT '', areas INTEGER NOT NULL DEFAULT 0,"
	"  description TEXT NOT NULL DEFAULT '', website TEXT NOT NULL DEFAULT '',"
	"  email TEXT NOT NULL DEFAULT '', phone TEXT NOT NULL DEFAULT '',"
	"  pgp TEXT NOT NULL DEFAULT '', x509 TEXT NOT NULL DEFAULT '',"
	"  status TEXT NOT NULL CHECK (status IN ('draft', 'pending', 'public')),"
	"  created INTEGER NOT NULL, updated INTEGER NOT NULL);"
	"CREATE INDEX gw_entries_org ON gw_entries(org_id);"
	"CREATE INDEX gw_entries_status ON gw_entries(status, name);"
	"CREATE TABLE gw_resources("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT, org_id INTEGER NOT NULL,"
	"  type TEXT NOT NULL CHECK (type IN ('document', 'law', 'strategy', 'guide', 'training', 'event')),"
	"  title TEXT NOT NULL, summary TEXT NOT NULL DEFAULT '', areas INTEGER NOT NULL DEFAULT 0,"
	"  stakeholder TEXT NOT NULL DEFAULT '', country TEXT NOT NULL DEFAULT '',"
	"  lang TEXT NOT NULL DEFAULT '', link TEXT NOT NULL DEFAULT '', tlp INTEGER NOT NULL,"
	"  status TEXT NOT NULL CHECK (status IN ('draft', 'pending', 'public')),"
	"  created INTEGER NOT NULL, updated INTEGER NOT NULL);"
	"CREATE INDEX gw_resources_status ON gw_resources(status, id);"
	"CREATE TABLE gw_files(res_id INTEGER PRIMARY KEY REFERENCES gw_resources(id),"
	"  name TEXT NOT NULL, data BLOB NOT NULL);"
	"CREATE TABLE gw_news("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT, org_id INTEGER NOT NULL, title TEXT NOT NULL,"
	"  body TEXT NOT NULL DEFAULT '', areas INTEGER NOT NULL DEFAULT 0, tlp INTEGER NOT NULL,"
	"  status TEXT NOT NULL CHECK (status IN ('draft', 'pending', 'public')),"
	"  created INTEGER NOT NULL, updated INTEGER NOT NULL);"
	"CREATE TABLE gw_docs("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, ref TEXT NOT NULL,"
	"  title TEXT NOT NULL, tlp INTEGER NOT NULL, org_id INTEGER NOT NULL,"
	"  areas INTEGER NOT NULL DEFAULT 0, stakeholder TEXT NOT NULL DEFAULT '',"
	"  country TEXT NOT NULL DEFAULT '', lang TEXT NOT NULL DEFAULT '',"
	"  type TEXT NOT NULL DEFAULT '', url TEXT NOT NULL DEFAULT '', updated INTEGER NOT NULL,"
	"  UNIQUE (kind, ref));"
	"CREATE INDEX gw_docs_updated ON gw_docs(updated);"
	"CREATE VIRTUAL TABLE gw_fts USING fts5(title, text,"
	"  tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');"
	"CREATE TABLE gw_meta(gen INTEGER NOT NULL, changed INTEGER NOT NULL);"
	"INSERT INTO gw_meta VALUES(1, CAST(strftime('%s', 'now') AS INTEGER));"
	"CREATE TRIGGER gw_entries_insert AFTER INSERT ON gw_entries BEGIN UPDATE gw_meta SET gen = gen + 1, "
	"changed = CAST(strftime('%s', 'now') AS INTEGER); END;"
	"CREATE TRIGGER gw_entries_update AFTER UPDATE ON gw_entries BEGIN UPDATE gw_meta SET gen = gen + 1, "
	"changed = CAST(strftime('%s', 'now') AS INTEGER); END;"
	"CREATE TRIGGER gw_entries_delete AFTER DELETE ON gw_entries BEGIN UPDATE gw_meta SET gen = gen + 1, "
	"changed = CAST(strftime('%s', 'now') AS INTEGER); END;"
	"CREATE TRIGGER gw_resources_insert AFTER INSERT ON gw_resources BEGIN UPDATE gw_meta SET gen = gen + 1, "
	"changed = CAST(strftime('%s', 'now') AS INTEGER); END;"
	"CREATE TRIGGER gw_resources_update AFTER UPDATE ON gw_resources BEGIN UPDATE gw_meta SET gen = gen + 1, "
	"changed = CAST(strftime('%s', 'now') AS INTEGER); END;"
	"CREATE TRIGGER gw_resources_delete AFTER DELETE ON gw_resources BEGIN UPDATE gw_meta SET gen = gen + 1, "
	"changed = CAST(strftime('%s', 'now') AS INTEGER); END;"
	"CREATE TRIGGER gw_files_insert AFTER INSERT ON gw_files BEGIN UPDATE gw_meta SET gen = gen + 1, "
	"changed = CAST(strftime('%s', 'now') AS INTEGER); END;"
	"CREATE TRIGGER gw_files_update AFTER UPDATE ON gw_files BEGIN UPDATE gw_meta SET gen = gen + 1, "
	"changed = CAST(strftime('%s', 'now') AS INTEGER); END;"
	"CREATE TRIGGER gw_files_delete AFTER DELETE ON gw_files BEGIN UPDATE gw_meta SET gen = gen + 1, "
	"changed = CAST(strftime('%s', 'now') AS INTEGER); END;"
	"CREATE TRIGGER gw_news_insert AFTER INSERT ON gw_news BEGIN UPDATE gw_meta SET gen = gen + 1, "
	"changed = CAST(strftime('%s', 'now') AS INTEGER); END;"
	"CREATE TRIGGER gw_news_update AFTER UPDATE ON gw_news BEGIN UPDATE gw_meta SET gen = gen + 1, "
	"changed = CAST(strftime('%s', 'now') AS INTEGER); END;"
	"CREATE TRIGGER gw_news_delete AFTER DELETE ON gw_news BEGIN UPDATE gw_meta SET gen = gen + 1, "
	"changed = CAST(strftime('%s', 'now') AS INTEGER); END;"
	"CREATE TRIGGER gw_docs_insert AFTER INSERT ON gw_docs BEGIN UPDATE gw_meta SET gen = gen + 1, "
	"changed = CAST(strftime('%s', 'now') AS INTEGER); END;"
	"CREATE TRIGGER gw_docs_update AFTER UPDATE ON gw_docs BEGIN UPDATE gw_meta SET gen = gen + 1, "
	"changed = CAST(strftime('%s', 'now') AS INTEGER); END;"
	"CREATE TRIGGER gw_docs_delete AFTER DELETE ON gw_docs BEGIN UPDATE gw_meta SET gen = gen + 1, "
	"changed = CAST(strftime('%s', 'now') AS INTEGER); END;",
	/* 16 -> 17: advisories (CSAF 2.0, store_csaf.c): the edited model, the last
	 * published document and its signature; each published revision */
	"CREATE TABLE advisories(id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  tracking_id TEXT NOT NULL UNIQUE, title TEXT NOT NULL, category TEXT NOT NULL,"
	"  tlp INTEGER NOT NULL, status TEXT NOT NULL CHECK (status IN ('draft', 'final')),"
	"  version INTEGER NOT NULL DEFAULT 0, org_id INTEGER NOT NULL,"
	"  mirror INTEGER NOT NULL DEFAULT 0, source TEXT NOT NULL DEFAULT '',"
	"  initial_date INTEGER NOT NULL DEFAULT 0, cur_date INTEGER NOT NULL DEFAULT 0,"
	"  created INTEGER NOT NULL, updated INTEGER NOT NULL, data TEXT NOT NULL, doc TEXT, sig TEXT);"
	"CREATE INDEX advisories_current ON advisories(status, cur_date);"
	"CREATE TABLE advisory_revisions(adv INTEGER NOT NULL REFERENCES advisories(id),"
	"  number INTEGER NOT NULL, date INTEGER NOT NULL, summary TEXT NOT NULL, doc TEXT NOT NULL,"
	"  PRIMARY KEY(adv, number));",
	/* SLA alerts (src/sla/, store_sla.c): one per case, target and
	 * threshold; the row is the claim that sends it once per hub */
	"CREATE TABLE sla_alerts("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT, case_id INTEGER NOT NULL,"
	"  created INTEGER NOT NULL, due INTEGER NOT NULL, target TEXT NOT NULL,"
	"  level TEXT NOT NULL, ref TEXT NOT NULL, subject TEXT NOT NULL, text TEXT NOT NULL,"
	"  UNIQUE(case_id, target, level));",
	/* the mail gateway: each case's e-mail thread (the reporter's address,
	 * the replies' language and the ids they thread under) and the
	 * Message-IDs taken in (one message handed over twice: taken once) */
	"CREATE TABLE mail_threads(case_id INTEGER PRIMARY KEY REFERENCES cases(id),"
	"  addr TEXT NOT NULL, lang TEXT NOT NULL, root_id TEXT NOT NULL, last_id TEXT NOT NULL,"
	"  sent INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE mail_seen(message_id TEXT PRIMARY KEY, case_id INTEGER NOT NULL,"
	"  at INTEGER NOT NULL) WITHOUT ROWID;",
	/* the case list's title search: the titles' trigrams (FTS5 over
	 * cases, kept by triggers on the writes that change a title; a
	 * substring query of three characters or more walks it instead of
	 * every case) */
	"CREATE VIRTUAL TABLE case_titles USING fts5(title, content='cases', content_rowid='id',"
	"  tokenize='trigram');"
	"INSERT INTO case_titles(case_titles) VALUES('rebuild');"
	"CREATE TRIGGER case_titles_ins AFTER INSERT ON cases BEGIN"
	"  INSERT INTO case_titles(rowid, title) VALUES(new.id, new.title); END;"
	"CREATE TRIGGER case_titles_del AFTER DELETE ON cases BEGIN"
	"  INSERT INTO case_titles(case_titles, rowid, title) VALUES('delete', old.id, old.title); END;"
	"CREATE TRIGGER case_titles_upd AFTER UPDATE OF title ON cases"
	"  WHEN old.title IS NOT new.title BEGIN"
	"  INSERT INTO case_titles(case_titles, rowid, title) VALUES('delete', old.id, old.title);"
	"  INSERT INTO case_titles(rowid, title) VALUES(new.id, new.title); END;",
	/* where each case link came from: the reporter of the case it was
	 * first linked on (a merge carries links from another reporter's
	 * case; that reporter's links are never shown to this one) */
	"ALTER TABLE case_links ADD COLUMN origin_org INTEGER NOT NULL DEFAULT 0;"
	"UPDATE case_links SET origin_org = (SELECT reporter_org FROM cases WHERE cases.id = "
	"case_links.case_id);",
	/* the gateway's search by facet (store_gw.c): an index holding every
	 * facet, the visibility columns and the date, so that a filter on
	 * kind and language reads only its documents' entries, and a count of
	 * them or a newest-first page's choice reads no document row */
	"CREATE INDEX gw_docs_facets ON gw_docs(kind, lang, country, stakeholder, type, areas, tlp, org_id,"
	"  updated);",
};
#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))
_Static_assert(sizeof migrations / sizeof migrations[0] == STORE_SCHEMA_VERSION,
	       "store.h: STORE_SCHEMA_VERSION is the number of migrations");

/* ---- statements ---- */

enum {
	Q_SEQ_BUMP, Q_SEQ_GET, Q_TXN_IDS, Q_FIRST_ID, Q_PRUNE, Q_TOUCH_ID, Q_PUT_FIND, Q_PUT_INS, Q_PUT_UPD, Q_GET, Q_DEL, Q_TOMB, Q_FIND, Q_COUNT,
	Q_ORG_ADD, Q_ORG_GET, Q_ORG_FIND, Q_ORG_LIST, Q_ORG_POLICY,
	Q_TOK_ADD, Q_TOK_REV_ID, Q_TOK_REV_PREFIX, Q_TOK_LIST, Q_TOK_LAST, Q_SHARE_VER,
	Q_SEQ_SET, Q_SET_GET, Q_SET_SET, Q_CHG_ROWS, Q_CHG_ALL, Q_CHG_DELS,
	Q_TRUST_SET, Q_TRUST_DEL, Q_TRUST_LIST, Q_TRUST_BUMP, Q_TRUST_VER, Q_SCAN,
	Q_CSR_ADD, Q_CSR_GET, Q_CSR_DECIDE, Q_CERT_ADD, Q_CERT_REVOKE, Q_CERT_LIST, Q_PKI_BUMP,
	Q_AUD_LAST, Q_AUD_ADD, Q_AUD_HEAD, Q_AUD_LIST, Q_AUD_GETHEAD,
	Q_RES_ADD, Q_RES_LIST, Q_RES_BUMP, Q_RES_VER, Q_COUNT_NAMED, Q_DAYS_ALL, Q_DAYS_ORG, Q_NSTMT
};

/* an indicator is (value, type, source, org): found through the hash of
 * its value, then updated or inserted (sq_put_indicator) */
#define IND_KEY "i.vkey = ?1 AND i.value = ?2 AND i.type = ?3 AND i.source = ?4 AND i.org_id = ?5"

#define IND_COLS                                                                   \
	"i.id, i.type, i.value, i.source, i.org_id, i.tlp, i.confidence, "         \
	"i.classification, i.first_seen, i.last_seen, i.valid_until, i.created, " \
	"i.updated, coalesce(o.name, '') "
#define IND_FROM " FROM indicators i LEFT JOIN orgs o ON o.id = i.org_id "

static const char *const sql[Q_NSTMT] = {
	/* visible with the named condition true, not with it false */
	[Q_COUNT_NAMED] = "SELECT i.type, i.tlp, count(*) FROM indicators i WHERE i.id IN "
			  "(SELECT m.ind_id FROM stix_recipients r JOIN stix_made m ON m.rid = r.rid "
			  "WHERE r.org_id = :vorg) AND NOT " SQ_VISIBLE("i.tlp", "i.org_id", "0")
			  " AND " SQ_VISIBLE("i.tlp", "i.org_id", "1") " GROUP BY i.type, i.tlp",
	[Q_DAYS_ORG] = "SELECT e.observed / 86400 * 86400 d, count(*) FROM notices n JOIN events e ON "
		       "e.id = n.event_id WHERE n.org_id = ?2 AND e.observed >= ?1 GROUP BY d ORDER BY d",
	[Q_DAYS_ALL] = "SELECT observed / 86400 * 86400 d, count(*) FROM events WHERE observed >= ?1 "
		       "GROUP BY d ORDER BY d",
	[Q_SEQ_BUMP] = "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'seq' "
		       "RETURNING CAST(value AS INTEGER)",
	[Q_SEQ_GET] = "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'seq'",
	[Q_TXN_IDS] = "INSERT INTO txn_ids(seq, first_id) VALUES(?1, 1 + coalesce("
		      "(SELECT seq FROM sqlite_sequence WHERE name = 'indicators'), 0)) "
		      "RETURNING first_id",
	[Q_TOUCH_ID] = "INSERT INTO touched(id, seq) VALUES(?1, ?2)",
	[Q_FIRST_ID] = "SELECT coalesce(min(first_id), 0) FROM txn_ids WHERE seq > ?1 AND seq <= ?2",
	[Q_PRUNE] = "DELETE FROM touched WHERE seq <= ?1",
	[Q_PUT_FIND] = "SELECT i.id, i.created FROM indicators i WHERE " IND_KEY,
	[Q_PUT_INS] = "INSERT INTO indicators(id, vkey, value, type, source, org_id, tlp, confidence, "
		      "classification, first_seen, last_seen, valid_until, created, updated) "
		      "VALUES(?13, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
	[Q_SEQ_SET] = "UPDATE sqlite_sequence SET seq = ?1 WHERE name = 'indicators'",
	[Q_PUT_UPD] = "UPDATE indicators SET tlp = ?6, confidence = ?7, classification = ?8, "
		      "first_seen = min(first_seen, ?9), last_seen = max(last_seen, ?10), "
		      "valid_until = ?11, updated = ?12 WHERE id = ?13",
	[Q_GET] = "SELECT " IND_COLS IND_FROM "WHERE i.id = ?1",
	[Q_DEL] = "DELETE FROM indicators WHERE id = ?1",
	[Q_TOMB] = "INSERT INTO tombstones(id, seq) VALUES(?1, ?2)",
	[Q_FIND] = "SELECT " IND_COLS IND_FROM "WHERE i.vkey = ?3 AND i.value = ?1 AND i.type = ?2",
	[Q_COUNT] = "SELECT count(*) FROM indicators",
	[Q_ORG_ADD] = "INSERT INTO orgs(name, type, country, created) VALUES(?1, ?2, ?3, ?4)",
	[Q_ORG_GET] = "SELECT id, name, type, country, created, auth_policy FROM orgs WHERE id = ?1",
	[Q_ORG_FIND] = "SELECT id, name, type, country, created, auth_policy FROM orgs WHERE name = ?1",
	[Q_ORG_LIST] = "SELECT id, name, type, country, created, auth_policy FROM orgs ORDER BY id",
	[Q_ORG_POLICY] = "UPDATE orgs SET auth_policy = ?2 WHERE id = ?1",
	[Q_TOK_ADD] = "INSERT INTO tokens(hash, prefix, org_id, role, label, created) "
		      "VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
	[Q_TOK_REV_ID] = "UPDATE tokens SET revoked = ?2 WHERE id = ?1 AND revoked IS NULL",
	[Q_TOK_REV_PREFIX] = "UPDATE tokens SET revoked = ?2 WHERE prefix = ?1 AND revoked IS NULL",
	[Q_TOK_LAST] = "SELECT coalesce(max(id), 0) FROM tokens",
	[Q_SHARE_VER] = "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'share_version'",
	[Q_TOK_LIST] = "SELECT id, org_id, role, prefix, label, created, coalesce(revoked, 0), hash "
		       "FROM tokens WHERE ?1 OR revoked IS NULL ORDER BY id",
	[Q_SET_GET] = "SELECT value FROM meta WHERE key = 'setting.' || ?1",
	[Q_SET_SET] = "INSERT INTO meta(key, value) VALUES('setting.' || ?1, ?2) "
		      "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	/* rows inserted after since (ids from ?1 on), then rows updated after
	 * since that are older than those (?1 = 0 when nothing was inserted) */
	[Q_CHG_ROWS] = "SELECT id, type, value, source, org_id, tlp, confidence, classification, "
		       "coalesce(valid_until, 0), last_seen FROM indicators WHERE ?1 > 0 AND id >= ?1 "
		       "UNION ALL "
		       "SELECT id, type, value, source, org_id, tlp, confidence, classification, "
		       "coalesce(valid_until, 0), last_seen FROM indicators WHERE id IN "
		       "(SELECT id FROM touched WHERE seq > ?2 AND seq <= ?3) AND (?1 = 0 OR id < ?1)",
	/* everything (since = 0): a plain scan in id order */
	[Q_CHG_ALL] = "SELECT id, type, value, source, org_id, tlp, confidence, classification, "
		      "coalesce(valid_until, 0), last_seen FROM indicators",
	[Q_CHG_DELS] = "SELECT id FROM tombstones WHERE seq > ?1 AND seq <= ?2",
	[Q_TRUST_SET] = "INSERT INTO trust(kind, name, value, updated) VALUES(?1, ?2, ?3, ?4) "
			"ON CONFLICT(kind, name) DO UPDATE SET value = excluded.value, "
			"updated = excluded.updated",
	[Q_TRUST_DEL] = "DELETE FROM trust WHERE kind = ?1 AND name = ?2",
	[Q_TRUST_LIST] = "SELECT kind, name, value, updated FROM trust ORDER BY kind, name",
	[Q_TRUST_BUMP] = "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'trust_version'",
	[Q_TRUST_VER] = "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'trust_version'",
	/* every report grouped by value (the UNIQUE index's order: no sort) */
	[Q_SCAN] = "SELECT " IND_COLS IND_FROM "WHERE " SQ_VISIBLE("i.tlp", "i.org_id", SQ_NAMED_IND)
		   " AND (:type = '' OR i.type = :type) "
		   "ORDER BY i.value, i.type",
	[Q_CSR_ADD] = "INSERT INTO pki_requests(org_id, role, dn, csr, created) VALUES(?1, ?2, ?3, ?4, ?5)",
	[Q_CSR_GET] = "SELECT id, org_id, role, dn, csr, status, created, coalesce(decided, 0) "
		      "FROM pki_requests WHERE id = ?1",
	[Q_CSR_DECIDE] = "UPDATE pki_requests SET status = ?2, decided = ?3 WHERE id = ?1 AND status = 'pending'",
	[Q_CERT_ADD] = "INSERT INTO certs(serial, fingerprint, org_id, role, dn, not_before, not_after, "
		       "request_id, created, pem) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, nullif(?8, 0), ?9, ?10)",
	[Q_CERT_REVOKE] = "UPDATE certs SET revoked = ?2 WHERE (serial = ?1 OR fingerprint = ?1) AND revoked IS NULL",
	[Q_CERT_LIST] = "SELECT serial, fingerprint, org_id, role, dn, not_before, not_after, "
			"coalesce(request_id, 0), created, coalesce(revoked, 0), pem FROM certs ORDER BY created, serial",
	[Q_PKI_BUMP] = "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'pki_version'",
	[Q_AUD_LAST] = "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
	[Q_AUD_ADD] = "INSERT INTO audit(seq, ts, org_id, actor, addr, action, object, detail, prev, hash) "
		      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	/* the head (last seq and hash) kept apart: removing the newest entries shows */
	[Q_AUD_HEAD] = "UPDATE meta SET value = ?1 WHERE key = 'audit_head'",
	[Q_AUD_LIST] = "SELECT seq, ts, org_id, actor, addr, action, object, detail, prev, hash "
		       "FROM audit WHERE seq > ?1 ORDER BY seq",
	[Q_AUD_GETHEAD] = "SELECT value FROM meta WHERE key = 'audit_head'",
	[Q_RES_ADD] = "INSERT INTO constituency(org_id, type, value, abuse_contact, created) "
		      "VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(org_id, type, value) DO UPDATE SET "
		      "abuse_contact = excluded.abuse_contact",
	[Q_RES_LIST] = "SELECT c.id, c.org_id, c.type, c.value, c.abuse_contact, coalesce(o.name, '') "
		       "FROM constituency c LEFT JOIN orgs o ON o.id = c.org_id ORDER BY c.id",
	[Q_RES_BUMP] = "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'constituency_version'",
	[Q_RES_VER] = "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'constituency_version'",
};

typedef struct {
	store_t base;
	sqlite3 *db;
	sqlite3_stmt *stmt[Q_NSTMT];
	sqlite3_stmt *wstmt[SQ_WSTMT]; /* store_watch.c's */
	int in_txn;
	int wlock;         /* PATH-wlock: writers queue on it (see sq_begin), or -1 */
	int prio;          /* PATH-wprio: short writers hold it shared while they
			      wait or write; bulk loads test it (sq_writers_waiting) */
	int bulk;          /* a STORE_BULK connection: a bulk load, which yields */
	int lazy;          /* commits do not wait for the disk (store_set_durable) */
	int64_t txn_seq;
	int64_t txn_first; /* the first id this transaction's inserts get */
	int64_t next_id;   /* the id of its next new indicator */
} sq_t;

int64_t sq_now_us(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

void sq_text_col(char *dst, size_t size, sqlite3_stmt *q, int c)
{
	const unsigned char *v = sqlite3_column_text(q, c);
	snprintf(dst, size, "%s", v ? (const char *)v : "");
}

sqlite3 *sq_db(store_t *st)
{
	return ((sq_t *)st)->db;
}

sqlite3_stmt *sq_prepared(store_t *st, int slot, const char *text)
{
	sq_t *s = (sq_t *)st;
	if (!s->wstmt[slot] &&
	    sqlite3_prepare_v3(s->db, text, -1, SQLITE_PREPARE_PERSISTENT, &s->wstmt[slot], NULL)) {
		sq_error(st, "prepare");
		return NULL;
	}
	sqlite3_reset(s->wstmt[slot]);
	sqlite3_clear_bindings(s->wstmt[slot]);
	return s->wstmt[slot];
}

int sq_error(store_t *st, const char *what)
{
	sq_t *s = (sq_t *)st;
	int ext = sqlite3_extended_errcode(s->db);
	snprintf(s->base.err, sizeof s->base.err, "%s: %s", what, sqlite3_errmsg(s->db));
	return ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY ? STORE_EEXISTS
										       : STORE_ERR;
}

static const struct store_ops sq_ops;

static int sq_fail(sq_t *s, const char *what)
{
	snprintf(s->base.err, sizeof s->base.err, "%s: %s", what, sqlite3_errmsg(s->db));
	return STORE_ERR;
}

/* The cached statement q, reset and with bindings cleared. */
static sqlite3_stmt *stmt(sq_t *s, int q)
{
	if (!s->stmt[q] && !sql[q]) {
		snprintf(s->base.err, sizeof s->base.err, "statement %d has no SQL", q);
		return NULL;
	}
	if (!s->stmt[q] &&
	    sqlite3_prepare_v3(s->db, sql[q], -1, SQLITE_PREPARE_PERSISTENT, &s->stmt[q], NULL)) {
		sq_fail(s, "prepare");
		return NULL;
	}
	sqlite3_reset(s->stmt[q]);
	return s->stmt[q];
}

static int exec(sq_t *s, const char *q)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, q, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(s->base.err, sizeof s->base.err, "%s", msg ? msg : "error");
		sqlite3_free(msg);
		return STORE_ERR;
	}
	return STORE_OK;
}

static int user_version(sq_t *s)
{
	sqlite3_stmt *q;
	int v = -1;
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &q, NULL) == SQLITE_OK) {
		if (sqlite3_step(q) == SQLITE_ROW)
			v = sqlite3_column_int(q, 0);
		sqlite3_finalize(q);
	}
	return v;
}

static int migrate(sq_t *s)
{
	int v = user_version(s);
	if (v < 0)
		return sq_fail(s, "read schema version");
	if (v > NMIGRATIONS) {
		snprintf(s->base.err, sizeof s->base.err,
			 "schema version %d is newer than this c5hub (%d)", v, NMIGRATIONS);
		return STORE_ESCHEMA;
	}
	for (int from = v; v < NMIGRATIONS; v++) {
		char setv[64];
		/* on a terminal (the CLI's init), which step a long migration is at */
		util_progress_note("migrating the database: step %d of %d", v - from + 1, NMIGRATIONS - from);
		snprintf(setv, sizeof setv, "PRAGMA user_version = %d", v + 1);
		if (exec(s, "BEGIN IMMEDIATE") || exec(s, migrations[v]) || exec(s, setv) ||
		    exec(s, "COMMIT")) {
			char keep[256];
			snprintf(keep, sizeof keep, "migration %d: %s", v + 1, s->base.err);
			exec(s, "ROLLBACK");
			snprintf(s->base.err, sizeof s->base.err, "%s", keep);
			util_progress_end();
			return STORE_ERR;
		}
	}
	util_progress_end();
	return STORE_OK;
}

static int64_t vkey(const char *v)
{
	return (int64_t)store_vkey(v);
}

static void sql_vkey(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *v = argc == 1 ? sqlite3_value_text(argv[0]) : NULL;
	sqlite3_result_int64(ctx, vkey(v ? (const char *)v : ""));
}

/* Settings for the whole process, before SQLite's first use.  No global
 * allocation statistics (they take a mutex per malloc).  Pages are cached
 * in one region of address space that the kernel backs with 2 MiB pages
 * where it can: a bulk load fills tens of megabytes of fresh cache, and on
 * a virtual machine a fault per 4 KiB page costs a tenth of the load.
 * Reserved, not committed: memory is only used as pages are cached; pages
 * beyond the region come from malloc as usual. */
#define SQ_CACHE_SLOTS 2048
static pthread_once_t sq_once = PTHREAD_ONCE_INIT;
static int sq_no_region; /* the first open said STORE_SHORT */

static void sq_global_init(void)
{
	int hdr = 0;
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (sq_no_region)
		return;
	if (sqlite3_config(SQLITE_CONFIG_PCACHE_HDRSZ, &hdr) != SQLITE_OK || hdr <= 0)
		return;
	size_t slot = ((size_t)16384 + (size_t)hdr + 63) & ~(size_t)63;
	size_t len = slot * SQ_CACHE_SLOTS, huge = (size_t)2 << 20;
	len = (len + huge - 1) & ~(huge - 1);
	/* a 2 MiB-aligned region inside a larger reservation */
	char *map = mmap(NULL, len + huge, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (map == MAP_FAILED)
		return;
	char *buf = (char *)(((uintptr_t)map + huge - 1) & ~(uintptr_t)(huge - 1));
	(void)madvise(buf, len, MADV_HUGEPAGE); /* a hint: THP may be off */
	if (sqlite3_config(SQLITE_CONFIG_PAGECACHE, buf, (int)slot, (int)(len / slot)) != SQLITE_OK)
		munmap(map, len + huge);
}

/* Waiting for another writer: SQLite's own handler sleeps longer and
 * longer (up to 100 ms a try), so a short request queued behind a bulk load
 * that commits in slices would keep missing the gaps.  Try again every
 * half millisecond, for up to 10 s. */
static int busy_wait(void *arg, int tries)
{
	(void)arg;
	if (tries >= 20000)
		return 0;
	usleep(500);
	return 1;
}

int store_sqlite_open(const char *path, int flags, store_t **out, char *err, size_t errlen)
{
	int create = flags & STORE_CREATE;
	sq_t *s = calloc(1, sizeof *s);
	int rc = STORE_ERR;

	*out = NULL;
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return STORE_ERR;
	}
	s->base.ops = &sq_ops;
	s->wlock = s->prio = -1;
	s->bulk = !!(flags & STORE_BULK);
	if (!create && access(path, F_OK) != 0) {
		snprintf(err, errlen, "%s: no such database; create it with `c5hub init`", path);
		free(s);
		return STORE_ENOTFOUND;
	}
	if (flags & STORE_SHORT)
		sq_no_region = 1; /* read by sq_global_init, once, just below */
	pthread_once(&sq_once, sq_global_init);
	int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
	char lockpath[4096];
	snprintf(lockpath, sizeof lockpath, "%s-wlock", path);
	s->wlock = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	snprintf(lockpath, sizeof lockpath, "%s-wprio", path);
	s->prio = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (sqlite3_open_v2(path, &s->db, oflags, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, s->db ? sqlite3_errmsg(s->db) : "cannot open");
		goto fail;
	}
	sqlite3_busy_handler(s->db, busy_wait, NULL);
	if (sqlite3_create_function(s->db, "c5_vkey", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
				    NULL, sql_vkey, NULL, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(s->db));
		goto fail;
	}
	/* 16 KiB pages for new files: bulk loads write a third less and run
	 * faster than with 4 KiB; a no-op on an existing database */
	if ((create && exec(s, "PRAGMA page_size = 16384")) || exec(s, "PRAGMA journal_mode = WAL") || exec(s, "PRAGMA synchronous = FULL") ||
	    exec(s, "PRAGMA foreign_keys = ON") || exec(s, flags & STORE_BULK ? "PRAGMA cache_size = -32768"
						 : "PRAGMA cache_size = -16384") ||
	    exec(s, "PRAGMA temp_store = MEMORY") ||
	    /* reads straight from the OS's page cache, shared by every
	     * connection of the pool (each also keeps its own page cache); a
	     * smaller window where address space is scarce */
	    exec(s, flags & STORE_NOMAP ? "PRAGMA mmap_size = 0"
		    : sizeof(void *) == 8 ? "PRAGMA mmap_size = 1073741824" : "PRAGMA mmap_size = 67108864")) {
		snprintf(err, errlen, "%s: %s", path, s->base.err);
		goto fail;
	}
	if (flags & STORE_DEFER_CKPT) {
		sqlite3_wal_autocheckpoint(s->db, 0);
		sqlite3_db_config(s->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
	}
	if (create) {
		rc = migrate(s);
		if (rc) {
			snprintf(err, errlen, "%s: %s", path, s->base.err);
			goto fail;
		}
	} else if (user_version(s) != NMIGRATIONS) {
		snprintf(err, errlen, "%s: schema version %d, this c5hub needs %d; run `c5hub init`",
			 path, user_version(s), NMIGRATIONS);
		rc = STORE_ESCHEMA;
		goto fail;
	}
	*out = &s->base;
	return STORE_OK;
fail:
	sqlite3_close(s->db);
	free(s);
	return rc ? rc : STORE_ERR;
}

static void sq_close(store_t *st)
{
	sq_t *s = (sq_t *)st;
	for (int i = 0; i < Q_NSTMT; i++)
		sqlite3_finalize(s->stmt[i]);
	for (int i = 0; i < SQ_WSTMT; i++)
		sqlite3_finalize(s->wstmt[i]);
	sqlite3_close(s->db);
	if (s->wlock >= 0)
		close(s->wlock);
	if (s->prio >= 0)
		close(s->prio);
	free(s);
}

static int sq_schema_version(store_t *st)
{
	return user_version((sq_t *)st);
}

/* ---- transactions ---- */

/* Queue for the write lock: short writers first mark themselves waiting
 * (PATH-wprio, shared), then everyone takes PATH-wlock. */
static void lock_writers(sq_t *s)
{
	if (s->prio >= 0 && !s->bulk)
		while (flock(s->prio, LOCK_SH) && errno == EINTR)
			;
	if (s->wlock >= 0)
		while (flock(s->wlock, LOCK_EX) && errno == EINTR)
			;
}

static void unlock_writers(sq_t *s)
{
	if (s->wlock >= 0)
		flock(s->wlock, LOCK_UN);
	if (s->prio >= 0 && !s->bulk)
		flock(s->prio, LOCK_UN);
}

/* Does a short writer wait for this bulk load's transaction? */
static int sq_writers_waiting(store_t *st)
{
	sq_t *s = (sq_t *)st;
	if (s->prio < 0 || !s->bulk)
		return 0;
	if (flock(s->prio, LOCK_EX | LOCK_NB))
		return errno == EWOULDBLOCK;
	flock(s->prio, LOCK_UN);
	return 0;
}

static int sq_set_durable(store_t *st, int durable)
{
	sq_t *s = (sq_t *)st;
	if (s->in_txn)
		return STORE_EINVAL;
	s->lazy = !durable;
	return exec(s, durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
}

/* After a commit that did not wait for the disk: have the OS start
 * writing the log out now, so that the durable commit at the end of a
 * bulk load finds little left to wait for (else the whole load's log
 * would be written then: half a second for a million feed records). */
static void start_writeback(sq_t *s)
{
	const char *wal = sqlite3_filename_wal(sqlite3_db_filename(s->db, "main"));
	int fd = wal ? open(wal, O_RDONLY | O_CLOEXEC) : -1;
	if (fd < 0)
		return;
	(void)sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE); /* a hint */
	close(fd);
}

/* Outside a transaction: wait until no short writer waits or writes. */
static void sq_let_writers_in(store_t *st)
{
	sq_t *s = (sq_t *)st;
	if (s->prio < 0 || !s->bulk)
		return;
	while (flock(s->prio, LOCK_EX) && errno == EINTR)
		;
	flock(s->prio, LOCK_UN);
}

static int sq_begin(store_t *st)
{
	sq_t *s = (sq_t *)st;
	sqlite3_stmt *q;
	if (s->in_txn) {
		snprintf(st->err, sizeof st->err, "transaction already open");
		return STORE_EINVAL;
	}
	/* Writers queue on a lock file before SQLite's own write lock: a
	 * blocked flock() wakes as soon as the holder lets go, where SQLite's
	 * busy handler only polls, and a bulk load committing in slices would
	 * win most of the races.  The lock goes with the process if it dies. */
	lock_writers(s);
	if (exec(s, "BEGIN IMMEDIATE")) {
		unlock_writers(s);
		return STORE_ERR;
	}
	if (!(q = stmt(s, Q_SEQ_BUMP)) || sqlite3_step(q) != SQLITE_ROW) {
		sq_fail(s, "sequence");
		exec(s, "ROLLBACK");
		unlock_writers(s);
		return STORE_ERR;
	}
	s->txn_seq = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	if (!(q = stmt(s, Q_TXN_IDS))) {
		exec(s, "ROLLBACK");
		unlock_writers(s);
		return STORE_ERR;
	}
	sqlite3_bind_int64(q, 1, s->txn_seq);
	if (sqlite3_step(q) != SQLITE_ROW) {
		sq_fail(s, "sequence");
		exec(s, "ROLLBACK");
		unlock_writers(s);
		return STORE_ERR;
	}
	s->txn_first = s->next_id = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	s->in_txn = 1;
	return STORE_OK;
}

static int sq_commit(store_t *st)
{
	sq_t *s = (sq_t *)st;
	sqlite3_stmt *q;
	if (!s->in_txn)
		return STORE_EINVAL;
	/* the indicators' id high-water mark, once per transaction */
	int rc = SQLITE_DONE;
	if (s->next_id > s->txn_first) {
		if (!(q = stmt(s, Q_SEQ_SET)))
			rc = SQLITE_ERROR;
		else {
			sqlite3_bind_int64(q, 1, s->next_id - 1);
			rc = sqlite3_step(q);
			sqlite3_reset(q);
			if (rc != SQLITE_DONE)
				sq_fail(s, "id high-water mark");
		}
	}
	if (rc != SQLITE_DONE || exec(s, "COMMIT")) {
		char keep[256];
		snprintf(keep, sizeof keep, "commit: %s", st->err);
		exec(s, "ROLLBACK");
		s->in_txn = 0;
		unlock_writers(s);
		snprintf(st->err, sizeof st->err, "%s", keep);
		return STORE_ERR;
	}
	s->in_txn = 0;
	unlock_writers(s);
	if (s->lazy)
		start_writeback(s);
	return STORE_OK;
}

static int sq_read_begin(store_t *st)
{
	sq_t *s = (sq_t *)st;
	if (s->in_txn || !sqlite3_get_autocommit(s->db)) {
		snprintf(st->err, sizeof st->err, "a transaction is already open");
		return STORE_EINVAL;
	}
	return exec(s, "BEGIN DEFERRED");
}

static void sq_read_end(store_t *st)
{
	sq_t *s = (sq_t *)st;
	if (!s->in_txn && !sqlite3_get_autocommit(s->db))
		exec(s, "ROLLBACK");
}

static void sq_rollback(store_t *st)
{
	sq_t *s = (sq_t *)st;
	if (s->in_txn) {
		exec(s, "ROLLBACK");
		unlock_writers(s);
	}
	s->in_txn = 0;
}

/* ---- indicators ---- */

static void bind_text(sqlite3_stmt *q, int i, const char *v)
{
	sqlite3_bind_text(q, i, v, -1, SQLITE_STATIC);
}

/* Bind the key of an indicator: ?1 vkey, ?2 value, ?3 type, ?4 source, ?5 org. */
static void bind_key(sqlite3_stmt *q, const indicator_t *ind)
{
	sqlite3_bind_int64(q, 1, vkey(ind->value));
	sqlite3_bind_text(q, 2, ind->value, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, obs_type_name(ind->type), -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, ind->source, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 5, ind->org_id);
}

/* Bind the rest: ?6 tlp ... ?12 now. */
static void bind_vals(sqlite3_stmt *q, const indicator_t *ind, int64_t now)
{
	sqlite3_bind_int(q, 6, (int)ind->tlp);
	sqlite3_bind_int(q, 7, ind->confidence);
	sqlite3_bind_text(q, 8, ind->classification, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 9, ind->first_seen ? ind->first_seen : now);
	sqlite3_bind_int64(q, 10, ind->last_seen ? ind->last_seen : now);
	if (ind->valid_until)
		sqlite3_bind_int64(q, 11, ind->valid_until);
	else
		sqlite3_bind_null(q, 11);
	sqlite3_bind_int64(q, 12, now);
}

/* Insert or update by key.  An update of a row older than this
 * transaction is logged in touched for the change feed; a new row needs
 * no log (its id is past the transaction's first id). */
static int sq_put_indicator(store_t *st, indicator_t *ind)
{
	sq_t *s = (sq_t *)st;
	sqlite3_stmt *q;
	if (!s->in_txn) {
		snprintf(st->err, sizeof st->err, "put outside a transaction");
		return STORE_EINVAL;
	}
	int64_t now = (int64_t)time(NULL);
	if (!(q = stmt(s, Q_PUT_FIND)))
		return STORE_ERR;
	bind_key(q, ind);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(q);
		if (!(q = stmt(s, Q_PUT_INS)))
			return STORE_ERR;
		bind_key(q, ind);
		bind_vals(q, ind, now);
		sqlite3_bind_int64(q, 13, s->next_id);
		if (sqlite3_step(q) != SQLITE_DONE)
			return sq_fail(s, "put indicator");
		sqlite3_reset(q);
		ind->id = s->next_id++;
		ind->created = ind->updated = now;
		return STORE_OK;
	}
	if (rc != SQLITE_ROW)
		return sq_fail(s, "put indicator");
	ind->id = sqlite3_column_int64(q, 0);
	ind->created = sqlite3_column_int64(q, 1);
	ind->updated = now;
	sqlite3_reset(q);
	if (!(q = stmt(s, Q_PUT_UPD)))
		return STORE_ERR;
	bind_vals(q, ind, now);
	sqlite3_bind_int64(q, 13, ind->id);
	if (sqlite3_step(q) != SQLITE_DONE)
		return sq_fail(s, "put indicator");
	sqlite3_reset(q);
	if (ind->id >= s->txn_first)
		return STORE_OK;
	if (!(q = stmt(s, Q_TOUCH_ID)))
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, ind->id);
	sqlite3_bind_int64(q, 2, s->txn_seq);
	return sqlite3_step(q) == SQLITE_DONE ? STORE_OK : sq_fail(s, "log update");
}

static void read_ind(sqlite3_stmt *q, int c, indicator_t *o)
{
	memset(o, 0, offsetof(indicator_t, value));
	o->id = sqlite3_column_int64(q, c + 0);
	o->type = obs_type_from_name((const char *)sqlite3_column_text(q, c + 1));
	snprintf(o->value, sizeof o->value, "%s", (const char *)sqlite3_column_text(q, c + 2));
	snprintf(o->source, sizeof o->source, "%s", (const char *)sqlite3_column_text(q, c + 3));
	o->org_id = sqlite3_column_int64(q, c + 4);
	o->tlp = (tlp_t)sqlite3_column_int(q, c + 5);
	o->confidence = sqlite3_column_int(q, c + 6);
	snprintf(o->classification, sizeof o->classification, "%s",
		 (const char *)sqlite3_column_text(q, c + 7));
	o->first_seen = sqlite3_column_int64(q, c + 8);
	o->last_seen = sqlite3_column_int64(q, c + 9);
	o->valid_until = sqlite3_column_int64(q, c + 10);
	o->created = sqlite3_column_int64(q, c + 11);
	o->updated = sqlite3_column_int64(q, c + 12);
	snprintf(o->org_name, sizeof o->org_name, "%s", (const char *)sqlite3_column_text(q, c + 13));
}

static int sq_get_indicator(store_t *st, int64_t id, indicator_t *out)
{
	sq_t *s = (sq_t *)st;
	sqlite3_stmt *q = stmt(s, Q_GET);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_DONE) {
		snprintf(st->err, sizeof st->err, "no indicator %lld", (long long)id);
		return STORE_ENOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return sq_fail(s, "get indicator");
	read_ind(q, 0, out);
	sqlite3_reset(q);
	return STORE_OK;
}

static int sq_delete_indicator(store_t *st, int64_t id)
{
	sq_t *s = (sq_t *)st;
	sqlite3_stmt *q;
	if (!s->in_txn)
		return STORE_EINVAL;
	if (!(q = stmt(s, Q_DEL)))
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, id);
	if (sqlite3_step(q) != SQLITE_DONE)
		return sq_fail(s, "delete indicator");
	if (sqlite3_changes(s->db) == 0) {
		snprintf(st->err, sizeof st->err, "no indicator %lld", (long long)id);
		return STORE_ENOTFOUND;
	}
	if (!(q = stmt(s, Q_TOMB)))
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int64(q, 2, s->txn_seq);
	if (sqlite3_step(q) != SQLITE_DONE)
		return sq_fail(s, "tombstone");
	return STORE_OK;
}

/* Run a built query (bindings already made) and call cb per indicator row. */
static int each_ind(sq_t *s, sqlite3_stmt *q, store_ind_cb cb, void *arg)
{
	indicator_t *ind = malloc(sizeof *ind);
	int rc;
	if (!ind)
		return STORE_ERR;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		read_ind(q, 0, ind);
		if (cb(arg, ind))
			break;
	}
	free(ind);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sq_fail(s, "read indicators");
	sqlite3_reset(q);
	return STORE_OK;
}

void sq_bind_view(sqlite3_stmt *q, const tlp_view_t *v)
{
	int k;
	if ((k = sqlite3_bind_parameter_index(q, ":vmax")))
		sqlite3_bind_int(q, k, (int)v->max_tlp);
	if ((k = sqlite3_bind_parameter_index(q, ":vorg")))
		sqlite3_bind_int64(q, k, v->org);
	if ((k = sqlite3_bind_parameter_index(q, ":vall")))
		sqlite3_bind_int(q, k, !!v->all);
	if ((k = sqlite3_bind_parameter_index(q, ":vpeer")))
		sqlite3_bind_int(q, k, !!v->peer);
}

/* Named parameters only in statements with SQ_VISIBLE (a numbered one could
 * share a named one's slot). */
#define PIX(p, name) sqlite3_bind_parameter_index(p, name)

static int sq_list_indicators(store_t *st, const store_filter_t *f, store_ind_cb cb, void *arg)
{
	sq_t *s = (sq_t *)st;
	char q[1536];
	size_t n = (size_t)snprintf(q, sizeof q, "SELECT " IND_COLS IND_FROM "WHERE i.id > :after AND "
				    SQ_VISIBLE("i.tlp", "i.org_id", SQ_NAMED_IND));
#define ADD(cond) n += (size_t)snprintf(q + n, sizeof q - n, " AND %s", cond)
	if (f->type != OBS_NONE) ADD("i.type = :type");
	if (f->value) ADD("i.vkey = :vkey AND i.value = :value");
	if (f->source) ADD("i.source = :source");
	if (f->org_id) ADD("i.org_id = :org");
	if (f->classification)
		ADD(strchr(f->classification, '/') ? "i.classification = :cls"
						   : "i.classification LIKE :cls || '/%'");
	if (f->updated_since) ADD("i.updated >= :since");
	if (f->tlp_max >= 0) ADD("i.tlp <= :tlpmax");
	if (f->native) ADD("i.id NOT IN (SELECT ind_id FROM stix_made)");
#undef ADD
	snprintf(q + n, sizeof q - n, " ORDER BY i.id LIMIT :limit");
	sqlite3_stmt *p;
	if (sqlite3_prepare_v2(s->db, q, -1, &p, NULL) != SQLITE_OK)
		return sq_fail(s, "list indicators");
	sqlite3_bind_int64(p, PIX(p, ":after"), f->after_id);
	sq_bind_view(p, &f->view);
	if (f->type != OBS_NONE) bind_text(p, PIX(p, ":type"), obs_type_name(f->type));
	if (f->value) {
		bind_text(p, PIX(p, ":value"), f->value);
		sqlite3_bind_int64(p, PIX(p, ":vkey"), vkey(f->value));
	}
	if (f->source) bind_text(p, PIX(p, ":source"), f->source);
	if (f->org_id) sqlite3_bind_int64(p, PIX(p, ":org"), f->org_id);
	if (f->classification) bind_text(p, PIX(p, ":cls"), f->classification);
	if (f->updated_since) sqlite3_bind_int64(p, PIX(p, ":since"), f->updated_since);
	if (f->tlp_max >= 0) sqlite3_bind_int(p, PIX(p, ":tlpmax"), f->tlp_max);
	sqlite3_bind_int(p, PIX(p, ":limit"), f->limit > 0 && f->limit <= 1000 ? f->limit : 100);
	int rc = each_ind(s, p, cb, arg);
	sqlite3_finalize(p);
	return rc;
}

static int sq_find_values(store_t *st, const obs_type_t *types, const char *const *values,
			  size_t n, store_ind_cb cb, void *arg)
{
	sq_t *s = (sq_t *)st;
	for (size_t i = 0; i < n; i++) {
		sqlite3_stmt *q = stmt(s, Q_FIND);
		if (!q)
			return STORE_ERR;
		bind_text(q, 1, values[i]);
		bind_text(q, 2, obs_type_name(types[i]));
		sqlite3_bind_int64(q, 3, vkey(values[i]));
		int rc = each_ind(s, q, cb, arg);
		if (rc)
			return rc;
	}
	return STORE_OK;
}

static int one_int(sq_t *s, int which, int64_t *out)
{
	sqlite3_stmt *q = stmt(s, which);
	if (!q || sqlite3_step(q) != SQLITE_ROW)
		return sq_fail(s, "query");
	*out = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	return STORE_OK;
}

static int sq_count_named(store_t *st, const tlp_view_t *v, store_count_cb cb, void *arg)
{
	sq_t *s = (sq_t *)st;
	sqlite3_stmt *q;
	int rc;
	if (v->org == 0)
		return STORE_OK; /* nobody names an organisation-less viewer */
	if (!(q = stmt(s, Q_COUNT_NAMED)))
		return STORE_ERR;
	sq_bind_view(q, v);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		obs_type_t t = obs_type_from_name((const char *)sqlite3_column_text(q, 0));
		if (cb(arg, t, (tlp_t)sqlite3_column_int(q, 1), sqlite3_column_int64(q, 2)))
			break;
	}
	sqlite3_reset(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sq_fail(s, "count indicators");
}

static int sq_event_days(store_t *st, int64_t org_id, int64_t since, store_day_cb cb, void *arg)
{
	sq_t *s = (sq_t *)st;
	sqlite3_stmt *q = stmt(s, org_id ? Q_DAYS_ORG : Q_DAYS_ALL);
	int rc;
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, since);
	if (org_id)
		sqlite3_bind_int64(q, 2, org_id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if (cb(arg, sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1)))
			break;
	sqlite3_reset(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sq_fail(s, "events per day");
}

static int sq_count_indicators(store_t *st, int64_t *out)
{
	return one_int((sq_t *)st, Q_COUNT, out);
}

static int sq_seq(store_t *st, int64_t *out)
{
	return one_int((sq_t *)st, Q_SEQ_GET, out);
}

static int sq_forget(store_t *st, int64_t upto)
{
	sq_t *s = (sq_t *)st;
	sqlite3_stmt *q = stmt(s, Q_PRUNE);
	int rc = STORE_OK;
	if (!q)
		return STORE_ERR;
	/* a write of its own: queued like any other, and begun as a write (an
	 * autocommit DELETE begins as a read, and a read that went stale while
	 * it waited cannot become a write) */
	lock_writers(s);
	if (exec(s, "BEGIN IMMEDIATE")) {
		unlock_writers(s);
		return STORE_ERR;
	}
	sqlite3_bind_int64(q, 1, upto);
	if (sqlite3_step(q) != SQLITE_DONE)
		rc = sq_fail(s, "prune change log");
	sqlite3_reset(q);
	/* where the log now starts, for whoever would catch up from an older
	 * sequence (an index image): the setting index_log_from */
	char v[32];
	snprintf(v, sizeof v, "%lld", (long long)upto);
	if (rc == STORE_OK && (q = stmt(s, Q_SET_SET))) {
		bind_text(q, 1, "index_log_from");
		bind_text(q, 2, v);
		if (sqlite3_step(q) != SQLITE_DONE)
			rc = sq_fail(s, "record change log start");
		sqlite3_reset(q);
	} else if (rc == STORE_OK) {
		rc = STORE_ERR;
	}
	if (rc || exec(s, "COMMIT")) {
		exec(s, "ROLLBACK");
		rc = STORE_ERR;
	}
	unlock_writers(s);
	return rc;
}

static int sq_checkpoint(store_t *st)
{
	sq_t *s = (sq_t *)st;
	int rc = sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	return rc == SQLITE_OK || rc == SQLITE_BUSY ? STORE_OK : sq_fail(s, "checkpoint");
}

static int sq_changes(store_t *st, int64_t since, store_row_cb rows, store_del_cb dels,
		      void *arg, int64_t *upto)
{
	sq_t *s = (sq_t *)st;
	sqlite3_stmt *q;
	int rc = STORE_ERR, step;

	if (exec(s, "BEGIN"))
		return STORE_ERR;
	if (one_int(s, Q_SEQ_GET, upto))
		goto out;
	if (!(q = stmt(s, Q_CHG_DELS)))
		goto out;
	sqlite3_bind_int64(q, 1, since);
	sqlite3_bind_int64(q, 2, *upto);
	while ((step = sqlite3_step(q)) == SQLITE_ROW)
		if (dels && dels(arg, sqlite3_column_int64(q, 0)))
			goto out;
	if (step != SQLITE_DONE && sq_fail(s, "tombstones"))
		goto out;
	int64_t first = 0;
	if (since) {
		if (!(q = stmt(s, Q_FIRST_ID)))
			goto out;
		sqlite3_bind_int64(q, 1, since);
		sqlite3_bind_int64(q, 2, *upto);
		if (sqlite3_step(q) != SQLITE_ROW && sq_fail(s, "changes"))
			goto out;
		first = sqlite3_column_int64(q, 0);
		sqlite3_reset(q);
	}
	if (!(q = stmt(s, since ? Q_CHG_ROWS : Q_CHG_ALL)))
		goto out;
	if (since) {
		sqlite3_bind_int64(q, 1, first);
		sqlite3_bind_int64(q, 2, since);
		sqlite3_bind_int64(q, 3, *upto);
	}
	char last_type[32] = "";
	obs_type_t type = OBS_NONE;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		const char *tn = (const char *)sqlite3_column_text(q, 1);
		if (strcmp(tn, last_type) != 0) { /* rows mostly repeat the type */
			type = obs_type_from_name(tn);
			snprintf(last_type, sizeof last_type, "%s", tn);
		}
		store_row_t r = {
			.id = sqlite3_column_int64(q, 0),
			.type = type,
			.value = (const char *)sqlite3_column_text(q, 2),
			.source = (const char *)sqlite3_column_text(q, 3),
			.org_id = sqlite3_column_int64(q, 4),
			.tlp = (tlp_t)sqlite3_column_int(q, 5),
			.confidence = sqlite3_column_int(q, 6),
			.classification = (const char *)sqlite3_column_text(q, 7),
			.valid_until = sqlite3_column_int64(q, 8),
			.last_seen = sqlite3_column_int64(q, 9),
		};
		if (rows && rows(arg, &r))
			goto out;
	}
	if (step != SQLITE_DONE && sq_fail(s, "changes"))
		goto out;
	rc = STORE_OK;
out:
	if (s->stmt[Q_CHG_ROWS])
		sqlite3_reset(s->stmt[Q_CHG_ROWS]);
	if (s->stmt[Q_CHG_ALL])
		sqlite3_reset(s->stmt[Q_CHG_ALL]);
	if (s->stmt[Q_CHG_DELS])
		sqlite3_reset(s->stmt[Q_CHG_DELS]);
	exec(s, "COMMIT");
	return rc;
}

/* ---- organisations ---- */

static int sq_org_add(store_t *st, org_t *org)
{
	sq_t *s = (sq_t *)st;
	sqlite3_stmt *q = stmt(s, Q_ORG_ADD);
	if (!q)
		return STORE_ERR;
	org->created = (int64_t)time(NULL);
	bind_text(q, 1, org->name);
	bind_text(q, 2, org->type);
	bind_text(q, 3, org->country);
	sqlite3_bind_int64(q, 4, org->created);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_CONSTRAINT) {
		snprintf(st->err, sizeof st->err, "organisation '%s' already exists", org->name);
		sqlite3_reset(q);
		return STORE_EEXISTS;
	}
	if (rc != SQLITE_DONE)
		return sq_fail(s, "add organisation");
	org->id = sqlite3_last_insert_rowid(s->db);
	return STORE_OK;
}

static void read_org(sqlite3_stmt *q, org_t *o)
{
	o->id = sqlite3_column_int64(q, 0);
	snprintf(o->name, sizeof o->name, "%s", (const char *)sqlite3_column_text(q, 1));
	snprintf(o->type, sizeof o->type, "%s", (const char *)sqlite3_column_text(q, 2));
	snprintf(o->country, sizeof o->country, "%s", (const char *)sqlite3_column_text(q, 3));
	o->created = sqlite3_column_int64(q, 4);
	snprintf(o->auth_policy, sizeof o->auth_policy, "%s", (const char *)sqlite3_column_text(q, 5));
}

static int sq_org_set_policy(store_t *st, int64_t id, const char *policy)
{
	sq_t *s = (sq_t *)st;
	sqlite3_stmt *q = stmt(s, Q_ORG_POLICY);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, id);
	bind_text(q, 2, policy);
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return sq_fail(s, "organisation policy");
	return sqlite3_changes(s->db) ? STORE_OK : STORE_ENOTFOUND;
}

static int org_one(sq_t *s, sqlite3_stmt *q, org_t *out, const char *what)
{
	int rc = sqlite3_step(q);
	if (rc == SQLITE_DONE) {
		snprintf(s->base.err, sizeof s->base.err, "no organisation %s", what);
		return STORE_ENOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return sq_fail(s, "organisation");
	read_org(q, out);
	sqlite3_reset(q);
	return STORE_OK;
}

static int sq_org_get(store_t *st, int64_t id, org_t *out)
{
	sqlite3_stmt *q = stmt((sq_t *)st, Q_ORG_GET);
	char what[32];
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, id);
	snprintf(what, sizeof what, "%lld", (long long)id);
	return org_one((sq_t *)st, q, out, what);
}

static int sq_org_find(store_t *st, const char *name, org_t *out)
{
	sqlite3_stmt *q = stmt((sq_t *)st, Q_ORG_FIND);
	char what[MODEL_NAME_MAX + 8];
	if (!q)
		return STORE_ERR;
	bind_text(q, 1, name);
	snprintf(what, sizeof what, "'%s'", name);
	return org_one((sq_t *)st, q, out, what);
}

static int sq_org_list(store_t *st, store_org_cb cb, void *arg)
{
	sq_t *s = (sq_t *)st;
	sqlite3_stmt *q = stmt(s, Q_ORG_LIST);
	org_t o;
	int rc;
	if (!q)
		return STORE_ERR;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		read_org(q, &o);
		if (cb(arg, &o))
			break;
	}
	sqlite3_reset(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sq_fail(s, "list organisations");
}

/* ---- tokens ---- */

static int sq_token_add(store_t *st, store_token_t *t)
{
	sq_t *s = (sq_t *)st;
	sqlite3_stmt *q = stmt(s, Q_TOK_ADD);
	if (!q)
		return STORE_ERR;
	t->created = (int64_t)time(NULL);
	sqlite3_bind_blob(q, 1, t->hash, sizeof t->hash, SQLITE_STATIC);
	bind_text(q, 2, t->prefix);
	sqlite3_bind_int64(q, 3, t->org_id);
	bind_text(q, 4, role_name(t->role));
	bind_text(q, 5, t->label);
	sqlite3_bind_int64(q, 6, t->created);
	if (sqlite3_step(q) != SQLITE_DONE)
		return sq_fail(s, "add token");
	t->id = sqlite3_last_insert_rowid(s->db);
	return STORE_OK;
}

static int sq_token_revoke(store_t *st, int64_t id, const char *prefix)
{
	sq_t *s = (sq_t *)st;
	sqlite3_stmt *q = stmt(s, prefix ? Q_TOK_REV_PREFIX : Q_TOK_REV_ID);
	if (!q)
		return STORE_ERR;
	if (prefix)
		bind_text(q, 1, prefix);
	else
		sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int64(q, 2, (int64_t)time(NULL));
	if (sqlite3_step(q) != SQLITE_DONE)
		return sq_fail(s, "revoke token");
	if (sqlite3_changes(s->db) == 0) {
		snprintf(st->err, sizeof st->err, "no active token %s", prefix ? prefix : "with that id");
		return STORE_ENOTFOUND;
	}
	return STORE_OK;
}

static int sq_token_last(store_t *st, int64_t *id)
{
	return one_int((sq_t *)st, Q_TOK_LAST, id);
}

static int sq_share_version(store_t *st, int64_t *out)
{
	return one_int((sq_t *)st, Q_SHARE_VER, out);
}

static int sq_token_list(store_t *st, int include_revoked, store_token_cb cb, void *arg)
{
	sq_t *s = (sq_t *)st;
	sqlite3_stmt *q = stmt(s, Q_TOK_LIST);
	store_token_t t;
	int rc;
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int(q, 1, include_revoked);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		memset(&t, 0, sizeof t);
		t.id = sqlite3_column_int64(q, 0);
		t.org_id = sqlite3_column_int64(q, 1);
		if (role_parse((const char *)sqlite3_column_text(q, 2), &t.role))
			continue;
		snprintf(t.prefix, sizeof t.prefix, "%s", (const char *)sqlite3_column_text(q, 3));
		snprintf(t.label, sizeof t.label, "%s", (const char *)sqlite3_column_text(q, 4));
		t.created = sqlite3_column_int64(q, 5);
		t.revoked = sqlite3_column_int64(q, 6);
		if (sqlite3_column_bytes(q, 7) == (int)sizeof t.hash)
			memcpy(t.hash, sqlite3_column_blob(q, 7), sizeof t.hash);
		if (cb(arg, &t))
			break;
	}
	sqlite3_reset(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sq_fail(s, "list tokens");
}

/* ---- settings ---- */

static int sq_setting_get(store_t *st, const char *key, char *out, size_t outlen)
{
	sq_t *s = (sq_t *)st;
	sqlite3_stmt *q = stmt(s, Q_SET_GET);
	if (!q)
		return STORE_ERR;
	bind_text(q, 1, key);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_DONE)
		return STORE_ENOTFOUND;
	if (rc != SQLITE_ROW)
		return sq_fail(s, "setting");
	snprintf(out, outlen, "%s", (const char *)sqlite3_column_text(q, 0));
	sqlite3_reset(q);
	return STORE_OK;
}

static int sq_setting_set(store_t *st, const char *key, const char *value)
{
	sq_t *s = (sq_t *)st;
	sqlite3_stmt *q = stmt(s, Q_SET_SET);
	if (!q)
		return STORE_ERR;
	bind_text(q, 1, key);
	bind_text(q, 2, value);
	if (sqlite3_step(q) != SQLITE_DONE)
		return sq_fail(s, "set setting");
	return STORE_OK;
}

/* ---- trust ---- */

static int sq_trust_set(store_t *st, const char *kind, const char *name, int value)
{
	sq_t *s = (sq_t *)st;
	sqlite3_stmt *q = stmt(s, value < 0 ? Q_TRUST_DEL : Q_TRUST_SET), *b;
	if (!q)
		return STORE_ERR;
	bind_text(q, 1, kind);
	bind_text(q, 2, name);
	if (value >= 0) {
		sqlite3_bind_int(q, 3, value);
		sqlite3_bind_int64(q, 4, (int64_t)time(NULL));
	}
	if (sqlite3_step(q) != SQLITE_DONE)
		return sq_fail(s, "set trust");
	sqlite3_reset(q);
	if (value < 0 && sqlite3_changes(s->db) == 0) {
		snprintf(s->base.err, sizeof s->base.err, "no trust set for %s %s", kind, name);
		return STORE_ENOTFOUND;
	}
	if (!(b = stmt(s, Q_TRUST_BUMP)) || sqlite3_step(b) != SQLITE_DONE)
		return sq_fail(s, "set trust");
	sqlite3_reset(b);
	return STORE_OK;
}

static int sq_trust_list(store_t *st, store_trust_cb cb, void *arg)
{
	sq_t *s = (sq_t *)st;
	sqlite3_stmt *q = stmt(s, Q_TRUST_LIST);
	int rc;
	if (!q)
		return STORE_ERR;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		store_trust_t t = {.value = sqlite3_column_int(q, 2), .updated = sqlite3_column_int64(q, 3)};
		snprintf(t.kind, sizeof t.kind, "%s", (const char *)sqlite3_column_text(q, 0));
		snprintf(t.name, sizeof t.name, "%s", (const char *)sqlite3_column_text(q, 1));
		if (cb(arg, &t))
			break;
	}
	sqlite3_reset(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sq_fail(s, "list trust");
}

static int sq_trust_version(store_t *st, int64_t *out)
{
	return one_int((sq_t *)st, Q_TRUST_VER, out);
}

static int sq_scan_values(store_t *st, const tlp_view_t *v, obs_type_t type, store_ind_cb cb, void *arg)
{
	sq_t *s = (sq_t *)st;
	sqlite3_stmt *q = stmt(s, Q_SCAN);
	if (!q)
		return STORE_ERR;
	sq_bind_view(q, v);
	bind_text(q, PIX(q, ":type"), type == OBS_NONE ? "" : obs_type_name(type));
	return each_ind(s, q, cb, arg);
}

/* ---- X.509 enrolment ---- */

static int sq_csr_add(store_t *st, store_csr_t *r)
{
	sq_t *s = (sq_t *)st;
	sqlite3_stmt *q = stmt(s, Q_CSR_ADD);
	if (!q)
		return STORE_ERR;
	r->created = (int64_t)time(NULL);
	sqlite3_bind_int64(q, 1, r->org_id);
	bind_text(q, 2, r->role);
	bind_text(q, 3, r->dn);
	bind_text(q, 4, r->csr);
	sqlite3_bind_int64(q, 5, r->created);
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return sq_fail(s, "add request");
	r->id = sqlite3_last_insert_rowid(s->db);
	snprintf(r->status, sizeof r->status, "pending");
	return STORE_OK;
}

static void csr_row(sqlite3_stmt *q, store_csr_t *r)
{
	r->id = sqlite3_column_int64(q, 0);
	r->org_id = sqlite3_column_int64(q, 1);
	snprintf(r->role, sizeof r->role, "%s", (const char *)sqlite3_column_text(q, 2));
	snprintf(r->dn, sizeof r->dn, "%s", (const char *)sqlite3_column_text(q, 3));
	snprintf(r->csr, sizeof r->csr, "%s", (const char *)sqlite3_column_text(q, 4));
	snprintf(r->status, sizeof r->status, "%s", (const char *)sqlite3_column_text(q, 5));
	r->created = sqlite3_column_int64(q, 6);
	r->decided = sqlite3_column_int64(q, 7);
}

/* A statement made per call: listing requests is rare (an operator's). */
static int sq_csr_list(store_t *st, int64_t org, const char *status, store_csr_cb cb, void *arg)
{
	sq_t *s = (sq_t *)st;
	sqlite3_stmt *q;
	store_csr_t *r = calloc(1, sizeof *r);
	int rc;
	if (!r)
		return STORE_ERR;
	if (sqlite3_prepare_v2(s->db, "SELECT id, org_id, role, dn, csr, status, created, "
			       "coalesce(decided, 0) FROM pki_requests WHERE (?1 = 0 OR org_id = ?1) "
			       "AND (?2 IS NULL OR status = ?2) ORDER BY id", -1, &q, NULL) != SQLITE_OK) {
		free(r);
		return sq_fail(s, "list requests");
	}
	sqlite3_bind_int64(q, 1, org);
	if (status)
		sqlite3_bind_text(q, 2, status, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		csr_row(q, r);
		if (cb(arg, r))
			break;
	}
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sq_fail(s, "list requests");
	sqlite3_finalize(q);
	free(r);
	return rc;
}

static int sq_csr_get(store_t *st, int64_t id, store_csr_t *r)
{
	sq_t *s = (sq_t *)st;
	sqlite3_stmt *q = stmt(s, Q_CSR_GET);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		csr_row(q, r);
	sqlite3_reset(q);
	if (rc == SQLITE_DONE) {
		snprintf(s->base.err, sizeof s->base.err, "no request %lld", (long long)id);
		return STORE_ENOTFOUND;
	}
	return rc == SQLITE_ROW ? STORE_OK : sq_fail(s, "read request");
}

static int bump_pki(sq_t *s)
{
	sqlite3_stmt *b = stmt(s, Q_PKI_BUMP);
	if (!b || sqlite3_step(b) != SQLITE_DONE)
		return sq_fail(s, "pki version");
	sqlite3_reset(b);
	return STORE_OK;
}

static int sq_csr_decide(store_t *st, int64_t id, const char *status)
{
	sq_t *s = (sq_t *)st;
	sqlite3_stmt *q = stmt(s, Q_CSR_DECIDE);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, id);
	bind_text(q, 2, status);
	sqlite3_bind_int64(q, 3, (int64_t)time(NULL));
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return sq_fail(s, "decide request");
	if (sqlite3_changes(s->db) == 0) {
		snprintf(s->base.err, sizeof s->base.err, "request %lld is not pending", (long long)id);
		return STORE_ENOTFOUND;
	}
	return STORE_OK;
}

static int sq_cert_add(store_t *st, const store_cert_t *c)
{
	sq_t *s = (sq_t *)st;
	sqlite3_stmt *q = stmt(s, Q_CERT_ADD);
	if (!q)
		return STORE_ERR;
	bind_text(q, 1, c->serial);
	bind_text(q, 2, c->fingerprint);
	sqlite3_bind_int64(q, 3, c->org_id);
	bind_text(q, 4, c->role);
	bind_text(q, 5, c->dn);
	sqlite3_bind_int64(q, 6, c->not_before);
	sqlite3_bind_int64(q, 7, c->not_after);
	sqlite3_bind_int64(q, 8, c->request_id);
	sqlite3_bind_int64(q, 9, (int64_t)time(NULL));
	bind_text(q, 10, c->pem);
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return sq_fail(s, "add certificate");
	return bump_pki(s);
}

static int sq_cert_revoke(store_t *st, const char *serial_or_fpr, int64_t when)
{
	sq_t *s = (sq_t *)st;
	sqlite3_stmt *q = stmt(s, Q_CERT_REVOKE);
	if (!q)
		return STORE_ERR;
	bind_text(q, 1, serial_or_fpr);
	sqlite3_bind_int64(q, 2, when);
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return sq_fail(s, "revoke certificate");
	if (sqlite3_changes(s->db) == 0) {
		snprintf(s->base.err, sizeof s->base.err, "no unrevoked certificate %.70s", serial_or_fpr);
		return STORE_ENOTFOUND;
	}
	return bump_pki(s);
}

static int sq_cert_list(store_t *st, store_cert_cb cb, void *arg)
{
	sq_t *s = (sq_t *)st;
	sqlite3_stmt *q = stmt(s, Q_CERT_LIST);
	int rc;
	if (!q)
		return STORE_ERR;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		store_cert_t c = {
			.org_id = sqlite3_column_int64(q, 2), .not_before = sqlite3_column_int64(q, 5),
			.not_after = sqlite3_column_int64(q, 6), .request_id = sqlite3_column_int64(q, 7),
			.created = sqlite3_column_int64(q, 8), .revoked = sqlite3_column_int64(q, 9),
		};
		snprintf(c.serial, sizeof c.serial, "%s", (const char *)sqlite3_column_text(q, 0));
		snprintf(c.fingerprint, sizeof c.fingerprint, "%s", (const char *)sqlite3_column_text(q, 1));
		snprintf(c.role, sizeof c.role, "%s", (const char *)sqlite3_column_text(q, 3));
		snprintf(c.dn, sizeof c.dn, "%s", (const char *)sqlite3_column_text(q, 4));
		snprintf(c.pem, sizeof c.pem, "%s", (const char *)sqlite3_column_text(q, 10));
		if (cb(arg, &c))
			break;
	}
	sqlite3_reset(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sq_fail(s, "list certificates");
}

/* ---- audit log ---- */

static int sq_audit_last(store_t *st, int64_t *seq, uint8_t hash[32])
{
	sq_t *s = (sq_t *)st;
	sqlite3_stmt *q = stmt(s, Q_AUD_LAST);
	if (!q)
		return STORE_ERR;
	*seq = 0;
	memset(hash, 0, 32);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*seq = sqlite3_column_int64(q, 0);
		if (sqlite3_column_bytes(q, 1) == 32)
			memcpy(hash, sqlite3_column_blob(q, 1), 32);
	}
	sqlite3_reset(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sq_fail(s, "audit");
}

static int sq_audit_append(store_t *st, const store_audit_t *a)
{
	sq_t *s = (sq_t *)st;
	sqlite3_stmt *q = stmt(s, Q_AUD_ADD), *h;
	char head[96];
	static const char hx[] = "0123456789abcdef";
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, a->seq);
	sqlite3_bind_int64(q, 2, a->ts);
	sqlite3_bind_int64(q, 3, a->org_id);
	bind_text(q, 4, a->actor);
	bind_text(q, 5, a->addr);
	bind_text(q, 6, a->action);
	bind_text(q, 7, a->object);
	bind_text(q, 8, a->detail);
	sqlite3_bind_blob(q, 9, a->prev, 32, SQLITE_STATIC);
	sqlite3_bind_blob(q, 10, a->hash, 32, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return sq_fail(s, "audit");
	int n = snprintf(head, sizeof head, "%lld:", (long long)a->seq);
	for (int i = 0; i < 32; i++) {
		head[n++] = hx[a->hash[i] >> 4];
		head[n++] = hx[a->hash[i] & 15];
	}
	head[n] = '\0';
	if (!(h = stmt(s, Q_AUD_HEAD)))
		return STORE_ERR;
	bind_text(h, 1, head);
	rc = sqlite3_step(h);
	sqlite3_reset(h);
	return rc == SQLITE_DONE ? STORE_OK : sq_fail(s, "audit head");
}

static int sq_audit_list(store_t *st, int64_t after, store_audit_cb cb, void *arg, char *head,
			 size_t headlen)
{
	sq_t *s = (sq_t *)st;
	sqlite3_stmt *q = stmt(s, Q_AUD_LIST), *h = stmt(s, Q_AUD_GETHEAD);
	store_audit_t *a = malloc(sizeof *a);
	int rc;
	if (!q || !h || !a) {
		free(a);
		return STORE_ERR;
	}
	/* one read transaction for the head and the entries */
	if (exec(s, "BEGIN")) {
		free(a);
		return STORE_ERR;
	}
	rc = sqlite3_step(h);
	snprintf(head, headlen, "%s", rc == SQLITE_ROW ? (const char *)sqlite3_column_text(h, 0) : "");
	sqlite3_reset(h);
	sqlite3_bind_int64(q, 1, after);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		memset(a, 0, sizeof *a);
		a->seq = sqlite3_column_int64(q, 0);
		a->ts = sqlite3_column_int64(q, 1);
		a->org_id = sqlite3_column_int64(q, 2);
		snprintf(a->actor, sizeof a->actor, "%s", (const char *)sqlite3_column_text(q, 3));
		snprintf(a->addr, sizeof a->addr, "%s", (const char *)sqlite3_column_text(q, 4));
		snprintf(a->action, sizeof a->action, "%s", (const char *)sqlite3_column_text(q, 5));
		snprintf(a->object, sizeof a->object, "%s", (const char *)sqlite3_column_text(q, 6));
		snprintf(a->detail, sizeof a->detail, "%s", (const char *)sqlite3_column_text(q, 7));
		if (sqlite3_column_bytes(q, 8) == 32)
			memcpy(a->prev, sqlite3_column_blob(q, 8), 32);
		if (sqlite3_column_bytes(q, 9) == 32)
			memcpy(a->hash, sqlite3_column_blob(q, 9), 32);
		if (cb(arg, a))
			break;
	}
	sqlite3_reset(q);
	exec(s, "COMMIT");
	free(a);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sq_fail(s, "audit list");
}

/* ---- constituency ---- */

static int sq_res_add(store_t *st, const store_res_t *r)
{
	sq_t *s = (sq_t *)st;
	sqlite3_stmt *q = stmt(s, Q_RES_ADD), *b;
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, r->org_id);
	bind_text(q, 2, obs_type_name(r->type));
	bind_text(q, 3, r->value);
	bind_text(q, 4, r->abuse_contact);
	sqlite3_bind_int64(q, 5, (int64_t)time(NULL));
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return sq_fail(s, "add resource");
	if (!(b = stmt(s, Q_RES_BUMP)) || sqlite3_step(b) != SQLITE_DONE)
		return sq_fail(s, "constituency version");
	sqlite3_reset(b);
	return STORE_OK;
}

static int sq_res_list(store_t *st, store_res_cb cb, void *arg)
{
	sq_t *s = (sq_t *)st;
	sqlite3_stmt *q = stmt(s, Q_RES_LIST);
	int rc;
	if (!q)
		return STORE_ERR;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		store_res_t r = {.id = sqlite3_column_int64(q, 0), .org_id = sqlite3_column_int64(q, 1),
				 .type = obs_type_from_name((const char *)sqlite3_column_text(q, 2))};
		snprintf(r.value, sizeof r.value, "%s", (const char *)sqlite3_column_text(q, 3));
		snprintf(r.abuse_contact, sizeof r.abuse_contact, "%s", (const char *)sqlite3_column_text(q, 4));
		snprintf(r.org_name, sizeof r.org_name, "%s", (const char *)sqlite3_column_text(q, 5));
		if (cb(arg, &r))
			break;
	}
	sqlite3_reset(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sq_fail(s, "list constituency");
}

static int sq_res_version(store_t *st, int64_t *out)
{
	return one_int((sq_t *)st, Q_RES_VER, out);
}

static const struct store_ops sq_ops = {
	.close = sq_close,
	.schema_version = sq_schema_version,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.put_indicator = sq_put_indicator,
	.get_indicator = sq_get_indicator,
	.delete_indicator = sq_delete_indicator,
	.list_indicators = sq_list_indicators,
	.find_values = sq_find_values,
	.count_indicators = sq_count_indicators,
	.count_named = sq_count_named,
	.event_days = sq_event_days,
	.changes = sq_changes,
	.seq = sq_seq,
	.checkpoint = sq_checkpoint,
	.forget = sq_forget,
	.org_add = sq_org_add,
	.org_get = sq_org_get,
	.org_find = sq_org_find,
	.org_list = sq_org_list,
	.org_set_policy = sq_org_set_policy,
	.token_add = sq_token_add,
	.token_revoke = sq_token_revoke,
	.token_list = sq_token_list,
	.token_last = sq_token_last,
	.share_version = sq_share_version,
	.setting_get = sq_setting_get,
	.setting_set = sq_setting_set,
	.trust_set = sq_trust_set,
	.trust_list = sq_trust_list,
	.trust_version = sq_trust_version,
	.scan_values = sq_scan_values,
	.csr_add = sq_csr_add,
	.csr_get = sq_csr_get,
	.csr_decide = sq_csr_decide,
	.csr_list = sq_csr_list,
	.cert_add = sq_cert_add,
	.cert_revoke = sq_cert_revoke,
	.cert_list = sq_cert_list,
	.audit_last = sq_audit_last,
	.audit_append = sq_audit_append,
	.audit_list = sq_audit_list,
	.res_add = sq_res_add,
	.res_list = sq_res_list,
	.res_version = sq_res_version,
	.writers_waiting = sq_writers_waiting,
	.let_writers_in = sq_let_writers_in,
	.set_durable = sq_set_durable,
	SQ_WATCH_OPS
	SQ_STIX_OPS
	SQ_PEOPLE_OPS
	SQ_CASE_OPS
	SQ_ASSESS_OPS
	SQ_GW_OPS
	SQ_CSAF_OPS
	SQ_SLA_OPS
	SQ_MAIL_OPS
	.read_begin = sq_read_begin,
	.read_end = sq_read_end,
};
