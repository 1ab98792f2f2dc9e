package dev.tollgate.routes.autoconfigure;

import java.time.Clock;

import dev.tollgate.routes.observe.AuthEvents;
import dev.tollgate.routes.session.EndedSessions;
import dev.tollgate.routes.session.RefreshTokenCodec;
import dev.tollgate.routes.session.RefreshTokenStore;
import dev.tollgate.routes.session.StoreTimer;
import dev.tollgate.routes.session.memory.InMemoryRefreshTokenStore;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code tollgate.store=memory}: one instance only; sessions die with the process. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "tollgate.store", havingValue = "memory")
class InMemorySessionStoreConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RefreshTokenStore tollgateRefreshTokenStore(RefreshTokenCodec codec, RefreshTokenProperties refreshToken,
			Clock clock, ObjectProvider<StoreTimer> timer, EndedSessions ended, AuthEvents events) {
		return new InMemoryRefreshTokenStore(codec, refreshToken.settings(), clock,
				timer.getIfAvailable(() -> StoreTimer.NONE),
				TollgateSessionsAutoConfiguration.sessionEndListener(ended, events));
	}

}
