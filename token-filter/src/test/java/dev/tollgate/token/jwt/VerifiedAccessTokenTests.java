package dev.tollgate.token.jwt;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a cached identity keeps, and that keeping it small changes nothing it answers. */
class VerifiedAccessTokenTests {

	private static final Instant EXPIRY = Instant.parse("2026-03-01T12:15:00Z");

	@Test
	void sessionIdWhenOfTollgatesFormThenTheSameTextBack() {
		String minted = "9LuFVVt2KBIzK9r_zFQ_ng";

		assertThat(token(minted).sessionId()).isEqualTo(minted);
	}

	@Test
	void sessionIdWhenAnyOtherFormThenKeptAsItIs() {
		// a non-canonical spelling of 128 bits (last character's unused bits set), other
		// lengths, none
		assertThat(token("9LuFVVt2KBIzK9r_zFQ_nh").sessionId()).isEqualTo("9LuFVVt2KBIzK9r_zFQ_nh");
		assertThat(token("family-7").sessionId()).isEqualTo("family-7");
		assertThat(token("s-1").sessionId()).isEqualTo("s-1");
		assertThat(token(null).sessionId()).isNull();
	}

	@Test
	void rolesWhenTheSameSetOnTwoTokensThenOneSharedCopy() {
		VerifiedAccessToken alice = new VerifiedAccessToken("alice", List.of("user", "admin"), "s-1", EXPIRY, null);
		VerifiedAccessToken bob = new VerifiedAccessToken("bob", List.of("user", "admin"), "s-2", EXPIRY, null);

		assertThat(alice.roles()).isSameAs(bob.roles()).containsExactly("user", "admin");
		assertThat(alice.joinedRoles()).isSameAs(bob.joinedRoles()).isEqualTo("user,admin");
		assertThat(alice.hasAnyRole(List.of("ops", "admin"))).isTrue();
		assertThat(alice.hasAnyRole(List.of("ops"))).isFalse();
	}

	@Test
	void timesWhenKeptAsSecondsThenTheSameInstantsBack() {
		Instant notBefore = Instant.parse("2026-03-01T12:00:00Z");
		VerifiedAccessToken token = new VerifiedAccessToken("u", List.of(), "s", EXPIRY, notBefore);

		assertThat(token.expiresAt()).isEqualTo(EXPIRY);
		assertThat(token.notBefore()).isEqualTo(notBefore);
		assertThat(new VerifiedAccessToken("u", List.of(), "s", EXPIRY, null).notBefore()).isNull();
	}

	private static VerifiedAccessToken token(String sessionId) {
		return new VerifiedAccessToken("u-1", List.of("user"), sessionId, EXPIRY, null);
	}

}
