package io.tidemark.dm.sync;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;
import java.util.List;

/** One parameterised statement for the target, and the table it changes (for messages). */
record SqlStatement(String subject, String sql, List<Object> params) {
    SqlStatement {
        params = java.util.Collections.unmodifiableList(Arrays.asList(params.toArray()));
    }

    void bind(PreparedStatement ps) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object v = params.get(i);
            int at = i + 1;
            switch (v) {
                case null -> ps.setNull(at, Types.NULL);
                case BigInteger b -> ps.setBigDecimal(at, new BigDecimal(b));
                case BigDecimal b -> ps.setBigDecimal(at, b);
                case Long l -> ps.setLong(at, l);
                case Double d -> ps.setDouble(at, d);
                case String s -> ps.setString(at, s);
                case byte[] b -> ps.setBytes(at, b);
                default -> ps.setObject(at, v);
            }
        }
    }
}
