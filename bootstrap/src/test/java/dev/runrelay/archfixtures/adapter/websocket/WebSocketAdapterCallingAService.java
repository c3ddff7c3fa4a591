package dev.runrelay.archfixtures.adapter.websocket;

import dev.runrelay.archfixtures.application.service.FixtureRunService;

/** Breaks ADAPTERS_CALL_USE_CASES_NOT_SERVICES: an adapter bound to a concrete service. */
public class WebSocketAdapterCallingAService {

    public String start(FixtureRunService service) {
        return service.start();
    }
}
