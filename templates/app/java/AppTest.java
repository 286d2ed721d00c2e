// {{ name }}: the service's own tests, run by `mvn test` (JUnit 5) locally and in CI. They read
// configuration from plain maps, never from this machine's environment, and start the server on
// a free local port to talk HTTP to it; nothing leaves the machine.
// Serves factors III (config: checked without touching the real environment) and IV (backing
// services: a closed port stands in for a service that is down).
package com.example.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

{% if postgres or redis -%}
import java.io.IOException;
import java.net.InetAddress;
{% endif -%}
import java.net.InetSocketAddress;
{% if postgres or redis -%}
import java.net.ServerSocket;
{% endif -%}
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

class AppTest {
    /** The required variables with valid values, plus {@code extra} (name, value pairs). */
    static Map<String, String> env(String... extra) {
        Map<String, String> env = new HashMap<>();
{%- if postgres %}
        env.put("DATABASE_URL", "postgres://app:secret@localhost:5432/app");
{%- endif %}
{%- if redis %}
        env.put("REDIS_URL", "redis://localhost:6379/0");
{%- endif %}
        for (int i = 0; i + 1 < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return env;
    }
{%- if postgres or redis %}

    /** A port nothing listens on: bind one, note it, close it. */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
{%- endif %}

    @Nested
    class Configuration {
        @Test
        void hasSafeDefaultsForEverythingThatIsNotABackingService() throws Exception {
            Config config = Config.load(env());
            assertEquals({{ port }}, config.port());
            assertEquals("info", config.logLevel());
            assertEquals("development", config.appEnv());
        }

        @Test
        void rejectsAPortThatIsNotAPortNamingTheVariable() {
            for (String bad : List.of("eighty", "0", "65536", "+80")) {
                Exception e = assertThrows(Config.ConfigException.class, () -> Config.load(env("PORT", bad)));
                assertTrue(e.getMessage().contains("PORT"), e.getMessage());
            }
        }
{%- if postgres %}

        @Test
        void namesDatabaseUrlWhenItIsMissing() {
            Exception e = assertThrows(Config.ConfigException.class, () -> Config.load(env("DATABASE_URL", "")));
            assertTrue(e.getMessage().contains("DATABASE_URL is required"), e.getMessage());
        }

        @Test
        void readsThePoolSizeAndRejectsOneThatCannotServe() throws Exception {
            assertEquals(5, Config.load(env()).dbPoolSize());
            assertEquals(12, Config.load(env("DB_POOL_SIZE", "12")).dbPoolSize());
            for (String bad : List.of("0", "101", "five")) {
                Exception e = assertThrows(Config.ConfigException.class, () -> Config.load(env("DB_POOL_SIZE", bad)));
                assertTrue(e.getMessage().contains("DB_POOL_SIZE"), e.getMessage());
            }
        }
{%- endif %}
{%- if redis %}

        @Test
        void namesRedisUrlWhenItIsMissing() {
            Exception e = assertThrows(Config.ConfigException.class, () -> Config.load(env("REDIS_URL", "")));
            assertTrue(e.getMessage().contains("REDIS_URL is required"), e.getMessage());
        }
{%- endif %}
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Http {
        private final HttpClient client = HttpClient.newHttpClient();
        private App.Services services;
        private Web web;

        @BeforeAll
        void start() throws Exception {
{%- if postgres or redis %}
            int down = closedPort();
{%- endif %}
            Config config = Config.load(env("APP_ENV", "test"
{%- if postgres %},
                    "DATABASE_URL", "postgres://app:secret@127.0.0.1:" + down + "/app"
{%- endif %}
{%- if redis %},
                    "REDIS_URL", "redis://127.0.0.1:" + down + "/0"
{%- endif %}));
            services = App.services(config, Log.silent());
            web = new Web(config, Log.silent(), services.probes(), services.queue(), new InetSocketAddress("127.0.0.1", 0));
            web.start();
        }

        @AfterAll
        void stop() throws Exception {
            web.stop(0);
            services.close().run();
        }

        HttpResponse<String> get(String path) throws Exception {
            URI uri = URI.create("http://127.0.0.1:" + web.port() + path);
            return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        }

        @Test
        void answersHealthWith200() throws Exception {
            HttpResponse<String> res = get("{{ health_path }}");
            assertEquals(200, res.statusCode());
            assertEquals("{\"status\":\"ok\"}", res.body());
        }

        @Test
        void readyReportsEachBackingService() throws Exception {
            HttpResponse<String> res = get("{{ ready_path }}");
{%- if postgres or redis %}
            // Nothing listens on the configured port, so the service is not ready and says why.
            assertEquals(503, res.statusCode(), res.body());
            assertTrue(res.body().contains("\"status\":\"not ready\""), res.body());
{%- if postgres %}
            assertTrue(res.body().contains("\"postgres\":\"refused\""), res.body());
{%- endif %}
{%- if redis %}
            assertTrue(res.body().contains("\"redis\":\"refused\""), res.body());
{%- endif %}
{%- else %}
            // No backing services are configured, so the service is ready as soon as it listens.
            assertEquals(200, res.statusCode(), res.body());
            assertTrue(res.body().contains("\"status\":\"ready\""), res.body());
{%- endif %}
        }

        @Test
        void refusesAJobThatIsNotAJsonObjectWithAKind() {
            for (String bad : List.of("{not json", "[]", "{\"payload\":{}}", "{\"kind\":\"\"}",
                    "{\"kind\":\"" + "k".repeat(65) + "\"}", "{\"kind\":\"a\",\"payload\":[]}")) {
                assertThrows(Jobs.BadJob.class, () -> Jobs.parse(bad.getBytes(java.nio.charset.StandardCharsets.UTF_8)), bad);
            }
        }

        @Test
        void answersUnknownPathsWithAJson404() throws Exception {
            HttpResponse<String> res = get("/no-such-page");
            assertEquals(404, res.statusCode());
            assertEquals("{\"error\":\"not found\"}", res.body());
        }
    }
}
