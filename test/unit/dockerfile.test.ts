import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  DockerfileParser,
  type Arg,
  type Env,
  type Instruction,
  type JSONInstruction,
  type ModifiableInstruction,
} from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { productionNodeOptions } from '../../bench/production-node-options.js';

const root = resolve(import.meta.dirname, '../..');
const dockerfile = DockerfileParser.parse(readFileSync(resolve(root, 'Dockerfile'), 'utf8'));

interface Stage {
  name: string | null;
  base: string | null;
  instructions: Instruction[];
}

/** FROM opens a stage; every instruction up to the next FROM belongs to it. */
const stages: Stage[] = [];
for (const instruction of dockerfile.getInstructions()) {
  if (instruction.getKeyword() === 'FROM') {
    const from = dockerfile
      .getFROMs()
      .find((f) => f.getRange().start.line === instruction.getRange().start.line);
    stages.push({
      name: from?.getBuildStage() ?? null,
      base: from?.getImageName() ?? null,
      instructions: [],
    });
  } else {
    stages.at(-1)?.instructions.push(instruction);
  }
}
const stage = (name: string) => stages.find((s) => s.name === name) as Stage;
const final = stages.at(-1) as Stage;
const of = (s: Stage, keyword: string) => s.instructions.filter((i) => i.getKeyword() === keyword);
const words = (i: Instruction) => i.getArguments().map((a) => a.getValue());
const json = (i: Instruction) => (i as JSONInstruction).getJSONStrings().map((a) => a.getJSONValue());
const flag = (i: Instruction, name: string) =>
  (i as ModifiableInstruction)
    .getFlags()
    .find((f) => f.getName() === name)
    ?.getValue();

describe('Dockerfile', () => {
  it('is multi-stage: dependencies, build, dev and a final runtime stage', () => {
    expect(stages.map((s) => s.name)).toEqual(['base', 'deps', 'dev', 'build', 'runtime']);
    expect(final.name).toBe('runtime');
    // The runtime starts from the bare base, not from the stage holding dev dependencies.
    expect(final.base).toBe('base');
  });

  it('builds on an Alpine Node.js LTS image', () => {
    const version = dockerfile
      .getInitialARGs()
      .map((a: Arg) => a.getProperty())
      .find((p) => p?.getName() === 'NODE_VERSION');
    expect(Number(version?.getValue()) % 2, 'LTS lines are even').toBe(0);
    expect(Number(version?.getValue())).toBeGreaterThanOrEqual(22);
    expect(stage('base').base).toBe('node');
    expect(dockerfile.getFROMs()[0]?.getImage()).toBe('node:${NODE_VERSION}-alpine');
  });

  it('runs the final stage as a non-root user', () => {
    const users = of(final, 'USER').map((u) => words(u).join(' '));
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
  });

  it('installs production dependencies only, from the lockfile', () => {
    const runs = of(final, 'RUN').map((r) => words(r).join(' '));
    expect(runs.filter((r) => /\bnpm (ci|install|i)\b/.test(r))).toEqual(['npm ci --omit=dev']);
  });

  it('copies only what start needs into the final stage', () => {
    const copies = of(final, 'COPY').map((c) => {
      const parts = words(c);
      return { from: flag(c, 'from') ?? null, sources: parts.slice(0, -1), dest: parts.at(-1) };
    });
    expect(copies).toEqual([
      { from: null, sources: ['package.json', 'package-lock.json'], dest: './' },
      // Dependencies installed from the repository (vendor/*/README.md).
      { from: null, sources: ['vendor'], dest: './vendor' },
      { from: 'build', sources: ['/app/dist'], dest: './dist' },
      { from: null, sources: ['drizzle'], dest: './drizzle' },
      {
        from: null,
        sources: ['schema/persisted-documents.json'],
        dest: './schema/persisted-documents.json',
      },
    ]);
    expect(of(final, 'ADD')).toEqual([]);
  });

  it('compiles in the build stage what the final stage copies', () => {
    const build = stage('build');
    expect(of(build, 'RUN').map((r) => words(r).join(' '))).toContain('npm run build');
    expect(of(build, 'COPY').flatMap((c) => words(c).slice(0, -1))).toEqual([
      'tsconfig.json',
      'scripts/build.mjs',
      'src',
    ]);
  });

  it('starts node under an init process, in production mode, on port 3000', () => {
    expect(json(of(final, 'ENTRYPOINT').at(-1) as Instruction)).toEqual(['/sbin/tini', '--']);
    expect(json(of(final, 'CMD').at(-1) as Instruction)).toEqual(['node', 'dist/index.js']);
    expect(of(final, 'EXPOSE').flatMap(words)).toEqual(['3000']);
    const env = of(final, 'ENV').flatMap((e) =>
      (e as Env).getProperties().map((p) => [p.getName(), p.getValue()]),
    );
    expect(env).toContainEqual(['NODE_ENV', 'production']);
    // The heap limit the benchmark also starts the service with (bench/production-node-options.ts).
    expect(env).toContainEqual(['NODE_OPTIONS', '--max-old-space-size=1536']);
    expect(productionNodeOptions()).toBe('--max-old-space-size=1536');
    expect(of(stage('base'), 'RUN').map((r) => words(r).join(' '))).toContain('apk add --no-cache tini');
  });

  it('drains on SIGTERM: /health/ready answers 503 for a few seconds before the listener closes', () => {
    const env = Object.fromEntries(
      of(final, 'ENV').flatMap((e) => (e as Env).getProperties().map((p) => [p.getName(), p.getValue()])),
    );
    expect(Number(env.SHUTDOWN_DRAIN_MS)).toBeGreaterThanOrEqual(1000);
    expect(Number(env.SHUTDOWN_DRAIN_MS)).toBeLessThanOrEqual(15_000);
  });

  it('checks /health/live without curl', () => {
    const [healthcheck] = dockerfile.getHEALTHCHECKs();
    expect(healthcheck).toBeDefined();
    expect(final.instructions).toContain(healthcheck);
    const command = words(healthcheck as Instruction).join(' ');
    expect(command).toMatch(/^CMD wget .*\/health\/live/);
    expect(command).not.toContain('curl');
    for (const name of ['interval', 'timeout', 'start-period', 'retries']) {
      expect(flag(healthcheck as Instruction, name), name).toBeTruthy();
    }
  });

  it('bakes no secrets into ENV or ARG', () => {
    const secretName = /(SECRET|PASSWORD|TOKEN|API_KEY|PRIVATE_KEY|CREDENTIALS?|DATABASE_URL)$/i;
    const names = [
      ...dockerfile.getENVs().flatMap((e: Env) => e.getProperties().map((p) => p.getName())),
      ...dockerfile.getARGs().map((a: Arg) => a.getProperty()?.getName() ?? ''),
      ...stages.flatMap((s) => of(s, 'ARG').map((a) => (a as Arg).getProperty()?.getName() ?? '')),
    ];
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((n) => secretName.test(n))).toEqual([]);
  });

  it('gives the dev stage the source and watch mode, for compose/dev.yml', () => {
    const dev = stage('dev');
    expect(dev.base).toBe('deps');
    expect(json(of(dev, 'CMD').at(-1) as Instruction)).toEqual(['npm', 'run', 'dev']);
    expect(of(dev, 'USER').map((u) => words(u).join(' '))).toEqual(['node']);
    expect(JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')).scripts.dev).toMatch(/watch/);
  });

  it('has a .dockerignore that keeps secrets and local state out of the context', () => {
    const ignore = readFileSync(resolve(root, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    expect(ignore).toEqual(
      expect.arrayContaining([
        '**/.env',
        '**/.env.*',
        '!.env.example',
        '**/node_modules',
        '.data',
        'logs',
        '.git',
        'coverage',
        'bench/results',
        '.neon_local',
      ]),
    );
    // The exception for the template must come after the rule it excepts.
    expect(ignore.indexOf('!.env.example')).toBeGreaterThan(ignore.indexOf('**/.env.*'));
  });
});
