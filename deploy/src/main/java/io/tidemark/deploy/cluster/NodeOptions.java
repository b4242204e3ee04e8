package io.tidemark.deploy.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The command line of one cluster {@link Node}, validated before anything starts: a role that does not exist, a port
 * that is not a number, or an argument the broker does not take stops start-up with a usage message instead of a Java
 * exception or a silently ignored typo. A service passes its further {@code --key=value} arguments to Spring.
 *
 * @param role      {@code broker} or a service name
 * @param kafka     the bootstrap servers a service connects to; null for the broker
 * @param kafkaPort the broker's port (0 = any free one)
 * @param port      the service's HTTP port, or null for the role's default
 * @param spring    the remaining {@code --key=value} arguments, for Spring
 */
record NodeOptions(String role, Path dataDir, String kafka, int kafkaPort, Integer port, List<String> spring) {
    static final String USAGE = "usage: Node broker --data-dir=DIR [--kafka-port=PORT]\n"
            + "       Node coordinator|snapshot|lightning|dm --data-dir=DIR --kafka=HOST:PORT [--port=PORT]"
            + " [--key=value …]";

    /** thrown for a command line that cannot start a node; the message says what is wrong and shows the usage */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message + "\n" + USAGE);
        }
    }

    static NodeOptions parse(String[] args, Set<String> services) {
        if (args.length == 0) {
            throw new UsageException("no role given");
        }
        String role = args[0];
        boolean broker = role.equals("broker");
        if (!broker && !services.contains(role)) {
            throw new UsageException("unknown role '" + role + "': use broker, " + String.join(", ",
                    services.stream().sorted().toList()));
        }
        Path dataDir = Path.of(".tidemark-cluster");
        String kafka = null;
        int kafkaPort = 0;
        Integer port = null;
        List<String> spring = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            int eq = a.indexOf('=');
            String key = a.startsWith("--") && eq > 2 ? a.substring(2, eq) : null;
            String value = key == null ? null : a.substring(eq + 1);
            switch (key == null ? "" : key) {
                case "data-dir" -> dataDir = Path.of(value);
                case "kafka" -> kafka = requireBroker(value, broker, "--kafka");
                case "kafka-port" -> {
                    if (!broker) {
                        throw new UsageException("--kafka-port is the broker's; a service takes --kafka=HOST:PORT");
                    }
                    kafkaPort = port("--kafka-port", value);
                }
                case "port" -> port = port("--port", value);
                default -> {
                    if (broker) {
                        throw new UsageException("the broker takes no argument '" + a + "'");
                    }
                    if (key == null) {
                        throw new UsageException("'" + a + "' is not of the form --key=value");
                    }
                    spring.add(a);
                }
            }
        }
        if (!broker && kafka == null) {
            throw new UsageException("--kafka=HOST:PORT is required for a service");
        }
        if (broker && port != null) {
            throw new UsageException("the broker takes --kafka-port, not --port");
        }
        return new NodeOptions(role, dataDir.toAbsolutePath(), kafka, kafkaPort, port, List.copyOf(spring));
    }

    private static String requireBroker(String value, boolean broker, String flag) {
        if (broker) {
            throw new UsageException(flag + " is a service's; the broker takes --kafka-port=PORT");
        }
        if (value.isBlank()) {
            throw new UsageException(flag + " is empty: give HOST:PORT");
        }
        return value;
    }

    private static int port(String flag, String value) {
        try {
            int p = Integer.parseInt(value.trim());
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new UsageException(flag + "=" + value + " is not a port: give a number from 0 to 65535");
    }
}
