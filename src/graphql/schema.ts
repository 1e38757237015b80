import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.js';
import './types/user.js';

/** Sorted so the published SDL diffs cleanly. */
export const schema = lexicographicSortSchema(builder.toSchema());
