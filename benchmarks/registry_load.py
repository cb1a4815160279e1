"""Registry load time: the whole registry (hand-made + open data) against the hand-made entries
alone, measured in the same run (each in a fresh interpreter, best of 5).

    python benchmarks/registry_load.py

Prints seconds to import kg.registry and load, to build the domain index (first
`lookup_domain`) and the name index (first `lookup_name`), and the number of outlets.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = r"""
import json, sys, time
t0 = time.perf_counter()
from kg import registry as R
if sys.argv[1] == "hand-made":
    reg = R.Registry(R.read_curated_outlets())
else:
    reg = R.load_registry()
t1 = time.perf_counter()
reg.lookup_domain("https://www.example-unknown-site.com/x")
t2 = time.perf_counter()
reg.lookup_name("Some Unknown Outlet")
t3 = time.perf_counter()
print(json.dumps({"load": t1 - t0, "domains": t2 - t1, "names": t3 - t2, "outlets": len(reg)}))
"""


def measure(which: str) -> dict[str, float]:
    runs = []
    for _ in range(5):
        out = subprocess.run([sys.executable, "-c", PROBE, which], capture_output=True,
                             text=True, cwd=ROOT, check=True).stdout
        runs.append(json.loads(out))
    return {key: min(r[key] for r in runs) for key in runs[0]}


def main() -> int:
    print(f"{'registry':10s} {'outlets':>8s} {'load s':>8s} {'domains s':>10s} {'names s':>8s}")
    for which in ("hand-made", "full"):
        r = measure(which)
        print(f"{which:10s} {int(r['outlets']):8,d} {r['load']:8.3f} {r['domains']:10.3f} "
              f"{r['names']:8.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
