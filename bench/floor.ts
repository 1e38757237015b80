/**
 * The floor: what Node + Postgres can do for the benchmark's operations with no
 * GraphQL at all. node:http + pg; each read is one hand-written, prepared SQL
 * statement that builds the whole response JSON in Postgres (json_build_object /
 * json_agg) and hands it back as text, written to the socket as is. It answers
 * the same POST /graphql bodies the service gets (dispatching on operationName)
 * with the same JSON shape, so bench/run.ts can compare the two answers.
 *
 * Environment: DATABASE_URL, HOST, PORT, POOL_MAX, JWT_SECRET, JWT_ISSUER,
 * JWT_AUDIENCE, TOKEN_TTL_SECONDS.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import argon2 from 'argon2';
import { jwtVerify, SignJWT } from 'jose';
import pg from 'pg';

function env(name: string, fallback?: string): string {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`floor: ${name} is required`);
  return value;
}

const pool = new pg.Pool({ connectionString: env('DATABASE_URL'), max: Number(env('POOL_MAX', '10')) });
pool.on('error', () => undefined);
const key = new TextEncoder().encode(env('JWT_SECRET'));
const issuer = env('JWT_ISSUER', 'acquisitions');
const audience = env('JWT_AUDIENCE', 'acquisitions-api');
const tokenTtlSeconds = Number(env('TOKEN_TTL_SECONDS', '900'));

/** Relay global ids are base64("Type:id"). */
const globalId = (type: string, column: string) =>
  `encode(convert_to('${type}:' || ${column}, 'UTF8'), 'base64')`;

/** An acquisition as the benchmark's queries select it; `a` is the acquisitions row. */
function acquisitionNode(withAcquirer: boolean): string {
  return `json_build_object(
    'status', upper(a.status::text),
    'price', case when a.price_amount is null then null
                  else json_build_object('amount', a.price_amount::text, 'currency', a.currency) end,
    'announcedOn', a.announced_on,
    ${withAcquirer ? `'closedOn', a.closed_on,\n    'acquirer', json_build_object('name', (select c.name from companies c where c.id = a.acquirer_id)),` : ''}
    'target', json_build_object('name', (select c.name from companies c where c.id = a.target_id)))`;
}

// The service's ordering: unknown dates sort as the earliest (schema.ts announcedOnSortKey),
// ties broken by id; both pages are index range scans over that key.
const sortKey = `coalesce(announced_on, '-infinity'::date)`;
const newestFirst = `${sortKey} desc, id desc`;
const columns = 'id, status, price_amount, currency, announced_on, closed_on, acquirer_id, target_id';

/**
 * The cursor the service issues for a row in this ordering: base64 of
 * `DC:T:["S:<sort key>","N:<id>"]` (to_json quotes as JSON.stringify does), without the
 * line breaks Postgres puts in base64.
 */
const newestFirstCursor = `translate(encode(convert_to('DC:T:[' || to_json('S:' || ${sortKey}::text)::text
  || ',' || to_json('N:' || id::text)::text || ']', 'UTF8'), 'base64'), E'\\n', '')`;

// Names are looked up with one small sub-query per row after the LIMIT: joining
// companies twice makes Postgres scan companies (three times slower).
const statements = {
  acquisitions: {
    name: 'floor_acquisitions',
    text: `select json_build_object('data', json_build_object('acquisitions', json_build_object('edges',
             coalesce(json_agg(json_build_object('node', ${acquisitionNode(true)}) order by a.ord), '[]'::json))))::text
             as body
           from (select ${columns}, row_number() over (order by ${newestFirst}) as ord
                 from acquisitions order by ${newestFirst} limit $1) a`,
  },
  // The page after a cursor: a keyset range scan taking one row more than the page, which
  // only tells whether a next page exists; the page's last row gives its endCursor.
  acquisitionsAfter: {
    name: 'floor_acquisitions_after',
    text: `with page as (
             select ${columns}, row_number() over (order by ${newestFirst}) as ord
             from acquisitions where (${sortKey}, id) < ($1::date, $2::int)
             order by ${newestFirst} limit $3::int + 1)
           select json_build_object('data', json_build_object('acquisitions', json_build_object(
             'edges', coalesce(json_agg(json_build_object('node', ${acquisitionNode(true)}) order by a.ord)
                        filter (where a.ord <= $3::int), '[]'::json),
             'pageInfo', json_build_object(
               'hasNextPage', count(*) > $3::int,
               'endCursor', (select ${newestFirstCursor} from page where ord <= $3::int order by ord desc limit 1)))))::text
             as body
           from page a`,
  },
  company: {
    name: 'floor_company',
    text: `select json_build_object('data', json_build_object('company', (
             select json_build_object('name', co.name, 'acquisitions', json_build_object('edges', coalesce((
               select json_agg(json_build_object('node', ${acquisitionNode(false)}) order by a.ord)
               from (select ${columns}, row_number() over (order by ${newestFirst}) as ord
                     from acquisitions where acquirer_id = co.id order by ${newestFirst} limit $2) a),
               '[]'::json)))
             from companies co where co.id = $1)))::text as body`,
  },
  me: {
    name: 'floor_me',
    text: `select json_build_object('data', json_build_object('me', (
             select json_build_object('id', ${globalId('User', 'u.id')}, 'name', u.name, 'email', u.email,
                                      'role', upper(u.role::text))
             from sessions s join users u on u.id = s.user_id
             where s.id = $1 and s.user_id = $2 and s.revoked_at is null and s.expires_at > now()
             limit 1)))::text as body`,
  },
  userByEmail: {
    name: 'floor_user_by_email',
    text: `select id, password_hash from users where lower(email) = lower($1)`,
  },
  createSession: {
    name: 'floor_create_session',
    text: `insert into sessions (user_id, expires_at, user_agent) values ($1, $2, $3) returning id`,
  },
};

async function json(name: keyof typeof statements, values: unknown[]): Promise<string> {
  const result = await pool.query<{ body: string }>({ ...statements[name], values });
  return result.rows[0]?.body ?? '{"data":null}';
}

interface Body {
  operationName?: string;
  variables?: Record<string, unknown>;
}

function databaseId(id: unknown): number {
  const [, raw] = Buffer.from(String(id), 'base64').toString('utf8').split(':');
  return Number(raw);
}

/** The sort key and id in a cursor of the service's announcedOn ordering. */
function announcedOnCursor(cursor: unknown): [string, number] {
  const text = Buffer.from(String(cursor), 'base64').toString('utf8');
  const [key, id] = text.startsWith('DC:T:') ? (JSON.parse(text.slice(5)) as unknown[]) : [];
  if (typeof key !== 'string' || typeof id !== 'string' || !key.startsWith('S:') || !id.startsWith('N:')) {
    throw new Error('floor: not a cursor of the announcedOn ordering');
  }
  return [key.slice(2), Number(id.slice(2))];
}

async function me(req: IncomingMessage): Promise<string> {
  const token = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
  const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer, audience });
  return json('me', [payload.sid, Number(payload.sub)]);
}

async function signIn(req: IncomingMessage, input: { email: string; password: string }): Promise<string> {
  const found = await pool.query<{ id: number; password_hash: string }>({
    ...statements.userByEmail,
    values: [input.email],
  });
  const user = found.rows[0];
  if (!user || !(await argon2.verify(user.password_hash, input.password))) {
    return JSON.stringify({ data: null, errors: [{ message: 'Wrong email or password.' }] });
  }
  const expiresAt = new Date(Date.now() + tokenTtlSeconds * 1000);
  const session = await pool.query<{ id: string }>({
    ...statements.createSession,
    values: [user.id, expiresAt, req.headers['user-agent']?.slice(0, 512) ?? null],
  });
  const token = await new SignJWT({ sid: session.rows[0]?.id })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(String(user.id))
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(key);
  return JSON.stringify({
    data: { signIn: { token, expiresAt: expiresAt.toISOString(), user: { id: btoa(`User:${user.id}`) } } },
  });
}

async function answer(req: IncomingMessage, body: Body): Promise<string> {
  const variables = body.variables ?? {};
  switch (body.operationName) {
    case 'BenchAcquisitions':
      return json('acquisitions', [50]);
    case 'BenchAcquisitionsAfter':
      return json('acquisitionsAfter', [...announcedOnCursor(variables.after), 50]);
    case 'BenchCompany':
      return json('company', [databaseId(variables.id), 20]);
    case 'BenchMe':
      return me(req);
    case 'BenchSignIn':
      return signIn(req, variables.input as { email: string; password: string });
    default:
      throw new Error(`floor does not serve operation ${String(body.operationName)}`);
  }
}

function send(res: ServerResponse, status: number, payload: string): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

const server = createServer((req, res) => {
  if (req.url === '/health/live' || req.url === '/health') {
    send(res, 200, '{"status":"ok"}');
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    answer(req, JSON.parse(Buffer.concat(chunks).toString('utf8')) as Body).then(
      (payload) => send(res, 200, payload),
      (error: unknown) =>
        send(
          res,
          500,
          JSON.stringify({ errors: [{ message: error instanceof Error ? error.message : 'error' }] }),
        ),
    );
  });
});

server.listen(Number(env('PORT')), env('HOST', '127.0.0.1'));
process.once('SIGTERM', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});
