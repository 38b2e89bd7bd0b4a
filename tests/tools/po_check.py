#!/usr/bin/env python3
"""po_check.py — the console's messages against its catalogues.

Every message the console shows ({{_ ...}} in data/web/*.html, web_t(r, "...")
and page titles in src/web/*.c) must be in data/po/fr.po, translated; the
navigation must be in ar.po.  --pot prints a catalogue template of them all.
Exit 1 with the missing ones named."""
import glob, re, sys

def messages(root="."):
    found = {}
    for f in sorted(glob.glob(root + "/data/web/*.html")):
        for m in re.finditer(r"\{\{_ (.*?)\s*\}\}", open(f, encoding="utf-8").read()):
            found.setdefault(m.group(1), f)
    for f in sorted(glob.glob(root + "/src/web/*.c")):
        text = open(f, encoding="utf-8").read()
        for pat in (r'\bweb_t\(r, "((?:[^"\\]|\\.)*)"\)', r'\bN_\("((?:[^"\\]|\\.)*)"\)'):
            for m in re.finditer(pat, text):
                for g in m.groups():
                    if g:
                        found.setdefault(g.replace('\\"', '"'), f)
    return found

DUPS = []


def po(path):
    out, cur, key = {}, None, None
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if line.startswith("msgid "):
            cur = {"id": eval(line[6:]), "str": ""}; key = "id"
        elif line.startswith("msgstr "):
            cur["str"] = eval(line[7:]); key = "str"
        elif line.startswith('"') and cur:
            cur[key] += eval(line)
        elif not line and cur:
            if cur["id"] in out and cur["id"]:
                DUPS.append((path, cur["id"]))
            out[cur["id"]] = cur["str"]; cur = None
    if cur:
        out[cur["id"]] = cur["str"]
    return out

if __name__ == "__main__":
    root = sys.argv[sys.argv.index("--root") + 1] if "--root" in sys.argv else "."
    msgs = messages(root)
    if "--pot" in sys.argv:
        for m, f in msgs.items():
            print("#: %s\nmsgid %s\nmsgstr \"\"\n" % (f, '"' + m.replace('\\', '\\\\').replace('"', '\\"') + '"'))
        sys.exit(0)
    bad = 0
    fr = po(root + "/data/po/fr.po")
    for m in msgs:
        if not fr.get(m):
            print("fr.po: missing %r" % m); bad += 1
    ar = po(root + "/data/po/ar.po")
    for m in ("Dashboard", "Look-up", "Indicators", "Early warnings", "Sign in", "Sign out", "Language"):
        if not ar.get(m):
            print("ar.po: missing %r" % m); bad += 1
    for path, m in DUPS:
        print("%s: msgid %r twice" % (path, m)); bad += 1
    print("%d messages; fr.po %d, ar.po %d translated; %d missing" % (len(msgs), len(fr), len(ar), bad))
    sys.exit(1 if bad else 0)
