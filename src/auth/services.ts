import type { Config } from '../config.js';
import { createPasswordHasher, type PasswordHasher } from './password.js';
import { createTokenService, type TokenService } from './token.js';
import { rememberVerifiedTokens } from './verified-tokens.js';

/** What sign-in, sign-out and viewer resolution need, built once per process from the configuration. */
export interface AuthServices {
  config: Config['auth'];
  passwords: PasswordHasher;
  tokens: TokenService;
}

export function createAuthServices(config: Config['auth']): AuthServices {
  return {
    config,
    passwords: createPasswordHasher(config.argon2),
    tokens: rememberVerifiedTokens(createTokenService(config)),
  };
}
