package io.github.srsink.flink;

import java.io.IOException;
import java.util.Collection;

import org.apache.flink.api.connector.sink2.Committer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.srsink.Connector;
import io.github.srsink.Sink;
import io.github.srsink.SinkException;
import io.github.srsink.flink.internal.LiveSinks;

/**
 * Commits the tokens of completed checkpoints. Through the writer's own sink when that writer is
 * open in this JVM (so the sink stops listing the transactions in later tokens), else with
 * {@link Connector#commitToken} (restored committables, handed over before any writer exists).
 * Both are idempotent in the library: a transaction already committed (by recovery in a restored
 * writer, or by an earlier attempt) is OK, so a token committed twice applies its rows once.
 */
final class StarRocksCommitter implements Committer<StarRocksCommittable> {
  private static final Logger LOG = LoggerFactory.getLogger(StarRocksCommitter.class);
  private static final int MAX_RETRIES = 3;
  private final StarRocksSinkOptions options;
  private final Connector connector;

  StarRocksCommitter(StarRocksSinkOptions options) throws IOException {
    this.options = options;
    this.connector = Connectors.open(options, true);
  }

  @Override
  public void commit(Collection<CommitRequest<StarRocksCommittable>> requests) throws IOException {
    for (CommitRequest<StarRocksCommittable> r : requests) {
      StarRocksCommittable c = r.getCommittable();
      try {
        if (!commitThroughWriter(c)) connector.commitToken(c.token());
      } catch (SinkException.NotSupported e) {
        // A library before ABI 1.1 cannot commit a token without its sink. Safe to leave: a
        // restored committable comes with the restored writer state, whose token lists every
        // transaction of it that is not known committed, and the writer's recovery commits them.
        LOG.warn("StarRocks sink {}: {} left to the restored writer's recovery: {}", options.qualifiedTable(), c, e.getMessage());
      } catch (SinkException e) {
        String msg = "StarRocks sink " + options.qualifiedTable() + ": commit of " + c + " failed: " + e.getMessage();
        if (e.retryable() && r.getNumberOfRetries() < MAX_RETRIES) {
          LOG.warn("{}; retrying", msg);
          r.retryLater();
        } else {
          // Fail the job: a restored writer's recovery commits the token again, or reports the
          // checkpoint whose data is not in StarRocks (an expired or forgotten transaction).
          // (signalFailedWithKnownReason would drop the committable silently.)
          throw new IOException(msg, e);
        }
      }
    }
  }

  private static boolean commitThroughWriter(StarRocksCommittable c) {
    Sink live = LiveSinks.get(c.instanceId());
    if (live == null) return false;
    try {
      live.commit(c.checkpointId());
      return true;
    } catch (SinkException.State e) {
      return false; // closed or failed meanwhile: the token alone still commits
    }
  }

  @Override
  public void close() {
    connector.close();
  }
}
