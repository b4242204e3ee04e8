package io.tidemark.lightning.target;

import io.tidemark.common.secret.SecretBox;
import io.tidemark.mysql.session.Timeouts;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Target sessions, shared by the planner and the workers; the secret key and the timeouts come from the kit. */
@Configuration(proxyBeanMethods = false)
class TargetConfiguration {

    @Bean
    TargetSessions targetSessions(SecretBox secretBox, Timeouts timeouts) {
        return new TargetSessions(secretBox, timeouts);
    }
}
