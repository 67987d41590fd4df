# Decision-log masking, as OPA applies it: before a decision is logged, OPA evaluates
# data.system.log.mask with the log event as input ({"input": ..., "result": ..., ...}) and
# applies each returned operation to the event.
#
# Every value whose key names a secret (data.mcp_config.secret_parameters, the same list that
# filters parameters in the gateway decision) is replaced by "[REDACTED]", at any depth under
# /input and /result. Masks address objects only: a secret inside an array masks that whole array.
package system.log

import data.mcp.secrets

redacted := "[REDACTED]"

mask contains {"op": "upsert", "path": pointer, "value": redacted} if {
	some section in ["input", "result"]
	document := input[section]
	some path in secrets.paths(document)
	not has_secret_ancestor(path)
	pointer := json_pointer(array.concat([section], object_prefix(path)))
}

# A secret nested in a secret is masked with its ancestor.
has_secret_ancestor(path) if {
	some i, key in path
	i < count(path) - 1
	secrets.is_secret_key(key)
}

# The leading part of path that runs through objects only (all of it when there is no array index).
object_prefix(path) := path if {
	every key in path {
		is_string(key)
	}
}

object_prefix(path) := array.slice(path, 0, first_index) if {
	first_index := min({i | some i, key in path; not is_string(key)})
}

# RFC 6901: "~" is written "~0" and "/" is written "~1" inside a segment.
json_pointer(segments) := concat("", [sprintf("/%s", [escaped]) |
	some segment in segments
	escaped := replace(replace(segment, "~", "~0"), "/", "~1")
])
