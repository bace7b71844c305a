import type { HealthSection } from '../../platform/health.js';

/**
 * /healthz `larkConnection`: how events and card callbacks reach this instance. In webhook mode
 * Lark posts them to /lark/events and /lark/cards (nothing to watch here); in ws mode, the long
 * connection's state, since when it is up, and when the last message came over it.
 */
export const larkConnectionHealthSection: HealthSection = {
  name: 'larkConnection',
  async check(deps) {
    if (deps.config.lark.mode === 'webhook') return { ok: true, mode: 'webhook' };
    if (!deps.larkConnection) {
      return {
        ok: false,
        mode: 'ws',
        state: 'unavailable',
        warning:
          'larkConnection: LARK_MODE=ws but no long connection runs in this process (Cloudflare Workers keep no socket open): events and card clicks reach it only as webhooks',
      };
    }
    const status = deps.larkConnection.status();
    const ok = status.state === 'connected';
    return {
      ok,
      mode: 'ws',
      ...status,
      ...(ok
        ? {}
        : {
            warning: `larkConnection: the long connection to Lark is ${status.state}${status.lastError ? ` (${status.lastError})` : ''}: events and card clicks do not arrive until it is up`,
          }),
    };
  },
};
