# Request builders shared by the tests. Times are fixed so that tests never depend on the clock:
# 2026-11-18 is a Wednesday, 2026-11-21 a Saturday.
package mcp.fixtures

wednesday_10_utc := "2026-11-18T10:00:00Z"

saturday_10_utc := "2026-11-21T10:00:00Z"

user(id) := {"id": id, "type": "user"}

agent(id) := {"id": id, "type": "agent"}

request(principal, action, resource) := {
	"principal": principal,
	"action": action,
	"resource": resource,
	"context": {"ip": "127.0.0.1", "time": wednesday_10_utc},
}

tool_call(principal, server, tool) := request(principal, "tools/call", {"server": server, "tool": tool})

tool_call_with(principal, server, tool, parameters) := object.union(
	tool_call(principal, server, tool),
	{"parameters": parameters},
)

gateway_request(principal, action) := {
	"principal": principal,
	"action": action,
	"context": {"ip": "127.0.0.1", "time": wednesday_10_utc},
}
