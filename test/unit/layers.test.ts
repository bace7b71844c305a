import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The direction of imports (README, "How the code is laid out"): entries → app → handlers / jobs
 * → the Lark inbound adapter → features → domain, db, the Lark transport and cards. Each rule lists
 * the folders a folder must not import from.
 */
const root = resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

/** Every relative import of a file, as a path from the repository root. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specifiers = [
    ...text.matchAll(/(?:import|export)[^'"]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g),
  ];
  return specifiers.map((m) => relative(root, resolve(root, dirname(file), (m[1] ?? m[2])!)));
}

function violations(dir: string, forbidden: string[]): string[] {
  return sourceFiles(dir).flatMap((file) =>
    importsOf(file)
      .filter((target) => forbidden.some((f) => target === f || target.startsWith(`${f}/`)))
      .map((target) => `${file} → ${target}`),
  );
}

/** The feature folders: the office's use cases, one folder per thing the office does. */
const FEATURES = ['src/items', 'src/reminders', 'src/duty', 'src/reports', 'src/settings'];
/** src/lark minus the inbound adapter (src/lark/adapter): the transport, which calls no use case. */
const LARK_TRANSPORT = ['src/lark/inbound', 'src/lark/outbox', 'src/lark/playground'];

describe('the direction of imports', () => {
  it('finds a forbidden import when there is one (the check itself works)', () => {
    expect(importsOf('src/node.ts')).toContain('jobs/registry.js');
    expect(violations('src', ['jobs'])).toContain('src/node.ts → jobs/registry.js');
  });

  it('the feature folders know nothing of jobs/, handlers/, the Lark inbound adapter or the app', () => {
    for (const feature of FEATURES) {
      expect(
        violations(feature, [
          'jobs',
          'handlers',
          'src/lark/adapter',
          'src/app.js',
          'src/node.js',
          'src/worker.js',
        ]),
      ).toEqual([]);
    }
  });

  it('src/domain and src/lark/cards are pure: no database, Lark transport, features, handlers or jobs', () => {
    const forbidden = [
      'src/db',
      'src/lark/adapter',
      'src/lark/gateway.js',
      'src/lark/events.js',
      ...LARK_TRANSPORT,
      ...FEATURES,
      'handlers',
      'jobs',
      'src/deps.js',
    ];
    expect(violations('src/domain', [...forbidden, 'src/lark'])).toEqual([]);
    expect(violations('src/lark/cards', forbidden)).toEqual([]);
  });

  it('the Lark transport knows nothing of features, handlers or jobs: its handlers are passed in', () => {
    const forbidden = [...FEATURES, 'src/lark/adapter', 'handlers', 'jobs', 'src/app.js'];
    for (const dir of LARK_TRANSPORT) expect(violations(dir, forbidden)).toEqual([]);
    const top = ['src/lark/crypto.ts', 'src/lark/events.ts', 'src/lark/gateway.ts', 'src/lark/verify.ts'];
    for (const file of top) {
      expect(importsOf(file).filter((t) => forbidden.some((f) => t === f || t.startsWith(`${f}/`)))).toEqual(
        [],
      );
    }
  });

  it('src/db knows nothing of the layers above it', () => {
    expect(violations('src/db', [...FEATURES, 'src/lark', 'handlers', 'jobs'])).toEqual([]);
  });

  it('jobs/ call features, never handlers/', () => {
    expect(violations('jobs', ['handlers'])).toEqual([]);
  });

  it('handlers/ call use cases only: no import of src/db, no use of the database handle', () => {
    expect(violations('handlers', ['src/db'])).toEqual([]);
    const reaching = sourceFiles('handlers').filter((file) =>
      /\bdatabase\.db\b/.test(readFileSync(join(root, file), 'utf8')),
    );
    expect(reaching).toEqual([]);
  });

  it('src/domain imports neither Hono, Kysely nor the Lark SDK', () => {
    const packages = /from\s+'(hono|kysely|@larksuiteoapi\/node-sdk)(\/[^']*)?'/;
    const impure = sourceFiles('src/domain').filter((file) =>
      packages.test(readFileSync(join(root, file), 'utf8')),
    );
    expect(impure).toEqual([]);
  });
});
