package io.github.srsink.flink.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.github.srsink.Sink;

/**
 * The open exactly-once sinks of this JVM (this class loader) by instance id, so that a committer
 * running next to its writer (the usual chained topology) commits through the writer's own sink:
 * the sink then knows its transactions are committed and stops listing them in later tokens.
 * Without that, every token would list every transaction since the writer opened.
 */
public final class LiveSinks {
  private static final ConcurrentMap<String, Sink> SINKS = new ConcurrentHashMap<>();

  private LiveSinks() {}

  public static void put(String instanceId, Sink sink) {
    SINKS.put(instanceId, sink);
  }

  public static Sink get(String instanceId) {
    return SINKS.get(instanceId);
  }

  public static void remove(String instanceId, Sink sink) {
    SINKS.remove(instanceId, sink);
  }
}
