"""A BE port asked FE-only questions answers as a StarRocks BE does (issue #11, item 11).

StarRocks' BE HTTP server (be/src/http/ev_http_server.cpp) has no handler for the FE endpoints.
Unregistered GETs fall through to the web UI's static-file handler, which answers a missing file
with libevent's evhttp_send_error page; other methods get send_reply(404, "Not Found"). Both
answer in the header phase, before the body (no 100 Continue).
"""
import socket

LIBEVENT_404 = "<HTML><HEAD>\n<TITLE>404 Not Found</TITLE>\n</HEAD><BODY>\n<H1>Not Found</H1>\n</BODY></HTML>\n"


def test_fe_endpoints_on_a_be_answer_404_like_a_starrocks_be(emu):
    for path in ("/api/shop/orders/_schema",
                 "/api/v2/catalogs/default_catalog/databases/shop/tables/orders/schema",
                 "/api/shop/get_load_state?label=x",
                 "/api/health_of_nothing"):
        code, text = emu.curl("-u", "root:", emu.be(path))
        assert code == 404 and text == LIBEVENT_404, path
    for path in ("/api/v1/catalogs/default_catalog/databases/shop/sql",
                 "/api/v1/catalogs/default_catalog/sql",
                 "/api/shop/orders/_cancel?label=x"):
        code, text = emu.curl("-u", "root:", "-XPOST", "-d", '{"query":"select 1"}', emu.be(path))
        assert code == 404 and text == "Not Found", path
    # Answered in the header phase: no 100 Continue, the body is never asked for.
    s = socket.create_connection(("127.0.0.1", emu.be_port), timeout=10)
    s.sendall(b"POST /api/v1/catalogs/default_catalog/databases/shop/sql HTTP/1.1\r\nHost: h\r\n"
              b"Authorization: Basic cm9vdDo=\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
    head = s.recv(1000)
    s.close()
    assert head.startswith(b"HTTP/1.1 404") and b"100 Continue" not in head, head


def test_the_same_endpoints_on_the_fe_are_not_404(emu):
    code, _ = emu.curl("-u", "root:", emu.fe("/api/shop/orders/_schema"))
    assert code == 200
    code, _ = emu.curl("-u", "root:", emu.fe("/api/shop/get_load_state?label=x"))
    assert code == 200


def test_transaction_begin_on_a_be_still_works(emu):
    # /api/transaction/begin is a BE endpoint too: a BE port answers it.
    r = emu.txn("begin", "onbe", target=emu.be("/api/transaction/begin"))[1]
    assert r["Status"] == "OK"
