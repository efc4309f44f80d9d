"""Command line: --help, --version, and ports that are already taken (issue #11, item 12)."""
import subprocess

from conftest import EMULATOR


def run(*args, timeout=30):
    return subprocess.run([EMULATOR] + list(args), capture_output=True, timeout=timeout)


def test_help_lists_every_option_and_exits_0(emu):
    out = run("--help")
    assert out.returncode == 0 and out.stderr == b""
    text = out.stdout.decode()
    for option in ("--fe-port", "--be-port", "--bind", "--catalog", "--data-dir", "--users", "--discard",
                   "--follower", "--legacy-responses", "--label-keep-max-num", "--label-keep-max-second",
                   "--prepared-transaction-default-timeout-second", "--max-running-txn-num-per-db",
                   "--streaming-load-max-mb", "--streaming-load-max-batch-size-mb",
                   "--stream-load-default-timeout-second", "--help", "--version"):
        assert option in text, option


def test_version_is_one_line_and_exits_0(emu):
    out = run("--version")
    assert out.returncode == 0 and out.stderr == b""
    lines = out.stdout.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sr-emulator ") and len(lines[0].split()) == 2


def test_unknown_option_points_at_help(emu):
    out = run("--no-such-option")
    assert out.returncode == 2 and out.stdout == b""
    assert b"--no-such-option" in out.stderr and b"--help" in out.stderr


def assert_busy_port_refused(emu, args, port, role):
    out = run(*args)
    assert out.returncode == 1, out
    assert out.stdout == b"", "no ready line when a port is busy"
    err = out.stderr.decode()
    assert role in err and str(port) in err and "in use" in err, err
    # The running emulator still owns the port and answers.
    assert emu.admin("GET", "/_emulator/stats")[0] == 200


def test_busy_be_port_is_an_error(emu):
    assert_busy_port_refused(emu, ["--fe-port", "0", "--be-port", str(emu.be_port)], emu.be_port, "BE")


def test_busy_fe_port_is_an_error(emu):
    assert_busy_port_refused(emu, ["--fe-port", str(emu.fe_port), "--be-port", "0"], emu.fe_port, "FE")


def test_busy_second_be_port_is_an_error(emu):
    args = ["--fe-port", "0", "--be-port", "0", "--be-port", str(emu.be_port)]
    assert_busy_port_refused(emu, args, emu.be_port, "BE")


def test_port_0_picks_distinct_free_ports(make_emu):
    a = make_emu(args=["--be-port", "0", "--be-port", "0"])
    b = make_emu()
    ports = {a.fe_port, b.fe_port, b.be_port, *a.be_ports}
    assert len(ports) == 5 and 0 not in ports
