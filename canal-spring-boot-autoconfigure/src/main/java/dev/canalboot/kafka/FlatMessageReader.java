package dev.canalboot.kafka;

import dev.canalboot.canal.FlatMessage;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Canal flat message from its JSON bytes with a streaming parser (no data binding). Fields it does not
 * know are skipped, so that later Canal versions' additions do not break it. Thread-safe.
 */
final class FlatMessageReader {

    private static final JsonFactory JSON = new JsonFactory();

    /** @throws IllegalArgumentException when the bytes are not a JSON object of the flat-message shape */
    FlatMessage read(byte[] json) {
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object" + preview(json));
            }
            long id = 0;
            String database = null;
            String table = null;
            List<String> pkNames = null;
            boolean isDdl = false;
            String type = null;
            long es = 0;
            long ts = 0;
            String sql = null;
            Map<String, String> mysqlType = null;
            List<Map<String, String>> data = null;
            List<Map<String, String>> old = null;
            String gtid = null;
            String field;
            while ((field = parser.nextName()) != null) {
                JsonToken token = parser.nextToken();
                switch (field) {
                    case "id" -> id = number(parser, token, field);
                    case "database" -> database = text(parser, token, field);
                    case "table" -> table = text(parser, token, field);
                    case "pkNames" -> pkNames = texts(parser, token, field);
                    case "isDdl" -> isDdl = token == JsonToken.VALUE_TRUE;
                    case "type" -> type = text(parser, token, field);
                    case "es" -> es = number(parser, token, field);
                    case "ts" -> ts = number(parser, token, field);
                    case "sql" -> sql = text(parser, token, field);
                    case "mysqlType" -> mysqlType = map(parser, token, field);
                    case "data" -> data = rows(parser, token, field);
                    case "old" -> old = rows(parser, token, field);
                    case "gtid" -> gtid = text(parser, token, field);
                    default -> parser.skipChildren();
                }
            }
            return new FlatMessage(id, database, table, pkNames, isDdl, type, es, ts, sql, null, mysqlType, data, old,
                    gtid);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not valid JSON (" + e.getOriginalMessage() + ")" + preview(json), e);
        }
    }

    private static String text(JsonParser parser, JsonToken token, String field) {
        return switch (token) {
            case VALUE_NULL -> null;
            // Values are strings in Canal's output; numbers and booleans written by other producers keep their text
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> parser.getString();
            default -> throw new IllegalArgumentException("field '" + field + "' is " + token + ", expected a string");
        };
    }

    private static long number(JsonParser parser, JsonToken token, String field) {
        return switch (token) {
            case VALUE_NULL -> 0;
            case VALUE_NUMBER_INT -> parser.getLongValue();
            case VALUE_STRING -> {
                try {
                    yield Long.parseLong(parser.getString().trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("field '" + field + "' is '" + parser.getString()
                            + "', expected a number", e);
                }
            }
            default -> throw new IllegalArgumentException("field '" + field + "' is " + token + ", expected a number");
        };
    }

    private static @Nullable List<String> texts(JsonParser parser, JsonToken token, String field) {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(token, JsonToken.START_ARRAY, field);
        List<String> values = new ArrayList<>();
        JsonToken element;
        while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
            values.add(text(parser, element, field));
        }
        return values;
    }

    private static @Nullable Map<String, String> map(JsonParser parser, JsonToken token, String field) {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(token, JsonToken.START_OBJECT, field);
        Map<String, String> values = new LinkedHashMap<>();
        String name;
        while ((name = parser.nextName()) != null) {
            values.put(name, text(parser, parser.nextToken(), field + "." + name));
        }
        return values;
    }

    private static @Nullable List<Map<String, String>> rows(JsonParser parser, JsonToken token, String field) {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(token, JsonToken.START_ARRAY, field);
        List<Map<String, String>> rows = new ArrayList<>();
        JsonToken element;
        while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
            rows.add(map(parser, element, field + "[" + rows.size() + "]"));
        }
        return rows;
    }

    private static void expect(JsonToken token, JsonToken expected, String field) {
        if (token != expected) {
            throw new IllegalArgumentException("field '" + field + "' is " + token + ", expected "
                    + (expected == JsonToken.START_ARRAY ? "an array" : "an object"));
        }
    }

    private static String preview(byte[] bytes) {
        int length = Math.min(bytes.length, 60);
        StringBuilder text = new StringBuilder(": starts with ");
        for (int i = 0; i < length; i++) {
            char c = (char) (bytes[i] & 0xff);
            text.append(c >= 0x20 && c < 0x7f ? Character.toString(c) : String.format("\\x%02x", bytes[i] & 0xff));
        }
        return text.toString();
    }
}
