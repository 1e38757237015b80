import { AppError, badUserInput, conflict } from './errors.js';

/** The parts of a Postgres error that say what went wrong; every driver reports these. */
export interface PostgresError {
  code: string;
  constraint?: string;
}

/**
 * Finds the Postgres error inside whatever a driver threw: pg and Neon throw a
 * DatabaseError, PGlite its own error, and Drizzle wraps either in a DrizzleQueryError
 * whose `cause` holds the original.
 */
export function postgresErrorOf(error: unknown): PostgresError | undefined {
  let current: unknown = error;
  // Bounded: a cause chain could in principle loop.
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const { code, constraint } = current as { code?: unknown; constraint?: unknown };
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
      return { code, constraint: typeof constraint === 'string' ? constraint : undefined };
    }
    current = current.cause;
  }
  return undefined;
}

/** The client-facing error for a violation of a named constraint, per operation. */
export type ConstraintErrors = Record<string, () => AppError>;

/**
 * Turns what the database refused into an error the client can act on: a named
 * constraint's own error when the caller knows it, otherwise one by class — unique and
 * foreign-key violations are CONFLICT, check and invalid-value errors BAD_USER_INPUT.
 * Anything else is returned unchanged (and reaches clients as INTERNAL_SERVER_ERROR).
 */
export function userErrorFromDatabase(error: unknown, constraints: ConstraintErrors = {}): unknown {
  const pg = postgresErrorOf(error);
  if (!pg) return error;
  const named = pg.constraint ? constraints[pg.constraint] : undefined;
  if (named) return named();
  if (pg.code === '23505') return conflict('This conflicts with an existing record');
  if (pg.code === '23503')
    return conflict('This refers to a record that does not exist, or one that is still referred to');
  if (pg.code === '23514' || pg.code === '23502') {
    return badUserInput([{ field: 'input', message: 'breaks a rule of the data model' }]);
  }
  // Class 22, data exceptions: a value the column type cannot hold, such as a cursor
  // from a list with another ordering.
  if (pg.code.startsWith('22'))
    return badUserInput([
      { field: 'arguments', message: 'contain a value out of range or of the wrong type' },
    ]);
  return error;
}

/** Runs database work, rethrowing refusals as client errors (see userErrorFromDatabase). */
export async function withDatabaseErrors<T>(
  work: () => Promise<T>,
  constraints?: ConstraintErrors,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw userErrorFromDatabase(error, constraints);
  }
}
