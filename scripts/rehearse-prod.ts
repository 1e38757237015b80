/**
 * `npm run rehearse:prod`: the production image's runtime, rehearsed without Docker.
 *
 * In a fresh temporary folder: a clone of this repository's HEAD (committed work only),
 * `npm ci` and the build (the Dockerfile's deps and build stages), then the Dockerfile's
 * runtime stage read instruction by instruction — its COPYs fill a second folder, its npm RUNs
 * (`npm ci --omit=dev`) run there, its ENV and CMD start the service. Against a throwaway
 * database on the local PostgreSQL it applies the migrations with compose/prod.yml's migrate
 * command, starts the service as the image would (NODE_ENV=production, nothing but the
 * runtime folder, no .env file, MIGRATE_ON_START=false), probes it, stops it with SIGTERM and
 * expects exit 0. Everything it made is removed at the end, pass or fail.
 *
 * REHEARSAL_DATABASE_URL: an administrative connection (default postgres://postgres@127.0.0.1:5432/postgres).
 * REHEARSAL_KEEP=1 keeps the temporary folder for inspection.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, posix } from 'node:path';
import {
  DockerfileParser,
  type Env,
  type Instruction,
  type JSONInstruction,
  type ModifiableInstruction,
} from 'dockerfile-ast';
import pg from 'pg';
import { parse } from 'yaml';

const adminUrl = process.env.REHEARSAL_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const keep = process.env.REHEARSAL_KEEP === '1';
const startDeadlineMs = 30_000;

class RehearsalError extends Error {
  override name = 'RehearsalError';
}

const log = (line: string) => process.stdout.write(`rehearse: ${line}\n`);
const fail = (message: string): never => {
  throw new RehearsalError(message);
};

let stepNumber = 0;
const stepCount = 10;
async function step<T>(title: string, work: () => T | Promise<T>): Promise<T> {
  stepNumber += 1;
  log(`[${stepNumber}/${stepCount}] ${title}`);
  const started = Date.now();
  try {
    const result = await work();
    log(`      ok (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return result;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new RehearsalError(`step ${stepNumber} (${title}) failed: ${reason}`);
  }
}

/** The environment for tools: this process's, minus what `npm run` and the shell set for it. */
function toolEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('npm_') && key !== 'NODE_ENV'),
  );
  return { ...env, ...extra };
}

/** Runs a command to completion; on failure the error carries the end of its output. */
function run(command: string, args: string[], cwd: string, env = toolEnv()): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolvePromise(output);
      else {
        const tail = output.trim().split('\n').slice(-30).join('\n');
        reject(new Error(`\`${[command, ...args].join(' ')}\` exited with ${code}\n${tail}`));
      }
    });
  });
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

interface RuntimeStage {
  /** The stage's instructions, FROM excluded. */
  instructions: Instruction[];
  workdir: string;
}

/** The Dockerfile's last stage, with the WORKDIR it inherits from the stages it builds on. */
function runtimeStage(dockerfileText: string): RuntimeStage {
  const dockerfile = DockerfileParser.parse(dockerfileText);
  const stages: { name: string | null; base: string | null; instructions: Instruction[] }[] = [];
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
    } else stages.at(-1)?.instructions.push(instruction);
  }
  const final = stages.at(-1) ?? fail('the Dockerfile has no stage');
  const workdirOf = (stage: (typeof stages)[number] | undefined): string => {
    if (!stage) return '/';
    const own = stage.instructions.filter((i) => i.getKeyword() === 'WORKDIR').at(-1);
    if (own) return own.getArguments()[0]?.getValue() ?? '/';
    return workdirOf(stages.find((s) => s.name === stage.base));
  };
  return { instructions: final.instructions, workdir: workdirOf(final) };
}

const argumentsOf = (i: Instruction) => i.getArguments().map((a) => a.getValue());
const jsonOf = (i: Instruction) => (i as JSONInstruction).getJSONStrings().map((a) => a.getJSONValue());
const flagOf = (i: Instruction, name: string) =>
  (i as ModifiableInstruction)
    .getFlags()
    .find((f) => f.getName() === name)
    ?.getValue();

/** A free TCP port on 127.0.0.1 for the service. */
function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePromise(address.port) : reject()));
    });
  });
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function fetchJson(url: string, init?: RequestInit): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(5000) });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as unknown };
  } catch {
    return { status: response.status, body: text };
  }
}

function expectThat(condition: boolean, message: string): void {
  if (!condition) fail(message);
}

async function main(): Promise<void> {
  const repository = git(dirname(new URL(import.meta.url).pathname), 'rev-parse', '--show-toplevel');
  const commit = git(repository, 'rev-parse', 'HEAD');
  log(`rehearsing commit ${commit.slice(0, 12)} of ${repository}`);
  if (git(repository, 'status', '--porcelain') !== '') {
    log('note: uncommitted changes are not part of the rehearsal (it clones HEAD)');
  }

  const workspace = mkdtempSync(join(tmpdir(), 'acquisitions-rehearsal-'));
  const source = join(workspace, 'source');
  const runtime = join(workspace, 'runtime');
  const databaseName = `acq_rehearsal_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  let databaseCreated = false;
  let service: ChildProcess | undefined;
  let serviceLog = '';

  try {
    await step(`clone HEAD into ${workspace}`, async () => {
      await run('git', ['clone', '--quiet', '--no-checkout', repository, source], workspace);
      await run('git', ['checkout', '--quiet', '--detach', commit], source);
      if (!existsSync(join(source, 'Dockerfile')))
        fail(`commit ${commit.slice(0, 12)} has no Dockerfile to rehearse`);
    });

    await step('npm ci (all dependencies, as the deps stage)', () =>
      run('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], source),
    );

    await step('npm run build (as the build stage)', () => run('npm', ['run', 'build'], source));

    const stage = runtimeStage(readFileSync(join(source, 'Dockerfile'), 'utf8'));
    const runtimeEnv: Record<string, string> = {};
    let command: string[] | undefined;
    let healthPath = '/health/live';
    await step(`runtime stage into ${runtime}, instruction by instruction`, async () => {
      mkdirSync(runtime);
      // The image's WORKDIR is the runtime folder; the build stage's is the clone.
      const inRuntime = (path: string) =>
        join(runtime, posix.relative(stage.workdir, posix.resolve(stage.workdir, path)));
      const fromBuild = (path: string) => join(source, posix.relative(stage.workdir, path));
      for (const instruction of stage.instructions) {
        const keyword = instruction.getKeyword();
        if (keyword === 'COPY' || keyword === 'ADD') {
          const parts = argumentsOf(instruction);
          const destination = parts.at(-1) ?? fail(`${keyword} without a destination`);
          const from = flagOf(instruction, 'from');
          for (const sourcePath of parts.slice(0, -1)) {
            const origin = from ? fromBuild(sourcePath) : join(source, sourcePath);
            if (!existsSync(origin)) fail(`${keyword} ${sourcePath}: not found at ${origin}`);
            const target = statSync(origin).isDirectory()
              ? inRuntime(destination)
              : destination.endsWith('/')
                ? join(inRuntime(destination), basename(origin))
                : inRuntime(destination);
            cpSync(origin, target, { recursive: true });
            log(`      ${keyword}${from ? ` --from=${from}` : ''} ${sourcePath} -> ${destination}`);
          }
        } else if (keyword === 'RUN') {
          const words = argumentsOf(instruction);
          if (words[0] === 'npm') {
            log(`      RUN ${words.join(' ')}`);
            await run(
              'npm',
              [...words.slice(1), '--no-audit', '--no-fund', '--prefer-offline'],
              runtime,
              toolEnv(runtimeEnv),
            );
          } else log(`      skipped, image-only: RUN ${words.join(' ')}`);
        } else if (keyword === 'ENV') {
          for (const property of (instruction as Env).getProperties()) {
            runtimeEnv[property.getName()] = property.getValue() ?? '';
          }
        } else if (keyword === 'CMD') {
          command = jsonOf(instruction);
        } else if (keyword === 'HEALTHCHECK') {
          healthPath = /\/health[\w/]*/.exec(argumentsOf(instruction).join(' '))?.[0] ?? healthPath;
        }
      }
      const contents = readdirSync(runtime).sort();
      log(`      runtime folder holds: ${contents.join(', ')}`);
      expectThat(existsSync(join(runtime, 'node_modules')), 'the runtime stage installed no node_modules');
      for (const devOnly of ['typescript', 'vitest', 'tsx', 'playwright-core']) {
        expectThat(
          !existsSync(join(runtime, 'node_modules', devOnly)),
          `dev dependency ${devOnly} is in the runtime`,
        );
      }
      // GRAPHIQL=true serves GraphiQL's files from this package, read at run time.
      expectThat(
        existsSync(join(runtime, 'node_modules', '@graphql-yoga', 'render-graphiql', 'package.json')),
        '@graphql-yoga/render-graphiql is not in the runtime: with GRAPHIQL=true, /graphql would serve no page',
      );
      expectThat(runtimeEnv.NODE_ENV === 'production', 'the runtime stage does not set NODE_ENV=production');
      expectThat(command !== undefined, 'the runtime stage has no CMD');
    });

    const port = await freePort();
    const databaseUrl = (() => {
      const url = new URL(adminUrl);
      url.pathname = `/${databaseName}`;
      return url.toString();
    })();
    // Only what a container would be given: the image's ENV and the deployment's variables.
    const serviceEnv: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: runtime,
      ...runtimeEnv,
      DATABASE_URL: databaseUrl,
      JWT_SECRET: randomBytes(48).toString('base64url'),
      MIGRATE_ON_START: 'false',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
    };

    await step(`create the throwaway database ${databaseName}`, async () => {
      await adminQuery(`create database ${databaseName}`);
      databaseCreated = true;
    });

    await step('apply migrations as compose/prod.yml does', async () => {
      const compose = parse(readFileSync(join(source, 'compose/prod.yml'), 'utf8'), { merge: true }) as {
        services?: { migrate?: { command?: string[] } };
      };
      const migrate = compose.services?.migrate?.command ?? fail('compose/prod.yml has no migrate command');
      log(`      ${migrate.join(' ')}`);
      const [program, ...args] = migrate;
      const output = await run(
        program === 'node' ? process.execPath : (program as string),
        args,
        runtime,
        serviceEnv,
      );
      log(`      ${output.trim().split('\n').at(-1) ?? ''}`);
    });

    await step(
      `start \`${(command ?? []).join(' ')}\` with NODE_ENV=production on port ${port}`,
      async () => {
        const [program, ...args] = command ?? [];
        const child = spawn(program === 'node' ? process.execPath : (program as string), args, {
          cwd: runtime,
          env: serviceEnv,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        service = child;
        child.stdout?.on('data', (chunk: Buffer) => (serviceLog += chunk.toString()));
        child.stderr?.on('data', (chunk: Buffer) => (serviceLog += chunk.toString()));
        const deadline = Date.now() + startDeadlineMs;
        for (;;) {
          if (child.exitCode !== null) fail(`the service exited with ${child.exitCode} before answering`);
          const answered = await fetch(`http://127.0.0.1:${port}${healthPath}`, {
            signal: AbortSignal.timeout(1000),
          })
            .then((r) => r.status === 200)
            .catch(() => false);
          if (answered) break;
          if (Date.now() > deadline)
            fail(`${healthPath} did not answer 200 within ${startDeadlineMs / 1000} s`);
          await new Promise((r) => setTimeout(r, 100));
        }
      },
    );

    await step('probe health, GraphQL, metrics and logs', async () => {
      const base = `http://127.0.0.1:${port}`;
      const live = await fetchJson(`${base}/health/live`);
      expectThat(live.status === 200, `/health/live answered ${live.status}`);
      const health = await fetchJson(`${base}/health`);
      const checks = health.body as { status?: string; checks?: { database?: { status?: string } } };
      expectThat(
        health.status === 200 && checks.status === 'ok' && checks.checks?.database?.status === 'ok',
        `/health answered ${health.status} ${JSON.stringify(health.body)}`,
      );
      log('      /health/live 200, /health 200 with the database ok');
      const ready = await fetchJson(`${base}/health/ready`);
      expectThat(ready.status === 200, `/health/ready answered ${ready.status}`);
      const graphql = await fetchJson(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'query Rehearsal { __typename }' }),
      });
      expectThat(
        graphql.status === 200 && JSON.stringify(graphql.body) === '{"data":{"__typename":"Query"}}',
        `/graphql answered ${graphql.status} ${JSON.stringify(graphql.body)}`,
      );
      log('      POST /graphql { __typename } -> Query');
      // The manifest ships with the image: a trusted document runs by its id.
      const manifest = JSON.parse(
        readFileSync(join(runtime, 'schema/persisted-documents.json'), 'utf8'),
      ) as Record<string, string>;
      const documentId = Object.keys(manifest).find((id) =>
        /^fragment .* query Companies\(/.test(manifest[id] ?? ''),
      );
      expectThat(documentId !== undefined, 'the shipped manifest has no Companies query');
      const named = await fetchJson(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ documentId, variables: { first: 1 } }),
      });
      expectThat(
        named.status === 200 &&
          typeof (named.body as { data?: { companies?: unknown } }).data?.companies === 'object',
        `/graphql by documentId answered ${named.status} ${JSON.stringify(named.body)}`,
      );
      log('      POST /graphql { documentId: <Companies> } -> companies');
      const metrics = await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(5000) });
      expectThat(metrics.status !== 200, '/metrics is public in production without METRICS=true');
      log(`      /metrics not served publicly (${metrics.status})`);
      const firstLine = serviceLog.split('\n').find((line) => line.trim() !== '') ?? '';
      expectThat(
        (() => {
          try {
            return typeof JSON.parse(firstLine) === 'object';
          } catch {
            return false;
          }
        })(),
        `logs are not JSON lines: ${firstLine.slice(0, 200)}`,
      );
    });

    await step('SIGTERM, expecting a graceful exit 0', async () => {
      const child = service as ChildProcess;
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      const code = await Promise.race([
        exited,
        new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000).unref()),
      ]);
      expectThat(code !== 'timeout', 'the service did not exit within 20 s of SIGTERM');
      expectThat(code === 0, `the service exited with ${String(code)} after SIGTERM`);
      service = undefined;
    });

    log(`PASSED: commit ${commit.slice(0, 12)} starts, serves and stops from only the runtime files`);
  } catch (error) {
    if (serviceLog) {
      process.stderr.write(
        `rehearse: the service's last log lines:\n${serviceLog.trim().split('\n').slice(-20).join('\n')}\n`,
      );
    }
    throw error;
  } finally {
    await step('clean up', async () => {
      if (service && service.exitCode === null) service.kill('SIGKILL');
      if (databaseCreated) await adminQuery(`drop database if exists ${databaseName} with (force)`);
      if (keep) log(`      kept ${workspace} (REHEARSAL_KEEP=1)`);
      // rm(1) removes two node_modules trees several times faster than fs.rmSync here.
      else await run('rm', ['-rf', workspace], tmpdir());
    }).catch((error: unknown) => {
      process.stderr.write(
        `rehearse: cleanup incomplete: ${error instanceof Error ? error.message : String(error)}\n`,
      );
    });
  }
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`rehearse: FAILED — ${message}\n`);
  process.exit(1);
});
