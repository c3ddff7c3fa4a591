package dev.runrelay.adapter.redis;

/**
 * Every key RunRelay writes, under one prefix (default {@code runrelay:}) so several deployments can share
 * a Redis.
 */
public record RedisKeys(String prefix) {

    public static final String DEFAULT_PREFIX = "runrelay:";

    public RedisKeys {
        if (prefix == null || prefix.isBlank()) {
            throw new IllegalArgumentException("runrelay.store.redis.key-prefix must not be blank");
        }
    }

    String run(String runId) {
        return prefix + "run:{" + runId + "}";
    }

    String threadRuns(String threadId) {
        return prefix + "thread:{" + threadId + "}:runs";
    }

    String runOwner(String runId) {
        return prefix + "run:{" + runId + "}:owner";
    }

    String threadOwner(String threadId) {
        return prefix + "thread:{" + threadId + "}:owner";
    }

    String log(String runId) {
        return prefix + "run:{" + runId + "}:log";
    }

    String lease(String runId) {
        return prefix + "run:{" + runId + "}:lease";
    }

    String resumed(String runId) {
        return prefix + "run:{" + runId + "}:resumed";
    }
}
