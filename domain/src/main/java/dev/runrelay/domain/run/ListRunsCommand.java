package dev.runrelay.domain.run;

import dev.runrelay.domain.shared.Check;
import dev.runrelay.domain.shared.PageRequest;

public record ListRunsCommand(String threadId, PageRequest page) {

    public ListRunsCommand {
        Check.id("threadId", threadId);
        page = page == null ? PageRequest.firstPage() : page;
    }
}
