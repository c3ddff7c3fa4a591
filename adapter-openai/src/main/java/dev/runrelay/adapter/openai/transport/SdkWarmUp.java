package dev.runrelay.adapter.openai.transport;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.openai.core.ObjectMappers;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds openai-java's Jackson deserializers for the stream event types once, off the event loops.
 * Events are now bound on the event loop that read them; the first binding of a type loads and
 * introspects hundreds of model classes (seconds on a busy machine), which would stall every stream on
 * that loop. Done once per JVM, in the background, when the first client is built.
 */
public final class SdkWarmUp {

    private static final Logger log = LoggerFactory.getLogger(SdkWarmUp.class);
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    /** Class name and a small sample of each type bound on the hot path. */
    private static final List<String[]> SAMPLES = List.of(
            new String[] {"com.openai.models.responses.ResponseStreamEvent",
                    "{\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_0\",\"object\":\"response\","
                            + "\"created_at\":0,\"status\":\"in_progress\",\"output\":[]}}"},
            new String[] {"com.openai.models.responses.Response",
                    "{\"id\":\"resp_0\",\"object\":\"response\",\"created_at\":0,\"status\":\"completed\",\"output\":[]}"},
            new String[] {"com.openai.models.conversations.Conversation",
                    "{\"id\":\"conv_0\",\"object\":\"conversation\",\"created_at\":0,\"metadata\":{}}"},
            new String[] {"com.openai.models.beta.assistants.AssistantStreamEvent",
                    "{\"event\":\"thread.run.created\",\"data\":{\"id\":\"run_0\",\"object\":\"thread.run\"}}"});

    private SdkWarmUp() {}

    /** Starts the warm-up once; returns at once. */
    public static void startOnce() {
        if (!STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("openai-sdk-warm-up").start(SdkWarmUp::run);
    }

    private static void run() {
        JsonMapper mapper = ObjectMappers.jsonMapper();
        for (String[] sample : SAMPLES) {
            try {
                mapper.readerFor(Class.forName(sample[0])).readValue(sample[1]);
            } catch (Exception | LinkageError e) {
                log.debug("openai-java warm-up of {} skipped: {}", sample[0], e.toString());
            }
        }
    }
}
