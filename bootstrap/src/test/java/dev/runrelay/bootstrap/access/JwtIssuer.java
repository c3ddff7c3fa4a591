package dev.runrelay.bootstrap.access;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * A stand-in identity provider for tests: an RSA key pair generated here, its public JWK set served over
 * HTTP on 127.0.0.1 (free port), and signed access tokens for any subject, valid or deliberately not.
 */
final class JwtIssuer implements AutoCloseable {

    private final RSAKey key;
    private final RSAKey strangerKey;
    private final HttpServer server;

    private JwtIssuer() {
        try {
            key = new RSAKeyGenerator(2048).keyID("test-key").generate();
            strangerKey = new RSAKeyGenerator(2048).keyID("test-key").generate();
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        server.createContext("/jwks", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(jwks);
            }
        });
        server.start();
    }

    static JwtIssuer start() {
        return new JwtIssuer();
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/issuer";
    }

    String jwkSetUri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks";
    }

    /** A valid token of {@code subject} for five minutes. */
    String token(String subject) {
        return sign(key, subject, issuer(), Instant.now().plus(Duration.ofMinutes(5)));
    }

    /** A token of {@code subject} valid for {@code lifetime} from now (may be negative: already expired). */
    String token(String subject, Duration lifetime) {
        return sign(key, subject, issuer(), Instant.now().plus(lifetime));
    }

    /** A token signed by a key nobody published. */
    String tokenWithWrongSignature(String subject) {
        return sign(strangerKey, subject, issuer(), Instant.now().plus(Duration.ofMinutes(5)));
    }

    /** A correctly signed token from another issuer. */
    String tokenFromOtherIssuer(String subject) {
        return sign(key, subject, "https://other.example.com/", Instant.now().plus(Duration.ofMinutes(5)));
    }

    private static String sign(RSAKey signingKey, String subject, String issuer, Instant expiresAt) {
        Instant issuedAt = expiresAt.minus(Duration.ofMinutes(10)).isBefore(Instant.now())
                ? expiresAt.minus(Duration.ofMinutes(10))
                : Instant.now();
        var claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .issuer(issuer)
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(expiresAt))
                .build();
        var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).build(), claims);
        try {
            jwt.sign(new RSASSASigner(signingKey));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
