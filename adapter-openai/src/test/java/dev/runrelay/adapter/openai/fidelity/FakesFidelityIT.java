package dev.runrelay.adapter.openai.fidelity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code src/test/fidelity/fidelity.test.mjs} (the official OpenAI Node SDK, pinned by its
 * package-lock.json) against both fake servers started in this JVM: it fails wherever a fake is kinder
 * than the real API. Skipped only where there is no {@code node} at all; CI has it.
 */
class FakesFidelityIT {

    private static final Path PACKAGE = Path.of("src/test/fidelity");

    @Test
    void theOfficialNodeSdk_findsTheFakesFaithful() throws Exception {
        assumeTrue(runs(List.of("node", "--version")), "node is not installed: the fidelity test needs it");
        if (!Files.isDirectory(PACKAGE.resolve("node_modules/openai"))) {
            assertThat(runs(List.of("npm", "--version"))).as("npm is needed to install the pinned OpenAI Node SDK").isTrue();
            Result install = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), Map.of(), 300);
            assertThat(install.exitCode()).as("npm ci in %s:%n%s", PACKAGE, install.output()).isZero();
        }
        try (FidelityFakes fakes = FidelityFakes.start()) {
            Result test = run(List.of("node", "--test", "--test-concurrency=1", "fidelity.test.mjs"), fakes.environment(), 180);
            assertThat(test.exitCode()).as("the Node SDK's fidelity test:%n%s", test.output()).isZero();
            assertThat(test.output()).contains("# fail 0").doesNotContain("# pass 0");
        }
    }

    private record Result(int exitCode, String output) {}

    private static boolean runs(List<String> command) {
        try {
            return run(command, Map.of(), 30).exitCode() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Result run(List<String> command, Map<String, String> environment, long timeoutSeconds)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("fidelity", ".log");
        try {
            var builder = new ProcessBuilder(command).directory(PACKAGE.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return new Result(-1, "timed out after " + timeoutSeconds + " s\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
