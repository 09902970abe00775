package io.cairn.host.catalog;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** Times in the catalog's tables, bound and read the one way this database stores them (its dialect). */
final class CatalogTimes {

    private CatalogTimes() {
    }

    static void bind(CatalogDatabase database, PreparedStatement statement, int index, Instant instant)
            throws SQLException {
        database.bindInstant(statement, index, instant);
    }

    static Instant read(CatalogDatabase database, ResultSet row, String column) throws SQLException {
        return database.readInstant(row, column);
    }
}
