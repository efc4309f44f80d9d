"""Fault options for real-deployment tests (issue #19): `every` affects every N-th request."""
from conftest import ndjson

ROW = ndjson({"id": 1, "name": "a"})


def test_every_second_load_fails_with_too_many_versions(emu):
    emu.fault(point="be_stream_load", action="too_many_versions", every=2, times=2)
    statuses = [emu.stream_load(ROW, label=f"e{i}")[1]["Status"] for i in range(6)]
    assert statuses == ["Success", "Fail", "Success", "Fail", "Success", "Success"]
    f = emu.faults()[0]
    assert f["hits"] == 2 and f["remaining_times"] == 0


def test_every_must_be_positive(emu):
    code, body = emu.admin("POST", "/_emulator/faults",
                           {"point": "be_stream_load", "action": "not_master", "every": 0})
    assert code == 400 and "every" in str(body)
