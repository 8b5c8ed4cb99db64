package dev.canalboot.canal;

import dev.canalboot.embedded.EmbeddedDatabase;
import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.Column;
import dev.canalboot.model.ColumnType;
import dev.canalboot.model.Row;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SchemaChange;
import dev.canalboot.model.TransactionBoundary;
import dev.canalboot.proto.CanalEntryProtos;
import dev.canalboot.source.SourceException;
import dev.canalboot.source.SourceState;
import dev.canalboot.testsupport.EmbeddedCanalServer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link CanalChangeSource} against a real Canal 1.1.7 server reading a real database: values equal what
 * {@code SELECT} returns over JDBC, ack/rollback/redelivery, restart, errors. Run for MySQL and MariaDB.
 */
public abstract class CanalSourceContract {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String PASSWORD = "s3cret";

    final List<AutoCloseable> closeables = new ArrayList<>();
    String schema;
    EmbeddedCanalServer canal;

    abstract EmbeddedDatabase database();

    @BeforeEach
    void createSchema(TestInfo test) {
        String kind = getClass().getSimpleName().contains("Maria") ? "m" : "y";
        schema = ("cs_" + kind + "_" + test.getTestMethod().orElseThrow().getName()).toLowerCase();
        if (schema.length() > 60) {
            schema = schema.substring(0, 60);
        }
        database().execute("DROP DATABASE IF EXISTS " + schema,
                "CREATE DATABASE " + schema + " DEFAULT CHARACTER SET utf8mb4");
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        database().execute("DROP DATABASE IF EXISTS " + schema);
    }

    EmbeddedCanalServer startCanal() {
        return startCanal(EmbeddedCanalServer.builder(database()).destination(schema).filter(schema + "\\..*")
                .credentials("canal", CanalPassword.serverHash(PASSWORD)));
    }

    EmbeddedCanalServer startCanal(EmbeddedCanalServer.Builder builder) {
        canal = builder.start();
        closeables.add(canal);
        return canal;
    }

    CanalSettings.Builder settings() {
        return CanalSettings.builder("canal-" + schema, canal.destination())
                .address(canal.host() + ":" + canal.port())
                .credentials("canal", PASSWORD)
                .fetchTimeout(Duration.ofMillis(200))
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .serverZone(ZoneId.systemDefault());
    }

    CanalChangeSource source(CanalSettings settings) {
        CanalChangeSource source = new CanalChangeSource(settings);
        closeables.add(source);
        return source;
    }

    CanalChangeSource started(CanalSettings settings) {
        CanalChangeSource source = source(settings);
        source.start();
        return source;
    }

    /** Polls and acks until {@code count} row changes matching {@code wanted} arrived. */
    static List<RowChange> rows(CanalChangeSource source, int count, Predicate<RowChange> wanted) throws Exception {
        List<RowChange> rows = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (rows.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + rows.size() + " of " + count + " rows within " + WAIT + ": " + rows);
            }
            ChangeBatch batch = source.poll(Duration.ofMillis(500));
            if (batch == null) {
                continue;
            }
            for (ChangeEvent event : batch.events()) {
                if (event instanceof RowChange row && wanted.test(row)) {
                    rows.add(row);
                }
            }
            source.ack(batch);
        }
        return rows;
    }

    /** Polls until a non-empty batch with a row change arrives; does not ack. */
    static ChangeBatch batchWithRows(CanalChangeSource source) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            ChangeBatch batch = source.poll(Duration.ofMillis(500));
            if (batch != null && batch.events().stream().anyMatch(e -> e instanceof RowChange)) {
                return batch;
            }
            if (batch != null) {
                source.ack(batch);
            }
        }
        throw new AssertionError("no batch with rows within " + WAIT);
    }

    static List<Integer> ids(List<? extends ChangeEvent> events) {
        return events.stream().filter(e -> e instanceof RowChange).map(e -> ((RowChange) e).row().getInteger("id"))
                .toList();
    }

    // ---- values ----

    public static final String TYPES_TABLE = """
            CREATE TABLE %s.types (
              id INT PRIMARY KEY,
              c_tinyint TINYINT, c_tinyint_u TINYINT UNSIGNED, c_smallint SMALLINT, c_smallint_u SMALLINT UNSIGNED,
              c_mediumint MEDIUMINT, c_mediumint_u MEDIUMINT UNSIGNED, c_int INT, c_int_u INT UNSIGNED,
              c_bigint BIGINT, c_bigint_u BIGINT UNSIGNED, c_bool TINYINT(1),
              c_decimal DECIMAL(10,2), c_decimal_big DECIMAL(65,30), c_float FLOAT, c_double DOUBLE,
              c_bit1 BIT(1), c_bit10 BIT(10), c_bit64 BIT(64), c_year YEAR,
              c_date DATE, c_time TIME, c_time3 TIME(3), c_datetime DATETIME, c_datetime6 DATETIME(6),
              c_timestamp TIMESTAMP NULL DEFAULT NULL, c_timestamp3 TIMESTAMP(3) NULL DEFAULT NULL,
              c_char CHAR(10), c_varchar VARCHAR(50), c_text TEXT,
              c_latin1 VARCHAR(20) CHARACTER SET latin1, c_gbk VARCHAR(20) CHARACTER SET gbk,
              c_binary BINARY(4), c_varbinary VARBINARY(20), c_blob BLOB,
              c_enum ENUM('a','b','c d'), c_set SET('x','y','z'), c_json JSON, c_geometry GEOMETRY
            ) DEFAULT CHARSET=utf8mb4""";

    public static final String[] TYPE_ROWS = {
            // NULL everywhere
            "INSERT INTO %s.types (id) VALUES (1)",
            // minimum values, empty strings
            "INSERT INTO %s.types VALUES (2, -128, 0, -32768, 0, -8388608, 0, -2147483648, 0,"
                    + " -9223372036854775808, 0, 0, -99999999.99, -99999999999999999999999999999999999.999999999999999999999999999999,"
                    + " -3.40282e38, -1.7976931348623157e308, b'0', b'0', b'0', 1901,"
                    + " '1000-01-01', '-838:59:59', '-838:59:59.000', '1000-01-01 00:00:00', '1000-01-01 00:00:00.000000',"
                    + " '1970-01-02 00:00:01', '1970-01-02 00:00:01.000', '', '', '', '', '', x'', x'', x'', 'a', '', '{}',"
                    + " ST_GeomFromText('POINT(0 0)'))",
            // maximum values, unicode, all byte values
            "INSERT INTO %s.types VALUES (3, 127, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295,"
                    + " 9223372036854775807, 18446744073709551615, 1, 99999999.99, 99999999999999999999999999999999999.999999999999999999999999999999,"
                    + " 3.40282e38, 1.7976931348623157e308, b'1', b'1111111111', b'1111111111111111111111111111111111111111111111111111111111111111', 2155,"
                    + " '9999-12-31', '838:59:59', '838:59:59.999', '9999-12-31 23:59:59', '9999-12-31 23:59:59.999999',"
                    + " '2038-01-19 03:14:07', '2038-01-19 03:14:07.999', 'abcdefghij', '😀 ünïcödé 中文 ''q''', REPEAT('long text ', 500),"
                    + " 'Ünïcödé £', '中文字符', x'00FF7F80', x'000102FF00', x'00010203FEFF80817F', 'c d', 'x,y,z',"
                    + " '{\"k\": [1, 2.5, \"s\", null, true], \"o\": {\"a\": \"b\"}}', ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 0))'))",
            // fractional and negative temporals, trailing spaces and zero bytes, zero dates
            "INSERT INTO %s.types (id, c_int, c_decimal, c_float, c_double, c_bit10, c_time, c_time3, c_datetime6, c_timestamp3,"
                    + " c_char, c_varchar, c_binary, c_date, c_datetime, c_timestamp, c_set, c_enum, c_year) VALUES (4, -1, 0.01, 1.1, 0.1, b'1010101010',"
                    + " '-00:00:01', '-00:00:00.500', '2024-02-29 12:34:56.000001', '2024-06-01 12:00:00.123',"
                    + " 'ab  ', 'trailing  ', x'0100', '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', 'z,x', 'b', 0)",
    };

    /** {@link #TYPES_TABLE} with its columns after {@code id} in reverse order: each type before and after each other. */
    public static String reversedTypesTable() {
        List<String> columns = typeColumns();
        List<String> others = new ArrayList<>(columns.subList(1, columns.size()));
        java.util.Collections.reverse(others);
        return "CREATE TABLE %s.types_reversed (" + columns.get(0) + ", " + String.join(", ", others)
                + ") DEFAULT CHARSET=utf8mb4";
    }

    /** A row of {@link #TYPE_ROWS} for {@code types_reversed}: the values name their columns. */
    public static String reversedTypeRow(String row) {
        String names = String.join(", ", typeColumns().stream().map(c -> c.substring(0, c.indexOf(' '))).toList());
        return row.replace("%s.types VALUES", "%s.types_reversed (" + names + ") VALUES")
                .replace("%s.types (", "%s.types_reversed (");
    }

    /** The column definitions of {@link #TYPES_TABLE}, split at the commas outside parentheses. */
    static List<String> typeColumns() {
        String body = TYPES_TABLE.substring(TYPES_TABLE.indexOf('(') + 1, TYPES_TABLE.lastIndexOf(')'));
        List<String> columns = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                columns.add(body.substring(from, i).trim());
                from = i + 1;
            }
        }
        columns.add(body.substring(from).trim());
        return columns;
    }

    @Test
    void everyColumnTypeEqualsWhatJdbcSelects() throws Exception {
        database().execute(TYPES_TABLE.formatted(schema), reversedTypesTable().formatted(schema));
        startCanal();
        CanalChangeSource source = started(settings().build());
        List<String> statements = new ArrayList<>();
        statements.add("SET SESSION sql_mode = ''");
        for (String row : TYPE_ROWS) {
            statements.add(row.formatted(schema));
            statements.add(reversedTypeRow(row).formatted(schema));
        }
        database().execute(statements.toArray(String[]::new));
        List<RowChange> all = rows(source, 2 * TYPE_ROWS.length, r -> r.table().startsWith("types"));
        SoftAssertions soft = new SoftAssertions();
        List<RowChange> inserts = null;
        for (String table : List.of("types", "types_reversed")) {
            List<RowChange> ofTable = all.stream().filter(r -> r.table().equals(table)).toList();
            inserts = inserts == null ? ofTable : inserts;
            Map<Integer, Map<String, Object>> selected = select("SELECT * FROM " + schema + "." + table,
                    ofTable.get(0).tableSchema().columns());
            for (RowChange insert : ofTable) {
                soft.assertThat(insert.type()).isEqualTo(ChangeType.INSERT);
                int id = insert.after().getInteger("id");
                Map<String, Object> expected = selected.get(id);
                for (Column column : insert.tableSchema().columns()) {
                    Object actual = insert.after().get(column.name());
                    if (NON_UTF8_COLUMNS.contains(column.name()) && id == 3) {
                        continue; // see nonUtf8ColumnsAreDecodedByCanalWithItsConnectionCharset
                    }
                    soft.assertThat(actual).as("%s row %d column %s (%s)", table, id, column.name(), column.type())
                            .isEqualTo(expected.get(column.name()));
                    if (actual != null) {
                        soft.assertThat(actual).as("Java type of %s", column.name()).isInstanceOf(column.javaType());
                    }
                }
            }
        }
        soft.assertAll();
        // ASCII text in latin1/gbk columns (row 2: empty strings) is fine; see below for the rest.
        assertThat(inserts.stream().filter(r -> r.after().getInteger("id") == 2).findFirst().orElseThrow()
                .after().getString("c_latin1")).isEmpty();
        assertThat(inserts.get(0).primaryKey()).containsExactly("id");
        assertThat(inserts.get(0).tableSchema().column(inserts.get(0).tableSchema().indexOf("c_int_u")).javaType())
                .isEqualTo(Long.class);
        assertThat(inserts.get(0).tableSchema().column(inserts.get(0).tableSchema().indexOf("c_bit1")).javaType())
                .isEqualTo(Boolean.class);
    }

    public static final Set<String> NON_UTF8_COLUMNS = Set.of("c_latin1", "c_gbk");

    /**
     * A known Canal 1.1.7 limitation, not ours: the server decodes every character column with its one
     * connection charset (UTF-8 here), so non-ASCII text in latin1 or gbk columns arrives with its bytes
     * already replaced by U+FFFD; no client can restore it. Use utf8mb4 columns with Canal, or the binlog
     * source. If Canal ever fixes this, this test fails and the exclusion above goes.
     */
    @Test
    void nonUtf8ColumnsAreDecodedByCanalWithItsConnectionCharset() throws Exception {
        database().execute("CREATE TABLE " + schema + ".t (id INT PRIMARY KEY, l VARCHAR(20) CHARACTER SET latin1,"
                + " g VARCHAR(20) CHARACTER SET gbk, a VARCHAR(20) CHARACTER SET latin1)");
        startCanal();
        CanalChangeSource source = started(settings().build());
        database().execute("INSERT INTO " + schema + ".t VALUES (1, 'Ünïcödé £', '中文字符', 'plain ascii')");
        Row row = rows(source, 1, r -> true).get(0).after();
        assertThat(row.getString("l")).contains("\uFFFD").isNotEqualTo("Ünïcödé £");
        assertThat(row.getString("g")).contains("\uFFFD").isNotEqualTo("中文字符");
        assertThat(row.getString("a")).isEqualTo("plain ascii");
    }

    @Test
    void updateFlagsOfCanalAgreeWithChangedColumns() throws Exception {
        database().execute("CREATE TABLE " + schema + ".t (id INT PRIMARY KEY, a VARCHAR(10), b INT, c DATETIME(3), d BLOB)");
        startCanal();
        CanalChangeSource source = source(settings().build());
        Map<String, Set<String>> updatedFlags = new ConcurrentHashMap<>();
        source.observeEntries(bytes -> {
            try {
                CanalEntryProtos.Entry entry = CanalEntryProtos.Entry.parseFrom(bytes);
                if (entry.getEntryType() != CanalEntryProtos.EntryType.ROWDATA) {
                    return;
                }
                CanalEntryProtos.RowChange change = CanalEntryProtos.RowChange.parseFrom(entry.getStoreValue());
                if (change.getEventType() == CanalEntryProtos.EventType.UPDATE) {
                    for (CanalEntryProtos.RowData row : change.getRowDatasList()) {
                        Set<String> flagged = new LinkedHashSet<>();
                        String id = "";
                        for (CanalEntryProtos.Column column : row.getAfterColumnsList()) {
                            if (column.getUpdated()) {
                                flagged.add(column.getName());
                            }
                            if (column.getName().equals("id")) {
                                id = column.getValue();
                            }
                        }
                        updatedFlags.put(id, flagged);
                    }
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        source.start();
        database().execute(
                "INSERT INTO " + schema + ".t VALUES (1, 'x', 1, '2024-01-01 00:00:00.001', x'01'),"
                        + " (2, NULL, 2, NULL, NULL), (3, 'same', 3, '2024-01-01 00:00:00', x'00')",
                "UPDATE " + schema + ".t SET a = 'y', c = '2024-01-01 00:00:00.002' WHERE id = 1",
                "UPDATE " + schema + ".t SET a = 'now set', d = x'', b = NULL WHERE id = 2",
                "UPDATE " + schema + ".t SET b = 4, d = x'0000' WHERE id = 3");
        List<RowChange> updates = rows(source, 3, r -> r.type() == ChangeType.UPDATE);
        for (RowChange update : updates) {
            String id = update.after().get("id").toString();
            assertThat(update.changedColumns()).as("row " + id)
                    .containsExactlyElementsOf(updatedFlags.get(id));
        }
        assertThat(updates.get(0).changedColumns()).containsExactly("a", "c");
        assertThat(updates.get(1).changedColumns()).containsExactly("a", "b", "d");
        assertThat(updates.get(2).changedColumns()).containsExactly("b", "d");
    }

    @Test
    void deleteAndDdlArrive() throws Exception {
        database().execute("CREATE TABLE " + schema + ".t (id INT PRIMARY KEY, a VARCHAR(10))",
                "INSERT INTO " + schema + ".t VALUES (1, 'x')");
        startCanal();
        CanalChangeSource source = started(settings().build());
        database().execute("DELETE FROM " + schema + ".t WHERE id = 1",
                "ALTER TABLE " + schema + ".t ADD COLUMN b INT",
                "INSERT INTO " + schema + ".t VALUES (2, 'y', 7)");
        List<ChangeEvent> events = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (events.stream().filter(e -> e instanceof RowChange).count() < 2 && System.nanoTime() < deadline) {
            ChangeBatch batch = source.poll(Duration.ofMillis(500));
            if (batch != null) {
                events.addAll(batch.events());
                source.ack(batch);
            }
        }
        List<RowChange> rows = events.stream().filter(e -> e instanceof RowChange).map(e -> (RowChange) e).toList();
        assertThat(rows).extracting(RowChange::type).containsExactly(ChangeType.DELETE, ChangeType.INSERT);
        assertThat(rows.get(0).before().getString("a")).isEqualTo("x");
        assertThat(rows.get(1).after().getInteger("b")).isEqualTo(7);
        assertThat(events).filteredOn(e -> e instanceof SchemaChange).singleElement()
                .satisfies(e -> assertThat(((SchemaChange) e).sql()).containsIgnoringCase("ADD COLUMN b"));
        List<String> kinds = events.stream().map(e -> e instanceof TransactionBoundary b ? b.kind().name()
                : e instanceof RowChange r ? r.type().name() : "DDL").toList();
        assertThat(kinds).as("event kinds").containsSubsequence(expectedKinds());
        assertThat(events).allSatisfy(e -> assertThat(e.source()).isEqualTo("canal-" + schema));
        assertThat(rows.get(0).position().file()).isNotNull();
        assertThat(rows).allSatisfy(r -> assertThat(r.position().offset()).isGreaterThanOrEqualTo(-1));
        if (rows.get(0).position().offset() >= 0 && rows.get(1).position().offset() >= 0) {
            assertThat(rows.get(1).position().offset()).isGreaterThan(rows.get(0).position().offset());
        }
    }

    /** Event kinds of: DELETE; ALTER; INSERT, each in its own transaction (autocommit). */
    List<String> expectedKinds() {
        return List.of("BEGIN", "DELETE", "COMMIT", "DDL", "BEGIN", "INSERT", "COMMIT");
    }

    // ---- time zones ----

    static final Instant REPEATED_HOUR_FIRST = Instant.parse("2024-10-27T00:30:00Z");
    static final Instant REPEATED_HOUR_SECOND = Instant.parse("2024-10-27T01:30:00Z");

    /**
     * Canal renders a TIMESTAMP as local text in its JVM's default zone (the test server runs in this JVM, so
     * the test sets that zone while Canal reads): in a zone with daylight saving the repeated hour is ambiguous.
     * 00:30Z and 01:30Z are both 02:30 in Europe/Berlin; with the Canal server in UTC they are exact.
     */
    @Test
    void timestampsOfTheRepeatedHourAreExactOnlyWithTheCanalServerInUtc() throws Exception {
        database().execute("CREATE TABLE " + schema + ".ts (id INT PRIMARY KEY, ts TIMESTAMP NULL DEFAULT NULL)");
        assertThat(repeatedHourThroughCanalIn(ZoneId.of("UTC"), 1))
                .containsExactly(REPEATED_HOUR_FIRST, REPEATED_HOUR_SECOND);
        // Known and documented: in a zone with daylight saving, the second one arrives an hour early.
        assertThat(repeatedHourThroughCanalIn(ZoneId.of("Europe/Berlin"), 3))
                .containsExactly(REPEATED_HOUR_FIRST, REPEATED_HOUR_FIRST);
    }

    /** Inserts both instants (ids {@code firstId}, {@code firstId + 1}) and reads them through a Canal in {@code zone}. */
    private List<Instant> repeatedHourThroughCanalIn(ZoneId zone, int firstId) throws Exception {
        java.util.TimeZone previous = java.util.TimeZone.getDefault();
        java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone(zone));
        try (EmbeddedCanalServer server = startCanal();
             CanalChangeSource source = started(settings().serverZone(zone).build())) {
            database().execute("SET time_zone = '+00:00'",
                    "INSERT INTO " + schema + ".ts VALUES (" + firstId + ", '2024-10-27 00:30:00'), ("
                            + (firstId + 1) + ", '2024-10-27 01:30:00')");
            return rows(source, 2, r -> r.table().equals("ts")).stream()
                    .map(r -> (Instant) r.after().get("ts")).toList();
        } finally {
            java.util.TimeZone.setDefault(previous);
        }
    }

    // ---- stall check ----

    /** The stall check's view of the database: a marker that moves with each commit, and only then. */
    @Test
    void theDatabaseCommitMarkerMovesWithEachCommitOnly() throws Exception {
        database().execute("CREATE TABLE " + schema + ".m (id INT PRIMARY KEY)");
        try (DatabaseCommitProbe probe = new DatabaseCommitProbe(schema, dev.canalboot.internal.binlog.protocol.ConnectionSettings
                .of(database().host(), database().port(), database().rootUser(), database().rootPassword()),
                Duration.ofSeconds(5))) {
            String before = probe.commitMarker();
            assertThat(before).isNotBlank();
            assertThat(probe.commitMarker()).as("no commit in between").isEqualTo(before);
            database().execute("INSERT INTO " + schema + ".m VALUES (1)");
            assertThat(probe.commitMarker()).as("after a commit").isNotEqualTo(before);
        }
    }

    // ---- delivery ----

    @Test
    void eachChangeComesWithoutWaitingForAFullBatch() throws Exception {
        // After a batch arrives the next GETs ask for what the server holds at once; a server that read them as
        // "wait for a full batch" would hold these single rows until the connection is taken for dead.
        database().execute("CREATE TABLE " + schema + ".t (id INT PRIMARY KEY)");
        startCanal();
        CanalChangeSource source = started(settings().fetchTimeout(Duration.ofMillis(50)).build());
        for (int id = 1; id <= 3; id++) {
            database().execute("INSERT INTO " + schema + ".t VALUES (" + id + ")");
            ChangeBatch batch = batchWithRows(source);
            assertThat(ids(batch.events())).containsExactly(id);
            source.ack(batch);
        }
        assertThat(source.statistics().reconnects()).isZero();
    }

    @Test
    void rollbackRedeliversTheSameBatchAndAnAckedBatchNeverComesAgain() throws Exception {
        database().execute("CREATE TABLE " + schema + ".t (id INT PRIMARY KEY)");
        startCanal();
        CanalChangeSource source = started(settings().prefetch(3).build());
        database().execute("INSERT INTO " + schema + ".t VALUES (1)");
        ChangeBatch first = batchWithRows(source);
        source.rollback(first);
        ChangeBatch again = batchWithRows(source);
        assertThat(again.events()).isEqualTo(first.events());
        assertThat(again.id()).isNotEqualTo(first.id());
        source.ack(again);

        database().execute("INSERT INTO " + schema + ".t VALUES (2)");
        ChangeBatch second = batchWithRows(source);
        assertThat(ids(second.events())).containsExactly(2);
        source.ack(second);
        database().execute("INSERT INTO " + schema + ".t VALUES (3)");
        assertThat(ids(batchWithRows(source).events())).containsExactly(3);
    }

    @Test
    void aClientKilledMidBatchGetsTheUnackedBatchAgain() throws Exception {
        database().execute("CREATE TABLE " + schema + ".t (id INT PRIMARY KEY)");
        startCanal();
        CanalChangeSource first = started(settings().build());
        database().execute("INSERT INTO " + schema + ".t VALUES (1)");
        assertThat(ids(rows(first, 1, r -> true))).containsExactly(1);
        database().execute("INSERT INTO " + schema + ".t VALUES (2)", "INSERT INTO " + schema + ".t VALUES (3)");
        ChangeBatch unacked = batchWithRows(first);
        first.close(); // channel closed without ack
        CanalChangeSource second = started(settings().build());
        List<Integer> redelivered = ids(rows(second, 2, r -> true));
        assertThat(redelivered).containsExactly(2, 3);
        assertThat(ids(unacked.events())).isSubsetOf(redelivered);
    }

    @Test
    void aServerRestartMidStreamLosesNoRow() throws Exception {
        database().execute("CREATE TABLE " + schema + ".t (id INT PRIMARY KEY)");
        String[] start = binlogPosition();
        EmbeddedCanalServer.Builder canalAtStart = EmbeddedCanalServer.builder(database()).destination(schema)
                .filter(schema + "\\..*").credentials("canal", CanalPassword.serverHash(PASSWORD))
                .binlogPosition(start[0], Long.parseLong(start[1]));
        startCanal(canalAtStart);
        int port = canal.port();
        CanalChangeSource source = started(settings().build());
        database().execute("INSERT INTO " + schema + ".t VALUES (1)", "INSERT INTO " + schema + ".t VALUES (2)");
        Set<Integer> seen = new HashSet<>(ids(rows(source, 2, r -> true)));

        canal.close();
        database().execute("INSERT INTO " + schema + ".t VALUES (3)", "INSERT INTO " + schema + ".t VALUES (4)");
        // Same port; this test server keeps positions in memory, so it restarts from the first position and
        // redelivers: at least once, nothing lost.
        startCanal(canalAtStart.port(port));
        database().execute("INSERT INTO " + schema + ".t VALUES (5)");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!seen.containsAll(Set.of(1, 2, 3, 4, 5)) && System.nanoTime() < deadline) {
            ChangeBatch batch = source.poll(Duration.ofMillis(500));
            if (batch != null) {
                seen.addAll(ids(batch.events()));
                source.ack(batch);
            }
        }
        assertThat(seen).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
        assertThat(source.statistics().reconnects()).isPositive();
        assertThat(source.state()).isEqualTo(SourceState.CONNECTED);
    }

    // ---- filter ----

    /**
     * One client at a time per destination (Canal's memory store has one cursor), so the three phases use
     * the same client id one after the other.
     */
    @Test
    void subscribingWithAFilterReplacesTheServerFilter() throws Exception {
        database().execute("CREATE TABLE " + schema + ".a (id INT PRIMARY KEY)",
                "CREATE TABLE " + schema + ".b (id INT PRIMARY KEY)");
        startCanal(); // server filter: every table of the schema
        CanalChangeSource serverFiltered = started(settings().build());
        database().execute("INSERT INTO " + schema + ".a VALUES (1)", "INSERT INTO " + schema + ".b VALUES (1)");
        assertThat(rows(serverFiltered, 2, r -> true)).extracting(RowChange::table).containsExactly("a", "b");
        serverFiltered.close();

        // Subscribing with a filter replaces the destination's filter on the server ...
        CanalChangeSource ownFilter = started(settings().filter(schema + "\\.a").build());
        database().execute("INSERT INTO " + schema + ".b VALUES (2)", "INSERT INTO " + schema + ".a VALUES (2)");
        List<RowChange> own = rowsUntil(ownFilter, r -> r.table().equals("a") && r.after().getInteger("id") == 2);
        assertThat(own).noneMatch(r -> r.table().equals("b"));
        ownFilter.close();

        // ... and it stays replaced: a client that leaves the server's filter alone now gets table a only.
        CanalChangeSource later = started(settings().useServerFilter(true).build());
        database().execute("INSERT INTO " + schema + ".b VALUES (3)", "INSERT INTO " + schema + ".a VALUES (3)");
        List<RowChange> seen = rowsUntil(later, r -> r.table().equals("a") && r.after().getInteger("id") == 3);
        assertThat(seen).noneMatch(r -> r.table().equals("b"));
    }

    /** Polls and acks until a row matching {@code last} arrived; returns every row seen. */
    static List<RowChange> rowsUntil(CanalChangeSource source, Predicate<RowChange> last) throws Exception {
        List<RowChange> rows = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (rows.stream().noneMatch(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the awaited row did not arrive within " + WAIT + ": " + rows);
            }
            ChangeBatch batch = source.poll(Duration.ofMillis(500));
            if (batch != null) {
                batch.events().stream().filter(e -> e instanceof RowChange).forEach(e -> rows.add((RowChange) e));
                source.ack(batch);
            }
        }
        return rows;
    }

    // ---- errors ----

    @Test
    void wrongPasswordIsAClearError() {
        startCanal();
        CanalChangeSource source = source(settings().credentials("canal", "wrong").build());
        assertThatThrownBy(source::start)
                .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.isRetryable()).isFalse())
                .hasMessageContaining(canal.host() + ":" + canal.port())
                .hasMessageContaining("'" + schema + "'")
                .hasMessageContaining("authentication");
        assertThat(source.state()).isEqualTo(SourceState.FAILED);
    }

    @Test
    void unknownDestinationIsAClearError() {
        startCanal();
        CanalChangeSource source = source(CanalSettings.builder("x", "no_such_destination")
                .address(canal.host() + ":" + canal.port()).credentials("canal", PASSWORD).build());
        assertThatThrownBy(source::start)
                .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.isRetryable()).isFalse())
                .hasMessageContaining(canal.host() + ":" + canal.port())
                .hasMessageContaining("'no_such_destination'");
    }

    // ---- JDBC oracle ----

    String[] binlogPosition() throws Exception {
        try (Connection connection = DriverManager.getConnection(database().jdbcUrl(null), database().rootUser(),
                database().rootPassword());
             Statement statement = connection.createStatement();
             ResultSet status = statement.executeQuery("SHOW MASTER STATUS")) {
            assertThat(status.next()).isTrue();
            return new String[]{status.getString(1), Long.toString(status.getLong(2))};
        }
    }

    /** Row id → column name → the value JDBC returns, mapped to the model's Java type independently. */
    Map<Integer, Map<String, Object>> select(String sql, List<Column> columns) throws Exception {
        return select(database(), sql, columns);
    }

    /** The rows {@code sql} selects by id, each column as the model's Java value (also used by the Kafka source's tests). */
    public static Map<Integer, Map<String, Object>> select(EmbeddedDatabase database, String sql, List<Column> columns)
            throws Exception {
        String query = sql;
        List<String> extra = new ArrayList<>();
        for (Column column : columns) {
            if (column.type() == ColumnType.TIMESTAMP) {
                extra.add("UNIX_TIMESTAMP(" + column.name() + ") AS ts_" + column.name());
            }
        }
        if (!extra.isEmpty()) {
            query = sql.replace("SELECT *", "SELECT *, " + String.join(", ", extra));
        }
        Map<Integer, Map<String, Object>> rows = new java.util.HashMap<>();
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(null)
                        + "&zeroDateTimeBehavior=CONVERT_TO_NULL&characterEncoding=UTF-8", database.rootUser(),
                database.rootPassword());
             Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery(query)) {
                while (rs.next()) {
                    Map<String, Object> row = new java.util.HashMap<>();
                    for (Column column : columns) {
                        row.put(column.name(), jdbcValue(rs, column));
                    }
                    rows.put(rs.getInt("id"), row);
                }
            }
        }
        return rows;
    }

    private static final Pattern TIME = Pattern.compile("(-?)(\\d+):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?");

    private static Object jdbcValue(ResultSet rs, Column column) throws Exception {
        String name = column.name();
        if (rs.getString(name) == null) {
            return null;
        }
        return switch (column.type()) {
            case TINYINT, SMALLINT, MEDIUMINT, YEAR -> rs.getInt(name);
            case INT -> column.unsigned() ? (Object) rs.getLong(name) : (Object) rs.getInt(name);
            case BIGINT -> column.unsigned() ? (Object) rs.getBigDecimal(name).toBigIntegerExact() : (Object) rs.getLong(name);
            case DECIMAL -> rs.getBigDecimal(name);
            case FLOAT -> rs.getFloat(name);
            case DOUBLE -> rs.getDouble(name);
            case BIT -> {
                byte[] bits = rs.getBytes(name);
                long value = new BigInteger(1, bits).longValue();
                yield column.length() == 1 ? (Object) (value != 0) : (Object) value;
            }
            case DATE -> rs.getObject(name, LocalDate.class);
            case DATETIME -> rs.getObject(name, LocalDateTime.class);
            case TIMESTAMP -> {
                if (rs.getObject(name, LocalDateTime.class) == null) {
                    yield null; // zero timestamp
                }
                BigDecimal seconds = rs.getBigDecimal("ts_" + name);
                yield Instant.ofEpochSecond(seconds.longValue(),
                        seconds.remainder(BigDecimal.ONE).movePointRight(9).intValue());
            }
            case TIME -> {
                Matcher m = TIME.matcher(rs.getString(name));
                if (!m.matches()) {
                    throw new AssertionError("TIME text " + rs.getString(name));
                }
                String fraction = m.group(5) == null ? "0" : (m.group(5) + "000000000").substring(0, 9);
                Duration d = Duration.ofHours(Long.parseLong(m.group(2))).plusMinutes(Long.parseLong(m.group(3)))
                        .plusSeconds(Long.parseLong(m.group(4))).plusNanos(Long.parseLong(fraction));
                yield m.group(1).isEmpty() ? d : d.negated();
            }
            case SET -> {
                String text = rs.getString(name);
                yield text.isEmpty() ? Set.of() : new LinkedHashSet<>(Arrays.asList(text.split(",")));
            }
            case BINARY, VARBINARY, BLOB, GEOMETRY -> rs.getBytes(name);
            case VECTOR -> dev.canalboot.internal.mysql.Vectors.fromBytes(rs.getBytes(name), name);
            default -> rs.getString(name);
        };
    }
}
