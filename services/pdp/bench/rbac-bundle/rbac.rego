# The benchmark's role-based access control policy: users have roles, roles grant
# actions on object types. Entrypoint: data.rbac.decision (the PDP's decision shape).
package rbac

default allow := false

# Admins may do anything.
allow if user_is_admin

# Others need a grant of one of their roles for the action on the object type.
allow if {
	some grant in user_is_granted
	input.action == grant.action
	input.type == grant.type
}

user_is_admin if "admin" in data.user_roles[input.user]

user_is_granted contains grant if {
	some role in data.user_roles[input.user]
	some grant in data.role_grants[role]
}

default cache_ttl := 0

cache_ttl := 300 if allow

reasons := ["granted by role"] if allow

reasons := ["no role grants this action"] if not allow

decision := {"allow": allow, "reasons": reasons, "cache_ttl": cache_ttl}
