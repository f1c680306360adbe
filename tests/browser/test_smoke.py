"""The browser stack works end to end: chromium reaches the live server and its static files."""

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def test_healthz_opens_in_chromium(page, live_server, artifacts_dir: Path) -> None:
    # The web part: no beat or worker runs beside the live server (tests/tracker/test_healthz.py).
    response = page.goto(live_server.url + "/healthz/web")

    assert response is not None
    page.screenshot(path=str(artifacts_dir / "smoke-healthz.png"), full_page=True)
    assert response.ok, f"/healthz answered {response.status}"


@pytest.mark.parametrize(
    "path",
    [
        "/static/css/fonts.css",
        "/static/fonts/vazirmatn/Vazirmatn-Regular.woff2",
        "/static/vendor/htmx/htmx.min.js",
        "/static/vendor/chartjs/chart.umd.min.js",
    ],
)
def test_vendored_static_files_are_served_locally(page, live_server, path: str) -> None:
    # page.request shares the browser context but does not navigate (a .woff2 would download).
    response = page.request.get(live_server.url + path)

    assert response.status == 200
    assert len(response.body()) > 500


def test_vazirmatn_font_faces_load_from_local_static(
    page, live_server, artifacts_dir: Path
) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server.url + "/static/css/fonts.css")
    # The document keeps the live server's URL, so relative URLs resolve against it.
    page.set_content(
        '<html lang="fa" dir="rtl"><head><link rel="stylesheet" href="/static/css/fonts.css">'
        "</head><body style=\"font-family: 'Vazirmatn'\">"
        '<p style="font-weight: 400">تفاهم‌نامه شهرداری قدس</p>'
        '<p style="font-weight: 500">شهرک‌های صنعتی</p>'
        '<p style="font-weight: 700">۱۱ مرداد ۱۳۹۹</p></body></html>'
    )
    loaded = page.evaluate(
        """async () => {
            const weights = ["400", "500", "700"];
            await Promise.all(weights.map((w) => document.fonts.load(`${w} 16px Vazirmatn`)));
            return weights.filter((w) => document.fonts.check(`${w} 16px Vazirmatn`));
        }"""
    )
    page.screenshot(path=str(artifacts_dir / "smoke-vazirmatn.png"))

    assert loaded == ["400", "500", "700"]
    fonts = [url for url in requested if url.endswith(".woff2")]
    assert fonts
    assert all(url.startswith(live_server.url) for url in fonts), fonts
