package jail.session.protocol;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Records to and from JSON objects by component name, for the few types a status holds: int, long, boolean,
 * String, Instant (ISO-8601), records, and lists of records. Reflection rather than a hand-written pair per
 * field, so that a new field cannot be written and forgotten in the reading (or the other way round). Vert.x's
 * JsonObject rides on jackson-core, which the init has anyway; Jackson's databind would add two jars to the
 * init's class path for this alone.
 */
final class RecordJson {
    private RecordJson() {}

    static JsonObject write(Record record) {
        JsonObject o = new JsonObject();
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            Object value = get(c, record);
            if (value != null) o.put(c.getName(), toJson(value));
        }
        return o;
    }

    private static Object toJson(Object value) {
        if (value instanceof Record r) return write(r);
        if (value instanceof List<?> list) {
            JsonArray a = new JsonArray();
            for (Object e : list) a.add(toJson(e));
            return a;
        }
        if (value instanceof Instant i) return i.toString();
        return value;
    }

    /** A versioned document: its "version" must be {@code version}; fields it lacks get their type's default. */
    static <R extends Record> R read(String text, int version, Class<R> type) throws StatusFormatException {
        JsonObject o;
        try {
            o = new JsonObject(text);
        } catch (DecodeException e) {
            throw new StatusFormatException("the init's status is not a JSON document (an init of jail before status"
                    + " version " + version + "?): restart the container to run this version's init");
        }
        Object v = o.getValue("version");
        if (!(v instanceof Number n) || n.intValue() != version) {
            throw new StatusFormatException("the init's status is version " + v + ", this jaild reads version " + version
                    + ": restart the container to run this version's init");
        }
        try {
            return read(o, type);
        } catch (ClassCastException | DateTimeParseException | ArithmeticException e) {
            throw new StatusFormatException("the init's status has a field of the wrong type: " + e.getMessage());
        }
    }

    private static <R extends Record> R read(JsonObject o, Class<R> type) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            values[i] = fromJson(o.getValue(components[i].getName()), types[i], components[i].getGenericType());
        }
        try {
            Constructor<R> constructor = type.getDeclaredConstructor(types);
            return constructor.newInstance(values);
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
            throw new IllegalStateException("not a plain record: " + type, e);
        } catch (InvocationTargetException e) {
            throw new ClassCastException(type.getSimpleName() + ": " + e.getCause().getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static Object fromJson(Object value, Class<?> type, Type generic) {
        if (type == int.class) return value == null ? 0 : Math.toIntExact(((Number) value).longValue());
        if (type == long.class) return value == null ? 0L : ((Number) value).longValue();
        if (type == boolean.class) return value != null && (Boolean) value;
        if (value == null) return type == List.class ? List.of() : null;
        if (type == String.class) return (String) value;
        if (type == Instant.class) return Instant.parse((String) value);
        if (type.isRecord()) return read((JsonObject) value, (Class<? extends Record>) type);
        if (type == List.class) {
            Type element = ((ParameterizedType) generic).getActualTypeArguments()[0];
            List<Object> list = new ArrayList<>();
            for (Object e : (JsonArray) value) list.add(fromJson(e, (Class<?>) element, element));
            return list;
        }
        throw new IllegalStateException("no JSON mapping for " + type);
    }

    private static Object get(RecordComponent c, Record record) {
        try {
            return c.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + c.getName() + " of " + record.getClass(), e);
        }
    }
}
