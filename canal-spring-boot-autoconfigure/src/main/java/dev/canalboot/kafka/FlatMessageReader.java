package dev.canalboot.kafka;

import dev.canalboot.canal.MySqlTypeText;
import dev.canalboot.model.Column;
import dev.canalboot.model.TableSchema;

import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Canal flat message from its JSON bytes in one pass ({@link JsonScanner}: no parser objects, no maps):
 * each row image becomes its column names and value texts, and the table's schema comes from a cache of message
 * shapes. Fields it does not know are skipped, so that later Canal versions' additions do not break it.
 * <p>
 * The shape of a message is its {@code database}, {@code table}, {@code pkNames} and {@code mysqlType} (names and
 * type texts, in order). Their bytes are copied into a reused buffer without making strings of them; a shape seen
 * before gives the same {@link TableSchema} instance, so the type texts are parsed once per table, not once per
 * message. Column names of rows are made into strings once and reused while the next rows have the same names.
 * <p>
 * Not thread-safe (reused buffers and the caches): one per source, used by the polling thread.
 */
final class FlatMessageReader {

    /** Shapes kept; past this the cache starts again (a table altered again and again, or very many tables). */
    static final int MAX_SHAPES = 1024;

    private static final int ID = 0;
    private static final int DATABASE = 1;
    private static final int TABLE = 2;
    private static final int PK_NAMES = 3;
    private static final int IS_DDL = 4;
    private static final int TYPE = 5;
    private static final int ES = 6;
    private static final int TS = 7;
    private static final int SQL = 8;
    private static final int MYSQL_TYPE = 9;
    private static final int DATA = 10;
    private static final int OLD = 11;
    private static final int GTID = 12;
    private static final String[] FIELDS = {"id", "database", "table", "pkNames", "isDdl", "type", "es", "ts", "sql",
            "mysqlType", "data", "old", "gtid"};
    private static final byte[][] FIELD_BYTES = Arrays.stream(FIELDS)
            .map(f -> f.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);

    private final JsonScanner in = new JsonScanner();
    /** Each shape seen, as its own key, holding its schema. */
    private final Map<Shape, Shape> shapes = new HashMap<>();
    /** The shape being read (reused). */
    private final Shape shape = new Shape();
    private @Nullable Shape lastShape;
    private final Names dataNames = new Names();
    private final Names oldNames = new Names();
    private final List<String> rowNames = new ArrayList<>();
    private final List<String> rowValues = new ArrayList<>();

    /** @throws IllegalArgumentException when the bytes are not a JSON object of the flat-message shape */
    FlatRecord read(byte[] json) {
        in.reset(json);
        if (in.kind() != JsonScanner.OBJECT) {
            throw new IllegalArgumentException("not a JSON object" + JsonScanner.preview(json));
        }
        in.open();
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
        for (boolean more = in.firstMember(); more; more = in.moreMembers()) {
            in.name();
            int field = field();
            if (field == DATABASE || field == TABLE || field == PK_NAMES || field == MYSQL_TYPE) {
                if ((seen & (1 << field)) != 0) {
                    throw new IllegalArgumentException("field '" + FIELDS[field] + "' appears twice"
                            + JsonScanner.preview(json));
                }
                seen |= 1 << field;
            }
            switch (field) {
                case ID, TS -> number(FIELDS[field]);
                case DATABASE -> {
                    database = text(FIELDS[field], -1, null);
                    shape.tag('d');
                    shape.raw(in, database == null);
                }
                case TABLE -> {
                    table = text(FIELDS[field], -1, null);
                    shape.tag('t');
                    shape.raw(in, table == null);
                }
                case PK_NAMES -> primaryKey();
                case MYSQL_TYPE -> columns = columnTypes();
                case IS_DDL -> {
                    int kind = in.kind();
                    isDdl = kind == JsonScanner.TRUE;
                    in.skip();
                }
                case TYPE -> type = text(FIELDS[field], -1, null);
                case ES -> es = number(FIELDS[field]);
                case SQL -> sql = text(FIELDS[field], -1, null);
                case DATA -> data = images(FIELDS[field], dataNames);
                case OLD -> old = images(FIELDS[field], oldNames);
                case GTID -> gtid = text(FIELDS[field], -1, null);
                default -> in.skip();
            }
        }
        in.end();
        TableSchema schema = columns > 0 && data != null && !data.isEmpty() && !isDdl
                && FlatRecord.changeType(type) != null ? schema(database, table) : null;
        return new FlatRecord(database, table, isDdl, type, es, sql, gtid, schema, data, old);
    }

    /** The index in {@link #FIELDS} of the name just read, -1 for another. */
    private int field() {
        if (in.nameEscaped()) {
            return slowField();
        }
        int candidate = switch (in.nameLength()) {
            case 2 -> in.nameFirstByte() == 'i' ? ID : in.nameFirstByte() == 'e' ? ES : TS;
            case 3 -> in.nameFirstByte() == 's' ? SQL : OLD;
            case 4 -> in.nameFirstByte() == 'd' ? DATA : in.nameFirstByte() == 't' ? TYPE : GTID;
            case 5 -> in.nameFirstByte() == 'i' ? IS_DDL : TABLE;
            case 7 -> PK_NAMES;
            case 8 -> DATABASE;
            case 9 -> MYSQL_TYPE;
            default -> -1;
        };
        return candidate >= 0 && in.nameIs(FIELD_BYTES[candidate]) ? candidate : -1;
    }

    /** A name written with escapes: compared decoded. */
    private int slowField() {
        for (int i = 0; i < FIELD_BYTES.length; i++) {
            if (in.nameIs(FIELD_BYTES[i])) {
                return i;
            }
        }
        return -1;
    }

    /** Appends {@code pkNames} to the shape: 'P' for null, else 'p' and one 'k' per name. */
    private void primaryKey() {
        int kind = in.kind();
        if (kind == JsonScanner.NULL) {
            in.literal(kind);
            shape.tag('P');
            return;
        }
        expect(kind, JsonScanner.ARRAY, "pkNames");
        in.open();
        shape.tag('p');
        int i = 0;
        for (boolean more = in.firstElement(); more; more = in.moreElements()) {
            shape.tag('k');
            scalar("pkNames", i++, null);
        }
    }

    /** Appends {@code mysqlType} to the shape: 'M' for null, else 'm' and one 'c' (name, type text) per column. */
    private int columnTypes() {
        int kind = in.kind();
        if (kind == JsonScanner.NULL) {
            in.literal(kind);
            shape.tag('M');
            return 0;
        }
        expect(kind, JsonScanner.OBJECT, "mysqlType");
        in.open();
        shape.tag('m');
        int columns = 0;
        for (boolean more = in.firstMember(); more; more = in.moreMembers()) {
            in.name();
            shape.tag('c');
            shape.name(in);
            scalar("mysqlType", -1, null);
            columns++;
        }
        return columns;
    }

    /** A scalar's bytes appended to the shape, without making a string of them. */
    private void scalar(String field, int index, @Nullable String name) {
        int kind = in.kind();
        switch (kind) {
            case JsonScanner.STRING -> in.skip();
            case JsonScanner.NUMBER -> in.number();
            case JsonScanner.TRUE, JsonScanner.FALSE -> in.literal(kind);
            case JsonScanner.NULL -> {
                in.literal(kind);
                shape.raw(in, true);
                return;
            }
            default -> throw notText(kind, field, index, name);
        }
        shape.raw(in, false);
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
            kept = shape.copy(shape.schema(database, table, in));
            shapes.put(kept, kept);
        }
        lastShape = kept;
        return kept.schema;
    }

    /** The text of a scalar value; numbers and booleans written by other producers keep their text. */
    private @Nullable String text(String field, int index, @Nullable String name) {
        int kind = in.kind();
        return switch (kind) {
            case JsonScanner.STRING -> in.string();
            case JsonScanner.NULL -> {
                in.literal(kind);
                yield null;
            }
            case JsonScanner.NUMBER -> {
                in.number();
                yield in.rawText();
            }
            case JsonScanner.TRUE, JsonScanner.FALSE -> {
                in.literal(kind);
                yield in.rawText();
            }
            default -> throw notText(kind, field, index, name);
        };
    }

    private long number(String field) {
        int kind = in.kind();
        switch (kind) {
            case JsonScanner.NULL -> {
                in.literal(kind);
                return 0;
            }
            case JsonScanner.NUMBER -> {
                in.number();
                Long value = in.longValue();
                if (value == null) {
                    throw new IllegalArgumentException("field '" + field + "' is " + in.rawText()
                            + ", expected a whole number of 64 bits");
                }
                return value;
            }
            case JsonScanner.STRING -> {
                String text = in.string();
                try {
                    return Long.parseLong(text.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("field '" + field + "' is '" + text + "', expected a number", e);
                }
            }
            default -> throw new IllegalArgumentException("field '" + field + "' is " + JsonScanner.describe(kind)
                    + ", expected a number");
        }
    }

    /** {@code data} or {@code old}: an array of objects; rows with the same columns share one names array. */
    private @Nullable List<FlatRecord.Image> images(String field, Names names) {
        int kind = in.kind();
        if (kind == JsonScanner.NULL) {
            in.literal(kind);
            return null;
        }
        expect(kind, JsonScanner.ARRAY, field);
        in.open();
        List<FlatRecord.Image> images = new ArrayList<>(4);
        String[] shared = null;
        for (boolean more = in.firstElement(); more; more = in.moreElements()) {
            int element = in.kind();
            if (element != JsonScanner.OBJECT) {
                throw new IllegalArgumentException("field '" + path(field, images.size(), null) + "' is "
                        + JsonScanner.describe(element) + ", expected an object");
            }
            in.open();
            rowNames.clear();
            rowValues.clear();
            for (boolean member = in.firstMember(); member; member = in.moreMembers()) {
                in.name();
                String name = names.name(in, rowNames.size());
                rowNames.add(name);
                rowValues.add(text(field, images.size(), name));
            }
            String[] rowNamesArray = sameNames(shared, rowNames) ? shared : rowNames.toArray(new String[0]);
            if (shared == null) {
                shared = rowNamesArray;
            }
            images.add(new FlatRecord.Image(rowNamesArray, rowValues.toArray(new String[0])));
        }
        return images;
    }

    private static boolean sameNames(String @Nullable [] names, List<String> row) {
        if (names == null || names.length != row.size()) {
            return false;
        }
        for (int i = 0; i < names.length; i++) {
            String name = row.get(i);
            if (names[i] != name && !names[i].equals(name)) { // names come from Names: mostly ==
                return false;
            }
        }
        return true;
    }

    private static IllegalArgumentException notText(int kind, String field, int index, @Nullable String name) {
        return new IllegalArgumentException("field '" + path(field, index, name) + "' is " + JsonScanner.describe(kind)
                + ", expected a string");
    }

    private static String path(String field, int index, @Nullable String name) {
        return field + (index >= 0 ? "[" + index + "]" : "") + (name == null ? "" : "." + name);
    }

    private static void expect(int kind, int expected, String field) {
        if (kind != expected) {
            throw new IllegalArgumentException("field '" + field + "' is " + JsonScanner.describe(kind) + ", expected "
                    + (expected == JsonScanner.ARRAY ? "an array" : "an object"));
        }
    }

    /** Column names of rows by position: the string of the row before when the bytes are the same. */
    private static final class Names {

        private String[] names = new String[16];
        private byte[][] bytes = new byte[16][];

        String name(JsonScanner in, int position) {
            if (in.nameEscaped()) {
                return in.nameString();
            }
            if (position < names.length && bytes[position] != null && in.nameIs(bytes[position])) {
                return names[position];
            }
            if (position >= names.length) {
                names = Arrays.copyOf(names, position * 2);
                bytes = Arrays.copyOf(bytes, position * 2);
            }
            names[position] = in.nameString();
            bytes[position] = in.nameBytes();
            return names[position];
        }
    }

    /**
     * A message's shape as one byte sequence: tags and length-prefixed byte ranges of the message (four bytes of
     * length, -1 for null), in the order of the message's fields. Equal sequences give equal schemas.
     */
    private static final class Shape {

        private byte[] bytes;
        private int length;
        private int hash;
        /** Set on the shapes kept in the cache. */
        private final @Nullable TableSchema schema;

        Shape() {
            this(new byte[512], 0, 0, null);
        }

        private Shape(byte[] bytes, int length, int hash, @Nullable TableSchema schema) {
            this.bytes = bytes;
            this.length = length;
            this.hash = hash;
            this.schema = schema;
        }

        void clear() {
            length = 0;
        }

        void tag(char tag) {
            room(1);
            bytes[length++] = (byte) tag;
        }

        /** The last scalar's bytes (a string's between its quotes), or null. */
        void raw(JsonScanner in, boolean isNull) {
            if (isNull) {
                append(in.bytes(), 0, -1);
            } else {
                append(in.bytes(), in.rawStart(), in.rawEnd() - in.rawStart());
            }
        }

        /** The last name's bytes. */
        void name(JsonScanner in) {
            append(in.bytes(), in.nameStart(), in.nameEnd() - in.nameStart());
        }

        private void append(byte[] from, int start, int n) {
            room(4 + Math.max(n, 0));
            bytes[length++] = (byte) (n >>> 24);
            bytes[length++] = (byte) (n >>> 16);
            bytes[length++] = (byte) (n >>> 8);
            bytes[length++] = (byte) n;
            if (n > 0) {
                System.arraycopy(from, start, bytes, length, n);
                length += n;
            }
        }

        private void room(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }

        void hash() {
            int h = 1;
            for (int i = 0; i < length; i++) {
                h = 31 * h + bytes[i];
            }
            hash = h;
        }

        /** A copy to keep, with the schema it describes. */
        Shape copy(TableSchema schema) {
            return new Shape(Arrays.copyOf(bytes, length), length, hash, schema);
        }

        /** The schema this shape describes: columns from the 'c' entries, primary key from the 'k' entries. */
        TableSchema schema(@Nullable String database, @Nullable String table, JsonScanner decoder) {
            List<String> names = new ArrayList<>();
            List<String> types = new ArrayList<>();
            List<String> primaryKey = new ArrayList<>();
            int i = 0;
            while (i < length) {
                char tag = (char) bytes[i++];
                switch (tag) {
                    case 'd', 't', 'k' -> {
                        if (tag == 'k') {
                            primaryKey.add(stringAt(i, decoder));
                        }
                        i = after(i);
                    }
                    case 'c' -> {
                        names.add(stringAt(i, decoder));
                        i = after(i);
                        types.add(stringAt(i, decoder));
                        i = after(i);
                    }
                    default -> { } // markers without bytes: 'p', 'P', 'm', 'M'
                }
            }
            List<Column> columns = new ArrayList<>(names.size());
            for (int c = 0; c < names.size(); c++) {
                columns.add(MySqlTypeText.parse(types.get(c))
                        .column(names.get(c), c, primaryKey.contains(names.get(c))));
            }
            return new TableSchema(database, table, columns);
        }

        private int lengthAt(int at) {
            return (bytes[at] & 0xff) << 24 | (bytes[at + 1] & 0xff) << 16 | (bytes[at + 2] & 0xff) << 8
                    | (bytes[at + 3] & 0xff);
        }

        private @Nullable String stringAt(int at, JsonScanner decoder) {
            int n = lengthAt(at);
            return n < 0 ? null : decoder.decode(bytes, at + 4, at + 4 + n);
        }

        private int after(int at) {
            return at + 4 + Math.max(lengthAt(at), 0);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Shape shape && Arrays.equals(bytes, 0, length, shape.bytes, 0, shape.length);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
