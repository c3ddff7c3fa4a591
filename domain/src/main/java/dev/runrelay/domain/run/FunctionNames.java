package dev.runrelay.domain.run;

import dev.runrelay.domain.error.InvalidRequestException;
import dev.runrelay.domain.shared.Check;
import java.util.regex.Pattern;

/** The API's rule for function names, shared by a function tool and a tool choice that names one. */
final class FunctionNames {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private FunctionNames() {}

    static String check(String field, String name) {
        Check.text(field, name);
        if (!NAME.matcher(name).matches()) {
            throw new InvalidRequestException(field, "must be 1 to 64 letters, digits, '_' or '-'");
        }
        return name;
    }
}
