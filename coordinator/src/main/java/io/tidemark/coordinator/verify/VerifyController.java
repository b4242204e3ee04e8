package io.tidemark.coordinator.verify;

import io.tidemark.common.id.MigrationId;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * {@code POST /api/v1/migrations/{id}/verify?at=FILE:POS|now&lock=true&chunkRows=N&timeout=5m}: the verification
 * answered synchronously (a large table keeps the request open while it is compared; the CLI waits for it).
 * Differences are a 200 answer with {@code equal: false}; a migration that is not replicating, a catch-up that timed
 * out and a bad parameter are the catalog's errors.
 */
@RestController
class VerifyController {
    private final MigrationVerifier verifier;

    VerifyController(MigrationVerifier verifier) {
        this.verifier = verifier;
    }

    @PostMapping("/api/v1/migrations/{id}/verify")
    VerifyReport verify(@PathVariable String id, @RequestParam Map<String, String> parameters) {
        VerifyOptions options = VerifyOptions.of(parameters);
        return verifier.verify(MigrationId.of(id), options);
    }
}
