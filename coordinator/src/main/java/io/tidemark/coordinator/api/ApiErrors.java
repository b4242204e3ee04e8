package io.tidemark.coordinator.api;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import tools.jackson.databind.DatabindException;

/** Maps failures to the catalog's {@code {code, message, remedy}} with the HTTP status the error means. */
@RestControllerAdvice(assignableTypes = MigrationController.class)
class ApiErrors {
    private static final Logger LOGGER = LoggerFactory.getLogger(ApiErrors.class);

    @ExceptionHandler(TidemarkException.class)
    ResponseEntity<ApiError> tidemark(TidemarkException e) {
        HttpStatus status = switch (e.error()) {
            case INVALID_SPEC, INVALID_TABLE_FILTER, UNSUPPORTED_STORAGE -> HttpStatus.BAD_REQUEST;
            case UNKNOWN_MIGRATION -> HttpStatus.NOT_FOUND;
            case ILLEGAL_TRANSITION -> HttpStatus.CONFLICT;
            default -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
        if (status.is5xxServerError()) {
            LOGGER.error("request failed: {}", e.getMessage(), e);
        }
        return ResponseEntity.status(status).body(ApiError.of(e));
    }

    @ExceptionHandler(FieldException.class)
    ResponseEntity<ApiError> field(FieldException e) {
        return ResponseEntity.badRequest().body(ApiError.of(e));
    }

    /** malformed JSON or a value of the wrong type: name the field when Jackson knows it */
    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException e) {
        String detail = e.getCause() instanceof DatabindException d && !d.getPath().isEmpty()
                ? path(d) + " has the wrong type or format: " + d.getOriginalMessage()
                : "the request body is not valid JSON: " + e.getMostSpecificCause().getMessage();
        return ResponseEntity.badRequest().body(ApiError.of(new TidemarkException(ErrorCode.INVALID_SPEC, detail)));
    }

    /** {@code source.port}, {@code filter[2]} */
    private static String path(DatabindException e) {
        StringBuilder out = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                out.append(out.isEmpty() ? "" : ".").append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }
}
