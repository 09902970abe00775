package io.cairn.host.config;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code cairn serve}'s HTTP endpoint (metrics, health, JSON API, dashboard), from {@code cairn.yaml}.
 *
 * @param listen where to listen; empty when {@code http_listen} is empty (no endpoint)
 * @param token  the bearer token that {@code POST} requests must carry; a secret, never shown. Without
 *               one, every {@code POST} is refused.
 */
public record HttpSettings(Optional<InetSocketAddress> listen, Optional<String> token) {

    public HttpSettings {
        Objects.requireNonNull(listen, "listen is null");
        Objects.requireNonNull(token, "token is null");
    }

    /** No endpoint at all. */
    public static HttpSettings off() {
        return new HttpSettings(Optional.empty(), Optional.empty());
    }

    /** Masks the token, so the record can be logged. */
    @Override
    public String toString() {
        return "HttpSettings[listen=" + listen.map(HttpSettings::text).orElse("off") + ", token="
                + (token.isPresent() ? "[hidden]" : "") + "]";
    }

    /** {@code 127.0.0.1:9464}, {@code [::1]:9464}: the address as it is written in a URL. */
    public static String text(InetSocketAddress address) {
        String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
