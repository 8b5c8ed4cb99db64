package dev.canalboot.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Properties;

/**
 * One small text file per source in a directory. A save writes a temporary file, forces it to disk, renames it
 * over the old one atomically and forces the directory, so a crash leaves either the old or the new checkpoint,
 * never a torn one. A binlog source's schema history goes to a file of its own named after its content
 * ({@code <source>.history-<hash>.json}, written the same way before the checkpoint that names it): the history
 * changes only with DDL, so most saves write only the small checkpoint file, and the checkpoint always names a
 * complete history. Histories no checkpoint names any more are deleted after the save.
 */
public final class FileCheckpointStore implements CheckpointStore {

    private static final String SUFFIX = ".checkpoint";

    private final Path directory;
    /** Per source: the history file this store last wrote or read. */
    private final java.util.Map<String, HistoryFile> historyFiles = new java.util.concurrent.ConcurrentHashMap<>();

    /** A history file, its content, and whether the source's other history files were deleted since it was named. */
    private record HistoryFile(String name, String history, boolean othersDeleted) {
    }

    /** Creates the directory if needed; fails at once, naming it, when it cannot be used. */
    public FileCheckpointStore(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
        if (Files.exists(this.directory) && !Files.isDirectory(this.directory)) {
            throw new CheckpointException("Checkpoint directory " + this.directory
                    + " is not a writable directory (a file stands there); set canal.checkpoint.file.directory to a writable directory");
        }
        try {
            Files.createDirectories(this.directory);
        } catch (IOException e) {
            throw new CheckpointException("Checkpoint directory " + this.directory + " cannot be created (" + e
                    + "); set canal.checkpoint.file.directory to a writable directory", e);
        }
        if (!Files.isDirectory(this.directory) || !Files.isWritable(this.directory)) {
            throw new CheckpointException("Checkpoint directory " + this.directory
                    + " is not a writable directory; set canal.checkpoint.file.directory to a writable directory");
        }
    }

    public Path directory() {
        return directory;
    }

    /** The file that holds {@code source}'s checkpoint. */
    public Path fileOf(String source) {
        return directory.resolve(fileName(source) + SUFFIX);
    }

    @Override
    public Optional<Checkpoint> load(String source) {
        Path file = fileOf(source);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (CharacterCodingException e) {
            throw unparsable(file, source, "it is not UTF-8 text", e);
        } catch (IOException e) {
            throw new CheckpointException("Cannot read checkpoint file " + file + " of source '" + source + "'", e);
        }
        CheckpointText.Stored stored = CheckpointText.read(text, source, "the file", new CheckpointText.Problems() {
            @Override
            public CheckpointException unparsable(String why, Throwable cause) {
                return FileCheckpointStore.unparsable(file, source, why, cause);
            }

            @Override
            public CheckpointException otherSource(String savedSource) {
                return new CheckpointException("Checkpoint file " + file + " belongs to source '" + savedSource
                        + "', not '" + source + "'; move it back, or delete it to start source '" + source
                        + "' from its configured start");
            }
        });
        Properties p = stored.lines();
        Checkpoint checkpoint = stored.checkpoint(); // older files hold the history inline
        String historyFile = CheckpointText.emptyToNull(p.getProperty("schema-history-file"));
        return Optional.of(historyFile == null ? checkpoint : new Checkpoint(source, checkpoint.file(),
                checkpoint.position(), checkpoint.gtidSet(), checkpoint.savedAt(), checkpoint.server(),
                readHistory(file, source, historyFile), checkpoint.snapshot()));
    }

    private String readHistory(Path checkpoint, String source, String name) {
        Path file = directory.resolve(name);
        if (!file.getParent().equals(directory) || !name.startsWith(fileName(source) + HISTORY)) {
            throw new CheckpointException("Checkpoint file " + checkpoint + " names schema history file '" + name
                    + "', which is not one of source '" + source + "'; correct the schema-history-file line, or delete"
                    + " the checkpoint to start the source from its configured start");
        }
        try {
            String history = Files.readString(file, StandardCharsets.UTF_8);
            historyFiles.put(source, new HistoryFile(name, history, false));
            return history;
        } catch (IOException e) {
            throw new CheckpointException("Cannot read schema history file " + file + " named by checkpoint file "
                    + checkpoint + " (" + e + "); restore it, or delete the checkpoint to start the source from its"
                    + " configured start", e);
        }
    }

    private static final String HISTORY = ".history-";

    /** Writes the history's file unless this store wrote or read that same history last; returns its name. */
    private String writeHistory(String source, String history) throws IOException {
        HistoryFile known = historyFiles.get(source);
        if (known != null && known.history().equals(history) && Files.exists(directory.resolve(known.name()))) {
            return known.name();
        }
        String name = fileName(source) + HISTORY + CheckpointText.hash(history) + ".json";
        Path target = directory.resolve(name);
        if (!Files.exists(target)) {
            writeAtomically(target, history.getBytes(StandardCharsets.UTF_8));
        }
        historyFiles.put(source, new HistoryFile(name, history, false));
        return name;
    }

    /** Deletes the source's history files other than {@code keep} (null: all). */
    private void deleteHistories(String source, String keep) throws IOException {
        try (var files = Files.newDirectoryStream(directory, fileName(source) + HISTORY + "*.json")) {
            for (Path f : files) {
                if (!f.getFileName().toString().equals(keep)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    private static CheckpointException unparsable(Path file, String source, String why, Throwable cause) {
        return new CheckpointException("Checkpoint file " + file + " of source '" + source + "' cannot be parsed ("
                + why + "): it is damaged or was not written by this starter. Delete it to start the source from its"
                + " configured start (changes since the lost position are then not delivered unless that start"
                + " covers them), or correct it: it is a properties file with the lines source, file, position,"
                + " gtid-set and saved-at", cause);
    }

    @Override
    public String location(String source) {
        return "file " + fileOf(source);
    }

    @Override
    public void save(Checkpoint checkpoint) {
        Path target = fileOf(checkpoint.source());
        try {
            String history = checkpoint.schemaHistory() == null ? null
                    : writeHistory(checkpoint.source(), checkpoint.schemaHistory());
            writeAtomically(target, render(checkpoint, history).getBytes(StandardCharsets.UTF_8));
            // Only now may the history files the previous checkpoint named go.
            HistoryFile named = historyFiles.get(checkpoint.source());
            if (history == null && named != null) {
                deleteHistories(checkpoint.source(), null);
                historyFiles.remove(checkpoint.source());
            } else if (named != null && !named.othersDeleted()) {
                deleteHistories(checkpoint.source(), history);
                historyFiles.put(checkpoint.source(), new HistoryFile(named.name(), named.history(), true));
            }
        } catch (IOException e) {
            historyFiles.remove(checkpoint.source());
            throw new CheckpointException("Cannot write checkpoint of source '" + checkpoint.source() + "' to " + target
                    + " (" + e + "); check that canal.checkpoint.file.directory is writable and has space", e);
        }
    }

    /** Temporary file, forced, renamed over {@code target} atomically, directory forced. */
    private void writeAtomically(Path target, byte[] content) throws IOException {
        Path temp = directory.resolve(target.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new CheckpointException("The file system of " + directory
                    + " cannot rename atomically; put canal.checkpoint.file.directory on a local file system", e);
        }
        forceDirectory();
    }

    @Override
    public void delete(String source) {
        try {
            Files.deleteIfExists(fileOf(source));
            forceDirectory();
            historyFiles.remove(source);
            deleteHistories(source, null);
        } catch (IOException e) {
            throw new CheckpointException("Cannot delete checkpoint file " + fileOf(source), e);
        }
    }

    private void forceDirectory() throws IOException {
        // Makes the rename itself durable; directories can be opened for reading on Linux and macOS.
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            if (!System.getProperty("os.name", "").startsWith("Windows")) {
                throw e;
            }
        }
    }

    private static String render(Checkpoint c, String historyFile) {
        return CheckpointText.render(c, CheckpointText.line(
                "the file of the table definitions the binlog source decodes with at this position",
                "schema-history-file", historyFile));
    }

    /** Source names become file names: safe characters stay, anything else is hex-escaped (so names never clash). */
    static String fileName(String source) {
        StringBuilder sb = new StringBuilder();
        for (byte b : source.getBytes(StandardCharsets.UTF_8)) {
            char ch = (char) (b & 0xFF);
            if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_') {
                sb.append(ch);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
        }
        return sb.toString();
    }
}
