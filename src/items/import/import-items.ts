import { getPerson, listPeople } from '../../db/repos/people.js';
import type { Trx } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../platform/errors.js';
import { type CreateItemInput, createItemInTrx, type ItemPreview, previewItemInTrx } from '../items.js';

/** One problem of an imported file: its row (the header is row 1), the column, what is wrong. */
export interface RowProblem {
  row: number;
  column: string;
  message: string;
}

export interface ImportRowInput {
  row: number;
  input: CreateItemInput;
  /** field → the column heading in the file. */
  columns: Record<string, string>;
  /**
   * Checked for problems only, never created: a row already refused for one field (its title),
   * whose other fields are still checked so that every problem of the row is listed.
   */
  checkOnly?: boolean;
}

export type ImportResult =
  | { dryRun: true; items: (ItemPreview & { row: number })[] }
  | { dryRun: false; items: { row: number; id: string; title: string; dueAt: Date | null }[] };

/**
 * Imports rows in one transaction: every row is checked first (people, departments, deadlines,
 * 文号 already open or repeated in the file); one problem anywhere rejects the whole file with
 * every problem listed (422, nothing written). A dry run answers what would be created.
 */
export async function importItems(
  deps: Deps,
  rows: ImportRowInput[],
  options: { dryRun: boolean; actor: string; problems?: RowProblem[] },
): Promise<ImportResult> {
  const now = deps.clock.now();
  return deps.database.db.transaction().execute(async (trx): Promise<ImportResult> => {
    const problems: RowProblem[] = [...(options.problems ?? [])];
    const checked: { row: ImportRowInput; preview: ItemPreview }[] = [];
    for (const r of rows) {
      try {
        const input = await resolveAssignee(trx, r);
        const row = { ...r, input };
        checked.push({ row, preview: await previewItemInTrx(trx, deps, input, options.actor, now) });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        problems.push(...problemsOf(error, r));
      }
    }
    problems.push(...repeatedDocNos(rows));
    if (problems.length > 0 || checked.some((c) => c.row.checkOnly)) throw rejected(problems);
    if (options.dryRun)
      return { dryRun: true, items: checked.map((c) => ({ row: c.row.row, ...c.preview })) };
    const items: { row: number; id: string; title: string; dueAt: Date | null }[] = [];
    for (const { row } of checked) {
      const item = await createItemInTrx(trx, deps, row.input, options.actor, now);
      items.push({ row: row.row, id: item.id, title: item.title, dueAt: item.dueAt });
    }
    return { dryRun: false, items };
  });
}

/** The whole file refused: every problem, sorted by row. */
export function rejected(problems: RowProblem[]): AppError {
  const sorted = [...problems].sort((a, b) => a.row - b.row);
  return new AppError(
    422,
    'invalid_rows',
    `${sorted.length} problem(s) in the file; nothing was created. First: row ${sorted[0]?.row}, ${sorted[0]?.column}: ${sorted[0]?.message}`,
    sorted,
  );
}

/**
 * The assignee as an open_id, or a name looked up within the row's department (`dept` of a
 * document, `leadDept` of a task): exactly one active person of that name there.
 */
async function resolveAssignee(trx: Trx, r: ImportRowInput): Promise<CreateItemInput> {
  const { input } = r;
  if (input.kind === 'meeting' || !input.assignee) return input;
  if (await getPerson(trx, input.assignee)) return input;
  const dept = input.kind === 'document' ? input.dept : input.leadDept;
  const name = input.assignee;
  if (!dept)
    throw fieldError(
      'assignee',
      `no person with open_id "${name}"; to give a name, fill in the department too`,
    );
  const found = (await listPeople(trx, { dept })).filter((p) => p.name === name);
  if (found.length === 0) throw fieldError('assignee', `nobody named "${name}" in department "${dept}"`);
  if (found.length > 1)
    throw fieldError(
      'assignee',
      `${found.length} people named "${name}" in "${dept}"; give the open_id instead`,
    );
  return { ...input, assignee: found[0]!.openId };
}

function fieldError(field: string, message: string): AppError {
  return new AppError(422, 'invalid_field', `${field}: ${message}`, [{ field, message }]);
}

/** An AppError of a row's check as problems named by the file's columns. */
function problemsOf(error: AppError, r: ImportRowInput): RowProblem[] {
  const details = Array.isArray(error.details) ? error.details : [error.details];
  const named = details.filter((d): d is { field: string; message?: string } => typeof d?.field === 'string');
  if (named.length === 0) return [{ row: r.row, column: '(row)', message: error.message }];
  return named.map((d) => {
    const root = d.field.split('.')[0] ?? d.field;
    const message = d.message ?? error.message.replace(/^[^:]*:\s*/, '');
    return { row: r.row, column: r.columns[root] ?? root, message };
  });
}

/** Two rows of the file under one 文号 and direction: the later ones are problems. */
function repeatedDocNos(rows: ImportRowInput[]): RowProblem[] {
  const first = new Map<string, number>();
  const problems: RowProblem[] = [];
  for (const r of rows) {
    if (r.input.kind !== 'document' || !r.input.docNo) continue;
    const key = `${r.input.docNo}\u0000${r.input.direction ?? ''}`;
    const seen = first.get(key);
    if (seen === undefined) first.set(key, r.row);
    else
      problems.push({ row: r.row, column: r.columns.docNo ?? 'docNo', message: `same docNo as row ${seen}` });
  }
  return problems;
}
