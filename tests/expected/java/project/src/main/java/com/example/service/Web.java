// billing-api: the web process: the JDK's HTTP server (com.sun.net.httpserver) with a fixed pool
// of request threads. Javalin or Helidon would be the usual choice on a machine with Maven
// Central; the JDK's server is the one available to the offline build this starter is checked
// with, and it keeps the image free of a framework. Swap it behind route() when you need more.
// Serves factors VII (port binding), VIII (concurrency) and IX (disposability).
package com.example.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** The HTTP server, with the count of in-flight requests it needs for a graceful stop. */
final class Web {
    /** The longest delay /demo/slow accepts, so the example can never outlive a graceful stop. */
    static final long SLOW_MAX_MS = 5000;
    /** Threads that serve requests: a bound, so a burst queues instead of exhausting memory. */
    static final int REQUEST_THREADS = 32;
    static final String NO_QUEUE = "no queue: choose PostgreSQL or Redis";

    /** A response: status, JSON body, and a Location header when there is one. */
    record Response(int status, Object body, String location) {
        Response(int status, Object body) {
            this(status, body, null);
        }
    }

    private final Config config;
    private final Log log;
    private final Map<String, Readiness.Probe> probes;
    private final Jobs.Queue queue;
    private final HttpServer server;
    private final ExecutorService requestThreads = Executors.newFixedThreadPool(REQUEST_THREADS);
    private final Object lock = new Object();
    private int inFlight;
    private volatile boolean stopping;

    /** Binds {@code address}; {@link #start()} begins serving. {@code queue} is null without one. */
    Web(Config config, Log log, Map<String, Readiness.Probe> probes, Jobs.Queue queue, InetSocketAddress address)
            throws IOException {
        this.config = config;
        this.log = log;
        this.probes = probes;
        this.queue = queue;
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
            response = route(method, path, exchange);
        } catch (Exception e) {
            log.error("request failed", "error", String.valueOf(e));
            response = new Response(500, Log.object("error", "internal error"));
        }
        try {
            byte[] body = Log.json(response.body()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("content-type", "application/json");
            if (response.location() != null) {
                exchange.getResponseHeaders().set("location", response.location());
            }
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

    private Response route(String method, String path, HttpExchange exchange) throws Exception {
        if (path.equals("/jobs") && method.equals("POST")) {
            return enqueue(exchange.getRequestBody());
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return new Response(405, Log.object("error", "method not allowed"));
        }
        if (path.startsWith("/jobs/")) {
            return job(path.substring("/jobs/".length()));
        }
        return switch (path) {
            case "/health" -> new Response(200, Log.object("status", "ok"));
            case "/ready" -> ready();
            case "/" -> new Response(200, Log.object("service", App.SERVICE, "env", config.appEnv()));
            case "/demo/slow" -> {
                // An example of a request that takes a while, to watch graceful shutdown at work.
                long ms = Math.min(Math.max(queryNumber(exchange.getRequestURI().getRawQuery(), "ms"), 0), SLOW_MAX_MS);
                Thread.sleep(ms);
                yield new Response(200, Log.object("slept_ms", ms));
            }
            default -> new Response(404, Log.object("error", "not found"));
        };
    }

    private Response ready() throws InterruptedException {
        if (stopping) {
            return new Response(503, Log.object("status", "stopping"));
        }
        Readiness.Result result = Readiness.check(probes);
        return new Response(result.ok() ? 200 : 503,
                Log.object("status", result.ok() ? "ready" : "not ready", "checks", result.checks()));
    }

    /** POST /jobs {"kind": "...", "payload": {...}}: 202 with the new job's id and Location. */
    private Response enqueue(InputStream input) throws Exception {
        if (queue == null) {
            return new Response(503, Log.object("error", NO_QUEUE));
        }
        byte[] body = input.readNBytes(Jobs.MAX_BODY + 1);
        if (body.length > Jobs.MAX_BODY) {
            return new Response(413, Log.object("error", "the body is larger than " + Jobs.MAX_BODY + " bytes"));
        }
        JsonNode[] job;
        try {
            job = Jobs.parse(body);
        } catch (Jobs.BadJob e) {
            return new Response(400, Log.object("error", e.getMessage()));
        }
        String id = queue.enqueue(job[0].asText(), job[1]);
        return new Response(202, Log.object("id", id, "state", "queued"), "/jobs/" + id);
    }

    private Response job(String id) throws Exception {
        if (queue == null) {
            // Without a queue no job exists: 404, as for an unknown id.
            return new Response(404, Log.object("error", "no such job"));
        }
        Map<String, Object> found = queue.find(id);
        return found == null ? new Response(404, Log.object("error", "no such job")) : new Response(200, found);
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
}
