package bench

import rego.v1

principal := data.principals[input.principal.id]

server := data.servers[input.server]

tool := server.tools[input.tool]

granted if {
	some role in principal.roles
	some grant in data.roles[role].grants
	glob.match(grant.server, [], input.server)
	glob.match(grant.tool, [], input.tool)
}

owner if server.owner_team in principal.teams

cleared if principal.clearance >= tool.sensitivity

network_ok if {
	some cidr in server.allowed_cidrs
	net.cidr_contains(cidr, input.source_ip)
}

default allow := false

allow if {
	granted
	cleared
	network_ok
}

allow if {
	owner
	network_ok
}

reasons contains sprintf("no role of %s grants %s/%s", [input.principal.id, input.server, input.tool]) if not granted

reasons contains sprintf("clearance %d is below sensitivity %d of %s", [principal.clearance, tool.sensitivity, input.tool]) if not cleared

reasons contains sprintf("source %s is outside the networks of %s", [input.source_ip, input.server]) if not network_ok

decision := {"allow": allow, "reasons": reasons, "cache_ttl": 60}
