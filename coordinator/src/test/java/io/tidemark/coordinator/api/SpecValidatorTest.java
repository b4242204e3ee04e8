package io.tidemark.coordinator.api;

import io.tidemark.common.command.DumpFormat;
import io.tidemark.common.command.ImportOptions;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.migration.Mode;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.common.storage.LocationKeys;
import io.tidemark.common.storage.Storages;
import io.tidemark.coordinator.migration.ImportChecksum;
import io.tidemark.coordinator.migration.MigrationSpec;
import io.tidemark.coordinator.migration.TargetTableSetup;
import io.tidemark.storage.s3.S3Credentials;
import io.tidemark.storage.s3.S3Storage;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.util.unit.DataSize;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class SpecValidatorTest {
    private static final SecretBox BOX = TestDatabases.secretBox();
    private static final CreateMigrationRequest.Endpoint SOURCE =
            new CreateMigrationRequest.Endpoint("10.0.0.1", 3306, "dm", "s3cr3t-source");
    private static final CreateMigrationRequest.Endpoint TARGET =
            new CreateMigrationRequest.Endpoint("10.0.0.2", 4000, "root", "s3cr3t-target");
    private static final CreateMigrationRequest VALID = new CreateMigrationRequest("Orders to TiDB", "all", SOURCE,
            TARGET, List.of("shop.*", "!shop.tmp_*"), "file:///var/dumps", null, null);

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
    void anS3LocationWithDumplingsParametersIsTakenAsWritten() {
        String location = "s3://dumps-bucket/tidemark/prod?endpoint=http://127.0.0.1:9000&region=us-east-1"
                + "&force-path-style=true&sse=aws:kms&sse-kms-key-id=alias/dumps&storage-class=STANDARD_IA";
        MigrationSpec spec = validator.validate(withStorage(location));
        assertThat(spec.storage()).isEqualTo(location);

        // a profile on the services' hosts names no secret: accepted
        assertThat(validator.validate(withStorage("S3://bucket/dumps?profile=dumps&region=ap-northeast-1")).storage())
                .isEqualTo("S3://bucket/dumps?profile=dumps&region=ap-northeast-1");
        assertThat(validator.validate(withStorage("s3://bucket")).storage()).isEqualTo("s3://bucket");
    }

    @Test
    void keysInAnS3LocationAreSealedInEverySpellingAndOpenToWhatWasWritten() {
        Map<String, S3Credentials.Keys> written = Map.of(
                "s3://bucket/dumps?access-key=AKIAEXAMPLE&secret-access-key=wJalrXUtnFEMI%2BK7MDENG&region=eu-west-1",
                new S3Credentials.Keys("AKIAEXAMPLE", "wJalrXUtnFEMI+K7MDENG", null),
                "s3://bucket/dumps?Access_Key=AKIAEXAMPLE&SECRET_ACCESS_KEY=wJalrXUtnFEMI+K7MDENG"
                        + "&session-token=FwoGZXIvYXdzEXAMPLETOKEN",
                new S3Credentials.Keys("AKIAEXAMPLE", "wJalrXUtnFEMI+K7MDENG", "FwoGZXIvYXdzEXAMPLETOKEN"),
                "s3://bucket/dumps?access-key=AKIAEXAMPLE&secret%2Daccess%2Dkey=wJalrXUtnFEMI",
                new S3Credentials.Keys("AKIAEXAMPLE", "wJalrXUtnFEMI", null));
        for (Map.Entry<String, S3Credentials.Keys> location : written.entrySet()) {
            MigrationSpec spec = validator.validate(withStorage(location.getKey()));
            assertThat(spec.storage()).as(location.getKey()).startsWith("s3://bucket/dumps?")
                    .contains("=sealed:v1:").doesNotContain("AKIAEXAMPLE").doesNotContain("wJalr")
                    .doesNotContain("FwoGZXIvYXdz");
            try (LocationKeys.Registration ignored = LocationKeys.openWith(BOX)) {
                assertThat(((S3Storage) Storages.open(spec.storage())).location().options().credentials())
                        .as(location.getKey()).isEqualTo(location.getValue());
            }
        }
        MigrationSpec imports = validator.validate(imports(null, "/data/export",
                "s3://b/schema?access-key=AKIAEXAMPLE&secret-access-key=wJalrXUtnFEMI", null, null));
        assertThat(imports.imports().schemaStorage()).startsWith("s3://b/schema?access-key=sealed:v1:")
                .doesNotContain("AKIAEXAMPLE").doesNotContain("wJalr");
    }

    @Test
    void aKeyThatCannotBeUsedIsRefusedWithoutEchoingIt() {
        String sealedElsewhere = LocationKeys.seal("s3://bucket/dumps?access-key=AKIAEXAMPLE&secret-access-key=wJalr",
                SecretBox.fromBase64Key(SecretBox.generateKey()));
        Map<String, String> refusals = Map.of(
                sealedElsewhere, "the sealed access-key of storage location s3://bucket/dumps does not open",
                "s3://AKIAEXAMPLE:wJalrXUtnFEMI@bucket/dumps", "credentials go into the access-key and"
                        + " secret-access-key parameters",
                "s3://bucket/dumps?access-key=AKIAEXAMPLE", "access-key is given without secret-access-key",
                "s3://bucket/dumps?secret-acess-key=wJalrXUtnFEMI&access-key=AKIAEXAMPLE",
                "unknown parameter 'secret-acess-key' (did you mean secret-access-key?)");
        refusals.forEach((location, why) -> {
            Throwable thrown = catchThrowable(() -> validator.validate(withStorage(location)));
            assertThat(thrown).as(location).isInstanceOf(FieldException.class);
            ApiError error = ApiError.of((FieldException) thrown);
            assertThat(error.message()).as(location).startsWith("storage: ").contains(why)
                    .doesNotContain("AKIAEXAMPLE").doesNotContain("wJalr").doesNotContain("sealed:v1:");
            assertThat(thrown.getMessage()).doesNotContain("wJalr").doesNotContain("AKIAEXAMPLE");
        });
    }

    private static CreateMigrationRequest withStorage(String storage) {
        return new CreateMigrationRequest(VALID.name(), VALID.mode(), SOURCE, TARGET, VALID.filter(), storage, null,
                null);
    }

    @Test
    void anIncrementalRequestMayGiveAStartAndNoStorage() {
        MigrationSpec spec = validator.validate(new CreateMigrationRequest("x", "incremental", SOURCE, TARGET, null,
                null, new CreateMigrationRequest.Start("mysql-bin.000003", 1234L, "0-1-9"), null));
        assertThat(spec.start()).isEqualTo(BinlogPosition.of("mysql-bin.000003", 1234, "0-1-9"));
        assertThat(spec.storage()).isNull();
        assertThat(spec.filter()).containsExactly("*.*");
    }

    @Test
    void enableGtidIsForModesThatReplicateAndAStartSetMustReadAsOne() {
        MigrationSpec spec = validator.validate(gtid("incremental",
                new CreateMigrationRequest.Start("mysql-bin.000003", 1234L, "0-1-9,1-2-3"), true));
        assertThat(spec.enableGtid()).isTrue();
        assertThat(spec.start().gtidSet()).isEqualTo("0-1-9,1-2-3");
        assertThat(validator.validate(gtid("incremental", null, null)).enableGtid()).isFalse();

        assertThatThrownBy(() -> validator.validate(gtid("full", null, true))).isInstanceOf(TidemarkException.class)
                .hasMessageContaining("TM-10001").hasMessageContaining("enableGtid is only for modes incremental"
                        + " and all; mode full replicates nothing");
        assertThatThrownBy(() -> validator.validate(gtid("incremental",
                new CreateMigrationRequest.Start("mysql-bin.000003", 1234L, "3e11fa47-71ca-11e1-9e33:1-5"), true)))
                .hasMessageContaining("TM-30030").hasMessageContaining("is not a server UUID");
    }

    private static CreateMigrationRequest gtid(String mode, CreateMigrationRequest.Start start, Boolean enableGtid) {
        return new CreateMigrationRequest("x", mode, SOURCE, TARGET, null, mode.equals("full") ? "file:///d" : null,
                start, null, null, null, null, null, null, null, null, null, enableGtid);
    }

    @Test
    void targetTablesSaysWhoCreatesTheTargetTablesAndDefaultsToTidemark() {
        assertThat(validator.validate(VALID).targetTables()).isEqualTo(TargetTableSetup.CREATE);
        CreateMigrationRequest preCreated = new CreateMigrationRequest(VALID.name(), VALID.mode(), SOURCE, TARGET,
                VALID.filter(), VALID.storage(), null, "Pre-Created");
        assertThat(validator.validate(preCreated).targetTables()).isEqualTo(TargetTableSetup.PRE_CREATED);

        CreateMigrationRequest misspelt = new CreateMigrationRequest(VALID.name(), VALID.mode(), SOURCE, TARGET,
                VALID.filter(), VALID.storage(), null, "precreated");
        assertThatThrownBy(() -> validator.validate(misspelt)).isInstanceOf(TidemarkException.class)
                .hasMessageContaining("TM-10001")
                .hasMessageContaining("targetTables 'precreated' is not one of create, pre-created");
    }

    @Test
    void checksumTakesLightningsPostRestoreLevelsWhereTablesAreImportedAndDefaultsToRequired() {
        assertThat(validator.validate(VALID).checksum()).isEqualTo(ImportChecksum.REQUIRED);
        assertThat(validator.validate(withChecksum("all", " Optional")).checksum()).isEqualTo(ImportChecksum.OPTIONAL);
        assertThat(validator.validate(withChecksum("full", "off")).checksum()).isEqualTo(ImportChecksum.OFF);

        assertThatThrownBy(() -> validator.validate(withChecksum("all", "none")))
                .hasMessageContaining("TM-10001")
                .hasMessageContaining("checksum 'none' is not one of required, optional, off");
        assertThatThrownBy(() -> validator.validate(withChecksum("incremental", "off")))
                .hasMessageContaining("checksum is only for modes full, all and import")
                .hasMessageContaining("mode incremental imports nothing, so leave checksum out");
    }

    private static CreateMigrationRequest withChecksum(String mode, String checksum) {
        return new CreateMigrationRequest(VALID.name(), mode, SOURCE, TARGET, VALID.filter(),
                mode.equals("incremental") ? null : VALID.storage(), null, null, null, null, null, null, null, null,
                null, null, checksum, null);
    }

    private static CreateMigrationRequest imports(CreateMigrationRequest.Endpoint source, String storage,
                                                  String schemaStorage, String onDuplicate, String format) {
        return new CreateMigrationRequest("aurora export", "import", source, TARGET, List.of("mydb.*"), storage,
                null, null, format, schemaStorage, onDuplicate);
    }

    @Test
    void anImportReadsNoSourceAndTakesItsFilesSchemaFilesAndDuplicateRule() {
        MigrationSpec spec = validator.validate(imports(null, "s3://my-bucket/aurora-export?region=us-west-2",
                "s3://my-bucket/schema-backup", "Ignore", null));

        assertThat(spec.mode()).isEqualTo(Mode.IMPORT);
        assertThat(spec.source()).isNull();
        assertThat(spec.storage()).isEqualTo("s3://my-bucket/aurora-export?region=us-west-2");
        assertThat(spec.imports().schemaStorage()).isEqualTo("s3://my-bucket/schema-backup");
        assertThat(spec.imports().onDuplicate()).isEqualTo(ImportOptions.OnDuplicate.IGNORE);
        assertThat(spec.imports().tables()).isEmpty(); // found in the files afterwards
        assertThat(spec.format()).isNull();
        assertThat(validator.validate(imports(null, "/data/export", null, null, null)).imports().onDuplicate())
                .isEqualTo(ImportOptions.OnDuplicate.REPLACE);
    }

    @Test
    void aSnapshotsFormatIsTakenInModesFullAndAllAlone() {
        assertThat(validator.validate(VALID).format()).isEqualTo(DumpFormat.SQL);
        CreateMigrationRequest parquet = new CreateMigrationRequest(VALID.name(), "full", SOURCE, TARGET,
                VALID.filter(), VALID.storage(), null, null, "Parquet", null, null);
        assertThat(validator.validate(parquet).format()).isEqualTo(DumpFormat.PARQUET);
    }

    static Stream<Arguments> badImportRequests() {
        return Stream.of(
                Arguments.of("a source", imports(SOURCE, "/data/export", null, null, null),
                        "mode import reads no source database; remove source"),
                Arguments.of("no storage", imports(null, null, null, null, null),
                        "storage is missing; mode import reads the files to import from it"),
                Arguments.of("a bad onDuplicate", imports(null, "/data/export", null, "overwrite", null),
                        "onDuplicate 'overwrite' is not one of replace, ignore, error"),
                Arguments.of("a format", imports(null, "/data/export", null, null, "parquet"),
                        "format is only for modes full and all"),
                Arguments.of("schemaStorage in mode full", new CreateMigrationRequest(VALID.name(), "full", SOURCE,
                        TARGET, VALID.filter(), VALID.storage(), null, null, null, "/data/schema", null),
                        "schemaStorage is only for mode import"),
                Arguments.of("onDuplicate in mode all", new CreateMigrationRequest(VALID.name(), "all", SOURCE,
                        TARGET, VALID.filter(), VALID.storage(), null, null, null, null, "error"),
                        "onDuplicate is only for mode import"),
                Arguments.of("a format in mode incremental", new CreateMigrationRequest(VALID.name(), "incremental",
                        SOURCE, TARGET, VALID.filter(), null, null, null, "sql", null, null),
                        "format is only for modes full and all"),
                Arguments.of("a bad format", new CreateMigrationRequest(VALID.name(), "full", SOURCE, TARGET,
                        VALID.filter(), VALID.storage(), null, null, "csv", null, null),
                        "format 'csv' is not one of sql, parquet"),
                Arguments.of("a start", new CreateMigrationRequest("x", "import", null, TARGET, null, "/data/export",
                        new CreateMigrationRequest.Start("mysql-bin.000001", 4L, null), null),
                        "start is only for mode incremental; mode import replicates nothing"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badImportRequests")
    void importAndFormatFieldsAreRefusedWhereTheyDoNotApply(String why, CreateMigrationRequest request,
                                                            String message) {
        Throwable thrown = catchThrowable(() -> validator.validate(request));
        ApiError error = switch (thrown) {
            case TidemarkException e -> ApiError.of(e);
            case FieldException e -> ApiError.of(e);
            default -> throw new AssertionError("unexpected " + thrown, thrown);
        };
        assertThat(error.code()).isEqualTo("TM-10001");
        assertThat(error.message()).contains(message).doesNotContain("AKIAEXAMPLE");
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                bad("no name", r -> with(r, null, r.mode(), r.source(), r.target(), r.filter(), r.storage(), r.start()),
                        "TM-10001", "name is missing"),
                bad("no mode", r -> with(r, r.name(), null, r.source(), r.target(), r.filter(), r.storage(), r.start()),
                        "TM-10001", "mode is missing"),
                bad("bad mode", r -> with(r, r.name(), "both", r.source(), r.target(), r.filter(), r.storage(), r.start()),
                        "TM-10001", "mode 'both' is not one of full, incremental, all, import"),
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
                bad("unknown s3 parameter", r -> with(r, r.name(), r.mode(), r.source(), r.target(), r.filter(),
                        "s3://bucket/dumps?regoin=us-east-1", r.start()), "TM-40008",
                        "storage: storage location s3://bucket/dumps?regoin=us-east-1 is invalid: unknown parameter"
                                + " 'regoin' (did you mean region?)"),
                bad("bad s3 parameter value", r -> with(r, r.name(), r.mode(), r.source(), r.target(), r.filter(),
                        "s3://bucket/dumps?force-path-style=maybe", r.start()), "TM-40008",
                        "force-path-style must be true or false, not 'maybe'"),
                bad("s3 host and port as the bucket", r -> with(r, r.name(), r.mode(), r.source(), r.target(),
                        r.filter(), "s3://127.0.0.1:9000/bucket/dumps", r.start()), "TM-40008",
                        "into the endpoint parameter (s3://bucket/prefix?endpoint=http://host:port)"),
                bad("s3 without a bucket", r -> with(r, r.name(), r.mode(), r.source(), r.target(), r.filter(),
                        "s3:///dumps", r.start()), "TM-40008", "no bucket: write s3://bucket/prefix"),
                bad("s3 parameter BR has and Tidemark refuses", r -> with(r, r.name(), r.mode(), r.source(),
                        r.target(), r.filter(), "s3://bucket/dumps?role-arn=arn:aws:iam::1:role/x", r.start()),
                        "TM-40008", "parameter role-arn is not supported by Tidemark"),
                bad("half a key pair in the s3 location", r -> with(r, r.name(), r.mode(), r.source(), r.target(),
                        r.filter(), "s3://bucket/dumps?region=us-east-1&access-key=AKIAEXAMPLE", r.start()),
                        "TM-40008", "storage: storage location s3://bucket/dumps?region=us-east-1&access-key=*** is"
                                + " invalid: access-key is given without secret-access-key"),
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
        return new CreateMigrationRequest(name, mode, source, target, filter, storage, start, null);
    }

    /** {@link #VALID} as a user writes it */
    private static final String VALID_JSON = """
            {"name": "Orders to TiDB", "mode": "all",
             "source": {"host": "10.0.0.1", "port": 3306, "user": "dm", "password": "s3cr3t-source"},
             "target": {"host": "10.0.0.2", "port": 4000, "user": "root", "password": "s3cr3t-target"},
             "filter": ["shop.*", "!shop.tmp_*"], "storage": "file:///var/dumps"}
            """;

    private static CreateMigrationRequest read(String json) {
        return SpecJson.read(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theSpecAsJsonReadsAsTheRequest() {
        assertThat(read(VALID_JSON)).isEqualTo(VALID);
        assertThat(read("  ")).isNull();
    }

    static Stream<Arguments> specsThatDoNotFit() {
        return Stream.of(
                // a misspelt field must not fall back to a default: "filters" would migrate every table
                Arguments.of("misspelt top-level field", VALID_JSON.replace("\"filter\"", "\"filters\""),
                        "`filters` is not a field of the migration spec; did you mean `filter`?"),
                Arguments.of("a field in another case", VALID_JSON.replace("\"mode\"", "\"Mode\""),
                        "`Mode` is not a field of the migration spec; did you mean `mode`?"),
                Arguments.of("misspelt source field", VALID_JSON.replace("\"password\": \"s3cr3t-source\"",
                        "\"passwrd\": \"s3cr3t-source\""),
                        "`source.passwrd` is not a field of source; did you mean `source.password`?"),
                Arguments.of("longer name for a target field", VALID_JSON.replace("\"host\": \"10.0.0.2\"",
                        "\"hostname\": \"10.0.0.2\""),
                        "`target.hostname` is not a field of target; did you mean `target.host`?"),
                Arguments.of("swapped letters in start", VALID_JSON.replace("\"mode\": \"all\"",
                        "\"mode\": \"incremental\", \"start\": {\"file\": \"mysql-bin.000001\", \"pso\": 4}"),
                        "`start.pso` is not a field of start; did you mean `start.pos`?"),
                Arguments.of("a field with no near name", VALID_JSON.replace("\"storage\"", "\"priority\": 1, \"storage\""),
                        "`priority` is not a field of the migration spec; its fields are name, mode, source, target,"
                                + " filter, storage, start"),
                // wrong types, in JSON's words
                Arguments.of("port as text", VALID_JSON.replace("3306", "\"x\""),
                        "`source.port` must be a number, not \"x\""),
                Arguments.of("port with a fraction", VALID_JSON.replace("3306", "3306.5"),
                        "`source.port` must be a whole number, not 3306.5"),
                Arguments.of("port out of range", VALID_JSON.replace("3306", "99999999999"),
                        "`source.port` is a number out of range"),
                Arguments.of("filter as one string", VALID_JSON.replace("[\"shop.*\", \"!shop.tmp_*\"]", "\"shop.*\""),
                        "`filter` must be a list"),
                Arguments.of("filter rule as an object", VALID_JSON.replace("\"!shop.tmp_*\"", "{}"),
                        "`filter[1]` must be a string"),
                Arguments.of("endpoint as a string", VALID_JSON.replace(
                        "{\"host\": \"10.0.0.1\", \"port\": 3306, \"user\": \"dm\", \"password\": \"s3cr3t-source\"}",
                        "\"10.0.0.1:3306\""), "`source` must be an object with the fields host, port, user, password"),
                Arguments.of("a list for the whole spec", "[" + VALID_JSON + "]",
                        "the request body must be a JSON object with the fields name, mode, source, target, filter,"
                                + " storage, start"),
                // JSON that is not one object with each field once
                Arguments.of("a field twice", VALID_JSON.replace("\"storage\"", "\"filter\": [\"*.*\"], \"storage\""),
                        "not valid JSON at line 4, column 47: Duplicate Object property \"filter\""),
                Arguments.of("not JSON", "{\"name\": ", "the request body is not valid JSON at line 1"),
                Arguments.of("something after the object", VALID_JSON + " {}",
                        "the request body goes on after the spec's closing brace at line 5"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specsThatDoNotFit")
    void aSpecThatDoesNotFitIsRefusedNamingThePathInJsonTerms(String why, String json, String message) {
        Throwable thrown = catchThrowable(() -> read(json));
        assertThat(thrown).as(why).isInstanceOf(TidemarkException.class);
        ApiError error = ApiError.of((TidemarkException) thrown);
        assertThat(error.code()).isEqualTo("TM-10001");
        assertThat(error.message()).contains(message).doesNotContain("java.").doesNotContain("Integer")
                .doesNotContain("ArrayList").doesNotContain("s3cr3t");
        assertThat(error.remedy()).isNotBlank();
    }

    @Test
    void aSpecLargerThanTheLimitIsRefusedBeforeItIsReadWholeNamingTheLimit() {
        DataSize limit = DataSize.ofKilobytes(1);
        String big = VALID_JSON.replace("\"!shop.tmp_*\"", "\"" + "x".repeat(2000) + ".y\"");
        byte[] bytes = big.getBytes(StandardCharsets.UTF_8);

        // with the length declared: refused from it, before a byte is read
        ByteArrayInputStream declared = new ByteArrayInputStream(bytes);
        assertThatThrownBy(() -> SpecJson.read(declared, bytes.length, limit)).isInstanceOf(TidemarkException.class)
                .satisfies(e -> assertThat(((TidemarkException) e).detail())
                        .isEqualTo("the migration spec is " + bytes.length + " bytes; at most 1 KiB is accepted"
                                + " (tidemark.coordinator.max-spec-bytes)"))
                .satisfies(e -> assertThat(((TidemarkException) e).error()).isEqualTo(ErrorCode.SPEC_TOO_LARGE));
        assertThat(declared.available()).isEqualTo(bytes.length);

        // without it (chunked): refused after the limit, not read to the end
        ByteArrayInputStream chunked = new ByteArrayInputStream(bytes);
        assertThatThrownBy(() -> SpecJson.read(chunked, -1, limit)).isInstanceOf(TidemarkException.class)
                .satisfies(e -> assertThat(((TidemarkException) e).detail())
                        .startsWith("the migration spec is larger than 1 KiB; at most 1 KiB is accepted"));
        assertThat(chunked.available()).isEqualTo(bytes.length - 1025);
    }

    @Test
    void aSpecUpToTheLimitIsRead() throws Exception {
        byte[] bytes = VALID_JSON.getBytes(StandardCharsets.UTF_8);
        assertThat(SpecJson.read(new ByteArrayInputStream(bytes), bytes.length, DataSize.ofBytes(bytes.length)))
                .isEqualTo(VALID);
        assertThat(SpecJson.read(new ByteArrayInputStream(bytes), -1, DataSize.ofBytes(bytes.length))).isEqualTo(VALID);
    }
}
