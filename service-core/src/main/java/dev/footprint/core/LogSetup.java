package dev.footprint.core;

import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * One line per record on stdout: {@code 2026-11-24T08:00:00.123Z INFO logger message}, stack traces
 * indented below. java.util.logging keeps start-up lean: no logging framework to load.
 * LOG_LEVEL (error, warn, info, debug, trace) sets the root level.
 */
public final class LogSetup {
  /** LOG_LEVEL's values, in the names operators know, mapped to java.util.logging's. */
  public enum LogLevel {
    ERROR(Level.SEVERE), WARN(Level.WARNING), INFO(Level.INFO), DEBUG(Level.FINE), TRACE(Level.FINEST);

    private final Level julLevel;

    LogLevel(Level julLevel) {
      this.julLevel = julLevel;
    }
  }

  private LogSetup() {
  }

  public static void configure(LogLevel level) {
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    Level parsed = level.julLevel;
    root.setLevel(parsed);
    // Not ConsoleHandler: pointing it at System.out would close System.err.
    StreamHandler handler = new StreamHandler(System.out, new OneLineFormatter()) {
      @Override
      public synchronized void publish(LogRecord record) {
        super.publish(record);
        flush();
      }

      @Override
      public synchronized void close() {
        flush();
      }
    };
    handler.setLevel(parsed);
    root.addHandler(handler);
    // Netty is chatty at FINE; its INFO and above are enough.
    Logger.getLogger("io.netty").setLevel(parsed.intValue() < Level.INFO.intValue() ? Level.INFO : parsed);
    // vertx-micrometer looks its gauges up by registering them again; Micrometer warns about each one.
    Logger.getLogger("io.micrometer.core.instrument.MeterRegistry").setLevel(Level.SEVERE);
    // Vert.x 5.0.7's HTTP/2 stream throws a NullPointerException from Netty's stream-closed listener
    // whenever a client resets a stream with an answer still queued (a cancelled gRPC call), and Netty
    // logs each one SEVERE with its stack trace: a log flood any client can cause, about nothing.
    HTTP2_LISTENERS.setLevel(Level.OFF);
  }

  // Held: java.util.logging keeps loggers weakly, and a collected one forgets its level.
  private static final Logger HTTP2_LISTENERS = Logger.getLogger("io.netty.handler.codec.http2.DefaultHttp2Connection");

  static final class OneLineFormatter extends Formatter {
    @Override
    public String format(LogRecord record) {
      StringBuilder line = new StringBuilder(160)
          .append(Instant.ofEpochMilli(record.getMillis()))
          .append(' ').append(record.getLevel().getName())
          .append(' ').append(shortName(record.getLoggerName()))
          .append(' ').append(formatMessage(record))
          .append(System.lineSeparator());
      if (record.getThrown() != null) {
        java.io.StringWriter trace = new java.io.StringWriter();
        record.getThrown().printStackTrace(new java.io.PrintWriter(trace));
        line.append(trace.toString().indent(2));
      }
      return line.toString();
    }

    private static String shortName(String name) {
      if (name == null) {
        return "-";
      }
      int dot = name.lastIndexOf('.');
      return dot < 0 ? name : name.substring(dot + 1);
    }
  }

}
