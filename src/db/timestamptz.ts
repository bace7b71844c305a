/**
 * Reading `timestamptz` values from Postgres fast. node-postgres parses each with several regular
 * expressions (postgres-date); a round that loads 100,000 deadlines spent most of its loading time
 * there. Postgres writes them (DateStyle ISO) as 'YYYY-MM-DD HH:MM:SS[.ffffff]+HH[:MM[:SS]]': that
 * shape is read here by character codes, to the same instant postgres-date gives
 * (test/unit/timestamptz.happy.test.ts compares them); anything else (BC, infinity, years of
 * five digits or before 100) goes to the slower parser given.
 */
export function fastTimestamptzParser(slow: (text: string) => unknown): (text: string) => unknown {
  return (text) => parseCanonical(text) ?? slow(text);
}

const ZERO = 48;

/** Digits at [from, to) as a number, or -1 when one is not a digit. */
function digits(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i) - ZERO;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

function parseCanonical(text: string): Date | null {
  const n = text.length;
  if (
    n < 22 ||
    text[4] !== '-' ||
    text[7] !== '-' ||
    text[10] !== ' ' ||
    text[13] !== ':' ||
    text[16] !== ':'
  )
    return null;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 7);
  const day = digits(text, 8, 10);
  const hour = digits(text, 11, 13);
  const minute = digits(text, 14, 16);
  const second = digits(text, 17, 19);
  if (year < 100 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return null;
  let i = 19;
  let ms = 0;
  if (text[i] === '.') {
    let j = i + 1;
    while (j < n && text.charCodeAt(j) >= ZERO && text.charCodeAt(j) <= ZERO + 9) j++;
    if (j === i + 1) return null;
    // As postgres-date: 1000 × the fraction (Date.UTC drops what is below a millisecond).
    ms = 1000 * Number.parseFloat(text.slice(i, j));
    i = j;
  }
  const sign = text[i] === '+' ? 1 : text[i] === '-' ? -1 : 0;
  if (sign === 0) return null;
  const offHours = digits(text, i + 1, i + 3);
  if (offHours < 0) return null;
  i += 3;
  let offMinutes = 0;
  let offSeconds = 0;
  if (i < n) {
    if (text[i] !== ':') return null;
    offMinutes = digits(text, i + 1, i + 3);
    i += 3;
    if (i < n) {
      if (text[i] !== ':') return null;
      offSeconds = digits(text, i + 1, i + 3);
      i += 3;
    }
  }
  if (i !== n || offMinutes < 0 || offSeconds < 0) return null;
  const offsetMs = sign * (offHours * 3600 + offMinutes * 60 + offSeconds) * 1000;
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMs);
}
