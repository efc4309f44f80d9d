package org.slf4j.impl;

import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.event.EventRecodingLogger;
import org.slf4j.event.SubstituteLoggingEvent;
import org.slf4j.helpers.SubstituteLogger;

/** The loggers of the test binding (see {@link StaticLoggerBinder}). */
public final class RecordingLoggers {
  /** Every event of every logger, with level, logger name, message and thread name. */
  public static final Queue<SubstituteLoggingEvent> EVENTS = new ConcurrentLinkedQueue<>();

  private static final ConcurrentHashMap<String, Logger> LOGGERS = new ConcurrentHashMap<>();

  static final ILoggerFactory FACTORY = name -> LOGGERS.computeIfAbsent(name, RecordingLoggers::make);

  private RecordingLoggers() {}

  private static Logger make(String name) {
    SubstituteLogger named = new SubstituteLogger(name, EVENTS, false);
    if (!name.contains("throwing")) return new EventRecodingLogger(named, EVENTS);
    return new EventRecodingLogger(named, EVENTS) {
      @Override
      public void error(String msg) {
        throw new IllegalStateException("logger throws on purpose");
      }

      @Override
      public void warn(String msg) {
        throw new IllegalStateException("logger throws on purpose");
      }

      @Override
      public void info(String msg) {
        throw new IllegalStateException("logger throws on purpose");
      }

      @Override
      public void debug(String msg) {
        throw new IllegalStateException("logger throws on purpose");
      }
    };
  }
}
