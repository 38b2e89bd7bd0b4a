#!/usr/bin/env bash
# gateway.sh — the Cybersecurity Gateway's public pages: the home page and a
# search page served by c5hub beside nginx serving the very same bytes as
# static files (wrk -t1 -c32, alternating runs, loopback), the server's own
# time per request (its /metrics histogram), and search latency with
# 100,000 documents in the index (sequential requests, median and 95th
# percentile).  LENGTH seconds per wrk run (default 8).
set -eu
cd "$(dirname "$0")/.."
OUT=bench/out/gw
C5=${C5:-$PWD/build/c5hub}
LENGTH=${LENGTH:-8}
NDOCS=${NDOCS:-100000}
for t in wrk nginx python3 sqlite3 curl; do
	command -v $t >/dev/null || { echo "bench: $t missing; run scripts/deps.sh --bench"; exit 1; }
done
mkdir -p "$OUT"
DB=$OUT/gw.db
rm -f "$DB" "$DB"-wal "$DB"-shm
$C5 --db "$DB" init >/dev/null
# the home page's content, through the command line
for i in 1 2 3 4 5 6; do
	$C5 --db "$DB" gw news add --title "Actualité $i de la passerelle" --body "Texte de l'actualité $i." \
		--areas capacity --tlp clear >/dev/null
done
# NDOCS documents in the index (resources, entries, news, advisories):
# words drawn by Zipf's law from 30,000 made-up words with the domain's
# French and English words among the commonest (ranks 10 to 100), facets
# at random, one in five GREEN
python3 - "$DB" "$NDOCS" <<'PY'
import random, sqlite3, sys
db, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(19)
words = ("sécurité cybersécurité réseau données protection loi stratégie nationale incident réponse "
         "équipe formation exercice crise infrastructure critique vulnérabilité correctif chiffrement "
         "identité authentification cloud banque énergie santé télécommunications gouvernance risque "
         "security network data protection law strategy national incident response team training "
         "exercise crisis infrastructure critical vulnerability patch encryption identity cloud bank "
         "energy health telecom governance risk malware ransomware phishing botnet firewall audit "
         "privacy regulation directive standard framework capacity cooperation awareness").split()
kinds = ["resource"] * 6 + ["entry", "news", "advisory"]
types = {"resource": ["document", "law", "strategy", "guide", "training", "event"],
         "entry": ["organisation", "initiative", "team"], "news": [""], "advisory": [""]}
stk = ["government", "private", "civil-society", "international", "academia", ""]
cc = ["SN", "CI", "GH", "FR", "BE", "MA", "KE", "NG"]
langs = ["fr", "en", "ar", "pt"]
syl = ["ka", "to", "ri", "men", "sal", "vo", "dra", "pen", "lu", "mi", "zor", "et", "an", "qui", "bel", "ost"]
made = set()
while len(made) < 30000:
    made.add("".join(rnd.choice(syl) for _ in range(rnd.randint(2, 4))))
vocab = sorted(made)
rnd.shuffle(vocab)
vocab = vocab[:10] + words + vocab[10:]
cum, t = [], 0.0
for r in range(len(vocab)):
    t += 1.0 / (r + 1)
    cum.append(t)
def draw(k):
    return rnd.choices(vocab, cum_weights=cum, k=k)
c = sqlite3.connect(db)
c.execute("BEGIN")
for i in range(n):
    k = rnd.choice(kinds)
    title = " ".join(draw(rnd.randint(3, 8))).capitalize()
    text = " ".join(draw(rnd.randint(30, 120)))
    url = {"resource": "/resources/", "entry": "/directory/", "news": "/news/", "advisory": "/advisories/"}[k] + str(i)
    cur = c.execute("INSERT INTO gw_docs(kind, ref, title, tlp, org_id, areas, stakeholder, country, lang, type, url, updated) "
                    "VALUES(?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)",
                    (k, "b%d" % i, title, 1 if rnd.random() < 0.2 else 0, 1 << rnd.randrange(5), rnd.choice(stk),
                     rnd.choice(cc), rnd.choice(langs), rnd.choice(types[k]), url, 1700000000 + i))
    c.execute("INSERT INTO gw_fts(rowid, title, text) VALUES(?, ?, ?)", (cur.lastrowid, title, text))
c.execute("COMMIT")
c.execute("INSERT INTO gw_fts(gw_fts) VALUES('optimize')")
c.commit()
PY
echo "index: $(sqlite3 "$DB" 'SELECT count(*) FROM gw_docs') documents, $(du -h "$DB" | cut -f1)"
TOKEN=$($C5 --db "$DB" token create --role reader 2>/dev/null)
port=18601
$C5 --db "$DB" serve --http 127.0.0.1:$port >"$OUT/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; [ -f "$OUT/nginx/nginx.pid" ] && kill "$(cat "$OUT/nginx/nginx.pid")" 2>/dev/null; true' EXIT
until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.05; done
B=http://127.0.0.1:$port
SEARCH="/search?q=cyber*+s%C3%A9curit%C3%A9&area=legal"
NG=$OUT/nginx
mkdir -p "$NG/html"
curl -s "$B/" -o "$NG/html/home.html"
curl -s "$B$SEARCH" -o "$NG/html/search.html"
echo "home page: $(stat -c %s "$NG/html/home.html") bytes; search page: $(stat -c %s "$NG/html/search.html") bytes"
cat >"$NG/nginx.conf" <<NGX
worker_processes 2;
pid $PWD/$NG/nginx.pid;
error_log $PWD/$NG/error.log;
events { worker_connections 1024; }
http { access_log off; server { listen 127.0.0.1:18602; root $PWD/$NG/html; } }
NGX
nginx -c "$PWD/$NG/nginx.conf" -p "$PWD/$NG"
rps() { wrk -t1 -c32 -d${LENGTH}s "$1" | awk '/Requests\/sec/ {printf "%d", $2}'; }
echo
echo "| run | page | nginx same bytes req/s | c5hub req/s | c5hub / nginx |"
echo "| --- | --- | --- | --- | --- |"
for i in 1 2; do
	n=$(rps "http://127.0.0.1:18602/home.html"); c=$(rps "$B/")
	echo "| $i | home | $n | $c | $(echo "scale=2; $c / $n" | bc) |"
	n=$(rps "http://127.0.0.1:18602/search.html"); c=$(rps "$B$SEARCH")
	echo "| $i | search | $n | $c | $(echo "scale=2; $c / $n" | bc) |"
done
n=$(wrk -t1 -c32 -d${LENGTH}s -H "If-None-Match: $(curl -sI "$B/" | sed -n 's/^ETag: \(.*\)\r$/\1/p')" "$B/" | awk '/Requests\/sec/ {printf "%d", $2}')
echo "| | home, revalidated (304) | | $n | |"
# the first (not kept) rendering of a search page, each query once
for q in "securite" "cyber*" "s*"; do
	curl -s -o /dev/null -w "first rendering of /search?q=$q: %{time_total} s\n" "$B/search?q=$q&kind=resource"
done
echo
# the server's own time per request, from its histogram
curl -s "$B/metrics" | python3 -c '
import re, sys
m = sys.stdin.read()
for route in ("home", "gw_search"):
    s = float(re.search(r"duration_seconds_sum\{route=\"%s\"\} ([0-9.]+)" % route, m).group(1))
    n = int(re.search(r"duration_seconds_count\{route=\"%s\"\} ([0-9]+)" % route, m).group(1))
    b = {float(le): int(v) for le, v in re.findall(r"duration_seconds_bucket\{route=\"%s\",le=\"([0-9.]+)\"\} ([0-9]+)" % route, m)}
    print("server time, %s: mean %.3f ms over %d requests; %.1f%% under 1 ms, %.1f%% under 2.5 ms" % (
        route, 1000 * s / n, n, 100.0 * b.get(0.001, 0) / n, 100.0 * b.get(0.0025, 0) / n))
'
echo
# search latency at NDOCS documents through the API (never a kept page:
# every request searches): sequential, one connection, 40 each
# (the server's CPU from /proc/PID/stat; its threads' time waiting for a
# core, runnable but not running, from /proc/PID/task/*/schedstat)
echo "| search, API ($NDOCS documents) | hits | median ms | p95 ms | server CPU ms per search | server waiting for a core, ms per search |"
echo "| --- | --- | --- | --- | --- | --- |"
for q in "securite" "ransomware+phishing" "cyber*" "%22incident+response%22" "chiffrement+-cloud" "zzzz" "s*" \
	"&kind=resource&area=legal&lang=fr" "cyber*&kind=resource&lang=fr"; do
	python3 - "$B/api/v1/gw/search?q=$q" "$q" "$TOKEN" "$pid" <<'PY'
import json, os, sys, time, http.client, urllib.parse
def cpu():  # the server's user + system time, in seconds
    f = open("/proc/%s/stat" % sys.argv[4]).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
def wait():  # the server's threads' run-queue wait, in seconds
    t = 0
    for d in os.listdir("/proc/%s/task" % sys.argv[4]):
        try:
            t += int(open("/proc/%s/task/%s/schedstat" % (sys.argv[4], d)).read().split()[1])
        except OSError:
            pass
    return t / 1e9
u = urllib.parse.urlsplit(sys.argv[1])
c = http.client.HTTPConnection(u.hostname, u.port)
ts, total = [], None
c0, w0 = cpu(), wait()
for _ in range(40):
    t0 = time.perf_counter()
    c.request("GET", u.path + "?" + u.query, headers={"Authorization": "Bearer " + sys.argv[3]})
    r = c.getresponse(); body = r.read()
    ts.append((time.perf_counter() - t0) * 1000)
    total = json.loads(body)["total"]
c1, w1 = cpu(), wait()
ts.sort()
print("| `%s` | %s | %.2f | %.2f | %.1f | %.1f |" % (urllib.parse.unquote(sys.argv[2]), total, ts[len(ts) // 2],
                                                  ts[int(len(ts) * 0.95)], (c1 - c0) * 1000 / 40, (w1 - w0) * 1000 / 40))
PY
done
echo
echo "target: a public page under 2 ms server time, search under 20 ms at 100,000 documents"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
