import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';

interface Step {
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  permissions?: Record<string, string>;
  services?: Record<string, { image: string; ports?: string[]; options?: string }>;
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: { push: { branches: string[]; tags: string[] }; pull_request: unknown };
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
}

const root = resolve(import.meta.dirname, '../..');
const source = readFileSync(resolve(root, '.github/workflows/ci.yml'), 'utf8');
const workflow = parse(source) as Workflow;
const errorsOf = (yaml: string) => validateWorkflow(yaml).errors;
const mutated = (change: (w: Record<string, unknown>) => void) => {
  const copy = structuredClone(workflow) as unknown as Record<string, unknown>;
  change(copy);
  return stringify(copy);
};

describe('.github/workflows/ci.yml', () => {
  it('passes action-validator (GitHub workflow schema, job references)', () => {
    expect(errorsOf(source)).toEqual([]);
  });

  it('is checked by a validator that does reject broken workflows', () => {
    // Without this, an always-empty error list would pass the test above.
    const jobs = (w: Record<string, unknown>) => w.jobs as Record<string, Record<string, unknown>>;
    const broken = [
      mutated((w) => delete jobs(w).test?.['runs-on']),
      mutated((w) => (jobs(w).image = { ...jobs(w).image, needs: 'no-such-job' })),
      mutated((w) => (w.on = { pushh: {} })),
      mutated((w) => (jobs(w).test = { ...jobs(w).test, steps: 'npm test' })),
      'name: [unclosed',
    ];
    for (const yaml of broken) expect(errorsOf(yaml), yaml.slice(0, 80)).not.toEqual([]);
  });

  it('runs on pushes to main, version tags and pull requests, reading only by default', () => {
    expect(workflow.on.push.branches).toEqual(['main']);
    expect(workflow.on.push.tags).toEqual(['v*']);
    expect(workflow.on).toHaveProperty('pull_request');
    expect(workflow.permissions).toEqual({ contents: 'read' });
  });

  it('runs the steps of .ci/run against PostgreSQL and Redis service containers', () => {
    const test = workflow.jobs.test as Job;
    expect(Object.keys(test.services ?? {}).sort()).toEqual(['postgres', 'redis']);
    for (const [name, service] of Object.entries(test.services ?? {})) {
      expect(service.options, name).toMatch(/--health-cmd/);
    }
    expect(test.services?.postgres?.ports).toEqual(['5432:5432']);
    expect(test.services?.redis?.ports).toEqual(['6379:6379']);
    expect(new URL(test.env?.TEST_DATABASE_URL ?? '').host).toBe('127.0.0.1:5432');
    expect(new URL(test.env?.REDIS_URL ?? '').host).toBe('127.0.0.1:6379');

    const commands = test.steps.flatMap((s) => (s.run ?? '').split('\n')).map((c) => c.trim());
    const ciRun = readFileSync(resolve(root, '.ci/run'), 'utf8');
    for (const command of ['npm run lint', 'npm run typecheck', 'npm test', 'npm run rehearse:prod']) {
      expect(commands, command).toContain(command);
    }
    expect(commands.some((c) => c.startsWith('npm run schema:fresh'))).toBe(true);
    expect(commands.some((c) => c.startsWith('npm run schema:check'))).toBe(true);
    // Whatever .ci/run runs with npm, the workflow runs too.
    const ciCommands = ciRun
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.startsWith('npm '));
    expect(ciCommands).toContain('npm run rehearse:prod');
    for (const command of ciCommands) expect(commands, `.ci/run: ${command}`).toContain(command);
  });

  it('builds the image with the Dockerfile after the tests, pushing only on tags', () => {
    const image = workflow.jobs.image as Job;
    expect(image.needs).toBe('test');
    const build = image.steps.find((s) => s.uses?.startsWith('docker/build-push-action@'));
    expect(build?.with).toMatchObject({ context: '.', target: 'runtime' });
    expect(build?.with?.push).toBe("${{ startsWith(github.ref, 'refs/tags/') }}");
    const login = image.steps.find((s) => s.uses?.startsWith('docker/login-action@'));
    expect(login?.if).toBe("startsWith(github.ref, 'refs/tags/')");
    expect(image.permissions).toEqual({ contents: 'read', packages: 'write' });
  });
});
