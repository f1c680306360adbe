"""``make audit`` says plainly that nothing was audited when it cannot reach the database."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_an_unreachable_vulnerability_database_is_reported_as_nothing_audited() -> None:
    result = subprocess.run(  # noqa: S603 -- our interpreter and script
        [sys.executable, str(ROOT / "scripts" / "audit.py")],
        # Port 9 (discard) on this machine: nothing answers, so no network is needed.
        env={"AUDIT_PROBE_URL": "http://127.0.0.1:9/", "AUDIT_PROBE_TIMEOUT": "2"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 2
    assert "NOTHING WAS AUDITED" in result.stdout


def test_the_make_target_runs_the_script() -> None:
    makefile = (ROOT / "Makefile").read_text()

    assert "\naudit:" in makefile
    assert "scripts/audit.py" in makefile
    assert "audit" not in makefile.split("\ntest:")[1].splitlines()[0]  # not part of make test
