// billing-api: every setting the service reads, from the environment, once, at start.
// Serves factor III (config).
package com.example.service;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Every setting the service reads, checked once at startup. */
record Config(
        String appEnv,
        String logLevel,
        Endpoint database,
        int dbPoolSize,
        Endpoint redis,
        long scheduleIntervalSeconds,
        long jobClaimIdleMs,
        int port) {

    static final List<String> LOG_LEVELS = List.of("debug", "info", "warn", "error");

    /** A setting that is missing or invalid; the message names the variable. */
    static final class ConfigException extends Exception {
        private static final long serialVersionUID = 1L;

        ConfigException(String message) {
            super(message);
        }
    }

    /** Where a backing service lives, and the credentials its URL carries ("" when none). */
    record Endpoint(String host, int port, String user, String password, String path, String query, boolean tls) {
        /** Like the record's own, but without the password, so printing a Config cannot leak it. */
        @Override
        public String toString() {
            return "Endpoint[host=" + host + ", port=" + port + ", user=" + user + ", path=" + path
                    + ", password=" + (password.isEmpty() ? "" : "(hidden)") + ", tls=" + tls + "]";
        }
    }

    /**
     * Reads and checks every setting from {@code env} (System.getenv() in production, a plain map
     * in tests). {@code NAME_FILE} (a Docker secret) wins over {@code NAME}; an empty value counts
     * as missing.
     */
    static Config load(Map<String, String> env) throws ConfigException {
        int port = (int) wholeNumber(env, "PORT", 8080, 1, 65535);
        String logLevel = orDefault(read(env, "LOG_LEVEL"), "info");
        if (!LOG_LEVELS.contains(logLevel)) {
            throw new ConfigException("LOG_LEVEL must be one of " + String.join(", ", LOG_LEVELS)
                    + ", not \"" + logLevel + "\"");
        }
        return new Config(
                orDefault(read(env, "APP_ENV"), "development"),
                logLevel,
                endpoint("DATABASE_URL", required(env, "DATABASE_URL", "the PostgreSQL database"), 5432,
                        "postgres", "postgresql"),
                // The most PostgreSQL connections one process opens (its pool's size).
                (int) wholeNumber(env, "DB_POOL_SIZE", 5, 1, 100),
                endpoint("REDIS_URL", required(env, "REDIS_URL", "the Redis instance"), 6379, "redis", "rediss"),
                // Seconds between the scheduler's jobs.
                wholeNumber(env, "SCHEDULE_INTERVAL", 60, 1, 86_400),
                // How long a taken job may go without a heartbeat before another worker takes it.
                wholeNumber(env, "JOB_CLAIM_IDLE_MS", 30_000, 100, 86_400_000),
                port);
    }

    /** A number in digits only (parseLong alone would also take "+80"), from min to max. */
    private static long wholeNumber(Map<String, String> env, String name, long fallback, long min, long max)
            throws ConfigException {
        String text = read(env, name);
        if (text == null) {
            return fallback;
        }
        long value = text.matches("[0-9]{1,18}") ? Long.parseLong(text) : -1;
        if (value < min || value > max) {
            throw new ConfigException(name + " must be a whole number from " + min + " to " + max + ", not \"" + text + "\"");
        }
        return value;
    }

    /**
     * The value of NAME_FILE's file (trimmed) or of NAME; null when neither is set, or when the
     * one that is set is empty.
     */
    private static String read(Map<String, String> env, String name) throws ConfigException {
        String file = env.get(name + "_FILE");
        if (file != null && !file.isEmpty()) {
            String contents;
            try {
                contents = Files.readString(Path.of(file)).trim();
            } catch (IOException e) {
                throw new ConfigException(name + "_FILE names " + file + ", which cannot be read: " + e);
            }
            return contents.isEmpty() ? null : contents;
        }
        String value = env.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }

    private static String required(Map<String, String> env, String name, String why) throws ConfigException {
        String value = read(env, name);
        if (value == null) {
            throw new ConfigException(name + " is required (" + why + "); set " + name + " or " + name + "_FILE");
        }
        return value;
    }

    /** Parses a backing service URL such as postgres://user:password@host:port/db?sslmode=require. */
    static Endpoint endpoint(String name, String value, int defaultPort, String... schemes) throws ConfigException {
        ConfigException shape = new ConfigException(name + " must look like " + schemes[0] + "://host:port/...");
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new ConfigException(name + " is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String authority = uri.getRawAuthority();
        if (!List.of(schemes).contains(scheme) || authority == null) {
            throw shape;
        }
        // Split the authority by hand: java.net.URI gives no host for names with an underscore,
        // which Compose service names may have.
        int at = authority.lastIndexOf('@');
        String userInfo = at < 0 ? "" : authority.substring(0, at);
        String hostPort = authority.substring(at + 1);
        int colon = hostPort.lastIndexOf(':');
        if (colon < hostPort.lastIndexOf(']')) {
            colon = -1; // the colons of an IPv6 literal such as [::1]
        }
        String host = (colon < 0 ? hostPort : hostPort.substring(0, colon)).replaceAll("^\\[|]$", "");
        int port;
        try {
            port = colon < 0 || colon == hostPort.length() - 1 ? defaultPort : Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw shape;
        }
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw shape;
        }
        int split = userInfo.indexOf(':');
        try {
            return new Endpoint(host, port, decode(split < 0 ? userInfo : userInfo.substring(0, split)),
                    split < 0 ? "" : decode(userInfo.substring(split + 1)),
                    decode(orDefault(uri.getRawPath(), "").replaceFirst("^/", "")),
                    orDefault(uri.getRawQuery(), ""), scheme.equals("rediss"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name + " has a malformed %-escape in its user or password");
        }
    }

    /** Undoes URL %-escapes; URLDecoder is for forms, so keep its '+' a plus sign. */
    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
