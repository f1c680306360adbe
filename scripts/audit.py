"""``make audit``: pip-audit of the pinned requirements, or a plain "nothing was audited".

pip-audit asks a vulnerability database on the network (PyPI's JSON API). Where that
database cannot be reached (a machine without internet access, as CI here), pip-audit
fails with errors that read like a broken tool, or audits part of the list; this script
checks first and says plainly that nothing was audited, with
exit status 2, so that an unaudited run is never mistaken for a clean one.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOT_AUDITED = 2


def pinned_django() -> str:
    match = re.search(r"(?mi)^django==(\S+)", (ROOT / "requirements.txt").read_text())
    return match.group(1) if match else "5.2"


def default_probe() -> str:
    """The page pip-audit itself reads for one pinned package: PyPI's JSON of that exact
    release, which carries a ``vulnerabilities`` list. A mirror or proxy that answers for
    the project but not for the release (as on these machines) is not a database."""
    return f"https://pypi.org/pypi/django/{pinned_django()}/json"


def database_problem(url: str, timeout: float) -> str | None:
    """None when ``url`` answers 200 with a JSON ``vulnerabilities`` list, else why not."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:  # noqa: S310 -- https
            body = json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError) as exc:
        return str(getattr(exc, "reason", exc))
    except ValueError:
        return "the answer is not JSON"
    if not isinstance(body, dict) or not isinstance(body.get("vulnerabilities"), list):
        return "the answer has no vulnerability list"
    return None


def main() -> int:
    service = "pypi"
    probe = os.environ.get("AUDIT_PROBE_URL", default_probe())
    problem = database_problem(probe, timeout=float(os.environ.get("AUDIT_PROBE_TIMEOUT", "5")))
    if problem is not None:
        print(  # noqa: T201 -- a command-line report
            f"NOTHING WAS AUDITED: the vulnerability database ({service}, {probe}) cannot be "
            f"reached from this machine ({problem}). Run `make audit` where it can."
        )
        return NOT_AUDITED
    command = [
        sys.executable, "-m", "pip_audit", "--vulnerability-service", service,
        "--no-deps", "--progress-spinner", "off", "--strict",
        "-r", str(ROOT / "requirements.txt"), "-r", str(ROOT / "requirements-dev.txt"),
    ]  # fmt: skip
    result = subprocess.run(command, check=False)  # noqa: S603 -- our interpreter, fixed args
    if result.returncode != 0:
        print(  # noqa: T201
            "pip-audit reported vulnerabilities or packages it could not look up (those were "
            "NOT audited): read its output above."
        )
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
