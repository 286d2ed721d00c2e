// billing-api: a small service that keeps the twelve-factor contract. Replace the example routes
// and the demo job with your own; keep the contract:
//   - every setting comes from the environment, read once in Config.load();
//   - the web process binds 0.0.0.0:$PORT;
//   - /health answers while the process runs, /ready only while the backing services answer;
//   - one JSON line on stdout per request and per lifecycle event;
//   - on SIGTERM: stop accepting, finish in-flight work, exit 0.
// Run a role with `java -jar target/app.jar <role>`: web (default), worker, scheduler, migrate,
// migrate-down, healthcheck. Every process type runs from the same jar and the same image.
// Serves factors III (config), IV (backing services), VI (stateless processes), VII (port
// binding), VIII (concurrency), IX (disposability), XI (logs) and XII (admin processes).
package com.example.service;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

public final class App {
    static final String SERVICE = "billing-api";
    static final List<String> ROLES = List.of("web", "worker", "scheduler", "migrate", "migrate-down", "healthcheck");
    /** How long a stopping process waits for in-flight work; below `docker stop`'s 10 s. */
    static final long SHUTDOWN_GRACE_MS = 8000;

    private App() {}

    /**
     * The chosen backing services: their probes for /ready, the queue (null without one),
     * and what to close when the process ends.
     */
    record Services(Map<String, Readiness.Probe> probes, Jobs.Queue queue, Runnable close) {}

    /** Made once per process: every request, job and probe shares the connections it holds. */
    static Services services(Config config, Log log) {
        Map<String, Readiness.Probe> probes = new LinkedHashMap<>();
        // Waiting for a pooled connection is bounded like a probe, so /ready (and a
        // request) fails within a second when PostgreSQL is down instead of hanging.
        Postgres db = new Postgres(config.database(), config.dbPoolSize(), Readiness.PROBE_TIMEOUT_MS);
        db.warmUp(log);
        probes.put("postgres", db::check);
        probes.put("redis", () -> Redis.check(config.redis(), Readiness.PROBE_TIMEOUT_MS));
        return new Services(probes, new Postgres.Queue(db, config.jobClaimIdleMs()), db::close);
    }

    /** What a process does on SIGTERM; returns whether its work finished within the grace period. */
    @FunctionalInterface
    interface Stop {
        boolean finish() throws InterruptedException;
    }

    /** What SIGTERM or SIGINT does: nothing to finish until a role says otherwise (onStop). */
    private static volatile Stop onSignal = () -> true;
    private static volatile Log stopLog;
    private static volatile String stopRole = "starting";
    /** Set by exit(): the JVM is ending on its own, not because of a signal. */
    private static volatile boolean exiting;

    /** From now on SIGTERM or SIGINT runs {@code stop} and logs as {@code role}. */
    static void onStop(Log log, String role, Stop stop) {
        stopLog = log;
        stopRole = role;
        onSignal = stop;
    }

    /** Ends the process with {@code status}, without the signal handling below. */
    static void exit(int status) {
        exiting = true;
        System.exit(status);
    }

    /**
     * Installed first thing in main, so a SIGTERM even during startup ends the process with 0:
     * runs the current {@link #onSignal}, then exits 0 when its work finished in time, 1 when not.
     */
    private static void handleSignals() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (exiting) {
                return;
            }
            Log log = stopLog != null ? stopLog : new Log("info", System.out);
            String role = stopRole;
            // A shutdown hook is not told which signal started it.
            log.info("stopping", "role", role, "signal", "SIGTERM or SIGINT");
            boolean finished;
            try {
                finished = onSignal.finish();
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
        Services services = services(config, log);
        Web web;
        try {
            web = new Web(config, log, services.probes(), services.queue(), new InetSocketAddress("0.0.0.0", config.port()));
        } catch (IOException e) {
            log.error("cannot listen", "port", config.port(), "error", String.valueOf(e));
            services.close().run();
            exit(1);
            return;
        }
        onStop(log, "web", () -> {
            boolean drained = web.stop(SHUTDOWN_GRACE_MS);
            services.close().run();
            return drained;
        });
        web.start();
        log.info("listening", "port", config.port(), "env", config.appEnv());
    }

    /** A loop that runs until SIGTERM; SIGTERM waits for the current iteration to end. */
    static final class Loop {
        private final CountDownLatch stopRequested = new CountDownLatch(1);
        private final CountDownLatch ended = new CountDownLatch(1);
        /** When in-flight work must give up (System.nanoTime()), 0 until SIGTERM. */
        volatile long giveUpAt;

        Loop(Log log, String role) {
            onStop(log, role, () -> {
                giveUpAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SHUTDOWN_GRACE_MS - 1000);
                stopRequested.countDown();
                return ended.await(SHUTDOWN_GRACE_MS, TimeUnit.MILLISECONDS);
            });
        }

        /** Waits up to {@code ms}; true once SIGTERM arrived. */
        boolean stopping(long ms) throws InterruptedException {
            return stopRequested.await(ms, TimeUnit.MILLISECONDS);
        }

        void end() {
            ended.countDown();
        }
    }

    /**
     * The worker role: takes jobs until SIGTERM. A job in progress at SIGTERM is finished if it
     * can be within the grace period, otherwise put back on the queue.
     */
    static void worker(Config config, Log log) throws InterruptedException {
        Loop loop = new Loop(log, "worker");
        Services services = services(config, log);
        Jobs.Queue queue = services.queue();
        log.info("started", "role", "worker", "env", config.appEnv());
        while (!loop.stopping(0)) {
            Jobs.Job job;
            try {
                job = queue.take();
            } catch (Exception e) {
                log.error("cannot take a job", "error", Readiness.reason(e));
                loop.stopping(1000);
                continue;
            }
            if (job != null) {
                run(queue, job, loop, config, log);
            }
        }
        services.close().run();
        loop.end();
    }

    static void run(Jobs.Queue queue, Jobs.Job job, Loop loop, Config config, Log log) throws InterruptedException {
        log.info("job taken", "job_id", job.id(), "kind", job.kind(), "attempts", job.attempts());
        // While the job runs, a heartbeat tells other workers this one is alive.
        Thread heartbeat = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(config.jobClaimIdleMs() / 3);
                    queue.heartbeat(job);
                }
            } catch (InterruptedException e) {
                // the job ended
            } catch (Exception e) {
                log.error("heartbeat failed", "job_id", job.id(), "error", Readiness.reason(e));
            }
        }, "heartbeat");
        heartbeat.setDaemon(true);
        heartbeat.start();
        try {
            Jobs.perform(job, () -> loop.giveUpAt);
            heartbeat.interrupt();
            queue.finish(job, "done");
            log.info("job done", "job_id", job.id(), "kind", job.kind(), "attempts", job.attempts());
        } catch (Jobs.Interrupted e) {
            heartbeat.interrupt();
            putBack(queue, job, log);
        } catch (Exception e) {
            heartbeat.interrupt();
            log.error("job failed", "job_id", job.id(), "error", String.valueOf(e));
            try {
                queue.finish(job, "failed");
            } catch (Exception again) {
                log.error("cannot mark the job failed", "job_id", job.id(), "error", Readiness.reason(again));
            }
        }
    }

    private static void putBack(Jobs.Queue queue, Jobs.Job job, Log log) {
        try {
            queue.putBack(job);
            log.info("job put back", "job_id", job.id(), "reason", "stopping");
        } catch (Exception e) {
            // Left running: another worker takes it over once its heartbeat is JOB_CLAIM_IDLE_MS old.
            log.error("cannot put the job back", "job_id", job.id(), "error", Readiness.reason(e));
        }
    }

    /**
     * The scheduler role: enqueues {"kind": "scheduled"} every SCHEDULE_INTERVAL seconds, through
     * the same queue as POST /jobs. Run exactly one scheduler.
     */
    static void scheduler(Config config, Log log) throws InterruptedException {
        Loop loop = new Loop(log, "scheduler");
        Services services = services(config, log);
        Jobs.Queue queue = services.queue();
        log.info("started", "role", "scheduler", "env", config.appEnv(), "every_s", config.scheduleIntervalSeconds());
        while (!loop.stopping(config.scheduleIntervalSeconds() * 1000)) {
            try {
                log.info("job scheduled", "job_id", queue.enqueue("scheduled", Log.JSON.createObjectNode()));
            } catch (Exception e) {
                log.error("cannot schedule a job", "error", Readiness.reason(e));
            }
        }
        services.close().run();
        loop.end();
    }

    /** The release step (`migrate`) and its undo (`migrate-down`): one-off admin processes. */
    static int migrate(String role, Config config, Log log) {
        // The same pool code with one connection: the migration lock is a session lock, so the
        // whole run holds that one connection, and closing the pool ends the session (and the
        // lock with it) even when the run fails. A release step may wait longer for the database.
        try (Postgres db = new Postgres(config.database(), 1, 5000)) {
            if (role.equals("migrate")) {
                db.migrate(log);
            } else {
                db.migrateDown(log);
            }
            return 0;
        } catch (Exception e) {
            log.error(role + " failed", "error", Readiness.reason(e));
            return 1;
        }
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

    public static void main(String[] args) {
        handleSignals();
        try {
            run(args);
        } catch (Exception e) {
            new Log("info", System.out).error("failed", "error", String.valueOf(e));
            exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        String role = args.length > 0 ? args[0] : "web";
        // The role is checked first, so a typo says so even where the configuration is incomplete.
        if (!ROLES.contains(role)) {
            new Log("info", System.out).error("unknown role", "role", role, "roles", ROLES);
            exit(2);
            return;
        }
        Config config;
        try {
            config = Config.load(System.getenv());
        } catch (Config.ConfigException e) {
            new Log("info", System.out).error("configuration error", "role", role, "error", e.getMessage());
            exit(1);
            return;
        }
        Log log = new Log(config.logLevel(), System.out);
        log.takeOverJavaLogging();
        switch (role) {
            case "web" -> web(config, log);
            case "worker" -> worker(config, log);
            case "scheduler" -> scheduler(config, log);
            case "migrate", "migrate-down" -> exit(migrate(role, config, log));
            case "healthcheck" -> exit(healthcheck(config));
            default -> throw new IllegalStateException("a role in ROLES has no case: " + role);
        }
    }
}
