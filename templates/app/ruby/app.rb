# {{ name }}: a small service that keeps the twelve-factor contract. Replace the example routes
# and the demo job with your own; keep the contract:
#   - every setting comes from the environment, read once by Service::Config;
#   - the web process binds 0.0.0.0:$PORT (Puma, see config/puma.rb);
#   - {{ health_path }} answers while the process runs, {{ ready_path }} only while the backing services answer;
#   - one JSON line on stdout per request and per lifecycle event;
#   - on SIGTERM: stop accepting, finish in-flight work, exit 0.
# Run a role with `bundle exec ruby app.rb <role>`: web (default: Puma with config/puma.rb,
# started after the configuration is checked), worker, scheduler, migrate, migrate-down,
# healthcheck. Every process type runs from the same code and the same image.
# Serves factors III (config), IV (backing services), VI (stateless processes), VII (port
# binding), VIII (concurrency), IX (disposability), XI (logs) and XII (admin processes).
# Until a role installs its own handling, SIGTERM or SIGINT during startup (loading the gems
# takes a moment) ends the process at once with status 0: nothing is in flight yet.
%w[TERM INT].each { |name| Signal.trap(name) { exit 0 } } if $PROGRAM_NAME == __FILE__

require "json"
require "net/http"
require "time"
require "timeout"
require "uri"

module Service
  NAME = "{{ name }}"
  LOG_LEVELS = %w[debug info warn error].freeze
  ROLES = %w[web worker scheduler migrate migrate-down healthcheck].freeze
  # How long a stopping process waits for in-flight work, in seconds; below `docker stop`'s 10 s.
  SHUTDOWN_GRACE = 8
  # How long each readiness probe of a backing service may take, in seconds.
  PROBE_TIMEOUT = 1.0
  # The longest delay /demo/slow accepts, so the example can never outlive a graceful stop.
  SLOW_MAX_MS = 5000
  # How long the healthcheck role may take in all, in seconds; below the HEALTHCHECK's 3 s.
  HEALTHCHECK_TIMEOUT = 2
  # The largest POST /jobs body, in bytes.
  MAX_BODY = 64 * 1024
  # The longest demo job (payload {"sleep_ms": N}), in milliseconds.
  MAX_SLEEP_MS = 10_000

  class ConfigError < StandardError; end

  # A backing service that answers but is not usable yet; the message is the reason /ready gives.
  class NotReady < StandardError; end

  # Every setting the service reads, taken from the environment once, at start, and checked.
  class Config
    attr_reader :app_env, :log_level, :port, :puma_threads, :web_concurrency{% if postgres %}, :database_url{% endif %}{% if redis %}, :redis_url{% endif %}{% if postgres or redis %}, :schedule_interval, :job_claim_idle_ms{% endif %}

    # `NAME_FILE` (a Docker secret) wins over `NAME`; an empty value counts as unset.
    # Raises ConfigError naming the variable when one is missing or invalid.
    def initialize(env = ENV)
      @port = whole_number(env, "PORT", default: {{ port }}, min: 1, max: 65_535)
      @log_level = read(env, "LOG_LEVEL") || "info"
      unless LOG_LEVELS.include?(@log_level)
        raise ConfigError, "LOG_LEVEL must be one of #{LOG_LEVELS.join(", ")}, not #{@log_level.inspect}"
      end
      @app_env = read(env, "APP_ENV") || "development"
      # Puma's threads per process and worker processes (0: a single process), for config/puma.rb.
      @puma_threads = whole_number(env, "PUMA_THREADS", default: 5, min: 1)
      @web_concurrency = whole_number(env, "WEB_CONCURRENCY", default: 0, min: 0)
{%- if postgres %}
      @database_url = url("DATABASE_URL", required(env, "DATABASE_URL", "the PostgreSQL database"), %w[postgres postgresql])
{%- endif %}
{%- if redis %}
      @redis_url = url("REDIS_URL", required(env, "REDIS_URL", "the Redis instance"), %w[redis rediss])
{%- endif %}
{%- if postgres or redis %}
      # Seconds between the scheduler's jobs.
      @schedule_interval = whole_number(env, "SCHEDULE_INTERVAL", default: 60, min: 1)
      # How long a taken job may go without a heartbeat before another worker takes it over.
      @job_claim_idle_ms = whole_number(env, "JOB_CLAIM_IDLE_MS", default: 30_000, min: 100)
{%- endif %}
    end

    private

    def read(env, name)
      file = env["#{name}_FILE"]
      if file && !file.empty?
        begin
          contents = File.read(file).strip
        rescue SystemCallError => e
          raise ConfigError, "#{name}_FILE names #{file}, which cannot be read: #{e.message}"
        end
        # An empty secret file counts as unset, like an empty variable.
        return contents.empty? ? nil : contents
      end
      value = env[name]
      value unless value.nil? || value.empty?
    end

    # A number written in digits only (Integer() alone would also take "+80" and "8_0"), from
    # min up to max when there is one.
    def whole_number(env, name, default:, min:, max: nil)
      value = read(env, name)
      return default if value.nil?

      number = value.match?(/\A[0-9]+\z/) ? value.to_i : -1
      return number if number >= min && (max.nil? || number <= max)

      range = max ? "from #{min} to #{max}" : "from #{min} up"
      raise ConfigError, "#{name} must be a whole number #{range}, not #{value.inspect}"
    end
{%- if postgres or redis %}

    def required(env, name, why)
      read(env, name) or raise ConfigError, "#{name} is required (#{why}); set #{name} or #{name}_FILE"
    end

    def url(name, value, schemes)
      uri = URI.parse(value)
      return uri if schemes.include?(uri.scheme) && !uri.hostname.to_s.empty?

      raise ConfigError, "#{name} must look like #{schemes.first}://host:port/..."
    rescue URI::InvalidURIError
      raise ConfigError, "#{name} is not a URL"
    end
{%- endif %}
  end

  # Writes one JSON object per line to stdout; levels below the configured one are dropped.
  # Each line is a single write, so lines from concurrent requests never interleave.
  class Log
    def initialize(level = "info", out: nil)
      @min = LOG_LEVELS.index(level)
      # nil means whatever $stdout is at write time.
      @out = out
    end

    LOG_LEVELS.each do |level|
      define_method(level) { |msg, **fields| write(level, msg, fields) }
    end

    private

    def write(level, msg, fields)
      return if LOG_LEVELS.index(level) < @min

      entry = { time: Time.now.utc.iso8601(3), level: level, service: NAME, msg: msg }.merge(fields)
      (@out || $stdout).write("#{JSON.generate(entry)}\n")
    end
  end

  # What /ready says for a driver's error: the reasons an operator acts on, else the message.
  REASONS = [
    [/password authentication failed|WRONGPASS|NOAUTH|invalid password/i, "authentication failed"],
    [/database "[^"]*" does not exist/, "database missing"],
    [/refused/i, "refused"],
    [/timeout|timed out/i, "timed out"],
  ].freeze

  def self.reason(error)
    return error.message if error.is_a?(NotReady)

    message = error.message.lines.first.to_s.strip.delete_prefix("PG::ConnectionBad: ")
    REASONS.each { |pattern, reason| return reason if pattern.match?(message) }
    "error: #{message}"
  end

  # The backing services of this process, connected lazily: { queue:, checks: { name => probe } }.
  def self.services(config, connections:)
    checks = {}
{%- if postgres %}
    db = Postgres.connect(config, max_connections: connections)
    checks["postgres"] = -> { Postgres.check(db) }
{%- endif %}
{%- if redis %}
    redis = RedisStore.connect(config)
    checks["redis"] = -> { RedisStore.check(redis) }
{%- endif %}
{%- if postgres %}
    queue = Postgres::Queue.new(db, config.job_claim_idle_ms)
{%- elif redis %}
    queue = RedisStore::Queue.new(redis, config.job_claim_idle_ms)
{%- else %}
    queue = nil
{%- endif %}
    { queue: queue, checks: checks{% if postgres %}, db: db{% endif %} }
  end

  # Runs every probe at once, each in its own thread with PROBE_TIMEOUT to answer.
  # Returns [all_ok, { name => "ok" or the reason it failed }].
  def self.readiness(checks)
    threads = checks.transform_values do |probe|
      Thread.new do
        probe.call
        "ok"
      rescue StandardError => e
        reason(e)
      end
    end
    deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + PROBE_TIMEOUT + 0.5
    results = threads.transform_values do |thread|
      left = deadline - Process.clock_gettime(Process::CLOCK_MONOTONIC)
      next thread.value if thread.join([left, 0].max)

      thread.kill
      "timed out"
    end
    [results.values.all?("ok"), results]
  end

  # After a stop signal, in-flight work has SHUTDOWN_GRACE seconds. Past that, say so and exit 1
  # instead of waiting for the platform's SIGKILL.
  def self.start_grace_period(log)
    Thread.new do
      sleep SHUTDOWN_GRACE
      log.error("in-flight work did not finish in time", grace_ms: SHUTDOWN_GRACE * 1000)
      exit!(1)
    end
  end

  # The web role: a Rack application (config.ru) that Puma serves, and the lifecycle lines that
  # config/puma.rb calls from Puma's hooks.
  class Web
    attr_reader :config, :log

    class << self
      attr_writer :current

      # The process's one web app, built on first use. config/puma.rb asks first, so a bad
      # configuration stops Puma before it binds; config.ru then serves the same instance.
      def current
        @current ||= new(*Service.boot("web"))
      end
    end

    def initialize(config, log)
      @config = config
      @log = log
      # One connection per Puma thread, so no request waits for another's.
      services = Service.services(config, connections: config.puma_threads)
      @checks = services[:checks]
      @queue = services[:queue]
      @stopping = false
    end

    def stopping?
      @stopping
    end

    def call(env)
      started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
      status, data, headers = begin
        route(env)
      rescue StandardError => e
        log.error("request failed", error: e.message)
        [500, { error: "internal error" }]
      end
      duration_ms = ((Process.clock_gettime(Process::CLOCK_MONOTONIC) - started) * 1000).round
      log.info("request", method: env["REQUEST_METHOD"], path: env["PATH_INFO"], status: status, duration_ms: duration_ms)
      [status, { "content-type" => "application/json" }.merge(headers || {}), [JSON.generate(data)]]
    end

    # Called once Puma listens.
    def listening
      log.info("listening", port: config.port, env: config.app_env)
    end

    # Called from the signal handler, before Puma stops accepting and drains in-flight requests
    # (a trap allows no locks: a flag and a log line only). True for the first signal only.
    def stopping(signal)
      return false if @stopping

      @stopping = true
      log.info("stopping", signal: signal)
      true
    end

    # Called as the process exits, after the last request finished.
    def stopped
      log.info("stopped")
    end

    private

    def route(env)
      method = env["REQUEST_METHOD"]
      path = env["PATH_INFO"]
      return jobs(env) if path == "/jobs" && method == "POST"
      return [405, { error: "method not allowed" }] unless %w[GET HEAD].include?(method)

      case path
      when "{{ health_path }}" then [200, { status: "ok" }]
      when "{{ ready_path }}" then ready
      when "/" then [200, { service: NAME, env: config.app_env }]
      when "/demo/slow" then slow(env)
      when %r{\A/jobs/([^/]+)\z} then job(Regexp.last_match(1))
      else [404, { error: "not found" }]
      end
    end

    def ready
      return [503, { status: "stopping" }] if stopping?

      ok, checks = Service.readiness(@checks)
      [ok ? 200 : 503, { status: ok ? "ready" : "not ready", checks: checks }]
    end

    # POST /jobs {"kind": "...", "payload": {...}}: queues a job for the worker.
    def jobs(env)
      return [503, { error: "no queue: choose PostgreSQL or Redis" }] unless @queue

      body = env["rack.input"].read(MAX_BODY + 1).to_s
      return [413, { error: "the body is larger than #{MAX_BODY} bytes" }] if body.bytesize > MAX_BODY

      kind, payload, problem = Service.parse_job(body)
      return [400, { error: problem }] if problem

      id = @queue.enqueue(kind, payload)
      [202, { id: id, state: "queued" }, { "location" => "/jobs/#{id}" }]
    end

    def job(id)
      # Without a queue no job exists: 404, as for an unknown id.
      return [404, { error: "no such job" }] unless @queue

      found = @queue.find(id)
      found ? [200, found] : [404, { error: "no such job" }]
    end

    # An example of a request that takes a while, to watch graceful shutdown at work.
    def slow(env)
      query = URI.decode_www_form(env["QUERY_STRING"].to_s).to_h
      ms = (Integer(query["ms"].to_s, 10, exception: false) || 0).clamp(0, SLOW_MAX_MS)
      sleep(ms / 1000.0)
      [200, { slept_ms: ms }]
    end
  end

  # A POST /jobs body as [kind, payload, nil], or [nil, nil, what is wrong with it].
  def self.parse_job(body)
    data = JSON.parse(body)
    return [nil, nil, "the body must be a JSON object"] unless data.is_a?(Hash)

    kind = data["kind"]
    payload = data.fetch("payload", {})
    return [nil, nil, "kind is required: a string of 1 to 64 characters"] unless kind.is_a?(String) && kind.length.between?(1, 64)
    return [nil, nil, "payload must be a JSON object"] unless payload.is_a?(Hash)

    [kind, payload, nil]
  rescue JSON::ParserError => e
    [nil, nil, "the body is not JSON: #{e.message.lines.first.strip}"]
  end

  # Reads the configuration for `role`, or prints one JSON error line and exits 1.
  def self.boot(role)
    config = Config.new
    [config, Log.new(config.log_level)]
  rescue ConfigError => e
    Log.new.error("configuration error", role: role, error: e.message)
    exit 1
  end

  # SIGTERM and SIGINT as a pipe a loop can wait on. A trap handler may not take locks, so it
  # only writes the signal's name and starts the grace period; the loop does the rest.
  def self.stop_signals(log)
    reader, writer = IO.pipe
    stopping = false
    %w[TERM INT].each do |name|
      Signal.trap(name) do
        start_grace_period(log) unless stopping
        @stop_deadline ||= Process.clock_gettime(Process::CLOCK_MONOTONIC) + SHUTDOWN_GRACE - 1
        stopping = true
        writer.write_nonblock("SIG#{name}\n", exception: false)
      end
    end
    reader
  end

  # Ends the loop of a role that received SIGTERM; true once a stop signal arrived.
  def self.stop_requested?(stop, wait = 0)
    !IO.select([stop], nil, nil, wait).nil?
  end
{%- if postgres or redis %}

  # A job the worker stops because the grace period is running out; it goes back to the queue.
  class Interrupted < StandardError; end

  # The demo work: payload {"sleep_ms": N} takes N ms. Replace with your own kinds of job. It
  # checks for the end of the grace period as it goes; real work that cannot should stay short.
  def self.perform(job)
    ms = Integer(job[:payload].fetch("sleep_ms", 0)).clamp(0, MAX_SLEEP_MS)
    finish_at = Process.clock_gettime(Process::CLOCK_MONOTONIC) + ms / 1000.0
    while (left = finish_at - Process.clock_gettime(Process::CLOCK_MONOTONIC)).positive?
      raise Interrupted if @stop_deadline && Process.clock_gettime(Process::CLOCK_MONOTONIC) > @stop_deadline

      sleep [left, 0.05].min
    end
  end

  # The worker role: takes jobs until SIGTERM. A job in progress at SIGTERM is finished if it can
  # be within the grace period, otherwise put back on the queue.
  def self.work(config, log)
    stop = stop_signals(log)
    queue = services(config, connections: 2)[:queue]
    log.info("started", role: "worker", env: config.app_env)
    until stop_requested?(stop)
      job = take(queue, log)
      # Without a job, wait before asking again; a stop signal ends the wait.
      job ? run_job(queue, job, config, log) : IO.select([stop], nil, nil, queue.poll_interval)
    end
    log.info("stopped", role: "worker", signal: stop.gets.chomp)
  end

  # The next job, or nil; a queue that does not answer is logged and asked again later.
  def self.take(queue, log)
    queue.take
  rescue StandardError => e
    log.error("cannot take a job", error: reason(e))
    sleep 1
    nil
  end

  def self.run_job(queue, job, config, log)
    log.info("job taken", job_id: job[:id], kind: job[:kind], attempts: job[:attempts])
    # While the job runs, a heartbeat tells other workers this one is alive.
    heartbeat = Thread.new do
      loop do
        sleep config.job_claim_idle_ms / 3000.0
        queue.heartbeat(job)
      end
    end
    begin
      perform(job)
      heartbeat.kill.join
      queue.finish(job, "done")
      log.info("job done", job_id: job[:id], kind: job[:kind], attempts: job[:attempts])
    rescue Interrupted
      heartbeat.kill.join
      queue.put_back(job)
      log.info("job put back", job_id: job[:id], reason: "stopping")
    rescue StandardError => e
      heartbeat.kill.join
      queue.finish(job, "failed")
      log.error("job failed", job_id: job[:id], error: e.message)
    end
  end

  # The scheduler role: enqueues {"kind": "scheduled"} every SCHEDULE_INTERVAL seconds, through
  # the same queue as POST /jobs. Run exactly one scheduler.
  def self.schedule(config, log)
    stop = stop_signals(log)
    queue = services(config, connections: 1)[:queue]
    log.info("started", role: "scheduler", env: config.app_env, every_s: config.schedule_interval)
    until stop_requested?(stop, config.schedule_interval)
      begin
        log.info("job scheduled", job_id: queue.enqueue("scheduled", {}))
      rescue StandardError => e
        log.error("cannot schedule a job", error: reason(e))
      end
    end
    log.info("stopped", role: "scheduler", signal: stop.gets.chomp)
  end
{%- else %}

  # The worker and scheduler roles need a queue; this project chose neither PostgreSQL nor Redis.
  def self.idle(role, config, log)
    stop = stop_signals(log)
    log.info("started", role: role, env: config.app_env, queue: "none: choose PostgreSQL or Redis")
    stop_requested?(stop, nil)
    log.info("stopped", role: role)
  end
{%- endif %}

  # The release step (`migrate`) and its undo (`migrate-down`): one-off admin processes.
  def self.migrate(role, config, log)
{%- if postgres %}
    db = Postgres.connect(config, max_connections: 1)
    role == "migrate" ? Postgres.migrate(db, log) : Postgres.migrate_down(db, log)
  rescue Sequel::Error => e
    log.error("#{role} failed", error: reason(e))
    exit 1
{%- else %}
    log.info("#{role}: nothing to do: this project has no database", role: role, env: config.app_env)
{%- endif %}
  end

  # The Docker HEALTHCHECK: true when {{ health_path }} answers 200 within HEALTHCHECK_TIMEOUT.
  # Net::HTTP's timeouts apply to each step (connect, then each read), so one deadline bounds
  # them all; interrupting the request is harmless in a process that exits right after.
  def self.healthcheck(config)
    Timeout.timeout(HEALTHCHECK_TIMEOUT) do
      Net::HTTP.get_response(URI("http://127.0.0.1:#{config.port}{{ health_path }}")).code == "200"
    end
  rescue StandardError
    false
  end

  # The web role (the Procfile's `web:`): Puma with config/puma.rb, in this process. Running
  # `bundle exec puma -C config/puma.rb` directly also works.
  def self.serve(config, log)
    require "puma/cli"
    Web.current = Web.new(config, log)
    Puma::CLI.new(["--config", File.join(__dir__, "config", "puma.rb")]).run
  end

  def self.main(argv = ARGV)
    $stdout.sync = true
    role = argv.fetch(0, "web")
    # The role is checked first, so a typo says so even where the configuration is incomplete.
    unless ROLES.include?(role)
      Log.new.error("unknown role", role: role, roles: ROLES)
      exit 2
    end
    config, log = boot(role)
    case role
    when "web" then serve(config, log)
    when "worker" then {% if postgres or redis %}work(config, log){% else %}idle("worker", config, log){% endif %}
    when "scheduler" then {% if postgres or redis %}schedule(config, log){% else %}idle("scheduler", config, log){% endif %}
    when "migrate", "migrate-down" then migrate(role, config, log)
    when "healthcheck" then exit(healthcheck(config) ? 0 : 1)
    end
  end
end
{%- if postgres %}

require_relative "lib/postgres"
{%- endif %}
{%- if redis %}
require_relative "lib/redis_store"
{%- endif %}

if $PROGRAM_NAME == __FILE__
  # config/puma.rb and config.ru `require_relative` this file. As the main script it is not in
  # $LOADED_FEATURES, so list it there to keep `ruby app.rb web` from loading it a second time.
  $LOADED_FEATURES << File.realpath(__FILE__)
  Service.main
end
