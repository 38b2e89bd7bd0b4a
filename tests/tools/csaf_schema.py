#!/usr/bin/env python3
"""csaf_schema.py — validate files against the OASIS CSAF 2.0 JSON schemas
(../shared/testdata/csaf/json_schema, with the FIRST CVSS schemas of
referenced_schema resolved locally: no network).

Usage: csaf_schema.py SCHEMA-DIR {csaf|provider|aggregator} FILE...
Prints "ok FILE" or "bad FILE: PATH: message"; exits 1 when any is bad."""
import json
import os
import sys
import warnings

warnings.simplefilter("ignore", DeprecationWarning)
from jsonschema import Draft202012Validator, RefResolver


def main():
    base, kind, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    store = {}
    for d in ("json_schema", "referenced_schema/first"):
        for f in os.listdir(os.path.join(base, d)):
            with open(os.path.join(base, d, f)) as h:
                s = json.load(h)
            sid = s.get("$id", s.get("id", ""))
            store[sid] = s
            sid = sid.split("?")[0]
            store[sid] = s
            if d.startswith("referenced_schema/first"):
                store["https://www.first.org/cvss/" + f] = s
    name = {"csaf": "csaf_json_schema.json", "provider": "provider_json_schema.json",
            "aggregator": "aggregator_json_schema.json"}[kind]
    schema = store["https://docs.oasis-open.org/csaf/csaf/v2.0/" + name]
    resolver = RefResolver.from_schema(schema, store=store)
    v = Draft202012Validator(schema, resolver=resolver, format_checker=Draft202012Validator.FORMAT_CHECKER)
    bad = 0
    for f in files:
        with open(f) as h:
            doc = json.load(h)
        errs = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
        if not errs:
            print("ok", f)
            continue
        bad += 1
        for e in errs[:5]:
            print("bad %s: /%s: %s" % (f, "/".join(str(p) for p in e.path), e.message[:200]))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    import warnings
    warnings.simplefilter("ignore", DeprecationWarning)
    main()
