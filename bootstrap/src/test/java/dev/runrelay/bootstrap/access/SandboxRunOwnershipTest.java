package dev.runrelay.bootstrap.access;

import dev.runrelay.bootstrap.RunRelayApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Ownership in jwt mode with {@code runrelay.provider=sandbox}. */
@SpringBootTest(
        classes = RunRelayApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "runrelay.provider=sandbox", "runrelay.sandbox.deltas-per-second=2000"})
class SandboxRunOwnershipTest extends RunOwnershipContract {

    @DynamicPropertySource
    static void jwt(DynamicPropertyRegistry registry) {
        jwtMode(registry);
    }

    @Override
    String assistantId() {
        return "asst_demo";
    }

    @Override
    void prepareTextRun() {
        // The sandbox plays a plain answer for "Hello there".
    }
}
