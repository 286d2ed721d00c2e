# billing-api: the placeholder service. Replace the handlers; keep the contract:
# bind $PORT, answer /health and /ready, log JSON lines to stdout, read every
# setting from the environment, exit cleanly on SIGTERM.
# Serves factors III (config), IV (backing services), VI (stateless processes), VII (port
# binding), IX (disposability), XI (logs as event streams) and XII (admin processes).
require "json"
require "net/http"
require "time"

$stdout.sync = true

# A setting from the environment, or from the file named by NAME_FILE (Docker secrets).
def setting(name, default = "")
  file = ENV.fetch("#{name}_FILE", "")
  return File.read(file).strip unless file.empty?

  ENV.fetch(name, default)
end

LEVELS = %w[debug info warn error].freeze
APP_ENV = setting("APP_ENV", "development")
LOG_LEVEL = setting("LOG_LEVEL", "info")
PORT = Integer(setting("PORT", "8080"))
DATABASE_URL = setting("DATABASE_URL")

def log(level, msg, **fields)
  return if LEVELS.index(level) < (LEVELS.index(LOG_LEVEL) || 1)

  puts JSON.generate({ time: Time.now.utc.iso8601, level: level, msg: msg, **fields })
end

# The Rack application.
class App
  def call(env)
    case env["PATH_INFO"]
    when "/health" then reply(200, status: "ok")
    when "/ready" then reply(200, status: "ready")
    when "/" then reply(200, service: "billing-api")
    else reply(404, error: "not found")
    end
  end

  private

  def reply(status, data)
    [status, { "content-type" => "application/json" }, [JSON.generate(data)]]
  end
end

def run_loop(role, every)
  stopping = false
  Signal.trap("TERM") { stopping = true }
  log("info", "#{role} started", env: APP_ENV)
  waited = 0.0
  until stopping
    sleep 0.1
    waited += 0.1
    next if waited < every

    waited = 0.0
    log("debug", "#{role} tick")
  end
  log("info", "#{role} stopped")
end

def healthcheck
  response = Net::HTTP.get_response(URI("http://127.0.0.1:#{PORT}/health"))
  response.is_a?(Net::HTTPSuccess) ? 0 : 1
rescue StandardError
  1
end

if $PROGRAM_NAME == __FILE__
  case ARGV.fetch(0, "web")
  when "worker" then run_loop("worker", 5)
  when "scheduler" then run_loop("scheduler", 60)
  when "migrate" then log("info", "no migrations yet")
  when "healthcheck" then exit(healthcheck)
  else
    log("error", "unknown role; the web process runs with puma -C config/puma.rb")
    exit(2)
  end
end
