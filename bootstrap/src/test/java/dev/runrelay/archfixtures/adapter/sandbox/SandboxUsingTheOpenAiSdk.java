package dev.runrelay.archfixtures.adapter.sandbox;

import com.openai.client.OpenAIClient;

/** Breaks ONLY_THE_OPENAI_ADAPTER_USES_THE_OPENAI_SDK. */
public class SandboxUsingTheOpenAiSdk {

    public Object assistants(OpenAIClient client) {
        return client.beta();
    }
}
