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
 * Records to and from JSON objects by component name, for the types the STATUS document holds: int, long,
 * boolean, String, Instant (ISO-8601), records, and lists of those. Reflection rather
 * than a hand-written pair per field, so that a new field cannot be written and forgotten in the reading (or
 * the other way round). Vert.x's JsonObject rides on jackson-core, which the init has anyway; Jackson's
 * databind would add two jars to the init's class path for this alone.
 * <p>
 * Fields a document has that the record does not are ignored, and a field it lacks reads as 0, false, null or
 * an empty list: the writer may be of another version. What the record's constructor refuses is a
 * {@link FormatException}.
 */
public final class RecordJson {
    private RecordJson() {}

    /** A document that is not JSON, or does not fit the record. */
    public static class FormatException extends ProtocolException {
        public FormatException(String message) {
            super(message);
        }
    }

    public static JsonObject write(Record record) {
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
        if (value instanceof Instant) return value.toString();
        return value;
    }

    /** The JSON object of {@code text}, or a {@link FormatException} saying what {@code what} is not. */
    public static JsonObject parse(String text, String what) throws FormatException {
        try {
            return new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            throw new FormatException(what + " is not a JSON object");
        }
    }

    public static <R extends Record> R read(JsonObject o, Class<R> type) throws FormatException {
        try {
            return readRecord(o, type);
        } catch (ClassCastException | DateTimeParseException | ArithmeticException e) {
            throw new FormatException(type.getSimpleName() + " has a field of the wrong type: " + e.getMessage());
        } catch (InvocationTargetException e) {
            throw new FormatException(type.getSimpleName() + ": " + e.getCause().getMessage());
        }
    }

    private static <R extends Record> R readRecord(JsonObject o, Class<R> type) throws InvocationTargetException {
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            values[i] = fromJson(o.getValue(components[i].getName()), components[i].getGenericType());
        }
        try {
            Constructor<R> constructor = type.getDeclaredConstructor(types);
            return constructor.newInstance(values);
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
            throw new IllegalStateException("not a public record: " + type, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Object fromJson(Object value, Type generic) throws InvocationTargetException {
        Class<?> type = (Class<?>) (generic instanceof ParameterizedType p ? p.getRawType() : generic);
        if (type == int.class) return value == null ? 0 : Math.toIntExact(((Number) value).longValue());
        if (type == long.class) return value == null ? 0L : ((Number) value).longValue();
        if (type == boolean.class) return value != null && (Boolean) value;
        if (value == null) return type == List.class ? List.of() : null;
        if (type == String.class) return (String) value;
        if (type == Instant.class) return Instant.parse((String) value);
        if (type.isRecord()) return readRecord((JsonObject) value, (Class<? extends Record>) type);
        if (type == List.class) {
            Type element = ((ParameterizedType) generic).getActualTypeArguments()[0];
            List<Object> list = new ArrayList<>();
            for (Object e : (JsonArray) value) list.add(fromJson(e, element));
            return list;
        }
        throw new IllegalStateException("no JSON mapping for " + generic);
    }

    private static Object get(RecordComponent c, Record record) {
        try {
            return c.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + c.getName() + " of " + record.getClass(), e);
        }
    }
}
