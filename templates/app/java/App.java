// {{ name }}: the placeholder service. Replace the handlers; keep the contract:
// bind $PORT, answer {{ health_path }} and {{ ready_path }}, log JSON lines to stdout, read every
// setting from the environment, exit cleanly on SIGTERM.
// Serves factors III (config), IV (backing services), VI (stateless processes), VII (port
// binding), IX (disposability), XI (logs as event streams) and XII (admin processes).
package com.example.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

public final class App {
    private static final List<String> LEVELS = List.of("debug", "info", "warn", "error");

    private App() {}

    /** A setting from the environment, or from the file named by NAME_FILE (Docker secrets). */
    static String setting(String name, String fallback) {
        String file = System.getenv(name + "_FILE");
        if (file != null && !file.isEmpty()) {
            try {
                return Files.readString(Path.of(file)).trim();
            } catch (IOException e) {
                log("error", "cannot read " + name + "_FILE: " + e.getMessage());
                System.exit(1);
            }
        }
        String value = System.getenv(name);
        return value != null ? value : fallback;
    }

    static String json(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    static void log(String level, String msg) {
        String min = System.getenv().getOrDefault("LOG_LEVEL", "info");
        if (LEVELS.indexOf(level) < Math.max(0, LEVELS.indexOf(min))) {
            return;
        }
        System.out.println("{\"time\":" + json(Instant.now().toString()) + ",\"level\":" + json(level)
                + ",\"msg\":" + json(msg) + "}");
    }

    static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static void serve(int port, String appEnv) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("0.0.0.0", port), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            switch (path) {
                case "{{ health_path }}" -> reply(exchange, 200, "{\"status\":\"ok\"}");
                case "{{ ready_path }}" -> reply(exchange, 200, "{\"status\":\"ready\"}");
                case "/" -> reply(exchange, 200, "{\"service\":\"{{ name }}\"}");
                default -> reply(exchange, 404, "{\"error\":\"not found\"}");
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(8));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log("info", "SIGTERM received, draining");
            server.stop(5);
        }));
        server.start();
        log("info", "listening on port " + port + " (" + appEnv + ")");
    }

    static void loop(String role, long everyMillis) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log("info", role + " stopped");
            stopped.countDown();
        }));
        log("info", role + " started");
        while (stopped.getCount() > 0) {
            Thread.sleep(everyMillis);
            log("debug", role + " tick");
        }
    }

    static int healthcheck(int port) {
        try {
            HttpURLConnection conn = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "{{ health_path }}")
                    .toURL().openConnection();
            conn.setConnectTimeout(2000);
            conn.setReadTimeout(2000);
            return conn.getResponseCode() == 200 ? 0 : 1;
        } catch (IOException e) {
            return 1;
        }
    }

    public static void main(String[] args) throws Exception {
        String appEnv = setting("APP_ENV", "development");
        int port = Integer.parseInt(setting("PORT", "{{ port }}"));
{%- if postgres %}
        String databaseUrl = setting("DATABASE_URL", "");
{%- endif %}
{%- if redis %}
        String redisUrl = setting("REDIS_URL", "");
        log("debug", "redis configured: " + !redisUrl.isEmpty());
{%- endif %}
        String role = args.length > 0 ? args[0] : "web";
        switch (role) {
            case "web" -> serve(port, appEnv);
            case "worker" -> loop("worker", 5_000);
            case "scheduler" -> loop("scheduler", 60_000);
{%- if postgres %}
            case "migrate" -> log("info", "no migrations yet (database configured: " + !databaseUrl.isEmpty() + ")");
{%- else %}
            case "migrate" -> log("info", "no migrations yet");
{%- endif %}
            case "healthcheck" -> System.exit(healthcheck(port));
            default -> {
                log("error", "unknown role " + role);
                System.exit(2);
            }
        }
    }
}
