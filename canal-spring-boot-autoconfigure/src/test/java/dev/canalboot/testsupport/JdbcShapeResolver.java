package dev.canalboot.testsupport;

import dev.canalboot.internal.binlog.ColumnShape;
import dev.canalboot.internal.binlog.schema.TableShapeResolver;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Test support: column shapes from information_schema over JDBC. */
public final class JdbcShapeResolver implements TableShapeResolver {

    private final String url;
    private final String user;
    private final String password;
    public final List<String> invalidated = new ArrayList<>();
    public final List<String> looked = new ArrayList<>();

    public JdbcShapeResolver(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    @Override
    public List<ColumnShape> columns(String schema, String table) {
        looked.add(schema + "." + table);
        try (Connection c = DriverManager.getConnection(url, user, password);
             PreparedStatement st = c.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE,"
                     + " CHARACTER_SET_NAME, COLUMN_KEY FROM information_schema.COLUMNS"
                     + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            st.setString(1, schema);
            st.setString(2, table);
            List<ColumnShape> shapes = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    shapes.add(new ColumnShape(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            "PRI".equals(rs.getString(5))));
                }
            }
            return shapes;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void invalidate(String schema, String table) {
        invalidated.add(schema + "." + table);
    }
}
