/**
 * `Deadline.cancel()` promises that `fire` is not called once cancelled. Two deadlines fall due in
 * the same sweep; the first one's fire cancels the second (e.g. an abort listener that settles
 * another delivery). The sweep took both out of the list before firing, so the cancel finds
 * nothing to remove and the cancelled deadline fires anyway.
 */
import { Deadlines } from '../../src/runtime/receiver/deadlines';

test('a deadline cancelled by another fire in the same sweep does not fire', async () => {
  const deadlines = new Deadlines(20);
  const fired: string[] = [];
  let second: { cancel(): void } | undefined;
  deadlines.set(() => {
    fired.push('first');
    second?.cancel();
  });
  second = deadlines.set(() => void fired.push('second (cancelled)'));
  await new Promise((resolve) => setTimeout(resolve, 150));
  expect(fired).toEqual(['first']);
});
