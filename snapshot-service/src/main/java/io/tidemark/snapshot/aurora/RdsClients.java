package io.tidemark.snapshot.aurora;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.RdsClientBuilder;

/**
 * The one place an {@link RdsClient} is built: bounded connect and call timeouts (a stuck AWS call never holds a
 * migration), the SDK's standard retries for throttling and 5xx, and {@code tidemark.aws.rds.endpoint} for a VPC
 * endpoint or the tests' fake RDS.
 */
final class RdsClients {
    private RdsClients() {
    }

    static RdsClient create(RdsProperties properties, String region, AwsCredentialsProvider credentials) {
        RdsClientBuilder builder = RdsClient.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .httpClientBuilder(Apache5HttpClient.builder()
                        .connectionTimeout(properties.connectTimeout())
                        .socketTimeout(properties.callTimeout()))
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD)
                        .apiCallTimeout(properties.callTimeout()));
        if (properties.endpoint() != null) {
            builder.endpointOverride(properties.endpoint());
        }
        return builder.build();
    }
}
