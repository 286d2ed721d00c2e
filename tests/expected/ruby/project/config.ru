# billing-api: the Rack entry point Puma serves (and `rackup` would).
# Serves factor VII (port binding: Puma binds $PORT, see config/puma.rb).
require_relative "app"

# The instance config/puma.rb already built, or a new one that reads the configuration.
run Service::Web.current
