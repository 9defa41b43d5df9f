package io.metaload.metadata.dialect;

import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.schema.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A PostgreSQL full load published into the existing target table instead of renaming staging into
 * its place: a rename leaves behind everything that belongs to the old table's identity (views,
 * materialized views and rules on it, foreign keys from other tables, grants, owner, comments,
 * row-level security, triggers, replica identity, publications, partitions, the expressions of
 * generated columns, which staging holds as plain columns, and identity columns' sequences, which a
 * rename would replace by staging's fresh ones). With any of those present, the target's rows are
 * replaced in the publication's transaction: {@code TRUNCATE} (or {@code DELETE} under foreign keys
 * from other tables, which must be {@code DEFERRABLE}) and one {@code INSERT ... SELECT} from
 * staging, with the target's own triggers disabled for it, as a rename would not have fired them
 * either. Deferred foreign-key checks run before the triggers are enabled again (PostgreSQL refuses
 * to alter a table with pending trigger events), still inside the transaction.
 */
final class PostgresInPlaceSwap {
  private final Dialect dialect;

  PostgresInPlaceSwap(Dialect dialect) {
    this.dialect = dialect;
  }

  /**
   * What renaming another table into {@code target}'s place would leave behind; empty when nothing.
   */
  List<String> leftBehind(Connection c, TableRef target) throws SQLException {
    String t = rows(c, "SELECT ?::regclass::oid", dialect.qualified(target), 1).get(0)[0] + "::oid";
    String sql =
        "SELECT 'views or rules on it (' || string_agg(DISTINCT v.oid::regclass::text, ', ') || ')' FROM pg_depend d "
            + "JOIN pg_rewrite r ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid JOIN pg_class v ON v.oid = r.ev_class "
            + "WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = "
            + t
            + " AND v.oid <> "
            + t
            + " HAVING count(*) > 0 "
            + "UNION ALL SELECT 'foreign keys from ' || string_agg(conrelid::regclass::text, ', ') FROM pg_constraint "
            + "WHERE contype = 'f' AND confrelid = "
            + t
            + " AND conrelid <> confrelid HAVING count(*) > 0 "
            + "UNION ALL SELECT 'grants' FROM pg_class WHERE oid = "
            + t
            + " AND relacl IS NOT NULL "
            + "UNION ALL SELECT 'column grants' FROM pg_attribute WHERE attrelid = "
            + t
            + " AND attacl IS NOT NULL HAVING count(*) > 0 "
            + "UNION ALL SELECT 'owner ' || pg_get_userbyid(relowner) FROM pg_class WHERE oid = "
            + t
            + " AND relowner <> "
            + "(SELECT oid FROM pg_roles WHERE rolname = current_user) "
            + "UNION ALL SELECT 'row-level security' FROM pg_class WHERE oid = "
            + t
            + " AND (relrowsecurity OR EXISTS "
            + "(SELECT FROM pg_policy WHERE polrelid = "
            + t
            + ")) "
            + "UNION ALL SELECT 'triggers' FROM pg_trigger WHERE tgrelid = "
            + t
            + " AND NOT tgisinternal HAVING count(*) > 0 "
            + "UNION ALL SELECT 'replica identity' FROM pg_class WHERE oid = "
            + t
            + " AND relreplident NOT IN ('d', 'n') "
            + "UNION ALL SELECT 'publications' FROM pg_publication_rel WHERE prrelid = "
            + t
            + " HAVING count(*) > 0 "
            + "UNION ALL SELECT 'partitions' FROM pg_class WHERE oid = "
            + t
            + " AND relkind = 'p' "
            + "UNION ALL SELECT 'inheritance' FROM pg_inherits WHERE inhrelid = "
            + t
            + " OR inhparent = "
            + t
            + " HAVING count(*) > 0 "
            + "UNION ALL SELECT 'generated columns (' || string_agg(quote_ident(attname), ', ') || ')' FROM pg_attribute WHERE attrelid = "
            + t
            + " AND attnum > 0 AND NOT attisdropped AND attgenerated <> '' HAVING count(*) > 0 "
            + "UNION ALL SELECT 'identity columns and their sequences (' || string_agg(quote_ident(attname), ', ') || ')' FROM pg_attribute "
            + "WHERE attrelid = "
            + t
            + " AND attnum > 0 AND NOT attisdropped AND attidentity <> '' HAVING count(*) > 0";
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /**
   * The statements that replace {@code target}'s rows with {@code staging}'s inside the current
   * transaction, then drop staging.
   */
  List<String> replaceContents(Connection c, TableRef target, TableRef staging)
      throws SQLException {
    String name = dialect.qualified(target);
    List<String> statements = new ArrayList<>();
    List<String[]> keys =
        rows(
            c,
            "SELECT quote_ident(n.nspname) || '.' || quote_ident(k.conname), k.conrelid::regclass::text, "
                + "k.condeferrable::text FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace "
                + "WHERE k.contype = 'f' AND k.confrelid = ?::regclass AND k.conrelid <> k.confrelid",
            name,
            3);
    for (String[] key : keys) {
      if (!key[2].equals("true")) {
        throw MetaloadException.badConfig(
            "target "
                + target
                + " is referenced by foreign key "
                + key[0]
                + " of table "
                + key[1]
                + ", which is not DEFERRABLE: a full load replaces every row of the target in one transaction, which such a key "
                + "forbids. Make it deferrable (ALTER TABLE "
                + key[1]
                + " ALTER CONSTRAINT "
                + key[0].replaceFirst("^.*\\.", "")
                + " DEFERRABLE) or drop it; the staged rows wait for a --resume");
      }
      statements.add("SET CONSTRAINTS " + key[0] + " DEFERRED");
    }
    List<String[]> triggers =
        rows(
            c,
            "SELECT quote_ident(tgname), tgenabled::text FROM pg_trigger WHERE tgrelid = ?::regclass "
                + "AND NOT tgisinternal AND tgenabled <> 'D'",
            name,
            2);
    for (String[] trigger : triggers) {
      statements.add("ALTER TABLE " + name + " DISABLE TRIGGER " + trigger[0]);
    }
    statements.add(keys.isEmpty() ? "TRUNCATE " + name : "DELETE FROM " + name);
    String columns =
        String.join(
            ", ",
            column(
                c,
                "SELECT quote_ident(attname) FROM pg_attribute WHERE attrelid = ?::regclass "
                    + "AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum",
                name));
    statements.add(
        "INSERT INTO "
            + name
            + " ("
            + columns
            + ") OVERRIDING SYSTEM VALUE SELECT "
            + columns
            + " FROM "
            + dialect.qualified(staging));
    statements.add("SET CONSTRAINTS ALL IMMEDIATE");
    for (String[] trigger : triggers) {
      String mode =
          trigger[1].equals("R")
              ? "ENABLE REPLICA"
              : trigger[1].equals("A") ? "ENABLE ALWAYS" : "ENABLE";
      statements.add("ALTER TABLE " + name + " " + mode + " TRIGGER " + trigger[0]);
    }
    statements.addAll(dialect.target().identityCatchUp(c, target));
    statements.add("DROP TABLE " + dialect.qualified(staging));
    return statements;
  }

  private static List<String> column(Connection c, String sql, String parameter)
      throws SQLException {
    List<String> out = new ArrayList<>();
    for (String[] row : rows(c, sql, parameter, 1)) {
      out.add(row[0]);
    }
    return out;
  }

  private static List<String[]> rows(Connection c, String sql, String parameter, int width)
      throws SQLException {
    List<String[]> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, parameter);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String[] row = new String[width];
          for (int i = 0; i < width; i++) {
            row[i] = rs.getString(i + 1);
          }
          out.add(row);
        }
      }
    }
    return out;
  }
}
