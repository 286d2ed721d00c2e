// {{ name }}: Redis: a small client for the RESP protocol{% if not postgres %}, and the job queue on a Redis stream{% endif %}.
// Jedis or Lettuce is the usual client, but neither is packaged in Debian, and the build this
// starter is checked with has no Maven Central; the few commands the app needs fit in this file.
// With Maven Central, Jedis (redis.clients:jedis) can replace the Client class.
// The client logs in with the URL's credentials (AUTH); rediss:// is TLS, verified against the
// JVM's trust store with the host name checked (javax.net.ssl.trustStore adds a CA).
// Serves factors IV (backing services){% if not postgres %} and VIII (concurrency: workers share the queue){% endif %}.
package com.example.service;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
{%- if not postgres %}
import java.util.Map;
{%- endif %}
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

final class Redis {
    private Redis() {}

    /** An error reply ("-WRONGPASS ...", "-BUSYGROUP ..."). */
    static final class ReplyError extends IOException {
        private static final long serialVersionUID = 1L;

        ReplyError(String message) {
            super(message);
        }
    }

    /**
     * One connection, opened on first use and again after a failure. Replies are String, Long,
     * List or null. Synchronized: threads take turns, as the protocol needs.
     */
    static final class Client implements AutoCloseable {
        private final Config.Endpoint endpoint;
        private final int timeoutMs;
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        /** Between MULTI and EXEC: a command there must not go again on a new connection. */
        private boolean inTransaction;

        Client(Config.Endpoint endpoint, int timeoutMs) {
            this.endpoint = endpoint;
            this.timeoutMs = timeoutMs;
        }

        /**
         * Sends one command; {@code extraWaitMs} is for blocking commands (XREADGROUP BLOCK).
         * A Redis restart or failover closes the kept connection, and only the next command
         * finds out (EOF or a reset). That command goes once more on a new connection, so the
         * first request after a restart does not fail: a command sent on a connection Redis had
         * already closed never ran. One that ran just as Redis died may run twice, which the
         * queue tolerates: INCR skips an id, HSET/XCLAIM repeat, a job may run again (at-least-
         * once), and attempts may count that take twice. Inside MULTI it is never resent.
         */
        synchronized Object call(long extraWaitMs, String... words) throws IOException {
            boolean kept = socket != null;
            try {
                return attempt(extraWaitMs, words);
            } catch (EOFException | SocketException | SSLException e) {
                if (!kept || inTransaction) {
                    throw e;
                }
                return attempt(extraWaitMs, words);
            }
        }

        private Object attempt(long extraWaitMs, String... words) throws IOException {
            try {
                if (socket == null) {
                    open();
                }
                socket.setSoTimeout((int) (timeoutMs + extraWaitMs));
                return send(words);
            } catch (ReplyError e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }

        Object call(String... words) throws IOException {
            return call(0, words);
        }

        /** MULTI ... EXEC: the commands apply together or not at all. */
        synchronized void transaction(String[]... commands) throws IOException {
            call("MULTI"); // may go twice: on its own it changes nothing
            inTransaction = true;
            try {
                for (String[] command : commands) {
                    call(command);
                }
                call("EXEC");
            } finally {
                inTransaction = false;
            }
        }

        private void open() throws IOException {
            Socket plain = new Socket();
            try {
                plain.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), timeoutMs);
                plain.setSoTimeout(timeoutMs);
                socket = endpoint.tls() ? secure(plain) : plain;
                in = new BufferedInputStream(socket.getInputStream());
                out = socket.getOutputStream();
                if (!endpoint.password().isEmpty()) {
                    send(endpoint.user().isEmpty() ? new String[] {"AUTH", endpoint.password()}
                            : new String[] {"AUTH", endpoint.user(), endpoint.password()});
                }
                if (endpoint.path().matches("[0-9]+") && !endpoint.path().equals("0")) {
                    send("SELECT", endpoint.path());
                }
            } catch (IOException | RuntimeException e) {
                plain.close();
                socket = null;
                throw e;
            }
        }

        /** TLS over the connected socket, checking the certificate against the host name. */
        private SSLSocket secure(Socket plain) throws IOException {
            SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                    .createSocket(plain, endpoint.host(), endpoint.port(), true);
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
            tls.startHandshake();
            return tls;
        }

        private Object send(String... words) throws IOException {
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes(("*" + words.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            for (String word : words) {
                byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
                request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
                request.writeBytes(bytes);
                request.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            out.write(request.toByteArray());
            out.flush();
            return read();
        }

        private Object read() throws IOException {
            String line = line();
            String rest = line.substring(1);
            switch (line.charAt(0)) {
                case '+':
                    return rest;
                case '-':
                    throw new ReplyError(rest);
                case ':':
                    return Long.parseLong(rest);
                case '$': {
                    int length = Integer.parseInt(rest);
                    if (length < 0) {
                        return null;
                    }
                    byte[] bytes = in.readNBytes(length + 2);
                    return new String(bytes, 0, length, StandardCharsets.UTF_8);
                }
                case '*': {
                    int count = Integer.parseInt(rest);
                    if (count < 0) {
                        return null;
                    }
                    List<Object> items = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        items.add(read());
                    }
                    return items;
                }
                default:
                    throw new IOException("not a Redis reply: " + line);
            }
        }

        private String line() throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new EOFException("Redis closed the connection");
                }
                bytes.write(b);
            }
            String line = bytes.toString(StandardCharsets.UTF_8);
            return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        }

        @Override
        public synchronized void close() {
            try {
                if (socket != null) {
                    socket.close();
                }
            } catch (IOException e) {
                // closing a broken connection: nothing left to do
            }
            socket = null;
        }
    }

    /** /ready: a new connection (TCP, TLS, AUTH with the URL's credentials), then PING. */
    static void check(Config.Endpoint endpoint, int timeoutMs) throws IOException {
        try (Client client = new Client(endpoint, timeoutMs)) {
            Object pong = client.call("PING");
            if (!"PONG".equals(pong)) {
                throw new IOException("Redis answered " + pong + " to PING");
            }
        }
    }
{%- if not postgres %}

    /**
     * The queue: each job is a hash "job:<id>" (id from INCR "jobs:next-id") and an entry on the
     * stream "jobs", read by the consumer group "workers". An entry stays pending until the worker
     * acknowledges it; one whose worker died (idle longer than JOB_CLAIM_IDLE_MS) is claimed by
     * another worker with XAUTOCLAIM. A worker at work re-claims its own entry now and then
     * (heartbeat), so a long job is not taken from a live worker.
     */
    static final class Queue implements Jobs.Queue {
        private final Client redis;
        private final long claimIdleMs;
        private final String consumer = App.SERVICE + "-" + ProcessHandle.current().pid();
        private boolean groupCreated;

        Queue(Client redis, long claimIdleMs) {
            this.redis = redis;
            this.claimIdleMs = claimIdleMs;
        }

        @Override
        public String enqueue(String kind, com.fasterxml.jackson.databind.JsonNode payload) throws IOException {
            String id = String.valueOf(redis.call("INCR", "jobs:next-id"));
            redis.transaction(new String[] {"HSET", "job:" + id, "id", id, "kind", kind, "payload", Log.json(payload),
                "state", "queued", "attempts", "0"}, new String[] {"XADD", "jobs", "*", "id", id});
            return id;
        }

        @Override
        public Map<String, Object> find(String id) throws IOException {
            List<?> fields = (List<?>) redis.call("HGETALL", "job:" + id);
            if (fields.isEmpty()) {
                return null;
            }
            Map<String, Object> hash = new java.util.HashMap<>();
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                hash.put((String) fields.get(i), fields.get(i + 1));
            }
            return Log.object("id", hash.get("id"), "kind", hash.get("kind"), "state", hash.get("state"),
                    "attempts", Integer.parseInt((String) hash.get("attempts")));
        }

        /** A dead worker's job first, then a new one, waiting up to a second. */
        @Override
        public Jobs.Job take() throws Exception {
            createGroup();
            List<?> entry;
            try {
                List<?> claimed = (List<?>) ((List<?>) redis.call("XAUTOCLAIM", "jobs", "workers", consumer,
                        String.valueOf(claimIdleMs), "0-0", "COUNT", "1")).get(1);
                entry = claimed.isEmpty() ? readNew() : (List<?>) claimed.get(0);
            } catch (ReplyError e) {
                // Redis restarted without its data (no persistence): the group is gone with the
                // stream; the next take creates it again.
                if (e.getMessage().startsWith("NOGROUP")) {
                    groupCreated = false;
                }
                throw e;
            }
            if (entry == null) {
                return null;
            }
            String handle = (String) entry.get(0);
            String id = (String) ((List<?>) entry.get(1)).get(1);
            long attempts = (Long) redis.call("HINCRBY", "job:" + id, "attempts", "1");
            redis.call("HSET", "job:" + id, "state", "running");
            List<?> job = (List<?>) redis.call("HMGET", "job:" + id, "kind", "payload");
            return new Jobs.Job(id, (String) job.get(0), Log.JSON.readTree((String) job.get(1)), (int) attempts, handle);
        }

        private List<?> readNew() throws IOException {
            Object reply = redis.call(1000, "XREADGROUP", "GROUP", "workers", consumer, "COUNT", "1", "BLOCK", "1000",
                    "STREAMS", "jobs", ">");
            if (reply == null) {
                return null;
            }
            List<?> entries = (List<?>) ((List<?>) ((List<?>) reply).get(0)).get(1);
            return entries.isEmpty() ? null : (List<?>) entries.get(0);
        }

        /** "0": entries added before the group existed are delivered too. */
        private void createGroup() throws IOException {
            if (groupCreated) {
                return;
            }
            try {
                redis.call("XGROUP", "CREATE", "jobs", "workers", "0", "MKSTREAM");
            } catch (ReplyError e) {
                if (!e.getMessage().startsWith("BUSYGROUP")) {
                    throw e;
                }
            }
            groupCreated = true;
        }

        @Override
        public void heartbeat(Jobs.Job job) throws IOException {
            redis.call("XCLAIM", "jobs", "workers", consumer, "0", job.handle(), "JUSTID");
        }

        @Override
        public void finish(Jobs.Job job, String state) throws IOException {
            redis.transaction(new String[] {"HSET", "job:" + job.id(), "state", state},
                    new String[] {"XACK", "jobs", "workers", job.handle()});
        }

        @Override
        public void putBack(Jobs.Job job) throws IOException {
            redis.transaction(new String[] {"HSET", "job:" + job.id(), "state", "queued"},
                    new String[] {"XADD", "jobs", "*", "id", job.id()},
                    new String[] {"XACK", "jobs", "workers", job.handle()});
        }
    }
{%- endif %}
}
