// billing-api: the module and its Go version. The service uses only the standard library, so
// there is no go.sum yet; `go get` pins each dependency you add here and in go.sum.
// Serves factor II (dependencies).
module example.com/billing-api

go 1.23
