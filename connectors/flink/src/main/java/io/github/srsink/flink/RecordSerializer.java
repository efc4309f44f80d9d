package io.github.srsink.flink;

import java.io.Serializable;

import io.github.srsink.Op;
import io.github.srsink.flink.internal.JsonBuffer;

/**
 * Turns one stream element into one JSON object row for StarRocks. Runs on the task managers
 * (serializable), once per element, from the writer's thread.
 */
@FunctionalInterface
public interface RecordSerializer<T> extends Serializable {
  /**
   * Appends the element's row as one JSON object to out (keys among the sink's columns; a delete
   * needs only the key columns) and returns what it does, or returns null to drop the element
   * (nothing appended).
   */
  Op serialize(T element, JsonBuffer out);

  /** Called once per writer before the first element. */
  default void open() {}
}
