import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import {
  composeSchemaErrors,
  interpolate,
  InterpolationError,
  parseCompose,
} from '../helpers/compose-spec.js';

interface Service {
  image?: string;
  build?: { context: string; target?: string };
  command?: string[];
  env_file?: string | string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  profiles?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test: string[] | string; interval?: string; start_period?: string };
  restart?: string;
  read_only?: boolean;
  tmpfs?: string[];
  stop_grace_period?: string;
  deploy?: { resources?: { limits?: { cpus?: string; memory?: string } } };
}
interface ComposeFile {
  name: string;
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const root = resolve(import.meta.dirname, '../..');
const composeDir = resolve(root, 'compose');
const files = ['dev', 'prod', 'local'] as const;
const raw = Object.fromEntries(
  files.map((f) => [f, parseCompose(readFileSync(resolve(composeDir, `${f}.yml`), 'utf8')) as unknown]),
) as Record<(typeof files)[number], ComposeFile>;

/** What a developer's env file provides for interpolation (compose --env-file). */
const sampleEnv = { NEON_API_KEY: 'napi_example', NEON_PROJECT_ID: 'example-project-123' };
const loaded = Object.fromEntries(files.map((f) => [f, interpolate(raw[f], sampleEnv)])) as Record<
  (typeof files)[number],
  ComposeFile
>;

const longRunning = (file: ComposeFile) =>
  Object.entries(file.services).filter(([, s]) => !s.profiles?.includes('migrate'));
const envFiles = (s: Service) => (s.env_file === undefined ? [] : [s.env_file].flat());
const healthTest = (s: Service) => [s.healthcheck?.test ?? []].flat().join(' ');

const dockerfile = DockerfileParser.parse(readFileSync(resolve(root, 'Dockerfile'), 'utf8'));
const dockerStages = dockerfile.getFROMs().map((from) => from.getBuildStage());

/** The runtime stage's ENV (the last stage's): what a compose service gets unless it overrides it. */
const imageEnv: Record<string, string> = {};
const lastStageLine = dockerfile.getFROMs().at(-1)?.getRange().start.line ?? 0;
for (const env of dockerfile.getENVs()) {
  if (env.getRange().start.line < lastStageLine) continue;
  for (const property of env.getProperties()) imageEnv[property.getName()] = property.getValue() ?? '';
}

/** Compose's memory notation ("512M", "2g", "1536m", bytes) in MiB. */
function mebibytes(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([bkmg]?)b?$/i.exec(value.trim());
  if (!match) throw new Error(`not a memory size: ${value}`);
  const unit = (match[2] ?? '').toLowerCase();
  const scale = { '': 1 / 1024 ** 2, b: 1 / 1024 ** 2, k: 1 / 1024, m: 1, g: 1024 }[unit] as number;
  return Number(match[1]) * scale;
}

/** The V8 heap limit (MiB) in NODE_OPTIONS, or undefined without one. */
function heapLimit(nodeOptions: string | undefined): number | undefined {
  const match = /--max-old-space-size=(\d+)/.exec(nodeOptions ?? '');
  return match ? Number(match[1]) : undefined;
}

describe.each(files)('compose/%s.yml', (name) => {
  const file = loaded[name];

  it('is valid against the Compose Specification schema', () => {
    expect(composeSchemaErrors(file)).toEqual([]);
  });

  it('names its project, so dev, prod and local stacks never share containers', () => {
    expect(file.name).toMatch(/^acquisitions/);
  });

  it('gives every long-running service a health check', () => {
    for (const [service, s] of longRunning(file)) {
      expect(healthTest(s), service).not.toBe('');
    }
  });

  it('waits on dependencies by condition, healthy where the dependency has a health check', () => {
    for (const [service, s] of Object.entries(file.services)) {
      if (s.depends_on === undefined) continue;
      expect(Array.isArray(s.depends_on), `${service}: depends_on needs conditions`).toBe(false);
      for (const [dependency, { condition }] of Object.entries(s.depends_on)) {
        const target = file.services[dependency];
        expect(target, `${service} depends on unknown ${dependency}`).toBeDefined();
        expect(condition).toBe('service_healthy');
        expect(healthTest(target as Service)).not.toBe('');
      }
    }
  });

  it('keeps secrets out: only ${VAR} references or env files', () => {
    const secretName = /(SECRET|PASSWORD|TOKEN|API_KEY|PRIVATE_KEY|CREDENTIALS?)$/i;
    // Neon Local's fixed proxy login is published in its documentation and reaches only the
    // branch the proxy created; it is not a secret.
    const publicCredentials = new Set(['neon:npg']);
    for (const [service, s] of Object.entries(raw[name].services)) {
      for (const [key, value] of Object.entries(s.environment ?? {})) {
        if (secretName.test(key)) expect(String(value), `${service}.${key}`).toMatch(/^\$\{[A-Z0-9_]+[:?}]/);
        const userinfo = /^[a-z]+:\/\/([^@/]+)@/i.exec(String(value))?.[1];
        if (userinfo?.includes(':')) {
          expect(
            publicCredentials.has(userinfo) || /^\$\{.*\}$/.test(userinfo.split(':')[1] as string),
            `${service}.${key} holds a password`,
          ).toBe(true);
        }
      }
    }
  });

  it('reads env files from the repository root, never a committed one', () => {
    const ignored = readFileSync(resolve(root, '.gitignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['.env', '.env.*', '!.env.example']));
    for (const [service, s] of Object.entries(file.services)) {
      for (const envFile of envFiles(s)) {
        const path = resolve(composeDir, envFile);
        expect(resolve(path, '..'), service).toBe(root);
        expect(envFile, service).toMatch(/^\.\.\/\.env\.(development|production)$/);
      }
    }
  });

  it('builds only stages the Dockerfile defines', () => {
    for (const [service, s] of Object.entries(file.services)) {
      if (!s.build) continue;
      expect(resolve(composeDir, s.build.context), service).toBe(root);
      expect(dockerStages, service).toContain(s.build.target);
    }
  });

  it('has a one-shot migrate service, started only on request', () => {
    const migrate = file.services.migrate as Service;
    expect(migrate.profiles).toEqual(['migrate']);
    expect(migrate.restart).toBe('no');
    expect(migrate.command?.join(' ')).toMatch(
      name === 'prod' ? /^node dist\/bin\/db-migrate\.js$/ : /db:migrate/,
    );
    expect(envFiles(migrate)).toEqual(envFiles(file.services.app as Service));
  });

  it('checks the app at /health/live on the port the image exposes', () => {
    const app = file.services.app as Service;
    expect(healthTest(app)).toContain('http://127.0.0.1:3000/health/live');
    expect(app.ports?.every((p) => p.endsWith(':3000'))).toBe(true);
    expect(app.environment?.PORT ?? '3000').toBe('3000');
  });
});

describe('compose/dev.yml: the app beside Neon Local', () => {
  const { services } = loaded.dev;
  const neon = services['neon-local'] as Service;
  const app = services.app as Service;

  it('runs Neon Local with an ephemeral branch per start, one per git branch', () => {
    expect(neon.image).toMatch(/^neondatabase\/neon_local(:|$)/);
    expect(Object.keys(raw.dev.services['neon-local']?.environment ?? {})).toEqual(
      expect.arrayContaining(['NEON_API_KEY', 'NEON_PROJECT_ID', 'PARENT_BRANCH_ID', 'DELETE_BRANCH']),
    );
    expect(neon.environment?.DELETE_BRANCH).toBe('true');
    expect(neon.volumes).toEqual(
      expect.arrayContaining([
        '../.neon_local/:/tmp/.neon_local',
        '../.git/HEAD:/tmp/.git/HEAD:ro,consistent',
      ]),
    );
  });

  it('refuses to start without the Neon credentials, naming them', () => {
    expect(() => interpolate(raw.dev, {})).toThrow(InterpolationError);
    expect(() => interpolate(raw.dev, {})).toThrow(/NEON_API_KEY/);
    expect(() => interpolate(raw.dev, { NEON_API_KEY: 'k' })).toThrow(/NEON_PROJECT_ID/);
  });

  it('runs the dev image from mounted source, watching, on .env.development', () => {
    expect(app.build?.target).toBe('dev');
    expect(app.volumes).toEqual(expect.arrayContaining(['..:/app', '/app/node_modules']));
    expect(envFiles(app)).toEqual(['../.env.development']);
    expect(app.depends_on).toEqual({ 'neon-local': { condition: 'service_healthy' } });
  });

  it('runs Neon Local in its serverless-driver mode, with a health check that mode answers', () => {
    // Neon Local's README: DRIVER=serverless for the serverless driver (older images serve
    // only the Postgres protocol otherwise); pg_isready would fail against that mode.
    expect(neon.environment?.DRIVER).toBe('serverless');
    const check = JSON.stringify(neon.healthcheck?.test);
    expect(check).not.toMatch(/pg_isready/);
    expect(check).toMatch(/create_connection\(\('127\.0\.0\.1', 5432\)/);
  });

  it('points the Neon driver at the proxy', () => {
    const url = new URL(app.environment?.DATABASE_URL ?? '');
    expect(url.hostname).toBe('neon-local');
    expect(app.environment).toMatchObject({
      DATABASE_DRIVER: 'neon',
      NEON_LOCAL_HOST: 'neon-local',
      NEON_LOCAL_PORT: '5432',
      NODE_ENV: 'development',
    });
  });
});

describe('compose/prod.yml: the runtime image alone', () => {
  const { services, volumes } = loaded.prod;
  const app = services.app as Service;

  it('has no service but the app (and the one-shot migrate)', () => {
    expect(Object.keys(services).sort()).toEqual(['app', 'migrate']);
  });

  it('runs the runtime stage read-only, restarting, within resource limits', () => {
    expect(app.build?.target).toBe('runtime');
    expect(envFiles(app)).toEqual(['../.env.production']);
    expect(app.environment?.NODE_ENV).toBe('production');
    expect(app.restart).toBe('always');
    expect(app.read_only).toBe(true);
    expect(app.tmpfs).toContain('/tmp');
    expect(app.deploy?.resources?.limits).toMatchObject({
      cpus: expect.any(String),
      memory: expect.any(String),
    });
  });

  it('writes logs only to its volume', () => {
    const logDir = app.environment?.LOG_DIR;
    expect(logDir).toBeDefined();
    expect(app.volumes).toContain(`logs:${logDir}`);
    expect(volumes).toHaveProperty('logs');
  });

  it('gives graceful shutdown more time than SHUTDOWN_DRAIN_MS and SHUTDOWN_TIMEOUT_MS together', () => {
    const setting = (name: string, fallback: number) =>
      Number(app.environment?.[name] ?? imageEnv[name] ?? fallback);
    const drainMs = setting('SHUTDOWN_DRAIN_MS', 0);
    expect(drainMs, 'the image drains before it stops accepting').toBeGreaterThan(0);
    const seconds = Number(/^(\d+)s$/.exec(app.stop_grace_period ?? '')?.[1]);
    expect(seconds * 1000).toBeGreaterThan(drainMs + setting('SHUTDOWN_TIMEOUT_MS', 10_000));
  });

  it("keeps V8's heap limit within the container's memory (NODE_OPTIONS and the limit change together)", () => {
    const heap = heapLimit(app.environment?.NODE_OPTIONS ?? imageEnv.NODE_OPTIONS);
    const memory = app.deploy?.resources?.limits?.memory;
    expect(heap, 'a heap limit, from compose or the image').toBeDefined();
    expect(memory).toBeDefined();
    // A quarter of the container is left for what is not heap: code, buffers, argon2's memory.
    expect(heap as number).toBeLessThanOrEqual(mebibytes(memory as string) * 0.75);
  });
});

describe('compose/local.yml: app, PostgreSQL and Redis without a Neon account', () => {
  const { services } = loaded.local;
  const app = services.app as Service;

  it('waits for healthy PostgreSQL and Redis and points the app at them', () => {
    expect(app.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
    expect(new URL(app.environment?.DATABASE_URL ?? '').hostname).toBe('postgres');
    expect(app.environment?.DATABASE_DRIVER).toBe('pg');
    expect(new URL(app.environment?.REDIS_URL ?? '').hostname).toBe('redis');
  });

  it('publishes neither database nor Redis beyond the stack', () => {
    expect(services.postgres?.ports).toBeUndefined();
    expect(services.redis?.ports).toBeUndefined();
  });
});

describe('the schema validation itself', () => {
  it('rejects what Compose would reject', () => {
    const broken = structuredClone(loaded.local);
    (broken.services.app as Service).depends_on = { postgres: { condition: 'service_ready' } };
    expect(composeSchemaErrors(broken).join('\n')).toMatch(/depends_on/);

    const unknownKey = structuredClone(loaded.prod) as unknown as {
      services: { app: Record<string, unknown> };
    };
    unknownKey.services.app.healthckeck = { test: ['CMD', 'true'] };
    expect(composeSchemaErrors(unknownKey)).not.toEqual([]);

    const badDuration = structuredClone(loaded.prod);
    (badDuration.services.app as Service).healthcheck = { test: ['CMD', 'true'], interval: 'PT15S' };
    expect(composeSchemaErrors(badDuration).join('\n')).toMatch(/interval/);

    const badPort = structuredClone(loaded.prod);
    (badPort.services.app as Service).ports = ['http:3000'];
    expect(composeSchemaErrors(badPort).join('\n')).toMatch(/ports/);
  });
});
