import { randomBytes } from 'node:crypto';
import { argon2id, hash, needsRehash, verify, type HashOptions } from 'argon2';
import type { Config } from '../config.js';

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

/** argon2id with the configured (OWASP by default: 19 MiB, t=2, p=1) cost parameters. */
export function createPasswordHasher(params: Argon2Params): PasswordHasher {
  const options: HashOptions = { type: argon2id, ...params };
  let dummyHash: Promise<string> | undefined;

  return {
    hash: (password) => hash(password, options),
    async verify(digest, password) {
      const ok = await verify(digest, password);
      return { ok, needsRehash: ok && needsRehash(digest, params) };
    },
    async verifyAgainstDummy(password) {
      dummyHash ??= hash(randomBytes(32).toString('base64url'), options);
      await verify(await dummyHash, password);
    },
  };
}
