import { getExtensionRequest, listExtensionRequests } from '../../db/repos/extension-requests.js';
import { getPeople } from '../../db/repos/people.js';
import { formatWhenZh } from '../../domain/items.js';
import type { ExtensionRequest } from '../../domain/types.js';
import { type ActionContext, type ActionOutcome, refused, unchanged } from './context.js';

type Decided = 'approved' | 'rejected';
const VERB = { approved: '批准', rejected: '驳回' } as const;

/**
 * Before a decision: a decision bound to a request (extensionId) falls only on that request —
 * a request decided meanwhile is answered with who decided it and when (a success that changes
 * nothing when it was decided the same way, a conflict otherwise); unbound, a decision repeated
 * after the last request was decided the same way changes nothing either.
 */
export async function checkDecision(ctx: ActionContext, status: Decided): Promise<ActionOutcome | null> {
  const bound = ctx.input.extensionId;
  if (bound === undefined) {
    if (ctx.pending) return null;
    const last = (await listExtensionRequests(ctx.trx, ctx.item.id)).at(-1);
    if (!last || last.status !== status || !last.decidedAt) return null;
    return unchanged(ctx, await decidedText(ctx, last));
  }
  if (ctx.pending?.id === bound) return null;
  const request = await getExtensionRequest(ctx.trx, ctx.item.id, bound);
  if (!request) return refused(ctx, 'invalid_state', `该事项没有编号为${bound}的延期申请`);
  if (request.status === 'withdrawn')
    return refused(ctx, 'invalid_state', '该延期申请已撤回（事项已办结或撤销）');
  if (request.status === 'pending') return null;
  const text = await decidedText(ctx, request);
  return request.status === status ? unchanged(ctx, text) : refused(ctx, 'invalid_state', text);
}

/** '该延期申请已由王处长于11月24日 09:00批准' */
async function decidedText(ctx: ActionContext, request: ExtensionRequest): Promise<string> {
  const [decider] = request.decidedBy ? await getPeople(ctx.trx, [request.decidedBy]) : [];
  const who = decider?.name ?? request.decidedBy ?? '';
  const when = request.decidedAt ? `于${formatWhenZh(request.decidedAt, ctx.timeZone)}` : '';
  return `该延期申请已由${who}${when}${VERB[request.status as Decided]}`;
}
