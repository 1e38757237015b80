import { sql, type SQL, type SQLChunk } from 'drizzle-orm';

/**
 * Builds one statement left to right: text as it is written, values as bound parameters
 * (Drizzle numbers them in order). Every parameter carries a cast, so Postgres never has to
 * guess its type and the text is the same for every value: one prepared statement per shape.
 */
export class SqlWriter {
  private readonly chunks: SQLChunk[] = [];
  private text = '';
  private aliases = 0;

  write(text: string): this {
    this.text += text;
    return this;
  }

  param(value: unknown, cast: string): this {
    this.chunks.push(sql.raw(this.text), sql.param(value));
    this.text = `::${cast}`;
    return this;
  }

  /** A table alias no other part of the statement uses. */
  alias(prefix: string): string {
    this.aliases += 1;
    return `${prefix}${this.aliases}`;
  }

  /** Whether the statement reads any table: every table it reads gets an alias. */
  get readsTables(): boolean {
    return this.aliases > 0;
  }

  /** A string literal; only ever given names from the schema and this module. */
  literal(text: string): this {
    return this.write(`'${text.replaceAll("'", "''")}'`);
  }

  toSql(): SQL {
    return sql.join([...this.chunks, sql.raw(this.text)]);
  }
}
