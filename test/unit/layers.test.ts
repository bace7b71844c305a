import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The direction of imports (README, "How the code is laid out"): entries → app → handlers / jobs
 * → services → domain, cards, db, lark. Each rule lists the folders a folder must not import from.
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

describe('the direction of imports', () => {
  it('finds a forbidden import when there is one (the check itself works)', () => {
    expect(importsOf('src/node.ts')).toContain('jobs/registry.js');
    expect(violations('src', ['jobs'])).toContain('src/node.ts → jobs/registry.js');
  });

  it('src/services knows nothing of jobs/, handlers/ or the app', () => {
    expect(
      violations('src/services', ['jobs', 'handlers', 'src/app.js', 'src/node.js', 'src/worker.js']),
    ).toEqual([]);
  });

  it('src/domain and src/cards are pure: no database, Lark, services, handlers or jobs', () => {
    const forbidden = ['src/db', 'src/lark', 'src/services', 'handlers', 'jobs', 'src/deps.js'];
    expect(violations('src/domain', forbidden)).toEqual([]);
    expect(violations('src/cards', forbidden)).toEqual([]);
  });

  it('src/lark knows nothing of services, handlers or jobs: its handlers are passed in', () => {
    expect(violations('src/lark', ['src/services', 'handlers', 'jobs', 'src/app.js'])).toEqual([]);
  });

  it('src/db knows nothing of the layers above it', () => {
    expect(violations('src/db', ['src/services', 'src/lark', 'handlers', 'jobs'])).toEqual([]);
  });

  it('jobs/ call services, never handlers/', () => {
    expect(violations('jobs', ['handlers'])).toEqual([]);
  });
});
