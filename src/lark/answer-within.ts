/**
 * Lark waits 3 s for an answer to an event or a card callback. `answerWithin` waits for `work`
 * at most `budgetMs`: its result if it came in time, `undefined` if not. The work is not
 * cancelled: it goes on and records what it did; only the waiting stops.
 */
export async function answerWithin<T>(work: Promise<T>, budgetMs: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const budget = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), budgetMs);
  });
  try {
    return await Promise.race([work, budget]);
  } finally {
    clearTimeout(timer);
  }
}
