# {{ name }}: the web server. Binds $PORT on all interfaces, logs to stdout, and on SIGTERM
# stops accepting and finishes in-flight requests before exiting.
# Serves factors VII (port binding), VIII (concurrency) and IX (disposability).
port ENV.fetch("PORT", "{{ port }}"), "0.0.0.0"
environment ENV.fetch("RACK_ENV", "production")
threads_count = Integer(ENV.fetch("PUMA_THREADS", "5"))
threads threads_count, threads_count
workers Integer(ENV.fetch("WEB_CONCURRENCY", "0"))
