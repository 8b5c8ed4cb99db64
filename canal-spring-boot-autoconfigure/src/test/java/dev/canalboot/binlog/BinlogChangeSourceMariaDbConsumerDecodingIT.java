package dev.canalboot.binlog;

/**
 * The end-to-end contract against the same server with every row image decoded on the consumer's thread
 * ({@link RowDecoding#CONSUMER_THREAD}): the connection's thread only counts and checks the rows.
 */
class BinlogChangeSourceMariaDbConsumerDecodingIT extends BinlogChangeSourceMariaDbEndToEndIT {

    @Override
    BinlogSourceSettings.Builder settings() {
        return super.settings().rowDecoding(RowDecoding.CONSUMER_THREAD);
    }
}
