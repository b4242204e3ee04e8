package io.tidemark.coordinator.config.lightning;

import java.util.Map;

/**
 * Where a section of a TiDB Lightning file came from: the file, the section's TOML path ({@code tidb},
 * {@code mydumper.csv}, {@code mydumper.files[2]} for the second {@code [[mydumper.files]]}), the line of its header and
 * the position of each key it holds. The records keep it so that an error found later — a file no rule routes, a
 * routing rule that selects nothing — can still name the line to fix.
 *
 * @param file    the file name as the user gave it
 * @param section the section's TOML path; empty for the top level
 * @param header  where the section's header is; {@link Position#UNKNOWN} when the file has no such section
 * @param keys    where each key of the section is
 */
public record Origin(String file, String section, Position header, Map<String, Position> keys) {
    public Origin {
        file = file == null ? "" : file;
        section = section == null ? "" : section;
        header = header == null ? Position.UNKNOWN : header;
        keys = Map.copyOf(keys);
    }

    /** a section made in code rather than read from a file: messages name the key but no line */
    public static Origin of(String section) {
        return new Origin("", section, Position.UNKNOWN, Map.of());
    }

    /** the key's full TOML path, e.g. {@code tidb.port} */
    public String path(String key) {
        return section.isEmpty() ? key : section + "." + key;
    }

    /** where the key is; where its section starts when the file does not have it */
    public Position at(String key) {
        return keys.getOrDefault(key, header);
    }

    public boolean has(String key) {
        return keys.containsKey(key);
    }
}
