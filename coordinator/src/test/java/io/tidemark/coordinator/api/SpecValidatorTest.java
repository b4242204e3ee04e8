package io.tidemark.coordinator.api;

import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.migration.Mode;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.coordinator.migration.MigrationSpec;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class SpecValidatorTest {
    private static final SecretBox BOX = TestDatabases.secretBox();
    private static final CreateMigrationRequest.Endpoint SOURCE =
            new CreateMigrationRequest.Endpoint("10.0.0.1", 3306, "dm", "s3cr3t-source");
    private static final CreateMigrationRequest.Endpoint TARGET =
            new CreateMigrationRequest.Endpoint("10.0.0.2", 4000, "root", "s3cr3t-target");
    private static final CreateMigrationRequest VALID = new CreateMigrationRequest("Orders to TiDB", "all", SOURCE,
            TARGET, List.of("shop.*", "!shop.tmp_*"), "file:///var/dumps", null);

    private final SpecValidator validator = new SpecValidator(BOX);

    @Test
    void aValidRequestBecomesASpecWithSealedPasswords() {
        MigrationSpec spec = validator.validate(VALID);
        assertThat(spec.mode()).isEqualTo(Mode.ALL);
        assertThat(spec.filter()).containsExactly("shop.*", "!shop.tmp_*");
        assertThat(spec.storage()).isEqualTo("file:///var/dumps");
        assertThat(spec.source().password().value()).startsWith("enc:v1:").doesNotContain("s3cr3t");
        assertThat(BOX.open(spec.source().password())).isEqualTo("s3cr3t-source");
        assertThat(BOX.open(spec.target().password())).isEqualTo("s3cr3t-target");
        assertThat(VALID.toString()).doesNotContain("s3cr3t");
    }

    @Test
    void anIncrementalRequestMayGiveAStartAndNoStorage() {
        MigrationSpec spec = validator.validate(new CreateMigrationRequest("x", "incremental", SOURCE, TARGET, null,
                null, new CreateMigrationRequest.Start("mysql-bin.000003", 1234L, "0-1-9")));
        assertThat(spec.start()).isEqualTo(BinlogPosition.of("mysql-bin.000003", 1234, "0-1-9"));
        assertThat(spec.storage()).isNull();
        assertThat(spec.filter()).containsExactly("*.*");
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                bad("no name", r -> with(r, null, r.mode(), r.source(), r.target(), r.filter(), r.storage(), r.start()),
                        "TM-10001", "name is missing"),
                bad("no mode", r -> with(r, r.name(), null, r.source(), r.target(), r.filter(), r.storage(), r.start()),
                        "TM-10001", "mode is missing"),
                bad("bad mode", r -> with(r, r.name(), "both", r.source(), r.target(), r.filter(), r.storage(), r.start()),
                        "TM-10001", "mode 'both' is not one of full, incremental, all"),
                bad("no source", r -> with(r, r.name(), r.mode(), null, r.target(), r.filter(), r.storage(), r.start()),
                        "TM-10001", "source is missing"),
                bad("no target", r -> with(r, r.name(), r.mode(), r.source(), null, r.filter(), r.storage(), r.start()),
                        "TM-10001", "target is missing"),
                bad("no host", r -> with(r, r.name(), r.mode(), new CreateMigrationRequest.Endpoint(" ", 3306, "u", "p"),
                        r.target(), r.filter(), r.storage(), r.start()), "TM-10001", "source.host is missing"),
                bad("no port", r -> with(r, r.name(), r.mode(), r.source(), new CreateMigrationRequest.Endpoint("h",
                        null, "u", "p"), r.filter(), r.storage(), r.start()), "TM-10001", "target.port is missing"),
                bad("bad port", r -> with(r, r.name(), r.mode(), new CreateMigrationRequest.Endpoint("h", 70000, "u",
                        "p"), r.target(), r.filter(), r.storage(), r.start()), "TM-10001",
                        "source.port 70000 is not in 1..65535"),
                bad("no user", r -> with(r, r.name(), r.mode(), new CreateMigrationRequest.Endpoint("h", 3306, null,
                        "p"), r.target(), r.filter(), r.storage(), r.start()), "TM-10001", "source.user is missing"),
                bad("bad filter", r -> with(r, r.name(), r.mode(), r.source(), r.target(), List.of("shop.*", "nodot"),
                        r.storage(), r.start()), "TM-10003", "filter: invalid table filter rule 'nodot'"),
                bad("empty filter", r -> with(r, r.name(), r.mode(), r.source(), r.target(), List.of(), r.storage(),
                        r.start()), "TM-10003", "filter: invalid table filter rule '[]': at least one rule"),
                bad("no storage", r -> with(r, r.name(), r.mode(), r.source(), r.target(), r.filter(), null, r.start()),
                        "TM-10001", "storage is missing"),
                bad("relative storage", r -> with(r, r.name(), r.mode(), r.source(), r.target(), r.filter(),
                        "dumps/here", r.start()), "TM-10004", "storage: unsupported storage location 'dumps/here'"),
                bad("unknown scheme", r -> with(r, r.name(), r.mode(), r.source(), r.target(), r.filter(),
                        "ftp://host/x", r.start()), "TM-10004", "storage: unsupported storage location 'ftp://host/x'"),
                bad("s3 before its provider ships", r -> with(r, r.name(), r.mode(), r.source(), r.target(),
                        r.filter(), "s3://bucket/dumps", r.start()), "TM-10004",
                        "storage: unsupported storage location 's3://bucket/dumps'"),
                bad("start for mode all", r -> with(r, r.name(), r.mode(), r.source(), r.target(), r.filter(),
                        r.storage(), new CreateMigrationRequest.Start("mysql-bin.000001", 4L, null)), "TM-10001",
                        "start is only for mode incremental"),
                bad("start without file", r -> with(r, r.name(), "incremental", r.source(), r.target(), r.filter(),
                        r.storage(), new CreateMigrationRequest.Start(null, 4L, null)), "TM-10001",
                        "start.file is missing"),
                bad("start before the first event", r -> with(r, r.name(), "incremental", r.source(), r.target(),
                        r.filter(), r.storage(), new CreateMigrationRequest.Start("mysql-bin.000001", 1L, null)),
                        "TM-10001", "start.pos 1 is before the first event"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void eachBadFieldIsRejectedNamingTheField(String why, CreateMigrationRequest request, String code, String message) {
        Throwable thrown = catchThrowable(() -> validator.validate(request));
        ApiError error = switch (thrown) {
            case TidemarkException e -> ApiError.of(e);
            case FieldException e -> ApiError.of(e);
            default -> throw new AssertionError("unexpected " + thrown, thrown);
        };
        assertThat(error.code()).isEqualTo(code);
        assertThat(error.message()).contains(message);
        assertThat(error.remedy()).isNotBlank();
    }

    private static Arguments bad(String why, UnaryOperator<CreateMigrationRequest> change, String code, String message) {
        return Arguments.of(why, change.apply(VALID), code, message);
    }

    private static CreateMigrationRequest with(CreateMigrationRequest ignored, String name, String mode,
                                               CreateMigrationRequest.Endpoint source,
                                               CreateMigrationRequest.Endpoint target, List<String> filter,
                                               String storage, CreateMigrationRequest.Start start) {
        return new CreateMigrationRequest(name, mode, source, target, filter, storage, start);
    }
}
