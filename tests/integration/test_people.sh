#!/usr/bin/env bash
# test_people.sh — `c5hub user ...` and `org policy --totp`: an account is
# added with a one-time enrolment link (public_url honoured), listed (table
# and JSON), given a password on stdin (weak ones refused with the reason,
# changing nothing), a TOTP second factor set up and confirmed with a code
# computed independently (python3's hmac, RFC 6238), disabled, enabled and
# reset (password and second factor cleared, a new link); bad input is
# refused and changes nothing; every change is in an intact audit log, and
# no password or secret reaches it or the database in clear.
. "$(dirname "$0")/lib.sh"
plan 44

"$C5" init >/dev/null
"$C5" org add acme --type private-sector --country BE >/dev/null
"$C5" org add beta --type government --country BE >/dev/null
PW='correct horse battery staple'
nogrep() { ! grep -q "$@"; }
users() { sqlite3 "$C5HUB_DB" "SELECT count(*) FROM users"; }
# the RFC 6238 code of base32 secret $1 at time $2 (default now)
totp() {
	python3 - "$1" "${2:-}" <<'PY'
import base64, hmac, hashlib, struct, sys, time
s = sys.argv[1].upper(); s += "=" * (-len(s) % 8)
t = int(sys.argv[2]) if sys.argv[2] else int(time.time())
mac = hmac.new(base64.b32decode(s), struct.pack(">Q", t // 30), hashlib.sha1).digest()
o = mac[-1] & 15
print("%06d" % ((struct.unpack(">I", mac[o:o + 4])[0] & 0x7fffffff) % 1000000))
PY
}

# ---- add ----
out=$("$C5" user add Alice@Example.ORG --org acme --role analyst --name "Alice A" 2>"$WORK/err"); rc=$?
eq "user add succeeds" "$rc" 0
eq "it prints one line" "$(echo "$out" | wc -l)" 1
check "an enrolment URL on the default address" grep -Eq '^http://127\.0\.0\.1:8080/enrol/[A-Za-z0-9_-]{43}$' <<<"$out"
SECRET=${out##*/}
has "stderr says it is valid 24 hours, for the lower-cased address" "$(cat "$WORK/err")" "alice@example.org (acme, analyst): valid 24 hours"
eq "the link's secret is not stored in clear" \
	"$(sqlite3 "$C5HUB_DB" "SELECT count(*) FROM enrol_links WHERE hex(hash) = upper('$(printf %s "$SECRET" | sha256sum | cut -c1-64)')")" 1
out=$("$C5" user add alice@example.org --org beta --role reader 2>&1); rc=$?
eq "the same address again is refused" "$rc" 2
has "saying it exists" "$out" "exists"
out=$("$C5" user add bob@example.org --org nowhere --role reader 2>&1); rc=$?
eq "an unknown organisation is refused" "$rc" 2
has "and named" "$out" "nowhere"
out=$("$C5" user add bob@example.org --org acme --role peer 2>&1); rc=$?
eq "the peer role is not a person's" "$rc" 2
out=$("$C5" user add not-an-address --org acme --role reader 2>&1); rc=$?
eq "something that is not an address is refused" "$rc" 2
eq "none of the refusals added an account" "$(users)" 1
# (the "public_url" setting; no command sets it yet)
sqlite3 "$C5HUB_DB" "INSERT OR REPLACE INTO meta(key, value) VALUES('setting.public_url', 'https://hub.example.org/')"
out=$("$C5" user add bob@example.org --org beta --role admin 2>/dev/null)
check "public_url is used for the link" grep -Eq '^https://hub\.example\.org/enrol/[A-Za-z0-9_-]{43}$' <<<"$out"

# a full disk at any write step of user add (C5HUB_FAULT=N, see store.h):
# refused, and neither the account, its link nor its audit entry is left
before=$(users):$(sqlite3 "$C5HUB_DB" "SELECT count(*) FROM enrol_links"):$("$C5" audit list | wc -l)
bad=0
for n in 1 2 3 4 5; do # begin, account, link, audit entry, commit
	C5HUB_FAULT=$n "$C5" user add carol@example.org --org acme --role reader >/dev/null 2>&1 && bad=$n
done
eq "user add fails at every injected fault" "$bad" 0
eq "and leaves nothing behind" "$(users):$(sqlite3 "$C5HUB_DB" "SELECT count(*) FROM enrol_links"):$("$C5" audit list | wc -l)" "$before"

# ---- list ----
out=$("$C5" user list)
has "user list shows the account" "$out" "alice@example.org"
has "invited until a password is set" "$(grep alice <<<"$out")" "invited"
eq "--org beta lists only beta's" "$("$C5" user list --org beta | grep -c example.org)" 1
j=$("$C5" user list --json)
eq "--json: the role" "$(json 'd[0]["role"]' <<<"$j")" analyst
eq "--json: the name" "$(json 'd[0]["name"]' <<<"$j")" "Alice A"

# ---- password ----
out=$(echo "password1234" | "$C5" user password alice@example.org 2>&1); rc=$?
eq "a common password is refused" "$rc" 2
has "with the reason" "$out" "common"
out=$(echo "short one" | "$C5" user password alice@example.org 2>&1)
has "a short one too, with the reason" "$out" "too short"
eq "and nothing was set" "$(sqlite3 "$C5HUB_DB" "SELECT password FROM users WHERE email = 'alice@example.org'")" ""
echo "$PW" | "$C5" user password alice@example.org >/dev/null; rc=$?
eq "a good password is set from stdin" "$rc" 0
h=$(sqlite3 "$C5HUB_DB" "SELECT password FROM users WHERE email = 'alice@example.org'")
has "stored as Argon2id with t=2, m=19 MiB, p=1" "$h" '$argon2id$v=19$m=19456,t=2,p=1$'
has "the account is active" "$("$C5" user list | grep alice)" "active"

# ---- second factor ----
out=$("$C5" user totp alice@example.org 2>/dev/null); rc=$?
eq "user totp starts a set-up" "$rc" 0
has "with an otpauth URI" "$(head -1 <<<"$out")" "otpauth://totp/c5hub:alice%40example.org?secret="
TS=$(sed -n 2p <<<"$out")
code=$(totp "$TS")
wrong=$(printf %06d $(( (10#$code + 500000) % 1000000 )))
out=$("$C5" user totp alice@example.org --code "$wrong" 2>&1); rc=$?
eq "a wrong code is refused" "$rc" 2
out=$("$C5" user totp alice@example.org --code "$code"); rc=$?
eq "the code python3 computes confirms it" "$rc" 0
has "the list shows the second factor" "$("$C5" user list | grep alice)" " yes "
out=$("$C5" org policy acme --totp required); rc=$?
eq "org policy --totp required" "$rc" 0
eq "is stored" "$(sqlite3 "$C5HUB_DB" "SELECT totp_policy FROM orgs WHERE name = 'acme'")" required
out=$("$C5" org policy acme --totp sometimes 2>&1); rc=$?
eq "a policy that is not required or optional is refused" "$rc" 2

# ---- disable, enable, reset ----
"$C5" user disable alice@example.org >/dev/null
has "disable" "$("$C5" user list | grep alice)" "disabled"
"$C5" user enable alice@example.org >/dev/null
has "enable" "$("$C5" user list | grep alice)" "active"
out=$("$C5" user reset alice@example.org 2>/dev/null); rc=$?
check "reset prints a new link" grep -Eq '^https://hub\.example\.org/enrol/[A-Za-z0-9_-]{43}$' <<<"$out"
eq "and clears the password and the second factor" \
	"$(sqlite3 "$C5HUB_DB" "SELECT password || '|' || totp_secret || '|' || totp_confirmed FROM users WHERE email = 'alice@example.org'")" "||0"
out=$("$C5" user reset nobody@example.org 2>&1); rc=$?
eq "reset of an unknown account is refused" "$rc" 2

# ---- the audit log ----
log=$("$C5" audit list)
n=0
for a in people.add people.password people.totp orgs.totp people.disable people.enable people.reset; do
	grep -q " $a " <<<"$log" && n=$((n + 1))
done
eq "every change is in the audit log" "$n" 7
check "which verifies" "$C5" audit verify
check "no password or secret in the audit log" nogrep -e horse -e "$TS" -e "$SECRET" <<<"$log"
check "the enrolment secret and password are nowhere in the database files" \
	nogrep -r -a -e "$SECRET" -e "$PW" "$C5HUB_DB" "$C5HUB_DB-wal"
