package dev.canalboot.internal.mysql;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * MySQL/MariaDB character sets and collation ids mapped to Java charsets. {@code binary} maps to
 * {@code null}: such columns decode to {@code byte[]}.
 */
public final class MysqlCharsets {

    /** Collation id → MySQL character set name (ids 0..1023; MariaDB NOPAD ids are id + 1024). */
    private static final String[] CHARSET_BY_COLLATION = new String[1024];
    /** MySQL character set name → Java charset name; the charsets are looked up on first use (see {@link #lookUp}). */
    private static final Map<String, String> JAVA_NAME_BY_NAME = new HashMap<>();
    /** The Java charsets looked up so far ({@link Charset}s), {@link #UNSUPPORTED} for those this JVM lacks. */
    private static final Map<String, Object> JAVA_BY_NAME = new ConcurrentHashMap<>();
    private static final Charset BINARY_MARKER = StandardCharsets.ISO_8859_1;
    private static final Object UNSUPPORTED = new Object();

    static {
        set("big5", 1, 84);
        set("latin2", 2, 9, 21, 27, 77);
        set("dec8", 3, 69);
        set("cp850", 4, 80);
        set("latin1", 5, 8, 15, 31, 47, 48, 49, 94);
        set("hp8", 6, 72);
        set("koi8r", 7, 74);
        set("swe7", 10, 82);
        set("ascii", 11, 65);
        set("ujis", 12, 91);
        set("sjis", 13, 88);
        set("cp1251", 14, 23, 50, 51, 52);
        set("hebrew", 16, 71);
        set("tis620", 18, 89);
        set("euckr", 19, 85);
        set("latin7", 20, 41, 42, 79);
        set("koi8u", 22, 75);
        set("gb2312", 24, 86);
        set("greek", 25, 70);
        set("cp1250", 26, 34, 44, 66, 99);
        set("gbk", 28, 87);
        set("cp1257", 29, 58, 59);
        set("latin5", 30, 78);
        set("armscii8", 32, 64);
        set("utf8mb3", 33, 76, 83, 223);
        setRange("utf8mb3", 192, 215);
        set("ucs2", 35, 90, 159);
        setRange("ucs2", 128, 151);
        set("cp866", 36, 68);
        set("keybcs2", 37, 73);
        set("macce", 38, 43);
        set("macroman", 39, 53);
        set("cp852", 40, 81);
        set("utf8mb4", 45, 46);
        setRange("utf8mb4", 224, 247);
        setRange("utf8mb4", 255, 323);
        set("utf16", 54, 55);
        setRange("utf16", 101, 124);
        set("utf16le", 56, 62);
        set("cp1256", 57, 67);
        set("utf32", 60, 61);
        setRange("utf32", 160, 183);
        set("binary", 63);
        set("geostd8", 92, 93);
        set("cp932", 95, 96);
        set("eucjpms", 97, 98);
        set("gb18030", 248, 249, 250);

        java("big5", "Big5");
        java("latin2", "ISO-8859-2");
        java("cp850", "IBM850");
        java("latin1", "windows-1252"); // MySQL's latin1 is cp1252
        java("koi8r", "KOI8-R");
        java("ascii", "US-ASCII");
        java("ujis", "EUC-JP");
        java("sjis", "Shift_JIS");
        java("cp1251", "windows-1251");
        java("hebrew", "ISO-8859-8");
        java("tis620", "TIS-620");
        java("euckr", "EUC-KR");
        java("latin7", "ISO-8859-13");
        java("koi8u", "KOI8-U");
        java("gb2312", "GB2312");
        java("greek", "ISO-8859-7");
        java("cp1250", "windows-1250");
        java("gbk", "GBK");
        java("cp1257", "windows-1257");
        java("latin5", "ISO-8859-9");
        java("utf8mb3", "UTF-8");
        java("utf8", "UTF-8");
        java("utf8mb4", "UTF-8");
        java("ucs2", "UTF-16BE");
        java("cp866", "IBM866");
        java("macce", "x-MacCentralEurope");
        java("macroman", "x-MacRoman");
        java("cp852", "IBM852");
        java("utf16", "UTF-16BE");
        java("utf16le", "UTF-16LE");
        java("cp1256", "windows-1256");
        java("utf32", "UTF-32BE");
        java("cp932", "windows-31j");
        java("eucjpms", "EUC-JP");
        java("gb18030", "GB18030");
        JAVA_BY_NAME.put("binary", BINARY_MARKER);
    }

    private MysqlCharsets() {
    }

    private static void set(String charset, int... ids) {
        for (int id : ids) {
            CHARSET_BY_COLLATION[id] = charset;
        }
    }

    private static void setRange(String charset, int from, int to) {
        for (int id = from; id <= to; id++) {
            CHARSET_BY_COLLATION[id] = charset;
        }
    }

    private static void java(String mysqlName, String javaName) {
        JAVA_NAME_BY_NAME.put(mysqlName, javaName);
    }

    /**
     * The Java charset of a lower-case MySQL name: {@link #BINARY_MARKER}, {@code null} when unknown or not
     * supported here. Looked up on first use, not all at class initialisation: resolving the few dozen charsets at
     * once loaded the JDK's extended charsets provider and its classes before a connection's first row.
     */
    private static Charset lookUp(String mysqlName) {
        Object charset = JAVA_BY_NAME.get(mysqlName);
        if (charset == null) {
            String javaName = JAVA_NAME_BY_NAME.get(mysqlName);
            // Every 8-bit set by the server's own table; Java's namesake only gives its name
            Charset ownTable = SingleByteCharset.ofMySqlName(mysqlName, javaName);
            if (ownTable != null) {
                charset = ownTable;
            } else if (javaName != null) {
                charset = Charset.isSupported(javaName) ? Charset.forName(javaName) : UNSUPPORTED;
            } else {
                charset = UNSUPPORTED;
            }
            JAVA_BY_NAME.put(mysqlName, charset);
        }
        return charset == UNSUPPORTED ? null : (Charset) charset;
    }

    /** The MySQL character set name of a collation id, or {@code null} when unknown. */
    public static String charsetName(int collationId) {
        if (collationId >= 0 && collationId < 1024) {
            return CHARSET_BY_COLLATION[collationId];
        }
        if (collationId < 2048) {
            return charsetName(collationId - 1024); // MariaDB NOPAD variants
        }
        // MariaDB UCA 14.0.0 collations: 256 ids per character set from 2048.
        return switch ((collationId - 2048) >> 8) {
            case 0 -> "utf8mb3";
            case 1 -> "utf8mb4";
            case 2 -> "ucs2";
            case 3 -> "utf16";
            case 4 -> "utf32";
            default -> null;
        };
    }

    /** Whether the collation id is the {@code binary} character set. */
    public static boolean isBinary(int collationId) {
        return collationId == 63;
    }

    /** The Java charset of a collation id; {@code null} when binary or unknown (see {@link #isKnown}). */
    public static Charset forCollation(int collationId) {
        String name = charsetName(collationId);
        return name == null ? null : forName(name);
    }

    public static boolean isKnown(int collationId) {
        String name = charsetName(collationId);
        return name != null && lookUp(name) != null;
    }

    /** The Java charset of a MySQL character set name; {@code null} for binary or unknown names. */
    public static Charset forName(String mysqlName) {
        Charset charset = lookUp(mysqlName.toLowerCase(Locale.ROOT));
        return charset == BINARY_MARKER ? null : charset;
    }

    /**
     * {@code length} bytes of {@code data} from {@code offset} decoded with a charset of {@link #forName}: MySQL's
     * 8-bit sets by their own table without a decoder per value, the others as {@code new String} decodes them.
     */
    public static String decode(byte[] data, int offset, int length, Charset charset) {
        if (charset instanceof SingleByteCharset singleByte) {
            return singleByte.decode(data, offset, length);
        }
        return new String(data, offset, length, charset);
    }

    public static boolean isKnownName(String mysqlName) {
        return lookUp(mysqlName.toLowerCase(Locale.ROOT)) != null;
    }
}
