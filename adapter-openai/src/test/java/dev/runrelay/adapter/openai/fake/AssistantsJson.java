package dev.runrelay.adapter.openai.fake;

import java.util.ArrayList;
import java.util.List;

/**
 * The Assistants API's JSON objects, shaped as in OpenAI's API reference ({@code thread.run},
 * {@code thread.run.step}, {@code thread.message}, their deltas, lists), for scenarios built in code.
 */
public final class AssistantsJson {

    public static final long CREATED_AT = 1_763_700_000L;

    private AssistantsJson() {}

    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** A {@code thread.run}; {@code extra} is spliced in (e.g. {@code "usage": {...}}), or null. */
    public static String run(String runId, String threadId, String status, String extra) {
        boolean finished = switch (status) {
            case "completed", "failed", "cancelled", "expired", "incomplete" -> true;
            default -> false;
        };
        return ("{\"id\": %s, \"object\": \"thread.run\", \"created_at\": %d, \"assistant_id\": \"asst_abc123\", "
                + "\"thread_id\": %s, \"status\": %s, \"started_at\": %s, \"expires_at\": %s, \"cancelled_at\": null, "
                + "\"failed_at\": null, \"completed_at\": %s, \"required_action\": null, \"last_error\": null, "
                + "\"model\": \"gpt-4o\", \"instructions\": \"You are a helpful assistant.\", \"tools\": [], "
                + "\"tool_resources\": {}, \"metadata\": {}, \"temperature\": 1.0, \"top_p\": 1.0, "
                + "\"max_completion_tokens\": null, \"max_prompt_tokens\": null, "
                + "\"truncation_strategy\": {\"type\": \"auto\", \"last_messages\": null}, \"incomplete_details\": null, "
                + "\"usage\": null, \"response_format\": \"auto\", \"tool_choice\": \"auto\", \"parallel_tool_calls\": true%s}")
                .formatted(quote(runId), CREATED_AT, quote(threadId), quote(status),
                        status.equals("queued") ? "null" : String.valueOf(CREATED_AT + 1),
                        finished ? "null" : String.valueOf(CREATED_AT + 600),
                        status.equals("completed") ? String.valueOf(CREATED_AT + 5) : "null",
                        extra == null ? "" : ", " + extra);
    }

    public static String usage(long prompt, long completion) {
        return "\"usage\": {\"prompt_tokens\": %d, \"completion_tokens\": %d, \"total_tokens\": %d}"
                .formatted(prompt, completion, prompt + completion);
    }

    /** A message-creation {@code thread.run.step}. */
    public static String messageStep(String stepId, String runId, String threadId, String messageId, String status) {
        return ("{\"id\": %s, \"object\": \"thread.run.step\", \"created_at\": %d, \"run_id\": %s, "
                + "\"assistant_id\": \"asst_abc123\", \"thread_id\": %s, \"type\": \"message_creation\", \"status\": %s, "
                + "\"cancelled_at\": null, \"completed_at\": %s, \"expired_at\": null, \"failed_at\": null, "
                + "\"last_error\": null, \"step_details\": {\"type\": \"message_creation\", "
                + "\"message_creation\": {\"message_id\": %s}}, \"usage\": null, \"metadata\": {}}")
                .formatted(quote(stepId), CREATED_AT, quote(runId), quote(threadId), quote(status),
                        status.equals("completed") ? String.valueOf(CREATED_AT + 4) : "null", quote(messageId));
    }

    /** A {@code thread.message} from the assistant with one text part. */
    public static String message(String messageId, String runId, String threadId, String status, String text) {
        String content = text == null ? "[]"
                : "[{\"type\": \"text\", \"text\": {\"value\": %s, \"annotations\": []}}]".formatted(quote(text));
        return ("{\"id\": %s, \"object\": \"thread.message\", \"created_at\": %d, \"assistant_id\": \"asst_abc123\", "
                + "\"thread_id\": %s, \"run_id\": %s, \"status\": %s, \"incomplete_details\": null, "
                + "\"incomplete_at\": null, \"completed_at\": %s, \"role\": \"assistant\", \"content\": %s, "
                + "\"attachments\": [], \"metadata\": {}}")
                .formatted(quote(messageId), CREATED_AT, quote(threadId), quote(runId), quote(status),
                        status.equals("completed") ? String.valueOf(CREATED_AT + 4) : "null", content);
    }

    /** A {@code thread.message.delta} carrying one fragment of text part 0. */
    public static String messageDelta(String messageId, String fragment) {
        return ("{\"id\": %s, \"object\": \"thread.message.delta\", \"delta\": {\"content\": "
                + "[{\"index\": 0, \"type\": \"text\", \"text\": {\"value\": %s, \"annotations\": []}}]}}")
                .formatted(quote(messageId), quote(fragment));
    }

    /** A list object ({@code first_id}, {@code last_id}, {@code has_more}) of the given JSON objects. */
    public static String list(List<String> objects, String firstId, String lastId, boolean hasMore) {
        return "{\"object\": \"list\", \"data\": [%s], \"first_id\": %s, \"last_id\": %s, \"has_more\": %s}"
                .formatted(String.join(", ", objects), quote(firstId), quote(lastId), hasMore);
    }

    public static String frame(String event, String data) {
        return "event: " + event + "\ndata: " + data;
    }

    /**
     * A whole text run as SSE frames: created, queued, in progress, step and message created,
     * {@code deltas} text fragments, message and step completed, run completed with usage, done.
     * With a null {@code threadIdForNewThread} it is a run on an existing thread; else a thread is created first.
     */
    public static List<String> textRunFrames(String threadId, String runId, int deltas, boolean createThread) {
        String messageId = "msg_" + runId;
        String stepId = "step_" + runId;
        List<String> frames = new ArrayList<>();
        if (createThread) {
            frames.add(frame("thread.created", "{\"id\": %s, \"object\": \"thread\", \"created_at\": %d, \"metadata\": {}, \"tool_resources\": {}}"
                    .formatted(quote(threadId), CREATED_AT)));
        }
        frames.add(frame("thread.run.created", run(runId, threadId, "queued", null)));
        frames.add(frame("thread.run.queued", run(runId, threadId, "queued", null)));
        frames.add(frame("thread.run.in_progress", run(runId, threadId, "in_progress", null)));
        frames.add(frame("thread.run.step.created", messageStep(stepId, runId, threadId, messageId, "in_progress")));
        frames.add(frame("thread.run.step.in_progress", messageStep(stepId, runId, threadId, messageId, "in_progress")));
        frames.add(frame("thread.message.created", message(messageId, runId, threadId, "in_progress", null)));
        frames.add(frame("thread.message.in_progress", message(messageId, runId, threadId, "in_progress", null)));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < deltas; i++) {
            String fragment = (i == 0 ? "Token" : " token") + i;
            text.append(fragment);
            frames.add(frame("thread.message.delta", messageDelta(messageId, fragment)));
        }
        frames.add(frame("thread.message.completed", message(messageId, runId, threadId, "completed", text.toString())));
        frames.add(frame("thread.run.step.completed", messageStep(stepId, runId, threadId, messageId, "completed")));
        frames.add(frame("thread.run.completed", run(runId, threadId, "completed", usage(120, deltas * 2L))));
        frames.add(frame("done", "[DONE]"));
        return frames;
    }
}
