# Consistency of the example organisation (policies/data.json). These tests catch typos when a
# security team adds a role, a tool, a level or an agent: every name a rule relies on must exist.
package mcp_config_test

import data.mcp_config

levels := mcp_config.sensitivity_levels

trust_levels := mcp_config.trust_levels

test_cache_ttls_are_the_documented_ones if {
	levels.low.cache_ttl == 1800
	levels.medium.cache_ttl == 300
	levels.high.cache_ttl == 60
	levels.critical.cache_ttl == 0
}

test_every_sensitivity_level_is_complete if {
	every _, level in levels {
		is_number(level.rank)
		level.cache_ttl >= 0
		trust_levels[level.min_agent_trust] >= 0
	}
	count({level.rank | some level in levels}) == count(levels)
}

test_level_flags_and_lists_have_the_right_types if {
	every _, level in levels {
		is_boolean(object.get(level, "work_hours_only", false))
	}
	string_list(mcp_config.secret_parameters.names)
	string_list(mcp_config.secret_parameters.suffixes)
	string_list(mcp_config.allowed_networks)
	string_list(mcp_config.work_hours.days)
	string_list(mcp_config.read_only_sql.statements)
	string_list(mcp_config.read_only_sql.forbidden_words)
}

test_defaults_name_known_levels if {
	levels[mcp_config.defaults.clearance]
	levels[mcp_config.defaults.sensitivity]
}

test_every_catalog_entry_has_a_known_sensitivity if {
	every _, server in mcp_config.servers {
		is_string(server.description)
		levels[object.get(server, "sensitivity", mcp_config.defaults.sensitivity)]
		every kind in ["tools", "prompts"] {
			every _, entry in object.get(server, kind, {}) {
				is_string(entry.description)
				levels[entry.sensitivity]
			}
		}
	}
}

test_every_server_owner_is_a_team if {
	every _, server in mcp_config.servers {
		every team in server.owners {
			mcp_config.teams[team]
		}
	}
}

test_every_argument_rule_is_well_formed if {
	every _, server in mcp_config.servers {
		every _, tool in server.tools {
			every rule in object.get(tool, "argument_rules", []) {
				rule.kind in data.mcp.gateway.rule_kinds
				is_string(rule.argument)
				known_roles(object.get(rule, "roles", []))
				rule_settings_valid(rule)
			}
		}
	}
}

# A misspelt role list would silently switch a rule off, so every role must exist.
known_roles(roles) if {
	is_array(roles)
	every role in roles {
		mcp_config.roles[role]
	}
}

rule_settings_valid(rule) if {
	rule.kind == "path_prefix"
	string_list(rule.prefixes)
}

rule_settings_valid(rule) if rule.kind == "read_only_sql"

rule_settings_valid(rule) if {
	rule.kind == "allowed_hosts"
	string_list(rule.hosts)
	string_list(object.get(rule, "schemes", ["https"]))
}

string_list(values) if {
	is_array(values)
	count(values) > 0
	every value in values {
		is_string(value)
	}
}

test_every_action_has_a_known_scope if {
	every _, action in mcp_config.actions {
		action.scope in {"item", "list", "server", "gateway"}
	}
}

test_list_actions_name_item_actions if {
	every _, action in mcp_config.actions {
		list_action_well_formed(action)
	}
}

list_action_well_formed(action) if action.scope != "list"

list_action_well_formed(action) if {
	mcp_config.actions[action.item_action].scope == "item"
}

test_every_role_grant_is_a_list_of_patterns if {
	every _, grants in mcp_config.roles {
		is_array(grants)
		every grant in grants {
			string_list(grant.actions)
			every field in ["servers", "tools", "resources", "prompts"] {
				string_list(object.get(grant, field, ["*"]))
			}
		}
	}
}

test_every_principal_has_known_roles_teams_and_clearance if {
	every _, principal in mcp_config.principals {
		every role in object.get(principal, "roles", []) {
			mcp_config.roles[role]
		}
		every team in object.get(principal, "teams", []) {
			mcp_config.teams[team]
		}
		levels[object.get(principal, "clearance", mcp_config.defaults.clearance)]
	}
}

test_every_agent_is_well_formed if {
	every _, agent in mcp_config.agents {
		trust_levels[agent.trust_level] >= 0
		trust_levels[object.get(agent, "required_trust", mcp_config.a2a.default_required_trust)] >= 0
		is_string(agent.environment)
		every capability in agent.capabilities {
			mcp_config.a2a.capabilities[capability]
		}
	}
}

test_a2a_settings_name_known_levels if {
	trust_levels[mcp_config.a2a.default_required_trust] >= 0
	trust_levels[mcp_config.a2a.cross_environment_min_trust] >= 0
	trust_levels[mcp_config.a2a.delegate_min_trust] >= 0
	mcp_config.a2a.max_delegation_depth == 3
}

# The demo (npm start) shows both outcomes on the reference server for alice.
alice_may_call(tool) if {
	request := {
		"principal": {"id": "alice", "type": "user"},
		"action": "tools/call",
		"resource": {"server": "everything", "tool": tool},
		"context": {"ip": "127.0.0.1", "time": "2026-11-18T10:00:00Z"},
	}
	data.mcp.gateway.decision.allow with input as request
}

test_the_demo_server_allows_and_denies_tools_for_alice if {
	allowed := {tool | some tool, _ in mcp_config.servers.everything.tools; alice_may_call(tool)}
	"echo" in allowed
	"get-sum" in allowed
	not "get-env" in allowed
	not "trigger-sampling-request" in allowed
}
