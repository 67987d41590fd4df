package bench.authz

# RBAC + ABAC over data.servers (owner team, tools with sensitivity, allowed CIDRs) and data.roles
# (glob grants): the shape of the decision the PDP makes per MCP tool call.

default allow := false

allow if {
	input.action == "tools/call"
	some role in input.principal.roles
	some grant in data.roles[role].grants
	glob.match(grant.server, ["."], input.resource.server)
	glob.match(grant.tool, ["."], input.resource.tool)
	abac_ok
}

allow if {
	input.action == "tools/call"
	server.owner_team in input.principal.teams
	abac_ok
}

server := data.servers[input.resource.server]

tool := server.tools[input.resource.tool]

levels := {"public": 0, "internal": 1, "confidential": 2, "secret": 3}

abac_ok if {
	levels[input.principal.clearance] >= levels[tool.sensitivity]
	some cidr in server.allowed_cidrs
	net.cidr_contains(cidr, input.context.ip)
}

reasons contains msg if {
	not allow
	msg := sprintf("principal %s may not call %s on %s", [input.principal.id, input.resource.tool, input.resource.server])
}

reasons contains msg if {
	levels[input.principal.clearance] < levels[tool.sensitivity]
	msg := sprintf("clearance %s is below %s", [input.principal.clearance, tool.sensitivity])
}

decision := {"allow": allow, "reasons": reasons}
