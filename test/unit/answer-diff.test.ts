/**
 * How the differential test compares two answers (test/helpers/answer-diff.ts) and tells
 * how the compiled handler came by its answer (serviceOf in test/helpers/two-paths.ts):
 * if either were lax, the differential test would pass on anything.
 */
import { describe, expect, it } from 'vitest';
import { answerDifferences } from '../helpers/answer-diff.js';
import { serviceOf, type Answer } from '../helpers/two-paths.js';

const answer = (body: Answer['body'], statements: string[] = [], status = 200): Answer => ({
  status,
  body,
  statements,
  fellBack: false,
});

const error = (path: (string | number)[] | undefined, code: string, message = 'Wrong') => ({
  message,
  ...(path ? { path } : {}),
  extensions: { code },
});

describe('answerDifferences', () => {
  it('finds none between equal answers, whatever the error messages and order', () => {
    const a = answer({
      data: { a: 1, b: null },
      errors: [error(['b'], 'NOT_FOUND', 'one'), error(['c', 0], 'FORBIDDEN')],
    });
    const b = answer({
      data: { a: 1, b: null },
      errors: [error(['c', 0], 'FORBIDDEN', 'other'), error(['b'], 'NOT_FOUND')],
    });
    expect(answerDifferences(a, b)).toEqual([]);
  });

  it('tells key order, values, data presence and status apart', () => {
    expect(answerDifferences(answer({ data: { a: 1, b: 2 } }), answer({ data: { b: 2, a: 1 } }))).toEqual([
      'data differs',
    ]);
    expect(answerDifferences(answer({ data: { a: null } }), answer({ data: { a: {} } }))).toEqual([
      'data differs',
    ]);
    expect(
      answerDifferences(
        answer({ errors: [error(undefined, 'BAD_USER_INPUT')] }),
        answer({ data: null, errors: [error(undefined, 'BAD_USER_INPUT')] }),
      ),
    ).toEqual(['data absent compiled, present resolved']);
    expect(answerDifferences(answer({ data: {} }, [], 400), answer({ data: {} }))).toEqual([
      'status 400 compiled, 200 resolved',
    ]);
  });

  it('tells errors apart by presence, count, path and code', () => {
    const none = answer({ data: { a: null } });
    const one = answer({ data: { a: null }, errors: [error(['a'], 'NOT_FOUND')] });
    expect(answerDifferences(none, one)).toEqual(['errors absent compiled, present resolved']);
    for (const other of [
      [error(['b'], 'NOT_FOUND')],
      [error(undefined, 'NOT_FOUND')],
      [error(['a'], 'FORBIDDEN')],
      [error(['a'], 'NOT_FOUND'), error(['a'], 'NOT_FOUND')],
    ]) {
      expect(answerDifferences(answer({ data: { a: null }, errors: other }), one)).toHaveLength(1);
    }
  });
});

describe('serviceOf', () => {
  const resolvers = ['select "d0"."id" from "acquisitions" "d0"', 'select count(*) from "acquisitions"'];

  it('one statement of its own is the compiled answer', () => {
    expect(serviceOf(answer({}, ['select json_build_object(…)']), answer({}, resolvers))).toBe(
      'one statement',
    );
  });

  it('the resolvers’ own statement, or theirs all, is a declined request', () => {
    expect(serviceOf(answer({}, [resolvers[0]!]), answer({}, [resolvers[0]!]))).toBe('declined');
    expect(serviceOf(answer({}, resolvers), answer({}, resolvers))).toBe('declined');
  });

  it('a compiled statement the service logged as failed is a fallback, whatever the statements', () => {
    const failed = { ...answer({}, ['select json_build_object(…)', ...resolvers]), fellBack: true };
    expect(serviceOf(failed, answer({}, resolvers))).toBe('fell back');
    // Statements a previous request's resolvers sent late are not a fallback.
    expect(serviceOf(answer({}, [...resolvers, ...resolvers]), answer({}, resolvers))).toBe('declined');
  });

  it('no statement where the resolvers sent some is an answer from the account; none on both is none', () => {
    expect(serviceOf(answer({}, []), answer({}, [resolvers[0]!]))).toBe('from the account');
    expect(serviceOf(answer({}, []), answer({}, []))).toBe('no statement');
  });
});
