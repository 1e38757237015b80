import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { argon2id, hash, needsRehash, verify, type HashOptions } from 'argon2';
import type { Config } from '../config.js';
import { concurrencyLimit } from './concurrency-limit.js';

export type Argon2Params = Config['auth']['argon2'];

export interface PasswordCheck {
  ok: boolean;
  /** The hash was made with other parameters than today's: store a fresh one. */
  needsRehash: boolean;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<PasswordCheck>;
  /**
   * Costs the same time as a real verification, for sign-ins with an unknown
   * email, so response time does not tell which emails have accounts.
   */
  verifyAgainstDummy(password: string): Promise<void>;
}

/**
 * Hashes in flight at once, process-wide: one per core. argon2 runs on libuv's thread pool
 * (4 threads by default); more hashes than cores finish no sooner, each holds its memory (7 MiB by default)
 * while it runs, and together they would fill the pool that JWT verification (WebCrypto)
 * and file I/O also wait on. A sign-in flood queues here instead.
 */
const hashing = concurrencyLimit(availableParallelism());

/** argon2id with the configured (by default OWASP's m=7 MiB, t=5, p=1) cost parameters. */
export function createPasswordHasher(params: Argon2Params): PasswordHasher {
  const options: HashOptions = { type: argon2id, ...params };
  let dummyHash: Promise<string> | undefined;
  const check = (digest: string, password: string) => hashing(() => verify(digest, password));

  return {
    hash: (password) => hashing(() => hash(password, options)),
    async verify(digest, password) {
      const ok = await check(digest, password);
      return { ok, needsRehash: ok && needsRehash(digest, params) };
    },
    async verifyAgainstDummy(password) {
      dummyHash ??= hashing(() => hash(randomBytes(32).toString('base64url'), options));
      await check(await dummyHash, password);
    },
  };
}
