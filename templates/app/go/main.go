// {{ name }}: a small service that keeps the twelve-factor contract. Replace the example
// routes with your own; keep the contract:
//   - every setting comes from the environment, read once in LoadConfig;
//   - the web process binds 0.0.0.0:$PORT;
//   - {{ health_path }} answers while the process runs, {{ ready_path }} only while the backing services answer;
//   - one JSON line on stdout per request and per lifecycle event;
//   - on SIGTERM: stop accepting, finish in-flight work, exit 0.
//
// Run a role with `./server <role>`: web (default), worker, scheduler, migrate, migrate-down,
// healthcheck. Every process type runs from the same binary and the same image.
// HTTP is net/http from the standard library;
{%- if postgres %} PostgreSQL is github.com/lib/pq (postgres.go);
{%- endif %}
{%- if redis %} Redis is github.com/gomodule/redigo (redis.go);
{%- endif %} nothing else is a dependency.
// Serves factors III (config), IV (backing services), VI (stateless processes), VII (port
// binding), VIII (concurrency), IX (disposability), XI (logs) and XII (admin processes).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	stdlog "log"
	"net"
	"net/http"
{%- if postgres or redis %}
	"net/url"
{%- endif %}
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unicode/utf8"
)

const service = "{{ name }}"

// How long a stopping process waits for in-flight work; below `docker stop`'s 10 s.
const shutdownGrace = 8 * time.Second

// How long a stopping worker lets its current job run before it puts the job back: what is
// left of the grace period covers putting it back and exiting.
const jobGrace = 6 * time.Second

// How long each readiness probe of a backing service may take.
const probeTimeout = 1500 * time.Millisecond

// The longest delay /demo/slow accepts, so the example can never outlive a graceful stop.
const slowMax = 5 * time.Second

// The largest POST /jobs body accepted.
const maxJobBody = 64 << 10

var logLevels = []string{"debug", "info", "warn", "error"}

var roles = []string{"web", "worker", "scheduler", "migrate", "migrate-down", "healthcheck"}

// Config is every setting the service reads, checked once at start.
type Config struct {
	AppEnv           string        // APP_ENV: which deploy this is; only for logs
	LogLevel         string        // LOG_LEVEL: debug, info, warn or error
	Port             int           // PORT: the port the web process binds
	ScheduleInterval time.Duration // SCHEDULE_INTERVAL: seconds between the scheduler's jobs
{%- if postgres %}

	// DATABASE_URL: the PostgreSQL database.
	DatabaseURL *url.URL
{%- endif %}
{%- if redis %}

	// REDIS_URL: the Redis instance.
	RedisURL *url.URL
{%- endif %}
{%- if redis and not postgres %}

	// JOB_CLAIM_IDLE_MS: how long a job may sit with a worker that stopped answering before
	// another worker claims it.
	JobClaimIdle time.Duration
{%- endif %}
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
	cfg.Port = s.number("PORT", "{{ port }}", 1, 65535)
	if levelRank(cfg.LogLevel) < 0 {
		s.fail("LOG_LEVEL must be one of %s, not %q", strings.Join(logLevels, ", "), cfg.LogLevel)
	}
	cfg.ScheduleInterval = time.Duration(s.number("SCHEDULE_INTERVAL", "60", 1, 86400)) * time.Second
{%- if postgres %}
	cfg.DatabaseURL = s.url("DATABASE_URL", "the PostgreSQL database", "postgres", "postgresql")
{%- endif %}
{%- if redis %}
	cfg.RedisURL = s.url("REDIS_URL", "the Redis instance", "redis", "rediss")
{%- endif %}
{%- if redis and not postgres %}
	cfg.JobClaimIdle = time.Duration(s.number("JOB_CLAIM_IDLE_MS", "30000", 100, 86400000)) * time.Millisecond
{%- endif %}
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

// number returns the whole-number setting name, which must lie in [min, max].
func (s *settings) number(name, fallback string, min, max int) int {
	value := s.get(name, fallback)
	// Digits only: Atoi alone would also take "+80".
	n, err := strconv.Atoi(value)
	if err != nil || !allDigits(value) || n < min || n > max {
		s.fail("%s must be a whole number from %d to %d, not %q", name, min, max, value)
	}
	return n
}
{%- if postgres or redis %}

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
		s.fail("%s must look like %s://user:password@host:port/...", name, schemes[0])
		return nil
	}
	return parsed
}
{%- endif %}

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
// fields in the order given. Lines below its level are dropped. Go 1.21's log/slog does this;
// this starter targets toolchains from Go 1.19, so it carries its own dozen lines instead.
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

// Write lets the standard library's log.Logger (net/http's server errors) log through l, so
// every line on stdout stays JSON.
func (l *Logger) Write(p []byte) (int, error) {
	l.Warn(strings.TrimSpace(string(p)), "source", "net/http")
	return len(p), nil
}

// A probe checks that one backing service answers as this app needs it. Its error is the
// reason {{ ready_path }} reports: "refused", "timed out", "authentication failed", "database
// missing", "migrations pending" or "error: <driver message>".
type probe func(ctx context.Context) error

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
			result := runProbe(ctx, check)
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

// runProbe runs check with probeTimeout, and answers "timed out" when the time is up even if
// the driver is still waiting (lib/pq's login, for one, does not watch the context).
func runProbe(ctx context.Context, check probe) string {
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	result := make(chan string, 1)
	go func() {
		if err := check(ctx); err != nil {
			result <- err.Error()
		} else {
			result <- "ok"
		}
	}()
	select {
	case r := <-result:
		return r
	case <-ctx.Done():
		return "timed out"
	}
}

// networkReason names what went wrong reaching a service, or "" when err is not about the
// network. A probe whose context ran out reports "timed out" whatever the driver made of it.
func networkReason(ctx context.Context, err error) string {
	var netErr net.Error
	switch {
	case ctx.Err() != nil, errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return "timed out"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "refused"
	}
	return ""
}

// Job is one unit of background work, as POST /jobs enqueued it.
type Job struct {
	ID       string          `json:"id"`
	Kind     string          `json:"kind"`
	State    string          `json:"state"`
	Attempts int             `json:"attempts"`
	Payload  json.RawMessage `json:"-"`
}

// Queue holds jobs between the web process that enqueues them and the workers that run them.
type Queue interface {
	// Enqueue stores a queued job and returns its id.
	Enqueue(ctx context.Context, kind string, payload json.RawMessage) (string, error)
	// Job returns the job with this id; ok is false when there is none.
	Job(ctx context.Context, id string) (job Job, ok bool, err error)
	// Work takes one job, runs it with perform and marks it done; when perform fails the job is
	// put back for another worker. took is false when no job was waiting.
	Work(ctx context.Context, perform func(context.Context, Job) error) (took bool, err error)
}

// errNoQueue is what /jobs answers in a project without PostgreSQL or Redis.
var errNoQueue = errors.New("no queue: choose PostgreSQL or Redis")

// Services are the clients of the chosen backing services, made once per process.
type Services struct {
	probes map[string]probe
	queue  Queue // nil when neither PostgreSQL nor Redis was chosen
{%- if postgres %}
	db     *database
{%- endif %}
}

// openServices makes the clients; nothing connects before the first probe or job.
func openServices(cfg Config, log *Logger) *Services {
	s := &Services{probes: map[string]probe{}}
{%- if redis %}
	s.probes["redis"] = redisProbe(cfg.RedisURL)
{%- endif %}
{%- if redis and not postgres %}
	s.queue = newRedisQueue(cfg, log)
{%- endif %}
{%- if postgres %}
	s.db = openDatabase(cfg.DatabaseURL)
	s.probes["postgres"] = s.db.probe
	s.queue = &postgresQueue{db: s.db.DB, log: log}
{%- endif %}
	return s
}

// sleepPayload is the demo work a job's payload may ask for: {"sleep_ms": N} takes N ms.
type sleepPayload struct {
	SleepMs *int64 `json:"sleep_ms"`
}

// checkJob validates a POST /jobs body and returns the kind and the payload to store.
func checkJob(body []byte) (string, json.RawMessage, error) {
	var req struct {
		Kind    *string         `json:"kind"`
		Payload json.RawMessage `json:"payload"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return "", nil, fmt.Errorf("the body is not a JSON object with kind and payload: %v", err)
	}
	if req.Kind == nil || *req.Kind == "" || utf8.RuneCountInString(*req.Kind) > 64 {
		return "", nil, errors.New("kind is required: text of 1 to 64 characters")
	}
	payload := bytes.TrimSpace(req.Payload)
	if len(payload) == 0 || string(payload) == "null" {
		payload = []byte("{}")
	}
	var demo sleepPayload
	if payload[0] != '{' || json.Unmarshal(payload, &demo) != nil {
		return "", nil, errors.New("payload must be a JSON object; sleep_ms in it, a whole number of milliseconds")
	}
	if demo.SleepMs != nil && (*demo.SleepMs < 0 || *demo.SleepMs > 10000) {
		return "", nil, errors.New("payload.sleep_ms must be a whole number from 0 to 10000")
	}
	return *req.Kind, payload, nil
}

// perform runs a job: the demo sleeps for payload.sleep_ms. Put your job kinds here. It
// returns ctx's error when the worker must stop before the job is done.
func perform(ctx context.Context, job Job) error {
	var demo sleepPayload
	_ = json.Unmarshal(job.Payload, &demo) // checked when it was enqueued
	if demo.SleepMs == nil {
		return nil
	}
	timer := time.NewTimer(time.Duration(*demo.SleepMs) * time.Millisecond)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// App is the HTTP side of the service. Once stopping is set, {{ ready_path }} answers 503 so a
// load balancer stops sending traffic, and connections close after their response.
type App struct {
	cfg      Config
	log      *Logger
	services *Services
	stopping atomic.Bool
}

// NewApp builds the handler; it does not listen, so tests can serve it on any port.
func NewApp(cfg Config, log *Logger) *App {
	return &App{cfg: cfg, log: log, services: openServices(cfg, log)}
}

// reply is a response: status, JSON body and extra headers.
type reply struct {
	status int
	body   any
	header map[string]string
}

func answer(status int, body any) reply { return reply{status: status, body: body} }

func failure(status int, message string) reply {
	return answer(status, map[string]string{"error": message})
}

// ServeHTTP answers every request with JSON and logs one line for it.
func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	started := time.Now()
	res := a.route(r)
	if a.stopping.Load() {
		w.Header().Set("Connection", "close")
	}
	for name, value := range res.header {
		w.Header().Set(name, value)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(res.status)
	_ = json.NewEncoder(w).Encode(res.body)
	a.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", res.status,
		"duration_ms", time.Since(started).Round(time.Millisecond).Milliseconds())
}

func (a *App) route(r *http.Request) reply {
	path := r.URL.Path
	read := r.Method == http.MethodGet || r.Method == http.MethodHead
	switch {
	case path == "/jobs" && r.Method == http.MethodPost:
		return a.enqueue(r)
	case path == "/jobs":
		return reply{http.StatusMethodNotAllowed, map[string]string{"error": "method not allowed"}, map[string]string{"Allow": "POST"}}
	case !read:
		return reply{http.StatusMethodNotAllowed, map[string]string{"error": "method not allowed"}, map[string]string{"Allow": "GET, HEAD"}}
	case strings.HasPrefix(path, "/jobs/"):
		return a.job(r.Context(), strings.TrimPrefix(path, "/jobs/"))
	case path == "{{ health_path }}":
		return answer(http.StatusOK, map[string]string{"status": "ok"})
	case path == "{{ ready_path }}":
		return a.ready(r.Context())
	case path == "/":
		return answer(http.StatusOK, map[string]string{"service": service, "env": a.cfg.AppEnv})
	case path == "/demo/slow":
		return slow(r)
	}
	return failure(http.StatusNotFound, "not found")
}

func (a *App) ready(ctx context.Context) reply {
	if a.stopping.Load() {
		return answer(http.StatusServiceUnavailable, map[string]string{"status": "stopping"})
	}
	ok, checks := readiness(ctx, a.services.probes)
	if !ok {
		return answer(http.StatusServiceUnavailable, map[string]any{"status": "not ready", "checks": checks})
	}
	return answer(http.StatusOK, map[string]any{"status": "ready", "checks": checks})
}

// slow is an example of a request that takes a while, to watch graceful shutdown at work.
func slow(r *http.Request) reply {
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
	return answer(http.StatusOK, map[string]int64{"slept_ms": delay.Milliseconds()})
}

// enqueue is POST /jobs: {"kind": "...", "payload": {...}} becomes a queued job.
func (a *App) enqueue(r *http.Request) reply {
	if a.services.queue == nil {
		return failure(http.StatusServiceUnavailable, errNoQueue.Error())
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxJobBody))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return failure(http.StatusRequestEntityTooLarge, "the body is larger than 64 KiB")
	} else if err != nil {
		return failure(http.StatusBadRequest, "the body could not be read: "+err.Error())
	}
	kind, payload, err := checkJob(body)
	if err != nil {
		return failure(http.StatusBadRequest, err.Error())
	}
	id, err := a.services.queue.Enqueue(r.Context(), kind, payload)
	if err != nil {
		a.log.Error("enqueue failed", "error", err)
		return failure(http.StatusServiceUnavailable, "the queue is unavailable: "+err.Error())
	}
	a.log.Info("job queued", "job_id", id, "kind", kind)
	return reply{http.StatusAccepted, map[string]string{"id": id, "state": "queued"}, map[string]string{"Location": "/jobs/" + id}}
}

// job is GET /jobs/<id>. Without a queue no job exists: 404, as for an unknown id.
func (a *App) job(ctx context.Context, id string) reply {
	if a.services.queue == nil {
		return failure(http.StatusNotFound, "no such job")
	}
	job, ok, err := a.services.queue.Job(ctx, id)
	if err != nil {
		return failure(http.StatusServiceUnavailable, "the queue is unavailable: "+err.Error())
	}
	if !ok {
		return failure(http.StatusNotFound, "no such job")
	}
	return answer(http.StatusOK, job)
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
	server := &http.Server{
		Handler:           app,
		ReadHeaderTimeout: 5 * time.Second,
		IdleTimeout:       time.Minute,
		ErrorLog:          stdlog.New(log, "", 0),
	}
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

// worker takes jobs until SIGTERM. A job running at SIGTERM gets jobGrace to finish; after
// that its context ends and the queue puts it back for another worker.
func worker(cfg Config, log *Logger) int {
	stop := stopContext(log)
	queue := openServices(cfg, log).queue
	if queue == nil {
		log.Error("worker: " + errNoQueue.Error())
		return 1
	}
	jobs, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-stop.Done()
		time.AfterFunc(jobGrace, cancel)
	}()
	log.Info("started", "role", "worker", "env", cfg.AppEnv)
	for stop.Err() == nil {
		took, err := queue.Work(jobs, perform)
		if err != nil {
			log.Error("worker: the queue failed", "error", err)
		}
		if !took || err != nil {
			pause(stop, time.Second) // nothing to do, or the queue is down: poll again shortly
		}
	}
	log.Info("stopped", "role", "worker")
	return 0
}

// scheduler enqueues one {"kind":"scheduled"} job every SCHEDULE_INTERVAL, through the same
// code as POST /jobs. Run exactly one scheduler: two would enqueue every job twice.
func scheduler(cfg Config, log *Logger) int {
	stop := stopContext(log)
	queue := openServices(cfg, log).queue
	if queue == nil {
		log.Error("scheduler: " + errNoQueue.Error())
		return 1
	}
	log.Info("started", "role", "scheduler", "env", cfg.AppEnv, "every_s", cfg.ScheduleInterval.Seconds())
	for pause(stop, cfg.ScheduleInterval) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		id, err := queue.Enqueue(ctx, "scheduled", json.RawMessage("{}"))
		cancel()
		if err != nil {
			log.Error("scheduler: enqueue failed", "error", err)
			continue
		}
		log.Info("job queued", "job_id", id, "kind", "scheduled")
	}
	log.Info("stopped", "role", "scheduler")
	return 0
}

// pause waits for d, or less when stop ends first; it reports whether the process goes on.
func pause(stop context.Context, d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-stop.Done():
		return false
	}
}

// migrate is the release step, run once per deploy before the new web processes start; it
// applies the pending migrations, so running it again is harmless. down rolls back the latest.
func migrate(cfg Config, log *Logger, down bool) int {
{%- if postgres %}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db := openDatabase(cfg.DatabaseURL)
	defer db.Close()
	apply := db.migrateUp
	if down {
		apply = db.migrateDown
	}
	if err := apply(ctx, log); err != nil {
		log.Error("migration failed", "error", err)
		return 1
	}
	return 0
{%- else %}
	// This project has no PostgreSQL, so there is no schema to migrate.
	log.Info("nothing to apply: the service has no database", "down", down)
	return 0
{%- endif %}
}

// healthcheck is the container's HEALTHCHECK: it exits 0 when {{ health_path }} answers 200.
func healthcheck(cfg Config) int {
	client := http.Client{Timeout: 2 * time.Second}
	res, err := client.Get("http://127.0.0.1:" + strconv.Itoa(cfg.Port) + "{{ health_path }}")
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
		return worker(cfg, log)
	case "scheduler":
		return scheduler(cfg, log)
	case "migrate", "migrate-down":
		return migrate(cfg, log, role == "migrate-down")
	case "healthcheck":
		return healthcheck(cfg)
	}
	panic("a role in roles has no case: " + role)
}

func main() {
	os.Exit(run(os.Args[1:]))
}
