// billing-api: a minimal service that keeps the twelve-factor contract. Replace the example
// routes with your own; keep the contract:
//   - every setting comes from the environment, read once in LoadConfig;
//   - the web process binds 0.0.0.0:$PORT;
//   - /health answers while the process runs, /ready only while the backing services answer;
//   - one JSON line on stdout per request and per lifecycle event;
//   - on SIGTERM: stop accepting, finish in-flight requests, exit 0.
//
// Run a role with `./server <role>`: web (default), worker, scheduler, migrate, healthcheck.
// Every process type runs from the same binary and the same image. Only the standard library
// is used, so there is nothing to download for the example itself.
// Serves factors III (config), IV (backing services), VI (stateless processes), VII (port
// binding), VIII (concurrency), IX (disposability), XI (logs) and XII (admin processes).
package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

const service = "billing-api"

// How long a stopping process waits for in-flight work; below `docker stop`'s 10 s.
const shutdownGrace = 8 * time.Second

// How long each readiness probe of a backing service may take.
const probeTimeout = time.Second

// The longest delay /demo/slow accepts, so the example can never outlive a graceful stop.
const slowMax = 5 * time.Second

var logLevels = []string{"debug", "info", "warn", "error"}

var roles = []string{"web", "worker", "scheduler", "migrate", "healthcheck"}

// Config is every setting the service reads, checked once at start.
type Config struct {
	AppEnv   string // APP_ENV: which deploy this is; only for logs
	LogLevel string // LOG_LEVEL: debug, info, warn or error
	Port     int    // PORT: the port the web process binds

	// REDIS_URL: the Redis instance.
	RedisURL *url.URL
}

// LoadConfig reads and checks every setting through getenv (os.Getenv when the service runs,
// a map in tests). NAME_FILE (a Docker secret) wins over NAME, and an empty value counts as
// unset. The error names the first variable that is missing or invalid.
func LoadConfig(getenv func(string) string) (Config, error) {
	s := settings{getenv: getenv}
	cfg := Config{
		AppEnv:   s.get("APP_ENV", "development"),
		LogLevel: s.get("LOG_LEVEL", "info"),
	}
	port := s.get("PORT", "8080")
	// Digits only: Atoi alone would also take "+80".
	if n, err := strconv.Atoi(port); err == nil && allDigits(port) && n >= 1 && n <= 65535 {
		cfg.Port = n
	} else {
		s.fail("PORT must be a whole number from 1 to 65535, not %q", port)
	}
	if levelRank(cfg.LogLevel) < 0 {
		s.fail("LOG_LEVEL must be one of %s, not %q", strings.Join(logLevels, ", "), cfg.LogLevel)
	}
	cfg.RedisURL = s.url("REDIS_URL", "the Redis instance", "redis", "rediss")
	return cfg, s.err
}

// settings reads variables and keeps the first problem it meets, so LoadConfig reads as a list
// of settings rather than a ladder of error checks.
type settings struct {
	getenv func(string) string
	err    error
}

func (s *settings) fail(format string, args ...any) {
	if s.err == nil {
		s.err = fmt.Errorf(format, args...)
	}
}

// get returns NAME_FILE's trimmed contents, else NAME, else fallback. An empty secret file
// counts as unset too, so the fallback (or "is required") applies.
func (s *settings) get(name, fallback string) string {
	if path := s.getenv(name + "_FILE"); path != "" {
		contents, err := os.ReadFile(path)
		if err != nil {
			s.fail("%s_FILE names %s, which cannot be read: %v", name, path, errors.Unwrap(err))
			return ""
		}
		if value := strings.TrimSpace(string(contents)); value != "" {
			return value
		}
		return fallback
	}
	if value := s.getenv(name); value != "" {
		return value
	}
	return fallback
}

// url returns the required URL setting name, checking it uses one of schemes and names a host.
// The messages never repeat the value: it usually holds a password.
func (s *settings) url(name, why string, schemes ...string) *url.URL {
	value := s.get(name, "")
	if value == "" {
		s.fail("%s is required (%s); set %s or %s_FILE", name, why, name, name)
		return nil
	}
	parsed, err := url.Parse(value)
	if err != nil || parsed.Hostname() == "" || !contains(schemes, parsed.Scheme) {
		s.fail("%s must look like %s://host:port/...", name, schemes[0])
		return nil
	}
	return parsed
}

func contains(list []string, word string) bool {
	for _, w := range list {
		if w == word {
			return true
		}
	}
	return false
}

// allDigits reports whether text is one or more ASCII digits and nothing else.
func allDigits(text string) bool {
	return text != "" && strings.Trim(text, "0123456789") == ""
}

// levelRank is the position of level in logLevels, or -1 when it is not a level.
func levelRank(level string) int {
	for i, l := range logLevels {
		if l == level {
			return i
		}
	}
	return -1
}

// Logger writes one JSON object per line: time, level, service and msg first, then the
// fields in the order given. Lines below its level are dropped.
type Logger struct {
	mu  sync.Mutex
	out io.Writer
	min int
}

// NewLogger writes to out the lines at level or above; level must be one of logLevels.
func NewLogger(out io.Writer, level string) *Logger {
	return &Logger{out: out, min: levelRank(level)}
}

func (l *Logger) Debug(msg string, fields ...any) { l.write("debug", msg, fields) }
func (l *Logger) Info(msg string, fields ...any)  { l.write("info", msg, fields) }
func (l *Logger) Warn(msg string, fields ...any)  { l.write("warn", msg, fields) }
func (l *Logger) Error(msg string, fields ...any) { l.write("error", msg, fields) }

// write encodes the line by hand because a Go map would not keep the order of the fields;
// fields are key, value pairs.
func (l *Logger) write(level, msg string, fields []any) {
	if levelRank(level) < l.min {
		return
	}
	pairs := append([]any{
		"time", time.Now().UTC().Format("2006-01-02T15:04:05.000Z07:00"),
		"level", level,
		"service", service,
		"msg", msg,
	}, fields...)
	var line bytes.Buffer
	line.WriteByte('{')
	for i := 0; i+1 < len(pairs); i += 2 {
		if i > 0 {
			line.WriteByte(',')
		}
		value := pairs[i+1]
		if err, ok := value.(error); ok {
			value = err.Error() // an error would otherwise encode as {}
		}
		key, _ := json.Marshal(fmt.Sprint(pairs[i]))
		encoded, err := json.Marshal(value)
		if err != nil {
			encoded, _ = json.Marshal(fmt.Sprint(value))
		}
		line.Write(key)
		line.WriteByte(':')
		line.Write(encoded)
	}
	line.WriteString("}\n")
	l.mu.Lock()
	defer l.mu.Unlock()
	_, _ = l.out.Write(line.Bytes())
}

// A probe checks that one backing service answers its own protocol.
type probe func(ctx context.Context) error

// probes are the backing services /ready and migrate check, by name.
func probes(cfg Config) map[string]probe {
	checks := map[string]probe{}
	// Redis answers PING with +PONG, after AUTH when the URL carries a password; rediss:// is TLS.
	checks["redis"] = func(ctx context.Context) error {
		hello, replies := command("PING"), 1
		if password, _ := cfg.RedisURL.User.Password(); password != "" {
			auth := []string{"AUTH", password}
			if user := cfg.RedisURL.User.Username(); user != "" {
				auth = []string{"AUTH", user, password}
			}
			hello, replies = command(auth...)+hello, 2
		}
		// Each reply is one CRLF-ended line ("+OK", "+PONG" or an "-ERR ..." error).
		allReplies := func(reply []byte) bool { return bytes.Count(reply, []byte("\r\n")) >= replies }
		reply, err := exchange(ctx, hostPort(cfg.RedisURL, "6379"), cfg.RedisURL.Scheme == "rediss", []byte(hello), allReplies)
		if err != nil {
			return err
		}
		for _, line := range strings.Split(strings.TrimSpace(string(reply)), "\r\n") {
			if !strings.HasPrefix(line, "+") {
				return fmt.Errorf("the server answered %q", line)
			}
		}
		if !strings.Contains(string(reply), "+PONG") {
			return errors.New("the server did not answer PING")
		}
		return nil
	}
	return checks
}

// hostPort is the URL's host:port, with the protocol's default port when the URL names none.
func hostPort(u *url.URL, defaultPort string) string {
	port := u.Port()
	if port == "" {
		port = defaultPort
	}
	return net.JoinHostPort(u.Hostname(), port)
}

// command encodes words as a RESP array, the form Redis reads commands in.
func command(words ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(words))
	for _, w := range words {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(w), w)
	}
	return b.String()
}

// exchange connects to addr, writes hello and reads until done says the reply is whole, the
// server stops talking or ctx's deadline passes.
func exchange(ctx context.Context, addr string, secure bool, hello []byte, done func(reply []byte) bool) ([]byte, error) {
	var dialer net.Dialer
	conn, err := dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, unreachable(addr, err)
	}
	defer conn.Close()
	if secure {
		host, _, _ := net.SplitHostPort(addr)
		secured := tls.Client(conn, &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12})
		if err := secured.HandshakeContext(ctx); err != nil {
			return nil, fmt.Errorf("TLS handshake with %s failed: %v", addr, err)
		}
		conn = secured
	}
	if deadline, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline)
	}
	if _, err := conn.Write(hello); err != nil {
		return nil, unreachable(addr, err)
	}
	var reply []byte
	buf := make([]byte, 512)
	for !done(reply) {
		n, err := conn.Read(buf)
		reply = append(reply, buf[:n]...)
		if err != nil && len(reply) == 0 {
			return nil, unreachable(addr, err)
		}
		if err != nil {
			break // a partial answer still tells the caller what went wrong
		}
	}
	return reply, nil
}

// unreachable turns a network error into a short reason for the /ready body.
func unreachable(addr string, err error) error {
	var dnsErr *net.DNSError
	var netErr net.Error
	reason := err.Error()
	switch {
	case errors.As(err, &dnsErr):
		reason = "lookup failed: " + dnsErr.Err
	case errors.As(err, &netErr) && netErr.Timeout():
		reason = fmt.Sprintf("no answer within %v", probeTimeout)
	case errors.Is(err, syscall.ECONNREFUSED):
		reason = "connection refused"
	case errors.Is(err, io.EOF):
		reason = "closed the connection without answering"
	}
	return fmt.Errorf("unreachable: %s: %s", addr, reason)
}

// readiness runs every probe in parallel, each with its own timeout; ok is true only when all
// of them pass. checks maps each name to "ok" or the reason it failed.
func readiness(ctx context.Context, all map[string]probe) (ok bool, checks map[string]string) {
	checks = make(map[string]string, len(all))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for name, check := range all {
		wg.Add(1)
		go func(name string, check probe) {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(ctx, probeTimeout)
			defer cancel()
			result := "ok"
			if err := check(ctx); err != nil {
				result = err.Error()
			}
			mu.Lock()
			checks[name] = result
			mu.Unlock()
		}(name, check)
	}
	wg.Wait()
	ok = true
	for _, result := range checks {
		ok = ok && result == "ok"
	}
	return ok, checks
}

// App is the HTTP side of the service. Once stopping is set, /ready answers 503 so a
// load balancer stops sending traffic, and connections close after their response.
type App struct {
	cfg      Config
	log      *Logger
	checks   map[string]probe
	stopping atomic.Bool
}

// NewApp builds the handler; it does not listen, so tests can serve it on any port.
func NewApp(cfg Config, log *Logger) *App {
	return &App{cfg: cfg, log: log, checks: probes(cfg)}
}

// ServeHTTP answers every request with JSON and logs one line for it.
func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	started := time.Now()
	status, body := a.route(r)
	if a.stopping.Load() {
		w.Header().Set("Connection", "close")
	}
	if status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", "GET, HEAD")
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
	a.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", status,
		"duration_ms", time.Since(started).Round(time.Millisecond).Milliseconds())
}

func (a *App) route(r *http.Request) (int, any) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return http.StatusMethodNotAllowed, map[string]string{"error": "method not allowed"}
	}
	switch r.URL.Path {
	case "/health":
		return http.StatusOK, map[string]string{"status": "ok"}
	case "/ready":
		if a.stopping.Load() {
			return http.StatusServiceUnavailable, map[string]string{"status": "stopping"}
		}
		ok, checks := readiness(r.Context(), a.checks)
		if !ok {
			return http.StatusServiceUnavailable, map[string]any{"status": "not ready", "checks": checks}
		}
		return http.StatusOK, map[string]any{"status": "ready", "checks": checks}
	case "/":
		return http.StatusOK, map[string]string{"service": service, "env": a.cfg.AppEnv}
	case "/demo/slow":
		// An example of a request that takes a while, to watch graceful shutdown at work.
		// Clamp the number before it becomes a Duration: a huge ms would overflow the multiply.
		ms, _ := strconv.ParseInt(r.URL.Query().Get("ms"), 10, 64)
		if ms < 0 {
			ms = 0
		} else if ms > slowMax.Milliseconds() {
			ms = slowMax.Milliseconds()
		}
		delay := time.Duration(ms) * time.Millisecond
		timer := time.NewTimer(delay)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-r.Context().Done(): // the client went away
		}
		return http.StatusOK, map[string]int64{"slept_ms": delay.Milliseconds()}
	default:
		return http.StatusNotFound, map[string]string{"error": "not found"}
	}
}

// stopContext is cancelled on the first SIGTERM or SIGINT. From then on the process has
// shutdownGrace to finish its work before it gives up and exits 1.
func stopContext(log *Logger) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		sig := <-signals
		name := "SIGTERM"
		if sig == syscall.SIGINT {
			name = "SIGINT"
		}
		log.Info("stopping", "signal", name)
		time.AfterFunc(shutdownGrace, func() {
			log.Error("in-flight work did not finish in time", "grace_ms", shutdownGrace.Milliseconds())
			os.Exit(1)
		})
		cancel()
	}()
	return ctx
}

func web(cfg Config, log *Logger) int {
	stop := stopContext(log)
	app := NewApp(cfg, log)
	listener, err := net.Listen("tcp", net.JoinHostPort("0.0.0.0", strconv.Itoa(cfg.Port)))
	if err != nil {
		log.Error("cannot listen", "port", cfg.Port, "error", err)
		return 1
	}
	// Slow or idle clients must not hold a connection (and a shutdown) open for ever.
	server := &http.Server{Handler: app, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: time.Minute}
	failed := make(chan error, 1)
	go func() { failed <- server.Serve(listener) }()
	log.Info("listening", "port", cfg.Port, "env", cfg.AppEnv)
	select {
	case err := <-failed:
		log.Error("server failed", "error", err)
		return 1
	case <-stop.Done():
	}
	app.stopping.Store(true)
	// Shutdown stops accepting, closes idle keep-alive connections and waits for in-flight
	// requests; stopContext's timer bounds the wait.
	if err := server.Shutdown(context.Background()); err != nil {
		log.Error("shutdown failed", "error", err)
		return 1
	}
	log.Info("stopped")
	return 0
}

// loop is a process that does one unit of work per tick. A stop request waits for the
// current tick to finish, because the select only looks at it between ticks.
func loop(role string, every time.Duration, cfg Config, log *Logger) int {
	stop := stopContext(log)
	log.Info("started", "role", role, "env", cfg.AppEnv, "every_ms", every.Milliseconds())
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		select {
		case <-stop.Done():
			log.Info("stopped", "role", role)
			return 0
		case <-ticker.C:
			// The unit of work goes here: take a job from a queue, run what is due.
			log.Debug("tick", "role", role)
		}
	}
}

// migrate is the release step, run once per deploy before the new web processes start. It
// must be safe to run again: it checks that the backing services answer, then applies
// pending migrations.
func migrate(cfg Config, log *Logger) int {
	ok, checks := readiness(context.Background(), probes(cfg))
	if !ok {
		log.Error("migrate: a backing service is not ready", "checks", checks)
		return 1
	}
	// Wire your migration tool in here (for example golang-migrate or goose, run against
	// embedded SQL files); it must skip migrations that have already run, so a repeated
	// release is harmless.
	log.Info("migrate: nothing to apply", "checks", checks)
	return 0
}

// healthcheck is the container's HEALTHCHECK: it exits 0 when /health answers 200.
func healthcheck(cfg Config) int {
	client := http.Client{Timeout: 2 * time.Second}
	res, err := client.Get("http://127.0.0.1:" + strconv.Itoa(cfg.Port) + "/health")
	if err != nil {
		return 1
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return 1
	}
	return 0
}

func run(args []string) int {
	role := "web"
	if len(args) > 0 {
		role = args[0]
	}
	// The role is checked first, so a typo says so even where the configuration is incomplete.
	if !contains(roles, role) {
		NewLogger(os.Stdout, "info").Error("unknown role", "role", role, "roles", roles)
		return 2
	}
	cfg, err := LoadConfig(os.Getenv)
	if err != nil {
		NewLogger(os.Stdout, "info").Error("configuration error", "role", role, "error", err)
		return 1
	}
	log := NewLogger(os.Stdout, cfg.LogLevel)
	switch role {
	case "web":
		return web(cfg, log)
	case "worker":
		return loop("worker", 5*time.Second, cfg, log)
	case "scheduler":
		return loop("scheduler", time.Minute, cfg, log)
	case "migrate":
		return migrate(cfg, log)
	case "healthcheck":
		return healthcheck(cfg)
	}
	panic("a role in roles has no case: " + role)
}

func main() {
	os.Exit(run(os.Args[1:]))
}
