// billing-api: the service's own tests, run by `go test ./...` locally and in CI. They need no
// network and no backing services: the HTTP tests serve the app on a local test server.
// Serves factors III (config: the checks on every setting) and IX (disposability: what the
// health endpoints promise).
package main

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// lookup reads variables from vars only, so the test never sees the CI job's own environment.
func lookup(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

// validEnv holds every required variable, with values that pass the checks.
func validEnv() map[string]string {
	vars := map[string]string{}
	vars["REDIS_URL"] = "redis://localhost:6379/0"
	return vars
}

func TestConfigDefaults(t *testing.T) {
	cfg, err := LoadConfig(lookup(validEnv()))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Port != 8080 || cfg.LogLevel != "info" || cfg.AppEnv != "development" {
		t.Errorf("defaults = %+v, want port 8080, level info, env development", cfg)
	}
}

func TestConfigFileWinsOverVariable(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "app_env")
	if err := os.WriteFile(secret, []byte("staging\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	vars := validEnv()
	vars["APP_ENV"] = "development"
	vars["APP_ENV_FILE"] = secret
	cfg, err := LoadConfig(lookup(vars))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.AppEnv != "staging" {
		t.Errorf("AppEnv = %q, want the file's trimmed contents", cfg.AppEnv)
	}
}

func TestConfigRejectsBadScheduleInterval(t *testing.T) {
	for _, interval := range []string{"0", "1.5", "-1", "soon"} {
		vars := validEnv()
		vars["SCHEDULE_INTERVAL"] = interval
		if _, err := LoadConfig(lookup(vars)); err == nil || !strings.Contains(err.Error(), "SCHEDULE_INTERVAL") {
			t.Errorf("SCHEDULE_INTERVAL=%s: error %v does not name it", interval, err)
		}
	}
}

func TestConfigRejectsBadPort(t *testing.T) {
	for _, port := range []string{"eighty", "0", "65536", "+80"} {
		vars := validEnv()
		vars["PORT"] = port
		if _, err := LoadConfig(lookup(vars)); err == nil || !strings.Contains(err.Error(), "PORT") {
			t.Errorf("PORT=%s: error %v does not name PORT", port, err)
		}
	}
}

func TestConfigNamesMissingRedisURL(t *testing.T) {
	vars := validEnv()
	delete(vars, "REDIS_URL")
	if _, err := LoadConfig(lookup(vars)); err == nil || !strings.Contains(err.Error(), "REDIS_URL is required") {
		t.Errorf("error %v does not name REDIS_URL", err)
	}
}

// testServer serves the app on a local port.
// Its backing services point at a port nothing listens on.
func testServer(t *testing.T) *httptest.Server {
	vars := map[string]string{}
	down := closedAddr(t)
	vars["REDIS_URL"] = "redis://" + down + "/0"
	cfg, err := LoadConfig(lookup(vars))
	if err != nil {
		t.Fatal(err)
	}
	server := httptest.NewServer(NewApp(cfg, NewLogger(io.Discard, "error")))
	t.Cleanup(server.Close)
	return server
}

// closedAddr is a local host:port nothing listens on: bind one, note it, close it.
func closedAddr(t *testing.T) string {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := listener.Addr().String()
	listener.Close()
	return addr
}

// get fetches url and decodes its JSON body.
func get(t *testing.T, url string) (int, map[string]any) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		t.Fatalf("%s: the body is not JSON: %v", url, err)
	}
	return res.StatusCode, body
}

func TestHealth(t *testing.T) {
	status, body := get(t, testServer(t).URL+"/health")
	if status != http.StatusOK || body["status"] != "ok" {
		t.Errorf("/health = %d %v, want 200 ok", status, body)
	}
}

func TestReadyReportsEachBackingService(t *testing.T) {
	status, body := get(t, testServer(t).URL+"/ready")
	// Nothing listens on the configured port, so the service is not ready and says why.
	if status != http.StatusServiceUnavailable || body["status"] != "not ready" {
		t.Fatalf("/ready = %d %v, want 503 not ready", status, body)
	}
	checks, _ := body["checks"].(map[string]any)
	if reason, _ := checks["redis"].(string); reason != "refused" {
		t.Errorf("checks.redis = %q, want refused", reason)
	}
}

func TestUnknownPathIsJSON404(t *testing.T) {
	status, body := get(t, testServer(t).URL+"/no-such-page")
	if status != http.StatusNotFound || body["error"] != "not found" {
		t.Errorf("/no-such-page = %d %v, want 404 not found", status, body)
	}
}

func TestCheckJobNamesTheProblem(t *testing.T) {
	cases := []struct{ body, want string }{
		{`{"kind": "email", "payload": {"sleep_ms": 5}}`, ""},
		{`{"kind": "email"}`, ""},
		{`{"kind": "email", "payload": [1]}`, "payload must be a JSON object"},
		{`{"payload": {}}`, "kind is required"},
		{`{"kind": ""}`, "kind is required"},
		{`{"kind": "` + strings.Repeat("k", 65) + `"}`, "kind is required"},
		{`{"kind": "x", "payload": {"sleep_ms": 10001}}`, "sleep_ms must be a whole number from 0 to 10000"},
		{`{"kind": "x", "payload": {"sleep_ms": "soon"}}`, "payload must be a JSON object"},
		{`{"kind": `, "not a JSON object"},
	}
	for _, c := range cases {
		_, _, err := checkJob([]byte(c.body))
		if c.want == "" && err != nil {
			t.Errorf("%s: unexpected error %v", c.body, err)
		}
		if c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%s: error %v, want one containing %q", c.body, err, c.want)
		}
	}
}

// post sends body to url as JSON and decodes the JSON answer.
func post(t *testing.T, url, body string) (int, map[string]any) {
	t.Helper()
	res, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var answer map[string]any
	if err := json.NewDecoder(res.Body).Decode(&answer); err != nil {
		t.Fatalf("%s: the body is not JSON: %v", url, err)
	}
	return res.StatusCode, answer
}

func TestPostJobsRejectsABadBodyBeforeTheQueue(t *testing.T) {
	server := testServer(t)
	status, body := post(t, server.URL+"/jobs", `{"payload": {}}`)
	if status != http.StatusBadRequest || !strings.Contains(body["error"].(string), "kind") {
		t.Errorf("POST /jobs without kind = %d %v, want 400 naming kind", status, body)
	}
	status, body = post(t, server.URL+"/jobs", `{"kind": "x", "payload": {"pad": "`+strings.Repeat("x", 65<<10)+`"}}`)
	if status != http.StatusRequestEntityTooLarge {
		t.Errorf("POST /jobs with 65 KiB = %d %v, want 413", status, body)
	}
}
