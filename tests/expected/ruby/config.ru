# billing-api: the Rack entry point Puma serves.
# Serves factor VII (port binding: Puma binds $PORT, see config/puma.rb).
require_relative "app"

run App.new
