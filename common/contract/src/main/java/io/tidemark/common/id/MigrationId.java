package io.tidemark.common.id;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.regex.Pattern;

/** A migration's id: lower-case, DNS-label-like, stable for the migration's life, the Kafka key of all its messages. */
public record MigrationId(String value) implements Comparable<MigrationId> {
    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public MigrationId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new TidemarkException(ErrorCode.INVALID_SPEC,
                    "migration id '" + value + "' must match " + VALID.pattern());
        }
    }

    public static MigrationId of(String value) {
        return new MigrationId(value);
    }

    /** a fresh id from a human name: its slug plus a random suffix, so two migrations of one name never collide */
    public static MigrationId fromName(String name) {
        String slug = name == null ? "" : name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-+|-+$", "");
        if (slug.length() > 48) {
            slug = slug.substring(0, 48).replaceAll("-+$", "");
        }
        String suffix = Integer.toString(RANDOM.nextInt(36 * 36 * 36 * 36 * 36), 36);
        return new MigrationId((slug.isEmpty() ? "migration" : slug) + "-" + suffix);
    }

    @Override
    public int compareTo(MigrationId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
