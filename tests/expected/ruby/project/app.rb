# billing-api: a minimal service that keeps the twelve-factor contract. Replace the example
# routes with your own; keep the contract:
#   - every setting comes from the environment, read once by Service::Config;
#   - the web process binds 0.0.0.0:$PORT (Puma, see config/puma.rb);
#   - /health answers while the process runs, /ready only while the backing services answer;
#   - one JSON line on stdout per request and per lifecycle event;
#   - on SIGTERM: stop accepting, finish in-flight requests, exit 0.
# Run a role with `bundle exec ruby app.rb <role>`: web (default: Puma with config/puma.rb,
# started after the configuration is checked), worker, scheduler, migrate, healthcheck. Every
# process type runs from the same code and the same image.
# Serves factors III (config), IV (backing services), VI (stateless processes), VII (port
# binding), VIII (concurrency), IX (disposability), XI (logs) and XII (admin processes).
require "json"
require "net/http"
require "socket"
require "time"
require "timeout"
require "uri"

module Service
  NAME = "billing-api"
  LOG_LEVELS = %w[debug info warn error].freeze
  ROLES = %w[web worker scheduler migrate healthcheck].freeze
  # How long a stopping process waits for in-flight work, in seconds; below `docker stop`'s 10 s.
  SHUTDOWN_GRACE = 8
  # How long each readiness probe of a backing service may take, in seconds.
  PROBE_TIMEOUT = 1.0
  # The longest delay /demo/slow accepts, so the example can never outlive a graceful stop.
  SLOW_MAX_MS = 5000
  # How long the healthcheck role may take in all, in seconds; below the HEALTHCHECK's 3 s.
  HEALTHCHECK_TIMEOUT = 2

  class ConfigError < StandardError; end

  # Every setting the service reads, taken from the environment once, at start, and checked.
  class Config
    attr_reader :app_env, :log_level, :port, :puma_threads, :web_concurrency, :database_url

    # `NAME_FILE` (a Docker secret) wins over `NAME`; an empty value counts as unset.
    # Raises ConfigError naming the variable when one is missing or invalid.
    def initialize(env = ENV)
      @port = whole_number(env, "PORT", default: 8080, min: 1, max: 65_535)
      @log_level = read(env, "LOG_LEVEL") || "info"
      unless LOG_LEVELS.include?(@log_level)
        raise ConfigError, "LOG_LEVEL must be one of #{LOG_LEVELS.join(", ")}, not #{@log_level.inspect}"
      end
      @app_env = read(env, "APP_ENV") || "development"
      # Puma's threads per process and worker processes (0: a single process), for config/puma.rb.
      @puma_threads = whole_number(env, "PUMA_THREADS", default: 5, min: 1)
      @web_concurrency = whole_number(env, "WEB_CONCURRENCY", default: 0, min: 0)
      @database_url = url("DATABASE_URL", required(env, "DATABASE_URL", "the PostgreSQL database"), %w[postgres postgresql])
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
  end

  # Writes one JSON object per line to stdout; levels below the configured one are dropped.
  # Each line is a single write, so lines from concurrent requests never interleave.
  class Log
    def initialize(level = "info", out: nil)
      @min = LOG_LEVELS.index(level)
      # nil means whatever $stdout is at write time: config/puma.rb points it at the real stdout.
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

  # The backing services /ready checks, by name. Each probe speaks just enough of the
  # service's own protocol to know it answers (no driver needed) and raises when it does not.
  def self.probes(config)
    checks = {}
    # PostgreSQL answers an SSLRequest with one byte, "S" or "N", before any login.
    checks["postgres"] = lambda do
      uri = config.database_url
      ssl_request = [0, 0, 0, 8, 4, 210, 22, 47].pack("C*")
      reply = exchange(uri.hostname, uri.port || 5432, ssl_request) { |socket| socket.read(1) }
      raise "the server did not answer as PostgreSQL" unless %w[S N].include?(reply)
    end
    checks
  end

  # Opens a TCP connection, writes `hello` and yields the socket to read the answer. Failures to
  # connect become "unreachable: host:port: reason".
  def self.exchange(host, port, hello, secure: false)
    connection = begin
      Socket.tcp(host, port, connect_timeout: PROBE_TIMEOUT)
    rescue SystemCallError, SocketError => e
      reason = e.is_a?(SystemCallError) ? e.class.name.split("::").last : e.message
      raise "unreachable: #{host}:#{port}: #{reason}"
    end
    begin
      socket = connection
      socket.write(hello)
      yield socket
    rescue EOFError
      raise "#{host}:#{port} closed the connection without answering"
    ensure
      # Closing the TCP connection ends any TLS session on it as well.
      connection.close
    end
  end

  # Runs every probe at once, each in its own thread with PROBE_TIMEOUT to answer (this also
  # bounds a slow DNS lookup). Returns [all_ok, { name => "ok" or the reason it failed }].
  def self.readiness(checks)
    threads = checks.transform_values do |probe|
      Thread.new do
        probe.call
        "ok"
      rescue StandardError => e
        e.message
      end
    end
    deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + PROBE_TIMEOUT
    results = threads.transform_values do |thread|
      left = deadline - Process.clock_gettime(Process::CLOCK_MONOTONIC)
      next thread.value if thread.join([left, 0].max)

      thread.kill
      "no answer within #{(PROBE_TIMEOUT * 1000).round} ms"
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
      @checks = Service.probes(config)
      @stopping = false
    end

    def stopping?
      @stopping
    end

    def call(env)
      started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
      status, data = begin
        route(env)
      rescue StandardError => e
        log.error("request failed", error: e.message)
        [500, { error: "internal error" }]
      end
      duration_ms = ((Process.clock_gettime(Process::CLOCK_MONOTONIC) - started) * 1000).round
      log.info("request", method: env["REQUEST_METHOD"], path: env["PATH_INFO"], status: status, duration_ms: duration_ms)
      # Lower-case header names and an Array body suit Rack 2 and Rack 3 alike.
      [status, { "content-type" => "application/json" }, [JSON.generate(data)]]
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
      return [405, { error: "method not allowed" }] unless %w[GET HEAD].include?(env["REQUEST_METHOD"])

      case env["PATH_INFO"]
      when "/health" then [200, { status: "ok" }]
      when "/ready" then ready
      when "/" then [200, { service: NAME, env: config.app_env }]
      when "/demo/slow" then slow(env)
      else [404, { error: "not found" }]
      end
    end

    def ready
      return [503, { status: "stopping" }] if stopping?

      ok, checks = Service.readiness(@checks)
      [ok ? 200 : 503, { status: ok ? "ready" : "not ready", checks: checks }]
    end

    # An example of a request that takes a while, to watch graceful shutdown at work.
    def slow(env)
      query = URI.decode_www_form(env["QUERY_STRING"].to_s).to_h
      ms = (Integer(query["ms"].to_s, 10, exception: false) || 0).clamp(0, SLOW_MAX_MS)
      sleep(ms / 1000.0)
      [200, { slept_ms: ms }]
    end
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
        stopping = true
        writer.write_nonblock("SIG#{name}\n", exception: false)
      end
    end
    reader
  end

  # A process that does one unit of work per tick; on SIGTERM the current tick finishes first.
  def self.run_loop(role, every_ms, config, log)
    stop = stop_signals(log)
    log.info("started", role: role, env: config.app_env, every_ms: every_ms)
    until IO.select([stop], nil, nil, every_ms / 1000.0)
      # Your role's work goes here; keep each tick well below SHUTDOWN_GRACE.
      log.debug("tick", role: role)
    end
    log.info("stopping", role: role, signal: stop.gets.chomp)
    log.info("stopped", role: role)
  end

  # The release step, run once per deploy before the new web processes start. It must be safe to
  # run again: it checks that the backing services answer, then applies pending migrations.
  def self.migrate(config, log)
    ok, checks = readiness(probes(config))
    unless ok
      log.error("migrate: a backing service is not ready", checks: checks)
      exit 1
    end
    # Wire your migration tool in here (for example Sequel's or ActiveRecord's migrator); it must
    # skip migrations that have already run, so a repeated release is harmless.
    log.info("migrate: nothing to apply", checks: checks)
  end

  # The Docker HEALTHCHECK: true when /health answers 200 within HEALTHCHECK_TIMEOUT.
  # Net::HTTP's timeouts apply to each step (connect, then each read), so one deadline bounds
  # them all; interrupting the request is harmless in a process that exits right after.
  def self.healthcheck(config)
    Timeout.timeout(HEALTHCHECK_TIMEOUT) do
      Net::HTTP.get_response(URI("http://127.0.0.1:#{config.port}/health")).code == "200"
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
    when "worker" then run_loop("worker", 5_000, config, log)
    when "scheduler" then run_loop("scheduler", 60_000, config, log)
    when "migrate" then migrate(config, log)
    when "healthcheck" then exit(healthcheck(config) ? 0 : 1)
    end
  end
end

if $PROGRAM_NAME == __FILE__
  # config/puma.rb and config.ru `require_relative` this file. As the main script it is not in
  # $LOADED_FEATURES, so list it there to keep `ruby app.rb web` from loading it a second time.
  $LOADED_FEATURES << File.realpath(__FILE__)
  Service.main
end
