"""Import deploy/kibana/marsad.ndjson into Kibana (saved objects import API), retrying while Kibana starts."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import httpx

NDJSON = Path(__file__).resolve().parents[1] / "kibana" / "marsad.ndjson"


def main() -> int:
    url = os.environ.get("KIBANA_URL", "http://kibana:5601").rstrip("/")
    deadline = time.monotonic() + float(os.environ.get("KIBANA_WAIT", "300"))
    last = ""
    while time.monotonic() < deadline:
        try:
            resp = httpx.post(
                f"{url}/api/saved_objects/_import", params={"overwrite": "true"},
                headers={"kbn-xsrf": "marsad-setup"},
                files={"file": ("marsad.ndjson", NDJSON.read_bytes(), "application/ndjson")}, timeout=60,
            )
            if resp.status_code == 200 and resp.json().get("success"):
                print(f"kibana: imported {resp.json().get('successCount')} saved objects into {url}")
                return 0
            last = f"HTTP {resp.status_code}: {resp.text[:500]}"
            if resp.status_code == 200:  # the import ran and reported per-object errors: say which
                break
        except httpx.HTTPError as exc:
            last = str(exc)
        time.sleep(5)
    print(f"kibana: import into {url} failed: {last}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
