// billing-api: the module and its Go version. Dependencies are pinned here and in go.sum.
// Serves factor II (dependencies).
module example.com/billing-api

go 1.23
