/**
 * The differential test: random queries generated from the schema, each answered by the
 * compiled handler and by the resolvers alone over the same data, and compared as a client
 * sees them (test/helpers/answer-diff.ts). `npm test` runs a few fixed seeds;
 * `npm run test:differential` runs 3,000 queries per seed. DIFFERENTIAL_SEEDS (comma
 * separated) and DIFFERENTIAL_QUERIES (per seed) choose the run; a disagreement prints
 * its seed, query number, viewer, query, variables and both answers.
 */
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema.js';
import { answerDifferences } from '../helpers/answer-diff.js';
import { walkEveryList } from '../helpers/cursor-walks.js';
import {
  CoverageTally,
  featuresOf,
  rootFieldsOf,
  selectsGuardedField,
} from '../helpers/differential-coverage.js';
import { seedDifferentialData, viewerKinds, type DifferentialData } from '../helpers/differential-data.js';
import { CursorPool, cursorsIn, generateQuery } from '../helpers/query-generator.js';
import { Random } from '../helpers/random.js';
import { serviceOf, startTwoPaths, type Answer, type TwoPaths } from '../helpers/two-paths.js';

const seeds = (process.env.DIFFERENTIAL_SEEDS ?? '1,2').split(',').map(Number);
const queriesPerSeed = Number(process.env.DIFFERENTIAL_QUERIES ?? 200);
/** Of the guest public reads (see CoverageTally), the compiled handler must serve at least this share. */
const minServedShare = 0.9;
/** Disagreements printed in full per seed; the rest are counted by kind. */
const printed = 5;

let paths: TwoPaths;
let data: DifferentialData;
const walked = new CursorPool();

beforeAll(async () => {
  paths = await startTwoPaths();
  data = await seedDifferentialData(paths);
  await walkEveryList(paths, schema, walked, {
    headers: data.viewers.admin,
    nodes: new Map([['Company', data.busiestCompany]]),
  });
});

afterAll(() => paths?.close());

const shown = (answer: Answer) => {
  const text = JSON.stringify({ status: answer.status, ...answer.body });
  return text.length > 3000 ? `${text.slice(0, 3000)}…` : text;
};

describe('compiled reads and the resolvers agree on random queries', () => {
  it('walked every list before generating', () => {
    expect(walked.lists().length).toBeGreaterThanOrEqual(10);
    expect(walked.size).toBeGreaterThan(100);
  });

  for (const seed of seeds) {
    it(
      `seed ${seed}: ${queriesPerSeed} queries`,
      async () => {
        const rng = new Random(seed);
        // Each seed starts from the walked cursors alone, so it replays the same when run by itself.
        const cursors = new CursorPool();
        for (const list of walked.lists()) for (const cursor of walked.of(list)) cursors.add(list, cursor);
        const tally = new CoverageTally();
        const reports: string[] = [];
        const kinds = new Map<string, number>();
        for (let n = 1; n <= queriesPerSeed; n++) {
          const generated = generateQuery(rng, schema, { ids: data.ids, cursors });
          // Guests most often: their public reads are what the compiled path serves.
          const viewer = rng.weighted(viewerKinds.map((kind) => [kind, kind === 'guest' ? 4 : 1.5] as const));
          const request = {
            query: generated.query,
            variables: generated.variables,
            headers: data.viewers[viewer],
          };
          // The resolvers first: their cursors feed the queries that follow.
          const resolved = await paths.resolved(request);
          for (const { list, cursor } of cursorsIn(resolved.body.data, generated.cursorSites)) {
            cursors.add(list, cursor);
          }
          const compiled = await paths.compiled(request);
          const service = serviceOf(compiled, resolved);
          let document;
          try {
            document = parse(generated.query);
          } catch {
            document = undefined;
          }
          tally.record({
            rootFields: document ? rootFieldsOf(document) : [],
            features: document ? featuresOf(schema, document) : new Set(),
            service,
            withErrors: !!resolved.body.errors,
            inPrinciple:
              viewer === 'guest' &&
              !!document &&
              resolved.status === 200 &&
              !resolved.body.errors &&
              resolved.statements.length > 0 &&
              !selectsGuardedField(schema, document),
          });
          const differences = answerDifferences(compiled, resolved);
          if (differences.length === 0) continue;
          tally.disagreements++;
          for (const difference of differences) {
            const kind = difference.replace(/\[.*$/, '…');
            kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
          }
          if (reports.length < printed) {
            reports.push(
              [
                `seed ${seed}, query ${n} of ${queriesPerSeed}, viewer ${viewer}: ${differences.join('; ')}`,
                `query: ${generated.query}`,
                `variables: ${JSON.stringify(generated.variables)}`,
                `compiled (${service}): ${shown(compiled)}`,
                `resolved: ${shown(resolved)}`,
              ].join('\n'),
            );
          }
        }
        console.log(tally.summary(`seed ${seed}`));
        const byKind = [...kinds].map(([kind, count]) => `${count} × ${kind}`).join('\n');
        expect
          .soft(tally.disagreements, `disagreements by kind:\n${byKind}\n\n${reports.join('\n\n')}`)
          .toBe(0);
        // Enough guest public reads to judge by, and no compiled statement Postgres refused,
        // whoever asked (the resolvers answered, but the compiler erred).
        expect.soft(tally.inPrinciple.queries).toBeGreaterThanOrEqual(queriesPerSeed / 10);
        expect.soft(tally.all.byService.get('fell back') ?? 0, 'compiled statements refused').toBe(0);
        expect(tally.servedShare(), tally.summary(`seed ${seed}`)).toBeGreaterThanOrEqual(minServedShare);
      },
      Math.max(60_000, queriesPerSeed * 250),
    );
  }
});
