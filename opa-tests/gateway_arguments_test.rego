# Gateway policy: argument rules and the secret-free filtered_parameters.
package mcp.gateway_arguments_test

import data.mcp.fixtures
import data.mcp.gateway

decide(request) := d if {
	d := gateway.decision with input as request
}

write_file(path) := fixtures.tool_call_with(fixtures.user("alice"), "filesystem", "write_file", {"path": path, "content": "x"})

query(principal, sql) := fixtures.tool_call_with(fixtures.user(principal), "postgres", "query", {"sql": sql})

fetch(url) := fixtures.tool_call_with(fixtures.user("alice"), "fetch", "fetch", {"url": url})

# --- path_prefix: the filesystem server's write tools only under allowed prefixes ---

test_writes_under_an_allowed_prefix_are_allowed if {
	d := decide(write_file("/workspace/notes/today.md"))
	d.allow == true
	d.cache_ttl == 300
	decide(write_file("/tmp/mcp/scratch.txt")).allow == true
}

test_writes_elsewhere_are_denied if {
	d := decide(write_file("/etc/passwd"))
	d.allow == false
	d.reasons == ["argument path of tool write_file on server filesystem must start with one of: /workspace/, /tmp/mcp/"]
	decide(write_file("/workspace")).allow == false
}

test_path_traversal_is_denied if {
	d := decide(write_file("/workspace/../etc/passwd"))
	d.reasons == ["argument path of tool write_file on server filesystem must not contain '..'"]
	decide(write_file("/workspace/a\\..\\..\\etc")).allow == false
	decide(write_file("/workspace/notes..md")).allow == true
}

test_a_missing_or_non_string_argument_is_denied if {
	missing := fixtures.tool_call_with(fixtures.user("alice"), "filesystem", "write_file", {"content": "x"})
	decide(missing).reasons == ["argument path of tool write_file on server filesystem is required"]
	no_parameters := fixtures.tool_call(fixtures.user("alice"), "filesystem", "write_file")
	decide(no_parameters).reasons == ["argument path of tool write_file on server filesystem is required"]
	decide(write_file(["/workspace/a"])).reasons == ["argument path of tool write_file on server filesystem must be a string"]
}

test_tools_without_rules_take_any_arguments if {
	read := fixtures.tool_call_with(fixtures.user("alice"), "filesystem", "read_file", {"path": "/etc/hosts"})
	decide(read).allow == true
}

# --- read_only_sql: the database tool is read-only for analysts ---

test_analysts_may_read if {
	decide(query("bob", "SELECT id, total FROM orders WHERE total > 10")).allow == true
	decide(query("bob", "  with recent as (select * from orders) select count(*) from recent;")).allow == true
	decide(query("bob", "EXPLAIN SELECT 1")).allow == true
}

test_analysts_may_not_write if {
	d := decide(query("bob", "DELETE FROM orders"))
	d.allow == false
	d.reasons == [
		"argument sql of tool query on server postgres contains the write keyword DELETE",
		"argument sql of tool query on server postgres must be a read-only statement starting with one of: select, with, explain, show",
	]
}

test_analysts_may_not_hide_writes_in_a_read if {
	d := decide(query("bob", "WITH gone AS (DELETE FROM orders RETURNING *) SELECT * FROM gone"))
	d.reasons == ["argument sql of tool query on server postgres contains the write keyword DELETE"]
	decide(query("bob", "select/**/1 from t where x in (select 1);update t set a=1")).allow == false
	decide(query("bob", "SELECT * INTO backup FROM orders")).allow == false
}

test_analysts_may_run_one_statement_only if {
	d := decide(query("bob", "SELECT 1; SELECT 2"))
	d.reasons == ["argument sql of tool query on server postgres must be a single SQL statement"]
}

test_an_empty_statement_is_denied if {
	d := decide(query("bob", "  "))
	d.reasons == ["argument sql of tool query on server postgres must be a read-only statement starting with one of: select, with, explain, show"]
}

test_the_sql_rule_applies_only_to_its_roles if {
	decide(query("carol", "DELETE FROM orders WHERE id = 1")).allow == true
}

# --- allowed_hosts: URLs only to allowed hosts ---

test_urls_to_allowed_hosts_are_allowed if {
	decide(fetch("https://docs.example.com/guide?page=2")).allow == true
	decide(fetch("https://en.wikipedia.org/wiki/Open_Policy_Agent")).allow == true
	decide(fetch("HTTPS://DOCS.EXAMPLE.COM:443/guide")).allow == true
}

test_urls_to_other_hosts_are_denied if {
	d := decide(fetch("https://evil.example.net/steal"))
	d.reasons == ["host evil.example.net in argument url of tool fetch on server fetch is not allowed (allowed: docs.example.com, *.wikipedia.org, api.github.com)"]
	decide(fetch("https://de.m.wikipedia.org/")).allow == false
	decide(fetch("https://wikipedia.org.evil.net/")).allow == false
	decide(fetch("https:///docs.example.com")).allow == false
}

test_urls_with_other_schemes_are_denied if {
	d := decide(fetch("http://docs.example.com/"))
	d.reasons == ["argument url of tool fetch on server fetch must use one of the schemes: https"]
	decide(fetch("file:///etc/passwd")).allow == false
}

test_urls_with_credentials_are_denied if {
	d := decide(fetch("https://docs.example.com@evil.net/"))
	d.reasons == [
		"argument url of tool fetch on server fetch must not carry credentials or backslashes in its host part",
		"host docs.example.com@evil.net in argument url of tool fetch on server fetch is not allowed (allowed: docs.example.com, *.wikipedia.org, api.github.com)",
	]
	decide(fetch("https://docs.example.com\\@evil.net/")).allow == false
}

test_relative_urls_are_denied if {
	d := decide(fetch("docs.example.com/guide"))
	d.reasons == ["argument url of tool fetch on server fetch must be an absolute URL"]
}

test_the_demo_server_fetch_tool_has_a_host_rule if {
	allowed := fixtures.tool_call_with(fixtures.user("alice"), "everything", "gzip-file-as-resource", {"name": "r.gz", "data": "https://raw.githubusercontent.com/x/y/README.md"})
	decide(allowed).allow == true
	denied := fixtures.tool_call_with(fixtures.user("alice"), "everything", "gzip-file-as-resource", {"name": "r.gz", "data": "https://attacker.example.org/payload"})
	decide(denied).allow == false
}

test_an_unknown_rule_kind_denies if {
	d := decide(fetch("https://docs.example.com/")) with data.mcp_config.servers.fetch.tools.fetch.argument_rules as [{"kind": "regex", "argument": "url"}]
	d.reasons == ["argument rule kind regex of tool fetch on server fetch is unknown"]
}

# --- filtered_parameters: secrets removed at any depth ---

test_secrets_are_filtered_from_the_parameters if {
	parameters := {
		"message": "hi",
		"password": "hunter2",
		"API-Key": "k-123",
		"db_password": "p",
		"max_tokens": 5,
		"nested": {"Authorization": "Bearer x", "keep": 1},
		"headers": [{"token": "t", "name": "accept"}, "plain"],
	}
	d := decide(fixtures.tool_call_with(fixtures.user("alice"), "everything", "echo", parameters))
	d.allow == true
	d.filtered_parameters == {
		"message": "hi",
		"max_tokens": 5,
		"nested": {"keep": 1},
		"headers": [{"name": "accept"}, "plain"],
	}
}

test_parameters_are_filtered_in_denials_too if {
	d := decide(fixtures.tool_call_with(fixtures.user("bob"), "everything", "get-tiny-image", {"secret": "s", "size": 1}))
	d.allow == false
	d.filtered_parameters == {"size": 1}
}

test_empty_parameters_give_empty_filtered_parameters if {
	d := decide(fixtures.tool_call_with(fixtures.user("alice"), "everything", "echo", {}))
	d.filtered_parameters == {}
	object.keys(d) == {"allow", "reasons", "cache_ttl", "filtered_parameters"}
}

test_the_secret_key_list_is_data if {
	parameters := {"pin": "1234", "password": "p"}
	d := decide(fixtures.tool_call_with(fixtures.user("alice"), "everything", "echo", parameters)) with data.mcp_config.secret_parameters as {"names": ["pin"], "suffixes": []}
	d.filtered_parameters == {"password": "p"}
}
