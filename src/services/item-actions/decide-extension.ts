import { listExtensionRequests } from '../../db/repos/extension-requests.js';
import { getPeople } from '../../db/repos/people.js';
import { formatWhenZh } from '../../domain/items.js';
import { type ActionContext, type ActionOutcome, unchanged } from './context.js';

const VERB = { approved: '批准', rejected: '驳回' } as const;

/**
 * A decision repeated after the request was decided the same way: answered with who decided
 * and when, changing nothing.
 */
export async function repeatedDecision(
  ctx: ActionContext,
  status: 'approved' | 'rejected',
): Promise<ActionOutcome | null> {
  if (ctx.pending) return null;
  const last = (await listExtensionRequests(ctx.trx, ctx.item.id)).at(-1);
  if (!last || last.status !== status || !last.decidedAt) return null;
  const [decider] = last.decidedBy ? await getPeople(ctx.trx, [last.decidedBy]) : [];
  const who = decider?.name ?? last.decidedBy ?? '';
  return unchanged(ctx, `该延期申请已由${who}于${formatWhenZh(last.decidedAt, ctx.timeZone)}${VERB[status]}`);
}
