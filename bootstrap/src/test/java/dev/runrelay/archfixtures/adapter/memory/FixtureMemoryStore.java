package dev.runrelay.archfixtures.adapter.memory;

/** A legal class of the memory store adapter; the Redis fixture depends on it illegally. */
public class FixtureMemoryStore {}
