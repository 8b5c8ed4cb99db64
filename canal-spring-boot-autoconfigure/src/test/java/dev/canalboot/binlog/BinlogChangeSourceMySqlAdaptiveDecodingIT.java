package dev.canalboot.binlog;

/**
 * The end-to-end contract against the same server with {@link RowDecoding#ADAPTIVE}: the connection's thread
 * decodes, except while the consumer waits for work, which then decodes the rows read meanwhile.
 */
class BinlogChangeSourceMySqlAdaptiveDecodingIT extends BinlogChangeSourceMySqlEndToEndIT {

    @Override
    BinlogSourceSettings.Builder settings() {
        return super.settings().rowDecoding(RowDecoding.ADAPTIVE);
    }
}
