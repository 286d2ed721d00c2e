# billing-api: the web server. Binds 0.0.0.0:$PORT, keeps stdout for the app's JSON lines, and on
# SIGTERM stops accepting, finishes in-flight requests and exits 0. Written for Puma 5.6 and 6.
# Serves factors VII (port binding), VIII (concurrency), IX (disposability) and XI (logs).
require_relative "../app"

# Reads and checks the configuration now: a missing or invalid variable prints one JSON line
# and exits 1 before Puma binds anything.
web = Service::Web.current

bind "tcp://0.0.0.0:#{web.config.port}"
rackup File.expand_path("../config.ru", __dir__)
# Threads per process (PUMA_THREADS); add processes with WEB_CONCURRENCY (or more containers) to
# scale out. Both are read and checked with the rest of the configuration, in Service::Config.
# Puma itself reads WEB_CONCURRENCY too, with Integer(), before it loads this file: started as
# `puma -C config/puma.rb` a value that is not a number stops Puma with its own error on stderr;
# the Procfile's `ruby app.rb web` checks the configuration first and prints the JSON error line.
threads web.config.puma_threads, web.config.puma_threads
workers web.config.web_concurrency
# The app writes one line per request itself.
quiet
# Puma's own lines (its banner, "Listening on", shutdown notes) become JSON lines like the app's;
# its errors go to stderr.
log_formatter do |text|
  JSON.generate(time: Time.now.utc.iso8601(3), level: "info", service: Service::NAME, msg: text.to_s.strip, source: "puma")
end
# After a graceful stop on SIGTERM, exit 0 instead of re-raising the signal.
raise_exception_on_sigterm false
# In cluster mode (WEB_CONCURRENCY > 0), how long workers get to finish their requests.
worker_shutdown_timeout Service::SHUTDOWN_GRACE

# The lifecycle lines: "listening" once bound, "stopping" when SIGTERM or SIGINT arrives (Puma
# then stops accepting and finishes in-flight requests), "stopped" as the process exits. Puma 6
# has an on_booted hook in this file; Puma 5.6 has it only on the launcher's events, which a
# plugin reaches in both.
# With WEB_CONCURRENCY > 0 this runs in the master only: Puma installs each worker's own TERM
# handler after every worker hook has run, so no hook can wrap it. A worker's /ready
# therefore keeps running its probes, not answering "stopping", during the short time between
# the master's signal and the worker closing its listener.
Puma::Plugins.register("json_lifecycle", Class.new(Puma::Plugin) do
  def start(launcher)
    web = Service::Web.current
    launcher.events.on_booted do
      web.listening
      # Puma has installed its signal handlers by now. Ours runs first: it marks the app as
      # stopping (so /ready answers 503), logs the signal and starts the grace period;
      # then Puma's own handler stops accepting and waits for in-flight requests.
      %w[TERM INT].each do |name|
        puma_handler = Signal.trap(name) do
          Service.start_grace_period(web.log) if web.stopping("SIG#{name}")
          puma_handler.call
        end
      end
      at_exit { web.stopped }
    end
  end
end)
plugin "json_lifecycle"
