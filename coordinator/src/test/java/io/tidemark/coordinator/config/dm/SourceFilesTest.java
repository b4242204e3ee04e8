package io.tidemark.coordinator.config.dm;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.coordinator.config.lightning.Note;
import io.tidemark.coordinator.config.lightning.Problem;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class SourceFilesTest {
    private static final Passwords AS_WRITTEN = written -> written;

    /** the seed's source1.yaml, values filled in */
    private static final String SEED = """
            # Must be unique.
            source-id: "mysql-01"
            enable-gtid: false

            from:
              host: "172.16.10.81"         # e.g.: 172.16.10.81
              user: "root"
              password: "s3cret"
              port: 3306
            """;

    @Test
    void theSeedsSourceFileReadsAsWritten() {
        SourceFile s = SourceFiles.parse(SEED, "source1.yaml", AS_WRITTEN);

        assertThat(s.sourceId()).isEqualTo("mysql-01");
        assertThat(s.host()).isEqualTo("172.16.10.81");
        assertThat(s.port()).isEqualTo(3306);
        assertThat(s.user()).isEqualTo("root");
        assertThat(s.password()).isEqualTo("s3cret");
        assertThat(s.enableGtid()).isFalse();
        assertThat(s.notes()).isEmpty();
        assertThat(s.toString()).doesNotContain("s3cret");
    }

    @Test
    void everyProblemIsNamedWithItsPathLineAndFixAtOnce() {
        String yaml = """
                source-id: "mysql-01"
                enable-gitd: true
                from:
                  host: "db"
                  port: "abc"
                  usr: "root"
                """;

        DmConfigException e = catchThrowableOfType(DmConfigException.class,
                () -> SourceFiles.parse(yaml, "source1.yaml", AS_WRITTEN));

        assertThat(e.error()).isEqualTo(ErrorCode.INVALID_DM_CONFIG);
        assertThat(e.problems()).extracting(Problem::key, p -> p.position().line())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("enable-gitd", 2),
                        org.assertj.core.groups.Tuple.tuple("from.user", 3),
                        org.assertj.core.groups.Tuple.tuple("from.port", 5),
                        org.assertj.core.groups.Tuple.tuple("from.usr", 6));
        assertThat(e.problems().getFirst().fix()).isEqualTo("did you mean `enable-gtid`?");
        assertThat(e.problems().get(2).describe()).isEqualTo(
                "line 5, column 9: `from.port` = \"abc\" must be a whole number; fix: write port: followed by a whole number");
        assertThat(e.problems().get(3).fix()).isEqualTo("did you mean `from.user`?");
        assertThat(e.getMessage()).startsWith("TM-10014 DM source file source1.yaml cannot be used: 4 problems:");
    }

    @Test
    void oldAndUnimplementedKeysAreAcceptedWithANoteSayingWhatHappensInstead() {
        SourceFile s = SourceFiles.parse(SEED.replace("  port: 3306\n",
                "  port: 3306\n  security:\n    ssl-ca: \"/etc/ca.pem\"\n") + """
                enable-relay: true
                enable-heartbeat: true
                purge:
                  interval: 3600
                """, "source1.yaml", AS_WRITTEN);

        assertThat(s.enableRelay()).isTrue();
        assertThat(s.security().sslCa()).isEqualTo("/etc/ca.pem");
        assertThat(s.notes()).extracting(Note::key)
                .containsExactly("enable-relay", "enable-heartbeat", "purge.interval");
        assertThat(s.purge()).isNull();
        assertThat(s.notes()).filteredOn(n -> n.key().equals("enable-relay")).first()
                .extracting(Note::text).asString().contains("tasks started from now on read the relay");
    }

    @Test
    void purgeWithExpiresIsKeptAndRemainSpaceIsNotedAsMeaninglessForAKafkaRelay() {
        SourceFile s = SourceFiles.parse(SEED + """
                enable-relay: true
                purge:
                  interval: 600
                  expires: 24
                  remain-space: 15
                """, "source1.yaml", AS_WRITTEN);
        SourceFile defaults = SourceFiles.parse(SEED + "purge:\n  expires: 1\n", "source1.yaml", AS_WRITTEN);

        assertThat(s.purge()).isEqualTo(new SourceFile.Purge(600, 24));
        assertThat(defaults.purge()).isEqualTo(new SourceFile.Purge(3600, 1));
        assertThat(s.notes()).filteredOn(n -> n.key().equals("purge.remain-space")).singleElement()
                .extracting(Note::text).asString().contains("retention-bytes");
        assertThatThrownBy(() -> SourceFiles.parse(SEED + "purge:\n  expires: -1\n", "source1.yaml", AS_WRITTEN))
                .hasMessageContaining("purge.expires");
    }

    @Test
    void aPasswordThatDoesNotOpenIsAProblemOfItsKeyNeverShown() {
        Passwords otherKey = written -> {
            throw new TidemarkException(ErrorCode.SECRET_UNREADABLE,
                    "the sealed value does not open with this service's tidemark.secret-key");
        };

        DmConfigException e = catchThrowableOfType(DmConfigException.class,
                () -> SourceFiles.parse(SEED.replace("s3cret", "enc:v1:AAAA"), "source1.yaml", otherKey));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("from.password");
            assertThat(p.position().line()).isEqualTo(8);
            assertThat(p.value()).isEqualTo("(hidden)");
            assertThat(p.what()).contains("does not open");
        });
        assertThat(e.getMessage()).doesNotContain("enc:v1:AAAA");
    }

    @Test
    void jsonOfTheSameKeysIsReadAsWell() {
        SourceFile s = SourceFiles.parse("""
                {"source-id": "mysql-02", "enable-gtid": true,
                 "from": {"host": "db", "port": 3307, "user": "dm", "password": "p"}}""", "s.json", AS_WRITTEN);

        assertThat(s.sourceId()).isEqualTo("mysql-02");
        assertThat(s.port()).isEqualTo(3307);
        assertThat(s.enableGtid()).isTrue();
    }

    @Test
    void notYamlIsRefusedWithItsLine() {
        DmConfigException e = catchThrowableOfType(DmConfigException.class,
                () -> SourceFiles.parse("source-id: \"a\nfrom: [", "s.yaml", AS_WRITTEN));

        assertThat(e.problems()).singleElement().extracting(Problem::what).asString().startsWith("is not valid YAML");
    }
}
