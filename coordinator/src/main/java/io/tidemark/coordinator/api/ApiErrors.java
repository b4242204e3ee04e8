package io.tidemark.coordinator.api;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.coordinator.config.dm.DmConfigException;
import io.tidemark.coordinator.config.lightning.LightningConfigException;
import io.tidemark.coordinator.precheck.PrechecksFailed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Every error answer of the service in the catalog's shape {@code {code, message, remedy}}, with the HTTP status the
 * error means: the catalog's errors, and those Spring MVC raises before a handler runs (415 wrong Content-Type, 404
 * no such path, 405 no such method, ...), which would otherwise come back in Spring's default body; those are
 * REQUEST_NOT_SUPPORTED, saying what was asked and what the API serves.
 */
@RestControllerAdvice
class ApiErrors extends ResponseEntityExceptionHandler {
    private static final Logger LOGGER = LoggerFactory.getLogger(ApiErrors.class);
    private static final String IMPORTS = "/api/v1/imports";

    @ExceptionHandler(TidemarkException.class)
    ResponseEntity<ApiError> tidemark(TidemarkException e) {
        HttpStatus status = switch (e.error()) {
            case INVALID_SPEC, INVALID_TABLE_FILTER, UNSUPPORTED_STORAGE, STORAGE_LOCATION_INVALID,
                 INVALID_LIGHTNING_CONFIG, INVALID_DM_CONFIG -> HttpStatus.BAD_REQUEST;
            case UNKNOWN_SOURCE, UNKNOWN_TASK -> HttpStatus.NOT_FOUND;
            case SOURCE_EXISTS, SOURCE_IN_USE, TASK_RUNNING -> HttpStatus.CONFLICT;
            case SPEC_TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
            case TARGET_TABLES_HELD -> HttpStatus.CONFLICT;
            case UNKNOWN_MIGRATION -> HttpStatus.NOT_FOUND;
            case ILLEGAL_TRANSITION -> HttpStatus.CONFLICT;
            case BINLOG_OPERATION_INVALID -> HttpStatus.BAD_REQUEST;
            case BINLOG_TASK_NOT_STOPPED_ON_STATEMENT, BINLOG_POSITION_NOT_FAILED, BINLOG_FAILED_POSITION_UNKNOWN ->
                    HttpStatus.CONFLICT;
            // the migration has outgrown Kafka's message limit: asking again changes nothing until it is raised
            case KAFKA_MESSAGE_TOO_LARGE -> HttpStatus.CONFLICT;
            case KAFKA_UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
            // this instance lost its role (or never had it): the active coordinator takes the request
            case COORDINATOR_FENCED, COORDINATOR_STANDBY -> HttpStatus.SERVICE_UNAVAILABLE;
            case VERIFY_REQUEST_INVALID -> HttpStatus.BAD_REQUEST;
            case VERIFY_NOT_REPLICATING -> HttpStatus.CONFLICT;
            case VERIFY_CATCH_UP_TIMEOUT -> HttpStatus.GATEWAY_TIMEOUT;
            case CONFIG_SEALED_WITH_OTHER_KEY, CONFIG_BUNDLE_INVALID -> HttpStatus.BAD_REQUEST;
            case CONFIG_EXISTS, CONFIG_TASK_NOT_EXPORTABLE -> HttpStatus.CONFLICT;
            case SHARD_MERGE_ACROSS_SOURCES -> HttpStatus.BAD_REQUEST;
            case RELAY_PURGE_INVALID -> HttpStatus.BAD_REQUEST;
            case RELAY_PURGE_PAST_CHECKPOINT -> HttpStatus.CONFLICT;
            case SHARD_DDL_LOCK_UNKNOWN -> HttpStatus.NOT_FOUND;
            default -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
        if (e.error() == ErrorCode.COORDINATOR_STANDBY || e.error() == ErrorCode.COORDINATOR_FENCED) {
            // a role change, expected under HA: one line, not a stack trace that reads like a defect
            LOGGER.warn("request refused: {}", e.getMessage());
        } else if (status.is5xxServerError()) {
            LOGGER.error("request failed: {}", e.getMessage(), e);
        }
        return ResponseEntity.status(status).body(ApiError.of(e));
    }

    /** a TiDB Lightning file Tidemark cannot run: 400, with each of its problems on its own */
    @ExceptionHandler(LightningConfigException.class)
    ResponseEntity<ApiError> lightning(LightningConfigException e) {
        return ResponseEntity.badRequest().body(ApiError.of(e));
    }

    /** a DM source or task file Tidemark cannot use: 400, with each of its problems on its own */
    @ExceptionHandler(DmConfigException.class)
    ResponseEntity<ApiError> dm(DmConfigException e) {
        return ResponseEntity.badRequest().body(ApiError.of(e));
    }

    @ExceptionHandler(FieldException.class)
    ResponseEntity<ApiError> field(FieldException e) {
        return ResponseEntity.badRequest().body(ApiError.of(e));
    }

    /** the spec is well-formed, but what it points at cannot run it: 422, with every failing item */
    @ExceptionHandler(PrechecksFailed.class)
    ResponseEntity<ApiError> prechecks(PrechecksFailed e) {
        return ResponseEntity.status(HttpStatus.UNPROCESSABLE_CONTENT).body(ApiError.of(e));
    }

    /** a bug: the answer says so without the stack, which goes to the log */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> unexpected(Exception e) {
        LOGGER.error("request failed", e);
        return ResponseEntity.internalServerError().body(ApiError.of(
                new TidemarkException(ErrorCode.INTERNAL, "the request failed; the coordinator's log says why")));
    }

    /** the errors Spring MVC raises itself, each with the status Spring chose for it */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
                                                             HttpStatusCode status, WebRequest request) {
        String path = request instanceof ServletWebRequest servlet ? servlet.getRequest().getRequestURI() : "this path";
        ApiError error = switch (e) {
            case HttpMediaTypeNotSupportedException m -> ApiError.notSupported(path + (path.startsWith(IMPORTS)
                    ? " takes a TiDB Lightning file as it is: send it with Content-Type: application/toml (or"
                    + " text/plain)" : path.startsWith("/api/v1/sources") || path.startsWith("/api/v1/tasks")
                    ? " takes a DM file as it is: send it with Content-Type: application/yaml (or text/plain, or"
                    + " application/json for JSON of the same keys)"
                    : " takes a JSON body: send it with Content-Type: application/json")
                    + (m.getContentType() == null ? "" : " (it came as " + m.getContentType() + ")"));
            case HttpRequestMethodNotSupportedException m -> ApiError.notSupported(m.getMethod() + " " + path
                    + " is not part of the API; " + path + " answers "
                    + String.join(", ", m.getSupportedMethods() == null ? new String[0] : m.getSupportedMethods()));
            case NoResourceFoundException n -> noSuchPath(path);
            case NoHandlerFoundException n -> noSuchPath(path);
            case HttpMessageNotReadableException n -> ApiError.of(new TidemarkException(ErrorCode.INVALID_SPEC,
                    "the request body cannot be read as JSON"));
            default -> status.is5xxServerError() ? unexpected(e).getBody() : ApiError.notSupported(
                    e instanceof ErrorResponse r && r.getBody().getDetail() != null ? r.getBody().getDetail()
                            : "the request does not fit " + path);
        };
        return new ResponseEntity<>(error, headers, status);
    }

    private static ApiError noSuchPath(String path) {
        return ApiError.notSupported("there is no " + path + " in the API; migrations are at /api/v1/migrations"
                + " and /api/v1/migrations/{id}, TiDB Lightning files are taken at " + IMPORTS + " and "
                + IMPORTS + "/check");
    }
}
