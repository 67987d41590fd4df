# Argument-level rules for tool calls, and the secret-free copy of the arguments.
#
# A catalogued tool may carry "argument_rules" (data.mcp_config.servers.<server>.tools.<tool>).
# Each rule names its kind, the argument it checks and, optionally, the roles it applies to
# (without "roles" it applies to everyone):
#   path_prefix    the argument is a path under one of "prefixes", without ".." segments
#   read_only_sql  the argument is one read-only SQL statement
#   allowed_hosts  the argument is a URL with one of "schemes" (default https) whose host
#                  matches one of the "hosts" globs ("*" stays within one DNS label)
package mcp.gateway

import data.mcp.secrets
import data.mcp_config

rule_kinds := {"path_prefix", "read_only_sql", "allowed_hosts"}

arguments := input.parameters if {
	is_object(input.parameters)
} else := {}

active_argument_rules contains rule if {
	some rule in catalog_entry.argument_rules
	applies_to_principal(rule)
}

applies_to_principal(rule) if not has_key(rule, "roles")

applies_to_principal(rule) if {
	some role in rule.roles
	role in principal_roles
}

# The argument a rule checks, when it is a string.
string_argument(rule) := value if {
	value := arguments[rule.argument]
	is_string(value)
}

deny_reasons contains sprintf("argument %v of %s is required", [rule.argument, target_label]) if {
	some rule in active_argument_rules
	not has_key(arguments, rule.argument)
}

deny_reasons contains sprintf("argument %v of %s must be a string", [rule.argument, target_label]) if {
	some rule in active_argument_rules
	has_key(arguments, rule.argument)
	not string_argument(rule)
}

deny_reasons contains sprintf("argument rule kind %v of %s is unknown", [rule.kind, target_label]) if {
	some rule in active_argument_rules
	not rule.kind in rule_kinds
}

# --- path_prefix ---

deny_reasons contains sprintf("argument %v of %s must not contain '..'", [rule.argument, target_label]) if {
	some rule in active_argument_rules
	rule.kind == "path_prefix"
	".." in split(replace(string_argument(rule), "\\", "/"), "/")
}

deny_reasons contains sprintf("argument %v of %s must start with one of: %s", [rule.argument, target_label, list_label(rule.prefixes)]) if {
	some rule in active_argument_rules
	rule.kind == "path_prefix"
	value := string_argument(rule)
	not starts_with_any(value, rule.prefixes)
}

starts_with_any(value, prefixes) if {
	some prefix in prefixes
	startswith(value, prefix)
}

# --- read_only_sql ---

sql := mcp_config.read_only_sql

# Characters that separate SQL words here: white space, punctuation and comment markers, so that
# "(DELETE" or "/**/DELETE" still yields the word "delete".
sql_separators := {"\n": " ", "\r": " ", "\t": " ", "\f": " ", "(": " ", ")": " ", ",": " ", ";": " ", "/": " ", "*": " ", "-": " "}

sql_words(statement) := [word |
	some word in split(strings.replace_n(sql_separators, lower(statement)), " ")
	word != ""
]

deny_reasons contains sprintf("argument %v of %s must be a single SQL statement", [rule.argument, target_label]) if {
	some rule in active_argument_rules
	rule.kind == "read_only_sql"
	contains(trim_right(trim_space(string_argument(rule)), "; \n\t\r"), ";")
}

deny_reasons contains sprintf("argument %v of %s must be a read-only statement starting with one of: %s", [rule.argument, target_label, list_label(sql.statements)]) if {
	some rule in active_argument_rules
	rule.kind == "read_only_sql"
	words := sql_words(string_argument(rule))
	not words[0] in sql.statements
}

deny_reasons contains sprintf("argument %v of %s contains the write keyword %s", [rule.argument, target_label, upper(word)]) if {
	some rule in active_argument_rules
	rule.kind == "read_only_sql"
	some word in sql_words(string_argument(rule))
	word in sql.forbidden_words
}

# --- allowed_hosts ---

# The scheme and authority ("user@host:port") of an absolute URL.
url_parts(url) := {"scheme": lower(parts[0]), "authority": authority} if {
	parts := split(url, "://")
	count(parts) > 1
	rest := substring(url, count(parts[0]) + 3, -1)
	authority := split(split(split(rest, "/")[0], "?")[0], "#")[0]
}

url_host(authority) := lower(split(authority, ":")[0])

deny_reasons contains sprintf("argument %v of %s must be an absolute URL", [rule.argument, target_label]) if {
	some rule in active_argument_rules
	rule.kind == "allowed_hosts"
	value := string_argument(rule)
	not url_parts(value)
}

deny_reasons contains sprintf("argument %v of %s must use one of the schemes: %s", [rule.argument, target_label, list_label(schemes)]) if {
	some rule in active_argument_rules
	rule.kind == "allowed_hosts"
	schemes := object.get(rule, "schemes", ["https"])
	parts := url_parts(string_argument(rule))
	not parts.scheme in schemes
}

# "https://allowed.example@evil.example/" names the host evil.example; refuse such URLs outright.
deny_reasons contains sprintf("argument %v of %s must not carry credentials or backslashes in its host part", [rule.argument, target_label]) if {
	some rule in active_argument_rules
	rule.kind == "allowed_hosts"
	parts := url_parts(string_argument(rule))
	some marker in ["@", "\\"]
	contains(parts.authority, marker)
}

deny_reasons contains sprintf("host %s in argument %v of %s is not allowed (allowed: %s)", [host, rule.argument, target_label, list_label(rule.hosts)]) if {
	some rule in active_argument_rules
	rule.kind == "allowed_hosts"
	parts := url_parts(string_argument(rule))
	host := url_host(parts.authority)
	not host_allowed(host, rule.hosts)
}

host_allowed(host, patterns) if {
	some pattern in patterns
	glob.match(pattern, ["."], host)
}

# --- filtered_parameters: the arguments without secrets, at any depth ---

filtered_parameters := input.parameters if {
	is_object(input.parameters)
	count(secret_parameter_paths) == 0
} else := json.remove(input.parameters, secret_parameter_paths) if {
	is_object(input.parameters)
} else := {}

# json.remove addresses array elements by their index as a string.
secret_parameter_paths := [[path_key(key) | some key in path] | some path in secrets.paths(input.parameters)]

path_key(key) := key if is_string(key)

path_key(key) := format_int(key, 10) if is_number(key)
