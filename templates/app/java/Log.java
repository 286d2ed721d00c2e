// {{ name }}: one JSON object a line on stdout, written with Jackson.
// Serves factor XI (logs: an event stream on stdout, routed by the platform).
package com.example.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** Writes one JSON object a line; levels below the configured one are dropped. */
final class Log {
    /** Escaping everything beyond ASCII keeps lines valid whatever stdout's encoding is. */
    static final ObjectMapper JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** java.util.logging's level for each of ours (debug, info, warn, error). */
    private static final List<Level> JDK_LEVELS = List.of(Level.FINE, Level.INFO, Level.WARNING, Level.SEVERE);
    private final int min;
    private final PrintStream out;

    Log(String minLevel, PrintStream out) {
        this.min = Config.LOG_LEVELS.indexOf(minLevel);
        this.out = out;
    }

    /** A logger that writes nothing, for tests. */
    static Log silent() {
        return new Log("error", new PrintStream(OutputStream.nullOutputStream()));
    }

    /** {@code fields} are name, value pairs added to the line after the standard ones. */
    void log(String level, String msg, Object... fields) {
        if (Config.LOG_LEVELS.indexOf(level) < min) {
            return;
        }
        Map<String, Object> line = object("time", TIME.format(Instant.now()), "level", level,
                "service", App.SERVICE, "msg", msg);
        line.putAll(object(fields));
        // One println per line: PrintStream locks around it, so lines from threads never interleave.
        out.println(json(line));
    }

    void debug(String msg, Object... fields) {
        log("debug", msg, fields);
    }

    void info(String msg, Object... fields) {
        log("info", msg, fields);
    }

    void error(String msg, Object... fields) {
        log("error", msg, fields);
    }

    void flush() {
        out.flush();
    }

    /**
     * Makes java.util.logging write these JSON lines too, at this logger's level. Libraries log
     * through it: pgjdbc directly, HikariCP through slf4j-jdk14 (the pom's slf4j binding). Left
     * alone, the JDK prints their warnings as plain text on stderr, outside the JSON stream.
     */
    void takeOverJavaLogging() {
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        root.setLevel(JDK_LEVELS.get(min));
        root.addHandler(new Handler() {
            private final SimpleFormatter text = new SimpleFormatter();

            @Override
            public void publish(LogRecord record) {
                int level = record.getLevel().intValue();
                String ours = level >= Level.SEVERE.intValue() ? "error"
                        : level >= Level.WARNING.intValue() ? "warn"
                        : level >= Level.INFO.intValue() ? "info" : "debug";
                Throwable thrown = record.getThrown();
                Object[] fields = thrown == null ? new Object[] {"logger", record.getLoggerName()}
                        : new Object[] {"logger", record.getLoggerName(), "error", String.valueOf(thrown)};
                log(ours, text.formatMessage(record), fields);
            }

            @Override
            public void flush() {
                out.flush();
            }

            @Override
            public void close() {
                // stdout stays open: the process's own lines still go there.
            }
        });
    }

    /** An ordered map from name, value pairs: the shape of every log line and response body. */
    static Map<String, Object> object(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write as JSON: " + value, e);
        }
    }
}
