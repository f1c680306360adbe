"""The throughput bench reads wrk's report (bench/run_all.py ``parse_wrk``)."""

from __future__ import annotations

from bench.run_all import parse_wrk

# Printed by Debian's wrk 4.1.0 (``--latency``) against a server answering 404.
REPORT = """\
Running 1s test @ http://127.0.0.1:8765/nonexistent
  2 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.18ms    1.13ms  13.66ms   83.01%
    Req/Sec     0.92k   254.95     1.92k    95.24%
  Latency Distribution
     50%    1.99ms
     75%    2.53ms
     90%    3.18ms
     99%    6.78ms
  1920 requests in 1.10s, 0.95MB read
  Non-2xx or 3xx responses: 1920
Requests/sec:   1744.94
Transfer/sec:      0.87MB
"""


def test_reads_requests_rate_percentiles_and_errors() -> None:
    result = parse_wrk(REPORT)
    assert result == {
        "errors": 1920,
        "p50_ms": 1.99,
        "p75_ms": 2.53,
        "p90_ms": 3.18,
        "p99_ms": 6.78,
        "requests": 1920,
        "rps": 1744.94,
    }


def test_units_and_a_clean_run() -> None:
    report = REPORT.replace("1.99ms", "812.50us").replace("6.78ms", "1.02s")
    report = report.replace("  Non-2xx or 3xx responses: 1920\n", "")
    result = parse_wrk(report)
    assert (result["p50_ms"], result["p99_ms"], result["errors"]) == (0.81, 1020.0, 0)
