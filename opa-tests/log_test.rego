# Decision-log masking (policies/system/log.rego): OPA evaluates data.system.log.mask with the
# log event as input and applies the returned operations.
package system.log_test

import data.system.log

redact(path) := {"op": "upsert", "path": path, "value": "[REDACTED]"}

test_secret_parameters_are_masked_at_any_depth if {
	event := {
		"input": {
			"principal": {"id": "alice", "type": "user"},
			"parameters": {"message": "hi", "password": "p", "nested": {"Api-Key": "k", "keep": 1}},
		},
		"result": {"allow": true, "reasons": [], "cache_ttl": 1800},
	}
	masks := log.mask with input as event
	masks == {redact("/input/parameters/password"), redact("/input/parameters/nested/Api-Key")}
}

test_secrets_in_principal_attributes_and_context_are_masked if {
	event := {"input": {
		"principal": {"id": "svc", "attributes": {"session_token": "s"}},
		"context": {"authorization": "Bearer x"},
	}}
	masks := log.mask with input as event
	masks == {redact("/input/principal/attributes/session_token"), redact("/input/context/authorization")}
}

test_secrets_in_the_result_are_masked if {
	event := {"input": {}, "result": {"allow": true, "filtered_parameters": {"client_secret": "c"}}}
	masks := log.mask with input as event
	masks == {redact("/result/filtered_parameters/client_secret")}
}

test_a_secret_inside_an_array_masks_the_array if {
	event := {"input": {"parameters": {"headers": [{"token": "t"}, {"cookie": "c"}], "ok": [1, 2]}}}
	masks := log.mask with input as event
	masks == {redact("/input/parameters/headers")}
}

test_a_secret_inside_a_secret_is_masked_once if {
	event := {"input": {"parameters": {"credentials": {"password": "p", "user": "u"}}}}
	masks := log.mask with input as event
	masks == {redact("/input/parameters/credentials")}
}

test_pointer_segments_are_escaped if {
	event := {"input": {"parameters": {"a/b": {"token": "t"}, "c~d": {"secret": "s"}}}}
	masks := log.mask with input as event
	masks == {redact("/input/parameters/a~1b/token"), redact("/input/parameters/c~0d/secret")}
}

test_nothing_is_masked_without_secrets if {
	event := {"input": {"parameters": {"message": "hi", "max_tokens": 10}}, "result": {"allow": false, "reasons": ["x"]}}
	masks := log.mask with input as event
	count(masks) == 0
}

test_an_event_without_input_or_result_masks_nothing if {
	count(log.mask) == 0
	masks := log.mask with input as {"input": "not an object", "result": true}
	count(masks) == 0
}
