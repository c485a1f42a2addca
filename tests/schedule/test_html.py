"""The HTML schedule map (jobcheck.schedule.html): self-contained, escaped, aggregated, and rendered
by a real headless Chromium (Debian's ``chromium``), whose DOM and screenshot are checked.

The screenshot in the README is this test's: ``JOBCHECK_SCREENSHOT=docs/schedule-map.png pytest
tests/schedule/test_html.py -k screenshot`` writes it.
"""

from __future__ import annotations

import base64
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from jobcheck.schedule.html import PLOT_W, render
from tests.schedule import browser
from tests.schedule.mapdoc import build, job

REPO = Path(__file__).resolve().parents[2]
EVIL = "</script><img src=x onerror=\"document.title='pwned'\"><!--"
START = "2027-03-13T00:00:00Z"  # New York springs forward on Sunday 2027-03-14 at 07:00 UTC

FLEET = [
    job("db-backup", "0 2 * * *", namespace="data", line=1, cpu=500, memory=1 << 30, file="cron/backup.yaml"),
    job("logs-rotate", "0 2 * * *", namespace="ops", line=1, cpu=100, memory=128 << 20, file="cron/logs.yaml"),
    job("cache-warm", "0 2 * * *", namespace="web", line=1, cpu=250, memory=256 << 20, file="cron/web.yaml"),
    job("report-nyc", "30 2 * * 1-5", namespace="finance", tz="America/New_York", line=20, file="cron/backup.yaml"),
    job("invoice-seoul", "0 9 * * *", namespace="finance", tz="Asia/Seoul", line=40, file="cron/backup.yaml"),
    job("metrics-rollup", "*/15 * * * *", namespace="ops", line=20, cpu=50, memory=32 << 20, file="cron/logs.yaml"),
    job("heartbeat", "*/10 * * * *", namespace="ops", line=40, cpu=10, memory=16 << 20, file="cron/logs.yaml"),
    job("reindex", "0 */6 * * *", namespace="search", line=1, policy="Allow", deadline=8 * 3600, file="cron/search.yaml"),
    job("weekly-digest", "0 8 * * 1", namespace="web", tz="Europe/Berlin", line=20, file="cron/web.yaml"),
    job("cleanup", "0 3 * * *", namespace="web", suspended=True, line=40, file="cron/web.yaml"),
    job("quartz-style", "0 0 12 * * ?", namespace="web", line=60, file="cron/web.yaml"),
    job("sitemap", "15 */4 * * *", namespace="web", line=80, file="cron/web.yaml"),
]


@pytest.fixture(scope="module")
def fleet() -> dict:
    return build(FLEET, START, display="Asia/Seoul")


def _unix(text: str) -> int:
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


class Dom(HTMLParser):
    """Elements with their attributes and text: enough to query what Chromium rendered."""

    VOID = {"meta", "img", "br", "input", "link", "hr"}

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self._open: list[dict] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        el = {"tag": tag, "attrs": dict(attrs), "text": []}
        self.elements.append(el)
        if tag not in self.VOID:
            self._open.append(el)

    def handle_startendtag(self, tag, attrs):
        self.elements.append({"tag": tag, "attrs": dict(attrs), "text": []})

    def handle_endtag(self, tag):
        while self._open:
            if self._open.pop()["tag"] == tag:
                break

    def handle_data(self, data):
        for el in self._open:
            el["text"].append(data)

    def find(self, tag=None, cls=None, **attrs) -> list[dict]:
        out = []
        for el in self.elements:
            classes = el["attrs"].get("class", "").split()
            if tag and el["tag"] != tag or cls and cls not in classes:
                continue
            if all(el["attrs"].get(k.replace("_", "-")) == v for k, v in attrs.items()):
                out.append(el)
        return out

    @staticmethod
    def text(el: dict) -> str:
        return "".join(el["text"])


def _segments(d: str) -> int:
    return len(re.findall("[Mm]", d))


# -- the page as text ---------------------------------------------------------------------------


def test_page_fetches_nothing(fleet):
    page = render(fleet)
    assert not re.search(r"""(src|href)\s*=|@import|url\((?!#)|https?://""", page), "the page must be self-contained"
    assert "default-src 'none'" in page  # and the browser is told so, whatever a manifest holds
    assert page.count("<script") == 2


def test_manifest_strings_are_escaped_in_markup_and_in_the_data_island():
    hostile = job(EVIL, "0 2 * * *", namespace=EVIL, file=f"{EVIL}.yaml", line=3)
    broken = job("x", f"0 2 * * * {EVIL}", file=f"{EVIL}.yaml", line=9)
    doc = build([hostile, broken, job("ok", "0 2 * * *", line=5), job("ok2", "0 2 * * *", line=7)], START)
    assert [j["name"] for j in doc["cronjobs"] if j["error"]] == ["x"]
    page = render(doc)
    assert "<img" not in page and "<!--" not in page
    assert page.count("</script>") == 2
    island = re.search(r'<script type="application/json" id="map-data">(.*?)</script>', page, re.S).group(1)
    data = json.loads(island)
    assert [r["id"] for r in data["rows"]][0] == f"{EVIL}/{EVIL}"
    dom = Dom(page)
    names = [Dom.text(el) for el in dom.find("text", cls="name")]
    assert any(n.startswith(EVIL[:20]) for n in names)
    invalid = dom.find("tr", cls="invalid")
    assert len(invalid) == 1 and EVIL in Dom.text(invalid[0])


def test_control_and_bidi_characters_are_shown_not_obeyed():
    doc = build([job("a\u202eb\x1bc", "0 2 * * *")], START)
    page = render(doc)
    assert "\u202e" not in page and "\x1b" not in page
    assert "a\\u202eb\\x1bc" in page


def test_an_every_minute_cronjob_is_one_path_of_at_most_one_segment_per_column():
    doc = build([job("every", "* * * * *")], START)
    assert len(doc["cronjobs"][0]["runs"]) == 7 * 24 * 60
    dom = Dom(render(doc))
    (row,) = dom.find("g", cls="row")
    assert row["attrs"]["data-runs"] == "10080"
    ticks = int(row["attrs"]["data-ticks"])
    assert ticks == PLOT_W  # 10 runs share each column
    paths = dom.find("path", cls="ticks")
    assert len(paths) == 1 and _segments(paths[0]["attrs"]["d"]) == ticks


def test_rows_ticks_pileups_dst_and_suspended_in_the_markup(fleet):
    check_rendered(Dom(render(fleet)), fleet)


def check_rendered(dom: Dom, doc: dict) -> None:
    """What the page must show of ``doc``: shared by the text test and the browser test."""
    valid = [j for j in doc["cronjobs"] if not j["error"]]
    rows = dom.find("g", cls="row")
    assert [r["attrs"]["data-id"] for r in rows] == [j["id"] for j in valid]
    in_pileups = {k for p in doc["pileups"] for k in p["cronjobs"]}
    assert in_pileups, "the fleet must pile up"
    for row, j in zip(rows, valid, strict=True):
        a = row["attrs"]
        assert int(a["data-runs"]) == len(j["runs"])
        ticks, hot = int(a["data-ticks"]), int(a["data-hot"])
        assert ticks <= min(len(j["runs"]), PLOT_W)
        gaps = [b - a for a, b in zip(map(_unix, j["runs"]), map(_unix, j["runs"][1:]), strict=False)]
        if gaps and min(gaps) * PLOT_W > 7 * 86400:  # runs more than a column apart: a tick each
            assert ticks == len(j["runs"])
        assert (hot > 0) == (j["id"] in in_pileups), j["id"]
        assert ("suspended" in a["class"].split()) == j["suspended"]
    suspended = [r for r in rows if "suspended" in r["attrs"]["class"].split()]
    assert len(suspended) == 1 and suspended[0]["attrs"]["data-runs"] == "0"
    assert len(dom.find("tr", cls="pileup")) == len(doc["pileups"])
    dst = dom.find("g", cls="dst")
    assert [(g["attrs"]["data-zone"], g["attrs"]["data-at"]) for g in dst] == [
        (d["zone"], d["at"]) for d in doc["dstTransitions"]
    ]
    assert ("America/New_York", "2027-03-14T07:00:00Z") in [(d["zone"], d["at"]) for d in doc["dstTransitions"]]
    invalid = [j for j in doc["cronjobs"] if j["error"]]
    assert len(invalid) == len(dom.find("tr", cls="invalid"))
    for tr, j in zip(dom.find("tr", cls="invalid"), invalid, strict=True):
        assert j["error"] in Dom.text(tr) and f"{j['file']}:{j['line']}" in Dom.text(tr)


def test_500_cronjobs_over_7_days_render_small_and_fast():
    schedules = ["0 2 * * *", "*/15 * * * *", "0 * * * *", "30 4 * * 1-5", "*/5 9-17 * * *", "0 0 1 * *", "7 */2 * * *"]
    zones = [None, "Europe/Berlin", "America/New_York", "Asia/Seoul"]
    jobs = [
        job(f"job-{i}", schedules[i % len(schedules)], namespace=f"team-{i % 23}", tz=zones[i % 4], line=i + 1,
            suspended=i % 50 == 0)
        for i in range(500)
    ]
    jobs.append(job("every-minute", "* * * * *", line=999))
    doc = build(jobs, START, display="Asia/Seoul")
    began = time.perf_counter()
    page = render(doc)
    elapsed = time.perf_counter() - began
    assert elapsed < 2.0, f"{elapsed:.2f} s"
    assert len(page) < 3_000_000, len(page)
    dom = Dom(page)
    assert len(dom.find("g", cls="row")) == 501
    assert len(dom.elements) < 20 * 501 + 2000  # a bounded number of elements per CronJob


def test_committed_screenshot_is_a_real_png_of_the_documented_size():
    png = REPO / "docs" / "schedule-map.png"
    width, height, rows = browser.read_png(png.read_bytes())
    assert (width, height) == (1400, 900)
    assert len(browser.colours(rows, len(rows[0]) // width)) > 200


# -- the page in Chromium ------------------------------------------------------------------------

needs_chromium = pytest.mark.skipif(
    browser.chromium() is None,
    reason="Chromium is not installed (Debian: apt-get install chromium; or set JOBCHECK_CHROMIUM)",
)


@needs_chromium
def test_chromium_renders_every_row_marker_and_table(fleet, tmp_path):
    page = tmp_path / "map.html"
    page.write_text(render(fleet), encoding="utf-8")
    dom = Dom(browser.dump_dom(page))
    valid = [j for j in fleet["cronjobs"] if not j["error"]]
    (root,) = dom.find("html")
    assert root["attrs"].get("data-ready") == str(len(valid)), "the page's script did not run to its end"
    check_rendered(dom, fleet)


@needs_chromium
def test_chromium_does_not_run_markup_from_manifest_strings(tmp_path):
    hostile = [job(EVIL, "0 2 * * *", namespace=EVIL, file=f"{EVIL}.yaml", line=1),
               job("b", f"0 2 * * * {EVIL}", file=f"{EVIL}.yaml", line=2),
               job("c", "0 2 * * *", tz=EVIL, line=3)]
    doc = build(hostile, START, display="UTC")
    page = tmp_path / "evil.html"
    page.write_text(render(doc), encoding="utf-8")
    dom = Dom(browser.dump_dom(page, "#tip=0@" + str(_unix(doc["cronjobs"][0]["runs"][0]))))
    assert not dom.find("img")
    assert Dom.text(dom.find("title")[0]).startswith("Schedule map")  # onerror never ran
    (root,) = dom.find("html")
    assert root["attrs"].get("data-ready") == str(sum(1 for j in doc["cronjobs"] if not j["error"]))
    (tip,) = dom.find("div", id="tip")
    assert "hidden" not in tip["attrs"] and Dom.text(tip).startswith(f"{EVIL}/{EVIL}")


@needs_chromium
def test_chromium_hover_details_show_name_schedule_local_and_utc_time(fleet, tmp_path):
    page = tmp_path / "map.html"
    page.write_text(render(fleet), encoding="utf-8")
    valid = [j for j in fleet["cronjobs"] if not j["error"]]
    index = next(i for i, j in enumerate(valid) if j["name"] == "report-nyc")
    run = _unix(valid[index]["runs"][1])
    dom = Dom(browser.dump_dom(page, f"#tip={index}@{run}"))
    (tip,) = dom.find("div", id="tip")
    assert "hidden" not in tip["attrs"]
    text = Dom.text(tip)
    seoul = datetime.fromtimestamp(run, ZoneInfo("Asia/Seoul"))
    utc = datetime.fromtimestamp(run, timezone.utc)
    nyc = datetime.fromtimestamp(run, ZoneInfo("America/New_York"))
    assert text.startswith("finance/report-nyc")
    assert "30 2 * * 1-5" in text and "America/New_York" in text
    assert f"{seoul:%a} {seoul.day} {seoul:%b %H:%M} Asia/Seoul (UTC+09:00)" in text
    assert f"{utc:%a} {utc.day} {utc:%b %H:%M} UTC" in text
    assert f"{nyc:%H:%M}" == "02:30" and f"{nyc:%a} {nyc.day} {nyc:%b} 02:30 America/New_York" in text


@needs_chromium
def test_chromium_screenshot_is_a_full_size_non_blank_png(fleet, tmp_path):
    page = tmp_path / "map.html"
    page.write_text(render(fleet), encoding="utf-8")
    png = tmp_path / "map.png"
    browser.screenshot(page, png)
    width, height, rows = browser.read_png(png.read_bytes())
    assert (width, height) == (1400, 900)
    bpp = len(rows[0]) // width
    assert len(browser.colours(rows, bpp)) > 200  # text, bars, ticks: not a blank or error page
    # The plot's tick colour and the pile-up red both made it to the screen.
    seen = browser.colours(rows[450:], bpp)
    assert bytes((0x2F, 0x5F, 0xD0)) in {c[:3] for c in seen} and bytes((0xD7, 0x26, 0x3D)) in {c[:3] for c in seen}
    target = os.environ.get("JOBCHECK_SCREENSHOT")
    if target:
        shutil.copyfile(png, REPO / target)


@pytest.fixture(scope="module")
def live(fleet, tmp_path_factory):
    """The fleet's page open in Chromium, driven over the DevTools protocol."""
    if browser.chromium() is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium; or set JOBCHECK_CHROMIUM)")
    page = tmp_path_factory.mktemp("live") / "map.html"
    page.write_text(render(fleet), encoding="utf-8")
    tools = browser.DevTools()
    try:
        tools.open(page.as_uri())
        yield tools
    finally:
        tools.close()


def _point_at(live, row: int, unix: int) -> tuple[float, float]:
    """Viewport coordinates of ``unix`` on the timeline, in the middle of row ``row``."""
    return tuple(live.js(f"""(() => {{
      const svg = document.getElementById('timeline'), row = document.querySelector('g.row[data-row="{row}"]');
      row.scrollIntoView({{block: 'center'}});
      const data = JSON.parse(document.getElementById('map-data').textContent);
      const p = svg.createSVGPoint();
      p.x = data.labelWidth + ({unix} - data.t0) * data.plotWidth / data.span; p.y = 0;
      const b = row.getBoundingClientRect();
      return [p.matrixTransform(svg.getScreenCTM()).x, b.y + b.height / 2];
    }})()"""))


def test_hovering_a_run_in_chromium_shows_its_name_schedule_and_times(live, fleet):
    valid = [j for j in fleet["cronjobs"] if not j["error"]]
    index = next(i for i, j in enumerate(valid) if j["name"] == "weekly-digest")
    run = _unix(valid[index]["runs"][0])
    live.move(*_point_at(live, index, run))
    hidden, text = live.js("[document.getElementById('tip').hidden, document.getElementById('tip').innerText]")
    assert not hidden
    seoul = datetime.fromtimestamp(run, ZoneInfo("Asia/Seoul"))
    berlin = datetime.fromtimestamp(run, ZoneInfo("Europe/Berlin"))
    utc = datetime.fromtimestamp(run, timezone.utc)
    assert text.split("\n")[:2] == ["web/weekly-digest", "0 8 * * 1 (Europe/Berlin)"]
    assert f"run at {seoul:%a} {seoul.day} {seoul:%b %H:%M} Asia/Seoul (UTC+09:00)" in text
    assert f"{utc:%a} {utc.day} {utc:%b %H:%M} UTC" in text
    assert f"{berlin:%a %H:%M}" == "Mon 08:00" and f"Mon {berlin.day} {berlin:%b} 08:00 Europe/Berlin" in text
    # Off the rows, the tooltip goes away.
    live.move(5, 5)
    assert live.js("document.getElementById('tip').hidden") is True


def test_suspended_rows_are_grey_and_print_media_hides_the_tooltip(live):
    fills = live.js("""[...document.querySelectorAll('g.row')].map(
        g => [g.classList.contains('suspended'), getComputedStyle(g.querySelector('text.name')).fill])""")
    grey = {fill for suspended, fill in fills if suspended}
    normal = {fill for suspended, fill in fills if not suspended}
    assert len(grey) == 1 and len(normal) == 1 and grey != normal
    r, g, b = map(int, re.findall(r"\d+", grey.pop()))
    assert max(r, g, b) - min(r, g, b) < 30 and 120 < r < 200  # a light grey
    try:
        live.call("Emulation.setEmulatedMedia", session=True, media="print")
        assert live.js("getComputedStyle(document.getElementById('tip')).display") == "none"
        pdf = live.call("Page.printToPDF", session=True, landscape=True, printBackground=True)["data"]
        assert base64.b64decode(pdf).startswith(b"%PDF")
    finally:
        live.call("Emulation.setEmulatedMedia", session=True, media="")


def test_hours_follow_the_display_zone_even_at_a_45_minute_offset():
    doc = build([job("a", "0 2 * * *")], START, days=1, display="Asia/Kathmandu")  # UTC+05:45
    dom = Dom(render(doc))
    axis = dom.find("svg", id="axis")
    assert axis
    hours = {Dom.text(t): float(t["attrs"]["x"]) for t in dom.find("text") if re.fullmatch(r"\d\d", Dom.text(t))}
    # 06:00 in Kathmandu is 00:15 UTC, a quarter hour into the window.
    assert hours["06"] == pytest.approx(330 + 900 * PLOT_W / 86400, abs=0.01)
    assert hours["07"] - hours["06"] == pytest.approx(3600 * PLOT_W / 86400, abs=0.01)


def test_a_month_window_with_a_truncated_cronjob_and_a_half_hour_dst_change():
    jobs = [job("every", "* * * * *", line=1), job("howe", "30 1 * * *", tz="Australia/Lord_Howe", line=2)]
    doc = build(jobs, START, days=31, display="UTC")
    every = doc["cronjobs"][0]
    assert every["truncated"] and len(every["runs"]) == 20_000
    dom = Dom(render(doc))
    rows = dom.find("g", cls="row")
    assert "truncated" in rows[0]["attrs"]["class"].split() and int(rows[0]["attrs"]["data-ticks"]) <= PLOT_W
    assert "20000+ runs (truncated)" in Dom.text(rows[0])
    (dst,) = dom.find("g", cls="dst")
    assert dst["attrs"]["data-zone"] == "Australia/Lord_Howe" and "+11:00→+10:30" in render(doc)


def test_an_empty_map_and_a_map_of_only_invalid_cronjobs_render():
    empty = Dom(render(build([], START)))
    assert not empty.find("g", cls="row") and not empty.find("tr", cls="invalid")
    broken = build([job("x", "0 0 31 2 * *"), job("y", "61 * * * *", line=2)], START)
    dom = Dom(render(broken))
    assert not dom.find("g", cls="row")
    assert [Dom.text(tr).split("default/")[1][:1] for tr in dom.find("tr", cls="invalid")] == ["x", "y"]


def test_self_overlaps_are_summed_up_per_cronjob():
    doc = build([job("slow", "*/5 * * * *", deadline=900), job("fine", "0 * * * *", line=2)], START, days=1)
    assert len(doc["selfOverlaps"]) > 200
    dom = Dom(render(doc))
    (tr,) = dom.find("tr", cls="selfoverlap")
    cells = [Dom.text(td) for td in dom.elements if td["tag"] == "td" and td in _children(dom, tr)]
    assert cells[:3] == ["default/slow", str(len(doc["selfOverlaps"])), "3"]
    (row,) = [r for r in dom.find("g", cls="row") if r["attrs"]["data-id"] == "default/slow"]
    assert "selfoverlap" in row["attrs"]["class"].split()


def _children(dom: Dom, parent: dict) -> list:
    start = dom.elements.index(parent)
    out = []
    for el in dom.elements[start + 1 :]:
        if el["tag"] == "tr":
            break
        out.append(el)
    return out


def test_a_cronjob_without_a_schedule_string_is_listed_with_a_dash():
    doc = build([job("x", "0 2 * * *")], START)
    doc["cronjobs"][0].update(schedule=None, runs=[], error="spec.schedule: Required value")
    (tr,) = Dom(render(doc)).find("tr", cls="invalid")
    assert "—" in Dom.text(tr) and "None" not in Dom.text(tr)


FLEET_YAML = """\
apiVersion: batch/v1
kind: CronJob
metadata: {name: backup, namespace: data}
spec:
  schedule: "0 2 * * *"
  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox:1.36, resources: {requests: {cpu: 500m, memory: 1Gi}}}]}}}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: rotate, namespace: ops}
spec:
  schedule: "0 2 * * *"
  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox:1.36}]}}}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: "warm</script><img src=x onerror=alert(1)>", namespace: web}
spec:
  schedule: "0 2 * * *"
  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox:1.36}]}}}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: finance}
spec:
  schedule: "30 2 * * *"
  timeZone: America/New_York
  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox:1.36}]}}}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: paused, namespace: web}
spec:
  schedule: "*/5 * * * *"
  suspend: true
  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox:1.36}]}}}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: tz, namespace: web}
spec:
  schedule: "TZ=UTC 0 3 * * *"
  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox:1.36}]}}}}
"""


@needs_chromium
def test_jobcheck_schedule_format_html_end_to_end(tmp_path):
    """The command's page, from manifests, rendered in Chromium, against the command's JSON."""
    if importlib.util.find_spec("jobcheck.cli.schedule") is None:
        pytest.skip("this tree has no `jobcheck schedule` command yet")
    (tmp_path / "fleet.yaml").write_text(FLEET_YAML, encoding="utf-8")
    common = ["fleet.yaml", "--from", START, "--window", "7d", "--timezone", "Asia/Seoul"]

    def run(*args: str) -> None:
        subprocess.run([sys.executable, "-m", "jobcheck", "schedule", *common, *args], cwd=tmp_path,
                       capture_output=True, timeout=120, env={**os.environ, "PYTHONPATH": str(REPO)})

    run("--format", "json", "--output", "map.json")
    run("--format", "html", "--output", "map.html")
    doc = json.loads((tmp_path / "map.json").read_text(encoding="utf-8"))
    assert len(doc["cronjobs"]) == 6 and doc["pileups"] and [j["name"] for j in doc["cronjobs"] if j["error"]] == ["tz"]
    page = (tmp_path / "map.html").read_text(encoding="utf-8")
    assert page == render(doc)  # the page is drawn from exactly the JSON document
    dom = Dom(browser.dump_dom(tmp_path / "map.html"))
    assert not dom.find("img")
    (root,) = dom.find("html")
    assert root["attrs"].get("data-ready") == str(sum(1 for j in doc["cronjobs"] if not j["error"]))
    check_rendered(dom, doc)
