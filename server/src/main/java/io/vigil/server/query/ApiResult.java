package io.vigil.server.query;

/**
 * An API answer before it is written: the HTTP status and the body, one of the
 * {@link PrometheusResponses} shapes.
 */
public record ApiResult(int httpStatus, Object body) {

    static ApiResult ok(Object body) {
        return new ApiResult(200, body);
    }

    static ApiResult error(ErrorType type, String message) {
        return new ApiResult(type.httpStatus(), PrometheusResponses.error(type, message));
    }
}
