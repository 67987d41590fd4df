# Agent trust levels, shared by the gateway policy and the agent-to-agent policy.
#
# data.mcp_config.trust_levels maps each level to a rank (higher = more trusted; 0 = untrusted).
# An agent's level may come from the request (what the gateway observed) and from the agent
# registry (data.mcp_config.agents); the lower of the two counts, so a request can lower an
# agent's trust but never raise it above what the registry grants.
package mcp.trust

import data.mcp_config

# effective_rank(agent_id, stated) is the rank the policies use. stated is the level named in the
# request, or null. Unknown levels are ignored here (input validation reports them); with no known
# level at all the agent is untrusted (rank 0).
effective_rank(agent_id, stated) := min(ranks) if {
	registered := object.get(mcp_config.agents, [agent_id, "trust_level"], null)
	ranks := {rank | some level in [stated, registered]; rank := mcp_config.trust_levels[level]}
	count(ranks) > 0
} else := 0

# level_name(rank) names a rank in messages.
level_name(rank) := min({level | some level, r in mcp_config.trust_levels; r == rank})

is_level(level) if {
	is_string(level)
	_ = mcp_config.trust_levels[level]
}
