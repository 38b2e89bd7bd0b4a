"""stixgen.py — a generated STIX 2.1 bundle of indicator objects for the
benchmarks (bench/stix.py, bench/taxii.py): a quarter each of IPv4
addresses, domain names, URLs and SHA-256 hashes, TLP:GREEN, fixed seed."""
import random


def write_indicators(path, count):
    rnd = random.Random(5)
    with open(path, "w") as f:
        f.write('{"type":"bundle","id":"bundle--5b1b2b1e-0000-4000-8000-000000000000","objects":[\n')
        for i in range(count):
            k = i % 4
            if k == 0:
                pat = (f"[ipv4-addr:value = '{rnd.randrange(11, 220)}.{rnd.randrange(256)}."
                       f"{rnd.randrange(256)}.{rnd.randrange(1, 255)}']")
            elif k == 1:
                pat = f"[domain-name:value = 'h{i:x}.example{i % 97}.net']"
            elif k == 2:
                pat = f"[url:value = 'http://s{i:x}.example.org/p/{i}.php']"
            else:
                pat = f"[file:hashes.'SHA-256' = '{rnd.getrandbits(256):064x}']"
            f.write(('' if i == 0 else ',\n') +
                    f'{{"type":"indicator","spec_version":"2.1","id":"indicator--{i:08x}-0000-4000-8000-{i:012x}",'
                    f'"created":"2026-11-01T00:00:00.000Z","modified":"2026-11-01T00:00:00.000Z",'
                    f'"indicator_types":["malicious-activity"],"pattern":"{pat}","pattern_type":"stix",'
                    f'"valid_from":"2026-11-01T00:00:00Z","confidence":70,'
                    f'"object_marking_refs":["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"]}}')
        f.write("\n]}\n")
