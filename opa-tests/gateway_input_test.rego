# Gateway policy: a missing or malformed field denies with a reason and never raises an error.
package mcp.gateway_input_test

import data.mcp.fixtures
import data.mcp.gateway

decide(request) := d if {
	d := gateway.decision with input as request
}

valid := fixtures.tool_call(fixtures.user("alice"), "everything", "echo")

# A denial with the given reason, a zero TTL and the documented fields.
denied_with(d, reason) if {
	d.allow == false
	d.cache_ttl == 0
	reason in d.reasons
}

test_the_valid_request_used_here_is_allowed if {
	decide(valid).allow == true
}

test_no_input_at_all_denies if {
	d := gateway.decision
	denied_with(d, "input must be a JSON object")
	denied_with(d, "principal is missing")
	denied_with(d, "action must be a string naming an MCP method or gateway action")
	denied_with(d, "context.ip is required to check the caller's network")
}

test_a_non_object_input_denies if {
	d := decide("tools/call")
	denied_with(d, "input must be a JSON object")
	denied_with(decide([valid]), "input must be a JSON object")
}

test_a_missing_principal_denies if {
	d := decide(object.remove(valid, ["principal"]))
	d.reasons == ["principal is missing"]
	d.allow == false
}

test_a_non_object_principal_denies if {
	denied_with(decide(object.union(valid, {"principal": "alice"})), "principal must be an object")
	denied_with(decide(object.union(valid, {"principal": null})), "principal must be an object")
}

test_a_missing_or_malformed_principal_id_denies if {
	reason := "principal.id must be a non-empty string"
	denied_with(decide(json.remove(valid, ["principal/id"])), reason)
	denied_with(decide(object.union(valid, {"principal": {"id": ""}})), reason)
	denied_with(decide(object.union(valid, {"principal": {"id": 7}})), reason)
	denied_with(decide(object.union(valid, {"principal": {"id": {"name": "alice"}}})), reason)
}

test_a_missing_or_unknown_principal_type_denies if {
	reason := "principal.type must be one of: agent, service, user"
	denied_with(decide(json.remove(valid, ["principal/type"])), reason)
	denied_with(decide(object.union(valid, {"principal": {"type": "robot"}})), reason)
	denied_with(decide(object.union(valid, {"principal": {"type": ["user"]}})), reason)
}

test_malformed_roles_and_teams_deny if {
	denied_with(decide(object.union(valid, {"principal": {"roles": "developer"}})), "principal.roles must be an array of strings")
	denied_with(decide(object.union(valid, {"principal": {"roles": ["developer", 1]}})), "principal.roles must be an array of strings")
	denied_with(decide(object.union(valid, {"principal": {"teams": {"platform": true}}})), "principal.teams must be an array of strings")
}

test_unknown_clearance_and_trust_levels_deny if {
	denied_with(decide(object.union(valid, {"principal": {"clearance": "top-secret"}})), "principal.clearance top-secret is not a known sensitivity level")
	denied_with(decide(object.union(valid, {"principal": {"clearance": 3}})), "principal.clearance 3 is not a known sensitivity level")
	denied_with(decide(object.union(valid, {"principal": {"trust_level": "godlike"}})), "principal.trust_level godlike is not a known trust level")
}

test_malformed_attributes_and_tenant_deny if {
	denied_with(decide(object.union(valid, {"principal": {"attributes": "x"}})), "principal.attributes must be an object")
	denied_with(decide(object.union(valid, {"principal": {"tenant": 5}})), "principal.tenant must be a string")
	denied_with(decide(object.union(valid, {"principal": {"timezone": ["UTC"]}})), "principal.timezone must be a string")
	decide(object.union(valid, {"principal": {"tenant": "acme", "attributes": {"department": "r&d"}}})).allow == true
}

test_a_missing_or_unknown_action_denies if {
	reason := "action must be a string naming an MCP method or gateway action"
	denied_with(decide(object.remove(valid, ["action"])), reason)
	denied_with(decide(object.union(valid, {"action": 42})), reason)
	denied_with(decide(object.union(valid, {"action": "tools/destroy"})), "action tools/destroy is not a known MCP method or gateway action")
}

test_a_missing_or_malformed_resource_denies if {
	denied_with(decide(object.remove(valid, ["resource"])), "resource must be an object")
	denied_with(decide(object.union(valid, {"resource": "everything/echo"})), "resource must be an object")
}

test_a_missing_or_unknown_server_denies if {
	reason := "resource.server must be a non-empty string"
	denied_with(decide(json.remove(valid, ["resource/server"])), reason)
	denied_with(decide(object.union(valid, {"resource": {"server": ""}})), reason)
	denied_with(decide(object.union(valid, {"resource": {"server": ["everything"]}})), reason)
	d := decide(object.union(valid, {"resource": {"server": "nope"}}))
	d.reasons == ["server nope is not registered with the gateway"]
}

test_a_missing_or_unknown_tool_denies if {
	denied_with(decide(json.remove(valid, ["resource/tool"])), "resource.tool must be a non-empty string for tools/call")
	denied_with(decide(object.union(valid, {"resource": {"tool": 3}})), "resource.tool must be a non-empty string for tools/call")
	d := decide(object.union(valid, {"resource": {"tool": "rm-rf"}}))
	d.reasons == ["tool rm-rf is not in the catalog of server everything"]
}

test_the_item_field_follows_the_action if {
	request := fixtures.request(fixtures.user("alice"), "resources/read", {"server": "everything", "tool": "echo"})
	d := decide(request)
	d.reasons == ["resource.uri must be a non-empty string for resources/read"]
	prompt := fixtures.request(fixtures.user("alice"), "prompts/get", {"server": "everything"})
	decide(prompt).reasons == ["resource.prompt must be a non-empty string for prompts/get"]
}

test_an_unknown_resource_sensitivity_denies if {
	d := decide(object.union(valid, {"resource": {"sensitivity": "extreme"}}))
	d.reasons == ["resource.sensitivity extreme is not a known sensitivity level"]
}

test_malformed_parameters_deny_and_filter_to_nothing if {
	d := decide(object.union(valid, {"parameters": "message=hi"}))
	d.reasons == ["parameters must be an object"]
	d.filtered_parameters == {}
}

test_a_malformed_context_denies if {
	d := decide(object.union(valid, {"context": "127.0.0.1"}))
	denied_with(d, "context must be an object")
	denied_with(d, "context.ip is required to check the caller's network")
}

test_a_catalog_entry_of_the_wrong_type_denies if {
	d := decide(valid) with data.mcp_config.servers.everything.tools.echo as "low"
	d.reasons == ["the request names no target this policy can judge"]
}
