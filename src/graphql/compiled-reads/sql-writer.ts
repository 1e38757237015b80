import { Column, is, SQL, sql, type Query } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';

/** Renders the Drizzle expressions the statement embeds (filters, sort keys, relation conditions). */
const dialect = new PgDialect();

/** What a request brings to a statement of a shape already written: its variables and viewer. */
export interface StatementInputs {
  variables: Record<string, unknown>;
  viewerId: number | null;
}

/**
 * Where a parameter's value comes from in another request of the same shape. May throw
 * NotCompilable, as writing the statement would have for that request's values.
 */
export type ParamSource = (inputs: StatementInputs) => unknown;

interface Param {
  value: unknown;
  /** Absent: the value is part of the shape (every request of the shape has this one). */
  source?: ParamSource;
}

/**
 * A written statement, reusable for every request of its shape: the text is fixed, the
 * parameters are read again from each request's inputs. The text is rendered once, as
 * Drizzle renders it ($1…$n in order), and each request gets that same string: Drizzle
 * would build it anew per request, and the prepared statement's name, looked up by text,
 * would then hash 1–2 kB again (~3 % of a compiled read's Node CPU, bench/README.md).
 */
export class StatementTemplate {
  private readonly text: string;

  constructor(
    texts: readonly string[],
    private readonly params: readonly Param[],
    private readonly checks: readonly ParamSource[],
  ) {
    this.text = texts.map((text, index) => (index === 0 ? text : `$${index}${text}`)).join('');
  }

  bind(inputs: StatementInputs): Query {
    for (const check of this.checks) check(inputs);
    return {
      sql: this.text,
      params: this.params.map(({ value, source }) => (source ? source(inputs) : value)),
    };
  }
}

/**
 * Builds one statement left to right: text as it is written, values as bound parameters
 * (Drizzle numbers them in order). A parameter the statement writes itself carries a cast,
 * so Postgres never has to guess its type; one inside an embedded Drizzle expression takes
 * its type from the column it is compared with. The text is the same for every value: one
 * prepared statement per shape.
 */
export class SqlWriter {
  private readonly texts: string[] = [];
  private readonly params: Param[] = [];
  private readonly checks: ParamSource[] = [];
  private text = '';
  private aliases = 0;

  write(text: string): this {
    this.text += text;
    return this;
  }

  /** A parameter: `value` for this request, `source` for others of the same shape when it differs. */
  param(value: unknown, cast: string, source?: ParamSource): this {
    this.texts.push(this.text);
    this.params.push({ value, source });
    this.text = `::${cast}`;
    return this;
  }

  /**
   * A Drizzle expression, rendered as Drizzle renders it for the resolvers: its text, and
   * its values as parameters of this statement (part of the shape: every request of the
   * shape has the same ones).
   */
  embed(fragment: SQL | Column): this {
    const { sql: text, params } = dialect.sqlToQuery(is(fragment, SQL) ? fragment : sql`${fragment}`);
    // Drizzle writes its parameters as $1…$n, in order, and never any other `$<digits>`.
    const pieces = text.split(/\$\d+/);
    pieces.forEach((piece, index) => {
      this.text += piece;
      if (index < params.length) {
        this.texts.push(this.text);
        this.params.push({ value: params[index] });
        this.text = '';
      }
    });
    return this;
  }

  /**
   * A condition on another request's values that writing the statement checked for this
   * one (throwing NotCompilable), for values that do not all become parameters.
   */
  check(source: ParamSource): this {
    this.checks.push(source);
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

  toTemplate(): StatementTemplate {
    return new StatementTemplate([...this.texts, this.text], this.params, this.checks);
  }
}
