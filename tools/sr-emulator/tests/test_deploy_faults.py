"""Fault options for real-deployment tests (issue #19): `every` affects every N-th request."""
import json

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


def test_advertise_be_host_names_an_unreachable_be_in_location_and_error_url(make_emu):
    e = make_emu(args=["--advertise-be-host", "starrocks-be-0.starrocks-be-svc"])
    # The FE's 307 names the advertised host with the BE's real port; curl cannot follow it.
    code, text = e.curl("-u", "root:", "-H", "label:adv1", "-H", "Expect:100-continue", "-T", "/dev/null",
                        "-D", "-", e.fe("/api/shop/orders/_stream_load"))
    assert code == 307, text
    assert "Location: http://starrocks-be-0.starrocks-be-svc:%d/api/shop/orders/_stream_load" % e.be_port in text
    # Loaded directly on the BE, rejected rows get an ErrorURL naming the advertised host.
    body = e.tmp_path / "bad.json"
    body.write_text('{"id": 1, "name": "a"}\n{"id": "x"}\n')
    code, text = e.curl("-u", "root:", "-H", "label:adv2", "-H", "Expect:100-continue",
                        "-H", "format: json", "-H", "max_filter_ratio: 1", "-T", str(body),
                        e.be("/api/shop/orders/_stream_load"))
    r = json.loads(text)
    assert r["Status"] == "Success" and r["NumberFilteredRows"] == 1, r
    assert r["ErrorURL"].startswith("http://starrocks-be-0.starrocks-be-svc:%d/api/_load_error_log?file=" % e.be_port)
    # The error log itself is still served on the real address.
    path = r["ErrorURL"].split(":%d" % e.be_port, 1)[1]
    code, log = e.curl(e.be(path))
    assert code == 200 and log.strip()
