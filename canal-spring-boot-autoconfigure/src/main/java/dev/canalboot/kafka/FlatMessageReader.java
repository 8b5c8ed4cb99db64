package dev.canalboot.kafka;

import dev.canalboot.canal.CanalDamagedColumns;
import dev.canalboot.canal.MySqlTypeText;
import dev.canalboot.model.Column;
import dev.canalboot.model.TableSchema;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a Canal flat message from its JSON bytes with a streaming parser (no data binding, no maps): each row
 * image becomes its column names and value texts, and the table's schema comes from a cache of message shapes.
 * Fields it does not know are skipped, so that later Canal versions' additions do not break it.
 * <p>
 * The shape of a message is its {@code database}, {@code table}, {@code pkNames} and {@code mysqlType} (names and
 * type texts, in order). It is read into a reused buffer without making strings of it; a shape seen before gives
 * the same {@link TableSchema} instance, so the type texts are parsed once per table, not once per message.
 * <p>
 * Not thread-safe (reused buffers and the shape cache): one per decoding thread ({@link RecordDecoding}).
 */
final class FlatMessageReader {

    /** One reader per source and thread: a thread-local buffer pool instead of the shared concurrent one. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.threadLocalPool()).build();
    /** Shapes kept; past this the cache starts again (a table altered again and again, or very many tables). */
    static final int MAX_SHAPES = 1024;

    /** The source's name, for the log. */
    private final String source;
    private final Set<String> warned;
    /** Each shape seen, as its own key, holding its schema. */
    private final Map<Shape, Shape> shapes = new HashMap<>();
    /** The shape being read (reused). */
    private final Shape shape = new Shape();
    private @Nullable Shape lastShape;
    private final List<String> rowNames = new ArrayList<>();
    /** The value texts of the message being read (its images point here), with their offsets and lengths. */
    private char[] texts = new char[4096];
    private int textsLength;
    private int[] rowSpans = new int[64];

    FlatMessageReader(String source) {
        this(source, ConcurrentHashMap.newKeySet());
    }

    /** @param warned the tables named in the WARN about columns Canal damages, shared by one source's readers */
    FlatMessageReader(String source, Set<String> warned) {
        this.source = source;
        this.warned = warned;
    }

    /** @throws IllegalArgumentException when the bytes are not a JSON object of the flat-message shape */
    FlatRecord read(byte[] json) {
        return read(json, 0, json.length);
    }

    /**
     * The message in {@code length} bytes of {@code json} from {@code offset}. Its images' texts are valid until the
     * next call.
     *
     * @throws IllegalArgumentException when the bytes are not a JSON object of the flat-message shape
     */
    FlatRecord read(byte[] json, int offset, int length) {
        if (texts.length < length) { // each char of a text comes from one byte or more: no growing while reading
            texts = new char[Math.max(length, texts.length * 2)];
        }
        textsLength = 0;
        try (JsonParser parser = JSON.createParser(json, offset, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object" + preview(json, offset, length));
            }
            shape.clear();
            String database = null;
            String table = null;
            boolean isDdl = false;
            String type = null;
            long es = 0;
            String sql = null;
            int columns = 0;
            List<FlatRecord.Image> data = null;
            List<FlatRecord.Image> old = null;
            String gtid = null;
            int seen = 0;
            String field;
            while ((field = parser.nextName()) != null) {
                JsonToken token = parser.nextToken();
                switch (field) {
                    case "id", "ts" -> number(parser, token, field);
                    case "database" -> {
                        seen = once(seen, 1, field);
                        database = text(parser, token, field, -1, null);
                        shape.tag('d');
                        shape.string(database);
                    }
                    case "table" -> {
                        seen = once(seen, 2, field);
                        table = text(parser, token, field, -1, null);
                        shape.tag('t');
                        shape.string(table);
                    }
                    case "pkNames" -> {
                        seen = once(seen, 4, field);
                        primaryKey(parser, token);
                    }
                    case "mysqlType" -> {
                        seen = once(seen, 8, field);
                        columns = columnTypes(parser, token);
                    }
                    case "isDdl" -> isDdl = token == JsonToken.VALUE_TRUE;
                    case "type" -> type = text(parser, token, field, -1, null);
                    case "es" -> es = number(parser, token, field);
                    case "sql" -> sql = text(parser, token, field, -1, null);
                    case "data" -> data = images(parser, token, field);
                    case "old" -> old = images(parser, token, field);
                    case "gtid" -> gtid = text(parser, token, field, -1, null);
                    default -> parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("not valid JSON (more after the object)"
                        + preview(json, offset, length));
            }
            TableSchema schema = columns > 0 && data != null && !data.isEmpty() && !isDdl
                    && FlatRecord.changeType(type) != null ? schema(database, table) : null;
            return new FlatRecord(database, table, isDdl, type, es, sql, gtid, schema, data, old);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not valid JSON (" + e.getOriginalMessage() + ")"
                    + preview(json, offset, length), e);
        }
    }

    private static int once(int seen, int bit, String field) {
        if ((seen & bit) != 0) {
            throw new IllegalArgumentException("field '" + field + "' appears twice");
        }
        return seen | bit;
    }

    /** Appends {@code pkNames} to the shape: 'P' for null, else 'p' and one 'k' per name. */
    private void primaryKey(JsonParser parser, JsonToken token) {
        if (token == JsonToken.VALUE_NULL) {
            shape.tag('P');
            return;
        }
        expect(token, JsonToken.START_ARRAY, "pkNames");
        shape.tag('p');
        JsonToken element;
        int i = 0;
        while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
            shape.tag('k');
            chars(parser, element, "pkNames", i++, null);
        }
    }

    /** Appends {@code mysqlType} to the shape: 'M' for null, else 'm' and one 'c' (name, type text) per column. */
    private int columnTypes(JsonParser parser, JsonToken token) {
        if (token == JsonToken.VALUE_NULL) {
            shape.tag('M');
            return 0;
        }
        expect(token, JsonToken.START_OBJECT, "mysqlType");
        shape.tag('m');
        int columns = 0;
        String name;
        while ((name = parser.nextName()) != null) {
            shape.tag('c');
            shape.string(name);
            chars(parser, parser.nextToken(), "mysqlType", -1, name);
            columns++;
        }
        return columns;
    }

    /** The schema of the shape just read: the last message's, a cached one, or a new one. */
    private TableSchema schema(@Nullable String database, @Nullable String table) {
        if (lastShape != null && shape.equals(lastShape)) {
            return lastShape.schema;
        }
        shape.hash();
        Shape kept = shapes.get(shape);
        if (kept == null) {
            if (shapes.size() >= MAX_SHAPES) {
                shapes.clear();
            }
            kept = shape.copy(shape.schema(source, database, table, warned));
            shapes.put(kept, kept);
        }
        lastShape = kept;
        return kept.schema;
    }

    /**
     * Whether a scalar value is null; anything but a scalar is refused. Values are strings in Canal's output;
     * numbers and booleans written by other producers keep their text.
     */
    private static boolean isNull(JsonToken token, String field, int index, @Nullable String name) {
        return switch (token) {
            case VALUE_NULL -> true;
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> false;
            default -> throw new IllegalArgumentException("field '" + path(field, index, name) + "' is " + token
                    + ", expected a string");
        };
    }

    /** The text of a scalar value, or null. */
    private static @Nullable String text(JsonParser parser, JsonToken token, String field, int index,
                                         @Nullable String name) {
        return isNull(token, field, index, name) ? null : parser.getString();
    }

    /** As {@link #text}, appended to the shape without making a string of it. */
    private void chars(JsonParser parser, JsonToken token, String field, int index, @Nullable String name) {
        if (isNull(token, field, index, name)) {
            shape.string(null);
        } else {
            shape.string(parser.getStringCharacters(), parser.getStringOffset(), parser.getStringLength());
        }
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

    /** {@code data} or {@code old}: an array of objects; rows with the same columns share one names array. */
    private @Nullable List<FlatRecord.Image> images(JsonParser parser, JsonToken token, String field) {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(token, JsonToken.START_ARRAY, field);
        List<FlatRecord.Image> images = new ArrayList<>();
        String[] shared = null;
        JsonToken element;
        while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (element != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("field '" + path(field, images.size(), null) + "' is " + element
                        + ", expected an object");
            }
            rowNames.clear();
            int values = 0;
            String name;
            while ((name = parser.nextName()) != null) {
                rowNames.add(name);
                if (2 * values + 2 > rowSpans.length) {
                    rowSpans = Arrays.copyOf(rowSpans, rowSpans.length * 2);
                }
                value(parser, parser.nextToken(), field, images.size(), name, 2 * values++);
            }
            String[] names = sameNames(shared, rowNames) ? shared : rowNames.toArray(new String[0]);
            if (shared == null) {
                shared = names;
            }
            images.add(new FlatRecord.Image(names, texts, Arrays.copyOf(rowSpans, 2 * values)));
        }
        return images;
    }

    /** A value of a row image: its text copied to {@link #texts}, its offset and length to {@link #rowSpans}. */
    private void value(JsonParser parser, JsonToken token, String field, int index, String name, int span) {
        if (isNull(token, field, index, name)) {
            rowSpans[span] = -1;
            rowSpans[span + 1] = 0;
            return;
        }
        int n = parser.getStringLength();
        if (textsLength + n > texts.length) { // not for UTF-8 input; earlier images keep the old buffer
            texts = Arrays.copyOf(texts, Math.max(texts.length * 2, textsLength + n));
        }
        System.arraycopy(parser.getStringCharacters(), parser.getStringOffset(), texts, textsLength, n);
        rowSpans[span] = textsLength;
        rowSpans[span + 1] = n;
        textsLength += n;
    }

    private static boolean sameNames(String @Nullable [] names, List<String> row) {
        if (names == null || names.length != row.size()) {
            return false;
        }
        for (int i = 0; i < names.length; i++) {
            String name = row.get(i);
            if (names[i] != name && !names[i].equals(name)) { // the parser's names are canonical: mostly ==
                return false;
            }
        }
        return true;
    }

    private static String path(String field, int index, @Nullable String name) {
        return field + (index >= 0 ? "[" + index + "]" : "") + (name == null ? "" : "." + name);
    }

    private static void expect(JsonToken token, JsonToken expected, String field) {
        if (token != expected) {
            throw new IllegalArgumentException("field '" + field + "' is " + token + ", expected "
                    + (expected == JsonToken.START_ARRAY ? "an array" : "an object"));
        }
    }

    private static String preview(byte[] bytes, int offset, int length) {
        int shown = Math.min(length, 60);
        StringBuilder text = new StringBuilder(": starts with ");
        for (int i = offset; i < offset + shown; i++) {
            char c = (char) (bytes[i] & 0xff);
            text.append(c >= 0x20 && c < 0x7f ? Character.toString(c) : String.format("\\x%02x", bytes[i] & 0xff));
        }
        return text.toString();
    }

    /**
     * A message's shape as one char sequence: tags and length-prefixed strings (two chars of length, {@code
     * 0xFFFF 0xFFFF} for null), in the order of the message's fields. Equal sequences give equal schemas.
     */
    private static final class Shape {

        private static final char NULL = 0xFFFF;

        private char[] chars;
        private int length;
        private int hash;
        /** Set on the shapes kept in the cache. */
        private final @Nullable TableSchema schema;

        Shape() {
            this(new char[512], 0, 0, null);
        }

        private Shape(char[] chars, int length, int hash, @Nullable TableSchema schema) {
            this.chars = chars;
            this.length = length;
            this.hash = hash;
            this.schema = schema;
        }

        void clear() {
            length = 0;
        }

        void tag(char tag) {
            room(1);
            chars[length++] = tag;
        }

        void string(@Nullable String text) {
            if (text == null) {
                room(2);
                chars[length++] = NULL;
                chars[length++] = NULL;
                return;
            }
            int n = text.length();
            room(n + 2);
            chars[length++] = (char) (n >>> 16);
            chars[length++] = (char) n;
            text.getChars(0, n, chars, length);
            length += n;
        }

        void string(char[] text, int offset, int n) {
            room(n + 2);
            chars[length++] = (char) (n >>> 16);
            chars[length++] = (char) n;
            System.arraycopy(text, offset, chars, length, n);
            length += n;
        }

        private void room(int more) {
            if (length + more > chars.length) {
                chars = Arrays.copyOf(chars, Math.max(chars.length * 2, length + more));
            }
        }

        void hash() {
            int h = 1;
            for (int i = 0; i < length; i++) {
                h = 31 * h + chars[i];
            }
            hash = h;
        }

        /** A copy to keep, with the schema it describes. */
        Shape copy(TableSchema schema) {
            return new Shape(Arrays.copyOf(chars, length), length, hash, schema);
        }

        /**
         * The schema this shape describes: columns from the 'c' entries, primary key from the 'k' entries. Built once
         * per shape, so columns Canal damages are named in the log once per shape too.
         */
        TableSchema schema(String source, @Nullable String database, @Nullable String table, Set<String> warned) {
            List<String> names = new ArrayList<>();
            List<String> types = new ArrayList<>();
            List<String> primaryKey = new ArrayList<>();
            int i = 0;
            while (i < length) {
                char tag = chars[i++];
                switch (tag) {
                    case 'd', 't', 'k' -> {
                        String text = stringAt(i);
                        i = after(i);
                        if (tag == 'k') {
                            primaryKey.add(text);
                        }
                    }
                    case 'c' -> {
                        names.add(stringAt(i));
                        i = after(i);
                        types.add(stringAt(i));
                        i = after(i);
                    }
                    default -> { } // markers without strings: 'p', 'P', 'm', 'M'
                }
            }
            List<Column> columns = new ArrayList<>(names.size());
            for (int c = 0; c < names.size(); c++) {
                columns.add(MySqlTypeText.parse(types.get(c))
                        .column(names.get(c), c, primaryKey.contains(names.get(c))));
            }
            CanalDamagedColumns.warnOf(source, database + "." + table, names, types, warned);
            return new TableSchema(database, table, columns);
        }

        private @Nullable String stringAt(int at) {
            if (chars[at] == NULL && chars[at + 1] == NULL) {
                return null;
            }
            return new String(chars, at + 2, (chars[at] << 16) | chars[at + 1]);
        }

        private int after(int at) {
            return chars[at] == NULL && chars[at + 1] == NULL ? at + 2 : at + 2 + ((chars[at] << 16) | chars[at + 1]);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Shape shape
                    && Arrays.equals(chars, 0, length, shape.chars, 0, shape.length);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
