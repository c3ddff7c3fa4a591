package dev.runrelay.bootstrap;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The server's sockets allocate their buffers unpooled (ADR 0029).
 *
 * <p>Under load, with sockets closing mid-stream, the bench saw a pooled buffer released twice while it
 * was still queued for a socket ({@code IllegalReferenceCountException} in
 * {@code ChannelOutboundBuffer.failFlushed}) and, in the same run, frames of one client's stream arriving on
 * another client's socket: a buffer released twice goes back to the pool twice, and two frames then share its
 * memory. Until the double release is found, no buffer a socket writes comes from a pool, so a double release
 * costs a log line and cannot hand one client's bytes to another.
 */
@Configuration(proxyBeanMethods = false)
public class NettyBuffersConfiguration {

    /** The allocator of every socket the server accepts. */
    public static final ByteBufAllocator SOCKET_BUFFERS = UnpooledByteBufAllocator.DEFAULT;

    @Bean
    NettyServerCustomizer unpooledSocketBuffers() {
        return server -> server.childOption(ChannelOption.ALLOCATOR, SOCKET_BUFFERS);
    }
}
