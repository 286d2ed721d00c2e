// billing-api: the module, its Go version and its dependencies; go.sum pins each one's hash.
// Serves factor II (dependencies).
module example.com/billing-api

go 1.23

require (
	github.com/gomodule/redigo v1.8.3
)
