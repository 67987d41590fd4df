# Shape checks for the gateway input document (see docs/policies.md for the full shape).
#
# Each check reads its field defensively, so a missing or mistyped field becomes a deny reason in
# input_reasons, never an evaluation error. The other rules may assume nothing about the input:
# when a field they need is missing they simply do not fire, and the reason here explains the deny.
package mcp.gateway

import data.mcp.trust
import data.mcp_config

principal_types := {"agent", "service", "user"}

input_reasons contains "input must be a JSON object" if not is_object(input)

# --- principal ---

input_reasons contains "principal is missing" if not has_key(input, "principal")

input_reasons contains "principal must be an object" if {
	has_key(input, "principal")
	not is_object(input.principal)
}

input_reasons contains "principal.id must be a non-empty string" if {
	is_object(input.principal)
	not non_empty_string(input.principal.id)
}

input_reasons contains "principal.type must be one of: agent, service, user" if {
	is_object(input.principal)
	not input.principal.type in principal_types
}

input_reasons contains sprintf("principal.%s must be an array of strings", [field]) if {
	some field in ["roles", "teams"]
	value := input.principal[field]
	not string_array(value)
}

input_reasons contains sprintf("principal.clearance %v is not a known sensitivity level", [level]) if {
	level := input.principal.clearance
	not is_sensitivity_level(level)
}

input_reasons contains sprintf("principal.trust_level %v is not a known trust level", [level]) if {
	level := input.principal.trust_level
	not trust.is_level(level)
}

input_reasons contains "principal.attributes must be an object" if {
	value := input.principal.attributes
	not is_object(value)
}

input_reasons contains sprintf("principal.%s must be a string", [field]) if {
	some field in ["tenant", "timezone"]
	value := input.principal[field]
	not is_string(value)
}

# --- action ---

input_reasons contains "action must be a string naming an MCP method or gateway action" if {
	not is_string(input.action)
}

input_reasons contains sprintf("action %s is not a known MCP method or gateway action", [input.action]) if {
	is_string(input.action)
	not has_key(mcp_config.actions, input.action)
}

# --- resource: every action except the gateway's own names a server, item actions an item ---

needs_server if action_spec.scope != "gateway"

input_reasons contains "resource must be an object" if {
	needs_server
	not is_object(input.resource)
}

input_reasons contains "resource.server must be a non-empty string" if {
	needs_server
	is_object(input.resource)
	not non_empty_string(input.resource.server)
}

input_reasons contains sprintf("server %s is not registered with the gateway", [server_name]) if {
	needs_server
	non_empty_string(server_name)
	not has_key(mcp_config.servers, server_name)
}

input_reasons contains sprintf("resource.%s must be a non-empty string for %s", [action_spec.item, input.action]) if {
	action_spec.scope == "item"
	is_object(input.resource)
	not non_empty_string(input.resource[action_spec.item])
}

input_reasons contains sprintf("tool %s is not in the catalog of server %s", [item_name, server_name]) if {
	action_spec.catalog_required
	non_empty_string(item_name)
	is_object(server)
	not has_key(object.get(server, action_spec.grants, {}), item_name)
}

input_reasons contains sprintf("resource.sensitivity %v is not a known sensitivity level", [level]) if {
	level := input.resource.sensitivity
	not is_sensitivity_level(level)
}

# --- parameters and context ---

input_reasons contains "parameters must be an object" if {
	has_key(input, "parameters")
	not is_object(input.parameters)
}

input_reasons contains "context must be an object" if {
	has_key(input, "context")
	not is_object(input.context)
}

# --- helpers ---

has_key(obj, key) if {
	is_object(obj)
	_ = obj[key]
}

non_empty_string(value) if {
	is_string(value)
	value != ""
}

string_array(value) if {
	is_array(value)
	every item in value {
		is_string(item)
	}
}

is_sensitivity_level(level) if {
	is_string(level)
	has_key(mcp_config.sensitivity_levels, level)
}
