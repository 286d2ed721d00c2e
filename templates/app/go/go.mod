// {{ name }}: the module, its Go version and its dependencies; go.sum pins each one's hash.
// Serves factor II (dependencies).
module example.com/{{ name }}

go {{ runtime_version }}
{%- if postgres or redis %}

require (
{%- if redis %}
	github.com/gomodule/redigo v1.8.3
{%- endif %}
{%- if postgres %}
	github.com/lib/pq v1.10.7
{%- endif %}
)
{%- endif %}
