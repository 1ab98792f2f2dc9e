package dev.tollgate.token.jwt;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One shared copy of each set of roles the verified tokens carry: tokens of users with
 * the same roles (nearly all of them share a handful of sets) point at one list and one
 * joined string instead of carrying copies, which keeps the validated-token cache small.
 * Bounded: past {@value #MAX_SETS} distinct sets, a set is kept by its token alone.
 */
final class RoleSets {

	static final int MAX_SETS = 4096;

	private static final ConcurrentHashMap<List<String>, RoleSet> SETS = new ConcurrentHashMap<>();

	private RoleSets() {
	}

	/** The shared set for {@code roles}, in their order. */
	static RoleSet of(List<String> roles) {
		RoleSet shared = SETS.get(roles);
		if (shared != null) {
			return shared;
		}
		RoleSet set = new RoleSet(List.copyOf(roles), String.join(",", roles));
		if (SETS.size() >= MAX_SETS) {
			return set;
		}
		RoleSet raced = SETS.putIfAbsent(set.roles(), set);
		return (raced != null) ? raced : set;
	}

	/**
	 * Roles as a token carries them.
	 *
	 * @param roles the roles, in the token's order
	 * @param joined the roles joined by {@code ,}, as {@code X-User-Roles} carries them
	 */
	record RoleSet(List<String> roles, String joined) {
	}

}
