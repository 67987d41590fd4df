package bench_test

import rego.v1

import data.bench

test_developer_reads_within_clearance if {
	bench.decision.allow with input as {"principal": {"id": "bob"}, "server": "srv-07", "tool": "get_item_10", "source_ip": "10.20.30.40"}
}

test_developer_cannot_delete if {
	d := bench.decision with input as {"principal": {"id": "bob"}, "server": "srv-07", "tool": "delete_item_04", "source_ip": "10.1.1.1"}
	not d.allow
	"no role of bob grants srv-07/delete_item_04" in d.reasons
}

test_owner_team_is_allowed_from_its_network if {
	bench.decision.allow with input as {"principal": {"id": "carol"}, "server": "srv-02", "tool": "delete_item_04", "source_ip": "192.168.2.9"}
}

test_outside_network_is_denied if {
	d := bench.decision with input as {"principal": {"id": "alice"}, "server": "srv-03", "tool": "get_item_00", "source_ip": "172.16.0.1"}
	not d.allow
	"source 172.16.0.1 is outside the networks of srv-03" in d.reasons
}
