#!/usr/bin/env python3
"""Renders the dashboard template with sample data for viewing in a browser, the way the Rust
side does: the JSON goes into the page with <, > and & escaped so it cannot end the script.

usage: scripts/render-dashboard-sample.py [DATA.json] [OUT.html]
       (defaults: tests/fixtures/dashboard-sample.json, /tmp/dash.html)
"""
import json
import pathlib
import sys

root = pathlib.Path(__file__).resolve().parent.parent
data_path = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else root / "tests/fixtures/dashboard-sample.json"
out_path = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else pathlib.Path("/tmp/dash.html")

data = json.dumps(json.loads(data_path.read_text(encoding="utf-8")), ensure_ascii=False)
data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
template = (root / "src/drop/dashboard.html").read_text(encoding="utf-8")
assert template.count("{{NEWSEXTRACT_DATA}}") == 1, "the template must hold the placeholder once"
out_path.write_text(template.replace("{{NEWSEXTRACT_DATA}}", data), encoding="utf-8")
print(out_path)
