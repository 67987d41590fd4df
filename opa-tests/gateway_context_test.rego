# Gateway policy: work hours in the principal's time zone and allowed networks.
package mcp.gateway_context_test

import data.mcp.fixtures
import data.mcp.gateway

decide(request) := d if {
	d := gateway.decision with input as request
}

# carol (admin, clearance critical, directory time zone Europe/London) calling a critical tool.
critical_call_at(time) := object.union(
	fixtures.tool_call(fixtures.user("carol"), "everything", "get-env"),
	{"context": {"time": time}},
)

with_context(request, context) := object.union(request, {"context": context})

# --- critical tools only inside work hours, in the principal's time zone ---

test_critical_tool_inside_work_hours_is_allowed if {
	d := decide(critical_call_at(fixtures.wednesday_10_utc))
	d.allow == true
	d.cache_ttl == 0
}

test_critical_tool_on_a_weekend_is_denied if {
	d := decide(critical_call_at(fixtures.saturday_10_utc))
	d.allow == false
	d.reasons == ["critical operations are allowed only Monday, Tuesday, Wednesday, Thursday, Friday, 08:00 to 18:00 (Europe/London); it is Saturday 10:00 there"]
}

test_critical_tool_after_hours_is_denied if {
	d := decide(critical_call_at("2026-11-18T18:00:00Z"))
	d.reasons == ["critical operations are allowed only Monday, Tuesday, Wednesday, Thursday, Friday, 08:00 to 18:00 (Europe/London); it is Wednesday 18:00 there"]
}

test_the_time_zone_of_the_request_comes_first if {
	# 07:30 UTC is before work in London but 08:30 in Berlin
	early := critical_call_at("2026-11-18T07:30:00Z")
	decide(early).allow == false
	decide(with_context(early, {"timezone": "Europe/Berlin"})).allow == true
	d := decide(with_context(critical_call_at(fixtures.wednesday_10_utc), {"timezone": "America/Los_Angeles"}))
	d.reasons == ["critical operations are allowed only Monday, Tuesday, Wednesday, Thursday, Friday, 08:00 to 18:00 (America/Los_Angeles); it is Wednesday 02:00 there"]
}

test_the_principal_time_zone_comes_before_the_directory if {
	early := object.union(critical_call_at("2026-11-18T07:30:00Z"), {"principal": {"timezone": "Europe/Berlin"}})
	decide(early).allow == true
	both := object.union(early, {"principal": {"attributes": {"timezone": "UTC"}}})
	decide(both).allow == true
}

test_the_principal_attribute_time_zone_comes_before_the_directory if {
	early := object.union(critical_call_at("2026-11-18T07:30:00Z"), {"principal": {"attributes": {"timezone": "Europe/Berlin"}}})
	decide(early).allow == true
}

test_the_default_time_zone_applies_to_unknown_principals if {
	principal := {"id": "zed", "type": "user", "roles": ["admin"], "clearance": "critical"}
	request := object.union(fixtures.tool_call(principal, "everything", "get-env"), {"context": {"time": "2026-11-18T07:30:00Z"}})
	d := decide(request)
	d.reasons == ["critical operations are allowed only Monday, Tuesday, Wednesday, Thursday, Friday, 08:00 to 18:00 (UTC); it is Wednesday 07:30 there"]
}

test_the_time_is_read_with_its_offset if {
	# 09:30 at UTC+02:00 is 07:30 UTC, 07:30 in London
	decide(critical_call_at("2026-11-18T09:30:00+02:00")).allow == false
	decide(critical_call_at("2026-11-18T12:30:00+02:00")).allow == true
}

test_an_unknown_time_zone_denies if {
	d := decide(with_context(critical_call_at(fixtures.wednesday_10_utc), {"timezone": "Mars/Olympus_Mons"}))
	d.reasons == ["time zone Mars/Olympus_Mons is not a known IANA time zone"]
}

test_a_missing_time_denies_critical_tools if {
	d := decide(json.remove(critical_call_at(fixtures.wednesday_10_utc), ["context/time"]))
	d.reasons == ["context.time (RFC 3339) is required for critical operations"]
}

test_a_malformed_time_denies_critical_tools if {
	decide(critical_call_at("yesterday")).reasons == ["context.time yesterday is not an RFC 3339 timestamp"]
	decide(critical_call_at(1763460000)).reasons == ["context.time 1763460000 is not an RFC 3339 timestamp"]
}

test_other_tools_ignore_the_time if {
	request := fixtures.tool_call(fixtures.user("alice"), "everything", "echo")
	decide(with_context(request, {"time": fixtures.saturday_10_utc})).allow == true
	decide(json.remove(request, ["context/time"])).allow == true
	decide(with_context(request, {"time": "not a time"})).allow == true
}

# --- callers only from allowed networks ---

echo_from(ip) := with_context(fixtures.tool_call(fixtures.user("alice"), "everything", "echo"), {"ip": ip})

query_from(ip) := with_context(
	fixtures.tool_call_with(fixtures.user("bob"), "postgres", "query", {"sql": "SELECT 1"}),
	{"ip": ip},
)

test_callers_inside_the_allowed_networks_are_allowed if {
	decide(echo_from("127.0.0.1")).allow == true
	decide(echo_from("10.1.2.3")).allow == true
	decide(echo_from("192.168.178.20")).allow == true
	decide(echo_from("::1")).allow == true
}

test_callers_outside_the_allowed_networks_are_denied if {
	d := decide(echo_from("8.8.8.8"))
	d.allow == false
	d.reasons == ["caller 8.8.8.8 is outside the allowed networks"]
	decide(echo_from("2001:db8::1")).reasons == ["caller 2001:db8::1 is outside the allowed networks"]
}

test_ipv4_mapped_ipv6_addresses_match_ipv4_networks if {
	decide(echo_from("::ffff:127.0.0.1")).allow == true
}

test_a_missing_ip_denies if {
	d := decide(json.remove(echo_from("127.0.0.1"), ["context/ip"]))
	d.reasons == ["context.ip is required to check the caller's network"]
	decide(echo_from(2130706433)).reasons == ["context.ip is required to check the caller's network"]
}

test_a_malformed_ip_denies if {
	decide(echo_from("localhost")).reasons == ["context.ip localhost is not an IP address"]
	decide(echo_from("300.1.1.1")).reasons == ["context.ip 300.1.1.1 is not an IP address"]
}

test_a_server_may_narrow_the_networks if {
	decide(query_from("10.1.2.3")).allow == true
	d := decide(query_from("192.168.1.10"))
	d.reasons == ["caller 192.168.1.10 is outside the networks of server postgres (10.0.0.0/8, 127.0.0.0/8, ::1/128)"]
}

test_gateway_actions_check_the_allowed_networks if {
	request := with_context(fixtures.gateway_request(fixtures.user("alice"), "gateway:server:list"), {"ip": "8.8.8.8"})
	decide(request).reasons == ["caller 8.8.8.8 is outside the allowed networks"]
}
