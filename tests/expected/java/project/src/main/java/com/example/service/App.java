// billing-api: a minimal service that keeps the twelve-factor contract, on the JDK alone
// (com.sun.net.httpserver, plain sockets, no frameworks). Replace the example routes with your
// own; keep the contract:
//   - every setting comes from the environment, read once in loadConfig();
//   - the web process binds 0.0.0.0:$PORT;
//   - /health answers while the process runs, /ready only while the backing services answer;
//   - one JSON line on stdout per request and per lifecycle event;
//   - on SIGTERM: stop accepting, finish in-flight requests, exit 0.
// Run a role with `java -jar target/app.jar <role>`: web (default), worker, scheduler, migrate,
// healthcheck. Every process type runs from the same jar and the same image.
// Serves factors III (config), IV (backing services), VI (stateless processes), VII (port
// binding), VIII (concurrency), IX (disposability), XI (logs) and XII (admin processes).
package com.example.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

public final class App {
    static final String SERVICE = "billing-api";
    static final List<String> LOG_LEVELS = List.of("debug", "info", "warn", "error");
    static final List<String> ROLES = List.of("web", "worker", "scheduler", "migrate", "healthcheck");
    /** How long a stopping process waits for in-flight work; below `docker stop`'s 10 s. */
    static final long SHUTDOWN_GRACE_MS = 8000;
    /** How long each readiness probe of a backing service may take. */
    static final int PROBE_TIMEOUT_MS = 1000;
    /** The longest delay /demo/slow accepts, so the example can never outlive a graceful stop. */
    static final long SLOW_MAX_MS = 5000;
    /** Threads that serve requests: a bound, so a burst queues instead of exhausting memory. */
    static final int REQUEST_THREADS = 32;

    private App() {}

    // ---------------------------------------------------------------- configuration (factor III)

    /** A setting that is missing or invalid; the message names the variable. */
    static final class ConfigException extends Exception {
        private static final long serialVersionUID = 1L;

        ConfigException(String message) {
            super(message);
        }
    }

    /** Where a backing service lives, and the credentials its URL carries ("" when none). */
    record Endpoint(String host, int port, String user, String password, boolean tls) {
        /** Like the record's own, but without the password, so printing a Config cannot leak it. */
        @Override
        public String toString() {
            return "Endpoint[host=" + host + ", port=" + port + ", user=" + user
                    + ", password=" + (password.isEmpty() ? "" : "(hidden)") + ", tls=" + tls + "]";
        }
    }

    /** Every setting the service reads, checked once at startup. */
    record Config(
            String appEnv,
            String logLevel,
            Endpoint database,
            Endpoint redis,
            int port) {}

    /**
     * Reads and checks every setting from {@code env} (System.getenv() in production, a plain map
     * in tests). {@code NAME_FILE} (a Docker secret) wins over {@code NAME}; an empty value counts
     * as missing.
     */
    static Config loadConfig(Map<String, String> env) throws ConfigException {
        String portText = orDefault(read(env, "PORT"), "8080");
        int port;
        try {
            // Digits only: parseInt alone would also take "+80".
            port = portText.matches("[0-9]+") ? Integer.parseInt(portText) : -1;
        } catch (NumberFormatException e) {
            port = -1; // more digits than an int holds
        }
        if (port < 1 || port > 65535) {
            throw new ConfigException("PORT must be a whole number from 1 to 65535, not \"" + portText + "\"");
        }
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
                endpoint("REDIS_URL", required(env, "REDIS_URL", "the Redis instance"), 6379, "redis", "rediss"),
                port);
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

    /** Parses a backing service URL such as postgres://user:password@host:port/db. */
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
                    split < 0 ? "" : decode(userInfo.substring(split + 1)), scheme.equals("rediss"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name + " has a malformed %-escape in its user or password");
        }
    }

    /** Undoes URL %-escapes; URLDecoder is for forms, so keep its '+' a plus sign. */
    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- logs (factor XI)

    /** Writes one JSON object a line to stdout; levels below the configured one are dropped. */
    static final class Log {
        private static final DateTimeFormatter TIME =
                DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
        private final int min;
        private final PrintStream out;

        Log(String minLevel, PrintStream out) {
            this.min = LOG_LEVELS.indexOf(minLevel);
            this.out = out;
        }

        /** A logger that writes nothing, for tests. */
        static Log silent() {
            return new Log("error", new PrintStream(OutputStream.nullOutputStream()));
        }

        /** {@code fields} are name, value pairs added to the line after the standard ones. */
        void log(String level, String msg, Object... fields) {
            if (LOG_LEVELS.indexOf(level) < min) {
                return;
            }
            Map<String, Object> line = object("time", TIME.format(Instant.now()), "level", level,
                    "service", SERVICE, "msg", msg);
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
    }

    /** An ordered map from name, value pairs: the shape of every log line and response body. */
    static Map<String, Object> object(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    /** Serialises strings, numbers, booleans, null, maps and lists. Output is plain ASCII. */
    static String json(Object value) {
        if (value == null || value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            map.forEach((k, v) -> out.append(out.length() > 1 ? "," : "").append(json(String.valueOf(k)))
                    .append(':').append(json(v)));
            return out.append('}').toString();
        }
        if (value instanceof List<?> list) {
            StringBuilder out = new StringBuilder("[");
            list.forEach(v -> out.append(out.length() > 1 ? "," : "").append(json(v)));
            return out.append(']').toString();
        }
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toString().toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                // Escaping everything beyond ASCII keeps lines valid whatever stdout's encoding is.
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    // ---------------------------------------------------------------- backing services (factor IV)

    /** One check of a backing service: returns when it answers its own protocol, throws otherwise. */
    @FunctionalInterface
    interface Probe {
        void check() throws IOException;
    }

    /** The result of /ready: each probe's "ok" or reason, and whether all passed. */
    record Readiness(boolean ok, Map<String, Object> checks) {}

    /** Probes run here so a hung DNS lookup can be abandoned; daemon threads never hold up exit. */
    private static final ExecutorService PROBE_THREADS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "readiness-probe");
        thread.setDaemon(true);
        return thread;
    });

    /** The backing services /ready checks, by name. */
    static Map<String, Probe> probes(Config config) {
        Map<String, Probe> probes = new LinkedHashMap<>();
        // PostgreSQL answers an SSLRequest with one byte, 'S' or 'N', before any login.
        probes.put("postgres", () -> {
            Endpoint db = config.database();
            try (Socket socket = connect(db)) {
                socket.getOutputStream().write(new byte[] {0, 0, 0, 8, 4, (byte) 210, 22, 47});
                int answer = socket.getInputStream().read();
                if (answer < 0) {
                    throw new IOException("the server closed the connection");
                }
                if (answer != 'S' && answer != 'N') {
                    throw new IOException("the server did not answer as PostgreSQL");
                }
            }
        });
        // Redis answers PING with +PONG (after AUTH when the URL carries a password); rediss:// is TLS.
        probes.put("redis", () -> {
            Endpoint redis = config.redis();
            try (Socket socket = redis.tls() ? secure(connect(redis), redis) : connect(redis)) {
                List<List<String>> commands = redis.password().isEmpty() ? List.of(List.of("PING"))
                        : redis.user().isEmpty() ? List.of(List.of("AUTH", redis.password()), List.of("PING"))
                        : List.of(List.of("AUTH", redis.user(), redis.password()), List.of("PING"));
                StringBuilder request = new StringBuilder();
                for (List<String> words : commands) {
                    request.append('*').append(words.size()).append("\r\n");
                    for (String word : words) {
                        request.append('$').append(word.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
                                .append(word).append("\r\n");
                    }
                }
                socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
                // One reply line a command; the last one answers PING. The first error is the one
                // to report: after a refused AUTH, PING's own "-NOAUTH" only repeats it.
                BufferedReader in = new BufferedReader(
                        new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                String reply = "";
                for (int i = 0; i < commands.size(); i++) {
                    reply = in.readLine();
                    if (reply == null) {
                        throw new IOException("the server closed the connection");
                    }
                    if (reply.startsWith("-")) {
                        throw new IOException("Redis answered " + reply.trim());
                    }
                }
                if (!reply.contains("+PONG")) {
                    throw new IOException("Redis answered " + reply.trim());
                }
            }
        });
        return probes;
    }

    /**
     * Wraps a connected socket in TLS, checking the server's certificate against its host name.
     * When the handshake fails, the connection is closed here: the caller never gets a socket
     * to close.
     */
    static Socket secure(Socket plain, Endpoint endpoint) throws IOException {
        try {
            SSLSocket socket = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                    .createSocket(plain, endpoint.host(), endpoint.port(), true);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /** Connects within the probe timeout; failures say which address and why. */
    static Socket connect(Endpoint endpoint) throws IOException {
        String where = "unreachable: " + endpoint.host() + ":" + endpoint.port() + ": ";
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), PROBE_TIMEOUT_MS);
            socket.setSoTimeout(PROBE_TIMEOUT_MS);
            return socket;
        } catch (IOException e) {
            socket.close();
            if (e instanceof UnknownHostException) {
                throw new IOException(where + "lookup failed", e);
            } else if (e instanceof ConnectException) {
                throw new IOException(where + "connection refused", e);
            } else if (e instanceof SocketTimeoutException) {
                throw new IOException(where + "no answer within " + PROBE_TIMEOUT_MS + " ms", e);
            }
            throw new IOException(where + e.getMessage(), e);
        }
    }

    /** Runs every probe in parallel, each for at most PROBE_TIMEOUT_MS. */
    static Readiness readiness(Map<String, Probe> probes) throws InterruptedException {
        Map<String, Future<?>> running = new LinkedHashMap<>();
        probes.forEach((name, probe) -> running.put(name, PROBE_THREADS.submit(() -> {
            probe.check();
            return null;
        })));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PROBE_TIMEOUT_MS);
        Map<String, Object> checks = new LinkedHashMap<>();
        boolean ok = true;
        for (Map.Entry<String, Future<?>> entry : running.entrySet()) {
            String result = "ok";
            try {
                entry.getValue().get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                result = cause instanceof SocketTimeoutException
                        ? "no answer within " + PROBE_TIMEOUT_MS + " ms"
                        : Objects.toString(cause.getMessage(), cause.toString());
            } catch (TimeoutException e) {
                // Name resolution cannot be interrupted; the daemon thread ends on its own.
                entry.getValue().cancel(true);
                result = "no answer within " + PROBE_TIMEOUT_MS + " ms";
            }
            ok &= result.equals("ok");
            checks.put(entry.getKey(), result);
        }
        return new Readiness(ok, checks);
    }

    // ---------------------------------------------------------------- the web process (factor VII)

    /** A response: status and JSON body. */
    record Response(int status, Map<String, Object> body) {}

    /** The HTTP server, with the count of in-flight requests it needs for a graceful stop. */
    static final class Web {
        private final Config config;
        private final Log log;
        private final Map<String, Probe> probes;
        private final HttpServer server;
        private final ExecutorService requestThreads = Executors.newFixedThreadPool(REQUEST_THREADS);
        private final Object lock = new Object();
        private int inFlight;
        private volatile boolean stopping;

        /** Binds {@code address}; {@link #start()} begins serving. */
        Web(Config config, Log log, InetSocketAddress address) throws IOException {
            this.config = config;
            this.log = log;
            this.probes = probes(config);
            this.server = HttpServer.create(address, 0);
            server.createContext("/", this::handle);
            server.setExecutor(requestThreads);
        }

        void start() {
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        /**
         * Stops accepting, waits up to {@code graceMs} for in-flight requests, then closes every
         * connection, idle keep-alive ones included. Returns whether all requests finished.
         */
        boolean stop(long graceMs) throws InterruptedException {
            stopping = true;
            // HttpServer.stop(n) closes the listener at once and then waits for exchanges, but
            // JDK 17 waits the full n seconds even when none is running. So it runs aside to close
            // the listener, this thread waits on our own count, and stop(0) then ends the rest.
            Thread closer = new Thread(() -> server.stop((int) TimeUnit.MILLISECONDS.toSeconds(graceMs) + 1));
            closer.setDaemon(true);
            closer.start();
            long deadline = System.currentTimeMillis() + graceMs;
            boolean drained;
            synchronized (lock) {
                while (inFlight > 0 && System.currentTimeMillis() < deadline) {
                    lock.wait(Math.max(1, deadline - System.currentTimeMillis()));
                }
                drained = inFlight == 0;
            }
            server.stop(0);
            requestThreads.shutdownNow();
            return drained;
        }

        private void handle(HttpExchange exchange) throws IOException {
            long started = System.nanoTime();
            synchronized (lock) {
                inFlight++;
            }
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            Response response;
            try {
                response = route(method, path, exchange.getRequestURI().getRawQuery());
            } catch (Exception e) {
                log.error("request failed", "error", String.valueOf(e));
                response = new Response(500, object("error", "internal error"));
            }
            try {
                byte[] body = json(response.body()).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("content-type", "application/json");
                if (stopping) {
                    // Close each connection after its response instead of keeping it alive.
                    exchange.getResponseHeaders().set("connection", "close");
                }
                boolean head = method.equals("HEAD");
                exchange.sendResponseHeaders(response.status(), head ? -1 : body.length);
                if (!head) {
                    exchange.getResponseBody().write(body);
                }
            } finally {
                exchange.close();
                synchronized (lock) {
                    inFlight--;
                    lock.notifyAll();
                }
            }
            log.info("request", "method", method, "path", path, "status", response.status(),
                    "duration_ms", Math.round((System.nanoTime() - started) / 1e6));
        }

        private Response route(String method, String path, String query) throws InterruptedException {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                return new Response(405, object("error", "method not allowed"));
            }
            return switch (path) {
                case "/health" -> new Response(200, object("status", "ok"));
                case "/ready" -> {
                    if (stopping) {
                        yield new Response(503, object("status", "stopping"));
                    }
                    Readiness result = readiness(probes);
                    yield new Response(result.ok() ? 200 : 503,
                            object("status", result.ok() ? "ready" : "not ready", "checks", result.checks()));
                }
                case "/" -> new Response(200, object("service", SERVICE, "env", config.appEnv()));
                case "/demo/slow" -> {
                    // An example of a request that takes a while, to watch graceful shutdown at work.
                    long ms = Math.min(Math.max(queryNumber(query, "ms"), 0), SLOW_MAX_MS);
                    Thread.sleep(ms);
                    yield new Response(200, object("slept_ms", ms));
                }
                default -> new Response(404, object("error", "not found"));
            };
        }
    }

    /** A whole number from the query string, 0 when it is absent or not a number. */
    static long queryNumber(String query, String name) {
        for (String pair : query == null ? new String[0] : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                try {
                    return Long.parseLong(pair.substring(name.length() + 1));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    // ---------------------------------------------------------------- processes (factors VIII, IX, XII)

    /** What a process does on SIGTERM; returns whether its work finished within the grace period. */
    @FunctionalInterface
    interface Stop {
        boolean finish() throws InterruptedException;
    }

    /**
     * Runs {@code stop} on SIGTERM or SIGINT, then ends the process: 0 when the work finished in
     * time, 1 when it did not.
     */
    static void onStop(Log log, String role, Stop stop) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // A shutdown hook is not told which signal started it.
            log.info("stopping", "role", role, "signal", "SIGTERM or SIGINT");
            boolean finished;
            try {
                finished = stop.finish();
            } catch (InterruptedException e) {
                finished = false;
            }
            if (finished) {
                log.info("stopped", "role", role);
            } else {
                log.error("in-flight work did not finish in time", "role", role, "grace_ms", SHUTDOWN_GRACE_MS);
            }
            log.flush();
            // After a signal the JVM exits with 143 (128 + SIGTERM) however cleanly the hooks ran,
            // and orchestrators read that as a failure. halt() ends the process with our own status
            // now; nothing is lost, as stdout is flushed and this is the only hook.
            Runtime.getRuntime().halt(finished ? 0 : 1);
        }, "shutdown"));
    }

    static void web(Config config, Log log) {
        Web web;
        try {
            web = new Web(config, log, new InetSocketAddress("0.0.0.0", config.port()));
        } catch (IOException e) {
            log.error("cannot listen", "port", config.port(), "error", String.valueOf(e));
            System.exit(1);
            return;
        }
        onStop(log, "web", () -> web.stop(SHUTDOWN_GRACE_MS));
        web.start();
        log.info("listening", "port", config.port(), "env", config.appEnv());
    }

    /** A process that does one unit of work per tick and finishes the current one on SIGTERM. */
    static void loop(String role, long everyMs, Config config, Log log) throws InterruptedException {
        CountDownLatch stopRequested = new CountDownLatch(1);
        CountDownLatch loopEnded = new CountDownLatch(1);
        onStop(log, role, () -> {
            stopRequested.countDown();
            return loopEnded.await(SHUTDOWN_GRACE_MS, TimeUnit.MILLISECONDS);
        });
        log.info("started", "role", role, "env", config.appEnv(), "every_ms", everyMs);
        // Waits for the next tick or for SIGTERM, whichever comes first; a tick in progress finishes.
        while (!stopRequested.await(everyMs, TimeUnit.MILLISECONDS)) {
            log.debug("tick", "role", role);
        }
        loopEnded.countDown();
    }

    /**
     * The release step, run once per deploy before the new web processes start. It must be safe
     * to run again: it checks that the backing services answer, then applies pending migrations.
     */
    static int migrate(Config config, Log log) throws InterruptedException {
        Readiness result = readiness(probes(config));
        if (!result.ok()) {
            log.error("migrate: a backing service is not ready", "checks", result.checks());
            return 1;
        }
        // Wire your migration tool in here (for example Flyway or Liquibase); it must skip
        // migrations that have already run, so a repeated release is harmless.
        log.info("migrate: nothing to apply", "checks", result.checks());
        return 0;
    }

    /** The Docker HEALTHCHECK: 0 when /health answers 200 within 2 s. */
    static int healthcheck(Config config) {
        Duration timeout = Duration.ofSeconds(2);
        // HTTP/1.1: the default would first try an upgrade to HTTP/2, which the server does not speak.
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.port() + "/health"))
                .timeout(timeout).build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200 ? 0 : 1;
        } catch (IOException | InterruptedException e) {
            return 1;
        }
    }

    public static void main(String[] args) throws Exception {
        String role = args.length > 0 ? args[0] : "web";
        // The role is checked first, so a typo says so even where the configuration is incomplete.
        if (!ROLES.contains(role)) {
            new Log("info", System.out).error("unknown role", "role", role, "roles", ROLES);
            System.exit(2);
            return;
        }
        Config config;
        try {
            config = loadConfig(System.getenv());
        } catch (ConfigException e) {
            new Log("info", System.out).error("configuration error", "role", role, "error", e.getMessage());
            System.exit(1);
            return;
        }
        Log log = new Log(config.logLevel(), System.out);
        switch (role) {
            case "web" -> web(config, log);
            case "worker" -> loop("worker", 5_000, config, log);
            case "scheduler" -> loop("scheduler", 60_000, config, log);
            case "migrate" -> System.exit(migrate(config, log));
            case "healthcheck" -> System.exit(healthcheck(config));
            default -> throw new IllegalStateException("a role in ROLES has no case: " + role);
        }
    }
}
