"""The files a prediction run writes over all its inputs: ``summary.csv`` and ``report.html``.

Both are rebuilt from the per-input ``<name>.json`` files in the output folder (and the run's list of
failed inputs), so a resumed run reports everything done so far, not only what it did itself.
"""

from __future__ import annotations

import csv
import html
import json
import math
from pathlib import Path

SUMMARY_COLUMNS = (
    "name",
    "input",
    "status",
    "success",
    "cd",
    "iou",
    "fscore_1",
    "normal_consistency",
    "chosen",
    "chosen_origin",
    "candidates",
    "candidates_ok",
    "dropped_parts",
    "refined_cd_before",
    "refined_cd_after",
    "fallback",
    "error",
    "seconds",
)
ERRORS_FILE = "errors.json"


def load_results(folder: str | Path) -> list[dict]:
    """Every ``<name>.json`` result in ``folder`` (sorted by name), skipping files that are not ours."""
    results = []
    for path in sorted(Path(folder).glob("*.json")):
        if path.name == ERRORS_FILE:
            continue
        try:
            record = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if isinstance(record, dict) and "format_version" in record and "name" in record:
            results.append(record)
    return results


def load_errors(folder: str | Path) -> list[dict]:
    path = Path(folder) / ERRORS_FILE
    if not path.is_file():
        return []
    try:
        return list(json.loads(path.read_text()))
    except (OSError, ValueError):
        return []


def summary_rows(results: list[dict], errors: list[dict]) -> list[dict]:
    rows = []
    for r in results:
        refinement = r.get("refinement") or {}
        candidates = r.get("candidates", [])
        rows.append(
            {
                "name": r["name"],
                "input": r.get("input"),
                "status": r.get("status"),
                "success": r.get("success"),
                "cd": r.get("cd"),
                "iou": r.get("iou"),
                "fscore_1": r.get("fscore_1"),
                "normal_consistency": r.get("normal_consistency"),
                "chosen": r.get("chosen"),
                "chosen_origin": r.get("chosen_origin"),
                "candidates": len(candidates),
                "candidates_ok": sum(c.get("status") == "ok" for c in candidates),
                "dropped_parts": len((r.get("repair") or {}).get("dropped") or []),
                "refined_cd_before": refinement.get("cd_before"),
                "refined_cd_after": refinement.get("cd_after"),
                "fallback": r.get("fallback"),
                "error": None,
                "seconds": (r.get("timings") or {}).get("total"),
            }
        )
    for e in errors:
        rows.append({"name": e.get("name"), "input": e.get("input"), "status": "error", "success": False,
                     "error": e.get("error")})  # fmt: skip
    return rows


def write_summary_csv(path: str | Path, rows: list[dict]) -> Path:
    path = Path(path)
    with open(path, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=SUMMARY_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(row.get(k)) for k in SUMMARY_COLUMNS})
    return path


def _cell(value):
    if isinstance(value, float):
        return "" if not math.isfinite(value) else f"{value:.6g}"
    return "" if value is None else value


def _mean(values: list) -> float | None:
    values = [v for v in values if isinstance(v, int | float) and math.isfinite(v)]
    return sum(values) / len(values) if values else None


def _fmt(value, scale: float = 1.0, digits: int = 2, suffix: str = "") -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    return f"{value * scale:.{digits}f}{suffix}"


def write_report_html(
    path: str | Path, results: list[dict], errors: list[dict], title: str, notes: list[str]
) -> Path:
    """A page a person opens: totals, then one card per input (input cloud beside the prediction, scores,
    links to the program, the mesh and the JSON), then the inputs that could not be used."""
    path = Path(path)
    ok = [r for r in results if r.get("success")]
    totals = [
        ("inputs", str(len(results) + len(errors))),
        ("programs that run", f"{len(ok)} / {len(results) + len(errors)}"),
        ("mean CD ×10⁻²", _fmt(_mean([r.get("cd") for r in ok]), 100, 3)),
        ("mean IoU", _fmt(_mean([r.get("iou") for r in ok]), 100, 1, " %")),
        ("mean F@1%", _fmt(_mean([r.get("fscore_1") for r in ok]), 100, 1, " %")),
        ("fallbacks", str(sum(1 for r in results if r.get("fallback")))),
        ("refined", str(sum(1 for r in results if r.get("refinement")))),
    ]
    cards = "\n".join(_card(r) for r in results)
    error_rows = "\n".join(
        f"<tr><td>{html.escape(str(e.get('name')))}</td><td>{html.escape(str(e.get('error')))}</td></tr>"
        for e in errors
    )
    errors_html = (
        f"<h2>Inputs that could not be used ({len(errors)})</h2><table class='errors'>"
        f"<tr><th>input</th><th>error</th></tr>{error_rows}</table>"
        if errors
        else ""
    )
    page = _PAGE.format(
        title=html.escape(title),
        totals="".join(
            f"<div class='total'><b>{html.escape(v)}</b><span>{html.escape(k)}</span></div>"
            for k, v in totals
        ),
        notes="".join(f"<li>{html.escape(n)}</li>" for n in notes),
        cards=cards or "<p>No predictions yet.</p>",
        errors=errors_html,
    )
    path.write_text(page)
    return path


def _card(r: dict) -> str:
    name = html.escape(r["name"])
    files = r.get("files") or {}
    picture = files.get("picture")
    image = (
        f"<img src='{html.escape(picture)}' loading='lazy' "
        f"alt='input cloud (left) and prediction (right) of {name}'>"
        if picture
        else "<div class='noimg'>no picture</div>"
    )
    status = r.get("status", "?")
    refinement = r.get("refinement")
    refined = (
        f"<tr><th>refined</th><td>CD {_fmt(refinement.get('cd_before'), 100, 3)} → "
        f"{_fmt(refinement.get('cd_after'), 100, 3)} ({refinement.get('evaluations')} runs)</td></tr>"
        if refinement
        else ""
    )
    dropped = (r.get("repair") or {}).get("dropped") or []
    repair = f"<tr><th>repair</th><td>{len(dropped)} part(s) dropped</td></tr>" if dropped else ""
    fallback = f"<p class='fallback'>{html.escape(r['fallback'])}</p>" if r.get("fallback") else ""
    candidates = r.get("candidates", [])
    runs = sum(c.get("status") == "ok" for c in candidates)
    origin = html.escape(str(r.get("chosen_origin")))
    links = " · ".join(
        f"<a href='{html.escape(files[k])}'>{label}</a>"
        for k, label in (("program", "program"), ("mesh", "mesh (.glb)"), ("result", "scores (.json)"))
        if k in files
    )
    labels = ", ".join(html.escape(p["label"]) for p in r.get("parts", [])[:12])
    more = len(r.get("parts", [])) - 12
    return f"""<div class='card {html.escape(status)}'>
  <h3>{name} <span class='badge'>{html.escape(status)}</span></h3>
  {image}
  <table>
    <tr><th>CD ×10⁻²</th><td>{_fmt(r.get("cd"), 100, 3)}</td></tr>
    <tr><th>IoU</th><td>{_fmt(r.get("iou"), 100, 1, " %")}</td></tr>
    <tr><th>F@1%</th><td>{_fmt(r.get("fscore_1"), 100, 1, " %")}</td></tr>
    <tr><th>chosen</th><td>#{r.get("chosen")} ({origin}), {runs}/{len(candidates)} ran</td></tr>
    {refined}{repair}
    <tr><th>parts</th><td>{labels}{f" +{more}" if more > 0 else ""}</td></tr>
    <tr><th>time</th><td>{_fmt((r.get("timings") or {}).get("total"), 1, 1, " s")}</td></tr>
  </table>
  {fallback}
  <p class='links'>{links}</p>
</div>"""


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px; color: #222;
       background: #fafafa; }}
h1 {{ font-size: 22px; margin: 0 0 12px; }}
.totals {{ display: flex; flex-wrap: wrap; gap: 12px; margin-bottom: 8px; }}
.total {{ background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 8px 14px;
          min-width: 110px; }}
.total b {{ display: block; font-size: 20px; }}
.total span {{ color: #666; font-size: 12px; }}
ul.notes {{ color: #555; font-size: 13px; }}
.cards {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 14px; }}
.card {{ background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 10px; }}
.card.fallback {{ border-color: #e0a030; }}
.card.failed {{ border-color: #d04040; }}
.card h3 {{ font-size: 15px; margin: 0 0 6px; word-break: break-all; }}
.badge {{ font-size: 11px; font-weight: normal; padding: 1px 6px; border-radius: 8px;
          background: #e6f2e6; color: #286028; }}
.fallback .badge {{ background: #fbefd9; color: #8a5a00; }}
.failed .badge {{ background: #f8dada; color: #902020; }}
.card img {{ width: 100%; border-radius: 4px; background: #eee; }}
.noimg {{ height: 140px; background: #eee; color: #888; display: flex; align-items: center;
          justify-content: center; }}
.card table {{ font-size: 13px; border-collapse: collapse; width: 100%; margin-top: 6px; }}
.card th {{ text-align: left; color: #666; font-weight: normal; width: 34%; padding: 1px 4px 1px 0; }}
p.fallback {{ font-size: 12px; color: #8a5a00; }}
.links {{ font-size: 13px; margin: 6px 0 0; }}
table.errors {{ border-collapse: collapse; font-size: 13px; }}
table.errors td, table.errors th {{ border: 1px solid #ddd; padding: 4px 8px; text-align: left; }}
</style></head>
<body>
<h1>{title}</h1>
<div class="totals">{totals}</div>
<ul class="notes">{notes}</ul>
<div class="cards">
{cards}
</div>
{errors}
</body></html>
"""
