import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.js';
import './types/api-key.js';
import './types/auth-payload.js';
import './types/acquisition.js';
import './types/company.js';
import './types/session.js';
import './types/live-events.js';
import './types/user.js';

/** Sorted so the published SDL diffs cleanly. */
export const schema = lexicographicSortSchema(builder.toSchema());
