package org.slf4j.impl;

import org.slf4j.ILoggerFactory;
import org.slf4j.spi.LoggerFactoryBinder;

/**
 * A tiny SLF4J 1.7 binding for the tests: every logger records its events into
 * {@link RecordingLoggers#EVENTS}; a logger whose name contains "throwing" throws instead.
 */
public final class StaticLoggerBinder implements LoggerFactoryBinder {
  public static String REQUESTED_API_VERSION = "1.6.99";
  private static final StaticLoggerBinder SINGLETON = new StaticLoggerBinder();

  public static StaticLoggerBinder getSingleton() {
    return SINGLETON;
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return RecordingLoggers.FACTORY;
  }

  @Override
  public String getLoggerFactoryClassStr() {
    return RecordingLoggers.class.getName();
  }
}
