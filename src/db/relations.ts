import { defineRelations } from 'drizzle-orm';
import * as schema from './schema.js';

export const relations = defineRelations(schema, (r) => ({
  users: {
    sessions: r.many.sessions(),
    apiKeys: r.many.apiKeys(),
  },
  sessions: {
    user: r.one.users({ from: r.sessions.userId, to: r.users.id, optional: false }),
  },
  apiKeys: {
    user: r.one.users({ from: r.apiKeys.userId, to: r.users.id, optional: false }),
  },
  companies: {
    /** Deals where this company is the buyer. */
    acquisitions: r.many.acquisitions({
      from: r.companies.id,
      to: r.acquisitions.acquirerId,
      alias: 'acquirer',
    }),
    /** Deals where this company is the target. */
    acquiredBy: r.many.acquisitions({ from: r.companies.id, to: r.acquisitions.targetId, alias: 'target' }),
    createdBy: r.one.users({ from: r.companies.createdById, to: r.users.id }),
  },
  acquisitions: {
    acquirer: r.one.companies({
      from: r.acquisitions.acquirerId,
      to: r.companies.id,
      alias: 'acquirer',
      optional: false,
    }),
    target: r.one.companies({
      from: r.acquisitions.targetId,
      to: r.companies.id,
      alias: 'target',
      optional: false,
    }),
    createdBy: r.one.users({ from: r.acquisitions.createdById, to: r.users.id }),
  },
}));
