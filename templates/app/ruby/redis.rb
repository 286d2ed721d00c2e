# {{ name }}: Redis through redis-rb: the readiness check{% if not postgres %} and the job queue on a Redis
# stream{% endif %}. The client logs in with the URL's credentials; rediss:// is TLS, verified
# against the system's CAs (OpenSSL's default store, so SSL_CERT_FILE adds one).
# Serves factors IV (backing services){% if not postgres %} and VIII (concurrency: workers share the queue){% endif %}.
require "json"
require "redis"
{%- if not postgres %}
require "socket"
{%- endif %}

module Service
  module RedisStore
    # One client per process; redis-rb serialises commands from threads and reconnects after
    # the server comes back.
    def self.connect(config)
      Redis.new(url: config.redis_url.to_s, connect_timeout: PROBE_TIMEOUT, read_timeout: PROBE_TIMEOUT,
                write_timeout: PROBE_TIMEOUT)
    end

    # /ready: a PING after the client's AUTH.
    def self.check(redis)
      redis.ping
    end
{%- if not postgres %}

    # The queue: each job is a hash "job:<id>" (id from INCR "jobs:next-id") and an entry on the
    # stream "jobs", read by the consumer group "workers". An entry stays pending until the worker
    # acknowledges it; one whose worker died (idle longer than JOB_CLAIM_IDLE_MS) is claimed by
    # another worker with XAUTOCLAIM. A worker at work re-claims its own entry now and then
    # (heartbeat), so a long job is not taken from a live worker.
    class Queue
      STREAM = "jobs"
      GROUP = "workers"

      def initialize(redis, claim_idle_ms)
        @redis = redis
        @claim_idle_ms = claim_idle_ms
        @consumer = "#{Socket.gethostname}-#{Process.pid}"
      end

      def enqueue(kind, payload)
        id = @redis.incr("jobs:next-id").to_s
        @redis.multi do |tx|
          tx.hset("job:#{id}", "id", id, "kind", kind, "payload", JSON.generate(payload), "state", "queued", "attempts", 0)
          tx.xadd(STREAM, { "id" => id })
        end
        id
      end

      def find(id)
        fields = @redis.hgetall("job:#{id}")
        return nil if fields.empty?

        { id: fields["id"], kind: fields["kind"], state: fields["state"], attempts: fields["attempts"].to_i }
      end

      # The read below blocks for up to a second, so an idle worker asks again at once.
      def poll_interval
        0
      end

      # A dead worker's job first, then a new one; nil after a second without any.
      def take
        create_group
        entry_id, fields = next_entry
        return nil unless entry_id

        id = fields["id"]
        attempts = @redis.hincrby("job:#{id}", "attempts", 1)
        @redis.hset("job:#{id}", "state", "running")
        job = @redis.hgetall("job:#{id}")
        { id: id, kind: job["kind"], payload: JSON.parse(job["payload"]), attempts: attempts, entry: entry_id }
      end

      def heartbeat(job)
        @redis.xclaim(STREAM, GROUP, @consumer, 0, job[:entry], justid: true)
      end

      def finish(job, state)
        @redis.multi do |tx|
          tx.hset("job:#{job[:id]}", "state", state)
          tx.xack(STREAM, GROUP, job[:entry])
        end
      end

      # A job this worker cannot finish in time goes back on the stream for the next worker.
      def put_back(job)
        @redis.multi do |tx|
          tx.hset("job:#{job[:id]}", "state", "queued")
          tx.xack(STREAM, GROUP, job[:entry])
          tx.xadd(STREAM, { "id" => job[:id] })
        end
      end

      private

      def next_entry
        claim_stale || read_new
      rescue Redis::CommandError => e
        # Redis restarted without its data (no persistence): the group is gone with the stream;
        # the next take creates it again.
        @group_created = false if e.message.start_with?("NOGROUP")
        raise
      end

      # "0": entries added before the group existed are delivered too.
      def create_group
        return if @group_created

        @redis.xgroup(:create, STREAM, GROUP, "0", mkstream: true)
        @group_created = true
      rescue Redis::CommandError => e
        raise unless e.message.start_with?("BUSYGROUP")

        @group_created = true
      end

      def claim_stale
        @redis.xautoclaim(STREAM, GROUP, @consumer, @claim_idle_ms, "0-0", count: 1)["entries"].first
      end

      def read_new
        @redis.xreadgroup(GROUP, @consumer, STREAM, ">", count: 1, block: 1000).fetch(STREAM, []).first
      end
    end
{%- endif %}
  end
end
