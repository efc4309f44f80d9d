"""The query port's wire protocol under abuse: malformed packets, clients that vanish mid-packet or
mid-handshake, oversized length headers, unsupported commands (COM_STMT_PREPARE), many
connections, and shutdown with connections open. None may hang or crash the server."""
import socket
import struct
import threading
import time

import pymysql

from mysql_util import connect, qemu, query, start  # noqa: F401 (fixture)


def raw(emu):
    s = socket.create_connection(("127.0.0.1", emu.query_port), timeout=10)
    return s


def read_packet(s):
    head = b""
    while len(head) < 4:
        chunk = s.recv(4 - len(head))
        if not chunk:
            return None, None
        head += chunk
    n = head[0] | head[1] << 8 | head[2] << 16
    body = b""
    while len(body) < n:
        chunk = s.recv(n - len(body))
        if not chunk:
            return None, None
        body += chunk
    return head[3], body


def packet(seq, payload):
    return struct.pack("<I", len(payload))[:3] + bytes([seq]) + payload


def handshake_response(user=b"root", auth=b""):
    caps = 0x200 | 0x8000 | 0x80000 | 0x1  # PROTOCOL_41, SECURE_CONNECTION, PLUGIN_AUTH, LONG_PASSWORD
    return (struct.pack("<IIB", caps, 1 << 24, 33) + b"\0" * 23 + user + b"\0" + bytes([len(auth)]) + auth
            + b"mysql_native_password\0")


def login(emu):
    s = raw(emu)
    seq, greeting = read_packet(s)
    assert seq == 0 and greeting[0] == 10
    version = greeting[1:greeting.index(b"\0", 1)]
    assert version == b"8.0.33"
    s.sendall(packet(1, handshake_response()))
    seq, ok = read_packet(s)
    assert ok[0] == 0, ok
    return s


def assert_alive(emu):
    with connect(emu) as c:
        assert query(c, "SELECT 1")[1] == [("1",)]


def test_stmt_prepare_and_unknown_commands_are_errors(qemu):
    s = login(qemu)
    s.sendall(packet(0, b"\x16SELECT 1"))  # COM_STMT_PREPARE
    _, err = read_packet(s)
    assert err[0] == 0xFF and struct.unpack("<H", err[1:3])[0] == 1295
    s.sendall(packet(0, b"\x09"))  # COM_STATISTICS: not supported
    _, err = read_packet(s)
    assert err[0] == 0xFF and struct.unpack("<H", err[1:3])[0] == 1047
    s.sendall(packet(0, b"\x03SELECT 7"))  # the connection still answers queries
    _, count = read_packet(s)
    assert count == b"\x01"
    packets = []
    while len([p for p in packets if p[0] == 0xFE]) < 2:  # column, EOF, row, EOF
        packets.append(read_packet(s)[1])
    assert packets[2] == b"\x017"
    s.sendall(packet(0, b"\x01"))  # COM_QUIT: the server closes
    assert read_packet(s) == (None, None)
    s.close()
    assert_alive(qemu)


def test_malformed_and_vanishing_clients(qemu):
    # Garbage instead of a handshake response: an error packet, then the server closes.
    s = raw(qemu)
    read_packet(s)
    s.sendall(packet(1, b"\x01\x02"))
    seq, err = read_packet(s)
    assert err is not None and err[0] == 0xFF
    s.close()
    # A length header announcing 16 MiB, then nothing: the client vanishes mid-packet.
    s = raw(qemu)
    read_packet(s)
    s.sendall(b"\xff\xff\xff\x01abc")
    s.close()
    # A client that connects and closes at once; one that half-sends a header.
    raw(qemu).close()
    s = raw(qemu)
    read_packet(s)
    s.sendall(b"\x05\x00")
    s.close()
    # An authenticated client sending an empty command packet and an oversized one.
    s = login(qemu)
    s.sendall(packet(0, b""))
    s.close()
    s = login(qemu)
    s.sendall(b"\xff\xff\xff\x00" + b"x" * 1000)
    s.close()
    assert_alive(qemu)


def test_wrong_scramble_is_1045(qemu):
    s = raw(qemu)
    read_packet(s)
    s.sendall(packet(1, handshake_response(user=b"alice", auth=b"\x01" * 20)))
    _, err = read_packet(s)
    assert err[0] == 0xFF and struct.unpack("<H", err[1:3])[0] == 1045 and err[3:9] == b"#28000"
    s.close()


def test_many_concurrent_connections(qemu):
    errors = []

    def worker(i):
        try:
            with connect(qemu, database="shop") as c:
                for _ in range(20):
                    assert query(c, "SELECT COUNT(*) FROM orders")[1] == [("0",)]
        except Exception as e:  # noqa: BLE001 (collected and asserted below)
            errors.append(repr(e))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []


def test_shutdown_closes_open_connections(tmp_path):
    e = start(tmp_path)
    idle = login(e)  # authenticated, idle
    half = raw(e)    # greeted, never answers
    read_packet(half)
    c = connect(e)
    t0 = time.monotonic()
    assert e.stop() == 0
    assert time.monotonic() - t0 < 10
    assert read_packet(idle) == (None, None)
    idle.close()
    half.close()
    try:
        query(c, "SELECT 1")
        raise AssertionError("the connection survived the shutdown")
    except pymysql.err.MySQLError:
        pass


def test_busy_query_port_is_an_error_and_help_lists_the_options():
    import os
    import subprocess
    emulator = os.environ["SR_EMULATOR"]
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    try:
        out = subprocess.run([emulator, "--query-port", str(busy.getsockname()[1])], capture_output=True, timeout=30)
        assert out.returncode == 1 and out.stdout == b""
        assert b"query port (--query-port)" in out.stderr
    finally:
        busy.close()
    out = subprocess.run([emulator, "--help"], capture_output=True, timeout=30)
    assert b"--query-port P" in out.stdout and b"--sr-version V" in out.stdout
