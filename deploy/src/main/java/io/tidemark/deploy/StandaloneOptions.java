package io.tidemark.deploy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options of the standalone launcher, validated: an unknown option or a bad value stops start-up
 * with a message naming the option, the value and what is expected.
 *
 * @param port       the coordinator's HTTP port (REST API, health, metrics)
 * @param kafka      bootstrap servers of an existing Kafka cluster, or null for the in-process broker
 * @param kafkaPort  port of the in-process Kafka node (0 = the one used last time, else any free port)
 * @param dataDir    where the secret key, logs and demo databases live
 * @param demo       start demo source/target MariaDB servers and run a migration between them
 */
record StandaloneOptions(int port, String kafka, int kafkaPort, Path dataDir, boolean demo) {
    private static final Set<String> KEYS = Set.of("port", "kafka", "kafka-port", "data-dir", "demo", "help");

    static final String USAGE = """
            usage: java -jar tidemark-standalone.jar [--port=8080] [--kafka=host:9092 | --kafka-port=9092]
                                                     [--data-dir=.tidemark] [--demo]
              --port        coordinator HTTP port: REST API /api/v1/migrations, /actuator/health (default 8080)
              --kafka       use this Kafka cluster instead of the in-process broker
              --kafka-port  port of the in-process Kafka node (default: the one used last time, else any free port)
              --data-dir    secret key, the in-process Kafka node's log, log file and demo databases
                            (default .tidemark); migrations survive a restart with the same --data-dir
              --demo        also start a local MariaDB source and target and migrate sample data between them
            environment: TIDEMARK_SECRET_KEY (base64 of 32 bytes) overrides <data-dir>/secret.key
            """;

    static StandaloneOptions parse(String... args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "': options look like --port=8080\n" + USAGE);
            }
            String body = arg.substring(2);
            int eq = body.indexOf('=');
            String key = eq < 0 ? body : body.substring(0, eq);
            String value = eq < 0 ? "true" : body.substring(eq + 1);
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown option --" + key + "\n" + USAGE);
            }
            values.put(key, value);
        }
        if (values.containsKey("help")) {
            throw new IllegalArgumentException(USAGE);
        }
        int port = port(values, "port", 8080, 1);
        int kafkaPort = port(values, "kafka-port", 0, 0);
        String kafka = values.get("kafka");
        if (kafka != null && values.containsKey("kafka-port")) {
            throw new IllegalArgumentException("--kafka and --kafka-port exclude each other: --kafka-port is for the in-process broker");
        }
        Path dataDir = Path.of(values.getOrDefault("data-dir", ".tidemark")).toAbsolutePath();
        return new StandaloneOptions(port, kafka, kafkaPort, dataDir, Boolean.parseBoolean(values.getOrDefault("demo", "false")));
    }

    private static int port(Map<String, String> values, String key, int fallback, int min) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            int p = Integer.parseInt(v);
            if (p >= min && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("--" + key + "=" + v + " is not a port number (" + min + "..65535)");
    }
}
