// {{ name }}: Redis through github.com/gomodule/redigo: the readiness probe
{%- if not postgres %} and the job queue
{%- endif %}. A rediss:// URL is TLS, checked against the system's CA certificates (on Linux,
// Go also reads SSL_CERT_FILE and SSL_CERT_DIR).
// Serves factor IV (backing services).
package main

import (
	"context"
{%- if not postgres %}
	"encoding/json"
{%- endif %}
	"errors"
{%- if not postgres %}
	"fmt"
{%- endif %}
	"net"
	"net/url"
{%- if not postgres %}
	"os"
	"strconv"
{%- endif %}
	"strings"
{%- if not postgres %}
	"sync/atomic"
{%- endif %}
	"time"

	"github.com/gomodule/redigo/redis"
)

// dialRedis connects and logs in with the URL's credentials (AUTH), selecting its database.
// Each network step gives up after timeout; ctx bounds the connect.
func dialRedis(ctx context.Context, u *url.URL, timeout time.Duration) (redis.Conn, error) {
	var dialer net.Dialer
	return redis.DialURL(u.String(),
		redis.DialContextFunc(func(_ context.Context, network, addr string) (net.Conn, error) {
			return dialer.DialContext(ctx, network, addr)
		}),
		redis.DialTLSHandshakeTimeout(timeout),
		redis.DialReadTimeout(timeout),
		redis.DialWriteTimeout(timeout))
}

// redisProbe is {{ ready_path }}'s check: log in and PING, on a fresh connection so a changed
// password or a stopped server shows at once.
func redisProbe(u *url.URL) probe {
	return func(ctx context.Context) error {
		conn, err := dialRedis(ctx, u, probeTimeout)
		if err == nil {
			defer conn.Close()
			_, err = conn.Do("PING")
		}
		if err != nil {
			return errors.New(redisReason(ctx, err))
		}
		return nil
	}
}

// redisReason is the short reason a failed Redis call gives {{ ready_path }}.
func redisReason(ctx context.Context, err error) string {
	if reason := networkReason(ctx, err); reason != "" {
		return reason
	}
	var reply redis.Error
	if errors.As(err, &reply) {
		text := string(reply)
		for _, prefix := range []string{"WRONGPASS", "NOAUTH", "ERR invalid password", "ERR AUTH"} {
			if strings.HasPrefix(text, prefix) {
				return "authentication failed"
			}
		}
	}
	return "error: " + err.Error()
}
{%- if not postgres %}

// The stream, consumer group and keys the Redis queue uses.
const (
	jobStream = "jobs"
	jobGroup  = "workers"
	jobNextID = "jobs:next-id"
)

func jobKey(id string) string { return "job:" + id }

// redisQueue keeps jobs in a Redis stream read by one consumer group, and each job's state in
// the hash job:<id>. A worker renews its claim while a job runs; one that dies mid-job leaves
// its stream entry pending, and another worker claims it with XAUTOCLAIM once it has been idle
// for JOB_CLAIM_IDLE_MS.
type redisQueue struct {
	pool      *redis.Pool
	log       *Logger
	consumer  string
	claimIdle time.Duration
	grouped   bool
	// brokenAt is when a pooled connection was last found broken (Unix ns); see testOnBorrow.
	brokenAt atomic.Int64
}

func newRedisQueue(cfg Config, log *Logger) *redisQueue {
	host, _ := os.Hostname()
	q := &redisQueue{
		log:       log,
		consumer:  fmt.Sprintf("%s-%d", host, os.Getpid()),
		claimIdle: cfg.JobClaimIdle,
	}
	q.pool = &redis.Pool{
		MaxIdle:      4,
		IdleTimeout:  time.Minute,
		DialContext:  func(ctx context.Context) (redis.Conn, error) { return dialRedis(ctx, cfg.RedisURL, 5*time.Second) },
		TestOnBorrow: q.testOnBorrow,
	}
	return q
}

// testOnBorrow PINGs a pooled connection before use when it has been idle for a second, or was
// already idle when another one was found broken. A Redis restart or failover closes every
// connection in the pool; the pool drops the ones that fail the PING and dials afresh. Busy
// connections skip the round trip.
func (q *redisQueue) testOnBorrow(conn redis.Conn, lastUsed time.Time) error {
	if time.Since(lastUsed) < time.Second && lastUsed.UnixNano() > q.brokenAt.Load() {
		return nil
	}
	_, err := conn.Do("PING")
	return err
}

// firstCommand borrows a connection and sends a request's first command. A connection that
// broke since its last use (Redis restarted within the last second) fails it with EOF or a
// reset; the command then goes once more, after every idle connection is checked. Sending it
// twice is harmless: a broken connection's command never reached the Redis now running, and
// the first commands are HGETALL (a read) and INCR (a lost reply costs an unused id).
func (q *redisQueue) firstCommand(ctx context.Context, command string, args ...any) (redis.Conn, any, error) {
	for retried := false; ; retried = true {
		conn, err := q.pool.GetContext(ctx)
		if err != nil {
			return nil, nil, err
		}
		reply, err := conn.Do(command, args...)
		var replyErr redis.Error
		if err == nil || retried || errors.As(err, &replyErr) {
			return conn, reply, err
		}
		q.brokenAt.Store(time.Now().UnixNano())
		conn.Close()
	}
}

func (q *redisQueue) Enqueue(ctx context.Context, kind string, payload json.RawMessage) (string, error) {
	conn, reply, err := q.firstCommand(ctx, "INCR", jobNextID)
	if conn != nil {
		defer conn.Close()
	}
	number, err := redis.Int64(reply, err)
	if err != nil {
		return "", err
	}
	id := strconv.FormatInt(number, 10)
	// MULTI: the hash and the stream entry appear together or not at all.
	_, err = redis.Values(transaction(conn,
		[]any{"HSET", jobKey(id), "kind", kind, "payload", string(payload), "state", "queued", "attempts", 0},
		[]any{"XADD", jobStream, "*", "job_id", id}))
	return id, err
}

func (q *redisQueue) Job(ctx context.Context, id string) (Job, bool, error) {
	conn, reply, err := q.firstCommand(ctx, "HGETALL", jobKey(id))
	if conn != nil {
		defer conn.Close()
	}
	fields, err := redis.StringMap(reply, err)
	if err != nil || len(fields) == 0 {
		return Job{}, false, err
	}
	attempts, _ := strconv.Atoi(fields["attempts"])
	return Job{ID: id, Kind: fields["kind"], State: fields["state"], Attempts: attempts}, true, nil
}

func (q *redisQueue) Work(ctx context.Context, perform func(context.Context, Job) error) (bool, error) {
	conn, err := q.pool.GetContext(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	if err := q.ensureGroup(conn); err != nil {
		return false, err
	}
	entry, id, err := q.take(conn)
	var reply redis.Error
	if errors.As(err, &reply) && strings.HasPrefix(string(reply), "NOGROUP") {
		// Redis restarted without its data (no persistence): the group is gone with the
		// stream; the next call creates it again.
		q.grouped = false
	}
	if err != nil || entry == "" {
		return false, err
	}
	attempts, err := redis.Int(conn.Do("HINCRBY", jobKey(id), "attempts", 1))
	if err != nil {
		return true, err
	}
	fields, err := redis.StringMap(conn.Do("HGETALL", jobKey(id)))
	if err != nil {
		return true, err
	}
	job := Job{ID: id, Kind: fields["kind"], Attempts: attempts, Payload: json.RawMessage(fields["payload"])}
	if _, err := conn.Do("HSET", jobKey(id), "state", "running"); err != nil {
		return true, err
	}
	stopClaim := q.keepClaim(entry)
	err = perform(ctx, job)
	stopClaim()
	if err != nil {
		// Put back: a fresh stream entry for the same job, acknowledged and queued together.
		_, err2 := transaction(conn,
			[]any{"XACK", jobStream, jobGroup, entry},
			[]any{"XADD", jobStream, "*", "job_id", id},
			[]any{"HSET", jobKey(id), "state", "queued"})
		q.log.Warn("job put back", "job_id", id, "reason", err)
		return true, err2
	}
	_, err = transaction(conn,
		[]any{"HSET", jobKey(id), "state", "done"},
		[]any{"XACK", jobStream, jobGroup, entry},
		[]any{"XDEL", jobStream, entry})
	if err == nil {
		q.log.Info("job done", "job_id", id, "kind", job.Kind, "attempts", attempts)
	}
	return true, err
}

// keepClaim resets the entry's idle time every third of JOB_CLAIM_IDLE_MS while its job runs
// (XCLAIM to this same consumer), so no other worker claims a job that is only slow. The
// returned function stops it and waits until it has.
func (q *redisQueue) keepClaim(entry string) (stop func()) {
	period := q.claimIdle / 3
	if period < time.Millisecond {
		period = time.Millisecond
	}
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		ticker := time.NewTicker(period)
		defer ticker.Stop()
		for {
			select {
			case <-done:
				return
			case <-ticker.C:
				conn := q.pool.Get()
				_, err := conn.Do("XCLAIM", jobStream, jobGroup, q.consumer, 0, entry, "JUSTID")
				conn.Close()
				if err != nil {
					q.log.Warn("job claim not renewed", "entry", entry, "reason", err)
				}
			}
		}
	}()
	return func() { close(done); <-finished }
}

// ensureGroup creates the consumer group once, reading the stream from its start so jobs
// enqueued before the first worker are not skipped.
func (q *redisQueue) ensureGroup(conn redis.Conn) error {
	if q.grouped {
		return nil
	}
	_, err := conn.Do("XGROUP", "CREATE", jobStream, jobGroup, "0", "MKSTREAM")
	var reply redis.Error
	if err != nil && !(errors.As(err, &reply) && strings.HasPrefix(string(reply), "BUSYGROUP")) {
		return err
	}
	q.grouped = true
	return nil
}

// take returns the next stream entry and its job id: first one a stopped worker left pending
// for longer than claimIdle, else a new one, waiting up to a second. entry is "" when none.
func (q *redisQueue) take(conn redis.Conn) (entry, id string, err error) {
	claimed, err := redis.Values(conn.Do("XAUTOCLAIM", jobStream, jobGroup, q.consumer,
		q.claimIdle.Milliseconds(), "0-0", "COUNT", 1))
	if err != nil {
		return "", "", err
	}
	if entries, _ := redis.Values(claimed[1], nil); len(entries) > 0 {
		return streamEntry(entries[0])
	}
	streams, err := redis.Values(redis.DoWithTimeout(conn, 3*time.Second, "XREADGROUP", "GROUP", jobGroup, q.consumer,
		"COUNT", 1, "BLOCK", 1000, "STREAMS", jobStream, ">"))
	if errors.Is(err, redis.ErrNil) || len(streams) == 0 {
		return "", "", nil
	} else if err != nil {
		return "", "", err
	}
	stream, _ := redis.Values(streams[0], nil) // [name, entries]
	entries, _ := redis.Values(stream[1], nil)
	if len(entries) == 0 {
		return "", "", nil
	}
	return streamEntry(entries[0])
}

// streamEntry reads [entry id, [field, value, ...]] for the job_id field.
func streamEntry(reply any) (entry, id string, err error) {
	parts, err := redis.Values(reply, nil)
	if err != nil || len(parts) < 2 {
		return "", "", fmt.Errorf("unexpected stream entry %v", reply)
	}
	entry, _ = redis.String(parts[0], nil)
	fields, _ := redis.StringMap(parts[1], nil)
	return entry, fields["job_id"], nil
}

// transaction sends the commands in one MULTI/EXEC block.
func transaction(conn redis.Conn, commands ...[]any) (any, error) {
	if err := conn.Send("MULTI"); err != nil {
		return nil, err
	}
	for _, c := range commands {
		if err := conn.Send(c[0].(string), c[1:]...); err != nil {
			return nil, err
		}
	}
	return conn.Do("EXEC")
}
{%- endif %}
