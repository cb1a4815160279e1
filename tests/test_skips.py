"""kg.skips: millions of skipped records keep memory and report.json small, and no bad file
hides the others."""

from __future__ import annotations

from kg.models import Skipped
from kg.skips import SkipLog


def test_the_first_ones_are_listed_the_rest_counted_by_reason() -> None:
    log = SkipLog(listed=5, per_file=3)
    for n in range(1, 100_001):
        log.add(Skipped(f"big.jsonl:{n}", f"invalid JSON (Expecting value at line 1 column {n})"))
    log.add(Skipped("other.txt", "empty file"))
    report = log.report()
    # three from the big file, then the other file still gets its line
    assert [s["path"] for s in report["skipped"]] == [
        "big.jsonl:1", "big.jsonl:2", "big.jsonl:3", "other.txt"]
    assert report["skipped_total"] == 100_001 == len(log)
    assert report["skipped_not_listed"] == {
        "invalid JSON (Expecting value at line N column N)": 99_997}


def test_reasons_of_many_kinds_are_counted_under_other_reasons() -> None:
    log = SkipLog(listed=0)
    for n in range(150):
        log.add(Skipped(f"f{n}.txt", f"odd {'x' * n}"))
    counts = log.report()["skipped_not_listed"]
    assert len(counts) == 101 and counts["other reasons"] == 50
    assert sum(counts.values()) == 150


def test_an_empty_log_is_false() -> None:
    log = SkipLog()
    assert not log and log.report() == {"skipped": [], "skipped_total": 0,
                                        "skipped_not_listed": {}}
