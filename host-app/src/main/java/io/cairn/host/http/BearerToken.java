package io.cairn.host.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Checks {@code Authorization: Bearer <http_token>}. The comparison takes the same time however much of a
 * wrong token matches (both sides are hashed to equal length, then compared with
 * {@link MessageDigest#isEqual}, which does not stop at the first difference), so timing tells an attacker
 * nothing. Without a configured token nothing is admitted. The token is never part of a message.
 */
final class BearerToken {

    private static final String SCHEME = "Bearer ";

    private final Optional<byte[]> expected;

    BearerToken(Optional<String> token) {
        this.expected = token.map(BearerToken::digest);
    }

    boolean configured() {
        return expected.isPresent();
    }

    /** Whether the {@code Authorization} header's value (null when absent) carries the token. */
    boolean admits(String authorization) {
        if (expected.isEmpty() || authorization == null
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        return MessageDigest.isEqual(expected.get(), digest(authorization.substring(SCHEME.length()).strip()));
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
