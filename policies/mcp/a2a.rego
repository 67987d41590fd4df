# Agent-to-agent authorization: may the source agent use this capability (query, execute,
# delegate) on the target agent? Entrypoint: data.mcp.a2a.decision.
#
# As in the gateway policy, every unmet condition adds a reason to deny_reasons and the request is
# allowed exactly when there is none. Agents are registered in data.mcp_config.agents; the rules'
# settings are in data.mcp_config.a2a.
package mcp.a2a

import data.mcp.trust
import data.mcp_config

settings := mcp_config.a2a

# --- the decision document ---

decision := {"allow": allow, "reasons": reasons, "cache_ttl": cache_ttl}

allow := count(deny_reasons) == 0

reasons := sort(deny_reasons) if {
	not allow
} else := [sprintf("agent %s may %s agent %s", [source_id, input.capability, target_id])]

default cache_ttl := 0

cache_ttl := settings.capabilities[input.capability].cache_ttl if allow

# --- input shape ---

sides := ["source_agent", "target_agent"]

deny_reasons contains "input must be a JSON object" if not is_object(input)

deny_reasons contains sprintf("%s must be an object", [side]) if {
	some side in sides
	not is_object(input[side])
}

deny_reasons contains sprintf("%s.id must be a non-empty string", [side]) if {
	some side in sides
	is_object(input[side])
	not non_empty_string(input[side].id)
}

deny_reasons contains sprintf("%s.environment must be a non-empty string (or registered)", [side]) if {
	some side in sides
	is_object(input[side])
	not non_empty_string(environment_of(input[side]))
}

deny_reasons contains sprintf("source_agent.trust_level %v is not a known trust level", [level]) if {
	level := input.source_agent.trust_level
	not trust.is_level(level)
}

deny_reasons contains sprintf("target_agent.required_trust %v is not a known trust level", [level]) if {
	level := input.target_agent.required_trust
	not trust.is_level(level)
}

deny_reasons contains "source_agent.capabilities must be an array of strings" if {
	value := input.source_agent.capabilities
	not string_array(value)
}

deny_reasons contains sprintf("capability must be one of: %s", [concat(", ", sort(object.keys(settings.capabilities)))]) if {
	not has_key(settings.capabilities, input.capability)
}

deny_reasons contains "message_type must be a string" if {
	value := input.message_type
	not is_string(value)
}

deny_reasons contains "context must be an object" if {
	has_key(input, "context")
	not is_object(input.context)
}

deny_reasons contains "context.delegation_depth must be a non-negative integer" if not valid_depth

# --- the agents ---

source_id := input.source_agent.id

target_id := input.target_agent.id

# An agent's environment: the request's, else the registry's.
environment_of(agent) := agent.environment if {
	non_empty_string(agent.environment)
} else := mcp_config.agents[agent.id].environment

source_environment := environment_of(input.source_agent)

target_environment := environment_of(input.target_agent)

source_rank := trust.effective_rank(source_id, stated_source_trust)

stated_source_trust := input.source_agent.trust_level if {
	trust.is_level(input.source_agent.trust_level)
} else := null

# The target's requirement: the stricter of the request's and the registry's, else the default.
required_levels contains input.target_agent.required_trust

required_levels contains mcp_config.agents[target_id].required_trust

required_rank := max(ranks) if {
	ranks := {mcp_config.trust_levels[level] | some level in required_levels}
	count(ranks) > 0
} else := mcp_config.trust_levels[settings.default_required_trust]

source_trust_label := trust.level_name(source_rank)

# --- the capability must be granted to the source agent ---

# Granted by the registry and, when the request lists the agent's capabilities, also listed there.
capability_granted if {
	input.capability in mcp_config.agents[source_id].capabilities
	capability_stated
}

capability_stated if not has_key(input.source_agent, "capabilities")

capability_stated if input.capability in input.source_agent.capabilities

deny_reasons contains sprintf("source agent %s is not registered", [source_id]) if {
	non_empty_string(source_id)
	not has_key(mcp_config.agents, source_id)
}

deny_reasons contains sprintf("capability %s is not granted to agent %s", [input.capability, source_id]) if {
	non_empty_string(source_id)
	has_key(settings.capabilities, input.capability)
	not capability_granted
}

# --- trust must meet the target's requirement ---

deny_reasons contains sprintf("agent %s has trust level %s, below the %s that agent %s requires", [source_id, source_trust_label, trust.level_name(required_rank), target_id]) if {
	non_empty_string(source_id)
	non_empty_string(target_id)
	not source_rank >= required_rank
}

# --- agents below cross_environment_min_trust never cross environments ---

deny_reasons contains sprintf("agent %s (trust level %s) may not call from environment %s into %s; crossing environments needs %s", [source_id, source_trust_label, source_environment, target_environment, settings.cross_environment_min_trust]) if {
	non_empty_string(source_environment)
	non_empty_string(target_environment)
	source_environment != target_environment
	not source_rank >= mcp_config.trust_levels[settings.cross_environment_min_trust]
}

# --- delegation ---

delegation_depth := input.context.delegation_depth if {
	has_key(input.context, "delegation_depth")
} else := 0

valid_depth if {
	is_number(delegation_depth)
	delegation_depth >= 0
	delegation_depth == floor(delegation_depth)
}

deny_reasons contains sprintf("delegation depth %v exceeds the maximum of %v", [delegation_depth, settings.max_delegation_depth]) if {
	valid_depth
	not delegation_depth <= settings.max_delegation_depth
}

deny_reasons contains sprintf("only agents with trust level %s may delegate; agent %s has %s", [settings.delegate_min_trust, source_id, source_trust_label]) if {
	input.capability == "delegate"
	non_empty_string(source_id)
	not source_rank >= mcp_config.trust_levels[settings.delegate_min_trust]
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
