package dev.runrelay.domain.message;

/**
 * A span of a message's text that cites a file ({@link Type#FILE_CITATION}, e.g. from file search)
 * or points at a file the assistant made ({@link Type#FILE_PATH}).
 *
 * @param text the placeholder in the message text, e.g. {@code 【4:0†source】}
 * @param quote the cited passage, when the provider gives it
 */
public record Annotation(Type type, String text, String fileId, String quote, int startIndex, int endIndex) {

    public enum Type {
        FILE_CITATION("file_citation"),
        FILE_PATH("file_path");

        private final String wireValue;

        Type(String wireValue) {
            this.wireValue = wireValue;
        }

        public String wireValue() {
            return wireValue;
        }
    }
}
