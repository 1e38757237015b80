import type { acquisitions } from '../../db/schema.js';
import { builder } from '../builder.js';

/** A status as the database and the resolvers hold it. */
export type Status = (typeof acquisitions.$inferSelect)['status'];

export const AcquisitionStatus = builder.enumType('AcquisitionStatus', {
  description: 'How far an acquisition has got.',
  values: {
    RUMORED: { value: 'rumored', description: 'Reported by the press, not confirmed by either party.' },
    ANNOUNCED: { value: 'announced', description: 'Agreed and announced publicly.' },
    PENDING: {
      value: 'pending',
      description: 'Announced and awaiting approvals (shareholders, regulators).',
    },
    COMPLETED: { value: 'completed', description: 'Closed: the acquirer owns the target.' },
    CANCELLED: { value: 'cancelled', description: 'Called off, withdrawn or blocked.' },
  } as const,
});
