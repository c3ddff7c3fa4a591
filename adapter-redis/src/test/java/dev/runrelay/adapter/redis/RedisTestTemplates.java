package dev.runrelay.adapter.redis;

import dev.runrelay.adapter.redis.testing.RedisTestServer;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** A Lettuce connection to the shared test Redis, the way Boot would build it. */
final class RedisTestTemplates implements AutoCloseable {

    final LettuceConnectionFactory factory;
    final ReactiveStringRedisTemplate template;

    RedisTestTemplates(RedisTestServer server) {
        factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(server.host(), server.port()));
        factory.afterPropertiesSet();
        factory.start();
        template = new ReactiveStringRedisTemplate(factory);
    }

    @Override
    public void close() {
        factory.destroy();
    }
}
