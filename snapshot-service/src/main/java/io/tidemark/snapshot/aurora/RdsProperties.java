package io.tidemark.snapshot.aurora;

import io.tidemark.common.command.AuroraExport;
import io.tidemark.common.command.AuroraRestore;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * How the snapshot service reaches the AWS RDS API for engine aurora-export, under {@code tidemark.aws.rds}.
 *
 * @param endpoint       the RDS API's URL instead of the region's public one: a VPC interface endpoint
 *                       ({@code https://vpce-….rds.us-east-1.vpce.amazonaws.com}) or, in tests, the fake RDS; null
 *                       = the SDK's endpoint of the region
 * @param region         the region of a spec's snapshot that names none; null = every spec must name one
 * @param pollInterval   how often a snapshot's and an export's status is asked ({@code DescribeDBClusterSnapshots},
 *                       {@code DescribeExportTasks}); an export takes minutes to hours, and the calls count against
 *                       the account's RDS API rate
 * @param connectTimeout how long connecting to the RDS API may take
 * @param callTimeout    how long one RDS call may take, the SDK's own retries included
 */
@Validated
@ConfigurationProperties("tidemark.aws.rds")
public record RdsProperties(
        URI endpoint,
        String region,
        @DefaultValue("30s")
        @NotNull(message = "tidemark.aws.rds.poll-interval must be a duration such as 30s") Duration pollInterval,
        @DefaultValue("10s")
        @NotNull(message = "tidemark.aws.rds.connect-timeout must be a duration such as 10s") Duration connectTimeout,
        @DefaultValue("60s")
        @NotNull(message = "tidemark.aws.rds.call-timeout must be a duration such as 60s") Duration callTimeout) {
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(?:-[a-z]+)+-\\d");

    public RdsProperties {
        if (endpoint != null && (endpoint.getHost() == null
                || !("https".equals(endpoint.getScheme()) || "http".equals(endpoint.getScheme())))) {
            throw new IllegalArgumentException("tidemark.aws.rds.endpoint is " + endpoint + "; give an http(s) URL"
                    + " such as https://vpce-0abc.rds.us-east-1.vpce.amazonaws.com, or leave it out for the region's"
                    + " public RDS endpoint");
        }
        region = region == null || region.isBlank() ? null : region.strip();
        if (region != null && !REGION.matcher(region).matches()) {
            throw new IllegalArgumentException("tidemark.aws.rds.region is '" + region + "'; write a region such as"
                    + " us-east-1, or leave it out so that each spec's snapshot.region says it");
        }
        positive("poll-interval", pollInterval, "30s");
        positive("connect-timeout", connectTimeout, "10s");
        positive("call-timeout", callTimeout, "60s");
    }

    /** the region the export's RDS calls go to: the spec's, else this service's default */
    public String regionOf(AuroraExport export) {
        return regionOr(export.region());
    }

    /** the region the restore's RDS calls go to: the spec's, else this service's default */
    public String regionOf(AuroraRestore restore) {
        return regionOr(restore.region());
    }

    private String regionOr(String specRegion) {
        if (specRegion != null) {
            return specRegion;
        }
        if (region != null) {
            return region;
        }
        throw new TidemarkException(ErrorCode.INVALID_SPEC, "snapshot.region is missing and the snapshot service"
                + " has no tidemark.aws.rds.region; name the cluster's region in the spec (e.g. \"us-east-1\") or"
                + " set tidemark.aws.rds.region on the snapshot service");
    }

    private static void positive(String key, Duration d, String example) {
        if (d != null && (d.isNegative() || d.isZero())) {
            throw new IllegalArgumentException("tidemark.aws.rds." + key + " is " + d + "; use a positive duration"
                    + " such as " + example);
        }
    }
}
