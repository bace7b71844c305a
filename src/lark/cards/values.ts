import { z } from 'zod';

/**
 * What a card button carries back when clicked. Cards stay in chats for weeks, so every value
 * has a version and version 1 is accepted forever: a later format adds `v: 2` beside it and
 * maps both onto the same `ButtonValue`.
 */

const itemId = z.string().regex(/^[DMT]-\d{1,9}$/);

/** Actions a click performs at once. */
export const DIRECT_OPS = ['done', 'read', 'claim', 'attend', 'leave'] as const;
/** Actions submitted from a form on the card (values in `form_value`). */
export const FORM_OPS = ['progress', 'extend', 'reassign'] as const;
export const DECISION_OPS = ['approve-extension', 'reject-extension'] as const;

const dutyDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const DUTY_DATE_OPS = [
  'duty-handover',
  'duty-quiet',
  'duty-log-form',
  'duty-log',
  'duty-swap-form',
  'duty-swap-ask',
] as const;
export const DUTY_SWAP_OPS = ['duty-swap-accept', 'duty-swap-decline'] as const;

const v1 = z.discriminatedUnion('op', [
  z.object({ v: z.literal(1), op: z.enum(DIRECT_OPS), item: itemId }),
  z.object({ v: z.literal(1), op: z.enum(FORM_OPS), item: itemId }),
  /** Opens one of the forms on the clicker's copy of the card. */
  z.object({ v: z.literal(1), op: z.literal('form'), form: z.enum(FORM_OPS), item: itemId }),
  /** Closes an open form again. */
  z.object({ v: z.literal(1), op: z.literal('view'), item: itemId }),
  z.object({ v: z.literal(1), op: z.enum(DECISION_OPS), item: itemId, req: z.number().int().positive() }),
  /** 催办承办人 on an escalation card: a chief nudges the handler. */
  z.object({ v: z.literal(1), op: z.literal('nudge'), item: itemId }),
  /** Refreshes the 待办 card. */
  z.object({ v: z.literal(1), op: z.literal('todo') }),
  /** 值班: 接班确认, 平安无事, the duty-log form and its submission, a swap asked, opened or decided. */
  z.object({ v: z.literal(1), op: z.enum(DUTY_DATE_OPS), date: dutyDate }),
  z.object({ v: z.literal(1), op: z.enum(DUTY_SWAP_OPS), swap: z.number().int().positive() }),
]);

export type ButtonValue = z.infer<typeof v1>;
export type DirectOp = (typeof DIRECT_OPS)[number];
export type FormOp = (typeof FORM_OPS)[number];

/**
 * Validates a clicked value. Lark hands back the object the card carried; some clients send it
 * as a JSON string. Anything else — an unknown version, a forged op — is null.
 */
export function parseButtonValue(raw: unknown): ButtonValue | null {
  let value = raw;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return null;
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const parsed = v1.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The values submitted with a form, as the card actions need them. */
export const progressForm = z.object({ note: z.string().trim().min(1).max(1000) });
export const extendForm = z.object({
  days: z.union([z.string(), z.number()]).optional().nullable(),
  new_date: z.string().optional().nullable(),
  reason: z.string().trim().max(500).optional().nullable(),
});
export const reassignForm = z.object({ to: z.string().min(1).max(100) });

/** The duty-log form (time, caller, what happened, what was done) and the swap form. */
export const dutyLogForm = z.object({
  time: z.string().trim().max(20).optional().nullable(),
  caller: z.string().trim().max(100).optional().nullable(),
  what: z.string().trim().min(1).max(1000),
  done: z.string().trim().max(1000).optional().nullable(),
});
export const dutySwapForm = z.object({ to: z.string().min(1).max(100) });

export type DutyButtonValue = Extract<ButtonValue, { date: string } | { swap: number }>;
export type ItemButtonValue = Exclude<ButtonValue, DutyButtonValue>;

export function isDutyValue(v: ButtonValue): v is DutyButtonValue {
  return 'date' in v || 'swap' in v;
}
