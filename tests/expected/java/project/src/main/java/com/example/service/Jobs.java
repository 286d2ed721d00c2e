// billing-api: jobs: what POST /jobs accepts, the queue the worker takes them from, and the demo
// work. The queue is PostgreSQL's jobs table.
// Serves factors VI (stateless processes: jobs live in a backing service) and VIII (concurrency).
package com.example.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

final class Jobs {
    /** The largest POST /jobs body, in bytes. */
    static final int MAX_BODY = 64 * 1024;
    /** The longest demo job (payload {"sleep_ms": N}), in milliseconds. */
    static final long MAX_SLEEP_MS = 10_000;

    private Jobs() {}

    /** A job as the worker sees it; {@code handle} is the queue's own reference (a stream entry). */
    record Job(String id, String kind, JsonNode payload, int attempts, String handle) {}

    /** A POST /jobs body that is not a job; the message says why. */
    static final class BadJob extends Exception {
        private static final long serialVersionUID = 1L;

        BadJob(String message) {
            super(message);
        }
    }

    /** Where jobs wait. Each method talks to the backing service, and throws when it cannot. */
    interface Queue {
        /** Adds a job; returns its id. */
        String enqueue(String kind, JsonNode payload) throws Exception;

        /** The job's id, kind, state and attempts, or null when there is no such job. */
        Map<String, Object> find(String id) throws Exception;

        /** The next job, or null when none came within about a second. */
        Job take() throws Exception;

        /** Tells other workers this one is still at work on {@code job}. */
        void heartbeat(Job job) throws Exception;

        /** Marks the job "done" or "failed". */
        void finish(Job job, String state) throws Exception;

        /** Puts a job this worker cannot finish back on the queue for another worker. */
        void putBack(Job job) throws Exception;
    }

    /** Checks a POST /jobs body: a JSON object with a kind of 1 to 64 characters and an object payload. */
    static JsonNode[] parse(byte[] body) throws BadJob {
        JsonNode root;
        try {
            root = Log.JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadJob("the body is not JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new BadJob("the body cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new BadJob("the body must be a JSON object");
        }
        JsonNode kind = root.get("kind");
        if (kind == null || !kind.isTextual() || kind.asText().isEmpty()
                || kind.asText().codePointCount(0, kind.asText().length()) > 64) {
            throw new BadJob("kind is required: a string of 1 to 64 characters");
        }
        JsonNode payload = root.has("payload") ? root.get("payload") : Log.JSON.createObjectNode();
        if (!payload.isObject()) {
            throw new BadJob("payload must be a JSON object");
        }
        return new JsonNode[] {kind, payload};
    }

    /** The work stopped because the grace period is running out; the job goes back to the queue. */
    static final class Interrupted extends Exception {
        private static final long serialVersionUID = 1L;
    }

    /**
     * The demo work: payload {"sleep_ms": N} takes N ms. Replace with your own kinds of job. It
     * checks {@code stopBy} (a System.nanoTime() deadline, or 0 while not stopping) as it goes.
     */
    static void perform(Job job, java.util.function.LongSupplier stopBy) throws Interrupted, InterruptedException {
        long ms = Math.min(Math.max(job.payload().path("sleep_ms").asLong(0), 0), MAX_SLEEP_MS);
        long finishAt = System.nanoTime() + ms * 1_000_000;
        while (System.nanoTime() < finishAt) {
            long deadline = stopBy.getAsLong();
            if (deadline != 0 && System.nanoTime() > deadline) {
                throw new Interrupted();
            }
            Thread.sleep(Math.max(1, Math.min(50, (finishAt - System.nanoTime()) / 1_000_000)));
        }
    }
}
