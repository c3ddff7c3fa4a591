package dev.runrelay.domain.shared;

import dev.runrelay.domain.error.InvalidRequestException;

public enum SortOrder {
    ASC("asc"),
    DESC("desc");

    private final String wireValue;

    SortOrder(String wireValue) {
        this.wireValue = wireValue;
    }

    public String wireValue() {
        return wireValue;
    }

    public static SortOrder fromWire(String field, String value) {
        for (SortOrder order : values()) {
            if (order.wireValue.equals(value)) {
                return order;
            }
        }
        throw new InvalidRequestException(field, "must be 'asc' or 'desc'");
    }
}
