import { countInboundByStatus } from '../../db/repos/inbound-events.js';
import type { HealthSection } from '../../platform/health.js';

/**
 * /healthz `inbound`: Lark events waiting to be handled, and those that failed for good after
 * their retries (the sender was told; an admin can retry them).
 */
export const inboundHealthSection: HealthSection = {
  name: 'inbound',
  async check(deps) {
    const { pending, failed } = await countInboundByStatus(deps.database.db);
    return {
      ok: failed === 0,
      pending,
      failed,
      ...(failed > 0
        ? {
            warning: `inbound: ${failed} Lark event(s) failed after their retries: see GET /api/v1/inbound?status=failed, retry with POST /api/v1/inbound/:id/retry`,
          }
        : {}),
    };
  },
};
