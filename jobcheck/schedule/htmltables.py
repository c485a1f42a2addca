"""The schedule map's tables: pile-ups, self-overlapping CronJobs, invalid CronJobs, clock changes."""

from __future__ import annotations

from jobcheck.schedule.htmlkit import (
    TABLE_LIMIT,
    Axis,
    cpu_text,
    esc,
    instant,
    memory_text,
    offset_text,
    requests_of,
    schedule_text,
)


def tables(doc: dict, axis: Axis, invalid: list) -> str:
    out = []
    pileups = doc.get("pileups") or []
    if pileups:
        rows = "".join(
            f'<tr class="pileup"><td>{esc(axis.when(instant(p["at"])))}</td><td class="num">{len(p["cronjobs"])}</td>'
            f"<td>{esc(_names(p['cronjobs']))}</td>"
            f'<td class="num">{esc(cpu_text(requests_of(p)[0]))}</td>'
            f'<td class="num">{esc(memory_text(requests_of(p)[1]))}</td></tr>'
            for p in pileups[:TABLE_LIMIT]
        )
        out.append(
            f'<section class="pileups"><h2>Pile-ups: minutes with {doc.get("pileupThreshold", 3)} or more starts</h2>'
            "<table><thead><tr><th>minute</th><th>starts</th><th>CronJobs</th><th>CPU</th><th>memory</th>"
            f"</tr></thead><tbody>{rows}</tbody></table>{_more(len(pileups))}</section>"
        )
    by_job: dict[str, list] = {}
    for s in doc.get("selfOverlaps") or []:  # one line per CronJob: a */5 one overlaps all week
        by_job.setdefault(s["cronjob"], []).append(s)
    if by_job:
        rows = "".join(
            f'<tr class="selfoverlap"><td>{esc(name)}</td><td class="num">{len(runs)}</td>'
            f'<td class="num">{max(s["running"] for s in runs)}</td><td>{esc(axis.when(instant(runs[0]["at"])))}</td></tr>'
            for name, runs in list(by_job.items())[:TABLE_LIMIT]
        )
        out.append(
            '<section class="selfoverlaps"><h2>Runs of one CronJob overlapping (concurrencyPolicy: Allow)</h2>'
            "<table><thead><tr><th>CronJob</th><th>starts while a run is on</th><th>most at once</th>"
            f"<th>first</th></tr></thead><tbody>{rows}</tbody></table>{_more(len(by_job))}</section>"
        )
    if invalid:
        rows = "".join(
            f'<tr class="invalid" data-id="{esc(j["id"])}"><td class="mono">{esc(j.get("file", ""))}:{esc(j.get("line", ""))}</td>'
            f'<td>{esc(j["id"])}</td><td class="mono">{esc(schedule_text(j))}</td><td class="err">{esc(j["error"])}</td></tr>'
            for j in invalid[:TABLE_LIMIT]
        )
        out.append(
            '<section class="invalid"><h2>CronJobs the API server would refuse</h2>'
            "<table><thead><tr><th>where</th><th>CronJob</th><th>schedule</th><th>error</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>{_more(len(invalid))}</section>"
        )
    dst = doc.get("dstTransitions") or []
    if dst:
        rows = "".join(
            f'<tr><td>{esc(d["zone"])}</td><td>{esc(axis.when(instant(d["at"])))}</td>'
            f"<td>UTC{offset_text(d['offsetBefore'])} → UTC{offset_text(d['offsetAfter'])}</td></tr>"
            for d in dst[:TABLE_LIMIT]
        )
        out.append(
            '<section class="dsts"><h2>Clock changes in the window</h2>'
            f"<table><thead><tr><th>zone</th><th>at</th><th>offset</th></tr></thead><tbody>{rows}</tbody></table></section>"
        )
    return "".join(out)


def _names(ids: list, limit: int = 25) -> str:
    shown = ", ".join(ids[:limit])
    return shown if len(ids) <= limit else f"{shown} and {len(ids) - limit} more"


def _more(total: int) -> str:
    return f'<p class="more">and {total - TABLE_LIMIT} more (see the JSON report)</p>' if total > TABLE_LIMIT else ""
