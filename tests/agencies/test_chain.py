"""The hash chain, without a database: any entry deleted, edited, inserted, moved or
backdated in a generated log is found, at the place where the log stops linking."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xxgk.agencies import chain

START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


def _log(n: int) -> list[dict]:
    """A chain of ``n`` entries as ``audit.record`` writes them."""
    entries, previous = [], chain.GENESIS
    for seq in range(1, n + 1):
        entry = {"id": seq + 100, "seq": seq, "at": START + dt.timedelta(minutes=seq),
                 "actor_id": seq % 3 or None, "actor_name": f"user{seq % 3}",
                 "action": "catalog.publish", "object_type": "catalog.infoitem",
                 "object_id": str(seq), "object_repr": f"关于第{seq}项的通知",
                 "agency_id": 7, "address": "10.0.0.1" if seq % 2 else None,
                 "detail": {"event": "published", "n": seq}}
        entry["previous_hash"] = previous
        entry["entry_hash"] = previous = chain.digest(previous, entry)
        entries.append(entry)
    return entries


def test_an_intact_log_holds_and_an_empty_one_too():
    assert chain.first_break(_log(50)) is None
    assert chain.first_break([]) is None


def test_the_hash_does_not_depend_on_key_order_or_time_zone():
    entry = _log(1)[0]
    shuffled = dict(reversed(list(entry.items())), detail={"n": 1, "event": "published"})
    shuffled["at"] = entry["at"].astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert chain.digest(chain.GENESIS, shuffled) == entry["entry_hash"]


@given(n=st.integers(2, 30), data=st.data())
def test_a_deleted_entry_is_found(n, data):
    log = _log(n)
    gone = data.draw(st.integers(0, n - 2))  # the last one has its own test: the head
    del log[gone]
    broken = chain.first_break(log)
    assert broken is not None and broken.seq == gone + 1 and "deleted" in broken.problem


@given(n=st.integers(1, 30), data=st.data(),
       field=st.sampled_from(["actor_name", "action", "object_repr", "object_id", "address"]),
       value=st.text(max_size=10))
def test_an_edited_entry_is_found(n, data, field, value):
    log = _log(n)
    at = data.draw(st.integers(0, n - 1))
    if log[at][field] == value:
        return
    log[at] = {**log[at], field: value}
    broken = chain.first_break(log)
    assert broken is not None and broken.seq == at + 1 and "edited" in broken.problem


@given(n=st.integers(2, 30), data=st.data())
def test_two_entries_swapped_are_found(n, data):
    log = _log(n)
    a = data.draw(st.integers(0, n - 2))
    log[a], log[a + 1] = ({**log[a + 1], "seq": a + 1}, {**log[a], "seq": a + 2})
    broken = chain.first_break(log)
    assert broken is not None and broken.seq == a + 1


@given(n=st.integers(1, 30), data=st.data())
def test_an_entry_inserted_with_a_number_of_its_own_is_found(n, data):
    log = _log(n)
    at = data.draw(st.integers(0, n - 1))
    forged = {**log[at], "id": 999, "action": "forged"}
    log = [*log[:at], forged, *({**e, "seq": e["seq"] + 1} for e in log[at:])]
    assert chain.first_break(log) is not None


def test_an_entry_appended_with_a_correct_hash_but_an_earlier_date_is_backdated():
    log = _log(10)
    forged = {**log[-1], "id": 999, "seq": 11, "previous_hash": log[-1]["entry_hash"],
              "at": START - dt.timedelta(days=30)}
    forged["entry_hash"] = chain.digest(forged["previous_hash"], forged)
    broken = chain.first_break([*log, forged])
    assert broken is not None and broken.seq == 11 and "backdated" in broken.problem
    # Clocks of two app servers may differ by a little: that is no break.
    close = {**forged, "at": log[-1]["at"] - dt.timedelta(minutes=2)}
    close["entry_hash"] = chain.digest(close["previous_hash"], close)
    assert chain.first_break([*log, close]) is None


def test_an_entry_outside_the_chain_is_found():
    log = _log(3)
    broken = chain.first_break([{**log[0], "seq": None, "id": 55}, *log])
    assert broken is not None and broken.entry_id == 55 and "not in the chain" in broken.problem


def test_a_head_exported_earlier_must_still_be_there_with_its_hash():
    log = _log(20)
    head = (15, log[14]["entry_hash"])
    assert chain.first_break(log, head) is None
    # Cut short below the head: the last entries removed.
    broken = chain.first_break(log[:10], head)
    assert broken is not None and "cut short" in broken.problem
    # Rewritten from entry 5 on, every hash recomputed: only the head shows it.
    rewritten, previous = log[:4], log[3]["entry_hash"]
    for entry in log[4:]:
        entry = {**entry, "actor_name": "someone else", "previous_hash": previous}
        entry["entry_hash"] = previous = chain.digest(previous, entry)
        rewritten.append(entry)
    assert chain.first_break(rewritten) is None
    broken = chain.first_break(rewritten, head)
    assert broken is not None and broken.seq == 15 and "rewritten" in broken.problem


@pytest.mark.parametrize("value", [[1, 2], "text", 3, None])
def test_details_of_any_json_shape_hash(value):
    entry = {**_log(1)[0], "detail": {"value": value}}
    assert len(chain.digest(chain.GENESIS, entry)) == 64


SEALED = {1: (10, 100, "a"), 2: (11, 101, "b"), 3: (11, 101, "c")}


def test_records_as_sealed_hold():
    assert chain.first_seal_break(SEALED, [(1, "a"), (2, "b"), (3, "c")], "event") is None
    assert chain.first_seal_break({}, [], "event") is None


def test_a_sealed_record_deleted_is_found_at_the_entry_that_sealed_it():
    broken = chain.first_seal_break(SEALED, [(1, "a"), (3, "c")], "event")
    assert (broken.seq, broken.entry_id) == (11, 101)
    assert str(broken) == "entry 11: the event 2 it seals is gone: deleted"


def test_a_sealed_record_edited_is_found():
    broken = chain.first_seal_break(SEALED, [(1, "a"), (2, "B"), (3, "c")], "event")
    assert str(broken) == "entry 11: event 2 is not what this entry sealed: edited"


def test_a_record_no_entry_sealed_is_found_unless_it_is_older_than_sealing():
    broken = chain.first_seal_break(SEALED, [(1, "a"), (2, "b"), (3, "c"), (4, "d")], "event")
    assert str(broken) == "event 4 is sealed by no entry: written around the application"
    assert chain.first_seal_break(SEALED, [(0, "old"), (1, "a"), (2, "b"), (3, "c")],
                                  "event") is None


@given(st.lists(st.tuples(st.integers(), st.text(), st.booleans(), st.none()), max_size=4))
def test_a_seal_covers_every_field_in_its_place(fields):
    fields = [value for row in fields for value in row]
    sealed = chain.seal(fields)
    assert chain.seal(list(fields)) == sealed
    if len(fields) >= 2 and fields[0] != fields[1]:
        assert chain.seal([fields[1], fields[0], *fields[2:]]) != sealed
    assert chain.seal([*fields, "one more"]) != sealed


def test_a_seal_reads_dates_and_times_as_either_database_gives_them_back():
    at = dt.datetime(2024, 3, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert chain.seal([at, dt.date(2024, 3, 1)]) == chain.seal(
        [at.astimezone(dt.UTC), dt.date(2024, 3, 1)])
    assert chain.seal([dt.date(2024, 3, 1)]) == chain.seal(["2024-03-01"])
