// billing-api: /ready: a real round trip to each chosen backing service, in parallel,
// each within PROBE_TIMEOUT_MS, and the reason when one fails.
// Serves factor IV (backing services: attached resources the platform can check).
package com.example.service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

final class Readiness {
    /** How long each probe may take. */
    static final int PROBE_TIMEOUT_MS = 1000;

    private Readiness() {}

    /** One check of a backing service: returns when it is usable, throws otherwise. */
    @FunctionalInterface
    interface Probe {
        void check() throws Exception;
    }

    /** A service that answers but is not usable yet; the message is the reason given. */
    static final class NotReady extends Exception {
        private static final long serialVersionUID = 1L;

        NotReady(String reason) {
            super(reason);
        }
    }

    /** The result: each probe's "ok" or reason, and whether all passed. */
    record Result(boolean ok, Map<String, Object> checks) {}

    /** The reasons an operator acts on, recognised in a driver's message; anything else is "error: ...". */
    private static final List<Map.Entry<Pattern, String>> REASONS = List.of(
            Map.entry(Pattern.compile("password authentication failed|WRONGPASS|NOAUTH|invalid password"),
                    "authentication failed"),
            Map.entry(Pattern.compile("database \"[^\"]*\" does not exist"), "database missing"),
            Map.entry(Pattern.compile("(?i)refused"), "refused"),
            Map.entry(Pattern.compile("(?i)timed out|timeout"), "timed out"));

    static String reason(Throwable error) {
        if (error instanceof NotReady) {
            return error.getMessage();
        }
        // The driver's own wrapping ("The connection attempt failed.") hides the cause's reason.
        for (Throwable e = error; e != null; e = e.getCause()) {
            String message = Objects.toString(e.getMessage(), e.getClass().getSimpleName());
            for (Map.Entry<Pattern, String> reason : REASONS) {
                if (reason.getKey().matcher(message).find()) {
                    return reason.getValue();
                }
            }
        }
        return "error: " + Objects.toString(error.getMessage(), error.toString()).lines().findFirst().orElse("");
    }

    /** Probes run here so a hung one can be abandoned; daemon threads never hold up exit. */
    private static final ExecutorService THREADS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "readiness-probe");
        thread.setDaemon(true);
        return thread;
    });

    /** Runs every probe in parallel; one that has not answered by the deadline has "timed out". */
    static Result check(Map<String, Probe> probes) throws InterruptedException {
        Map<String, Future<?>> running = new LinkedHashMap<>();
        probes.forEach((name, probe) -> running.put(name, THREADS.submit(() -> {
            probe.check();
            return null;
        })));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PROBE_TIMEOUT_MS + 500);
        Map<String, Object> checks = new LinkedHashMap<>();
        boolean ok = true;
        for (Map.Entry<String, Future<?>> entry : running.entrySet()) {
            String result = "ok";
            try {
                entry.getValue().get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                result = reason(e.getCause());
            } catch (TimeoutException e) {
                entry.getValue().cancel(true);
                result = "timed out";
            }
            ok &= result.equals("ok");
            checks.put(entry.getKey(), result);
        }
        return new Result(ok, checks);
    }
}
