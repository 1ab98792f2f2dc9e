package dev.tollgate.routes.login;

import java.util.List;

import dev.tollgate.routes.client.ClientAddressResolver;
import dev.tollgate.routes.client.ClientBindingResolver;
import dev.tollgate.routes.dpop.TokenEndpointProof;
import dev.tollgate.routes.http.BodyReader;
import dev.tollgate.routes.http.CookieSettings;
import dev.tollgate.routes.http.TokenResponses;
import dev.tollgate.routes.observe.AuthEvents;
import dev.tollgate.routes.session.RefreshTokenStore;
import dev.tollgate.token.error.ProblemResponseWriter;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;

/**
 * {@code IssueTokens}: turns the login route's user-service answer into a token response.
 * The route forwards the client's credentials as usual; on a 2xx answer this filter reads
 * {@code userId} (required) and {@code roles} (optional) from the JSON, starts a session
 * in the {@link RefreshTokenStore} and replaces the whole response, headers included,
 * with the token response. Nothing else of the user service's answer reaches the client.
 * 401/403 become 401 {@code invalid_credentials}, other 4xx 400 {@code invalid_request},
 * anything else or an unreachable service 502 {@code bad_gateway}, no complete answer
 * within {@code tollgate.login.timeout} 504 {@code gateway_timeout}.
 * <p>
 * Before the user service is called, the request body is read whole, at most
 * {@code tollgate.login.max-body-size} (413 beyond, 408 when it does not arrive in time),
 * in cookie mode a cross-site request is refused (403 {@code access_denied}: login CSRF),
 * a {@code DPoP} proof is checked (400 {@code invalid_dpop_proof} or
 * {@code use_dpop_nonce}; a valid one binds the session and its tokens to the proof's
 * key, RFC 9449 §5, and the token response says {@code "tokenType": "DPoP"}), and the
 * {@link LoginGuard} admits the attempt or answers 429 {@code too_many_attempts} with
 * {@code Retry-After} (too many failures for the username from this address, or from this
 * address). A route carrying this filter needs no access token. The steps are
 * {@link IssueTokensFilter}'s.
 */
public final class IssueTokensGatewayFilterFactory
		extends AbstractGatewayFilterFactory<IssueTokensGatewayFilterFactory.Config> {

	/**
	 * Inside the response write, so that the body can be replaced (see
	 * NettyWriteResponseFilter).
	 */
	public static final int ORDER = NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER - 1;

	private final Parts parts;

	/** Without DPoP: every login is a bearer login. */
	public IssueTokensGatewayFilterFactory(RefreshTokenStore store, TokenResponses responses,
			ProblemResponseWriter writer, AuthEvents events, ClientAddressResolver clients, BodyReader bodies,
			LoginSettings settings, CookieSettings cookie, LoginGuard guard, ClientBindingResolver bindings) {
		this(store, responses, writer, events, clients, bodies, settings, cookie, guard, bindings,
				TokenEndpointProof.OFF);
	}

	/**
	 * @param proof checks a login's DPoP proof before the user service is called; a login
	 * that proved a key gets a session and tokens bound to it
	 */
	public IssueTokensGatewayFilterFactory(RefreshTokenStore store, TokenResponses responses,
			ProblemResponseWriter writer, AuthEvents events, ClientAddressResolver clients, BodyReader bodies,
			LoginSettings settings, CookieSettings cookie, LoginGuard guard, ClientBindingResolver bindings,
			TokenEndpointProof proof) {
		super(Config.class);
		LoginFailures failures = new LoginFailures(writer, events);
		this.parts = new Parts(clients, bodies, settings.maxBodyBytes(),
				new LoginPrechecks(cookie, settings.maxBodyBytes(), proof), new GuardedLogin(guard, failures),
				new UserServiceCall(settings.timeout(), failures),
				new SessionStarter(store, responses, events, bindings, failures), failures);
	}

	@Override
	public List<String> shortcutFieldOrder() {
		return List.of("userIdField", "rolesField");
	}

	@Override
	public GatewayFilter apply(Config config) {
		return new IssueTokensFilter(config, this.parts);
	}

	/** The parts every route's filter shares: one per step of a login. */
	record Parts(ClientAddressResolver clients, BodyReader bodies, int maxBodyBytes, LoginPrechecks prechecks,
			GuardedLogin guard, UserServiceCall userService, SessionStarter sessions, LoginFailures failures) {
	}

	/**
	 * Names of the JSON fields read from the login body and from the user service's
	 * answer.
	 */
	public static final class Config {

		private String userIdField = "userId";

		private String rolesField = "roles";

		private String usernameField = "username";

		/**
		 * JSON field of the login body naming the user (for audit and lock-out; never
		 * sent anywhere else).
		 */
		public String getUsernameField() {
			return this.usernameField;
		}

		public void setUsernameField(String usernameField) {
			this.usernameField = usernameField;
		}

		/** JSON field holding the user id (a string). */
		public String getUserIdField() {
			return this.userIdField;
		}

		public void setUserIdField(String userIdField) {
			this.userIdField = userIdField;
		}

		/** JSON field holding the roles (an array of strings, optional). */
		public String getRolesField() {
			return this.rolesField;
		}

		public void setRolesField(String rolesField) {
			this.rolesField = rolesField;
		}

	}

}
