package dev.runrelay.bootstrap.resilience;

import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The thread and run ids a port call concerns, read from its command (a record) for the log. Reading
 * the record components by name keeps the aspect free of any knowledge of individual commands.
 */
record CommandIds(String threadId, String runId) {

    private static final CommandIds NONE = new CommandIds(null, null);
    private static final Map<Class<?>, RecordComponent[]> ID_COMPONENTS = new ConcurrentHashMap<>();

    static CommandIds of(Object[] arguments) {
        if (arguments == null || arguments.length == 0 || !(arguments[0] instanceof Record command)) {
            return NONE;
        }
        RecordComponent[] components = ID_COMPONENTS.computeIfAbsent(command.getClass(), CommandIds::idComponents);
        return new CommandIds(read(components[0], command), read(components[1], command));
    }

    private static RecordComponent[] idComponents(Class<?> type) {
        RecordComponent[] found = new RecordComponent[2];
        for (RecordComponent component : type.getRecordComponents()) {
            if (component.getType() == String.class && component.getName().equals("threadId")) {
                found[0] = component;
            } else if (component.getType() == String.class && component.getName().equals("runId")) {
                found[1] = component;
            }
        }
        return found;
    }

    private static String read(RecordComponent component, Record command) {
        if (component == null) {
            return null;
        }
        try {
            return (String) component.getAccessor().invoke(command);
        } catch (ReflectiveOperationException | RuntimeException unreadable) {
            return null;
        }
    }
}
