import { isbot } from 'isbot';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../../graphql/context.js';
import { forbidden } from '../../graphql/errors.js';
import { rootMutationsNamed } from '../root-fields.js';

const guarded: ReadonlySet<string> = new Set(['signIn', 'signUp']);

/**
 * Refuses signUp and signIn from user agents isbot recognises — and from requests with
 * none, which browsers always send. isbot also flags curl, node and axios, so scripts
 * sign in with API keys instead; everything else (monitors on /health included) is untouched.
 */
export function useBotGuard(): Plugin<Context> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const fields = rootMutationsNamed(args, guarded);
      if (fields.length === 0) return;
      const userAgent = args.contextValue.request.headers.get('user-agent')?.trim();
      if (userAgent && !isbot(userAgent)) return;
      setResultAndStopExecution({
        errors: [forbidden(`Automated clients may not call ${fields.map((f) => f.name).join(' or ')}`)],
      });
    },
  };
}
