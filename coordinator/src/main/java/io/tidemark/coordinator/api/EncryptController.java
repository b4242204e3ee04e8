package io.tidemark.coordinator.api;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.secret.SecretBox;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * dmctl's {@code encrypt}: seals a password with the coordinator's own key, so the output can be written as
 * {@code password} in a DM source or task file and only this installation opens it. The coordinator seals rather than
 * the client, which never holds the key. Neither the plaintext nor the sealed value is logged.
 */
@RestController
@RequestMapping("/api/v1/encrypt")
class EncryptController {
    private final SecretBox secrets;

    EncryptController(SecretBox secrets) {
        this.secrets = secrets;
    }

    /** the body {@code {"plaintext": "..."}}; the answer {@code {"ciphertext": "enc:v1:..."}} */
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    Map<String, String> encrypt(@RequestBody Map<String, String> body) {
        if (body == null || !body.keySet().equals(java.util.Set.of("plaintext")) || body.get("plaintext") == null) {
            throw new TidemarkException(ErrorCode.INVALID_SPEC, "send {\"plaintext\": \"...\"} and nothing else"
                    + (body == null ? "" : " (the fields were " + body.keySet() + ")"));
        }
        return Map.of("ciphertext", secrets.seal(body.get("plaintext")).value());
    }
}
