import { GraphQLError } from 'graphql';

/** The stable codes clients branch on (DESIGN.md, "API contract"). */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

export const errorCodes: ReadonlySet<string> = new Set<ErrorCode>([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
]);

export interface FieldProblem {
  /** Dotted path of the input field, e.g. "input.email". */
  field: string;
  message: string;
}

export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
  }
}

export const unauthenticated = (message = 'You must be signed in to do this') =>
  new AppError('UNAUTHENTICATED', message);

export const forbidden = (message = 'You are not allowed to do this') => new AppError('FORBIDDEN', message);

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);

export const conflict = (message: string) => new AppError('CONFLICT', message);

export const badUserInput = (fields: FieldProblem[], message?: string) =>
  new AppError('BAD_USER_INPUT', message ?? fields.map((f) => `${f.field}: ${f.message}`).join('; '), {
    fields,
  });

/** Seconds a client is asked to wait before retrying an operation that met a database outage. */
const serviceUnavailableRetryAfter = 5;

export const serviceUnavailable = () =>
  new AppError('SERVICE_UNAVAILABLE', 'The service is temporarily unavailable; retry later', {
    retryAfter: serviceUnavailableRetryAfter,
  });

export const codeOf = (error: GraphQLError): string | undefined => {
  const code = error.extensions?.code;
  return typeof code === 'string' ? code : undefined;
};
