import { describe, expect, it } from 'vitest';
import { DatabaseTimeoutError, refusesWrites, unavailabilityOf } from '../../src/db/availability.js';

/** A driver error as pg, Neon and PGlite report it: a message and a SQLSTATE or errno code. */
const failure = (message: string, code?: string) => Object.assign(new Error(message), { code });
/** What Drizzle throws: its own message, the driver's error as the cause. */
const drizzle = (cause: unknown) => new Error('Failed query: select 1\nparams: ', { cause });

describe('unavailabilityOf', () => {
  it.each([
    ['57014', 'timeout'],
    ['55P03', 'timeout'],
    ['25006', 'read-only'],
    ['53100', 'disk-full'],
    ['53200', 'resources'],
    ['53300', 'resources'],
    ['58030', 'resources'],
    ['57P01', 'shutdown'],
    ['57P03', 'shutdown'],
    ['08006', 'connection'],
    ['28P01', 'login'],
    ['3D000', 'login'],
  ])('classifies SQLSTATE %s as %s', (code, reason) => {
    expect(unavailabilityOf(drizzle(failure('from the server', code)))).toBe(reason);
  });

  it.each(['23505', '23503', '22P02', '42P01', '42501', 'XX000'])(
    'leaves SQLSTATE %s alone: bad input or a bug, not an outage',
    (code) => {
      expect(unavailabilityOf(drizzle(failure('from the server', code)))).toBeUndefined();
    },
  );

  it.each([
    ['ECONNREFUSED', 'connection'],
    ['ECONNRESET', 'connection'],
    ['ENOTFOUND', 'connection'],
    ['ETIMEDOUT', 'timeout'],
  ])('classifies socket error %s as %s', (code, reason) => {
    expect(unavailabilityOf(drizzle(failure(`connect ${code} 127.0.0.1:5432`, code)))).toBe(reason);
  });

  it.each([
    ['Connection terminated unexpectedly', 'connection'],
    ['Connection terminated due to connection timeout', 'timeout'],
    ['timeout exceeded when trying to connect', 'timeout'],
    ['Client has encountered a connection error and is not queryable', 'connection'],
    ['Cannot use a pool after calling end on the pool', 'shutdown'],
  ])('classifies the driver message "%s" as %s', (message, reason) => {
    expect(unavailabilityOf(drizzle(new Error(message)))).toBe(reason);
  });

  it("finds the socket error in Neon's WebSocket ErrorEvent and in an AggregateError", () => {
    const errorEvent = { type: 'error', message: '', error: failure('connect ECONNREFUSED', 'ECONNREFUSED') };
    expect(unavailabilityOf(drizzle(errorEvent))).toBe('connection');
    const aggregate = new AggregateError([failure('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], '');
    expect(unavailabilityOf(drizzle(aggregate))).toBe('connection');
  });

  it('classifies its own deadline as a timeout', () => {
    expect(unavailabilityOf(drizzle(new DatabaseTimeoutError('no answer')))).toBe('timeout');
  });

  it('leaves errors without a database cause alone', () => {
    expect(
      unavailabilityOf(new TypeError("Cannot read properties of undefined (reading 'id')")),
    ).toBeUndefined();
    expect(unavailabilityOf('a string')).toBeUndefined();
    expect(unavailabilityOf(undefined)).toBeUndefined();
  });

  it('stops on a cause chain that loops', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(unavailabilityOf(a)).toBeUndefined();
  });
});

describe('refusesWrites', () => {
  it('is true for a read-only database and a full disk only', () => {
    expect(refusesWrites('read-only')).toBe(true);
    expect(refusesWrites('disk-full')).toBe(true);
    expect(refusesWrites('timeout')).toBe(false);
    expect(refusesWrites(undefined)).toBe(false);
  });
});
