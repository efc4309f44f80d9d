"""How sr-load finds and checks libsr_sink (it dlopen()s it; it is not linked with it)."""
import os
import subprocess

from conftest import SR_LOAD, env_with_password, ndjson, run, sr_load_cmd


def test_sr_load_is_not_linked_with_the_library():
    out = subprocess.run(["readelf", "-d", SR_LOAD], capture_output=True, text=True).stdout
    assert "libsr_sink" not in out


def test_a_library_with_another_abi_major_is_refused_clearly(emu, tmp_path):
    fake = os.environ["SR_LOAD_FAKE_ABI2"]
    r = run(sr_load_cmd(emu, "--library", fake, "-"), input_text='{"id":1}\n')
    assert r.rc == 2
    assert f"{fake} has ABI version 2.0, but sr-load needs ABI major 1" in r.err


def test_sr_sink_library_env_names_the_library(emu, tmp_path):
    env = env_with_password()
    env["SR_SINK_LIBRARY"] = os.environ["SR_LOAD_FAKE_ABI2"]
    r = run(sr_load_cmd(emu, "-"), input_text='{"id":1}\n', env=env)
    assert r.rc == 2 and "has ABI version 2.0" in r.err
    env["SR_SINK_LIBRARY"] = os.environ["SR_SINK_LIB"]
    r = run(sr_load_cmd(emu, "-"), input_text=ndjson([{"id": 1, "qty": 1}]), env=env)
    assert r.rc == 0, r
    assert [x["id"] for x in emu.rows()] == [1]


def test_a_missing_library_path_is_named(emu):
    r = run(sr_load_cmd(emu, "--library", "/nonexistent/libsr_sink.so.1", "-"), input_text="")
    assert r.rc == 2 and "cannot load /nonexistent/libsr_sink.so.1" in r.err
