package dev.canalboot.checkpoint;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * A checkpoint as properties text, readable and editable by a person who needs to move a source by hand: the file
 * store's files and the ZooKeeper store's nodes. The schema history is not part of it (each store keeps it apart,
 * written only when it changes); a store appends the lines that name it with {@link #line}.
 */
final class CheckpointText {

    /** The lines every checkpoint has. */
    static final String[] REQUIRED = {"source", "position", "saved-at"};

    private CheckpointText() {
    }

    /** The checkpoint's lines without its schema history, followed by {@code tail} (lines made by {@link #line}). */
    static String render(Checkpoint c, String tail) {
        return "# canal-spring-boot-starter checkpoint: the source resumes after this transaction end\n"
                + "source=" + escape(c.source()) + "\n"
                + "file=" + (c.file() == null ? "" : escape(c.file())) + "\n"
                + "position=" + c.position() + "\n"
                + "gtid-set=" + (c.gtidSet() == null ? "" : escape(c.gtidSet())) + "\n"
                + "saved-at=" + c.savedAt() + "\n"
                + (c.server() == null ? "" : "# the server the position belongs to (another server fails the resume)\n"
                + "server-uuid=" + (c.server().serverUuid() == null ? "" : escape(c.server().serverUuid())) + "\n"
                + "server-id=" + c.server().serverId() + "\n"
                + "gtid-domain-id=" + (c.server().gtidDomainId() == null ? "" : c.server().gtidDomainId()) + "\n")
                + (c.snapshot() == null ? "" : line("the progress of the snapshot running at this position",
                "snapshot", c.snapshot()))
                + tail;
    }

    /** One line {@code key=value} (escaped) after a comment line; empty when {@code value} is null. */
    static String line(String comment, String key, @Nullable String value) {
        return value == null ? "" : "# " + comment + "\n" + key + "=" + escape(value) + "\n";
    }

    /** How a store names what is wrong with a stored checkpoint text it cannot use. */
    interface Problems {
        CheckpointException unparsable(String why, @Nullable Throwable cause);

        CheckpointException otherSource(String savedSource);
    }

    /** A stored text's lines and the checkpoint they hold (its history the one held inline, if any). */
    record Stored(Properties lines, Checkpoint checkpoint) {
    }

    /**
     * Parses a stored checkpoint text of {@code source} and checks it: a properties text with every required line,
     * written for this source, whose values parse.
     *
     * @param container what holds the text, for the message of an empty one ("the file", "the node")
     */
    static Stored read(String text, String source, String container, Problems problems) {
        Properties p;
        try {
            p = parse(text);
        } catch (IllegalArgumentException e) {
            throw problems.unparsable(e.getMessage(), e);
        }
        String missing = missing(p);
        if (missing != null) {
            throw problems.unparsable(text.isBlank() ? container + " is empty" : "it has no '" + missing + "' line",
                    null);
        }
        String savedSource = p.getProperty("source");
        if (!source.equals(savedSource)) {
            throw problems.otherSource(savedSource);
        }
        try {
            return new Stored(p, checkpoint(source, p, null));
        } catch (RuntimeException e) {
            throw problems.unparsable(e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException when the text is not a properties text */
    static Properties parse(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return p;
    }

    /** The first of the {@link #REQUIRED} lines {@code p} lacks, or null. */
    static @Nullable String missing(Properties p) {
        for (String key : REQUIRED) {
            if (p.getProperty(key) == null) {
                return key;
            }
        }
        return null;
    }

    /**
     * The checkpoint of {@code p}'s lines with {@code history} (null: the history the text holds inline, as older
     * files do).
     *
     * @throws RuntimeException naming what is wrong when a value does not parse
     */
    static Checkpoint checkpoint(String source, Properties p, @Nullable String history) {
        String file = emptyToNull(p.getProperty("file"));
        long position = Long.parseLong(p.getProperty("position").trim());
        String gtid = emptyToNull(p.getProperty("gtid-set"));
        Instant savedAt = Instant.parse(p.getProperty("saved-at").trim());
        return new Checkpoint(source, file, position, gtid, savedAt, server(p),
                history != null ? history : emptyToNull(p.getProperty("schema-history")),
                emptyToNull(p.getProperty("snapshot")));
    }

    /** The server lines; absent in texts written before the server was recorded. */
    private static @Nullable ServerIdentity server(Properties p) {
        String serverId = emptyToNull(p.getProperty("server-id"));
        if (serverId == null) {
            return null;
        }
        String domain = emptyToNull(p.getProperty("gtid-domain-id"));
        return new ServerIdentity(emptyToNull(p.getProperty("server-uuid")), Long.parseLong(serverId.trim()),
                domain == null ? null : Long.valueOf(domain.trim()));
    }

    /** A short name for a schema history, the same for the same content. */
    static String hash(String text) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    static String escape(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        for (char ch : value.toCharArray()) {
            switch (ch) {
                case '\\', ':', '=', '#', '!' -> sb.append('\\').append(ch);
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }

    static @Nullable String emptyToNull(@Nullable String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
