package io.tidemark.coordinator.api;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.secret.Secret;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.coordinator.config.NearestName;
import io.tidemark.coordinator.config.dm.Passwords;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.util.unit.DataSize;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What the DM endpoints share: the body read as text no further than the size limit, the one query parameter they
 * take, and the passwords of a file opened when they are {@code tidemark encrypt} output.
 */
final class DmFiles {
    /** Content-Types a DM file may come as: YAML's, or JSON, which YAML reads as well */
    static final String[] TYPES = {"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml",
            "text/plain", "application/json", "application/octet-stream"};
    private static final String SEALED = "enc:v1:";

    private DmFiles() {
    }

    static String text(HttpServletRequest request, DataSize max) throws IOException {
        return text(request, max, List.of("name"));
    }

    /** @param params the query parameters the endpoint takes, {@code name} first */
    static String text(HttpServletRequest request, DataSize max, List<String> params) throws IOException {
        for (String param : request.getParameterMap().keySet()) {
            if (!params.contains(param)) { // a misspelt parameter is refused, as unknown JSON fields are
                throw new FieldException(param, new TidemarkException(ErrorCode.INVALID_SPEC, "query parameter `"
                        + param + "` is not one " + request.getRequestURI() + " takes: it takes `"
                        + String.join("`, `", params) + "` (`name`: the file's name)" + NearestName.of(param, params)
                        .map(n -> "; did you mean `" + n + "`?").orElse("")));
            }
        }
        String text = new String(RequestBodies.read(request.getInputStream(), request.getContentLengthLong(), max),
                StandardCharsets.UTF_8);
        return !text.isEmpty() && text.charAt(0) == '\uFEFF' ? text.substring(1) : text; // an editor's byte-order mark
    }

    static Passwords passwords(SecretBox secrets) {
        return written -> written.startsWith(SEALED) ? secrets.open(new Secret(written)) : written;
    }
}
