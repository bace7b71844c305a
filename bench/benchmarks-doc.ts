import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const PATH = 'docs/benchmarks.md';

/**
 * Replaces the section that starts with `heading` (up to the next `## `) in docs/benchmarks.md
 * by `section`, or appends it: each bench rewrites its own figures and leaves the others.
 */
export function writeBenchmarkSection(heading: string, section: string): void {
  const existing = existsSync(PATH) ? readFileSync(PATH, 'utf8') : '# Benchmarks\n\n';
  const start = existing.indexOf(`${heading}\n`);
  let rest = existing;
  if (start >= 0) {
    const end = existing.indexOf('\n## ', start + 5);
    rest = existing.slice(0, start) + (end >= 0 ? existing.slice(end + 1) : '');
  }
  writeFileSync(PATH, `${rest.trimEnd()}\n\n${section}`);
  console.log(`written to ${PATH}`);
}
