package dev.runrelay.archfixtures.adapter.openai;

import dev.runrelay.archfixtures.adapter.websocket.FixtureWebSocketHandler;

/** Breaks ONION: one adapter depending on another. */
public class OpenAiAdapterCallingTheWebSocketAdapter {

    public Object handler(FixtureWebSocketHandler handler) {
        return handler;
    }
}
