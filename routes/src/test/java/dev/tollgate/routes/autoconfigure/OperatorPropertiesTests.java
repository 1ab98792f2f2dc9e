package dev.tollgate.routes.autoconfigure;

import java.util.Map;

import dev.tollgate.token.autoconfigure.TollgateConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code tollgate.operator.roles}: bound and validated. */
class OperatorPropertiesTests {

	private static OperatorProperties bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("tollgate.operator",
				OperatorProperties.class);
	}

	@Test
	void bindWhenNothingSetThenTheTollgateOperatorRole() {
		assertThat(bind(Map.of()).roles()).containsExactly("tollgate-operator");
	}

	@Test
	void bindWhenListedThenThoseRoles() {
		assertThat(bind(Map.of("tollgate.operator.roles", "sre,security")).roles()).containsExactly("sre", "security");
		assertThat(bind(Map.of("tollgate.operator.roles[0]", "sre")).roles()).containsExactly("sre");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "on call", "sre,", "ops\u00e9" })
	void bindWhenEmptyOrARoleNoTokenCouldCarryThenRefusedNamingTheKey(String roles) {
		BindException ex = catchThrowableOfType(BindException.class,
				() -> bind(Map.of("tollgate.operator.roles", roles)));
		assertThat(ex).as("binding must fail for '" + roles + "'").isNotNull();
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(ex);
		assertThat(cause).isInstanceOf(TollgateConfigurationException.class);
		assertThat(((TollgateConfigurationException) cause).key()).isEqualTo("tollgate.operator.roles");
	}

}
