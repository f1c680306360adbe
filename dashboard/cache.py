"""Cache of the aggregates (placeholder until the stats land)."""


def connect_invalidation_signals() -> None:
    return
