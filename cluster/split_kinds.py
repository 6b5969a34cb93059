"""Leaves some kinds out of a rendering: python3 split_kinds.py IN.yaml KIND[,KIND] OUT.yaml

Prints the objects left out (kind/name, comma-separated), for the report.
"""
import sys

import yaml

docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
kinds = set(sys.argv[2].split(","))
kept = [d for d in docs if d["kind"] not in kinds]
left = [f"{d['kind']}/{d['metadata']['name']}" for d in docs if d["kind"] in kinds]
with open(sys.argv[3], "w") as f:
    yaml.safe_dump_all(kept, f, sort_keys=False)
print(",".join(left))
