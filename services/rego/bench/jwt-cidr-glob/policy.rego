# Bench for the built-in library: an RS256 agent token, the caller's network and the tool name.
package jwt_bench

default allow := false

claims := payload if {
	[valid, _, payload] := io.jwt.decode_verify(input.token, {
		"cert": data.jwt_bench.issuer_key,
		"iss": "https://idp.example.test",
		"aud": "mcp-gateway",
	})
	valid
}

from_trusted_network if {
	some cidr in data.jwt_bench.trusted_networks
	net.cidr_contains(cidr, input.source_ip)
}

tool_allowed if {
	some pattern in data.jwt_bench.allowed_tools
	glob.match(pattern, ["."], input.tool)
}

allow if {
	claims.sub
	from_trusted_network
	tool_allowed
}
