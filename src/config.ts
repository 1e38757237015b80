import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';

/** Raised when the environment cannot be turned into a valid configuration. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const truthy = new Set(['true', '1', 'on', 'yes']);
const falsy = new Set(['false', '0', 'off', 'no']);

const flag = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => truthy.has(v) || falsy.has(v), 'must be true or false')
  .transform((v) => truthy.has(v));

const integer = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `must be an integer between ${min} and ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

/** "900", "900s", "15m", "12h", "7d" → seconds. */
const duration = z
  .string()
  .trim()
  .regex(/^\d+\s*(s|m|h|d)?$/, 'must be a duration such as 900, 15m, 12h or 7d')
  .transform((v) => {
    const n = Number.parseInt(v, 10);
    const unit = v.replace(/^\d+\s*/, '') || 's';
    return n * { s: 1, m: 60, h: 3600, d: 86400 }[unit as 's' | 'm' | 'h' | 'd'];
  })
  .pipe(z.number().int().min(1, 'must be at least one second'));

const postgresUrl = z
  .string()
  .trim()
  .refine((v) => {
    try {
      const url = new URL(v);
      return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be a postgres:// or postgresql:// URL with a host');

const redisUrl = z
  .string()
  .trim()
  .refine(
    (v) => URL.canParse(v) && ['redis:', 'rediss:'].includes(new URL(v).protocol),
    'must be a redis:// or rediss:// URL',
  );

/** "https://app.example.com, http://localhost:5173" → exact origins (scheme, host, port; no path). */
const originList = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  )
  .refine(
    (origins) => origins.every((o) => URL.canParse(o) && new URL(o).origin === o),
    'must be a comma-separated list of origins such as https://app.example.com (no path, no trailing slash, no *)',
  );

/** An OTLP/HTTP collector's base URL; the exporter posts to its /v1/traces. */
const otlpEndpoint = z
  .string()
  .trim()
  .refine(
    (v) => URL.canParse(v) && ['http:', 'https:'].includes(new URL(v).protocol),
    'must be an http:// or https:// URL such as http://collector:4318',
  );

/** OTLP's header list, "api-key=abc,x-team=core" (values percent-encoded); undefined when malformed. */
function parseOtlpHeaders(list: string): Record<string, string> | undefined {
  const headers: Record<string, string> = {};
  for (const pair of list.split(',').map((p) => p.trim())) {
    if (!pair) continue;
    const at = pair.indexOf('=');
    if (at <= 0) return undefined;
    try {
      headers[pair.slice(0, at).trim()] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      return undefined;
    }
  }
  return headers;
}

const otlpHeaders = z
  .string()
  .refine((v) => parseOtlpHeaders(v) !== undefined, 'must be a comma-separated list of name=value pairs')
  .transform((v) => parseOtlpHeaders(v) as Record<string, string>);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  PORT: integer(0, 65535).default(3000),
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_DRIVER: z.enum(['pglite', 'pg', 'neon']).optional(),
  PGLITE_DATA_DIR: z.string().trim().min(1).default('./.data/pglite'),
  NEON_LOCAL_HOST: z.string().trim().min(1).optional(),
  NEON_LOCAL_PORT: integer(1, 65535).default(5432),
  DB_POOL_MAX: integer(1, 1000).default(10),
  DB_CONNECT_TIMEOUT_MS: integer(100, 120_000).default(5000),
  DB_STATEMENT_TIMEOUT_MS: integer(0, 3_600_000).default(5000),
  DB_PREPARED_STATEMENTS: flag.default(true),
  MIGRATE_ON_START: flag.optional(),
  SEED_DEMO: flag.optional(),
  HEALTH_DB_TIMEOUT_MS: integer(50, 60_000).default(1000),
  SHUTDOWN_TIMEOUT_MS: integer(0, 600_000).default(10_000),
  SHUTDOWN_DRAIN_MS: integer(0, 600_000).default(0),
  SESSION_PURGE_INTERVAL: duration.default(60 * 60),
  SESSION_RETENTION: duration.default(7 * 86400),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_DIR: z.string().trim().min(1).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint.optional(),
  OTEL_EXPORTER_OTLP_HEADERS: otlpHeaders.optional(),
  OTEL_TRACES_SAMPLER: z
    .enum([
      'always_on',
      'always_off',
      'traceidratio',
      'parentbased_always_on',
      'parentbased_always_off',
      'parentbased_traceidratio',
    ])
    .default('parentbased_always_on'),
  OTEL_TRACES_SAMPLER_ARG: z
    .string()
    .trim()
    .regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'must be a ratio between 0 and 1, such as 0.1')
    .transform(Number)
    .default(1),
  GRAPHIQL: flag.optional(),
  INTROSPECTION: flag.optional(),
  COMPILED_READS: flag.default(true),
  METRICS: flag.optional(),
  METRICS_TOKEN: z.string().trim().min(16, 'must be at least 16 characters').optional(),
  METRICS_PORT: integer(0, 65535).optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_ISSUER: z.string().trim().min(1).default('acquisitions'),
  JWT_AUDIENCE: z.string().trim().min(1).default('acquisitions-api'),
  TOKEN_TTL: duration.default(15 * 60),
  // Unset: the defaults below, raised to TOKEN_TTL (and SESSION_IDLE_TTL) when those are longer.
  SESSION_IDLE_TTL: duration.optional(),
  SESSION_MAX_TTL: duration.optional(),
  COOKIE_SAMESITE: z.enum(['lax', 'strict', 'none']).default('lax'),
  COOKIE_SECURE: flag.optional(),
  // OWASP lists m=19 MiB/t=2 and m=7 MiB/t=5 (among others) as equal defence; the latter
  // holds 12 MiB less per hash in flight, which bounds memory under a sign-in flood
  // (bench/README.md), and costs no more CPU.
  ARGON2_MEMORY_KIB: integer(1024, 4 * 1024 * 1024).default(7_168),
  ARGON2_TIME_COST: integer(1, 100).default(5),
  ARGON2_PARALLELISM: integer(1, 64).default(1),
  ADMIN_EMAIL: z.email('must be an email address').optional(),
  ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').max(128).optional(),
  ADMIN_NAME: z.string().trim().min(2).max(255).default('Administrator'),
  API_KEYS_PER_ACCOUNT: integer(1, 1000).default(10),
  API_KEYS_TRUSTED_DOCUMENTS_ONLY: flag.default(false),
  RATE_LIMIT: flag.default(true),
  RATE_LIMIT_WINDOW: duration.default(60),
  RATE_LIMIT_GUEST: integer(1, 1_000_000).default(300),
  RATE_LIMIT_USER: integer(1, 1_000_000).default(600),
  RATE_LIMIT_API_KEY: integer(1, 1_000_000).default(1200),
  RATE_LIMIT_ADMIN: integer(1, 1_000_000).default(1200),
  RATE_LIMIT_SIGNIN_FAILURES: integer(1, 10_000).default(5),
  RATE_LIMIT_SIGNIN_WINDOW: duration.default(15 * 60),
  RATE_LIMIT_SIGNUP: integer(1, 10_000).default(5),
  RATE_LIMIT_SIGNUP_WINDOW: duration.default(60 * 60),
  RATE_LIMIT_FAIL_MODE: z.enum(['open', 'closed']).default('closed'),
  REDIS_URL: redisUrl.optional(),
  REDIS_KEY_PREFIX: z.string().trim().min(1).max(100).default('acquisitions:'),
  TRUST_PROXY: integer(0, 10).default(0),
  CORS_ORIGINS: originList.default([]),
  BOT_GUARD: flag.optional(),
  GRAPHQL_MAX_DEPTH: integer(1, 100).default(15),
  GRAPHQL_MAX_ALIASES: integer(0, 1000).default(15),
  GRAPHQL_MAX_COST: integer(1, 100_000_000).default(50_000),
  GRAPHQL_MAX_DIRECTIVES: integer(0, 1000).default(20),
  GRAPHQL_MAX_TOKENS: integer(10, 1_000_000).default(2000),
  GRAPHQL_MAX_BODY_BYTES: integer(1024, 100 * 1024 * 1024).default(100 * 1024),
  SUBSCRIPTIONS_PER_VIEWER: integer(1, 10_000).default(10),
  SUBSCRIPTIONS_MAX: integer(1, 1_000_000).default(10_000),
  SUBSCRIPTIONS_RECHECK_INTERVAL: duration.default(60),
  SUBSCRIPTIONS_KEEP_ALIVE_MS: integer(100, 600_000).default(12_000),
});

type Env = z.infer<typeof envSchema>;
export type TraceSampler = Env['OTEL_TRACES_SAMPLER'];
export type DatabaseDriver = 'pglite' | 'pg' | 'neon';

export interface DatabaseConfig {
  driver: DatabaseDriver;
  /** Postgres URL for pg and neon; a folder or memory:// for PGlite. */
  url: string;
  poolMax: number;
  /** Waiting for a pooled connection, or opening one (pg, neon). */
  connectTimeoutMs: number;
  /**
   * pg, neon: the server cancels longer statements, and the client gives up on a call
   * (waiting for its connection included) shortly after; 0 for none.
   */
  statementTimeoutMs: number;
  /** pg driver: send parameterized statements as named prepared statements. */
  preparedStatements: boolean;
  /** Neon Local's proxy (compose/dev.yml): WebSocket over plain HTTP on its own port. */
  neonLocal?: { host: string; port: number };
}

export interface Config {
  env: Env['NODE_ENV'];
  isProduction: boolean;
  host: string;
  port: number;
  database: DatabaseConfig;
  migrateOnStart: boolean;
  seedDemo: boolean;
  healthDbTimeoutMs: number;
  /** After the drain: in-flight requests, then closing the database and Redis. */
  shutdownTimeoutMs: number;
  /** On SIGTERM, /health/ready answers 503 this long while requests are still served. */
  shutdownDrainMs: number;
  /** Expired and revoked sessions are deleted once they are `retentionMs` old, every `intervalMs`. */
  sessionPurge: { intervalMs: number; retentionMs: number };
  log: { level: Env['LOG_LEVEL']; dir?: string; pretty: boolean };
  /**
   * OpenTelemetry traces, exported over OTLP/HTTP to `url`; absent: no tracing at all.
   * `sampler` as OpenTelemetry's OTEL_TRACES_SAMPLER names them, `ratio` for the ratio ones.
   */
  tracing?: { url: string; headers: Record<string, string>; sampler: TraceSampler; ratio: number };
  graphiql: boolean;
  /** Answer introspection queries; /schema.graphql serves the SDL either way. */
  introspection: boolean;
  /** Serve public read queries with one statement that builds the JSON in Postgres (src/graphql/compiled-reads). */
  compiledReads: boolean;
  /** /metrics (Prometheus): behind a bearer token when `token` is set, on its own listener when `port` is. */
  metrics: { enabled: boolean; token?: string; port?: number };
  auth: {
    jwtSecret: string;
    /** True when no JWT_SECRET was given and one was made up for this process. */
    jwtSecretGenerated: boolean;
    issuer: string;
    audience: string;
    /** How long one access token (and the JWT in the cookie) is valid. */
    tokenTtlSeconds: number;
    /**
     * A session ends `idleTtlSeconds` after its last use, and `maxTtlSeconds` after sign-in
     * however active; until then its tokens are renewed (src/auth/session-renewal.ts).
     */
    session: { idleTtlSeconds: number; maxTtlSeconds: number };
    cookie: { sameSite: 'lax' | 'strict' | 'none'; secure: boolean };
    argon2: { memoryCost: number; timeCost: number; parallelism: number };
    /** Live (not revoked, not expired) API keys one account may hold. */
    apiKeysPerAccount: number;
    /** Every API key may run trusted documents only, whatever it was created with. */
    apiKeysTrustedDocumentsOnly: boolean;
  };
  bootstrapAdmin?: { email: string; password: string; name: string };
  /** Budgets count root fields per window; sign-in counts failures, sign-up every attempt. */
  rateLimit: {
    enabled: boolean;
    windowMs: number;
    budgets: { guest: number; user: number; apiKey: number; admin: number };
    signIn: { max: number; windowMs: number };
    signUp: { max: number; windowMs: number };
    /** While Redis is unreachable: refuse signIn/signUp ('closed') or admit them ('open'). */
    failMode: 'open' | 'closed';
  };
  /** Shares rate limits between instances; in-process limits without it. */
  redis?: { url: string; keyPrefix: string };
  /** Proxy hops whose X-Forwarded-For entries are believed (0: the socket address only). */
  trustProxyHops: number;
  /** Browser origins allowed to call the API with credentials (empty: same origin only). */
  corsOrigins: string[];
  /** Refuse signUp/signIn from user agents that look automated. */
  botGuard: boolean;
  operationLimits: {
    maxDepth: number;
    maxAliases: number;
    maxCost: number;
    maxDirectives: number;
    maxTokens: number;
    maxBodyBytes: number;
    /** "Did you mean …?" in any error message (off in production: a map of the schema). */
    fieldSuggestions: boolean;
  };
  /** Open subscriptions per viewer (guests: per client IP) and per instance; credential re-check period. */
  subscriptions: { perViewer: number; max: number; recheckMs: number; keepAliveMs: number };
}

function pickDriver(env: Env): DatabaseDriver {
  if (env.DATABASE_DRIVER) return env.DATABASE_DRIVER;
  if (!env.DATABASE_URL) return 'pglite';
  return new URL(env.DATABASE_URL).hostname.endsWith('.neon.tech') ? 'neon' : 'pg';
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`).join('; ');
}

/**
 * Reads `.env.<NODE_ENV>` then `.env` from `cwd`; variables already in the
 * environment win, so a deployment can override any file.
 */
export function readEnvFiles(
  env: NodeJS.ProcessEnv,
  cwd = process.cwd(),
): Record<string, string | undefined> {
  const nodeEnv = env.NODE_ENV ?? 'development';
  const merged: Record<string, string | undefined> = {};
  for (const name of ['.env', `.env.${nodeEnv}`]) {
    const path = resolve(cwd, name);
    if (existsSync(path)) Object.assign(merged, parseEnv(readFileSync(path, 'utf8')));
  }
  return { ...merged, ...env };
}

const defaultSessionIdleTtl = 30 * 60;
const defaultSessionMaxTtl = 7 * 86400;

/**
 * TOKEN_TTL ≤ SESSION_IDLE_TTL ≤ SESSION_MAX_TTL: a token outliving the idle timeout or the
 * session itself would promise what the session no longer grants. An unset lifetime takes
 * its default, raised to the shorter one when that is longer (TOKEN_TTL=1h alone still works).
 */
function sessionLifetimes(env: Env): Config['auth']['session'] {
  const idleTtlSeconds = env.SESSION_IDLE_TTL ?? Math.max(defaultSessionIdleTtl, env.TOKEN_TTL);
  const maxTtlSeconds = env.SESSION_MAX_TTL ?? Math.max(defaultSessionMaxTtl, idleTtlSeconds);
  if (env.TOKEN_TTL > idleTtlSeconds) {
    throw new ConfigError(
      `TOKEN_TTL: must not exceed SESSION_IDLE_TTL (${idleTtlSeconds}s): a token would outlive its idle session`,
    );
  }
  if (idleTtlSeconds > maxTtlSeconds) {
    throw new ConfigError(
      `SESSION_IDLE_TTL: must not exceed SESSION_MAX_TTL (${maxTtlSeconds}s), the most a session lasts`,
    );
  }
  return { idleTtlSeconds, maxTtlSeconds };
}

/** Parses the environment once; throws ConfigError naming every wrong variable. */
export function loadConfig(source: Record<string, string | undefined>): Config {
  // Empty strings mean "unset", as they do in .env files and compose.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error));
  const env = parsed.data;
  const isProduction = env.NODE_ENV === 'production';

  const driver = pickDriver(env);
  if (driver !== 'pglite' && !env.DATABASE_URL) {
    throw new ConfigError(`DATABASE_URL: is required when DATABASE_DRIVER is ${driver}`);
  }
  if (isProduction && !env.JWT_SECRET) {
    throw new ConfigError('JWT_SECRET: is required in production (at least 32 random characters)');
  }
  if ((env.ADMIN_EMAIL === undefined) !== (env.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError('ADMIN_EMAIL and ADMIN_PASSWORD: set both to bootstrap an admin, or neither');
  }
  const metricsEnabled = env.METRICS ?? !isProduction;
  if (isProduction && metricsEnabled && !env.METRICS_TOKEN && env.METRICS_PORT === undefined) {
    throw new ConfigError(
      'METRICS: in production /metrics needs METRICS_TOKEN or METRICS_PORT, so it is never public by accident',
    );
  }
  if (env.METRICS_PORT !== undefined && env.METRICS_PORT !== 0 && env.METRICS_PORT === env.PORT) {
    throw new ConfigError('METRICS_PORT: must differ from PORT');
  }
  if (env.COOKIE_SAMESITE === 'none' && env.COOKIE_SECURE === false) {
    throw new ConfigError('COOKIE_SAMESITE: none requires COOKIE_SECURE=true (browsers refuse it otherwise)');
  }

  const session = sessionLifetimes(env);

  const embedded = driver === 'pglite';
  return {
    env: env.NODE_ENV,
    isProduction,
    host: env.HOST,
    port: env.PORT,
    database: {
      driver,
      url: embedded ? env.PGLITE_DATA_DIR : (env.DATABASE_URL as string),
      poolMax: env.DB_POOL_MAX,
      connectTimeoutMs: env.DB_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
      preparedStatements: env.DB_PREPARED_STATEMENTS,
      neonLocal: env.NEON_LOCAL_HOST ? { host: env.NEON_LOCAL_HOST, port: env.NEON_LOCAL_PORT } : undefined,
    },
    migrateOnStart: env.MIGRATE_ON_START ?? (embedded || env.NODE_ENV !== 'production'),
    seedDemo: env.SEED_DEMO ?? (embedded && env.NODE_ENV === 'development'),
    healthDbTimeoutMs: env.HEALTH_DB_TIMEOUT_MS,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    shutdownDrainMs: env.SHUTDOWN_DRAIN_MS,
    sessionPurge: {
      intervalMs: env.SESSION_PURGE_INTERVAL * 1000,
      retentionMs: env.SESSION_RETENTION * 1000,
    },
    log: { level: env.LOG_LEVEL, dir: env.LOG_DIR, pretty: env.NODE_ENV === 'development' },
    tracing: env.OTEL_EXPORTER_OTLP_ENDPOINT
      ? {
          // As the OTLP exporter specification joins a base endpoint and the signal's path.
          url: `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`,
          headers: env.OTEL_EXPORTER_OTLP_HEADERS ?? {},
          sampler: env.OTEL_TRACES_SAMPLER,
          ratio: env.OTEL_TRACES_SAMPLER_ARG,
        }
      : undefined,
    graphiql: env.GRAPHIQL ?? !isProduction,
    introspection: env.INTROSPECTION ?? true,
    compiledReads: env.COMPILED_READS,
    metrics: { enabled: metricsEnabled, token: env.METRICS_TOKEN, port: env.METRICS_PORT },
    auth: {
      jwtSecret: env.JWT_SECRET ?? randomBytes(48).toString('base64url'),
      jwtSecretGenerated: env.JWT_SECRET === undefined,
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      tokenTtlSeconds: env.TOKEN_TTL,
      session,
      cookie: { sameSite: env.COOKIE_SAMESITE, secure: env.COOKIE_SECURE ?? isProduction },
      argon2: {
        memoryCost: env.ARGON2_MEMORY_KIB,
        timeCost: env.ARGON2_TIME_COST,
        parallelism: env.ARGON2_PARALLELISM,
      },
      apiKeysPerAccount: env.API_KEYS_PER_ACCOUNT,
      apiKeysTrustedDocumentsOnly: env.API_KEYS_TRUSTED_DOCUMENTS_ONLY,
    },
    bootstrapAdmin:
      env.ADMIN_EMAIL && env.ADMIN_PASSWORD
        ? { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD, name: env.ADMIN_NAME }
        : undefined,
    rateLimit: {
      enabled: env.RATE_LIMIT,
      windowMs: env.RATE_LIMIT_WINDOW * 1000,
      budgets: {
        guest: env.RATE_LIMIT_GUEST,
        user: env.RATE_LIMIT_USER,
        apiKey: env.RATE_LIMIT_API_KEY,
        admin: env.RATE_LIMIT_ADMIN,
      },
      signIn: { max: env.RATE_LIMIT_SIGNIN_FAILURES, windowMs: env.RATE_LIMIT_SIGNIN_WINDOW * 1000 },
      signUp: { max: env.RATE_LIMIT_SIGNUP, windowMs: env.RATE_LIMIT_SIGNUP_WINDOW * 1000 },
      failMode: env.RATE_LIMIT_FAIL_MODE,
    },
    redis: env.REDIS_URL ? { url: env.REDIS_URL, keyPrefix: env.REDIS_KEY_PREFIX } : undefined,
    trustProxyHops: env.TRUST_PROXY,
    corsOrigins: env.CORS_ORIGINS,
    botGuard: env.BOT_GUARD ?? isProduction,
    operationLimits: {
      maxDepth: env.GRAPHQL_MAX_DEPTH,
      maxAliases: env.GRAPHQL_MAX_ALIASES,
      maxCost: env.GRAPHQL_MAX_COST,
      maxDirectives: env.GRAPHQL_MAX_DIRECTIVES,
      maxTokens: env.GRAPHQL_MAX_TOKENS,
      maxBodyBytes: env.GRAPHQL_MAX_BODY_BYTES,
      fieldSuggestions: !isProduction,
    },
    subscriptions: {
      perViewer: env.SUBSCRIPTIONS_PER_VIEWER,
      max: env.SUBSCRIPTIONS_MAX,
      recheckMs: env.SUBSCRIPTIONS_RECHECK_INTERVAL * 1000,
      keepAliveMs: env.SUBSCRIPTIONS_KEEP_ALIVE_MS,
    },
  };
}
