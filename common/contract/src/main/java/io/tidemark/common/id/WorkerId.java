package io.tidemark.common.id;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.Objects;

/** Which process did a piece of work: stamped on every status event. */
public record WorkerId(String value) {
    public WorkerId {
        Objects.requireNonNull(value, "worker id");
    }

    /** {@code service@host:pid}, unique per process */
    public static WorkerId forService(String service) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "unknown-host";
        }
        return new WorkerId(service + "@" + host + ":" + ManagementFactory.getRuntimeMXBean().getPid());
    }

    @Override
    public String toString() {
        return value;
    }
}
