package io.cairn.host.catalog;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Times in the catalog's tables, bound and read the one way the catalog stores them. */
final class CatalogTimes {

    private CatalogTimes() {
    }

    static void bind(CatalogDatabase database, PreparedStatement statement, int index, Instant instant)
            throws SQLException {
        if (instant == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, instant.atOffset(ZoneOffset.UTC));
        }
    }

    static Instant read(CatalogDatabase database, ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
