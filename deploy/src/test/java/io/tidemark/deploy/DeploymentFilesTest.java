package io.tidemark.deploy;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compose and Kubernetes files, checked statically because no container runs on the machines that build
 * Tidemark (README "Deployment files"): every image pinned, every variable the compose file reads documented in its
 * {@code .env.example}, every mounted file present, every port, volume and dependency consistent, the Tidemark
 * settings they pass real ones, Prometheus scraping the ports the services listen on; {@code kubectl kustomize}
 * renders {@code deploy/k8s} and the rendered Deployments probe the actuator, use the generated config and secret,
 * and the autoscaler watches the chunk queue depth the coordinator publishes.
 */
class DeploymentFilesTest {
    private static final Path COMPOSE_DIR = Path.of("compose");
    private static final Path ROOT = Path.of("..");
    private static final Set<String> TIDEMARK = Set.of("coordinator", "snapshot-service", "lightning-service",
            "dm-service");

    @Test
    void theComposeFileIsConsistentWithItselfTheRepositoryAndTheServicesSettings() throws Exception {
        String text = Files.readString(COMPOSE_DIR.resolve("compose.yaml"));
        Map<String, Object> compose = yaml(text);
        Map<String, Object> services = map(compose.get("services"));
        assertThat(services.keySet()).as("compose services").containsAll(TIDEMARK)
                .contains("kafka", "source", "tidb", "minio", "prometheus", "grafana");

        Set<String> documented = envExample();
        Matcher variable = Pattern.compile("\\$\\{([A-Z0-9_]+)").matcher(text);
        while (variable.find()) {
            assertThat(documented).as("compose/.env.example documents ${%s}", variable.group(1))
                    .contains(variable.group(1));
        }

        Set<String> declaredVolumes = map(compose.get("volumes")).keySet();
        Set<String> hostPorts = new HashSet<>();
        Map<String, String> serverPorts = new HashMap<>();
        for (var entry : services.entrySet()) {
            String name = entry.getKey();
            Map<String, Object> service = map(entry.getValue());
            String image = (String) service.get("image");
            assertThat(image).as("%s's image", name).isNotNull().matches("[^:]+:[^:]+").doesNotEndWith(":latest");
            for (Object port : list(service.get("ports"))) {
                String hostPort = port.toString().split(":")[0];
                assertThat(hostPorts.add(hostPort)).as("host port %s of %s used once", hostPort, name).isTrue();
            }
            for (Object volume : list(service.get("volumes"))) {
                String from = volume.toString().split(":")[0];
                if (from.startsWith(".")) {
                    assertThat(COMPOSE_DIR.resolve(from)).as("%s mounts %s", name, from).exists();
                } else {
                    assertThat(declaredVolumes).as("%s's named volume", name).contains(from);
                }
            }
            Object dependsOn = service.get("depends_on");
            Iterable<?> dependencies = dependsOn instanceof Map<?, ?> m ? m.keySet() : list(dependsOn);
            for (Object dependency : dependencies) {
                assertThat(services).as("%s depends on", name).containsKey(dependency.toString());
            }
            if (TIDEMARK.contains(name)) {
                Map<String, Object> build = map(service.get("build"));
                assertThat(map(build.get("args"))).as("%s's image is built from its own module", name)
                        .containsEntry("SERVICE", name);
                assertThat(ROOT.resolve(name).resolve("pom.xml")).exists();
                assertThat(Files.readString(ROOT.resolve(name).resolve("pom.xml")))
                        .as("%s builds the -exec jar the Dockerfile copies", name)
                        .contains("<artifactId>tidemark-" + name + "</artifactId>").contains("<classifier>exec</classifier>");
                Map<String, Object> env = map(service.get("environment"));
                assertThat(env).containsKeys("SPRING_KAFKA_BOOTSTRAP_SERVERS", "TIDEMARK_SECRET_KEY", "SERVER_PORT");
                assertThat(env.get("SPRING_KAFKA_BOOTSTRAP_SERVERS")).isEqualTo("kafka:9092");
                assertThat(env.get("TIDEMARK_SECRET_KEY").toString()).as("the key comes from .env, never the file")
                        .startsWith("${TIDEMARK_SECRET_KEY");
                serverPorts.put(name, env.get("SERVER_PORT").toString());
                env.keySet().stream().filter(k -> k.startsWith("TIDEMARK_"))
                        .forEach(k -> assertThat(readmeKeys()).as("%s of %s is a documented setting", k, name)
                                .contains(relaxed(k)));
            }
        }
        assertThat(Files.readString(ROOT.resolve("deploy/docker/Dockerfile")))
                .contains("COPY ${SERVICE}/target/tidemark-${SERVICE}-${VERSION}-exec.jar");

        // Prometheus scrapes every Tidemark service on the port it listens on
        Map<String, Object> prometheus = yaml(Files.readString(COMPOSE_DIR.resolve("prometheus.yml")));
        Map<String, String> scraped = new HashMap<>();
        for (Object job : list(prometheus.get("scrape_configs"))) {
            Map<String, Object> j = map(job);
            assertThat(j.get("metrics_path")).isEqualTo("/actuator/prometheus");
            for (Object sd : list(j.get("static_configs"))) {
                for (Object target : list(map(sd).get("targets"))) {
                    String[] hostPort = target.toString().split(":");
                    scraped.put(hostPort[0], hostPort[1]);
                }
            }
            for (Object sd : list(j.get("dns_sd_configs"))) {
                scraped.put(list(map(sd).get("names")).getFirst().toString(), map(sd).get("port").toString());
            }
        }
        assertThat(scraped).as("Prometheus targets").isEqualTo(serverPorts);
        assertThat(COMPOSE_DIR.resolve("../grafana/tidemark-dashboard.json")).exists();
    }

    @Test
    void kustomizeRendersDeploymentsThatProbeTheActuatorAndAnAutoscalerOnTheChunkTopic() throws Exception {
        List<Map<String, Object>> docs = kustomize();
        Map<String, Map<String, Object>> byKindName = new HashMap<>();
        for (Map<String, Object> doc : docs) {
            byKindName.put(doc.get("kind") + "/" + map(doc.get("metadata")).get("name"), doc);
        }
        Set<String> deployments = new TreeSet<>();
        Map<String, Object> composeServices = map(yaml(Files.readString(COMPOSE_DIR.resolve("compose.yaml")))
                .get("services"));
        for (Map<String, Object> doc : docs) {
            if (!"Deployment".equals(doc.get("kind"))) {
                continue;
            }
            String name = map(doc.get("metadata")).get("name").toString();
            deployments.add(name);
            assertThat(map(doc.get("metadata")).get("namespace")).isEqualTo("tidemark");
            Map<String, Object> pod = map(map(doc.get("spec")).get("template"));
            Map<String, Object> container = map(list(map(pod.get("spec")).get("containers")).getFirst());
            assertThat(container.get("image")).as("%s's image, as compose builds it", name)
                    .isEqualTo(map(composeServices.get(name)).get("image"));
            assertThat(map(map(container.get("livenessProbe")).get("httpGet")).get("path"))
                    .isEqualTo("/actuator/health/liveness");
            assertThat(map(map(container.get("readinessProbe")).get("httpGet")).get("path"))
                    .isEqualTo("/actuator/health/readiness");
            int port = ((Number) map(list(container.get("ports")).getFirst()).get("containerPort")).intValue();
            assertThat((List<Object>) list(container.get("env"))).as("%s listens where its probes and Service look", name)
                    .contains((Object) Map.of("name", "SERVER_PORT", "value", String.valueOf(port)));
            for (Object from : list(container.get("envFrom"))) {
                Map<String, Object> ref = map(from);
                String kind = ref.containsKey("configMapRef") ? "ConfigMap" : "Secret";
                Object refName = map(ref.getOrDefault("configMapRef", ref.get("secretRef"))).get("name");
                assertThat(byKindName).as("%s reads %s %s", name, kind, refName).containsKey(kind + "/" + refName);
            }
            Map<String, Object> service = byKindName.get("Service/" + name);
            assertThat(service).as("Service of %s", name).isNotNull();
            assertThat(map(list(map(service.get("spec")).get("ports")).getFirst()).get("port")).isEqualTo(port);
        }
        assertThat(deployments).isEqualTo(new TreeSet<>(TIDEMARK));

        Map<String, Object> scaler = byKindName.get("ScaledObject/lightning-service");
        assertThat(scaler).as("the import workers' autoscaler").isNotNull();
        Map<String, Object> trigger = map(list(map(scaler.get("spec")).get("triggers")).getFirst());
        // the depth the coordinator publishes counts the share group's lag as well as the consumer group's: Kafka's
        // own lag trigger would see no lag at all while the workers take chunks from a share group
        assertThat(trigger.get("type")).isEqualTo("prometheus");
        assertThat((String) map(trigger.get("metadata")).get("query")).contains("tidemark_chunk_queue_depth");
        Map<String, Object> config = docs.stream().filter(d -> "ConfigMap".equals(d.get("kind"))).findFirst()
                .orElseThrow();
        map(config.get("data")).keySet().stream().filter(k -> k.startsWith("TIDEMARK_"))
                .forEach(k -> assertThat(readmeKeys()).as("%s is a documented setting", k).contains(relaxed(k)));
    }

    private static List<Map<String, Object>> kustomize() throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("kubectl", "kustomize", "k8s").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("kubectl is needed to render deploy/k8s (apt-get install kubectl, or from"
                    + " https://kubernetes.io/docs/tasks/tools/): " + e.getMessage(), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("kubectl kustomize deploy/k8s:\n" + out).isZero();
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(out)) {
            docs.add(map(doc));
        }
        return docs;
    }

    private static Set<String> envExample() throws IOException {
        Set<String> names = new HashSet<>();
        for (String line : Files.readAllLines(COMPOSE_DIR.resolve(".env.example"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.substring(0, line.indexOf('=')));
            }
        }
        return names;
    }

    /** the configuration keys README's table names, relaxed as Spring binds environment variables */
    private static Set<String> readmeKeys() {
        try {
            String readme = Files.readString(ROOT.resolve("README.md"));
            Set<String> keys = new HashSet<>();
            Matcher row = Pattern.compile("(?m)^\\| (`[^|]+)\\|").matcher(readme);
            while (row.find()) {
                String parent = null;
                Matcher key = Pattern.compile("`([a-z.\\-]+)`").matcher(row.group(1));
                while (key.find()) {
                    String k = key.group(1);
                    if (k.startsWith(".") && parent != null) {
                        k = parent + k;
                    } else {
                        parent = k.substring(0, Math.max(0, k.lastIndexOf('.')));
                    }
                    // Spring binds TIDEMARK_SECRETKEY and (legacy form) TIDEMARK_SECRET_KEY to tidemark.secret-key
                    keys.add(k.replace("-", "").replace(".", "_"));
                    keys.add(k.replace("-", "_").replace(".", "_"));
                }
            }
            return keys;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String relaxed(String env) {
        return env.toLowerCase(java.util.Locale.ROOT);
    }

    private static Map<String, Object> yaml(String text) {
        return map(new Yaml(new SafeConstructor(new LoaderOptions())).load(text));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    private static List<?> list(Object o) {
        return o == null ? List.of() : (List<?>) o;
    }
}
