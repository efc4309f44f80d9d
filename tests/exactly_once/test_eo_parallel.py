"""Several instances write the same table concurrently, each with its own checkpoints; one
crashes and recovers. Every instance's rows end applied exactly once."""
import signal

from eo_harness import Host, assert_exactly_once, stderr_of

ROWS = 160


def test_instances_on_one_table_never_touch_each_others_transactions(emu, tmp_path):
    emu.create_table("t")
    hosts = [Host(emu, tmp_path / ("state%d" % i), "t", rows=ROWS, instance="job/op/%d" % i,
                  key_base=1000 * i, ckpt_rows=20 + 10 * i) for i in range(3)]
    procs = [h.spawn(crash="stored:3" if i == 1 else None) for i, h in enumerate(hosts)]
    for p in procs:
        p.stdin.close()
    codes = [p.wait(timeout=240) for p in procs]
    assert codes[0] == 0 and codes[2] == 0, [(p.stdout.read(), stderr_of(p)) for p in procs]
    assert codes[1] == -signal.SIGKILL
    code, out, err = hosts[1].run()
    assert code == 0, "%s\n%s" % (out, err)
    assert_exactly_once(emu, "t", "eo", [(ROWS, 50, 1000 * i) for i in range(3)])
