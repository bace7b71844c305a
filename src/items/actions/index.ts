import type { ActionName } from '../../domain/types.js';
import { approveExtension } from './approve-extension.js';
import { attend, leave } from './attendance.js';
import { cancel } from './cancel.js';
import { claim } from './claim.js';
import type { ActionHandler } from './context.js';
import { done } from './done.js';
import { extend } from './extend.js';
import { progress } from './progress.js';
import { read } from './read.js';
import { reassign } from './reassign.js';
import { rejectExtension } from './reject-extension.js';

/** One handler per action; the frame around them is performItemAction (src/items/actions/perform.ts). */
export const ACTION_HANDLERS: Record<ActionName, ActionHandler> = {
  done,
  read,
  claim,
  progress,
  extend,
  'approve-extension': approveExtension,
  'reject-extension': rejectExtension,
  reassign,
  cancel,
  attend,
  leave,
};
