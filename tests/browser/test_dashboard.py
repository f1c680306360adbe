"""Browser: the dashboard of a manager. Chart.js (served from /static/) draws the four charts,
nothing is fetched from another host, the page is right to left with Persian digits, the
organisation and date filters change the numbers, and the chart and its links open the list
they count, with as many rows as the number shown. At a phone's width nothing scrolls
sideways."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from agreements.choices import AgreementStatus
from agreements.models import AgreementStatusChange
from dashboard import stats
from organizations.choices import OrganizationKind, Role
from tests.factories import (
    ActionItemFactory,
    AgreementFactory,
    MeetingFactory,
    OrganizationFactory,
    member,
)
from tracker.jalali import TEHRAN, jalali_string, month_bounds, to_jalali_date
from tracker.text import to_latin_digits, to_persian_digits

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-1234"  # UserFactory's
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
CHARTS = ("by-status", "durations", "timeline", "actions")
LATIN_DIGIT = re.compile(r"[0-9]")


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=TEHRAN)


@pytest.fixture
def world() -> dict[str, Any]:
    """A municipality and its industrial estate (the manager sees both), and a stranger
    whose rows must count nowhere; meetings of every status in this month and the last."""
    from dashboard.cache import bump_generation

    bump_generation()
    today = stats.today()
    j = to_jalali_date(today)
    this_first, _ = month_bounds(j.year, j.month)
    last_first, _ = month_bounds(*((j.year - 1, 12) if j.month == 1 else (j.year, j.month - 1)))
    muni = OrganizationFactory(name="شهرداری قدس")
    # A long name, as real ones are: it must not be cut on the action-items chart.
    estate = OrganizationFactory(
        name="شهرک صنعتی عباس‌آباد شهرستان پاکدشت",
        kind=OrganizationKind.INDUSTRIAL_ESTATE,
        parent=muni,
    )
    stranger = OrganizationFactory(name="شهرداری ری")
    manager = member(muni, Role.MANAGER, username="modir")

    # Held (held or minutes approved) this month: muni 3, estate 1; last month: muni 1,
    # estate 2. Planned and cancelled ones are in the list but not in "held".
    plan = [
        (muni, this_first, "held", 2),
        (muni, this_first, "minutes_approved", 1),
        (muni, this_first, "planned", 1),
        (muni, this_first, "cancelled", 1),
        (estate, this_first, "held", 1),
        (estate, this_first, "planned", 1),
        (muni, last_first, "held", 1),
        (estate, last_first, "minutes_approved", 2),
        (stranger, this_first, "held", 3),
    ]
    # Titles as people type them here, in Persian digits (the factories' are Latin, and the
    # page shows a title as it was typed).
    serial = iter(to_persian_digits(str(n)) for n in range(1, 100))
    meetings: dict[Any, Any] = {}
    for host, day, status, n in plan:
        for i in range(n):
            meetings[host] = MeetingFactory(
                host=host, start=_at(day, 9 + i), status=status, title=f"جلسه {next(serial)}"
            )
    # Open action items: muni 2 (one overdue), estate 1; the stranger's are unseen.
    for host, due in ((muni, 5), (muni, -3), (estate, 2), (stranger, 2)):
        ActionItemFactory(
            meeting=meetings[host],
            due_date=today + timedelta(days=due),
            description=f"اقدام {next(serial)}",
        )

    # Agreements by status: draft muni 2 + estate 1, negotiation estate 1, signed and in
    # force muni 1 each; the stranger's four drafts are unseen.
    for owner, status, n in (
        (muni, "draft", 2),
        (estate, "draft", 1),
        (estate, "negotiation", 1),
        (stranger, "draft", 4),
    ):
        for _ in range(n):
            AgreementFactory(
                owning_organization=owner, status=status, title=f"تفاهم‌نامه {next(serial)}"
            )
    signed = AgreementFactory(
        owning_organization=muni, status="signed", signed_date=this_first, title="امضاشده"
    )
    in_force = AgreementFactory(
        owning_organization=muni, status="in_force", signed_date=last_first, title="در اجرا"
    )
    # Finished stays, for the durations chart: draft 10 days, internal review 4.
    for agreement in (signed, in_force):
        start = _at(last_first, 8) - timedelta(days=30)
        for to_status, days in (("draft", 0), ("internal_review", 10), ("legal_review", 14)):
            AgreementStatusChange.objects.create(
                agreement=agreement,
                to_status=to_status,
                at=start + timedelta(days=days),
                lock_version=1,
            )
    return {
        "manager": manager,
        "estate": estate,
        "this_first": this_first,
        "this_key": f"{j.year}-{j.month:02d}",
    }


def _record_requests(page: Any) -> list[str]:
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def _open_dashboard(page: Any, url: str) -> dict[str, Any]:
    """Go to ``url`` and wait until every chart is drawn (or, without data, replaced by a
    note saying so) and its bars have stopped growing (a click hits the bars where they are
    drawn at that moment); the numbers the page embeds."""
    page.goto(url)
    page.wait_for_function(
        """() => document.querySelectorAll('canvas[data-chart]:not([data-drawn])').length === 0
                 && [...document.querySelectorAll('canvas[data-drawn]')]
                      .every(c => !Chart.animator.running(c.chart))"""
    )
    return dict(page.evaluate("JSON.parse(document.getElementById('dashboard-data').textContent)"))


def _number(text: str) -> int:
    """A count as the page shows it (Persian digits), e.g. «پیش‌نویس: ۳» → 3."""
    assert not LATIN_DIGIT.search(text), text
    found = re.findall(r"\d+", to_latin_digits(text))
    assert len(found) == 1, text
    return int(found[0])


def _status_links(page: Any) -> dict[str, int]:
    links = page.locator("#by-status .chart-links a")
    texts = [links.nth(i).inner_text() for i in range(links.count())]
    return {t.split(":")[0].strip(): _number(t) for t in texts}


def _held_in_table(page: Any) -> int:
    """The fiscal-year table's "meetings held", summed over its rows."""
    cells = page.locator("#fiscal-years tbody tr td:nth-child(3)")
    return sum(_number(cells.nth(i).inner_text()) for i in range(cells.count()))


def _open_actions(page: Any) -> int:
    return _number(page.locator("#actions a").first.inner_text())


def _list_rows(page: Any) -> int:
    """Rows of the list page (no pagination at these sizes), the "nothing found" row aside."""
    assert page.locator("nav.pagination").count() == 0
    return int(page.locator("table.cards tbody tr:not(:has(td[colspan]))").count())


# Where Chart.js drew each axis label: from its anchor, rotation and alignment, and the width
# of its widest line, the label's left and right ends along the canvas (CSS pixels).
LABEL_EXTENTS = """() => [...document.querySelectorAll('canvas[data-drawn="true"]')].flatMap(c => {
  const chart = c.chart, ctx = chart.ctx;
  return Object.values(chart.scales).flatMap(scale => scale.getLabelItems().map(item => {
    const lines = [].concat(item.label).map(String);
    ctx.save();
    ctx.font = item.font.string;
    const width = Math.max(...lines.map(line => ctx.measureText(line).width));
    ctx.restore();
    const o = item.options, cos = Math.abs(Math.cos(o.rotation));
    const from = {left: 0, right: -width, center: -width / 2}[o.textAlign] ?? -width / 2;
    const [x] = o.translation;
    return {chart: c.dataset.chart, label: lines.join(' '), canvas: chart.width,
            left: x + from * cos, right: x + (from + width) * cos};
  }));
})"""


def _cut_labels(page: Any) -> list[dict[str, Any]]:
    """Axis labels that run past the canvas's edges (one pixel of slack for rounding)."""
    return [
        label
        for label in page.evaluate(LABEL_EXTENTS)
        if label["left"] < -1 or label["right"] > label["canvas"] + 1
    ]


def _bar_centre(page: Any, chart: str, dataset: int, label: str) -> dict[str, float]:
    """Where to click on ``chart``'s bar of ``dataset`` at ``label`` (canvas pixels)."""
    return dict(
        page.evaluate(
            """([name, dataset, label]) => {
                const c = document.querySelector(`canvas[data-chart="${name}"]`).chart;
                const bar = c.getDatasetMeta(dataset).data[c.data.labels.indexOf(label)];
                const centre = bar.getCenterPoint();  // (vertical or horizontal bars)
                return {x: centre.x, y: centre.y};
            }""",
            [chart, dataset, label],
        )
    )


def _overflow(page: Any) -> int:
    return int(
        page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    )


def test_dashboard_charts_filters_and_links(
    page: Any, live_server: Any, world: dict[str, Any], artifacts_dir: Path
) -> None:
    requests = _record_requests(page)
    page.set_viewport_size(DESKTOP)
    login(page, live_server, "modir", PASSWORD)
    data = _open_dashboard(page, live_server.url + "/dashboard/")
    page.screenshot(path=str(artifacts_dir / "dashboard.png"), full_page=True)

    # Chart.js is the local copy, and it drew every chart: bars for every label, pixels.
    assert any(u.endswith("/static/vendor/chartjs/chart.umd.min.js") for u in requests)
    assert page.locator('canvas[data-drawn="true"]').count() == len(CHARTS)
    for name in CHARTS:
        drawn = page.evaluate(
            """name => {
                const c = document.querySelector(`canvas[data-chart="${name}"]`);
                const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let ink = 0;
                for (let i = 3; i < px.length; i += 4) { if (px[i] > 0) ink++; }
                return {ink, bars: c.chart.getDatasetMeta(0).data.length,
                        labels: c.chart.data.labels.length, width: c.width};
            }""",
            name,
        )
        assert drawn["labels"] > 0, name
        assert drawn["bars"] == drawn["labels"], name
        assert drawn["ink"] > drawn["width"], (name, drawn)

    # Right to left, in Persian; the numbers people read use Persian digits, on the axes too.
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "fa"
    main = page.evaluate(
        """() => { const m = document.querySelector('main').cloneNode(true);
                   m.querySelectorAll('.ltr, script').forEach(e => e.remove());
                   return m.innerText; }"""
    )
    assert not LATIN_DIGIT.search(main), LATIN_DIGIT.findall(main)
    ticks = page.evaluate(
        """() => [...document.querySelectorAll('canvas[data-chart]')].flatMap(c =>
              Object.values(c.chart.scales).flatMap(s => s.ticks.map(t => String(t.label))))"""
    )
    assert ticks
    assert not [t for t in ticks if LATIN_DIGIT.search(t)], ticks
    # Every label whole: none runs off the canvas (a slanted month, a long organisation).
    assert _cut_labels(page) == []
    # Time and categories run from the right: the oldest month is the rightmost bar.
    order = page.evaluate(
        """() => { const c = document.querySelector('canvas[data-chart="timeline"]').chart;
                   const bars = c.getDatasetMeta(1).data;
                   return c.data.labels.map((label, i) => [bars[i].x, label])
                     .sort((a, b) => b[0] - a[0]).map(pair => pair[1]); }"""
    )
    assert order == [m["label"] for m in data["timeline"]["months"]]

    # The numbers: the manager's two organisations, never the stranger's rows.
    draft, negotiation = AgreementStatus.DRAFT.label, AgreementStatus.NEGOTIATION.label
    everything = _status_links(page)
    assert everything[draft] == 3
    assert everything[negotiation] == 1
    assert _held_in_table(page) == 7
    assert _open_actions(page) == 3
    this_month = next(m for m in data["timeline"]["months"] if m["key"] == world["this_key"])
    assert this_month["meetings_held"] == 4

    # Filter by the estate: the numbers change to the estate's.
    page.select_option("#id_organization", label=world["estate"].name)
    with page.expect_navigation():
        page.get_by_role("button", name="اعمال").click()
    assert parse_qs(urlsplit(page.url).query)["organization"] == [str(world["estate"].pk)]
    _open_dashboard(page, page.url)
    by_estate = _status_links(page)
    assert by_estate[draft] == 1
    assert by_estate[negotiation] == 1
    assert _held_in_table(page) == 3
    assert _open_actions(page) == 1

    # A date range (typed in Jalali, Persian digits): from the first of this month only.
    page.goto(live_server.url + "/dashboard/")
    page.locator("#id_date_from").fill(to_persian_digits(jalali_string(world["this_first"])))
    page.locator("h1").click()  # leave the input; the picker hides
    page.wait_for_timeout(400)
    with page.expect_navigation():
        page.get_by_role("button", name="اعمال").click()
    ranged = _open_dashboard(page, page.url)
    assert [m["key"] for m in ranged["timeline"]["months"]] == [world["this_key"]]
    assert _held_in_table(page) == 4
    # The signed agreement of last month is out of the range; this month's is in.
    assert sum(m["agreements_signed"] for m in ranged["timeline"]["months"]) == 1

    # A click on this month's "meetings held" bar opens the meeting list it counted.
    data = _open_dashboard(page, live_server.url + "/dashboard/")
    month = next(m for m in data["timeline"]["months"] if m["key"] == world["this_key"])
    shown = month["meetings_held"]
    with page.expect_navigation():
        page.locator('canvas[data-chart="timeline"]').click(
            position=_bar_centre(page, "timeline", 1, month["label"])
        )
    assert urlsplit(page.url).path == "/meetings/"
    assert sorted(parse_qs(urlsplit(page.url).query)["status"]) == ["held", "minutes_approved"]
    assert _list_rows(page) == shown == 4
    selected = page.eval_on_selector(
        "#id_status", "s => [...s.selectedOptions].map(o => o.value).sort()"
    )
    assert selected == ["held", "minutes_approved"]

    # A bar of the status chart (drafts) opens the agreements in that status.
    _open_dashboard(page, live_server.url + "/dashboard/")
    with page.expect_navigation():
        page.locator('canvas[data-chart="by-status"]').click(
            position=_bar_centre(page, "by-status", 0, draft)
        )
    assert parse_qs(urlsplit(page.url).query)["status"] == ["draft"]
    assert _list_rows(page) == 3

    # The links beside the charts: agreements of a status, open action items.
    _open_dashboard(page, live_server.url + "/dashboard/")
    link = page.locator("#by-status .chart-links a", has_text=draft)
    shown = _number(link.inner_text())
    with page.expect_navigation():
        link.click()
    assert urlsplit(page.url).path == "/agreements/"
    assert _list_rows(page) == shown == 3
    _open_dashboard(page, live_server.url + "/dashboard/")
    shown = _open_actions(page)
    with page.expect_navigation():
        page.locator("#actions a").first.click()
    assert urlsplit(page.url).path == "/meetings/action-items/"
    assert _list_rows(page) == shown == 3

    # The red bar of an organisation opens its overdue items, not its open ones.
    data = _open_dashboard(page, live_server.url + "/dashboard/")
    late = next(r for r in data["action_items"]["by_organization"] if r["overdue"])
    assert late["overdue"] < late["open"]  # so the two lists differ
    with page.expect_navigation():
        page.locator('canvas[data-chart="actions"]').click(
            position=_bar_centre(page, "actions", 1, late["name"])
        )
    assert urlsplit(page.url).path == "/meetings/action-items/"
    assert parse_qs(urlsplit(page.url).query)["overdue"] == ["true"]
    assert _list_rows(page) == late["overdue"] == 1

    local = urlsplit(live_server.url).netloc
    remote = [u for u in requests if urlsplit(u).scheme in ("http", "https", "ws", "wss")]
    assert [u for u in remote if urlsplit(u).netloc != local] == []


def test_dashboard_on_a_phone_does_not_scroll_sideways(
    page: Any, live_server: Any, world: dict[str, Any], artifacts_dir: Path
) -> None:
    page.set_viewport_size(PHONE)
    login(page, live_server, "modir", PASSWORD)
    _open_dashboard(page, live_server.url + "/dashboard/")
    page.screenshot(path=str(artifacts_dir / "phone-dashboard.png"), full_page=True)
    assert _overflow(page) <= 0
    for name in CHARTS:
        box = page.locator(f'canvas[data-chart="{name}"]').bounding_box()
        assert box is not None, name
        assert box["x"] >= 0, (name, box)
        assert box["x"] + box["width"] <= PHONE["width"], (name, box)
    assert _cut_labels(page) == []
    for selector in (
        "#timeline .table-wrap >> nth=0",
        "#timeline .table-wrap >> nth=1",
        "#upcoming .table-wrap",
    ):
        wrap = page.locator(selector)
        if wrap.count():
            assert wrap.evaluate("w => w.scrollWidth - w.clientWidth") <= 0, selector
    # The meeting list a month's bar opens, with its several-status filter, fits too.
    meetings_url = page.evaluate(
        "JSON.parse(document.getElementById('dashboard-data').textContent)"
        ".timeline.months.at(-1).meetings_url"
    )
    page.goto(live_server.url + meetings_url)
    page.screenshot(path=str(artifacts_dir / "phone-meetings-held.png"), full_page=True)
    assert _overflow(page) <= 0
    status = page.locator("#id_status").bounding_box()
    assert status is not None
    assert status["x"] >= 0
    assert status["x"] + status["width"] <= PHONE["width"]
