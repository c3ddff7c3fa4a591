package dev.runrelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * The sockets the server accepts allocate unpooled buffers (ADR 0029): a buffer released twice cannot go
 * back to a pool and carry one client's frame to another. Recorded from the accepted connections themselves.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "runrelay.openai.api-key="})
class SocketBuffersTest {

    static final List<ByteBufAllocator> ACCEPTED = new CopyOnWriteArrayList<>();

    @TestConfiguration
    static class RecordAllocators {
        /** Applied after the app's own customizers, so it sees the options they set. */
        @Bean
        @Order(Ordered.LOWEST_PRECEDENCE)
        NettyServerCustomizer recordAllocators() {
            return server -> server.doOnConnection(connection -> ACCEPTED.add(connection.channel().alloc()));
        }
    }

    @LocalServerPort
    int port;

    @Test
    void acceptedSockets_allocateUnpooled() throws Exception {
        HttpResponse<String> ready = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                        .timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ACCEPTED).isNotEmpty().allSatisfy(allocator -> assertThat(allocator)
                .isInstanceOf(UnpooledByteBufAllocator.class)
                .isNotInstanceOf(PooledByteBufAllocator.class));
    }
}
