# Which keys of a document hold secrets (passwords, tokens, API keys, ...).
#
# The key names live in data.mcp_config.secret_parameters, so a security team extends the list
# without touching Rego. The gateway uses this to build filtered_parameters and the decision log
# uses it to mask inputs (policies/system/log.rego).
package mcp.secrets

import data.mcp_config.secret_parameters

# is_secret_key(key) is true when key names a secret. Keys compare case-insensitively and "-"
# counts as "_", so "X-Api-Key" matches "x_api_key".
is_secret_key(key) if {
	name := normalized(key)
	secret_name(name)
}

secret_name(name) if name in secret_parameters.names

secret_name(name) if strings.any_suffix_match(name, secret_parameters.suffixes)

normalized(key) := replace(lower(key), "-", "_") if is_string(key)

# paths(doc) is the set of paths into doc (arrays of object keys and array indexes, as walk
# reports them) whose last key names a secret, at any depth.
paths(doc) := {path |
	walk(doc, [path, _])
	count(path) > 0
	is_secret_key(path[count(path) - 1])
}
