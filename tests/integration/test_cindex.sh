#!/usr/bin/env bash
# test_cindex.sh — `c5hub assess index` end to end: the Technology
# Achievement Index from its published data (tests/data/tai/) as a table,
# CSV and JSON with every option stated; the Monte Carlo the same for the
# same seed; expert and budget weights from files; the geometric refusal;
# bad files refused with file:line:field and nothing printed; no database.
. "$(dirname "$0")/lib.sh"
plan 30

TAI=$PWD/tests/data/tai
idx() { "$C5" assess index "$@"; }

# no database is opened or made
out=$(idx --input "$TAI/tai.csv" --pillars "$TAI/pillars.csv" --normalise goalposts); rc=$?
eq "the TAI is computed" "$rc" 0
has "the table states the choices" "$out" "# normalisation=goalposts weights=equal aggregation=arith missing=exclude"
has "Finland first at 0.7449 (HDR 2001: 0.74 to two decimals)" "$(echo "$out" | sed -n 3p)" "1  Finland                     0.7449"
eq "no database was made" "$(ls "$C5HUB_DB" 2>/dev/null)" ""

csv=$(idx --input "$TAI/tai.csv" --pillars "$TAI/pillars.csv" --normalise goalposts --csv)
eq "CSV: Singapore 8th, as the Handbook's Table 23" "$(echo "$csv" | grep '^Singapore,' | cut -d, -f2)" 8
has "CSV: a quoted name stays whole" "$csv" '"Korea, Rep. of",5,0.6659'
eq "CSV: one row per country, a comment and a header" "$(echo "$csv" | wc -l)" 25

j=$(idx --input "$TAI/tai.csv" --pillars "$TAI/pillars.csv" --normalise goalposts --runs 2000 --seed 7 --json)
summary=$(echo "$j" | python3 -c '
import json, sys
d = json.load(sys.stdin)
e = d["entities"]
print(d["options"]["normalisation"], d["options"]["monte_carlo"]["runs"], d["options"]["monte_carlo"]["seed"],
      e[0]["name"], e[0]["rank"], e[0]["monte_carlo"]["median_rank"],
      all(x["monte_carlo"]["rank_p05"] <= x["monte_carlo"]["median_rank"] <= x["monte_carlo"]["rank_p95"] for x in e),
      [x["rank"] for x in e] == sorted(x["rank"] for x in e), len(e), e[0]["driver"]["contribution"],
      round(sum(p["weight"] for p in d["pillars"]), 12))')
eq "JSON: options, Monte Carlo, rank order, intervals, driver, weights" "$summary" \
	"goalposts 2000 7 Finland 1 1 True True 23 diffusion_old 1.0"
j2=$(idx --input "$TAI/tai.csv" --pillars "$TAI/pillars.csv" --normalise goalposts --runs 2000 --seed 7 --json)
eq "the same seed gives the same output, byte for byte" "$(echo "$j" | sha256sum)" "$(echo "$j2" | sha256sum)"
j3=$(idx --input "$TAI/tai.csv" --pillars "$TAI/pillars.csv" --normalise goalposts --runs 2000 --seed 8 --json)
check "another seed gives other draws" test "$(echo "$j" | sha256sum)" != "$(echo "$j3" | sha256sum)"

# the Monte Carlo over the normalisation and aggregation too
out=$(idx --input "$TAI/tai.csv" --pillars "$TAI/pillars.csv" --normalise goalposts --runs 500 \
	--mc-normalise --mc-aggregate --mc-weights dirichlet --spread 30)
has "drawn normalisations: the ones the data refuse are named" "$out" \
	"weights=dirichlet spread=30 +normalisation +aggregation (not drawn: minmax+geom, zscore+geom)"

# weights from files
printf 'name,weight\ncreation,2\ndiffusion_recent,1\ndiffusion_old,1\nhuman_skills,1\n' >"$WORK/expert.csv"
out=$(idx --input "$TAI/tai.csv" --pillars "$TAI/pillars.csv" --normalise goalposts --weights "$WORK/expert.csv" --csv)
has "expert weights are stated" "$out" "weights=expert"
eq "doubling technology creation puts Japan (patents) first" "$(echo "$out" | sed -n 3p | cut -d, -f1)" Japan
printf 'expert,patents,royalties\nann,70,30\nbob,30,70\ncy,50,50\n' >"$WORK/budget.csv"
out=$(idx --input "$TAI/tai.csv" --pillars "$TAI/pillars.csv" --normalise goalposts --weights "$WORK/budget.csv" --json)
eq "budget allocation: three experts, averaged" \
	"$(echo "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["options"]["weights"], d["options"]["experts"], [i["weight"] for i in d["indicators"]][:2])')" \
	"budget 3 [0.5, 0.5]"

# geometric aggregation: refused where it would be nonsense, named
out=$(idx --input "$TAI/tai.csv" --pillars "$TAI/pillars.csv" --aggregate geom 2>"$WORK/err"); rc=$?
eq "geometric over min-max is refused" "$rc" 2
has "naming the entity and the indicator" "$(cat "$WORK/err")" \
	"geometric aggregation needs positive values: entity Korea, Rep. of, indicator internet is 0 after minmax"
eq "and printing nothing" "$out" ""
out=$(idx --input "$TAI/tai.csv" --pillars "$TAI/pillars.csv" --normalise rank --aggregate geom --csv); rc=$?
eq "geometric over ranks (all >= 1) is computed" "$rc" 0
has "and stated" "$out" "aggregation=geom"

# missing values: excluded or imputed, stated
printf 'entity,group,a,b\nX,n,1,10\nY,n,,20\nZ,s,7,NA\nW,n,5,30\n' >"$WORK/miss.csv"
out=$(idx --input "$WORK/miss.csv" --missing impute --json)
eq "impute: the imputed cells are listed" \
	"$(echo "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["options"]["missing"], {e["name"]: e["imputed"] for e in d["entities"]}["Y"])')" \
	"impute ['a']"
out=$(idx --input "$WORK/miss.csv" --csv)
has "exclude: stated, every entity ranked from what it has" "$out" "missing=exclude"

# bad input: file:line:field, nothing computed
printf 'entity,a,b\nX,1,2\nY,1,two\n' >"$WORK/bad.csv"
out=$(idx --input "$WORK/bad.csv" 2>"$WORK/err"); rc=$?
eq "a bad number is refused" "$rc" 2
has "with file:line:field" "$(cat "$WORK/err")" "$WORK/bad.csv:3:b: \"two\" is not a number"
eq "nothing printed" "$out" ""
printf 'indicator,pillar,direction\npatents,a,sideways\n' >"$WORK/badp.csv"
idx --input "$TAI/tai.csv" --pillars "$WORK/badp.csv" >/dev/null 2>"$WORK/err"
has "a bad pillars file: file:line:field" "$(cat "$WORK/err")" "$WORK/badp.csv:2:direction: \"sideways\""
printf 'name,weight\nnowhere,1\n' >"$WORK/badw.csv"
idx --input "$TAI/tai.csv" --pillars "$TAI/pillars.csv" --weights "$WORK/badw.csv" >/dev/null 2>"$WORK/err"
has "a bad weights file: file:line:field" "$(cat "$WORK/err")" "$WORK/badw.csv:2:name: \"nowhere\" is neither a pillar nor an indicator"
idx --input "$WORK/none.csv" >/dev/null 2>"$WORK/err"; rc=$?
has "a missing file is named" "$rc $(cat "$WORK/err")" "2 c5hub: $WORK/none.csv: cannot open"
idx --input "$TAI/tai.csv" --runs many >/dev/null 2>"$WORK/err"; rc=$?
has "a bad option value is refused" "$rc $(cat "$WORK/err")" "2 c5hub: assess index: --runs many"
idx --input "$TAI/tai.csv" --json --csv >/dev/null 2>&1; rc=$?
eq "--json and --csv together are refused" "$rc" 2

has "help names the command" "$("$C5" help assess)" "assess index --input FILE.csv"
