package io.tidemark.lightning.target;

import io.tidemark.common.secret.SecretBox;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Target sessions, shared by the planner and the workers; the secret key comes from the service kit. */
@Configuration(proxyBeanMethods = false)
class TargetConfiguration {

    @Bean
    TargetSessions targetSessions(SecretBox secretBox) {
        return new TargetSessions(secretBox);
    }
}
