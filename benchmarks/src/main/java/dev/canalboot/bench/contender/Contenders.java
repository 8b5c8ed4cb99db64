package dev.canalboot.bench.contender;

import java.util.List;

/** Every contender, in table order. */
public final class Contenders {

    private Contenders() {
    }

    public static List<Contender> all() {
        return List.of(
                new OurBinlogContender(true),
                new OurBinlogContender(false),
                new ZendeskContender(false),
                new ZendeskContender(true),
                new OfficialCanalContender(),
                new OurCanalContender(),
                new RawDumpContender(),
                new OurBinlogContender(true, dev.canalboot.binlog.RowDecoding.ADAPTIVE));
    }

    /** Contenders measured only when named in {@code --contenders}, not with {@code all}. */
    public static boolean onlyWhenNamed(String id) {
        return id.equals(OurBinlogContender.ADAPTIVE_ID);
    }
}
