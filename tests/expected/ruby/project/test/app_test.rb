# billing-api: the service's own tests, run by `bundle exec ruby -Itest test/app_test.rb` locally
# and in CI. Minitest, with Rack::MockRequest (part of Rack) calling the app directly: no server,
# no network.
# Serves factor V (build, release, run: CI builds a release only from code that passes) and
# checks III (config) and IV (backing services).
require "minitest/autorun"
require "rack"
require "socket"
require "stringio"
require "tempfile"

require_relative "../app"

# A port nothing listens on: bind one, note it, close it.
def closed_port
  server = TCPServer.new("127.0.0.1", 0)
  server.addr[1]
ensure
  server&.close
end

class ConfigTest < Minitest::Test
  # The backing services have no defaults: every test names them unless it is about them.
  SERVICES = {
    "DATABASE_URL" => "postgres://app:secret@localhost:5432/app",
  }.freeze

  def test_safe_defaults_for_everything_that_is_not_a_backing_service
    config = Service::Config.new(SERVICES)
    assert_equal 8080, config.port
    assert_equal "info", config.log_level
    assert_equal "development", config.app_env
  end

  def test_rejects_a_port_that_is_not_a_port_naming_the_variable
    %w[eighty 0 65536 +80 8_0].each do |bad|
      error = assert_raises(Service::ConfigError) { Service::Config.new(SERVICES.merge("PORT" => bad)) }
      assert_match(/PORT/, error.message)
    end
  end

  def test_puma_settings_are_checked_here_too
    config = Service::Config.new(SERVICES.merge("PUMA_THREADS" => "", "WEB_CONCURRENCY" => "2"))
    assert_equal [5, 2], [config.puma_threads, config.web_concurrency]
    { "PUMA_THREADS" => "0", "WEB_CONCURRENCY" => "-1" }.each do |name, bad|
      error = assert_raises(Service::ConfigError) { Service::Config.new(SERVICES.merge(name => bad)) }
      assert_match(/#{name}/, error.message)
    end
  end

  def test_a_name_file_setting_wins_over_the_variable
    Tempfile.create("app-env") do |file|
      file.write("staging\n")
      file.flush
      config = Service::Config.new(SERVICES.merge("APP_ENV" => "ignored", "APP_ENV_FILE" => file.path))
      assert_equal "staging", config.app_env
    end
  end

  def test_names_database_url_when_it_is_missing
    error = assert_raises(Service::ConfigError) { Service::Config.new(SERVICES.merge("DATABASE_URL" => "")) }
    assert_match(/DATABASE_URL is required/, error.message)
  end
end

class HttpTest < Minitest::Test
  def setup
    down = closed_port
    config = Service::Config.new(
      "DATABASE_URL" => "postgres://app:secret@127.0.0.1:#{down}/app",
    )
    @log = StringIO.new
    @web = Service::Web.new(config, Service::Log.new("info", out: @log))
    @app = Rack::MockRequest.new(@web)
  end

  def get(path)
    response = @app.get(path)
    [response.status, JSON.parse(response.body)]
  end

  def test_health_answers_200
    assert_equal [200, { "status" => "ok" }], get("/health")
  end

  def test_ready_reports_each_backing_service
    status, body = get("/ready")
    # Nothing listens on the configured port, so the service is not ready and says why.
    assert_equal 503, status
    assert_equal "not ready", body["status"]
    assert_equal "refused", body["checks"]["postgres"]
  end

  def test_ready_answers_503_once_the_process_is_stopping
    @web.stopping("SIGTERM")
    assert_equal [503, { "status" => "stopping" }], get("/ready")
  end

  def test_unknown_paths_get_a_json_404
    assert_equal [404, { "error" => "not found" }], get("/no-such-page")
  end

  def test_other_methods_get_a_json_405
    response = @app.post("/health")
    assert_equal 405, response.status
    assert_equal "application/json", response["content-type"]
  end

  def test_a_job_must_name_its_kind_in_a_json_object
    ["{not json", "[]", '{"payload":{}}', '{"kind":""}', %({"kind":"#{"k" * 65}"}), '{"kind":"a","payload":[]}'].each do |body|
      _kind, _payload, problem = Service.parse_job(body)
      refute_nil problem, body
    end
    assert_equal ["demo", { "sleep_ms" => 5 }, nil], Service.parse_job('{"kind":"demo","payload":{"sleep_ms":5}}')
    assert_equal ["demo", {}, nil], Service.parse_job('{"kind":"demo"}')
  end

  def test_every_request_is_one_json_log_line
    get("/health")
    line = JSON.parse(@log.string.lines.last)
    assert_equal ["request", "GET", "/health", 200], line.values_at("msg", "method", "path", "status")
  end
end
