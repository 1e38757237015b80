/** Where two JSON answers first differ: the correctness check before any load. */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function describe(value: Json | undefined): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The first path at which `actual` differs from `expected`, with both values; null when equal. */
export function firstDifference(
  expected: Json | undefined,
  actual: Json | undefined,
  path = '$',
): string | null {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const length = Math.max(expected.length, actual.length);
    for (let i = 0; i < length; i++) {
      const difference = firstDifference(expected[i], actual[i], `${path}[${i}]`);
      if (difference) return difference;
    }
    return null;
  }
  if (
    expected !== null &&
    actual !== null &&
    typeof expected === 'object' &&
    typeof actual === 'object' &&
    !Array.isArray(expected) &&
    !Array.isArray(actual)
  ) {
    for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
      const difference = firstDifference(expected[key], actual[key], `${path}.${key}`);
      if (difference) return difference;
    }
    return null;
  }
  return expected === actual ? null : `${path}: floor ${describe(expected)}, service ${describe(actual)}`;
}

export type { Json };
