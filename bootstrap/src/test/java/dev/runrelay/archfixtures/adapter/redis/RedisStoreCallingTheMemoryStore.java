package dev.runrelay.archfixtures.adapter.redis;

import dev.runrelay.archfixtures.adapter.memory.FixtureMemoryStore;

/** Breaks ONION: one store adapter depending on another (each is chosen alone by runrelay.store). */
public class RedisStoreCallingTheMemoryStore {

    public Object fallback(FixtureMemoryStore store) {
        return store;
    }
}
