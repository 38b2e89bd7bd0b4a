#!/usr/bin/env python3
"""stix_validate.py SCHEMAS BUNDLE [TYPE...] — validate every object of a
STIX 2.1 bundle against the OASIS JSON schemas, offline: each object by the
schema of its type (schemas/<group>/<type>.json), or common/core.json for
types that have none (custom x- types); references resolve by $id from the
local files.  With TYPE arguments, only those types are checked.  Prints
"ok N objects" or each failure, and exits non-zero on any."""
import glob
import json
import os
import sys
import warnings

import jsonschema

warnings.filterwarnings("ignore", category=DeprecationWarning)

root, bundle = sys.argv[1], sys.argv[2]
only = set(sys.argv[3:])
schemas, by_type = {}, {}
for path in glob.glob(os.path.join(root, "*", "*.json")):
    with open(path) as f:
        s = json.load(f)
    schemas[s["$id"]] = s
    group = os.path.basename(os.path.dirname(path))
    if group in ("sdos", "sros", "observables") or os.path.basename(path) in (
            "marking-definition.json", "bundle.json", "extension-definition.json",
            "language-content.json"):
        by_type[os.path.basename(path)[:-5]] = s
core = next(s for i, s in schemas.items() if i.endswith("/common/core.json"))
core_sco = next(s for i, s in schemas.items() if i.endswith("/common/cyber-observable-core.json"))


def validator(schema):
    cls = jsonschema.validators.validator_for(schema)
    try:  # jsonschema >= 4.18
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012
        reg = Registry().with_resources(
            (i, Resource.from_contents(s, default_specification=DRAFT202012))
            for i, s in schemas.items())
        return cls(schema, registry=reg, format_checker=cls.FORMAT_CHECKER)
    except ImportError:  # Debian 12's 4.10
        res = jsonschema.RefResolver(schema["$id"], schema, store=schemas)
        return cls(schema, resolver=res, format_checker=cls.FORMAT_CHECKER)


cache = {}
with open(bundle) as f:
    doc = json.load(f)
bad = n = 0
# the envelope alone: its objects are checked one by one below
errs = list(validator(by_type["bundle"]).iter_errors({k: v for k, v in doc.items() if k != "objects"}))
for e in errs[:3]:
    print(f"bundle: {e.message[:300]}")
bad += len(errs)
for o in doc.get("objects", []):
    t = o.get("type", "?")
    if only and t not in only:
        continue
    s = by_type.get(t) or (core_sco if t.startswith("x-") and "created" not in o else core)
    v = cache.get(id(s)) or cache.setdefault(id(s), validator(s))
    errs = list(v.iter_errors(o))
    n += 1
    if errs:
        bad += 1
        print(f"{o.get('id')}: {errs[0].message[:300]}")
print(f"ok {n} objects" if not bad else f"{bad} failed of {n}")
sys.exit(1 if bad else 0)
