package io.github.srsink;

/**
 * Takes the rows StarRocks rejected (for a dead-letter queue). Called once per rejected row before
 * the call that completes the load returns ({@link Sink#write}, {@link Sink#onWatermark},
 * {@link Sink#onCheckpoint}), on the calling thread or a library thread, concurrently for
 * different sinks: it must be thread-safe and must not call back into the library.
 *
 * <p>Returning normally means the row was taken. Throwing fails the load's outcome with
 * {@link SinkException.Data}; the host then replays from its last checkpoint and the rows are
 * reported again, so no row is lost between StarRocks and the dead-letter queue.
 */
@FunctionalInterface
public interface RejectedRowsConsumer {
  void accept(RejectedRow row) throws Exception;
}
