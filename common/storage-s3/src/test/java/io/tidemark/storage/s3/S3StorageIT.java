package io.tidemark.storage.s3;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.common.storage.LocationKeys;
import io.tidemark.common.storage.Storage;
import io.tidemark.common.storage.Storages;
import io.tidemark.testkit.LocalS3;
import io.tidemark.testkit.SilentServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * S3Storage against a real S3-compatible server on this machine (S3Mock, through HTTP with path-style requests and an
 * endpoint override, as users of MinIO or Ceph write their locations). S3Mock checks no signatures: that keys are
 * refused is covered by {@link S3ErrorsTest} from S3's own answers; here only where credentials come from is tested.
 */
class S3StorageIT {
    private static final String BUCKET = "dumps";
    private static final String KMS_KEY_ID = "tidemark-it-key";
    /** S3Mock takes the ARN as its configuration and the key id in requests */
    private static final String KMS_KEY = "arn:aws:kms:us-east-1:111122223333:key/" + KMS_KEY_ID;
    private static final int MIB = 1 << 20;

    @TempDir
    static Path dir;
    static LocalS3 s3;

    private String prefix;

    @BeforeAll
    static void startS3() {
        s3 = LocalS3.start(dir, List.of(BUCKET), List.of(KMS_KEY));
    }

    @AfterAll
    static void stopS3() {
        s3.stop();
    }

    @BeforeEach
    void prefixPerTest(TestInfo test) {
        prefix = "it/" + test.getTestMethod().orElseThrow().getName() + "/" + System.nanoTime();
    }

    private S3Storage storage() {
        return (S3Storage) Storages.open(s3.location(BUCKET, prefix));
    }

    private S3Storage storage(String extraParameters) {
        return (S3Storage) Storages.open(s3.location(BUCKET, prefix) + "&" + extraParameters);
    }

    /** this test's storage, through {@code proxy} */
    private S3Storage via(CuttingProxy proxy, String extraParameters) {
        return (S3Storage) Storages.open("s3://" + BUCKET + "/" + prefix + "?endpoint="
                + enc(proxy.endpoint().toString()) + "&force-path-style=true&access-key=a&secret-access-key=b&"
                + extraParameters);
    }

    @Test
    void storagesOpenFindsS3ThroughTheServiceLoaderAndItsRootHoldsNoSecret() {
        Storage storage = Storages.open(s3.location(BUCKET, "dump/m1"));

        assertThat(storage).isInstanceOf(S3Storage.class);
        assertThat(storage.root()).hasToString("s3://dumps/dump/m1/");
        assertThat(storage.resolve("shop").root()).hasToString("s3://dumps/dump/m1/shop/");
        assertThatThrownBy(() -> Storages.open("s3://dumps/x?endpont=" + s3.endpoint()))
                .isInstanceOfSatisfying(TidemarkException.class,
                        e -> assertThat(e.error()).isEqualTo(ErrorCode.STORAGE_LOCATION_INVALID))
                .hasMessageContaining("unknown parameter 'endpont' (did you mean endpoint?)");
    }

    @Test
    void aSmallFileAppearsOnlyWhenItsStreamClosesAndReadsBack() throws IOException {
        S3Storage storage = storage();

        OutputStream out = storage.create("m1/metadata");
        out.write("Started dump at: 2026-11-30 10:00:00\n".getBytes(StandardCharsets.UTF_8));
        assertThat(storage.exists("m1/metadata")).isFalse();
        assertThat(storage.list("m1")).isEmpty();
        out.close();
        out.close(); // closing twice publishes once

        assertThat(storage.exists("m1/metadata")).isTrue();
        assertThat(storage.size("m1/metadata")).isEqualTo(37);
        assertThat(storage.list("m1")).containsExactly("m1/metadata");
        try (InputStream in = storage.open("m1/metadata")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("Started dump at: 2026-11-30 10:00:00\n");
        }
        assertThatThrownBy(() -> out.write(1)).isInstanceOf(IOException.class).hasMessageContaining("stream closed");
    }

    @ParameterizedTest(name = "checksums on uploads: {0}")
    @ValueSource(booleans = {false, true})
    void aLargeFileGoesUpInPartsUnseenUntilCompleteAndReadsBackIdentical(boolean awsChecksums) throws Exception {
        // false: what an S3-compatible endpoint gets; true: the CRC32-checked parts AWS S3 gets
        S3Location location = S3Location.parse(s3.location(BUCKET, prefix));
        S3Storage storage = S3Storage.open(location,
                S3Clients.Settings.of(location.options()).withFlexibleChecksums(awsChecksums));
        byte[] content = random(20 * MIB + 12_345, 7);

        OutputStream out = storage.create("shop.orders.000000001.sql");
        writeInOddPieces(out, content);
        assertThat(storage.exists("shop.orders.000000001.sql")).as("parts are uploaded, the object is not").isFalse();
        out.close();

        assertThat(storage.size("shop.orders.000000001.sql")).isEqualTo(content.length);
        assertThat(storage.head(storage.key("shop.orders.000000001.sql")).eTag())
                .as("a multipart object's ETag counts its parts: 8 + 8 + 4 MiB").endsWith("-3\"");
        try (InputStream in = storage.open("shop.orders.000000001.sql")) {
            assertThat(sha256(in)).isEqualTo(sha256(content));
        }
    }

    @Test
    void aFileOfExactlyOnePartIsOnePutAndAnEmptyFileIsAnEmptyObject() throws IOException {
        S3Storage storage = storage();
        byte[] content = random(S3OutputStream.PART_SIZE, 8);

        try (OutputStream out = storage.create("one-part")) {
            out.write(content);
        }
        try (OutputStream out = storage.create("empty")) {
            out.flush();
        }

        assertThat(storage.head(storage.key("one-part")).eTag()).doesNotContain("-");
        try (InputStream in = storage.open("one-part")) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
        assertThat(storage.size("empty")).isZero();
        try (InputStream in = storage.open("empty")) {
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void aPartThatCannotBeSentAbortsTheUploadAndPublishesNothing() throws Exception {
        try (CuttingProxy proxy = new CuttingProxy(s3.endpoint())) {
            S3Storage storage = via(proxy, "connect-timeout=2s&read-timeout=5s");
            OutputStream out = storage.create("doomed.sql");
            out.write(random(S3OutputStream.PART_SIZE + 1, 9)); // part 1 goes out
            proxy.cutRequestsAfter(MIB); // every later request breaks after 1 MiB: the abort is smaller

            assertThatThrownBy(() -> out.write(random(S3OutputStream.PART_SIZE, 10)))
                    .isInstanceOfSatisfying(TidemarkException.class, e -> {
                        assertThat(e.error()).isEqualTo(ErrorCode.STORAGE_IO);
                        assertThat(e.retriable()).isTrue();
                    })
                    .hasMessageContaining("s3://dumps/" + prefix + "/doomed.sql (UploadPart)");
            assertThatThrownBy(out::close).isInstanceOf(IOException.class)
                    .hasMessageContaining("was not written: an earlier part failed");
            proxy.cutRequestsAfter(Long.MAX_VALUE);

            assertThat(storage.exists("doomed.sql")).isFalse();
            assertThat(storage.connection().client().listMultipartUploads(r -> r.bucket(BUCKET).prefix(prefix))
                    .uploads()).as("the upload was aborted, no parts are left").isEmpty();
        }
    }

    @Test
    void aReadThatBreaksOffResumesWhereItStopped() throws Exception {
        byte[] content = random(20 * MIB, 11);
        try (OutputStream out = storage().create("big.parquet")) {
            out.write(content);
        }
        try (CuttingProxy proxy = new CuttingProxy(s3.endpoint())) {
            proxy.cutResponsesAfter(3 * MIB);
            S3Storage flaky = via(proxy, "read-timeout=5s");

            try (InputStream in = flaky.open("big.parquet")) {
                assertThat(sha256(in)).isEqualTo(sha256(content));
            }
            assertThat(proxy.cuts()).as("the connection was cut at least every 3 MiB").isGreaterThanOrEqualTo(6);

            try (InputStream in = flaky.open("big.parquet", 5 * MIB + 3, 7 * MIB)) {
                assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(content, 5 * MIB + 3, 12 * MIB + 3));
            }
        }
    }

    @Test
    void aRangeReadsOnlyItsBytesAndAFarSkipAsksFromThere() throws IOException {
        S3Storage storage = storage();
        byte[] content = random(3 * MIB, 12);
        try (OutputStream out = storage.create("ranged")) {
            out.write(content);
        }

        try (InputStream in = storage.open("ranged", 1000, 5000)) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(content, 1000, 6000));
        }
        try (InputStream in = storage.open("ranged", content.length - 10, 100)) {
            assertThat(in.readAllBytes()).as("a range past the end is cut at the end")
                    .isEqualTo(Arrays.copyOfRange(content, content.length - 10, content.length));
        }
        try (InputStream in = storage.open("ranged", content.length, 10)) {
            assertThat(in.readAllBytes()).isEmpty();
        }
        try (InputStream in = storage.open("ranged", content.length + 100, 10)) {
            assertThat(in.readAllBytes()).isEmpty();
        }
        try (InputStream in = storage.open("ranged", 5, 0)) {
            assertThat(in.readAllBytes()).isEmpty();
        }
        try (InputStream in = storage.open("ranged")) {
            assertThat(in.readNBytes(10)).isEqualTo(Arrays.copyOfRange(content, 0, 10));
            assertThat(in.skip(2 * MIB)).isEqualTo(2 * MIB);
            assertThat(in.readNBytes(10)).isEqualTo(Arrays.copyOfRange(content, 2 * MIB + 10, 2 * MIB + 20));
            assertThat(in.skip(10 * MIB)).as("skipping stops at the end").isEqualTo(content.length - 2 * MIB - 20);
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThatThrownBy(() -> storage.open("ranged", -1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> storage.open("missing", 0, 10)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void listingCrossesPagesInNameOrderAndLeavesHiddenNamesOut() throws IOException {
        S3Storage storage = storage().withListPageSize(5);
        List<String> files = new ArrayList<>();
        for (int i = 22; i >= 0; i--) {
            String name = "export/shop.orders/part-%05d.gz.parquet".formatted(i);
            write(storage, name, "x");
            files.add(name);
        }
        for (String batch : List.of("2", "10", "1")) {
            write(storage, "export/shop.orders/" + batch + "/part-00000-c000.gz.parquet", "y");
        }
        write(storage, "export/shop.orders/.tidemark-precheck/probe", "z");
        write(storage, "export/shop.orders/.hidden", "z");
        write(storage, "export/shop.orders/_SUCCESS", "");
        files.add("export/shop.orders/_SUCCESS");
        files.sort(null);

        assertThat(storage.list("export/shop.orders")).containsExactlyElementsOf(files);
        assertThat(storage.list("export/shop.orders/")).containsExactlyElementsOf(files);
        assertThat(storage.directories("export/shop.orders")).containsExactly(
                "export/shop.orders/1", "export/shop.orders/10", "export/shop.orders/2");
        assertThat(storage.directories("")).containsExactly("export");
        var tree = storage.walk("export");
        assertThat(tree).hasSize(27)
                .doesNotContainKeys("export/shop.orders/.hidden", "export/shop.orders/.tidemark-precheck/probe")
                .containsEntry("export/shop.orders/part-00022.gz.parquet", 1L)
                .containsEntry("export/shop.orders/_SUCCESS", 0L);
        assertThat(tree.firstKey()).isEqualTo("export/shop.orders/1/part-00000-c000.gz.parquet");
        assertThat(storage.resolve("export").list("shop.orders")).hasSize(24).first()
                .isEqualTo("shop.orders/_SUCCESS");
        assertThat(storage.list("nothing-here")).isEmpty();
        assertThat(storage.directories("nothing-here")).isEmpty();
    }

    @Test
    void existsSizeAndDeleteAnswerForTheObjectAndDeletingTwiceIsFine() throws IOException {
        S3Storage storage = storage();
        write(storage, "a/b.csv", "1,2\n");

        assertThat(storage.exists("a/b.csv")).isTrue();
        assertThat(storage.exists("a")).as("a directory is not a file").isFalse();
        assertThat(storage.exists("a/c.csv")).isFalse();
        assertThat(storage.size("a/b.csv")).isEqualTo(4);
        storage.delete("a/b.csv");
        storage.delete("a/b.csv");
        assertThat(storage.exists("a/b.csv")).isFalse();
        assertThat(storage.list("a")).isEmpty();
    }

    @Test
    void aMissingObjectIsNoSuchFileNamingIt() {
        S3Storage storage = storage();

        assertThatThrownBy(() -> storage.open("gone.sql")).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("s3://dumps/" + prefix + "/gone.sql")
                .hasMessageContaining("no such object in bucket dumps");
        assertThatThrownBy(() -> storage.size("gone.sql")).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("s3://dumps/" + prefix + "/gone.sql");
    }

    @Test
    void aBucketThatDoesNotExistIsNamedWithItsRegionAndEndpoint() {
        Storage storage = Storages.open(s3.location("no-such-bucket", "dump"));
        String expected = "TM-40004 bucket no-such-bucket does not exist in region us-east-1 (endpoint "
                + s3.endpoint() + ")";

        for (var call : List.<ThrowingCall>of(() -> storage.exists("x"), () -> storage.list(""),
                () -> storage.open("x"), () -> storage.size("x"), () -> storage.create("x").close(),
                () -> storage.delete("x"))) {
            assertThatThrownBy(call::run)
                    .isInstanceOfSatisfying(TidemarkException.class, e -> {
                        assertThat(e.error()).isEqualTo(ErrorCode.STORAGE_BUCKET_NOT_FOUND);
                        assertThat(e.retriable()).isFalse();
                    })
                    .hasMessageStartingWith(expected);
        }
    }

    @Test
    void aHostThatDoesNotResolveIsNamedWithWhatToFix() {
        String local = "http://localhost:" + s3.port();
        Storage virtualHosted = Storages.open("s3://dumps/x?force-path-style=false&endpoint=" + enc(local)
                + "&access-key=a&secret-access-key=b");
        Storage unknown = Storages.open("s3://dumps/x?endpoint=" + enc("http://s3.tidemark.invalid:9000")
                + "&access-key=a&secret-access-key=b");

        assertThatThrownBy(() -> virtualHosted.exists("y"))
                .isInstanceOfSatisfying(TidemarkException.class,
                        e -> assertThat(e.error()).isEqualTo(ErrorCode.STORAGE_HOST_UNKNOWN))
                .hasMessageContaining("host dumps.localhost does not resolve")
                .hasMessageContaining("set force-path-style=true");
        assertThatThrownBy(() -> unknown.list(""))
                .isInstanceOfSatisfying(TidemarkException.class,
                        e -> assertThat(e.error()).isEqualTo(ErrorCode.STORAGE_HOST_UNKNOWN))
                .hasMessageContaining("cannot reach storage s3://dumps/x/ (ListObjectsV2): host s3.tidemark.invalid")
                .hasMessageContaining("host s3.tidemark.invalid does not resolve");
    }

    @Test
    void aServerThatNeverAnswersFailsWithinTheReadTimeoutAsAnOutage() throws IOException {
        try (SilentServer silent = SilentServer.start()) {
            Storage storage = Storages.open("s3://dumps/x?endpoint=" + enc("http://127.0.0.1:" + silent.port())
                    + "&read-timeout=1s&connect-timeout=1s&access-key=a&secret-access-key=b");
            Instant start = Instant.now();

            assertThatThrownBy(() -> storage.exists("y"))
                    .isInstanceOfSatisfying(TidemarkException.class, e -> {
                        assertThat(e.error()).isEqualTo(ErrorCode.STORAGE_IO);
                        assertThat(e.retriable()).isTrue();
                    })
                    .hasMessageContaining("cannot reach endpoint http://127.0.0.1:" + silent.port())
                    .hasMessageContaining("Read timed out");
            assertThat(Duration.between(start, Instant.now())).as("3 attempts of 1 s and the backoff between them")
                    .isLessThan(Duration.ofSeconds(15));
        }
    }

    @Test
    void withoutKeysTheDefaultChainOrANamedProfileIsAsked() throws IOException {
        String withoutKeys = "s3://dumps/" + prefix + "?endpoint=" + enc(s3.endpoint().toString())
                + "&force-path-style=true&read-timeout=5s";

        assertThatThrownBy(() -> Storages.open(withoutKeys).exists("x"))
                .isInstanceOfSatisfying(TidemarkException.class,
                        e -> assertThat(e.error()).isEqualTo(ErrorCode.STORAGE_CREDENTIALS_INVALID))
                .hasMessageContaining("no valid credentials for s3://dumps/" + prefix + "/x (the default AWS"
                        + " credentials chain of this service's host");
        System.setProperty("aws.accessKeyId", "from-the-chain");
        System.setProperty("aws.secretAccessKey", "from-the-chain-secret");
        try {
            write(Storages.open(withoutKeys), "via-chain", "chain");
            assertThat(Storages.open(withoutKeys).exists("via-chain")).isTrue();
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }

        write(Storages.open(withoutKeys + "&profile=tidemark-it"), "via-profile", "profile");
        assertThat(storage().exists("via-profile")).isTrue();
        assertThatThrownBy(() -> Storages.open(withoutKeys + "&profile=nobody").exists("x"))
                .isInstanceOfSatisfying(TidemarkException.class,
                        e -> assertThat(e.error()).isEqualTo(ErrorCode.STORAGE_CREDENTIALS_INVALID))
                .hasMessageContaining("profile 'nobody' of this service's host");
    }

    @Test
    void sealedKeysInTheLocationSignItsRequestsAheadOfTheChainForThatLocationOnly() throws IOException {
        SecretBox box = SecretBox.fromBase64Key(SecretBox.generateKey());
        System.setProperty("aws.accessKeyId", "AKIAFROMTHECHAIN");
        System.setProperty("aws.secretAccessKey", "from-the-chain-secret");
        try (CuttingProxy proxy = new CuttingProxy(s3.endpoint())) {
            String withoutKeys = "s3://dumps/" + prefix + "?endpoint=" + enc(proxy.endpoint().toString())
                    + "&force-path-style=true";
            // Given a location whose keys the coordinator sealed, as a worker receives it
            String sealed = LocationKeys.seal(withoutKeys + "&access-key=AKIASEALEDINURI"
                    + "&secret-access-key=sealed-in-uri-secret", box);
            assertThat(sealed).doesNotContain("AKIASEALEDINURI");

            // When this process cannot open it, Then opening the storage says why, naming the parameter
            assertThatThrownBy(() -> Storages.open(sealed)).isInstanceOfSatisfying(TidemarkException.class,
                    e -> assertThat(e.error()).isEqualTo(ErrorCode.SECRET_KEY_MISSING))
                    .hasMessageContaining("access-key of s3://dumps/" + prefix + "/ is sealed");

            // When it holds the secret key, Then the requests are signed with the location's access key, not the chain's
            try (LocationKeys.Registration ignored = LocationKeys.openWith(box)) {
                write(Storages.open(sealed), "with-keys", "keys");
            }
            assertThat(proxy.sent()).contains("Credential=AKIASEALEDINURI/").doesNotContain("AKIAFROMTHECHAIN");

            // and a location of the same bucket without keys still gets the chain's
            write(Storages.open(withoutKeys), "from-chain", "chain");
            assertThat(proxy.sent()).contains("Credential=AKIAFROMTHECHAIN/");
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
        assertThat(storage().exists("with-keys")).isTrue();
    }

    @Test
    void aDeniedReadOfAnSseKmsObjectNamesTheKeyThatNeedsKmsDecrypt() throws IOException {
        S3Storage storage = storage("sse=aws:kms&sse-kms-key-id=" + KMS_KEY_ID);
        write(storage, "encrypted.parquet", "secret rows");
        var head = storage.head(storage.key("encrypted.parquet"));
        assertThat(head.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(head.ssekmsKeyId()).contains(KMS_KEY_ID);
        S3Exception denied = (S3Exception) S3Exception.builder().statusCode(403).message("Access Denied")
                .awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                        .errorCode("AccessDenied").errorMessage("Access Denied").build()).build();

        // S3Mock grants everything: the denial is S3's answer as AWS sends it, the rest is real
        TidemarkException e = storage.failure("GetObject", storage.key("encrypted.parquet"), denied);

        assertThat(e.error()).isEqualTo(ErrorCode.STORAGE_ACCESS_DENIED);
        assertThat(e.getMessage()).contains("access to s3://dumps/" + prefix + "/encrypted.parquet (GetObject) was"
                + " denied: Access Denied [AccessDenied, HTTP 403]; the object is encrypted with SSE-KMS key "
                + head.ssekmsKeyId() + ": the credentials need kms:Decrypt on that key");
        try (InputStream in = storage().open("encrypted.parquet")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("secret rows");
        }
    }

    @Test
    void aKmsKeyThatDoesNotExistIsNamedAsTheLocationsMistake() {
        S3Storage storage = storage("sse-kms-key-id=no-such-key");

        assertThatThrownBy(() -> write(storage, "x", "y"))
                .isInstanceOfSatisfying(TidemarkException.class,
                        e -> assertThat(e.error()).isEqualTo(ErrorCode.STORAGE_LOCATION_INVALID))
                .hasMessageContaining("the KMS key does not exist in region us-east-1")
                .hasMessageContaining("no-such-key")
                .hasMessageContaining("correct sse-kms-key-id");
    }

    @Test
    void pathsCannotLeaveTheRoot() {
        S3Storage storage = storage();

        assertThatThrownBy(() -> storage.open("../other/x")).hasMessageContaining("leaves the storage root");
        assertThatThrownBy(() -> storage.create("/abs")).hasMessageContaining("leaves the storage root");
        assertThatThrownBy(() -> storage.create("")).hasMessageContaining("names no file");
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }

    private static void write(Storage storage, String path, String content) throws IOException {
        try (OutputStream out = storage.create(path)) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void writeInOddPieces(OutputStream out, byte[] content) throws IOException {
        Random sizes = new Random(3);
        int at = 0;
        while (at < content.length) {
            int n = Math.min(content.length - at, 1 + sizes.nextInt(300_000));
            if (n == 1) {
                out.write(content[at]);
            } else {
                out.write(content, at, n);
            }
            at += n;
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[64 << 10];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            d.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
