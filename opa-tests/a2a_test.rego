# Agent-to-agent policy against the agent registry in policies/data.json:
#   research-agent verified, prod, query+execute     planner-agent trusted, prod, requires verified
#   billing-agent  trusted, prod, requires trusted   scraper-agent untrusted, dev, query
#   test-agent     basic, dev, query+execute
package mcp.a2a_test

import data.mcp.a2a

decide(request) := d if {
	d := a2a.decision with input as request
}

call(source, target, capability) := {
	"source_agent": {"id": source, "type": "agent"},
	"target_agent": {"id": target},
	"capability": capability,
	"message_type": "task",
	"context": {"delegation_depth": 0},
}

with_depth(request, depth) := object.union(request, {"context": {"delegation_depth": depth}})

denied_with(d, reason) if {
	d.allow == false
	d.cache_ttl == 0
	reason in d.reasons
}

# --- allowed calls and their TTLs ---

test_a_granted_capability_within_trust_is_allowed if {
	d := decide(call("research-agent", "planner-agent", "query"))
	d.allow == true
	d.reasons == ["agent research-agent may query agent planner-agent"]
	d.cache_ttl == 300
	object.keys(d) == {"allow", "reasons", "cache_ttl"}
}

test_the_ttl_follows_the_capability if {
	decide(call("research-agent", "planner-agent", "execute")).cache_ttl == 60
	decide(call("planner-agent", "research-agent", "delegate")).cache_ttl == 0
}

test_environments_come_from_the_request_before_the_registry if {
	request := object.union(call("research-agent", "planner-agent", "query"), {"target_agent": {"environment": "dev"}})
	decide(request).allow == true
	untrusted := object.union(call("test-agent", "planner-agent", "query"), {"source_agent": {"environment": "prod"}})
	denied_with(decide(untrusted), "agent test-agent has trust level basic, below the verified that agent planner-agent requires")
}

# --- the capability must be granted to the source agent ---

test_an_ungranted_capability_is_denied if {
	d := decide(call("scraper-agent", "test-agent", "execute"))
	d.reasons == ["agent scraper-agent has trust level untrusted, below the basic that agent test-agent requires", "capability execute is not granted to agent scraper-agent"]
}

test_the_request_can_narrow_the_capabilities if {
	request := object.union(call("research-agent", "planner-agent", "query"), {"source_agent": {"capabilities": ["execute"]}})
	d := decide(request)
	d.reasons == ["capability query is not granted to agent research-agent"]
}

test_the_request_cannot_add_capabilities if {
	request := object.union(call("research-agent", "planner-agent", "delegate"), {"source_agent": {"capabilities": ["delegate"]}})
	denied_with(decide(request), "capability delegate is not granted to agent research-agent")
}

test_unregistered_agents_are_denied if {
	request := object.union(call("ghost-agent", "research-agent", "query"), {"source_agent": {"environment": "prod", "trust_level": "trusted", "capabilities": ["query"]}})
	d := decide(request)
	d.reasons == ["capability query is not granted to agent ghost-agent", "source agent ghost-agent is not registered"]
}

# --- trust must meet the target's required_trust ---

test_trust_below_the_targets_requirement_is_denied if {
	d := decide(call("research-agent", "billing-agent", "query"))
	d.reasons == ["agent research-agent has trust level verified, below the trusted that agent billing-agent requires"]
}

test_the_request_can_raise_but_not_lower_the_requirement if {
	raised := object.union(call("research-agent", "planner-agent", "query"), {"target_agent": {"required_trust": "trusted"}})
	denied_with(decide(raised), "agent research-agent has trust level verified, below the trusted that agent planner-agent requires")
	lowered := object.union(call("research-agent", "billing-agent", "query"), {"target_agent": {"required_trust": "basic"}})
	decide(lowered).allow == false
}

test_unregistered_targets_require_the_default_trust if {
	request := object.union(call("test-agent", "helper-agent", "query"), {"target_agent": {"environment": "dev"}})
	decide(request).allow == true
	untrusted := object.union(call("scraper-agent", "helper-agent", "query"), {"target_agent": {"environment": "dev"}})
	decide(untrusted).reasons == ["agent scraper-agent has trust level untrusted, below the basic that agent helper-agent requires"]
}

test_the_request_can_lower_the_source_trust if {
	request := object.union(call("planner-agent", "billing-agent", "query"), {"source_agent": {"trust_level": "verified"}})
	denied_with(decide(request), "agent planner-agent has trust level verified, below the trusted that agent billing-agent requires")
}

# --- untrusted agents never cross environments ---

test_untrusted_agents_never_cross_environments if {
	request := object.union(call("scraper-agent", "outside-agent", "query"), {"target_agent": {"environment": "prod"}})
	d := decide(request) with data.mcp_config.a2a.default_required_trust as "untrusted"
	d.reasons == ["agent scraper-agent (trust level untrusted) may not call from environment dev into prod; crossing environments needs verified"]
	same := object.union(call("scraper-agent", "outside-agent", "query"), {"target_agent": {"environment": "dev"}})
	decide(same).allow == true with data.mcp_config.a2a.default_required_trust as "untrusted"
}

test_basic_agents_do_not_cross_environments_either if {
	d := decide(call("test-agent", "research-agent", "query"))
	d.reasons == ["agent test-agent (trust level basic) may not call from environment dev into prod; crossing environments needs verified"]
}

test_verified_agents_may_cross_environments if {
	decide(call("research-agent", "test-agent", "execute")).allow == true
}

# --- delegation ---

test_trusted_agents_may_delegate_up_to_the_maximum_depth if {
	decide(with_depth(call("planner-agent", "research-agent", "delegate"), 3)).allow == true
	d := decide(with_depth(call("planner-agent", "research-agent", "delegate"), 4))
	d.reasons == ["delegation depth 4 exceeds the maximum of 3"]
}

test_the_depth_limit_applies_to_every_capability if {
	d := decide(with_depth(call("research-agent", "planner-agent", "query"), 10))
	d.reasons == ["delegation depth 10 exceeds the maximum of 3"]
}

test_a_missing_depth_counts_as_zero if {
	request := json.remove(call("research-agent", "planner-agent", "query"), ["context/delegation_depth"])
	decide(request).allow == true
	decide(object.remove(request, ["context"])).allow == true
}

test_a_malformed_depth_denies if {
	reason := "context.delegation_depth must be a non-negative integer"
	denied_with(decide(with_depth(call("research-agent", "planner-agent", "query"), -1)), reason)
	denied_with(decide(with_depth(call("research-agent", "planner-agent", "query"), 1.5)), reason)
	denied_with(decide(with_depth(call("research-agent", "planner-agent", "query"), "2")), reason)
}

test_only_trusted_agents_may_delegate if {
	request := call("research-agent", "planner-agent", "delegate")
	d := decide(request) with data.mcp_config.agents["research-agent"].capabilities as ["delegate"]
	d.reasons == ["only agents with trust level trusted may delegate; agent research-agent has verified"]
}

# --- malformed input denies with a reason, never an error ---

test_no_input_denies if {
	d := a2a.decision
	denied_with(d, "input must be a JSON object")
	denied_with(d, "source_agent must be an object")
	denied_with(d, "target_agent must be an object")
	denied_with(d, "capability must be one of: delegate, execute, query")
}

test_malformed_agents_deny if {
	denied_with(decide(object.union(call("research-agent", "planner-agent", "query"), {"source_agent": "research-agent"})), "source_agent must be an object")
	denied_with(decide(object.union(call("research-agent", "planner-agent", "query"), {"source_agent": {"id": ""}})), "source_agent.id must be a non-empty string")
	denied_with(decide(object.union(call("research-agent", "planner-agent", "query"), {"target_agent": {"id": 5}})), "target_agent.id must be a non-empty string")
}

test_an_unknown_environment_denies if {
	request := object.union(call("research-agent", "helper-agent", "query"), {"target_agent": {"environment": ""}})
	denied_with(decide(request), "target_agent.environment must be a non-empty string (or registered)")
}

test_malformed_trust_levels_deny if {
	denied_with(decide(object.union(call("research-agent", "planner-agent", "query"), {"source_agent": {"trust_level": "high"}})), "source_agent.trust_level high is not a known trust level")
	denied_with(decide(object.union(call("research-agent", "planner-agent", "query"), {"target_agent": {"required_trust": 2}})), "target_agent.required_trust 2 is not a known trust level")
}

test_malformed_capabilities_deny if {
	denied_with(decide(object.union(call("research-agent", "planner-agent", "query"), {"source_agent": {"capabilities": "query"}})), "source_agent.capabilities must be an array of strings")
	denied_with(decide(call("research-agent", "planner-agent", "destroy")), "capability must be one of: delegate, execute, query")
	denied_with(decide(json.remove(call("research-agent", "planner-agent", "query"), ["capability"])), "capability must be one of: delegate, execute, query")
}

test_malformed_message_type_and_context_deny if {
	denied_with(decide(object.union(call("research-agent", "planner-agent", "query"), {"message_type": 5})), "message_type must be a string")
	denied_with(decide(object.union(call("research-agent", "planner-agent", "query"), {"context": "deep"})), "context must be an object")
}
