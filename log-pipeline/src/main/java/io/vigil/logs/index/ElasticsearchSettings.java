package io.vigil.logs.index;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where Elasticsearch is and how to authenticate. {@link #toString()} never shows the password or the key.
 *
 * @param urls     one or more {@code http(s)://host:port} of the cluster's nodes
 * @param username basic authentication, with {@code password}
 * @param password basic authentication
 * @param apiKey   the base64 {@code id:key} of an API key, instead of a user
 */
public record ElasticsearchSettings(List<URI> urls, Optional<String> username, Optional<String> password,
                                    Optional<String> apiKey) {

    public ElasticsearchSettings {
        urls = List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("no Elasticsearch URL given");
        }
        for (URI url : urls) {
            if (url.getHost() == null || !(Objects.equals(url.getScheme(), "http") || Objects.equals(url.getScheme(), "https"))) {
                throw new IllegalArgumentException("an Elasticsearch URL is http(s)://host:port, got \"" + url + "\"");
            }
        }
        username = username.filter(s -> !s.isBlank());
        password = password.filter(s -> !s.isEmpty());
        apiKey = apiKey.filter(s -> !s.isBlank());
        if (username.isPresent() && apiKey.isPresent()) {
            throw new IllegalArgumentException("give an Elasticsearch user or an API key, not both");
        }
    }

    /** Comma-separated URLs, no credentials. */
    public static ElasticsearchSettings of(String urls) {
        return new ElasticsearchSettings(parseUrls(urls), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public ElasticsearchSettings withUser(String user, String password) {
        return new ElasticsearchSettings(urls, Optional.ofNullable(user), Optional.ofNullable(password), apiKey);
    }

    public ElasticsearchSettings withApiKey(String key) {
        return new ElasticsearchSettings(urls, username, password, Optional.ofNullable(key));
    }

    static List<URI> parseUrls(String urls) {
        return java.util.Arrays.stream(urls.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(s -> {
            try {
                return URI.create(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("an Elasticsearch URL is http(s)://host:port, got \"" + s + "\"", e);
            }
        }).toList();
    }

    /** The URLs and how authentication is done, never the secret itself (this ends up in logs). */
    @Override
    public String toString() {
        String auth = username.map(u -> "user " + u).orElse(apiKey.isPresent() ? "API key" : "no authentication");
        return urls + " (" + auth + ")";
    }
}
