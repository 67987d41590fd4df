# Gateway policy: roles, ownership, clearance, list actions, cache TTLs and agent trust,
# against the example organisation in policies/data.json.
package mcp.gateway_test

import data.mcp.fixtures
import data.mcp.gateway

decide(request) := d if {
	d := gateway.decision with input as request
}

# --- roles grant actions on servers and tools ---

test_developer_may_call_a_low_tool if {
	d := decide(fixtures.tool_call(fixtures.user("alice"), "everything", "echo"))
	d.allow == true
	d.reasons == ["granted by owner team platform", "granted by role developer"]
	d.cache_ttl == 1800
	not d.filtered_parameters
	not d.obligations
}

test_decision_has_exactly_the_documented_fields if {
	d := decide(fixtures.tool_call(fixtures.user("alice"), "everything", "echo"))
	object.keys(d) == {"allow", "reasons", "cache_ttl"}
}

test_analyst_may_call_a_granted_tool if {
	d := decide(fixtures.tool_call(fixtures.user("bob"), "everything", "get-sum"))
	d.allow == true
	d.reasons == ["granted by role analyst"]
}

test_analyst_may_not_call_a_tool_no_role_grants if {
	d := decide(fixtures.tool_call(fixtures.user("bob"), "everything", "get-tiny-image"))
	d.allow == false
	d.reasons == ["no role or server ownership grants bob tools/call on tool get-tiny-image on server everything"]
	d.cache_ttl == 0
}

test_roles_in_the_request_add_to_the_directory if {
	principal := {"id": "zed", "type": "user", "roles": ["developer"]}
	d := decide(fixtures.tool_call(principal, "everything", "echo"))
	d.allow == true
	d.reasons == ["granted by role developer"]
}

test_an_unknown_role_grants_nothing if {
	principal := {"id": "zed", "type": "service", "roles": ["ghost"]}
	d := decide(fixtures.tool_call(principal, "everything", "echo"))
	d.allow == false
	d.reasons == ["no role or server ownership grants zed tools/call on tool echo on server everything"]
}

test_tool_globs_match_tool_names if {
	allowed := decide(fixtures.tool_call(fixtures.agent("research-agent"), "everything", "get-sum"))
	allowed.allow == true
	denied := decide(fixtures.tool_call(fixtures.agent("research-agent"), "everything", "toggle-simulated-logging"))
	denied.allow == false
}

test_a_grant_must_name_the_server if {
	d := decide(fixtures.tool_call(fixtures.user("bob"), "filesystem", "read_file"))
	d.allow == false
	d.reasons == ["no role or server ownership grants bob tools/call on tool read_file on server filesystem"]
}

test_a_grant_must_name_the_action if {
	request := fixtures.request(fixtures.user("bob"), "prompts/get", {"server": "everything", "prompt": "simple-prompt"})
	d := decide(request)
	d.allow == false
}

# --- team ownership ---

test_owner_team_members_use_their_server if {
	principal := {"id": "olga", "type": "user", "teams": ["data"], "clearance": "medium"}
	d := decide(fixtures.tool_call(principal, "postgres", "list_tables"))
	d.allow == true
	d.reasons == ["granted by owner team data"]
	d.cache_ttl == 300
}

test_ownership_grants_no_gateway_actions if {
	principal := {"id": "olga", "type": "user", "teams": ["data"], "clearance": "high"}
	d := decide(fixtures.gateway_request(principal, "gateway:audit:view"))
	d.allow == false
	d.reasons == ["no role or server ownership grants olga gateway:audit:view on the gateway"]
}

test_restricted_server_admits_its_owner_team if {
	d := decide(fixtures.tool_call(fixtures.user("carol"), "payments", "get_balance"))
	d.allow == true
	d.cache_ttl == 60
}

test_restricted_server_refuses_other_teams_even_admins if {
	principal := {"id": "zed", "type": "user", "roles": ["admin"], "teams": ["platform"], "clearance": "critical"}
	d := decide(fixtures.tool_call(principal, "payments", "get_balance"))
	d.allow == false
	d.reasons == ["server payments is restricted to its owner teams (finance)"]
}

# --- clearance covers sensitivity ---

test_clearance_must_cover_a_critical_tool if {
	d := decide(fixtures.tool_call(fixtures.user("alice"), "everything", "get-env"))
	d.allow == false
	d.reasons == ["clearance medium of alice does not cover sensitivity critical of tool get-env on server everything"]
	d.cache_ttl == 0
}

test_clearance_must_cover_a_high_tool if {
	d := decide(fixtures.tool_call(fixtures.user("alice"), "everything", "trigger-sampling-request"))
	d.allow == false
	d.reasons == ["clearance medium of alice does not cover sensitivity high of tool trigger-sampling-request on server everything"]
}

test_request_clearance_can_lower_the_directory_clearance if {
	principal := {"id": "alice", "type": "user", "clearance": "low"}
	d := decide(fixtures.tool_call(principal, "everything", "get-roots-list"))
	d.allow == false
	d.reasons == ["clearance low of alice does not cover sensitivity medium of tool get-roots-list on server everything"]
}

test_request_clearance_cannot_raise_the_directory_clearance if {
	principal := {"id": "alice", "type": "user", "clearance": "critical"}
	d := decide(fixtures.tool_call(principal, "everything", "trigger-sampling-request"))
	d.allow == false
}

test_unknown_principals_get_the_default_clearance if {
	principal := {"id": "zed", "type": "user", "roles": ["developer"]}
	d := decide(fixtures.tool_call(principal, "everything", "get-roots-list"))
	d.reasons == ["clearance low of zed does not cover sensitivity medium of tool get-roots-list on server everything"]
}

test_default_clearance_of_an_unknown_level_is_none if {
	principal := {"id": "zed", "type": "user", "roles": ["developer"]}
	d := decide(fixtures.tool_call(principal, "everything", "echo")) with data.mcp_config.defaults.clearance as "unset"
	d.reasons == ["clearance none of zed does not cover sensitivity low of tool echo on server everything"]
}

test_server_sensitivity_raises_its_tools if {
	# list_tables is low, but the postgres server is medium
	principal := {"id": "zed", "type": "user", "roles": ["analyst"]}
	d := decide(fixtures.tool_call(principal, "postgres", "list_tables"))
	d.reasons == ["clearance low of zed does not cover sensitivity medium of tool list_tables on server postgres"]
}

test_request_sensitivity_can_raise_but_not_lower if {
	raised := object.union(
		fixtures.tool_call(fixtures.user("alice"), "everything", "echo"),
		{"resource": {"sensitivity": "high"}},
	)
	decide(raised).allow == false
	lowered := object.union(
		fixtures.tool_call(fixtures.user("alice"), "everything", "get-roots-list"),
		{"resource": {"sensitivity": "low"}},
	)
	d := decide(lowered)
	d.allow == true
	d.cache_ttl == 300
}

test_policy_data_without_a_sensitivity_denies if {
	d := decide(fixtures.tool_call(fixtures.user("alice"), "everything", "echo")) with data.mcp_config.defaults.sensitivity as "unset"
		with data.mcp_config.servers.everything.sensitivity as "unset"
		with data.mcp_config.servers.everything.tools.echo.sensitivity as "unset"
	d.allow == false
	"the policy data defines no sensitivity level for this request" in d.reasons
}

# --- cache_ttl by sensitivity, 0 on deny ---

test_cache_ttl_follows_the_sensitivity if {
	carol := fixtures.user("carol")
	decide(fixtures.tool_call(carol, "everything", "echo")).cache_ttl == 1800
	decide(fixtures.tool_call(carol, "everything", "get-roots-list")).cache_ttl == 300
	decide(fixtures.tool_call(carol, "everything", "trigger-sampling-request")).cache_ttl == 60
	critical := decide(fixtures.tool_call(carol, "everything", "get-env"))
	critical.allow == true
	critical.cache_ttl == 0
}

# --- other scopes: server actions, resources, prompts, gateway actions ---

test_server_actions_need_a_grant_on_the_server if {
	resource := {"server": "everything"}
	decide(fixtures.request(fixtures.user("alice"), "completion/complete", resource)).allow == true
	d := decide(fixtures.request(fixtures.user("bob"), "completion/complete", resource))
	d.reasons == ["no role or server ownership grants bob completion/complete on server everything"]
}

test_resource_reads_match_uri_globs if {
	resource := {"server": "everything", "uri": "demo://resource/static/document/architecture.md"}
	decide(fixtures.request(fixtures.user("alice"), "resources/read", resource)).allow == true
	d := decide(fixtures.request(fixtures.user("bob"), "resources/read", resource))
	d.reasons == ["no role or server ownership grants bob resources/read on uri demo://resource/static/document/architecture.md on server everything"]
}

test_resource_grants_can_be_narrowed_by_uri if {
	roles := {"reader": [{"actions": ["resources/read"], "servers": ["everything"], "resources": ["demo://resource/static/*"]}]}
	principal := {"id": "zed", "type": "user", "roles": ["reader"]}
	inside := fixtures.request(principal, "resources/read", {"server": "everything", "uri": "demo://resource/static/document/a.md"})
	outside := fixtures.request(principal, "resources/read", {"server": "everything", "uri": "demo://resource/dynamic/text/1"})
	decide(inside).allow == true with data.mcp_config.roles as roles
	decide(outside).allow == false with data.mcp_config.roles as roles
}

test_prompts_use_the_prompt_catalog_sensitivity if {
	resource := {"server": "everything", "prompt": "simple-prompt"}
	d := decide(fixtures.request(fixtures.agent("research-agent"), "prompts/get", resource))
	d.allow == true
	d.cache_ttl == 1800
}

test_gateway_actions_need_no_resource if {
	d := decide(fixtures.gateway_request(fixtures.user("erin"), "gateway:audit:view"))
	d.allow == true
	d.reasons == ["granted by role auditor"]
	d.cache_ttl == 60
}

test_gateway_actions_carry_their_own_sensitivity if {
	principal := {"id": "zed", "type": "user", "roles": ["auditor"]}
	d := decide(fixtures.gateway_request(principal, "gateway:audit:view"))
	d.reasons == ["clearance low of zed does not cover sensitivity high of the gateway"]
}

test_gateway_actions_are_denied_without_a_grant if {
	d := decide(fixtures.gateway_request(fixtures.user("alice"), "gateway:server:register"))
	d.allow == false
	"no role or server ownership grants alice gateway:server:register on the gateway" in d.reasons
}

test_developers_may_list_servers if {
	d := decide(fixtures.gateway_request(fixtures.user("alice"), "gateway:server:list"))
	d.allow == true
	d.cache_ttl == 1800
}

# --- list actions: allowed when at least one item is usable; the proxy filters per item ---

test_tools_list_is_allowed_with_one_usable_tool if {
	d := decide(fixtures.request(fixtures.user("bob"), "tools/list", {"server": "everything"}))
	d.allow == true
	d.obligations == {"filter_items_with": "tools/call"}
	d.cache_ttl == 1800
}

test_tools_list_is_denied_without_a_usable_tool if {
	d := decide(fixtures.request(fixtures.user("erin"), "tools/list", {"server": "everything"}))
	d.allow == false
	d.reasons == ["erin may use nothing that tools/list would show on server everything"]
	not d.obligations
}

test_tools_list_counts_only_tools_within_clearance if {
	roles := {"env-reader": [{"actions": ["tools/call"], "servers": ["everything"], "tools": ["get-env"]}]}
	principal := {"id": "zed", "type": "user", "roles": ["env-reader"]}
	request := fixtures.request(principal, "tools/list", {"server": "everything"})
	decide(request).allow == false with data.mcp_config.roles as roles
	cleared := object.union(request, {"principal": {"clearance": "critical"}})
	decide(cleared).allow == true with data.mcp_config.roles as roles
}

test_resources_list_needs_a_resource_grant if {
	resource := {"server": "everything"}
	allowed := decide(fixtures.request(fixtures.user("alice"), "resources/list", resource))
	allowed.allow == true
	allowed.obligations == {"filter_items_with": "resources/read"}
	decide(fixtures.request(fixtures.user("alice"), "resources/templates/list", resource)).allow == true
	decide(fixtures.request(fixtures.user("bob"), "resources/list", resource)).allow == false
}

test_prompts_list_needs_a_prompt_grant if {
	resource := {"server": "everything"}
	decide(fixtures.request(fixtures.agent("research-agent"), "prompts/list", resource)).allow == true
	decide(fixtures.request(fixtures.user("bob"), "prompts/list", resource)).allow == false
}

test_owners_may_list_their_server if {
	principal := {"id": "olga", "type": "user", "teams": ["data"], "clearance": "medium"}
	decide(fixtures.request(principal, "tools/list", {"server": "postgres"})).allow == true
}

# --- agents need enough trust for the sensitivity ---

test_registered_agent_with_enough_trust_is_allowed if {
	d := decide(fixtures.tool_call(fixtures.agent("research-agent"), "everything", "echo"))
	d.allow == true
	d.reasons == ["granted by role assistant-agent"]
}

test_request_can_lower_an_agents_trust if {
	principal := {"id": "research-agent", "type": "agent", "trust_level": "untrusted"}
	d := decide(fixtures.tool_call(principal, "everything", "echo"))
	d.allow == false
	d.reasons == ["agent research-agent has trust level untrusted, but low operations need basic"]
}

test_request_cannot_raise_an_agents_trust if {
	principal := {"id": "research-agent", "type": "agent", "trust_level": "trusted"}
	d := decide(fixtures.tool_call(principal, "everything", "get-roots-list")) with data.mcp_config.sensitivity_levels.medium.min_agent_trust as "trusted"
	d.allow == false
	d.reasons == ["agent research-agent has trust level verified, but medium operations need trusted"]
}

test_unregistered_agents_are_untrusted if {
	principal := {"id": "stray-agent", "type": "agent", "roles": ["assistant-agent"]}
	d := decide(fixtures.tool_call(principal, "everything", "echo"))
	d.reasons == ["agent stray-agent has trust level untrusted, but low operations need basic"]
}

test_unregistered_agents_may_state_their_trust if {
	principal := {"id": "stray-agent", "type": "agent", "roles": ["assistant-agent"], "trust_level": "basic"}
	decide(fixtures.tool_call(principal, "everything", "echo")).allow == true
}

test_a_level_without_min_agent_trust_demands_the_highest if {
	d := decide(fixtures.tool_call(fixtures.agent("research-agent"), "everything", "echo")) with data.mcp_config.sensitivity_levels.low as {"rank": 1, "cache_ttl": 1800}
	d.reasons == ["agent research-agent has trust level verified, but low operations need trusted"]
}

test_trust_rules_do_not_apply_to_users if {
	principal := {"id": "alice", "type": "user", "trust_level": "untrusted"}
	decide(fixtures.tool_call(principal, "everything", "echo")).allow == true
}

# --- server-to-client requests relayed by the proxy ---

test_developer_may_share_roots_with_a_server if {
	d := decide(fixtures.request(fixtures.user("alice"), "roots/list", {"server": "everything"}))
	d.allow == true
}

test_analyst_may_not_share_roots_without_a_grant if {
	d := decide(fixtures.request(fixtures.user("bob"), "roots/list", {"server": "everything"}))
	d.allow == false
	count(d.reasons) > 0
}
