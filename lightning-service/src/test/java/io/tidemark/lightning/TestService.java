package io.tidemark.lightning;

import io.tidemark.common.serde.MessageSerializer;
import io.tidemark.testkit.LocalS3;
import io.tidemark.testkit.TestDatabases;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Starting the service as the deploy module does, and writing dumps in Dumpling's layout by hand. */
final class TestService {
    private TestService() {
    }

    static ConfigurableApplicationContext start(String bootstrap, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--tidemark.secret-key=" + TestDatabases.SECRET_KEY,
                "--spring.kafka.bootstrap-servers=" + bootstrap,
                "--server.port=0"));
        args.addAll(List.of(extra));
        return LightningServiceApplication.app().run(args.toArray(String[]::new));
    }

    static KafkaProducer<String, Object> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new MessageSerializer<>());
    }

    /** a file of exact bytes: a String part is written as UTF-8, a byte[] part as it is */
    static void writeBytes(Path dir, String file, Object... parts) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Object part : parts) {
            out.write(part instanceof byte[] raw ? raw : ((String) part).getBytes(StandardCharsets.UTF_8));
        }
        Files.createDirectories(dir);
        Files.write(dir.resolve(file), out.toByteArray());
    }

    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    /**
     * Puts every file under {@code dir}, at any depth, into {@code bucket} under {@code prefix} with a plain PutObject,
     * as a dump copied to S3 (aws s3 cp --recursive) lies there.
     */
    static void upload(LocalS3 s3, String bucket, String prefix, Path dir) throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path file : files) {
            String key = prefix + "/" + dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
            s3.put(bucket, key, Files.readAllBytes(file));
        }
    }

    static void write(Path dir, String file, String content) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(file), content, StandardCharsets.UTF_8);
    }
}
