import type { ActionHandler } from './context.js';
import { done } from './done.js';

/** 已阅: a circular is closed by reading it; the same closing as 办结 (state checks tell them apart). */
export const read: ActionHandler = done;
