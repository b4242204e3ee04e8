package io.tidemark.coordinator.access;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** The API's token check, in front of everything else the coordinator serves. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiAccessProperties.class)
class AccessConfiguration {

    @Bean
    ApiTokens apiTokens(ApiAccessProperties properties) {
        return ApiTokens.of(properties);
    }

    @Bean
    FilterRegistrationBean<TokenFilter> tokenFilter(ApiTokens tokens, ApiAccessProperties properties) {
        FilterRegistrationBean<TokenFilter> registration = new FilterRegistrationBean<>(
                new TokenFilter(tokens, properties.protectMetrics()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.addUrlPatterns("/*");
        return registration;
    }
}
