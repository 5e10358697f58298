package io.vigil.notifier;

import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Sends the Twilio SDK's requests to another base URL. The SDK builds {@code https://api.twilio.com/...}
 * itself (splicing region and edge into dotted host names), so the request is copied with the same
 * path, parameters, headers and credentials and a rewritten scheme/host/port.
 */
final class BaseUrlHttpClient extends NetworkHttpClient {

    private final URI base;

    BaseUrlHttpClient(URI base, org.apache.hc.client5.http.config.RequestConfig config) {
        super(config);
        this.base = base;
    }

    @Override
    public Response makeRequest(Request request) {
        URI original = URI.create(request.getUrl());
        String rewritten = base.getScheme() + "://" + base.getRawAuthority()
                + stripTrailingSlash(base.getRawPath()) + original.getRawPath();
        var copy = new Request(request.getMethod(), rewritten);
        copyAll(request.getQueryParams(), copy::addQueryParam);
        copyAll(request.getPostParams(), copy::addPostParam);
        copyAll(request.getHeaderParams(), copy::addHeaderParam);
        if (request.getAuthStrategy() != null) {
            copy.setAuth(request.getAuthStrategy());
        } else if (request.getUsername() != null) {
            copy.setAuth(request.getUsername(), request.getPassword());
        }
        if (request.getContentType() != null) {
            copy.setContentType(request.getContentType());
        }
        if (request.getBody() != null) {
            copy.setBody(request.getBody());
        }
        copy.setUserAgentExtensions(request.getUserAgentExtensions());
        return super.makeRequest(copy);
    }

    private static void copyAll(Map<String, List<String>> params, java.util.function.BiConsumer<String, String> add) {
        params.forEach((name, values) -> values.forEach(v -> add.accept(name, v)));
    }

    private static String stripTrailingSlash(String path) {
        return path == null ? "" : path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
