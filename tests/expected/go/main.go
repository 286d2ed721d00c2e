// billing-api: the placeholder service. Replace the handlers; keep the contract:
// bind $PORT, answer /health and /ready, log JSON lines to stdout, read every
// setting from the environment, exit cleanly on SIGTERM.
// Serves factors III (config), IV (backing services), VI (stateless processes), VII (port
// binding), IX (disposability), XI (logs as event streams) and XII (admin processes).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// setting reads a setting from the environment, or from the file named by NAME_FILE (Docker secrets).
func setting(name, fallback string) string {
	if path := os.Getenv(name + "_FILE"); path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			slog.Error("cannot read secret file", "variable", name+"_FILE", "error", err)
			os.Exit(1)
		}
		return strings.TrimSpace(string(b))
	}
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return fallback
}

func main() {
	level := slog.LevelInfo
	_ = level.UnmarshalText([]byte(setting("LOG_LEVEL", "info")))
	slog.SetDefault(slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{Level: level})))
	appEnv := setting("APP_ENV", "development")
	port := setting("PORT", "8080")
	redisURL := setting("REDIS_URL", "")

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()

	role := "web"
	if len(os.Args) > 1 {
		role = os.Args[1]
	}
	switch role {
	case "web":
		serve(ctx, port, appEnv)
	case "worker":
		loop(ctx, "worker", 5*time.Second)
	case "scheduler":
		loop(ctx, "scheduler", time.Minute)
	case "migrate":
		slog.Info("no migrations yet")
	case "healthcheck":
		os.Exit(healthcheck(port))
	default:
		slog.Error("unknown role", "role", role)
		os.Exit(2)
	}
	_ = redisURL
}

func reply(w http.ResponseWriter, status int, data any) {
	w.Header().Set("content-type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(data)
}

func serve(ctx context.Context, port, appEnv string) {
	mux := http.NewServeMux()
	mux.HandleFunc("/health", func(w http.ResponseWriter, _ *http.Request) {
		reply(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("/ready", func(w http.ResponseWriter, _ *http.Request) {
		reply(w, http.StatusOK, map[string]string{"status": "ready"})
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			reply(w, http.StatusNotFound, map[string]string{"error": "not found"})
			return
		}
		reply(w, http.StatusOK, map[string]string{"service": "billing-api"})
	})
	server := &http.Server{Addr: ":" + port, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		<-ctx.Done()
		slog.Info("SIGTERM received, draining")
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = server.Shutdown(shutdown)
	}()
	slog.Info("listening", "port", port, "env", appEnv)
	if err := server.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		slog.Error("server failed", "error", err)
		os.Exit(1)
	}
	<-done
}

func loop(ctx context.Context, role string, every time.Duration) {
	slog.Info(role + " started")
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			slog.Info(role + " stopped")
			return
		case <-ticker.C:
			slog.Debug(role + " tick")
		}
	}
}

func healthcheck(port string) int {
	client := http.Client{Timeout: 2 * time.Second}
	res, err := client.Get("http://127.0.0.1:" + port + "/health")
	if err != nil {
		return 1
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return 1
	}
	return 0
}
