# MCP gateway authorization: may this principal perform this MCP method on this server, tool,
# resource or prompt? Entrypoint: data.mcp.gateway.decision.
#
# How it decides: every check below adds a human-readable reason to deny_reasons when it is not
# satisfied; the request is allowed exactly when there is none. Each check is written as
# "deny unless the condition is positively met", so a missing value can only deny.
#
# The organisation (roles, teams, servers, tools, levels) lives in data.mcp_config
# (policies/data.json); input checks are in gateway_input.rego, argument rules and secret
# filtering in gateway_arguments.rego. docs/policies.md describes the documents.
package mcp.gateway

import data.mcp.trust
import data.mcp_config

# --- the decision document ---

decision := object.union(
	{"allow": allow, "reasons": reasons, "cache_ttl": cache_ttl},
	object.union(parameter_fields, obligation_fields),
)

allow := count(deny_reasons) == 0

# On deny, why; on allow, which grants allowed it.
reasons := sort(deny_reasons) if {
	not allow
} else := sort(granted_by)

# Allowed decisions may be cached for the sensitivity's TTL; denials are never cached.
default cache_ttl := 0

cache_ttl := mcp_config.sensitivity_levels[sensitivity].cache_ttl if allow

parameter_fields := {"filtered_parameters": filtered_parameters} if {
	has_key(input, "parameters")
} else := {}

# A list is allowed when the principal may use at least one item; the enforcement point then
# asks about each item with this action (for example tools/call per listed tool) and drops the rest.
obligation_fields := {"obligations": {"filter_items_with": action_spec.item_action}} if {
	allow
	action_spec.scope == "list"
} else := {}

deny_reasons contains reason if {
	some reason in input_reasons
}

# A safety net: a request that passes the input checks but names nothing the rules below can
# judge (say, a catalog entry of the wrong type) is denied rather than waved through.
deny_reasons contains "the request names no target this policy can judge" if {
	count(input_reasons) == 0
	not target_known
}

# --- what the request is about ---

action_spec := mcp_config.actions[input.action]

server_name := input.resource.server

server := mcp_config.servers[server_name]

# The named item: resource.tool, resource.uri or resource.prompt, as the action says.
item_name := input.resource[action_spec.item]

catalog_entry := server[action_spec.grants][item_name]

# The request is well formed and names a known action on a known target, so the policy checks
# below apply. (A malformed request is denied by its input reasons alone, without noise.)
request_understood if {
	count(input_reasons) == 0
	target_known
}

target_known if action_spec.scope == "gateway"

target_known if {
	action_spec.scope in {"list", "server"}
	is_object(server)
}

target_known if {
	action_spec.scope == "item"
	is_object(server)
	non_empty_string(item_name)
	not action_spec.catalog_required
}

target_known if {
	action_spec.scope == "item"
	is_object(catalog_entry)
}

target_label := sprintf("%s %s on server %s", [action_spec.item, item_name, server_name]) if {
	action_spec.scope == "item"
} else := sprintf("server %s", [server_name]) if {
	action_spec.scope in {"list", "server"}
} else := "the gateway"

# --- who is asking: the request's principal merged with data.mcp_config.principals ---

principal_id := input.principal.id

directory_entry := object.get(mcp_config.principals, input.principal.id, {}) if {
	non_empty_string(input.principal.id)
} else := {}

# Roles and teams: those in the request plus those in the directory.
principal_roles := {role | some role in input.principal.roles; is_string(role)} | {role | some role in object.get(directory_entry, "roles", [])}

principal_teams := {team | some team in input.principal.teams; is_string(team)} | {team | some team in object.get(directory_entry, "teams", [])}

# Clearance: the lower of the request's and the directory's; the default when neither says.
clearance_levels contains input.principal.clearance

clearance_levels contains directory_entry.clearance

clearance_rank := min(ranks) if {
	ranks := {mcp_config.sensitivity_levels[level].rank | some level in clearance_levels}
	count(ranks) > 0
} else := object.get(mcp_config.sensitivity_levels, [mcp_config.defaults.clearance, "rank"], 0)

clearance_label := min({level |
	some level, spec in mcp_config.sensitivity_levels
	spec.rank == clearance_rank
}) if {
	clearance_rank > 0
} else := "none"

# --- sensitivity: the highest level among the server's, the item's, the action's and the request's ---

sensitivity_candidates contains mcp_config.defaults.sensitivity

sensitivity_candidates contains server.sensitivity

sensitivity_candidates contains catalog_entry.sensitivity

sensitivity_candidates contains action_spec.sensitivity

sensitivity_candidates contains input.resource.sensitivity

sensitivity := max({[mcp_config.sensitivity_levels[level].rank, level] | some level in sensitivity_candidates})[1]

sensitivity_spec := mcp_config.sensitivity_levels[sensitivity]

deny_reasons contains "the policy data defines no sensitivity level for this request" if not is_object(sensitivity_spec)

# --- RBAC: roles grant actions on servers and items by glob; owner teams use their servers ---

# Where the permission comes from: a role's grant, or the ownership of the server by a team.
granted_by contains sprintf("granted by role %s", [role]) if {
	some role in principal_roles
	some grant in mcp_config.roles[role]
	grant_covers(grant)
}

granted_by contains sprintf("granted by owner team %s", [team]) if {
	some team in owning_teams
	grant_covers(owner_grant)
}

owning_teams := {team | some team in principal_teams; team in object.get(server, "owners", [])}

owner_grant := object.union(mcp_config.owner_grant, {"servers": [server_name]})

# Item actions (tools/call, resources/read, prompts/get, ...): action, server and item must match.
grant_covers(grant) if {
	action_spec.scope == "item"
	matches_any(grant.actions, input.action)
	matches_any(grant.servers, server_name)
	matches_any(grant[action_spec.grants], item_name)
}

grant_covers(grant) if {
	action_spec.scope == "server"
	matches_any(grant.actions, input.action)
	matches_any(grant.servers, server_name)
}

grant_covers(grant) if {
	action_spec.scope == "gateway"
	matches_any(grant.actions, input.action)
}

# List actions: the grant must let the principal use at least one item the list would show.
grant_covers(grant) if {
	action_spec.scope == "list"
	item_spec := mcp_config.actions[action_spec.item_action]
	matches_any(grant.actions, action_spec.item_action)
	matches_any(grant.servers, server_name)
	some pattern in grant[item_spec.grants]
	usable_item_matches(item_spec, pattern)
}

# Items that are not catalogued (resources, prompts) cannot be enumerated: any pattern may match one.
usable_item_matches(item_spec, _) if not item_spec.catalog_required

# Catalogued items (tools): some tool matches the pattern and is within the principal's clearance.
usable_item_matches(item_spec, pattern) if {
	item_spec.catalog_required
	some name, entry in server[item_spec.grants]
	glob_matches(pattern, name)
	clearance_rank >= catalog_rank(entry)
}

# The rank of a catalogued item: its own level or its server's, whichever is higher.
catalog_rank(entry) := max({mcp_config.sensitivity_levels[level].rank |
	some level in [mcp_config.defaults.sensitivity, object.get(server, "sensitivity", null), object.get(entry, "sensitivity", null)]
})

matches_any(patterns, value) if {
	is_string(value)
	some pattern in patterns
	glob_matches(pattern, value)
}

# "*" matches any run of characters, including "/" and ":". Exact names and a lone "*" are
# decided without the glob matcher, which is the costlier test.
glob_matches(pattern, value) if {
	pattern == value
} else := true if {
	pattern == "*"
} else := glob.match(pattern, null, value)

deny_reasons contains sprintf("no role or server ownership grants %s %s on %s", [principal_id, input.action, target_label]) if {
	request_understood
	action_spec.scope != "list"
	count(granted_by) == 0
}

deny_reasons contains sprintf("%s may use nothing that %s would show on server %s", [principal_id, input.action, server_name]) if {
	request_understood
	action_spec.scope == "list"
	count(granted_by) == 0
}

deny_reasons contains sprintf("server %s is restricted to its owner teams (%s)", [server_name, list_label(object.get(server, "owners", []))]) if {
	server.restricted == true
	count(owning_teams) == 0
}

# --- clearance must cover the sensitivity ---

deny_reasons contains sprintf("clearance %s of %s does not cover sensitivity %s of %s", [clearance_label, principal_id, sensitivity, target_label]) if {
	request_understood
	not clearance_rank >= sensitivity_spec.rank
}

# --- agents need enough trust for the sensitivity ---

agent_trust_rank := trust.effective_rank(input.principal.id, stated_trust_level)

stated_trust_level := input.principal.trust_level if {
	trust.is_level(input.principal.trust_level)
} else := null

# A level without a (known) min_agent_trust demands the highest trust level.
required_agent_rank := mcp_config.trust_levels[sensitivity_spec.min_agent_trust] if {
	trust.is_level(sensitivity_spec.min_agent_trust)
} else := max({rank | some rank in mcp_config.trust_levels})

deny_reasons contains sprintf("agent %s has trust level %s, but %s operations need %s", [principal_id, trust.level_name(agent_trust_rank), sensitivity, trust.level_name(required_agent_rank)]) if {
	input.principal.type == "agent"
	request_understood
	not agent_trust_rank >= required_agent_rank
}

# --- work hours in the principal's time zone, for levels that demand them ---

work_hours := mcp_config.work_hours

work_hours_required if sensitivity_spec.work_hours_only == true

# The time zone: the request's, else the principal's (its own field, then its attribute), else the
# directory's, else the default.
timezone := input.context.timezone if {
	non_empty_string(input.context.timezone)
} else := input.principal.timezone if {
	non_empty_string(input.principal.timezone)
} else := input.principal.attributes.timezone if {
	non_empty_string(input.principal.attributes.timezone)
} else := directory_entry.timezone if {
	non_empty_string(directory_entry.timezone)
} else := mcp_config.defaults.timezone

request_time_ns := time.parse_rfc3339_ns(input.context.time) if is_string(input.context.time)

local_clock := time.clock([request_time_ns, timezone])

local_weekday := time.weekday([request_time_ns, timezone])

within_work_hours if {
	local_weekday in work_hours.days
	local_clock[0] >= work_hours.start_hour
	local_clock[0] < work_hours.end_hour
}

deny_reasons contains sprintf("context.time (RFC 3339) is required for %s operations", [sensitivity]) if {
	work_hours_required
	not has_key(input.context, "time")
}

deny_reasons contains sprintf("context.time %v is not an RFC 3339 timestamp", [input.context.time]) if {
	work_hours_required
	has_key(input.context, "time")
	not request_time_ns
}

deny_reasons contains sprintf("time zone %v is not a known IANA time zone", [timezone]) if {
	work_hours_required
	request_time_ns
	not local_clock
}

deny_reasons contains msg if {
	work_hours_required
	local_clock
	not within_work_hours
	msg := sprintf("%s operations are allowed only %s, %s:00 to %s:00 (%s); it is %s %s:%s there", [
		sensitivity, list_label(work_hours.days),
		two_digits(work_hours.start_hour), two_digits(work_hours.end_hour), timezone,
		local_weekday, two_digits(local_clock[0]), two_digits(local_clock[1]),
	])
}

two_digits(n) := sprintf("0%d", [n]) if {
	n < 10
} else := sprintf("%d", [n])

# --- callers only from allowed networks (and the server's own, when it names some) ---

caller_ip := input.context.ip

caller_in_allowed_networks if in_networks(mcp_config.allowed_networks, caller_ip)

caller_in_server_networks if in_networks(server.networks, caller_ip)

# Built-ins get only values of the types they take, so a malformed field never raises an error
# (OPA makes such calls undefined unless built-in errors are strict; other engines may not).
in_networks(cidrs, ip) if {
	is_string(ip)
	some cidr in cidrs
	net.cidr_contains(cidr, ip)
}

is_ip(value) if in_networks(["0.0.0.0/0", "::/0"], value)

deny_reasons contains "context.ip is required to check the caller's network" if not is_string(caller_ip)

deny_reasons contains sprintf("context.ip %s is not an IP address", [caller_ip]) if {
	is_string(caller_ip)
	not caller_in_allowed_networks
	not is_ip(caller_ip)
}

deny_reasons contains sprintf("caller %s is outside the allowed networks", [caller_ip]) if {
	not caller_in_allowed_networks
	is_ip(caller_ip)
}

deny_reasons contains sprintf("caller %s is outside the networks of server %s (%s)", [caller_ip, server_name, list_label(networks)]) if {
	networks := server.networks
	not caller_in_server_networks
	is_ip(caller_ip)
}

list_label(values) := concat(", ", [sprintf("%v", [value]) | some value in values])
