// validate.mjs — the reference CSAF 2.0 validator over files: the OASIS
// schema (csaf_2_0) and every mandatory test of @secvisogram/csaf-validator-lib.
// Usage: node validate.mjs FILE...   Prints "ok FILE" or "bad FILE: test: path message"
// per file; exits 1 when any file fails.
import { readFileSync } from 'node:fs'
import validate from '@secvisogram/csaf-validator-lib/validate.js'
import * as schema from '@secvisogram/csaf-validator-lib/schemaTests.js'
import * as mandatory from '@secvisogram/csaf-validator-lib/mandatoryTests.js'

const tests = [schema.csaf_2_0, ...Object.values(mandatory)]
let bad = 0
for (const f of process.argv.slice(2)) {
  let doc
  try { doc = JSON.parse(readFileSync(f, 'utf8')) } catch (e) { console.log(`bad ${f}: ${e.message}`); bad++; continue }
  const r = await validate(tests, doc)
  if (r.isValid) { console.log(`ok ${f}`); continue }
  bad++
  for (const t of r.tests) for (const e of t.errors)
    console.log(`bad ${f}: ${t.name}: ${e.instancePath} ${e.message}`)
}
process.exit(bad ? 1 : 0)
