package io.tidemark.common.storage;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.secret.SecretBox;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class LocationKeysTest {
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCY=";
    private static final String LOCATION = "s3://dumps/prod?region=us-east-1&access-key=AKIAEXAMPLE"
            + "&Secret_Access_Key=" + SECRET + "&session-token=FwoGZXIvYXdz%2Ftoken&force-path-style=true";

    private final SecretBox box = SecretBox.fromBase64Key(SecretBox.generateKey());

    /** the decoded value of a parameter, as the S3 parser reads it */
    private static String parameter(String location, String name) {
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            if (LocationKeys.normalizedName(pair.substring(0, eq)).equals(name)) {
                return LocationKeys.decode(pair.substring(eq + 1));
            }
        }
        throw new AssertionError("no " + name + " in " + location);
    }

    @Test
    void sealingReplacesOnlyTheKeysValuesWithAUrlSafeSealedForm() {
        String sealed = LocationKeys.seal(LOCATION, box);

        assertThat(sealed).doesNotContain("AKIAEXAMPLE").doesNotContain("wJalr").doesNotContain("FwoGZXIvYXdz")
                .startsWith("s3://dumps/prod?region=us-east-1&access-key=sealed:v1:")
                .contains("&Secret_Access_Key=sealed:v1:").endsWith("&force-path-style=true");
        assertThat(URI.create(sealed).getRawQuery()).matches("[A-Za-z0-9_=&:.-]+");
        for (String name : LocationKeys.PARAMETERS) {
            assertThat(LocationKeys.isSealed(parameter(sealed, name))).as(name).isTrue();
        }
    }

    @Test
    void aRegisteredBoxOpensWhatItSealedAndPlaintextPassesAsWritten() {
        String sealed = LocationKeys.seal(LOCATION, box);

        try (LocationKeys.Registration ignored = LocationKeys.openWith(box)) {
            assertThat(LocationKeys.open("secret-access-key", parameter(sealed, "secret-access-key"), "s3://dumps/prod"))
                    .isEqualTo(SECRET);
            assertThat(LocationKeys.open("session-token", parameter(sealed, "session-token"), "s3://dumps/prod"))
                    .isEqualTo("FwoGZXIvYXdz/token");
            assertThat(LocationKeys.open("access-key", "AKIAPLAIN", "s3://dumps/prod")).isEqualTo("AKIAPLAIN");
        }
    }

    @Test
    void aValueSealedUnderAnotherKeyFailsNamingTheParameterNeverItsValue() {
        String sealedValue = parameter(LocationKeys.seal(LOCATION, box), "secret-access-key");
        SecretBox other = SecretBox.fromBase64Key(SecretBox.generateKey());

        TidemarkException e;
        try (LocationKeys.Registration ignored = LocationKeys.openWith(other)) {
            e = catchThrowableOfType(TidemarkException.class,
                    () -> LocationKeys.open("secret-access-key", sealedValue, "s3://dumps/prod"));
        }

        assertThat(e.error()).isEqualTo(ErrorCode.SECRET_UNREADABLE);
        assertThat(e.getMessage()).contains("the sealed secret-access-key of storage location s3://dumps/prod")
                .contains("another key").contains("same tidemark.secret-key")
                .doesNotContain(sealedValue.substring(10)).doesNotContain("wJalr");
    }

    @Test
    void aSealedValueWithoutARegisteredBoxNamesTheMissingSecretKey() {
        String sealedValue = parameter(LocationKeys.seal(LOCATION, box), "access-key");

        TidemarkException e = catchThrowableOfType(TidemarkException.class,
                () -> LocationKeys.open("access-key", sealedValue, "s3://dumps/prod"));

        assertThat(e.error()).isEqualTo(ErrorCode.SECRET_KEY_MISSING);
        assertThat(e.getMessage()).contains("access-key of s3://dumps/prod is sealed").contains("tidemark.secret-key");
    }

    @Test
    void aSealedValueIsKeptWhenItOpensAndRefusedWhenItDoesNot() {
        String once = LocationKeys.seal(LOCATION, box);

        assertThat(LocationKeys.seal(once, box)).isEqualTo(once);
        TidemarkException e = catchThrowableOfType(TidemarkException.class,
                () -> LocationKeys.seal(once, SecretBox.fromBase64Key(SecretBox.generateKey())));
        assertThat(e.error()).isEqualTo(ErrorCode.SECRET_UNREADABLE);
        assertThat(e.getMessage()).contains("access-key of storage location s3://dumps/prod ");

        TidemarkException forged = catchThrowableOfType(TidemarkException.class,
                () -> LocationKeys.seal("s3://b/p?access-key=sealed:env:HOME&secret-access-key=x", box));
        assertThat(forged.error()).isEqualTo(ErrorCode.SECRET_UNREADABLE);
        assertThat(forged.getMessage()).contains("is not a value Tidemark sealed");
    }

    @Test
    void aLocationWithoutKeysIsKeptAsWritten() {
        for (String location : new String[]{"s3://b/p?region=us-east-1&endpoint=http://h:9000", "s3://b",
                "file:///data/dumps", "s3://b/p?access-key=&region=r"}) {
            assertThat(LocationKeys.seal(location, box)).isEqualTo(location);
        }
    }
}
