package io.tidemark.storage.s3;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.common.storage.LocationKeys;
import io.tidemark.common.storage.Storages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The location syntax of Dumpling, BR and TiDB Lightning, read strictly: what users write, what it means. */
class S3LocationTest {
    @Test
    void theSeedsLocationMeansAwsS3WithTheDefaultChainAndDumplingsPathStyle() {
        S3Location l = S3Location.parse("s3://my-bucket/export/aurora-snapshot/");

        assertThat(l.bucket()).isEqualTo("my-bucket");
        assertThat(l.prefix()).isEqualTo("export/aurora-snapshot");
        assertThat(l.root()).isEqualTo(URI.create("s3://my-bucket/export/aurora-snapshot/"));
        S3Options o = l.options();
        assertThat(o.endpoint()).isNull();
        assertThat(o.region()).isNull();
        assertThat(o.forcePathStyle()).as("BR and Dumpling default force-path-style to true").isTrue();
        assertThat(o.credentials()).isEqualTo(new S3Credentials.DefaultChain());
        assertThat(o.sse()).isEqualTo(Sse.NONE);
        assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.readTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void everyParameterIsRead() {
        S3Location l = S3Location.parse("s3://b/p?endpoint=http://minio.local:9000&region=ap-northeast-1"
                + "&force-path-style=false&access-key=AKIAEXAMPLE&secret-access-key=abc%2Fdef&session-token=tok"
                + "&provider=ceph&storage-class=STANDARD_IA&sse=aws:kms&sse-kms-key-id=alias/dumps"
                + "&acl=bucket-owner-full-control&connect-timeout=3s&read-timeout=1m30s");

        S3Options o = l.options();
        assertThat(o.endpoint()).isEqualTo(URI.create("http://minio.local:9000"));
        assertThat(o.region()).isEqualTo("ap-northeast-1");
        assertThat(o.forcePathStyle()).isFalse();
        assertThat(o.credentials()).isEqualTo(new S3Credentials.Keys("AKIAEXAMPLE", "abc/def", "tok"));
        assertThat(o.provider()).isEqualTo("ceph");
        assertThat(o.storageClass()).isEqualTo("STANDARD_IA");
        assertThat(o.sse()).isEqualTo(Sse.KMS);
        assertThat(o.sseKmsKeyId()).isEqualTo("alias/dumps");
        assertThat(o.acl()).isEqualTo("bucket-owner-full-control");
        assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(o.readTimeout()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void namesAreReadAsBrReadsThemAndAPlusInASecretStaysAPlus() {
        S3Options o = S3Location.parse("s3://b/p?Access_Key=AK&SECRET_ACCESS_KEY=a+b/c%3D&Force_Path_Style=0")
                .options();

        assertThat(o.credentials()).isEqualTo(new S3Credentials.Keys("AK", "a+b/c=", null));
        assertThat(o.forcePathStyle()).isFalse();
    }

    @Test
    void aTypoIsAnErrorNamingItTheNearestNameAndEveryKnownOne() {
        assertThatThrownBy(() -> S3Location.parse("s3://b/p?regoin=us-west-2&secret-access-key=hush&access-key=a"))
                .isInstanceOfSatisfying(TidemarkException.class, e -> {
                    assertThat(e.error()).isEqualTo(ErrorCode.STORAGE_LOCATION_INVALID);
                    assertThat(e.retriable()).isFalse();
                })
                .hasMessageContaining("unknown parameter 'regoin' (did you mean region?)")
                .hasMessageContaining("the parameters are endpoint, region, force-path-style, access-key,"
                        + " secret-access-key, session-token, profile, provider, storage-class, sse, sse-kms-key-id,"
                        + " acl, use-accelerate-endpoint, connect-timeout, read-timeout")
                .hasMessageNotContaining("hush")
                .hasMessageContaining("secret-access-key=***");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "s3://b/p?force-path-style=yes | force-path-style must be true or false, not 'yes'",
            "s3://b/p?use-accelerate-endpoint=on | use-accelerate-endpoint must be true or false, not 'on'",
            "s3://b/p?access-key=AK | access-key is given without secret-access-key",
            "s3://b/p?secret-access-key=SK | secret-access-key is given without access-key",
            "s3://b/p?session-token=T | session-token needs access-key and secret-access-key too",
            "s3://b/p?profile=x&access-key=a&secret-access-key=s | profile and access-key exclude each other",
            "s3://b/p?endpoint=minio:9000 | endpoint 'minio:9000' needs http:// or https:// before the host",
            "s3://b/p?endpoint=http:///x | endpoint 'http:///x' names no host",
            "s3://b/p?sse=aes | sse 'aes' is not one of AES256 and aws:kms",
            "s3://b/p?sse=AES256&sse-kms-key-id=k | sse-kms-key-id names a KMS key but sse=AES256",
            "s3://b/p?region=US East | not a URI",
            "s3://b/p?region=us_east_1 | region 'us_east_1' is not a region name",
            "s3://b/p?read-timeout=10 minutes | not a URI",
            "s3://b/p?read-timeout=10x | read-timeout '10x' is not a duration such as 10s, 1500ms or 2m",
            "s3://b/p?connect-timeout=0s | connect-timeout must be more than 0 and at most 1h",
            "s3://b/p?connect-timeout=2h | connect-timeout must be more than 0 and at most 1h",
            "s3://b/p?region=a&region=b | parameter region is given twice with different values",
            "s3://b/p?role-arn=arn:aws:iam::1:role/r | parameter role-arn is not supported by Tidemark",
            "s3://b/p?object-lock-enabled=true | parameter object-lock-enabled is not supported by Tidemark",
            "s3://b/p?use-accelerate-endpoint=true&endpoint=http://x | use-accelerate-endpoint and endpoint exclude",
            "s3:///prefix | no bucket",
            "s3://minio:9000/b | is not a bucket name: an S3-compatible store's host and port go into the endpoint",
            "s3://AKIA:secret@b/p | credentials go into the access-key and secret-access-key parameters",
            "s3://b/p#x | a '#' starts a URI fragment",
            "s3://b/p?secret-access-key=%zz | not a URI (Malformed escape pair",
    })
    void aBadLocationSaysWhatIsWrong(String location, String expected) {
        assertThatThrownBy(() -> S3Location.parse(location))
                .isInstanceOfSatisfying(TidemarkException.class,
                        e -> assertThat(e.error()).isEqualTo(ErrorCode.STORAGE_LOCATION_INVALID))
                .hasMessageContaining(expected)
                .hasMessageNotContaining("secret@");
    }

    @Test
    void providersThatNeedVirtualHostedStyleGetIt() {
        assertThat(S3Location.parse("s3://b/p?provider=alibaba&endpoint=https://oss.example.com").options()
                .forcePathStyle()).isFalse();
        assertThat(S3Location.parse("s3://b/p?use-accelerate-endpoint=true").options().forcePathStyle()).isFalse();
        assertThat(S3Location.parse("s3://b/p?provider=minio&endpoint=http://m:9000").options().forcePathStyle())
                .isTrue();
    }

    @Test
    void aKmsKeyAloneMeansSseKmsAndObjectLockOffIsAccepted() {
        S3Options o = S3Location.parse("s3://b/p?sse-kms-key-id=arn:aws:kms:us-east-1:123456789012:key/k1"
                + "&object-lock-enabled=false").options();

        assertThat(o.sse()).isEqualTo(Sse.KMS);
        assertThat(o.sseKmsKeyId()).isEqualTo("arn:aws:kms:us-east-1:123456789012:key/k1");
    }

    @Test
    void aProfileIsACredentialsSource() {
        assertThat(S3Location.parse("s3://b/p?profile=migration").options().credentials())
                .isEqualTo(new S3Credentials.Profile("migration"));
    }

    @Test
    void nothingShownOfALocationHoldsItsSecrets() {
        String location = "s3://b/p?access-key=AKIAEXAMPLE&secret-access-key=SECRET%2Bxyz&session-token=TOKEN";
        S3Location l = S3Location.parse(location);

        assertThat(l.toString()).doesNotContain("SECRET").doesNotContain("TOKEN").doesNotContain("AKIAEXAMPLE");
        assertThat(l.root().toString()).isEqualTo("s3://b/p/");
        assertThat(Storages.redact(location)).isEqualTo(
                "s3://b/p?access-key=***&secret-access-key=***&session-token=***");
        assertThat(Storages.redact("s3://b/p?Secret_Access_Key=x&region=r"))
                .isEqualTo("s3://b/p?Secret_Access_Key=***&region=r");
    }

    @Test
    void sealedKeysParseAsTheyTravelAndOpenOnlyWithTheKeyTheyWereSealedWith() {
        SecretBox box = SecretBox.fromBase64Key(SecretBox.generateKey());
        String sealed = LocationKeys.seal("s3://b/p?access-key=AKIAEXAMPLE&secret-access-key=SECRET%2Bxyz"
                + "&session-token=TOKEN&region=eu-west-1", box);
        S3Location l = S3Location.parse(sealed);
        assertThat(l.options().credentials()).isInstanceOfSatisfying(S3Credentials.Keys.class,
                k -> assertThat(k.secretAccessKey()).startsWith(LocationKeys.SEALED_PREFIX));

        try (LocationKeys.Registration ignored = LocationKeys.openWith(box)) {
            assertThat(l.withKeysOpened().options().credentials())
                    .isEqualTo(new S3Credentials.Keys("AKIAEXAMPLE", "SECRET+xyz", "TOKEN"));
        }
        try (LocationKeys.Registration ignored = LocationKeys.openWith(SecretBox.fromBase64Key(
                SecretBox.generateKey()))) {
            assertThatThrownBy(l::withKeysOpened).isInstanceOfSatisfying(TidemarkException.class,
                            e -> assertThat(e.error()).isEqualTo(ErrorCode.SECRET_UNREADABLE))
                    .hasMessageContaining("the sealed access-key of storage location s3://b/p/ does not open")
                    .hasMessageNotContaining("sealed:v1:");
        }
        // plaintext keys, as tests and direct users give them, need no secret key at all
        assertThat(S3Location.parse("s3://b/p?access-key=AK&secret-access-key=SK").withKeysOpened().options()
                .credentials()).isEqualTo(new S3Credentials.Keys("AK", "SK", null));
    }

    @Test
    void keysWithUnusualCharactersStayTheirOwn() {
        S3Location l = S3Location.parse("s3://legacy_Bucket/dumps/a%20b/");

        assertThat(l.bucket()).isEqualTo("legacy_Bucket");
        assertThat(l.prefix()).isEqualTo("dumps/a b");
        assertThat(l.root()).isEqualTo(URI.create("s3://legacy_Bucket/dumps/a%20b/"));
        assertThat(S3Location.parse("s3://b").prefix()).isEmpty();
        assertThat(S3Location.parse("s3://b/").root()).isEqualTo(URI.create("s3://b/"));
    }
}
