package io.tidemark.coordinator.leadership;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** The standby's refusal of writes, right behind the API's token check. */
@Configuration(proxyBeanMethods = false)
class LeadershipConfiguration {

    @Bean
    FilterRegistrationBean<StandbyGuard> standbyGuard(Leadership leadership) {
        FilterRegistrationBean<StandbyGuard> registration = new FilterRegistrationBean<>(new StandbyGuard(leadership));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        registration.addUrlPatterns("/api/*");
        return registration;
    }
}
