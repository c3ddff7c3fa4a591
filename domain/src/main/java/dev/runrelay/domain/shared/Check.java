package dev.runrelay.domain.shared;

import dev.runrelay.domain.error.InvalidRequestException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The argument checks the commands run in their compact constructors. Each failure names the field. */
public final class Check {

    /** Provider ids go into URL paths: letters, digits, '_' and '-' only, so nothing can escape the path. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    public static final int METADATA_MAX_PAIRS = 16;
    public static final int METADATA_MAX_KEY_LENGTH = 64;
    public static final int METADATA_MAX_VALUE_LENGTH = 512;

    private Check() {}

    public static String id(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException(field, "is required");
        }
        if (!ID.matcher(value).matches()) {
            throw new InvalidRequestException(field, "must be 1 to 128 letters, digits, '_' or '-'");
        }
        return value;
    }

    public static String optionalId(String field, String value) {
        return value == null ? null : id(field, value);
    }

    public static <T> T present(String field, T value) {
        if (value == null) {
            throw new InvalidRequestException(field, "is required");
        }
        return value;
    }

    public static String text(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException(field, "is required");
        }
        return value;
    }

    public static Integer range(String field, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            throw new InvalidRequestException(field, "must be between " + min + " and " + max);
        }
        return value;
    }

    public static Double range(String field, Double value, double min, double max) {
        if (value != null && (value.isNaN() || value < min || value > max)) {
            throw new InvalidRequestException(field, "must be between " + min + " and " + max);
        }
        return value;
    }

    public static Integer atLeast(String field, Integer value, int min) {
        if (value != null && value < min) {
            throw new InvalidRequestException(field, "must be at least " + min);
        }
        return value;
    }

    /** An immutable copy; null means empty. Elements may not be null. */
    public static <T> List<T> list(String field, List<T> values) {
        if (values == null) {
            return List.of();
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                throw new InvalidRequestException(field + "[" + i + "]", "must not be null");
            }
        }
        return List.copyOf(values);
    }

    public static <T> List<T> nonEmptyList(String field, List<T> values) {
        if (values == null || values.isEmpty()) {
            throw new InvalidRequestException(field, "must contain at least one element");
        }
        return list(field, values);
    }

    /** The API's metadata bounds: at most 16 pairs, keys up to 64 characters, values up to 512. */
    public static Map<String, String> metadata(String field, Map<String, String> metadata) {
        if (metadata == null) {
            return Map.of();
        }
        if (metadata.size() > METADATA_MAX_PAIRS) {
            throw new InvalidRequestException(field, "must have at most " + METADATA_MAX_PAIRS + " pairs");
        }
        for (Map.Entry<String, String> pair : metadata.entrySet()) {
            String key = pair.getKey();
            if (key == null || key.isEmpty() || key.length() > METADATA_MAX_KEY_LENGTH) {
                throw new InvalidRequestException(
                        field, "keys must be 1 to " + METADATA_MAX_KEY_LENGTH + " characters");
            }
            String value = pair.getValue();
            if (value == null || value.length() > METADATA_MAX_VALUE_LENGTH) {
                throw new InvalidRequestException(
                        field + "." + key, "must be a string of at most " + METADATA_MAX_VALUE_LENGTH + " characters");
            }
        }
        return Map.copyOf(metadata);
    }
}
