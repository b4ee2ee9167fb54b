/**
 * Prepared statements kept per connection, keyed by their SQL text. better-sqlite3's `db.prepare` compiles
 * the SQL every time it is called (measured: a third of the consent look-up on every ITI-18 read, issue #3),
 * so stores whose statements are a fixed set prepare each once. Only for fixed SQL: statements built from
 * query input belong in a bounded cache (see SqliteMetadataStore).
 */
import type Database from 'better-sqlite3';

export type PreparedStatements = (sql: string) => Database.Statement;

export function preparedStatements(db: Database.Database): PreparedStatements {
  const cache = new Map<string, Database.Statement>();
  return (sql) => {
    let stmt = cache.get(sql);
    if (stmt === undefined) {
      stmt = db.prepare(sql);
      cache.set(sql, stmt);
    }
    return stmt;
  };
}
