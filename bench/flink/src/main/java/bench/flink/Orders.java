package bench.flink;

/**
 * The orders changelog of the benchmark, as bench/gen.c makes it (same schema, same mix, same
 * value shapes): ~80 % new ids, ~15 % updates of an earlier id, ~5 % deletes of an earlier id.
 * One stream per source subtask: subtask s of p owns the ids ≡ s (mod p), so every key's changes
 * stay in one subtask, in order, whatever the parallelism; the streams are deterministic, so the
 * verifier replays them to know the table the job must leave.
 */
final class Orders {
  static final String[] FIRST = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
      "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "zoe"};
  static final String[] LAST = {"smith", "jones", "garcia", "miller", "davis", "martinez", "lopez", "wilson",
      "anderson", "thomas", "moore", "jackson", "martin", "lee", "thompson", "white", "harris", "clark"};

  enum Kind { INSERT, UPDATE, DELETE }

  /** The operations of one subtask; {@link #next()} fills the public fields. */
  static final class Stream {
    private final int subtask;
    private final int parallelism;
    private long rng;
    private long nextLocal = 1;

    Kind kind;
    long id;
    int customer;
    String name;
    long cents;
    /** 2026-MM-DD hh:mm:ss as numbers. */
    int month, day, hour, minute, second;
    boolean flag;

    Stream(long seed, int subtask, int parallelism) {
      this.subtask = subtask;
      this.parallelism = parallelism;
      long s = seed * 1_000_003L + subtask + 1;
      this.rng = s == 0 ? 1 : s;
    }

    /** xorshift64* as gen.c. */
    private long rnd() {
      rng ^= rng >>> 12;
      rng ^= rng << 25;
      rng ^= rng >>> 27;
      return rng * 2685821657736338717L;
    }

    private static long mod(long v, long m) {
      return Long.remainderUnsigned(v, m);
    }

    void next() {
      long r = mod(rnd(), 100);
      long local;
      if (nextLocal > 1000 && r < 5) {
        kind = Kind.DELETE;
        local = 1 + mod(rnd(), nextLocal - 1);
      } else if (nextLocal > 1000 && r < 20) {
        kind = Kind.UPDATE;
        local = 1 + mod(rnd(), nextLocal - 1);
      } else {
        kind = Kind.INSERT;
        local = nextLocal++;
      }
      id = (local - 1) * parallelism + subtask + 1;
      // Deletes carry a whole row too, as a CDC before-image does.
      long v = rnd();
      customer = (int) (100000 + mod(v, 900000));
      name = FIRST[(int) mod(v >>> 20, 20)] + " " + LAST[(int) mod(v >>> 28, 18)] + "-" + mod(v >>> 36, 100000);
      cents = mod(v >>> 8, 100_000_000L);
      long s = rnd();
      month = (int) (1 + mod(s, 12));
      day = (int) (1 + mod(s >>> 8, 28));
      hour = (int) mod(s >>> 16, 24);
      minute = (int) mod(s >>> 24, 60);
      second = (int) mod(s >>> 32, 60);
      flag = ((s >>> 40) & 1) != 0;
    }

    /** The row as the verifier compares it: id|customer|name|amount|ts|flag. */
    String canonical() {
      return id + "|" + customer + "|" + name + "|" + (cents / 100) + "." + two((int) (cents % 100)) + "|2026-"
          + two(month) + "-" + two(day) + " " + two(hour) + ":" + two(minute) + ":" + two(second) + "|" + flag;
    }
  }

  static String two(int v) {
    return v < 10 ? "0" + v : Integer.toString(v);
  }

  /** How many of n operations subtask s of p makes (DataGeneratorSource's even split). */
  static long share(long n, int s, int p) {
    return n / p + (s < n % p ? 1 : 0);
  }

  private Orders() {}
}
