/**
 * Where the service's CPU goes on a card click: reads a V8 `.cpuprofile` of the service (node
 * `--cpu-prof`, running the bundle dist/node.js) and sums its samples by stage of a click. Each
 * sample goes to the innermost frame on its stack that a rule below names (so a socket write made
 * while a repository function runs counts for that function's stage); frames of the bundle are
 * mapped back to their source file by esbuild's `// src/…` module comments.
 *
 * Async code resumes without its callers on the stack, so work that runs from a socket's `data`
 * event (pg parsing a reply, Node's HTTP parser) has no stage of its own: it is counted under the
 * library that did it ("pg: …", "HTTP in/out"); so do the statements' socket writes, which
 * src/db/postgres.ts makes from a tick of their own (one write per turn of the event loop).
 */
import { readFileSync } from 'node:fs';

interface Frame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: Frame;
  parent?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The stages of a click, in the order a click passes them. */
export const STAGES = [
  'HTTP in/out (Node http, Hono)',
  'verify + decrypt + parse',
  'inbound record (callback row, heartbeat)',
  "the action's statements (card lookup, lock, update, history)",
  'card render',
  'outbox enqueue (find copies, serialise, insert)',
  'begin / commit',
  'the answer (record it, format it)',
  'pg: socket writes (coalesced), reading replies, pool',
  'card patches sent afterwards (dispatcher, SDK)',
  'logging',
  'garbage collection',
  'other (V8, Node internals, unattributed)',
] as const;
export type Stage = (typeof STAGES)[number];

const [HTTP, VERIFY, INBOUND, ACTION, RENDER, ENQUEUE, TXN, ANSWER, PG, PATCHES, LOG, GC, OTHER] = STAGES;

/** By source file (bundle frames) or module path (external packages); first match wins. */
function stageOfFrame(frame: Frame, source: string | null): Stage | null {
  const fn = frame.functionName.replace(/\d+$/, '');
  const url = frame.url;
  if (fn === '(garbage collector)') return GC;
  if (source) {
    if (/^src\/lark\/(verify|crypto|events)\.ts$/.test(source)) return VERIFY;
    if (source === 'src/db/repos/inbound-events.ts') return fn === 'recordCardAnswer' ? ANSWER : INBOUND;
    if (source === 'src/platform/liveness.ts') return INBOUND;
    if (source === 'src/lark/inbound/cards.ts') return ANSWER;
    if (source.startsWith('src/lark/cards/') || fn === 'buildItemCardView') return RENDER;
    if (source === 'src/db/repos/outbox.ts') {
      if (fn === 'findSentMessage') return ACTION;
      if (fn === 'listCardsNamingItem' || /^insertOutbox/.test(fn)) return ENQUEUE;
      return PATCHES;
    }
    if (/^src\/lark\/(outbox\/(dispatcher|app-windows)|gateway|rate-limiter)\.ts$/.test(source))
      return PATCHES;
    if (
      source === 'src/lark/outbox/enqueue.ts' ||
      source.startsWith('src/items/notifications/') ||
      source === 'src/reminders/round-cards.ts'
    )
      return ENQUEUE;
    if (/^src\/platform\/(pino-logger|logger)\.ts$/.test(source)) return LOG;
    if (source.startsWith('handlers/')) return HTTP;
    if (source === 'src/db/transaction.ts') return TXN;
    // The driver's own layer (write coalescing, type parsers): whoever called it is the stage.
    // The coalesced socket write runs from a tick of its own, with no caller left on the stack.
    if (source === 'src/db/postgres.ts' && fn === 'uncork') return PG;
    if (source === 'src/db/postgres.ts' || source === 'src/db/timestamptz.ts') return null;
    if (source.startsWith('src/')) return ACTION;
  }
  // Kysely's transaction runs begin and commit from an arrow function inside its execute().
  if (/node_modules\/kysely\/dist\/esm\/kysely\.js$/.test(url) && (fn === 'execute' || fn === '')) return TXN;
  if (/node_modules\/(pino|thread-stream|sonic-boom)\//.test(url)) return LOG;
  if (/node_modules\/(@larksuiteoapi|axios|follow-redirects|form-data|proxy-from-env)\//.test(url))
    return PATCHES;
  return null;
}

/** For a stack no rule names: by the library at its leaf end. */
function fallbackStage(stack: Frame[]): Stage {
  // Node's HTTP client: the SDK's requests to Lark (their answers arrive from the socket).
  if (stack.some((f) => /^node:_http_(client|agent)$/.test(f.url))) return PATCHES;
  for (const f of stack) {
    if (/node_modules\/(pg|pg-pool|pg-protocol|pg-types|postgres-[a-z]+)\//.test(f.url)) return PG;
    if (/node_modules\/(hono|@hono)\//.test(f.url) || /^node:_http_/.test(f.url)) return HTTP;
  }
  return OTHER;
}

/** Line → source file of the bundle, from esbuild's `// path/to/file.ts` comments. */
function bundleSources(bundlePath: string): (line: number) => string | null {
  const starts: Array<[number, string]> = [];
  readFileSync(bundlePath, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      const m = /^\/\/ ((?:src|handlers|jobs)\/\S+\.ts)$/.exec(text);
      if (m) starts.push([i, m[1]!]);
    });
  return (line) => {
    let lo = 0;
    let hi = starts.length - 1;
    let found: string | null = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]![0] <= line) {
        found = starts[mid]![1];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
}

export interface StageBreakdown {
  /** CPU ms per stage within the window (idle and `(program)` idle time left out). */
  ms: Record<Stage, number>;
  totalMs: number;
  samples: number;
}

/**
 * Sums the profile's samples by stage, keeping those taken between `fromUs` and `toUs` (the
 * monotonic clock in µs, as `process.hrtime` reads it: V8 stamps its samples with the same clock).
 */
export function stagesOf(
  profilePath: string,
  bundlePath: string,
  fromUs = 0,
  toUs = Infinity,
): StageBreakdown {
  const profile = JSON.parse(readFileSync(profilePath, 'utf8')) as Profile;
  const sourceAt = bundleSources(bundlePath);
  const byId = new Map<number, ProfileNode>();
  for (const n of profile.nodes) byId.set(n.id, n);
  for (const n of profile.nodes) for (const c of n.children ?? []) byId.get(c)!.parent = n.id;
  const stageOfNode = new Map<number, Stage | 'idle'>();
  const classify = (id: number): Stage | 'idle' => {
    const cached = stageOfNode.get(id);
    if (cached) return cached;
    const leaf = byId.get(id)!;
    let stage: Stage | 'idle';
    if (leaf.callFrame.functionName === '(idle)') stage = 'idle';
    else if (leaf.callFrame.functionName === '(program)') stage = OTHER;
    else {
      const stack: Frame[] = [];
      let found: Stage | null = null;
      for (let n: ProfileNode | undefined = leaf; n; n = n.parent ? byId.get(n.parent) : undefined) {
        stack.push(n.callFrame);
        const f = n.callFrame;
        const source = f.url.endsWith('/dist/node.js') ? sourceAt(f.lineNumber) : null;
        found = stageOfFrame(f, source);
        if (found) break;
      }
      stage = found ?? fallbackStage(stack);
    }
    stageOfNode.set(id, stage);
    return stage;
  };
  const ms = Object.fromEntries(STAGES.map((s) => [s, 0])) as Record<Stage, number>;
  let t = profile.startTime;
  let samples = 0;
  let totalMs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    if (t < fromUs || t > toUs) continue;
    // A sample stands for the time since the one before it.
    const stage = classify(profile.samples[i]!);
    if (stage === 'idle') continue;
    ms[stage] += delta / 1000;
    totalMs += delta / 1000;
    samples++;
  }
  return { ms, totalMs, samples };
}
